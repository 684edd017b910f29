"""``publisher``: the trusted-publisher identity PyPI will see matches what is registered.

PyPI accepts an upload from GitHub Actions only when the workflow run's owner, repository,
workflow file name and environment match a registered trusted publisher exactly; otherwise the
publish step fails with "invalid-publisher" ("Publisher not recognized"). This check derives
each value from the repository (``origin`` remote, the publishing workflow, ``pyproject.toml``)
and compares it with ``[tool.release-assistant.publisher]``, where the maintainer records what
they registered. Values left unset there are not compared; the derived identity is reported as
an info finding so it can be checked against the index's publishing page.

The workflow is the one that actually uploads to PyPI, found by
:mod:`~release_assistant.core.workflows.discovery` (for an upload inside a reusable workflow,
the caller's file, as PyPI sees it), never a ``release.yml`` that publishes nothing.

When a version is under release (a tag is given, or the walkthrough's release step), the
index is asked whether it already has that version (:mod:`~release_assistant.core.publisher.
taken`, 3 s at most, through ``RELEASE_ASSISTANT_INDEX_API_URL`` when set): RA716 when it
does, RA717 for a project the index does not know yet, RA718 when it could not be asked.
Never between releases, so no pre-commit hook ever waits for the network.

Codes, with their severity, cause and fix: see ``core/rules/publisher.py``
(``release-assistant explain CODE``).
"""

from __future__ import annotations

from release_assistant.core.check_table import PUBLISHER
from release_assistant.core.collector import FindingCollector
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Severity
from release_assistant.core.publisher.form import form_problems, same_environment
from release_assistant.core.rules.publisher import (
    CASE_ONLY_DIFFERENCE,
    ENVIRONMENT_NOT_RECOGNIZED,
    INDEX_NOT_ASKED,
    NEW_PROJECT,
    NO_ORIGIN,
    NO_PROJECT_NAME,
    NO_WORKFLOW_FOR_IDENTITY,
    OIDC_CLAIMS,
    ORIGIN_NOT_ON_GITHUB,
    OWNER_NOT_RECOGNIZED,
    PUBLISHER_FOR_OTHER_PROJECT,
    PUBLISHER_IDENTITY,
    REFUSED_FORM_VALUE,
    REPOSITORY_NOT_RECOGNIZED,
    RUNTIME_ENVIRONMENT,
    TEST_ENVIRONMENT_NOT_RECOGNIZED,
    VERSION_ALREADY_ON_INDEX,
    WORKFLOW_NOT_RECOGNIZED,
)
from release_assistant.core.rules.rule import Rule
from release_assistant.core.workflows.analysis.environments import empty_environment
from release_assistant.core.workflows.identity import (
    DerivedIdentity,
    normalize_host,
    normalize_project_name,
)
from release_assistant.core.workflows.workflow import Job

ID = PUBLISHER.id
TITLE = PUBLISHER.title

NOT_RECOGNIZED = "Publisher not recognized"
_TABLE = ("tool", "release-assistant", "publisher")


def run(ctx: RepoContext) -> CheckResult:
    """Compare the identity derived from the repository with the configured publisher."""
    out = FindingCollector(ID, TITLE)
    identity = ctx.identity
    explicit = identity.explicit
    if identity.origin.url is None and not ({"owner", "repository"} & set(explicit)):
        problem = identity.origin.problem or "no 'origin' remote"
        # The identity cannot be judged, but a version the index already has still blocks.
        ask_index(ctx, out, only_taken=True)
        return out.result(
            skip_reason=f"{problem}: cannot tell which GitHub owner/repository PyPI will see "
            "(git remote add origin https://github.com/OWNER/REPOSITORY.git)"
        )
    _Comparison(ctx, identity, out).run()
    return out.result()


