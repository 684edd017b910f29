"""``release-assistant tui`` (also the default without a command): the interactive walkthrough."""

from __future__ import annotations

import argparse
import sys
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
    """Start the Textual app; its exit code is the verdict of the last check run.

    Without a terminal on both stdin and stdout (a pipe, a CI job) there is nobody to walk
    through anything, and a full-screen app would wait forever: the checks run as
    ``release-assistant check`` would run them, and their exit code is returned. A
    configuration error is reported (one line, exit 2) before the app starts either way.
    """
    tag = args.tag = validated_tag(args.tag)
    root = repo_root(args)
    from release_assistant.core.project.config import load_config

    load_config(root)  # raises ConfigError: main prints it as one line, exit 2
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return _run_checks_instead(args)
    from release_assistant.tui.app import ReleaseAssistantApp

    app = ReleaseAssistantApp(root, tag)
    result = app.run()
    if app.crash is not None:
        raise app.crash  # main maps it to its exit code, as for every command
    return result if isinstance(result, int) else 1


def _run_checks_instead(args: argparse.Namespace) -> int:
    from release_assistant.cli import check_cmd

    print(
        "release-assistant: no terminal for the walkthrough; running `release-assistant "
        "check` instead (use `check` in scripts and CI)",
        file=sys.stderr,
    )
    check_args = argparse.Namespace(
        repo=args.repo,
        tag=args.tag,
        only=None,
        skip=None,
        format="text",
        report_dir=None,
        color="never",
    )
    return check_cmd.run(check_args)
