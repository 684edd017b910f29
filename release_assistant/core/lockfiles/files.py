"""Reading the repository's files for the lock check: from the work tree, or from the git index.

A pre-commit hook should judge what is being committed, so :class:`RepoFiles` can read the
staged version of a file (``git show :path``) instead of the work tree. Directory listings
(workspace member globs) always come from the work tree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from release_assistant.core.git.readonly import run_git
from release_assistant.core.support.confined import read_text_inside
from release_assistant.core.support.textfiles import FileProblem, decode_text
from release_assistant.core.support.toml_lines import TomlDocument, parse_toml


@dataclass(slots=True)
class RepoFiles:
    """Cached access to text files under ``root``; paths are relative, POSIX style."""

    root: Path
    staged: bool = False
    _texts: dict[str, str | None] = field(default_factory=dict, repr=False)
    _tomls: dict[str, TomlDocument | None] = field(default_factory=dict, repr=False)

    def path(self, relpath: str) -> Path:
        """The absolute path of ``relpath``."""
        return self.root / relpath

    def read(self, relpath: str) -> str | None:
        """The file's text, ``None`` when it does not exist; :class:`FileProblem` if unreadable."""
        if relpath not in self._texts:
            self._texts[relpath] = self._load(relpath)
        return self._texts[relpath]

    def exists(self, relpath: str) -> bool:
        """True when the file exists (in the index, for a staged read), readable or not."""
        try:
            return self.read(relpath) is not None
        except FileProblem:
            return True

    def toml(self, relpath: str) -> TomlDocument | None:
        """The parsed TOML file, ``None`` when missing; :class:`FileProblem` when malformed."""
        if relpath not in self._tomls:
            text = self.read(relpath)
            self._tomls[relpath] = None if text is None else parse_toml(text, Path(relpath))
        return self._tomls[relpath]

    def remember_toml(self, relpath: str, document: TomlDocument) -> None:
        """Reuse an already parsed document (the context's ``pyproject.toml``)."""
        if not self.staged:
            self._tomls[relpath] = document
            self._texts[relpath] = document.text

    def _load(self, relpath: str) -> str | None:
        toml = relpath.endswith((".toml", ".lock"))
        try:
            if self.staged:
                staged = _git_show_staged(self.root, relpath)
                if staged is not None:
                    return decode_text(staged, relpath, toml=toml)
            path = self.root / relpath
            if not os.path.lexists(path):
                return None
            # Anything else that exists under the name is read (and refused by name): a lock
            # that is a directory or a FIFO is broken, not absent; a link out of the work
            # tree is never followed.
            return read_text_inside(self.root, relpath, relpath, toml=toml)
        except FileProblem as problem:
            raise FileProblem(relpath, problem.message, problem.line) from None


def _git_show_staged(root: Path, relpath: str) -> bytes | None:
    """The staged content of ``relpath``; ``None`` when it is not in the index."""
    output = run_git(root, ["show", f":./{relpath}"])
    return output.stdout if output is not None and output.ok else None


def relative_posix(root: Path, path: Path) -> str:
    """``path`` relative to ``root`` in POSIX form (``.`` for the root itself)."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        return path.as_posix()
    text = relative.as_posix()
    return text or "."


def join_relpath(directory: str, name: str) -> str:
    """``directory/name`` for a root-relative directory (``.`` is the root)."""
    return name if directory in ("", ".") else f"{directory}/{name}"
