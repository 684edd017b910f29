"""Checkouts that keep the GitHub token in the jobs that build or publish: RA630.

``actions/checkout`` writes the token into ``.git/config`` unless told
``persist-credentials: false``; every later step of the job can read it.
"""

from __future__ import annotations

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.rules.workflow import CHECKOUT_PERSISTS_TOKEN
from release_assistant.core.workflows.analysis.state import WorkflowFindings
from release_assistant.core.workflows.workflow import Job

CHECKOUT = "actions/checkout"


def check_checkouts(state: WorkflowFindings, job: Job) -> None:
    """RA630 for each checkout in ``job`` that keeps its credentials (once per line)."""
    for step in job.steps_using(CHECKOUT):
        value, line = step.input("persist-credentials")
        if (value or "").lower() == "false":
            continue
        at = line if value is not None else step.line
        if at in state.reported_lines:
            continue
        state.reported_lines.add(at)
        state.emit(
            Finding(
                CHECKOUT_PERSISTS_TOKEN.code,
                f"{step.label} in {job.label} leaves the GitHub token in .git/config "
                "for every later step",
                Severity.WARNING,
                state.path,
                at,
                "add 'with: {persist-credentials: false}' to the checkout step",
            )
        )
