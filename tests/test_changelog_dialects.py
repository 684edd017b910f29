"""Changelog styles real projects use, each a small repository of our own words.

Every style is read for what all changelogs share (a section per version, its date, its
notes), so a project releasing with it passes, and a real mismatch (no section for the tag,
an empty one, one still marked unreleased) still fails.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from release_assistant.core.changelog.dates import read_date
from release_assistant.core.changelog.parser import parse_changelog
from release_assistant.core.context import RepoContext
from release_assistant.core.engine import run_checks, select_checks
from release_assistant.core.findings import Severity, Status
from tests.conftest import RepoFactory, minimal_pyproject

TODAY = dt.date(2026, 11, 24)

Verdict = dict[str, tuple[Status, list[str]]]


def verdict(root: Path, tag: str | None = None) -> Verdict:
    """Each check's status and the codes of its problems (notes left out)."""
    ctx = RepoContext.load(root, tag=tag, today=TODAY)
    return {
        result.id: (
            result.status,
            [f.code for f in result.findings if f.severity is not Severity.INFO],
        )
        for result in run_checks(ctx, select_checks(["version", "changelog"]))
    }


def project(make_repo: RepoFactory, version: str, files: dict[str, str]) -> Path:
    return make_repo({"pyproject.toml": minimal_pyproject("demo", version), **files})


PASS: tuple[Status, list[str]] = (Status.PASS, [])

RST_UNDERLINED = """\
..
    This file is written by towncrier; add fragments to changes/ instead.

.. towncrier release notes start

1.3.0 (2026-02-01)
==================

Bug fixes
---------

- A crash on empty input is gone.


----


1.2.0 (2025-12-24)
==================

Features
--------

- Streaming responses.
"""

RST_OVERLINED = """\
#################
 Release history
#################

********************
 1.3.0 (2026-02-01)
********************

Features - 1.3.0
================

- A new option.

********************
 1.2.0 (2025-12-24)
********************

Bug fixes - 1.2.0
=================

- A fix.
"""

RST_PROJECT_WORD = """\
=========
Changelog
=========

demo 1.3.0 (2026-02-01)
=======================

Improvements
------------

- Faster start-up.

demo 1.2.0 (2025-12-24)
=======================

- First public release.
"""

RST_VERSION_WITH_DATE_BELOW = """\
Version 1.4.0
-------------

Unreleased

-   Work continues.


Version 1.3.0
-------------

Released 2026-02-01

-   A fix.


Version 1.2.0
-------------

Released 2025-12-24

-   A feature.
"""

MD_VERSION_WITH_DATE_BELOW = """\
## Version 1.4.0

Unreleased

- Work continues.

## Version 1.3.0

Released 2026-02-01

- A fix.
"""

RST_RELEASE_IN_DEVELOPMENT = """\
Release 1.4.0 (in development)
==============================

Bugs fixed
----------

* A fix waiting for release.

Release 1.3.0 (released Feb 01, 2026)
=====================================

Features added
--------------

* Something new.
"""

MD_SETEXT = """\
Release History
===============

dev
---


1.3.0 (2026-02-01)
------------------

**Bugfixes**
- A fix.


1.2.0 (2025-12-24)
------------------

- A feature.
"""

MD_RELEASE_WORD = """\
## Release v1.3.0 (2026-02-01)

### Bug Fixes

- A fix.

## Release v1.2.0 (2025-12-24)

### Features & Improvements

- A feature.
"""

MD_DATE_LINE_EMPHASIS = """\
# Change log

<!-- towncrier release notes start -->

## v1.3.0

*2026-02-01*

### Bug fixes

- A fix.

## v1.2.0

*24 Dec 2025*

### Features

- A feature.
"""

MD_LATEST_CHANGES = """\
# Release Notes

## Latest Changes

## 1.3.0 (2026-02-01)

### Fixes

* A fix.
"""

MD_PROSE_DATES = """\
# Changelog

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.0.0/).

## 1.3.0 (1st February, 2026)

* A fix.

## 1.2.0 (24th December, 2025)

* A feature.
"""

