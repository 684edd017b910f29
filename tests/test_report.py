"""The verification report (``report`` and ``check --report-dir``): it lists exactly the
checks that ran, and shows the parity suites table and upstream lock only when the gate ran."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from release_assistant.cli.main import main
from release_assistant.core.findings import CheckResult, Finding, Status
from release_assistant.core.report.json_report import report_schema
from release_assistant.core.report.markdown import render_markdown
from release_assistant.core.report.run_report import Report, build_report
from tests.conftest import SEED_CHANGELOG, SEED_PYPROJECT, RepoFactory, git
from tests.parity_fixtures import COMMITS, DREAMER, LOCK, TDMPC2, generated_set, read_json

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.timezone.utc)


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def gated_repo(make_repo: RepoFactory) -> Path:
    """The seed project with its parity artifacts committed and the gate configured."""
    root = make_repo({}, commit=False)
    pset = generated_set(root)
    (root / "pyproject.toml").write_text(
        textwrap.dedent(SEED_PYPROJECT).lstrip() + pset.config_toml()
    )
    (root / "CHANGELOG.md").write_text(textwrap.dedent(SEED_CHANGELOG).lstrip())
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "release files and parity artifacts")
    return root


def report_files(
    root: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, dict[str, Any], str]:
    out_dir = root.parent / f"{root.name}-report"
    code, out, err = run_cli(
        capsys,
        "report",
        "--repo",
        str(root),
        "--output-json",
        str(out_dir / "verification-report.json"),
        "--output-md",
        str(out_dir / "verification-report.md"),
        *extra,
    )
    assert err == "", err
    assert out.startswith(f"wrote {out_dir / 'verification-report.json'} and ")
    data = read_json(out_dir / "verification-report.json")
    markdown = (out_dir / "verification-report.md").read_text(encoding="utf-8")
    return code, data, markdown


def test_report_lists_only_the_checks_that_ran(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = gated_repo(make_repo)
    code, data, markdown = report_files(root, capsys, "--only", "version")
    assert code == 0
    assert [check["id"] for check in data["checks"]] == ["version"]
    assert data["summary"] == {"pass": 1, "fail": 0, "warn": 0, "skip": 0, "error": 0}
    assert data["gates"] is None
    rows = [line for line in markdown.splitlines() if line.startswith("| `")]
    assert len(rows) == 1 and rows[0].startswith("| `version` ")
    assert "Parity gate" not in markdown and "gates" not in markdown


def test_report_with_the_gate_shows_the_suites_table_and_lock(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = gated_repo(make_repo)
    code, data, markdown = report_files(root, capsys, "--only", "version,changelog,gates")
    assert code == 0, data
    assert [c["id"] for c in data["checks"]] == ["version", "changelog", "gates"]
    assert data["tag"] == "v0.1.1" and data["version"] == "0.1.1"
    assert data["git_commit"] == git(root, "rev-parse", "HEAD").strip()
    assert data["tool_version"] and all(c["duration_ms"] >= 0 for c in data["checks"])
    parity = data["gates"]["parity"]
    assert parity["ok"] is True
    assert [(s["suite_id"], s["samples"], s["pass"]) for s in parity["suites"]] == [
        (DREAMER, 4, True),
        (TDMPC2, 4, True),
    ]
    assert "| Suite | Samples | Upper CI | Margin | Pass | Reason |" in markdown
    assert (
        f"| `{DREAMER}` | 4 | 0.000000 | 0.050000 | ✅ yes | "
        "PASS: one-sided upper CI 0.000000 <= margin 0.050000 |"
    ) in markdown
    assert "### Upstream lock" in markdown
    assert f"- `{LOCK}` · schema `worldflux.parity.lock.v1`" in markdown
    assert f"- `{TDMPC2}`: https://example.invalid/tdmpc2 @ `{COMMITS[TDMPC2]}`" in markdown


def test_a_failing_gate_is_reported_with_its_reasons(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = gated_repo(make_repo)
    (root / f"reports/parity/runs/{TDMPC2}.json").unlink()
    code, data, markdown = report_files(root, capsys, "--only", "gates")
    assert code == 1
    (gates,) = data["checks"]
    assert gates["status"] == "fail"
    assert [f["code"] for f in gates["findings"]] == ["RA804", "RA815"]
    suites = {s["suite_id"]: s for s in data["gates"]["parity"]["suites"]}
    assert suites[DREAMER]["pass"] is True and suites[TDMPC2]["pass"] is False
    assert (
        f"| `{TDMPC2}` | 4 | 0.000000 | 0.050000 | ❌ no | required suite artifact missing: "
        in (markdown)
    )
    assert "- Verdict: **failed** (2 failures)" in markdown


def test_skipped_or_disabled_gates_never_show_a_table(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = gated_repo(make_repo)
    _, data, markdown = report_files(root, capsys, "--only", "version", "--skip", "gates")
    assert data["gates"] is None and "Parity gate" not in markdown
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text() + "\n[tool.release-assistant.checks.gates]\nenabled = false\n"
    )
    _, data, markdown = report_files(root, capsys, "--only", "gates")
    assert data["checks"][0]["status"] == "skip" and data["gates"] is None
    assert "Parity gate" not in markdown


def test_unconfigured_gates_are_a_skip_with_reason(
    make_repo: RepoFactory, seed_files: dict[str, str | bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(seed_files)
    code, data, markdown = report_files(root, capsys, "--only", "gates")
    assert code == 0 and data["gates"] is None
    assert data["checks"][0]["status"] == "skip"
    assert "no gate configured" in data["checks"][0]["reason"]
    assert "no gate configured" in markdown


def test_check_report_dir_writes_the_same_pair(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = gated_repo(make_repo)
    out_dir = root.parent / "reports-dir"
    code, _, _ = run_cli(
        capsys, "check", "--repo", str(root), "--only", "gates", "--report-dir", str(out_dir)
    )
    assert code == 0
    data = read_json(out_dir / "verification-report.json")
    assert [c["id"] for c in data["checks"]] == ["gates"]
    assert data["gates"]["parity"]["ok"] is True
    markdown = (out_dir / "verification-report.md").read_text(encoding="utf-8")
    assert "| Suite | Samples | Upper CI | Margin | Pass | Reason |" in markdown


def test_report_default_paths_and_usage_errors(
    make_repo: RepoFactory,
    seed_files: dict[str, str | bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = make_repo(seed_files)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    code, out, _ = run_cli(capsys, "report", "--repo", str(root), "--only", "version")
    assert code == 0 and out.endswith(
        "1 check: 1 passed, 0 failed, 0 warned, 0 skipped, 0 errored · ready to release\n"
    )
    assert sorted(p.name for p in work.iterdir()) == [
        "verification-report.json",
        "verification-report.md",
    ]
    for argv, message in (
        (["--only", "nope"], "unknown check id 'nope'"),
        (["--tag", "v1..2"], "--tag 'v1..2'"),
        (["--output-json", "same", "--output-md", "same"], "must be different files"),
    ):
        code, out, err = run_cli(capsys, "report", "--repo", str(root), *argv)
        assert code == 2 and out == "" and message in err


def test_report_schema_documents_the_gates_section() -> None:
    schema = report_schema()
    assert "gates" in schema["properties"]
    assert "ParitySummary" in json.dumps(schema["$defs"])


def _report(details: dict[str, object] | None) -> Report:
    result = CheckResult(
        "gates",
        "Release gates pass",
        Status.FAIL,
        (Finding("RA802", "upstream lock file is missing: lock.json", path="lock.json"),),
        details=details,
    )
    return build_report(Path("/repo"), "v1.0.0", "1.0.0", [result], git_commit="abc", now=NOW)


def test_markdown_of_a_missing_lock_and_no_suites(tmp_path: Path) -> None:
    from release_assistant.core.gates.parity.result import ParityInputs
    from release_assistant.core.gates.parity.validate import validate_parity

    result = validate_parity(
        ParityInputs((), tmp_path / "agg.json", tmp_path / "lock.json", ("solo",), 0, tmp_path)
    )
    markdown = render_markdown(_report({"parity": result.summary_record()}))
    assert "- `lock.json`: missing" in markdown
    assert "| `solo` | - | - | - | ❌ no | required suite artifact missing: solo; " in markdown
    assert "| Suite | Samples |" in markdown


def test_details_of_other_checks_do_not_make_a_gates_section() -> None:
    assert _report(None).gates is None
    assert "Parity gate" not in render_markdown(_report(None))


def test_the_report_holds_the_check_results_and_reads_them_back() -> None:
    """The report is written from ``CheckResult``/``Finding`` themselves, and read back as them:
    suppressed findings share the JSON's one list (flagged) and return to ``suppressed``."""
    from release_assistant.core.findings import Severity
    from release_assistant.core.report.json_report import report_from_json, report_json

    results = [
        CheckResult(
            "version",
            "Version metadata agrees",
            Status.FAIL,
            (Finding("RA303", "tag and version differ", Severity.ERROR, "pyproject.toml", 3),),
            duration_ms=1.5,
            suppressed=(Finding("RA312", "read from pyproject", Severity.INFO, "a.py", 1),),
        ),
        CheckResult("lock", "Lock files in sync", Status.SKIP, blocking=False, reason="no lock"),
    ]
    report = build_report(Path("/repo"), "v1.0.0", "1.0.0", results, now=NOW)
    assert report.checks == results
    payload = json.loads(report_json(report))
    listed = payload["checks"][0]["findings"]
    assert [(f["code"], f["suppressed"], f["title"]) for f in listed] == [
        ("RA303", False, "Tag and project version disagree"),
        ("RA312", True, "Where the version was read"),
    ]
    assert "details" not in payload["checks"][0] and "sources" not in payload["checks"][0]
    assert report_from_json(report_json(report)).checks == results
