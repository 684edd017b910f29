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

from release_assistant.core.support.records import record


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


#: Configuration a repository could carry to make a read-only query run a program:
#: ``core.fsmonitor`` is executed by ``git status``. Overridden on every call.
_DEFENSIVE_CONFIG = ("-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false")
#: No prompt, no pager, no lock taken for an index refresh by a read-only query.
_DEFENSIVE_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_PAGER": "cat"}
#: A local query answers in milliseconds; one that hangs (a stuck filesystem, a lock)
#: must not hang a pre-commit hook.
TIMEOUT_SECONDS = 10.0


def run_git(
    root: Path | str, args: Sequence[str], timeout: float = TIMEOUT_SECONDS
) -> GitOutput | None:
    """Run ``git -C root ARGS`` with no input and stderr discarded.

    ``None`` when git cannot be started (not installed) or has not finished within
    ``timeout`` seconds (it is killed). Git's own failures (not a repository, no such
    directory, unknown revision) are a non-zero ``returncode``. Every call disables what a
    repository's config could make a query execute (``core.fsmonitor``).
    """
    command = ["git", *_DEFENSIVE_CONFIG, "-C", os.fspath(root), *args]
    environ = {**os.environ, **_DEFENSIVE_ENV}
    if hasattr(os, "posix_spawnp"):
        return _spawn(command, environ, timeout)
    return _run_subprocess(command, environ, timeout)  # pragma: no cover - Windows


def head_commit(root: Path) -> str | None:
    """The full hash of HEAD, or ``None`` outside a git repository or before the first commit."""
    output = run_git(root, ["rev-parse", "--verify", "--quiet", "HEAD"])
    if output is None or not output.ok:
        return None
    return output.text() or None


def _spawn(command: list[str], environ: dict[str, str], timeout: float) -> GitOutput | None:
    # Both pipe ends are close-on-exec; dup2 onto fd 1 gives git an inheritable copy.
    read_end, write_end = os.pipe()
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        pid = os.posix_spawnp(
            command[0],
            command,
            environ,
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
    import select
    import time

    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    timed_out = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            ready = remaining > 0 and select.select([read_end], [], [], remaining)[0]
            if not ready:
                timed_out = True
                break
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        if timed_out:
            import signal

            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        return None
    return GitOutput(os.waitstatus_to_exitcode(status), b"".join(chunks))


def _run_subprocess(  # pragma: no cover - Windows
    command: list[str], environ: dict[str, str], timeout: float
) -> GitOutput | None:
    import subprocess

    try:
        completed = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            timeout=timeout,
            env=environ,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return GitOutput(completed.returncode, completed.stdout)
