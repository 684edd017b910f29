"""Reading and writing repository files safely.

Every file the tool reads goes through :func:`read_text`, so malformed input (missing file,
non-UTF-8, a huge file) becomes one :class:`FileProblem` naming the file, never a traceback.
Every file the tool writes goes through :func:`write_text_atomic`, so a crash never leaves a
half-written file behind.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TypeAlias

from release_assistant.core.support.errors import LocatedError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

#: A path as the hook path passes it: a string, or a ``Path`` from callers that have one.
#: The modules a pre-commit hook imports use :mod:`os.path`, because importing
#: :mod:`pathlib` (with ``urllib.parse``, ``ipaddress`` and ``fnmatch``) costs a hook run
#: about a sixth of its time.
StrPath: TypeAlias = "str | os.PathLike[str]"

#: Files larger than this are refused: no release metadata file is legitimately this big,
#: and reading one would make a pre-commit hook slow.
MAX_TEXT_BYTES = 32 * 1024 * 1024


class FileProblem(LocatedError):
    """A file could not be read or written; ``str()`` is one line naming the file."""

    path: str

    def __init__(self, path: StrPath, message: str, line: int | None = None) -> None:
        super().__init__(path, message, line)


def read_text(path: StrPath, *, toml: bool = False) -> str:
    """Return the file's text with a UTF-8 BOM removed and line endings normalized to ``\\n``.

    Raises :class:`FileProblem` for a missing, unreadable, oversized or non-UTF-8 file, and
    with ``toml`` for a lone carriage return, which TOML does not allow as a line ending.
    """
    return decode_text(read_bytes(path), path, toml=toml)


def read_bytes(path: StrPath, what: str = "a release file") -> bytes:
    """Return the file's bytes; :class:`FileProblem` when missing, unreadable or oversized.

    Only a regular file is read: a FIFO would block forever (it is opened without waiting
    for a writer, then refused), and a device or a directory is no release file. The size
    cap holds while reading, not only by ``stat``: ``/proc`` files report size 0.
    """
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise FileProblem(path, "file not found") from None
    except IsADirectoryError:
        raise FileProblem(path, "is a directory, expected a file") from None
    except OSError as exc:
        raise FileProblem(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        status = os.fstat(fd)
        mode = status.st_mode
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
            raise FileProblem(path, f"is {kind}, expected a regular file")
        chunks: list[bytes] = []
        total = 0
        # The whole file in the first read when its size is right (no copy to join a 25 MB
        # lock from chunks); reads go on until the end all the same.
        size = min(max(status.st_size + 1, 1 << 16), MAX_TEXT_BYTES + 1)
        while True:
            chunk = os.read(fd, size)
            size = 1 << 20
            if not chunk:
                break
            total += len(chunk)
            if total > MAX_TEXT_BYTES:
                raise FileProblem(
                    path, f"file is too large (over {MAX_TEXT_BYTES} bytes) to be {what}"
                )
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise FileProblem(path, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


_KINDS = {
    0o040000: "a directory",
    0o010000: "a FIFO (named pipe)",
    0o020000: "a character device",
    0o060000: "a block device",
    0o140000: "a socket",
}


def decode_text(data: bytes, path: StrPath, *, toml: bool = False) -> str:
    """Decode file bytes as UTF-8 (BOM tolerated), normalizing CRLF and CR line endings.

    With ``toml``, a lone CR (not followed by LF) is refused instead: TOML allows only LF and
    CRLF, so ``uv``, pip and ``tomllib`` reject such a file, and normalizing it would make it
    pass here.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileProblem(path, "is not valid UTF-8 text", line=line) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if toml and "\r" in text:
            line = text.count("\n", 0, text.index("\r")) + 1
            raise FileProblem(
                path,
                "invalid TOML: a lone carriage return (CR) ends a line; TOML allows only LF "
                "or CRLF line endings",
                line=line,
            )
        text = text.replace("\r", "\n")
    return text


def write_texts_atomic(files: Sequence[tuple[Path, str]]) -> None:
    """Write several files so that they change together as far as the filesystem allows.

    Every text goes to its temporary file first; only when all are on disk are they moved
    into place, one ``os.replace`` after another. A failure before that leaves every target
    as it was (and no temporary file behind).
    """
    import contextlib

    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files:
            staged.append((_stage(path, text), path))
        for tmp_name, path in staged:
            os.replace(tmp_name, path)
    except BaseException:
        for tmp_name, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and ``os.replace``.

    The original file (and its permission bits) survive any failure untouched; a new file
    gets the mode the umask gives (``0o666 & ~umask``), as ``open()`` would, not the
    ``0o600`` of a temporary file. Temporary files a killed earlier write left beside
    ``path`` (``.NAME.*.tmp``) are removed first.
    """
    write_texts_atomic([(path, text)])


def _stage(path: Path, text: str) -> str:
    """Write ``text`` to a new temporary file beside ``path``, with ``path``'s future mode."""
    # Imported here: tempfile pulls in random, hashlib and shutil, and the pre-commit hooks,
    # which read files but never write them, should not pay for that on every commit.
    import contextlib
    import tempfile

    directory = path.parent
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~current_umask()
    prefix, suffix = f".{path.name}.", ".tmp"
    remove_stale_temporaries(directory, prefix, suffix)
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return tmp_name


def current_umask() -> int:
    """The process umask (reading it means setting it; it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_stale_temporaries(directory: StrPath, prefix: str, suffix: str) -> None:
    """Delete ``prefix*suffix`` temporary files a killed write left in ``directory``.

    Only names of the shape :func:`write_text_atomic` makes (``.NAME.<random>.tmp``) and only
    regular files are touched.
    """
    import contextlib

    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if name.startswith(prefix) and name.endswith(suffix) and len(name) > len(prefix + suffix):
            stale = os.path.join(directory, name)
            if os.path.isfile(stale) and not os.path.islink(stale):
                with contextlib.suppress(OSError):
                    os.unlink(stale)
