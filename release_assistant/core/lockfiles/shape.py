"""The value types lock tools insist on, checked without parsing a whole lock.

``uv``, Poetry and PDM deserialize their locks into typed structures: a ``version = "x"``
where uv expects an integer, or ``requires-dist = "x"`` where it expects an array, makes
the tool refuse the lock ("Failed to parse `uv.lock`"). The lock parsers here read most of a
lock by its text (see :mod:`.text`), so a wrong type in a part they skip would otherwise pass.

:func:`wrong_type_line` screens every ``key = value`` line written at the start of a line
under a known table and compares the value's first character with the type the tool
requires (``"`` for a string, a digit for an integer, ``[`` for an array, ``{`` for an inline
table). The tools write every one of these keys that way, and a value of the right type can
only start with that character, so the screen has no false alarms; it does not look inside
inline tables. :func:`table_problem` checks an already parsed table (a lock header, a
package entry) the same way, including required keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: Expected value kinds: "str", "int", "bool", "array", "table", "array-of-tables".
Kinds = Mapping[str, str]

_OPENERS = {
    "str": ('"', "'"),
    "int": tuple("+-0123456789"),
    "bool": ("true", "false"),
    "array": ("[",),
    "array-of-tables": ("[",),
    "table": ("{",),
}
_DESCRIBE = {
    "str": "a string",
    "int": "an integer",
    "bool": "true or false",
    "array": "an array",
    "array-of-tables": "an array of tables",
    "table": "a table",
}
_LINE = re.compile(
    r"^(?:\[\[?\s*(?P<header>[^\]]+?)\s*\]\]?\s*(?:#.*)?"
    r"|(?P<key>[A-Za-z0-9_-]+) = (?P<value>\S.*))$"
)

#: uv.lock (uv's ``LockWire``/``PackageWire``): table -> key -> kind. ``*`` stands for
#: every key of a table whose keys are names (extras, groups).
UV_LINES: dict[str, Kinds] = {
    "": {
        "version": "int",
        "revision": "int",
        "requires-python": "str",
        "resolution-markers": "array",
        "supported-markers": "array",
        "required-markers": "array",
        "conflicts": "array",
        "options": "table",
        "manifest": "table",
        "package": "array-of-tables",
    },
    "options": {
        "resolution-mode": "str",
        "prerelease-mode": "str",
        "fork-strategy": "str",
        "exclude-newer": "str",
    },
    "manifest": {
        "members": "array",
        "requirements": "array",
        "constraints": "array",
        "overrides": "array",
        "excludes": "array",
        "build-constraints": "array",
        "dependency-metadata": "array",
    },
    "manifest.dependency-groups": {"*": "array"},
    "package": {
        "name": "str",
        "version": "str",
        "source": "table",
        "resolution-markers": "array",
        "dependencies": "array",
        "sdist": "table",
        "wheels": "array",
    },
    "package.optional-dependencies": {"*": "array"},
    "package.dev-dependencies": {"*": "array"},
    "package.metadata": {"requires-dist": "array", "provides-extras": "array"},
    "package.metadata.requires-dev": {"*": "array"},
}

#: poetry.lock (Poetry's locker reads these keys as these types).
POETRY_LINES: dict[str, Kinds] = {
    "package": {
        "name": "str",
        "version": "str",
        "description": "str",
        "optional": "bool",
        "python-versions": "str",
        "groups": "array",
        "files": "array",
    },
    "package.extras": {"*": "array"},
    "metadata": {"lock-version": "str", "python-versions": "str", "content-hash": "str"},
    "": {"package": "array-of-tables", "metadata": "table"},
}

#: pdm.lock (PDM's lockfile format 4.x).
PDM_LINES: dict[str, Kinds] = {
    "": {"package": "array-of-tables", "metadata": "table"},
    "metadata": {
        "groups": "array",
        "strategy": "array",
        "lock_version": "str",
        "content_hash": "str",
    },
    "package": {
        "name": "str",
        "version": "str",
        "requires_python": "str",
        "summary": "str",
        "dependencies": "array",
        "groups": "array",
        "files": "array",
        "marker": "str",
    },
}


def wrong_type_line(text: str, schema: Mapping[str, Kinds]) -> tuple[int, str] | None:
    """The first line whose value has the wrong type for its key, and the message."""
    table = ""
    in_multiline = False
    for number, line in enumerate(text.split("\n"), start=1):
        if in_multiline:
            if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                in_multiline = False
            continue
        if not line or line[0] in " \t#]}":
            continue
        match = _LINE.match(line)
        if match is None:
            continue
        if match["header"] is not None:
            table = match["header"]
            continue
        key, value = match["key"], match["value"]
        if value.startswith(('"""', "'''")) and (value.count('"""') + value.count("'''")) == 1:
            in_multiline = True
        kinds = schema.get(table)
        if kinds is None:
            continue
        kind = kinds.get(key) or kinds.get("*")
        if kind is None:
            continue
        if not value.startswith(_OPENERS[kind]):
            shown = value if len(value) <= 40 else value[:37] + "..."
            prefix = f"[{table}] " if table else ""
            return number, f"{prefix}{key} must be {_DESCRIBE[kind]}, found `{shown}`"
    return None


def table_problem(
    table: Mapping[str, Any], kinds: Kinds, required: tuple[str, ...] = ()
) -> str | None:
    """Why a parsed table does not have the shape ``kinds`` requires, or ``None``."""
    for key in required:
        if key not in table:
            return f"the required key `{key}` is missing"
    for key, kind in kinds.items():
        if key == "*" or key not in table:
            continue
        if not _is_kind(table[key], kind):
            return f"{key} must be {_DESCRIBE[kind]}, found {_describe(table[key])}"
    return None


def _is_kind(value: Any, kind: str) -> bool:
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list)
    if kind == "array-of-tables":
        return isinstance(value, list) and all(isinstance(item, dict) for item in value)
    return isinstance(value, dict)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int):
        return "an integer"
    return type(value).__name__
