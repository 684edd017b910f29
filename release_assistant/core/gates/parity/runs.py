"""The run artifacts' own rules: present (RA804), a suite (RA805), once (RA806), passing
(RA807), few missing pairs (RA808), a manifest (RA809) and integrity record (RA810).

Each run read is recorded in :attr:`GateState.runs`; a run of a usable lock is then compared
with its pin (:mod:`.crosscheck`).
"""

from __future__ import annotations

from pathlib import Path

from release_assistant.core.gates.jsondoc import JsonDocument, describe
from release_assistant.core.gates.parity.crosscheck import check_against_lock
from release_assistant.core.gates.parity.fields import (
    WrongType,
    read_bool,
    read_count,
    read_object,
)
from release_assistant.core.gates.parity.state import REGENERATE, GateState, RunRead
from release_assistant.core.gates.parity.verdict import read_numbers
from release_assistant.core.rules.gates import (
    DUPLICATE_RUN,
    MALFORMED_ARTIFACT,
    RUN_ARTIFACT_MISSING,
    RUN_INFERIOR,
    RUN_WITHOUT_ARTIFACT_INTEGRITY,
    RUN_WITHOUT_EVALUATION_MANIFEST,
    RUN_WITHOUT_SUITE_ID,
    TOO_MANY_MISSING_PAIRS,
)
from release_assistant.core.support.textfiles import FileProblem

#: The candidate-side key of ``counts``: the seed's files say ``worldflux_only``; generic
#: artifacts (and ``gate parity run``) say ``candidate_only``.
CANDIDATE_ONLY_KEYS = ("worldflux_only", "candidate_only")


def check_run(gate: GateState, path: Path) -> None:
    """Apply every rule of one run artifact (and its pin in the lock) to ``path``."""
    shown = gate.show(path)
    if not path.exists():
        gate.fail(
            RUN_ARTIFACT_MISSING,
            f"run artifact is missing: {shown}",
            path=shown,
            hint=f"generate it (release-assistant gate parity run ... --output {shown}) "
            "or fix the --run path",
        )
        return
    try:
        doc = gate.load(path)
    except FileProblem as problem:
        gate.fail(
            MALFORMED_ARTIFACT,
            f"run artifact {shown} {problem.message}",
            path=shown,
            line=problem.line,
            hint=getattr(problem, "hint", None) or REGENERATE,
        )
        return
    suite_id = _suite_id(gate, doc, shown)
    if suite_id is None:
        return
    first = gate.runs.get(suite_id)
    if first is not None:
        gate.fail(
            DUPLICATE_RUN,
            f"duplicate suite artifact detected for {suite_id}: {shown} (first: {first.path})",
            path=shown,
            line=doc.line_of("suite", "suite_id"),
            suite_id=suite_id,
            hint="pass exactly one --run per suite",
        )
        return
    run = RunRead(suite_id, shown)
    gate.runs[suite_id] = run
    check_stats(gate, doc, run)
    check_counts(gate, doc, run)
    for key, rule in (
        ("evaluation_manifest", RUN_WITHOUT_EVALUATION_MANIFEST),
        ("artifact_integrity", RUN_WITHOUT_ARTIFACT_INTEGRITY),
    ):
        value = doc.data.get(key)
        if not isinstance(value, dict):
            found = "" if value is None else f" (found {describe(value)}, not an object)"
            gate.fail_in_run(
                run,
                rule,
                f"suite {suite_id} missing {key}{found}",
                doc.line_of(key),
                hint=f"a run must record its {key} object; " + REGENERATE,
            )
    if gate.lock_suites is not None:
        check_against_lock(gate, doc, run)


def _suite_id(gate: GateState, doc: JsonDocument, shown: str) -> str | None:
    """The run's ``suite.suite_id``, or ``None`` after recording why there is none (RA805)."""
    suite = doc.data.get("suite")
    if not isinstance(suite, dict):
        gate.fail(
            RUN_WITHOUT_SUITE_ID,
            f"run artifact missing suite metadata: {shown} (no 'suite' object"
            + ("" if suite is None else f", found {describe(suite)}")
            + ")",
            path=shown,
            line=doc.line_of("suite"),
            hint='the run must carry {"suite": {"suite_id": "..."}}; ' + REGENERATE,
        )
        return None
    raw_id = suite.get("suite_id")
    if raw_id is not None and not isinstance(raw_id, str):
        gate.fail(
            RUN_WITHOUT_SUITE_ID,
            f"run artifact {shown}: suite.suite_id must be a string, found {describe(raw_id)}",
            path=shown,
            line=doc.line_of("suite", "suite_id"),
            hint='write "suite_id": "<suite id>"',
        )
        return None
    suite_id = (raw_id or "").strip()
    if not suite_id:
        gate.fail(
            RUN_WITHOUT_SUITE_ID,
            f"run artifact suite_id is empty: {shown}",
            path=shown,
            line=doc.line_of("suite", "suite_id") or doc.line_of("suite"),
            hint="set suite.suite_id to the suite this run measured; " + REGENERATE,
        )
        return None
    return suite_id


