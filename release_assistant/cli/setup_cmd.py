"""``release-assistant setup``: the first-time trusted-publisher checklist (text or JSON)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from release_assistant.cli.common import add_repo_argument, repo_root
from release_assistant.core.support.errors import ExitCode

if TYPE_CHECKING:
    from release_assistant.core.release.setup_checklist import SetupChecklist

_MARKS = {True: "[x]", False: "[ ]", None: "[?]"}


def register(subparsers: Any) -> None:
    """Add the ``setup`` command."""
    parser = subparsers.add_parser(
        "setup",
        help="first-time trusted-publisher checklist: what to type where",
        description="Print the exact values to register as a trusted publisher on PyPI and "
        "TestPyPI (project, owner, repository, workflow file, environment), the GitHub "
        "environments to create, and the test release to do first. Items the local "
        "repository can show are verified. Always exits 0 unless the input is unusable.",
    )
    add_repo_argument(parser)
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--no-index",
        action="store_true",
        help="do not ask PyPI and TestPyPI whether the project exists (then both the "
        "pending-publisher page and the project's settings are shown)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Build the checklist for the repository and print it."""
    from release_assistant.core.context import RepoContext
    from release_assistant.core.release.setup_checklist import (
        ask_indexes,
        build_checklist,
        checklist_json,
    )

    root = repo_root(args)
    ctx = RepoContext.load(root)
    checklist = build_checklist(ctx, None if args.no_index else ask_indexes(ctx))
    if args.format == "json":
        sys.stdout.write(checklist_json(checklist) + "\n")
    else:
        sys.stdout.write(render_text(checklist))
    return ExitCode.OK


def render_text(checklist: SetupChecklist) -> str:
    """The checklist for a terminal: marks, instructions, URLs and the exact form values."""
    project = repr(checklist.project) if checklist.project else "this project"
    lines = [
        f"release-assistant setup · {checklist.repo} · trusted publishing for {project}",
        "",
        "[x] done (seen locally)   [ ] to do   [?] cannot be seen locally: do it and tick it "
        "yourself",
        "",
    ]
    for number, item in enumerate(checklist.items, start=1):
        lines.append(f"{_MARKS[item.verified]} {number}. {item.title}")
        indent = " " * 7
        lines += _wrap(f"status: {item.status}", indent)
        for text in item.instructions:
            # TOML/command lines are shown verbatim; prose is wrapped.
            verbatim = text.startswith(("[", "release-assistant ")) or " = " in text
            lines += [f"{indent}{text}"] if verbatim else _wrap(text, indent)
        if item.links:
            for link in item.links:
                lines.append(f"{indent}{link.label}:")
                lines.append(f"{indent}  {link.url}")
        elif item.url:
            lines.append(f"{indent}{item.url}")
        for field in item.fields:
            lines.append(f"{indent}  {field.label + ':':<24}{field.shown()}")
            lines.append(f"{indent}  {'':<24}({field.source})")
        lines.append("")
    todo = [
        str(number)
        for number, item in enumerate(checklist.items, start=1)
        if item.verifiable_locally and not item.verified
    ]
    manual = sum(1 for item in checklist.items if not item.verifiable_locally)
    if todo:
        lines.append(
            f"to do: step {', '.join(todo)} here, and the {manual} [?] step(s) on the indexes "
            "and GitHub"
        )
    else:
        lines.append(
            f"everything visible locally is done; the {manual} [?] step(s) happen on the "
            "indexes and GitHub"
        )
    from release_assistant.core.release.setup_checklist import claims_lines

    lines += ["", *claims_lines(checklist)]
    return "\n".join(lines) + "\n"


def _wrap(text: str, indent: str) -> list[str]:
    import textwrap

    return textwrap.wrap(
        text,
        width=100,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_on_hyphens=False,
        break_long_words=False,
    )
