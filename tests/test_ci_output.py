"""CI-native output: SARIF 2.1.0 (validated against models generated from the SARIF schema),
GitHub workflow-command annotations, and ``--strict``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic_sarif.model import StaticAnalysisResultsFormatSarifVersion210JsonSchema as Sarif

from release_assistant.cli.main import main
from release_assistant.core.rules import rule_for
from tests.conftest import RepoFactory, minimal_pyproject

CHANGELOG_WITH_OLD_STYLE = """\
# Changelog

## [Unreleased]

## [1.0.0] - 2026-01-02

- First release.

[1.0.0]: https://example.invalid/1.0.0
"""

MISMATCH = {
    "pyproject.toml": minimal_pyproject("demo", "1.0.0"),
    "CHANGELOG.md": CHANGELOG_WITH_OLD_STYLE,
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, _ = capsys.readouterr()
    return code, out


def test_sarif_validates_and_carries_the_registry(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(MISMATCH)
    code, out = run(
        capsys,
        "check",
        "--repo",
        str(root),
        "--only",
        "version",
        "--tag",
        "v2.0.0",
        "--format",
        "sarif",
    )
    assert code == 1
    log = json.loads(out)
    Sarif.model_validate(log)  # the SARIF 2.1.0 schema's own constraints
    run_ = log["runs"][0]
    rules = {rule["id"]: rule for rule in run_["tool"]["driver"]["rules"]}
    result = next(r for r in run_["results"] if r["ruleId"] == "RA303")
    assert result["level"] == "error"
    assert run_["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "RA303"
    registry = rule_for("RA303")
    assert registry is not None
    assert rules["RA303"]["shortDescription"]["text"] == registry.title
    assert rules["RA303"]["help"]["text"] == registry.fix
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "pyproject.toml"
    assert location["region"]["startLine"] >= 1


def test_sarif_rejects_what_the_schema_rejects() -> None:
    """Guard the oracle: an invalid level does not validate."""
    from pydantic import ValidationError

    bad = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "x"}},
                "results": [{"message": {"text": "m"}, "level": "fatal"}],
            }
        ],
    }
    with pytest.raises(ValidationError):
        Sarif.model_validate(bad)


def test_github_annotations_are_workflow_commands(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(MISMATCH)
    code, out = run(
        capsys,
        "check",
        "--repo",
        str(root),
        "--only",
        "version",
        "--tag",
        "v2.0.0",
        "--format",
        "github",
    )
    assert code == 1
    lines = out.splitlines()
    annotation = next(line for line in lines if "RA303" in line)
    assert annotation.startswith("::error file=pyproject.toml,line=")
    assert ",title=RA303 (version)::" in annotation
    assert "\n" not in annotation and "%0Afix: " in annotation
    assert lines[-1].startswith("release-assistant: release blocked (version)")


def test_strict_makes_warnings_block(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(MISMATCH)
    base = ["check", "--repo", str(root), "--only", "changelog", "--format", "json"]
    code, out = run(capsys, *base)
    report = json.loads(out)
    assert report["checks"][0]["status"] == "warn", report["checks"][0]
    assert (code, report["ok"], report["strict"]) == (0, True, False)
    code, out = run(capsys, *base, "--strict")
    report = json.loads(out)
    assert (code, report["ok"], report["strict"]) == (1, False, True)


def test_the_text_output_is_unchanged_by_the_new_formats(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_repo(MISMATCH)
    code, out = run(capsys, "check", "--repo", str(root), "--only", "version")
    assert code == 0 and "ready to release" in out


def test_sarif_uris_are_percent_encoded(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """A path with a space, ``#``, ``%``, ``:`` or non-ASCII is one valid URI reference."""
    name = "docs/my notes#1 50%:ä.md"
    pyproject = (
        minimal_pyproject("demo", "1.0.0") + f'\n[tool.release-assistant]\nchangelog = "{name}"\n'
    )
    root = make_repo({"pyproject.toml": pyproject, name: CHANGELOG_WITH_OLD_STYLE})
    code, out = run(
        capsys, "check", "--repo", str(root), "--only", "changelog", "--format", "sarif"
    )
    assert code == 0  # the changelog check warns
    log = json.loads(out)
    Sarif.model_validate(log)
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in log["runs"][0]["results"]
        for location in result.get("locations", [])
    }
    assert "docs/my%20notes%231%2050%25%3A%C3%A4.md" in uris, uris
    assert not any(" " in uri or "#" in uri for uri in uris)
