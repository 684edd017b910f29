"""Changelogs read the way their tools render them, and absence claimed only over what was
understood.

Each dialect below is a small changelog of our own words written the way a documentation
tool renders it: reStructuredText links, references, roles and emphasis in titles, bold
lines, release directives, ``:release:`` list items, Markdown emphasis and code, one
heading naming several packages' versions. A project releasing in that dialect passes;
the same file missing the release's section still fails, so the reading is no blanket
pass.

Then the law for the absence rules of the ``version`` and ``changelog`` checks: "no
section" (RA308) is an error only over a changelog the tool understood; one it read no
release from, or one naming the version in a form it did not read, gives a warning that
names the file or line (RA316, RA413); notes a configured tool generates count (RA317).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from release_assistant.core.changelog.headings import plain_title
from release_assistant.core.changelog.parser import parse_changelog
from release_assistant.core.context import RepoContext
from release_assistant.core.engine import run_checks, select_checks
from release_assistant.core.findings import Finding, Severity, Status
from tests.conftest import RepoFactory, minimal_pyproject
from tests.support import finding_codes

TODAY = dt.date(2026, 11, 24)


def findings(root: Path, tag: str | None = None) -> dict[str, tuple[Status, list[Finding]]]:
    """Each check's status and its findings other than notes."""
    ctx = RepoContext.load(root, tag=tag, today=TODAY)
    return {
        result.id: (result.status, [f for f in result.findings if f.severity is not Severity.INFO])
        for result in run_checks(ctx, select_checks(["version", "changelog"]))
    }


def codes_by_check(root: Path, tag: str | None = None) -> dict[str, tuple[Status, list[str]]]:
    return {
        check: (status, finding_codes(found))
        for check, (status, found) in findings(root, tag).items()
    }


def project(make_repo: RepoFactory, version: str, files: dict[str, str]) -> Path:
    return make_repo({"pyproject.toml": minimal_pyproject("demo", version), **files})


PASS: tuple[Status, list[str]] = (Status.PASS, [])

# -- each dialect: (file name, text naming 1.3.0 and 1.2.0) ---------------------------------
RST_REFERENCES = """\
`1.3.0`_ (2026-02-01)
=====================

- A crash on empty input is gone.

`1.2.0`_ (2025-12-24)
=====================

- Streaming responses.

.. _1.3.0: https://example.invalid/compare/1.2.0...1.3.0
.. _1.2.0: https://example.invalid/compare/1.1.0...1.2.0
"""

RST_LINKS = """\
Changelog
=========

`Unreleased <https://example.invalid/compare/1.3.0...HEAD>`__
-------------------------------------------------------------

`v1.3.0 <https://example.invalid/compare/1.2.0...1.3.0>`__
----------------------------------------------------------

Fixed
~~~~~

- A crash on empty input is gone.

`v1.2.0 <https://example.invalid/compare/1.1.0...1.2.0>`__
----------------------------------------------------------

Added
~~~~~

- Streaming responses.
"""

RST_SIMPLE_REFERENCES = """\
v1.3.0_ - 2026-02-01
--------------------

- A crash on empty input is gone.

v1.2.0_ - 2025-12-24
--------------------

- Streaming responses.
"""

RST_BOLD_LINES = """\
Release Notes
=============

**1.3.0 (2026-02-01)**

- A crash on empty input is gone.

**1.2.0 (2025-12-24)**

- Streaming responses.
"""

RST_DIRECTIVE_ARGUMENT = """\
:orphan:

Changelog
=========

.. changelog:: 1.3.0
    :date: 2026-02-01

    .. change:: A crash on empty input is gone
        :type: bugfix

        It raised on an empty body.

.. changelog:: 1.2.0
    :date: 2025-12-24

    .. change:: Streaming responses
        :type: feature

        Responses stream.
"""

RST_DIRECTIVE_OPTIONS = """\
==========
Changelog
==========

.. changelog::
    :version: 1.3.0
    :released: February 1, 2026

    .. change::
        :tags: bug

        A crash on empty input is gone.

.. changelog::
    :version: 1.2.0
    :released: December 24, 2025

    .. change::
        :tags: feature

        Streaming responses.
"""

