"""The walkthrough's step model without Textual: every row, key and status line is computed
from the facts read from git and the session's memory (milliseconds, no Pilot)."""

from __future__ import annotations

import dataclasses

import pytest

from release_assistant.core.engine import REGISTRY
from release_assistant.core.findings import CheckResult, Status
from release_assistant.tui.release_state import (
    Memory,
    ReleaseFacts,
    enabled,
    release_rows,
    status_line,
    tag_blockers,
)
from release_assistant.tui.step_list import State, Step, build_steps, check_steps

HEAD = "a" * 40
EARLIER = "b" * 40
URL = "https://example.invalid/o/r/releases/new?tag=v1.2.3"

#: A version not tagged yet, origin reachable, two commands configured.
FRESH = ReleaseFacts(
    version="1.2.3",
    tag="v1.2.3",
    tag_commit=None,
    head=HEAD,
    publish_url=URL,
    publish_problem=None,
    tag_on_origin=False,
    commands=2,
)
TAGGED = dataclasses.replace(FRESH, tag_commit=HEAD)
PUSHED = dataclasses.replace(TAGGED, tag_on_origin=True)
RELEASED_EARLIER = dataclasses.replace(FRESH, tag_commit=EARLIER, tag_on_origin=True)


def passing(step: Step, status: Status = Status.PASS, blocking: bool = True) -> None:
    step.result = CheckResult(step.id, step.title, status, blocking=blocking)
    step.state = State(status.value)


def ready_steps(*, commands: State = State.PASS, build: State = State.PASS) -> list[Step]:
    """Every check passed, the commands and the build as given."""
    steps = build_steps(REGISTRY)
    for step in check_steps(steps):
        passing(step)
    by_id = {step.id: step for step in steps}
    by_id["commands"].state = commands
    by_id["build"].state = build
    return steps


def rows(steps: list[Step], facts: ReleaseFacts, memory: Memory | None = None) -> dict[str, State]:
    return {k: v[0] for k, v in release_rows(steps, facts, memory or Memory()).items()}


# --- what blocks the tag -------------------------------------------------------------------


def test_nothing_run_yet_blocks_the_tag_with_every_step_named() -> None:
    steps = build_steps(REGISTRY)
    blockers = tag_blockers(steps, FRESH)
    assert blockers[0] == f"{REGISTRY[0].id} (not run yet)"
    assert "commands (not run yet)" in blockers and "build (not run yet)" in blockers
    assert not enabled("tag", steps, FRESH, Memory())


def test_a_failed_blocking_check_blocks_and_a_non_blocking_one_does_not() -> None:
    steps = ready_steps()
    first, second = check_steps(steps)[:2]
    passing(first, Status.FAIL)
    passing(second, Status.FAIL, blocking=False)
    assert tag_blockers(steps, FRESH) == [f"{first.id} (fail)"]
    assert enabled("rerun_failed", steps, FRESH, Memory())


def test_commands_block_until_run_unless_none_are_configured() -> None:
    steps = ready_steps(commands=State.PENDING)
    assert tag_blockers(steps, FRESH) == ["commands (not run yet)"]
    none_configured = dataclasses.replace(FRESH, commands=0)
    assert tag_blockers(steps, none_configured) == []
    view = release_rows(steps, none_configured, Memory())["commands"]
    assert view[0] is State.SKIP and view[1].startswith("Nothing to run")
    # With commands configured the row is the walkthrough's to settle (it runs them).
    assert "commands" not in release_rows(steps, FRESH, Memory())


@pytest.mark.parametrize("state", [State.FAIL, State.ERROR])
def test_a_failed_build_blocks_the_tag(state: State) -> None:
    steps = ready_steps(build=state)
    assert tag_blockers(steps, FRESH) == ["build (failed)"]


def test_a_configuration_problem_disables_the_tag_and_is_the_status() -> None:
    memory = Memory(problem="pyproject.toml line 3: bad")
    assert not enabled("tag", ready_steps(), FRESH, memory)
    assert status_line(ready_steps(), FRESH, memory) == (
        "-blocked",
        "✘ Cannot run the checks: pyproject.toml line 3: bad",
    )


# --- the release rows, step by step ---------------------------------------------------------


def test_ready_to_tag() -> None:
    steps = ready_steps()
    memory = Memory()
    assert enabled("tag", steps, FRESH, memory)
    assert not enabled("push", steps, FRESH, memory)
    assert not enabled("watch", steps, FRESH, memory)
    assert not enabled("publish", steps, FRESH, memory)
    assert rows(steps, FRESH) == {
        "bump": State.SKIP,
        "tag": State.PENDING,
        "push": State.PENDING,
        "publish": State.PENDING,
        "watch": State.PENDING,
    }
    assert release_rows(steps, FRESH, memory)["tag"][1] == (
        "Ready: press t to create the annotated tag v1.2.3."
    )
    assert status_line(steps, FRESH, memory) == (
        "-ok",
        "✔ Ready to release version 1.2.3: nothing blocks it. Press t to tag v1.2.3.",
    )


