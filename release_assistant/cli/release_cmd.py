"""``release-assistant release [vX.Y.Z] [--draft]``: publish the GitHub release of a pushed tag.

Plan, show, confirm, do, like ``tag``. Without a token it prints GitHub's "new release"
form, prefilled, and changes nothing.
"""

from __future__ import annotations

import argparse
from typing import Any

from release_assistant.cli.common import add_repo_argument, repo_root
from release_assistant.cli.confirm import add_plan_arguments, show_and_run
from release_assistant.core.support.errors import ExitCode, UsageError


def register(subparsers: Any) -> None:
    """Add the ``release`` command."""
    parser = subparsers.add_parser(
        "release",
        help="publish the GitHub release of a pushed tag (starts the release workflow)",
        description="Publish the GitHub release for a tag already on origin, with the "
        "changelog section as its notes (a pre-release for a pre-release version). Refuses "
        "when origin does not have the tag or a release for it exists. Needs GH_TOKEN or "
        "GITHUB_TOKEN; without one, prints GitHub's release form prefilled.",
    )
    parser.add_argument(
        "tag", nargs="?", help="the tag (default: the project's version in tag_format)"
    )
    parser.add_argument(
        "--draft", action="store_true", help="create a draft (starts no workflow until published)"
    )
    add_repo_argument(parser)
    add_plan_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Check the tag is on origin, then publish the release (or print the prefilled form)."""
    from release_assistant.cli.common import validated_tag
    from release_assistant.core.context import RepoContext
    from release_assistant.core.github.api import token_from
    from release_assistant.core.release.github import new_release_url, plan_release, prepare_release

    tag = validated_tag(args.tag)
    ctx = RepoContext.load(repo_root(args), tag=tag, releasing=True)
    name = ctx.release.tag
    if name is None:
        raise UsageError(
            "no version to release: give the tag, e.g. `release-assistant release v1.2.3`"
        )
    validated_tag(name)
    release = prepare_release(ctx, name, draft=args.draft)  # ReleaseRefused: refused (1)
    token = token_from(ctx.environ)
    if token is None:
        print("no GH_TOKEN or GITHUB_TOKEN: publish the release in the browser, prefilled:")
        print(f"  {new_release_url(release, ctx.changelog_file.relpath or 'the changelog')}")
        if release.draft:
            print("  (choose 'Save draft' there for a draft)")
        print(f"then follow the workflow run: {release.actions_url}")
        return ExitCode.OK
    plan = plan_release(ctx, release, token)
    if release.body:
        print(f"release notes ({ctx.changelog_file.relpath or 'no changelog found'}):")
        for line in release.body.splitlines():
            print(f"  | {line}")
    code = show_and_run(plan, args)
    if code == ExitCode.OK and not args.dry_run:
        if release.draft:
            print(f"next: publish the draft on GitHub to start the workflow: {release.actions_url}")
        else:
            print(f"workflow runs: {release.actions_url}")
    return code
