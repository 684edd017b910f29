"""A read-only git query started now and read later, without :mod:`subprocess`.

The lock hook starts its ``git status`` before loading the check's modules, so git runs while
they load; ``os.posix_spawnp`` and a pipe do what it needs at a fraction of the cost of
importing :mod:`subprocess` (which brings threading, signal and selectors). The queries are
those of :func:`~release_assistant.core.git.readonly.run_git`, defended the same way.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(slots=True)
class GitOutput:
    """What one git command returned: its exit code, standard output and error (bytes)."""

    returncode: int
    stdout: bytes
    stderr: bytes = b""

    @property
    def ok(self) -> bool:
        """True when git exited with 0."""
        return self.returncode == 0

    def text(self) -> str:
        """Standard output decoded as UTF-8 (undecodable bytes replaced) and stripped."""
        return self.stdout.decode("utf-8", "replace").strip()


#: Configuration a repository could carry to make a read-only query run a program:
#: ``core.fsmonitor`` is executed by ``git status``. Overridden on every call.
DEFENSIVE_CONFIG = ("-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false")
#: No prompt, no pager, no lock taken for an index refresh by a read-only query.
DEFENSIVE_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_PAGER": "cat"}
#: A local query answers in milliseconds; one that hangs (a stuck filesystem, a lock)
#: must not hang a pre-commit hook.
TIMEOUT_SECONDS = 10.0


class StartedGit:
    """A read-only git query started with :func:`start_git`, running while the caller works;
    :meth:`output` waits for it. ``args`` are the query's arguments, as given."""

    __slots__ = ("_output", "_pid", "_stdout", "args")

    def __init__(self, args: tuple[str, ...], pid: int, stdout: int) -> None:
        self.args = args
        self._pid = pid
        self._stdout = stdout
        self._output: GitOutput | None = None

    def output(self, timeout: float = TIMEOUT_SECONDS) -> GitOutput | None:
        """What git returned (standard error is not kept); ``None`` when it did not finish
        within ``timeout`` seconds (it is killed) or died of a signal, as
        :func:`~release_assistant.core.git.readonly.run_git` says."""
        if self._pid == 0:
            return self._output
        import select
        import time

        chunks: list[bytes] = []
        deadline = time.monotonic() + timeout
        finished = True
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._stdout], [], [], left)[0]:
                    finished = False
                    import signal

                    os.kill(self._pid, signal.SIGKILL)
                    break
                chunk = os.read(self._stdout, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(self._stdout)
            status = os.waitpid(self._pid, 0)[1]
            self._pid = 0
        code = os.waitstatus_to_exitcode(status)
        if finished and code >= 0:
            self._output = GitOutput(code, b"".join(chunks))
        return self._output


def start_git(root: str, args: Sequence[str]) -> StartedGit | None:
    """Start ``git -C root ARGS`` as :func:`~release_assistant.core.git.readonly.run_git`
    would, without waiting for it.

    For a query whose answer is needed only later (the lock hook's ``git status``, which runs
    while the check's modules load): spawned with ``os.posix_spawnp``, so the hook does not
    import :mod:`subprocess`. ``None`` where that is not available (Windows) or git cannot be
    started; the caller then asks :func:`~release_assistant.core.git.readonly.run_git`.
    """
    spawn = getattr(os, "posix_spawnp", None)
    if spawn is None:
        return None
    command = ["git", *DEFENSIVE_CONFIG, "-C", os.fspath(root), *args]
    read_end, write_end = os.pipe()
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        try:
            pid = spawn(
                "git",
                command,
                {**os.environ, **DEFENSIVE_ENV},
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, devnull, 0),
                    (os.POSIX_SPAWN_DUP2, write_end, 1),
                    (os.POSIX_SPAWN_DUP2, devnull, 2),
                    (os.POSIX_SPAWN_CLOSE, read_end),
                ],
            )
        finally:
            os.close(devnull)
    except OSError:
        os.close(read_end)
        return None
    finally:
        os.close(write_end)
    return StartedGit(tuple(args), pid, read_end)
