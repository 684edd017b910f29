"""The value types the lock tools insist on in ``pyproject.toml``.

uv deserializes the parts of ``pyproject.toml`` it reads into typed structures: a
``dependencies = "requests"`` (a string where it wants an array), ``dependencies = [1]``,
``[tool.uv] sources = 3`` or ``tool = 3`` make ``uv lock --check`` refuse the file ("Failed to
parse: pyproject.toml ... invalid type"), while the comparisons in :mod:`.uv` would read past
them and pass. Poetry and PDM refuse their own sections the same way. :func:`pyproject_problem`
checks the parts each tool reads, as it reads them, and names the first value of the wrong
type with its line; parts the tool ignores (``project.description = 3`` for uv) are left alone.

A schema is a :data:`Shape`: ``"str"``, ``"bool"``, ``"table"`` (any table), a dict (a table
whose listed keys have these shapes; others are not looked at), :class:`ArrayOf`,
:class:`TableOf` (every value) or :class:`OneOf`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, TypeAlias

from release_assistant.core.support.toml_lines import TomlDocument


@dataclass(frozen=True, slots=True)
class ArrayOf:
    """An array whose every item has the shape ``item``."""

    item: Shape


@dataclass(frozen=True, slots=True)
class TableOf:
    """A table whose every value has the shape ``value`` (names as keys: extras, groups)."""

    value: Shape


@dataclass(frozen=True, slots=True)
class Table:
    """A table whose listed ``fields`` have these shapes and which has every ``required`` key."""

    fields: dict[str, Shape]
    required: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OneOf:
    """Any of ``shapes``; ``expected`` says what, for the message."""

    shapes: tuple[Shape, ...]
    expected: str


Shape: TypeAlias = "str | dict[str, Shape] | Table | ArrayOf | TableOf | OneOf"

STRINGS = ArrayOf("str")
_SOURCE: dict[str, Shape] = {
    **{
        key: "str"
        for key in ("path", "git", "url", "index", "branch", "tag", "rev", "subdirectory", "marker")
    },
    "editable": "bool",
    "workspace": "bool",
    "package": "bool",
}
_PROJECT: dict[str, Shape] = {
    "name": "str",
    "version": "version",
    "requires-python": "str",
    "dependencies": STRINGS,
    "optional-dependencies": TableOf(STRINGS),
    "dynamic": STRINGS,
}
#: PEP 735 groups: requirements, or ``{include-group = "name"}``.
_GROUPS = TableOf(
    ArrayOf(
        OneOf(
            ("str", Table({"include-group": "str"}, ("include-group",))),
            "a string or an {include-group} table",
        )
    )
)

#: What ``uv lock`` reads (uv's ``PyProjectToml``, ``ToolUv``, ``Source``).
UV: dict[str, Shape] = {
    "project": _PROJECT,
    "dependency-groups": _GROUPS,
    "tool": {
        "uv": {
            "package": "bool",
            "managed": "bool",
            "sources": TableOf(OneOf((_SOURCE, ArrayOf(_SOURCE)), "a source table or an array")),
            "dev-dependencies": STRINGS,
            "constraint-dependencies": STRINGS,
            "override-dependencies": STRINGS,
            "build-constraint-dependencies": STRINGS,
            "workspace": {"members": STRINGS, "exclude": STRINGS},
            "index": ArrayOf("table"),
            "default-groups": OneOf(("all", STRINGS), 'the string "all" or an array of strings'),
            "environments": OneOf(("str", STRINGS), "a string or an array of strings"),
            "required-environments": OneOf(("str", STRINGS), "a string or an array of strings"),
            "conflicts": ArrayOf(ArrayOf("table")),
            "dependency-groups": TableOf("table"),
        }
    },
}
#: What Poetry reads to lock (``[tool.poetry]``, and ``[project]`` since Poetry 2).
POETRY: dict[str, Shape] = {
    "project": _PROJECT,
    "tool": {
        "poetry": {
            "name": "str",
            "version": "version",
            "dependencies": "table",
            "dev-dependencies": "table",
            "group": TableOf({"dependencies": "table", "optional": "bool"}),
            "extras": TableOf(STRINGS),
        }
    },
}
#: What PDM reads to lock.
PDM: dict[str, Shape] = {
    "project": _PROJECT,
    "dependency-groups": _GROUPS,
    "tool": {"pdm": {"dev-dependencies": TableOf(STRINGS)}},
}
_LOCKED_DEPENDENCY = Table(
    {"name": "str", "version": "str", "marker": "str", "extra": STRINGS, "source": "table"},
    ("name",),
)
_LOCKED_REQUIREMENT = Table(
    {
        "name": "str",
        "specifier": "str",
        "marker": "str",
        "extras": STRINGS,
        # The source, as the lock records it: each a path or URL.
        **{
            key: "str"
            for key in ("path", "directory", "editable", "virtual", "url", "git", "index")
        },
    },
    ("name",),
)
#: A ``[[package]]`` entry of ``uv.lock`` as uv deserializes it (``PackageWire``).
UV_LOCK_PACKAGE: dict[str, Shape] = {
    "name": "str",
    "version": "version",
    "source": "table",
    "dependencies": ArrayOf(_LOCKED_DEPENDENCY),
    "optional-dependencies": TableOf(ArrayOf(_LOCKED_DEPENDENCY)),
    "dev-dependencies": TableOf(ArrayOf(_LOCKED_DEPENDENCY)),
    "metadata": {
        "requires-dist": ArrayOf(_LOCKED_REQUIREMENT),
        "provides-extras": STRINGS,
        "requires-dev": TableOf(ArrayOf(_LOCKED_REQUIREMENT)),
    },
}
#: The lock file -> the schema of its tool.
SCHEMAS: dict[str, dict[str, Shape]] = {"uv.lock": UV, "poetry.lock": POETRY, "pdm.lock": PDM}

#: Versions and numbers the tools keep in 64 bits: a longer run of digits is refused (and
#: Python's int() refuses more than 4,300 digits, so nothing here may try).
_LONG_NUMBER = re.compile(r"[0-9]{20,}")
_U64_MAX = 2**64 - 1


def value_problem(value: Any, shape: Shape) -> tuple[str, str] | None:
    """The dotted path (``metadata.requires-dist[0].name``) and message of the first part
    of ``value`` that ``shape`` refuses."""
    found = _problem(value, shape, ())
    return None if found is None else (_dotted(found[0]), found[1])


def pyproject_problem(document: TomlDocument, schema: dict[str, Shape]) -> tuple[int, str] | None:
    """The line and message of the first value in ``document`` that ``schema`` refuses."""
    found = _problem(document.data, schema, ())
    if found is None:
        return None
    path, message = found
    keys = [key for key in path if isinstance(key, str)]
    line = document.line_of(keys) or 1
    return line, f"{_dotted(path)} {message}"


def overlong_number(text: str) -> tuple[int, str] | None:
    """The line and digits of the first number too large for the tools' 64-bit integers."""
    for match in _LONG_NUMBER.finditer(text):
        digits = match.group()
        if len(digits) > 19 and (len(digits) > 20 or int(digits) > _U64_MAX):
            line = text.count("\n", 0, match.start()) + 1
            return line, digits
    return None


