"""The JSON reporter and the report's JSON Schema, through pydantic's ``TypeAdapter``.

The only module of the report that imports pydantic: the model is plain dataclasses, and
pydantic validates and serialises them here (``release-assistant check --format json``,
``verification-report.json``, ``release-assistant schema report``). Writing the usual report
needs no pydantic: :func:`~.json_shape.plain_report_json` writes the same bytes with
:mod:`json`, and pydantic is imported only for a report it does not vouch for, for reading
a report back and for the schema.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from release_assistant.core.report.json_shape import plain_report_json
from release_assistant.core.report.run_report import Report

if TYPE_CHECKING:
    from pydantic import TypeAdapter


@cache
def _adapter() -> TypeAdapter[Report]:
    from pydantic import TypeAdapter

    return TypeAdapter(Report)


def pydantic_report_json(report: Report) -> str:
    """The report as pydantic's ``TypeAdapter`` writes it (what :func:`report_json` matches)."""
    return _adapter().dump_json(report, indent=2, by_alias=True).decode("utf-8")


def report_json(report: Report) -> str:
    """The report as indented JSON with the spec's field names (``pass``, not ``pass_``)."""
    plain = plain_report_json(report)
    return plain if plain is not None else pydantic_report_json(report)


def report_from_json(text: str | bytes) -> Report:
    """A report read back from its JSON (validated: unknown keys and wrong types refused)."""
    return _adapter().validate_json(text)


def report_schema() -> dict[str, Any]:
    """JSON Schema of :class:`~release_assistant.core.report.run_report.Report`."""
    return _adapter().json_schema(by_alias=True)
