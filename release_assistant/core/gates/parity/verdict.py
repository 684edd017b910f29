"""The numbers behind a non-inferiority verdict: one definition, read with or without pydantic.

A run's ``stats`` and each aggregate row state the same numbers. :class:`VerdictNumbers`
defines them once: pydantic validates them as part of :class:`~.artifacts.RunStats` and
:class:`~.artifacts.AggregateRow`, and the gate reads them on the hook path with
:func:`read_numbers`, which takes each field's name and :class:`~.fields.Kind` from the class.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, get_type_hints

from release_assistant.core.gates.parity.fields import COUNT, NUMBER, STRING, Kind, WrongType

#: Pydantic configuration of an artifact part that allows fields the gate does not read.
#: (Not ``extra="allow"``: pydantic would store the extras as attributes, which slots forbid.)
OPEN: dict[str, Any] = {
    "use_attribute_docstrings": True,
    "json_schema_extra": {"additionalProperties": True},
}


@dataclass(frozen=True, slots=True)
class VerdictNumbers:
    """The numbers behind a non-inferiority verdict, as a run's stats and aggregate rows state."""

    __pydantic_config__: ClassVar[dict[str, Any]] = OPEN
    sample_size: Annotated[int | None, COUNT] = None
    mean_drop_ratio: Annotated[float | None, NUMBER] = None
    ci_upper_ratio: Annotated[float | None, NUMBER] = None
    margin_ratio: Annotated[float | None, NUMBER] = None
    confidence: Annotated[float | None, NUMBER] = None
    verdict_reason: Annotated[str | None, STRING] = None


_kinds: list[tuple[str, Kind]] = []


def read_numbers(obj: Mapping[str, Any]) -> tuple[VerdictNumbers, list[tuple[str, WrongType]]]:
    """The numbers ``obj`` states (a wrong-typed one as ``None``) and the wrong-typed fields,
    in field order."""
    if not _kinds:
        hints = get_type_hints(VerdictNumbers, include_extras=True)
        _kinds.extend(
            (name, kind)
            for name, hint in hints.items()
            for kind in getattr(hint, "__metadata__", ())
            if isinstance(kind, Kind)
        )
    values: dict[str, Any] = {}
    wrong: list[tuple[str, WrongType]] = []
    for name, kind in _kinds:
        value = kind.read(obj, name)
        if isinstance(value, WrongType):
            wrong.append((name, value))
            value = None
        values[name] = value
    return VerdictNumbers(**values), wrong
