"""The release in one go from the walkthrough (``S``): core's ship plan, shown, confirmed
once and run with live progress, on real repositories with a bare origin.

The Pilot tests press the keys a maintainer presses and then look at both repositories, as
``tests/test_ship.py`` does for the command; the unit tests drive the progress model
(:class:`~release_assistant.tui.step_list.ShipRun`) without a screen.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.widgets import Button, OptionList, Static

from release_assistant.core.release.plan import Action, Plan
from release_assistant.tui import core_calls
from release_assistant.tui.app import ReleaseAssistantApp
from release_assistant.tui.messages import ShipFinished, ShipStepDone, ShipStepStarted
from release_assistant.tui.render import plan_text, ship_blocks
from release_assistant.tui.screens.dialogs import BumpScreen, ConfirmScreen
from release_assistant.tui.step_list import ShipRun, State, ship_rows, ship_summary
from tests.conftest import SEED_PYPROJECT, git, write_files
from tests.test_ship import origin_refs, project_files, released_repo, snapshot, uv_env
from tests.test_tui import SIZE, TODAY, details, select, settle, states, summary, text_of

# --- the model -------------------------------------------------------------------------------


def test_every_ship_step_shows_on_its_walkthrough_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows follow core's real plan (with a relock and a pre-release command): if its
    steps change, this test says so."""
    env = uv_env(tmp_path)
    for key in ("PATH", "UV_CACHE_DIR", "UV_OFFLINE"):
        monkeypatch.setenv(key, env[key])
    command = f"{sys.executable} -c pass"
    pyproject = SEED_PYPROJECT + f'\n[tool.release-assistant]\ncommands = ["{command}"]\n'
    seed = tmp_path / "seed"
    write_files(seed, project_files(pyproject))
    subprocess.run(["uv", "lock", "--offline"], cwd=seed, env=env, check=True)
    lock = (seed / "uv.lock").read_text(encoding="utf-8")
    work, _ = released_repo(tmp_path, {**project_files(pyproject), "uv.lock": lock})
    procedure = core_calls.ship_plan(
        core_calls.Session(work, today=TODAY, environ=os.environ), "patch"
    )
    descriptions = [action.description for action in procedure.plan.actions]
    step_ids = [action.step for action in procedure.plan.actions]

    rows = dict(zip(descriptions, ship_rows(step_ids), strict=True))

    relock = [d for d in descriptions if "uv lock" in d]
    assert relock and all(rows[d] == "bump" for d in relock), descriptions
    assert rows["git fetch origin"] is None
    assert rows[next(d for d in descriptions if d.startswith("check git"))] is None
    assert rows["write pyproject.toml, CHANGELOG.md (all or nothing)"] == "bump"
    assert rows["git commit -m 'Release 0.1.2' -- <the files above>"] == "bump"
    assert rows[command] == "commands"
    assert rows["git tag -a v0.1.2 -F <notes> <release commit>"] == "tag"
    assert rows[next(d for d in descriptions if d.startswith("python -m build"))] == "build"
    assert rows[next(d for d in descriptions if d.startswith("check every"))] == "report"
    assert rows["git push --atomic origin refs/heads/main refs/tags/v0.1.2"] == "push"
    assert rows[descriptions[-1]] == "publish"
    guards = [i for i, d in enumerate(descriptions) if d.startswith("git fetch origin (")]
    assert len(guards) == 2 and all(ship_rows(step_ids)[i] is None for i in guards)


STEPS = (
    ("$", "git fetch origin", "fetch"),
    ("!", "write pyproject.toml (all or nothing)", "bump"),
    ("!", "git commit -m 'Release 0.1.2' -- <the files above>", "commit"),
    ("!", "git tag -a v0.1.2 -F <notes> <release commit>", "tag"),
    ("!", "git push --atomic origin refs/heads/main refs/tags/v0.1.2", "push"),
)