MD_SERIES_POINTERS = """\
# Changelog

## 1.3.0 (2026-02-01)

- A fix.

## 0.15.x

The notes of the 0.15 series are in docs/history/0.15.md.
"""

MD_LEVEL_THREE = """\
# Changelog

## 1.x

### 1.3.0 (2026-02-01)

- A fix.

### 1.2.0 (2025-12-24)

- A feature.

## 0.x

### 0.9.0 (2025-01-01)

- Preview.
"""

MD_LEVEL_ONE = """\
# 1.3.0 (2026-02-01)

## Fixed

- A fix.

# 1.2.0 (2025-12-24)

## Added

- A feature.
"""

# Maintenance releases of an older series listed by the day they shipped.
MD_BY_DATE = """\
# Change Log

## [1.3.1] - 2026-02-10

- Fix on the new series.

## [1.2.5] - 2026-02-05

- Fix on the old series.

## [1.3.0] - 2026-02-01

- New series.

## [1.2.4] - 2025-12-24

- Earlier fix.
"""


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("CHANGES.rst", RST_UNDERLINED),
        ("CHANGELOG.rst", RST_OVERLINED),
        ("docs/changelog.rst", RST_PROJECT_WORD),
        ("CHANGES.rst", RST_VERSION_WITH_DATE_BELOW),
        ("CHANGES.md", MD_VERSION_WITH_DATE_BELOW),
        ("CHANGES.rst", RST_RELEASE_IN_DEVELOPMENT),
        ("HISTORY.md", MD_SETEXT),
        ("CHANGELOG.md", MD_RELEASE_WORD),
        ("CHANGELOG.md", MD_DATE_LINE_EMPHASIS),
        ("docs/en/docs/release-notes.md", MD_LATEST_CHANGES),
        ("CHANGELOG.md", MD_SERIES_POINTERS),
        ("CHANGELOG.md", MD_LEVEL_THREE),
        ("CHANGELOG.md", MD_LEVEL_ONE),
        ("CHANGELOG.md", MD_BY_DATE),
    ],
)
def test_a_project_releasing_in_its_own_style_passes(
    make_repo: RepoFactory, name: str, text: str
) -> None:
    released = "1.3.1" if text is MD_BY_DATE else "1.3.0"
    root = project(make_repo, released, {name: text})
    assert verdict(root, f"v{released}") == {"version": PASS, "changelog": PASS}
    # Between releases too (no tag), whatever the project version is at.
    assert verdict(root)["changelog"] == PASS


def test_the_sections_of_each_style_are_read() -> None:
    rst = parse_changelog(RST_UNDERLINED, "rst")
    assert [(s.line, s.version_text, s.date) for s in rst.releases] == [
        (6, "1.3.0", "2026-02-01"),
        (18, "1.2.0", "2025-12-24"),
    ]
    overlined = parse_changelog(RST_OVERLINED, "rst")
    assert [(s.line, s.version_text) for s in overlined.releases] == [(6, "1.3.0"), (15, "1.2.0")]
    below = parse_changelog(RST_VERSION_WITH_DATE_BELOW, "rst")
    assert [(s.version_text, s.date, s.date_line) for s in below.releases] == [
        ("1.4.0", "Unreleased", 4),
        ("1.3.0", "2026-02-01", 12),
        ("1.2.0", "2025-12-24", 20),
    ]
    assert below.releases[0].is_pending and not below.releases[0].is_empty
    setext = parse_changelog(MD_SETEXT)
    assert setext.unreleased is not None and setext.unreleased.label == "dev"
    assert [s.version_text for s in setext.releases] == ["1.3.0", "1.2.0"]
    three = parse_changelog(MD_LEVEL_THREE)
    assert [s.version_text for s in three.releases] == ["1.3.0", "1.2.0", "0.9.0"]
    series = parse_changelog(MD_SERIES_POINTERS)
    assert [s.version_text for s in series.releases] == ["1.3.0"]
    assert [s.label for s in series.sections if s.series] == ["0.15.x"]


