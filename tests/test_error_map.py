"""One error map: every error is of one of three families, and the family alone decides the
exit code of the CLI, the hooks and the walkthrough; a bug of ours is one line asking for a
report, with its traceback in a file and never on screen.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

import release_assistant
from release_assistant import __version__
from release_assistant.cli.main import main
from release_assistant.core.support.errors import (
    ExitCode,
    InputError,
    InternalError,
    ReleaseAssistantError,
    StepFailed,
    exit_code_for,
)
from release_assistant.core.urls import ISSUES_URL
from release_assistant.hooks import check_lock_file
from tests.conftest import RepoFactory, git, minimal_pyproject

FAMILIES = (InputError, StepFailed, InternalError)


def all_exception_classes() -> list[type[BaseException]]:
    """Every exception class the package defines (each of its modules imported)."""
    for module in pkgutil.walk_packages(release_assistant.__path__, "release_assistant."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: list[type[BaseException]] = []
    pending: list[type[BaseException]] = [BaseException]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("release_assistant."):
                found.append(subclass)
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def test_every_exception_class_is_of_exactly_one_family() -> None:
    classes = all_exception_classes()
    assert len(classes) >= 25  # the walk found the package's errors, not nothing
    homeless = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in classes
        if cls not in (ReleaseAssistantError, *FAMILIES)
        and sum(issubclass(cls, family) for family in FAMILIES) != 1
    ]
    assert homeless == []


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InputError("bad input"), ExitCode.USAGE),
        (StepFailed("refused"), ExitCode.FAILED),
        (InternalError("a signal that escaped"), ExitCode.INTERNAL),
        (RuntimeError("our bug"), ExitCode.INTERNAL),
        (KeyError("our bug"), ExitCode.INTERNAL),
        (KeyboardInterrupt(), ExitCode.INTERRUPTED),
        (BrokenPipeError(), ExitCode.BROKEN_PIPE),
    ],
)
def test_each_family_maps_to_its_exit_code(error: BaseException, code: ExitCode) -> None:
    assert exit_code_for(error) is code


def test_the_errors_users_meet_keep_their_families() -> None:
    from release_assistant.core.git import GitProblem
    from release_assistant.core.project.config import ConfigError
    from release_assistant.core.release.bump import BumpError, UnknownBump
    from release_assistant.core.release.tag import TagRefused
    from release_assistant.core.release.watch import WatchRefused
    from release_assistant.core.support.errors import UsageError
    from release_assistant.core.support.textfiles import FileProblem

    assert exit_code_for(ConfigError("pyproject.toml", "bad", 3)) == 2
    assert exit_code_for(FileProblem("CHANGELOG.md", "not UTF-8")) == 2
    assert exit_code_for(UsageError("--tag: bad")) == 2
    assert exit_code_for(UnknownBump("neither a part nor a version")) == 2
    assert exit_code_for(WatchRefused("no GitHub origin")) == 2
    assert exit_code_for(BumpError("1.2.3 is already tagged")) == 1
    assert exit_code_for(TagRefused("the tag exists")) == 1
    assert exit_code_for(GitProblem("not a git repository")) == 1


def project(make_repo: RepoFactory) -> Path:
    return make_repo({"pyproject.toml": minimal_pyproject("demo", "1.0.0")})


def simulate_bug(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """Make the engine's ``run_checks`` (our own function) raise ``error``."""

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr("release_assistant.core.engine.run_checks", broken)
    monkeypatch.delenv("RELEASE_ASSISTANT_DEBUG", raising=False)


def crash_file(line: str) -> Path:
    """The traceback file the one crash line names."""
    prefix = (
        f"internal error in release-assistant {__version__}: RuntimeError: simulated bug "
        f"— please report it at {ISSUES_URL} with the traceback in "
    )
    assert line.startswith(prefix), line
    return Path(line.removeprefix(prefix))


