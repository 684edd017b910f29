"""Typed messages the walkthrough's workers post to its screen (harlequin's pattern)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from packaging.version import Version
from textual.message import Message

from release_assistant.core.findings import CheckResult
from release_assistant.core.release.plan import Execution, Plan
from release_assistant.tui.release_state import ReleaseFacts

if TYPE_CHECKING:
    from release_assistant.core.release.ship import ShipOutcome, ShipProcedure
    from release_assistant.core.release.watch import WatchResult

#: Passed to a streamer to post the lines still batched (compared by identity).
FLUSH = "\x00flush"


class StepStarted(Message):
    """A worker started running a step."""

    def __init__(self, step_id: str) -> None:
        super().__init__()
        self.step_id = step_id


class CheckFinished(Message):
    """A check finished with ``result``."""

    def __init__(self, result: CheckResult) -> None:
        super().__init__()
        self.result = result


class RunFinished(Message):
    """A run of checks ended; ``facts`` describe the release (``None`` when the run could
    not start, and then ``problem`` says why)."""

    def __init__(self, facts: ReleaseFacts | None, problem: str | None = None) -> None:
        super().__init__()
        self.facts = facts
        self.problem = problem


class ReportWritten(Message):
    """The verification report was written (``paths``), or could not be (``problem``)."""

    def __init__(self, paths: tuple[str, ...], verdict: str, problem: str | None) -> None:
        super().__init__()
        self.paths = paths
        self.verdict = verdict
        self.problem = problem


class BumpMenuReady(Message):
    """The current version and each bump's resulting version, for the bump menu; ``purpose``
    is what the choice is for: ``bump`` (write it) or ``ship`` (release it in one go)."""

    def __init__(
        self, current: Version, options: list[tuple[str, Version]], purpose: str = "bump"
    ) -> None:
        super().__init__()
        self.current = current
        self.options = options
        self.purpose = purpose


class PlanReady(Message):
    """A plan of step ``step_id`` (bump, tag, push) is ready to be shown and confirmed;
    ``version`` is the version a bump writes, ``notes`` the text a tag or a release writes
    (the version's changelog section)."""

    def __init__(
        self, step_id: str, plan: Plan, version: str | None = None, notes: str | None = None
    ) -> None:
        super().__init__()
        self.step_id = step_id
        self.plan = plan
        self.version = version
        self.notes = notes


class PlanRefused(Message):
    """Step ``step_id`` cannot be planned: ``message`` says why and what to do."""

    def __init__(self, step_id: str, message: str) -> None:
        super().__init__()
        self.step_id = step_id
        self.message = message


class PlanExecuted(Message):
    """A confirmed plan ran: ``execution`` says what was done and what failed."""

    def __init__(self, step_id: str, plan: Plan, execution: Execution) -> None:
        super().__init__()
        self.step_id = step_id
        self.plan = plan
        self.execution = execution


class Verdict(Message):
    """The walkthrough's verdict changed: ``ok`` when every blocking check passed."""

    def __init__(self, ok: bool) -> None:
        super().__init__()
        self.ok = ok


class CommandOutput(Message):
    """New output lines of step ``step_id``'s commands (batched, so a flood stays cheap)."""

    def __init__(self, step_id: str, lines: list[str]) -> None:
        super().__init__()
        self.step_id = step_id
        self.lines = lines


class CommandsFinished(Message):
    """The pre-release commands ended: ``failed`` names the first that failed, if any."""

    def __init__(self, ran: int, failed: str | None) -> None:
        super().__init__()
        self.ran = ran
        self.failed = failed


class ShipPlanned(Message):
    """The release in one go is planned: show ``procedure.plan``, run it after a yes."""

    def __init__(self, procedure: ShipProcedure) -> None:
        super().__init__()
        self.procedure = procedure


class ShipStepStarted(Message):
    """Step ``index`` of the ship plan started."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index


class ShipStepDone(Message):
    """Step ``index`` of the ship plan succeeded with ``result``."""

    def __init__(self, index: int, result: str | None) -> None:
        super().__init__()
        self.index = index
        self.result = result


class ShipFinished(Message):
    """The ship plan ended: ``outcome`` says what was done, undone, and what is next."""

    def __init__(self, outcome: ShipOutcome) -> None:
        super().__init__()
        self.outcome = outcome


class WatchFinished(Message):
    """The watch of the release run ended with ``result``."""

    def __init__(self, result: WatchResult) -> None:
        super().__init__()
        self.result = result
