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

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from release_assistant import __version__
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Severity, Status
from release_assistant.core.rules import publisher as publisher_rules
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
    oidc_claims,
)

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from release_assistant.core.publisher.taken import ProjectVerdict


#: What a field shows when the value to type is nothing at all.
LEAVE_EMPTY = "none: leave the field empty"
#: What a field shows when nothing the tool can read says the value.
UNKNOWN = "<unknown>"

#: What pydantic reads from each class when it writes or reads the JSON (a plain dict: no
#: pydantic import to define them). Attribute docstrings are the schema's descriptions.
_STRICT: dict[str, Any] = {"extra": "forbid", "use_attribute_docstrings": True}


@dataclass(frozen=True, slots=True, kw_only=True)
class FormField:
    """One field of a form, with the exact value to type and where the value came from."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    label: str
    value: str | None
    """exact value to type; "" when the field stays empty; null when it is unknown"""
    source: str
    """where the value was derived from"""

    def shown(self) -> str:
        """The value as a person reads it (an empty field and an unknown one spelt out)."""
        if self.value is None:
            return UNKNOWN
        return self.value or LEAVE_EMPTY


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
    optional: bool = False
    """hardening, not needed to publish"""


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexAnswer:
    """What one index said about the project: it decides between a pending publisher (a
    new project) and a publisher added in an existing project's settings."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    index: str
    state: Literal["exists", "new-project", "unknown", "not-asked"]
    reason: str


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
    pypi_environment: str | None
    """the PyPI upload job's environment; null when it has none"""
    testpypi_environment: str | None
    tag_format: str
    deployment_tag_pattern: str
    """the GitHub environment's deployment tag rule matching the release tags"""
    indexes: list[IndexAnswer] = field(default_factory=list)
    """whether PyPI and TestPyPI have the project (pending publisher or project settings)"""
    claims: dict[str, str] | None
    """the OIDC claims the PyPI publish job's token will present; null without a GitHub
    origin or a publishing workflow"""
    testpypi_claims: dict[str, str] | None = None
    offer: list[str] = field(default_factory=list)
    """why the first-time setup is offered (empty: it is not): no publishing workflow, a
    publisher the index would not recognize, no project on PyPI yet"""
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


#: Where the values come from when there is no publishing workflow yet: the one
#: ``release-assistant workflow init`` writes.
INIT_SOURCE = "the workflow `release-assistant workflow init` writes (none publishes yet)"


class _Values:
    """The values to register, each derived from the repository with its source.

    The workflow (file, the environment of the job that uploads), the ``origin`` remote
    (owner, repository), ``pyproject.toml`` (project) and the tags (tag format). A value
    written in ``[tool.release-assistant.publisher]`` stands in only where the repository
    cannot say (no origin on GitHub, no project name); defaults are never shown as values.
    """

    def __init__(self, ctx: RepoContext, identity: DerivedIdentity) -> None:
        config = ctx.config.publisher
        explicit = identity.explicit
        remote = identity.origin.on_github
        self.github_host = identity.origin.github_host
        if remote is not None:
            self.owner: str | None = remote.owner
            self.repository: str | None = remote.repository
            self.owner_source = f"from origin ({identity.origin.url})"
        elif "owner" in explicit or "repository" in explicit:
            self.owner, self.repository = config.owner, config.repository
            self.owner_source = "from [tool.release-assistant.publisher] in pyproject.toml"
        else:
            self.owner = self.repository = None
            self.owner_source = f"unknown: origin names no repository on {self.github_host}"
        # The index compares project names PEP 503-normalized; the normalized form is the
        # one that can never be mistyped into a different project.
        raw = identity.project or config.project
        self.project = normalize_project_name(raw) if raw else None
        self.project_source = (
            (
                "from pyproject.toml [project].name"
                if identity.project
                else "from [tool.release-assistant.publisher] project"
            )
            + (", normalized (PEP 503)" if raw and self.project != raw else "")
            if raw
            else "unknown: pyproject.toml has no [project].name"
        )
        self.has_workflow = identity.workflow is not None
        if self.has_workflow:
            self.workflow_file = identity.workflow_file
            self.workflow_source = f"from {identity.workflow_relpath}"
        else:
            self.workflow_file = ctx.config.workflow.replace("\\", "/").rsplit("/", 1)[-1]
            self.workflow_source = INIT_SOURCE
        self.pypi_environment, self.pypi_env_source = _environment(
            identity, config.environment or "pypi", test_index=False
        )
        self.testpypi_environment, self.testpypi_env_source = _environment(
            identity, config.testpypi_environment or "testpypi", test_index=True
        )
        self.has_testpypi_job = identity.testpypi_job is not None
        tag_format = ctx.tag_format
        self.tag_format = tag_format.format
        prefix = tag_format.format.split("{version}", 1)[0]
        # GitHub matches deployment tag rules with fnmatch: the tags' own prefix, or a digit
        # first for tags that are the bare version.
        self.tag_pattern = f"{prefix}*" if prefix else "[0-9]*"
        self.tag_source = "from the " + tag_format.describe()


