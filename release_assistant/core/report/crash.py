"""Our own bug, reported: one line on screen, the traceback in a file.

An exception outside the error families (:mod:`release_assistant.core.support.errors`)
that reaches the CLI, a hook or the walkthrough is a bug of release-assistant, not a
problem of the user's input or release. The user sees one line that says so and where to
report it; the traceback, which a maintainer needs and a user should not have to read, is
kept in a file under the repository's state directory (``<git dir>/release-assistant``,
:func:`~release_assistant.core.git.readonly.state_dir`) or, outside a repository, the
temporary directory.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from release_assistant import __version__
from release_assistant.core.redact import redact
from release_assistant.core.support.textfiles import StrPath
from release_assistant.core.urls import ISSUES_URL

#: How much of the error's message the one line quotes.
_SUMMARY_LIMIT = 200


@dataclass(frozen=True, slots=True)
class CrashReport:
    """The line to show for a crash, and the file holding its traceback (``None`` when no
    file could be written)."""

    line: str
    path: Path | None


def report_crash(error: BaseException, repo: StrPath | None = None) -> CrashReport:
    """Write ``error``'s traceback to a new file and return the one line that reports it.

    The file goes under the state directory of the repository holding ``repo`` (the
    current directory when ``None``), else the temporary directory. Both the line and the
    file are redacted (no credential leaves in a bug report).
    """
    import traceback

    text = "".join(
        [
            f"release-assistant {__version__} on Python {sys.version.split()[0]} "
            f"({sys.platform})\n",
            f"command: {' '.join(sys.argv)}\n\n",
            *traceback.format_exception(type(error), error, error.__traceback__),
        ]
    )
    path = _write_traceback(redact(text), repo)
    where = f"with the traceback in {path}" if path else "(its traceback could not be saved)"
    line = (
        f"internal error in release-assistant {__version__}: {_summary(error)} "
        f"— please report it at {ISSUES_URL} {where}"
    )
    return CrashReport(redact(line), path)


def _summary(error: BaseException) -> str:
    """``Type: message``, the message's first line only, shortened."""
    message = str(error).strip().splitlines()
    first = message[0] if message else ""
    if len(first) > _SUMMARY_LIMIT:
        first = first[: _SUMMARY_LIMIT - 1] + "…"
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def _write_traceback(text: str, repo: StrPath | None) -> Path | None:
    """The new file holding ``text``: in the repository's state directory, else in a new
    private directory under the temporary one; ``None`` when neither can be written."""
    from release_assistant.core.support.textfiles import write_text_atomic

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    name = f"crash-{stamp}-{os.getpid()}.txt"
    state = _state_dir(repo)
    if state is not None:
        path = Path(state) / "crashes" / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(path, text)
        except OSError:
            pass
        else:
            return path
    try:
        path = Path(tempfile.mkdtemp(prefix="release-assistant-crash-")) / name
        write_text_atomic(path, text)
    except OSError:
        return None
    return path


def _state_dir(repo: StrPath | None) -> str | None:
    """The state directory of the repository holding ``repo`` (the current directory when
    ``None``); ``None`` outside a repository, or when git cannot say."""
    from release_assistant.core.git.readonly import state_dir

    try:
        return state_dir(os.getcwd() if repo is None else os.fspath(repo))
    except Exception:  # git missing, the directory gone: a report must not crash in turn
        return None
