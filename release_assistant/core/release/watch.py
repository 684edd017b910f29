"""``watch``: follow a release from its workflow run to the files on the index.

After the GitHub release is published, :func:`watch` finds the workflow run the tag started
(GitHub Actions API: the runs of the tag's commit, on the tag, of the publishing workflow),
follows it with growing pauses and a bound on the total time, and then asks the index's JSON
API whether this version is there with one sdist and the wheels expected, and its integrity
API for the files' attestations. A failed run yields the failing jobs' log tails, matched
against the known publish errors of :mod:`~release_assistant.core.rules.publish_errors`.

Nothing here prints or sleeps: :func:`watch` is a generator of :class:`Progress` lines,
:class:`Wait` requests (the caller sleeps, or stops: Ctrl-C, a cancelled worker) and one
final :class:`WatchResult`. The clock is a parameter, so tests run without waiting.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from release_assistant.core.github.api import ApiProblem

if TYPE_CHECKING:
    from release_assistant.core.context import RepoContext
    from release_assistant.core.github.api import GitHubApi
    from release_assistant.core.publisher.index_api import IndexApi

#: Job conclusions that mean the job did not do its work.
FAILED = ("failure", "timed_out", "cancelled", "startup_failure", "action_required")
#: Problem kinds that a later poll may not have (the network, the API's load).
TRANSIENT = ("offline", "timeout", "rate-limited", "http")
#: Build backends that compile extensions: their wheels' tags are the CI's choice.
_COMPILING_BACKENDS = ("maturin", "scikit_build_core", "mesonpy", "pybind11", "py_build_cmake")
#: Files whose presence says "extension modules are built here".
_EXTENSION_MARKERS = ("Cargo.toml", "CMakeLists.txt", "meson.build")
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ")


class WatchRefused(Exception):
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
    """One line of progress."""

    message: str


@dataclass(frozen=True, slots=True)
class Wait:
    """The caller should wait ``seconds`` before asking for the next event."""

    seconds: float


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
    from release_assistant.core.support.textfiles import FileProblem, read_bytes

    try:
        text = read_bytes(ctx.path("setup.py"), "setup.py").decode("utf-8", "replace")
    except (FileProblem, OSError):
        return False
    return "ext_modules" in text or "Extension(" in text


# --- the watch ---------------------------------------------------------------------------


def watch(
    target: WatchTarget,
    github: GitHubApi,
    index: IndexApi,
    *,
    limits: Limits | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[Event]:
    """Follow ``target``'s run, then confirm its files on the index; the last event is the
    :class:`WatchResult`. Between polls it yields :class:`Wait`: the caller sleeps."""
    limits = limits or Limits()
    watcher = _Watcher(target, github, index, limits, clock)
    try:
        yield from watcher.run()
    except _Stop as stop:
        yield stop.result


class _Stop(Exception):
    def __init__(self, result: WatchResult) -> None:
        super().__init__(result.summary)
        self.result = result


class _Watcher:
    def __init__(
        self,
        target: WatchTarget,
        github: GitHubApi,
        index: IndexApi,
        limits: Limits,
        clock: Callable[[], float],
    ) -> None:
        self.target = target
        self.github = github
        self.index = index
        self.limits = limits
        self.clock = clock
        self.start = clock()
        self.pause = limits.first_pause
        self.run_url: str | None = None
        self.transient = ""

    # --- helpers

    def elapsed(self) -> float:
        return self.clock() - self.start

    def waits(self, *, changed: bool) -> Iterator[Event]:
        """One pause, growing while nothing changes; a timeout result past the bound."""
        self.pause = (
            self.limits.first_pause if changed else min(self.pause * 1.5, self.limits.max_pause)
        )
        left = self.limits.total - self.elapsed()
        if left <= 0:
            minutes = self.limits.total / 60
            raise _Stop(
                WatchResult(
                    ok=False,
                    stage="timeout",
                    summary=f"gave up after {minutes:g} min: the run has not finished; "
                    f"follow it on {self.run_url or self.target.actions_url}, then run "
                    f"`release-assistant watch {self.target.tag}` again",
                    run_url=self.run_url,
                )
            )
        yield Wait(min(self.pause, left))

    def ask(self, path: str, **params: str | int) -> Any | None:
        """GET from GitHub; ``None`` after a transient problem (said as progress by the
        caller), :class:`_Stop` after a lasting one."""
        self.github.fresh_deadline()
        try:
            return self.github.get(path, **params)
        except ApiProblem as problem:
            if problem.kind in TRANSIENT:
                self.transient = str(problem)
                return None
            raise _Stop(
                WatchResult(
                    ok=False,
                    stage="api",
                    summary=f"cannot ask GitHub about the run: {problem}" + _access_hint(problem),
                    run_url=self.run_url,
                )
            ) from None

    # --- stages

    def run(self) -> Iterator[Event]:
        target = self.target
        run = yield from self.find_run()
        run = yield from self.follow(run)
        conclusion = str(run.get("conclusion") or "")
        if conclusion != "success":
            yield from self.failed(run, conclusion)
            return
        jobs = self.jobs(run)
        skipped = [
            job for job in jobs if job.get("conclusion") == "skipped" and self.is_publish(job)
        ]
        if skipped:
            name = str(skipped[0].get("name"))
            yield WatchResult(
                ok=False,
                stage="run",
                summary=f"the run succeeded but its {target.index_name} publish job {name!r} "
                "was skipped: nothing was uploaded there"
                + (
                    " (a pre-release stops at TestPyPI? watch --test-index follows that)"
                    if not target.test_index
                    else ""
                ),
                run_url=self.run_url,
                conclusion=conclusion,
            )
            return
        yield Progress(
            f"run succeeded; asking {target.index_name} for {target.project} {target.version}"
        )
        yield from self.confirm_on_index(conclusion)

    def find_run(self) -> Generator[Event, None, dict[str, Any]]:
        target = self.target
        params: dict[str, str | int] = {"per_page": 50}
        if target.sha:
            params["head_sha"] = target.sha
        else:
            params["branch"] = target.tag
        what = f"the {target.workflow_file} run" if target.workflow_file else "a workflow run"
        yield Progress(f"looking for {what} of {target.tag} in {target.owner}/{target.repository}")
        while True:
            listing = self.ask(f"{target.api_path}/actions/runs", **params)
            if listing is None:
                yield Progress(f"GitHub did not answer ({self.transient}); trying again")
            else:
                runs = listing.get("workflow_runs") if isinstance(listing, dict) else None
                if not isinstance(runs, list):
                    raise _Stop(WatchResult(False, "api", "GitHub's list of runs is malformed"))
                found = [run for run in runs if isinstance(run, dict) and self.matches(run)]
                if found:
                    run = max(found, key=lambda r: (str(r.get("created_at", "")), _int(r, "id")))
                    self.run_url = str(run.get("html_url") or target.actions_url)
                    yield Progress(
                        f"found run {run.get('name') or run.get('id')} "
                        f"(#{run.get('run_number', '?')}, {run.get('event')}): "
                        f"{self.run_url}"
                    )
                    return run
            if self.elapsed() > self.limits.appear:
                raise _Stop(
                    WatchResult(
                        ok=False,
                        stage="run",
                        summary=f"no {what.split(' ', 1)[1]} for {target.tag} appeared "
                        f"within {self.limits.appear:g} s: is the GitHub release published "
                        f"(not a draft), and does the workflow trigger on it? "
                        f"{target.actions_url}",
                    )
                )
            yield from self.waits(changed=False)

    def matches(self, run: dict[str, Any]) -> bool:
        target = self.target
        if run.get("head_branch") != target.tag:
            return False  # a branch run of the same commit is not the release's
        if target.sha and run.get("head_sha") != target.sha:
            return False
        if target.workflow_file:
            path = str(run.get("path") or "").split("@", 1)[0]
            return path.rsplit("/", 1)[-1] == target.workflow_file
        return run.get("event") in ("release", "push", "workflow_dispatch")

    def is_publish(self, job: dict[str, Any]) -> bool:
        name = str(job.get("name") or "")
        # A matrix or reusable-workflow job is named "caller / called" or "name (x)".
        return any(
            name == wanted or name.startswith((f"{wanted} ", f"{wanted} /"))
            for wanted in self.target.publish_jobs
        )

    def follow(self, run: dict[str, Any]) -> Generator[Event, None, dict[str, Any]]:
        target = self.target
        run_path = f"{target.api_path}/actions/runs/{_int(run, 'id')}"
        shown_status = ""
        job_states: dict[str, str] = {}
        while True:
            status = str(run.get("status") or "")
            changed = False
            if status != shown_status:
                shown_status, changed = status, True
                yield Progress(_status_line(status, self.run_url))
            if status == "completed":
                return run
            for job in self.jobs(run) if status != "queued" else []:
                name = str(job.get("name") or job.get("id"))
                state = str(job.get("conclusion") or job.get("status") or "")
                if job_states.get(name) != state:
                    job_states[name] = state
                    changed = True
                    yield Progress(f"  job {name}: {state.replace('_', ' ')}")
            yield from self.waits(changed=changed)
            fresh = self.ask(run_path)
            if fresh is None:
                yield Progress(f"GitHub did not answer ({self.transient}); trying again")
            elif isinstance(fresh, dict):
                run = fresh

    def jobs(self, run: dict[str, Any]) -> list[dict[str, Any]]:
        path = f"{self.target.api_path}/actions/runs/{_int(run, 'id')}/jobs"
        listing = self.ask(path, per_page=100)
        jobs = listing.get("jobs") if isinstance(listing, dict) else None
        return [job for job in jobs if isinstance(job, dict)] if isinstance(jobs, list) else []

    def failed(self, run: dict[str, Any], conclusion: str) -> Iterator[Event]:
        from release_assistant.core.rules.publish_errors import symptoms_in

        failed: list[FailedJob] = []
        for job in self.jobs(run):
            job_conclusion = str(job.get("conclusion") or "")
            if job_conclusion not in FAILED:
                continue
            name = str(job.get("name") or job.get("id"))
            tail: tuple[str, ...] = ()
            symptoms: tuple[str, ...] = ()
            problem = None
            if job_conclusion in ("failure", "timed_out"):
                yield Progress(f"reading the log of job {name}")
                self.github.fresh_deadline()
                try:
                    log = self.github.get_text(
                        f"{self.target.api_path}/actions/jobs/{_int(job, 'id')}/logs"
                    )
                except ApiProblem as error:
                    problem = f"its log could not be read: {error}"
                else:
                    tail = log_tail(log, self.limits.log_lines)
                    symptoms = tuple(symptoms_in(log))
            failed.append(
                FailedJob(
                    name=name,
                    conclusion=job_conclusion,
                    url=str(job.get("html_url")) if job.get("html_url") else None,
                    log_tail=tail,
                    symptoms=symptoms,
                    log_problem=problem,
                )
            )
        names = ", ".join(f"{job.name} ({job.conclusion})" for job in failed) or "no job failed"
        yield WatchResult(
            ok=False,
            stage="run",
            summary=f"the run ended {conclusion or 'without a conclusion'}: {names}",
            run_url=self.run_url,
            conclusion=conclusion,
            failed_jobs=tuple(failed),
        )

    def confirm_on_index(self, conclusion: str) -> Iterator[Event]:
        from release_assistant.core.urls import release_json_url

        target = self.target
        url = release_json_url(self.index.base_url, target.project, target.version)
        index_start = self.elapsed()
        while True:
            try:
                page = self.index.get_json(url)
            except ApiProblem as problem:
                if problem.kind not in TRANSIENT:
                    raise _Stop(
                        WatchResult(False, "api", f"cannot read {url}: {problem}", self.run_url)
                    ) from None
                yield Progress(f"{self.index.host} did not answer ({problem}); trying again")
                page = None
            else:
                if page is not None:
                    break
                yield Progress(
                    f"{target.project} {target.version} is not on {target.index_name} yet"
                )
            if self.elapsed() - index_start > self.limits.index:
                raise _Stop(
                    WatchResult(
                        ok=False,
                        stage="index",
                        summary=f"the run succeeded, but {target.project} {target.version} "
                        f"is not on {target.index_name} after {self.limits.index:g} s: did "
                        f"the workflow publish to {target.index_name}? {self.run_url}",
                        run_url=self.run_url,
                        conclusion=conclusion,
                    )
                )
            yield from self.waits(changed=False)
        files, problems, notes = judge_files(page, target.expected)
        attested: list[IndexFile] = []
        for file in files:
            publisher, unknown = self.provenance(file.filename)
            if unknown is not None:
                yield Progress(f"attestations of {file.filename}: cannot tell ({unknown})")
            attested.append(IndexFile(file.filename, file.packagetype, publisher))
        problems += attestation_problems(attested, target)
        notes += attestation_notes(attested)
        ok = not problems
        count = f"{len(files)} file(s)"
        summary = f"{target.project} {target.version} is on {target.index_name}: {count}, " + (
            "as expected" if ok else "but " + "; ".join(problems)
        )
        yield WatchResult(
            ok=ok,
            stage="done" if ok else "index",
            summary=summary,
            run_url=self.run_url,
            conclusion=conclusion,
            files=tuple(attested),
            problems=tuple(problems),
            notes=tuple(notes),
        )

    def provenance(self, filename: str) -> tuple[str | None, str | None]:
        """The publisher of ``filename``'s attestations, or why it cannot be told."""
        from release_assistant.core.urls import provenance_url

        target = self.target
        url = provenance_url(self.index.base_url, target.project, target.version, filename)
        try:
            return publisher_of(self.index.get_json(url)), None
        except ApiProblem as problem:
            return None, str(problem)


