"""File edits that are shown as a diff and written all-or-nothing, even across a ``kill -9``.

:func:`write_all` commits several files as one transaction with a journal:

1. every target is read and hashed, and the journal (state ``staging``) names each target,
   its temporary file and its backup;
2. every new text goes to its temporary file beside the target (fsynced), and every
   original is kept as a backup beside it (a hard link, else a copy);
3. the journal says ``committing``; the temporary files are moved into place one
   :func:`os.replace` after another;
4. the journal says ``done``; the backups and then the journal are deleted.

The journal lives in the git directory (``.git/release-assistant-journal.json``, per work
tree) or, outside git, in the root (``.release-assistant-journal``); every journal write is
a temporary file, fsynced, then :func:`os.replace`.

**Policy: roll back.** A write interrupted before step 4 counted as not done: the next
writing command (``bump``, ``ship``, ``workflow init``; ``check`` only reports it) calls
:func:`recover_interrupted_write`, which puts every replaced file's backup back, deletes the
temporary files, backups and journal, and says so in one line, so re-running the command
that was killed does exactly what it would have done. One interrupted after every file was
replaced (``done``) is kept; only its leftover backups go. A file whose bytes are neither
the old nor the new ones was edited since and is left as found (and named). Recovery is
itself idempotent: a kill during it is finished by the next run.

A failure inside :func:`write_all` (a full disk, a read-only directory) rolls back the same
way at once and raises :class:`WriteFailed`. New files get the mode the umask gives;
existing files keep theirs.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from release_assistant.core.support.errors import StepFailed
from release_assistant.core.support.textfiles import FileProblem, read_bytes

if TYPE_CHECKING:
    from collections.abc import Callable

#: The journal's name inside the git directory, and in the root outside a git repository.
JOURNAL_IN_GIT_DIR = "release-assistant-journal.json"
JOURNAL_IN_ROOT = ".release-assistant-journal"
_FORMAT = 1
_STAGING, _COMMITTING, _DONE = "staging", "committing", "done"


class WriteFailed(StepFailed):
    """A file could not be written; every file is as it was. ``str()`` names the file."""


@dataclass(frozen=True, slots=True)
class FileEdit:
    """The new text of one file. ``relpath`` is for messages; ``old`` is ``None`` for a new
    file. ``original`` is the file's bytes as read: when given, a file that changed since is
    refused instead of overwritten."""

    path: str
    relpath: str
    old: str | None
    new: str
    original: bytes | None = None
    newline: str = "\n"

    def diff(self) -> str:
        """The edit as a unified diff (``a/path`` → ``b/path``)."""
        import difflib  # not on the path of `check`, which only looks for a journal

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


@dataclass(frozen=True, slots=True)
class _Entry:
    """One file of a transaction, as the journal records it (paths relative to the base)."""

    path: str
    temp: str
    backup: str | None
    old_sha256: str | None
    new_sha256: str

    def to_json(self) -> dict[str, str | None]:
        return {
            "path": self.path,
            "temp": self.temp,
            "backup": self.backup,
            "old_sha256": self.old_sha256,
            "new_sha256": self.new_sha256,
        }


def journal_location(root: str) -> tuple[str, str]:
    """The journal file for writes under ``root`` and the base its paths are relative to.

    Inside a git work tree: ``<git dir>/release-assistant-journal.json`` (a linked work
    tree's own git dir, so each work tree has its own) and the work tree's top; git never
    copies it, so a clone cannot bring one. Outside git: ``root/.release-assistant-journal``
    and ``root``.
    """
    base = os.path.realpath(root)
    current = base
    while True:
        dot_git = os.path.join(current, ".git")
        if os.path.isdir(dot_git):
            return os.path.join(dot_git, JOURNAL_IN_GIT_DIR), current
        if os.path.isfile(dot_git):
            git_dir = _linked_git_dir(dot_git)
            if git_dir is not None:
                return os.path.join(git_dir, JOURNAL_IN_GIT_DIR), current
        parent = os.path.dirname(current)
        if parent == current:
            return os.path.join(base, JOURNAL_IN_ROOT), base
        current = parent


def _linked_git_dir(dot_git: str) -> str | None:
    """The directory a ``.git`` file (``gitdir: PATH``) points to, if it is one."""
    try:
        text = read_bytes(dot_git, "a .git file").decode("utf-8", "replace").strip()
    except FileProblem:
        return None
    if not text.startswith("gitdir:"):
        return None
    target = os.path.join(os.path.dirname(dot_git), text.removeprefix("gitdir:").strip())
    return os.path.realpath(target) if os.path.isdir(target) else None


def write_all(
    edits: list[FileEdit],
    *,
    root: str | None = None,
    _after_replace: Callable[[int], None] | None = None,
) -> None:
    """Write every edit, or none: :class:`WriteFailed` leaves every file unchanged.

    ``root`` is the project the edits belong to (default: what their ``path`` and
    ``relpath`` say). A journal of an earlier interrupted write is rolled back first, and
    then this write is refused (it was planned from the half-written files): plan again.
    ``_after_replace`` is for tests: called with 0 before the first replace and with ``n``
    after the ``n``-th, so a test can kill the process at every point of the commit.
    """
    if not edits:
        return
    journal, base = journal_location(root if root is not None else _root_of(edits))
    if os.path.lexists(journal) or os.path.lexists(journal + ".tmp"):
        done = recover_interrupted_write(root if root is not None else _root_of(edits))
        raise WriteFailed(f"{done or 'an earlier write was interrupted'}; plan the change again")
    entries, data = _prepare(edits, base)
    names = {entry.path: edit.relpath for entry, edit in zip(entries, edits, strict=True)}
    shown = _shown(journal, base)
    try:
        _journal_step(journal, _STAGING, entries, shown)
        for entry, payload in zip(entries, data, strict=True):
            _stage(base, entry, payload, names[entry.path])
        _sync_directories(base, entries)
        _journal_step(journal, _COMMITTING, entries, shown)
    except BaseException:
        with contextlib.suppress(OSError):
            _discard(base, entries)
            _remove(journal)
        raise
    replaced = 0
    try:
        if _after_replace is not None:
            _after_replace(0)
        for entry in entries:
            try:
                os.replace(_abs(base, entry.temp), _abs(base, entry.path))
            except OSError as exc:
                why = exc.strerror or exc
                raise WriteFailed(f"{names[entry.path]}: cannot write: {why}") from None
            replaced += 1
            if _after_replace is not None:
                _after_replace(replaced)
        _sync_directories(base, entries)
        # The commit point: from here on, recovery keeps the new files.
        _journal_step(journal, _DONE, entries, shown)
    except BaseException:
        with contextlib.suppress(OSError, FileProblem):  # else the next run rolls back
            _roll_back(journal, base, entries)
            _remove(journal)
        raise
    with contextlib.suppress(OSError):  # else the next run removes the leftovers
        _discard(base, entries)
        _remove(journal)
        _sync_directory(os.path.dirname(journal))


def _journal_step(journal: str, state: str, entries: list[_Entry], shown: str) -> None:
    """:func:`_write_journal`, a failure as :class:`WriteFailed` naming the journal."""
    try:
        _write_journal(journal, state, entries)
    except OSError as exc:
        raise WriteFailed(f"{shown}: cannot write: {exc.strerror or exc}") from None


def _root_of(edits: list[FileEdit]) -> str:
    """The directory the edits' relative paths start from (their common directory when a
    path does not end with its relative path)."""
    first = edits[0]
    suffix = os.sep + os.path.normpath(first.relpath)
    if os.path.normpath(first.path).endswith(suffix):
        return os.path.normpath(first.path)[: -len(suffix)] or os.sep
    return os.path.commonpath([os.path.dirname(os.path.abspath(e.path)) for e in edits])


def _prepare(edits: list[FileEdit], base: str) -> tuple[list[_Entry], list[bytes]]:
    """The journal entries (current bytes hashed, names chosen) and the bytes to write."""
    token = os.urandom(4).hex()
    entries: list[_Entry] = []
    payloads: list[bytes] = []
    seen: set[str] = set()
    for edit in edits:
        path = _relative(base, edit)
        if path in seen:
            raise WriteFailed(f"{edit.relpath}: edited twice in one write")
        seen.add(path)
        target = _abs(base, path)
        current: bytes | None
        if os.path.lexists(target):
            if not os.access(target, os.W_OK):
                raise WriteFailed(f"{edit.relpath}: not writable")
            try:
                current = read_bytes(target)
            except FileProblem as problem:
                raise WriteFailed(f"{edit.relpath}: {problem.message}") from None
        else:
            current = None
        if edit.original is not None and current != edit.original:
            raise WriteFailed(f"{edit.relpath}: changed since the plan was made; plan again")
        payload = edit.encoded()
        directory, name = os.path.split(path)
        entries.append(
            _Entry(
                path,
                os.path.join(directory, f".{name}.ra-{token}.tmp"),
                None if current is None else os.path.join(directory, f".{name}.ra-{token}.bak"),
                None if current is None else _sha256(current),
                _sha256(payload),
            )
        )
        payloads.append(payload)
    return entries, payloads


def _relative(base: str, edit: FileEdit) -> str:
    """``edit``'s path relative to ``base`` (its directory's symlinks followed); the write is
    refused when it lies outside ``base``."""
    absolute = os.path.abspath(edit.path)
    real = os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))
    relative = os.path.relpath(real, base)
    if relative == os.curdir or relative.split(os.sep)[0] == os.pardir or os.path.isabs(relative):
        raise WriteFailed(f"{edit.relpath}: outside the repository; nothing is written there")
    return relative


def _abs(base: str, relative: str) -> str:
    return os.path.join(base, relative)


def _sha256(data: bytes) -> str:
    import hashlib  # loading OpenSSL is paid by writes, not by `check` finding no journal

    return hashlib.sha256(data).hexdigest()


def _stage(base: str, entry: _Entry, payload: bytes, relpath: str) -> None:
    """The new bytes in the entry's temporary file, and the original in its backup."""
    target = _abs(base, entry.path)
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        mode = _umask_mode()
    except OSError as exc:
        raise WriteFailed(f"{relpath}: cannot read: {exc.strerror or exc}") from None
    try:
        _write_new_file(_abs(base, entry.temp), payload, mode)
        if entry.backup is not None:
            backup = _abs(base, entry.backup)
            try:
                os.link(target, backup, follow_symlinks=False)
            except (OSError, NotImplementedError):  # no hard links here (FAT, some shares)
                _write_new_file(backup, read_bytes(target), mode)
    except FileProblem as problem:
        raise WriteFailed(f"{relpath}: {problem.message}") from None
    except OSError as exc:
        raise WriteFailed(f"{relpath}: cannot write: {exc.strerror or exc}") from None


