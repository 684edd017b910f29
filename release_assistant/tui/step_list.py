"""The walkthrough's step list: what each step is and where it stands (no Textual here).

The steps are every check of the engine's ``REGISTRY`` in its order, then the release's own
steps: the release in one go (``ship``), then its parts one by one: the pre-release
commands, the build, the verification report, the bump, the tag, the push, the GitHub
release and the watch of its workflow run to the files on the index. A check added to the
registry appears in the walkthrough without any change here.

:class:`ShipRun` is the one-go release's progress: which step of core's ship plan runs, what
each gave, and which walkthrough row each step shows on (:func:`ship_rows`, from the
step id core gives each action).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from release_assistant.core.engine import CheckSpec
from release_assistant.core.findings import CheckResult, Status


class StepKind(str, enum.Enum):
    """What running a step does."""

    CHECK = "check"
    SHIP = "ship"
    COMMANDS = "commands"
    BUILD = "build"
    REPORT = "report"
    BUMP = "bump"
    TAG = "tag"
    PUSH = "push"
    PUBLISH = "publish"
    WATCH = "watch"


class State(str, enum.Enum):
    """Where a step stands; the check statuses plus ``pending`` and ``running``."""

    PENDING = "pending"
    RUNNING = "running"
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"
    ERROR = "error"


#: The release's own steps after the checks: (id, label, title, kind).
RELEASE_STEPS: tuple[tuple[str, str, str, StepKind], ...] = (
    ("ship", "ship", "Release in one go (S)", StepKind.SHIP),
    ("commands", "commands", "Pre-release commands (pre-commit, configured)", StepKind.COMMANDS),
    ("build", "build", "Build dist/ locally (sdist + wheel)", StepKind.BUILD),
    ("report", "report", "Verification report", StepKind.REPORT),
    ("bump", "bump", "Bump the version (if needed)", StepKind.BUMP),
    ("tag", "tag", "Create the annotated tag", StepKind.TAG),
    ("push", "push", "Push the tag to origin", StepKind.PUSH),
    ("publish", "publish", "Publish the GitHub release", StepKind.PUBLISH),
    ("watch", "watch", "Watch the run to the files on PyPI", StepKind.WATCH),
)


@dataclass
class Step:
    """One row of the walkthrough: a check, or one of the release's own steps.

    ``result`` is a check's latest result; ``note`` is a one-line status of a release step
    and ``lines`` its details (a report's paths, a plan's outcome, a URL).
    """

    id: str
    label: str
    title: str
    kind: StepKind
    state: State = State.PENDING
    result: CheckResult | None = None
    note: str = ""
    lines: tuple[str, ...] = field(default_factory=tuple)

    @property
    def blocks_release(self) -> bool:
        """A check whose latest result stops the release."""
        return self.result is not None and self.result.blocks_release


def build_steps(registry: Iterable[CheckSpec]) -> list[Step]:
    """Every registered check in order, then the release steps, all pending."""
    steps = [Step(spec.id, spec.id, spec.title, StepKind.CHECK) for spec in registry]
    steps += [Step(i, label, title, kind) for i, label, title, kind in RELEASE_STEPS]
    return steps


def state_of(result: CheckResult) -> State:
    """The step state a check result gives."""
    return State(result.status.value)


def check_steps(steps: Sequence[Step]) -> list[Step]:
    """The steps that are checks."""
    return [step for step in steps if step.kind is StepKind.CHECK]


def failed_checks(steps: Sequence[Step]) -> list[Step]:
    """Checks whose latest result is a failure or an error (blocking or not)."""
    return [
        step
        for step in check_steps(steps)
        if step.result is not None and step.result.status in (Status.FAIL, Status.ERROR)
    ]


# --- the release in one go ------------------------------------------------------------------

#: The walkthrough's actions that change or re-read the repository: none starts while the
#: release in one go runs (its plan owns the work tree until it ends).
BUSY_ACTIONS = frozenset(
    {"run_all", "rerun_failed", "run_step", "edit", "bump", "tag", "push", "ship", "commands"}
)

#: The part of core's release procedure a ship plan step belongs to (``Action.step``) -> the
#: walkthrough row it shows on; the fetches, the push guard and the preflight checks show
#: only in the ship row's own list.
SHIP_STEP_ROWS: dict[str, str] = {
    "bump": "bump",
    "relock": "bump",
    "commit": "bump",
    "commands": "commands",
    "build": "build",
    "tag": "tag",
    "verify": "report",
    "push": "push",
    "publish": "publish",
}


def ship_rows(step_ids: Sequence[str]) -> list[str | None]:
    """The walkthrough row each step of a ship plan shows its progress on, from each
    action's ``step`` (``None``: only the ship row's own list)."""
    return [SHIP_STEP_ROWS.get(step_id) for step_id in step_ids]


#: What a walkthrough row shows: its state, its note, its detail lines.
RowView = tuple[State, str, tuple[str, ...]]


@dataclass
class ShipRun:
    """The progress of one run of a ship plan: each step's state and result line, how it
    ended (the error, its recovery, what the rollback undid, the next steps)."""

    descriptions: tuple[str, ...]
    marks: tuple[str, ...]
    rows: tuple[str | None, ...]
    tag: str = "the tag"
    states: list[State] = field(default_factory=list)
    results: list[str | None] = field(default_factory=list)
    finished: bool = False
    ok: bool = False
    error: str | None = None
    recovery: tuple[str, ...] = ()
    undone: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()
    report_paths: tuple[str, ...] = ()

    @classmethod
    def of(cls, steps: Sequence[tuple[str, str, str]], tag: str) -> ShipRun:
        """A run of the plan steps ``(mark, description, step id)`` releasing ``tag``, all
        pending."""
        descriptions = tuple(text for _, text, _ in steps)
        return cls(
            descriptions,
            tuple(mark for mark, _, _ in steps),
            tuple(ship_rows([step_id for _, _, step_id in steps])),
            tag,
            [State.PENDING] * len(steps),
            [None] * len(steps),
        )

    def start(self, index: int) -> None:
        """Step ``index`` started."""
        self.states[index] = State.RUNNING

    def done(self, index: int, result: str | None) -> None:
        """Step ``index`` succeeded with ``result``."""
        self.states[index] = State.PASS
        self.results[index] = result

    def end(
        self,
        ok: bool,
        *,
        error: str | None = None,
        recovery: Sequence[str] = (),
        undone: Sequence[str] = (),
        next_steps: Sequence[str] = (),
        report_paths: Sequence[str] = (),
    ) -> None:
        """The run ended: the step still running failed; the steps never started stay
        ``skip``; with a rollback, the steps that changed something are undone."""
        self.finished, self.ok = True, ok
        self.error, self.recovery, self.undone = error, tuple(recovery), tuple(undone)
        self.next_steps, self.report_paths = tuple(next_steps), tuple(report_paths)
        for index, state in enumerate(self.states):
            if state is State.RUNNING:
                self.states[index] = State.FAIL
            elif state is State.PENDING:
                self.states[index] = State.SKIP

    @property
    def run_started(self) -> bool:
        """The release ended with its publishing run started: the only next step left is
        the watch (core lists what is still to be done by hand before it)."""
        return self.ok and len(self.next_steps) <= 1

    @property
    def pushed(self) -> bool:
        """Origin has the release: the push step passed (whatever failed after it)."""
        pushes = [s for s, row in zip(self.states, self.rows, strict=True) if row == "push"]
        return bool(pushes) and all(s is State.PASS for s in pushes)

    @property
    def running(self) -> int | None:
        """The index of the step running now, if any."""
        return next((i for i, s in enumerate(self.states) if s is State.RUNNING), None)

    @property
    def failed_row(self) -> str | None:
        """The walkthrough row of the step that failed, if any."""
        return next((self.rows[i] for i, s in enumerate(self.states) if s is State.FAIL), None)

    def row_state(self, row: str) -> State | None:
        """Where walkthrough row ``row`` stands in this run (``None``: not touched yet).

        Failed when its step failed; running while one of its steps runs or some are left;
        passed once all of them passed. After a rollback a row whose steps passed is left to
        the walkthrough again (``None``): what it did was undone.
        """
        states = [s for s, r in zip(self.states, self.rows, strict=True) if r == row]
        if not states or all(s is State.PENDING for s in states):
            return None
        if State.FAIL in states:
            return State.FAIL
        if all(s is State.PASS for s in states):
            if row == "publish" and self.finished and not self.run_started:
                return None  # the run is still to be started: the publish step says how
            return None if self.finished and not self.ok and self.undone else State.PASS
        if self.finished:
            return None
        return State.RUNNING

    def row_note(self, row: str) -> str:
        """The last result line of row ``row``'s steps (the error when one failed)."""
        if self.failed_row == row and self.error:
            return f"Failed in the release: {self.error}"
        results = [r for r, name in zip(self.results, self.rows, strict=True) if name == row and r]
        return results[-1] if results else ""

    def row_view(self, row: str, before: RowView | None) -> RowView | None:
        """What walkthrough row ``row`` shows now, as ``(state, note, lines)``: its part of
        the run (pending until the run reaches it), or, once the run ended, ``before`` (what
        it showed before the run started) when the run never reached it or its work was
        undone."""
        state = self.row_state(row)
        if state is None and not self.finished:
            # Not reached yet: whatever the row said was about the release before this one.
            return State.PENDING, "Waiting: part of the release in one go.", ()
        if state is None:
            return before
        note = self.row_note(row) or "Running as part of the release (ship row)."
        return state, note, ("Part of the release in one go: see the ship row.",)

    def touched_rows(self) -> list[str]:
        """The walkthrough rows this plan shows progress on, in order."""
        return list(dict.fromkeys(row for row in self.rows if row is not None))

    def note(self) -> str:
        """The ship row's one-line status (its details list the steps below it)."""
        if not self.finished:
            done = sum(1 for s in self.states if s is State.PASS)
            return f"Releasing {self.tag}: step {done + 1} of {len(self.states)}."
        if self.ok:
            return f"Released {self.tag}: the release commit and the tag are on origin."
        if self.undone:
            return "Failed, and rolled back: the repository is as it was before."
        if self.next_steps:
            return "Failed after the push: what is left, and how to finish, is below."
        return "Failed before anything was changed."

    def summary(self) -> str:
        """One line for the walkthrough's summary while and after it runs (two rows at 80
        columns at most: the details are in the ship row)."""
        total = len(self.states)
        if not self.finished:
            index = self.running
            done = sum(1 for s in self.states if s is State.PASS)
            what = self.descriptions[index] if index is not None else "starting"
            return f"Releasing: step {done + 1} of {total}: {_shortened(what)}"
        if self.ok:
            if self.run_started:
                return f"✔ Released {self.tag}: on origin. Next: enter on watch follows the run."
            return (
                f"✔ Released {self.tag}: on origin. Next: start the publishing run "
                "(the publish step says how)."
            )
        if self.undone:
            return f"✘ Release failed, rolled back (see the ship row): {_shortened(self.error)}"
        return f"✘ Release failed (see the ship row): {_shortened(self.error)}"


def ship_summary(run: ShipRun | None, shipping: bool, shown: bool) -> tuple[str, str] | None:
    """The summary's class and text while the release in one go runs and after it ended
    (until a step is taken one by one); ``None`` leaves the summary to the checks."""
    if run is None or not (shipping or shown):
        return None
    if not run.finished:
        return "-running", run.summary()
    if run.ok:
        return "-ok", run.summary()
    return "-blocked", run.summary()


def _shortened(text: str | None, limit: int = 90) -> str:
    """``text`` cut to ``limit`` characters (with an ellipsis): summary lines stay short."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
