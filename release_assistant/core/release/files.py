"""File edits that are shown as a diff and written all-or-nothing.

:func:`write_all` writes every new text to a temporary file beside its target first; only
when all of them are on disk does it move them into place with :func:`os.replace`. If a move
fails, the files already moved get their original bytes back, so an interrupted edit leaves
every file as it was. New files get the mode the umask gives; existing files keep theirs.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import tempfile
from dataclasses import dataclass


class WriteFailed(Exception):
    """A file could not be written; every file is as it was. ``str()`` names the file."""


@dataclass(frozen=True, slots=True)
class FileEdit:
    """The new text of one file. ``relpath`` is for messages; ``old`` is ``None`` for a new
    file. ``original`` is the file's bytes as read, restored if the transaction fails."""

    path: str
    relpath: str
    old: str | None
    new: str
    original: bytes | None = None
    newline: str = "\n"

    def diff(self) -> str:
        """The edit as a unified diff (``a/path`` → ``b/path``)."""
        lines = difflib.unified_diff(
            (self.old or "").splitlines(keepends=True),
            self.new.splitlines(keepends=True),
            fromfile=f"a/{self.relpath}" if self.old is not None else "/dev/null",
            tofile=f"b/{self.relpath}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)

    def encoded(self) -> bytes:
        """The new text as the bytes to write, in the file's own line endings."""
        text = self.new if self.newline == "\n" else self.new.replace("\n", self.newline)
        return text.encode("utf-8")


def _umask_mode() -> int:
    # os.umask can only be read by setting it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_all(edits: list[FileEdit]) -> None:
    """Write every edit, or none: :class:`WriteFailed` leaves every file unchanged."""
    staged: list[tuple[FileEdit, str]] = []
    try:
        for edit in edits:
            if os.path.exists(edit.path) and not os.access(edit.path, os.W_OK):
                raise WriteFailed(f"{edit.relpath}: not writable")
            staged.append((edit, _stage(edit.path, edit.relpath, edit.encoded())))
    except BaseException:
        for _, temp in staged:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        raise
    moved: list[FileEdit] = []
    try:
        for edit, temp in staged:
            try:
                os.replace(temp, edit.path)
            except OSError as exc:
                raise WriteFailed(f"{edit.relpath}: cannot write: {exc.strerror or exc}") from None
            moved.append(edit)
    except BaseException:
        for _, temp in staged[len(moved) :]:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        _restore(moved)
        raise


def _stage(path: str, relpath: str, data: bytes) -> str:
    """``data`` in a temporary file beside ``path``, with the mode ``path`` has (or the
    umask's); returns the temporary file's path."""
    directory = os.path.dirname(path) or "."
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = _umask_mode()
    except OSError as exc:
        raise WriteFailed(f"{relpath}: cannot read: {exc.strerror or exc}") from None
    try:
        fd, temp = tempfile.mkstemp(
            prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory
        )
    except OSError as exc:
        raise WriteFailed(f"{relpath}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise WriteFailed(f"{relpath}: cannot write: {exc.strerror or exc}") from None
    return temp


def _restore(moved: list[FileEdit]) -> None:
    """Put back the original bytes of files already replaced (best effort, atomically)."""
    for edit in reversed(moved):
        with contextlib.suppress(OSError, WriteFailed):
            if edit.original is None:
                os.unlink(edit.path)
                continue
            os.replace(_stage(edit.path, edit.relpath, edit.original), edit.path)
