"""The ``changelog`` check and the changelog parser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from release_assistant.core.changelog.parser import parse_changelog
from release_assistant.core.checks import changelog as changelog_check
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Severity, Status
from tests.conftest import SEED_CHANGELOG, SEED_PYPROJECT, RepoFactory

TODAY = dt.date(2026, 11, 24)


def run(root: Path, tag: str | None = None) -> CheckResult:
    return changelog_check.run(RepoContext.load(root, tag=tag, today=TODAY))


def repo_with(make_repo: RepoFactory, changelog: str | bytes, version: str = "0.1.1") -> Path:
    pyproject = SEED_PYPROJECT.replace('version = "0.1.1"', f'version = "{version}"')
    return make_repo({"pyproject.toml": pyproject, "CHANGELOG.md": changelog})


def found(result: CheckResult) -> list[tuple[str, int | None]]:
    return [(f.code, f.line) for f in result.findings]


@pytest.mark.parametrize(
    ("heading", "version", "date"),
    [
        ("[1.2.3] - 2026-01-31", "1.2.3", "2026-01-31"),
        ("[1.2.3] \u2013 2026-01-31", "1.2.3", "2026-01-31"),  # en dash
        ("1.2.3 (2026-01-31)", "1.2.3", "2026-01-31"),
        ("v1.2.3", "1.2.3", None),
        ("[v1.2.3]", "1.2.3", None),
        ("[1.2.3](https://example.invalid/compare) - 2026-01-31", "1.2.3", "2026-01-31"),
        ("1.2.3 - 2026-01-31", "1.2.3", "2026-01-31"),
        ("[1.2.3] - 2026-01-31 [YANKED]", "1.2.3", "2026-01-31"),
        ("[1.0.0-rc.1] - 2026-01-31", "1.0.0rc1", "2026-01-31"),
    ],
)
def test_heading_forms(heading: str, version: str, date: str | None) -> None:
    (section,) = parse_changelog(f"## {heading}\n\n- note\n").sections
    assert str(section.version) == version
    assert section.date == date


def test_unreleased_and_other_headings() -> None:
    parsed = parse_changelog("# Changelog\n\n## [Unreleased]\n\n## Notes\n\n## Unreleased\n")
    assert [s.is_unreleased for s in parsed.sections] == [True, False, True]
    assert not any(s.is_release for s in parsed.sections)


def test_headings_inside_fences_are_ignored() -> None:
    text = "## [1.0.0] - 2026-01-01\n\n```md\n## [9.9.9] - 2026-01-01\n```\n\n~~~\n## 8.0\n~~~\n"
    parsed = parse_changelog(text)
    assert [str(s.version) for s in parsed.sections] == ["1.0.0"]
    assert not parsed.sections[0].is_empty


def test_seed_changelog_passes(make_repo: RepoFactory) -> None:
    result = run(repo_with(make_repo, SEED_CHANGELOG), "v0.1.1")
    assert result.status is Status.PASS, result.findings


def test_crlf_and_bom_are_tolerated(make_repo: RepoFactory) -> None:
    data = b"\xef\xbb\xbf" + SEED_CHANGELOG.lstrip("\n").replace("\n", "\r\n").encode()
    result = run(repo_with(make_repo, data), "v0.1.1")
    assert result.status is Status.PASS, result.findings


def test_non_utf8_changelog_is_an_error_naming_the_file(make_repo: RepoFactory) -> None:
    from release_assistant.core.engine import run_check, spec_for

    root = repo_with(make_repo, b"# Changelog\n\n## [0.1.1] - 2026-01-01\n\n- caf\xe9\n")
    ctx = RepoContext.load(root, tag="v0.1.1", today=TODAY)
    result = run_check(spec_for("changelog"), ctx)
    assert result.status is Status.ERROR
    assert "CHANGELOG.md:5: is not valid UTF-8" in (result.reason or "")


def test_missing_changelog_is_a_warning_when_only_looked_for(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT})
    result = run(root, "v0.1.1")
    assert found(result) == [("RA415", None)]
    assert result.status is Status.WARN


def test_missing_configured_changelog_fails(make_repo: RepoFactory) -> None:
    pyproject = SEED_PYPROJECT + '\n[tool.release-assistant]\nchangelog = "NOTES.md"\n'
    result = run(make_repo({"pyproject.toml": pyproject}))
    assert found(result) == [("RA401", None)]
    assert result.status is Status.FAIL
    assert result.findings[0].path == "NOTES.md"


BROKEN = """\
# Changelog

## [Unreleased]

## [0.1.1] - 2026-03-20

- Fix.

## [0.1.3] - 2026-03-10

- Out of order.

## [0.1.1] - 2026-03-01

- Duplicate.

## [0.x] - 2026-02-01

- Bad version.

## [0.0.9] - 01/02/2026

- Bad date.

## [0.0.8] - 2027-01-01

- Future.

## [0.0.7] - 2025-13-40

- Impossible date.

