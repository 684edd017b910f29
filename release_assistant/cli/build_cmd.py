"""``release-assistant build``: rebuild ``dist/`` clean with ``python -m build``, then run
the ``dist`` check on it. Plan, show, confirm, do, like ``tag``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from release_assistant.cli.common import add_repo_argument, repo_root
from release_assistant.cli.confirm import add_plan_arguments, show_and_run
from release_assistant.core.support.errors import ExitCode, UsageError


def register(subparsers: Any) -> None:
    """Add the ``build`` command."""
    parser = subparsers.add_parser(
        "build",
        help="rebuild dist/ clean (sdist + wheel) with `build`, then run the dist check",
        description="Remove the old files in dist/ (after confirmation), build an sdist and "
        "a wheel with PyPA's `build` (installed with release-assistant), then run the "
        "`dist` check on the result.",
    )
    parser.add_argument(
        "--no-isolation",
        action="store_true",
        help="build with the backend installed here instead of a fresh environment (no download)",
    )
    add_repo_argument(parser)
    add_plan_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Show and run the build plan, then check what it built."""
    from release_assistant.cli.render import use_color
    from release_assistant.core.context import RepoContext
    from release_assistant.core.engine import run_check, spec_for
    from release_assistant.core.git.readonly import head_commit
    from release_assistant.core.release.build import build_available, plan_build
    from release_assistant.core.report.run_report import build_report
    from release_assistant.core.report.text import render_text

    root = repo_root(args)
    RepoContext.load(root)  # a malformed config is a usage error before anything changes
    if not build_available():
        raise UsageError("PyPA's build is not installed: pip install build")
    plan = plan_build(str(root), isolation=not args.no_isolation)  # BuildRefused: refused
    code = show_and_run(plan, args)
    if code != ExitCode.OK or args.dry_run:
        return code
    ctx = RepoContext.load(root)
    result = run_check(spec_for("dist"), ctx)
    report = build_report(
        root, ctx.release.tag, ctx.release.version_text, [result], git_commit=head_commit(root)
    )
    sys.stdout.write(render_text(report, color=use_color("auto", sys.stdout)))
    return ExitCode.OK if report.ok else ExitCode.FAILED
