"""Writing ``verification-report.json`` and ``verification-report.md`` (atomically)."""

from __future__ import annotations

from pathlib import Path

from release_assistant.core.report import Report, report_json
from release_assistant.core.report_markdown import render_markdown
from release_assistant.core.textfiles import write_text_atomic


def write_report_files(report: Report, directory: str | Path) -> tuple[Path, Path]:
    """Write the JSON and Markdown reports into ``directory`` (created if needed)."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    json_path = target / "verification-report.json"
    md_path = target / "verification-report.md"
    write_text_atomic(json_path, report_json(report) + "\n")
    write_text_atomic(md_path, render_markdown(report))
    return json_path, md_path