def _write_new_file(path: str, data: bytes, mode: int) -> None:
    """``data`` in a file that did not exist (never through a planted symlink), fsynced."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(path, mode)
    except BaseException:
        _remove(path)
        raise


def _write_journal(journal: str, state: str, entries: list[_Entry]) -> None:
    """The journal in ``state``, written atomically (temporary file, fsync, replace)."""
    text = json.dumps(
        {
            "format": _FORMAT,
            "about": "release-assistant: a write of several files in progress; if this file "
            "is left, the next bump, ship or workflow init rolls that write back",
            "state": state,
            "files": [entry.to_json() for entry in entries],
        },
        indent=2,
    )
    temporary = journal + ".tmp"
    _remove(temporary)  # O_EXCL below: never written through a planted symlink
    fd = os.open(
        temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, journal)
    except BaseException:
        _remove(temporary)
        raise
    _sync_directory(os.path.dirname(journal))


def _sync_directories(base: str, entries: list[_Entry]) -> None:
    for directory in sorted({os.path.dirname(_abs(base, entry.path)) for entry in entries}):
        _sync_directory(directory)


def _sync_directory(directory: str) -> None:
    """Make renames in ``directory`` durable (a power cut, not only a kill); best effort."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove(path: str) -> bool:
    """Delete ``path`` if it is there; whether it was."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    return True


def _discard(base: str, entries: list[_Entry]) -> None:
    """Delete the entries' temporary files and backups (those that are there)."""
    for entry in entries:
        for name in (entry.temp, entry.backup):
            if name is not None:
                _remove(_abs(base, name))