@pytest.mark.parametrize(
    ("text", "kind", "day"),
    [
        ("2026-02-01", "iso", dt.date(2026, 2, 1)),
        ("Released on 2026-02-01", "iso", dt.date(2026, 2, 1)),
        ("*2026-02-01*", "iso", dt.date(2026, 2, 1)),
        ("2020-12-1", "date", dt.date(2020, 12, 1)),
        ("1st February, 2026", "date", dt.date(2026, 2, 1)),
        ("Feb 01, 2026", "date", dt.date(2026, 2, 1)),
        ("released Dec 31, 2025", "date", dt.date(2025, 12, 31)),
        ("24 Dec 2025", "date", dt.date(2025, 12, 24)),
        ("2022-09-20, yanked on 2022-09-21", "iso", dt.date(2022, 9, 20)),
        ("01/02/2026", "date", None),
        ("2026-02-30", "invalid", None),
        ("Unreleased", "pending", None),
        ("in development", "pending", None),
        ("TBD", "pending", None),
        ("migration guide", "unknown", None),
    ],
)
def test_dates_in_their_usual_spellings(text: str, kind: str, day: dt.date | None) -> None:
    assert read_date(text) == (kind, day)


def test_keep_a_changelog_prose_dates_are_style_only(make_repo: RepoFactory) -> None:
    root = project(make_repo, "1.3.0", {"CHANGELOG.md": MD_PROSE_DATES})
    result = verdict(root, "v1.3.0")
    assert result["changelog"] == (Status.WARN, ["RA418"])  # one finding for both dates


def test_a_maintenance_release_misplaced_within_its_series_still_warns(
    make_repo: RepoFactory,
) -> None:
    text = MD_BY_DATE.replace("## [1.2.5] - 2026-02-05", "## [1.3.5] - 2026-02-05")
    root = project(make_repo, "1.3.1", {"CHANGELOG.md": text})
    assert verdict(root, "v1.3.1")["changelog"] == (Status.WARN, ["RA404"])


@pytest.mark.parametrize(
    ("name", "text", "tag", "codes"),
    [
        # The tag's version has no section: the release ships without notes.
        ("CHANGES.rst", RST_UNDERLINED, "v1.4.0", ["version:RA308"]),
        ("HISTORY.md", MD_SETEXT, "v1.4.0", ["version:RA308"]),
        # The section is still marked as not released.
        ("CHANGES.rst", RST_VERSION_WITH_DATE_BELOW, "v1.4.0", ["changelog:RA421"]),
        ("CHANGES.rst", RST_RELEASE_IN_DEVELOPMENT, "v1.4.0", ["changelog:RA421"]),
        # The release's section holds only sub-headings.
        (
            "CHANGES.rst",
            RST_UNDERLINED.replace("- A crash on empty input is gone.", ""),
            "v1.3.0",
            ["changelog:RA407"],
        ),
        # Two sections for the release.
        (
            "CHANGELOG.md",
            MD_RELEASE_WORD.replace("v1.2.0 (2025", "v1.3.0 (2025"),
            "v1.3.0",
            ["changelog:RA403"],
        ),
    ],
)
def test_a_real_mismatch_still_fails(
    make_repo: RepoFactory, name: str, text: str, tag: str, codes: list[str]
) -> None:
    root = project(make_repo, tag.removeprefix("v"), {name: text})
    result = verdict(root, tag)
    failing = [
        f"{check}:{code}"
        for check, (status, found) in result.items()
        if status is Status.FAIL
        for code in found
    ]
    assert failing == codes


CONVENTIONAL = """\
# Changelog

## [1.3.0](https://example.invalid/compare/v1.2.4...v1.3.0) (2026-02-01)

### Features

* a feature

### [1.2.4](https://example.invalid/compare/v1.2.3...v1.2.4) (2026-01-20)

### Bug Fixes

* a fix

## [1.2.3](https://example.invalid/compare/v1.2.2...v1.2.3) (2026-01-10)

* an older fix
"""


