"""What GitHub rejects or reads differently from us: RA602, RA635, RA636, RA640, RA641.

Problems the reader noted in the file, and composite actions of the repository that
cannot be read (RA602), job ids that differ only in case (RA635),
YAML 1.1 merge keys (RA636) and value keys (RA640) that GitHub's YAML 1.2 reader does not
honour, action references with non-ASCII look-alike characters (RA641) and references
without an ``@ref`` (RA602).
"""

from __future__ import annotations

from release_assistant.core.rules.workflow import (
    AMBIGUOUS_YAML,
    INVALID_WORKFLOW,
    JOB_IDS_DIFFER_IN_CASE,
    NON_ASCII_ACTION_REFERENCE,
    YAML_MERGE_KEY,
)
from release_assistant.core.workflows.analysis.state import WorkflowFindings
from release_assistant.core.workflows.workflow import ascii_skeleton


def check_structure(state: WorkflowFindings) -> None:
    """The workflow as GitHub reads it: every job, publishing or not."""
    wf = state.wf
    for line, message in wf.problems:
        state.add(
            INVALID_WORKFLOW, message, line, "fix this line: GitHub rejects the whole workflow"
        )
    for scan in state.aw.scans.values():
        for step, relpath, reason in scan.unreadable_actions:
            state.add(
                INVALID_WORKFLOW,
                f"the composite action {relpath} this step runs cannot be read ({reason}): "
                f"what it does, an upload too, goes unchecked ({scan.job.label})",
                step.line,
                f"fix {relpath} (the reason above names its line)",
            )
    for job_id, first, line in wf.case_clashes:
        state.add(
            JOB_IDS_DIFFER_IN_CASE,
            f"job ids {first!r} and {job_id!r} differ only in letter case; GitHub treats "
            "them as the same job and rejects the workflow",
            line,
            f"rename job {job_id!r}",
        )
    for line in wf.merge_keys:
        state.add(
            YAML_MERGE_KEY,
            "'<<:' is a YAML 1.1 merge key: GitHub reads workflows as YAML 1.2 and does not "
            "merge it, so the keys it should bring in are missing (or the workflow is "
            "rejected)",
            line,
            "write the keys out in full (YAML anchors and aliases without '<<:' are fine)",
        )
    for line in wf.value_keys:
        state.add(
            AMBIGUOUS_YAML,
            "'=' is a YAML 1.1 value key (PyYAML refuses it); GitHub's YAML 1.2 reader "
            "takes it as the text '='",
            line,
            "rename the key",
        )
    for job in wf.jobs.values():
        uses = [(step.uses, step.uses_line) for step in job.steps if step.uses]
        if job.uses:
            uses.append((job.uses, job.uses_line))
        for value, line in uses:
            if value and not value.isascii() and not value.startswith(("./", "$/")):
                reads = ascii_skeleton(value)
                state.add(
                    NON_ASCII_ACTION_REFERENCE,
                    f"'uses: {value}' has non-ASCII characters"
                    + (f": it imitates '{reads}'" if reads.isascii() else "")
                    + f" ({job.label})",
                    line,
                    "retype the action reference in ASCII (owner/repo@ref)",
                )
            if value and "@" not in value and not value.startswith(("./", "$/", "docker://")):
                state.add(
                    INVALID_WORKFLOW,
                    f"'uses: {value}' has no @ref ({job.label})",
                    line,
                    f"write 'uses: {value}@<commit SHA or tag>'",
                )
