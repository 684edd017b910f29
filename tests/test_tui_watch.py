"""The walkthrough's last step: the watch of the release run, driven with Pilot against
loopback GitHub and index servers (the same core watch as ``release-assistant watch``)."""

from __future__ import annotations

from pathlib import Path

from release_assistant.core.github.api import API_URL_VARIABLE
from release_assistant.core.release.watch import Limits
from release_assistant.core.rules import explain
from release_assistant.core.urls import INDEX_API_URL_VARIABLE
from release_assistant.tui.app import ReleaseAssistantApp
from release_assistant.tui.screens.dialogs import ConfirmScreen
from release_assistant.tui.step_list import State
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
from tests.test_tui import SIZE, TODAY, details, select, settle, states, walkthrough

RUNS = "/repos/o/r/actions/runs"
SDIST = "seed_package-0.1.1.tar.gz"
WHEEL = "seed_package-0.1.1-py3-none-any.whl"
LEAKED = "pypi-" + "AgEIcHlwaS5vcmcCJGE0ZjQ5"


def pushed(tmp_path: Path) -> Path:
    work, _ = github_repo(tmp_path)
    git(work, "tag", "-a", "v0.1.1", "-m", "v0.1.1")
    git(work, "push", "-q", "origin", "refs/tags/v0.1.1")
    return work


def app_for(work: Path, github: FakeGitHub, index: FakeGitHub, **extra: str) -> ReleaseAssistantApp:
    environ = {
        API_URL_VARIABLE: github.url,
        INDEX_API_URL_VARIABLE: index.url,
        "HOME": str(work.parent),
        **extra,
    }
    return ReleaseAssistantApp(work, today=TODAY, offer_setup=False, environ=environ)


async def test_publishing_starts_the_watch_and_it_confirms_the_files(tmp_path: Path) -> None:
    work = pushed(tmp_path)
    with serve_github() as github, serve_github() as index:
        github.route("GET", "/repos/o/r/releases", Answer([]))
        created = {"id": 1, "html_url": "https://github.com/o/r/releases/tag/v0.1.1"}
        github.route("POST", "/repos/o/r/releases", Answer(created, 201))
        github.route("GET", RUNS, Answer(workflow_runs([workflow_run(7, sha=head(work))])))
        github.route("GET", f"{RUNS}/7/jobs", Answer(run_jobs([run_job(1, "Publish to PyPI")])))
        index.route(
            "GET",
            "/pypi/seed-package/0.1.1/json",
            Answer(release_files("seed-package", "0.1.1", [SDIST, WHEEL])),
        )
        for name in (SDIST, WHEEL):
            index.route(
                "GET", f"/integrity/seed-package/0.1.1/{name}/provenance", Answer(provenance())
            )
        app = app_for(work, github, index, GH_TOKEN=TOKEN)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert states(app)["watch"] is State.PENDING
            await select(pilot, "watch")
            assert "is on origin: Enter follows its publishing run to the files" in details(app)
            await select(pilot, "publish")
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(pilot)
            assert states(app)["publish"] is State.PASS
            assert states(app)["watch"] is State.PASS, walkthrough(app).step("watch")
            await select(pilot, "watch")
            shown = details(app)
    assert "✔ seed-package 0.1.1 is on PyPI: 2 file(s), as expected" in shown
    assert f"{WHEEL}  (attested by GitHub o/r release.yml (environment pypi))" in shown
    assert "found run Release (#7, release)" in shown  # the progress lines are kept
    assert TOKEN not in shown
    assert index.requests[0]["path"] == "/pypi/seed-package/0.1.1/json"


async def test_a_failed_run_shows_the_log_tail_and_the_fix(tmp_path: Path) -> None:
    work = pushed(tmp_path)
    with serve_github() as github, serve_github() as index:
        failed = workflow_run(7, conclusion="failure", sha=head(work))
        github.route("GET", RUNS, Answer(workflow_runs([failed])))
        jobs = [
            run_job(1, "Build distributions"),
            run_job(2, "Publish to PyPI", conclusion="failure"),
        ]
        github.route("GET", f"{RUNS}/7/jobs", Answer(run_jobs(jobs)))
        log = "Trusted publishing exchange failure:\n* `invalid-publisher`: valid token, but no "
        log += "corresponding publisher\n##[error]Process completed with exit code 1.\n"
        log += f"echo {LEAKED}\n"  # a step that printed a token GitHub did not mask
        github.route("GET", "/repos/o/r/actions/jobs/2/logs", Answer(log.encode()))
        app = app_for(work, github, index, GITHUB_TOKEN=TOKEN)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            asked_by_checks = len(index.requests)  # the publisher check's question
            await select(pilot, "watch")
            await pilot.press("enter")
            await settle(pilot)
            assert states(app)["watch"] is State.FAIL
            shown = details(app)
    rule = explain("invalid-publisher")
    assert rule is not None
    assert "✘ the run ended failure: Publish to PyPI (failure)" in shown
    assert "| ##[error]Process completed with exit code 1." in shown
    assert f"known publish error invalid-publisher: {rule.title}" in shown
    assert rule.fix.splitlines()[0] in shown
    assert index.requests[asked_by_checks:] == []  # the watch asks nothing after a failure
    assert LEAKED not in shown and "| echo ***" in shown


async def test_without_a_token_the_step_says_so_and_asks_nothing(tmp_path: Path) -> None:
    work = pushed(tmp_path)
    with serve_github() as github, serve_github() as index:
        app = app_for(work, github, index)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            asked_by_checks = len(index.requests)  # the publisher check's question
            await select(pilot, "watch")
            await pilot.press("enter")
            await settle(pilot)
            assert states(app)["watch"] is State.PENDING
            assert "Refused: no GH_TOKEN or GITHUB_TOKEN" in details(app)
    assert github.requests == [] and index.requests[asked_by_checks:] == []


async def test_the_watch_lists_every_poll_and_its_time_bound(tmp_path: Path) -> None:
    """Never silent: each pause says what the next poll looks for and when it comes."""
    work = pushed(tmp_path)
    with serve_github() as github, serve_github() as index:
        found = workflow_runs([workflow_run(7, sha=head(work))])
        github.route("GET", RUNS, InTurn(Answer(workflow_runs([])), Answer(found)))
        github.route("GET", f"{RUNS}/7/jobs", Answer(run_jobs([run_job(1, "Publish to PyPI")])))
        index.route(
            "GET",
            "/pypi/seed-package/0.1.1/json",
            Answer(release_files("seed-package", "0.1.1", [SDIST, WHEEL])),
        )
        for name in (SDIST, WHEEL):
            index.route(
                "GET", f"/integrity/seed-package/0.1.1/{name}/provenance", Answer(provenance())
            )
        app = app_for(work, github, index, GH_TOKEN=TOKEN)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            walkthrough(app).watch_limits = Limits(total=120, first_pause=0.1, max_pause=0.2)
            await select(pilot, "watch")
            await pilot.press("enter")
            await settle(pilot)
            assert states(app)["watch"] is State.PASS, details(app)
            shown = details(app)
    assert "gives up after 2 min; every poll is listed below" in shown
    assert "waiting for the release.yml run of v0.1.1 to appear: next try in 0." in shown
