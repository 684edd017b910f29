"""``release-assistant ship {major,minor,patch,pre,post,dev,X.Y.Z}``: the whole release in
one plan, shown first, confirmed once, then run; a failure before the push undoes it all."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from release_assistant.cli.common import add_repo_argument, finish_interrupted_write, repo_root
from release_assistant.cli.confirm import add_plan_arguments, show_and_confirm
from release_assistant.core.support.errors import ExitCode, InputError

if TYPE_CHECKING:
    from release_assistant.core.release.plan import Action, StepOutcome


def register(subparsers: Any) -> None:
    """Add the ``ship`` command."""
    parser = subparsers.add_parser(
        "ship",
        help="the whole release: bump, relock, commit, check, tag, push, start the run",
        description="Plan the release and show it ('$' reads, '!' changes): fetch and the "
        "preflight checks; the bump (version files, the changelog in its own dialect); the "
        "relock; the release commit; the pre-release commands and the local build; every "
        "blocking check at the release commit; the annotated tag; one atomic push of the "
        "branch and the tag; the publishing run started as the workflow expects. Asks once "
        "(or --yes). A failure before the push puts the repository back as it was.",
    )
    parser.add_argument(
        "part",
        metavar="{major,minor,patch,pre,post,dev,X.Y.Z}",
        help="which part to bump, or the new version itself",
    )
    parser.add_argument("--watch", action="store_true", help="then follow the run (watch)")
    parser.add_argument(
        "--sign", action="store_true", help="sign the tag (also when tag.gpgSign is set)"
    )
    parser.add_argument(
        "--no-build-isolation",
        action="store_true",
        help="build with this environment's backend instead of an isolated one",
    )
    add_repo_argument(parser)
    add_plan_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Plan, show, confirm once, run; print what was undone or what is left."""
    from release_assistant.core.context import RepoContext
    from release_assistant.core.github.api import token_from
    from release_assistant.core.release.ship import ShipRequest, plan_ship

    root = repo_root(args)
    # A bump killed half-way (a journal left behind) is rolled back before anything is read.
    finish_interrupted_write(root, report_only=args.dry_run)
    ctx = RepoContext.load(root)
    request = ShipRequest(
        args.part,
        sign=args.sign,
        build_isolation=not args.no_build_isolation,
        token=token_from(ctx.environ),
    )
    # ShipRefused: refused (1); UnknownBump: usage (2).
    procedure = plan_ship(ctx, request, on_line=_print_output)
    stop = show_and_confirm(procedure.plan, args)
    if stop is not None:
        return stop
    outcome = procedure.run(on_step=_announce, on_done=_print_result)
    if not outcome.ok:
        print(f"release-assistant: failed: {outcome.execution.error}", file=sys.stderr)
        for line in outcome.execution.recovery:
            print(f"  {line}", file=sys.stderr)
        if outcome.undone:
            print("rolled back, nothing reached origin:", file=sys.stderr)
            for line in outcome.undone:
                print(f"  {line}", file=sys.stderr)
        for line in outcome.next_steps:
            print(f"  {line}", file=sys.stderr)
        return ExitCode.FAILED
    for path in outcome.report_paths:
        print(f"verification report: {path}")
    print(f"released {procedure.tag}")
    if args.watch:
        from release_assistant.cli import watch_cmd

        for line in outcome.next_steps[:-1]:  # the last one is the watch that follows now
            print(f"next: {line}")
        watch_args = argparse.Namespace(
            tag=procedure.tag, test_index=False, timeout=45.0, repo=args.repo
        )
        try:
            return watch_cmd.run(watch_args)
        except InputError as error:
            # The release is on origin; only following its run is not possible here.
            print(
                f"release-assistant: released {procedure.tag}, but cannot follow its run: {error}",
                file=sys.stderr,
            )
            return ExitCode.FAILED
    for line in outcome.next_steps:
        print(f"next: {line}")
    return ExitCode.OK


def _announce(action: Action) -> None:
    print(action.shown(), flush=True)


def _print_result(outcome: StepOutcome) -> None:
    if outcome.result:
        print(f"  {outcome.result}", flush=True)


def _print_output(line: str) -> None:
    print(f"    {line}", flush=True)
