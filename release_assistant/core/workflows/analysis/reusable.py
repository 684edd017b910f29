"""Publishing from a reusable workflow: RA608.

PyPI's trusted publisher names the workflow file the event starts, and PyPI documents
publishing from a reusable workflow as not supported. Flagged: an upload to PyPI in a
``workflow_call`` workflow no file here calls, a job that calls a reusable workflow of this
repository that uploads to PyPI, and a call of another repository's workflow that gets
``id-token: write`` and is named for publishing.
"""

from __future__ import annotations

from release_assistant.core.rules.workflow import REUSABLE_WORKFLOW_PUBLISHES
from release_assistant.core.workflows.analysis.indexes import target
from release_assistant.core.workflows.analysis.state import WorkflowFindings
from release_assistant.core.workflows.uploads import PYPI

_REUSABLE_QUOTE = (
    'PyPI documents trusted publishing from a reusable workflow as "not supported" and '
    '"subject to breakage"'
)


def check_reusable(state: WorkflowFindings) -> None:
    """Uploads to PyPI that run inside, or by calling, a reusable workflow."""
    wf = state.wf
    hint = (
        "move the build and publish jobs into the workflow file the event starts and "
        "register that file on PyPI"
    )
    call = wf.triggers.get("workflow_call")
    pypi_uploads = [u for u in state.uploads if target(u) == PYPI]
    if call is not None and pypi_uploads and not state.aw.callers:
        state.add(
            REUSABLE_WORKFLOW_PUBLISHES,
            f"{pypi_uploads[0].job.label} uploads to PyPI from a reusable workflow "
            f"('workflow_call'): {_REUSABLE_QUOTE}; PyPI sees the calling workflow's file",
            call.line,
            hint,
        )
    for job, callee in state.aw.publishing_calls(PYPI, "unknown"):
        state.add(
            REUSABLE_WORKFLOW_PUBLISHES,
            f"{job.label} publishes to PyPI by calling the reusable workflow "
            f"{callee.relpath}: {_REUSABLE_QUOTE}; PyPI sees {wf.file_name}, "
            f"not {callee.workflow.file_name}",
            job.uses_line,
            hint,
        )
    for job in wf.jobs.values():
        if not job.uses or job.local_workflow is not None:
            continue
        target_text = job.uses.split("@", 1)[0]
        words = f"{job.id} {job.name or ''} {target_text}".lower()
        grants = job.permissions is not None and job.permissions.grants("id-token")
        if grants and ("pypi" in words or "publish" in words):
            state.add(
                REUSABLE_WORKFLOW_PUBLISHES,
                f"{job.label} publishes by calling the reusable workflow {job.uses}: "
                f"{_REUSABLE_QUOTE}",
                job.uses_line,
                hint,
            )