class _Comparison:
    def __init__(self, ctx: RepoContext, identity: DerivedIdentity, out: FindingCollector):
        self.ctx = ctx
        self.identity = identity
        self.out = out
        self.explicit = identity.explicit
        self.config = ctx.config.publisher

    def config_line(self, key: str) -> int | None:
        return self.ctx.pyproject.line_of((*_TABLE, key)) if self.ctx.pyproject else None

    def config_finding(self, rule: Rule, message: str, key: str, hint: str, *, error: bool) -> None:
        self.out.add(
            rule,
            message,
            path="pyproject.toml",
            line=self.config_line(key),
            hint=hint,
            severity=Severity.ERROR if error else Severity.WARNING,
        )

    def run(self) -> None:
        self.form_rules()
        self.repository()
        self.workflow()
        self.environments()
        self.project()
        self.summary()
        ask_index(self.ctx, self.out)

    def form_rules(self) -> None:
        """Values PyPI's publisher form would refuse: configured ones, and the publish
        jobs' literal environments (RA715)."""
        configured = {
            key: value
            for key in ("owner", "repository", "workflow")
            if isinstance(value := self.explicit.get(key), str)
        }
        if "/" in configured.get("workflow", ""):
            del configured["workflow"]  # a path instead of a file name: RA705 says so
        for field, why in form_problems(**configured):
            self.out.add(
                REFUSED_FORM_VALUE,
                f"PyPI's publisher form refuses {field}: {why}",
                path=self.ctx.relative(self.ctx.pyproject.path) if self.ctx.pyproject else None,
                line=self.config_line(field),
                hint=f"correct {field} in [tool.release-assistant.publisher] (and on PyPI)",
            )
        for test_index in (False, True):
            job = self.identity.testpypi_job if test_index else self.identity.pypi_job
            env = job.environment if job is not None else None
            if job is None or env is None or env.is_expression:
                continue
            for _, why in form_problems(environment=env.name):
                self.out.add(
                    REFUSED_FORM_VALUE,
                    f"PyPI's publisher form refuses {job.label}'s environment: {why}",
                    path=self.identity.workflow_relpath,
                    line=env.line,
                    hint="rename the environment (in the workflow and on GitHub) to one the "
                    "form accepts",
                )

    def repository(self) -> None:
        identity = self.identity
        if identity.origin.url is None:
            self.out.warn(
                NO_ORIGIN,
                "no 'origin' remote: the owner/repository in [tool.release-assistant.publisher] "
                "cannot be verified",
                hint="git remote add origin https://github.com/OWNER/REPOSITORY.git",
            )
            return
        remote = identity.remote
        host = normalize_host(self.config.github_host)
        if remote is None:
            self.out.warn(
                ORIGIN_NOT_ON_GITHUB,
                f"origin {identity.origin.url!r} is not a repository URL on {host} (a local "
                "path or another kind of remote), so PyPI's owner/repository are unknown",
                hint="git remote set-url origin https://github.com/OWNER/REPOSITORY.git",
            )
            return
        if remote.host != host:
            self.out.warn(
                ORIGIN_NOT_ON_GITHUB,
                f"origin {identity.origin.url!r} is on {remote.host}, not a repository on {host}",
                hint=f'set github_host = "{remote.host}" in [tool.release-assistant.publisher] '
                "for GitHub Enterprise, or point origin at the GitHub repository that runs the "
                "workflow",
            )
            return
        for key, rule, derived in (
            ("owner", OWNER_NOT_RECOGNIZED, remote.owner),
            ("repository", REPOSITORY_NOT_RECOGNIZED, remote.repository),
        ):
            configured = self.explicit.get(key)
            if not isinstance(configured, str) or configured == derived:
                continue
            if configured.lower() == derived.lower():
                self.config_finding(
                    CASE_ONLY_DIFFERENCE,
                    f"publisher {key} {configured!r} differs from the origin remote's "
                    f"{derived!r} only in letter case; type it on PyPI exactly as GitHub "
                    "shows it",
                    key,
                    f'set {key} = "{derived}" if that is how GitHub spells it',
                    error=False,
                )
                continue
            self.config_finding(
                rule,
                f"{NOT_RECOGNIZED}: {key} must match exactly what is registered on PyPI; the "
                f"origin remote says {derived!r}, [tool.release-assistant.publisher] "
                f"{key} says {configured!r}",
                key,
                f'register the publisher on PyPI with {key} "{derived}" and set {key} = '
                f'"{derived}" (or point origin at the repository that is registered)',
                error=True,
            )

    def workflow(self) -> None:
        identity = self.identity
        if identity.workflow_problem is not None:
            self.out.warn(
                NO_WORKFLOW_FOR_IDENTITY,
                f"cannot derive the workflow and environments: {identity.workflow_problem}",
                path=identity.workflow_relpath,
                hint="run `release-assistant workflow init`, then `release-assistant check "
                "--only workflow`",
            )
        configured = self.explicit.get("workflow")
        if not isinstance(configured, str):
            return
        if "/" in configured or "\\" in configured:
            name = configured.replace("\\", "/").rsplit("/", 1)[-1]
            self.config_finding(
                WORKFLOW_NOT_RECOGNIZED,
                f"{NOT_RECOGNIZED}: workflow must be the file name only, as PyPI's form asks "
                f"({name!r}), not the path {configured!r}",
                "workflow",
                f'set workflow = "{name}" (and register "{name}" on PyPI)',
                error=True,
            )
            return
        if identity.workflow is not None and configured != identity.workflow_file:
            actual = identity.workflow_file
            self.config_finding(
                WORKFLOW_NOT_RECOGNIZED,
                f"{NOT_RECOGNIZED}: workflow must match exactly what is registered on PyPI; "
                f"the publishing workflow is {actual!r}, [tool.release-assistant.publisher] "
                f"workflow says {configured!r}",
                "workflow",
                f'register workflow "{actual}" on PyPI and set workflow = "{actual}" (or '
                f"rename {identity.workflow_relpath} to {configured})",
                error=True,
            )

    def empty_on_release(self, job: Job) -> str | None:
        """When the publish ``job``'s computed environment is provably empty in a run a
        published release or a tag push starts (one its upload runs in): that run."""
        for analysed in self.ctx.workflows.analysed:
            if analysed.workflow.jobs.get(job.id) is not job:
                continue
            uploads = [upload for upload in analysed.uploads if upload.job is job]
            found = empty_environment(analysed.workflow, analysed.runs, job, uploads)
            return found.where if found is not None and found.on_release else None
        return None

    def environments(self) -> None:
        for test_index, key, rule in (
            (False, "environment", ENVIRONMENT_NOT_RECOGNIZED),
            (True, "testpypi_environment", TEST_ENVIRONMENT_NOT_RECOGNIZED),
        ):
            job = self.identity.testpypi_job if test_index else self.identity.pypi_job
            configured = self.explicit.get(key)
            if job is None or not isinstance(configured, str):
                continue
            index = "TestPyPI" if test_index else "PyPI"
            path = self.identity.workflow_relpath
            env = job.environment
            if env is None:
                self.out.add(
                    rule,
                    f"{NOT_RECOGNIZED}: environment must match exactly what is registered on "
                    f"{index}; {job.label} runs without an environment but "
                    f"[tool.release-assistant.publisher] {key} says {configured!r}",
                    path=path,
                    line=job.line,
                    hint=f"add 'environment: {configured}' to {job.label}",
                )
            elif env.is_expression and (empty := self.empty_on_release(job)) is not None:
                # Proven empty when the release runs the upload: no environment claim, so
                # the publisher registered with one rejects it (RA644 says why in `workflow`).
                self.out.add(
                    rule,
                    f"{NOT_RECOGNIZED}: environment must match exactly what is registered on "
                    f"{index}; {job.label}'s environment {env.name.strip()[:80]!r} is empty "
                    f"{empty}, but [tool.release-assistant.publisher] {key} says "
                    f"{configured!r}",
                    path=path,
                    line=env.line,
                    hint=f"write 'environment: {configured}' in {job.label} (or end the "
                    f"expression with the fallback || '{configured}')",
                )
            elif env.is_expression:
                self.out.warn(
                    RUNTIME_ENVIRONMENT,
                    f"{job.label}'s environment {env.name!r} is computed at run time; "
                    f"cannot verify it equals {configured!r}",
                    path=path,
                    line=env.line,
                    hint=f"write 'environment: {configured}' literally",
                )
            elif not same_environment(env.name, configured):
                # PyPI compares environment names without regard to letter case.
                self.out.add(
                    rule,
                    f"{NOT_RECOGNIZED}: environment must match what is registered on "
                    f"{index}; {job.label} uses {env.name!r}, [tool.release-assistant."
                    f"publisher] {key} says {configured!r}",
                    path=path,
                    line=env.line,
                    hint=f"rename the environment to '{configured}' in the workflow, or "
                    f'register "{env.name}" on {index} and set {key} = "{env.name}"',
                )

    def project(self) -> None:
        identity = self.identity
        if identity.project is None:
            self.out.warn(
                NO_PROJECT_NAME,
                "pyproject.toml has no [project].name: the PyPI project name is unknown",
                path="pyproject.toml",
                hint='add name = "<project>" under [project]',
            )
            return
        configured = self.explicit.get("project")
        if isinstance(configured, str) and normalize_project_name(
            configured
        ) != normalize_project_name(identity.project):
            self.config_finding(
                PUBLISHER_FOR_OTHER_PROJECT,
                f"{NOT_RECOGNIZED}: the publisher is registered for project {configured!r} but "
                f"this repository builds {identity.project!r}",
                "project",
                f'set project = "{identity.project}" and register the publisher for '
                f'"{identity.project}" on PyPI',
                error=True,
            )

    def summary(self) -> None:
        identity = self.identity
        remote = identity.remote
        parts = [
            f"owner {remote.owner!r}, repository {remote.repository!r}"
            if remote is not None
            else "owner/repository unknown",
            f"workflow {identity.workflow_file!r}" if identity.workflow else "workflow unknown",
        ]
        pypi_env = identity.environment(test_index=False)
        test_env = identity.environment(test_index=True)
        if identity.pypi_job is not None:
            parts.append(f"PyPI environment {pypi_env!r}" if pypi_env else "no PyPI environment")
        if identity.testpypi_job is not None:
            parts.append(
                f"TestPyPI environment {test_env!r}" if test_env else "no TestPyPI environment"
            )
        if identity.project:
            parts.append(f"project {identity.project!r}")
        self.out.add(
            PUBLISHER_IDENTITY,
            "PyPI will see " + ", ".join(parts),
            path=identity.workflow_relpath if identity.workflow else None,
            hint="register exactly these values (`release-assistant setup` lists them)",
            severity=Severity.INFO,
        )
        from release_assistant.core.workflows.identity import oidc_claims

        claims = oidc_claims(identity, self.ctx.release.tag if self.ctx.is_releasing else None)
        if claims is not None:
            self.out.add(
                OIDC_CLAIMS,
                "the PyPI publish job's OIDC token will claim "
                + ", ".join(f"{key}={value}" for key, value in claims.items()),
                path=identity.workflow_relpath,
                line=identity.pypi_job.line if identity.pypi_job is not None else None,
                hint="PyPI compares repository, owner, the workflow file in job_workflow_ref "
                "and environment with the publisher registered there",
                severity=Severity.INFO,
            )


