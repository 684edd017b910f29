"""The walkthrough's workers: each calls :mod:`release_assistant.tui.core_calls` (which calls core)
off the UI thread and answers with typed messages (:mod:`release_assistant.tui.messages`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from release_assistant.core.release.plan import Action, Plan, StepOutcome
from release_assistant.tui import core_calls
from release_assistant.tui.flows.view import WalkthroughView
from release_assistant.tui.messages import (
    FLUSH,
    BumpMenuReady,
    CheckFinished,
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
    WatchFinished,
)
from release_assistant.tui.step_list import (
    check_steps,
)

if TYPE_CHECKING:
    from release_assistant.core.release.ship import ShipProcedure


class WalkthroughWorkers(WalkthroughView):
    """The walkthrough's workers, and the actions that only start one."""

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def watch_release(self) -> None:
        """Worker: the core watch's progress lines and, last, its result; the pauses are
        slept here in short slices, so leaving the screen stops it at once."""
        import time

        from release_assistant.core.redact import redact
        from release_assistant.core.release.watch import (
            Limits,
            Progress,
            Wait,
            WatchRefused,
            watch,
        )

        worker = get_current_worker()
        self.post_message(StepStarted("watch"))
        ctx = self.session.context()
        try:
            target, github, index = core_calls.watch_setup(ctx)
        except WatchRefused as refusal:
            self.post_message(PlanRefused("watch", str(refusal)))
            return
        line = self._streamer("watch")
        limits = self.watch_limits or Limits()
        bound = limits.total
        line(f"expected: {target.expected.describe()}")
        line(f"gives up after {bound / 60:g} min; every poll is listed below")
        for event in watch(target, github, index, limits=limits):
            if worker.is_cancelled:
                return
            if isinstance(event, Wait):
                # Never silent: what the next poll looks for, and when it comes.
                line(event.line())
                line(FLUSH)
                until = time.monotonic() + event.seconds
                while not worker.is_cancelled and time.monotonic() < until:
                    time.sleep(min(0.2, max(0.0, until - time.monotonic())))
            elif isinstance(event, Progress):
                line(redact(event.message, ctx.environ))
            else:
                line(FLUSH)
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
            self.post_message(CheckFinished(core_calls.run_check(ctx, check_id)))
        self.post_message(RunFinished(core_calls.release_facts(ctx)))

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def write_report(self) -> None:
        """Worker: write the verification report of the latest results."""
        from release_assistant.core.support.textfiles import FileProblem

        results = [s.result for s in check_steps(self.steps) if s.result is not None]
        self.post_message(StepStarted("report"))
        try:
            ctx = self.session.context()
            facts = self.facts or core_calls.release_facts(ctx)
            paths = core_calls.write_report(ctx, results, facts)
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
            current, options = core_calls.bump_menu(self.session.context())
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
            procedure = core_calls.ship_plan(self.session, choice, self._ship_stream)
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
            self._ship_stream(FLUSH)  # the last step's output before the next step
            self.post_message(ShipStepStarted(current))

        def done(outcome: StepOutcome) -> None:
            self._ship_stream(FLUSH)
            self.post_message(ShipStepDone(current, outcome.result))

        try:
            outcome = procedure.run(on_step=started, on_done=done)
        finally:
            self._ship_stream(FLUSH)
        self.post_message(ShipFinished(outcome))

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def plan_bump(self, choice: str) -> None:
        """Worker: plan the bump (the diff of every file it writes)."""
        from release_assistant.core.release.bump import BumpError

        try:
            plan, version = core_calls.bump_plan(self.session.context(), choice)
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
            result = core_calls.run_check(ctx, check.id)
            results.append(result)
            self.post_message(CheckFinished(result))
        self.post_message(RunFinished(core_calls.release_facts(ctx)))
        blocking = [result.id for result in results if result.blocks_release]
        if blocking:
            self.post_message(
                PlanRefused(step_id, f"blocking checks failed: {', '.join(blocking)}")
            )
            return
        try:
            plan = core_calls.tag_plan(ctx, push=push)
        except (TagRefused, GitProblem) as error:
            self.post_message(PlanRefused(step_id, str(error)))
            return
        # The tag's message is the version's notes: the dialog shows what it writes.
        self.post_message(PlanReady(step_id, plan, notes=None if push else core_calls.notes(ctx)))

    @work(thread=True, exclusive=True, group="commands", exit_on_error=False)
    def run_commands(self) -> None:
        """Worker: each command in turn, its output posted in batches; stop at a failure."""
        from release_assistant.core.release.pre_release_commands import (
            release_commands,
            run_command,
        )

        ctx = self.session.context()
        commands = release_commands(ctx)
        self.post_message(StepStarted("commands"))
        line = self._streamer("commands")
        for command in commands:
            line(f"$ {command}")
            code = run_command(command, ctx.root_dir, line, environ=dict(ctx.environ))
            if code != 0:
                line(f"exit code {code}" if code is not None else "did not finish")
                line(FLUSH)
                self.post_message(CommandsFinished(len(commands), command))
                return
        line(FLUSH)
        self.post_message(CommandsFinished(len(commands), None))

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def plan_build(self) -> None:
        """Worker: the rebuild's plan (which old files go), its output streamed when run."""
        from release_assistant.core.release.build import BuildRefused, plan_build

        self._build_stream = self._streamer("build")
        ctx = self.session.context()
        # The walkthrough's `--no-isolation`: build with this environment's backend.
        isolation = core_calls.build_isolation(ctx.environ)
        try:
            plan = plan_build(ctx.root_dir, isolation=isolation, on_line=self._build_stream)
        except BuildRefused as refusal:
            self.post_message(PlanRefused("build", str(refusal)))
            return
        self.post_message(PlanReady("build", plan))

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
            plan = core_calls.release_plan(ctx, token)
        except ReleaseRefused as refusal:
            self.post_message(PlanRefused("publish", str(refusal)))
            return
        self.post_message(PlanReady("publish", plan, notes=core_calls.notes(ctx)))

    @work(thread=True, exclusive=True, group="execute", exit_on_error=False)
    def execute(self, step_id: str, plan: Plan) -> None:
        """Worker: run a confirmed plan, step by step."""
        from release_assistant.core.release.plan import execute

        self.post_message(StepStarted(step_id))
        execution = execute(plan)
        if step_id == "build":
            self._build_stream(FLUSH)  # the build's last lines, before its verdict
        self.post_message(PlanExecuted(step_id, plan, execution))
