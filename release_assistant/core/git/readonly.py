"""Small read-only git queries through the ``git`` executable (no GitPython on this path).

Every query goes through :func:`run_git`: :func:`subprocess.run` with a timeout, no input,
and the repository's executable configuration switched off.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from release_assistant.core.git.spawn import DEFENSIVE_CONFIG as _DEFENSIVE_CONFIG
from release_assistant.core.git.spawn import DEFENSIVE_ENV as _DEFENSIVE_ENV
from release_assistant.core.git.spawn import TIMEOUT_SECONDS as TIMEOUT_SECONDS
from release_assistant.core.git.spawn import GitOutput as GitOutput


def run_git(
    root: Path | str,
    args: Sequence[str],
    timeout: float = TIMEOUT_SECONDS,
    environ: Mapping[str, str] | None = None,
) -> GitOutput | None:
    """Run ``git -C root ARGS`` with no input; ``environ`` adds to the environment.

    ``None`` when git cannot be started (not installed) or has not finished within
    ``timeout`` seconds (it is killed). Git's own failures (not a repository, no such
    directory, unknown revision) are a non-zero ``returncode``. Every call disables what a
    repository's config could make a query execute (``core.fsmonitor``).
    """
    import subprocess  # off the import path of hooks that never ask git anything

    command = ["git", *_DEFENSIVE_CONFIG, "-C", os.fspath(root), *args]
    try:
        completed = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            timeout=timeout,
            env={**os.environ, **(environ or {}), **_DEFENSIVE_ENV},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return GitOutput(completed.returncode, completed.stdout, completed.stderr)


def head_commit(root: Path) -> str | None:
    """The full hash of HEAD, or ``None`` outside a git repository or before the first commit."""
    output = run_git(root, ["rev-parse", "--verify", "--quiet", "HEAD"])
    if output is None or not output.ok:
        return None
    return output.text() or None


def state_dir(start: Path | str) -> str | None:
    """``<git dir>/release-assistant``: where the walkthrough and ``ship`` keep their files
    (the verification report, a crash's traceback). The common git directory, shared by
    linked worktrees; never in the work tree, so the ``git`` check stays clean. ``None``
    outside a repository."""
    where = os.fspath(start)
    output = run_git(where, ["rev-parse", "--git-common-dir"])
    found = output.text() if output is not None and output.ok else ""
    if not found:
        return None
    return os.path.join(os.path.realpath(os.path.join(where, found)), "release-assistant")