def recover_interrupted_write(root: str) -> str | None:
    """Finish a :func:`write_all` that a kill interrupted; one line saying what was done.

    ``None`` when there was nothing to recover. The policy (see the module docstring): a
    write interrupted before every file was replaced is rolled back (each replaced file gets
    its original bytes back, a file it created is deleted), one that had replaced every file
    is kept; every temporary file, backup and the journal are deleted either way. A file
    edited since the interruption is left as found and named. Raises
    :class:`~release_assistant.core.support.textfiles.FileProblem` (naming the journal) when
    the journal cannot be read or a file cannot be put back; the journal then stays.
    """
    journal, base = journal_location(root)
    try:
        stray = _remove(journal + ".tmp")
        if not os.path.lexists(journal):
            if stray:
                return "removed the journal of a write interrupted before it changed any file"
            return None
        state, entries = _read_journal(journal, base)
        names = ", ".join(entry.path for entry in entries)
        if state == _STAGING:
            _discard(base, entries)
            message = f"rolled back an interrupted write of {names}: no file had been replaced yet"
        elif state == _DONE:
            _discard(base, entries)
            message = (
                f"finished an interrupted write of {names}: every file had been replaced; "
                "removed its leftover backups"
            )
        else:
            message = _roll_back(journal, base, entries)
        _remove(journal)
    except OSError as exc:
        raise FileProblem(
            journal, f"cannot finish the interrupted write it records: {exc.strerror or exc}"
        ) from None
    _sync_directory(os.path.dirname(journal))
    return message


