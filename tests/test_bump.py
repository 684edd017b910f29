"""``bump``: next versions, format-preserving edits, the changelog move, all-or-nothing writes."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from packaging.version import Version

from release_assistant.cli import main
from release_assistant.core.context import RepoContext
from release_assistant.core.release.bump import BumpError, UnknownBump, next_version, plan_bump
from release_assistant.core.release.plan import execute
from release_assistant.core.support.errors import exit_code_for
from tests.conftest import write_files

TODAY = dt.date(2026, 4, 1)

CHANGELOG = """\
# Changelog

## [Unreleased]

### Added

- A new thing.

## [0.1.1] - 2026-03-20

- Fixed.

[Unreleased]: https://github.com/o/r/compare/v0.1.1...HEAD
[0.1.1]: https://github.com/o/r/compare/v0.1.0...v0.1.1
"""

PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

# The project table: the version below is bumped by release-assistant.
[project]
name = "demo-pkg"
version   =   "0.1.1"   # keep this comment
dependencies = []  # none
"""


@pytest.mark.parametrize(
    ("current", "choice", "expected"),
    [
        ("1.2.3", "major", "2.0.0"),
        ("1.2.3", "minor", "1.3.0"),
        ("1.2.3", "patch", "1.2.4"),
        ("1.2.3", "pre", "1.2.4rc1"),
        ("1.2.4rc1", "pre", "1.2.4rc2"),
        ("1.2.4b2", "pre", "1.2.4b3"),
        ("1.2.3", "post", "1.2.3.post1"),
        ("1.2.3.post1", "post", "1.2.3.post2"),
        ("1.2.3", "dev", "1.2.4.dev1"),
        ("1.2.4.dev1", "dev", "1.2.4.dev2"),
        ("1.3.0rc1", "patch", "1.3.0"),
        ("1.3.0rc1", "minor", "1.3.0"),
        ("2.0.0rc1", "major", "2.0.0"),
        ("1.2.4.dev3", "pre", "1.2.4rc1"),
        ("1.2", "patch", "1.2.1"),
        ("1.2.3", "2.0.0", "2.0.0"),
        ("1.2.3", "v1.2.4", "1.2.4"),
    ],
)
def test_next_version(current: str, choice: str, expected: str) -> None:
    assert next_version(Version(current), choice) == Version(expected)


@pytest.mark.parametrize("choice", ["1.2.3", "1.0"])
def test_a_version_that_is_not_greater_is_refused(choice: str) -> None:
    with pytest.raises(BumpError):
        next_version(Version("1.2.3"), choice)


def test_a_bump_that_is_no_part_nor_version_is_the_users_input() -> None:
    with pytest.raises(UnknownBump) as unknown:
        next_version(Version("1.2.3"), "banana")
    assert exit_code_for(unknown.value) == 2


def project(tmp_path: Path, files: dict[str, str | bytes]) -> RepoContext:
    write_files(tmp_path, files)
    return RepoContext.load(tmp_path, today=TODAY)


def apply(ctx: RepoContext, choice: str) -> None:
    execution = execute(plan_bump(ctx, choice).plan())
    assert execution.ok, execution.error


def test_bump_keeps_comments_and_layout_and_moves_the_changelog(tmp_path: Path) -> None:
    ctx = project(
        tmp_path,
        {
            "pyproject.toml": PYPROJECT,
            "CHANGELOG.md": CHANGELOG,
            "src/demo_pkg/__init__.py": '"""Demo."""\n\n__version__ = "0.1.1"\n',
        },
    )
    apply(ctx, "minor")
    assert (tmp_path / "pyproject.toml").read_text() == PYPROJECT.replace(
        '"0.1.1"   # keep', '"0.2.0"   # keep'
    )
    assert '__version__ = "0.2.0"' in (tmp_path / "src/demo_pkg/__init__.py").read_text()
    changelog = (tmp_path / "CHANGELOG.md").read_text()
    assert changelog.startswith(
        "# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2026-04-01\n\n### Added\n\n- A new thing."
    )
    assert "[Unreleased]: https://github.com/o/r/compare/v0.2.0...HEAD\n" in changelog
    assert "[0.2.0]: https://github.com/o/r/compare/v0.1.1...v0.2.0\n" in changelog
    # The result passes the version and changelog checks for the new version.
    from release_assistant.core.engine import run_check, spec_for

    after = RepoContext.load(tmp_path, today=TODAY)
    for check in ("version", "changelog"):
        assert not run_check(spec_for(check), after).blocks_release, check


