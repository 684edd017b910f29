"""The first-time trusted-publisher checklist behind ``release-assistant setup``.

It tells a maintainer exactly what to type where: the values of PyPI's and TestPyPI's "Add a
new pending publisher" form (project name, owner, repository name, workflow file name,
environment name) with the forms' addresses, the GitHub environments to create (with
required reviewers), and a test release first. Each item says whether it can be verified from
the local repository and, if so, whether it is (the workflow passes the ``workflow`` check,
the ``origin`` remote names a GitHub repository, the environments are referenced by the
publish jobs). Registration on the index and the environments on GitHub cannot be seen
locally; those items say so.

The result is standard dataclasses; pydantic writes them as JSON (``--format json``) and
publishes their schema, imported only then. This module is off the hook path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from release_assistant import __version__
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import Severity, Status
from release_assistant.core.urls import (
    PYPI_PENDING_PUBLISHER_URL,
    PYPI_SIMPLE_URL,
    TESTPYPI_PENDING_PUBLISHER_URL,
    TESTPYPI_SIMPLE_URL,
    TRUSTED_PUBLISHING_DOCS_URL,
    project_publishing_url,
    project_url,
)
from release_assistant.core.workflows.identity import (
    DerivedIdentity,
    normalize_project_name,
)

if TYPE_CHECKING:
    from pydantic import TypeAdapter


#: What pydantic reads from each class when it writes or reads the JSON (a plain dict: no
#: pydantic import to define them). Attribute docstrings are the schema's descriptions.
_STRICT: dict[str, Any] = {"extra": "forbid", "use_attribute_docstrings": True}


@dataclass(frozen=True, slots=True, kw_only=True)
class FormField:
    """One field of a form, with the exact value to type and where the value came from."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    label: str
    value: str | None
    """exact value to type; null when it is unknown"""
    source: str
    """where the value was derived from"""


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """A page to open for a step; ``prefilled`` when the page's form takes the values from
    the address itself (the rest are typed from ``fields``)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    label: str
    url: str
    prefilled: bool
    """the form opens with the values filled in"""


@dataclass(frozen=True, slots=True, kw_only=True)
class ChecklistItem:
    """One step of the checklist."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    id: str
    title: str
    instructions: list[str]
    url: str | None = None
    links: list[Link] = field(default_factory=list)
    fields: list[FormField] = field(default_factory=list)
    verifiable_locally: bool
    verified: bool | None
    """whether the local repository shows it done; null when it cannot"""
    status: str
    """what the local repository shows, or why it cannot tell"""


