"""``release-assistant bump {major,minor,patch,pre,post,dev,X.Y.Z}``: plan, show, confirm, write."""

from __future__ import annotations

import argparse
from typing import Any

from release_assistant.cli.common import add_repo_argument, finish_interrupted_write, repo_root
from release_assistant.cli.confirm import add_plan_arguments, show_and_run


def register(subparsers: Any) -> None:
    """Add the ``bump`` command."""
    parser = subparsers.add_parser(
        "bump",
        help="bump the version in pyproject.toml, version files and the changelog",
        description="Compute the next version (PEP 440) and write it to [project].version "
        "(or [tool.poetry], setup.cfg, the dynamic version's file), version_files and the "
        "package's __version__, and release the changelog's pending notes under a dated "
        "heading in the changelog's own style (towncrier projects: towncrier build). A version "
        "whose tag exists is refused with the next free one. Shows the diff first; every file "
        "is written, or none.",
    )
    parser.add_argument(
        "part",
        metavar="{major,minor,patch,pre,post,dev,X.Y.Z}",
        help="which part to bump, or the new version itself",
    )
    add_repo_argument(parser)
    add_plan_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Plan the bump, show each choice's version and the diff, confirm, write."""
    from release_assistant.core.context import RepoContext
    from release_assistant.core.release.bump import choices, plan_bump

    root = repo_root(args)
    finish_interrupted_write(root, report_only=args.dry_run)
    ctx = RepoContext.load(root)
    bump = plan_bump(ctx, args.part)  # BumpError: refused (1); UnknownBump: usage (2)
    shown = ", ".join(f"{name} → {version}" for name, version in choices(bump.current))
    print(f"current version {bump.current} ({shown})")
    return show_and_run(bump.plan(), args)