def ask_index(ctx: RepoContext, out: FindingCollector, *, only_taken: bool = False) -> None:
    """Ask the index whether the version under release is already there (only when a
    version is under release and the project's name and version are known).

    ``only_taken`` keeps every verdict but "the index has it" unreported (the check is
    being skipped for another reason, and a verdict must not turn that into a pass).
    """
    if not ctx.is_releasing:
        return
    version = ctx.release.version
    project = ctx.identity.project
    if version is None or project is None:
        return  # the version and publisher checks say why (RA301, RA711)
    from release_assistant.core.publisher.taken import INDEX_TIMEOUT, version_on_index
    from release_assistant.core.urls import index_api_url

    identity = ctx.identity
    test_index = identity.pypi_job is None and identity.testpypi_job is not None
    verdict = version_on_index(
        index_api_url(ctx.environ, test_index=test_index), project, version, INDEX_TIMEOUT
    )
    pyproject = ctx.relative(ctx.pyproject.path) if ctx.pyproject else None
    if verdict.state == "taken":
        skipping = _skip_existing_step(ctx, test_index)
        consequence = (
            f"; the publish step's {skipping[0]} ({skipping[1]}) would upload nothing and "
            "the run would still go green"
            if skipping is not None
            else '; the upload would fail with "File already exists"'
        )
        source = ctx.release.source
        spelt = f" (as {verdict.on_index})" if verdict.on_index != str(version) else ""
        out.add(
            VERSION_ALREADY_ON_INDEX,
            f"version {version} of {project} is already on {verdict.index_host}{spelt}: "
            f"it cannot be released again{consequence}",
            path=source.path if source is not None and source.path else pyproject,
            line=source.line if source is not None else None,
            hint="release the next version: release-assistant bump patch (or minor, major), "
            "then tag that",
        )
    elif only_taken:
        return
    elif verdict.state == "new-project":
        out.add(
            NEW_PROJECT,
            f"{verdict.reason}; trusted publishing creates a project only through a pending "
            "publisher registered before the first run",
            path=pyproject,
            line=identity.project_line,
            hint="release-assistant setup lists the values for the pending-publisher form",
            severity=Severity.INFO,
        )
    elif verdict.state == "unknown":
        out.add(
            INDEX_NOT_ASKED,
            f"{verdict.index_host} did not say whether it has {project} {version}: "
            f"{verdict.reason}",
            hint="run the check again online before tagging",
            severity=Severity.INFO,
        )