RST_RELEASE_ROLES = """\
=========
Changelog
=========

- :release:`1.3.0 <2026-02-01>`
- :bug:`12` A crash on empty input is gone.
- :release:`1.2.0 <2025-12-24>`
- :feature:`11` Streaming responses.
"""

RST_ROLE_TITLES = """\
:version:`1.3.0` (2026-02-01)
=============================

- A crash on empty input is gone.

:version:`1.2.0` (2025-12-24)
=============================

- Streaming responses.
"""

RST_SUBSTITUTIONS = """\
|demo| 1.3.0 (2026-02-01)
=========================

- A crash on empty input is gone.

|demo| 1.2.0 (2025-12-24)
=========================

- Streaming responses.

.. |demo| replace:: Demo
"""

# A project that changed its adornment: newer releases over `*`, older over `+`.
RST_TWO_STYLES = """\
Changelog
---------

1.3.0 (2026-02-01)
******************

Bug fixes:

- A crash on empty input is gone.

1.2.0 (2025-12-24)
++++++++++++++++++

Features:

- Streaming responses.

1.1.0 (2025-11-01)
++++++++++++++++++

- A first feature.
"""

# towncrier's rst output with its own template: overlined titles, categories naming the
# version, the draft directive sphinxcontrib-towncrier renders.
TOWNCRIER_RST = """\
###########
 Changelog
###########

.. towncrier-draft-entries:: Unreleased

.. towncrier release notes start

********************
 1.3.0 (2026-02-01)
********************

Bug fixes - 1.3.0
=================

- A crash on empty input is gone. (:issue:`12`)

********************
 1.2.0 (2025-12-24)
********************

Features - 1.2.0
================

- Streaming responses. (:issue:`11`)
"""

MARKDOWN_EMPHASIS = """\
# Changelog

## **1.3.0** - *2026-02-01*

- A crash on empty input is gone.

## **1.2.0** - *2025-12-24*

- Streaming responses.
"""

MARKDOWN_CODE = """\
# Changelog

## `v1.3.0` (2026-02-01)

- A crash on empty input is gone.

## `v1.2.0` (2025-12-24)

- Streaming responses.
"""

MARKDOWN_ANCHORS = """\
# Changelog

## <a name="1.3.0"></a>[1.3.0](https://example.invalid/1.3.0) - 2026-02-01 ## {: #v1.3.0 }

- A crash on empty input is gone.

## <a name="1.2.0"></a>[1.2.0](https://example.invalid/1.2.0) - 2025-12-24 ## {: #v1.2.0 }

- Streaming responses.
"""

# One heading per release of two packages released together.
MARKDOWN_SEVERAL_VERSIONS = """\
# Changelog

## Version 1.3.0/0.44b0 (2026-02-01)

- A crash on empty input is gone.

## Version 1.2.0/0.43b0 (2025-12-24)

- Streaming responses.
"""

DIALECTS = {
    "rst references": ("CHANGELOG.rst", RST_REFERENCES),
    "rst links": ("CHANGELOG.rst", RST_LINKS),
    "rst simple references": ("CHANGELOG.rst", RST_SIMPLE_REFERENCES),
    "rst bold lines": ("docs/news.rst", RST_BOLD_LINES),
    "rst directive argument": ("docs/changelog.rst", RST_DIRECTIVE_ARGUMENT),
    "rst directive options": ("docs/changelog.rst", RST_DIRECTIVE_OPTIONS),
    "rst release roles": ("docs/changelog.rst", RST_RELEASE_ROLES),
    "rst role titles": ("CHANGES.rst", RST_ROLE_TITLES),
    "rst substitutions": ("CHANGES.rst", RST_SUBSTITUTIONS),
    "rst two title styles": ("CHANGELOG.rst", RST_TWO_STYLES),
    "towncrier rst": ("docs/changelog.rst", TOWNCRIER_RST),
    "markdown emphasis": ("CHANGELOG.md", MARKDOWN_EMPHASIS),
    "markdown code": ("CHANGELOG.md", MARKDOWN_CODE),
    "markdown anchors": ("CHANGELOG.md", MARKDOWN_ANCHORS),
    "markdown several versions": ("CHANGELOG.md", MARKDOWN_SEVERAL_VERSIONS),
}