def test_the_diff_is_shown_and_nothing_is_written_by_the_plan(tmp_path: Path) -> None:
    ctx = project(tmp_path, {"pyproject.toml": PYPROJECT, "CHANGELOG.md": CHANGELOG})
    bump = plan_bump(ctx, "patch")
    assert bump.new == Version("0.1.2")
    diff = "".join(bump.plan().diffs)
    assert '-version   =   "0.1.1"   # keep this comment' in diff
    assert '+version   =   "0.1.2"   # keep this comment' in diff
    assert "+## [0.1.2] - 2026-04-01" in diff
    assert (tmp_path / "pyproject.toml").read_text() == PYPROJECT
    assert [line[0] for line in bump.plan().lines()[1:]] == [" "]
    assert bump.plan().lines()[1].startswith("  ! write pyproject.toml, CHANGELOG.md")


def test_poetry_and_setup_cfg_versions(tmp_path: Path) -> None:
    poetry = '[tool.poetry]\nname = "p"\nversion = "1.0.0" # poetry\n'
    ctx = project(tmp_path / "poetry", {"pyproject.toml": poetry})
    apply(ctx, "major")
    assert (tmp_path / "poetry/pyproject.toml").read_text() == poetry.replace("1.0.0", "2.0.0")

    setup_cfg = "[metadata]\nname = p\nversion = 1.0.0\n\n[options]\nversion = 9\n"
    ctx = project(tmp_path / "cfg", {"setup.cfg": setup_cfg})
    apply(ctx, "patch")
    assert (tmp_path / "cfg/setup.cfg").read_text() == setup_cfg.replace("1.0.0", "1.0.1")


def test_a_dynamic_version_from_a_file_is_bumped_in_that_file(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "demo"\ndynamic = ["version"]\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        '[tool.hatch.version]\npath = "demo/__about__.py"\n'
    )
    ctx = project(
        tmp_path, {"pyproject.toml": pyproject, "demo/__about__.py": '__version__ = "3.1.0"\n'}
    )
    apply(ctx, "pre")
    assert (tmp_path / "demo/__about__.py").read_text() == '__version__ = "3.1.1rc1"\n'


def test_a_vcs_version_bumps_only_the_changelog(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "demo"\ndynamic = ["version"]\n'
        '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\n'
        'build-backend = "hatchling.build"\n[tool.hatch.version]\nsource = "vcs"\n'
    )
    ctx = project(tmp_path, {"pyproject.toml": pyproject, "CHANGELOG.md": CHANGELOG})
    bump = plan_bump(ctx, "patch")
    assert [edit.relpath for edit in bump.edits] == ["CHANGELOG.md"]
    assert any("the tag sets the version" in note for note in bump.notes)
    assert bump.new == Version("0.1.2")


def test_configured_version_files_are_bumped(tmp_path: Path) -> None:
    pyproject = PYPROJECT + '\n[tool.release-assistant]\nversion_files = ["VERSION.txt"]\n'
    ctx = project(tmp_path, {"pyproject.toml": pyproject, "VERSION.txt": 'version = "0.1.1"\n'})
    apply(ctx, "patch")
    assert (tmp_path / "VERSION.txt").read_text() == 'version = "0.1.2"\n'


