"""``workflow``: the publishing workflow follows the trusted-publishing model.

The model: a published GitHub release, a tag push or a manual dispatch starts the workflow;
validation (tests, metadata checks) runs first; a dedicated build job builds the
distributions once and uploads them as an artifact; each publish job ``needs`` the build,
downloads the same artifact into the directory it uploads from, has ``id-token: write`` at
job level and a deployment ``environment``, and uploads without any stored token.

Which workflow: the configured one (``workflow``, default ``.github/workflows/release.yml``)
and every workflow that uploads distributions by any method (see
:mod:`~release_assistant.core.workflows.uploads`), following reusable workflows of this
repository (:mod:`~release_assistant.core.workflows.discovery`). Trigger rules read job
conditions the way GitHub does (:mod:`~release_assistant.core.workflows.events`) and judge
uploads to PyPI: a TestPyPI upload on every push is a development channel.

Severities follow the precision rule of the specification: an ``error`` names a concrete way
the next release breaks, publishes the wrong thing or leaks a credential; hardening advice
is a ``warning``; which file was analysed is ``info``. Each code's severity, cause and fix
live in the rule registry: codes: see ``core/rules/workflow.py``
(``release-assistant explain CODE``).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import replace
from typing import Any

from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Finding, FindingCollector, Severity
from release_assistant.core.workflows.discovery import (
    AnalysedWorkflow,
    Discovery,
    uploads_summary,
)
from release_assistant.core.workflows.events import (
    BRANCH,
    CALLED,
    DANGEROUS_EVENTS,
    MANUAL,
    PULL_REQUEST,
    RELEASE,
    RELEASE_EDIT,
    RunAnalysis,
    Scenario,
)
from release_assistant.core.workflows.model import (
    PUBLISH_ACTION,
    Job,
    Step,
    WorkflowError,
    ascii_skeleton,
    parse_workflow,
)
from release_assistant.core.workflows.uploads import (
    HYNEK,
    OTHER,
    PYPI,
    STORES_CREDENTIAL,
    TESTPYPI,
    UNKNOWN_INDEX,
    UPLOAD_ARTIFACT,
    Credential,
    Upload,
    scan_workflow,
    sets_up_credentials,
)

ID = "workflow"
TITLE = "Trusted-publishing workflow"

CHECKOUT = "actions/checkout"
UPLOAD = UPLOAD_ARTIFACT
DOWNLOAD = "actions/download-artifact"

_TOKEN_SECRET = re.compile(
    r"\bsecrets\s*(?:\.\s*|\[\s*['\"])(\w*(?:pypi|twine|publish_token|upload_token)\w*)"
    r"|\btojson\s*\(\s*(secrets)\s*\)",
    re.IGNORECASE,
)
_TOKEN_ENV = re.compile(
    r"^(?:TWINE_PASSWORD|UV_PUBLISH_TOKEN|UV_PUBLISH_PASSWORD|POETRY_PYPI_TOKEN_\w+|"
    r"POETRY_HTTP_BASIC_\w+_PASSWORD|FLIT_PASSWORD|PDM_PUBLISH_PASSWORD|HATCH_INDEX_AUTH|"
    r"MATURIN_PYPI_TOKEN|MATURIN_PASSWORD)$",
    re.IGNORECASE,
)
_SHA = re.compile(r"^[0-9a-f]{40}$")
#: A download run as a script: `curl … | sh`, `wget -O- … | sudo bash`, `sh -c "$(curl …)"`,
#: `bash <(curl …)`.
_PIPED_DOWNLOAD = re.compile(
    r"\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+\S+=\S*\s+)*"
    r"(?:ba|z|da|k)?sh\b"
    r"|\b(?:ba|z|da|k)?sh\s+-c\s+[\"']?\$\(\s*(?:curl|wget)\b[^)\n]*\)"
    r"|\b(?:ba|z|da|k)?sh\s+<\(\s*(?:curl|wget)\b[^)\n]*\)"
)
#: Actions and commands that exchange the job's OIDC token for something else.
_OIDC_CONSUMER = re.compile(r"auth|oidc|login|credentials|attest|sign", re.IGNORECASE)
_OIDC_COMMAND = re.compile(
    r"ACTIONS_ID_TOKEN_REQUEST|--provenance|\bnpm\s+publish\b|\bcargo\s+publish\b|\bcosign\b"
)
_SECRET_REFERENCE = re.compile(r"\bsecrets\s*(?:\.\s*|\[\s*['\"])([A-Za-z0-9_-]+)", re.IGNORECASE)
_TAG_GUARD_HINT = "if: github.event_name == 'release' || startsWith(github.ref, 'refs/tags/')"
_TEST_INDEX_WORDS = re.compile(r"test[-_ .]?pypi", re.IGNORECASE)
_INDEX_WORD = re.compile(r"pypi", re.IGNORECASE)
_NEEDS_JOB = re.compile(r"\bneeds\.([A-Za-z_][A-Za-z0-9_-]*)\.")
#: Steps that neither build nor fetch distributions (so a publish job with only these has
#: nothing to upload).
_INERT_ACTIONS = (
    CHECKOUT,
    "actions/setup-python",
    "astral-sh/setup-uv",
    "actions/cache",
    "actions/create-github-app-token",
)
#: Release activity types that fire together for one release.
_COFIRING = (
    {"published", "released"},
    {"published", "prereleased"},
    {"published", "created"},
    {"created", "released"},
    {"created", "prereleased"},
)
_REUSABLE_QUOTE = (
    'PyPI documents trusted publishing from a reusable workflow as "not supported" and '
    '"subject to breakage"'
)


def run(ctx: RepoContext) -> CheckResult:
    """Check the configured release workflow and every workflow that publishes.

    zizmor's security audits run too when it is installed (:mod:`.zizmor_audit`).
    """
    return _run(ctx, audits=True)


def run_without_audits(ctx: RepoContext) -> CheckResult:
    """:func:`run` without zizmor, for the pre-commit hook (zizmor would double its time)."""
    return _run(ctx, audits=False)


def _run(ctx: RepoContext, *, audits: bool) -> CheckResult:
    out = FindingCollector(ID, TITLE)
    discovery = ctx.workflows
    _discovery_findings(discovery, ctx, out)
    for analysed in discovery.analysed:
        _report(_Analysis(analysed, ctx).run(), out)
    # -- zizmor audits and suppression sources (core/workflows/zizmor.py, core/suppressions.py)
    if audits:
        from release_assistant.core.workflows.zizmor import audit, find_zizmor

        publishing = [aw.relpath for aw in discovery.publishing]
        zizmor = find_zizmor(ctx.environ)
        out.findings.extend(audit(zizmor, ctx.root_dir, publishing, ctx.environ, out.findings))
    sources = tuple(aw.relpath for aw in discovery.analysed)
    return replace(out.result(), sources=sources)
    # -- end of zizmor audits and suppression sources


def _report(findings: list[Finding], out: FindingCollector) -> None:
    # Reported in file order, so the text output reads top to bottom like the workflow.
    out.findings.extend(sorted(findings, key=lambda finding: finding.line or 0))


def _discovery_findings(discovery: Discovery, ctx: RepoContext, out: FindingCollector) -> None:
    for relpath, error in discovery.errors:
        if not isinstance(error, WorkflowError):
            out.add(
                "RA602",
                error.message,
                path=relpath,
                line=error.line or 1,
                hint="save the file as UTF-8 text",
            )
        else:
            out.add(
                error.code,
                error.message,
                path=relpath,
                line=error.line or 1,
                hint=_error_hint(error),
            )
    setting = discovery.setting
    top = discovery.top_level
    names = ", ".join(aw.relpath for aw in top)
    if discovery.configured is not None and discovery.configured_workflow is None:
        if any(relpath == setting for relpath, _ in discovery.errors):
            return
        found = f"; publishing happens in {names}" if top else ""
        out.add(
            "RA601",
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
        out.add(
            "RA601",
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
        out.add(
            "RA601",
            f"no workflow publishes the release to PyPI: {names} upload(s) only to {where}",
            path=top[0].relpath,
            hint="add a PyPI publish job (see `release-assistant workflow init`)",
        )
    if configured is not None and not configured.publishes and discovery.configured:
        out.add(
            "RA603",
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
            "RA634",
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
            "RA634",
            f"analysed {primary.relpath}: {discovery.reason} ({uploads_summary(primary)}); "
            f"{absent}",
            path=primary.relpath,
            hint=f'set workflow = "{primary.relpath}" in [tool.release-assistant] to make '
            "the choice explicit",
            severity=Severity.INFO,
        )


def check_text(text: str, relpath: str, ctx: RepoContext) -> CheckResult:
    """Check one workflow given as text (for hooks and tests that have no file on disk)."""
    out = FindingCollector(ID, TITLE)
    try:
        workflow = parse_workflow(text, ctx.root / relpath, relpath)
    except WorkflowError as error:
        out.add(
            error.code, error.message, path=relpath, line=error.line or 1, hint=_error_hint(error)
        )
        return out.result()
    analysed = AnalysedWorkflow(
        workflow, scan_workflow(workflow, ctx.root_dir), RunAnalysis(workflow)
    )
    findings = _Analysis(analysed, ctx).run()
    if not analysed.publishes:
        findings.append(
            Finding(
                "RA601",
                "the workflow publishes nothing: no job uploads distributions",
                Severity.ERROR,
                relpath,
                workflow.jobs_line or 1,
                "add publish jobs (see `release-assistant workflow init`)",
            )
        )
    _report(findings, out)
    return out.result()


def _error_hint(error: WorkflowError) -> str:
    if error.code == "RA602":
        return "fix the YAML at this line (GitHub rejects the whole workflow)"
    return "delete the character (or write it as an escape such as \\u2028 in a quoted string)"


def intent(upload: Upload) -> str | None:
    """What the names say an upload is for (``testpypi``/``pypi``): the step's name first
    (one job may upload to both), then the job's id, name and environment."""
    job = upload.job
    for words in (
        upload.step.name or "",
        " ".join(
            part for part in (job.id, job.name, job.environment and job.environment.name) if part
        ),
    ):
        if _TEST_INDEX_WORDS.search(words):
            return TESTPYPI
        if _INDEX_WORD.search(words):
            return PYPI
    return None