def _skip_existing_step(ctx: RepoContext, test_index: bool) -> tuple[str, str] | None:
    """``(what, where)`` of a publish step to that index that skips files already there:
    the publish action's ``skip-existing: true``, ``--skip-existing`` (twine, poetry, pdm)
    or ``uv publish --check-url``."""
    from release_assistant.core.workflows.uploads import PYPI, TESTPYPI, UNKNOWN_INDEX

    primary = ctx.workflows.primary
    if primary is None:
        return None
    indexes = (TESTPYPI,) if test_index else (PYPI, UNKNOWN_INDEX)
    pending, seen = [primary], set()
    while pending:  # the workflow and the reusable workflows it calls
        analysed = pending.pop(0)
        if id(analysed) in seen:
            continue
        seen.add(id(analysed))
        pending.extend(analysed.calls.values())
        for upload in analysed.uploads:
            if upload.index not in indexes:
                continue
            step = upload.step
            value, line = step.input("skip-existing", "skip_existing")
            if value is not None and value.strip().lower() == "true":
                return "skip-existing: true", f"{analysed.relpath}:{line}"
            command = " ".join(part for part in (step.run, upload.script) if part)
            for option in ("--skip-existing", "--check-url"):
                if option in command:
                    return option, f"{analysed.relpath}:{upload.line}"
    return None
