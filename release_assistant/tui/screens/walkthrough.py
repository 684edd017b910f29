"""The walkthrough: every check, then the release (in one go, or report, bump, tag, push and
publish one by one), as one step list.

The screen is thin: its layout, its keys and the handlers of the checks' messages. Its parts
live in :mod:`release_assistant.tui.flows`: the state and its rendering (``view``: every row
and the status line computed by :mod:`release_assistant.tui.release_state`), the workers (which call
:mod:`release_assistant.tui.core_calls`, which calls core, off the UI thread), the release in one go
(``ship``: core's ship plan, the same as ``release-assistant ship``) and the show-confirm-do
dialogs (``plans``). The widgets are in :mod:`release_assistant.tui.widgets`.
"""

from __future__ import annotations

import subprocess
from typing import ClassVar

from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, OptionList
from textual.worker import Worker, WorkerState

from release_assistant.tui import core_calls
from release_assistant.tui.flows.plans import PlanFlow
from release_assistant.tui.flows.view import SHIP_NOTE
from release_assistant.tui.release_state import (
    GATED_ACTIONS,
    enabled,
    tag_blockers,
)
from release_assistant.tui.step_list import (
    BUSY_ACTIONS,
    State,
    StepKind,
)
from release_assistant.tui.widgets.details import DetailsPane
from release_assistant.tui.widgets.log import StepLog
from release_assistant.tui.widgets.status import StatusLine
from release_assistant.tui.widgets.steplist import StepList

#: Set to 1 to build without an isolated environment (``release-assistant build --no-isolation``),
#: in the build step and in the release in one go.
NO_ISOLATION_VARIABLE = core_calls.NO_ISOLATION_VARIABLE
__all__ = ["NO_ISOLATION_VARIABLE", "SHIP_NOTE", "WalkthroughScreen"]