def test_a_run_moves_each_row_and_a_rollback_gives_the_rows_back() -> None:
    run = ShipRun.of(STEPS, "v0.1.2")
    assert run.touched_rows() == ["bump", "tag", "push"]
    assert run.row_state("bump") is None  # not reached yet
    # What the row said was about the last release: it waits for this one now.
    assert run.row_view("bump", (State.PASS, "bumped", ())) == (
        State.PENDING,
        "Waiting: part of the release in one go.",
        (),
    )

    run.start(0)
    run.done(0, "fetched origin")
    run.start(1)
    assert run.row_state("bump") is State.RUNNING
    assert run.summary() == "Releasing: step 2 of 5: write pyproject.toml (all or nothing)"
    run.done(1, "wrote pyproject.toml")
    assert run.row_state("bump") is State.RUNNING  # the commit is still to come
    run.start(2)
    run.done(2, "committed pyproject.toml as 0123456789ab")
    assert run.row_state("bump") is State.PASS
    assert run.row_note("bump") == "committed pyproject.toml as 0123456789ab"
    run.start(3)
    run.end(False, error="tag refused", undone=("removed the release commit",))

    assert run.states == [State.PASS, State.PASS, State.PASS, State.FAIL, State.SKIP]
    assert run.row_state("tag") is State.FAIL
    assert run.row_note("tag") == "Failed in the release: tag refused"
    assert run.row_state("bump") is None  # undone: the walkthrough's own view again
    assert run.row_state("push") is None  # never reached
    assert not run.pushed
    before = (State.SKIP, "no bump needed", ("b bumps anyway",))
    assert run.row_view("bump", before) == before  # shown as before the run
    assert run.row_view("tag", None) == (
        State.FAIL,
        "Failed in the release: tag refused",
        ("Part of the release in one go: see the ship row.",),
    )
    assert run.note() == "Failed, and rolled back: the repository is as it was before."
    blocks = ship_blocks(run)
    # How it ended comes first, then every step with its mark.
    assert blocks[0] == "Failed: tag refused"
    assert blocks[1] == "Rolled back, nothing reached origin:\n  removed the release commit"
    assert "✘ ! git tag -a v0.1.2 -F <notes> <release commit>" in blocks[2].splitlines()
    assert "- ! git push --atomic origin refs/heads/main refs/tags/v0.1.2" in blocks[2]
    assert run.summary() == "✘ Release failed, rolled back (see the ship row): tag refused"


def test_a_finished_run_keeps_its_rows_and_names_the_next_step() -> None:
    run = ShipRun.of(STEPS, "v0.1.2")
    for index in range(len(STEPS)):
        run.start(index)
        run.done(index, None)
    run.end(True, next_steps=("follow the run: release-assistant watch v0.1.2",))

    assert all(run.row_state(row) is State.PASS for row in run.touched_rows())
    assert run.run_started
    assert run.note() == "Released v0.1.2: the release commit and the tag are on origin."
    assert ship_blocks(run)[0] == "Next: follow the run: release-assistant watch v0.1.2"
    assert run.summary() == "✔ Released v0.1.2: on origin. Next: enter on watch follows the run."
    # The summary shows the outcome until a step is taken one by one.
    assert ship_summary(run, shipping=False, shown=True) == ("-ok", run.summary())
    assert ship_summary(run, shipping=False, shown=False) is None
    assert ship_summary(None, shipping=False, shown=True) is None


def test_a_run_left_to_start_by_hand_gives_the_publish_row_back() -> None:
    steps = (*STEPS, ("$", "start release.yml where origin is hosted (release)", "publish"))
    run = ShipRun.of(steps, "v0.1.2")
    assert run.rows[-1] == "publish"
    for index in range(len(steps)):
        run.start(index)
        run.done(index, "no workflow start known: see the next steps")
    watch = "follow the run to the files on the index: release-assistant watch v0.1.2"
    run.end(True, next_steps=("start the publishing run: publish the release", watch))

    assert not run.run_started
    assert run.row_state("publish") is None  # the walkthrough's publish step says how
    assert run.row_state("push") is State.PASS
    assert run.summary().endswith("Next: start the publishing run (the publish step says how).")
    assert ship_blocks(run)[0] == "Next: start the publishing run: publish the release"


