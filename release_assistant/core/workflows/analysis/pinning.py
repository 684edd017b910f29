"""The code a job runs by reference: RA631, RA632, RA642.

Third-party actions referenced by a tag or branch instead of a commit SHA, and container
images without a digest (RA631, tunable in ``[tool.release-assistant.workflow_rules]``);
downloads piped into a shell and unpinned third-party actions in a job holding
``id-token: write`` (RA642, which takes precedence over RA631 on the same line); the
publish action's retired ``master``/``main`` branch (RA632).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.workflows.analysis.permissions import holds_id_token
from release_assistant.core.workflows.analysis.state import WorkflowFindings
from release_assistant.core.workflows.model import PUBLISH_ACTION, Job
from release_assistant.core.workflows.uploads import Upload

if TYPE_CHECKING:
    from release_assistant.core.project.config import WorkflowRulesConfig

_SHA = re.compile(r"^[0-9a-f]{40}$")
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
                            "RA631",
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
                    "RA631",
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
                "RA632",
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
                    "RA642",
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
                "RA642",
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
