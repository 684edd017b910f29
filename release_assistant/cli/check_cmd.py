"""``release-assistant check``: run the checks, print text or JSON, exit 0/1/2."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from release_assistant.cli.common import add_repo_argument, repo_root, split_ids
from release_assistant.cli.main import EXIT_FAILED, EXIT_OK, UsageError


def register(subparsers: Any) -> None:
    """Add the ``check`` command."""
    parser = subparsers.add_parser(
        "check",
        help="run the release checks (non-interactive)",
        description="Run the release checks and print a verdict. Exit code 0: every "
        "blocking check passed; 1: a blocking check failed; 2: usage or configuration error.",
    )
    add_repo_argument(parser)
    parser.add_argument(
        "--tag", help="tag under release, e.g. v1.2.3 (default: the tag for the project's version)"
    )
    parser.add_argument(
        "--only", action="append", metavar="ID[,ID...]", help="run only these checks"
    )
    parser.add_argument(
        "--skip", action="append", metavar="ID[,ID...]", help="do not run these checks"
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
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
    from release_assistant.cli.render import render_text, use_color
    from release_assistant.core.context import RepoContext
    from release_assistant.core.engine import known_check_ids, run_checks, select_checks
    from release_assistant.core.gitinfo import head_commit
    from release_assistant.core.refnames import tag_name_problem
    from release_assistant.core.report import build_report, report_json

    root = repo_root(args)
    if args.tag is not None:
        problem = tag_name_problem(args.tag)
        if problem is not None:
            raise UsageError(f"--tag {args.tag!r}: {problem}")
    try:
        specs = select_checks(split_ids(args.only), split_ids(args.skip))
    except KeyError as unknown:
        raise UsageError(
            f"unknown check id {unknown.args[0]!r} (known: {', '.join(known_check_ids())})"
        ) from None
    ctx = RepoContext.load(root, tag=args.tag)
    results = run_checks(ctx, specs)
    report = build_report(
        root, ctx.release.tag, ctx.release.version_text, results, git_commit=head_commit(root)
    )
    if args.report_dir:
        from release_assistant.cli.report_files import write_report_files

        write_report_files(report, args.report_dir)
    if args.format == "json":
        sys.stdout.write(report_json(report) + "\n")
    else:
        sys.stdout.write(render_text(report, color=use_color(args.color, sys.stdout)))
    return EXIT_OK if report.ok else EXIT_FAILED
