"""Reading and writing repository files safely.

Every file the tool reads goes through :func:`read_text`, so malformed input (missing file,
non-UTF-8, a huge file) becomes one :class:`FileProblem` naming the file, never a traceback.
Every file the tool writes goes through :func:`write_text_atomic`, so a crash never leaves a
half-written file behind.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from pathlib import Path

#: A path as the hook path passes it: a string, or a ``Path`` from callers that have one.
#: The modules a pre-commit hook imports use :mod:`os.path`, because importing
#: :mod:`pathlib` (with ``urllib.parse``, ``ipaddress`` and ``fnmatch``) costs a hook run
#: about a sixth of its time.
StrPath: TypeAlias = "str | os.PathLike[str]"

#: Files larger than this are refused: no release metadata file is legitimately this big,
#: and reading one would make a pre-commit hook slow.
MAX_TEXT_BYTES = 32 * 1024 * 1024


class FileProblem(Exception):
    """A file could not be read or written; ``str()`` is one line naming the file."""

    def __init__(self, path: StrPath, message: str, line: int | None = None) -> None:
        self.path = os.fspath(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


def read_text(path: StrPath) -> str:
    """Return the file's text with a UTF-8 BOM removed and line endings normalized to ``\\n``.

    Raises :class:`FileProblem` for a missing, unreadable, oversized or non-UTF-8 file.
    """
    return decode_text(read_bytes(path), path)


def read_bytes(path: StrPath, what: str = "a release file") -> bytes:
    """Return the file's bytes; :class:`FileProblem` when missing, unreadable or oversized."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_TEXT_BYTES:
                raise FileProblem(path, f"file is too large ({size} bytes) to be {what}")
            return handle.read()
    except FileNotFoundError:
        raise FileProblem(path, "file not found") from None
    except IsADirectoryError:
        raise FileProblem(path, "is a directory, expected a file") from None
    except OSError as exc:
        raise FileProblem(path, f"cannot read: {exc.strerror or exc}") from None


def decode_text(data: bytes, path: StrPath) -> str:
    """Decode file bytes as UTF-8 (BOM tolerated), normalizing CRLF and CR line endings."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileProblem(path, "is not valid UTF-8 text", line=line) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and ``os.replace``.

    The original file (and its permission bits) survive any failure untouched.
    """
    # Imported here: tempfile pulls in random, hashlib and shutil, and the pre-commit hooks,
    # which read files but never write them, should not pay for that on every commit.
    import contextlib
    import tempfile

    directory = path.parent
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
