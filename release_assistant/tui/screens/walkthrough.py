"""The walkthrough: every check, then the release (in one go, or report, bump, tag, push and
publish one by one), as one step list.

The screen is thin: workers call :mod:`release_assistant.tui.jobs` (which calls core) off the
UI thread and answer with typed messages; handlers update the step list and the details pane;
plans are shown in a :class:`ConfirmScreen` and run only after a yes. The release in one go
(``S``) runs core's ship plan (:mod:`release_assistant.core.release.ship`), the same plan as
``release-assistant ship``; its progress is a :class:`~release_assistant.tui.model.ShipRun`.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from release_assistant.core.engine import REGISTRY
from release_assistant.core.findings import Finding, Severity
from release_assistant.core.release.plan import Action, Plan, StepOutcome
from release_assistant.core.release.watch import Limits, WatchResult
from release_assistant.tui import jobs
from release_assistant.tui.messages import (
    BumpMenuReady,
    CheckFinished,
    CommandOutput,
    CommandsFinished,
    PlanExecuted,
    PlanReady,
    PlanRefused,
    ReportWritten,
    RunFinished,
    ShipFinished,
    ShipPlanned,
    ShipStepDone,
    ShipStepStarted,
    StepStarted,
    Verdict,
)
from release_assistant.tui.model import (
    BUSY_ACTIONS,
    RowView,
    ShipRun,
    State,
    Step,
    StepKind,
    build_steps,
    check_steps,
    failed_checks,
    ship_summary,
    state_of,
)
from release_assistant.tui.render import plan_text, ship_blocks, step_details, step_row
from release_assistant.tui.screens.dialogs import CHECKING, BumpScreen, ConfirmScreen
from release_assistant.tui.steps import (
    GATED_ACTIONS,
    Memory,
    ReleaseFacts,
    enabled,
    release_rows,
    status_line,
    tag_blockers,
)

if TYPE_CHECKING:
    from release_assistant.core.release.ship import ShipProcedure

#: Set to 1 to build without an isolated environment (``release-assistant build --no-isolation``),
#: in the build step and in the release in one go.
NO_ISOLATION_VARIABLE = jobs.NO_ISOLATION_VARIABLE
#: What the ship row says before the release in one go ran.
SHIP_NOTE = (
    "S (or enter here) releases the next version in one go: choose the bump, read the whole "
    "plan, say yes once. Bump, release commit, pre-release commands, build, every check at "
    "the release commit, annotated tag, one push of the branch and the tag. A failure before "
    "the push puts everything back as it was. The steps below do the same one by one."
)
#: Passed to a streamer to post the lines still batched (compared by identity).
_FLUSH = "\x00flush"

#: The questions the confirmation dialog asks for each changing step.
_QUESTIONS = {
    "bump": "Write this version bump?",
    "tag": "Create this tag?",
    "push": "Push the tag to origin now?",
    "publish": "Publish this GitHub release? (It starts the release workflow.)",
    "build": "Rebuild dist/ now?",
}


class WatchFinished(Message):
    """The watch of the release run ended with ``result``."""

    def __init__(self, result: WatchResult) -> None:
        super().__init__()
        self.result = result


class StepList(OptionList):
    """The step list: enter runs the highlighted step (and says so in the footer)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Run")]


