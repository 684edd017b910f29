"""The upstream lock's rules: it exists (RA802), reads (RA803), and pins each suite.

Reads the lock once into :attr:`GateState.lock_suites` (suite -> pinned repo and commit) and
:attr:`GateState.lock_summary`; the runs are compared with it in :mod:`.crosscheck`.
"""

from __future__ import annotations

from release_assistant.core.gates.jsondoc import describe
from release_assistant.core.gates.parity.fields import WrongType, read_object, read_string
from release_assistant.core.gates.parity.result import LockEntry, LockSummary
from release_assistant.core.gates.parity.state import GateState
from release_assistant.core.rules.gates import (
    GATE_NOT_CONFIGURED,
    MALFORMED_ARTIFACT,
    UPSTREAM_LOCK_MISSING,
)
from release_assistant.core.support.textfiles import FileProblem


def load_lock(gate: GateState) -> None:
    """Read the upstream lock into ``gate``, recording every problem with it."""
    lock = gate.inputs.lock
    if lock is None:
        gate.fail(
            GATE_NOT_CONFIGURED,
            "no upstream lock given",
            hint="pass --lock FILE (or set gates.parity.lock)",
        )
        return
    shown = gate.show(lock)
    if not lock.exists():
        gate.fail(
            UPSTREAM_LOCK_MISSING,
            f"upstream lock file is missing: {shown}",
            path=shown,
            hint=f"commit the upstream lock at {shown}, or point --lock at it",
        )
        gate.lock_summary = LockSummary(shown, False, False, None, ())
        return
    try:
        doc = gate.load(lock)
    except FileProblem as problem:
        gate.fail(
            MALFORMED_ARTIFACT,
            f"upstream lock {shown} {problem.message}",
            path=shown,
            line=problem.line,
            hint=getattr(problem, "hint", None) or "fix the JSON of the upstream lock",
        )
        gate.lock_summary = LockSummary(shown, True, False, None, ())
        return
    version = read_string(doc.data, "schema_version")
    schema_version = version if isinstance(version, str) else None
    suites = read_object(doc.data, "suites")
    entries: dict[str, LockEntry] = {}
    usable = True
    if isinstance(version, WrongType):
        gate.fail(
            MALFORMED_ARTIFACT,
            f"upstream lock {shown}: " + version.text("schema_version"),
            path=shown,
            line=doc.line_of("schema_version"),
            hint='write "schema_version" as a string, or leave it out',
        )
    if suites is None or isinstance(suites, WrongType):
        usable = False
        message = (
            "has no 'suites' object"
            if suites is None
            else f"'suites' must be an object, found {describe(suites.value)}"
        )
        gate.fail(
            MALFORMED_ARTIFACT,
            f"upstream lock {shown}: {message} (suite id -> {{repo, commit}})",
            path=shown,
            line=doc.line_of("suites"),
            hint='write {"suites": {"<suite_id>": {"repo": "...", "commit": "..."}}}',
        )
    else:
        for suite_id, entry in suites.items():
            if not isinstance(entry, dict):
                gate.broken_pins.add(suite_id)
                gate.fail(
                    MALFORMED_ARTIFACT,
                    f"upstream lock {shown}: suites.{suite_id} must be an object, "
                    f"found {describe(entry)}",
                    path=shown,
                    line=doc.line_of("suites", suite_id),
                    suite_id=suite_id,
                    hint='pin it as {"repo": "...", "commit": "<sha>"}',
                )
                continue
            repo, commit = read_string(entry, "repo"), read_string(entry, "commit")
            for name, value in (("repo", repo), ("commit", commit)):
                if isinstance(value, WrongType):
                    gate.broken_pins.add(suite_id)
                    gate.fail(
                        MALFORMED_ARTIFACT,
                        f"upstream lock {shown}: " + value.text(f"suites.{suite_id}.{name}"),
                        path=shown,
                        line=doc.line_of("suites", suite_id, name),
                        suite_id=suite_id,
                        hint="write the full commit sha as a string",
                    )
            entries[suite_id] = LockEntry(
                suite_id,
                repo if isinstance(repo, str) else None,
                commit if isinstance(commit, str) else None,
            )
    gate.lock_suites = entries if usable else None
    gate.lock_summary = LockSummary(shown, True, usable, schema_version, tuple(entries.values()))
