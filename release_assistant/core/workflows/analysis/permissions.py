"""The OIDC token's permission, ``id-token: write``: RA620, RA621, RA622.

A publish job that uploads by trusted publishing needs ``id-token: write`` at job level,
from its workflow, or (in a reusable workflow) from the calling job (RA620, an error when
missing). Granted at workflow level, every job can mint a token (RA621); granted to a job
that neither publishes nor uses the token otherwise (attesting, signing, logging in
elsewhere), it is needless (RA622).
"""

from __future__ import annotations

import re

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.rules.workflow import (
    ID_TOKEN_ON_NON_PUBLISHING_JOB,
    NO_ID_TOKEN_PERMISSION,
    WORKFLOW_WIDE_ID_TOKEN,
)
from release_assistant.core.support.lazy_regex import LazyPattern
from release_assistant.core.workflows.analysis.state import WorkflowFindings
from release_assistant.core.workflows.uploads import Upload
from release_assistant.core.workflows.uploads.tools import HYNEK
from release_assistant.core.workflows.workflow import Job

#: Actions and commands that exchange the job's OIDC token for something else.
_OIDC_CONSUMER = LazyPattern(r"auth|oidc|login|credentials|attest|sign|deploy-pages", re.IGNORECASE)
_OIDC_COMMAND = LazyPattern(
    r"ACTIONS_ID_TOKEN_REQUEST|--provenance|\bnpm\s+publish\b|\bcargo\s+publish\b|\bcosign\b"
)


def check_id_token(state: WorkflowFindings, job: Job, uploads: list[Upload]) -> None:
    """RA620: the publish ``job`` can get the OIDC token its trusted uploads need."""
    needing = [u for u in uploads if u.oidc and u.token is None and not u.minted]
    if not needing:
        return
    top = state.wf.permissions
    perms = job.permissions
    if perms is None and top is not None and top.grants("id-token"):
        return  # works; RA621 asks to move it to the job
    if perms is not None and perms.grants("id-token"):
        return
    if perms is None and top is None and state.aw.is_callee:
        # A called workflow's jobs get what the calling job (or its workflow) grants.
        for caller, call in state.aw.callers:
            granted = call.permissions or caller.workflow.permissions
            if granted is not None and granted.grants("id-token"):
                return
    state.add(
        NO_ID_TOKEN_PERMISSION,
        f"publish {job.label} lacks 'id-token: write', so {needing[0].label} cannot get "
        "the OIDC token trusted publishing needs",
        perms.line if perms is not None else job.line,
        f"add 'permissions: {{id-token: write}}' to {job.label}",
    )


def check_grants(state: WorkflowFindings, publishing: set[str]) -> None:
    """RA621/RA622: ``id-token: write`` granted wider than the ``publishing`` jobs."""
    top = state.wf.permissions
    if top is not None and top.grants("id-token"):
        what = "write-all" if top.everything == "write-all" else "'id-token: write'"
        state.emit(
            Finding(
                WORKFLOW_WIDE_ID_TOKEN.code,
                f"{what} is granted at workflow level, so every job (tests, build) can "
                "mint an OIDC token for the index",
                Severity.WARNING,
                state.path,
                top.line_for("id-token"),
                "set 'permissions: {}' (or 'contents: read') at workflow level and "
                "'permissions: {id-token: write}' only on the publish jobs",
            )
        )
    for job in state.wf.jobs.values():
        perms = job.permissions
        if job.id in publishing or job.uses or perms is None or not perms.grants("id-token"):
            continue
        if state.aw.scans[job.id].uploads or _attests(job):
            continue
        state.emit(
            Finding(
                ID_TOKEN_ON_NON_PUBLISHING_JOB.code,
                f"{job.label} gets 'id-token: write' but neither publishes nor attests",
                Severity.WARNING,
                state.path,
                perms.line_for("id-token"),
                f"remove 'id-token: write' from {job.label}",
            )
        )


def holds_id_token(state: WorkflowFindings, job: Job) -> bool:
    """Can steps of ``job`` mint an OIDC token (``id-token: write``, here or inherited)?"""
    if job.permissions is not None:
        return job.permissions.grants("id-token")
    top = state.wf.permissions
    return top is not None and top.grants("id-token")


def _attests(job: Job) -> bool:
    """Does the job use its OIDC token otherwise: to sign or attest, or to log in elsewhere
    (a cloud, another package registry's trusted publishing)?"""
    perms = job.permissions
    if perms is not None and perms.grants("attestations"):
        return True
    for step in job.steps:
        action = step.action or ""
        if action.startswith("actions/attest") or action.startswith("sigstore/"):
            return True
        if _OIDC_CONSUMER.search(action) or _OIDC_COMMAND.search(step.run or ""):
            return True
        if step.uses_action(HYNEK):
            value, _ = step.input("attest-build-provenance-github")
            if (value or "").lower() == "true":
                return True
    return False
