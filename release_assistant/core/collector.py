"""What a check collects its findings in: :class:`FindingCollector`.

Apart from :mod:`~release_assistant.core.findings` (the result types, which the rule registry
imports) because it applies the registry: a finding's severity is its rule's, so a check
called directly gives the verdict the engine gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from release_assistant.core.findings import CheckResult, Finding, Severity, Status, status_of
from release_assistant.core.rules import apply_rules
from release_assistant.core.rules.rule import Rule


@dataclass(slots=True)
class FindingCollector:
    """Accumulates findings for one check and derives its status.

    Checks collect every problem before returning (never stop at the first), then call
    :meth:`result`.
    """

    check_id: str
    title: str
    findings: list[Finding] = field(default_factory=list)

    def add(
        self,
        rule: Rule,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Record one finding of ``rule`` (a constant of :mod:`release_assistant.core.rules`)."""
        self.findings.append(Finding(rule.code, message, severity, path, line, hint))

    def warn(
        self,
        rule: Rule,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        """Record a finding that warns but does not fail the check."""
        self.add(rule, message, path=path, line=line, hint=hint, severity=Severity.WARNING)

    def result(self, *, skip_reason: str | None = None) -> CheckResult:
        """The check's result: fail on any error finding, warn on warnings, else pass.

        Each finding's severity is its rule's (:mod:`release_assistant.core.rules`), so a
        check called directly gives the verdict the engine gives (the engine adds only the
        user's overrides and ``ignore``).
        """
        if skip_reason is not None and not self.findings:
            return CheckResult(self.check_id, self.title, Status.SKIP, reason=skip_reason)
        findings = apply_rules(self.findings)
        return CheckResult(self.check_id, self.title, status_of(findings), findings)
