"""The ``version`` check: tag forms, normalization, dynamic versions, version files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from release_assistant.core.checks import version as version_check
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Severity, Status
from tests.conftest import SEED_CHANGELOG, RepoFactory, git
from tests.support import problem_codes

TODAY = dt.date(2026, 11, 24)


def check(root: Path, tag: str | None = None) -> CheckResult:
    return version_check.run(RepoContext.load(root, tag=tag, today=TODAY))


def pyproject(version: str = "0.1.1", extra: str = "") -> str:
    return f"""
[project]
name = "demo"
version = "{version}"
{extra}
"""


def changelog(*headings: str) -> str:
    body = "\n\n".join(f"## {heading}\n\n- A change." for heading in headings)
    return f"# Changelog\n\n{body}\n"


def test_seed_case_passes(make_repo: RepoFactory, seed_files: dict[str, str | bytes]) -> None:
    result = check(make_repo(seed_files), "v0.1.1")
    assert result.status is Status.PASS, result.findings


@pytest.mark.parametrize("tag", ["v0.1.1", "refs/tags/v0.1.1"])
def test_tag_forms_that_name_the_same_version(make_repo: RepoFactory, tag: str) -> None:
    root = make_repo({"pyproject.toml": pyproject(), "CHANGELOG.md": SEED_CHANGELOG})
    assert check(root, tag).status is Status.PASS


@pytest.mark.parametrize("tag", ["v0.1.1.0", "v00.1.1", "V0.1.1", "refs/tags/v0.1.01"])
def test_a_tag_equal_by_pep440_but_spelt_otherwise_fails(make_repo: RepoFactory, tag: str) -> None:
    # The tag is permanent, and CI steps comparing it with the version as text reject it.
    root = make_repo({"pyproject.toml": pyproject(), "CHANGELOG.md": SEED_CHANGELOG})
    result = check(root, tag)
    assert problem_codes(result) == ["RA310"]
    assert "'v0.1.1'" in result.findings[0].message


def test_a_first_bare_tag_sets_the_format(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": pyproject(), "CHANGELOG.md": SEED_CHANGELOG})
    result = check(root, "0.1.1")
    assert result.status is Status.PASS
    assert "no version tags" in next(f.message for f in result.findings if f.code == "RA311")


def test_bare_version_tag_in_a_v_tagged_repository_warns(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": pyproject(), "CHANGELOG.md": SEED_CHANGELOG})
    git(root, "tag", "v0.0.9")
    git(root, "tag", "v0.1.0")
    result = check(root, "0.1.1")
    assert result.status is Status.WARN
    assert problem_codes(result) == ["RA305"]
    assert "'v0.1.1'" in result.findings[0].message
    assert "inferred from 2 version tags" in result.findings[0].message


@pytest.mark.parametrize(
    ("tags", "good", "off_format"),
    [
        (["0.9.0", "1.0.0"], "1.1.0", "v1.1.0"),
        (["demo-v0.9.0", "other-v3.0.0", "v0.1.0"], "demo-v1.1.0", "v1.1.0"),
        (["1.0.0", "1.0.1", "1.0.2", "v1.0.3", "v1.0.4", "v1.0.5"], "v1.1.0", "1.1.0"),
    ],
)
def test_the_tag_format_is_inferred_from_the_repository(
    make_repo: RepoFactory, tags: list[str], good: str, off_format: str
) -> None:
    root = make_repo(
        {"pyproject.toml": pyproject("1.1.0"), "CHANGELOG.md": changelog("[1.1.0] - 2026-01-01")}
    )
    for tag in tags:
        git(root, "tag", tag)
    assert check(root, good).status is Status.PASS
    assert problem_codes(check(root, off_format)) == ["RA305"]


@pytest.mark.parametrize("tag", ["v1.0.0rc1", "v1.0.0-rc.1", "1.0.0rc1"])
def test_pep440_normalization_of_prereleases(make_repo: RepoFactory, tag: str) -> None:
    root = make_repo(
        {"pyproject.toml": pyproject("1.0.0-rc.1"), "CHANGELOG.md": changelog("[1.0.0rc1]")}
    )
    result = check(root, tag)
    assert "RA303" not in problem_codes(result)
    assert "RA308" not in problem_codes(result)


def test_custom_tag_format(make_repo: RepoFactory) -> None:
    extra = '[tool.release-assistant]\ntag_format = "release-{version}"'
    root = make_repo(
        {"pyproject.toml": pyproject("2.0.0", extra), "CHANGELOG.md": changelog("[2.0.0]")}
    )
    assert check(root, "release-2.0.0").status is Status.PASS
    assert problem_codes(check(root, "v2.0.0")) == ["RA305"]


def test_tag_version_mismatch_names_both_versions(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": pyproject(), "CHANGELOG.md": SEED_CHANGELOG})
    result = check(root, "v0.1.2")
    assert result.status is Status.FAIL
    mismatch = next(f for f in result.findings if f.code == "RA303")
    assert "0.1.2" in mismatch.message and "0.1.1" in mismatch.message
    assert mismatch.path == "pyproject.toml" and mismatch.line == 3
    assert "RA308" in problem_codes(result)  # no changelog section for 0.1.2 either


def test_invalid_tag_version_is_reported_not_crashed(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": pyproject(), "CHANGELOG.md": SEED_CHANGELOG})
    result = check(root, "vbanana")
    assert problem_codes(result) == ["RA304"]


def test_invalid_project_version(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": pyproject("1.2.x"), "CHANGELOG.md": SEED_CHANGELOG})
    result = check(root)
    assert problem_codes(result) == ["RA302"]
    assert result.findings[0].line == 3


def test_no_version_declared(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": '[project]\nname = "demo"\n'})
    result = check(root)
    assert problem_codes(result) == ["RA301"]


def test_no_pyproject(make_repo: RepoFactory) -> None:
    result = check(make_repo({"README.md": "hi"}))
    assert problem_codes(result) == ["RA301"]


def test_without_tag_the_project_version_is_released(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": pyproject(), "CHANGELOG.md": changelog("[0.1.0]")})
    result = check(root)
    assert problem_codes(result) == ["RA308"]
    assert "Unreleased" not in (result.findings[0].hint or "")


def test_missing_section_hint_points_at_unreleased(make_repo: RepoFactory) -> None:
    root = make_repo(
        {"pyproject.toml": pyproject("0.2.0"), "CHANGELOG.md": changelog("[Unreleased]")}
    )
    result = check(root, "v0.2.0")
    assert problem_codes(result) == ["RA308"]
    assert "[Unreleased]" in (result.findings[0].hint or "")


HATCH_PATH = """
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "demo"
dynamic = ["version"]

