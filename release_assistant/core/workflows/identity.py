"""The trusted-publisher identity PyPI will see, derived from the repository.

When the publish action asks the index for a token, GitHub's OIDC token names the repository
owner, the repository, the workflow file and the deployment environment of the job. The
index accepts the upload only when these match, exactly, a publisher registered for the
project. This module derives each value from the repository itself: owner and repository
from the ``origin`` remote, the workflow file and environments from the publishing workflow,
the project name from ``pyproject.toml``. The ``publisher`` check compares them with
``[tool.release-assistant.publisher]``; ``setup`` prints them as the values to register.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from release_assistant.core.git.readonly import run_git
from release_assistant.core.workflows.workflow import WORKFLOWS_DIR, Job, Workflow, publish_target

if TYPE_CHECKING:
    from release_assistant.core.support.toml_lines import TomlDocument
    from release_assistant.core.workflows.discovery import Discovery

#: Hosts that serve github.com repositories under other names (SSH over 443, www).
_GITHUB_ALIASES = {"ssh.github.com": "github.com", "www.github.com": "github.com"}
_SCP_LIKE = re.compile(r"^(?:[^@/\s]+@)?(?P<host>[^:/\s]+):(?P<path>[^\s]+)$")
_URL_SCHEMES = ("https", "http", "ssh", "git", "git+ssh", "ssh+git")


@dataclass(frozen=True, slots=True)
class RemoteRepository:
    """Owner and repository named by a git remote URL."""

    host: str
    owner: str
    repository: str

    @property
    def slug(self) -> str:
        """``owner/repository``."""
        return f"{self.owner}/{self.repository}"


def normalize_host(host: str) -> str:
    """Lower-case host without port; GitHub's alias hosts become ``github.com``."""
    host = host.strip().lower()
    if host.startswith("[") and "]" in host:
        host = host[1 : host.index("]")]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return _GITHUB_ALIASES.get(host, host)


def parse_remote_url(url: str) -> RemoteRepository | None:
    """Parse ``origin``-style URLs: https, ``ssh://``, ``git@host:owner/repo(.git)``.

    Returns ``None`` for URLs that name no ``owner/repository`` (local paths, ``file://``).
    """
    text = url.strip()
    if not text:
        return None
    if "://" in text:
        try:
            parts = urlsplit(text)
            host = parts.hostname or ""
        except ValueError:
            return None
        if parts.scheme.lower() not in _URL_SCHEMES or not host:
            return None
        path = parts.path
    else:
        match = _SCP_LIKE.match(text)
        if match is None or len(match.group("host")) == 1:  # `C:\...` is a Windows path
            return None
        host, path = match.group("host"), match.group("path")
    segments = [segment for segment in path.strip("/").split("/") if segment]
    if len(segments) < 2:
        return None
    owner, repository = segments[-2], segments[-1]
    if repository.endswith(".git"):
        repository = repository[: -len(".git")]
    if not owner or not repository or owner.startswith("~"):
        return None
    return RemoteRepository(normalize_host(host), owner, repository)


@dataclass(frozen=True, slots=True)
class OriginRemote:
    """What ``git config --get remote.origin.url`` said."""

    url: str | None
    #: Why the URL is unknown (not a git repository, no origin remote, git missing).
    problem: str | None = None
    #: The repository the URL names, on any host (``None`` for a local path).
    remote: RemoteRepository | None = None
    #: The configured GitHub host (``github_host``), normalized.
    github_host: str = "github.com"

    @property
    def on_github(self) -> RemoteRepository | None:
        """The repository when ``origin`` is one on the configured GitHub host."""
        return (
            self.remote
            if self.remote is not None and self.remote.host == self.github_host
            else None
        )


def origin_remote(root: Path, github_host: str) -> OriginRemote:
    """``origin`` read once and judged against the configured GitHub host (what
    :attr:`RepoContext.origin <release_assistant.core.context.RepoContext.origin>` holds)."""
    found = read_origin(root)
    remote = parse_remote_url(found.url) if found.url else None
    return OriginRemote(found.url, found.problem, remote, normalize_host(github_host))


def read_origin(root: Path) -> OriginRemote:
    """The ``origin`` remote's URL, read with ``git config`` (no GitPython on this path)."""
    configured = run_git(root, ["config", "--get", "remote.origin.url"])
    if configured is None:
        return OriginRemote(None, "cannot run git: is it installed and on PATH?")
    url = configured.text()
    if configured.ok and url:
        return OriginRemote(url)
    inside = run_git(root, ["rev-parse", "--git-dir"])
    if inside is None or not inside.ok:
        return OriginRemote(None, "not a git repository")
    return OriginRemote(None, "no 'origin' remote")