@dataclass(frozen=True, slots=True, kw_only=True)
class SetupChecklist:
    """The whole first-time checklist."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    tool: str = "release-assistant"
    tool_version: str = __version__
    repo: str
    project: str | None
    owner: str | None
    repository: str | None
    workflow_file: str
    pypi_environment: str
    testpypi_environment: str | None
    items: list[ChecklistItem]
    ready: bool
    """every locally verifiable item is verified"""


@cache
def _adapter() -> TypeAdapter[SetupChecklist]:
    from pydantic import TypeAdapter

    return TypeAdapter(SetupChecklist)


def checklist_json(checklist: SetupChecklist) -> str:
    """The checklist as indented JSON (``setup --format json``)."""
    return _adapter().dump_json(checklist, indent=2).decode("utf-8")


def checklist_from_json(data: object) -> SetupChecklist:
    """A checklist read back from its parsed JSON (validated: unknown keys refused)."""
    return _adapter().validate_python(data)


def setup_schema() -> dict[str, object]:
    """JSON Schema of :class:`SetupChecklist`."""
    return _adapter().json_schema()


class _Values:
    """The values to register: derived from the repository, else configured, else defaults."""

    def __init__(self, ctx: RepoContext, identity: DerivedIdentity) -> None:
        config = ctx.config.publisher
        remote = identity.remote
        host_ok = remote is not None and remote.host == _host(config.github_host)
        self.owner = remote.owner if remote is not None and host_ok else config.owner
        self.owner_source = "origin remote" if host_ok else "[tool.release-assistant.publisher]"
        self.repository = remote.repository if remote is not None and host_ok else config.repository
        # The index compares project names PEP 503-normalized; the normalized form is the
        # one that can never be mistyped into a different project.
        raw = identity.project or config.project
        self.project = normalize_project_name(raw) if raw else None
        self.project_source = (
            "pyproject.toml [project].name" if identity.project else "[tool.release-assistant]"
        ) + (", normalized (PEP 503)" if raw and self.project != raw else "")
        self.workflow_file = (
            identity.workflow_file
            if identity.workflow is not None
            else (config.workflow or ctx.config.workflow).replace("\\", "/").rsplit("/", 1)[-1]
        )
        self.workflow_source = (
            identity.workflow_relpath if identity.workflow is not None else "configured path"
        )
        self.pypi_environment = (
            identity.environment(test_index=False) or config.environment or "pypi"
        )
        self.pypi_env_source = _env_source(identity, ctx, test_index=False)
        self.testpypi_env_source = _env_source(identity, ctx, test_index=True)
        self.has_testpypi_job = identity.testpypi_job is not None
        self.testpypi_environment = (
            identity.environment(test_index=True) or config.testpypi_environment or "testpypi"
        )
        self.github_host = _host(config.github_host)


def _env_source(identity: DerivedIdentity, ctx: RepoContext, *, test_index: bool) -> str:
    job = identity.testpypi_job if test_index else identity.pypi_job
    if identity.environment(test_index=test_index) and job is not None:
        return f"{identity.workflow_relpath} job {job.id!r}"
    key = "testpypi_environment" if test_index else "environment"
    return f"[tool.release-assistant.publisher] {key}"


def _host(host: str) -> str:
    from release_assistant.core.workflows.identity import normalize_host

    return normalize_host(host)


def _form(values: _Values, *, test_index: bool) -> list[FormField]:
    environment = values.testpypi_environment if test_index else values.pypi_environment
    index = "TestPyPI" if test_index else "PyPI"
    source = values.testpypi_env_source if test_index else values.pypi_env_source
    return [
        FormField(
            label=f"{index} Project Name", value=values.project, source=values.project_source
        ),
        FormField(label="Owner", value=values.owner, source=values.owner_source),
        FormField(label="Repository name", value=values.repository, source=values.owner_source),
        FormField(label="Workflow name", value=values.workflow_file, source=values.workflow_source),
        FormField(label="Environment name", value=environment, source=source),
    ]


def _publisher_links(values: _Values, *, test_index: bool) -> list[Link]:
    """The pending-publisher page (a new project: type the values), and the existing
    project's publishing settings with the GitHub form prefilled from the address."""
    index = "TestPyPI" if test_index else "PyPI"
    pending = TESTPYPI_PENDING_PUBLISHER_URL if test_index else PYPI_PENDING_PUBLISHER_URL
    links = [Link(label=f"New project on {index}: pending publisher", url=pending, prefilled=False)]
    if values.project:
        environment = values.testpypi_environment if test_index else values.pypi_environment
        prefill = {
            "owner": values.owner or "",
            "repository": values.repository or "",
            "workflow_filename": values.workflow_file,
            "environment": environment,
        }
        links.append(
            Link(
                label=f"Existing project on {index}: publishing settings, form prefilled",
                url=project_publishing_url(values.project, test_index=test_index, prefill=prefill),
                prefilled=True,
            )
        )
    return links