def test_crlf_files_keep_their_line_endings(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": PYPROJECT.replace("\n", "\r\n").encode()})
    apply(RepoContext.load(tmp_path, today=TODAY), "patch")
    data = (tmp_path / "pyproject.toml").read_bytes()
    assert b'"0.1.2"' in data and data.count(b"\r\n") == PYPROJECT.count("\n")


def test_no_unreleased_section_is_a_note_not_an_invented_section(tmp_path: Path) -> None:
    changelog = CHANGELOG.replace("## [Unreleased]\n\n### Added\n\n- A new thing.\n\n", "")
    ctx = project(tmp_path, {"pyproject.toml": PYPROJECT, "CHANGELOG.md": changelog})
    bump = plan_bump(ctx, "patch")
    assert [edit.relpath for edit in bump.edits] == ["pyproject.toml"]
    assert any("no Unreleased section" in note for note in bump.notes)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_failing_second_write_leaves_every_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = project(tmp_path, {"pyproject.toml": PYPROJECT, "CHANGELOG.md": CHANGELOG})
    before = snapshot(tmp_path)
    real_replace = os.replace
    calls: list[str] = []

    def flaky_replace(src: str, dst: str) -> None:
        calls.append(os.path.basename(dst))
        if dst.endswith("CHANGELOG.md") and src.endswith(".tmp"):  # the second file's move
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky_replace)
    execution = execute(plan_bump(ctx, "patch").plan())
    assert not execution.ok
    assert "CHANGELOG.md: cannot write: No space left on device" in (execution.error or "")
    assert "no file was changed" in (execution.error or "")
    monkeypatch.setattr(os, "replace", real_replace)
    assert calls[-2:] == ["CHANGELOG.md", "pyproject.toml"]  # pyproject.toml was put back
    assert snapshot(tmp_path) == before  # no temp file, backup or journal is left


def test_a_failing_temporary_write_leaves_every_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = project(tmp_path, {"pyproject.toml": PYPROJECT, "CHANGELOG.md": CHANGELOG})
    before = snapshot(tmp_path)
    real_open = os.open

    def refusing_open(path: str, flags: int, mode: int = 0o777) -> int:
        if os.path.basename(path).startswith(".CHANGELOG.md.") and path.endswith(".tmp"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", refusing_open)
    execution = execute(plan_bump(ctx, "patch").plan())
    assert not execution.ok and "CHANGELOG.md" in (execution.error or "")
    assert snapshot(tmp_path) == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write anything")
def test_an_unwritable_target_leaves_every_file_intact(tmp_path: Path) -> None:
    ctx = project(tmp_path, {"pyproject.toml": PYPROJECT, "CHANGELOG.md": CHANGELOG})
    (tmp_path / "CHANGELOG.md").chmod(0o444)
    before = snapshot(tmp_path)
    execution = execute(plan_bump(ctx, "patch").plan())
    assert not execution.ok and "CHANGELOG.md: not writable" in (execution.error or "")
    assert snapshot(tmp_path) == before


def test_written_files_keep_their_mode(tmp_path: Path) -> None:
    ctx = project(tmp_path, {"pyproject.toml": PYPROJECT, "CHANGELOG.md": CHANGELOG})
    (tmp_path / "CHANGELOG.md").chmod(0o640)
    apply(ctx, "patch")
    assert (tmp_path / "CHANGELOG.md").stat().st_mode & 0o777 == 0o640


def test_cli_dry_run_changes_nothing_and_no_terminal_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, {"pyproject.toml": PYPROJECT, "CHANGELOG.md": CHANGELOG})
    before = snapshot(tmp_path)
    assert main(["bump", "minor", "--repo", str(tmp_path), "--dry-run"]) == 0
    out, _ = capsys.readouterr()
    assert "minor → 0.2.0" in out and "! write pyproject.toml, CHANGELOG.md" in out
    assert "dry run: nothing was changed" in out
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["bump", "minor", "--repo", str(tmp_path)]) == 1
    _, err = capsys.readouterr()
    assert "no terminal to confirm on; pass --yes" in err
    assert snapshot(tmp_path) == before
    assert main(["bump", "minor", "--repo", str(tmp_path), "--yes"]) == 0
    assert '"0.2.0"' in (tmp_path / "pyproject.toml").read_text()


def test_cli_usage_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(tmp_path, {"pyproject.toml": PYPROJECT})
    assert main(["bump", "banana", "--repo", str(tmp_path)]) == 2
    assert main(["bump", "0.1.0", "--repo", str(tmp_path)]) == 1
    _, err = capsys.readouterr()
    assert err.splitlines() == [
        "release-assistant: error: 'banana' is neither major, minor, patch, pre, post, dev "
        "nor a PEP 440 version like 1.2.3",
        "release-assistant: refused: 0.1.0 is not greater than the current version 0.1.1",
    ]
