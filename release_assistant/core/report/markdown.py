"""The verification report as Markdown, for a GitHub release body or a PR comment."""

from __future__ import annotations

from release_assistant.core.gates.parity.result import ParitySummary
from release_assistant.core.report.run_report import (
    Report,
    active_findings,
    suppressed_count,
)

_ICONS = {"pass": "✅", "fail": "❌", "warn": "⚠️", "skip": "⏭️", "error": "💥"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    """A Markdown document listing exactly the checks that ran, with their findings."""
    verdict = "all blocking checks passed" if report.ok else "blocked: a blocking check failed"
    lines = [
        "# Verification report",
        "",
        f"- Tool: {report.tool} {report.tool_version}",
        f"- Tag: {report.tag or '(none)'} · version: {report.version or '(unknown)'}",
        f"- Commit: {report.git_commit or '(none: not a git repository, or no commit yet)'}",
        f"- Generated: {report.generated_at.isoformat()} · run {report.run_id}",
        f"- Verdict: **{verdict}**",
        "",
        "| Check | Status | Blocking | Duration | Findings |",
        "|---|---|---|---|---|",
    ]
    for check in report.checks:
        silenced = suppressed_count(check)
        muted = f" ({silenced} suppressed)" if silenced else ""
        status = check.status.value
        lines.append(
            f"| `{check.id}` {_cell(check.title)} | {_ICONS[status]} {status} | "
            f"{'yes' if check.blocking else 'no'} | {check.duration_ms:.0f} ms | "
            f"{len(active_findings(check))}{muted} |"
        )
    for check in report.checks:
        listed = check.listed_findings()
        if not listed and not check.reason:
            continue
        lines += ["", f"## `{check.id}`: {check.status.value}", ""]
        if check.reason and not listed:
            lines.append(f"- {_cell(check.reason)}")
        for finding, suppressed in listed:
            muted = " *(suppressed inline)*" if suppressed else ""
            where = (
                f" `{finding.path}:{finding.line}`"
                if finding.path and finding.line
                else (f" `{finding.path}`" if finding.path else "")
            )
            hint = f" — fix: {_cell(finding.hint)}" if finding.hint else ""
            lines.append(
                f"- **{finding.code}** ({finding.severity.value}){where}: {_cell(finding.message)}"
                f"{hint}{muted}"
            )
    if report.gates is not None and report.gates.parity is not None:
        lines += render_parity_markdown(report.gates.parity)
    return "\n".join(lines) + "\n"


_NONE = "-"


def _ratio(value: float | None) -> str:
    return _NONE if value is None else f"{value:.6f}"


def render_parity_markdown(summary: ParitySummary) -> list[str]:
    """The parity gate section: verdict, suites table and the upstream lock's pins."""
    count = len(summary.failures)
    verdict = "passed" if summary.ok else f"**failed** ({count} failure{'s' if count != 1 else ''})"
    required = ", ".join(f"`{suite}`" for suite in summary.required_suites) or "(none)"
    lines = [
        "",
        "## Parity gate",
        "",
        f"- Verdict: {verdict}",
        f"- Required suites: {required} · max missing pairs: {summary.max_missing_pairs}",
        f"- Aggregate: `{summary.aggregate_path or '(not configured)'}`",
        "",
        "| Suite | Samples | Upper CI | Margin | Pass | Reason |",
        "|---|---|---|---|---|---|",
    ]
    for suite in summary.suites:
        samples = _NONE if suite.samples is None else str(suite.samples)
        mark = "✅ yes" if suite.passed else "❌ no"
        lines.append(
            f"| `{_cell(suite.suite_id)}` | {samples} | {_ratio(suite.ci_upper_ratio)} | "
            f"{_ratio(suite.margin_ratio)} | {mark} | {_cell(suite.reason)} |"
        )
    if not summary.suites:
        lines.append("| (no suites) | - | - | - | - | - |")
    lock = summary.lock
    lines += ["", "### Upstream lock", ""]
    if lock.path is None:
        lines.append("- No upstream lock configured.")
    elif not lock.found:
        lines.append(f"- `{lock.path}`: missing")
    else:
        state = "" if lock.usable else " (malformed: see the findings above)"
        schema = f" · schema `{lock.schema_version}`" if lock.schema_version else ""
        lines.append(f"- `{lock.path}`{schema}{state}")
        for pin in lock.suites:
            repo = _cell(pin.repo) if pin.repo else "(no repo)"
            commit = f"`{pin.commit}`" if pin.commit else "(no commit)"
            lines.append(f"- `{_cell(pin.suite_id)}`: {repo} @ {commit}")
    return lines