@pytest.mark.parametrize(("name", "text"), DIALECTS.values(), ids=list(DIALECTS))
def test_each_dialect_reads_its_releases(name: str, text: str) -> None:
    syntax = "rst" if name.endswith(".rst") else "markdown"
    changelog = parse_changelog(text, syntax)
    versions = [
        section.version_text.lstrip("v") for section in changelog.releases if section.version_text
    ]
    assert versions[:2] == ["1.3.0", "1.2.0"]
    newest = changelog.releases[0]
    assert not newest.is_empty
    expected = dt.date(2026, 2, 1) if "2026" in text else None  # the rst links carry none
    assert newest.date_reading[1] == expected


@pytest.mark.parametrize(("name", "text"), DIALECTS.values(), ids=list(DIALECTS))
def test_a_release_in_each_dialect_passes(make_repo: RepoFactory, name: str, text: str) -> None:
    root = project(make_repo, "1.3.0", {name: text})
    result = codes_by_check(root, "v1.3.0")
    assert result["version"] == PASS
    assert result["changelog"][0] is not Status.FAIL, result


@pytest.mark.parametrize(("name", "text"), DIALECTS.values(), ids=list(DIALECTS))
def test_a_missing_section_in_each_dialect_still_fails(
    make_repo: RepoFactory, name: str, text: str
) -> None:
    # Releasing 1.4.0, which none of them names: the tool understood the whole file and
    # saw no section for it.
    root = project(make_repo, "1.4.0", {name: text})
    assert codes_by_check(root, "v1.4.0")["version"] == (Status.FAIL, ["RA308"])


def test_the_dates_of_the_dialects_are_read() -> None:
    roles = parse_changelog(RST_RELEASE_ROLES, "rst").releases[0]
    assert roles.date_reading == ("iso", dt.date(2026, 2, 1))
    options = parse_changelog(RST_DIRECTIVE_OPTIONS, "rst").releases[0]
    assert options.date_reading == ("date", dt.date(2026, 2, 1))
    # The options that make the heading are not the section's notes.
    assert options.body is not None and ":released:" not in options.body


def test_a_heading_for_several_packages_is_each_ones_section() -> None:
    changelog = parse_changelog(MARKDOWN_SEVERAL_VERSIONS)
    newest = changelog.releases[0]
    assert (newest.version_text, newest.also, newest.date) == ("1.3.0", ("0.44b0",), "2026-02-01")
    listed = parse_changelog("## pkg-core 2.14.1, pkg 2.5.0 (2026-02-01)\n\n- x\n").releases[0]
    assert (listed.version_text, listed.also) == ("2.14.1", ("2.5.0",))
    # A date after a comma is no second version.
    dated = parse_changelog("## 1.3.0, 2026-02-01\n\n- x\n").releases[0]
    assert (dated.also, dated.date) == ((), "2026-02-01")


def test_the_second_package_of_a_heading_is_released_from_it(make_repo: RepoFactory) -> None:
    root = project(make_repo, "0.44b0", {"CHANGELOG.md": MARKDOWN_SEVERAL_VERSIONS})
    assert codes_by_check(root, "v0.44b0")["version"] == PASS


