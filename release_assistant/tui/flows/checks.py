"""The walkthrough's own runs: the checks (and the report after a full run), the pre-release
commands, the build and the watch, and the messages their workers post."""

from __future__ import annotations

from textual import on

from release_assistant.tui.flows.workers import WalkthroughWorkers
from release_assistant.tui.messages import (
    CheckFinished,
    CommandsFinished,
    ReportWritten,
    RunFinished,
    StepStarted,
    WatchFinished,
)
from release_assistant.tui.release_state import (
    enabled,
    tag_blockers,
)
from release_assistant.tui.step_list import (
    State,
    check_steps,
    failed_checks,
    state_of,
)


class CheckFlow(WalkthroughWorkers):
    """Starts the checks, the commands, the build and the watch, and shows what they post."""

    @on(StepStarted)
    def step_started(self, message: StepStarted) -> None:
        """Mark the step running and keep the spinner turning."""
        self._set(self.step(message.step_id), State.RUNNING)
        self._spin_on()
        self._summary()

    @on(CheckFinished)
    def check_finished(self, message: CheckFinished) -> None:
        """Show a check's result."""
        step = self.step(message.result.id)
        step.result = message.result
        self._set(step, state_of(message.result))
        self._summary()

    @on(RunFinished)
    def run_finished(self, message: RunFinished) -> None:
        """Settle the release steps from the facts of the run; write the report."""
        self.memory.problem = message.problem
        if message.facts is not None:
            self.facts = message.facts
            self._settle_release_steps(message.facts)
        self._summary()
        if not self._moved_by_user:
            self._select_first_problem()
        if self._full_run and message.problem is None:
            self._full_run = False
            self.write_report()
        ok = message.problem is None and not any(s.blocks_release for s in self.steps)
        self.app_verdict(ok and not tag_blockers(self.steps, self.facts))

    @on(ReportWritten)
    def report_written(self, message: ReportWritten) -> None:
        """Show where the report is."""
        step = self.step("report")
        if message.problem is not None:
            step.note = f"Could not write the report: {message.problem}"
            step.lines = ()
            self._set(step, State.ERROR)
            return
        step.note = f"Written ({message.verdict}): it records exactly the checks that ran."
        step.lines = (*message.paths, "Attach it to the GitHub release, or keep it.")
        self._set(step, State.PASS)

    def action_run_all(self) -> None:
        """Run every check, then write the verification report."""
        if self._busy():
            return
        self._full_run = True
        self.run_checks([s.id for s in check_steps(self.steps)])

    def action_rerun_failed(self) -> None:
        """Run again only the checks that failed or errored."""
        if self._busy():
            return
        failed = [step.id for step in failed_checks(self.steps)]
        if failed:
            self._full_run = False
            self.run_checks(failed)

    def action_commands(self) -> None:
        """Run the pre-release commands (the palette's entry)."""
        if self._busy():
            return
        self.start_commands()

    def start_commands(self) -> None:
        """Run the pre-release commands, their output streaming into the step's details."""
        self._start_log("commands")
        self.run_commands()

    def start_watch(self) -> None:
        """Follow the release's workflow run to the files on the index (in a worker)."""
        if not enabled("watch", self.steps, self.facts, self.memory):
            if not self.memory.watching:
                self.notify(
                    "Nothing to watch yet: the tag must be on origin (push it first).",
                    title="Cannot watch",
                    severity="warning",
                )
            return
        self._start_log("watch")
        self.watch_result = None
        self.memory.watched = None
        self.memory.watching = True
        self.watch_release()

    @on(CommandsFinished)
    def commands_finished(self, message: CommandsFinished) -> None:
        """Pass, or fail naming the command (a failure blocks the tag)."""
        step = self.step("commands")
        if message.ran == 0:
            step.note = (
                "Nothing to run: no [tool.release-assistant] commands and no "
                ".pre-commit-config.yaml."
            )
            self._set(step, State.SKIP)
        elif message.failed is None:
            step.note = f"All {message.ran} command(s) passed."
            self._set(step, State.PASS)
        else:
            step.note = f"Failed: {message.failed} (fix it, then run this step again)"
            self._set(step, State.FAIL)
        self._summary()
        self.refresh_bindings()

    @on(WatchFinished)
    def watch_finished(self, message: WatchFinished) -> None:
        """Show the outcome: the files and attestations, or the failed job's log tail and
        the fix of a known publish error."""
        from release_assistant.core.release.watch import result_lines

        result = message.result
        self.watch_result = result
        self.memory.watching = False
        self.memory.watched = result.ok
        step = self.step("watch")
        summary, *details = result_lines(result)
        step.note = summary
        progress = self._logs.get("watch", [])
        step.lines = (*details, *(("progress:", "\n".join(progress)) if progress else ()))
        self._set(step, State.PASS if result.ok else State.FAIL)
        if not result.ok:
            self.notify(
                result.summary, title="The release did not arrive", severity="error", timeout=15
            )
