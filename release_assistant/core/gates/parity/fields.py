"""Typed field readers for parity artifacts, and the same constraints for pydantic.

A :class:`Kind` is one JSON value kind a field may hold (a boolean, a string, a finite
number, a whole number >= 0, an object). On the hook path the gate calls :meth:`Kind.read`,
which returns the value, ``None`` when the key is absent or null, or a :class:`WrongType`
naming what was expected; nothing is coerced (``"true"`` is not true, ``"3"`` is not 3).

The artifact dataclasses (:mod:`.artifacts`) carry the same objects in ``Annotated``
metadata, and pydantic (off the hook path, :mod:`release_assistant.core.gates.models`)
applies them through its ``__get_pydantic_core_schema__`` protocol, so the strictness the
gate enforces and the strictness of the published JSON Schemas are declared in one place.
Standard library only: pydantic calls into these objects, they never import it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from release_assistant.core.gates.jsondoc import describe


class WrongType:
    """A field that is present with the wrong type; ``expected`` says what it should be."""

    __slots__ = ("expected", "value")

    def __init__(self, value: object, expected: str) -> None:
        self.value = value
        self.expected = expected

    def text(self, name: str) -> str:
        """``name must be <expected>, found <value>`` for a failure message."""
        return f"{name} must be {self.expected}, found {describe(self.value)}"


class Constraint:
    """Pydantic core-schema keys (``strict``, ``ge``, ``pattern``...) for an ``Annotated`` field.

    Pydantic builds the schema of the annotated type and this adds the keys to it (inside
    ``T | None``, to ``T``). Nothing here runs unless pydantic asks.
    """

    __slots__ = ("keys",)

    def __init__(self, **keys: object) -> None:
        self.keys = keys

    def __get_pydantic_core_schema__(
        self, source: Any, handler: Callable[[Any], dict[str, Any]]
    ) -> dict[str, Any]:
        """Pydantic's hook: the schema of ``source`` with this constraint's keys added."""
        schema = handler(source)
        if schema.get("type") == "nullable":
            return {**schema, "schema": {**schema["schema"], **self.keys}}
        return {**schema, **self.keys}

    def but(self, **keys: object) -> Constraint:
        """This constraint with more keys (e.g. a number that must also be >= 0)."""
        return Constraint(**self.keys, **keys)


class Kind(Constraint):
    """A strict JSON value kind: read on the hook path, enforced by pydantic off it."""

    __slots__ = ("_cast", "_problem")

    def __init__(
        self,
        problem: Callable[[object], str | None],
        cast: Callable[[Any], Any] | None = None,
        **keys: object,
    ) -> None:
        super().__init__(strict=True, **keys)
        self._problem = problem
        self._cast = cast

    def read(self, obj: Mapping[str, Any], key: str) -> Any:
        """``obj[key]`` when it is of this kind, ``None`` when absent or null, else a
        :class:`WrongType`."""
        value = obj.get(key)
        if value is None:
            return None
        expected = self._problem(value)
        if expected is not None:
            return WrongType(value, expected)
        return value if self._cast is None else self._cast(value)


def _bool_problem(value: object) -> str | None:
    return None if isinstance(value, bool) else "true or false"


def _string_problem(value: object) -> str | None:
    return None if isinstance(value, str) else "a string"


def _number_problem(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "a number"
    return None if math.isfinite(value) else "a finite number"


def _count_problem(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return "a whole number >= 0"
    return None


def _object_problem(value: object) -> str | None:
    return None if isinstance(value, dict) else "an object"


#: ``true`` or ``false``.
BOOL = Kind(_bool_problem)
#: Any string.
STRING = Kind(_string_problem)
#: A finite number (an integer is fine; a boolean, a numeric string or NaN is not).
NUMBER = Kind(_number_problem, float, allow_inf_nan=False)
#: A whole number >= 0.
COUNT = Kind(_count_problem, ge=0)
#: A JSON object (pydantic checks nested objects by their own dataclass).
OBJECT = Kind(_object_problem)
#: A string with at least one non-blank character (the gate reports blank ids itself).
NON_BLANK = Constraint(strict=True, pattern=r"\S")


def read_bool(obj: Mapping[str, Any], key: str) -> bool | WrongType | None:
    """``obj[key]`` as a boolean (see :meth:`Kind.read`)."""
    value: bool | WrongType | None = BOOL.read(obj, key)
    return value


def read_string(obj: Mapping[str, Any], key: str) -> str | WrongType | None:
    """``obj[key]`` as a string (see :meth:`Kind.read`)."""
    value: str | WrongType | None = STRING.read(obj, key)
    return value


def read_number(obj: Mapping[str, Any], key: str) -> float | WrongType | None:
    """``obj[key]`` as a finite number, an integer made a float (see :meth:`Kind.read`)."""
    value: float | WrongType | None = NUMBER.read(obj, key)
    return value


def read_count(obj: Mapping[str, Any], key: str) -> int | WrongType | None:
    """``obj[key]`` as a whole number >= 0 (see :meth:`Kind.read`)."""
    value: int | WrongType | None = COUNT.read(obj, key)
    return value


def read_object(obj: Mapping[str, Any], key: str) -> dict[str, Any] | WrongType | None:
    """``obj[key]`` as a JSON object (see :meth:`Kind.read`)."""
    value: dict[str, Any] | WrongType | None = OBJECT.read(obj, key)
    return value