def _environment(
    identity: DerivedIdentity, init_environment: str, *, test_index: bool
) -> tuple[str | None, str]:
    """The environment the index will see for the (Test)PyPI upload, and its source:
    ``""`` when the upload job has none (the form's field stays empty), ``None`` when
    nothing says (no such job, or a name computed at run time). Without a publishing
    workflow, ``init_environment``: the one ``workflow init`` writes."""
    if identity.workflow is None:
        return init_environment, INIT_SOURCE
    job = identity.testpypi_job if test_index else identity.pypi_job
    index = "TestPyPI" if test_index else "PyPI"
    if job is None:
        return None, f"unknown: {identity.workflow_relpath} has no job that uploads to {index}"
    where = f"from {identity.workflow_relpath} job {job.id!r}"
    if job.environment is None:
        return "", f"{where}: it has no environment"
    if job.environment.is_expression:
        return None, f"{where}: computed at run time ({job.environment.name})"
    return job.environment.name, where


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


def _pending_link(*, test_index: bool) -> Link:
    index = "TestPyPI" if test_index else "PyPI"
    pending = TESTPYPI_PENDING_PUBLISHER_URL if test_index else PYPI_PENDING_PUBLISHER_URL
    return Link(label=f"New project on {index}: pending publisher", url=pending, prefilled=False)


def _prefilled_link(values: _Values, *, test_index: bool) -> Link | None:
    """An existing project's publishing settings, with the GitHub form prefilled from the
    address (only the values known: an empty environment stays out)."""
    if not values.project:
        return None
    index = "TestPyPI" if test_index else "PyPI"
    environment = values.testpypi_environment if test_index else values.pypi_environment
    prefill = {
        "owner": values.owner or "",
        "repository": values.repository or "",
        "workflow_filename": values.workflow_file,
        "environment": environment or "",
    }
    return Link(
        label=f"Existing project on {index}: publishing settings, form prefilled",
        url=project_publishing_url(values.project, test_index=test_index, prefill=prefill),
        prefilled=True,
    )


def _publisher_links(values: _Values, *, test_index: bool, state: str) -> list[Link]:
    """The page the index's answer calls for: the pending-publisher page for a new
    project, the project's settings (prefilled) for an existing one, both when unknown."""
    pending = _pending_link(test_index=test_index)
    prefilled = _prefilled_link(values, test_index=test_index)
    if state == "new-project" or prefilled is None:
        return [pending]
    if state == "exists":
        return [prefilled]
    return [pending, prefilled]


def ask_indexes(ctx: RepoContext, timeout: float | None = None) -> dict[bool, ProjectVerdict]:
    """Whether PyPI (``False``) and TestPyPI (``True``) have the project, both asked at once
    within :data:`~release_assistant.core.publisher.taken.INDEX_TIMEOUT` (empty without a
    project name). Keyed by ``test_index``."""
    from concurrent.futures import ThreadPoolExecutor

    from release_assistant.core.publisher.taken import INDEX_TIMEOUT, project_on_index
    from release_assistant.core.urls import index_api_url

    raw = ctx.identity.project or ctx.config.publisher.project
    if not raw:
        return {}
    budget = INDEX_TIMEOUT if timeout is None else timeout
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            test_index: pool.submit(
                project_on_index, index_api_url(ctx.environ, test_index=test_index), raw, budget
            )
            for test_index in (False, True)
        }
        return {test_index: future.result() for test_index, future in futures.items()}


def _index_answer(
    presence: Mapping[bool, ProjectVerdict] | None, *, test_index: bool
) -> IndexAnswer:
    index = "TestPyPI" if test_index else "PyPI"
    verdict = (presence or {}).get(test_index)
    if verdict is None:
        return IndexAnswer(index=index, state="not-asked", reason=f"{index} was not asked")
    return IndexAnswer(index=index, state=verdict.state, reason=verdict.reason)


def claims_tag(values: _Values) -> str:
    """The tag the claims are shown for: the tag format with the version left open."""
    return values.tag_format.replace("{version}", "X.Y.Z")


#: The publisher check's rules that mean the recorded publisher would not be recognized.
PUBLISHER_MISMATCH = frozenset(
    rule.code
    for rule in (
        publisher_rules.OWNER_NOT_RECOGNIZED,
        publisher_rules.REPOSITORY_NOT_RECOGNIZED,
        publisher_rules.WORKFLOW_NOT_RECOGNIZED,
        publisher_rules.ENVIRONMENT_NOT_RECOGNIZED,
        publisher_rules.TEST_ENVIRONMENT_NOT_RECOGNIZED,
        publisher_rules.PUBLISHER_FOR_OTHER_PROJECT,
    )
)


