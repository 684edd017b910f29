"""The JSON reporter and the report's JSON Schema, through pydantic's ``TypeAdapter``.

The only module of the report that imports pydantic: the model is plain dataclasses, and
pydantic validates and serialises them here (``release-assistant check --format json``,
``verification-report.json``, ``release-assistant schema report``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter

from release_assistant.core.report.run_report import Report


@cache
def _adapter() -> TypeAdapter[Report]:
    return TypeAdapter(Report)


def report_json(report: Report) -> str:
    """The report as indented JSON with the spec's field names (``pass``, not ``pass_``)."""
    return _adapter().dump_json(report, indent=2, by_alias=True).decode("utf-8")


def report_from_json(text: str | bytes) -> Report:
    """A report read back from its JSON (validated: unknown keys and wrong types refused)."""
    return _adapter().validate_json(text)


def report_schema() -> dict[str, Any]:
    """JSON Schema of :class:`~release_assistant.core.report.run_report.Report`."""
    return _adapter().json_schema(by_alias=True)