def test_the_dialog_shows_the_steps_before_the_diffs() -> None:
    plan = Plan(
        "ship 0.1.1 -> 0.1.2 (v0.1.2)",
        (Action("git fetch origin", False, lambda: None), Action("git tag v", True, str)),
        diffs=("--- a/x\n+++ b/x\n-1\n+2\n",),
        notes=("a failure before the push puts everything back",),
    )
    text = str(plan_text(plan))
    assert text.index("$ git fetch origin") < text.index("! git tag v") < text.index("note: a")
    assert text.index("note: a") < text.index("+++ b/x")


# --- the walkthrough, driven -------------------------------------------------------------------


def app_for(work: Path) -> ReleaseAssistantApp:
    # The session's environment: the test's (loopback APIs, isolated git) and a build
    # without isolation (no network for build dependencies).
    environ = {**os.environ, core_calls.NO_ISOLATION_VARIABLE: "1"}
    return ReleaseAssistantApp(work, today=TODAY, offer_setup=False, environ=environ)


async def ship_patch(pilot: Any) -> str:
    """Press S, choose patch, and return the plan the dialog shows (still open)."""
    app = pilot.app
    await pilot.press("S")
    await settle(pilot)
    assert isinstance(app.screen, BumpScreen)
    assert "Release: bump version 0.1.1" in text_of(app.screen.query_one("#question", Static))
    menu = app.screen.query_one(OptionList)
    names = [str(menu.get_option_at_index(i).id) for i in range(menu.option_count)]
    menu.highlighted = names.index("patch")
    await pilot.press("enter")
    await pilot.pause()
    # The plan's dialog opens at once ("checking…") and is filled in place (issue 25).
    dialog = app.screen
    assert isinstance(dialog, ConfirmScreen), details(app)
    await settle(pilot)
    assert app.screen is dialog, details(app)
    assert dialog.ready and not dialog.query_one("#yes", Button).disabled
    assert text_of(dialog.query_one("#question", Static)).startswith("Release v0.1.2:")
    assert str(dialog.query_one("#yes", Button).label) == "Release (y)"
    return text_of(dialog.query_one("#dialog-text", Static))


def tag_push_workflow(work: Path) -> None:
    """Make the publishing workflow start on the tag push, and put that on origin."""
    path = work / ".github" / "workflows" / "release.yml"
    text = path.read_text(encoding="utf-8")
    trigger = "on:\n  release:\n    types: [published]\n"
    assert trigger in text
    path.write_text(text.replace(trigger, "on:\n  push:\n    tags: ['v*']\n"), encoding="utf-8")
    git(work, "commit", "-qam", "publish on the tag push")
    git(work, "push", "-q")