@pytest.mark.parametrize("released", ["1.3.0", "1.2.4", "1.2.3"])
def test_conventional_changelog_patch_releases_a_level_deeper(
    make_repo: RepoFactory, released: str
) -> None:
    root = project(make_repo, released, {"CHANGELOG.md": CONVENTIONAL})
    assert verdict(root, f"v{released}") == {"version": PASS, "changelog": PASS}


def test_node_style_slash_dates(make_repo: RepoFactory) -> None:
    text = "1.3.0 / 2026-02-01\n==================\n\n  * A fix.\n"
    root = project(make_repo, "1.3.0", {"History.md": text})
    assert verdict(root, "v1.3.0") == {"version": PASS, "changelog": PASS}


@pytest.mark.parametrize(
    ("text", "status", "codes"),
    [
        # An undated house style: no date is asked of the release.
        ("## 1.3.0\n\n- A fix.\n\n## 1.2.0\n\n- A feature.\n", Status.PASS, []),
        # Most releases dated: this one's missing date is worth a warning.
        (
            "## 1.3.0\n\n- A fix.\n\n## 1.2.0 (2025-12-24)\n\n- A feature.\n",
            Status.WARN,
            ["RA422"],
        ),
        # Words after the version that are no date are left alone (not Keep a Changelog).
        ("## 1.3.0 (the winter release)\n\n- A fix.\n", Status.PASS, []),
        # Tomorrow is within a day of grace (time zones); the day after is not.
        ("## 1.3.0 (2026-11-25)\n\n- A fix.\n", Status.PASS, []),
        ("## 1.3.0 (2026-11-26)\n\n- A fix.\n", Status.FAIL, ["RA406"]),
        ("## 1.3.0 (2026-02-30)\n\n- A fix.\n", Status.FAIL, ["RA405"]),
    ],
)
def test_the_release_date_as_the_project_writes_it(
    make_repo: RepoFactory, text: str, status: Status, codes: list[str]
) -> None:
    root = project(make_repo, "1.3.0", {"CHANGES.md": text})
    assert verdict(root, "v1.3.0")["changelog"] == (status, codes)


def test_an_included_rst_file_is_the_release_notes(make_repo: RepoFactory) -> None:
    text = "1.3.0 (2026-02-01)\n==================\n\n.. include:: notes/1.3.0.rst\n"
    root = project(make_repo, "1.3.0", {"CHANGES.rst": text})
    assert verdict(root, "v1.3.0")["changelog"] == PASS


FUZZ_PIECES = [
    "1.2.0 (2026-01-01)",
    "Version 1.1.0",
    "Release v1.0.0 (in development)",
    "demo 0.9.0",
    "=================",
    "-----------------",
    "#################",
    "***",
    "~~~",
    "```",
    "----",
    "## 1.3.0",
    "### 1.2.5 (2026-01-02)",
    "# Changelog",
    "Released 2026-01-01",
    "*2026-01-01*",
    "Unreleased",
    "- a note",
    "  indented",
    ".. comment",
    ".. include:: x.rst",
    "| a | b |",
    "",
    "",
]


@pytest.mark.parametrize("syntax", ["markdown", "rst", "auto"])
def test_any_text_parses_into_sections_that_point_into_it(syntax: str) -> None:
    import random

    rng = random.Random(syntax)
    for _ in range(1500):
        lines = [rng.choice(FUZZ_PIECES) for _ in range(rng.randint(0, 16))]
        text = "\n".join(lines) + "\n"
        parsed = parse_changelog(text, syntax)
        previous = 0
        for section in parsed.sections:
            assert previous < section.line <= len(lines), text
            previous = section.line
            assert section.heading and section.heading in lines[section.line - 1], text
            body = section.body_lines
            assert all(section.line < number <= len(lines) + 1 for number, _ in body), text
            assert [line for _, line in body] == [
                lines[number - 1] if number <= len(lines) else "" for number, _ in body
            ], text
            section.is_empty  # noqa: B018 - computes without error
            section.date_reading  # noqa: B018