def build_checklist(
    ctx: RepoContext, presence: Mapping[bool, ProjectVerdict] | None = None
) -> SetupChecklist:
    """The checklist for the repository at ``ctx.root``.

    ``presence`` is what :func:`ask_indexes` found (keyed by ``test_index``); without it
    the publisher steps offer both the pending-publisher page and the existing project's
    settings, and say the index was not asked.
    """
    from release_assistant.core.engine import run_check, spec_for

    identity = ctx.identity
    values = _Values(ctx, identity)
    items: list[ChecklistItem] = []
    answers = {
        test_index: _index_answer(presence, test_index=test_index) for test_index in (False, True)
    }

    # 1. The GitHub repository PyPI will see.
    remote = identity.origin.on_github
    if identity.origin.url is None:
        remote_ok = False
        remote_status = (
            f"{identity.origin.problem or 'no origin remote'}: "
            "git remote add origin https://github.com/OWNER/REPOSITORY.git"
        )
    elif remote is None:
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
    workflow_ok = values.has_workflow and result.status in (Status.PASS, Status.WARN)
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

    # 3. GitHub environments: the ones the upload jobs name, or an optional hardening step.
    items.append(_environments_item(values, identity))

    # 4-5. Publishers on PyPI and TestPyPI.
    for test_index in (False, True):
        items.append(_publisher_item(values, identity, answers[test_index], test_index))

    # 6. Record the registered values so `check` guards them.
    publisher = run_check(spec_for("publisher"), ctx)
    items.append(_record_item(values, identity, publisher))

    # 7. A test release first.
    items.append(_test_release_item(values, identity))

    pypi_answer = answers[False]
    offer = []
    if not values.has_workflow:
        offer.append("no workflow that publishes to PyPI")
    mismatch = sorted({f.code for f in publisher.findings if f.code in PUBLISHER_MISMATCH})
    if mismatch:
        offer.append(f"a publisher the index would not recognize ({', '.join(mismatch)})")
    if pypi_answer.state == "new-project" and values.project:
        offer.append(f"no project {values.project} on PyPI yet (a pending publisher creates it)")

    tag = claims_tag(values)
    ready = all(item.verified for item in items if item.verifiable_locally)
    return SetupChecklist(
        repo=str(ctx.root),
        project=values.project,
        owner=values.owner,
        repository=values.repository,
        workflow_file=values.workflow_file,
        pypi_environment=values.pypi_environment or None,
        testpypi_environment=(values.testpypi_environment or None)
        if values.has_testpypi_job
        else None,
        tag_format=values.tag_format,
        deployment_tag_pattern=values.tag_pattern,
        indexes=[answers[False], answers[True]],
        claims=oidc_claims(identity, tag),
        testpypi_claims=oidc_claims(identity, tag, test_index=True)
        if values.has_testpypi_job
        else None,
        offer=offer,
        items=items,
        ready=ready,
    )


def _environments_item(values: _Values, identity: DerivedIdentity) -> ChecklistItem:
    """The GitHub environments the upload jobs name (created on GitHub, which cannot be
    seen from here), or, for upload jobs without one, adding one as optional hardening."""
    settings_url = (
        f"https://{values.github_host}/{values.owner}/{values.repository}/settings/environments"
        if values.owner and values.repository
        else None
    )
    protect = (
        "Recommended: 'Required reviewers' (someone approves each upload) and 'Deployment "
        f"branches and tags' limited to your release tags: {values.tag_pattern}, "
        f"{values.tag_source}."
    )
    named = [
        (name, source)
        for name, source, has_job in (
            (values.pypi_environment, values.pypi_env_source, True),
            (values.testpypi_environment, values.testpypi_env_source, values.has_testpypi_job),
        )
        if name and (has_job or not values.has_workflow)
    ]
    if named:
        return ChecklistItem(
            id="github-environments",
            title="GitHub environments " + " and ".join(repr(name) for name, _ in named),
            instructions=[
                "Repository Settings > Environments > New environment, once per name below.",
                protect,
            ],
            url=settings_url,
            fields=[
                *(
                    FormField(label="Environment name", value=name, source=source)
                    for name, source in named
                ),
                FormField(
                    label="Deployment tags", value=values.tag_pattern, source=values.tag_source
                ),
            ],
            verifiable_locally=False,
            verified=None,
            status="environments on GitHub cannot be seen from the local repository; "
            "tick it once they exist",
        )
    job_name = identity.pypi_job.id if identity.pypi_job is not None else "publish"
    return ChecklistItem(
        id="github-environments",
        title="Optional: a GitHub environment for the upload job",
        instructions=[
            f"The upload job {job_name!r} in {identity.workflow_relpath} has no environment, "
            "so the publisher's Environment name stays empty; publishing works as it is.",
            "Hardening, all three together (or the upload fails with invalid-publisher): "
            f"add 'environment: pypi' to job {job_name!r}, create the environment 'pypi' "
            "on GitHub, and set the publisher's Environment name to pypi.",
            protect,
        ],
        url=settings_url,
        fields=[
            FormField(label="Deployment tags", value=values.tag_pattern, source=values.tag_source)
        ],
        verifiable_locally=False,
        verified=None,
        status="optional hardening: tick it when done, or to skip it",
        optional=True,
    )


