"""The facts the walkthrough reads on launch: whether GitHub has the tag's release is asked
(a loopback GitHub API), never remembered, and bounded in time (no Pilot: milliseconds to
seconds)."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

from release_assistant.core.engine import REGISTRY
from release_assistant.core.findings import CheckResult, Status
from release_assistant.core.github.api import API_URL_VARIABLE
from release_assistant.core.release.github import LOOKUP_TIMEOUT, look_up_release
from release_assistant.tui.core_calls import Session, release_facts
from release_assistant.tui.release_state import (
    Memory,
    ReleaseFacts,
    enabled,
    release_rows,
    status_line,
)
from release_assistant.tui.step_list import State, Step, build_steps, check_steps
from tests.conftest import git
from tests.github_support import TOKEN, Answer, github_repo, serve_github, silent_server

RELEASE_PAGE = "https://github.com/o/r/releases/tag/v0.1.1"
BY_TAG = "/repos/o/r/releases/tags/v0.1.1"


@pytest.fixture
def pushed(tmp_path: Path) -> Path:
    """The seed project (0.1.1) with tag v0.1.1 at HEAD and on origin (on GitHub by URL)."""
    work, _ = github_repo(tmp_path)
    git(work, "tag", "-a", "v0.1.1", "-m", "v0.1.1")
    git(work, "push", "-q", "origin", "refs/tags/v0.1.1")
    return work


def facts_of(root: Path, environ: dict[str, str]) -> ReleaseFacts:
    return release_facts(Session(root, environ={"HOME": str(root), **environ}).context())


def ready_steps() -> list[Step]:
    steps = build_steps(REGISTRY)
    for step in check_steps(steps):
        step.result = CheckResult(step.id, step.title, Status.PASS, blocking=True)
        step.state = State.PASS
    for step in steps:
        if step.id in ("commands", "build"):
            step.state = State.PASS
    return steps


def test_an_existing_release_passes_the_publish_row_on_launch(pushed: Path) -> None:
    """A relaunch after the release was published (here or on GitHub's page) shows it
    published: the row passes with the release's page, publish is off, watch is next."""
    with serve_github() as fake:
        fake.route("GET", BY_TAG, Answer({"id": 7, "tag_name": "v0.1.1", "html_url": RELEASE_PAGE}))
        facts = facts_of(pushed, {"GH_TOKEN": TOKEN, API_URL_VARIABLE: fake.url})
        asked = [r["path"] for r in fake.requests]
    assert asked == [BY_TAG]
    assert facts.release_url == RELEASE_PAGE and facts.release_problem is None
    steps = build_steps(REGISTRY)
    row = release_rows(steps, facts, Memory())["publish"]
    assert row == (State.PASS, "The GitHub release of v0.1.1 exists.", (RELEASE_PAGE,))
    assert not enabled("publish", steps, facts, Memory())
    assert enabled("watch", steps, facts, Memory())
    assert status_line(ready_steps(), facts, Memory())[1] == (
        "✔ v0.1.1 is published: next, enter on watch follows its run."
    )


def test_no_release_yet_keeps_publish_next(pushed: Path) -> None:
    with serve_github() as fake:  # no route: GitHub's 404 for a tag without a release
        facts = facts_of(pushed, {"GH_TOKEN": TOKEN, API_URL_VARIABLE: fake.url})
        assert [r["path"] for r in fake.requests] == [BY_TAG]
    assert facts.release_url is None and facts.release_problem is None
    steps = build_steps(REGISTRY)
    assert release_rows(steps, facts, Memory())["publish"][0] is State.PENDING
    assert enabled("publish", steps, facts, Memory())
    assert status_line(ready_steps(), facts, Memory())[1] == (
        "✔ v0.1.1 is on origin: next, publish the GitHub release (publish row)."
    )


def test_github_is_not_asked_without_a_token_or_before_the_push(
    pushed: Path, tmp_path: Path
) -> None:
    with serve_github() as fake:
        no_token = facts_of(pushed, {API_URL_VARIABLE: fake.url})
        (tmp_path / "other").mkdir()
        unpushed, _ = github_repo(tmp_path / "other")
        git(unpushed, "tag", "-a", "v0.1.1", "-m", "v0.1.1")
        not_on_origin = facts_of(unpushed, {"GH_TOKEN": TOKEN, API_URL_VARIABLE: fake.url})
        assert fake.requests == []
    assert no_token.tag_on_origin is True and no_token.release_url is None
    assert not_on_origin.tag_on_origin is False and not_on_origin.release_url is None


def test_github_that_does_not_answer_is_bounded_and_said_on_the_row(pushed: Path) -> None:
    with silent_server() as url:
        started = time.monotonic()
        facts = facts_of(pushed, {"GH_TOKEN": TOKEN, API_URL_VARIABLE: url})
        took = time.monotonic() - started
    assert took < LOOKUP_TIMEOUT + 3, took  # the lookup's bound, plus git's own work
    assert facts.release_url is None
    assert facts.release_problem is not None and "cannot ask GitHub about v0.1.1" in str(
        facts.release_problem
    )
    assert TOKEN not in facts.release_problem
    view = release_rows(build_steps(REGISTRY), facts, Memory())["publish"]
    assert view[0] is State.PENDING
    assert any("Cannot tell whether it exists already" in line for line in view[2])


def test_look_up_release_refuses_an_origin_off_github(pushed: Path) -> None:
    git(pushed, "remote", "set-url", "origin", "https://example.invalid/o/r.git")
    ctx = Session(pushed, environ={"HOME": str(pushed)}).context()
    found = look_up_release(ctx, "v0.1.1", TOKEN)
    assert found.exists is None and found.reason is not None
    assert "origin is not a repository on github.com" in found.reason


def test_a_release_seen_on_github_overrides_nothing_the_session_knows() -> None:
    """Published in this session and seen on GitHub read the same; a watch that ended
    still decides the status line."""
    facts = ReleaseFacts(
        "1.2.3", "v1.2.3", "a" * 40, "a" * 40, "https://example.invalid/new", None,
        tag_on_origin=True, release_url="https://example.invalid/o/r/releases/tag/v1.2.3",
    )  # fmt: skip
    steps = ready_steps()
    unseen = dataclasses.replace(facts, release_url=None)
    here = status_line(steps, unseen, Memory(published=True))
    assert status_line(steps, facts, Memory()) == here
    assert status_line(steps, facts, Memory(watched=False))[0] == "-blocked"
