"""A run against the upstream lock: its suite is pinned (RA811), its upstream commit is known
(RA812) and the pinned one (RA813), and it says it matches the lock (RA814)."""

from __future__ import annotations

from release_assistant.core.gates.jsondoc import JsonDocument, describe
from release_assistant.core.gates.parity.fields import (
    WrongType,
    read_bool,
    read_object,
    read_string,
)
from release_assistant.core.gates.parity.state import REGENERATE, GateState, RunRead
from release_assistant.core.rules.gates import (
    RUN_AGAINST_OTHER_UPSTREAM,
    SUITE_NOT_IN_LOCK,
    UPSTREAM_COMMIT_DIFFERS,
    UPSTREAM_COMMIT_MISSING,
)


def check_against_lock(gate: GateState, doc: JsonDocument, run: RunRead) -> None:
    """Compare ``run`` (read from ``doc``) with its suite's pin in the usable lock."""
    assert gate.lock_suites is not None
    suite_id, shown = run.suite_id, run.path
    lock_path = gate.lock_summary.path
    if suite_id in gate.broken_pins:
        return
    entry = gate.lock_suites.get(suite_id)
    if entry is None:
        gate.fail_in_run(
            run,
            SUITE_NOT_IN_LOCK,
            f"suite {suite_id} not found in upstream lock {lock_path}",
            doc.line_of("suite", "suite_id"),
            hint=f'pin it in {lock_path}: "suites": {{"{suite_id}": '
            '{"repo": "...", "commit": "<sha>"}}',
        )
        return
    source_commit = run_upstream_commit(gate, doc, run)
    run.upstream_commit = source_commit if isinstance(source_commit, str) else None
    if isinstance(source_commit, WrongType):
        pass  # reported by run_upstream_commit
    elif entry.commit is None or source_commit is None:
        side = " and ".join(
            name
            for name, value in (
                (f"lock suites.{suite_id}.commit", entry.commit),
                ("run sources.upstream.commit", source_commit),
            )
            if value is None
        )
        gate.fail(
            UPSTREAM_COMMIT_MISSING,
            f"suite {suite_id} has missing upstream commit metadata ({side} missing)",
            path=shown if source_commit is None else lock_path,
            line=doc.line_of("sources") if source_commit is None else None,
            suite_id=suite_id,
            hint="record the upstream commit the scores were produced at; " + REGENERATE,
        )
    elif entry.commit != source_commit:
        gate.fail_in_run(
            run,
            UPSTREAM_COMMIT_DIFFERS,
            f"suite {suite_id} upstream commit mismatch: lock={entry.commit} run={source_commit}",
            doc.line_of("sources", "upstream", "commit"),
            hint=f"re-run the suite against upstream {entry.commit}, or update the pin "
            f"in {lock_path} if the new upstream commit is intended",
        )
    _check_lock_ref(gate, doc, run)


def _check_lock_ref(gate: GateState, doc: JsonDocument, run: RunRead) -> None:
    suite_id = run.suite_id
    ref = read_object(doc.data, "suite_lock_ref")
    if not isinstance(ref, dict):
        found = "" if ref is None else f" ({ref.text('suite_lock_ref')})"
        gate.fail_in_run(
            run,
            RUN_AGAINST_OTHER_UPSTREAM,
            f"suite {suite_id} missing suite_lock_ref{found}",
            doc.line_of("suite_lock_ref"),
        )
        return
    matches = read_bool(ref, "matches_lock")
    if matches is not True:
        found = (
            matches.text("matches_lock")
            if isinstance(matches, WrongType)
            else f"found {describe(matches)}"
        )
        gate.fail_in_run(
            run,
            RUN_AGAINST_OTHER_UPSTREAM,
            f"suite {suite_id} suite_lock_ref.matches_lock is not true ({found})",
            doc.line_of("suite_lock_ref", "matches_lock") or doc.line_of("suite_lock_ref"),
            hint="the run was produced against a different upstream than the lock pins; "
            "re-run it against the locked commit",
        )


def run_upstream_commit(gate: GateState, doc: JsonDocument, run: RunRead) -> str | WrongType | None:
    """The run's ``sources.upstream.commit``; a wrong-typed step on the way is reported."""
    sources = read_object(doc.data, "sources")
    keys: tuple[str, ...] = ("sources",)
    value: object = sources
    if isinstance(sources, dict):
        upstream = read_object(sources, "upstream")
        keys, value = ("sources", "upstream"), upstream
        if isinstance(upstream, dict):
            commit = read_string(upstream, "commit")
            keys, value = ("sources", "upstream", "commit"), commit
    if isinstance(value, WrongType):
        gate.fail_in_run(
            run,
            UPSTREAM_COMMIT_MISSING,
            f"suite {run.suite_id}: " + value.text(".".join(keys)),
            doc.line_of(*keys),
        )
        return value
    return value if isinstance(value, str) else None