def _roll_back(journal: str, base: str, entries: list[_Entry]) -> str:
    """Put every replaced file of a ``committing`` write back; the line that says so."""
    restored: list[str] = []
    removed: list[str] = []
    edited: list[str] = []
    for entry in entries:
        target = _abs(base, entry.path)
        current = _digest(target)
        if current == entry.new_sha256 and current != entry.old_sha256:
            try:
                if entry.backup is None:
                    os.unlink(target)
                    removed.append(entry.path)
                elif os.path.lexists(_abs(base, entry.backup)):
                    os.replace(_abs(base, entry.backup), target)
                    restored.append(entry.path)
                else:
                    edited.append(f"{entry.path} (its backup is gone)")
            except OSError as exc:
                raise FileProblem(
                    journal,
                    f"cannot roll back the interrupted write of {entry.path}: "
                    f"{exc.strerror or exc}",
                ) from None
        elif current != entry.old_sha256:
            edited.append(f"{entry.path} (changed since)")
    _discard(base, entries)
    _sync_directories(base, entries)
    done = [f"put the old {', '.join(restored)} back"] if restored else []
    done += [f"removed the new {', '.join(removed)}"] if removed else []
    if edited:
        done.append(f"left {', '.join(edited)} as found")
    names = ", ".join(entry.path for entry in entries)
    return f"rolled back an interrupted write of {names}: " + (
        "; ".join(done) if done else "no file had been replaced yet"
    )


def _digest(path: str) -> str | None:
    """The SHA-256 of the file at ``path``, ``None`` when there is none (or no regular one)."""
    if not os.path.lexists(path):
        return None
    try:
        return _sha256(read_bytes(path))
    except FileProblem:
        return "unreadable"


def describe_interrupted_write(root: str) -> str | None:
    """One line about a journal an interrupted write left, changing nothing (for ``check``
    and ``--dry-run``); ``None`` when there is none."""
    journal, base = journal_location(root)
    if not os.path.lexists(journal):
        return None
    try:
        state, entries = _read_journal(journal, base)
    except FileProblem as problem:
        return str(problem)
    names = ", ".join(entry.path for entry in entries)
    undo = "cleans it up" if state == _DONE else "rolls it back"
    return (
        f"a write of {names} was interrupted ({_shown(journal, base)}); the next bump, ship "
        f"or workflow init {undo}"
    )


def _shown(journal: str, base: str) -> str:
    relative = os.path.relpath(journal, base)
    return journal if relative.startswith(os.pardir) else relative


def _read_journal(journal: str, base: str) -> tuple[str, list[_Entry]]:
    """The journal's state and entries, every path checked to lie inside ``base`` and to be
    one of the names :func:`write_all` gives; :class:`FileProblem` otherwise."""
    try:
        data = json.loads(read_bytes(journal, "a journal").decode("utf-8"))
        state = data["state"]
        files = data["files"]
        if data.get("format") != _FORMAT or state not in (_STAGING, _COMMITTING, _DONE):
            raise ValueError("unknown format or state")
        entries = [_entry(base, item) for item in files]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise FileProblem(
            journal,
            f"unreadable journal of an interrupted write ({exc}); check the files it names, "
            "then delete it",
        ) from None
    return state, entries


def _entry(base: str, item: dict[str, str | None]) -> _Entry:
    path, temp, backup = item["path"], item["temp"], item["backup"]
    old, new = item["old_sha256"], item["new_sha256"]
    if not isinstance(path, str) or not isinstance(temp, str) or not isinstance(new, str):
        raise TypeError("a file entry without path, temp or new_sha256")
    parts = os.path.normpath(path).split(os.sep)
    if (
        os.path.isabs(path)
        or os.pardir in parts
        or path != os.path.normpath(path)
        or path == os.curdir
        or "\0" in path + temp + (backup or "")
    ):
        raise ValueError(f"{path!r} is not a path inside the repository")
    real_dir = os.path.realpath(os.path.join(base, os.path.dirname(path)))
    if real_dir != base and not real_dir.startswith(base.rstrip(os.sep) + os.sep):
        raise ValueError(f"{path!r} is not a path inside the repository")
    directory, name = os.path.split(path)
    for kind, value in (("tmp", temp), ("bak", backup)):
        if value is None:
            continue
        shape = os.path.basename(value)
        if (
            os.path.dirname(value) != directory
            or not shape.startswith(f".{name}.ra-")
            or not shape.endswith(f".{kind}")
        ):
            raise ValueError(f"{value!r} is not a temporary file of {path!r}")
    if (backup is None) != (old is None):
        raise ValueError(f"{path!r}: a backup without a hash, or a hash without a backup")
    return _Entry(path, temp, backup, old, new)


def _umask_mode() -> int:
    # os.umask can only be read by setting it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask
