"""The ``check-lock-file`` hook's quick path gives the full path's verdict.

``hook_passes`` answers "nothing to report" without a RepoContext; whenever it says so, the
hook's full path (RepoContext, engine, configuration) must print nothing and exit 0, and the
hook with the quick path must print and exit exactly as the full path does. The hand parse of
``--repo`` must agree with the argparse parser it stands in for, and the git query started
early must answer as :func:`run_git` does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from release_assistant.core.checks.lock import hook_passes
from release_assistant.core.git.readonly import run_git
from release_assistant.core.git.spawn import start_git
from release_assistant.core.lockfiles import LOCK_NAMES, git_status_args, start_git_states
from release_assistant.core.lockfiles.generic import LOCK_FILES, git_states
from release_assistant.core.support.errors import UsageError
from release_assistant.hooks import check_lock_file
from release_assistant.hooks.common import build_parser, run_hook, simple_repo
from tests.conftest import RepoFactory, git

POSIX_ONLY = pytest.mark.skipif(not hasattr(os, "posix_spawnp"), reason="no posix_spawnp")


# --- the hand parse of the arguments --------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["pyproject.toml", "uv.lock"],
        ["--repo", "libs/x"],
        ["--repo=libs/x"],
        ["--repo="],
        ["a.py", "--repo", "x"],
        ["a.py", "b.py", "--repo=x"],
        ["--repo", "x y", "z", "w"],
    ],
)
def test_simple_repo_reads_what_argparse_reads(argv: list[str]) -> None:
    expected = build_parser("check-lock-file", "").parse_args(argv).repo
    assert simple_repo(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        ["-h"],
        ["--help"],
        ["--rep", "x"],  # argparse's abbreviation, and its ambiguity rules: left to it
        ["--repo", "x", "--repo", "y"],
        ["--repo"],
        ["--repo", "-x"],
        ["--", "file"],
        ["--unknown"],
        ["-"],
        ["a.py", "--repo", "x", "b.py"],  # argparse refuses file names on both sides
    ],
)
def test_simple_repo_leaves_the_rest_to_argparse(argv: list[str]) -> None:
    assert simple_repo(argv) is None


def test_argparse_refuses_file_names_on_both_sides_of_repo() -> None:
    """Why the hand parse leaves that form alone (argparse of Python 3.11)."""
    with pytest.raises(UsageError, match=r"unrecognized arguments: b\.py"):
        build_parser("check-lock-file", "").parse_args(["a.py", "--repo", "x", "b.py"])


# --- the quick verdict against the full path -------------------------------------------------

BUILD = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
PROJECT = '[project]\nname = "demo"\nversion = "1.0.0"\nrequires-python = ">=3.10"\n'


def _uv() -> str:
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    if not os.path.exists(uv):
        pytest.skip("uv is not installed")
    return uv


def _locked(make_repo: RepoFactory, extra: str = "") -> Path:
    root = make_repo({"pyproject.toml": BUILD + PROJECT + "dependencies = []\n" + extra})
    (root / "src" / "demo").mkdir(parents=True)
    (root / "src" / "demo" / "__init__.py").write_text('"""Demo."""\n', encoding="utf-8")
    subprocess.run([_uv(), "lock", "--offline", "--quiet"], cwd=root, check=True)
    git(root, "add", "-A")
    return root


def _in_sync(make_repo: RepoFactory) -> Path:
    return _locked(make_repo)


def _stale(make_repo: RepoFactory) -> Path:
    root = _locked(make_repo)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(
            "dependencies = []", 'dependencies = ["attrs>=23"]'
        ),
        encoding="utf-8",
    )
    return root


def _untracked(make_repo: RepoFactory) -> Path:
    root = _locked(make_repo)
    git(root, "rm", "-q", "--cached", "uv.lock")
    return root


def _configured(make_repo: RepoFactory) -> Path:
    # In sync, with a valid [tool.release-assistant] table: read, and the lock still passes.
    return _locked(make_repo, '\n[tool.release-assistant]\nchangelog = "CHANGELOG.md"\n')


def _disabled(make_repo: RepoFactory) -> Path:
    # Stale, but the check is disabled: the engine skips it, silently.
    root = _stale(make_repo)
    with (root / "pyproject.toml").open("a", encoding="utf-8") as file:
        file.write("\n[tool.release-assistant.checks.lock]\nenabled = false\n")
    return root


def _stale_but_ignored(make_repo: RepoFactory) -> Path:
    # Stale, its codes ignored: the engine drops the findings; the full path decides.
    root = _stale(make_repo)
    with (root / "pyproject.toml").open("a", encoding="utf-8") as file:
        file.write('\n[tool.release-assistant]\nignore = ["RA504", "RA505", "RA506"]\n')
    return root


def _config_path_outside(make_repo: RepoFactory) -> Path:
    # A configured path out of the work tree: refused (exit 2) by the configuration reader.
    return _locked(make_repo, '\n[tool.release-assistant]\nchangelog = "../CHANGELOG.md"\n')


def _malformed_config(make_repo: RepoFactory) -> Path:
    return _locked(make_repo, "\n[tool.release-assistant]\nno_such_key = 1\n")


def _malformed_toml(make_repo: RepoFactory) -> Path:
    root = _locked(make_repo)
    with (root / "pyproject.toml").open("a", encoding="utf-8") as file:
        file.write("[project\n")
    return root


def _no_lock(make_repo: RepoFactory) -> Path:
    return make_repo({"pyproject.toml": PROJECT + "dependencies = []\n"})


def _ignored_library_lock(make_repo: RepoFactory) -> Path:
    root = _locked(make_repo)
    git(root, "rm", "-q", "--cached", "uv.lock")
    (root / ".gitignore").write_text("uv.lock\n", encoding="utf-8")
    return root


def _linked_pyproject(make_repo: RepoFactory) -> Path:
    root = _locked(make_repo)
    (root / "real.toml").write_text(
        (root / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (root / "pyproject.toml").unlink()
    (root / "pyproject.toml").symlink_to("real.toml")
    return root


def _lock_is_a_directory(make_repo: RepoFactory) -> Path:
    root = make_repo({"pyproject.toml": PROJECT + "dependencies = []\n"})
    (root / "uv.lock").mkdir()
    return root


CASES: dict[str, tuple[Callable[[RepoFactory], Path], bool]] = {
    "in-sync": (_in_sync, True),
    "stale": (_stale, False),
    "untracked": (_untracked, False),
    "configured": (_configured, True),
    "disabled": (_disabled, True),
    "stale-but-ignored": (_stale_but_ignored, False),
    "config-path-outside": (_config_path_outside, False),
    "malformed-config": (_malformed_config, False),
    "malformed-toml": (_malformed_toml, False),
    "no-lock": (_no_lock, True),
    "ignored-library-lock": (_ignored_library_lock, True),
    "linked-pyproject": (_linked_pyproject, False),
    "lock-is-a-directory": (_lock_is_a_directory, False),
}


def _quick(root: Path) -> bool:
    try:
        return hook_passes(str(root))
    except Exception:  # the hook takes the full path then, as for False
        return False


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_quick_path_agrees_with_the_full_path(
    case: str, make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    build, quick_expected = CASES[case]
    root = build(make_repo)
    quick = _quick(root)
    assert quick is quick_expected
    argv = ["--repo", str(root)]
    full_code = run_hook(
        check_lock_file.HOOK_ID, check_lock_file.DESCRIPTION, ["lock"], argv
    )  # no quick path
    full = capsys.readouterr()
    if quick:
        assert (full_code, full.out, full.err) == (0, "", "")
    hook_code = check_lock_file.main(argv)
    hook = capsys.readouterr()
    assert (hook_code, hook.out, hook.err) == (full_code, full.out, full.err)


def test_the_cases_cover_each_exit_code(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """The comparison above is not vacuous: the cases fail, warn and refuse."""
    codes = {}
    for case in ("stale", "untracked", "malformed-config", "config-path-outside", "disabled"):
        root = CASES[case][0](make_repo)
        codes[case] = check_lock_file.main(["--repo", str(root)])
        capsys.readouterr()
    assert codes == {
        "stale": 1,
        "untracked": 0,
        "malformed-config": 2,
        "config-path-outside": 2,
        "disabled": 0,
    }


# --- the git query started early ------------------------------------------------------------


@POSIX_ONLY
def test_a_started_git_answers_as_run_git(make_repo: RepoFactory) -> None:
    root = _untracked(make_repo)
    (root / "poetry.lock").write_text("", encoding="utf-8")
    args = git_status_args(["uv.lock", "poetry.lock"])
    started = start_git(str(root), args)
    assert started is not None
    output = started.output()
    expected = run_git(root, args)
    assert output is not None and expected is not None
    assert (output.returncode, output.stdout) == (expected.returncode, expected.stdout)
    assert b"?? uv.lock" in output.stdout
    assert started.output() is output  # waited for once


@POSIX_ONLY
def test_a_started_git_outside_a_repository_fails_as_run_git(tmp_path: Path) -> None:
    args = git_status_args(["uv.lock"])
    started = start_git(str(tmp_path), args)
    assert started is not None
    output = started.output()
    expected = run_git(tmp_path, args)
    assert output is not None and expected is not None
    assert output.returncode == expected.returncode != 0


@POSIX_ONLY
def test_a_started_git_that_hangs_is_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A git that never answers (a stuck filesystem): a script first on PATH stands in.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    hanging = bin_dir / "git"
    hanging.write_text("#!/bin/sh\nexec sleep 30\n", encoding="utf-8")
    hanging.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    started = start_git(str(tmp_path), ["status"])
    assert started is not None
    assert started.output(timeout=0.3) is None


@POSIX_ONLY
def test_a_started_git_that_cannot_start_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert start_git(str(tmp_path), ["status"]) is None


@POSIX_ONLY
def test_git_states_uses_a_started_query_only_for_the_same_locks(make_repo: RepoFactory) -> None:
    root = _untracked(make_repo)
    started = start_git_states(str(root))
    assert started is not None and started.args == tuple(git_status_args(["uv.lock"]))
    assert git_states(root, ["uv.lock"], started) == {"uv.lock": "untracked"}
    (root / "pdm.lock").write_text("", encoding="utf-8")
    other = start_git(str(root), git_status_args(["poetry.lock"]))
    # Asked about other locks: git runs again, for the right ones.
    assert git_states(root, ["uv.lock", "pdm.lock"], other) == {
        "uv.lock": "untracked",
        "pdm.lock": "untracked",
    }


def test_no_lock_no_git_query(tmp_path: Path) -> None:
    assert start_git_states(str(tmp_path)) is None


def test_the_lock_names_are_the_checked_locks() -> None:
    assert tuple(LOCK_FILES) == LOCK_NAMES