def check_stats(gate: GateState, doc: JsonDocument, run: RunRead) -> None:
    """``stats``: its numbers well typed (RA803) and ``pass_non_inferiority`` true (RA807)."""
    suite_id, shown = run.suite_id, run.path
    stats = read_object(doc.data, "stats")
    if isinstance(stats, WrongType) or stats is None:
        detail = "no 'stats' object" if stats is None else stats.text("'stats'")
        gate.fail_in_run(
            run,
            RUN_INFERIOR,
            f"suite {suite_id} failed non-inferiority in {shown}: {detail}",
            doc.line_of("stats"),
        )
        return
    run.numbers, wrong = read_numbers(stats)
    for key, value in wrong:
        gate.fail_in_run(
            run,
            MALFORMED_ARTIFACT,
            f"run artifact {shown}: " + value.text(f"stats.{key}"),
            doc.line_of("stats", key),
        )
    flag = read_bool(stats, "pass_non_inferiority")
    if flag is True:
        return
    line = doc.line_of("stats", "pass_non_inferiority") or doc.line_of("stats")
    if isinstance(flag, WrongType):
        detail = flag.text("stats.pass_non_inferiority")
    elif flag is None:
        detail = "stats.pass_non_inferiority is missing"
    else:
        detail = "stats.pass_non_inferiority is false"
        ci, margin = run.numbers.ci_upper_ratio, run.numbers.margin_ratio
        if ci is not None and margin is not None:
            detail += f" (upper CI {ci:g} vs margin {margin:g})"
    gate.fail_in_run(
        run,
        RUN_INFERIOR,
        f"suite {suite_id} failed non-inferiority in {shown}: {detail}",
        line,
        hint="the candidate is measurably worse than upstream on this suite: fix the "
        "regression and regenerate the run; the gate cannot be waived by editing the file",
    )


def check_counts(gate: GateState, doc: JsonDocument, run: RunRead) -> None:
    """``counts``: well typed, and the unpaired points within ``max_missing_pairs`` (RA808)."""
    suite_id = run.suite_id
    counts = read_object(doc.data, "counts")
    if counts is None:
        return  # the seed counts an absent ``counts`` as no missing pairs
    if isinstance(counts, WrongType):
        gate.fail_in_run(
            run,
            TOO_MANY_MISSING_PAIRS,
            f"suite {suite_id}: " + counts.text("counts"),
            doc.line_of("counts"),
        )
        return
    values: dict[str, int] = {}
    broken = False
    for key in ("upstream_only", *CANDIDATE_ONLY_KEYS):
        value = read_count(counts, key)
        if isinstance(value, WrongType):
            broken = True
            gate.fail_in_run(
                run,
                TOO_MANY_MISSING_PAIRS,
                f"suite {suite_id}: " + value.text(f"counts.{key}"),
                doc.line_of("counts", key),
            )
        elif value is not None:
            values[key] = value
    if broken:
        return
    upstream_only = values.get("upstream_only", 0)
    # Both candidate keys present: take the larger, so a stale duplicate cannot hide
    # missing pairs (and the same number written under both names is not counted twice).
    candidate_key, candidate_only = max(
        ((key, values[key]) for key in CANDIDATE_ONLY_KEYS if key in values),
        key=lambda item: item[1],
        default=("candidate_only", 0),
    )
    missing = upstream_only + candidate_only
    limit = gate.inputs.max_missing_pairs
    if missing > limit:
        gate.fail_in_run(
            run,
            TOO_MANY_MISSING_PAIRS,
            f"suite {suite_id} exceeds missing-pair threshold: {missing} > {limit} "
            f"(upstream_only {upstream_only} + {candidate_key} {candidate_only})",
            doc.line_of("counts"),
            hint="evaluate the missing (task, seed) pairs on both sides (see the run's "
            "'missing' lists), or raise --max-missing-pairs deliberately",
        )
