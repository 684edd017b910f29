"""Plan, show, confirm, do: the action model every changing command is built on.

An :class:`Action` is one step with a one-line description in shell form and a ``run``
callable; a :class:`Plan` is the ordered steps plus the file diffs they will write.
:func:`execute` runs the steps in order and stops at the first failure, returning what was
done and what to do about the rest; it never prints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from release_assistant.core.support.errors import StepFailed

#: The parts of the release procedure an :class:`Action` may belong to (``Action.step``):
#: the fetches and guards, the preflight checks, the bump's writes, the relock, the release
#: commit, the tag, the pre-release commands, the build, the verification, the push and the
#: start of the publishing run.
STEP_IDS = frozenset(
    {
        "fetch",
        "guard",
        "preflight",
        "bump",
        "relock",
        "commit",
        "tag",
        "commands",
        "build",
        "verify",
        "push",
        "publish",
    }
)

#: How a step that only reads is marked in a shown plan, and how a changing step is.
READ_MARK = "$"
CHANGE_MARK = "!"


class ActionFailed(StepFailed):
    """One step could not be done. ``recovery`` lists the commands to retry or undo.

    ``str()`` is one line saying what went wrong, in the user's terms.
    """

    def __init__(self, message: str, recovery: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.recovery = tuple(recovery)


@dataclass(frozen=True, slots=True)
class Action:
    """One step of a plan.

    ``description`` is what a maintainer would type to do it by hand (``git tag -a v1.2.3
    -F <notes>``); ``changes`` is false for a step that only reads (shown with ``$``) and true
    for one that changes the repository, a file or a remote (shown with ``!``). ``run`` does
    the step and returns an optional one-line result; it raises :class:`ActionFailed`.
    ``step`` names the part of the release procedure it belongs to (one of
    :data:`STEP_IDS`, empty when none), so a front end follows a plan's progress without
    reading its descriptions.
    """

    description: str
    changes: bool
    run: Callable[[], str | None] = field(compare=False, repr=False)
    step: str = ""

    @property
    def mark(self) -> str:
        """``$`` for a read-only step, ``!`` for a changing one."""
        return CHANGE_MARK if self.changes else READ_MARK

    def shown(self) -> str:
        """The step as one line of a plan: ``! git push origin refs/tags/v1.2.3``."""
        return f"{self.mark} {self.description}"


@dataclass(frozen=True, slots=True)
class Plan:
    """What a command will do: a title, its steps in order, and the diffs of file edits."""

    title: str
    actions: tuple[Action, ...]
    diffs: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def changes_anything(self) -> bool:
        """True when at least one step changes something (so confirmation is needed)."""
        return any(action.changes for action in self.actions)

    def lines(self) -> list[str]:
        """The plan as text lines: the title, then one marked line per step."""
        return [self.title, *(f"  {action.shown()}" for action in self.actions)]


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """What one executed step gave: its action, and its result line (if any)."""

    action: Action
    result: str | None = None


@dataclass(frozen=True, slots=True)
class Execution:
    """The result of :func:`execute`: the steps done, and the failure that stopped it.

    ``failed`` is the step that failed (``None`` on success), ``error`` its message,
    ``recovery`` the commands to retry or undo, and ``not_run`` the steps never started.
    """

    done: tuple[StepOutcome, ...]
    failed: Action | None = None
    error: str | None = None
    recovery: tuple[str, ...] = ()
    not_run: tuple[Action, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every step was done."""
        return self.failed is None


def execute(
    plan: Plan,
    on_step: Callable[[Action], None] | None = None,
    on_done: Callable[[StepOutcome], None] | None = None,
) -> Execution:
    """Run ``plan``'s steps in order, stopping at the first :class:`ActionFailed`.

    ``on_step`` is called before each step and ``on_done`` after each step that succeeded
    (the CLI shows progress with them, the walkthrough posts messages). Any other exception
    propagates: that is a bug, not a refusal.
    """
    done: list[StepOutcome] = []
    for index, action in enumerate(plan.actions):
        if on_step is not None:
            on_step(action)
        try:
            result = action.run()
        except ActionFailed as failure:
            return Execution(
                tuple(done),
                failed=action,
                error=failure.message,
                recovery=failure.recovery,
                not_run=plan.actions[index + 1 :],
            )
        done.append(StepOutcome(action, result))
        if on_done is not None:
            on_done(done[-1])
    return Execution(tuple(done))
