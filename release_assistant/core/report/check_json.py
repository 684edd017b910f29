"""How pydantic reads and writes a :class:`~release_assistant.core.findings.CheckResult` in
the JSON report: the dataclasses themselves, no second model.

Loaded only when pydantic builds the report's adapter (:mod:`.json_report`), through the
``ReportedCheck`` annotation of :mod:`.model`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import fields
from typing import Any, get_type_hints

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

from release_assistant.core.findings import CheckResult, Finding
from release_assistant.core.report.json_shape import (
    CHECK_SHAPE,
    FINDING_SHAPE,
    Shape,
    check_object,
)

# The keys of each object, in order, and the dicts written are declared in `json_shape` (the
# report's JSON written without pydantic uses them too); here pydantic's schema is built
# from them.


def _object_schema(
    shape: Shape, cls: type, handler: GetCoreSchemaHandler, **given: CoreSchema
) -> CoreSchema:
    """The typed-dict schema of ``shape``, each key typed by ``cls``'s annotation (or ``given``)."""
    hints = get_type_hints(cls)
    defaults = {f.name: f.default for f in fields(cls)}
    out: dict[str, core_schema.TypedDictField] = {}
    for key in shape.keys:
        hint, default = shape.added.get(key, (hints.get(key), defaults.get(key)))
        if key in given:
            schema = given[key]
        elif isinstance(hint, type) and issubclass(hint, enum.Enum):
            schema = core_schema.literal_schema([member.value for member in hint])
        else:
            schema = handler.generate_schema(hint)
        if key not in shape.required:
            schema = core_schema.with_default_schema(schema, default=default)
        description = shape.descriptions.get(key)
        out[key] = core_schema.typed_dict_field(
            schema,
            required=key in shape.required,
            metadata={"pydantic_js_updates": {"description": description}} if description else None,
        )
    return core_schema.typed_dict_schema(
        out,
        ref=shape.name,
        extra_behavior="forbid",
        metadata={"pydantic_js_updates": {"title": shape.name, "description": shape.description}},
    )


def _values(cls: type, data: Mapping[str, Any]) -> dict[str, Any]:
    """``data``'s keys that are fields of ``cls``, enums made from their values again."""
    hints = get_type_hints(cls)
    out: dict[str, Any] = {}
    for f in fields(cls):
        if f.name in data:
            hint = hints[f.name]
            value = data[f.name]
            is_enum = isinstance(hint, type) and issubclass(hint, enum.Enum)
            out[f.name] = hint(value) if is_enum else value
    return out


def _finding_in(data: Mapping[str, Any]) -> tuple[Finding, bool]:
    return Finding(**_values(Finding, data)), bool(data.get("suppressed", False))


def _check_in(data: Mapping[str, Any]) -> CheckResult:
    listed: list[tuple[Finding, bool]] = data["findings"]
    values = _values(CheckResult, {key: value for key, value in data.items() if key != "findings"})
    return CheckResult(
        **values,
        findings=tuple(finding for finding, suppressed in listed if not suppressed),
        suppressed=tuple(finding for finding, suppressed in listed if suppressed),
    )


def check_core_schema(handler: GetCoreSchemaHandler) -> CoreSchema:
    """How pydantic reads and writes a :class:`CheckResult` as the report's check object."""
    finding = core_schema.no_info_after_validator_function(
        _finding_in, _object_schema(FINDING_SHAPE, Finding, handler)
    )
    check = _object_schema(
        CHECK_SHAPE, CheckResult, handler, findings=core_schema.list_schema(finding)
    )
    return core_schema.no_info_after_validator_function(
        _check_in,
        check,
        serialization=core_schema.plain_serializer_function_ser_schema(check_object),
    )
