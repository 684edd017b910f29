"""The walkthrough's step list: what each step is and where it stands (no Textual here).

The steps are every check of the engine's ``REGISTRY`` in its order, then the release's own
steps: the verification report, the bump, the tag, the push, the GitHub release and the
watch of its workflow run to the files on the index. A check
added to the registry appears in the walkthrough without any change here.
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


def tag_blockers(steps: Sequence[Step]) -> list[str]:
    """Why the tag cannot be made yet: one short phrase per check in the way.

    Empty when every check has run and none blocks the release.
    """
    reasons = []
    for step in check_steps(steps):
        if step.state in (State.PENDING, State.RUNNING) or step.result is None:
            reasons.append(f"{step.id} (not run yet)")
        elif step.result.blocks_release:
            reasons.append(f"{step.id} ({step.result.status.value})")
    reasons += [
        f"{step.id} (failed)"
        for step in steps
        if step.kind is StepKind.COMMANDS and step.state in (State.FAIL, State.ERROR)
    ]
    return reasons


def failed_checks(steps: Sequence[Step]) -> list[Step]:
    """Checks whose latest result is a failure or an error (blocking or not)."""
    return [
        step
        for step in check_steps(steps)
        if step.result is not None and step.result.status in (Status.FAIL, Status.ERROR)
    ]
