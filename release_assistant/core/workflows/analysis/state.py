"""What the rules share while judging one workflow: its parts and the findings so far.

Emits no code of its own; the rule modules add findings through :meth:`WorkflowFindings.add`
(an ``error``) and :meth:`WorkflowFindings.emit` (any severity), each once per code and line.
"""

from __future__ import annotations

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.rules.rule import Rule
from release_assistant.core.workflows.discovery import AnalysedWorkflow


class WorkflowFindings:
    """One workflow under judgement and the findings its rules have made."""

    def __init__(self, analysed: AnalysedWorkflow) -> None:
        self.aw = analysed
        self.wf = analysed.workflow
        self.runs = analysed.runs
        self.path = self.wf.relpath
        self.findings: list[Finding] = []
        #: Uploads aimed at PyPI or TestPyPI (credential and job rules); others are ignored.
        self.uploads = [u for u in analysed.uploads if u.at_index]
        #: Lines a credential finding already names (tokens, checkouts): reported once.
        self.reported_lines: set[int] = set()
        self.emitted: set[tuple[str, int | None]] = set()

    def add(self, rule: Rule, message: str, line: int | None, hint: str) -> None:
        """Record an ``error`` finding at ``line`` of this workflow."""
        self.emit(Finding(rule.code, message, Severity.ERROR, self.path, line, hint))

    def emit(self, finding: Finding) -> None:
        """Record a finding once: jobs that share a build would repeat its findings."""
        key = (finding.code, finding.line)
        if key not in self.emitted:
            self.emitted.add(key)
            self.findings.append(finding)
