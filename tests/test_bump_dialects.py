"""``bump`` writes what the checks read: the release in the changelog's own dialect.

For each dialect the checker reads, a real repository with notes under the pending section
is bumped, the result committed, and ``check --tag <new tag> --only changelog,version``
must pass. Also: a version whose tag exists (or that the index has) is refused with the
next free one, and a towncrier project is released by the real ``towncrier build``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.version import Version

from release_assistant.cli import main
from release_assistant.core.changelog.parser import parse_changelog
from release_assistant.core.changelog.writer import (
    ReleasedText,
    WriteProblem,
    date_style,
    format_day,
    release_unreleased,
)
from release_assistant.core.context import RepoContext
from release_assistant.core.release.bump import BumpError, plan_bump
from release_assistant.core.release.plan import execute
from tests.conftest import RepoFactory, git, minimal_pyproject, write_files

TODAY = dt.date(2026, 11, 24)

KEEP_A_CHANGELOG = """\
# Changelog

All notable changes to this project are documented here; the format is based on
Keep a Changelog.

## [Unreleased]

### Fixed

- A crash on empty input.

## [1.2.3] - 2026-02-01

### Added

- Streaming responses.

[Unreleased]: https://example.invalid/o/r/compare/v1.2.3...HEAD
[1.2.3]: https://example.invalid/o/r/compare/v1.2.2...v1.2.3
"""

MD_VERSION_UNRELEASED_LINE = """\
# Changes

## Version 1.3.0

Unreleased

- A crash on empty input is gone.

## Version 1.2.3

Released 2026-02-01

- Streaming responses.
"""

RST_VERSION_UNRELEASED_LINE = """\
Version 1.3.0
-------------

Unreleased

-   A crash on empty input is gone.


Version 1.2.3
-------------

Released 2026-02-01

-   Streaming responses.
"""

RST_PENDING_HEADING = """\
Changelog
=========

1.3.0 (unreleased)
------------------

- A crash on empty input is gone.

1.2.3 (2026-02-01)
------------------

- Streaming responses.
"""

RST_UNRELEASED_TITLE = """\
Changelog
=========

Unreleased
----------

Bug fixes
~~~~~~~~~

- A crash on empty input is gone.

1.2.3 (2026-02-01)
------------------

- Streaming responses.
"""

RST_OVERLINED = """\
#################
 Release history
#################

************
 Unreleased
************

- A crash on empty input is gone.

********************
 1.2.3 (2026-02-01)
********************

- Streaming responses.
"""

RST_IN_DEVELOPMENT = """\
Release 1.3.0 (in development)
==============================

Bugs fixed
----------

* A crash on empty input is gone.

Release 1.2.3 (released Feb 01, 2026)
=====================================

Features added
--------------

* Streaming responses.
"""

MD_PENDING_HEADING = """\
# Changelog

## 1.3.0 (unreleased)

- A crash on empty input is gone.

## 1.2.3 (1st February, 2026)

- Streaming responses.
"""

MD_DATED_HEADINGS = """\
# Changelog

## Unreleased

- A crash on empty input is gone.

## 1.2.3 (2026-02-01)

- Streaming responses.
"""

MD_SETEXT = """\
Release History
===============

dev
---

- A crash on empty input is gone.


1.2.3 (2026-02-01)
------------------

- Streaming responses.
"""

MD_LATEST_CHANGES = """\
# Release Notes

## Latest Changes

* A crash on empty input is gone.

## 1.2.3

*2026-02-01*

* Streaming responses.
"""

MD_CONVENTIONAL = """\
# Changelog

## Unreleased

* a crash on empty input is gone

## [1.2.3](https://example.invalid/o/r/compare/v1.2.2...v1.2.3) (2026-02-01)

### Features

* streaming responses
"""

MD_RELEASE_WORD = """\
## Unreleased

### Bug Fixes

- A crash on empty input is gone.

## Release v1.2.3 (2026-02-01)

### Features & Improvements

- Streaming responses.
"""

MD_LEVEL_THREE = """\
# Changelog

## 1.x

### Unreleased

- A crash on empty input is gone.

### 1.2.3 (2026-02-01)

