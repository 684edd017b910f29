"""The release in one go on the walkthrough: core's ship plan runs in a worker, its progress
(a :class:`~release_assistant.tui.step_list.ShipRun`) shows on the ship row and the rows of the
steps it takes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on

from release_assistant.tui.flows.checks import CheckFlow
from release_assistant.tui.messages import (
    CommandOutput,
    ShipFinished,
    ShipStepDone,
    ShipStepStarted,
)
from release_assistant.tui.render import ship_blocks
from release_assistant.tui.step_list import (
    ShipRun,
    State,
    StepKind,
    check_steps,
)
from release_assistant.tui.widgets.details import DetailsPane
from release_assistant.tui.widgets.log import StepLog
from release_assistant.tui.widgets.steplist import StepList

if TYPE_CHECKING:
    from release_assistant.core.release.ship import ShipProcedure


class ShipFlow(CheckFlow):
    """Runs a confirmed ship plan and shows its progress."""

    def start_ship(self, procedure: ShipProcedure) -> None:
        """Run the confirmed plan: the ship row shows every step live, and the rows of the
        separate steps (bump, commands, build, report, tag, push, publish) follow it."""
        actions = procedure.plan.actions
        run = ShipRun.of([(a.mark, a.description, a.step) for a in actions], procedure.tag)
        self.ship_run = run
        self._ship_version = str(procedure.new)
        self.shipping = True
        self._ship_shown = True
        self._before_ship = {
            row: (self.step(row).state, self.step(row).note, self.step(row).lines)
            for row in run.touched_rows()
        }
        self._start_log("ship")
        ship = self.step("ship")
        self._moved_by_user = True  # the ship row stays selected while it runs
        self.query_one(StepList).highlighted = self.steps.index(ship)
        self._set(ship, State.RUNNING)
        self._spin_on()
        self._show_ship()
        self.run_ship(procedure)

    @on(ShipStepStarted)
    def ship_step_started(self, message: ShipStepStarted) -> None:
        """A step of the ship plan started: its mark turns, and so does its row's."""
        if self.ship_run is not None:
            self.ship_run.start(message.index)
            self._show_ship()

    @on(ShipStepDone)
    def ship_step_done(self, message: ShipStepDone) -> None:
        """A step of the ship plan succeeded: its result shows."""
        if self.ship_run is not None:
            self.ship_run.done(message.index, message.result)
            self._show_ship()

    @on(ShipFinished)
    def ship_finished(self, message: ShipFinished) -> None:
        """Show how the release ended: released (and what is next), or the error, its
        recovery and what the rollback undid; then judge the repository again."""
        run = self.ship_run
        if run is None:
            return
        outcome = message.outcome
        execution = outcome.execution
        run.end(
            outcome.ok,
            error=execution.error,
            recovery=execution.recovery,
            undone=outcome.undone,
            next_steps=outcome.next_steps,
            report_paths=outcome.report_paths,
        )
        self.shipping = False
        self._show_ship()
        ship = self.step("ship")
        self._set(ship, State.PASS if run.ok else State.FAIL)
        self.query_one(DetailsPane).to_top()  # the outcome is written first
        # After the push nothing is undone: the push step stays done even if starting the
        # run failed (the ship row then says how to finish).
        if run.ok:
            self.memory.published = run.run_started
            self.memory.bumped_to = self._ship_version
            report = self.step("report")
            report.lines = (*run.report_paths, "It records the checks at the release commit.")
            self.notify(run.summary(), title="Released", timeout=10)
        else:
            lines = [execution.error or "failed", *execution.recovery]
            if run.undone:
                lines += ["Rolled back, nothing reached origin:", *run.undone]
            lines += list(run.next_steps)
            self.notify("\n".join(lines), title="Release failed", severity="error", timeout=20)
        self._full_run = False
        self.run_checks([s.id for s in check_steps(self.steps)])

    def _show_ship(self) -> None:
        """Render the release in one go: the ship row's details (every plan step, its
        output, how it ended) and the rows of the steps it runs; a row whose work the
        rollback undid (or never reached) is shown as it was before."""
        run = self.ship_run
        if run is None:
            return
        for row in run.touched_rows():
            step = self.step(row)
            view = run.row_view(row, self._before_ship.get(row))
            if view is not None and (step.state, step.note) != view[:2]:
                step.note, step.lines = view[1], view[2]
                self._set(step, view[0])
        ship = self.step("ship")
        ship.note = run.note()
        output = self._logs.get("ship", [])
        # While it runs, the tail of the output under the steps (the pane follows it).
        shown = output[-40:] if run.finished else output[-12:]
        tail = ("output:\n" + "\n".join(shown),) if output else ()
        ship.lines = (*ship_blocks(run, self.frame), *tail)
        if self.selected is ship:
            self.show_details()
            if not run.finished:
                self.query_one(DetailsPane).follow()
        self._summary()

    def _on_frame(self) -> None:
        """While the release in one go runs, its running step's mark turns too."""
        if self.shipping and self.selected.kind is StepKind.SHIP:
            self._show_ship()

    @on(CommandOutput)
    def command_output(self, message: CommandOutput) -> None:
        """Append the lines to the log and to the step's details (the last 200 there)."""
        self.query_one(StepLog).add(message.step_id, message.lines)
        log = [*self._logs.get(message.step_id, []), *message.lines][-200:]
        self._logs[message.step_id] = log
        if message.step_id == "ship":
            self._show_ship()
            return
        step = self.step(message.step_id)
        step.lines = ("\n".join(log),)
        if self.selected is step:
            self.show_details()
