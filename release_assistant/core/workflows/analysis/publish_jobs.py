"""Each publish job and what it needs around it: RA613, RA623.

Runs the per-job rules in order for one publish job: the hand-over from its build
(:mod:`.handover`), validation before the build (RA613: nothing runs the tests or checks
the metadata first), the index each upload reaches (:mod:`.indexes`) and the publish
action's reference (:mod:`.pinning`), a deployment ``environment`` on the job that uploads
(RA623; a name computed at run time that can be empty is RA644, :mod:`.environments`), its
``id-token`` permission (:mod:`.permissions`; RA646 instead of RA620 when a step the tool
cannot read runs before the upload and may store a token) and its checkouts
(:mod:`.checkout`). An upload the tool only infers is reported as such (RA645, info) and
judged by no other rule here.
"""

from __future__ import annotations

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.rules.workflow import (
    NO_ENVIRONMENT,
    NO_ID_TOKEN_PERMISSION,
    NO_VALIDATION_BEFORE_BUILD,
    PUBLISHING_INFERRED,
    TOKEN_PUBLISHING,
    UNREADABLE_STEP,
)
from release_assistant.core.workflows.analysis.checkout import check_checkouts
from release_assistant.core.workflows.analysis.environments import check_environment_expression
from release_assistant.core.workflows.analysis.handover import HandOver
from release_assistant.core.workflows.analysis.indexes import check_index, target
from release_assistant.core.workflows.analysis.permissions import check_id_token
from release_assistant.core.workflows.analysis.pinning import check_publish_action_ref
from release_assistant.core.workflows.analysis.state import WorkflowFindings
from release_assistant.core.workflows.uploads import Upload
from release_assistant.core.workflows.workflow import Job


def check_publish_job(
    state: WorkflowFindings, handover: HandOver, job: Job, uploads: list[Upload]
) -> None:
    """Every per-job rule for the publish ``job`` and its ``uploads``."""
    for upload in uploads:
        if upload.inferred:
            _inferred(state, upload)
    uploads = [u for u in uploads if not u.opaque]  # only their token is known
    if not uploads:
        return
    producers = handover.check(job, uploads)
    for producer in producers:
        handover.check_build_job(producer, job)
    if not _validated(state, job, uploads, producers):
        first = producers[0] if producers else job
        what = (
            f"{first.label} builds and publishes it"
            if first is job
            else f"{first.label} builds what {job.label} publishes"
        )
        state.emit(
            Finding(
                NO_VALIDATION_BEFORE_BUILD.code,
                f"nothing validates the project before {what} (no tests or metadata "
                "check run first)",
                Severity.WARNING,
                state.path,
                first.line,
                f"add a 'verify' job that runs the tests and make {first.label} 'needs: [verify]'",
            )
        )
    for upload in uploads:
        check_index(state, job, upload)
        check_publish_action_ref(state, upload)
    if job.environment is None:
        _no_environment(state, job, uploads)
    else:
        check_environment_expression(state, job, uploads)
    before = len(state.findings)
    check_id_token(state, job, uploads)
    _unconfirmed_id_token(state, job, uploads, before)
    check_checkouts(state, job)


def _inferred(state: WorkflowFindings, upload: Upload) -> None:
    """RA645 (info): the job is taken to publish, from a step the tool cannot read."""
    state.emit(
        Finding(
            PUBLISHING_INFERRED.code,
            f"{upload.job.label} is taken to publish to {target(upload)} (inferred): "
            f"{upload.unread or upload.label}; its upload, credential and triggers are not "
            "checked",
            Severity.INFO,
            state.path,
            upload.line,
            "to have the upload checked, publish with 'uses: pypa/gh-action-pypi-publish"
            "@release/v1' or `uv publish` in the workflow itself",
        )
    )


def _unconfirmed_id_token(
    state: WorkflowFindings, job: Job, uploads: list[Upload], before: int
) -> None:
    """RA620 claims the upload gets no credential but the OIDC token; when a step the tool
    cannot read runs first (and may store a token), the claim becomes RA646."""
    made = [
        i
        for i in range(before, len(state.findings))
        if state.findings[i].code == NO_ID_TOKEN_PERMISSION.code
    ]
    if not made:
        return
    first = min((u for u in uploads if u.oidc and u.token is None), key=lambda u: u.position)
    unread = [
        (step, what)
        for step, what, _ in state.aw.scans[job.id].unread
        if step.index <= first.step.index
    ]
    if not unread:
        return
    step, what = unread[0]
    original = state.findings[made[0]]
    state.findings[made[0]] = Finding(
        UNREADABLE_STEP.code,
        f"publish {job.label} lacks 'id-token: write', and {first.label} gets no credential "
        f"the tool can see ({NO_ID_TOKEN_PERMISSION.code} unconfirmed): {what} ({step.label}) "
        "runs first and may "
        "store a token for it",
        Severity.WARNING,
        state.path,
        original.line,
        f"if the upload is meant to use trusted publishing, add 'permissions: {{id-token: "
        f"write}}' to {job.label}; if that step stores a token, see {TOKEN_PUBLISHING.code}. To "
        f"accept it, put '# release-assistant: ignore[{UNREADABLE_STEP.code}]' on this line",
    )


def _no_environment(state: WorkflowFindings, job: Job, uploads: list[Upload]) -> None:
    elsewhere = next(
        (j for j in state.wf.jobs.values() if j.environment is not None and j is not job),
        None,
    )
    note = (
        f" (the environment {elsewhere.environment.name!r} is on {elsewhere.label}, "
        "but PyPI checks the environment of the job that uploads)"
        if elsewhere is not None
        and elsewhere.environment is not None
        and not any(u.job is elsewhere for u in state.uploads)
        else ""
    )
    state.emit(
        Finding(
            NO_ENVIRONMENT.code,
            f"publish {job.label} has no 'environment'{note}",
            Severity.WARNING,
            state.path,
            job.environment_missing_line,
            f"add 'environment: {target(uploads[0])}' to {job.label} (the same name "
            "you register on the index) and protect it with required reviewers",
        )
    )


def _validated(
    state: WorkflowFindings, job: Job, uploads: list[Upload], producers: list[Job]
) -> bool:
    scans = state.aw.scans
    first = min(uploads, key=lambda u: u.step.index)
    if scans[job.id].validated_before(first.step):
        return True
    for other_id in state.wf.needs_closure(job.id):
        other = state.wf.jobs.get(other_id)
        if other is not None and (other.uses or scans[other_id].validations):
            return True
    return any(scans[p.id].validations for p in producers if p.id in scans)
