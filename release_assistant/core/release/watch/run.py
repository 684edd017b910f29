"""The watch over the GitHub Actions API: the :func:`watch` generator and its state machine.

It finds the workflow run the tag started, follows it and its jobs with growing pauses and
a bound on the total time, reads the failed jobs' log tails, and then polls the index for
the release's files (judged by :mod:`.index`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any

from release_assistant.core.github.api import ApiProblem
from release_assistant.core.release.watch.index import (
    attestation_notes,
    attestation_problems,
    judge_files,
    publisher_of,
)
from release_assistant.core.release.watch.target import (
    Event,
    FailedJob,
    IndexFile,
    Limits,
    Progress,
    Wait,
    WatchResult,
    WatchTarget,
)
from release_assistant.core.support.errors import InternalError

if TYPE_CHECKING:
    from release_assistant.core.github.api import GitHubApi
    from release_assistant.core.publisher.index_api import IndexApi

#: Job conclusions that mean the job did not do its work.
FAILED = ("failure", "timed_out", "cancelled", "startup_failure", "action_required")
#: Problem kinds that a later poll may not have (the network, the API's load).
TRANSIENT = ("offline", "timeout", "rate-limited", "http")
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ")


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


class _Stop(InternalError):
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

    def waits(self, *, changed: bool, waiting_for: str) -> Iterator[Event]:
        """One pause, growing while nothing changes; a timeout result past the bound.
        ``waiting_for`` names what the next poll looks for (the front ends print it)."""
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
        yield Wait(min(self.pause, left), waiting_for, left)

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
            yield from self.waits(changed=False, waiting_for=f"{what} of {target.tag} to appear")

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
            yield from self.waits(changed=changed, waiting_for="the run to finish")
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
            yield from self.waits(
                changed=False,
                waiting_for=f"{target.project} {target.version} on {target.index_name}",
            )
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
    """The last ``count`` non-empty lines of a job log, GitHub's timestamps removed,
    credentials masked (GitHub masks its secrets, not a token a step printed itself) and
    terminal control characters made visible (a step's output can hold any bytes)."""
    from release_assistant.core.redact import redact
    from release_assistant.core.support.terminal import safe_terminal_text

    lines = [
        safe_terminal_text(redact(_TIMESTAMP.sub("", line.rstrip()))) for line in log.splitlines()
    ]
    return tuple(line for line in lines if line.strip())[-count:]
