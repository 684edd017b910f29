"""What a maintainer told the setup checklist, kept per repository: the ticks of the steps
nobody can verify locally, and a "no" to the first-time offer.

Kept in the repository's state directory
(:func:`~release_assistant.core.git.readonly.state_dir`, inside the common git directory:
shared by linked worktrees, never in the work tree), as ``setup.json``. An unreadable file
counts as no progress (asking again is the only cost).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from release_assistant.core.git.readonly import state_dir
from release_assistant.core.support.textfiles import (
    FileProblem,
    StrPath,
    read_bytes,
    write_text_atomic,
)

#: The file that keeps the setup checklist's ticks, inside the state directory.
SETUP_FILE = "setup.json"


@dataclass(frozen=True, slots=True)
class SetupProgress:
    """The items ticked by hand, and whether the automatic offer was declined."""

    done: frozenset[str] = frozenset()
    declined: bool = False


def progress_path(root: StrPath) -> Path | None:
    """Where ``root``'s repository keeps its setup progress (``None`` outside one)."""
    directory = state_dir(os.fspath(root))
    return None if directory is None else Path(directory) / SETUP_FILE


def load_progress(root: StrPath) -> SetupProgress:
    """The saved progress of ``root``'s repository; empty when none (or unreadable)."""
    path = progress_path(root)
    if path is None or not path.exists():
        return SetupProgress()
    try:
        data = json.loads(read_bytes(path, "the setup progress").decode("utf-8"))
    except (FileProblem, ValueError):
        return SetupProgress()
    if not isinstance(data, dict):
        return SetupProgress()
    done = data.get("done", [])
    return SetupProgress(
        frozenset(item for item in done if isinstance(item, str))
        if isinstance(done, list)
        else frozenset(),
        data.get("declined") is True,
    )


def save_progress(root: StrPath, progress: SetupProgress) -> Path | None:
    """Save ``progress`` atomically in the state directory; returns the file (``None``
    outside a repository). ``OSError`` when it cannot be written."""
    path = progress_path(root)
    if path is None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": 1, "done": sorted(progress.done), "declined": progress.declined}
    write_text_atomic(path, json.dumps(data, indent=2) + "\n")
    return path


def decline_offer(root: StrPath) -> Path | None:
    """Remember "no" to the first-time offer for ``root``'s repository (ticks kept)."""
    progress = load_progress(root)
    return save_progress(root, SetupProgress(progress.done, declined=True))
