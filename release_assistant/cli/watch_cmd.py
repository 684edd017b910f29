"""``release-assistant watch [vX.Y.Z]``: follow the release run to the files on the index.

The command only renders: :func:`release_assistant.core.release.watch.watch` yields progress
lines and pauses, and one result. Exit 0 when the files are confirmed, 1 when the run failed
or the files are missing or wrong, 2 on usage (no token, no tag), 130 on Ctrl-C (the run on
GitHub goes on; watch again later).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING, Any

from release_assistant.cli.common import add_repo_argument, repo_root
from release_assistant.core.support.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from release_assistant.core.release.watch import WatchResult


def register(subparsers: Any) -> None:
    """Add the ``watch`` command."""
    parser = subparsers.add_parser(
        "watch",
        help="follow the release workflow run to the files on PyPI",
        description="Find the workflow run the tag's release started, follow it to the end, "
        "then confirm on the index that the version is there with one sdist and the expected "
        "wheels, and show their attestations. A failed run shows the failing job's log tail "
        "and the fix for known publish errors. Needs GH_TOKEN or GITHUB_TOKEN (read access "
        "to Actions). Exit 0 confirmed, 1 failed or missing, 2 usage.",
    )
    parser.add_argument(
        "tag", nargs="?", help="the tag (default: the project's version in tag_format)"
    )
    parser.add_argument(
        "--test-index", action="store_true", help="confirm the files on TestPyPI instead"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=45.0,
        metavar="MINUTES",
        help="give up after this many minutes (default: 45)",
    )
    add_repo_argument(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Watch the release of the tag and print its progress and outcome."""
    from release_assistant.cli.common import validated_tag
    from release_assistant.core.context import RepoContext
    from release_assistant.core.release.watch import (
        Limits,
        Progress,
        Wait,
        prepare_watch,
        watch,
    )

    if not args.timeout > 0:
        raise UsageError(f"--timeout {args.timeout:g}: give a positive number of minutes")
    tag = validated_tag(args.tag)
    ctx = RepoContext.load(repo_root(args), tag=tag)
    name = ctx.release.tag
    if name is None:
        raise UsageError("no version to watch: give the tag, e.g. `release-assistant watch v1.2.3`")
    validated_tag(name)
    # WatchRefused: the user's input (2).
    target, github, index = prepare_watch(ctx, name, test_index=args.test_index)
    print(
        f"watching {target.project} {target.version} ({name}): expected "
        f"{target.expected.describe()}; gives up after {args.timeout:g} min"
    )
    result: WatchResult | None = None
    try:
        for event in watch(target, github, index, limits=Limits(total=args.timeout * 60)):
            if isinstance(event, Wait):
                # Every poll says what it waits for and when it asks again: never silent.
                print(event.line(), flush=True)
                time.sleep(event.seconds)
            elif isinstance(event, Progress):
                print(event.message, flush=True)
            else:
                result = event
    except KeyboardInterrupt:
        print(
            f"stopped watching; the run goes on on GitHub: {target.actions_url} "
            f"(release-assistant watch {name} picks it up again)",
            file=sys.stderr,
        )
        return 130
    assert result is not None  # the generator always ends with its result
    sys.stdout.write(render_result(result))
    return ExitCode.OK if result.ok else ExitCode.FAILED


def render_result(result: WatchResult) -> str:
    """The outcome for a terminal (:func:`~release_assistant.core.release.watch.result_lines`)."""
    from release_assistant.core.release.watch import result_lines

    return "\n".join(result_lines(result)) + "\n"
