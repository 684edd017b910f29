"""The code a job runs by reference: RA631, RA632, RA642, RA643.

Third-party actions referenced by a tag or branch instead of a commit SHA, and container
images without a digest (RA631, tunable in ``[tool.release-assistant.workflow_rules]``);
downloads piped into a shell and unpinned third-party actions in a job holding
``id-token: write`` (RA642, which takes precedence over RA631 on the same line); the
publish action's retired ``master``/``main`` branch (RA632); a third-party action pinned to
a commit in a publish job holding ``id-token: write`` (RA643: the pin fixes what the code
is, not what it may do with the token).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.rules.workflow import (
    RETIRED_PUBLISH_BRANCH,
    THIRD_PARTY_ACTION_IN_PUBLISH_JOB,
    THIRD_PARTY_CODE_WITH_OIDC,
    UNPINNED_ACTION,
)
from release_assistant.core.workflows.analysis.permissions import holds_id_token
from release_assistant.core.workflows.analysis.state import WorkflowFindings
from release_assistant.core.workflows.uploads import Upload
from release_assistant.core.workflows.workflow import PUBLISH_ACTION, Job

if TYPE_CHECKING:
    from release_assistant.core.project.config import WorkflowRulesConfig

_SHA = re.compile(r"^[0-9a-f]{40}$")

#: Owners whose actions may run beside the OIDC token (RA643), whatever the configuration:
#: GitHub runs the runner and the job's token anyway (``actions``, ``github``); ``pypa``
#: maintains the publish action itself; ``sigstore`` is the signing code the publish action
#: runs for its attestations. Their code is inside the publish job's trust already; anyone
#: else's adds a party that can publish. (Owners configured in ``unpinned_allowed_owners``
#: are trusted too: who may run unpinned may surely run pinned.)
TRUSTED_OWNERS = frozenset({"actions", "github", "pypa", "sigstore"})

#: The owner of each upload tool's own actions, by the tool (the first word of its upload
#: command): in a job that uploads with the tool, that vendor's code uploads anyway, so its
#: actions (``astral-sh/setup-uv``, ``astral-sh/attest-action``) add no party.
TOOL_VENDORS = {"uv": "astral-sh", "pdm": "pdm-project", "maturin": "pyo3", "hatch": "pypa"}

#: A download run as a script: `curl … | sh`, `wget -O- … | sudo bash`, `sh -c "$(curl …)"`,
#: `bash <(curl …)`.
_PIPED_DOWNLOAD = re.compile(
    r"\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+\S+=\S*\s+)*"
    r"(?:ba|z|da|k)?sh\b"
    r"|\b(?:ba|z|da|k)?sh\s+-c\s+[\"']?\$\(\s*(?:curl|wget)\b[^)\n]*\)"
    r"|\b(?:ba|z|da|k)?sh\s+<\(\s*(?:curl|wget)\b[^)\n]*\)"
)


def check_pinning(state: WorkflowFindings, rules: WorkflowRulesConfig) -> None:
    """RA642 in jobs holding the OIDC token, then RA631 for every other movable reference."""
    exempt = {owner.lower() for owner in rules.unpinned_allowed_owners}
    covered: set[int] = set()
    for job in state.wf.jobs.values():
        covered |= _third_party_code(state, job, exempt)
    if not rules.require_pinned_actions:
        return
    for job in state.wf.jobs.values():
        refs = [(step.uses, step.uses_line) for step in job.steps]
        refs.append((job.uses, job.uses_line))
        for uses, line in refs:
            if not uses or uses.startswith(("./", "$/")) or "@" not in uses:
                continue
            if line in covered:
                continue  # RA642 names the same reference, with the permission it runs with
            if uses.startswith("docker://"):
                if "@sha256:" not in uses:
                    state.emit(
                        Finding(
                            UNPINNED_ACTION.code,
                            f"'{uses}' is not pinned to an image digest",
                            Severity.WARNING,
                            state.path,
                            line,
                            "pin it: 'docker://image@sha256:<digest>'",
                        )
                    )
                continue
            action, ref = uses.split("@", 1)
            owner = action.split("/", 1)[0].lower()
            if owner in exempt or _SHA.match(ref.strip()):
                continue
            state.emit(
                Finding(
                    UNPINNED_ACTION.code,
                    f"third-party action '{uses}' is not pinned to a commit SHA "
                    "(a moved tag runs different code in your release)",
                    Severity.WARNING,
                    state.path,
                    line,
                    f"pin it: 'uses: {action}@<40-hex commit SHA>  # {ref}' (or allow the "
                    "owner in [tool.release-assistant.workflow_rules] "
                    "unpinned_allowed_owners)",
                )
            )


def check_publish_action_ref(state: WorkflowFindings, upload: Upload) -> None:
    """RA632: the publish action referenced by its retired branch."""
    if upload.tool == PUBLISH_ACTION and (upload.step.ref or "").lower() in ("master", "main"):
        state.emit(
            Finding(
                RETIRED_PUBLISH_BRANCH.code,
                f"{PUBLISH_ACTION}@{upload.step.ref} is the action's retired branch",
                Severity.WARNING,
                state.path,
                upload.step.uses_line,
                f"use 'uses: {PUBLISH_ACTION}@release/v1' (or a commit SHA)",
            )
        )


def _third_party_code(state: WorkflowFindings, job: Job, exempt: set[str]) -> set[int]:
    """RA642 for downloads piped into a shell and unpinned third-party actions in a job
    that can mint an OIDC token; returns the lines reported (RA631 skips them)."""
    reported: set[int] = set()
    if not holds_id_token(state, job):
        return reported
    for step in job.steps:
        for match in _PIPED_DOWNLOAD.finditer(step.run or ""):
            line = step.run_line + (step.run or "")[: match.start()].count("\n")
            reported.add(line)
            state.emit(
                Finding(
                    THIRD_PARTY_CODE_WITH_OIDC.code,
                    f"{step.label} in {job.label} runs a download as a script "
                    f"({' '.join(match.group(0).split())!s}) in a job holding "
                    "'id-token: write'",
                    Severity.WARNING,
                    state.path,
                    line,
                    "install the tool from a pinned source (a SHA-pinned action, pip with "
                    "hashes), or run it in a job without 'id-token: write'",
                )
            )
        uses = step.uses
        if not uses or uses.startswith(("./", "$/")):
            continue
        if uses.startswith("docker://"):
            pinned = "@sha256:" in uses
            owner = ""
        else:
            action, _, ref = uses.partition("@")
            pinned = bool(_SHA.match(ref.strip()))
            owner = action.split("/", 1)[0].lower()
        if pinned or owner in exempt:
            continue
        reported.add(step.uses_line)
        state.emit(
            Finding(
                THIRD_PARTY_CODE_WITH_OIDC.code,
                f"third-party action '{uses}' runs by a movable reference in {job.label}, "
                "which holds 'id-token: write'",
                Severity.WARNING,
                state.path,
                step.uses_line,
                "pin it to a full commit SHA ('uses: owner/action@<40-hex SHA>  # tag'), or "
                "move it to a job without 'id-token: write'",
            )
        )
    return reported


def check_code_beside_token(
    state: WorkflowFindings,
    rules: WorkflowRulesConfig,
    publishing: dict[str, list[Upload]],
    own_owner: Callable[[], str | None],
) -> None:
    """RA643: third-party actions pinned to a commit in the ``publishing`` jobs (job id ->
    its uploads to the index) that hold ``id-token: write``, here or from the workflow.

    Trusted: :data:`TRUSTED_OWNERS`, the configured ``unpinned_allowed_owners``, the
    repository's own owner (``own_owner``, asked only when an action would be reported:
    it may cost a git call), the vendor of the job's upload tool (:data:`TOOL_VENDORS`) and
    the repository of an upload action. Not judged: unpinned actions (RA642's); the upload
    steps themselves; in a job that builds and publishes, the steps up to its build (RA611
    moves them out with the build); jobs that hold the token without publishing: to attest
    or to log in elsewhere the token is what the job is for, and a needless grant is
    RA621/RA622's, whose fix covers every step there.
    """
    trusted = TRUSTED_OWNERS | {owner.lower() for owner in rules.unpinned_allowed_owners}
    asked: list[str | None] = []
    for job_id, uploads in publishing.items():
        job = state.wf.jobs[job_id]
        if job.uses or not holds_id_token(state, job):
            continue
        vendors = _upload_vendors(uploads)
        upload_steps = {upload.position // 1000 for upload in uploads}
        first = min(upload_steps)
        scan = state.aw.scans[job_id]
        builds = [step.index for step, _ in scan.builds if step.index <= first]
        builds += [upload.position // 1000 for upload in uploads if upload.builds]
        build_until = max(builds, default=-1)
        for step in job.steps:
            uses = (step.uses or "").strip()
            if step.index in upload_steps or step.index <= build_until:
                continue
            if not _pinned_action(uses):
                continue
            action = uses.split("@", 1)[0]
            owner = action.split("/", 1)[0].lower()
            repository = "/".join(action.lower().split("/", 2)[:2])
            if owner in trusted or owner in vendors or repository in vendors:
                continue
            if not asked:
                asked.append((own_owner() or "").lower() or None)
            if owner == asked[0]:
                continue
            _report_code_beside_token(state, job, step.uses_line, action)


def _upload_vendors(uploads: list[Upload]) -> set[str]:
    """Owners and repositories whose code uploads in the job anyway: the vendor of each
    upload command's tool, the repository of each upload action."""
    vendors: set[str] = set()
    for upload in uploads:
        tool = upload.tool.lower()
        if "/" in tool:  # an action: its repository's other actions are the same code base
            vendors.add("/".join(tool.split("/", 2)[:2]))
        elif (vendor := TOOL_VENDORS.get(tool.split(" ", 1)[0])) is not None:
            vendors.add(vendor)
    return vendors


def _pinned_action(uses: str) -> bool:
    """A third-party ``owner/repo@<40-hex SHA>`` (movable references are RA631/RA642's,
    look-alike names RA641's, container images and local actions are not actions of an
    owner)."""
    if not uses.isascii() or uses.startswith(("./", "$/", "docker://")) or "@" not in uses:
        return False
    return bool(_SHA.match(uses.split("@", 1)[1].strip()))


def _report_code_beside_token(state: WorkflowFindings, job: Job, line: int, action: str) -> None:
    inherited = " (from the workflow's permissions)" if job.permissions is None else ""
    state.emit(
        Finding(
            THIRD_PARTY_ACTION_IN_PUBLISH_JOB.code,
            f"third-party action '{action}' runs in publish {job.label}, which holds "
            f"'id-token: write'{inherited}: any step there can mint an OIDC token the index "
            "accepts for your trusted publisher, so this action's code can publish (a pinned "
            "commit fixes what it is, not what it does with the token)",
            Severity.WARNING,
            state.path,
            line,
            f"move '{action}' to a job without 'id-token: write' (hand its result over as an "
            f"artifact), or keep {job.label} to downloading the files and the publish action",
        )
    )
