"""The JSON report's objects as plain dicts, and the report's JSON written without pydantic.

Standard library only. The keys of a check and a finding object are declared here once:
:mod:`.check_json` builds pydantic's schema from them, and :func:`plain_report_json` writes
the usual report with :mod:`json`, byte for byte what pydantic's ``TypeAdapter(Report)``
writes (``tests/test_report_json_plain.py`` compares both). Importing pydantic and building
the adapter was over a third of a ``check --report-dir`` run; pydantic is still the writer
of any report this module does not vouch for (a gate's summary, a float or a date-time
outside the forms below, a string that is not valid UTF-8): :func:`plain_report_json`
returns ``None`` and :mod:`.json_report` asks pydantic.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from release_assistant.core.findings import CheckResult, Finding
from release_assistant.core.rules import rule_for
from release_assistant.core.support.errors import InternalError

if TYPE_CHECKING:
    # Annotations only: run_report builds its pydantic schema from check_json, which reads
    # the shapes here, so a runtime import back would close a circle.
    from release_assistant.core.report.run_report import Report, Summary


@dataclass(frozen=True, slots=True)
class Shape:
    """One JSON object of the contract: its keys in order, and what the dataclass lacks."""

    name: str
    description: str
    keys: tuple[str, ...]
    required: frozenset[str]
    descriptions: Mapping[str, str]
    #: keys the dataclass does not have: their type and default
    added: Mapping[str, tuple[object, object]] = field(default_factory=dict)


# The report writes each CheckResult and Finding as they are, with what the JSON contract adds
# and leaves out: a finding carries its rule's title and reference and whether an inline
# comment suppressed it (suppressed findings join the check's one list); a check leaves out
# `details` and `sources`. Each key's type comes from the dataclass's own annotation (an enum
# as its values); the contract fixes only the keys' order, which are required, and the
# descriptions of the schema it publishes (`release-assistant schema report`).

FINDING_SHAPE = Shape(
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
CHECK_SHAPE = Shape(
    "CheckModel",
    "One check's verdict.",
    ("id", "title", "status", "blocking", "duration_ms", "reason", "findings"),
    frozenset({"id", "title", "status", "blocking", "duration_ms", "findings"}),
    {"reason": "why a check was skipped or errored"},
)


def _plain(value: object) -> object:
    return value.value if isinstance(value, enum.Enum) else value


def finding_object(finding: Finding, suppressed: bool) -> dict[str, object]:
    """A finding as the report's finding object (its rule's title and reference added)."""
    rule = rule_for(finding.code)
    added = {
        "title": rule.title if rule else None,
        "reference": rule.anchor if rule else None,
        "suppressed": suppressed,
    }
    return {
        key: added[key] if key in added else _plain(getattr(finding, key))
        for key in FINDING_SHAPE.keys
    }


def check_object(check: CheckResult) -> dict[str, object]:
    """A check's result as the report's check object (suppressed findings in its one list)."""
    listed = [
        finding_object(finding, suppressed) for finding, suppressed in check.listed_findings()
    ]
    return {
        key: listed if key == "findings" else _plain(getattr(check, key))
        for key in CHECK_SHAPE.keys
    }


class _NotPlain(InternalError):
    """A value whose JSON form only pydantic vouches for."""


#: Floats in this range (and zero) print the same in pydantic and in :func:`repr`; outside it
#: the exponent forms differ (``0.00001`` against ``1e-05``).
_PLAIN_FLOAT = (1e-4, 1e16)


def _scalar(value: object) -> object:
    """``value`` checked to write as pydantic writes it; :class:`_NotPlain` otherwise."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        low, high = _PLAIN_FLOAT
        if value == 0.0 or (math.isfinite(value) and low <= abs(value) < high):
            return value
    raise _NotPlain


def _timestamp(value: dt.datetime) -> str:
    """pydantic's form of a UTC date-time: ISO 8601 ending in ``Z``."""
    if value.utcoffset() != dt.timedelta(0):
        raise _NotPlain
    return value.replace(tzinfo=None).isoformat() + "Z"


def _check(check: CheckResult) -> dict[str, object]:
    if type(check) is not CheckResult:
        raise _NotPlain
    listed = [
        {key: _scalar(value) for key, value in finding_object(finding, suppressed).items()}
        for finding, suppressed in check.listed_findings()
    ]
    return {
        key: listed if key == "findings" else _scalar(_plain(getattr(check, key)))
        for key in CHECK_SHAPE.keys
    }


#: The fields this module writes, in order: a field added to the model and not here sends
#: every report to pydantic until it is (``tests/test_report_json_plain.py`` notices).
_REPORT_FIELDS = (
    *("tool", "tool_version", "repo", "tag", "version", "git_commit", "generated_at"),
    *("run_id", "ok", "strict", "checks", "summary", "gates"),
)
_SUMMARY_FIELDS = ("pass_", "fail", "warn", "skip", "error")


def _summary(summary: Summary) -> dict[str, object]:
    if tuple(f.name for f in fields(summary)) != _SUMMARY_FIELDS:
        raise _NotPlain
    return {
        "pass": _scalar(summary.pass_),
        "fail": _scalar(summary.fail),
        "warn": _scalar(summary.warn),
        "skip": _scalar(summary.skip),
        "error": _scalar(summary.error),
    }


def _report(report: Report) -> dict[str, object]:
    if report.gates is not None or tuple(f.name for f in fields(report)) != _REPORT_FIELDS:
        raise _NotPlain
    return {
        "tool": _scalar(report.tool),
        "tool_version": _scalar(report.tool_version),
        "repo": _scalar(report.repo),
        "tag": _scalar(report.tag),
        "version": _scalar(report.version),
        "git_commit": _scalar(report.git_commit),
        "generated_at": _timestamp(report.generated_at),
        "run_id": _scalar(report.run_id),
        "ok": _scalar(report.ok),
        "strict": _scalar(report.strict),
        "checks": [_check(check) for check in report.checks],
        "summary": _summary(report.summary),
        "gates": None,
    }


def plain_report_json(report: Report) -> str | None:
    """The report's JSON as pydantic writes it (indented, ``pass`` for ``pass_``), or ``None``
    when it holds a value whose form only pydantic vouches for."""
    try:
        text = json.dumps(_report(report), indent=2, ensure_ascii=False)
        text.encode("utf-8")  # a lone surrogate: pydantic refuses it, and says so
    except (_NotPlain, UnicodeEncodeError):
        return None
    return text