def test_tagged_not_pushed_offers_the_push() -> None:
    steps = ready_steps()
    assert enabled("push", steps, TAGGED, Memory())
    assert not enabled("watch", steps, TAGGED, Memory())
    assert rows(steps, TAGGED)["tag"] is State.PASS
    assert release_rows(steps, TAGGED, Memory())["push"][1] == "Press p to push v1.2.3 to origin."
    assert status_line(steps, TAGGED, Memory())[1] == (
        "✔ v1.2.3 names HEAD: press p to push it to origin."
    )


def test_a_tag_already_on_origin_is_never_offered_for_pushing_again() -> None:
    """After a relaunch the walkthrough asks origin: no "press p to push it"."""
    steps = ready_steps()
    assert not enabled("push", steps, PUSHED, Memory())
    assert rows(steps, PUSHED)["push"] is State.PASS
    text = status_line(steps, PUSHED, Memory())[1]
    assert "press p" not in text
    assert text == "✔ v1.2.3 is on origin: next, publish the GitHub release (publish row)."
    assert enabled("watch", steps, PUSHED, Memory())
    assert enabled("publish", steps, PUSHED, Memory())
    publish = release_rows(steps, PUSHED, Memory())["publish"]
    assert publish[2] == (URL,) and "copies this address" in publish[1]
    with_token = dataclasses.replace(PUSHED, token=True)
    assert "publishes it here" in release_rows(steps, with_token, Memory())["publish"][1]


def test_origin_that_cannot_be_asked_says_so_on_the_push_row() -> None:
    unknown = dataclasses.replace(TAGGED, tag_on_origin=None, origin_problem="no 'origin' remote")
    assert enabled("push", ready_steps(), unknown, Memory())
    note = release_rows(ready_steps(), unknown, Memory())["push"][1]
    assert note.endswith("(Cannot tell whether origin has it: no 'origin' remote.)")


def test_a_failed_push_keeps_its_row_until_origin_has_the_tag() -> None:
    steps = ready_steps()
    next(s for s in steps if s.id == "push").state = State.FAIL
    assert "push" not in release_rows(steps, TAGGED, Memory())
    assert release_rows(steps, PUSHED, Memory())["push"][0] is State.PASS


def test_published_then_watched_moves_the_status_on() -> None:
    """After publish and watch passed, nothing says "publish the GitHub release"."""
    steps = ready_steps()
    published = Memory(published=True)
    assert "publish" not in rows(steps, PUSHED, published)  # it keeps the links it gave
    assert not enabled("publish", steps, PUSHED, published)
    assert status_line(steps, PUSHED, published)[1] == (
        "✔ v1.2.3 is published: next, enter on watch follows its run."
    )
    assert release_rows(steps, PUSHED, published)["watch"][1].startswith(
        "Next: v1.2.3 is on origin and its publishing run is started."
    )
    watching = Memory(published=True, watching=True)
    assert not enabled("watch", steps, PUSHED, watching)
    assert "watch" not in release_rows(steps, PUSHED, watching)  # its progress stays
    done = Memory(published=True, watched=True)
    assert status_line(steps, PUSHED, done) == (
        "-ok",
        "✔ version 1.2.3 is released: its files are on the index.",
    )
    failed = Memory(published=True, watched=False)
    assert status_line(steps, PUSHED, failed)[0] == "-blocked"
    # A watch that passed proves the release was published, even from another session.
    assert rows(steps, PUSHED, Memory(watched=True))["publish"] is State.PASS


def test_the_bump_row_passes_right_after_a_bump() -> None:
    steps = ready_steps()
    bumped = dataclasses.replace(FRESH, version="1.2.4", tag="v1.2.4")
    view = release_rows(steps, bumped, Memory(bumped_to="1.2.4"))["bump"]
    assert view[0] is State.PASS and view[1].startswith("Bumped to 1.2.4")
    # Files changed again since (a second bump by hand): the row follows the files.
    assert rows(steps, FRESH, Memory(bumped_to="1.2.4"))["bump"] is State.SKIP


def test_a_released_version_asks_for_the_bump_first() -> None:
    steps = ready_steps()
    assert rows(steps, RELEASED_EARLIER)["bump"] is State.PENDING
    assert rows(steps, RELEASED_EARLIER)["tag"] is State.PENDING  # the next version's tag
    assert rows(steps, RELEASED_EARLIER)["push"] is State.PENDING
    assert not enabled("push", steps, RELEASED_EARLIER, Memory())
    text = status_line(steps, RELEASED_EARLIER, Memory())[1]
    assert text.startswith("v1.2.3 is on an earlier commit: S releases the next version")
    first = check_steps(steps)[0]
    passing(first, Status.FAIL)
    assert status_line(steps, RELEASED_EARLIER, Memory())[1].endswith(f"Failing now: {first.id}.")


def test_a_tagged_version_needs_no_bump() -> None:
    view = release_rows(ready_steps(), TAGGED, Memory())["bump"]
    assert view == (State.SKIP, "v1.2.3 is this version's tag: no bump needed.", ())