## [0.0.6] - 2025-01-01
"""


def test_every_structural_problem_is_reported_with_its_line(make_repo: RepoFactory) -> None:
    result = run(repo_with(make_repo, BROKEN), "v0.1.1")
    assert result.status is Status.FAIL
    assert found(result) == [
        ("RA403", 13),
        ("RA418", 21),
        ("RA419", 25),
        ("RA417", 29),
        ("RA408", 33),
        ("RA404", 9),
        ("RA416", None),
    ]
    assert "first at line 5" in result.findings[0].message
    # Only the release's own duplicate fails; the rest is older sections' style.
    assert [f.severity for f in result.findings[1:-1]] == [Severity.WARNING] * 5


def test_a_series_heading_is_no_release(make_repo: RepoFactory) -> None:
    text = "## [0.1.1] - 2026-03-20\n\n- x\n\n## 0.0.x\n\nSee the archive.\n"
    parsed = parse_changelog(text)
    assert [s.version_text for s in parsed.sections] == ["0.1.1", None]
    assert parsed.sections[1].series
    assert run(repo_with(make_repo, text), "v0.1.1").status is Status.PASS


def test_empty_release_section_fails(make_repo: RepoFactory) -> None:
    text = "# Changelog\n\n## [0.1.1] - 2026-03-20\n\n### Added\n\n## [0.1.0] - 2026-03-01\n\n- x\n"
    result = run(repo_with(make_repo, text), "v0.1.1")
    assert found(result)[:-1] == [("RA407", 3)]


def test_release_section_without_date_fails_in_keep_a_changelog(make_repo: RepoFactory) -> None:
    result = run(repo_with(make_repo, "## [0.1.1]\n\n- x\n"), "v0.1.1")
    assert found(result)[:-1] == [("RA412", 1)]


def test_between_releases_the_current_section_may_be_work_in_progress(
    make_repo: RepoFactory,
) -> None:
    # No tag: nothing is being released, so an undated section with notes still to come
    # and a busy Unreleased section are the normal state of a repository.
    text = "## [Unreleased]\n\n- coming\n\n## [0.1.1]\n\n## [0.1.0] - 2026-01-01\n\n- x\n"
    result = run(repo_with(make_repo, text))
    assert found(result)[:-1] == [("RA408", 5)]
    assert result.status is Status.WARN


def test_unreleased_must_be_first_and_single(make_repo: RepoFactory) -> None:
    text = "## [0.1.1] - 2026-01-01\n\n- x\n\n## [Unreleased]\n\n## Unreleased\n"
    result = run(repo_with(make_repo, text), "v0.1.1")
    assert found(result)[:-1] == [("RA409", 7), ("RA409", 5)]
    assert result.status is Status.WARN


def test_unreleased_notes_left_behind_warn(make_repo: RepoFactory) -> None:
    text = "## [Unreleased]\n\n- forgotten\n\n## [0.1.1] - 2026-01-01\n\n- x\n"
    result = run(repo_with(make_repo, text), "v0.1.1")
    assert result.status is Status.WARN
    assert found(result)[:-1] == [("RA414", 1)]
    # Only when a release is being made.
    assert found(run(repo_with(make_repo, text)))[:-1] == []


def test_link_references_consistent(make_repo: RepoFactory) -> None:
    text = (
        "## [Unreleased]\n\n## [0.1.1] - 2026-01-01\n\n- x\n\n## [0.1.0] - 2025-01-01\n\n- y\n\n"
        "[Unreleased]: https://example.invalid/compare/v0.1.1...HEAD\n"
        "[0.1.1]: https://example.invalid/compare/v0.1.0...v0.1.1\n"
        "[0.0.9]: https://example.invalid/compare/v0.0.8...v0.0.9\n"
    )
    result = run(repo_with(make_repo, text), "v0.1.1")
    assert result.status is Status.WARN
    assert found(result)[:-1] == [("RA410", 7), ("RA411", 13)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Definitions, but no bracketed heading at all: each version definition is unmatched.
        ("## 0.1.1 - 2026-01-01\n\n- x\n\n[0.1.1]: https://example.invalid/a\n", [("RA411", 5)]),
        # Labels compare case-insensitively; an inline link needs no definition.
        (
            "## [UNRELEASED]\n\n## [0.1.1](https://example.invalid/b) - 2026-01-01\n\n- x\n\n"
            "## [0.1.0] - 2025-01-01\n\n- y\n\n[unreleased]: https://example.invalid/c\n"
            "[0.1.0]: https://example.invalid/d\n",
            [],
        ),
        # A definition inside fenced code is text, so its heading lacks one.
        (
            "## [0.1.1] - 2026-01-01\n\n```\n[0.1.1]: https://example.invalid/e\n```\n\n"
            "[other]: https://example.invalid/f\n",
            [("RA410", 1)],
        ),
    ],
)
def test_link_checks_on_the_set_fast_path(
    make_repo: RepoFactory, text: str, expected: list[tuple[str, int]]
) -> None:
    assert found(run(repo_with(make_repo, text), "v0.1.1"))[:-1] == expected


def test_no_link_definitions_at_all_is_fine(make_repo: RepoFactory) -> None:
    result = run(repo_with(make_repo, "## [0.1.1] - 2026-01-01\n\n- x\n"), "v0.1.1")
    assert result.status is Status.PASS


def test_no_release_headings_warns(make_repo: RepoFactory) -> None:
    result = run(repo_with(make_repo, "# Changelog\n\nNothing yet.\n"))
    assert [f.code for f in result.findings] == ["RA413", "RA416"]


def test_custom_changelog_path(make_repo: RepoFactory) -> None:
    pyproject = SEED_PYPROJECT + '\n[tool.release-assistant]\nchangelog = "docs/HISTORY.md"\n'
    root = make_repo({"pyproject.toml": pyproject, "docs/HISTORY.md": SEED_CHANGELOG})
    assert run(root, "v0.1.1").status is Status.PASS


def test_duplicate_after_an_order_break_is_still_found(make_repo: RepoFactory) -> None:
    # 3, 2, 4, 2: the second 2.0.0 follows 4.0.0 in descending order, yet repeats line 5.
    text = "".join(
        f"## [{v}] - 2026-01-0{i + 1}\n\n- x\n\n"
        for i, v in enumerate(["3.0.0", "2.0.0", "4.0.0", "2.0.0"])
    )
    result = run(repo_with(make_repo, text, version="3.0.0"), "v3.0.0")
    assert found(result)[:-1] == [("RA420", 13), ("RA404", 9)]
