"""The text reporter: one line per check, findings indented below, a verdict at the end.

What a maintainer reads in a terminal or a CI log. Pure: the caller decides on colour and
the stream's encoding (marks fall back to ASCII where the stream cannot encode them).
"""

from __future__ import annotations

from release_assistant.core.findings import Severity
from release_assistant.core.report.run_report import Report, active_findings, suppressed_count

_MARKS = {"pass": "✔", "fail": "✘", "warn": "!", "skip": "-", "error": "✘"}
_ASCII_MARKS = {"pass": "ok", "fail": "FAIL", "warn": "warn", "skip": "skip", "error": "ERR"}
_COLORS = {"pass": "32", "fail": "31", "warn": "33", "skip": "2", "error": "31;1"}


def _can_encode(text: str, stream_encoding: str | None) -> bool:
    try:
        text.encode(stream_encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def render_text(report: Report, *, color: bool = False, encoding: str | None = "utf-8") -> str:
    """The report as a readable verdict: marks, ``path:line`` findings, fixes, a summary."""
    marks = _MARKS if _can_encode("✔✘", encoding) else _ASCII_MARKS

    def paint(status: str, text: str) -> str:
        return f"\x1b[{_COLORS[status]}m{text}\x1b[0m" if color else text

    lines: list[str] = []
    target = (
        f"tag {report.tag} (version {report.version})" if report.tag else "no version under release"
    )
    lines.append(f"release-assistant {report.tool_version} · {report.repo} · {target}")
    lines.append("")
    width = max((len(check.id) for check in report.checks), default=0)
    title_width = max((len(check.title) for check in report.checks), default=0)
    for check in report.checks:
        status = check.status.value
        mark = paint(status, f"{marks[status]:>4}")
        status_word = paint(status, f"{status.upper():<5}")
        tail = (
            f"  ({check.reason})"
            if status in ("skip", "error") and check.reason and not active_findings(check)
            else ""
        )
        optional = "" if check.blocking else "  [non-blocking]"
        timing = f"{check.duration_ms:>5.0f} ms"
        silenced = suppressed_count(check)
        muted = f"  ({silenced} suppressed)" if silenced else ""
        lines.append(
            f"{mark}  {check.id:<{width}}  {status_word}  {check.title:<{title_width}}  "
            f"{timing}{optional}{tail}{muted}"
        )
        for finding in active_findings(check):
            where = (
                f"{finding.path}:{finding.line}"
                if finding.path and finding.line
                else (finding.path or "")
            )
            prefix = f"{where}: " if where else ""
            severity = "" if finding.severity is Severity.ERROR else f"[{finding.severity.value}] "
            lines.append(f"        {prefix}{finding.code} {severity}{finding.message}")
            if finding.hint:
                lines.append(f"          fix: {finding.hint}")
    explained = _first_explained_code(report)
    if explained is not None:
        lines.append("")
        lines.append(f"Cause and fix of a code in detail: release-assistant explain {explained}")
    s = report.summary
    parts = [f"{s.pass_} passed", f"{s.fail} failed", f"{s.warn} warned", f"{s.skip} skipped"]
    if s.error:
        parts.append(f"{s.error} errored")
    verdict = "ready to release" if report.ok else "release blocked"
    silenced = sum(suppressed_count(check) for check in report.checks)
    if silenced:
        parts.append(f"{silenced} suppressed")
    lines.append("")
    lines.append(f"{', '.join(parts)} · " + paint("pass" if report.ok else "fail", verdict))
    return "\n".join(lines) + "\n"


def _first_explained_code(report: Report) -> str | None:
    """The first blocking finding's code that the troubleshooting table explains."""
    from release_assistant.core.rules import explain

    for check in report.checks:
        for finding in active_findings(check):
            if finding.severity is Severity.ERROR and explain(finding.code) is not None:
                return finding.code
    return None
