"""``release-assistant tag [vX.Y.Z] [--push] [--sign]``: refuse unless every blocking check
passes, then plan, show, confirm, tag (and push)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from release_assistant.cli.common import add_repo_argument, repo_root
from release_assistant.cli.confirm import add_plan_arguments, show_and_run
from release_assistant.core.support.errors import ExitCode, UsageError


def register(subparsers: Any) -> None:
    """Add the ``tag`` command."""
    parser = subparsers.add_parser(
        "tag",
        help="create the annotated release tag (refuses unless every blocking check passes)",
        description="Run every check; refuse on any blocking failure. Then create the "
        "annotated tag (message: the changelog section) on HEAD, and with --push push "
        "exactly refs/tags/<tag> to origin after re-checking that the branch did not move.",
    )
    parser.add_argument(
        "tag", nargs="?", help="the tag (default: the project's version in tag_format)"
    )
    parser.add_argument("--push", action="store_true", help="push the tag to origin")
    parser.add_argument(
        "--sign", action="store_true", help="sign the tag (also when tag.gpgSign is set)"
    )
    add_repo_argument(parser)
    add_plan_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Gate on the checks, then show and run the tag plan."""
    from release_assistant.cli.common import validated_tag
    from release_assistant.core.context import RepoContext
    from release_assistant.core.engine import REGISTRY, run_checks
    from release_assistant.core.git.state import read_state
    from release_assistant.core.release.tag import TagRequest, plan_tag

    tag = validated_tag(args.tag)  # before any git call: a bad name is a usage error
    root = repo_root(args)
    ctx = RepoContext.load(root, tag=tag, releasing=True)
    name = ctx.release.tag
    if name is None:
        raise UsageError("no version to tag: give the tag, e.g. `release-assistant tag v1.2.3`")
    validated_tag(name)
    state = read_state(root)  # GitProblem: refused (1)
    results = run_checks(ctx, REGISTRY)
    blocking = [result for result in results if result.blocks_release]
    if blocking:
        print(f"refused: not tagging {name}: blocking checks failed", file=sys.stderr)
        for result in blocking:
            print(f"  {result.id}: {result.status.value}", file=sys.stderr)
            for finding in result.findings:
                if finding.severity.value == "error":
                    where = f"{finding.location()}: " if finding.location() else ""
                    print(f"    {where}{finding.code} {finding.message}", file=sys.stderr)
        print("run `release-assistant check` for the fixes", file=sys.stderr)
        return ExitCode.FAILED
    plan = plan_tag(ctx, state, TagRequest(name, push=args.push, sign=args.sign))
    code = show_and_run(plan, args)
    if code == ExitCode.OK and not args.dry_run:
        if args.push:
            from release_assistant.core.release.start_run import after_tag_push
            from release_assistant.core.workflows.run_start import publish_trigger

            trigger = publish_trigger(ctx.workflows, name, ctx.root_dir)
            print(after_tag_push(trigger, name, ctx.origin.on_github))
        else:
            print(f"next: git push origin refs/tags/{name} (or run again with --push)")
    return code
