"""Writing ``verification-report.json`` and ``verification-report.md`` (atomically)."""

from __future__ import annotations

from pathlib import Path

from release_assistant.core.redact import redact
from release_assistant.core.report.reporters import render
from release_assistant.core.report.run_report import Report
from release_assistant.core.support.textfiles import FileProblem, write_texts_atomic

JSON_NAME = "verification-report.json"
MD_NAME = "verification-report.md"


def write_report_files(report: Report, directory: str | Path) -> tuple[Path, Path]:
    """Write the JSON and Markdown reports into ``directory`` (created if needed)."""
    target = Path(directory)
    return write_report_pair(report, target / JSON_NAME, target / MD_NAME)


def write_report_pair(report: Report, json_path: Path, md_path: Path) -> tuple[Path, Path]:
    """Write the JSON report to ``json_path`` and the Markdown one to ``md_path``.

    Both are rendered, then both are staged in temporary files, and only then moved into
    place (:func:`write_texts_atomic`): no file is ever half-written, and the pair carries
    one ``run_id``. A missing report directory is created, but not its missing parents (a
    typo in ``--report-dir`` must not scatter directories).
    """
    json_text = redact(render(report, "json"))
    md_text = redact(render(report, "markdown"))
    for path in (json_path, md_path):
        try:
            path.parent.mkdir(exist_ok=True)
        except FileNotFoundError:
            raise FileProblem(
                path, f"cannot write the report: the directory {path.parent.parent} does not exist"
            ) from None
        except OSError as exc:
            raise FileProblem(path, f"cannot write the report: {exc.strerror or exc}") from None
    try:
        write_texts_atomic([(json_path, json_text), (md_path, md_text)])
    except OSError as exc:
        raise FileProblem(json_path, f"cannot write the report: {exc.strerror or exc}") from None
    return json_path, md_path