def _int(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _status_line(status: str, url: str | None) -> str:
    if status == "waiting":
        return (
            "run waiting: a deployment environment needs a reviewer's approval "
            f"(approve it on {url})"
        )
    if status == "completed":
        return "run completed"
    return f"run {status.replace('_', ' ') or 'status unknown'}"


def _access_hint(problem: ApiProblem) -> str:
    if problem.kind in ("auth", "forbidden", "not-found"):
        return " (the token needs read access to the repository's Actions)"
    return ""


def log_tail(log: str, count: int) -> tuple[str, ...]:
    """The last ``count`` non-empty lines of a job log, GitHub's timestamps removed and
    credentials masked (GitHub masks its secrets, not a token a step printed itself)."""
    from release_assistant.core.redact import redact

    lines = [redact(_TIMESTAMP.sub("", line.rstrip())) for line in log.splitlines()]
    return tuple(line for line in lines if line.strip())[-count:]


def judge_files(page: Any, expected: ExpectedFiles) -> tuple[list[IndexFile], list[str], list[str]]:
    """The release's files on the index, what is wrong with them, and notes."""
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    urls = page.get("urls") if isinstance(page, dict) else None
    files = [
        IndexFile(str(entry.get("filename")), str(entry.get("packagetype")))
        for entry in (urls if isinstance(urls, list) else [])
        if isinstance(entry, dict) and isinstance(entry.get("filename"), str)
    ]
    problems: list[str] = []
    notes: list[str] = [f"expected {expected.describe()}"]
    yanked = [
        str(entry.get("filename"))
        for entry in (urls if isinstance(urls, list) else [])
        if isinstance(entry, dict) and entry.get("yanked")
    ]
    if yanked:
        problems.append(f"yanked: {', '.join(yanked)}")
    sdists = [f.filename for f in files if f.packagetype == "sdist"]
    wheels = [f.filename for f in files if f.packagetype == "bdist_wheel"]
    if len(sdists) != 1:
        problems.append("no sdist" if not sdists else f"{len(sdists)} sdists: {', '.join(sdists)}")
    if expected.wheels:
        missing = sorted(set(expected.wheels) - set(wheels))
        extra = sorted(set(wheels) - set(expected.wheels))
        if missing:
            problems.append(f"missing wheel(s): {', '.join(missing)}")
        if extra:
            notes.append(f"wheels not in dist/ here (built by CI): {', '.join(extra)}")
    elif not wheels:
        problems.append("no wheel")
    elif expected.pure:
        impure = []
        for wheel in wheels:
            try:
                tags = parse_wheel_filename(wheel)[3]
            except InvalidWheelFilename:
                impure.append(wheel)
                continue
            if not all(tag.abi == "none" and tag.platform == "any" for tag in tags):
                impure.append(wheel)
        if impure:
            problems.append(f"not a pure-Python wheel as expected: {', '.join(impure)}")
        elif len(wheels) > 1:
            notes.append(f"{len(wheels)} pure-Python wheels: {', '.join(wheels)}")
    return files, problems, notes


def publisher_of(answer: Any) -> str | None:
    """``kind owner/repo workflow (environment)`` of a provenance answer's first bundle;
    ``None`` when there is none (404, or no bundle)."""
    bundles = answer.get("attestation_bundles") if isinstance(answer, dict) else None
    if not isinstance(bundles, list) or not bundles:
        return None
    publisher = bundles[0].get("publisher") if isinstance(bundles[0], dict) else None
    if not isinstance(publisher, dict):
        return ""
    parts = [
        str(publisher.get(key)) for key in ("kind", "repository", "workflow") if publisher.get(key)
    ]
    if publisher.get("environment"):
        parts.append(f"(environment {publisher['environment']})")
    return " ".join(parts)


def attestation_problems(files: list[IndexFile], target: WatchTarget) -> list[str]:
    """A file attested by another repository than the one released from is a problem."""
    slug = f"{target.owner}/{target.repository}".lower()
    return [
        f"{file.filename} is attested by {file.attested_by}, not by {slug}"
        for file in files
        if file.attested_by
        and len(file.attested_by.split()) > 1
        and file.attested_by.split()[1].lower() != slug
    ]


def attestation_notes(files: list[IndexFile]) -> list[str]:
    """How many files carry attestations, by whom."""
    attested = [file for file in files if file.attested_by is not None]
    if not files:
        return []
    if not attested:
        return [
            "no attestations published (pypa/gh-action-pypi-publish >= 1.11 attests with "
            "trusted publishing by default)"
        ]
    publishers = sorted({file.attested_by or "an unnamed publisher" for file in attested})
    return [f"attestations: {len(attested)} of {len(files)} file(s), by {'; '.join(publishers)}"]


def result_lines(result: WatchResult) -> list[str]:
    """The outcome as plain lines (the CLI prints them, the walkthrough shows them): the
    verdict, each failed job's log tail, the fix of each known publish error from the rule
    registry, the files with their attestations, the notes."""
    from release_assistant.core.rules import explain

    lines = [("✔ " if result.ok else "✘ ") + result.summary]
    for job in result.failed_jobs:
        lines.append(f"job {job.name} ({job.conclusion})" + (f": {job.url}" if job.url else ""))
        if job.log_problem:
            lines.append(f"  {job.log_problem}")
        if job.log_tail:
            lines.append(f"  last {len(job.log_tail)} line(s) of its log:")
            lines += [f"  | {line}" for line in job.log_tail]
    for code in result.symptoms:
        rule = explain(code)
        if rule is None:
            continue
        lines += ["", f"known publish error {code}: {rule.title}", "fix:"]
        lines += [f"  {line}" for line in rule.fix.splitlines()]
        more = f"more: release-assistant explain {code}"
        lines.append(f"{more} · {rule.docs}" if rule.docs else more)
    if result.failed_jobs and not result.symptoms:
        lines.append(
            "no known publish error in the log (release-assistant explain --list names them)"
        )
    for file in result.files:
        attested = (
            "no attestation"
            if file.attested_by is None
            else f"attested by {file.attested_by or 'an unnamed publisher'}"
        )
        lines.append(f"  {file.packagetype:<11} {file.filename}  ({attested})")
    lines += [f"note: {note}" for note in result.notes]
    if result.run_url and not result.ok:
        lines.append(f"run: {result.run_url}")
    return lines
