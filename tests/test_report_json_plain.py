"""The report's JSON written without pydantic (``core.report.json_shape``) is byte for byte what
pydantic's ``TypeAdapter(Report)`` writes, and pydantic still writes what it does not vouch for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from release_assistant.core.findings import CheckResult, Finding, Severity, Status
from release_assistant.core.report.json_report import pydantic_report_json, report_json
from release_assistant.core.report.json_shape import plain_report_json
from release_assistant.core.report.run_report import Report, build_report
from tests.conftest import run_isolated

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.timezone.utc)

#: Every kind of string JSON escapes, and text that it must not.
AWKWARD = 'quote " backslash \\ newline \n tab \t nul \x00 unit \x1f del \x7f é ✔ \u2028 / 😀'


def _results(duration_ms: float = 62.2) -> list[CheckResult]:
    return [
        CheckResult(
            "version",
            "Version metadata agrees",
            Status.FAIL,
            (
                Finding("RA303", "tag and version differ", Severity.ERROR, "pyproject.toml", 3),
                Finding("RA105", AWKWARD, Severity.WARNING, hint=AWKWARD),
                Finding("ZZ999", "not a rule of ours", Severity.INFO, external_id="zizmor/x"),
            ),
            duration_ms=duration_ms,
            suppressed=(Finding("RA312", "read from pyproject", Severity.INFO, "a.py", 1),),
            details={"anything": object()},
            sources=("pyproject.toml",),
        ),
        CheckResult("lock", "Lock files in sync", Status.SKIP, blocking=False, reason="no lock"),
        CheckResult("ci", "CI", Status.ERROR, reason=AWKWARD, duration_ms=0.0),
        CheckResult("dist", "Built distributions", Status.PASS, duration_ms=7),
    ]


REPORTS = {
    "typical": build_report(Path("/repo"), "v1.0.0", "1.0.0", _results(), "abc", NOW, False),
    "strict, nothing known": build_report(Path("/r é"), None, None, [], None, NOW, True),
    "no checks": build_report(Path("/repo"), "v1", "1", [], now=NOW),
    "microseconds": build_report(
        Path("/repo"), "v1", "1", _results(0.0001), now=NOW.replace(microsecond=120)
    ),
    "large duration": build_report(Path("/repo"), "v1", "1", _results(123456789012345.6), now=NOW),
    "utc by another name": build_report(
        Path("/repo"), "v1", "1", _results(14.71), now=NOW.astimezone(dt.timezone(dt.timedelta()))
    ),
}


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_the_plain_writer_writes_what_pydantic_writes(name: str) -> None:
    report = REPORTS[name]
    plain = plain_report_json(report)
    assert plain is not None, "the usual report must not need pydantic"
    assert plain == pydantic_report_json(report)
    assert report_json(report) == plain


def test_a_real_run_is_written_alike(tmp_path: Path) -> None:
    """A check run's report, timings and all, from this repository."""
    from release_assistant.core.context import RepoContext
    from release_assistant.core.engine import run_checks, select_checks

    root = Path(__file__).resolve().parents[1]
    ctx = RepoContext.load(root)
    results = run_checks(ctx, select_checks(["version", "changelog", "workflow"], []))
    report = build_report(root, ctx.release.tag, ctx.release.version_text, results, now=NOW)
    assert plain_report_json(report) == pydantic_report_json(report)


@pytest.mark.parametrize(
    "report",
    [
        # exponent forms differ: pydantic writes 0.00001, repr 1e-05
        build_report(Path("/repo"), "v1", "1", _results(0.00001), now=NOW),
        build_report(Path("/repo"), "v1", "1", _results(1e16), now=NOW),
        build_report(Path("/repo"), "v1", "1", _results(float("nan")), now=NOW),
        # not UTC, or no time zone at all
        build_report(
            Path("/repo"), "v1", "1", [], now=NOW.astimezone(dt.timezone(dt.timedelta(hours=1)))
        ),
        build_report(Path("/repo"), "v1", "1", [], now=NOW.replace(tzinfo=None)),
        # a lone surrogate (a path read with surrogateescape)
        build_report(Path("/repo/\udcff"), "v1", "1", [], now=NOW),
    ],
    ids=["tiny float", "huge float", "nan", "offset", "naive", "surrogate"],
)
def test_what_the_plain_writer_does_not_vouch_for_goes_to_pydantic(report: Report) -> None:
    assert plain_report_json(report) is None


def test_a_gates_summary_goes_to_pydantic(tmp_path: Path) -> None:
    from release_assistant.core.gates.parity.result import ParityInputs
    from release_assistant.core.gates.parity.validate import validate_parity

    result = validate_parity(
        ParityInputs((), tmp_path / "agg.json", tmp_path / "lock.json", ("solo",), 0, tmp_path)
    )
    check = CheckResult(
        "gates", "Release gates pass", Status.FAIL, details={"parity": result.summary_record()}
    )
    report = build_report(Path("/repo"), "v1", "1", [check], now=NOW)
    assert report.gates is not None
    assert plain_report_json(report) is None
    assert report_json(report) == pydantic_report_json(report)
    assert '"suites"' in report_json(report)


def test_writing_the_json_report_imports_no_pydantic(tmp_path: Path) -> None:
    """``check --report-dir`` writes ``verification-report.json``; importing pydantic and
    building its adapter for that was over a third of the run."""
    result, _ = run_isolated(
        f"""
        import json, sys
        from pathlib import Path
        from release_assistant.core.report.files import write_report_files
        from release_assistant.core.report.run_report import build_report
        from release_assistant.core.findings import CheckResult, Finding, Status
        check = CheckResult("version", "V", Status.FAIL, (Finding("RA303", "differ"),))
        report = build_report(Path("/repo"), "v1", "1", [check])
        write_report_files(report, {str(tmp_path)!r})
        print(json.dumps({{"modules": sorted(sys.modules)}}))
        """,
        cwd=tmp_path,
    )
    modules = result["modules"]
    assert isinstance(modules, list)
    assert "release_assistant.core.report.json_shape" in modules  # it really wrote JSON
    assert not [name for name in modules if name.split(".")[0] in ("pydantic", "pydantic_core")]
    assert '"code": "RA303"' in (tmp_path / "verification-report.json").read_text("utf-8")
