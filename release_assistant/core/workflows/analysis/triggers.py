"""The events that start a publishing workflow: RA604, RA605, RA606, RA607, RA633.

Job and step conditions are read the way GitHub does
(:mod:`~release_assistant.core.workflows.events`), so a trigger counts only when it runs an
upload. Triggers outside contributors can fire (RA606); uploads to PyPI on branch pushes or
pull requests besides a release trigger (RA607) or instead of one (RA604, releasing on
merge); release activity types that publish no new version (RA605) or fire together for one
release (RA633). An upload to TestPyPI on every push is a development channel.

An upload runs where GitHub would run it: its job's and step's ``if:``, and the action
input that gates it (``upload: ${{ startsWith(github.ref, 'refs/tags/') }}``), or the
``if:`` of the step inside a composite action; and a guard in a job it waits for (a step
that fails the run on a condition the event does not decide, such as an approval check)
leaves it undecided. An upload the tool only infers is judged by RA606 alone (a trigger
outsiders can fire on a job that can mint the token).
"""

from __future__ import annotations

import re
from typing import Any

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.rules.workflow import (
    DANGEROUS_TRIGGER,
    DOUBLE_RELEASE_TRIGGER,
    NOT_TIED_TO_RELEASE,
    OTHER_TRIGGER_PUBLISHES,
    WRONG_RELEASE_TYPES,
)
from release_assistant.core.support.lazy_regex import LazyPattern
from release_assistant.core.workflows.analysis.indexes import target
from release_assistant.core.workflows.analysis.state import WorkflowFindings
from release_assistant.core.workflows.events import (
    BRANCH,
    CALLED,
    DANGEROUS_EVENTS,
    MANUAL,
    PULL_REQUEST,
    RELEASE,
    RELEASE_EDIT,
    UNKNOWN,
    Scenario,
    checks_status,
    evaluate,
)
from release_assistant.core.workflows.uploads import PYPI, TESTPYPI, Upload
from release_assistant.core.workflows.uploads.steps import DECIDED_INSIDE
from release_assistant.core.workflows.workflow import Job

#: One upload (or call of a reusable workflow that uploads): its job, the conditions
#: that must hold for it to run (the step's ``if:``, then its gates), and what it is in
#: words.
Unit = tuple[Job, tuple[str | None, ...], str]

#: A ``run:`` that ends the job with a failure (a guard step under an ``if:``).
_STOPS = LazyPattern(r"(?:^|[;&|\n]\s*)exit\s+(?:[1-9]\d*|\$)", re.MULTILINE)
_TAG_GUARD_HINT = "if: github.event_name == 'release' || startsWith(github.ref, 'refs/tags/')"
#: Release activity types that fire together for one release.
_COFIRING = (
    {"published", "released"},
    {"published", "prereleased"},
    {"published", "created"},
    {"created", "released"},
    {"created", "prereleased"},
)


def _units(state: WorkflowFindings, *indexes: str, inferred: bool = False) -> list[Unit]:
    """``(job, conditions, what)`` for each upload (or call of one) to ``indexes``.

    Inferred uploads (an action named for publishing, a step the tool cannot read) count
    only when ``inferred``: whether, and on which events, they upload is not seen, so no
    claim that a branch push publishes is made about them.
    """
    units = [
        (u.job, (u.step.condition, *u.gates), u.label)
        for u in state.uploads
        if target(u) in indexes and (inferred or not u.inferred)
    ]
    for job, callee in state.aw.publishing_calls(*indexes, "unknown"):
        units.append((job, (None,), f"the reusable workflow {callee.relpath}"))
    return units


def _runs_in(state: WorkflowFindings, unit: Unit, scenario: Scenario) -> Any:
    return runs_with_gates(state, unit[0], unit[1], scenario)


def runs_with_gates(
    state: WorkflowFindings, job: Job, conditions: tuple[str | None, ...], scenario: Scenario
) -> Any:
    """Can a step of ``job`` run in ``scenario`` with every one of ``conditions`` true (the
    step's ``if:``, an action input that gates its upload, ...)? ``True``, ``False`` or
    UNKNOWN, as GitHub would evaluate them."""
    step_condition, *gates = conditions or (None,)
    runs = state.runs.step_runs(job, step_condition, scenario)
    if runs is False:
        return False
    if runs is True and _stopped_by_a_guard(state, job, scenario):
        runs = UNKNOWN
    for gate in gates:
        value = UNKNOWN if gate == DECIDED_INSIDE else evaluate(gate, scenario)
        if value is False:
            return False
        if value is not True:
            runs = UNKNOWN
    return runs