- Streaming responses.

## 0.x

### 0.9.0 (2025-01-01)

- Preview.
"""

MD_LEVEL_ONE = """\
# Unreleased

## Fixed

- A crash on empty input is gone.

# 1.2.3 (2026-02-01)

## Added

- Streaming responses.
"""

MD_NODE_STYLE = """\
Unreleased
==========

  * A crash on empty input is gone.

1.2.3 / 2026-02-01
==================

  * Streaming responses.
"""

# (file name, text, version in pyproject, bump, released version, texts found after).
DIALECTS = [
    pytest.param(
        "CHANGELOG.md",
        KEEP_A_CHANGELOG,
        "1.2.3",
        "patch",
        "1.2.4",
        [
            "## [Unreleased]\n\n## [1.2.4] - 2026-11-24\n\n### Fixed\n",
            "[Unreleased]: https://example.invalid/o/r/compare/v1.2.4...HEAD\n"
            "[1.2.4]: https://example.invalid/o/r/compare/v1.2.3...v1.2.4\n",
        ],
        id="keep-a-changelog",
    ),
    pytest.param(
        "CHANGES.md",
        MD_VERSION_UNRELEASED_LINE,
        "1.3.0.dev0",
        "patch",
        "1.3.0",
        ["## Version 1.3.0\n\nReleased 2026-11-24\n\n- A crash"],
        id="md-version-unreleased-line",
    ),
    pytest.param(
        "CHANGES.md",
        MD_VERSION_UNRELEASED_LINE,
        "1.2.3",
        "1.2.4",
        "1.2.4",
        ["# Changes\n\n## Version 1.2.4\n\nReleased 2026-11-24\n\n- A crash"],
        id="md-version-renamed",
    ),
    pytest.param(
        "CHANGES.rst",
        RST_VERSION_UNRELEASED_LINE,
        "1.2.3",
        "minor",
        "1.3.0",
        ["Version 1.3.0\n-------------\n\nReleased 2026-11-24\n\n-   A crash"],
        id="rst-version-unreleased-line",
    ),
    pytest.param(
        "CHANGES.rst",
        RST_PENDING_HEADING,
        "1.3.0.dev2",
        "patch",
        "1.3.0",
        ["=\n\n1.3.0 (2026-11-24)\n------------------\n\n- A crash"],
        id="rst-pending-heading",
    ),
    pytest.param(
        "CHANGES.rst",
        RST_PENDING_HEADING,
        "1.2.3",
        "patch",
        "1.2.4",
        ["=\n\n1.2.4 (2026-11-24)\n------------------\n\n- A crash"],
        id="rst-pending-heading-renamed",
    ),
    pytest.param(
        "HISTORY.rst",
        RST_UNRELEASED_TITLE,
        "1.2.3",
        "patch",
        "1.2.4",
        ["Unreleased\n----------\n\n1.2.4 (2026-11-24)\n------------------\n\nBug fixes\n"],
        id="rst-unreleased-title",
    ),
    pytest.param(
        "CHANGELOG.rst",
        RST_OVERLINED,
        "1.2.3",
        "patch",
        "1.2.4",
        [
            "************\n Unreleased\n************\n\n"
            "********************\n 1.2.4 (2026-11-24)\n********************\n\n- A crash"
        ],
        id="rst-overlined",
    ),
    pytest.param(
        "CHANGES.rst",
        RST_IN_DEVELOPMENT,
        "1.2.3",
        "minor",
        "1.3.0",
        [f"Release 1.3.0 (released Nov 24, 2026)\n{'=' * 37}\n\nBugs fixed"],
        id="rst-in-development",
    ),
    pytest.param(
        "CHANGELOG.md",
        MD_PENDING_HEADING,
        "1.2.3",
        "minor",
        "1.3.0",
        ["# Changelog\n\n## 1.3.0 (24th November, 2026)\n\n- A crash"],
        id="md-pending-heading",
    ),
    pytest.param(
        "CHANGELOG.md",
        MD_DATED_HEADINGS,
        "1.2.3",
        "patch",
        "1.2.4",
        ["## Unreleased\n\n## 1.2.4 (2026-11-24)\n\n- A crash"],
        id="md-dated-headings",
    ),
    pytest.param(
        "HISTORY.md",
        MD_SETEXT,
        "1.2.3",
        "patch",
        "1.2.4",
        ["dev\n---\n\n1.2.4 (2026-11-24)\n------------------\n\n- A crash"],
        id="md-setext",
    ),
    pytest.param(
        "docs/release-notes.md",
        MD_LATEST_CHANGES,
        "1.2.3",
        "patch",
        "1.2.4",
        ["## Latest Changes\n\n## 1.2.4\n\n*2026-11-24*\n\n* A crash"],
        id="md-latest-changes",
    ),
    pytest.param(
        "CHANGELOG.md",
        MD_RELEASE_WORD,
        "1.2.3",
        "patch",
        "1.2.4",
        ["## Unreleased\n\n## Release v1.2.4 (2026-11-24)\n\n### Bug Fixes"],
        id="md-release-word",
    ),
    pytest.param(
        "CHANGELOG.md",
        MD_LEVEL_THREE,
        "1.2.3",
        "patch",
        "1.2.4",
        ["### Unreleased\n\n### 1.2.4 (2026-11-24)\n\n- A crash"],
        id="md-level-three",
    ),
    pytest.param(
        "CHANGELOG.md",
        MD_LEVEL_ONE,
        "1.2.3",
        "minor",
        "1.3.0",
        ["# Unreleased\n\n# 1.3.0 (2026-11-24)\n\n## Fixed"],
        id="md-level-one",
    ),
    pytest.param(
        "History.md",
        MD_NODE_STYLE,
        "1.2.3",
        "patch",
        "1.2.4",
        ["Unreleased\n==========\n\n1.2.4 / 2026-11-24\n==================\n\n  * A crash"],
        id="md-node-style",
    ),
    pytest.param(
        "CHANGELOG.md",
        MD_CONVENTIONAL,
        "1.2.3",
        "patch",
        "1.2.4",
        [
            "## Unreleased\n\n"
            "## [1.2.4](https://example.invalid/o/r/compare/v1.2.3...v1.2.4) (2026-11-24)\n\n"
            "* a crash"
        ],
        id="md-conventional",
    ),
]


def check_json(capsys: pytest.CaptureFixture[str], root: Path, tag: str) -> dict[str, object]:
    """``check --tag TAG --only changelog,version --format json`` on ``root``, parsed."""
    capsys.readouterr()
    code = main(
        [
            "check",
            "--repo",
            str(root),
            "--tag",
            tag,
            "--only",
            "changelog,version",
            "--format",
            "json",
        ]
    )
    report: dict[str, object] = json.loads(capsys.readouterr().out)
    assert code == (0 if report["ok"] else 1)
    return report


def problems(report: dict[str, object]) -> list[str]:
    """``check:code message`` of every warning or error in a JSON report."""
    checks = report["checks"]
    assert isinstance(checks, list)
    return [
        f"{check['id']}:{finding['code']} {finding['message']}"
        for check in checks
        for finding in check["findings"]
        if finding["severity"] != "info"
    ]


@pytest.mark.parametrize(("name", "text", "version", "choice", "released", "expected"), DIALECTS)
def test_bump_then_check_passes_in_every_dialect(
    make_repo: RepoFactory,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    version: str,
    choice: str,
    released: str,
    expected: list[str],
) -> None:
    root = make_repo({"pyproject.toml": minimal_pyproject("demo", version), name: text})
    # Before: the pending notes are no release of the new version yet.
    assert not check_json(capsys, root, f"v{released}")["ok"]
    bump = plan_bump(RepoContext.load(root, today=TODAY), choice)
    assert bump.new == Version(released)
    execution = execute(bump.plan())
    assert execution.ok, execution.error
    git(root, "commit", "-q", "-am", f"Release {released}")
    written = (root / name).read_text(encoding="utf-8")
    for part in expected:
        assert part in written, written
    # Only the release's heading (and date line, links) was added or changed.
    assert len(written.split("\n")) - len(text.split("\n")) <= 5
    report = check_json(capsys, root, f"v{released}")
    assert report["ok"], problems(report)
    assert problems(report) == []
    # Between releases the changelog still reads as sound.
    assert main(["check", "--repo", str(root), "--only", "changelog", "--format", "json"]) == 0


def test_keep_a_changelog_through_the_cli(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        {"pyproject.toml": minimal_pyproject("demo", "1.2.3"), "CHANGELOG.md": KEEP_A_CHANGELOG}
    )
    assert main(["bump", "patch", "--yes", "--repo", str(root)]) == 0
    today = dt.date.today().isoformat()
    written = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [Unreleased]\n\n## [1.2.4] - {today}\n\n### Fixed" in written
    git(root, "commit", "-q", "-am", "Release 1.2.4")
    report = check_json(capsys, root, "v1.2.4")
    assert report["ok"] and problems(report) == []


TAKEN = """\
# Changes