class WalkthroughScreen(PlanFlow):
    """The release procedure as an ordered step list with live status and details."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "run_all", "All"),
        Binding("f", "rerun_failed", "Failed"),
        Binding("e", "edit", "Edit"),
        Binding("b", "bump", "Bump"),
        Binding("t", "tag", "Tag"),
        Binding("p", "push", "Push"),
        Binding("S", "ship", "Ship"),
        Binding("s", "app.setup", "Setup"),
        # In the help (?) and the palette: the footer keeps 80 columns.
        Binding("h", "app.troubleshoot", "Trouble", show=False),
        Binding("l", "toggle_log", "Log", show=False),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit_with_verdict", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        """Status line, the step list beside the details pane, and the footer of keys."""
        yield Header()
        yield StatusLine("Starting…", id="summary")
        with Horizontal(id="body"):
            yield StepList(self.steps, id="steps")
            with Vertical(id="side"):
                yield DetailsPane(id="details")
                log = StepLog(id="log")
                log.display = False  # l shows it: the details keep the whole height
                yield log
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p is in the help (?)

    def on_mount(self) -> None:
        """Select the first step; every check runs once the first frame is painted."""
        steps = self.query_one(StepList)
        steps.border_title = "Release steps"
        self.query_one(DetailsPane).border_title = "Details"
        steps.highlighted = 0
        steps.focus()
        # The first frame (every step pending) comes first: the checks start after it.
        self.call_after_refresh(self.action_run_all)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Disable (grey out) what does not apply now; the footer and palette follow."""
        if self.shipping and action in BUSY_ACTIONS:
            return None  # the release in one go owns the work tree until it ends
        if action in GATED_ACTIONS:
            return True if enabled(action, self.steps, self.facts, self.memory) else None
        if action == "edit":
            return True if self._located(self.selected) is not None else None
        return True

    def action_run_step(self) -> None:
        """Run the selected step, whatever its kind."""
        step = self.selected
        if step.kind is StepKind.SHIP:
            self.action_ship()
        elif self._busy():
            return
        elif step.kind is StepKind.CHECK:
            self._full_run = False
            self.run_checks([step.id])
        elif step.kind is StepKind.COMMANDS:
            self.start_commands()
        elif step.kind is StepKind.BUILD:
            self.start_build()
        elif step.kind is StepKind.REPORT:
            self.write_report()
        elif step.kind is StepKind.BUMP:
            self.action_bump()
        elif step.kind is StepKind.TAG:
            self.action_tag()
        elif step.kind is StepKind.PUSH:
            self.action_push()
        elif step.kind is StepKind.WATCH:
            self.start_watch()
        else:
            self.publish()

    @on(OptionList.OptionSelected, "#steps")
    def selected_with_enter(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a click) on a step runs it."""
        event.stop()
        self.action_run_step()

    @on(OptionList.OptionHighlighted, "#steps")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show the highlighted step's details."""
        if event.option_index != 0 or self._moved_by_user:
            self._moved_by_user = True
        self.show_details()
        self.refresh_bindings()

    def action_bump(self) -> None:
        """Open the bump menu (choices with the versions they give)."""
        if not self._busy():
            self._open_bump_menu("bump")

    def action_ship(self) -> None:
        """The release in one go: the bump menu, then the whole plan to confirm."""
        if not self._busy():
            self._open_bump_menu("ship")

    def action_tag(self) -> None:
        """Re-run the checks, then show the tag plan for confirmation."""
        if self._busy():
            return
        blockers = tag_blockers(self.steps, self.facts)
        if blockers or self.memory.problem:
            reason = self.memory.problem or "blocking steps: " + ", ".join(blockers)
            self.notify(f"Not tagging: {reason}", title="Tag refused", severity="error")
            return
        self._await_plan(
            "tag",
            "checking… every check runs again, then the tag is planned",
            lambda: self.plan_tag(push=False),
        )

    def action_push(self) -> None:
        """Show the push plan for confirmation (the tag must exist on HEAD)."""
        if self._busy():
            return
        if not enabled("push", self.steps, self.facts, self.memory):
            on_origin = self.facts is not None and self.facts.tag_on_origin
            self.notify(
                "Origin has the tag already." if on_origin else "Create the tag first (t).",
                title="Nothing to push",
                severity="warning",
            )
            return
        self._await_plan(
            "push",
            "checking… every check runs again, then the push is planned",
            lambda: self.plan_tag(push=True),
        )

    def action_toggle_log(self) -> None:
        """Show the log (and focus it, so the keys scroll it), or hide it again."""
        log = self.query_one(StepLog)
        log.display = not log.display
        if log.display:
            log.focus()
        else:
            self.query_one(StepList).focus()

    def action_edit(self) -> None:
        """Open the selected step's first located finding in $EDITOR, then re-check."""
        if self._busy():
            return
        step = self.selected
        finding = self._located(step)
        if finding is None or finding.path is None:
            self.notify("This step has no finding with a file.", severity="warning")
            return
        path = self.session.root / finding.path
        editor = core_calls.user_editor(self.session.environ or _environ())
        command = core_calls.editor_command(editor, str(path), finding.line)
        try:
            with self.app.suspend():
                subprocess.run(command, check=False)
        except SuspendNotSupported:
            self.notify(f"Cannot leave the screen here; run: {' '.join(command)}")
            return
        except OSError as error:
            self.notify(f"Cannot start {editor!r}: {error}", severity="error")
            return
        if step.kind is StepKind.CHECK:
            self.run_checks([step.id])

    def publish(self) -> None:
        """Publish the GitHub release through the API when a token is set (plan, confirm,
        do); without one, copy the prefilled release page address (OSC 52)."""
        from release_assistant.core.github.api import token_from

        facts = self.facts
        if facts is None or facts.publish_url is None:
            problem = facts.publish_problem if facts else "run the checks first"
            self.notify(f"No release page: {problem}", severity="warning")
            return
        if token_from(self.session.environ or _environ()) is not None:
            self._await_plan(
                "publish",
                "checking… asking GitHub whether the release exists",
                lambda: self.plan_publish(),
            )
            return
        self.app.copy_to_clipboard(facts.publish_url)
        self.notify(
            "Copied the release page address: open it, check the notes, press Publish. "
            "(With GH_TOKEN set, the walkthrough publishes it here.)",
            title="Publish the GitHub release",
        )

    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        """A worker that crashed is a bug: say so in the details, never a traceback."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.notify(
                f"{type(error).__name__}: {error}", title="Unexpected error", severity="error"
            )
            if event.worker.group == "watch":
                self.memory.watching = False
            if event.worker.group == "ship":
                # Core put the repository back before the error surfaced (unless it pushed).
                self.shipping = False
                self.step("ship").note = f"Stopped by an unexpected error: {error}"
            for step in self.steps:
                if step.state is State.RUNNING:
                    self._set(step, State.ERROR)


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)
