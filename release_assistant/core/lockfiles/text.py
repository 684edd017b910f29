"""Text-level helpers shared by the lock parsers: conflict markers, slices, line numbers.

Lock files can be large (a 700 KB ``uv.lock`` takes ~100 ms to parse with ``tomllib``), so the
parsers locate what they need with regular expressions and TOML-parse only those slices. The
helpers here keep line numbers right when a slice is parsed on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.rules.lock import UNREADABLE_LOCK
from release_assistant.core.support.lazy_regex import LazyPattern
from release_assistant.core.support.toml_lines import tomllib

#: Lines git writes around a merge conflict (``|||||||`` with ``merge.conflictStyle=diff3``).
CONFLICT_MARKER = re.compile(r"^(<{7}|={7}|>{7}|\|{7})( |$)", re.MULTILINE)
#: The same lines after a line break: a pattern that starts with a literal is searched for
#: that character first, several times faster than a ``^`` pattern or four substring searches
#: over a large lock (:func:`conflict_marker_lines`).
_MARKER_AFTER_BREAK = re.compile(r"\n(?:<{7}|={7}|>{7}|\|{7})(?= |\n|\Z)")

#: A line no TOML document can start with: not blank, not a comment, table header, array or
#: inline-table continuation (indented or closing), and not a ``key =`` assignment. Used as a
#: cheap syntax screen of the parts of a lock that are not parsed.
_SUSPECT_LINE = LazyPattern(
    r"^(?![ \t\[\]#}]|$|(?:[A-Za-z0-9_-]+|\"[^\"\n]*\"|'[^'\n]*')"
    r"(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"\n]*\"|'[^'\n]*'))*\s*=).*$",
    re.MULTILINE,
)
_TOML_POSITION = LazyPattern(r"\s*\(at line (\d+), column \d+\)")


@dataclass(frozen=True, slots=True)
class TomlProblem:
    """A TOML syntax error: the message and the 1-based line in the whole file."""

    message: str
    line: int | None


def syntax_finding(problem: TomlProblem, lock: str, relock: str, tool: str) -> Finding:
    """RA502 for a lock that is not valid TOML, with the tool's own re-lock command."""
    return Finding(
        UNREADABLE_LOCK.code,
        f"{lock} is not valid TOML ({problem.message.removeprefix('invalid TOML: ')})",
        Severity.ERROR,
        lock,
        problem.line,
        f"fix or regenerate it with `{relock}` ({tool} cannot read it either)",
    )


def malformed_finding(lock: str, message: str, line: int | None, relock: str, tool: str) -> Finding:
    """RA502 for a lock that is valid TOML but has a value of the wrong type for the tool."""
    return Finding(
        UNREADABLE_LOCK.code,
        f"{lock} cannot be read by {tool}: {message}",
        Severity.ERROR,
        lock,
        line,
        f"regenerate it with `{relock}` ({tool} refuses to read it as it is)",
    )


def key_line(text: str, key: str) -> int | None:
    """Line of the first line that starts with ``key`` (not on line 1), or ``None``."""
    index = text.find("\n" + key)
    return line_of_offset(text, index + 1) if index >= 0 else None


def line_of_offset(text: str, offset: int) -> int:
    """The 1-based line number of character ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1


def conflict_marker_lines(text: str) -> list[int]:
    """Lines that carry merge-conflict markers (``<<<<<<<``, ``=======``, ``>>>>>>>``)."""
    # One search for a marker after a line break (and one match at the start) is much
    # cheaper than the multi-line pattern over a large lock; lines only when there is one.
    if CONFLICT_MARKER.match(text) is None and _MARKER_AFTER_BREAK.search(text) is None:
        return []
    lines = LineIndex(text)
    return [lines.line(match.start()) for match in CONFLICT_MARKER.finditer(text)]


class LineIndex:
    """Line numbers of many offsets in one text, in O(log n) each after one O(n) pass."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    def line(self, offset: int) -> int:
        """The 1-based line of ``offset``."""
        if self._starts is None:
            starts = [0]
            find = self.text.find
            position = find("\n")
            while position >= 0:
                starts.append(position + 1)
                position = find("\n", position + 1)
            self._starts = starts
        from bisect import bisect_right

        return bisect_right(self._starts, offset)


def parse_slice(text: str, start: int, end: int) -> dict[str, Any] | TomlProblem:
    """TOML-parse ``text[start:end]``; a syntax error comes back with its line in ``text``."""
    try:
        data: dict[str, Any] = tomllib.loads(text[start:end])
    except tomllib.TOMLDecodeError as exc:
        return _problem(exc, line_of_offset(text, start) - 1)
    except RecursionError:
        return TomlProblem("arrays or tables nested too deeply", line_of_offset(text, start))
    except ValueError as exc:  # an integer over 4300 digits: int() refuses it
        return TomlProblem(str(exc).split(";")[0], line_of_offset(text, start))
    return data


def parse_full(text: str) -> dict[str, Any] | TomlProblem:
    """TOML-parse a whole document (the slow path, used to explain a broken file)."""
    return parse_slice(text, 0, len(text))


def first_suspect_line(text: str, start: int = 0, end: int | None = None) -> int | None:
    """The first line in ``text[start:end]`` no TOML line could look like, if any."""
    match = _SUSPECT_LINE.search(text, start, len(text) if end is None else end)
    return None if match is None else line_of_offset(text, match.start())


def _problem(exc: Exception, line_shift: int) -> TomlProblem:
    message = str(exc)
    line = getattr(exc, "lineno", None)
    if line is None:
        found = re.search(r"at line (\d+)", message)
        line = int(found.group(1)) if found else None
    message = _TOML_POSITION.sub("", message)
    message = message.replace(" (at end of document)", "")
    return TomlProblem(f"invalid TOML: {message}", None if line is None else line + line_shift)
