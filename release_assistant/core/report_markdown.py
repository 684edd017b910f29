"""The verification report as Markdown, for a GitHub release body or a PR comment."""

from __future__ import annotations

from release_assistant.core.report import Report

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
        f"- Commit: {report.git_commit or '(not a git repository)'}",
        f"- Generated: {report.generated_at.isoformat()}",
        f"- Verdict: **{verdict}**",
        "",
        "| Check | Status | Blocking | Duration | Findings |",
        "|---|---|---|---|---|",
    ]
    for check in report.checks:
        lines.append(
            f"| `{check.id}` {_cell(check.title)} | {_ICONS[check.status]} {check.status} | "
            f"{'yes' if check.blocking else 'no'} | {check.duration_ms:.0f} ms | "
            f"{len(check.findings)} |"
        )
    for check in report.checks:
        if not check.findings and not check.reason:
            continue
        lines += ["", f"## `{check.id}`: {check.status}", ""]
        if check.reason and not check.findings:
            lines.append(f"- {_cell(check.reason)}")
        for finding in check.findings:
            where = (
                f" `{finding.path}:{finding.line}`"
                if finding.path and finding.line
                else (f" `{finding.path}`" if finding.path else "")
            )
            hint = f" — fix: {_cell(finding.hint)}" if finding.hint else ""
            lines.append(
                f"- **{finding.code}** ({finding.severity}){where}: {_cell(finding.message)}{hint}"
            )
    return "\n".join(lines) + "\n"
