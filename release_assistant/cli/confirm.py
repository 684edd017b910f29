"""Show a plan, ask, run it: the terminal side of plan → show → confirm → do.

``--dry-run`` prints the plan and stops. Without ``--yes`` the command asks on a terminal,
and refuses (exit code 1) when there is no terminal to ask on, so a script never changes
anything it did not explicitly agree to.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from release_assistant.core.support.errors import ExitCode

if TYPE_CHECKING:
    from release_assistant.core.release.plan import Action, Execution, Plan


def add_plan_arguments(parser: argparse.ArgumentParser) -> None:
    """``--dry-run`` and ``--yes``, shared by every command that changes something."""
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the plan ('$' reads, '!' changes) and change nothing",
    )
    parser.add_argument(
        "-y", "--yes", action="store_true", help="do it without asking for confirmation"
    )


def print_plan(plan: Plan) -> None:
    """The plan's diffs, notes and marked steps on standard output."""
    for diff in plan.diffs:
        sys.stdout.write(diff if diff.endswith("\n") else diff + "\n")
    if plan.diffs:
        print()
    for note in plan.notes:
        print(f"note: {note}")
    print("\n".join(plan.lines()))


def confirmed(plan: Plan, args: argparse.Namespace) -> bool | None:
    """``True`` to go ahead, ``False`` when the user said no, ``None`` when nobody can be
    asked (no terminal and no ``--yes``)."""
    if args.yes:
        return True
    if not sys.stdin.isatty():
        return None
    try:
        answer = input("Proceed? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def show_and_run(plan: Plan, args: argparse.Namespace) -> int:
    """Print ``plan``; unless ``--dry-run``, confirm and execute it. Returns the exit code."""
    from release_assistant.core.release.plan import execute

    if not plan.changes_anything and not args.dry_run:
        print_plan(plan)
        return _report(execute(plan))
    stop = show_and_confirm(plan, args)
    if stop is not None:
        return stop
    return _report(execute(plan, on_step=_announce))


def show_and_confirm(plan: Plan, args: argparse.Namespace) -> int | None:
    """Print ``plan`` and ask for it; ``None`` to go ahead, else the exit code to stop with
    (a dry run, a refusal without a terminal, a no). ``ship`` and :func:`show_and_run` share it."""
    print_plan(plan)
    if args.dry_run:
        print("dry run: nothing was changed")
        return ExitCode.OK
    answer = confirmed(plan, args)
    if answer is None:
        print(
            "release-assistant: refused: no terminal to confirm on; pass --yes to proceed "
            "(or --dry-run to only show the plan)",
            file=sys.stderr,
        )
        return ExitCode.FAILED
    if not answer:
        print("cancelled: nothing was changed")
        return ExitCode.FAILED
    return None


def _announce(action: Action) -> None:
    print(action.shown(), flush=True)


def _report(execution: Execution) -> int:
    for outcome in execution.done:
        if outcome.result:
            print(f"  {outcome.result}")
    if execution.ok:
        return ExitCode.OK
    assert execution.failed is not None
    print(f"release-assistant: failed: {execution.error}", file=sys.stderr)
    if execution.not_run:
        skipped = "; ".join(action.description for action in execution.not_run)
        print(f"not done: {skipped}", file=sys.stderr)
    for command in execution.recovery:
        print(f"  {command}", file=sys.stderr)
    return ExitCode.FAILED
