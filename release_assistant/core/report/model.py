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
from typing import Any, ClassVar, Literal

from release_assistant import __version__
from release_assistant.core.findings import CheckResult, Finding, Status
from release_assistant.core.gates.parity.result import ParitySummary
from release_assistant.core.rules import rule_for

StatusName = Literal["pass", "fail", "warn", "skip", "error"]
SeverityName = Literal["error", "warning", "info"]

#: What pydantic reads from each model (a plain dict: no pydantic import to define them).
_STRICT: dict[str, Any] = {"extra": "forbid", "use_attribute_docstrings": True}


@dataclass(frozen=True, slots=True, kw_only=True)
class FindingModel:
    """One finding: stable code, severity, message, location and fix hint."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    code: str
    severity: SeverityName
    message: str
    path: str | None = None
    line: int | None = None
    hint: str | None = None
    title: str | None = None
    """the rule's title, from the registry"""
    reference: str | None = None
    """the rule's section in the rule reference (docs/rules.md)"""
    external_id: str | None = None
    """the other tool's rule id of a finding folded in from it (zizmor/template-injection)"""
    suppressed: bool = False
    """silenced by a '# release-assistant: ignore[CODE]' comment on its line: listed, but not
    counted toward the status"""


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckModel:
    """One check's verdict."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    id: str
    title: str
    status: StatusName
    blocking: bool
    duration_ms: float
    reason: str | None = None
    """why a check was skipped or errored"""
    findings: list[FindingModel]


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
    checks: list[CheckModel]
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
        checks=[
            CheckModel(
                id=result.id,
                title=result.title,
                status=result.status.value,
                blocking=result.blocking,
                duration_ms=result.duration_ms,
                reason=result.reason,
                findings=[
                    *(_finding_model(f, suppressed=False) for f in result.findings),
                    *(_finding_model(f, suppressed=True) for f in result.suppressed),
                ],
            )
            for result in results
        ],
        summary=Summary(
            pass_=counts["pass"],
            fail=counts["fail"],
            warn=counts["warn"],
            skip=counts["skip"],
            error=counts["error"],
        ),
        gates=_gates_report(results),
    )


def _finding_model(finding: Finding, *, suppressed: bool) -> FindingModel:
    rule = rule_for(finding.code)
    return FindingModel(
        code=finding.code,
        severity=finding.severity.value,
        message=finding.message,
        path=finding.path,
        line=finding.line,
        hint=finding.hint,
        title=rule.title if rule else None,
        reference=rule.anchor if rule else None,
        external_id=finding.external_id,
        suppressed=suppressed,
    )


def active_findings(check: CheckModel) -> list[FindingModel]:
    """The findings that count toward the check's status (the suppressed ones left out)."""
    return [finding for finding in check.findings if not finding.suppressed]


def suppressed_count(check: CheckModel) -> int:
    """How many of the check's findings an inline comment silenced."""
    return sum(1 for finding in check.findings if finding.suppressed)


def _gates_report(results: Sequence[CheckResult]) -> GatesReport | None:
    """The gate details attached by a ``gates`` check that actually ran in this invocation."""
    for result in results:
        parity = result.details.get("parity") if result.details else None
        if result.id == "gates" and isinstance(parity, ParitySummary):
            return GatesReport(parity=parity)
    return None
