"""The error families and the exit codes, shared by the CLI, the hooks and the TUI.

Every error the tool raises on purpose is a :class:`ReleaseAssistantError` of one of three
families, and the family alone decides the exit code (:func:`exit_code_for`):

- :class:`InputError`: the user's input is wrong (a malformed ``pyproject.toml``, an
  unreadable file, a bad argument) and nothing was judged: exit 2. :class:`LocatedError`,
  whose ``str()`` is one line naming the file and, where known, the line, is the usual one.
- :class:`StepFailed`: a release step was refused or failed (the tag exists, the push was
  rejected, GitHub said no): exit 1, like a blocking check that failed.
- :class:`InternalError`: our own bug, or an error of ours that should never leave the
  module that raises it. Any exception outside the families is our bug too: exit 3.

Core raises and returns; it never exits. The adapters print the one line and return
:func:`exit_code_for`; a bug's traceback goes to a file
(:func:`release_assistant.core.report.crash.report_crash`), never on screen.
"""

from __future__ import annotations

import enum
import os
from typing import ClassVar


class ExitCode(enum.IntEnum):
    """What every entry point returns to the shell."""

    OK = 0
    #: A blocking check failed (or errored), or a release step was refused or failed.
    FAILED = 1
    #: Bad arguments, configuration or input file: nothing was judged.
    USAGE = 2
    #: Our own bug: the one line asks for a report, the traceback is in a file.
    INTERNAL = 3
    #: Ctrl-C (128 + SIGINT, what a shell reports).
    INTERRUPTED = 130
    #: The reader of our output went away (128 + SIGPIPE).
    BROKEN_PIPE = 141


class ReleaseAssistantError(Exception):
    """The base of every error release-assistant raises on purpose; its family (one of the
    three subclasses below) sets :attr:`exit_code`."""

    #: What the adapters return when this error ends a command or a hook.
    exit_code: ClassVar[ExitCode] = ExitCode.INTERNAL


class InputError(ReleaseAssistantError):
    """The user's input is wrong (an argument, the configuration, a file): exit 2.

    ``str()`` is one line saying what is wrong and where."""

    exit_code = ExitCode.USAGE


class StepFailed(ReleaseAssistantError):
    """A release step was refused or failed: exit 1. ``str()`` is one line saying why and
    what to do."""

    exit_code = ExitCode.FAILED


class InternalError(ReleaseAssistantError):
    """Our own bug, or an error that never leaves the module raising it (a signal between
    its functions): exit 3 if it ever reaches an adapter."""

    exit_code = ExitCode.INTERNAL


class LocatedError(InputError):
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


def exit_code_for(error: BaseException) -> ExitCode:
    """The exit code for ``error`` ending a command, a hook or the walkthrough: its family's
    (:attr:`ReleaseAssistantError.exit_code`), Ctrl-C's and a closed pipe's, and
    :attr:`ExitCode.INTERNAL` for anything else, which is our bug."""
    if isinstance(error, ReleaseAssistantError):
        return error.exit_code
    if isinstance(error, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    if isinstance(error, BrokenPipeError):
        return ExitCode.BROKEN_PIPE
    return ExitCode.INTERNAL
