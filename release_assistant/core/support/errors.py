"""The one located-error type and the exit codes, shared by the CLI, the hooks and the TUI.

Every input the user can fix (a malformed ``pyproject.toml``, an unreadable file, a bad
argument) is a :class:`LocatedError`: ``str()`` is one line naming the file and, where
known, the line. The adapters print that line and exit with :attr:`ExitCode.USAGE`; a failed
check is :attr:`ExitCode.FAILED`. Core raises and returns; it never exits.
"""

from __future__ import annotations

import enum
import os


class ExitCode(enum.IntEnum):
    """What every entry point returns to the shell."""

    OK = 0
    #: A blocking check failed (or errored): the release is blocked.
    FAILED = 1
    #: Bad arguments, configuration or input file: nothing was judged.
    USAGE = 2
    #: Ctrl-C (128 + SIGINT, what a shell reports).
    INTERRUPTED = 130
    #: The reader of our output went away (128 + SIGPIPE).
    BROKEN_PIPE = 141


class LocatedError(Exception):
    """Bad input the user can fix; ``str()`` is one line: ``path:line: message``.

    ``path`` and ``line`` are optional (a command-line argument has neither).
    """

    def __init__(
        self, path: str | os.PathLike[str] | None, message: str, line: int | None = None
    ) -> None:
        self.path = os.fspath(path) if path is not None else None
        self.line = line
        self.message = message
        if self.path is None:
            super().__init__(message)
        else:
            where = f"{self.path}:{line}" if line is not None else self.path
            super().__init__(f"{where}: {message}")


class UsageError(LocatedError):
    """A bad command-line argument or option (no file to name)."""

    def __init__(self, message: str) -> None:
        super().__init__(None, message)