@pytest.mark.parametrize(
    ("title", "plain"),
    [
        ("`1.2.3`_ (2026-01-31)", "1.2.3 (2026-01-31)"),
        ("`v1.2.3 <https://example.invalid/compare>`__", "v1.2.3"),
        (":release:`1.2.3 <2026-01-31>`", "1.2.3 (2026-01-31)"),
        (":doc:`1.2.3 <changes/1.2.3>`", "1.2.3"),
        ("**1.2.3** - *2026-01-31*", "1.2.3 - 2026-01-31"),
        ("``1.2.3``", "1.2.3"),
        ("|project| 1.2.3", "project 1.2.3"),
        ("1.2.3_ - 2026-01-31", "1.2.3 - 2026-01-31"),
        ('<a name="1.2.3"></a>1.2.3', "1.2.3"),
        ("1.2.3 ## {: #v1.2.3 }", "1.2.3"),
        ("Features - 4.2.0", "Features - 4.2.0"),  # no markup: left as it is
    ],
)
def test_markup_is_removed_as_the_renderer_removes_it(title: str, plain: str) -> None:
    assert plain_title(title) == plain


def test_versionadded_and_prose_are_no_release_headings() -> None:
    text = (
        "Changelog\n=========\n\n1.3.0 (2026-02-01)\n------------------\n\n"
        ".. versionadded:: 1.2.0\n\n**Python 3.12 support**\n\n**1.3.0rc1 had this wrong**\n\n"
        "- x\n"
    )
    changelog = parse_changelog(text, "rst")
    assert [s.version_text for s in changelog.releases] == ["1.3.0"]


# -- the law: absence claimed only over what was understood ----------------------------------


def test_ra308_degrades_when_no_release_was_read(make_repo: RepoFactory) -> None:
    # A file in no dialect the tool reads: it says so, naming the file and how to point it,
    # and claims nothing about the version's notes.
    text = "Changes\n\nSee the release page; every release is described there.\n"
    root = project(make_repo, "1.3.0", {"CHANGELOG.md": text})
    result = findings(root, "v1.3.0")
    assert result["version"][0] is Status.PASS  # the changelog check names it, once
    (dialect,) = result["changelog"][1]
    assert (dialect.code, dialect.severity, dialect.path) == (
        "RA413",
        Severity.WARNING,
        "CHANGELOG.md",
    )
    assert "cannot read this dialect" in dialect.message
    assert 'changelog = "<file>"' in (dialect.hint or "")
    # The version check alone says it itself.
    alone = run_checks(
        RepoContext.load(root, tag="v1.3.0", today=TODAY), select_checks(["version"])
    )[0]
    (unread,) = [f for f in alone.findings if f.severity is not Severity.INFO]
    assert (unread.code, unread.severity) == ("RA316", Severity.WARNING)
    assert "cannot read this dialect" in unread.message and "CHANGELOG.md" in unread.message
    assert alone.status is Status.WARN


def test_ra308_degrades_when_the_version_is_named_in_an_unread_form(
    make_repo: RepoFactory,
) -> None:
    text = (
        "# Changelog\n\n"
        "## 1.2.0 (2025-12-24)\n\n- Streaming responses.\n\n"
        "Release ~~1.3.0~~ notes are kept below\n\n- A crash is gone.\n"
    )
    root = project(make_repo, "1.3.0", {"CHANGELOG.md": text})
    status, found = findings(root, "v1.3.0")["version"]
    assert status is Status.WARN
    (unread,) = found
    assert (unread.code, unread.severity, unread.line) == ("RA316", Severity.WARNING, 7)
    assert "1.3.0" in unread.message


def test_ra308_stays_an_error_over_an_understood_changelog(make_repo: RepoFactory) -> None:
    text = "# Changelog\n\n## 1.2.0 (2025-12-24)\n\n- Streaming responses.\n"
    root = project(make_repo, "1.3.0", {"CHANGELOG.md": text})
    status, found = findings(root, "v1.3.0")["version"]
    assert (status, [(f.code, f.severity) for f in found]) == (
        Status.FAIL,
        [("RA308", Severity.ERROR)],
    )