def describe_number(digits: str) -> str:
    """``digits`` shortened for a message: its first digits and its length."""
    return f"{digits[:12]}… ({len(digits):,} digits)"


def _problem(value: Any, shape: Shape, path: tuple[str | int, ...]) -> tuple[Any, str] | None:
    if isinstance(shape, str):
        if _fits(value, shape):
            return None
        if shape == "version" and isinstance(value, str):
            digits = overlong_number(value)
            assert digits is not None
            shown = describe_number(digits[1])
            return path, f"holds the number {shown}, beyond the 64 bits the tools read"
        return path, f"must be {_NAMES.get(shape, repr(shape))}, found {_describe(value)}"
    if isinstance(shape, (dict, Table)):
        if not isinstance(value, dict):
            return path, f"must be a table, found {_describe(value)}"
        fields = shape if isinstance(shape, dict) else shape.fields
        for key in () if isinstance(shape, dict) else shape.required:
            if key not in value:
                return path, f"has no `{key}`"
        for key, inner in fields.items():
            if key in value:
                found = _problem(value[key], inner, (*path, key))
                if found is not None:
                    return found
        return None
    if isinstance(shape, ArrayOf):
        if not isinstance(value, list):
            return path, f"must be an array, found {_describe(value)}"
        for index, item in enumerate(value):
            found = _problem(item, shape.item, (*path, index))
            if found is not None:
                return found
        return None
    if isinstance(shape, TableOf):
        if not isinstance(value, dict):
            return path, f"must be a table, found {_describe(value)}"
        for key, item in value.items():
            found = _problem(item, shape.value, (*path, str(key)))
            if found is not None:
                return found
        return None
    for option in shape.shapes:
        if _problem(value, option, path) is None:
            return None
    # The closest option's message, when the value has the option's container type: an
    # array with one wrong item names that item.
    for option in shape.shapes:
        if isinstance(option, ArrayOf) and isinstance(value, list):
            return _problem(value, option, path)
        if isinstance(option, (dict, Table)) and isinstance(value, dict):
            return _problem(value, option, path)
    return path, f"must be {shape.expected}, found {_describe(value)}"


def _fits(value: Any, shape: str) -> bool:
    if shape == "str":
        return isinstance(value, str)
    if shape == "version":
        return isinstance(value, str) and overlong_number(value) is None
    if shape == "bool":
        return isinstance(value, bool)
    if shape == "table":
        return isinstance(value, dict)
    return isinstance(value, str) and value == shape  # a literal string (`"all"`)


_NAMES = {
    "str": "a string",
    "version": "a string",
    "bool": "true or false",
    "table": "a table",
    "all": '"all"',
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"the string {shown!r}"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float" if math.isfinite(value) else "a non-finite float"
    return f"a {type(value).__name__}"


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for key in path:
        if isinstance(key, int):
            text += f"[{key}]"
        else:
            text += ("." if text else "") + key
    return text
