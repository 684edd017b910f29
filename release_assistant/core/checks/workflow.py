"""``workflow``: the publishing workflow follows the trusted-publishing model.

The model: a published GitHub release, a tag push or a manual dispatch starts the workflow;
validation (tests, metadata checks) runs first; a dedicated build job builds the
distributions once and uploads them as an artifact; each publish job ``needs`` the build,
downloads the same artifact into the directory it uploads from, has ``id-token: write`` at
job level and a deployment ``environment``, and uploads without any stored token.

Which workflow: the configured one (``workflow``, default ``.github/workflows/release.yml``)
and every workflow that uploads distributions by any method (see
:mod:`~release_assistant.core.workflows.uploads`), following reusable workflows of this
repository (:mod:`~release_assistant.core.workflows.discovery`). This module is the entry
point only: the rules live in :mod:`release_assistant.core.workflows.analysis`, one module per
family (triggers, tokens, hand-over, permissions, pinning, ...), each listing its codes.

Severities follow the precision rule of the specification: an ``error`` names a concrete way
the next release breaks, publishes the wrong thing or leaks a credential; hardening advice
is a ``warning``; which file was analysed is ``info``. Each code's severity, cause and fix
live in the rule registry: codes: see ``core/rules/workflow.py``
(``release-assistant explain CODE``).
"""

from __future__ import annotations

from dataclasses import replace

from release_assistant.core.check_table import WORKFLOW
from release_assistant.core.collector import FindingCollector
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Finding, Severity
from release_assistant.core.rules.workflow import NO_PUBLISHING_WORKFLOW, UNREADABLE_STEP
from release_assistant.core.workflows.analysis.analyse import analyse
from release_assistant.core.workflows.analysis.choice import report_discovery, report_unreadable
from release_assistant.core.workflows.discovery import AnalysedWorkflow
from release_assistant.core.workflows.events import RunAnalysis
from release_assistant.core.workflows.uploads import scan_workflow
from release_assistant.core.workflows.workflow import parse_workflow
from release_assistant.core.workflows.yaml_nodes import WorkflowError

ID = WORKFLOW.id
TITLE = WORKFLOW.title


def run(ctx: RepoContext) -> CheckResult:
    """Check the configured release workflow and every workflow that publishes.

    zizmor's security audits run too when it is installed
    (:mod:`~release_assistant.core.workflows.zizmor`).
    """
    return _run(ctx, audits=True)


def run_without_audits(ctx: RepoContext) -> CheckResult:
    """:func:`run` without zizmor, for the pre-commit hook (zizmor would double its time)."""
    return _run(ctx, audits=False)


def _run(ctx: RepoContext, *, audits: bool) -> CheckResult:
    out = FindingCollector(ID, TITLE)
    discovery = ctx.workflows
    report_discovery(discovery, out)
    rules = ctx.config.workflow_rules
    for analysed in discovery.analysed:
        _report(analyse(analysed, rules, lambda: own_owner(ctx)), out)
    # -- zizmor audits and suppression sources (core/workflows/zizmor.py, core/suppressions.py)
    if audits:
        from release_assistant.core.workflows.zizmor import audit, find_zizmor

        publishing = [aw.relpath for aw in discovery.publishing]
        zizmor = find_zizmor(ctx.environ)
        out.findings.extend(audit(zizmor, ctx.git_root, publishing, ctx.environ, out.findings))
    sources = tuple(aw.relpath for aw in discovery.analysed)
    return replace(out.result(), sources=sources)
    # -- end of zizmor audits and suppression sources


def own_owner(ctx: RepoContext) -> str | None:
    """The repository's GitHub owner, whose actions are its own code (RA643): the one
    configured for the publisher, else ``origin``'s (one git call, made only when asked)."""
    configured = ctx.config.publisher.owner
    if configured:
        return configured
    remote = ctx.origin.on_github
    return remote.owner if remote is not None else None


def _report(findings: list[Finding], out: FindingCollector) -> None:
    # Reported in file order, so the text output reads top to bottom like the workflow.
    out.findings.extend(sorted(findings, key=lambda finding: finding.line or 0))


def check_text(text: str, relpath: str, ctx: RepoContext) -> CheckResult:
    """Check one workflow given as text (for hooks and tests that have no file on disk)."""
    out = FindingCollector(ID, TITLE)
    try:
        workflow = parse_workflow(text, ctx.root / relpath, relpath)
    except WorkflowError as error:
        report_unreadable(relpath, error, out)
        return out.result()
    analysed = AnalysedWorkflow(
        workflow, scan_workflow(workflow, ctx.root_dir), RunAnalysis(workflow)
    )
    findings = analyse(analysed, ctx.config.workflow_rules, lambda: own_owner(ctx))
    unread = [(step, what) for scan in analysed.scans.values() for step, what, _ in scan.unread]
    if not analysed.publishes and unread:
        step, what = unread[0]
        findings.append(
            Finding(
                UNREADABLE_STEP.code,
                f"the workflow visibly publishes nothing ({NO_PUBLISHING_WORKFLOW.code} "
                f"unconfirmed): the tool cannot see into {what} ({step.label}), which may publish",
                Severity.WARNING,
                relpath,
                step.uses_line if step.uses else step.line,
                f"if it publishes, put '# release-assistant: ignore[{UNREADABLE_STEP.code}]' on "
                "this line",
            )
        )
    elif not analysed.publishes:
        findings.append(
            Finding(
                NO_PUBLISHING_WORKFLOW.code,
                "the workflow publishes nothing: no job uploads distributions",
                Severity.ERROR,
                relpath,
                workflow.jobs_line or 1,
                "add publish jobs (see `release-assistant workflow init`)",
            )
        )
    _report(findings, out)
    return out.result()