def test_ra308_gives_way_to_reno_notes(make_repo: RepoFactory) -> None:
    root = project(
        make_repo,
        "1.3.0",
        {
            "doc/source/changelog.rst": "Changelog\n=========\n\n.. release-notes::\n",
            "reno.yaml": "---\n",
            "releasenotes/notes/fix-crash-0123456789abcdef.yaml": "fixes:\n  - A crash.\n",
        },
    )
    ctx = RepoContext.load(root, tag="v1.3.0", today=TODAY)
    (version,) = run_checks(ctx, select_checks(["version"]))
    (generated,) = [f for f in version.findings if f.code == "RA317"]
    assert generated.severity is Severity.INFO and "reno" in generated.message
    assert version.status is Status.PASS
    # Without reno's configuration (or reno among the requirements) those files are no
    # notes: the changelog is a file the tool cannot read, and it says so.
    (root / "reno.yaml").unlink()
    expected = {"version": PASS, "changelog": (Status.WARN, ["RA413"])}
    assert codes_by_check(root, "v1.3.0") == expected


def test_ra308_gives_way_to_towncrier_fragments_only_with_its_configuration(
    make_repo: RepoFactory,
) -> None:
    files = {
        "CHANGES.rst": "1.2.0 (2025-12-24)\n==================\n\n- Streaming responses.\n",
        "changes/12.bugfix.rst": "A crash is gone.\n",
    }
    configured = make_repo(
        {
            "pyproject.toml": minimal_pyproject("demo", "1.3.0")
            + '\n[tool.towncrier]\nfilename = "CHANGES.rst"\ndirectory = "changes"\n',
            **files,
        }
    )
    status, found = findings(configured, "v1.3.0")["version"]
    assert (status, [(f.code, f.severity) for f in found]) == (
        Status.WARN,
        [("RA317", Severity.WARNING)],
    )


def test_ra407_degrades_when_the_notes_come_from_elsewhere(make_repo: RepoFactory) -> None:
    # A release directive whose notes are included from a folder: not an empty section.
    text = (
        "Changelog\n=========\n\n"
        ".. changelog::\n    :version: 1.3.0\n    :released: February 1, 2026\n"
        "    :include_notes_from: unreleased\n\n"
        ".. changelog::\n    :version: 1.2.0\n    :released: December 24, 2025\n\n"
        "    .. change::\n\n        Streaming responses.\n"
    )
    root = project(make_repo, "1.3.0", {"docs/build/changelog.rst": text, "docs/build/conf.py": ""})
    assert codes_by_check(root, "v1.3.0") == {"version": PASS, "changelog": PASS}
    # The same directive with nothing under it is an empty section.
    empty = text.replace("    :include_notes_from: unreleased\n", "")
    root = project(
        make_repo, "1.3.0", {"docs/build/changelog.rst": empty, "docs/build/conf.py": ""}
    )
    assert codes_by_check(root, "v1.3.0")["changelog"] == (Status.FAIL, ["RA407"])


def test_ra412_is_judged_by_the_recent_releases(make_repo: RepoFactory) -> None:
    # Keep a Changelog, dated long ago, undated for its recent releases: the house style
    # now is undated, so the release's missing date is no error.
    recent = "".join(f"## [1.{minor}.0]\n\n- x\n\n" for minor in range(7, 2, -1))
    old = "".join(
        f"## [1.{minor}.0] - 2024-0{minor + 1}-01\n\n- x\n\n" for minor in range(2, -1, -1)
    )
    text = f"# Changelog\n\n## [1.8.0]\n\n- new\n\n{recent}{old}"
    root = project(make_repo, "1.8.0", {"CHANGELOG.md": text})
    assert codes_by_check(root, "v1.8.0")["changelog"][0] is not Status.FAIL
    # Dated recently: the missing date is an omission (RA412).
    dated = "".join(
        f"## [1.{minor}.0] - 2025-0{minor + 1}-01\n\n- x\n\n" for minor in range(7, -1, -1)
    )
    root = project(
        make_repo, "1.8.0", {"CHANGELOG.md": f"# Changelog\n\n## [1.8.0]\n\n- new\n\n{dated}"}
    )
    assert codes_by_check(root, "v1.8.0")["changelog"] == (Status.FAIL, ["RA412"])
    # A pre-release is often dated at its final release: a warning.
    root = project(
        make_repo, "1.8.0b1", {"CHANGELOG.md": f"# Changelog\n\n## [1.8.0b1]\n\n- new\n\n{dated}"}
    )
    assert codes_by_check(root, "v1.8.0b1")["changelog"] == (Status.WARN, ["RA422"])


