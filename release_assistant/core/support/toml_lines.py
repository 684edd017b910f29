"""TOML loading with line numbers for keys.

``tomllib`` gives no positions, but every finding about ``pyproject.toml`` should name its
line. :class:`TomlDocument` keeps the text and finds the line where a dotted key (a table
header or a ``key =`` assignment) is written, which is all the tool needs.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from release_assistant.core.support.lazy_regex import LazyPattern
from release_assistant.core.support.textfiles import FileProblem, StrPath, read_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

# tomllib is re-exported: the lock parsers use the same module.
__all__ = ["TomlDocument", "load_toml", "parse_toml", "split_dotted_key", "tomllib"]

# Only line numbers (for findings and errors) need these: compiled on first use.
_HEADER = LazyPattern(r"^\s*\[\[?\s*(?P<name>[^\]]+?)\s*\]\]?\s*(#.*)?$")
_ASSIGN = LazyPattern(r"^\s*(?P<key>[A-Za-z0-9_\-\"'. ]+?)\s*=")
_KEY_PART = LazyPattern(r"\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_\-]+)\s*")


def split_dotted_key(text: str) -> tuple[str, ...]:
    """Split a TOML dotted key (``tool."release-assistant".checks``) into its parts."""
    parts: list[str] = []
    position = 0
    while position <= len(text):
        match = _KEY_PART.match(text, position)
        if not match:
            break
        raw = match.group(1)
        parts.append(raw[1:-1] if raw[:1] in "\"'" else raw)
        position = match.end()
        if position < len(text) and text[position] == ".":
            position += 1
            continue
        break
    return tuple(parts)


@dataclass(slots=True)
class TomlDocument:
    """A parsed TOML file that can say on which line a key is written."""

    path: StrPath
    text: str
    data: dict[str, Any]
    _lines: dict[tuple[str, ...], int] = field(default_factory=dict, repr=False)

    def line_of(self, key_path: Sequence[str]) -> int | None:
        """Line (1-based) where ``key_path`` is defined, or of its closest written parent."""
        if not self._lines:
            self._index()
        path = tuple(key_path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return None

    def _index(self) -> None:
        table: tuple[str, ...] = ()
        in_multiline = False
        for number, line in enumerate(self.text.split("\n"), start=1):
            # Keys inside multi-line strings are not keys; skip their bodies.
            if in_multiline:
                if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                    in_multiline = False
                continue
            header = _HEADER.match(line)
            if header:
                table = split_dotted_key(header.group("name"))
                self._lines.setdefault(table, number)
                continue
            assign = _ASSIGN.match(line)
            if assign:
                key = table + split_dotted_key(assign.group("key"))
                self._lines.setdefault(key, number)
                rest = line[assign.end() :]
                if rest.count('"""') % 2 == 1 or rest.count("'''") % 2 == 1:
                    in_multiline = True


def load_toml(path: StrPath) -> TomlDocument:
    """Read and parse a TOML file; :class:`FileProblem` names the file and line on error."""
    text = read_text(path, toml=True)
    return parse_toml(text, path)


def parse_toml(text: str, path: StrPath) -> TomlDocument:
    """Parse TOML text read from ``path``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        message = str(exc)
        if line is None:
            found = re.search(r"line (\d+)", message)
            line = int(found.group(1)) if found else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        message = re.sub(r"\s*\(at end of document\)", "", message)
        raise FileProblem(path, f"invalid TOML: {message}", line=line) from None
    except RecursionError:
        raise FileProblem(path, "cannot be read: arrays or tables nested too deeply") from None
    except ValueError as exc:  # an integer too long for int() (over 4300 digits)
        raise FileProblem(path, f"cannot be read: {str(exc).split(';')[0]}") from None
    return TomlDocument(path=path, text=text, data=data)
