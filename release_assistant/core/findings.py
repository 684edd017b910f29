"""The result types every check returns.

These are plain dataclasses on purpose: the pre-commit hooks build and print them, and hooks
must not pay for importing pydantic. The pydantic report model (``core.report``) is built from
them for JSON output.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace


class Status(str, enum.Enum):
    """Outcome of one check."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    SKIP = "skip"
    ERROR = "error"


class Severity(str, enum.Enum):
    """How much one finding matters: ``error`` fails its check, ``warning`` only warns."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(slots=True)
class Finding:
    """One problem found by a check: what, where, and how to fix it."""

    code: str
    message: str
    severity: Severity = Severity.ERROR
    path: str | None = None
    line: int | None = None
    hint: str | None = None
    #: The rule id of the tool that found it, for findings folded in from another tool
    #: (``zizmor/template-injection``); ``None`` for the tool's own rules.
    external_id: str | None = None

    def location(self) -> str:
        """``path:line`` (or just ``path``), empty when the finding has no file."""
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def as_line(self) -> str:
        """One pre-commit style line: ``path:line: CODE message``."""
        where = self.location()
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.code} {self.message}"


@dataclass(slots=True)
class CheckResult:
    """What one check concluded. ``reason`` explains a ``skip`` or an ``error``.

    ``details`` is optional structured output of the check (JSON-ready: the ``gates`` check
    attaches its summary there, so the verification report can show what was measured).

    ``suppressed`` holds findings an inline ``# release-assistant: ignore[CODE]`` comment
    silenced (:mod:`~release_assistant.core.suppressions`): kept apart from ``findings`` so
    they never count toward the status, yet JSON and SARIF still report them. ``sources``
    names the text files (relative paths) the check read, whose suppression comments the
    engine judges even when no finding points into them.
    """

    id: str
    title: str
    status: Status
    findings: tuple[Finding, ...] = ()
    blocking: bool = True
    duration_ms: float = 0.0
    reason: str | None = None
    details: Mapping[str, object] | None = field(default=None, compare=False)
    suppressed: tuple[Finding, ...] = ()
    sources: tuple[str, ...] = field(default=(), compare=False)

    @property
    def blocks_release(self) -> bool:
        """True when this result must stop a release."""
        return self.blocking and self.status in (Status.FAIL, Status.ERROR)

    def listed_findings(self) -> list[tuple[Finding, bool]]:
        """Every finding as the reports list them: ``(finding, suppressed)``, counted ones first."""
        return [
            *((finding, False) for finding in self.findings),
            *((finding, True) for finding in self.suppressed),
        ]

    def with_timing(self, duration_ms: float, blocking: bool) -> CheckResult:
        """Copy with the engine-owned fields filled in."""
        return replace(self, duration_ms=duration_ms, blocking=blocking)


def status_of(findings: tuple[Finding, ...] | list[Finding]) -> Status:
    """The status implied by a set of findings."""
    severities = {finding.severity for finding in findings}
    if Severity.ERROR in severities:
        return Status.FAIL
    if Severity.WARNING in severities:
        return Status.WARN
    return Status.PASS
