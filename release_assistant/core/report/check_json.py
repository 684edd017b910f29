"""How pydantic reads and writes a :class:`~release_assistant.core.findings.CheckResult` in
the JSON report: the dataclasses themselves, no second model.

Loaded only when pydantic builds the report's adapter (:mod:`.json_report`), through the
``ReportedCheck`` annotation of :mod:`.model`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, get_type_hints

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

from release_assistant.core.findings import CheckResult, Finding
from release_assistant.core.rules import rule_for

# The report writes each CheckResult and Finding as they are, with what the JSON contract adds
# and leaves out: a finding carries its rule's title and reference and whether an inline
# comment suppressed it (suppressed findings join the check's one list); a check leaves out
# `details` and `sources`. Each key's type comes from the dataclass's own annotation (an enum
# as its values); the contract fixes only the keys' order, which are required, and the
# descriptions of the schema it publishes (`release-assistant schema report`).


@dataclass(frozen=True, slots=True)
class _Shape:
    """One JSON object of the contract: its keys in order, and what the dataclass lacks."""

    name: str
    description: str
    keys: tuple[str, ...]
    required: frozenset[str]
    descriptions: Mapping[str, str]
    #: keys the dataclass does not have: their type and default
    added: Mapping[str, tuple[object, object]] = field(default_factory=dict)


_FINDING = _Shape(
    "FindingModel",
    "One finding: stable code, severity, message, location and fix hint.",
    (
        *("code", "severity", "message", "path", "line", "hint"),
        *("title", "reference", "external_id", "suppressed"),
    ),
    frozenset({"code", "severity", "message"}),
    {
        "title": "the rule's title, from the registry",
        "reference": "the rule's section in the rule reference (docs/rules.md)",
        "external_id": "the other tool's rule id of a finding folded in from it "
        "(zizmor/template-injection)",
        "suppressed": "silenced by a '# release-assistant: ignore[CODE]' comment on its line: "
        "listed, but not\ncounted toward the status",
    },
    {"title": (str | None, None), "reference": (str | None, None), "suppressed": (bool, False)},
)
_CHECK = _Shape(
    "CheckModel",
    "One check's verdict.",
    ("id", "title", "status", "blocking", "duration_ms", "reason", "findings"),
    frozenset({"id", "title", "status", "blocking", "duration_ms", "findings"}),
    {"reason": "why a check was skipped or errored"},
)


def _object_schema(
    shape: _Shape, cls: type, handler: GetCoreSchemaHandler, **given: CoreSchema
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


def _plain(value: object) -> object:
    return value.value if isinstance(value, enum.Enum) else value


def _finding_out(finding: Finding, suppressed: bool) -> dict[str, object]:
    rule = rule_for(finding.code)
    added = {
        "title": rule.title if rule else None,
        "reference": rule.anchor if rule else None,
        "suppressed": suppressed,
    }
    return {
        key: added[key] if key in added else _plain(getattr(finding, key)) for key in _FINDING.keys
    }


def _check_out(check: CheckResult) -> dict[str, object]:
    listed = [_finding_out(finding, suppressed) for finding, suppressed in check.listed_findings()]
    return {
        key: listed if key == "findings" else _plain(getattr(check, key)) for key in _CHECK.keys
    }


def check_core_schema(handler: GetCoreSchemaHandler) -> CoreSchema:
    """How pydantic reads and writes a :class:`CheckResult` as the report's check object."""
    finding = core_schema.no_info_after_validator_function(
        _finding_in, _object_schema(_FINDING, Finding, handler)
    )
    check = _object_schema(_CHECK, CheckResult, handler, findings=core_schema.list_schema(finding))
    return core_schema.no_info_after_validator_function(
        _check_in,
        check,
        serialization=core_schema.plain_serializer_function_ser_schema(_check_out),
    )