## Version 8.5.0

Unreleased

- The notes of the next release.

## Version 8.4.0

Released 2026-02-01

- An older release.
"""


def test_a_tagged_version_is_refused_with_the_next_free_one(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        {"pyproject.toml": minimal_pyproject("demo", "8.5.0.dev0"), "CHANGES.md": TAKEN}
    )
    git(root, "tag", "-a", "v8.5.0", "-m", "demo 8.5.0")
    before = {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}
    capsys.readouterr()
    assert main(["bump", "patch", "--yes", "--repo", str(root)]) == 1
    _, err = capsys.readouterr()
    assert err.strip() == (
        "release-assistant: refused: 8.5.0 is already tagged (v8.5.0); the next free "
        "version is 8.5.1: release-assistant bump 8.5.1"
    )
    assert {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()} == before
    # The offered version is taken as offered: the pending 8.5.0 notes become 8.5.1.
    assert main(["bump", "8.5.1", "--yes", "--repo", str(root)]) == 0
    assert '"8.5.1"' in (root / "pyproject.toml").read_text(encoding="utf-8")
    written = (root / "CHANGES.md").read_text(encoding="utf-8")
    assert f"## Version 8.5.1\n\nReleased {dt.date.today().isoformat()}\n" in written
    git(root, "commit", "-q", "-am", "Release 8.5.1")
    report = check_json(capsys, root, "v8.5.1")
    assert report["ok"] and problems(report) == []


def test_the_index_and_remote_tracking_tags_also_take_versions(make_repo: RepoFactory) -> None:
    root = make_repo(
        {"pyproject.toml": minimal_pyproject("demo", "8.5.0.dev0"), "CHANGES.md": TAKEN}
    )
    git(root, "tag", "v8.5.0")
    ctx = RepoContext.load(root, today=TODAY)

    def index(version: Version) -> str | None:
        return f"the index already has {version}" if version == Version("8.5.1") else None

    with pytest.raises(BumpError) as refused:
        plan_bump(ctx, "patch", taken=index)
    assert str(refused.value) == (
        "8.5.0 is already tagged (v8.5.0); the next free version is 8.5.2: "
        "release-assistant bump 8.5.2"
    )
    with pytest.raises(BumpError) as refused:
        plan_bump(ctx, "8.5.1", taken=index)
    assert str(refused.value) == (
        "8.5.1 is taken: the index already has 8.5.1; the next free version is 8.5.2: "
        "release-assistant bump 8.5.2"
    )
    # A tag fetched into a remote-tracking namespace counts too.
    git(root, "update-ref", "refs/remotes/origin/tags/v8.6.0", "HEAD")
    with pytest.raises(BumpError) as refused:
        plan_bump(ctx, "8.6.0")
    assert str(refused.value).startswith("8.6.0 is already tagged (v8.6.0); the next free ")
    with pytest.raises(BumpError) as refused:
        plan_bump(ctx, "minor")  # 8.5.0 (a dev release finalized), then 8.6.0: both taken
    assert str(refused.value) == (
        "8.5.0 is already tagged (v8.5.0); the next free version is 8.7.0: "
        "release-assistant bump 8.7.0"
    )
    # A free version plans as before; the callers without `taken` still work.
    assert plan_bump(ctx, "8.5.2").new == Version("8.5.2")
    assert plan_bump(ctx, "major", taken=index).new == Version("9.0.0")


TOWNCRIER_PYPROJECT = (
    minimal_pyproject("demo", "1.2.3")
    + """
