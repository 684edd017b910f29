"""The walkthrough's state and how it is shown: the step rows, the details pane, the status
line, all computed from the steps, the facts and the session's memory
(:mod:`~release_assistant.tui.release_state`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.timer import Timer

from release_assistant.core.engine import REGISTRY
from release_assistant.core.findings import Finding, Severity
from release_assistant.core.release.plan import Plan
from release_assistant.tui import core_calls
from release_assistant.tui.messages import (
    FLUSH,
    CommandOutput,
    Verdict,
)
from release_assistant.tui.release_state import (
    Memory,
    ReleaseFacts,
    release_rows,
    status_line,
)
from release_assistant.tui.render import step_details
from release_assistant.tui.screens.dialogs import BumpScreen, ConfirmScreen
from release_assistant.tui.step_list import (
    RowView,
    ShipRun,
    State,
    Step,
    StepKind,
    build_steps,
    ship_summary,
)
from release_assistant.tui.widgets.details import DetailsPane
from release_assistant.tui.widgets.log import StepLog
from release_assistant.tui.widgets.status import StatusLine
from release_assistant.tui.widgets.steplist import StepList

if TYPE_CHECKING:
    # The watch (and its network client) loads when it is first used, not before the first frame.
    from release_assistant.core.release.ship import ShipProcedure
    from release_assistant.core.release.watch import Limits, WatchResult

#: What the ship row says before the release in one go ran.
SHIP_NOTE = (
    "S (or enter here) releases the next version in one go: choose the bump, read the whole "
    "plan, say yes once. Bump, release commit, pre-release commands, build, every check at "
    "the release commit, annotated tag, one push of the branch and the tag. A failure before "
    "the push puts everything back as it was. The steps below do the same one by one."
)


class WalkthroughView(Screen[None]):
    """The walkthrough's state and its rendering; the workers, the release in one go, the
    dialogs and the keys are the subclasses' (:mod:`release_assistant.tui.screens.walkthrough`)."""

    def __init__(self, session: core_calls.Session) -> None:
        super().__init__()
        self.session = session
        self.steps: list[Step] = build_steps(REGISTRY)
        self.step("ship").note = SHIP_NOTE
        self.facts: ReleaseFacts | None = None
        #: What the session did (the bump, the publish, the watch): with the facts read
        #: from git, the whole state the rows and the status line are computed from.
        self.memory = Memory()
        self._logs: dict[str, list[str]] = {}
        self._build_stream: Callable[[str], None] = lambda text: None
        self.frame = 0
        self._spinner: Timer | None = None
        self._moved_by_user = False
        self._full_run = False
        self.watch_result: WatchResult | None = None
        #: The version the confirmed bump writes.
        self._bump_version: str | None = None
        self._ship_version: str | None = None
        #: The confirmation dialogs opened before their plan came (``None``: closed while
        #: checking), and the plans shown, waiting for a yes.
        self._dialogs: dict[str, ConfirmScreen | None] = {}
        self._plans: dict[str, Plan] = {}
        #: The bump menu while it is open (it fills once the version is read).
        self._bump_menu: BumpScreen | None = None
        #: How long the watch waits (tests shorten it; ``None``: the CLI's defaults).
        self.watch_limits: Limits | None = None
        #: The release in one go: its progress, whether it runs, whether the summary shows
        #: how it ended, and the rows it took over as they were before it started.
        self.ship_run: ShipRun | None = None
        self.shipping = False
        self._ship_shown = False
        self._before_ship: dict[str, RowView] = {}
        self._ship_stream: Callable[[str], None] = lambda text: None
        #: The ship plan shown in its dialog, waiting for a yes.
        self._ship_procedure: ShipProcedure | None = None

    @property
    def selected(self) -> Step:
        """The highlighted step."""
        index = self.query_one(StepList).highlighted or 0
        return self.steps[index]

    def step(self, step_id: str) -> Step:
        """The step with this id."""
        return next(step for step in self.steps if step.id == step_id)

    def _busy(self) -> bool:
        """True (and says so) while the release in one go runs."""
        if self.shipping:
            self.notify("Wait for the release to finish (see the ship row).", severity="warning")
        return self.shipping

    def _start_log(self, step_id: str) -> None:
        step = self.step(step_id)
        step.lines = ()
        self._logs[step_id] = []
        self.query_one(StepLog).begin(step_id, step.label)

    def _streamer(self, step_id: str) -> Callable[[str], None]:
        """A callback for a worker: output lines, posted in batches (every 50 lines or
        0.2 s); call it with ``FLUSH`` to post what is left."""
        import time

        batch: list[str] = []
        last = time.monotonic()

        def line(text: str) -> None:
            nonlocal last
            if text is not FLUSH:
                batch.append(text)
            if batch and (text is FLUSH or len(batch) >= 50 or time.monotonic() - last > 0.2):
                self.post_message(CommandOutput(step_id, batch.copy()))
                batch.clear()
                last = time.monotonic()

        return line

    def app_verdict(self, ok: bool) -> None:
        """Tell the app the exit code the CLI should return."""
        self.post_message(Verdict(ok))

    def _set(self, step: Step, state: State) -> None:
        """Put ``step`` in ``state`` and show it: its row, its details, the status line."""
        step.state = state
        self.query_one(StepList).show(self.steps.index(step), step, self.frame)
        if step is self.selected:
            self.show_details()
        self._summary()
        self.refresh_bindings()

    def _spin_on(self) -> None:
        if self._spinner is None:
            self._spinner = self.set_interval(0.1, self._spin)

    def _spin(self) -> None:
        running = [step for step in self.steps if step.state is State.RUNNING]
        if not running and self._spinner is not None:
            self._spinner.stop()
            self._spinner = None
            return
        self.frame += 1
        steps = self.query_one(StepList)
        for step in running:
            steps.show(self.steps.index(step), step, self.frame)
        self._on_frame()

    def _on_frame(self) -> None:
        """Each turn of the spinner (the release in one go turns its marks too)."""

    def show_details(self) -> None:
        """Render the selected step in the details pane."""
        step = self.selected
        extra: list[str] = []
        located = self._located(step)
        if located is not None:
            extra.append(f"e opens {located.location()} in $EDITOR.")
        self.query_one(DetailsPane).show(step_details(step, extra))

    def _select_first_problem(self) -> None:
        for index, step in enumerate(self.steps):
            if (
                step.kind is StepKind.CHECK
                and step.result is not None
                and step.result.blocks_release
            ):
                self.query_one(StepList).highlighted = index
                self._moved_by_user = False
                return

    @staticmethod
    def _located(step: Step) -> Finding | None:
        findings = step.result.findings if step.result is not None else ()
        located = [f for f in findings if f.path is not None]
        errors = [f for f in located if f.severity is Severity.ERROR]
        chosen = errors or located
        return chosen[0] if chosen else None

    def _summary(self) -> None:
        """The status line, from the state (the release in one go speaks while it runs)."""
        line = ship_summary(self.ship_run, self.shipping, self._ship_shown)
        if line is None or self.memory.problem is not None:
            line = status_line(self.steps, self.facts, self.memory)
        self.query_one(StatusLine).line = line

    def _settle_release_steps(self, facts: ReleaseFacts) -> None:
        """Show the release rows as the facts and the session's memory give them."""
        for step_id, (state, note, lines) in release_rows(self.steps, facts, self.memory).items():
            step = self.step(step_id)
            if step.state is State.RUNNING:
                continue  # its worker settles it
            step.note, step.lines = note, lines
            self._set(step, state)
        shipped = self.ship_run
        if shipped is not None and shipped.ok and shipped.tag == facts.tag:
            publish = self.step("publish")
            # Released in one go without starting the run: what core says is left to do.
            publish.lines = (*publish.lines, *(f"Next: {s}" for s in shipped.next_steps[:-1]))
