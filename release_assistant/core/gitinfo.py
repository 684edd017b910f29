"""Small read-only git queries through the ``git`` executable (no GitPython on this path)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def head_commit(root: Path) -> str | None:
    """The full hash of HEAD, or ``None`` outside a git repository or before the first commit."""
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = completed.stdout.strip()
    return commit if completed.returncode == 0 and commit else None
