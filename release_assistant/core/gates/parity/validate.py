"""The parity gate: the seed's ``validate_parity_artifacts.py`` rules, typed and complete.

Inputs are run artifacts (one per suite), an aggregate and an upstream lock. Every rule is
checked and every failure collected (never stop at the first). Each failure carries a stable
code (RA8xx, declared in :mod:`release_assistant.core.rules.gates`), the file and best-effort
line, the suite it concerns, and a fix. The rule families: the lock (:mod:`.lock`), the runs
(:mod:`.runs`), each run against the lock (:mod:`.crosscheck`), the aggregate
(:mod:`.aggregate`).

The verdict and the failure list match the seed's on well-typed input. Where the seed would
crash (malformed JSON, a non-object top level, a directory) or silently coerce a wrong type
(``"false"`` is truthy, ``"3"`` counts as 3), this gate reports one clear failure instead.

Standard library only: the ``check-parity-artifacts`` pre-commit hook runs this module, and
hooks must not import pydantic. The artifacts' single definition is the dataclasses of
:mod:`.artifacts`, which pydantic validates off the hook path; this reader reads the same
fields with the same :mod:`.fields` kinds, and ``tests/test_parity_generate.py`` holds both
to the same verdicts. It earns its place: validating the same artifacts with pydantic
(importing it, building the adapters) would add about 180 ms to every hook run, more than
doubling it (152 -> 335 ms median on the development machine, ``benchmarks/parity_gate.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from release_assistant.core.gates.parity.aggregate import check_aggregate
from release_assistant.core.gates.parity.lock import load_lock
from release_assistant.core.gates.parity.result import (
    GateFailure,
    ParityInputs,
    ParityResult,
    SuiteOutcome,
)
from release_assistant.core.gates.parity.runs import check_run
from release_assistant.core.gates.parity.state import GateState
from release_assistant.core.gates.parity.verdict import VerdictNumbers
from release_assistant.core.rules.gates import GATE_NOT_CONFIGURED, REQUIRED_SUITE_WITHOUT_RUN
from release_assistant.core.rules.gates import RULES as _GATE_RULES

#: Every failure code of the gate, with its title (from the rule registry).
RULES: dict[str, str] = {rule.code: rule.title for rule in _GATE_RULES if rule.code[-1].isdigit()}


def validate_parity(inputs: ParityInputs) -> ParityResult:
    """Apply every parity rule to ``inputs`` and return all failures; never raises."""
    gate = GateState(inputs)
    if inputs.max_missing_pairs < 0:
        gate.fail(
            GATE_NOT_CONFIGURED,
            f"max_missing_pairs must be >= 0 (got {inputs.max_missing_pairs})",
            hint="pass --max-missing-pairs 0 (or set gates.parity.max_missing_pairs)",
        )
    if not inputs.runs and not inputs.required_suites:
        gate.fail(
            GATE_NOT_CONFIGURED,
            "no run artifacts and no required suites: the gate would check nothing",
            hint="pass --run FILE and --required-suite ID (or set gates.parity.runs "
            "and gates.parity.required_suites)",
        )
    load_lock(gate)
    for path in inputs.runs:
        check_run(gate, path)
    for suite_id in sorted(set(gate.required()) - set(gate.runs)):
        gate.fail(
            REQUIRED_SUITE_WITHOUT_RUN,
            f"required suite artifact missing: {suite_id}",
            suite_id=suite_id,
            hint=f"generate the run for {suite_id} (release-assistant gate parity run "
            "...) and pass it with --run",
        )
    check_aggregate(gate)
    return _result(gate)


def _result(gate: GateState) -> ParityResult:
    required = gate.required()
    order = list(gate.runs) + [s for s in required if s not in gate.runs]
    by_suite: dict[str, list[GateFailure]] = {}
    for failure in gate.failures:
        if failure.suite_id is not None:
            by_suite.setdefault(failure.suite_id, []).append(failure)
    pins = {entry.suite_id: entry.commit for entry in gate.lock_summary.suites}
    outcomes = []
    for suite_id in order:
        run = gate.runs.get(suite_id)
        sources = (run.numbers if run else None, gate.rows.get(suite_id))
        failures = by_suite.get(suite_id, [])
        outcomes.append(
            SuiteOutcome(
                suite_id=suite_id,
                required=suite_id in required,
                run_path=run.path if run else None,
                samples=_pick("sample_size", *sources),
                mean_drop_ratio=_pick("mean_drop_ratio", *sources),
                ci_upper_ratio=_pick("ci_upper_ratio", *sources),
                margin_ratio=_pick("margin_ratio", *sources),
                confidence=_pick("confidence", *sources),
                upstream_commit=run.upstream_commit if run else None,
                locked_commit=pins.get(suite_id),
                passed=not failures,
                reason=_reason(failures, *sources),
            )
        )
    inputs = gate.inputs
    return ParityResult(
        run_paths=tuple(gate.show(path) for path in inputs.runs),
        aggregate_path=None if inputs.aggregate is None else gate.show(inputs.aggregate),
        lock_path=gate.lock_summary.path,
        required_suites=tuple(required),
        max_missing_pairs=inputs.max_missing_pairs,
        failures=tuple(gate.failures),
        suites=tuple(outcomes),
        lock=gate.lock_summary,
    )


def _pick(attr: str, *sources: VerdictNumbers | None) -> Any:
    """The first non-null ``attr`` among ``sources`` (the run's own stats win)."""
    for source in sources:
        value = getattr(source, attr) if source is not None else None
        if value is not None:
            return value
    return None


def _reason(failures: Iterable[GateFailure], *sources: VerdictNumbers | None) -> str:
    messages = [failure.message for failure in failures]
    if messages:
        return "; ".join(messages)
    for source in sources:
        if source is not None and source.verdict_reason:
            return source.verdict_reason
    ci = _pick("ci_upper_ratio", *sources)
    margin = _pick("margin_ratio", *sources)
    if ci is not None and margin is not None:
        return f"PASS: one-sided upper CI {ci:.6f} <= margin {margin:.6f}"
    return "PASS: every parity rule holds"