@pytest.mark.parametrize("tag_push", [True, False], ids=["tag-push", "release-by-hand"])
async def test_the_release_in_one_go_reaches_origin(tmp_path: Path, tag_push: bool) -> None:
    """S, patch, yes: the release commit and the annotated tag are on origin, each step's
    progress was posted, and the rows show the release done with the next step: the watch
    when the tag push started the run; the publish step when the run is started by hand
    (a release-triggered workflow whose origin is not on GitHub)."""
    work, bare = released_repo(tmp_path)
    if tag_push:
        tag_push_workflow(work)
    start = git(work, "rev-parse", "HEAD").strip()
    messages: list[Message] = []
    #: The rows as the screen showed them when each progress message arrived.
    seen: list[dict[str, State]] = []
    app = app_for(work)

    def hook(message: Message) -> None:
        messages.append(message)
        if isinstance(message, (ShipStepStarted, ShipStepDone)):
            seen.append({step.id: step.state for step in app.walkthrough.steps})

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot)
        plan = await ship_patch(pilot)
        assert "$ git fetch origin" in plan
        assert "! git commit -m 'Release 0.1.2'" in plan
        assert "! git push --atomic origin refs/heads/main refs/tags/v0.1.2" in plan
        assert '+version = "0.1.2"' in plan and "+## [0.1.2] - 2026-04-01" in plan
        assert git(bare, "rev-parse", "refs/heads/main").strip() == start  # not before a yes
        await pilot.press("y")
        await settle(pilot)

        got = states(app)
        assert got["ship"] is State.PASS, details(app)
        for row in ("bump", "build", "report", "tag", "push"):
            assert got[row] is State.PASS, (row, details(app))
        assert got["watch"] is State.PENDING
        assert "Released v0.1.2" in summary(app)
        await select(pilot, "ship")
        shown = details(app)
        assert "✔ ! git push --atomic origin refs/heads/main refs/tags/v0.1.2" in shown
        assert "Next: follow the run to the files on the index: release-assistant watch" in shown
        assert "verification-report.json" in shown
        await select(pilot, "publish")
        if tag_push:
            assert got["publish"] is State.PASS
            assert "the tag push starts .github/workflows/release.yml" in details(app)
            assert "Next: enter on watch follows the run" in summary(app)
            await select(pilot, "watch")
            assert "Next: v0.1.2 is on origin" in details(app)
        else:
            # Nothing started the run: the publish step is still to do, and says how.
            assert got["publish"] is State.PENDING
            assert "Next: start the publishing run:" in details(app)
            assert "Next: start the publishing run" in summary(app)

    # The rows turned as the plan went: the bump running while the push waited, then the
    # bump and the tag done while the push still waited, then the push running.
    assert any(
        v["ship"] is State.RUNNING and v["bump"] is State.RUNNING and v["push"] is State.PENDING
        for v in seen
    )
    assert any(
        v["bump"] is State.PASS and v["tag"] is State.PASS and v["push"] is State.PENDING
        for v in seen
    )
    assert any(v["push"] is State.RUNNING for v in seen)
    # One start and one result per step, in order, then the outcome (the hook sees a
    # message once per node it bubbles through: count each once).
    posted = list({id(m): m for m in messages}.values())
    started = [m.index for m in posted if isinstance(m, ShipStepStarted)]
    finished = [m.index for m in posted if isinstance(m, ShipStepDone)]
    assert started == finished == list(range(len(started))) and len(started) >= 10
    outcome = next(m.outcome for m in posted if isinstance(m, ShipFinished))
    assert outcome.ok and not outcome.undone

    release = git(bare, "rev-parse", "refs/heads/main").strip()
    assert git(bare, "log", "-1", "--format=%s", "main").strip() == "Release 0.1.2"
    assert git(bare, "rev-parse", "refs/heads/main^").strip() == start
    assert git(bare, "cat-file", "-t", "refs/tags/v0.1.2").strip() == "tag"
    assert git(bare, "rev-parse", "refs/tags/v0.1.2^{commit}").strip() == release
    assert 'version = "0.1.2"' in git(bare, "show", "main:pyproject.toml")
    assert git(work, "status", "--porcelain", "--untracked-files=no") == ""
    assert git(work, "rev-parse", "HEAD").strip() == release


async def test_a_refused_release_commit_is_rolled_back_on_screen(tmp_path: Path) -> None:
    work, bare = released_repo(tmp_path)
    hook = work / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'lint says no' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    before, before_origin = snapshot(work), origin_refs(bare)
    app = app_for(work)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows_before = states(app)
        await ship_patch(pilot)
        await pilot.press("y")
        await settle(pilot)

        got = states(app)
        assert got["ship"] is State.FAIL
        # Nothing the rollback undid still shows as done.
        for row in ("bump", "tag", "push", "build", "report"):
            assert got[row] is rows_before[row], row
        await select(pilot, "ship")
        shown = details(app)
        assert "Failed, and rolled back" in shown
        assert "git commit refused the release commit" in shown and "lint says no" in shown
        assert "Rolled back, nothing reached origin:" in shown
        assert "restored the files the bump wrote" in shown
        assert "✘ ! git commit -m 'Release 0.1.2'" in shown
        assert "- ! git push --atomic" in shown  # never started
        assert "rolled back" in summary(app)
        assert any("Rolled back" in str(n.message) for n in app._notifications)

    assert snapshot(work) == before
    assert origin_refs(bare) == before_origin