def _publisher_item(
    values: _Values, identity: DerivedIdentity, answer: IndexAnswer, test_index: bool
) -> ChecklistItem:
    """Register the publisher: pending (a new project) or in the project's settings."""
    index = "TestPyPI" if test_index else "PyPI"
    links = _publisher_links(values, test_index=test_index, state=answer.state)
    optional = test_index and values.has_workflow and not values.has_testpypi_job
    account = " (a separate account from PyPI)" if test_index else ""
    if answer.state == "exists":
        instructions = [
            f"{answer.reason}: log in to {index}{account} and add the publisher under the "
            "project's Settings > Publishing. The link opens that form filled in; check each "
            "value below before you press Add.",
        ]
    elif answer.state == "new-project":
        instructions = [
            f"{answer.reason}: log in to {index}{account}, open the page below, choose the "
            "'GitHub' tab of 'Add a new pending publisher' and type exactly:",
        ]
    else:
        why = "" if answer.state == "not-asked" else f" ({answer.reason})"
        instructions = [
            f"Whether {index} has the project is not known{why}. A new project: log in to "
            f"{index}{account}, open the first page, 'Add a new pending publisher', GitHub "
            "tab, and type exactly the values below.",
            "A project that exists: add the publisher under its Settings > Publishing; the "
            "second link opens that form filled in (check each value before you press Add).",
        ]
    if optional:
        instructions.insert(0, "Optional: your workflow has no TestPyPI publish job.")
    return ChecklistItem(
        id="testpypi-publisher" if test_index else "pypi-publisher",
        title=f"Register the trusted publisher on {index}",
        instructions=instructions,
        url=links[0].url,
        links=links,
        fields=_form(values, test_index=test_index),
        verifiable_locally=False,
        verified=None,
        status=f"registration on {index} cannot be seen from the local repository; "
        "tick it once registered",
        optional=optional,
    )


def _record_item(
    values: _Values, identity: DerivedIdentity, publisher: CheckResult
) -> ChecklistItem:
    """Record the registered values in pyproject.toml so every check compares them."""
    explicit = identity.explicit
    needed = ["owner", "repository", "workflow"]
    if values.pypi_environment:
        needed.append("environment")
    recorded = all(key in explicit for key in needed)
    record_ok = recorded and publisher.status in (Status.PASS, Status.WARN)
    snippet = [
        "[tool.release-assistant.publisher]",
        f'owner = "{values.owner or "OWNER"}"',
        f'repository = "{values.repository or "REPOSITORY"}"',
        f'workflow = "{values.workflow_file}"',
    ]
    if values.pypi_environment:
        snippet.append(f'environment = "{values.pypi_environment}"')
    if values.has_testpypi_job and values.testpypi_environment:
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
    return ChecklistItem(
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


def _test_release_item(values: _Values, identity: DerivedIdentity) -> ChecklistItem:
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
    return ChecklistItem(
        id="test-release",
        title="Do a test release on TestPyPI first",
        instructions=test_steps,
        url=TRUSTED_PUBLISHING_DOCS_URL,
        verifiable_locally=False,
        verified=None,
        status="happens on GitHub and TestPyPI; nothing local to check",
    )


def claims_lines(checklist: SetupChecklist) -> list[str]:
    """The OIDC claims the publish run will present, which the index matches exactly."""
    if checklist.claims is None:
        return [
            "OIDC claims: unknown until origin names a GitHub repository and a workflow "
            "publishes to PyPI"
        ]
    lines = [
        f"The publish run's OIDC token will present (tag {checklist.tag_format!r} with the "
        "version for X.Y.Z):"
    ]
    for title, claims in (("PyPI", checklist.claims), ("TestPyPI", checklist.testpypi_claims)):
        if claims is None:
            continue
        lines.append(f"  {title}:")
        width = max(len(key) for key in claims)
        lines += [f"    {key:<{width}}  {value}" for key, value in claims.items()]
    return lines
