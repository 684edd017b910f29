"""``release-assistant report``: run the checks and write the verification report pair.

The report lists exactly the checks that ran in this invocation (``--only``/``--skip``
narrow them), with their status, findings and durations, the tool version, the git commit
and the tag; the parity gate's suites table and upstream lock appear only when the ``gates``
check ran a configured gate. Exit 0: every blocking check passed; 1: a blocking check
failed (the files are written either way); 2: usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from release_assistant.cli.common import (
    add_repo_argument,
    add_selection_arguments,
    run_selected_checks,
)
from release_assistant.core.support.errors import ExitCode, UsageError


def register(subparsers: Any) -> None:
    """Add the ``report`` command."""
    parser = subparsers.add_parser(
        "report",
        help="run the checks and write verification-report.json and .md",
        description="Run the release checks and write the verification report (JSON and "
        "Markdown) from the checks that actually ran. Exit code 0: every blocking check "
        "passed; 1: a blocking check failed (the report is written either way); 2: usage "
        "or configuration error.",
    )
    add_repo_argument(parser)
    add_selection_arguments(parser)
    parser.add_argument(
        "--output-json",
        type=Path,
        default=Path("verification-report.json"),
        metavar="F",
        help="JSON report path (default: verification-report.json)",
    )
    parser.add_argument(
        "--output-md",
        type=Path,
        default=Path("verification-report.md"),
        metavar="F",
        help="Markdown report path (default: verification-report.md)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the selected checks, write both report files, print where and the verdict."""
    from release_assistant.core.report.files import write_report_pair

    if args.output_json.resolve() == args.output_md.resolve():
        raise UsageError("--output-json and --output-md must be different files")
    report = run_selected_checks(args)
    results = report.checks
    json_path, md_path = write_report_pair(report, args.output_json, args.output_md)
    s = report.summary
    verdict = "ready to release" if report.ok else "release blocked"
    checks = f"{len(results)} check{'' if len(results) == 1 else 's'}"
    sys.stdout.write(
        f"wrote {json_path} and {md_path} · {checks}: {s.pass_} passed, {s.fail} failed, "
        f"{s.warn} warned, {s.skip} skipped, {s.error} errored · {verdict}\n"
    )
    return ExitCode.OK if report.ok else ExitCode.FAILED
