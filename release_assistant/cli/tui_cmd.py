"""``release-assistant tui`` (also the default without a command): the interactive walkthrough."""

from __future__ import annotations

import argparse
from typing import Any

from release_assistant.cli.common import add_repo_argument, repo_root, validated_tag


def register(subparsers: Any) -> None:
    """Add the ``tui`` command."""
    parser = subparsers.add_parser(
        "tui", help="interactive walkthrough: run every check and see how to fix each failure"
    )
    add_repo_argument(parser)
    parser.add_argument("--tag", help="tag under release, e.g. v1.2.3")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Start the Textual app; its exit code is the verdict of the last check run."""
    tag = validated_tag(args.tag)
    from release_assistant.tui.app import ReleaseAssistantApp

    result = ReleaseAssistantApp(repo_root(args), tag).run()
    return result if isinstance(result, int) else 1