class WalkthroughScreen(Screen[None]):
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
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit_with_verdict", "Quit"),
    ]

    def __init__(self, session: jobs.Session) -> None:
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
        #: How long the watch waits (tests shorten it; the CLI's defaults otherwise).
        self.watch_limits = Limits()
        #: The release in one go: its progress, whether it runs, whether the summary shows
        #: how it ended, and the rows it took over as they were before it started.
        self.ship_run: ShipRun | None = None
        self.shipping = False
        self._ship_shown = False
        self._before_ship: dict[str, RowView] = {}
        self._ship_stream: Callable[[str], None] = lambda text: None

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Summary, the step list beside the details pane, and the footer of keys."""
        yield Header()
        yield Static("Starting…", id="summary")
        with Horizontal(id="body"):
            yield StepList(
                *[Option(step_row(i, s), id=s.id) for i, s in enumerate(self.steps, 1)],
                id="steps",
            )
            with VerticalScroll(id="details"):
                yield Static("", id="details-text")
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p is in the help (?)

    def on_mount(self) -> None:
        """Select the first step; every check runs once the first frame is painted."""
        steps = self.query_one("#steps", OptionList)
        steps.border_title = "Release steps"
        self.query_one("#details", VerticalScroll).border_title = "Details"
        steps.highlighted = 0
        steps.focus()
        # The first frame (every step pending) comes first: the checks start after it.
        self.call_after_refresh(self.action_run_all)

    # --- keys ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Disable (grey out) what does not apply now; the footer and palette follow."""
        if self.shipping and action in BUSY_ACTIONS:
            return None  # the release in one go owns the work tree until it ends
        if action in GATED_ACTIONS:
            return True if enabled(action, self.steps, self.facts, self.memory) else None
        if action == "edit":
            return True if self._located(self.selected) is not None else None
        return True

    @property
    def selected(self) -> Step:
        """The highlighted step."""
        index = self.query_one("#steps", OptionList).highlighted or 0
        return self.steps[index]

    def step(self, step_id: str) -> Step:
        """The step with this id."""
        return next(step for step in self.steps if step.id == step_id)

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

    def _busy(self) -> bool:
        """True (and says so) while the release in one go runs."""
        if self.shipping:
            self.notify("Wait for the release to finish (see the ship row).", severity="warning")
        return self.shipping

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
        self._await_plan("tag", "checking… every check runs again, then the tag is planned")
        self.plan_tag(push=False)

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
        self._await_plan("push", "checking… every check runs again, then the push is planned")
        self.plan_tag(push=True)

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
        editor = jobs.user_editor(self.session.environ or _environ())
        command = jobs.editor_command(editor, str(path), finding.line)
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
            self._await_plan("publish", "checking… asking GitHub whether the release exists")
            self.plan_publish()
            return
        self.app.copy_to_clipboard(facts.publish_url)
        self.notify(
            "Copied the release page address: open it, check the notes, press Publish. "
            "(With GH_TOKEN set, the walkthrough publishes it here.)",
            title="Publish the GitHub release",
        )

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

    # --- workers -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def watch_release(self) -> None:
        """Worker: the core watch's progress lines and, last, its result; the pauses are
        slept here in short slices, so leaving the screen stops it at once."""
        import time

        from release_assistant.core.redact import redact
        from release_assistant.core.release.watch import Progress, Wait, WatchRefused, watch

        worker = get_current_worker()
        self.post_message(StepStarted("watch"))
        ctx = self.session.context()
        try:
            target, github, index = jobs.watch_setup(ctx)
        except WatchRefused as refusal:
            self.post_message(PlanRefused("watch", str(refusal)))
            return
        line = self._streamer("watch")
        line(f"expected: {target.expected.describe()}")
        for event in watch(target, github, index, limits=self.watch_limits):
            if worker.is_cancelled:
                return
            if isinstance(event, Wait):
                until = time.monotonic() + event.seconds
                while not worker.is_cancelled and time.monotonic() < until:
                    time.sleep(min(0.2, max(0.0, until - time.monotonic())))
            elif isinstance(event, Progress):
                line(redact(event.message, ctx.environ))
            else:
                line(_FLUSH)
                self.post_message(WatchFinished(event))

    @work(thread=True, exclusive=True, group="checks", exit_on_error=False)
    def run_checks(self, ids: list[str]) -> None:
        """Worker: run the checks ``ids`` in order, posting each start and result."""
        from release_assistant.core.project.config import ConfigError

        worker = get_current_worker()
        try:
            ctx = self.session.context()
        except ConfigError as error:
            self.post_message(RunFinished(None, str(error)))
            return
        for check_id in ids:
            if worker.is_cancelled:
                return
            self.post_message(StepStarted(check_id))
            self.post_message(CheckFinished(jobs.run_check(ctx, check_id)))
        self.post_message(RunFinished(jobs.release_facts(ctx)))

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def write_report(self) -> None:
        """Worker: write the verification report of the latest results."""
        from release_assistant.core.support.textfiles import FileProblem

        results = [s.result for s in check_steps(self.steps) if s.result is not None]
        self.post_message(StepStarted("report"))
        try:
            ctx = self.session.context()
            facts = self.facts or jobs.release_facts(ctx)
            paths = jobs.write_report(ctx, results, facts)
        except (FileProblem, OSError) as error:
            self.post_message(ReportWritten((), "", str(error)))
            return
        ok = not any(result.blocks_release for result in results)
        verdict = "ready to release" if ok else "release blocked"
        if facts.head:
            verdict += f", for commit {facts.head[:12]}"
        self.post_message(ReportWritten(tuple(str(p) for p in paths), verdict, None))

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def load_bump_menu(self, purpose: str = "bump") -> None:
        """Worker: the current version and each bump's result, to bump (``purpose``
        ``bump``) or to release in one go (``ship``)."""
        from release_assistant.core.project.config import ConfigError
        from release_assistant.core.release.bump import BumpError

        try:
            current, options = jobs.bump_menu(self.session.context())
        except (BumpError, ConfigError) as error:
            self.post_message(PlanRefused(purpose, str(error)))
            return
        self.post_message(BumpMenuReady(current, options, purpose))

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def prepare_ship(self, choice: str) -> None:
        """Worker: plan the release in one go (reads only; the plan shows every step)."""
        from release_assistant.core.project.config import ConfigError
        from release_assistant.core.release.ship import ShipRefused

        # The output of the plan's commands (relock, pre-release commands, build) streams
        # into the ship row's details.
        self._ship_stream = self._streamer("ship")
        try:
            procedure = jobs.ship_plan(self.session, choice, self._ship_stream)
        except (ShipRefused, ConfigError) as refusal:
            self.post_message(PlanRefused("ship", str(refusal)))
            return
        self.post_message(ShipPlanned(procedure))

    @work(thread=True, exclusive=True, group="ship", exit_on_error=False)
    def run_ship(self, procedure: ShipProcedure) -> None:
        """Worker: run the confirmed ship plan, posting each step's start and result; core
        rolls back a failure before the push and says what it undid."""
        # Steps run in plan order, so a counter names them (one action may appear twice
        # in a plan: the push guard runs before the tag and again before the push).
        current = -1

        def started(action: Action) -> None:
            nonlocal current
            current += 1
            self._ship_stream(_FLUSH)  # the last step's output before the next step
            self.post_message(ShipStepStarted(current))

        def done(outcome: StepOutcome) -> None:
            self._ship_stream(_FLUSH)
            self.post_message(ShipStepDone(current, outcome.result))

        try:
            outcome = procedure.run(on_step=started, on_done=done)
        finally:
            self._ship_stream(_FLUSH)
        self.post_message(ShipFinished(outcome))

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def plan_bump(self, choice: str) -> None:
        """Worker: plan the bump (the diff of every file it writes)."""
        from release_assistant.core.release.bump import BumpError

        try:
            plan, version = jobs.bump_plan(self.session.context(), choice)
        except BumpError as error:
            self.post_message(PlanRefused("bump", str(error)))
            return
        self.post_message(PlanReady("bump", plan, version))

    @work(thread=True, exclusive=True, group="checks", exit_on_error=False)
    def plan_tag(self, push: bool) -> None:
        """Worker: run every check again (the tree may have changed), then plan the tag.

        Like ``release-assistant tag``: nothing is planned while a blocking check fails.
        """
        from release_assistant.core.git import GitProblem
        from release_assistant.core.release.tag import TagRefused

        step_id = "push" if push else "tag"
        ctx = self.session.context()
        results = []
        for check in check_steps(self.steps):
            self.post_message(StepStarted(check.id))
            result = jobs.run_check(ctx, check.id)
            results.append(result)
            self.post_message(CheckFinished(result))
        self.post_message(RunFinished(jobs.release_facts(ctx)))
        blocking = [result.id for result in results if result.blocks_release]
        if blocking:
            self.post_message(
                PlanRefused(step_id, f"blocking checks failed: {', '.join(blocking)}")
            )
            return
        try:
            plan = jobs.tag_plan(ctx, push=push)
        except (TagRefused, GitProblem) as error:
            self.post_message(PlanRefused(step_id, str(error)))
            return
        # The tag's message is the version's notes: the dialog shows what it writes.
        self.post_message(PlanReady(step_id, plan, notes=None if push else jobs.notes(ctx)))

    def action_commands(self) -> None:
        """Run the pre-release commands (the palette's entry)."""
        if self._busy():
            return
        self.start_commands()

    def start_commands(self) -> None:
        """Run the pre-release commands, their output streaming into the step's details."""
        self._start_log("commands")
        self.run_commands()

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
        self.plan_build()

    def _start_log(self, step_id: str) -> None:
        self.step(step_id).lines = ()
        self._logs[step_id] = []

    def _streamer(self, step_id: str) -> Callable[[str], None]:
        """A callback for a worker: output lines, posted in batches (every 50 lines or
        0.2 s); call it with ``_FLUSH`` to post what is left."""
        import time

        batch: list[str] = []
        last = time.monotonic()

        def line(text: str) -> None:
            nonlocal last
            if text is not _FLUSH:
                batch.append(text)
            if batch and (text is _FLUSH or len(batch) >= 50 or time.monotonic() - last > 0.2):
                self.post_message(CommandOutput(step_id, batch.copy()))
                batch.clear()
                last = time.monotonic()

        return line

    @work(thread=True, exclusive=True, group="commands", exit_on_error=False)
    def run_commands(self) -> None:
        """Worker: each command in turn, its output posted in batches; stop at a failure."""
        from release_assistant.core.release.commands import release_commands, run_command

        ctx = self.session.context()
        commands = release_commands(ctx)
        self.post_message(StepStarted("commands"))
        line = self._streamer("commands")
        for command in commands:
            line(f"$ {command}")
            code = run_command(command, ctx.root_dir, line, environ=dict(ctx.environ))
            if code != 0:
                line(f"exit code {code}" if code is not None else "did not finish")
                line(_FLUSH)
                self.post_message(CommandsFinished(len(commands), command))
                return
        line(_FLUSH)
        self.post_message(CommandsFinished(len(commands), None))

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def plan_build(self) -> None:
        """Worker: the rebuild's plan (which old files go), its output streamed when run."""
        from release_assistant.core.release.build import BuildRefused, plan_build

        self._build_stream = self._streamer("build")
        ctx = self.session.context()
        # The walkthrough's `--no-isolation`: build with this environment's backend.
        isolation = jobs.build_isolation(ctx.environ)
        try:
            plan = plan_build(ctx.root_dir, isolation=isolation, on_line=self._build_stream)
        except BuildRefused as refusal:
            self.post_message(PlanRefused("build", str(refusal)))
            return
        self.post_message(PlanReady("build", plan))

    @on(CommandOutput)
    def command_output(self, message: CommandOutput) -> None:
        """Append the lines to the step's log (the last 200 are kept on screen)."""
        log = [*self._logs.get(message.step_id, []), *message.lines][-200:]
        self._logs[message.step_id] = log
        if message.step_id == "ship":
            self._show_ship()
            return
        step = self.step(message.step_id)
        step.lines = ("\n".join(log),)
        if self.selected is step:
            self.show_details()

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

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def plan_publish(self) -> None:
        """Worker: make sure origin has the tag and no release exists, then plan the release."""
        from release_assistant.core.github.api import token_from
        from release_assistant.core.release.github import ReleaseRefused

        ctx = self.session.context()
        token = token_from(ctx.environ)
        if token is None:
            self.post_message(PlanRefused("publish", "no GH_TOKEN or GITHUB_TOKEN"))
            return
        try:
            plan = jobs.release_plan(ctx, token)
        except ReleaseRefused as refusal:
            self.post_message(PlanRefused("publish", str(refusal)))
            return
        self.post_message(PlanReady("publish", plan, notes=jobs.notes(ctx)))

    @work(thread=True, exclusive=True, group="execute", exit_on_error=False)
    def execute(self, step_id: str, plan: Plan) -> None:
        """Worker: run a confirmed plan, step by step."""
        from release_assistant.core.release.plan import execute

        self.post_message(StepStarted(step_id))
        execution = execute(plan)
        if step_id == "build":
            self._build_stream(_FLUSH)  # the build's last lines, before its verdict
        self.post_message(PlanExecuted(step_id, plan, execution))

    # --- messages ------------------------------------------------------------------------

    @on(StepStarted)
    def step_started(self, message: StepStarted) -> None:
        """Mark the step running and keep the spinner turning."""
        self._set(self.step(message.step_id), State.RUNNING)
        self._spin_on()
        self._summary()

    def _spin_on(self) -> None:
        if self._spinner is None:
            self._spinner = self.set_interval(0.1, self._spin)

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

    def _open_bump_menu(self, purpose: str) -> None:
        """Open the bump menu now ("checking…" while the version is read); a choice plans
        the bump (``bump``) or the release in one go (``ship``)."""

        def chosen(choice: str | None) -> None:
            self._bump_menu = None
            if choice is not None and purpose == "ship":
                self.prepare_ship(choice)
            elif choice is not None:
                self._await_plan("bump", "checking… reading the files the bump edits")
                self.plan_bump(choice)

        if purpose == "ship":
            screen = BumpScreen(
                None,
                [],
                "Release: bump version {current} to…",
                "enter: show the whole release plan · escape: cancel (nothing is changed yet)",
            )
        else:
            screen = BumpScreen(None, [])
        self._bump_menu = screen
        self.app.push_screen(screen, chosen)
        self.load_bump_menu(purpose)

    @on(BumpMenuReady)
    def bump_menu_ready(self, message: BumpMenuReady) -> None:
        """Fill the bump menu with the current version and each choice's result."""
        if self._bump_menu is not None:
            self._bump_menu.show_options(message.current, message.options)

    @on(ShipPlanned)
    def ship_planned(self, message: ShipPlanned) -> None:
        """Show the whole ship plan (diffs, notes, every step); a yes runs it."""
        procedure = message.procedure

        def answered(yes: bool | None) -> None:
            if yes:
                self.start_ship(procedure)
            else:
                self.notify("Cancelled: nothing was changed.")

        question = f"Release {procedure.tag}: every step below, in one go?"
        body = plan_text(procedure.plan)
        self.app.push_screen(ConfirmScreen(question, body, yes="Release"), answered)

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
        self.query_one("#steps", OptionList).highlighted = self.steps.index(ship)
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
        details = self.query_one("#details", VerticalScroll)
        self.call_after_refresh(details.scroll_home, animate=False)  # the outcome is first
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

    def _await_plan(self, step_id: str, waiting: str = CHECKING) -> None:
        """Open ``step_id``'s confirmation dialog now, saying ``waiting`` until its plan
        comes (:meth:`plan_ready` fills it, :meth:`plan_refused` says why not)."""
        dialog = ConfirmScreen(_QUESTIONS.get(step_id, "Go ahead?"), None, waiting=waiting)
        self._dialogs[step_id] = dialog
        self.app.push_screen(dialog, lambda yes: self._answered(step_id, yes))

    def _answered(self, step_id: str, yes: bool | None) -> None:
        plan = self._plans.pop(step_id, None)
        if self._dialogs.get(step_id) is not None:
            self._dialogs[step_id] = None  # closed while checking: its plan is dropped
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
            self._await_plan("push", "checking… every check runs again, then the push is planned")
            self.plan_tag(push=True)
        else:
            self.run_checks([s.id for s in check_steps(self.steps)])

    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        """A worker that crashed is a bug: say so in the details, never a traceback."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.notify(
                f"{type(error).__name__}: {error}", title="Unexpected error", severity="error"
            )
            if event.worker.group == "ship":
                # Core put the repository back before the error surfaced (unless it pushed).
                self.shipping = False
                self.step("ship").note = f"Stopped by an unexpected error: {error}"
            for step in self.steps:
                if step.state is State.RUNNING:
                    self._set(step, State.ERROR)

    # --- helpers -------------------------------------------------------------------------

    def app_verdict(self, ok: bool) -> None:
        """Tell the app the exit code the CLI should return."""
        self.post_message(Verdict(ok))

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
                details = self.query_one("#details", VerticalScroll)
                self.call_after_refresh(details.scroll_end, animate=False)
        self._summary()

    def _set(self, step: Step, state: State) -> None:
        step.state = state
        index = self.steps.index(step)
        steps = self.query_one("#steps", OptionList)
        steps.replace_option_prompt_at_index(index, step_row(index + 1, step, self.frame))
        if step is self.selected:
            self.show_details()
        self._summary()
        self.refresh_bindings()

    def _spin(self) -> None:
        running = [step for step in self.steps if step.state is State.RUNNING]
        if not running and self._spinner is not None:
            self._spinner.stop()
            self._spinner = None
            return
        self.frame += 1
        steps = self.query_one("#steps", OptionList)
        for step in running:
            index = self.steps.index(step)
            steps.replace_option_prompt_at_index(index, step_row(index + 1, step, self.frame))
        if self.shipping and self.selected.kind is StepKind.SHIP:
            self._show_ship()  # its running step's mark turns too

    def show_details(self) -> None:
        """Render the selected step in the details pane."""
        step = self.selected
        extra: list[str] = []
        located = self._located(step)
        if located is not None:
            extra.append(f"e opens {located.location()} in $EDITOR.")
        self.query_one("#details-text", Static).update(step_details(step, extra))

    def _select_first_problem(self) -> None:
        for index, step in enumerate(self.steps):
            if (
                step.kind is StepKind.CHECK
                and step.result is not None
                and step.result.blocks_release
            ):
                self.query_one("#steps", OptionList).highlighted = index
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
        summary = self.query_one("#summary", Static)
        line = ship_summary(self.ship_run, self.shipping, self._ship_shown)
        if line is None or self.memory.problem is not None:
            line = status_line(self.steps, self.facts, self.memory)
        summary.set_classes(line[0])
        summary.update(Content(line[1]))


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)
