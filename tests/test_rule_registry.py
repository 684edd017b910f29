"""The rule registry: one place per code, read by the engine, `explain` and the reference."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.rules import all_rules, apply_rules, explain, rule_for
from release_assistant.core.rules.reference import markdown_reference
from release_assistant.core.urls import PYPI_HOST
from tests.conftest import minimal_pyproject

ROOT = Path(__file__).resolve().parents[1]


def test_every_rule_has_its_check_severity_and_texts() -> None:
    for rule in all_rules():
        assert rule.title and rule.cause and rule.fix, rule.code
        if rule.code.startswith("RA"):
            assert rule.check, rule.code
        assert rule.anchor == f"docs/rules.md#{rule.code.lower()}"


def test_the_committed_reference_is_generated_from_the_registry() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == markdown_reference(), (
        "docs/rules.md is stale: run `release-assistant explain --reference > docs/rules.md`"
    )
    assert PYPI_HOST not in committed
    for rule in all_rules():
        assert f"### {rule.code}\n" in committed


def test_the_registry_gives_the_default_severity() -> None:
    # RA410 (an old section's style) is a warning in the registry, whatever the check said.
    (finding,) = apply_rules([Finding("RA410", "undated", Severity.ERROR)])
    assert finding.severity is Severity.WARNING
    (finding,) = apply_rules([Finding("RA515", "duplicate", Severity.WARNING)])
    assert finding.severity is Severity.ERROR


def test_config_overrides_beat_the_registry() -> None:
    overrides = {"RA504": Severity.WARNING, "RA410": Severity.ERROR}
    first, second = apply_rules([Finding("RA504", "stale"), Finding("RA410", "undated")], overrides)
    assert (first.severity, second.severity) == (Severity.WARNING, Severity.ERROR)


def test_contextual_rules_keep_the_checks_severity() -> None:
    contextual = [rule for rule in all_rules() if rule.contextual]
    for rule in contextual:
        (finding,) = apply_rules([Finding(rule.code, "x", Severity.WARNING)])
        assert finding.severity is Severity.WARNING


def test_collapse_reports_a_repeated_problem_once_with_a_count() -> None:
    collapsing = next((rule for rule in all_rules() if rule.collapse), None)
    if collapsing is None:
        pytest.skip("no rule collapses")
    findings = [
        Finding(collapsing.code, "bad heading", path="CHANGELOG.md", line=n) for n in (3, 9, 14)
    ]
    (finding,) = apply_rules(findings)
    assert finding.line == 3
    assert "3 times" in finding.message and "9, 14" in finding.message


def test_unknown_codes_pass_through_unchanged() -> None:
    finding = Finding("RA999", "x", Severity.INFO)
    assert apply_rules([finding]) == (finding,)
    assert rule_for("RA999") is None and rule_for("zizmor/x") is None


def test_explain_json_names_check_severity_and_reference() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "release_assistant", "explain", "RA515", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    payload = json.loads(out)
    assert payload["check"] == "lock" and payload["severity"] == "error"
    assert payload["reference"] == "docs/rules.md#ra515"
    entry = explain("RA515")
    assert entry is not None and entry.title == payload["title"]


def _run_check(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "release_assistant", "check", "--repo", str(repo), *args],
        capture_output=True,
        text=True,
    )


def test_severity_table_in_config_changes_the_verdict(tmp_path: Path) -> None:
    repo = tmp_path / "proj"
    repo.mkdir()
    (repo / "pyproject.toml").write_text(
        minimal_pyproject("proj", "1.0.0")
        + '\n[tool.release-assistant]\nchangelog = "CHANGELOG.md"\n'
        + '\n[tool.release-assistant.severity]\nRA401 = "warning"\n',
        encoding="utf-8",
    )
    result = _run_check(repo, "--only", "changelog", "--format", "json")
    report = json.loads(result.stdout)
    (check,) = report["checks"]
    assert check["status"] == "warn", check
    (finding,) = check["findings"]
    assert finding["severity"] == "warning"
    assert finding["reference"] == "docs/rules.md#ra401"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('RA401 = "fatal"', "expected one of error, warning, info"),
        ('R401 = "error"', "is not a finding code"),
    ],
)
def test_a_bad_severity_table_is_a_config_error(tmp_path: Path, table: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(
        minimal_pyproject("proj", "1.0.0") + f"\n[tool.release-assistant.severity]\n{table}\n",
        encoding="utf-8",
    )
    result = _run_check(tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "pyproject.toml:" in result.stderr
    assert result.stderr.count("\n") == 1


def test_every_code_the_readme_names_is_in_the_registry() -> None:
    """The README points at codes; the registry is where they are defined."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\bRA\d{3}\b", readme))
    assert named, "the README names no code: the scan is broken"
    missing = sorted(code for code in named if rule_for(code) is None)
    assert not missing, f"README names codes the registry does not define: {missing}"
