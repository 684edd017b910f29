"""``watch``: a release followed from its workflow run to the files on the index.

Real repositories whose origin is ``https://github.com/o/r.git``; two loopback servers, one
answering as GitHub's Actions API and one as the index's JSON and integrity APIs, with
answers of the shapes they document; the real CLI (and a real interpreter for Ctrl-C). The
core generator runs on a fake clock: no test waits for a pause.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from release_assistant.cli import main
from release_assistant.core.context import RepoContext
from release_assistant.core.github.api import API_URL_VARIABLE, GitHubApi
from release_assistant.core.publisher.index_api import IndexApi
from release_assistant.core.release.watch import (
    ExpectedFiles,
    Limits,
    Progress,
    Wait,
    WatchResult,
    watch,
    watch_target,
)
from release_assistant.core.release.watch.index import judge_files
from release_assistant.core.release.watch.target import expected_files
from release_assistant.core.rules import explain
from release_assistant.core.urls import INDEX_API_URL_VARIABLE
from tests.conftest import git
from tests.github_support import (
    TOKEN,
    Answer,
    FakeGitHub,
    InTurn,
    github_repo,
    head,
    provenance,
    release_files,
    run_job,
    run_jobs,
    serve_github,
    workflow_run,
    workflow_runs,
)

RUNS = "/repos/o/r/actions/runs"
SDIST = "seed_package-0.1.1.tar.gz"
WHEEL = "seed_package-0.1.1-py3-none-any.whl"
RELEASE_JSON = "/pypi/seed-package/0.1.1/json"
JOBS_OK = [
    run_job(11, "Tests and metadata"),
    run_job(12, "Build distributions"),
    run_job(13, "Publish to TestPyPI"),
    run_job(14, "Publish to PyPI"),
]


class Clock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def servers(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeGitHub, FakeGitHub]]:
    """(GitHub, index), both on loopback, both set in the environment with a token."""
    with serve_github() as github, serve_github() as index:
        monkeypatch.setenv(API_URL_VARIABLE, github.url)
        monkeypatch.setenv(INDEX_API_URL_VARIABLE, index.url)
        monkeypatch.setenv("GH_TOKEN", TOKEN)
        yield github, index


@pytest.fixture
def tagged(tmp_path: Path) -> Path:
    """The seed project (seed-package 0.1.1, workflow release.yml) tagged v0.1.1."""
    work, _ = github_repo(tmp_path)
    git(work, "tag", "-a", "v0.1.1", "-m", "v0.1.1")
    return work


def on_index(index: FakeGitHub, files: list[str], attested: bool = True) -> None:
    index.route("GET", RELEASE_JSON, Answer(release_files("seed-package", "0.1.1", files)))
    for name in files if attested else []:
        index.route("GET", f"/integrity/seed-package/0.1.1/{name}/provenance", Answer(provenance()))


def succeeded(github: FakeGitHub, sha: str, jobs: list[dict[str, object]] = JOBS_OK) -> None:
    github.route("GET", RUNS, Answer(workflow_runs([workflow_run(7, sha=sha)])))
    github.route("GET", f"{RUNS}/7/jobs", Answer(run_jobs(list(jobs))))


def drive(
    root: Path, github: FakeGitHub, index: FakeGitHub, limits: Limits
) -> tuple[list[str], list[float], WatchResult]:
    """Run the core watch on a fake clock: the progress lines, the pauses, the result."""
    ctx = RepoContext.load(root)
    target = watch_target(ctx, "v0.1.1")
    clock = Clock()
    lines: list[str] = []
    pauses: list[float] = []
    result = None
    for event in watch(
        target, GitHubApi(github.url, TOKEN), IndexApi(index.url), limits=limits, clock=clock
    ):
        if isinstance(event, Wait):
            pauses.append(event.seconds)
            clock.now += event.seconds
        elif isinstance(event, Progress):
            lines.append(event.message)
        else:
            assert result is None, "one result, last"
            result = event
    assert isinstance(result, WatchResult)
    return lines, pauses, result


def run_watch(root: Path, *args: str) -> int:
    return main(["watch", *args, "--repo", str(root)])


def test_a_published_release_is_confirmed_with_its_attestations(
    tagged: Path,
    servers: tuple[FakeGitHub, FakeGitHub],
    capsys: pytest.CaptureFixture[str],
) -> None:
    github, index = servers
    sha = head(tagged)
    github.route(
        "GET",
        RUNS,
        Answer(
            workflow_runs(
                [
                    # The same commit's run on main, and a CI workflow on the tag: not the release.
                    workflow_run(5, sha=sha, branch="main", event="push"),
                    workflow_run(6, sha=sha, path=".github/workflows/ci.yml", event="push"),
                    workflow_run(7, sha=sha),
                ]
            )
        ),
    )
    github.route("GET", f"{RUNS}/7/jobs", Answer(run_jobs(JOBS_OK)))
    on_index(index, [SDIST, WHEEL])
    assert run_watch(tagged) == 0
    out, err = capsys.readouterr()
    assert "found run Release (#7, release): https://github.com/o/r/actions/runs/7" in out
    assert "✔ seed-package 0.1.1 is on PyPI: 2 file(s), as expected" in out
    assert f"bdist_wheel {WHEEL}  (attested by GitHub o/r release.yml (environment pypi))" in out
    assert "expected one sdist and one pure-Python wheel" in out
    assert TOKEN not in out + err
    listing = next(r for r in github.requests if r["path"] == RUNS)
    assert listing["query"]["head_sha"] == [sha]
    assert all(r["headers"]["Authorization"] == f"Bearer {TOKEN}" for r in github.requests)
    # The index gets no credential, and is asked for exactly this release and its files.
    assert not any("Authorization" in r["headers"] for r in index.requests)
    assert [r["path"] for r in index.requests] == [
        RELEASE_JSON,
        f"/integrity/seed-package/0.1.1/{SDIST}/provenance",
        f"/integrity/seed-package/0.1.1/{WHEEL}/provenance",
    ]


LOG_PREFIX = "2026-03-20T10:01:02.1234567Z "


@pytest.mark.parametrize(
    ("log", "code"),
    [
        (
            "Trusted publishing exchange failure:\n"
            "Token request failed: the server refused the request for the following reasons:\n"
            "* `invalid-publisher`: valid token, but no corresponding publisher (Publisher "
            "with matching claims was not found)",
            "invalid-publisher",
        ),
        (
            "Trusted publishing exchange failure:\nOpenID Connect token retrieval failed: "
            "GitHub: missing or insufficient OIDC token permissions, the "
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable was unset",
            "missing-id-token",
        ),
        (
            "Uploading seed_package-0.1.1.tar.gz\nERROR    HTTPError: 400 Bad Request from "
            "https://upload.example.invalid/legacy/\n         File already exists "
            "('seed_package-0.1.1.tar.gz', with blake2_256 hash 'abc').",
            "file-already-exists",
        ),
        (
            "ERROR    HTTPError: 400 Bad Request\n         Non-user identities cannot create "
            "new projects. This was probably caused by successfully using a pending publisher "
            "but specifying the project name incorrectly",
            "non-user-identities",
        ),
    ],
    ids=["invalid-publisher", "id-token", "file-exists", "new-project"],
)
def test_a_failed_publish_shows_the_log_tail_and_the_fix(
    tagged: Path,
    servers: tuple[FakeGitHub, FakeGitHub],
    capsys: pytest.CaptureFixture[str],
    log: str,
    code: str,
) -> None:
    github, index = servers
    github.route(
        "GET",
        RUNS,
        Answer(workflow_runs([workflow_run(7, conclusion="failure", sha=head(tagged))])),
    )
    jobs = [*JOBS_OK[:3], run_job(14, "Publish to PyPI", conclusion="failure")]
    github.route("GET", f"{RUNS}/7/jobs", Answer(run_jobs(jobs)))
    # GitHub answers the logs request with a redirect to its storage; no token goes there.
    github.route(
        "GET",
        "/repos/o/r/actions/jobs/14/logs",
        Answer(b"", 302, {"Location": f"{github.url}/storage/job-14.txt"}),
    )
    lines = [
        "##[group]Run pypa/gh-action-pypi-publish",
        *log.splitlines(),
        "##[error]Process completed with exit code 1.",
    ]
    text = "\n".join(LOG_PREFIX + line for line in lines)
    github.route(
        "GET", "/storage/job-14.txt", Answer(text.encode(), headers={"Content-Type": "text/plain"})
    )
    assert run_watch(tagged) == 1
    out, err = capsys.readouterr()
    rule = explain(code)
    assert rule is not None
    assert "✘ the run ended failure: Publish to PyPI (failure)" in out
    assert "  | ##[error]Process completed with exit code 1." in out
    assert LOG_PREFIX not in out  # GitHub's timestamps are dropped from the tail
    assert f"known publish error {code}: {rule.title}" in out
    assert f"  {rule.fix.splitlines()[0]}" in out
    assert index.requests == []  # a failed run is not looked for on the index
    storage = next(r for r in github.requests if r["path"] == "/storage/job-14.txt")
    assert "Authorization" not in storage["headers"]
    assert TOKEN not in out + err


def test_the_run_is_followed_with_growing_pauses_until_the_files_appear(
    tagged: Path, servers: tuple[FakeGitHub, FakeGitHub]
) -> None:
    github, index = servers
    sha = head(tagged)
    github.route(
        "GET",
        RUNS,
        InTurn(
            Answer(workflow_runs([])), Answer(workflow_runs([workflow_run(7, "queued", sha=sha)]))
        ),
    )
    github.route(
        "GET",
        f"{RUNS}/7",
        InTurn(
            *[Answer(workflow_run(7, "in_progress", sha=sha))] * 6,
            Answer(workflow_run(7, "waiting", sha=sha)),
            Answer(workflow_run(7, sha=sha)),
        ),
    )
    github.route(
        "GET",
        f"{RUNS}/7/jobs",
        InTurn(
            *[Answer(run_jobs([run_job(12, "Build distributions", "in_progress")]))] * 6,
            Answer(run_jobs([run_job(12, "Build distributions")])),
            Answer(run_jobs(JOBS_OK)),
        ),
    )
    index.route(
        "GET",
        RELEASE_JSON,
        InTurn(
            Answer({"message": "Not Found"}, 404),
            Answer(release_files("seed-package", "0.1.1", [SDIST, WHEEL])),
        ),
    )
    lines, pauses, result = drive(tagged, github, index, Limits(first_pause=4, max_pause=10))
    assert result.ok, result
    assert result.stage == "done"
    assert lines[:3] == [
        "looking for the release.yml run of v0.1.1 in o/r",
        "found run Release (#7, release): https://github.com/o/r/actions/runs/7",
        "run queued",
    ]
    assert "run in progress" in lines
    assert "  job Build distributions: in progress" in lines
    assert "  job Build distributions: success" in lines
    assert any(line.startswith("run waiting: a deployment environment needs") for line in lines)
    assert "seed-package 0.1.1 is not on PyPI yet" in lines
    # Pauses grow while nothing changes (x1.5, capped) and start over after a change.
    assert pauses[:2] == [6.0, 4.0]
    assert ", 4.0, 6.0, 9.0, 10.0, 10.0, " in repr([float(p) for p in pauses])
    assert max(pauses) == 10.0
    assert result.notes[-1].startswith("no attestations published")


def test_every_pause_says_what_it_waits_for_and_when_it_asks_again(
    tagged: Path, servers: tuple[FakeGitHub, FakeGitHub]
) -> None:
    """The front ends print each pause (the CLI, the walkthrough's watch row): what the next
    poll looks for, when it comes, and how much of the time bound is left."""
    github, index = servers
    sha = head(tagged)
    github.route(
        "GET",
        RUNS,
        InTurn(Answer(workflow_runs([])), Answer(workflow_runs([workflow_run(7, sha=sha)]))),
    )
    github.route("GET", f"{RUNS}/7/jobs", Answer(run_jobs(JOBS_OK)))
    index.route(
        "GET",
        RELEASE_JSON,
        InTurn(
            Answer({"message": "Not Found"}, 404),
            Answer(release_files("seed-package", "0.1.1", [SDIST, WHEEL])),
        ),
    )
    target = watch_target(RepoContext.load(tagged), "v0.1.1")
    clock = Clock()
    waits: list[Wait] = []
    limits = Limits(total=600, first_pause=4, max_pause=10)
    for event in watch(
        target, GitHubApi(github.url, TOKEN), IndexApi(index.url), limits=limits, clock=clock
    ):
        if isinstance(event, Wait):
            waits.append(event)
            clock.now += event.seconds
    assert [wait.line() for wait in waits] == [
        "waiting for the release.yml run of v0.1.1 to appear: next try in 6 s "
        "(10 min left of the time bound)",
        "waiting for seed-package 0.1.1 on PyPI: next try in 9 s (10 min left of the time bound)",
    ]


def test_it_gives_up_at_the_time_bound(
    tagged: Path, servers: tuple[FakeGitHub, FakeGitHub]
) -> None:
    github, index = servers
    sha = head(tagged)
    github.route("GET", RUNS, Answer(workflow_runs([workflow_run(7, "in_progress", sha=sha)])))
    github.route("GET", f"{RUNS}/7", Answer(workflow_run(7, "in_progress", sha=sha)))
    github.route("GET", f"{RUNS}/7/jobs", Answer(run_jobs([])))
    _, pauses, result = drive(tagged, github, index, Limits(total=120, max_pause=30))
    assert not result.ok
    assert result.stage == "timeout"
    assert "gave up after 2 min" in result.summary
    assert "release-assistant watch v0.1.1" in result.summary
    assert sum(pauses) == pytest.approx(120)


def test_no_run_for_the_tag_says_what_to_check(
    tagged: Path, servers: tuple[FakeGitHub, FakeGitHub]
) -> None:
    github, index = servers
    # Only a run of another tag of the same workflow exists.
    github.route("GET", RUNS, Answer(workflow_runs([workflow_run(3, branch="v0.1.0")])))
    _, pauses, result = drive(tagged, github, index, Limits(appear=30))
    assert (result.ok, result.stage) == (False, "run")
    assert "no release.yml run for v0.1.1 appeared within 30 s" in result.summary
    assert "not a draft" in result.summary
    assert sum(pauses) <= 40


def test_a_skipped_publish_job_is_reported_at_once(
    tagged: Path, servers: tuple[FakeGitHub, FakeGitHub]
) -> None:
    github, index = servers
    jobs = [*JOBS_OK[:3], run_job(14, "Publish to PyPI", conclusion="skipped")]
    succeeded(github, head(tagged), jobs)
    _, _, result = drive(tagged, github, index, Limits())
    assert (result.ok, result.stage) == (False, "run")
    assert "publish job 'Publish to PyPI' was skipped" in result.summary
    assert index.requests == []


def test_a_refused_token_is_one_clear_failure(
    tagged: Path, servers: tuple[FakeGitHub, FakeGitHub], capsys: pytest.CaptureFixture[str]
) -> None:
    github, _ = servers
    github.route("GET", RUNS, Answer({"message": "Bad credentials"}, 401))
    assert run_watch(tagged) == 1
    out, err = capsys.readouterr()
    assert (
        "✘ cannot ask GitHub about the run: GitHub refused the token: 401 (Bad credentials)" in out
    )
    assert "read access to the repository's Actions" in out
    assert TOKEN not in out + err


def test_usage_errors_are_one_line_and_exit_2(
    tagged: Path,
    tmp_path: Path,
    servers: tuple[FakeGitHub, FakeGitHub],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    github, _ = servers
    monkeypatch.delenv("GH_TOKEN")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    assert run_watch(tagged) == 2
    _, err = capsys.readouterr()
    assert err.count("\n") == 1
    assert "no GH_TOKEN or GITHUB_TOKEN" in err and "https://github.com/o/r/actions" in err
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    assert run_watch(tagged, "--timeout", "0") == 2
    assert run_watch(tagged, "v1..2") == 2
    git(tagged, "remote", "set-url", "origin", "https://gitlab.example.invalid/o/r.git")
    assert run_watch(tagged) == 2
    _, err = capsys.readouterr()
    assert "origin is not a repository on github.com" in err
    assert github.requests == []


@pytest.mark.parametrize(
    ("files", "expected", "problem"),
    [
        ([SDIST, WHEEL], ExpectedFiles(), None),
        ([SDIST], ExpectedFiles(), "no wheel"),
        ([WHEEL], ExpectedFiles(), "no sdist"),
        (
            [SDIST, "seed_package-0.1.1-cp312-cp312-manylinux_2_17_x86_64.whl"],
            ExpectedFiles(),
            "not a pure-Python wheel as expected",
        ),
        (
            [SDIST, "seed_package-0.1.1-cp312-cp312-manylinux_2_17_x86_64.whl"],
            ExpectedFiles(pure=None),
            None,
        ),
        (
            [SDIST, WHEEL],
            ExpectedFiles(("seed_package-0.1.1-cp312-cp312-win_amd64.whl",), None, "dist/"),
            "missing wheel(s): seed_package-0.1.1-cp312-cp312-win_amd64.whl",
        ),
    ],
    ids=["pure", "no-wheel", "no-sdist", "platform-for-pure", "platform-expected", "dist"],
)
def test_the_files_are_judged_against_what_was_expected(
    files: list[str], expected: ExpectedFiles, problem: str | None
) -> None:
    _, problems, _ = judge_files(release_files("seed-package", "0.1.1", files), expected)
    if problem is None:
        assert problems == []
    else:
        assert any(p.startswith(problem) for p in problems), problems


def test_the_expectation_comes_from_dist_or_the_build(tagged: Path) -> None:
    ctx = RepoContext.load(tagged)
    assert expected_files(ctx, "seed-package", "0.1.1").pure is True  # hatchling, no sources
    (tagged / "Cargo.toml").write_text("[package]\n", encoding="utf-8")
    assert expected_files(ctx, "seed-package", "0.1.1").pure is None
    (tagged / "dist").mkdir()
    (tagged / "dist" / "seed_package-0.1.1-cp312-abi3-win_amd64.whl").write_bytes(b"")
    (tagged / "dist" / "seed_package-0.1.0-py3-none-any.whl").write_bytes(b"")  # old: ignored
    found = expected_files(ctx, "Seed.Package", "0.1.1")
    assert found.wheels == ("seed_package-0.1.1-cp312-abi3-win_amd64.whl",)


def test_a_file_attested_by_another_repository_is_a_problem(
    tagged: Path, servers: tuple[FakeGitHub, FakeGitHub]
) -> None:
    github, index = servers
    succeeded(github, head(tagged))
    on_index(index, [SDIST], attested=False)
    index.route("GET", RELEASE_JSON, Answer(release_files("seed-package", "0.1.1", [SDIST, WHEEL])))
    index.route(
        "GET",
        f"/integrity/seed-package/0.1.1/{WHEEL}/provenance",
        Answer(provenance(repository="mallory/r")),
    )
    _, _, result = drive(tagged, github, index, Limits())
    assert not result.ok
    assert f"{WHEEL} is attested by GitHub mallory/r release.yml" in result.summary
    assert "attestations: 1 of 2 file(s)" in result.notes[-1]


def test_ctrl_c_stops_cleanly_with_where_to_look(
    tagged: Path, servers: tuple[FakeGitHub, FakeGitHub]
) -> None:
    github, _ = servers
    sha = head(tagged)
    github.route("GET", RUNS, Answer(workflow_runs([workflow_run(7, "in_progress", sha=sha)])))
    github.route("GET", f"{RUNS}/7", Answer(workflow_run(7, "in_progress", sha=sha)))
    github.route("GET", f"{RUNS}/7/jobs", Answer(run_jobs([])))
    process = subprocess.Popen(
        [sys.executable, "-m", "release_assistant", "watch", "--repo", str(tagged)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
        # As from a terminal: a test run started in the background inherits an ignored
        # SIGINT, and Python then never raises KeyboardInterrupt.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdout is not None
    try:
        for line in process.stdout:
            if line.startswith("run in progress"):
                break
        process.send_signal(signal.SIGINT)
        try:
            out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            pytest.fail(f"watch did not stop within 30 s of Ctrl-C:\n{out}\n{err}")
    finally:
        process.kill()
    assert process.returncode == 130
    assert "Traceback" not in err
    assert "stopped watching; the run goes on on GitHub: https://github.com/o/r/actions" in err
    assert TOKEN not in out + err
