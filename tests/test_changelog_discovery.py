"""Finding the changelog and the unreleased notes where projects keep them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from release_assistant.core.context import RepoContext
from release_assistant.core.engine import run_checks, select_checks
from release_assistant.core.findings import Severity, Status
from release_assistant.hooks import check_changelog_version
from tests.conftest import RepoFactory, minimal_pyproject

TODAY = dt.date(2026, 11, 24)
RST = "1.2.0 (2026-01-10)\n==================\n\n- Notes.\n"
MD = "# Changelog\n\n## 1.2.0 (2026-01-10)\n\n- Notes.\n"
PYPROJECT = minimal_pyproject("demo", "1.2.0")


def context(root: Path, tag: str | None = None) -> RepoContext:
    return RepoContext.load(root, tag=tag, today=TODAY)


def problems(root: Path, tag: str | None = None) -> dict[str, list[str]]:
    results = run_checks(context(root, tag), select_checks(["version", "changelog"]))
    return {r.id: [f.code for f in r.findings if f.severity is not Severity.INFO] for r in results}


@pytest.mark.parametrize(
    ("files", "found", "reason"),
    [
        ({"CHANGES.rst": RST}, "CHANGES.rst", "found at the root"),
        ({"HISTORY.md": MD}, "HISTORY.md", "found at the root"),
        ({"NEWS.txt": MD}, "NEWS.txt", "found at the root"),
        ({"Changelog": RST}, "Changelog", "found at the root"),
        ({"RELEASE_NOTES.md": MD}, "RELEASE_NOTES.md", "found at the root"),
        ({"docs/changelog.rst": RST}, "docs/changelog.rst", "found under docs/"),
        ({"doc/en/changelog.rst": RST}, "doc/en/changelog.rst", "found under doc/"),
        (
            {"docs/en/docs/release-notes.md": MD},
            "docs/en/docs/release-notes.md",
            "found under docs/",
        ),
        (
            {"docs/history/1.x.md": MD, "docs/history/2.x.md": MD, "docs/history/index.md": ""},
            "docs/history/2.x.md",
            "found under docs/",
        ),
        # The name ranks before the extension, the root before docs/.
        ({"CHANGES.rst": RST, "HISTORY.md": MD}, "CHANGES.rst", "found at the root"),
        ({"CHANGELOG.md": MD, "docs/changelog.rst": RST}, "CHANGELOG.md", "found at the root"),
        # A root file that only points at the real changelog gives way to it.
        (
            {
                "CHANGELOG.rst": "Changelog\n=========\n\nSee the documentation.\n",
                "doc/changelog.rst": RST,
            },
            "doc/changelog.rst",
            "found under doc/",
        ),
    ],
)
def test_the_changelog_is_found_where_projects_keep_it(
    make_repo: RepoFactory, files: dict[str, str], found: str, reason: str
) -> None:
    root = make_repo({"pyproject.toml": PYPROJECT, **files})
    ctx = context(root)
    assert (ctx.changelog_file.relpath, ctx.changelog_file.reason) == (found, reason)
    assert problems(root, "v1.2.0") == {"version": [], "changelog": []}


def test_towncrier_filename_comes_first(make_repo: RepoFactory) -> None:
    pyproject = PYPROJECT + '\n[tool.towncrier]\nfilename = "docs/changes.rst"\n'
    root = make_repo({"pyproject.toml": pyproject, "CHANGELOG.md": MD, "docs/changes.rst": RST})
    assert context(root).changelog_file.relpath == "docs/changes.rst"


def test_towncrier_toml_is_read_before_pyproject(make_repo: RepoFactory) -> None:
    root = make_repo(
        {
            "pyproject.toml": PYPROJECT + '\n[tool.towncrier]\nfilename = "NEWS.rst"\n',
            "towncrier.toml": '[tool.towncrier]\nfilename = "CHANGES.md"\n',
            "CHANGES.md": MD,
            "NEWS.rst": RST,
        }
    )
    assert context(root).changelog_file.relpath == "CHANGES.md"


def test_the_analysed_file_is_named_in_the_report(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": PYPROJECT, "docs/changelog.rst": RST})
    (note,) = [
        f
        for r in run_checks(context(root), select_checks(["changelog"]))
        for f in r.findings
        if f.code == "RA416"
    ]
    assert note.severity is Severity.INFO
    assert note.message.startswith("changelog docs/changelog.rst (found under docs/; rst, 1 ")


def test_no_changelog_warns_and_a_configured_missing_one_fails(make_repo: RepoFactory) -> None:
    bare = make_repo({"pyproject.toml": PYPROJECT})
    assert problems(bare, "v1.2.0") == {"version": [], "changelog": ["RA415"]}
    configured = make_repo(
        {"pyproject.toml": PYPROJECT + '\n[tool.release-assistant]\nchangelog = "NEWS.md"\n'}
    )
    results = run_checks(context(configured), select_checks(["changelog"]))
    assert [(r.status, [f.code for f in r.findings]) for r in results] == [(Status.FAIL, ["RA401"])]


TOWNCRIER = """
[tool.towncrier]
filename = "CHANGES.rst"
directory = "changes/"
"""


def test_fragments_are_the_notes_of_the_next_version(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # Version bumped to 1.3.0, its notes still in fragments: fine between releases.
    root = make_repo(
        {
            "pyproject.toml": minimal_pyproject("demo", "1.3.0") + TOWNCRIER,
            "CHANGES.rst": RST,
            "changes/41.bugfix.rst": "A fix.\n",
            "changes/42.feature.rst": "A feature.\n",
            "changes/.gitignore": "!.gitignore\n",
            "changes/template.rst": "{{ sections }}\n",
        }
    )
    assert context(root).fragments is not None
    assert context(root).fragments.names == ("41.bugfix.rst", "42.feature.rst")  # type: ignore[union-attr]
    assert problems(root) == {"version": [], "changelog": []}
    assert check_changelog_version.main(["--repo", str(root)]) == 0
    assert capsys.readouterr().out == ""
    # Releasing 1.3.0 before `towncrier build`: the notes are still fragments. towncrier
    # is configured, so they are the release's notes (the release workflow or the docs
    # build may write them): a warning that says so, not "no section".
    released = run_checks(context(root, "v1.3.0"), select_checks(["version"]))[0]
    assert released.status is Status.WARN
    (pending,) = [f for f in released.findings if f.code == "RA317"]
    assert pending.severity is Severity.WARNING
    assert "towncrier build --version 1.3.0" in (pending.hint or "")
    assert not [f for f in released.findings if f.code == "RA308"]


def test_fragments_left_behind_at_release_warn(make_repo: RepoFactory) -> None:
    root = make_repo(
        {
            "pyproject.toml": PYPROJECT + TOWNCRIER,
            "CHANGES.rst": RST,
            "changes/43.misc.rst": "",
        }
    )
    assert problems(root, "v1.2.0") == {"version": [], "changelog": ["RA414"]}
    assert problems(root) == {"version": [], "changelog": []}  # not releasing: no RA414


def test_a_fragment_directory_without_towncrier_config_counts(make_repo: RepoFactory) -> None:
    root = make_repo(
        {
            "pyproject.toml": minimal_pyproject("demo", "1.3.0"),
            "CHANGELOG.md": MD,
            "changelog.d/20260101_fix.md": "- A fix.\n",
        }
    )
    assert problems(root) == {"version": [], "changelog": []}


def test_without_anything_collecting_notes_a_bumped_version_fails(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": minimal_pyproject("demo", "1.3.0"), "CHANGES.rst": RST})
    assert problems(root) == {"version": ["RA308"], "changelog": []}
