"""Show, confirm, do: the walkthrough's dialogs open at once ("checking…"), fill when the plan
is ready, and run it only after a yes; the bump menu opens the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on

from release_assistant.tui.flows.ship import ShipFlow
from release_assistant.tui.messages import (
    BumpMenuReady,
    PlanExecuted,
    PlanReady,
    PlanRefused,
    ShipPlanned,
)
from release_assistant.tui.render import plan_text
from release_assistant.tui.screens.dialogs import BumpScreen, ConfirmScreen
from release_assistant.tui.step_list import (
    State,
    check_steps,
)

#: The questions the confirmation dialog asks for each changing step.
_QUESTIONS = {
    "bump": "Write this version bump?",
    "tag": "Create this tag?",
    "push": "Push the tag to origin now?",
    "publish": "Publish this GitHub release? (It starts the release workflow.)",
    "build": "Rebuild dist/ now?",
    "ship": "Release: every step below, in one go?",
}


class PlanFlow(ShipFlow):
    """The dialogs of the changing steps: bump, tag, push, publish, build, ship."""

    def start_build(self) -> None:
        """Plan a clean rebuild of ``dist/``; after a yes its output streams like a command."""
        from release_assistant.core.release.build import build_available

        if not build_available():
            step = self.step("build")
            # A blocking step that cannot run has failed (never "skip"): it names the fix.
            step.note = "PyPA's build is not installed: pip install build"
            self._set(step, State.FAIL)
            self._summary()
            self.refresh_bindings()
            return
        self._start_log("build")
        self._await_plan(
            "build", "checking… finding what the rebuild replaces in dist/", self.plan_build
        )

    def _open_bump_menu(self, purpose: str) -> None:
        """Open the bump menu now ("checking…" while the version is read); a choice plans
        the bump (``bump``) or the release in one go (``ship``)."""

        def chosen(choice: str | None) -> None:
            self._bump_menu = None
            if choice is not None and purpose == "ship":
                self._await_plan(
                    "ship",
                    "checking… planning every step of the release (bump, commands, build, "
                    "checks, tag, push)",
                    lambda: self.prepare_ship(choice),
                    yes="Release",
                )
            elif choice is not None:
                self._await_plan(
                    "bump",
                    "checking… reading the files the bump edits",
                    lambda: self.plan_bump(choice),
                )

        if purpose == "ship":
            screen = BumpScreen(
                None,
                [],
                "Release: bump version {current} to…",
                "enter: show the whole release plan · escape: cancel (nothing is changed yet)",
            )
        else:
            screen = BumpScreen(None, [])
        screen.on_shown = lambda: self.load_bump_menu(purpose)
        self._bump_menu = screen
        self.app.push_screen(screen, chosen)

    @on(BumpMenuReady)
    def bump_menu_ready(self, message: BumpMenuReady) -> None:
        """Fill the bump menu with the current version and each choice's result."""
        if self._bump_menu is not None:
            self._bump_menu.show_options(message.current, message.options)

    @on(ShipPlanned)
    def ship_planned(self, message: ShipPlanned) -> None:
        """Show the whole ship plan (diffs, notes, every step); a yes runs it."""
        procedure = message.procedure
        waiting = "ship" in self._dialogs
        dialog = self._dialogs.pop("ship", None)
        if waiting and dialog is None:
            return  # the dialog was closed before the plan came
        self._ship_procedure = procedure
        question = f"Release {procedure.tag}: every step below, in one go?"
        body = plan_text(procedure.plan)
        if dialog is not None:
            dialog.show_plan(body, question)
            return
        screen = ConfirmScreen(question, body, yes="Release")
        self.app.push_screen(screen, lambda yes: self._answered("ship", yes))

    def _await_plan(
        self, step_id: str, waiting: str, gather: Callable[[], object], yes: str = "Yes"
    ) -> None:
        """Open ``step_id``'s confirmation dialog now, saying ``waiting`` until its plan
        comes (:meth:`plan_ready` fills it, :meth:`plan_refused` says why not); ``gather``
        (a worker) starts once the dialog is on screen."""
        question = _QUESTIONS.get(step_id, "Go ahead?")
        dialog = ConfirmScreen(question, None, yes=yes, waiting=waiting, on_shown=gather)
        self._dialogs[step_id] = dialog
        self.app.push_screen(dialog, lambda yes: self._answered(step_id, yes))

    def _answered(self, step_id: str, yes: bool | None) -> None:
        plan = self._plans.pop(step_id, None)
        if self._dialogs.get(step_id) is not None:
            self._dialogs[step_id] = None  # closed while checking: its plan is dropped
        if step_id == "ship":
            procedure, self._ship_procedure = self._ship_procedure, None
            if yes and procedure is not None:
                self.start_ship(procedure)
            else:
                self.notify("Cancelled: nothing was changed.")
            return
        if yes and plan is not None:
            self.execute(step_id, plan)
        else:
            self.notify("Cancelled: nothing was changed.")

    @on(PlanReady)
    def plan_ready(self, message: PlanReady) -> None:
        """Show the plan (and what it writes) in the confirmation dialog; a yes runs it."""
        step_id, plan = message.step_id, message.plan
        waiting = step_id in self._dialogs
        dialog = self._dialogs.pop(step_id, None)
        if waiting and dialog is None:
            return  # the dialog was closed before the plan came
        if not plan.actions:
            if dialog is not None:
                dialog.dismiss(False)
            self.notify("Nothing to do: " + "; ".join(plan.notes or (plan.title,)))
            return
        if step_id == "bump":
            self._bump_version = message.version
        self._plans[step_id] = plan
        body = plan_text(plan, message.notes, step_id)
        if dialog is not None:
            dialog.show_plan(body)
            return
        question = _QUESTIONS.get(step_id, "Go ahead?")
        self.app.push_screen(
            ConfirmScreen(question, body), lambda yes: self._answered(step_id, yes)
        )

    @on(PlanRefused)
    def plan_refused(self, message: PlanRefused) -> None:
        """Say why a step cannot be done."""
        step = self.step(message.step_id)
        step.lines = (f"Refused: {message.message}",)
        if message.step_id == "watch":
            self.memory.watching = False
        if message.step_id in ("build", "commands"):
            # Pre-release steps block the tag: one that cannot run has failed.
            self._set(step, State.FAIL)
        else:
            self._set(step, step.state if step.state is not State.RUNNING else State.PENDING)
        titles = {
            "tag": "Tag refused",
            "push": "Push refused",
            "watch": "Cannot watch",
            "ship": "Release refused",
        }
        title = titles.get(message.step_id, "Refused")
        if self._bump_menu is not None and message.step_id in ("bump", "ship"):
            self._bump_menu.refuse(message.message)
            return
        dialog = self._dialogs.pop(message.step_id, None)
        if dialog is not None:
            dialog.refuse(message.message)  # the open dialog says it: no toast over it
            return
        self.notify(message.message, title=title, severity="error", timeout=10)

    @on(PlanExecuted)
    def plan_executed(self, message: PlanExecuted) -> None:
        """Show what a plan did; after a tag, offer the push; after a bump, re-check."""
        step = self.step(message.step_id)
        execution = message.execution
        self._ship_shown = False  # the summary follows the steps taken one by one now
        done = [outcome.result for outcome in execution.done if outcome.result]
        log = step.lines if message.step_id in self._logs else ()
        if execution.ok:
            step.note = "Done."
            step.lines = (*log, *done)
            if message.step_id == "publish":
                self.memory.published = True
                page = self.facts.publish_url if self.facts is not None else None
                if page is not None:
                    runs = page.split("/releases/new", 1)[0] + "/actions"
                    step.lines = (*step.lines, f"Follow the release workflow: {runs}")
                self.start_watch()  # the last step follows the run it started
            self._set(step, State.PASS)
        else:
            step.note = f"Failed: {execution.error}"
            step.lines = (
                *log,
                *done,
                *(f"not done: {a.description}" for a in execution.not_run),
                *execution.recovery,
            )
            self._set(step, State.FAIL)
            self.notify(
                "\n".join([execution.error or "failed", *execution.recovery]),
                title=f"{message.step_id} failed",
                severity="error",
                timeout=15,
            )
        if message.step_id == "bump" and execution.ok:
            self.memory.bumped_to = self._bump_version
            self.notify("Version bumped: commit the files, push, then re-run (r).")
            self.action_run_all()
        elif message.step_id == "tag" and execution.ok:
            # The report records the checks that cleared this tag, for the tagged commit.
            self.write_report()
            # Offer the push right away: its dialog opens now and fills once planned.
            self._await_plan(
                "push",
                "checking… every check runs again, then the push is planned",
                lambda: self.plan_tag(push=True),
            )
        else:
            self.run_checks([s.id for s in check_steps(self.steps)])
