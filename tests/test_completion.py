"""``release-assistant completion``: the scripts answer from the parser, run in a real bash."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from release_assistant.cli.main import main


def script(shell: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


def complete(bash_script: str, *words: str) -> list[str]:
    """What bash offers for ``words`` (the last one is being typed)."""
    line = " ".join(f"'{word}'" for word in ("release-assistant", *words))
    program = (
        f"{bash_script}\n"
        f"COMP_WORDS=({line}); COMP_CWORD={len(words)}\n"
        '_release_assistant; printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_commands_flags_check_ids_and_bumps(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bash = script("bash", capsys)
    assert complete(bash, "sh") == ["ship"]
    assert set(complete(bash, "")) >= {"check", "ship", "bump", "tag", "watch", "completion"}
    assert complete(bash, "check", "--on") == ["--only"]
    assert complete(bash, "check", "--only", "wo") == ["workflow"]
    # A comma list keeps the ids already typed.
    assert complete(bash, "check", "--skip", "git,c") == ["git,ci", "git,changelog"]
    assert complete(bash, "check", "--format", "s") == ["sarif"]
    assert complete(bash, "ship", "pa") == ["patch"]
    assert "--no-build-isolation" in complete(bash, "ship", "--no")
    assert complete(bash, "completion", "f") == ["fish"]


def test_zsh_runs_the_same_function_through_bashcompinit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    zsh = script("zsh", capsys)
    bash = script("bash", capsys)
    assert zsh.splitlines()[1] == "autoload -U +X bashcompinit && bashcompinit"
    assert zsh.split("\n", 2)[2] == bash.split("\n", 1)[1]


def test_fish_lists_every_command_and_the_check_ids(capsys: pytest.CaptureFixture[str]) -> None:
    from release_assistant.core.engine import known_check_ids

    fish = script("fish", capsys)
    ids = " ".join(known_check_ids())
    assert f"-n '__fish_seen_subcommand_from check' -l only -xa '{ids}'" in fish
    assert "-n '__fish_seen_subcommand_from ship' -a 'major minor patch pre post dev'" in fish
    commands = fish.splitlines()[2]
    for command in ("check", "ship", "bump", "tag", "release", "watch", "completion"):
        assert f" {command}" in commands or f"'{command}" in commands


def test_an_unknown_shell_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["completion", "powershell"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
