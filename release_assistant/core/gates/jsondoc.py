"""Reading JSON artifacts: one clear problem per bad file, with the line when there is one.

Standard library only (the gate runs inside a pre-commit hook).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from release_assistant.core.support.errors import InputError
from release_assistant.core.support.textfiles import FileProblem, read_text


@dataclass(slots=True)
class JsonDocument:
    """A parsed JSON file whose top level is an object, with its text for line lookups."""

    path: Path
    text: str
    data: dict[str, Any]

    def line_of(self, *keys: str) -> int | None:
        """Best-effort line of the nested key ``keys`` (searched in order), or ``None``."""
        return line_of_key(self.text, *keys)

    def line_of_value(self, key: str, value: str) -> int | None:
        """Best-effort line of ``"key": "value"`` (e.g. an aggregate row's ``suite_id``)."""
        pattern = re.compile(rf"{_quoted(key)}\s*:\s*{_quoted(value)}")
        match = pattern.search(self.text)
        return None if match is None else self.text.count("\n", 0, match.start()) + 1


def _quoted(text: str) -> str:
    return re.escape(json.dumps(text))


def line_of_key(text: str, *keys: str) -> int | None:
    """The line where the key path ``keys`` appears, searching each key after the previous.

    This is a textual search, good enough to point a maintainer at the right place in a
    pretty-printed artifact; ``None`` when a key is not found.
    """
    position = 0
    start = 0
    for key in keys:
        match = re.compile(rf"{_quoted(key)}\s*:").search(text, position)
        if match is None:
            return None
        start, position = match.start(), match.end()
    return text.count("\n", 0, start) + 1 if keys else None


def load_json_object(path: Path) -> JsonDocument:
    """Read ``path`` as a JSON object.

    Raises :class:`FileProblem` naming the file (and the line for a syntax error) when the
    file is missing, unreadable, not UTF-8, not valid JSON, or its top level is not an object.
    """
    return parse_json_object(read_text(path), path)


def parse_json_object(text: str, path: Path) -> JsonDocument:
    """Parse ``text`` (the content of ``path``) as a JSON object; see :func:`load_json_object`."""
    try:
        data = json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except DuplicateKey as duplicate:
        raise FileProblem(
            path,
            f"key {duplicate.key!r} appears twice in one object: readers disagree on which "
            "value counts, so the artifact is refused",
            line=line_of_key(text, duplicate.key),
        ) from None
    except json.JSONDecodeError as error:
        raise FileProblem(
            path, f"is not valid JSON: {error.msg} (column {error.colno})", line=error.lineno
        ) from None
    except RecursionError:
        raise FileProblem(path, "is not usable JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise FileProblem(path, f"top level must be a JSON object, found {describe(data)}", line=1)
    return JsonDocument(path, text, data)


class DuplicateKey(InputError, ValueError):
    """A JSON object names one key twice (the standard library keeps the last silently)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


def describe(value: object) -> str:
    """A short JSON-flavoured description of ``value`` for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {json.dumps(shown)}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
