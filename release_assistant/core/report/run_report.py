"""The report of one ``check`` run: the model every reporter renders.

Standard dataclasses, defined once. pydantic is imported only by the reporters and commands
that need it: ``TypeAdapter(Report)`` writes the JSON report and publishes its schema
(``release-assistant schema report``); the text reporter, the one a terminal sees, runs
without it. Field docstrings are the schema's descriptions (``use_attribute_docstrings``).
It is built only from results that were actually produced in this run.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from release_assistant import __version__
from release_assistant.core.findings import CheckResult, Finding, Status
from release_assistant.core.gates.parity.result import ParitySummary

#: What pydantic reads from each model (a plain dict: no pydantic import to define them).
_STRICT: dict[str, Any] = {"extra": "forbid", "use_attribute_docstrings": True}


class _CheckJson:
    """How pydantic reads and writes a :class:`CheckResult` in the report (its JSON shape).

    The shape is built from the dataclasses by ``check_json.check_core_schema``, which
    imports pydantic: it is loaded only when pydantic asks (the JSON reporter).
    """

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from release_assistant.core.report.check_json import check_core_schema

        return check_core_schema(handler)


#: A check's result in the report: the dataclass itself, read and written as the JSON
#: report's check object (findings and suppressed findings in one list, each finding with
#: its rule's title and reference).
ReportedCheck = Annotated[CheckResult, _CheckJson()]


def _alias(name: str) -> str:
    """``pass_`` is ``pass`` in JSON (a keyword in Python)."""
    return name.rstrip("_")


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """How many checks ended in each status."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {
        **_STRICT,
        "alias_generator": _alias,
        "populate_by_name": True,
    }
    pass_: int
    fail: int
    warn: int
    skip: int
    error: int


@dataclass(frozen=True, slots=True, kw_only=True)
class GatesReport:
    """What the ``gates`` check measured in this run (absent when it did not run a gate)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    parity: ParitySummary | None = None
    """the parity gate's summary: suites table and upstream lock"""


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """A complete ``check`` run: ``ok`` is true when no blocking check failed or errored."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    tool: Literal["release-assistant"] = "release-assistant"
    tool_version: str
    repo: str
    tag: str | None
    version: str | None
    git_commit: str | None = None
    generated_at: dt.datetime
    run_id: str = ""
    """one id per run: the JSON and Markdown reports of one run carry the same"""
    ok: bool
    strict: bool = False
    """warnings counted as blocking (--strict)"""
    checks: list[ReportedCheck]
    summary: Summary
    gates: GatesReport | None = None
    """gate details, only from a gates check that ran"""


def build_report(
    repo: Path,
    tag: str | None,
    version: str | None,
    results: Sequence[CheckResult],
    git_commit: str | None = None,
    now: dt.datetime | None = None,
    strict: bool = False,
) -> Report:
    """Assemble the report from the results of checks that ran.

    ``strict``: a blocking check that only warned blocks the release too (``--strict``).
    """
    counts = {status.value: 0 for status in Status}
    for result in results:
        counts[result.status.value] += 1
    return Report(
        tool_version=__version__,
        repo=str(repo),
        tag=tag,
        version=version,
        git_commit=git_commit,
        generated_at=now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        run_id=uuid.uuid4().hex,
        ok=not any(
            result.blocks_release or (strict and result.blocking and result.status is Status.WARN)
            for result in results
        ),
        strict=strict,
        checks=list(results),
        summary=Summary(
            pass_=counts["pass"],
            fail=counts["fail"],
            warn=counts["warn"],
            skip=counts["skip"],
            error=counts["error"],
        ),
        gates=_gates_report(results),
    )


def active_findings(check: CheckResult) -> tuple[Finding, ...]:
    """The findings that count toward the check's status (the suppressed ones left out)."""
    return check.findings


def suppressed_count(check: CheckResult) -> int:
    """How many of the check's findings an inline comment silenced."""
    return len(check.suppressed)


def _gates_report(results: Sequence[CheckResult]) -> GatesReport | None:
    """The gate details attached by a ``gates`` check that actually ran in this invocation."""
    for result in results:
        parity = result.details.get("parity") if result.details else None
        if result.id == "gates" and isinstance(parity, ParitySummary):
            return GatesReport(parity=parity)
    return None
