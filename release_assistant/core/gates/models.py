"""Pydantic over the parity dataclasses: validation and JSON Schema publishing.

Every artifact is defined once, as a standard dataclass (:mod:`.parity.artifacts`,
:mod:`.parity.result`); pydantic validates and publishes schemas from those same classes
through :class:`~pydantic.TypeAdapter`. Not on the hook path (hooks must not import
pydantic): the CLI (``gate``, ``schema``), the generator and the report use it.

Schemas: ``release-assistant schema parity-run | parity-aggregate | parity-lock |
parity-summary | parity-suite-spec | parity-scores``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import TypeAdapter

from release_assistant.core.gates.parity.artifacts import (
    ParityAggregate,
    ParityRun,
    ScoreFile,
    SuiteSpec,
    UpstreamLock,
)
from release_assistant.core.gates.parity.result import ParitySummary

T = TypeVar("T")

#: Schema name (``release-assistant schema NAME``) -> artifact class.
ARTIFACTS: dict[str, type[Any]] = {
    "parity-run": ParityRun,
    "parity-aggregate": ParityAggregate,
    "parity-lock": UpstreamLock,
    "parity-summary": ParitySummary,
    "parity-suite-spec": SuiteSpec,
    "parity-scores": ScoreFile,
}


_adapters: dict[type[Any], TypeAdapter[Any]] = {}


def adapter(cls: type[T]) -> TypeAdapter[T]:
    """The pydantic adapter of one artifact class (built once: building costs milliseconds)."""
    built = _adapters.get(cls)
    if built is None:
        built = _adapters[cls] = TypeAdapter(cls)
    return built


def validate(cls: type[T], data: object) -> T:
    """``data`` (parsed JSON) as an instance of ``cls``; raises ``pydantic.ValidationError``."""
    validated: T = adapter(cls).validate_python(data)
    return validated


def artifact_schema(name: str) -> dict[str, Any]:
    """JSON Schema of one artifact, by its schema name."""
    return adapter(ARTIFACTS[name]).json_schema(by_alias=True)