# --- the status line while things run ---------------------------------------------------------


def test_the_status_line_counts_checks_while_they_run() -> None:
    steps = build_steps(REGISTRY)
    checks = check_steps(steps)
    passing(checks[0])
    checks[1].state = State.RUNNING
    assert status_line(steps, None, Memory()) == (
        "-running",
        f"Running {checks[1].label}… (1 of {len(checks)} checks done)",
    )
    checks[1].state = State.PENDING
    assert status_line(steps, None, Memory()) == ("", "Starting: the checks run next.")


def test_unrun_checks_ask_for_a_run_and_blocked_checks_name_themselves() -> None:
    steps = build_steps(REGISTRY)
    assert status_line(steps, FRESH, Memory()) == ("", "Run every check (r) before tagging.")
    steps = ready_steps(commands=State.PENDING)
    assert status_line(steps, FRESH, Memory())[1] == (
        "Before tagging, run commands: select it, press enter."
    )
    first = check_steps(steps)[0]
    passing(first, Status.ERROR)
    cls, text = status_line(steps, FRESH, Memory())
    assert cls == "-blocked" and text.startswith(
        f"✘ Release of version 1.2.3 blocked by: {first.id}."
    )


#: The status line's width at 80 columns: the terminal less the line's padding.
ONE_ROW = 80 - 2


@pytest.mark.parametrize(
    ("facts", "memory", "steps"),
    [
        (FRESH, Memory(), "ready"),
        (FRESH, Memory(), "commands"),
        (FRESH, Memory(), "commands-and-build"),
        (TAGGED, Memory(), "ready"),
        (PUSHED, Memory(), "ready"),
        (dataclasses.replace(PUSHED, push_starts_run=True, run_start="x"), Memory(), "ready"),
        (PUSHED, Memory(published=True), "ready"),
        (PUSHED, Memory(published=True, watched=True), "ready"),
        (PUSHED, Memory(published=True, watched=False), "ready"),
        (RELEASED_EARLIER, Memory(), "ready"),
        (dataclasses.replace(FRESH, version="1.2.3.dev1", tag="v1.2.3.dev1"), Memory(), "ready"),
    ],
    ids=[
        "ready",
        "before-tagging",
        "before-tagging-two-steps",
        "tagged",
        "pushed",
        "run-started",
        "published",
        "released",
        "not-arrived",
        "released-earlier",
        "development",
    ],
)
def test_the_status_line_of_each_release_step_fits_one_row_at_80_columns(
    facts: ReleaseFacts, memory: Memory, steps: str
) -> None:
    """Over the dialogs too (issue 25: a true status line at 80x24, never wrapped to a
    second row), for a usual version (1.2.3). A list of failing checks may still wrap."""
    if steps == "commands":
        shown = ready_steps(commands=State.PENDING)
    elif steps == "commands-and-build":
        shown = ready_steps(commands=State.PENDING, build=State.PENDING)
    else:
        shown = ready_steps()
    text = status_line(shown, facts, memory)[1]
    assert len(text) <= ONE_ROW, (len(text), text)


def test_a_development_version_suggests_the_bump() -> None:
    dev = dataclasses.replace(FRESH, version="1.2.3.dev1", tag="v1.2.3.dev1")
    assert status_line(ready_steps(), dev, Memory())[1].startswith(
        "1.2.3.dev1 is a development version: b bumps it"
    )


def test_no_release_page_says_why() -> None:
    no_page = dataclasses.replace(PUSHED, publish_url=None, publish_problem="origin is elsewhere")
    view = release_rows(ready_steps(), no_page, Memory())["publish"]
    assert view == (State.PENDING, "No release page: origin is elsewhere", ())


def test_a_workflow_started_by_the_tag_push_needs_no_publish_step() -> None:
    """The publish row follows how the run starts: nothing to publish by hand when the
    tag push starts it, and the status line goes straight to the watch."""
    how = "the tag push starts .github/workflows/release.yml"
    by_push = dataclasses.replace(PUSHED, push_starts_run=True, run_start=how)
    steps = ready_steps()
    assert release_rows(steps, by_push, Memory())["publish"] == (
        State.PASS,
        "The push of v1.2.3 started the run.",
        (how,),
    )
    assert not enabled("publish", steps, by_push, Memory())
    assert enabled("watch", steps, by_push, Memory())
    assert status_line(steps, by_push, Memory())[1] == (
        "✔ v1.2.3 is on origin and started the run: next, enter on watch follows it."
    )
    before_push = dataclasses.replace(TAGGED, push_starts_run=True, run_start=how)
    assert rows(steps, before_push)["publish"] is State.SKIP


def test_no_release_page_names_how_the_run_starts() -> None:
    by_hand = dataclasses.replace(
        PUSHED, publish_url=None, publish_problem="origin is elsewhere", run_start="run it"
    )
    assert status_line(ready_steps(), by_hand, Memory())[1] == (
        "✔ v1.2.3 is on origin: next, start the publishing run (run it)."
    )
