"""The release's target and the watch's models: what to follow, and what it reports.

:func:`watch_target` and :func:`prepare_watch` find the run's repository, tag and commit,
the publishing workflow and jobs, and the files the index should hold
(:func:`expected_files`); the dataclasses are the events the watch yields and its result.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from release_assistant.core.support.errors import InputError

if TYPE_CHECKING:
    from release_assistant.core.context import RepoContext
    from release_assistant.core.github.api import GitHubApi
    from release_assistant.core.publisher.index_api import IndexApi

#: Build backends that compile extensions: their wheels' tags are the CI's choice.
_COMPILING_BACKENDS = ("maturin", "scikit_build_core", "mesonpy", "pybind11", "py_build_cmake")
#: Files whose presence says "extension modules are built here".
_EXTENSION_MARKERS = ("Cargo.toml", "CMakeLists.txt", "meson.build")


class WatchRefused(InputError):
    """The release cannot be watched as asked (no tag, no GitHub origin); ``str()`` says
    why and what to do."""


@dataclass(frozen=True, slots=True)
class ExpectedFiles:
    """What the index should hold besides one sdist.

    ``wheels``: exact wheel file names (from ``dist/``), empty when not known; ``pure``:
    True when one ``py3-none-any``-style wheel is expected, None when the build compiles
    extensions (which platforms CI builds cannot be known here); ``source``: why.
    """

    wheels: tuple[str, ...] = ()
    pure: bool | None = True
    source: str = ""

    def describe(self) -> str:
        """One line: the expectation and its reason."""
        if self.wheels:
            what = ", ".join(self.wheels)
        elif self.pure:
            what = "one pure-Python wheel (*-none-any.whl)"
        else:
            what = "at least one wheel (platform wheels: which ones is the CI's choice)"
        return f"one sdist and {what} ({self.source})" if self.source else f"one sdist and {what}"


@dataclass(frozen=True, slots=True)
class WatchTarget:
    """The release to follow: where its run is, and what the index should hold."""

    owner: str
    repository: str
    tag: str
    sha: str | None
    workflow_file: str | None
    publish_jobs: tuple[str, ...]
    project: str
    version: str
    test_index: bool
    expected: ExpectedFiles
    web_host: str = "github.com"

    @property
    def api_path(self) -> str:
        """The repository's path in the REST API."""
        return f"/repos/{self.owner}/{self.repository}"

    @property
    def actions_url(self) -> str:
        """The repository's workflow runs page."""
        return f"https://{self.web_host}/{self.owner}/{self.repository}/actions"

    @property
    def index_name(self) -> str:
        """``PyPI`` or ``TestPyPI``, for messages."""
        return "TestPyPI" if self.test_index else "PyPI"


@dataclass(frozen=True, slots=True)
class Limits:
    """How long to wait: in total, for the run to appear, for the files after the run;
    the pauses between polls grow from ``first_pause`` to ``max_pause``."""

    total: float = 45 * 60.0
    appear: float = 180.0
    index: float = 300.0
    first_pause: float = 5.0
    max_pause: float = 30.0
    log_lines: int = 40


@dataclass(frozen=True, slots=True)
class Progress:
    """One line of progress; it quotes GitHub's answers (run and job names), so its
    terminal control characters are made visible (:func:`safe_terminal_text`)."""

    message: str

    def __post_init__(self) -> None:
        from release_assistant.core.support.terminal import safe_terminal_text

        object.__setattr__(self, "message", safe_terminal_text(self.message))


@dataclass(frozen=True, slots=True)
class Wait:
    """The caller should wait ``seconds`` before asking for the next event.

    ``waiting_for`` says what the next poll looks for and ``left`` how many seconds remain
    of the watch's total bound, so a front end prints every poll (:meth:`line`).
    """

    seconds: float
    waiting_for: str = ""
    left: float | None = None

    def line(self) -> str:
        """One line for this pause: ``waiting for the run to finish: next try in 8 s (44
        min left)``."""
        what = self.waiting_for or "the next answer"
        pause = f"{self.seconds:.0f}" if self.seconds >= 1 else f"{self.seconds:.1f}"
        text = f"waiting for {what}: next try in {pause} s"
        if self.left is not None:
            text += f" ({_duration(self.left)} left of the time bound)"
        return text


def _duration(seconds: float) -> str:
    """``44 min`` or ``50 s``: a time bound as a person reads it."""
    return f"{seconds / 60:.0f} min" if seconds >= 120 else f"{seconds:.0f} s"


@dataclass(frozen=True, slots=True)
class FailedJob:
    """A job that failed: its log's last lines and the known publish errors found in it."""

    name: str
    conclusion: str
    url: str | None
    log_tail: tuple[str, ...]
    symptoms: tuple[str, ...]
    log_problem: str | None = None


@dataclass(frozen=True, slots=True)
class IndexFile:
    """One file of the release on the index, and its attestations' publisher (``None``:
    no attestation; ``""``: attested, publisher not stated)."""

    filename: str
    packagetype: str
    attested_by: str | None = None


@dataclass(frozen=True, slots=True)
class WatchResult:
    """How the watch ended. ``stage`` is where: ``run`` (no run, or it failed), ``index``
    (the files), ``timeout``, ``api`` (GitHub or the index could not be asked), ``done``."""

    ok: bool
    stage: str
    summary: str
    run_url: str | None = None
    conclusion: str | None = None
    failed_jobs: tuple[FailedJob, ...] = ()
    files: tuple[IndexFile, ...] = ()
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        from release_assistant.core.support.terminal import safe_terminal_text

        # The summary names jobs and quotes answers; every adapter shows it as it is.
        object.__setattr__(self, "summary", safe_terminal_text(self.summary))

    @property
    def symptoms(self) -> tuple[str, ...]:
        """The known publish errors found in the failed jobs' logs, each once."""
        seen: dict[str, None] = {}
        for job in self.failed_jobs:
            seen.update(dict.fromkeys(job.symptoms))
        return tuple(seen)