[tool.towncrier]
directory = "changes"
filename = "CHANGES.md"
"""
)
TOWNCRIER_CHANGES = """\
# Changes

<!-- towncrier release notes start -->

## 1.2.3 (2026-02-01)

- Streaming responses.
"""


def towncrier_dir() -> str:
    """The directory of the ``towncrier`` installed with the dev extra (beside python)."""
    found = shutil.which("towncrier", path=os.path.dirname(sys.executable))
    found = found or shutil.which("towncrier")
    assert found is not None, "towncrier is a dev dependency: pip install -e '.[dev]'"
    return os.path.dirname(found)


def test_towncrier_builds_the_notes(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(
        {
            "pyproject.toml": TOWNCRIER_PYPROJECT,
            "CHANGES.md": TOWNCRIER_CHANGES,
            "changes/12.bugfix.md": "A crash on empty input is gone.\n",
        }
    )
    monkeypatch.setenv("PATH", f"{towncrier_dir()}{os.pathsep}{os.environ.get('PATH', '')}")
    bump = plan_bump(RepoContext.load(root), "patch")
    assert bump.plan().lines()[1:] == [
        "  ! towncrier build --version 1.2.4 --yes",
        "  ! write pyproject.toml (all or nothing)",
    ]
    assert [edit.relpath for edit in bump.edits] == ["pyproject.toml"]
    execution = execute(bump.plan())
    assert execution.ok, execution.error
    assert not (root / "changes/12.bugfix.md").exists()
    written = (root / "CHANGES.md").read_text(encoding="utf-8")
    assert "1.2.4" in written and "A crash on empty input is gone." in written
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Release 1.2.4")
    report = check_json(capsys, root, "v1.2.4")
    assert report["ok"], problems(report)


def test_without_towncrier_the_step_names_the_command_and_blocks(
    make_repo: RepoFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(
        {
            "pyproject.toml": TOWNCRIER_PYPROJECT,
            "CHANGES.md": TOWNCRIER_CHANGES,
            "changes/12.bugfix.md": "A crash on empty input is gone.\n",
        }
    )
    git_dir = os.path.dirname(shutil.which("git") or "/usr/bin/git")
    if shutil.which("towncrier", path=git_dir) is not None:
        pytest.skip(f"towncrier is installed beside git in {git_dir}")
    monkeypatch.setenv("PATH", git_dir)
    bump = plan_bump(RepoContext.load(root), "patch")
    plan = bump.plan()
    assert plan.actions[0].description == "towncrier build --version 1.2.4 --yes"
    assert any("towncrier is not on PATH" in note for note in plan.notes)
    before = {
        p.name: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    execution = execute(plan)
    assert not execution.ok
    assert "towncrier is not on PATH" in (execution.error or "")
    assert execution.recovery == ("towncrier build --version 1.2.4 --yes",)
    after = {
        p.name: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    assert after == before


# The writer alone: text in, text out.


def test_the_date_is_spelt_as_the_file_spells_it() -> None:
    day = dt.date(2026, 3, 2)
    samples = {
        "2026-02-01": "2026-03-02",
        "Feb 01, 2026": "Mar 02, 2026",
        "Feb 21, 2026": "Mar 2, 2026",
        "1st February, 2026": "2nd March, 2026",
        "21 February 2026": "2 March 2026",
        "01.02.2026": "02.03.2026",
        "Sunday, February 1, 2026": "Monday, March 2, 2026",
        "the winter release": "2026-03-02",
    }
    for written, expected in samples.items():
        kind_day = dt.date(2026, 2, 21 if "21" in written else 1)
        assert format_day(date_style([(written, kind_day)]), day) == expected, written
    # Ambiguous padding (a day above 9) is settled by the other sections.
    style = date_style(
        [("Feb 21, 2026", dt.date(2026, 2, 21)), ("Jan 05, 2026", dt.date(2026, 1, 5))]
    )
    assert format_day(style, day) == "Mar 02, 2026"


def test_nothing_pending_is_a_problem_and_an_existing_section_is_left() -> None:
    released = "## 1.2.3 (2026-02-01)\n\n- A fix.\n"
    result = release_unreleased(released, parse_changelog(released), Version("1.2.4"), TODAY)
    assert isinstance(result, WriteProblem)
    assert "no Unreleased section" in result.message
    result = release_unreleased(released, parse_changelog(released), Version("1.2.3"), TODAY)
    assert result == ReleasedText(released, ("a section for 1.2.3 exists already: left as it is",))


def test_a_pre_release_leaves_the_pending_section_of_its_final_release() -> None:
    text = MD_PENDING_HEADING
    result = release_unreleased(text, parse_changelog(text), Version("1.3.0rc1"), TODAY)
    assert isinstance(result, ReleasedText) and result.text == text
    assert "pre-release of 1.3.0" in result.notes[0]


def test_a_version_the_tool_cannot_read_is_a_refusal_not_a_crash(make_repo: RepoFactory) -> None:
    pyproject = (
        '[build-system]\nrequires = ["meson-python"]\nbuild-backend = "mesonpy"\n\n'
        '[project]\nname = "demo"\ndynamic = ["version"]\n'
    )
    root = make_repo({"pyproject.toml": pyproject, "CHANGELOG.md": KEEP_A_CHANGELOG})
    with pytest.raises(
        BumpError, match=r"^cannot bump: the build backend mesonpy computes the version"
    ):
        plan_bump(RepoContext.load(root, today=TODAY), "patch")


@pytest.mark.parametrize(
    ("text", "new", "expected"),
    [
        # Another release's remark after its date is not copied.
        (
            "## Version 1.3.0\n\nUnreleased\n\n- a\n\n"
            "## Version 1.2.0\n\nReleased 2022-09-20, yanked on 2022-09-21\n\n- b\n",
            "1.3.0",
            "## Version 1.3.0\n\nReleased 2026-11-24\n\n- a\n",
        ),
        # Words where a date would be are that release's: the new heading has none.
        (
            "## Unreleased\n\n- a\n\n## 1.2.0 (the winter release)\n\n- b\n",
            "1.3.0",
            "## Unreleased\n\n## 1.3.0\n\n- a\n",
        ),
        # cargo-release's `[Unreleased] - ReleaseDate` keeps its place; links move on.
        (
            "## [Unreleased] - ReleaseDate\n\n- a\n\n## [1.2.0] - 2026-01-01\n\n- b\n\n"
            "[Unreleased]: https://example.invalid/compare/v1.2.0...HEAD\n"
            "[1.2.0]: https://example.invalid/compare/v1.1.0...v1.2.0\n",
            "1.3.0",
            "## [Unreleased] - ReleaseDate\n\n## [1.3.0] - 2026-11-24\n\n- a\n\n"
            "## [1.2.0] - 2026-01-01\n\n- b\n\n"
            "[Unreleased]: https://example.invalid/compare/v1.3.0...HEAD\n"
            "[1.3.0]: https://example.invalid/compare/v1.2.0...v1.3.0\n",
        ),
        # A pending Keep a Changelog section renamed: its link follows, ended at the tag.
        (
            "## [1.3.0] - Unreleased\n\n- a\n\n## [1.2.0] - 2026-01-01\n\n- b\n\n"
            "[1.3.0]: https://example.invalid/compare/v1.2.0...HEAD\n"
            "[1.2.0]: https://example.invalid/compare/v1.1.0...v1.2.0\n",
            "1.3.1",
            "## [1.3.1] - 2026-11-24\n\n- a\n\n## [1.2.0] - 2026-01-01\n\n- b\n\n"
            "[1.3.1]: https://example.invalid/compare/v1.2.0...v1.3.1\n",
        ),
        # No release yet: Keep a Changelog's heading at the Unreleased heading's level.
        (
            "# Changelog\n\n## [Unreleased]\n\n- first\n",
            "0.1.0",
            "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-11-24\n\n- first\n",
        ),
        # No release yet in reStructuredText: underlined as the Unreleased title is.
        (
            "Changelog\n=========\n\nUnreleased\n----------\n\n- first\n",
            "0.1.0",
            "Unreleased\n----------\n\n0.1.0 (2026-11-24)\n------------------\n\n- first\n",
        ),
        # A `v` before the version is kept.
        (
            "## Unreleased\n\n- a\n\n## v2.10.0 (2024-11-20)\n\n- b\n",
            "2.10.1",
            "## Unreleased\n\n## v2.10.1 (2026-11-24)\n\n- a\n",
        ),
    ],
)
def test_the_writer_imitates_the_file(text: str, new: str, expected: str) -> None:
    syntax = "rst" if "\n=========\n" in text else "markdown"
    written = release_unreleased(
        text, parse_changelog(text, syntax), Version(new), TODAY, new_tag=f"v{new}"
    )
    assert isinstance(written, ReleasedText)
    assert expected in written.text, written.text


def test_a_changelog_that_links_another_file_is_written_through_the_link(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        {
            "pyproject.toml": minimal_pyproject("demo", "1.2.3"),
            "docs/release-notes.md": MD_DATED_HEADINGS,
        }
    )
    (root / "CHANGELOG.md").symlink_to("docs/release-notes.md")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "link")
    bump = plan_bump(RepoContext.load(root, today=TODAY), "patch")
    assert [edit.relpath for edit in bump.edits] == ["pyproject.toml", "docs/release-notes.md"]
    assert execute(bump.plan()).ok
    assert (root / "CHANGELOG.md").is_symlink()
    assert "## 1.2.4 (2026-11-24)" in (root / "CHANGELOG.md").read_text(encoding="utf-8")
    git(root, "commit", "-q", "-am", "Release 1.2.4")
    assert check_json(capsys, root, "v1.2.4")["ok"]


def test_the_bump_menu_still_opens_when_the_next_patch_is_tagged(make_repo: RepoFactory) -> None:
    from release_assistant.core.release.bump import bump_menu

    root = make_repo(
        {"pyproject.toml": minimal_pyproject("demo", "8.5.0.dev0"), "CHANGES.md": TAKEN}
    )
    git(root, "tag", "v8.5.0")
    current, options = bump_menu(RepoContext.load(root, today=TODAY))
    assert current == Version("8.5.0.dev0")
    assert ("patch", Version("8.5.0")) in options


def test_a_failed_write_after_towncrier_says_what_towncrier_changed(
    make_repo: RepoFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(
        {
            "pyproject.toml": TOWNCRIER_PYPROJECT,
            "CHANGES.md": TOWNCRIER_CHANGES,
            "changes/12.bugfix.md": "A crash on empty input is gone.\n",
        }
    )
    monkeypatch.setenv("PATH", f"{towncrier_dir()}{os.pathsep}{os.environ.get('PATH', '')}")
    plan = plan_bump(RepoContext.load(root), "patch").plan()

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    execution = execute(plan)
    assert not execution.ok
    assert execution.error is not None
    assert "cannot write: No space left on device" in execution.error
    assert "no version file was changed" in execution.error
    assert "`towncrier build --version 1.2.4 --yes` had run: `git status`" in execution.error
    assert '"1.2.3"' in (root / "pyproject.toml").read_text(encoding="utf-8")


def test_a_version_from_tags_counts_no_pending_section_as_released(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = (
        '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\n'
        'build-backend = "hatchling.build"\n\n'
        '[project]\nname = "demo"\ndynamic = ["version"]\n\n'
        '[tool.hatch.version]\nsource = "vcs"\n'
    )
    root = make_repo({"pyproject.toml": pyproject, "CHANGELOG.md": MD_PENDING_HEADING})
    git(root, "tag", "v1.2.3", "HEAD")
    bump = plan_bump(RepoContext.load(root, today=TODAY), "minor")
    assert (bump.current, bump.new) == (Version("1.2.3"), Version("1.3.0"))
    assert [edit.relpath for edit in bump.edits] == ["CHANGELOG.md"]
    assert execute(bump.plan()).ok
    git(root, "commit", "-q", "-am", "Release 1.3.0")
    report = check_json(capsys, root, "v1.3.0")
    assert report["ok"] and problems(report) == []


def test_ship_commits_what_towncrier_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.git_support import make_origin_repo

    monkeypatch.setenv("PATH", f"{towncrier_dir()}{os.pathsep}{os.environ.get('PATH', '')}")
    pyproject = TOWNCRIER_PYPROJECT.replace('name = "demo"', 'name = "seed-package"')
    work, bare = make_origin_repo(
        tmp_path,
        {
            "pyproject.toml": pyproject,
            "CHANGES.md": TOWNCRIER_CHANGES,
            "changes/12.bugfix.md": "A crash on empty input is gone.\n",
            "changes/.gitignore": "!.gitignore\n",
            ".gitignore": "dist/\n",
            "seed_package/__init__.py": '"""Seed."""\n',
        },
        workflow=True,
    )
    git(work, "tag", "-a", "v1.2.3", "-m", "seed-package 1.2.3")
    git(work, "push", "-q", "origin", "refs/tags/v1.2.3")
    start = git(work, "rev-parse", "HEAD").strip()

    code = main(["ship", "patch", "--yes", "--no-build-isolation", "--repo", str(work)])

    assert code == 0, capsys.readouterr().err
    changed = git(bare, "diff", "--name-status", start, "main").split("\n")
    assert sorted(line for line in changed if line) == [
        "D\tchanges/12.bugfix.md",
        "M\tCHANGES.md",
        "M\tpyproject.toml",
    ]
    notes = git(bare, "show", "main:CHANGES.md")
    assert "1.2.4" in notes and "A crash on empty input is gone." in notes
    assert git(work, "status", "--porcelain", "--untracked-files=no") == ""


@pytest.mark.parametrize(("name", "text", "version", "choice", "released", "expected"), DIALECTS)
def test_ship_releases_the_notes_in_every_dialect(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    version: str,
    choice: str,
    released: str,
    expected: list[str],
) -> None:
    from tests.git_support import make_origin_repo, other_clone
    from tests.test_ship import uv_env

    files: dict[str, str | bytes] = {
        "pyproject.toml": minimal_pyproject("seed-package", version),
        name: text,
        ".gitignore": "dist/\n",
        "seed_package/__init__.py": '"""Seed."""\n',
    }
    # Each dialect ships with a uv.lock that records the version: the release relocks it.
    env = uv_env(tmp_path)
    seed = tmp_path / "seed"
    write_files(seed, {"pyproject.toml": files["pyproject.toml"]})
    subprocess.run(["uv", "lock", "--offline"], cwd=seed, env=env, check=True)
    files["uv.lock"] = (seed / "uv.lock").read_text(encoding="utf-8")
    work, bare = make_origin_repo(tmp_path, files, workflow=True)

    code = main(["ship", choice, "--yes", "--no-build-isolation", "--repo", str(work)])

    assert code == 0, capsys.readouterr().err
    assert git(bare, "log", "-1", "--format=%s", "main").strip() == f"Release {released}"
    assert f'name = "seed-package"\nversion = "{released}"' in git(bare, "show", "main:uv.lock")
    locked = subprocess.run(
        ["uv", "lock", "--check", "--offline"],
        cwd=other_clone(tmp_path, bare, "checked"),
        env=env,
        capture_output=True,
        text=True,
    )
    assert locked.returncode == 0, locked.stderr
    tag = f"v{released}"
    assert git(bare, "rev-parse", f"refs/tags/{tag}^{{commit}}") == git(bare, "rev-parse", "main")
    written = git(bare, "show", f"main:{name}")
    today = dt.date.today()
    for part in expected:
        spelt = part.replace("2026-11-24", today.isoformat())
        if "2026-11-24" not in part:
            spelt = part.replace("Nov 24, 2026", format_day("{b} {d:02d}, {Y}", today))
            spelt = spelt.replace("24th November, 2026", format_day("{d}{o} {B}, {Y}", today))
        assert spelt.split("\n")[0] in written, written
    report = check_json(capsys, work, tag)
    assert report["ok"] and problems(report) == [], problems(report)