[tool.hatch.version]
path = "src/demo/__init__.py"
"""


def test_hatch_path_source(make_repo: RepoFactory) -> None:
    root = make_repo(
        {
            "pyproject.toml": HATCH_PATH,
            "src/demo/__init__.py": '"""Demo."""\n\n__version__ = "1.4.0"\n',
            "CHANGELOG.md": changelog("[1.4.0]"),
        }
    )
    ctx = RepoContext.load(root, tag="v1.4.0", today=TODAY)
    assert ctx.release.source is not None
    assert ctx.release.source.path == "src/demo/__init__.py"
    assert ctx.release.source.line == 3
    assert version_check.run(ctx).status is Status.PASS
    mismatch = check(root, "v1.5.0")
    assert "RA303" in problem_codes(mismatch)
    assert next(f for f in mismatch.findings if f.code == "RA303").path == "src/demo/__init__.py"


def test_setuptools_attr_source(make_repo: RepoFactory) -> None:
    root = make_repo(
        {
            "pyproject.toml": """
            [project]
            name = "demo"
            dynamic = ["version"]

            [tool.setuptools.dynamic]
            version = { attr = "demo.__version__" }
            """,
            "demo/__init__.py": '__version__: str = "3.1.0"\n',
            "CHANGELOG.md": changelog("[3.1.0]"),
        }
    )
    assert check(root, "v3.1.0").status is Status.PASS


@pytest.mark.parametrize(
    "tool_table",
    [
        '[tool.hatch.version]\nsource = "vcs"',
        '[tool.setuptools_scm]\nversion_scheme = "guess-next-dev"',
        '[tool.pdm.version]\nsource = "scm"',
    ],
)
def test_vcs_versions_take_the_tag(make_repo: RepoFactory, tool_table: str) -> None:
    root = make_repo(
        {
            "pyproject.toml": f'[project]\nname = "demo"\ndynamic = ["version"]\n\n{tool_table}\n',
            "CHANGELOG.md": changelog("[5.0.0]"),
        }
    )
    assert check(root, "v5.0.0").status is Status.PASS
    assert problem_codes(check(root, "v5.0.1")) == ["RA308"]
    # Without a tag there is no version to compare: a skip with the reason, not a warning.
    without_tag = check(root)
    assert without_tag.status is Status.SKIP and problem_codes(without_tag) == []
    assert "pass --tag" in (without_tag.reason or "")


def test_dynamic_version_without_source_is_a_finding(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": '[project]\nname = "demo"\ndynamic = ["version"]\n'})
    assert problem_codes(check(root)) == ["RA301"]


def test_version_files_cross_checked(make_repo: RepoFactory) -> None:
    extra = (
        "[tool.release-assistant]\n"
        'version_files = ["src/demo/__init__.py", { path = "docs/conf.py", '
        'pattern = "release = \'(?P<version>[^\']+)\'" }, "missing.py", "empty.py"]'
    )
    root = make_repo(
        {
            "pyproject.toml": pyproject("0.1.1", extra),
            "src/demo/__init__.py": '__version__ = "0.1.0"\n',
            "docs/conf.py": "project = 'demo'\nrelease = '0.1.1'\n",
            "empty.py": "x = 1\n",
            "CHANGELOG.md": SEED_CHANGELOG,
        }
    )
    result = check(root, "v0.1.1")
    assert problem_codes(result) == ["RA306", "RA307", "RA307"]
    drift = result.findings[0]
    assert (drift.path, drift.line) == ("src/demo/__init__.py", 1)
    assert "0.1.0" in drift.message


def test_poetry_legacy_version(make_repo: RepoFactory) -> None:
    root = make_repo(
        {
            "pyproject.toml": '[tool.poetry]\nname = "demo"\nversion = "0.3.0"\n',
            "CHANGELOG.md": changelog("[0.3.0]"),
        }
    )
    assert check(root, "v0.3.0").status is Status.PASS


def test_a_released_version_without_a_section_is_history_not_a_blocker(
    make_repo: RepoFactory,
) -> None:
    """Between releases, the current version's tag exists and the changelog skipped it: a
    warning (RA313); releasing that version (``--tag``) still fails (RA308)."""
    from release_assistant.core.checks import version as version_check
    from release_assistant.core.context import RepoContext
    from release_assistant.core.engine import run_check, spec_for
    from tests.conftest import git, minimal_pyproject

    changelog = "# Changelog\n\n## [1.0.0] - 2026-01-02\n\n- First.\n"
    root = make_repo(
        {"pyproject.toml": minimal_pyproject("demo", "1.1.0"), "CHANGELOG.md": changelog}
    )
    git(root, "tag", "v1.0.0")
    git(root, "tag", "v1.1.0")
    between = run_check(spec_for("version"), RepoContext.load(root))
    assert [f.code for f in between.findings if f.severity.value != "info"] == ["RA313"]
    assert between.status.value == "warn"
    releasing = version_check.run(RepoContext.load(root, tag="v1.1.0"))
    assert any(f.code == "RA308" for f in releasing.findings)
    assert not any(f.code == "RA313" for f in releasing.findings)


def test_a_missing_changelog_is_one_finding_when_both_checks_run(make_repo: RepoFactory) -> None:
    """``--only version`` names the configured-but-missing changelog itself (RA314); with the
    changelog check running too, that check's RA401 is the one finding."""
    from release_assistant.core.engine import run_checks, select_checks

    root = make_repo(
        {"pyproject.toml": pyproject(extra='\n[tool.release-assistant]\nchangelog = "NEWS.md"\n')}
    )
    alone = run_checks(RepoContext.load(root, tag="v0.1.1"), select_checks(["version"], []))
    both = run_checks(
        RepoContext.load(root, tag="v0.1.1"), select_checks(["version", "changelog"], [])
    )
    assert [f.code for r in alone for f in r.findings if f.severity is Severity.ERROR] == ["RA314"]
    assert [f.code for r in both for f in r.findings if f.severity is Severity.ERROR] == ["RA401"]