def target(upload: Upload) -> str:
    """Where an upload really goes: its URL decides, the job's names only when it has none."""
    if upload.index in (PYPI, TESTPYPI, OTHER):
        return upload.index
    return intent(upload) or PYPI


class _Analysis:
    """One workflow's findings; methods each cover one part of the model."""

    def __init__(self, analysed: AnalysedWorkflow, ctx: RepoContext) -> None:
        self.aw = analysed
        self.wf = analysed.workflow
        self.ctx = ctx
        self.runs = analysed.runs
        self.path = self.wf.relpath
        self.findings: list[Finding] = []
        #: Uploads aimed at PyPI or TestPyPI (credential and job rules); others are ignored.
        self.uploads = [u for u in analysed.uploads if u.at_index]
        self.reported_lines: set[int] = set()
        self.emitted: set[tuple[str, int | None]] = set()
        self.missing_artifacts: set[str] = set()
        #: A reusable workflow sees the artifacts of the caller's other jobs too.
        self.external = "workflow_call" in self.wf.triggers
        self._artifact_map: dict[str, list[tuple[str, int, str]] | None] | None = None
        self._views: tuple[list[str], dict[str, list[tuple[str, int, str]]], bool] | None = None

    def add(self, code: str, message: str, line: int | None, hint: str) -> None:
        self.emit(Finding(code, message, Severity.ERROR, self.path, line, hint))

    def emit(self, finding: Finding) -> None:
        """Record a finding once: jobs that share a build would repeat its findings."""
        key = (finding.code, finding.line)
        if key not in self.emitted:
            self.emitted.add(key)
            self.findings.append(finding)

    def run(self) -> list[Finding]:
        self.structure()
        self.pinning()
        if not self.aw.publishes:
            return self.findings
        self.triggers()
        self.reusable()
        self.tokens()
        jobs: dict[str, list[Upload]] = {}
        for upload in self.uploads:
            jobs.setdefault(upload.job.id, []).append(upload)
        for job_id, uploads in jobs.items():
            self.publish_job(self.wf.jobs[job_id], uploads)
        self.permissions(set(jobs))
        return self.findings

    # -- structure ---------------------------------------------------------------------------

    def structure(self) -> None:
        for line, message in self.wf.problems:
            self.add("RA602", message, line, "fix this line: GitHub rejects the whole workflow")
        for job_id, first, line in self.wf.case_clashes:
            self.add(
                "RA635",
                f"job ids {first!r} and {job_id!r} differ only in letter case; GitHub treats "
                "them as the same job and rejects the workflow",
                line,
                f"rename job {job_id!r}",
            )
        for line in self.wf.merge_keys:
            self.add(
                "RA636",
                "'<<:' is a YAML 1.1 merge key: GitHub reads workflows as YAML 1.2 and does not "
                "merge it, so the keys it should bring in are missing (or the workflow is "
                "rejected)",
                line,
                "write the keys out in full (YAML anchors and aliases without '<<:' are fine)",
            )
        for line in self.wf.value_keys:
            self.add(
                "RA640",
                "'=' is a YAML 1.1 value key (PyYAML refuses it); GitHub's YAML 1.2 reader "
                "takes it as the text '='",
                line,
                "rename the key",
            )
        for job in self.wf.jobs.values():
            uses = [(step.uses, step.uses_line) for step in job.steps if step.uses]
            if job.uses:
                uses.append((job.uses, job.uses_line))
            for value, line in uses:
                if value and not value.isascii() and not value.startswith(("./", "$/")):
                    reads = ascii_skeleton(value)
                    self.add(
                        "RA641",
                        f"'uses: {value}' has non-ASCII characters"
                        + (f": it imitates '{reads}'" if reads.isascii() else "")
                        + f" ({job.label})",
                        line,
                        "retype the action reference in ASCII (owner/repo@ref)",
                    )
                if value and "@" not in value and not value.startswith(("./", "$/", "docker://")):
                    self.add(
                        "RA602",
                        f"'uses: {value}' has no @ref ({job.label})",
                        line,
                        f"write 'uses: {value}@<commit SHA or tag>'",
                    )

    # -- triggers ----------------------------------------------------------------------------

    def _units(self, *indexes: str) -> list[tuple[Job, str | None, str]]:
        """``(job, step condition, what)`` for each upload (or call of one) to ``indexes``."""
        units = [(u.job, u.step.condition, u.label) for u in self.uploads if target(u) in indexes]
        for job, callee in self.aw.publishing_calls(*indexes, "unknown"):
            units.append((job, None, f"the reusable workflow {callee.relpath}"))
        return units

    def _runs_in(self, unit: tuple[Job, str | None, str], scenario: Scenario) -> Any:
        return self.runs.step_runs(unit[0], unit[1], scenario)

    def triggers(self) -> None:
        everything = self._units(PYPI, TESTPYPI)
        for event, trigger in self.wf.triggers.items():
            if event not in DANGEROUS_EVENTS:
                continue
            scenarios = [s for s in self.runs.scenarios if s.trigger is trigger]
            if any(self._runs_in(u, s) is not False for u in everything for s in scenarios):
                self.add(
                    "RA606",
                    f"'{event}' trigger on a publishing workflow: it runs with the repository's "
                    "secrets and permissions on events that outside contributors can cause",
                    trigger.line,
                    f"remove '{event}' from this workflow; publish only from a release, a tag "
                    "push or a manual dispatch",
                )
        units = self._units(PYPI)
        if not units:
            return
        scenarios = [s for s in self.runs.scenarios if s.kind != CALLED]
        releasing = any(
            self._runs_in(u, s) is not False
            for u in units
            for s in scenarios
            if s.kind in (RELEASE, MANUAL)
        )
        reported: set[int] = set()
        branch_only: Scenario | None = None
        for scenario in scenarios:
            if scenario.kind not in (BRANCH, PULL_REQUEST, RELEASE_EDIT):
                continue
            running = next((u for u in units if self._runs_in(u, scenario) is True), None)
            if running is None or id(scenario.trigger) in reported:
                continue
            job, _, what = running
            if scenario.kind == BRANCH and not releasing:
                branch_only = branch_only or scenario
                continue
            reported.add(id(scenario.trigger))
            if scenario.kind == RELEASE_EDIT:
                self.add(
                    "RA605",
                    f"the 'release' trigger runs {job.label} ({what}) on {scenario.label}, "
                    "which publishes no new version: the upload runs again (or on a "
                    "deleted release)",
                    scenario.trigger.line,
                    "write 'release: {types: [published]}'",
                )
            else:
                who = (
                    "code nobody has merged"
                    if scenario.kind == PULL_REQUEST
                    else "every such event, not only on releases"
                )
                self.add(
                    "RA607",
                    f"'{scenario.event}' trigger runs {job.label} ({what}) to PyPI on "
                    f"{scenario.label}: it publishes {who}",
                    scenario.trigger.line,
                    f"drop the '{scenario.event}' trigger, or add '{_TAG_GUARD_HINT}' to "
                    f"{job.label}",
                )
        if branch_only is not None and not releasing:
            self.add(
                "RA604",
                f"no release trigger: every {_noun(branch_only)} publishes to PyPI, so a "
                "release is whatever version the branch holds",
                self.wf.on_line or branch_only.trigger.line,
                "publish from 'release: {types: [published]}' (or a tag push), or keep "
                "releasing on merge knowingly (skip-existing keeps unchanged versions quiet)",
            )
        self.cofiring(units, [s for s in scenarios if id(s.trigger) not in reported])

    def cofiring(self, units: list[tuple[Job, str | None, str]], scenarios: list[Scenario]) -> None:
        for unit in units:
            running = {
                s.action: s
                for s in scenarios
                if s.event == "release"
                and s.kind == RELEASE
                and self._runs_in(unit, s) is not False
            }
            for pair in _COFIRING:
                if pair <= set(running):
                    scenario = running[sorted(pair)[0]]
                    self.emit(
                        Finding(
                            "RA633",
                            f"the 'release' trigger runs {unit[0].label} for both "
                            f"{' and '.join(sorted(pair))}, which fire together for one "
                            "release: the upload runs twice and the second run fails",
                            Severity.WARNING,
                            self.path,
                            scenario.trigger.line,
                            "write 'release: {types: [published]}'",
                        )
                    )
                    return

    # -- reusable workflows ------------------------------------------------------------------

    def reusable(self) -> None:
        hint = (
            "move the build and publish jobs into the workflow file the event starts and "
            "register that file on PyPI"
        )
        call = self.wf.triggers.get("workflow_call")
        pypi_uploads = [u for u in self.uploads if target(u) == PYPI]
        if call is not None and pypi_uploads and not self.aw.callers:
            self.add(
                "RA608",
                f"{pypi_uploads[0].job.label} uploads to PyPI from a reusable workflow "
                f"('workflow_call'): {_REUSABLE_QUOTE}; PyPI sees the calling workflow's file",
                call.line,
                hint,
            )
        for job, callee in self.aw.publishing_calls(PYPI, "unknown"):
            self.add(
                "RA608",
                f"{job.label} publishes to PyPI by calling the reusable workflow "
                f"{callee.relpath}: {_REUSABLE_QUOTE}; PyPI sees {self.wf.file_name}, "
                f"not {callee.workflow.file_name}",
                job.uses_line,
                hint,
            )
        for job in self.wf.jobs.values():
            if not job.uses or job.local_workflow is not None:
                continue
            target_text = job.uses.split("@", 1)[0]
            words = f"{job.id} {job.name or ''} {target_text}".lower()
            grants = job.permissions is not None and job.permissions.grants("id-token")
            if grants and ("pypi" in words or "publish" in words):
                self.add(
                    "RA608",
                    f"{job.label} publishes by calling the reusable workflow {job.uses}: "
                    f"{_REUSABLE_QUOTE}",
                    job.uses_line,
                    hint,
                )

    # -- tokens ------------------------------------------------------------------------------

    def tokens(self) -> None:
        fix = (
            "delete the token (input, variable or option) and use trusted publishing: "
            "'id-token: write' on the publish job, then delete the API token on the index"
        )
        for upload in self.uploads:
            token = upload.token or self._stored_by_a_step(upload)
            if token is None:
                if not upload.oidc and not upload.minted and not self._may_mint(upload):
                    self.add(
                        "RA638",
                        f"{upload.job.label} uploads with {upload.label}, which cannot use "
                        "trusted publishing itself, and passes it no credential: the "
                        "upload fails",
                        upload.line,
                        f"upload with 'uses: {PUBLISH_ACTION}@release/v1' or `uv publish` "
                        "(both use the OIDC token), or pass a token minted in an earlier step",
                    )
                continue
            self.reported_lines.add(token.line)
            # A `with:` input reads as written (`password:`); variables and options by name.
            where = f"'{token.name}:'" if upload.tool == PUBLISH_ACTION else f"'{token.name}'"
            if self.runs.never_runs(upload.job, upload.step.condition):
                self.emit(
                    Finding(
                        "RA637",
                        f"{upload.job.label} uploads with a stored token ({where}), but no "
                        "trigger of this workflow can run it",
                        Severity.WARNING,
                        self.path,
                        token.line,
                        f"delete {upload.job.label} and the stored secret (and revoke the "
                        "token on the index)",
                    )
                )
                continue
            self.add(
                "RA626",
                f"{upload.job.label} passes {where} to {upload.label}: token publishing "
                "instead of trusted publishing (OIDC)",
                token.line,
                fix,
            )
        self.secret_scan(fix)

    def _stored_by_a_step(self, upload: Upload) -> Credential | None:
        """A secret an earlier step stores for the upload (``poetry config pypi-token``...)."""
        for step in upload.job.steps[: upload.step.index + 1]:
            if not STORES_CREDENTIAL.search(step.run or ""):
                continue
            texts = [(step.run or "", step.run_line)]
            texts += [(str(v), step.env.value_line(k)) for k, v in step.env.items()]
            texts += [(str(v), step.inputs.value_line(k)) for k, v in step.inputs.items()]
            for text, line in texts:
                for match in _SECRET_REFERENCE.finditer(text):
                    if match.group(1).lower() != "github_token":
                        at = line + text[: match.start()].count("\n")
                        return Credential(f"secrets.{match.group(1)}", at, "secret", text)
        return None

    def _may_mint(self, upload: Upload) -> bool:
        # A credential set up by an earlier step (a stored token there is RA626's business).
        return any(
            sets_up_credentials(step)
            for step in upload.job.steps
            if step.index <= upload.step.index
        )

    def secret_scan(self, fix: str) -> None:
        other_lines = {c.line for u in self.aw.uploads if not u.at_index for c in u.credentials}
        for value, line, path in self.wf.scalars():
            key = path[-1] if path else None
            secret = _TOKEN_SECRET.search(value)
            offset = value[: secret.start()].count("\n") if secret is not None else 0
            if line + offset in self.reported_lines or line + offset in other_lines:
                continue
            job = self.wf.jobs.get(str(path[1])) if len(path) > 2 and path[0] == "jobs" else None
            if (
                secret is None
                and job is not None
                and job.id in self.aw.scans
                and not self.aw.scans[job.id].uploads
            ):
                continue  # a token variable in a job that uploads nothing
            if isinstance(key, str) and _TOKEN_ENV.match(key) and secret is None:
                if job is not None and not any(u.job is job for u in self.uploads):
                    continue
                self.reported_lines.add(line)
                self.add(
                    "RA626",
                    f"'{key}' supplies an index token: token publishing instead of trusted "
                    "publishing (OIDC)",
                    line,
                    fix,
                )
            elif secret is not None:
                self.reported_lines.add(line + offset)
                # `toJSON(secrets)` hands over every secret, an index token among them.
                what = (
                    f"secret {secret.group(1)!r} looks like an index API token"
                    if secret.group(1)
                    else "toJSON(secrets) passes every secret, index tokens included,"
                )
                if job is not None and self.runs.never_runs(job):
                    self.emit(
                        Finding(
                            "RA637",
                            f"{what}, but no trigger of this workflow can run {job.label}",
                            Severity.WARNING,
                            self.path,
                            line + offset,
                            f"delete {job.label} and the stored secret",
                        )
                    )
                    continue
                self.emit(
                    Finding(
                        "RA639",
                        f"{what} and is handed to a step that does not upload with it: "
                        "everything that step runs can read it",
                        Severity.WARNING,
                        self.path,
                        line + offset,
                        "if trusted publishing replaced the token, delete the reference and the "
                        "stored secret (and revoke the token on the index)",
                    )
                )

    # -- publish jobs --------------------------------------------------------------------------

    def publish_job(self, job: Job, uploads: list[Upload]) -> None:
        uploads = [u for u in uploads if not u.opaque]  # only their token is known
        if not uploads:
            return
        producers = self.hand_over(job, uploads)
        for producer in producers:
            self.build_job(producer, job)
        if not self._validated(job, uploads, producers):
            first = producers[0] if producers else job
            what = (
                f"{first.label} builds and publishes it"
                if first is job
                else f"{first.label} builds what {job.label} publishes"
            )
            self.emit(
                Finding(
                    "RA613",
                    f"nothing validates the project before {what} (no tests or metadata "
                    "check run first)",
                    Severity.WARNING,
                    self.path,
                    first.line,
                    f"add a 'verify' job that runs the tests and make {first.label} "
                    "'needs: [verify]'",
                )
            )
        for upload in uploads:
            self.target(job, upload)
        if job.environment is None:
            elsewhere = next(
                (j for j in self.wf.jobs.values() if j.environment is not None and j is not job),
                None,
            )
            note = (
                f" (the environment {elsewhere.environment.name!r} is on {elsewhere.label}, "
                "but PyPI checks the environment of the job that uploads)"
                if elsewhere is not None
                and elsewhere.environment is not None
                and not any(u.job is elsewhere for u in self.uploads)
                else ""
            )
            self.emit(
                Finding(
                    "RA623",
                    f"publish {job.label} has no 'environment'{note}",
                    Severity.WARNING,
                    self.path,
                    job.environment_missing_line,
                    f"add 'environment: {target(uploads[0])}' to {job.label} (the same name "
                    "you register on the index) and protect it with required reviewers",
                )
            )
        self.id_token(job, uploads)
        self.credentials(job)

    def _validated(self, job: Job, uploads: list[Upload], producers: list[Job]) -> bool:
        scans = self.aw.scans
        first = min(uploads, key=lambda u: u.step.index)
        if scans[job.id].validated_before(first.step):
            return True
        for other_id in self.wf.needs_closure(job.id):
            other = self.wf.jobs.get(other_id)
            if other is not None and (other.uses or scans[other_id].validations):
                return True
        return any(scans[p.id].validations for p in producers if p.id in scans)

    def hand_over(self, job: Job, uploads: list[Upload]) -> list[Job]:
        """Check how the distributions reach the upload; returns the jobs that build them."""
        scan = self.aw.scans[job.id]
        first = min(uploads, key=lambda u: u.position)
        if any(u.builds for u in uploads) or any(
            build.index <= first.step.index for build, _ in scan.builds
        ):
            what = next((how for build, how in scan.builds), first.label)
            self.emit(
                Finding(
                    "RA611",
                    f"{job.label} both builds ({what}) and publishes: the build then runs "
                    "with the permission to publish",
                    Severity.WARNING,
                    self.path,
                    first.line,
                    "split it: a 'build' job that uploads the distributions as an artifact, "
                    "and a publish job that 'needs' it, downloads them and publishes",
                )
            )
            return [job]
        downloads = scan.downloads_before(first.position)
        if not downloads:
            self.no_download(job, first)
            return []
        producers: list[Job] = []
        artifacts = self._artifacts()
        for upload in uploads:
            self.download_dir(job, upload, scan.downloads_before(upload.position), artifacts)
        for download in downloads:
            producers.extend(
                p for p in self.download_source(job, download, artifacts) if p not in producers
            )
        return producers

    def no_download(self, job: Job, first: Upload) -> None:
        unknown = [
            s
            for s in job.steps
            if s.index < first.step.index
            and (s.run or (s.uses and not any(s.uses_action(a) for a in _INERT_ACTIONS)))
        ]
        if unknown:
            self.emit(
                Finding(
                    "RA610",
                    f"no step of {job.label} recognizably builds or downloads the "
                    f"distributions before {first.label} uploads them",
                    Severity.WARNING,
                    self.path,
                    first.line,
                    "build in a dedicated 'build' job that uploads the distributions with "
                    f"{UPLOAD}, and download them in {job.label}",
                )
            )
            return
        self.add(
            "RA616",
            f"publish {job.label} has no distributions: nothing builds or downloads them "
            f"before {first.label}",
            first.line,
            f"add a step 'uses: {DOWNLOAD}@v4' with the build's artifact name and "
            f"'path: {_wanted_dir(first) or 'dist'}/' before the upload",
        )

    def download_dir(
        self,
        job: Job,
        upload: Upload,
        relevant: list[Step],
        artifacts: dict[str, list[tuple[str, int, str]] | None],
    ) -> None:
        """Does a download put the distributions where ``upload`` reads them?"""
        wanted = _wanted_dir(upload)
        if wanted is None or not relevant:
            return
        landing: set[str] = set()
        for download in relevant:
            dirs = self._landing_dirs(download, artifacts)
            if dirs is None or wanted in dirs:
                return  # computed at run time, or right
            landing |= dirs
        download = relevant[-1]
        path, path_line = download.input("path")
        base = _norm_dir(path or ".")
        if base == wanted and not self._merged_into_path(download):
            self.add(
                "RA617",
                f"publish {job.label} downloads several artifacts without 'name:' or "
                "'merge-multiple: true', so each lands in its own sub-directory of "
                f"{wanted}/ and {upload.label} finds no distributions there",
                download.line,
                "set 'name:' to the build's artifact name (or add 'merge-multiple: true') on "
                "the download step",
            )
            return
        where = ", ".join(f"{d}/" for d in sorted(landing)) or "the workspace root"
        self.add(
            "RA616",
            f"publish {job.label} downloads the distributions into {where}, but "
            f"{upload.label} uploads from {wanted}/",
            path_line if path else download.line,
            f"set 'path: {wanted}/' on the download step",
        )

    @staticmethod
    def _merged_into_path(download: Step) -> bool:
        merge, _ = download.input("merge-multiple")
        name, _ = download.input("name")
        ids, _ = download.input("artifact-ids")
        return name is not None or ids is not None or (merge or "").strip().lower() == "true"

    def _landing_dirs(
        self, download: Step, artifacts: dict[str, list[tuple[str, int, str]] | None]
    ) -> set[str] | None:
        """Where the files of ``download`` land (``None``: not knowable here)."""
        path, _ = download.input("path")
        base = _norm_dir(path or ".")
        if "$" in base:
            return None
        if self._merged_into_path(download):
            return {base}
        # Each artifact in its own directory, named after it.
        pattern, _ = download.input("pattern")
        if pattern is not None and "${{" in pattern:
            return None
        names: set[str] = set()
        for arts in artifacts.values():
            if arts is None:
                return None
            for name, _, _ in arts:
                if "${{" in name:
                    return None
                if pattern is None or fnmatch.fnmatchcase(name, pattern):
                    names.add(name)
        return {_norm_dir(f"{base}/{name}") for name in names}

    def _artifacts(self) -> dict[str, list[tuple[str, int, str]] | None]:
        """Job id -> its distribution artifacts (``None``: a reusable workflow, unknown).

        Computed once per workflow: every publish job asks, and a workflow can have many.
        """
        if self._artifact_map is None:
            self._artifact_map = self._find_artifacts()
        return self._artifact_map

    def _artifact_views(
        self,
    ) -> tuple[list[str], dict[str, list[tuple[str, int, str]]], bool]:
        """Jobs whose artifacts are unknown, the static artifact names, and whether any
        name is computed at run time (once per workflow, like :meth:`_artifacts`)."""
        if self._views is None:
            artifacts = self._artifacts()
            unknown = [job_id for job_id, arts in artifacts.items() if arts is None]
            static = {
                job_id: [a for a in arts if "${{" not in a[0]]
                for job_id, arts in artifacts.items()
                if arts is not None
            }
            dynamic = any("${{" in a[0] for arts in artifacts.values() if arts for a in arts)
            self._views = (unknown, static, dynamic)
        return self._views

    def _find_artifacts(self) -> dict[str, list[tuple[str, int, str]] | None]:
        found: dict[str, list[tuple[str, int, str]] | None] = {}
        for job_id, job in self.wf.jobs.items():
            if job.uses:
                callee = self.aw.calls.get(job_id)
                found[job_id] = (
                    [a for scan in callee.scans.values() for a in scan.artifacts]
                    if callee is not None
                    else None
                )
                if callee is not None and any("${{" in a[0] for a in found[job_id] or []):
                    found[job_id] = None
            else:
                found[job_id] = list(self.aw.scans[job_id].artifacts)
        return found

    def download_source(
        self,
        job: Job,
        download: Step,
        artifacts: dict[str, list[tuple[str, int, str]] | None],
    ) -> list[Job]:
        """The jobs that upload what ``download`` fetches (checks names and ``needs``)."""
        if download.has_input("run-id", "github-token", "repository"):
            return []  # from another workflow run: nothing here to compare
        name, name_line = download.input("name")
        pattern, _ = download.input("pattern")
        ids, _ = download.input("artifact-ids")
        closure = self.wf.needs_closure(job.id)
        unknown, static, dynamic = self._artifact_views()
        if ids is not None:
            producers = [self.wf.jobs[j] for j in _NEEDS_JOB.findall(ids) if j in self.wf.jobs]
        elif name is not None and "${{" not in name:
            producers = [
                self.wf.jobs[j] for j, arts in static.items() if any(a[0] == name for a in arts)
            ]
            if not producers and not unknown and not dynamic and not self.external:
                self.no_producer(job, download, name_line, f"artifact {name!r}", static)
                return []
        elif name is None and pattern is not None and "${{" not in pattern:
            producers = [
                self.wf.jobs[j]
                for j, arts in static.items()
                if any(fnmatch.fnmatchcase(a[0], pattern) for a in arts)
            ]
            if not producers and not unknown and not dynamic and not self.external:
                self.no_producer(job, download, download.line, f"pattern {pattern!r}", static)
                return []
        elif name is None and pattern is None:
            producers = [self.wf.jobs[j] for j, arts in static.items() if arts]
        else:
            producers = []
        if not producers:
            producers = [
                self.wf.jobs[j]
                for j in closure
                if j in self.wf.jobs and (static.get(j) or j in unknown or self.aw.scans[j].builds)
            ]
            if not producers and not closure and not self.external:
                self.add(
                    "RA614",
                    f"publish {job.label} needs no job, so it can start before the "
                    "distributions it downloads exist",
                    job.needs_line,
                    f"add 'needs: [build]' to {job.label} (the job that uploads them)",
                )
            return producers
        missing = [p for p in producers if p.id not in closure]
        if missing and len(missing) == len(producers):
            names = ", ".join(repr(p.id) for p in missing)
            self.add(
                "RA614",
                f"publish {job.label} does not 'needs:' the job that uploads its "
                f"distributions ({names}), so it can start before they exist",
                job.needs_line,
                f"add 'needs: [{missing[0].id}]' to {job.label}",
            )
        return producers

    def no_producer(
        self,
        job: Job,
        download: Step,
        line: int,
        what: str,
        static: dict[str, list[tuple[str, int, str]]],
    ) -> None:
        if what in self.missing_artifacts:
            return  # one finding for the missing upload, not one per publish job
        self.missing_artifacts.add(what)
        builders = [
            self.wf.jobs[j]
            for j in self.wf.needs_closure(job.id) | set(self.wf.jobs)
            if j in self.aw.scans and self.aw.scans[j].builds and not static.get(j)
        ]
        if builders:
            builder = sorted(builders, key=lambda b: b.line)[0]
            step, _ = self.aw.scans[builder.id].builds[0]
            self.add(
                "RA615",
                f"{builder.label} builds the distributions but does not upload them, so "
                f"{job.label} downloads nothing",
                step.line,
                f"add a step 'uses: {UPLOAD}@v4' with 'name: python-package-distributions' "
                "and 'path: dist/' after the build",
            )
            return
        uploaded = sorted({a[0] for arts in static.values() for a in arts})
        listed = ", ".join(repr(n) for n in uploaded) if uploaded else "nothing"
        self.add(
            "RA617",
            f"publish {job.label} downloads {what}, but the jobs of this workflow upload {listed}",
            line,
            f"use the same name on both sides: 'name: {uploaded[0]}'"
            if uploaded
            else f"upload the distributions with {UPLOAD} in the build job",
        )

    def build_job(self, job: Job, publisher: Job) -> None:
        if job is publisher or job.uses:
            return
        artifacts = self.aw.scans[job.id].artifacts
        if job.matrix_line is not None and any("${{" not in name for name, _, _ in artifacts):
            self.emit(
                Finding(
                    "RA612",
                    f"{job.label} builds in a matrix and uploads one artifact name from every "
                    "matrix run (the uploads collide)",
                    Severity.WARNING,
                    self.path,
                    job.matrix_line,
                    "build once in a job without a matrix, or include ${{ matrix.* }} in the "
                    "artifact name and download with 'pattern:' and 'merge-multiple: true'",
                )
            )
        self.credentials(job)

    def target(self, job: Job, upload: Upload) -> None:
        from release_assistant.core.urls import TESTPYPI_LEGACY_UPLOAD_URL, same_upload_url

        said = intent(upload)
        url = upload.index_text
        if said == TESTPYPI and upload.index == PYPI:
            what = f"'{url}'" if url else "no index URL"
            self.add(
                "RA624",
                f"TestPyPI publish {job.label} has {what}, so {upload.label} uploads to the "
                "production index",
                upload.index_line,
                f"set 'repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}' under 'with:' (or the "
                "upload command's index URL option)",
            )
        elif (
            said == TESTPYPI
            and upload.tool == PUBLISH_ACTION
            and upload.index == TESTPYPI
            and url
            and not same_upload_url(url, TESTPYPI_LEGACY_UPLOAD_URL)
        ):
            self.add(
                "RA624",
                f"TestPyPI publish {job.label} has 'repository-url: {url}', which is not the "
                "test index's upload endpoint",
                upload.index_line,
                f"set 'repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}' under 'with:'",
            )
        elif said == PYPI and upload.index == TESTPYPI:
            self.add(
                "RA625",
                f"PyPI publish {job.label} points {upload.label} at the test index",
                upload.index_line,
                "remove the test index URL from this PyPI upload (or rename the job and "
                "environment to 'testpypi' if it is the test upload)",
            )
        if upload.tool == PUBLISH_ACTION and (upload.step.ref or "").lower() in ("master", "main"):
            self.emit(
                Finding(
                    "RA632",
                    f"{PUBLISH_ACTION}@{upload.step.ref} is the action's retired branch",
                    Severity.WARNING,
                    self.path,
                    upload.step.uses_line,
                    f"use 'uses: {PUBLISH_ACTION}@release/v1' (or a commit SHA)",
                )
            )

    # -- permissions ---------------------------------------------------------------------------

    def id_token(self, job: Job, uploads: list[Upload]) -> None:
        needing = [u for u in uploads if u.oidc and u.token is None and not u.minted]
        if not needing:
            return
        top = self.wf.permissions
        perms = job.permissions
        if perms is None and top is not None and top.grants("id-token"):
            return  # works; RA621 asks to move it to the job
        if perms is not None and perms.grants("id-token"):
            return
        if perms is None and top is None and self.aw.is_callee:
            # A called workflow's jobs get what the calling job (or its workflow) grants.
            for caller, call in self.aw.callers:
                granted = call.permissions or caller.workflow.permissions
                if granted is not None and granted.grants("id-token"):
                    return
        self.add(
            "RA620",
            f"publish {job.label} lacks 'id-token: write', so {needing[0].label} cannot get "
            "the OIDC token trusted publishing needs",
            perms.line if perms is not None else job.line,
            f"add 'permissions: {{id-token: write}}' to {job.label}",
        )

    def permissions(self, publishing: set[str]) -> None:
        top = self.wf.permissions
        if top is not None and top.grants("id-token"):
            what = "write-all" if top.everything == "write-all" else "'id-token: write'"
            self.emit(
                Finding(
                    "RA621",
                    f"{what} is granted at workflow level, so every job (tests, build) can "
                    "mint an OIDC token for the index",
                    Severity.WARNING,
                    self.path,
                    top.line_for("id-token"),
                    "set 'permissions: {}' (or 'contents: read') at workflow level and "
                    "'permissions: {id-token: write}' only on the publish jobs",
                )
            )
        for job in self.wf.jobs.values():
            perms = job.permissions
            if job.id in publishing or job.uses or perms is None or not perms.grants("id-token"):
                continue
            if self.aw.scans[job.id].uploads or _attests(job):
                continue
            self.emit(
                Finding(
                    "RA622",
                    f"{job.label} gets 'id-token: write' but neither publishes nor attests",
                    Severity.WARNING,
                    self.path,
                    perms.line_for("id-token"),
                    f"remove 'id-token: write' from {job.label}",
                )
            )

    # -- credentials and pinning --------------------------------------------------------------

    def credentials(self, job: Job) -> None:
        for step in job.steps_using(CHECKOUT):
            value, line = step.input("persist-credentials")
            if (value or "").lower() == "false":
                continue
            at = line if value is not None else step.line
            if at in self.reported_lines:
                continue
            self.reported_lines.add(at)
            self.emit(
                Finding(
                    "RA630",
                    f"{step.label} in {job.label} leaves the GitHub token in .git/config "
                    "for every later step",
                    Severity.WARNING,
                    self.path,
                    at,
                    "add 'with: {persist-credentials: false}' to the checkout step",
                )
            )

    def holds_id_token(self, job: Job) -> bool:
        """Can steps of ``job`` mint an OIDC token (``id-token: write``, here or inherited)?"""
        if job.permissions is not None:
            return job.permissions.grants("id-token")
        top = self.wf.permissions
        return top is not None and top.grants("id-token")

    def third_party_code(self, job: Job, exempt: set[str]) -> set[int]:
        """RA642 for downloads piped into a shell and unpinned third-party actions in a job
        that can mint an OIDC token; returns the lines reported (RA631 skips them)."""
        reported: set[int] = set()
        if not self.holds_id_token(job):
            return reported
        for step in job.steps:
            for match in _PIPED_DOWNLOAD.finditer(step.run or ""):
                line = step.run_line + (step.run or "")[: match.start()].count("\n")
                reported.add(line)
                self.emit(
                    Finding(
                        "RA642",
                        f"{step.label} in {job.label} runs a download as a script "
                        f"({' '.join(match.group(0).split())!s}) in a job holding "
                        "'id-token: write'",
                        Severity.WARNING,
                        self.path,
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
            self.emit(
                Finding(
                    "RA642",
                    f"third-party action '{uses}' runs by a movable reference in {job.label}, "
                    "which holds 'id-token: write'",
                    Severity.WARNING,
                    self.path,
                    step.uses_line,
                    "pin it to a full commit SHA ('uses: owner/action@<40-hex SHA>  # tag'), or "
                    "move it to a job without 'id-token: write'",
                )
            )
        return reported

    def pinning(self) -> None:
        rules = self.ctx.config.workflow_rules
        exempt = {owner.lower() for owner in rules.unpinned_allowed_owners}
        covered: set[int] = set()
        for job in self.wf.jobs.values():
            covered |= self.third_party_code(job, exempt)
        if not rules.require_pinned_actions:
            return
        for job in self.wf.jobs.values():
            refs = [(step.uses, step.uses_line) for step in job.steps]
            refs.append((job.uses, job.uses_line))
            for uses, line in refs:
                if not uses or uses.startswith(("./", "$/")) or "@" not in uses:
                    continue
                if line in covered:
                    continue  # RA642 names the same reference, with the permission it runs with
                if uses.startswith("docker://"):
                    if "@sha256:" not in uses:
                        self.emit(
                            Finding(
                                "RA631",
                                f"'{uses}' is not pinned to an image digest",
                                Severity.WARNING,
                                self.path,
                                line,
                                "pin it: 'docker://image@sha256:<digest>'",
                            )
                        )
                    continue
                action, ref = uses.split("@", 1)
                owner = action.split("/", 1)[0].lower()
                if owner in exempt or _SHA.match(ref.strip()):
                    continue
                self.emit(
                    Finding(
                        "RA631",
                        f"third-party action '{uses}' is not pinned to a commit SHA "
                        "(a moved tag runs different code in your release)",
                        Severity.WARNING,
                        self.path,
                        line,
                        f"pin it: 'uses: {action}@<40-hex commit SHA>  # {ref}' (or allow the "
                        "owner in [tool.release-assistant.workflow_rules] "
                        "unpinned_allowed_owners)",
                    )
                )


def _noun(scenario: Scenario) -> str:
    if scenario.event == "push":
        return "push to a branch"
    return f"'{scenario.event}' event"


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


def _wanted_dir(upload: Upload) -> str | None:
    """The directory an upload reads (``None`` when it is computed at run time)."""
    files = upload.files or ("dist",)
    first = files[0]
    if "$" in first:
        return None
    if upload.tool == PUBLISH_ACTION or (
        not any(ch in first for ch in "*?[") and "." not in first.rsplit("/", 1)[-1]
    ):
        return _norm_dir(first)
    head = first.rsplit("/", 1)[0] if "/" in first else "."
    return _norm_dir(head)


def _norm_dir(path: str) -> str:
    text = path.strip()
    for prefix in ("${{ github.workspace }}/", "${{github.workspace}}/", "$GITHUB_WORKSPACE/"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    while text.startswith("./"):
        text = text[2:]
    text = text.rstrip("/")
    return text or "."
