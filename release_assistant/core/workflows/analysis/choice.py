"""Which workflow publishes, and which one PyPI will see: RA601, RA602, RA603, RA634.

Reports what :mod:`~release_assistant.core.workflows.discovery` found: files that cannot be
read (RA602, or RA640 when YAML readers would read two different workflows from them: the
code the reader's error carries), no workflow that publishes to PyPI (RA601; RA646, a
warning, when a step the tool could not see into might be the upload), a configured
workflow that publishes nothing (RA603), and which file the trusted-publisher identity is
taken from when that is not obvious (RA634, info).
"""

from __future__ import annotations

from release_assistant.core.collector import FindingCollector
from release_assistant.core.findings import Severity
from release_assistant.core.rules.workflow import (
    CONFIGURED_WORKFLOW_DOES_NOT_PUBLISH,
    INVALID_WORKFLOW,
    NO_PUBLISHING_WORKFLOW,
    UNREADABLE_STEP,
    WORKFLOW_ANALYSED,
)
from release_assistant.core.support.textfiles import FileProblem
from release_assistant.core.workflows.analysis.indexes import intent
from release_assistant.core.workflows.discovery import Discovery, uploads_summary
from release_assistant.core.workflows.uploads import PYPI, TESTPYPI, UNKNOWN_INDEX
from release_assistant.core.workflows.yaml_nodes import WorkflowError


def error_hint(error: WorkflowError) -> str:
    """How to fix a workflow GitHub rejects (RA602) or a character it must not hold."""
    if error.rule is INVALID_WORKFLOW:
        return "fix the YAML at this line (GitHub rejects the whole workflow)"
    return "delete the character (or write it as an escape such as \\u2028 in a quoted string)"


def report_unreadable(
    relpath: str, error: FileProblem | WorkflowError, out: FindingCollector
) -> None:
    """RA602 (or the error's own code) for a workflow file that could not be read."""
    if not isinstance(error, WorkflowError):
        out.add(
            INVALID_WORKFLOW,
            error.message,
            path=relpath,
            line=error.line or 1,
            hint=getattr(error, "hint", None) or "save the file as UTF-8 text",
        )
    else:
        out.add(
            error.rule,
            error.message,
            path=relpath,
            line=error.line or 1,
            hint=error_hint(error),
        )


def report_discovery(discovery: Discovery, out: FindingCollector) -> None:
    """Findings about the choice of workflow: unreadable files, none or several publishing."""
    for relpath, error in discovery.errors:
        report_unreadable(relpath, error, out)
    setting = discovery.setting
    top = discovery.top_level
    names = ", ".join(aw.relpath for aw in top)
    if discovery.configured is not None and discovery.configured_workflow is None:
        if any(relpath == setting for relpath, _ in discovery.errors):
            return
        found = f"; publishing happens in {names}" if top else ""
        out.add(
            NO_PUBLISHING_WORKFLOW,
            f"configured release workflow {setting} not found{found}",
            path=setting,
            hint=f'set workflow = "{top[0].relpath}" in [tool.release-assistant]'
            if top
            else "run `release-assistant workflow init` to write it",
        )
        return
    if not top:
        configured = discovery.configured_workflow
        if any(relpath == setting for relpath, _ in discovery.errors) or (
            configured is not None and configured.workflow.problems
        ):
            return  # RA602 names what is wrong with it
        where = f"{setting} publishes nothing" if configured is not None else f"no {setting}"
        if discovery.unread:
            _unconfirmed(
                discovery,
                out,
                f"no workflow visibly publishes the release: {where}, and none of the "
                f"{discovery.scanned} workflow file(s) in .github/workflows uploads "
                "distributions in a way the tool can see",
            )
            return
        out.add(
            NO_PUBLISHING_WORKFLOW,
            f"no workflow publishes the release: {where}, and none of the "
            f"{discovery.scanned} workflow file(s) in .github/workflows uploads distributions "
            "(pypa/gh-action-pypi-publish, uv publish, twine upload, ...)",
            path=setting,
            line=configured.workflow.jobs_line if configured is not None else None,
            hint="run `release-assistant workflow init` to write a trusted-publishing workflow",
        )
        return
    configured = discovery.configured_workflow
    primary = discovery.primary
    misdirected = any(  # a PyPI job pointed at the test index: RA625 says so
        intent(u) == PYPI and u.index == TESTPYPI for aw in top for u in aw.all_uploads()
    )
    if not misdirected and not any(aw.publishes_to(PYPI, UNKNOWN_INDEX) for aw in top):
        where = "TestPyPI" if any(aw.publishes_to(TESTPYPI) for aw in top) else "another index"
        if discovery.unread:
            _unconfirmed(
                discovery,
                out,
                f"no workflow visibly publishes the release to PyPI: {names} upload(s) "
                f"only to {where} as far as the tool can see",
            )
        else:
            out.add(
                NO_PUBLISHING_WORKFLOW,
                f"no workflow publishes the release to PyPI: {names} upload(s) only to {where}",
                path=top[0].relpath,
                hint="add a PyPI publish job (see `release-assistant workflow init`)",
            )
    if configured is not None and not configured.publishes and discovery.configured:
        out.add(
            CONFIGURED_WORKFLOW_DOES_NOT_PUBLISH,
            f"configured release workflow {setting} does not publish; publishing happens in "
            f"{names}",
            path=setting,
            line=configured.workflow.jobs_line or 1,
            hint=f'set workflow = "{top[0].relpath}" in [tool.release-assistant]',
        )
        return
    if primary is None:
        return
    if len(top) > 1:
        listed = "; ".join(f"{aw.relpath}: {uploads_summary(aw)}" for aw in top)
        out.add(
            WORKFLOW_ANALYSED,
            f"{len(top)} workflows publish ({listed}); the trusted-publisher identity is "
            f"taken from {primary.relpath} because {discovery.reason}; all are checked",
            path=primary.relpath,
            hint=f'set workflow = "{primary.relpath}" in [tool.release-assistant] to name the '
            "release workflow",
            severity=Severity.INFO,
        )
    elif primary is not configured:
        absent = (
            f"{setting} publishes nothing" if configured is not None else f"there is no {setting}"
        )
        out.add(
            WORKFLOW_ANALYSED,
            f"analysed {primary.relpath}: {discovery.reason} ({uploads_summary(primary)}); "
            f"{absent}",
            path=primary.relpath,
            hint=f'set workflow = "{primary.relpath}" in [tool.release-assistant] to make '
            "the choice explicit",
            severity=Severity.INFO,
        )


def _unconfirmed(discovery: Discovery, out: FindingCollector, claim: str) -> None:
    """RA646 for a "nothing publishes" claim the tool cannot confirm: it names the first
    step it could not read (where an inline suppression goes) and how many more."""
    aw, job, step, what, why = discovery.unread[0]
    more = len(discovery.unread) - 1
    others = f" (and {more} more such step(s))" if more else ""
    out.add(
        UNREADABLE_STEP,
        f"{claim} ({NO_PUBLISHING_WORKFLOW.code} unconfirmed): the tool cannot see into {what} "
        f"({step.label} of {job.label} in {aw.relpath}: {why}){others}, which may publish",
        path=aw.relpath,
        line=step.uses_line if step.uses else step.line,
        hint=f'if it publishes, set workflow = "{aw.relpath}" in [tool.release-assistant] '
        "(its unread step is then taken as the upload) or put "
        f"'# release-assistant: ignore[{UNREADABLE_STEP.code}]' on this line; if nothing "
        "publishes, run `release-assistant workflow init`",
        severity=Severity.WARNING,
    )
