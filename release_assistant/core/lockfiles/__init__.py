"""Lock files (``uv.lock``, ``poetry.lock``, ``pdm.lock``): parse only what is needed, decide
whether each is in sync with ``pyproject.toml`` the way its tool decides, offline.

Modules:

- :mod:`.pep508`: names, specifiers and markers on ``packaging``'s public API (a package, one
  module per concern; the marker modules load only when a marker needs them), compared the
  way uv compares them (specifier sets by admitted versions, markers in uv's marker model),
  ``requires-python`` bounds;
- :mod:`.exclude_newer`: uv's ``exclude-newer`` values (instants, dates, durations);
- :mod:`.text`: conflict markers, cheap TOML sanity, slices and line numbers;
- :mod:`.uv`: ``uv.lock`` against the workspace, as ``uv lock --check`` decides (a package;
  its entry is ``uv.check``);
- :mod:`.poetry`: ``poetry.lock`` ``content-hash`` (Poetry 1.x and 2.x);
- :mod:`.pdm`: ``pdm.lock`` ``content_hash``;
- :mod:`.generic`: git state, missing or duplicated locks, non-portable sources.

Nothing here imports pydantic, GitPython or a UI: the ``check-lock-file`` pre-commit hook runs
this code on every commit.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from release_assistant.core.git.spawn import StartedGit

#: The lock files, in the order they are checked (:data:`.generic.LOCK_FILES` names their tools).
LOCK_NAMES = ("uv.lock", "poetry.lock", "pdm.lock")


def git_status_args(names: Iterable[str]) -> list[str]:
    """The ``git status`` arguments that tell whether each lock is tracked, untracked or
    ignored (:func:`.generic.git_states` reads the answer)."""
    return ["status", "--porcelain=v1", "--ignored", "-z", "--", *names]


def start_git_states(root: str) -> StartedGit | None:
    """Start the ``git status`` :func:`.generic.git_states` asks for the locks present at
    ``root`` (by name: a lock that is a directory or a dangling link counts too), so it runs
    while the caller loads the check; ``None`` when no lock is there or git cannot be
    started this way (the check then runs git itself)."""
    from release_assistant.core.git.spawn import start_git

    names = [name for name in LOCK_NAMES if os.path.lexists(os.path.join(root, name))]
    return start_git(root, git_status_args(names)) if names else None