Event = Progress | Wait | WatchResult


# --- the target --------------------------------------------------------------------------


def watch_target(ctx: RepoContext, tag: str, *, test_index: bool = False) -> WatchTarget:
    """What to follow for ``tag`` (a validated name) of the repository; :class:`WatchRefused`
    when origin is not on the GitHub host or the project has no name or version."""
    from release_assistant.core.git import GitProblem
    from release_assistant.core.git.state import local_tag_commit

    identity = ctx.identity
    remote = ctx.origin.on_github
    if remote is None:
        raise WatchRefused(
            f"origin is not a repository on {ctx.origin.github_host}: there is no workflow run "
            "to follow (set [tool.release-assistant.publisher] github_host for GitHub Enterprise)"
        )
    project = identity.project or ctx.config.publisher.project
    if not project:
        raise WatchRefused("pyproject.toml names no project: [project].name is needed")
    version = ctx.release.version
    if version is None:
        raise WatchRefused(f"no version for {tag}: the tag does not match the tag format")
    try:
        sha = local_tag_commit(ctx.root_dir, tag)
    except GitProblem:
        sha = None
    job = identity.testpypi_job if test_index else identity.pypi_job
    jobs = () if job is None else tuple(name for name in (job.id, job.name) if name)
    return WatchTarget(
        owner=remote.owner,
        repository=remote.repository,
        tag=tag,
        sha=sha,
        workflow_file=identity.workflow_file if identity.workflow is not None else None,
        publish_jobs=jobs,
        project=project,
        version=str(version),
        test_index=test_index,
        expected=expected_files(ctx, project, str(version)),
        web_host=remote.host,
    )


def prepare_watch(
    ctx: RepoContext, tag: str, *, test_index: bool = False
) -> tuple[WatchTarget, GitHubApi, IndexApi]:
    """The target and the two API clients (GitHub: the token from ``GH_TOKEN``/
    ``GITHUB_TOKEN``, sent only where :func:`~release_assistant.core.github_api.api_target`
    allows; the index: its own host, or ``RELEASE_ASSISTANT_INDEX_API_URL``).

    :class:`WatchRefused` when there is no token or it may not be sent to the API.
    """
    from release_assistant.core.github.api import GitHubApi, api_target, token_from
    from release_assistant.core.publisher.index_api import IndexApi
    from release_assistant.core.urls import index_api_url

    target = watch_target(ctx, tag, test_index=test_index)
    token = token_from(ctx.environ)
    if token is None:
        raise WatchRefused(
            "no GH_TOKEN or GITHUB_TOKEN: watch reads the run through GitHub's API (a token "
            f"with read access to Actions); meanwhile follow it on {target.actions_url}"
        )
    api = api_target(ctx.config.ci.api_url, target.web_host, ctx.environ)
    if api.refusal is not None:
        raise WatchRefused(api.refusal)
    return (
        target,
        GitHubApi(api.base_url, token, timeout=15.0),
        IndexApi(index_api_url(ctx.environ, test_index=test_index)),
    )


def expected_files(ctx: RepoContext, project: str, version: str) -> ExpectedFiles:
    """The wheels the index should have: ``dist/``'s wheels of this version when it has
    some; else one pure-Python wheel, unless the build compiles extensions."""
    from packaging.utils import (
        InvalidWheelFilename,
        canonicalize_name,
        canonicalize_version,
        parse_wheel_filename,
    )

    wanted = canonicalize_name(project)
    wheels: list[str] = []
    try:
        names = sorted(os.listdir(ctx.path("dist")))
    except OSError:
        names = []
    for filename in names:
        if not filename.endswith(".whl"):
            continue
        try:
            name, found, _, _ = parse_wheel_filename(filename)
        except InvalidWheelFilename:
            continue
        if name == wanted and canonicalize_version(found) == canonicalize_version(version):
            wheels.append(filename)
    if wheels:
        return ExpectedFiles(tuple(wheels), None, "as in dist/")
    backend = ""
    if ctx.pyproject is not None:
        system = ctx.pyproject.data.get("build-system")
        value = system.get("build-backend") if isinstance(system, dict) else None
        backend = value if isinstance(value, str) else ""
    compiles = next((b for b in _COMPILING_BACKENDS if backend.startswith(b)), None)
    marker = next((m for m in _EXTENSION_MARKERS if os.path.isfile(ctx.path(m))), None)
    if marker is None and _setup_py_builds_extensions(ctx):
        marker = "setup.py's ext_modules"
    if compiles is not None or marker is not None:
        why = f"build backend {backend}" if compiles else marker
        return ExpectedFiles((), None, f"{why} builds extensions")
    return ExpectedFiles(
        (),
        True,
        f"build backend {backend or 'setuptools (default)'}, no "
        "extension sources; dist/ has no wheel of this version to compare",
    )


def _setup_py_builds_extensions(ctx: RepoContext) -> bool:
    from release_assistant.core.support.confined import read_bytes_inside
    from release_assistant.core.support.textfiles import FileProblem

    try:
        text = read_bytes_inside(ctx.root_dir, "setup.py", "setup.py", "setup.py").decode(
            "utf-8", "replace"
        )
    except (FileProblem, OSError):
        return False
    return "ext_modules" in text or "Extension(" in text