def build_checklist(ctx: RepoContext) -> SetupChecklist:
    """The checklist for the repository at ``ctx.root``."""
    from release_assistant.core.engine import run_check, spec_for

    identity = ctx.identity
    values = _Values(ctx, identity)
    items: list[ChecklistItem] = []

    # 1. The GitHub repository PyPI will see.
    remote = identity.remote
    if identity.origin.url is None:
        remote_ok = False
        remote_status = (
            f"{identity.origin.problem or 'no origin remote'}: "
            "git remote add origin https://github.com/OWNER/REPOSITORY.git"
        )
    elif remote is None or remote.host != values.github_host:
        remote_ok = False
        remote_status = (
            f"origin {identity.origin.url!r} is not a repository on {values.github_host} "
            "(set [tool.release-assistant.publisher] github_host for GitHub Enterprise)"
        )
    else:
        remote_ok = True
        remote_status = f"origin is {remote.host}/{remote.slug}"
    items.append(
        ChecklistItem(
            id="origin-remote",
            title="The GitHub repository that runs the workflow",
            instructions=[
                "PyPI trusts one owner/repository; it is read from the 'origin' remote here.",
            ],
            fields=[
                FormField(label="Owner", value=values.owner, source=values.owner_source),
                FormField(
                    label="Repository name", value=values.repository, source=values.owner_source
                ),
            ],
            verifiable_locally=True,
            verified=remote_ok,
            status=remote_status,
        )
    )

    # 2. The workflow passes our check.
    result = run_check(spec_for("workflow"), ctx)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    workflow_ok = result.status in (Status.PASS, Status.WARN)
    if workflow_ok:
        workflow_status = f"{identity.workflow_relpath} passes the workflow check"
    elif result.status is Status.SKIP:
        workflow_status = f"the workflow check is disabled ({result.reason})"
    else:
        shown = ", ".join(sorted({f.code for f in errors})) or result.status.value
        workflow_status = (
            f"the workflow check fails ({shown}): release-assistant check --only workflow"
        )
    items.append(
        ChecklistItem(
            id="workflow",
            title="A release workflow that follows the trusted-publishing model",
            instructions=[
                "release-assistant workflow init   # writes it if you have none",
                "release-assistant check --only workflow",
                "Commit and push it to the default branch before registering the publisher.",
            ],
            fields=[
                FormField(
                    label="Workflow name", value=values.workflow_file, source=values.workflow_source
                )
            ],
            verifiable_locally=True,
            verified=workflow_ok,
            status=workflow_status,
        )
    )

    # 3. GitHub environments.
    env_names = [values.pypi_environment]
    if values.has_testpypi_job or identity.workflow is None:
        env_names.append(values.testpypi_environment)
    referenced = [
        job.environment.name
        for job in (identity.pypi_job, identity.testpypi_job)
        if job is not None and job.environment is not None
    ]
    missing = [name for name in env_names if name not in referenced]
    settings_url = (
        f"https://{values.github_host}/{values.owner}/{values.repository}/settings/environments"
        if values.owner and values.repository
        else None
    )
    items.append(
        ChecklistItem(
            id="github-environments",
            title="GitHub environments " + " and ".join(repr(n) for n in env_names),
            instructions=[
                "Repository Settings > Environments > New environment, once per name below.",
                "Recommended: 'Required reviewers' (someone approves each upload) and "
                "'Deployment branches and tags' limited to your release tags (e.g. v*).",
                "Existence on GitHub cannot be checked locally; the workflow's use of the names "
                "can.",
            ],
            url=settings_url,
            fields=[
                FormField(label="Environment name", value=name, source="publish job's environment")
                for name in env_names
            ],
            verifiable_locally=True,
            verified=not missing,
            status="the publish jobs use "
            + (", ".join(repr(n) for n in referenced) or "no environment")
            + (f"; missing: {', '.join(repr(n) for n in missing)}" if missing else ""),
        )
    )

    # 4-5. Pending publishers on PyPI and TestPyPI.
    for test_index in (False, True):
        index = "TestPyPI" if test_index else "PyPI"
        form_url = TESTPYPI_PENDING_PUBLISHER_URL if test_index else PYPI_PENDING_PUBLISHER_URL
        optional = test_index and identity.workflow is not None and not values.has_testpypi_job
        instructions = [
            f"Log in to {index}"
            + (" (a separate account from PyPI)" if test_index else "")
            + f", open {form_url}, choose the 'GitHub' tab of "
            "'Add a new pending publisher' and type exactly:",
            "If the project already exists there, add the publisher under the project's "
            "Settings > Publishing instead: the second link opens that form filled in "
            "(check each value before you press Add).",
        ]
        if optional:
            instructions.insert(0, "Optional: your workflow has no TestPyPI publish job.")
        items.append(
            ChecklistItem(
                id="testpypi-publisher" if test_index else "pypi-publisher",
                title=f"Register the trusted publisher on {index}",
                instructions=instructions,
                url=form_url,
                links=_publisher_links(values, test_index=test_index),
                fields=_form(values, test_index=test_index),
                verifiable_locally=False,
                verified=None,
                status=f"registration on {index} cannot be seen from the local repository; "
                "`release-assistant check --only publisher` compares what you record in "
                "[tool.release-assistant.publisher]",
            )
        )

    # 6. Record the registered values so `check` guards them.
    explicit = identity.explicit
    recorded = all(key in explicit for key in ("owner", "repository", "workflow", "environment"))
    publisher = run_check(spec_for("publisher"), ctx)
    record_ok = recorded and publisher.status in (Status.PASS, Status.WARN)
    snippet = [
        "[tool.release-assistant.publisher]",
        f'owner = "{values.owner or "OWNER"}"',
        f'repository = "{values.repository or "REPOSITORY"}"',
        f'workflow = "{values.workflow_file}"',
        f'environment = "{values.pypi_environment}"',
    ]
    if values.has_testpypi_job:
        snippet.append(f'testpypi_environment = "{values.testpypi_environment}"')
    if values.project:
        snippet.append(f'project = "{values.project}"')
    if not recorded:
        record_status = "not recorded in pyproject.toml yet"
    elif record_ok:
        record_status = "recorded, and the publisher check agrees with the repository"
    else:
        shown = ", ".join(
            sorted({f.code for f in publisher.findings if f.severity is Severity.ERROR})
        )
        record_status = f"recorded, but the publisher check fails ({shown})"
    items.append(
        ChecklistItem(
            id="record-publisher",
            title="Record what you registered in pyproject.toml",
            instructions=[
                "Add this table so every `release-assistant check` compares it with the "
                "repository (a renamed workflow or environment is then caught before a release):",
                *snippet,
            ],
            verifiable_locally=True,
            verified=record_ok,
            status=record_status,
        )
    )

    # 7. A test release first.
    name = values.project or "<project>"
    pypi_job = identity.pypi_job
    stops = pypi_job is not None and "prerelease" in (pypi_job.condition or "")
    test_steps = (
        [
            "Set a pre-release version (e.g. `release-assistant bump pre`, giving X.Y.Zrc1), "
            "commit, tag it, push, and publish the GitHub release marked 'Set as a "
            "pre-release'"
            + (
                ": the workflow uploads to TestPyPI only."
                if stops
                else ". Your PyPI job does not skip pre-releases, so it reaches PyPI too (pip "
                "ignores pre-releases unless asked); add "
                "'if: ${{ !github.event.release.prerelease }}' to it to stop at TestPyPI."
            ),
            f"Check {project_url(name, test_index=True)} and install it: "
            f"pip install --index-url {TESTPYPI_SIMPLE_URL} --extra-index-url "
            f"{PYPI_SIMPLE_URL} {name}==X.Y.Zrc1",
            "Then publish the real release (not a pre-release): TestPyPI, then PyPI.",
        ]
        if values.has_testpypi_job
        else [
            "Your workflow has no TestPyPI job: add one (`release-assistant workflow init "
            "--force`) or make the first release a pre-release on PyPI (X.Y.Zrc1).",
        ]
    )
    items.append(
        ChecklistItem(
            id="test-release",
            title="Do a test release on TestPyPI first",
            instructions=test_steps,
            url=TRUSTED_PUBLISHING_DOCS_URL,
            verifiable_locally=False,
            verified=None,
            status="happens on GitHub and TestPyPI; nothing local to check",
        )
    )

    ready = all(item.verified for item in items if item.verifiable_locally)
    return SetupChecklist(
        repo=str(ctx.root),
        project=values.project,
        owner=values.owner,
        repository=values.repository,
        workflow_file=values.workflow_file,
        pypi_environment=values.pypi_environment,
        testpypi_environment=values.testpypi_environment if values.has_testpypi_job else None,
        items=items,
        ready=ready,
    )
