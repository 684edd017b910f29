"""All the ``workflow`` check's rules over one workflow, in the order of the model.

Emits no code of its own: each rule family is a module of this package (see its
docstring for the codes). The order matters only for ties: findings are reported sorted by
line, and a finding already made on a line (``state``) is not repeated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from release_assistant.core.findings import Finding
from release_assistant.core.workflows.analysis.handover import HandOver
from release_assistant.core.workflows.analysis.permissions import check_grants
from release_assistant.core.workflows.analysis.pinning import check_code_beside_token, check_pinning
from release_assistant.core.workflows.analysis.publish_jobs import check_publish_job
from release_assistant.core.workflows.analysis.reusable import check_reusable
from release_assistant.core.workflows.analysis.state import WorkflowFindings
from release_assistant.core.workflows.analysis.structure import check_structure
from release_assistant.core.workflows.analysis.tokens import check_tokens
from release_assistant.core.workflows.analysis.triggers import check_triggers
from release_assistant.core.workflows.discovery import AnalysedWorkflow
from release_assistant.core.workflows.uploads import Upload

if TYPE_CHECKING:
    from release_assistant.core.project.config import WorkflowRulesConfig


def analyse(
    analysed: AnalysedWorkflow,
    rules: WorkflowRulesConfig,
    own_owner: Callable[[], str | None] = lambda: None,
) -> list[Finding]:
    """One workflow's findings, in the order its rules made them (not yet sorted).

    ``own_owner`` answers the repository's GitHub owner (whose actions are not third-party
    code, RA643); it is asked only when such an action is found.
    """
    state = WorkflowFindings(analysed)
    check_structure(state)
    check_pinning(state, rules)
    if not analysed.publishes:
        return state.findings
    check_triggers(state)
    check_reusable(state)
    check_tokens(state)
    jobs: dict[str, list[Upload]] = {}
    for upload in state.uploads:
        jobs.setdefault(upload.job.id, []).append(upload)
    handover = HandOver(state)
    for job_id, uploads in jobs.items():
        check_publish_job(state, handover, state.wf.jobs[job_id], uploads)
    check_grants(state, set(jobs))
    check_code_beside_token(state, rules, jobs, own_owner)
    return state.findings
