"""Helpers shared by command modules: repository and context loading, output streams."""

from __future__ import annotations

import argparse
from pathlib import Path

from release_assistant.cli.main import UsageError


def add_repo_argument(parser: argparse.ArgumentParser) -> None:
    """``--repo DIR`` (default: the current directory)."""
    parser.add_argument(
        "--repo",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="repository to check (default: current directory)",
    )


def repo_root(args: argparse.Namespace) -> Path:
    """The ``--repo`` directory, validated."""
    root: Path = args.repo
    if not root.exists():
        raise UsageError(f"--repo {root}: no such directory")
    if not root.is_dir():
        raise UsageError(f"--repo {root}: not a directory")
    return root.resolve()


def split_ids(values: list[str] | None) -> list[str]:
    """``--only a,b --only c`` -> ``["a", "b", "c"]``."""
    ids: list[str] = []
    for value in values or []:
        ids.extend(part.strip() for part in value.split(",") if part.strip())
    return ids
