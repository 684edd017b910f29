"""Snapshots of the walkthrough's dialogs and the watch, at 80x24 and 120x40 (issue 25, item
6: "80x24 first. Nothing is cut"): the bump menu, the tag, push and publish confirmations,
and the watch's outcome.

Deterministic by construction: fixed dates (``today=`` and the fixed git dates of
``isolated_git``, so commit hashes do not change), the repository at ``tmp_path/work`` (only
``work`` is shown), GitHub's identity ``o/r`` by its URL (the loopback server's port is never
shown), no toast, and every picture is taken once "checking…" was replaced by the plan.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from release_assistant.core.github.api import API_URL_VARIABLE
from release_assistant.core.urls import INDEX_API_URL_VARIABLE
from release_assistant.tui.app import ReleaseAssistantApp
from release_assistant.tui.screens.dialogs import CHECKING, BumpScreen, ConfirmScreen
from release_assistant.tui.step_list import State
from tests.conftest import git
from tests.git_support import make_origin_repo
from tests.github_support import (
    TOKEN,
    Answer,
    FakeGitHub,
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
from tests.test_tui import (
    TODAY,
    buildable_seed,
    make_app,
    run_pre_release_steps,
    select,
    settle,
    states,
    text_of,
)

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])

RUNS = "/repos/o/r/actions/runs"
SDIST = "seed_package-0.1.1.tar.gz"
WHEEL = "seed_package-0.1.1-py3-none-any.whl"

Before = Callable[[Pilot[Any]], Awaitable[None]]


async def still(pilot: Pilot[Any]) -> None:
    """Nothing moves when the picture is taken: no toast, no blinking cursor."""
    await settle(pilot)
    pilot.app.clear_notifications()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def shown_plan(pilot: Pilot[Any]) -> str:
    """The open confirmation dialog's body: the plan, never "checking…"."""
    screen = pilot.app.screen
    assert isinstance(screen, ConfirmScreen), screen
    assert screen.ready, "the plan was not shown yet"
    text = text_of(screen.query_one("#dialog-text", Static))
    assert CHECKING not in text, text
    return text


def ready_repo(tmp_path: Path) -> Path:
    """The seed project, every blocking check passing, on a local bare origin."""
    work, _ = make_origin_repo(tmp_path, buildable_seed(), workflow=True)
    return work


def pushed(tmp_path: Path) -> Path:
    """A GitHub repository (``o/r``) whose tag v0.1.1 is on origin."""
    work, _ = github_repo(tmp_path)
    git(work, "tag", "-a", "v0.1.1", "-m", "v0.1.1")
    git(work, "push", "-q", "origin", "refs/tags/v0.1.1")
    return work


def github_app(work: Path, github: FakeGitHub, index: FakeGitHub) -> ReleaseAssistantApp:
    """The walkthrough with a token, asking the loopback servers (never a real API)."""
    environ = {
        "GH_TOKEN": TOKEN,
        API_URL_VARIABLE: github.url,
        INDEX_API_URL_VARIABLE: index.url,
        "HOME": str(work.parent),
    }
    return ReleaseAssistantApp(work, today=TODAY, offer_setup=False, environ=environ)


@SIZES
def test_bump_menu_snapshot(tmp_path: Path, snap_compare: Any, size: Any) -> None:
    async def open_bump(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, BumpScreen) and screen.current is not None
        await still(pilot)

    assert snap_compare(make_app(ready_repo(tmp_path)), terminal_size=size, run_before=open_bump)


@SIZES
def test_bump_diff_snapshot(tmp_path: Path, snap_compare: Any, size: Any) -> None:
    """The bump's confirmation: the diff of every file it writes (it scrolls at 80x24)."""

    async def open_diff(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # patch
        await settle(pilot)
        assert '+version = "0.1.2"' in shown_plan(pilot)
        await still(pilot)

    assert snap_compare(make_app(ready_repo(tmp_path)), terminal_size=size, run_before=open_diff)


async def open_tag(pilot: Pilot[Any]) -> None:
    """Run the pre-release steps, then open the tag dialog on the tag row."""
    await settle(pilot)
    await run_pre_release_steps(pilot)
    assert states(pilot.app)["build"] is State.PASS  # type: ignore[arg-type]
    await select(pilot, "tag")
    await pilot.press("t")
    await settle(pilot)
    assert "git tag -a v0.1.1" in shown_plan(pilot)
    await still(pilot)


@SIZES
def test_tag_dialog_snapshot(tmp_path: Path, snap_compare: Any, size: Any) -> None:
    assert snap_compare(make_app(ready_repo(tmp_path)), terminal_size=size, run_before=open_tag)


@SIZES
def test_push_dialog_snapshot(tmp_path: Path, snap_compare: Any, size: Any) -> None:
    async def open_push(pilot: Pilot[Any]) -> None:
        await open_tag(pilot)
        await pilot.press("y")  # the tag is made; the push is offered at once
        await settle(pilot)
        assert "git push origin refs/tags/v0.1.1" in shown_plan(pilot)
        await still(pilot)

    assert snap_compare(make_app(ready_repo(tmp_path)), terminal_size=size, run_before=open_push)


@SIZES
def test_publish_dialog_snapshot(tmp_path: Path, snap_compare: Any, size: Any) -> None:
    async def open_publish(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await select(pilot, "publish")
        await pilot.press("enter")
        await settle(pilot)
        assert "The release notes (its body):" in shown_plan(pilot)
        await still(pilot)

    work = pushed(tmp_path)
    with serve_github() as github, serve_github() as index:
        github.route("GET", "/repos/o/r/releases", Answer([]))
        app = github_app(work, github, index)
        assert snap_compare(app, terminal_size=size, run_before=open_publish)
        assert [r for r in github.requests if r["method"] == "POST"] == []  # only shown


@SIZES
def test_watch_snapshot(tmp_path: Path, snap_compare: Any, size: Any) -> None:
    async def watch(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await select(pilot, "watch")
        await pilot.press("enter")
        await settle(pilot)
        assert states(pilot.app)["watch"] is State.PASS  # type: ignore[arg-type]
        await still(pilot)

    work = pushed(tmp_path)
    with serve_github() as github, serve_github() as index:
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
        assert snap_compare(github_app(work, github, index), terminal_size=size, run_before=watch)