def normalize_project_name(name: str) -> str:
    """PEP 503 normalization: how the index compares project names."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(slots=True)
class DerivedIdentity:
    """Everything the repository says about its trusted publisher."""

    origin: OriginRemote
    remote: RemoteRepository | None
    workflow: Workflow | None
    workflow_relpath: str
    workflow_problem: str | None
    pypi_job: Job | None
    testpypi_job: Job | None
    project: str | None
    project_line: int | None
    #: Keys of ``[tool.release-assistant.publisher]`` written in pyproject.toml.
    explicit: dict[str, Any] = field(default_factory=dict)

    @property
    def workflow_file(self) -> str:
        """The file name PyPI's form asks for (``release.yml``)."""
        return Path(self.workflow_relpath).name

    def environment(self, test_index: bool) -> str | None:
        """The environment of the (Test)PyPI publish job, when it has a literal one."""
        job = self.testpypi_job if test_index else self.pypi_job
        if job is None or job.environment is None or job.environment.is_expression:
            return None
        return job.environment.name


def oidc_claims(
    identity: DerivedIdentity, tag: str | None, *, test_index: bool = False
) -> dict[str, str] | None:
    """The claims the publish job's OIDC token will present to the index, as GitHub forms
    them for a run started by the release of ``tag``; ``None`` without an origin on GitHub
    or a publishing workflow.

    The index matches ``repository``/``repository_owner`` with the registered owner and
    repository, the workflow file in ``job_workflow_ref`` (the caller's for a reusable
    workflow) and ``environment``; ``sub`` carries the environment when there is one.
    """
    remote = identity.remote
    job = identity.testpypi_job if test_index else identity.pypi_job
    if remote is None or identity.workflow is None or job is None:
        return None
    slug = f"{remote.owner}/{remote.repository}"
    ref = f"refs/tags/{tag}" if tag else "refs/tags/<tag>"
    environment = identity.environment(test_index)
    claims = {
        "repository": slug,
        "repository_owner": remote.owner,
        "ref": ref,
        "job_workflow_ref": f"{slug}/.github/workflows/{identity.workflow_file}@{ref}",
        "sub": f"repo:{slug}:environment:{environment}"
        if environment
        else f"repo:{slug}:ref:{ref}",
    }
    if environment:
        claims["environment"] = environment
    return claims


def _is_test_upload(job: Job, index: str) -> bool:
    if index == "testpypi":
        return True
    if index == "pypi":
        return False
    return publish_target(job) == "testpypi"


def explicit_publisher_table(pyproject: dict[str, Any] | None) -> dict[str, Any]:
    """The ``[tool.release-assistant.publisher]`` keys actually written (not defaults) in the
    parsed ``pyproject``."""
    if pyproject is None:
        return {}
    table = pyproject.get("tool", {}).get("release-assistant", {})
    publisher = table.get("publisher") if isinstance(table, dict) else None
    return dict(publisher) if isinstance(publisher, dict) else {}


def derive_identity(
    origin: OriginRemote,
    discovery: Discovery,
    workflow_setting: str,
    pyproject: TomlDocument | None,
) -> DerivedIdentity:
    """Derive the publisher identity of a repository from its ``origin`` remote, its
    publishing workflows (``discovery``), the configured release workflow
    (``workflow_setting``) and its parsed ``pyproject``.

    The workflow is the one that actually uploads to PyPI (see
    :mod:`~release_assistant.core.workflows.discovery`): for an upload in a reusable workflow,
    the calling file, as PyPI sees it; the environments come from the jobs that upload.
    """
    remote = origin.remote
    primary = discovery.primary
    workflow: Workflow | None = None
    problem: str | None = None
    relpath = workflow_setting
    pypi_job = testpypi_job = None
    if primary is None:
        broken = [f"{path}: {error.message}" for path, error in discovery.errors]
        if broken:
            problem = "; ".join(broken)
        elif discovery.configured is not None and discovery.configured_workflow is None:
            problem = f"{relpath} not found"
        else:
            problem = (
                f"no workflow uploads to PyPI (looked at {discovery.scanned} file(s) in "
                f"{WORKFLOWS_DIR})"
            )
    else:
        workflow = primary.workflow
        relpath = primary.relpath
        for upload in primary.all_uploads():
            if upload.index == "other":
                continue
            if _is_test_upload(upload.job, upload.index):
                testpypi_job = testpypi_job or upload.job
            else:
                pypi_job = pypi_job or upload.job
    project = None
    project_line = None
    if pyproject is not None:
        data = pyproject.data
        # [project].name, or Poetry's own table in projects that have no [project] yet.
        for keys in (("project", "name"), ("tool", "poetry", "name")):
            value: Any = data
            for key in keys:
                value = value.get(key) if isinstance(value, dict) else None
            if isinstance(value, str):
                project = value
                project_line = pyproject.line_of(keys)
                break
    return DerivedIdentity(
        origin=origin,
        remote=remote,
        workflow=workflow,
        workflow_relpath=relpath,
        workflow_problem=problem,
        pypi_job=pypi_job,
        testpypi_job=testpypi_job,
        project=project,
        project_line=project_line,
        explicit=explicit_publisher_table(pyproject.data if pyproject is not None else None),
    )
