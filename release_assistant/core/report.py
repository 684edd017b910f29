"""The machine-readable report of one ``check`` run (pydantic; off the hook path).

``check --format json`` prints a :class:`Report`; ``release-assistant schema report`` prints
its JSON Schema. It is built only from results that were actually produced in this run.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from release_assistant import __version__
from release_assistant.core.findings import CheckResult, Finding, Status
from release_assistant.core.gates.models import ParitySummary
from release_assistant.core.rules import rule_for

StatusName = Literal["pass", "fail", "warn", "skip", "error"]
SeverityName = Literal["error", "warning", "info"]


class FindingModel(BaseModel):
    """One finding: stable code, severity, message, location and fix hint."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^RA\d{3}$")
    severity: SeverityName
    message: str
    path: str | None = None
    line: int | None = None
    hint: str | None = None
    title: str | None = Field(default=None, description="the rule's title, from the registry")
    reference: str | None = Field(
        default=None, description="the rule's section in the rule reference (docs/rules.md)"
    )
    external_id: str | None = Field(
        default=None,
        description="the other tool's rule id of a finding folded in from it "
        "(zizmor/template-injection)",
    )
    suppressed: bool = Field(
        default=False,
        description="silenced by a '# release-assistant: ignore[CODE]' comment on its line: "
        "listed, but not counted toward the status",
    )


class CheckModel(BaseModel):
    """One check's verdict."""

    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    status: StatusName
    blocking: bool
    duration_ms: float
    reason: str | None = Field(default=None, description="why a check was skipped or errored")
    findings: list[FindingModel]


class Summary(BaseModel):
    """How many checks ended in each status."""

    model_config = ConfigDict(extra="forbid")
    pass_: int = Field(alias="pass", serialization_alias="pass")
    fail: int
    warn: int
    skip: int
    error: int


class GatesReport(BaseModel):
    """What the ``gates`` check measured in this run (absent when it did not run a gate)."""

    model_config = ConfigDict(extra="forbid")
    parity: ParitySummary | None = Field(
        default=None, description="the parity gate's summary: suites table and upstream lock"
    )


class Report(BaseModel):
    """A complete ``check`` run: ``ok`` is true when no blocking check failed or errored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    tool: Literal["release-assistant"] = "release-assistant"
    tool_version: str
    repo: str
    tag: str | None
    version: str | None
    git_commit: str | None = None
    generated_at: dt.datetime
    run_id: str = Field(
        default="",
        description="one id per run: the JSON and Markdown reports of one run carry the same",
    )
    ok: bool
    strict: bool = Field(default=False, description="warnings counted as blocking (--strict)")
    checks: list[CheckModel]
    summary: Summary
    gates: GatesReport | None = Field(
        default=None, description="gate details, only from a gates check that ran"
    )


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
        summary=Summary.model_validate(counts),
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
        if result.id == "gates" and result.details and "parity" in result.details:
            return GatesReport(parity=ParitySummary.model_validate(result.details["parity"]))
    return None


def report_json(report: Report) -> str:
    """The report as indented JSON with the spec's field names."""
    return report.model_dump_json(indent=2, by_alias=True)


def report_schema() -> dict[str, object]:
    """JSON Schema of :class:`Report`."""
    return Report.model_json_schema(by_alias=True)