def test_a_crash_exits_3_with_one_line_and_the_traceback_in_the_state_dir(
    make_repo: RepoFactory, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(make_repo)
    simulate_bug(monkeypatch, RuntimeError("simulated bug\nwith a second line"))

    assert main(["check", "--repo", str(root)]) == ExitCode.INTERNAL

    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err, err
    path = crash_file(err.strip())
    state = Path(git(root, "rev-parse", "--absolute-git-dir").strip()) / "release-assistant"
    assert path.parent == state / "crashes"
    saved = path.read_text(encoding="utf-8")
    assert f"release-assistant {__version__}" in saved
    assert "Traceback (most recent call last)" in saved
    assert "in broken" in saved and "RuntimeError: simulated bug\nwith a second line" in saved


def test_a_crash_outside_a_repository_keeps_its_traceback_in_the_temporary_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "no-repo"
    root.mkdir()
    (root / "pyproject.toml").write_text(minimal_pyproject("demo", "1.0.0"), encoding="utf-8")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    simulate_bug(monkeypatch, RuntimeError("simulated bug"))

    assert main(["check", "--repo", str(root)]) == ExitCode.INTERNAL

    path = crash_file(capsys.readouterr().err.strip())
    assert path.parent.parent == temporary
    assert "RuntimeError: simulated bug" in path.read_text(encoding="utf-8")


def test_a_crash_report_masks_credentials(
    make_repo: RepoFactory, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(make_repo)
    secret = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    simulate_bug(monkeypatch, RuntimeError(f"simulated bug {secret}"))

    assert main(["check", "--repo", str(root)]) == ExitCode.INTERNAL

    err = capsys.readouterr().err
    assert secret not in err
    path = Path(err.strip().rsplit(" with the traceback in ", 1)[1])
    assert secret not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("error", "code", "line"),
    [
        (InputError("bad input"), ExitCode.USAGE, "release-assistant: error: bad input"),
        (StepFailed("not now"), ExitCode.FAILED, "release-assistant: refused: not now"),
    ],
)
def test_the_cli_maps_each_family_by_the_same_function(
    make_repo: RepoFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: Exception,
    code: ExitCode,
    line: str,
) -> None:
    root = project(make_repo)
    simulate_bug(monkeypatch, error)

    assert main(["check", "--repo", str(root)]) == code
    assert capsys.readouterr().err == line + "\n"
    assert not (
        Path(git(root, "rev-parse", "--absolute-git-dir").strip()) / "release-assistant"
    ).exists()


def test_a_hook_crash_exits_3_with_one_line(
    make_repo: RepoFactory, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(make_repo)
    monkeypatch.chdir(root)
    monkeypatch.delenv("RELEASE_ASSISTANT_DEBUG", raising=False)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("release_assistant.hooks.common.run_checks", broken)
    # The lock hook's quick answer crashes too: the full path then gives the verdict.
    monkeypatch.setattr("release_assistant.core.checks.lock.hook_passes", broken)

    assert check_lock_file.main([]) == ExitCode.INTERNAL

    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"{check_lock_file.HOOK_ID}: ")
    path = crash_file(err.strip().removeprefix(f"{check_lock_file.HOOK_ID}: "))
    assert path.is_file() and "in broken" in path.read_text(encoding="utf-8")


def test_a_hook_maps_a_refusal_and_bad_input_by_the_same_function(
    make_repo: RepoFactory, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(make_repo)
    monkeypatch.chdir(root)
    for error, code, word in (
        (StepFailed("not now"), ExitCode.FAILED, "refused"),
        (InputError("bad input"), ExitCode.USAGE, "error"),
    ):

        def broken(*args: Any, _error: Exception = error, **kwargs: Any) -> Any:
            raise _error

        monkeypatch.setattr("release_assistant.hooks.common.run_checks", broken)
        monkeypatch.setattr("release_assistant.core.checks.lock.hook_passes", broken)
        assert check_lock_file.main([]) == code
        assert capsys.readouterr().err == f"{check_lock_file.HOOK_ID}: {word}: {error}\n"


async def test_a_crash_in_the_walkthrough_is_kept_for_the_cli_not_drawn(
    make_repo: RepoFactory,
) -> None:
    from release_assistant.tui.app import ReleaseAssistantApp

    app = ReleaseAssistantApp(project(make_repo), offer_setup=False)

    def broken() -> None:
        raise RuntimeError("simulated bug")

    with pytest.raises(RuntimeError, match="simulated bug"):
        async with app.run_test() as pilot:
            app.call_later(broken)
            await pilot.pause()
    assert isinstance(app.crash, RuntimeError)
    assert app._exit_renderables == []  # Textual would print its traceback on exit


def test_the_walkthrough_command_reports_a_crash_like_any_command(
    make_repo: RepoFactory, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from release_assistant.tui.app import ReleaseAssistantApp

    root = project(make_repo)
    monkeypatch.delenv("RELEASE_ASSISTANT_DEBUG", raising=False)

    def crashed_run(self: ReleaseAssistantApp, *args: Any, **kwargs: Any) -> None:
        try:
            raise RuntimeError("simulated bug")
        except RuntimeError as error:
            self.crash = error  # as the app's exception handler keeps it

    monkeypatch.setattr(ReleaseAssistantApp, "run", crashed_run)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)

    assert main(["tui", "--repo", str(root)]) == ExitCode.INTERNAL
    assert crash_file(capsys.readouterr().err.strip()).is_file()