def _stopped_by_a_guard(state: WorkflowFindings, job: Job, scenario: Scenario) -> bool:
    """Does a job ``job`` waits for stop the run on a condition the scenario does not
    decide (``if: steps.check.outputs.approved != 'true'`` then ``exit 1``)? Such a guard
    (an approval, a version check) is a gate GitHub evaluates: the upload may not run."""
    if checks_status(job.condition):
        return False  # it runs even when a job it needs fails
    for other_id in state.wf.needs_closure(job.id) | {job.id}:
        other = state.wf.jobs.get(other_id)
        if other is None:
            continue
        for step in other.steps:
            if (
                step.condition
                and not checks_status(step.condition)  # `if: failure()`: already failed
                and _STOPS.search(step.run or "") is not None
                and evaluate(step.condition, scenario) is UNKNOWN
            ):
                return True
    return False


def upload_never_runs(state: WorkflowFindings, upload: Upload) -> bool:
    """True when no trigger of the workflow can run ``upload`` (its job, its step's ``if:``
    and its gates)."""
    scenarios = state.runs.scenarios
    if not scenarios:
        return False
    conditions = (upload.step.condition, *upload.gates)
    return all(runs_with_gates(state, upload.job, conditions, s) is False for s in scenarios)


def check_triggers(state: WorkflowFindings) -> None:
    """The triggers of a publishing workflow against the uploads they run."""
    wf = state.wf
    everything = _units(state, PYPI, TESTPYPI, inferred=True)
    for event, trigger in wf.triggers.items():
        if event not in DANGEROUS_EVENTS:
            continue
        scenarios = [s for s in state.runs.scenarios if s.trigger is trigger]
        if any(_runs_in(state, u, s) is not False for u in everything for s in scenarios):
            state.add(
                DANGEROUS_TRIGGER,
                f"'{event}' trigger on a publishing workflow: it runs with the repository's "
                "secrets and permissions on events that outside contributors can cause",
                trigger.line,
                f"remove '{event}' from this workflow; publish only from a release, a tag "
                "push or a manual dispatch",
            )
    units = _units(state, PYPI)
    if not units:
        return
    scenarios = [s for s in state.runs.scenarios if s.kind != CALLED]
    releasing = any(
        _runs_in(state, u, s) is not False
        for u in units
        for s in scenarios
        if s.kind in (RELEASE, MANUAL)
    )
    reported: set[int] = set()
    branch_only: Scenario | None = None
    for scenario in scenarios:
        if scenario.kind not in (BRANCH, PULL_REQUEST, RELEASE_EDIT):
            continue
        running = next((u for u in units if _runs_in(state, u, scenario) is True), None)
        if running is None or id(scenario.trigger) in reported:
            continue
        job, _, what = running
        if scenario.kind == BRANCH and not releasing:
            branch_only = branch_only or scenario
            continue
        reported.add(id(scenario.trigger))
        if scenario.kind == RELEASE_EDIT:
            state.add(
                WRONG_RELEASE_TYPES,
                f"the 'release' trigger runs {job.label} ({what}) on {scenario.label}, "
                "which publishes no new version: the upload runs again (or on a "
                "deleted release)",
                scenario.trigger.line,
                "write 'release: {types: [published]}'",
            )
        else:
            who = (
                "code nobody has merged"
                if scenario.kind == PULL_REQUEST
                else "every such event, not only on releases"
            )
            state.add(
                OTHER_TRIGGER_PUBLISHES,
                f"'{scenario.event}' trigger runs {job.label} ({what}) to PyPI on "
                f"{scenario.label}: it publishes {who}",
                scenario.trigger.line,
                f"drop the '{scenario.event}' trigger, or add '{_TAG_GUARD_HINT}' to {job.label}",
            )
    if branch_only is not None and not releasing:
        state.add(
            NOT_TIED_TO_RELEASE,
            f"no release trigger: every {_noun(branch_only)} publishes to PyPI, so a "
            "release is whatever version the branch holds",
            wf.on_line or branch_only.trigger.line,
            "publish from 'release: {types: [published]}' (or a tag push), or keep "
            "releasing on merge knowingly (skip-existing keeps unchanged versions quiet)",
        )
    _cofiring(state, units, [s for s in scenarios if id(s.trigger) not in reported])


def _cofiring(state: WorkflowFindings, units: list[Unit], scenarios: list[Scenario]) -> None:
    for unit in units:
        running = {
            s.action: s
            for s in scenarios
            if s.event == "release" and s.kind == RELEASE and _runs_in(state, unit, s) is not False
        }
        for pair in _COFIRING:
            if pair <= set(running):
                scenario = running[sorted(pair)[0]]
                state.emit(
                    Finding(
                        DOUBLE_RELEASE_TRIGGER.code,
                        f"the 'release' trigger runs {unit[0].label} for both "
                        f"{' and '.join(sorted(pair))}, which fire together for one "
                        "release: the upload runs twice and the second run fails",
                        Severity.WARNING,
                        state.path,
                        scenario.trigger.line,
                        "write 'release: {types: [published]}'",
                    )
                )
                return


def _noun(scenario: Scenario) -> str:
    if scenario.event == "push":
        return "push to a branch"
    return f"'{scenario.event}' event"
