"""Small read-only git queries through the ``git`` executable (no GitPython on this path).

Every query goes through :func:`run_git`. On POSIX it starts git with ``os.posix_spawnp``
and reads its output from a pipe, instead of importing :mod:`subprocess`: the pre-commit
hooks query git on every commit, and importing ``subprocess`` (with ``signal``,
``threading``, ``selectors`` and ``locale``) costs about as much as the rest of a hook's
imports put together. Elsewhere it uses :mod:`subprocess`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from release_assistant.core.records import record


@record
class GitOutput:
    """What one git command returned: its exit code and standard output (bytes)."""

    returncode: int
    stdout: bytes

    @property
    def ok(self) -> bool:
        """True when git exited with 0."""
        return self.returncode == 0

    def text(self) -> str:
        """Standard output decoded as UTF-8 (undecodable bytes replaced) and stripped."""
        return self.stdout.decode("utf-8", "replace").strip()


def run_git(root: Path | str, args: Sequence[str]) -> GitOutput | None:
    """Run ``git -C root ARGS`` with no input and stderr discarded.

    ``None`` when git cannot be started (not installed). Git's own failures (not a
    repository, no such directory, unknown revision) are a non-zero ``returncode``.
    """
    command = ["git", "-C", os.fspath(root), *args]
    if hasattr(os, "posix_spawnp"):
        return _spawn(command)
    return _run_subprocess(command)  # pragma: no cover - Windows


def head_commit(root: Path) -> str | None:
    """The full hash of HEAD, or ``None`` outside a git repository or before the first commit."""
    output = run_git(root, ["rev-parse", "--verify", "--quiet", "HEAD"])
    if output is None or not output.ok:
        return None
    return output.text() or None


def _spawn(command: list[str]) -> GitOutput | None:
    # Both pipe ends are close-on-exec; dup2 onto fd 1 gives git an inheritable copy.
    read_end, write_end = os.pipe()
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        pid = os.posix_spawnp(
            command[0],
            command,
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, devnull, 0),
                (os.POSIX_SPAWN_DUP2, write_end, 1),
                (os.POSIX_SPAWN_DUP2, devnull, 2),
            ],
        )
    except OSError:
        os.close(read_end)
        return None
    finally:
        os.close(write_end)
        os.close(devnull)
    chunks: list[bytes] = []
    try:
        while chunk := os.read(read_end, 65536):
            chunks.append(chunk)
    finally:
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
    return GitOutput(os.waitstatus_to_exitcode(status), b"".join(chunks))


def _run_subprocess(command: list[str]) -> GitOutput | None:  # pragma: no cover - Windows
    import subprocess

    try:
        completed = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, check=False, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return GitOutput(completed.returncode, completed.stdout)