def _tag(root: Path, tag: str, day: str) -> None:
    environ = {"GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00", "GIT_AUTHOR_DATE": f"{day}T12:00:00"}
    subprocess.run(
        ["git", "-C", str(root), "tag", "-a", "-m", tag, tag],
        check=True,
        env={**os.environ, **environ},
        capture_output=True,
    )


def test_a_hint_for_a_past_release_proposes_its_own_day(make_repo: RepoFactory) -> None:
    dated = "".join(
        f"## [1.{minor}.0] - 2025-0{minor + 1}-01\n\n- x\n\n" for minor in range(3, -1, -1)
    )
    root = project(
        make_repo, "1.4.0", {"CHANGELOG.md": f"# Changelog\n\n## [1.4.0]\n\n- new\n\n{dated}"}
    )
    _tag(root, "v1.4.0", "2026-03-05")
    (_, found) = findings(root, "v1.4.0")["changelog"]
    (missing,) = found
    assert missing.code == "RA412"
    assert "2026-03-05" in (missing.hint or "") and TODAY.isoformat() not in (missing.hint or "")
    # Before the tag exists, the release is made today.
    subprocess.run(["git", "-C", str(root), "tag", "-d", "v1.4.0"], check=True, capture_output=True)
    (_, found) = findings(root, "v1.4.0")["changelog"]
    assert TODAY.isoformat() in (found[0].hint or "")


RELEASE_ROLES_SHARED = """\
=========
Changelog
=========

- :release:`1.3.1 <2026-02-10>`
- :release:`1.2.5 <2026-02-10>`
- :bug:`13` A crash on empty input is gone (backported).
- :release:`1.3.0 <2026-02-01>`
- :feature:`12` Streaming responses.
"""


def test_release_items_in_a_row_share_the_notes_below_them(make_repo: RepoFactory) -> None:
    changelog = parse_changelog(RELEASE_ROLES_SHARED, "rst")
    newest = changelog.releases[0]
    assert (newest.version_text, newest.also, newest.is_empty) == ("1.3.1", ("1.2.5",), False)
    # The maintenance release of the older series is released from the shared heading,
    # with no "empty section" for either.
    root = project(make_repo, "1.2.5", {"docs/changelog.rst": RELEASE_ROLES_SHARED})
    assert codes_by_check(root, "v1.2.5") == {"version": PASS, "changelog": PASS}
    root = project(make_repo, "1.3.1", {"docs/changelog.rst": RELEASE_ROLES_SHARED})
    assert codes_by_check(root, "v1.3.1") == {"version": PASS, "changelog": PASS}


def test_ra415_gives_way_to_notes_a_tool_generates(make_repo: RepoFactory) -> None:
    files = {"releasenotes/notes/fix-crash-0123456789abcdef.yaml": "fixes:\n  - A crash.\n"}
    # No changelog file and reno's notes, but no sign of reno: "no changelog" (RA415).
    root = project(make_repo, "1.3.0", files)
    assert codes_by_check(root, "v1.3.0")["changelog"] == (Status.WARN, ["RA415"])
    # reno among the documentation's requirements: the notes are reno's, said as a note.
    root = project(make_repo, "1.3.0", {**files, "doc/requirements.txt": "sphinx\nreno>=4\n"})
    ctx = RepoContext.load(root, tag="v1.3.0", today=TODAY)
    (changelog,) = run_checks(ctx, select_checks(["changelog"]))
    assert changelog.status is Status.PASS
    assert [(f.code, f.severity) for f in changelog.findings] == [("RA416", Severity.INFO)]
    assert "reno (1 note in releasenotes/notes/)" in changelog.findings[0].message