async def test_cancelling_the_plan_changes_nothing(tmp_path: Path) -> None:
    work, bare = released_repo(tmp_path)
    before, before_origin = snapshot(work), origin_refs(bare)
    app = app_for(work)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ship_patch(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert states(app)["ship"] is State.PENDING
    assert snapshot(work) == before
    assert origin_refs(bare) == before_origin


async def test_a_release_that_cannot_be_planned_says_why(tmp_path: Path) -> None:
    work, _ = released_repo(tmp_path)
    (work / "seed_package" / "__init__.py").write_text('"""Edited."""\n', encoding="utf-8")
    app = app_for(work)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        menu = app.screen.query_one(OptionList)
        names = [str(menu.get_option_at_index(i).id) for i in range(menu.option_count)]
        menu.highlighted = names.index("patch")
        await pilot.press("enter")
        await settle(pilot)
        # The dialog that opened at once says why there is no plan (no toast over it).
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        shown = text_of(dialog.query_one("#dialog-text", Static))
        assert "Refused:" in shown and "already modified (seed_package/__init__.py)" in shown
        assert not dialog.query_one("#yes", Button).display
        await pilot.press("n")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        await select(pilot, "ship")
        assert "already modified (seed_package/__init__.py)" in details(app)
        assert states(app)["ship"] is State.PENDING


async def test_no_quitting_and_no_other_step_while_the_release_runs(tmp_path: Path) -> None:
    """While the plan runs, quitting would stop it half done (the worker thread keeps the
    repository): q only says so, and the steps that change the repository are disabled."""
    work, _ = released_repo(tmp_path)
    app = app_for(work)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.walkthrough
        screen.shipping = True
        assert screen.check_action("bump", ()) is None
        assert screen.check_action("ship", ()) is None
        assert screen.check_action("run_all", ()) is None
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and app.return_value is None
        assert any(n.title == "Not quitting now" for n in app._notifications)
        await pilot.press("b")
        await settle(pilot)
        assert not isinstance(app.screen, BumpScreen)
        screen.shipping = False
        assert screen.check_action("bump", ()) is True
        app.walkthrough_action("ship")  # the command palette's "Release in one go (ship)"
        await settle(pilot)
        assert isinstance(app.screen, BumpScreen)
        await pilot.press("escape")
        await pilot.press("q")
    assert app.return_value is not None


def test_a_failure_after_the_push_keeps_the_push_and_says_how_to_finish() -> None:
    steps = (
        *STEPS,
        ("!", "POST .../actions/workflows/release.yml/dispatches (ref=v0.1.2)", "publish"),
    )
    run = ShipRun.of(steps, "v0.1.2")
    for index in range(len(STEPS)):
        run.start(index)
        run.done(index, None)
    run.start(len(STEPS))
    finish = "to finish: start the publishing run by hand, then release-assistant watch v0.1.2"
    run.end(False, error="the dispatch was refused", next_steps=(finish,))

    assert run.pushed and not run.run_started
    assert run.row_state("push") is State.PASS  # nothing was undone
    assert run.row_state("publish") is State.FAIL
    assert run.note() == "Failed after the push: what is left, and how to finish, is below."
    assert ship_blocks(run)[:2] == ["Failed: the dispatch was refused", f"Next: {finish}"]


def test_the_summary_of_a_long_failure_stays_short() -> None:
    run = ShipRun.of(STEPS, "v0.1.2")
    run.start(0)
    run.end(False, error="git said: " + "x" * 300)
    assert run.summary().startswith("✘ Release failed (see the ship row): git said: xxx")
    assert run.summary().endswith("…") and len(run.summary()) < 140
    assert run.note() == "Failed before anything was changed."
