"""``release-assistant check``: run the checks, print text or JSON, exit 0/1/2."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from release_assistant.cli.common import (
    add_repo_argument,
    add_selection_arguments,
    run_selected_checks,
)
from release_assistant.core.support.errors import ExitCode


def register(subparsers: Any) -> None:
    """Add the ``check`` command."""
    parser = subparsers.add_parser(
        "check",
        help="run the release checks (non-interactive)",
        description="Run the release checks and print a verdict. Exit code 0: every "
        "blocking check passed; 1: a blocking check failed; 2: usage or configuration error.",
    )
    add_repo_argument(parser)
    add_selection_arguments(parser)
    parser.add_argument(
        "--format",
        choices=("text", "json", "sarif", "github"),
        default="text",
        help="output format: text, json (the report), sarif (SARIF 2.1.0 for code scanning), "
        "github (workflow-command annotations) (default: text)",
    )
    parser.add_argument(
        "--report-dir", metavar="DIR", help="also write verification-report.json and .md into DIR"
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text output (default: auto; NO_COLOR is honoured)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the selected checks and print their results."""
    from release_assistant.cli.render import use_color
    from release_assistant.core.report.reporters import render

    report = run_selected_checks(args)
    if args.report_dir:
        from release_assistant.core.report.files import write_report_files

        write_report_files(report, args.report_dir)
    color = args.format == "text" and use_color(args.color, sys.stdout)
    sys.stdout.write(render(report, args.format, color=color))
    return ExitCode.OK if report.ok else ExitCode.FAILED
