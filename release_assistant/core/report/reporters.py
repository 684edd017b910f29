"""Every output format of a report behind one interface: :func:`render`.

A reporter is a function ``Report -> str``; :data:`FORMATS` names them. Each is imported
when asked for, so the text output never loads what JSON, SARIF or Markdown need (pydantic,
``json``). Writing the result (stdout, files, atomically and redacted) is the caller's job.
"""

from __future__ import annotations

from typing import Literal

from release_assistant.core.report.run_report import Report

Format = Literal["text", "json", "markdown", "sarif", "github"]
#: The formats, in the order ``--help`` lists them.
FORMATS: tuple[Format, ...] = ("text", "json", "markdown", "sarif", "github")


def render(
    report: Report, output_format: Format, *, color: bool = False, encoding: str | None = "utf-8"
) -> str:
    """``report`` rendered as ``output_format``; ``color``/``encoding`` apply to text only."""
    if output_format == "text":
        from release_assistant.core.report.text import render_text

        return render_text(report, color=color, encoding=encoding)
    if output_format == "json":
        from release_assistant.core.report.json_report import report_json

        return report_json(report) + "\n"
    if output_format == "markdown":
        from release_assistant.core.report.markdown import render_markdown

        return render_markdown(report)
    if output_format == "sarif":
        import json

        from release_assistant.core.report.annotations import sarif_log

        return json.dumps(sarif_log(report), indent=2) + "\n"
    if output_format == "github":
        from release_assistant.core.report.annotations import github_annotations

        return github_annotations(report)
    raise ValueError(f"unknown report format {output_format!r} (known: {', '.join(FORMATS)})")
