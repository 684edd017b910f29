"""The parity gate: the seed's ``validate_parity_artifacts.py`` rules, typed and complete.

Inputs are run artifacts (one per suite), an aggregate and an upstream lock. Every rule is
checked and every failure collected (never stop at the first). Each failure carries a stable
code (RA8xx), the file and best-effort line, the suite it concerns, and a fix.

The verdict and the failure list match the seed's on well-typed input. Where the seed would
crash (malformed JSON, a non-object top level, a directory) or silently coerce a wrong type
(``"false"`` is truthy, ``"3"`` counts as 3), this gate reports one clear failure instead.

Standard library only: the ``check-parity-artifacts`` pre-commit hook runs this module, and
hooks must not import pydantic. ``core.gates.models`` holds the pydantic models of the same
artifacts for JSON Schema publishing; a test holds both to the same verdicts.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from release_assistant.core.gates.jsondoc import JsonDocument, describe, load_json_object
from release_assistant.core.support.records import record
from release_assistant.core.support.textfiles import FileProblem, resolve_inside

SUMMARY_SCHEMA_VERSION = "release-assistant.parity-summary.v1"

#: The candidate-side key of ``counts``: the seed's files say ``worldflux_only``; generic
#: artifacts (and ``gate parity run``) say ``candidate_only``.
CANDIDATE_ONLY_KEYS = ("worldflux_only", "candidate_only")

#: Every failure code of the gate, with the rule it enforces.
RULES: dict[str, str] = {
    "RA801": "the gate's inputs are not configured, or max_missing_pairs is negative",
    "RA802": "the upstream lock file is missing",
    "RA803": "an artifact is unreadable or malformed (JSON syntax, top level, field types)",
    "RA804": "a run artifact file is missing",
    "RA805": "a run artifact lacks suite.suite_id",
    "RA806": "two run artifacts are for the same suite",
    "RA807": "a run's stats.pass_non_inferiority is not true",
    "RA808": "a run's counts.upstream_only + counts.<candidate>_only exceed max_missing_pairs",
    "RA809": "a run has no evaluation_manifest object",
    "RA810": "a run has no artifact_integrity object",
    "RA811": "a run's suite is absent from the upstream lock",
    "RA812": "upstream commit metadata is missing (run sources.upstream.commit or lock commit)",
    "RA813": "a run's sources.upstream.commit differs from the lock's commit",
    "RA814": "a run's suite_lock_ref.matches_lock is not true",
    "RA815": "a required suite has no run artifact",
    "RA816": "the aggregate artifact is missing",
    "RA817": "the aggregate does not say all_suites_pass: true",
    "RA818": "the aggregate lacks a required suite's row",
    "RA819": "an aggregate row fails non-inferiority (flag not true, or ci_upper > margin)",
}

_REGENERATE = (
    "regenerate the artifacts (release-assistant gate parity run ... && "
    "release-assistant gate parity aggregate ...) rather than editing them by hand"
)


@record
class ParityInputs:
    """What the gate checks. ``base`` makes paths in messages relative (the repo root).

    ``confined``: every artifact must resolve (symlinks followed) inside ``base`` — set for
    paths from the repository's configuration, whose files end up quoted in reports.
    """

    runs: tuple[Path, ...]
    aggregate: Path | None
    lock: Path | None
    required_suites: tuple[str, ...]
    max_missing_pairs: int = 0
    base: Path | None = None
    confined: bool = False


@record
class GateFailure:
    """One broken rule: code, message, where, which suite, and how to fix it."""

    code: str
    message: str
    path: str | None = None
    line: int | None = None
    suite_id: str | None = None
    hint: str | None = None


@record
class SuiteOutcome:
    """One row of the suites table: the numbers the artifacts state and the gate's verdict.

    ``passed`` is the gate's verdict for this suite (no failure concerns it); ``reason`` is
    the failures' messages, or the artifact's own verdict reason when it passed.
    """

    suite_id: str
    required: bool
    run_path: str | None
    samples: int | None
    mean_drop_ratio: float | None
    ci_upper_ratio: float | None
    margin_ratio: float | None
    confidence: float | None
    upstream_commit: str | None
    locked_commit: str | None
    passed: bool
    reason: str


@record
class LockEntry:
    """One suite pinned by the upstream lock."""

    suite_id: str
    repo: str | None
    commit: str | None


@record
class LockSummary:
    """What the upstream lock says, as far as it could be read."""

    path: str | None
    found: bool
    usable: bool
    schema_version: str | None
    suites: tuple[LockEntry, ...] = ()


@record
class ParityResult:
    """The gate's verdict with every failure, the suites table and the lock summary."""

    run_paths: tuple[str, ...]
    aggregate_path: str | None
    lock_path: str | None
    required_suites: tuple[str, ...]
    max_missing_pairs: int
    failures: tuple[GateFailure, ...]
    suites: tuple[SuiteOutcome, ...]
    lock: LockSummary

    @property
    def ok(self) -> bool:
        """True when no rule failed."""
        return not self.failures

    def summary(self) -> dict[str, Any]:
        """The summary JSON object (``--output-json``; ``schema parity-summary``).

        Keeps the seed's keys (``required_suites``, ``run_paths``, ``aggregate_path``,
        ``lock_path``, ``failures`` as strings, ``success``) and adds ``ok``,
        ``failure_details``, ``suites`` and ``lock``.
        """
        return {
            "schema_version": SUMMARY_SCHEMA_VERSION,
            "gate": "parity",
            "ok": self.ok,
            "success": self.ok,
            "required_suites": list(self.required_suites),
            "run_paths": list(self.run_paths),
            "aggregate_path": self.aggregate_path,
            "lock_path": self.lock_path,
            "max_missing_pairs": self.max_missing_pairs,
            "failures": [failure.message for failure in self.failures],
            "failure_details": [
                {
                    "code": f.code,
                    "message": f.message,
                    "path": f.path,
                    "line": f.line,
                    "suite_id": f.suite_id,
                    "hint": f.hint,
                }
                for f in self.failures
            ],
            "suites": [
                {
                    "suite_id": s.suite_id,
                    "required": s.required,
                    "run_path": s.run_path,
                    "samples": s.samples,
                    "mean_drop_ratio": s.mean_drop_ratio,
                    "ci_upper_ratio": s.ci_upper_ratio,
                    "margin_ratio": s.margin_ratio,
                    "confidence": s.confidence,
                    "upstream_commit": s.upstream_commit,
                    "locked_commit": s.locked_commit,
                    "pass": s.passed,
                    "reason": s.reason,
                }
                for s in self.suites
            ],
            "lock": {
                "path": self.lock.path,
                "found": self.lock.found,
                "usable": self.lock.usable,
                "schema_version": self.lock.schema_version,
                "suites": [
                    {"suite_id": e.suite_id, "repo": e.repo, "commit": e.commit}
                    for e in self.lock.suites
                ],
            },
        }


def validate_parity(inputs: ParityInputs) -> ParityResult:
    """Apply every parity rule to ``inputs`` and return all failures; never raises."""
    return _Validator(inputs).run()


# --- typed accessors -------------------------------------------------------------------


class _WrongType:
    """A field that is present with the wrong type; ``expected`` says what it should be."""

    def __init__(self, value: object, expected: str) -> None:
        self.value = value
        self.expected = expected

    def text(self, name: str) -> str:
        return f"{name} must be {self.expected}, found {describe(self.value)}"


def _bool(obj: Mapping[str, Any], key: str) -> bool | _WrongType | None:
    value = obj.get(key)
    if value is None or isinstance(value, bool):
        return value
    return _WrongType(value, "true or false")


def _string(obj: Mapping[str, Any], key: str) -> str | _WrongType | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    return _WrongType(value, "a string")


def _number(obj: Mapping[str, Any], key: str) -> float | _WrongType | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _WrongType(value, "a number")
    if not math.isfinite(value):
        return _WrongType(value, "a finite number")
    return float(value)


def _count(obj: Mapping[str, Any], key: str) -> int | _WrongType | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return _WrongType(value, "a whole number >= 0")
    return value


def _object(obj: Mapping[str, Any], key: str) -> dict[str, Any] | _WrongType | None:
    value = obj.get(key)
    if value is None or isinstance(value, dict):
        return value
    return _WrongType(value, "an object")


# --- the validator ---------------------------------------------------------------------


class _Run:
    """What the gate read from one run (plain class: a dataclass costs ~1 ms to create,
    and the pre-commit hook imports this module)."""

    def __init__(self, suite_id: str, path: str) -> None:
        self.suite_id = suite_id
        self.path = path
        self.samples: int | None = None
        self.mean_drop_ratio: float | None = None
        self.ci_upper_ratio: float | None = None
        self.margin_ratio: float | None = None
        self.confidence: float | None = None
        self.verdict_reason: str | None = None
        self.upstream_commit: str | None = None


class _Row:
    """What the gate read from one aggregate row."""

    def __init__(self) -> None:
        self.samples: int | None = None
        self.mean_drop_ratio: float | None = None
        self.ci_upper_ratio: float | None = None
        self.margin_ratio: float | None = None
        self.confidence: float | None = None
        self.verdict_reason: str | None = None


_STAT_NUMBERS = ("mean_drop_ratio", "ci_upper_ratio", "margin_ratio", "confidence")


class _Validator:
    """Applies every rule to one set of inputs, collecting failures as it goes."""

    def __init__(self, inputs: ParityInputs) -> None:
        self.inputs = inputs
        self.failures: list[GateFailure] = []
        self.runs: dict[str, _Run] = {}
        self.rows: dict[str, _Row] = {}
        self.lock_suites: dict[str, LockEntry] | None = None
        self.lock_summary: LockSummary | None = None
        # Suites whose pin in the lock is malformed (reported once, as RA803): their runs
        # are not compared with it, the other suites' runs still are.
        self.broken_pins: set[str] = set()

    def fail(
        self,
        code: str,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        suite_id: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.failures.append(GateFailure(code, message, path, line, suite_id, hint))

    def fail_in_run(
        self, run: _Run, code: str, message: str, line: int | None, hint: str = _REGENERATE
    ) -> None:
        """A failure found in ``run``'s artifact: located in its file, tagged with its suite."""
        self.fail(code, message, path=run.path, line=line, suite_id=run.suite_id, hint=hint)

    def load(self, path: Path) -> JsonDocument:
        """Read one artifact; outside the repository it is refused when inputs are confined."""
        base = self.inputs.base
        if self.inputs.confined and base is not None:
            resolve_inside(base, os.fspath(path), "[tool.release-assistant.gates.parity] path")
        return load_json_object(path)

    def show(self, path: Path) -> str:
        base = self.inputs.base
        if base is not None:
            # The path as configured (a symlink named, not its target), relative when inside.
            for shown, root in (
                (Path(os.path.abspath(path)), Path(os.path.abspath(base))),
                (path.resolve(), base.resolve()),
            ):
                try:
                    return shown.relative_to(root).as_posix()
                except ValueError:
                    continue
        return str(path)

    def required(self) -> list[str]:
        return list(dict.fromkeys(self.inputs.required_suites))

    def run(self) -> ParityResult:
        inputs = self.inputs
        if inputs.max_missing_pairs < 0:
            self.fail(
                "RA801",
                f"max_missing_pairs must be >= 0 (got {inputs.max_missing_pairs})",
                hint="pass --max-missing-pairs 0 (or set gates.parity.max_missing_pairs)",
            )
        if not inputs.runs and not inputs.required_suites:
            self.fail(
                "RA801",
                "no run artifacts and no required suites: the gate would check nothing",
                hint="pass --run FILE and --required-suite ID (or set gates.parity.runs "
                "and gates.parity.required_suites)",
            )
        self.load_lock()
        for path in inputs.runs:
            self.check_run(path)
        for suite_id in sorted(set(self.required()) - set(self.runs)):
            self.fail(
                "RA815",
                f"required suite artifact missing: {suite_id}",
                suite_id=suite_id,
                hint=f"generate the run for {suite_id} (release-assistant gate parity run "
                "...) and pass it with --run",
            )
        self.check_aggregate()
        return self.result()

    # -- lock --

    def load_lock(self) -> None:
        lock = self.inputs.lock
        if lock is None:
            self.fail(
                "RA801",
                "no upstream lock given",
                hint="pass --lock FILE (or set gates.parity.lock)",
            )
            self.lock_summary = LockSummary(None, False, False, None)
            return
        shown = self.show(lock)
        if not lock.exists():
            self.fail(
                "RA802",
                f"upstream lock file is missing: {shown}",
                path=shown,
                hint=f"commit the upstream lock at {shown}, or point --lock at it",
            )
            self.lock_summary = LockSummary(shown, False, False, None)
            return
        try:
            doc = self.load(lock)
        except FileProblem as problem:
            self.fail(
                "RA803",
                f"upstream lock {shown} {problem.message}",
                path=shown,
                line=problem.line,
                hint="fix the JSON of the upstream lock",
            )
            self.lock_summary = LockSummary(shown, True, False, None)
            return
        version = _string(doc.data, "schema_version")
        schema_version = version if isinstance(version, str) else None
        suites = _object(doc.data, "suites")
        entries: dict[str, LockEntry] = {}
        usable = True
        if isinstance(version, _WrongType):
            self.fail(
                "RA803",
                f"upstream lock {shown}: " + version.text("schema_version"),
                path=shown,
                line=doc.line_of("schema_version"),
                hint='write "schema_version" as a string, or leave it out',
            )
        if suites is None or isinstance(suites, _WrongType):
            usable = False
            message = (
                "has no 'suites' object"
                if suites is None
                else f"'suites' must be an object, found {describe(suites.value)}"
            )
            self.fail(
                "RA803",
                f"upstream lock {shown}: {message} (suite id -> {{repo, commit}})",
                path=shown,
                line=doc.line_of("suites"),
                hint='write {"suites": {"<suite_id>": {"repo": "...", "commit": "..."}}}',
            )
        else:
            for suite_id, entry in suites.items():
                if not isinstance(entry, dict):
                    self.broken_pins.add(suite_id)
                    self.fail(
                        "RA803",
                        f"upstream lock {shown}: suites.{suite_id} must be an object, "
                        f"found {describe(entry)}",
                        path=shown,
                        line=doc.line_of("suites", suite_id),
                        suite_id=suite_id,
                        hint='pin it as {"repo": "...", "commit": "<sha>"}',
                    )
                    continue
                repo, commit = _string(entry, "repo"), _string(entry, "commit")
                for name, value in (("repo", repo), ("commit", commit)):
                    if isinstance(value, _WrongType):
                        self.broken_pins.add(suite_id)
                        self.fail(
                            "RA803",
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
        self.lock_suites = entries if usable else None
        self.lock_summary = LockSummary(
            shown, True, usable, schema_version, tuple(entries.values())
        )

    # -- runs --

    def check_run(self, path: Path) -> None:
        shown = self.show(path)
        if not path.exists():
            self.fail(
                "RA804",
                f"run artifact is missing: {shown}",
                path=shown,
                hint=f"generate it (release-assistant gate parity run ... --output {shown}) "
                "or fix the --run path",
            )
            return
        try:
            doc = self.load(path)
        except FileProblem as problem:
            self.fail(
                "RA803",
                f"run artifact {shown} {problem.message}",
                path=shown,
                line=problem.line,
                hint=_REGENERATE,
            )
            return
        data = doc.data
        suite = data.get("suite")
        if not isinstance(suite, dict):
            self.fail(
                "RA805",
                f"run artifact missing suite metadata: {shown} (no 'suite' object"
                + ("" if suite is None else f", found {describe(suite)}")
                + ")",
                path=shown,
                line=doc.line_of("suite"),
                hint='the run must carry {"suite": {"suite_id": "..."}}; ' + _REGENERATE,
            )
            return
        raw_id = suite.get("suite_id")
        if raw_id is not None and not isinstance(raw_id, str):
            self.fail(
                "RA805",
                f"run artifact {shown}: suite.suite_id must be a string, found {describe(raw_id)}",
                path=shown,
                line=doc.line_of("suite", "suite_id"),
                hint='write "suite_id": "<suite id>"',
            )
            return
        suite_id = (raw_id or "").strip()
        if not suite_id:
            self.fail(
                "RA805",
                f"run artifact suite_id is empty: {shown}",
                path=shown,
                line=doc.line_of("suite", "suite_id") or doc.line_of("suite"),
                hint="set suite.suite_id to the suite this run measured; " + _REGENERATE,
            )
            return
        first = self.runs.get(suite_id)
        if first is not None:
            self.fail(
                "RA806",
                f"duplicate suite artifact detected for {suite_id}: {shown} (first: {first.path})",
                path=shown,
                line=doc.line_of("suite", "suite_id"),
                suite_id=suite_id,
                hint="pass exactly one --run per suite",
            )
            return
        run = _Run(suite_id, shown)
        self.runs[suite_id] = run
        self.check_stats(doc, run)
        self.check_counts(doc, run)
        for key, code in (("evaluation_manifest", "RA809"), ("artifact_integrity", "RA810")):
            value = data.get(key)
            if not isinstance(value, dict):
                found = "" if value is None else f" (found {describe(value)}, not an object)"
                self.fail_in_run(
                    run,
                    code,
                    f"suite {suite_id} missing {key}{found}",
                    doc.line_of(key),
                    hint=f"a run must record its {key} object; " + _REGENERATE,
                )
        if self.lock_suites is not None:
            self.check_against_lock(doc, run)

    def check_stats(self, doc: JsonDocument, run: _Run) -> None:
        suite_id, shown = run.suite_id, run.path
        stats = _object(doc.data, "stats")
        if isinstance(stats, _WrongType) or stats is None:
            detail = "no 'stats' object" if stats is None else stats.text("'stats'")
            self.fail_in_run(
                run,
                "RA807",
                f"suite {suite_id} failed non-inferiority in {shown}: {detail}",
                doc.line_of("stats"),
            )
            return
        samples = _count(stats, "sample_size")
        numbers = {key: _number(stats, key) for key in _STAT_NUMBERS}
        reason = _string(stats, "verdict_reason")
        for key, value in (("sample_size", samples), *numbers.items(), ("verdict_reason", reason)):
            if isinstance(value, _WrongType):
                self.fail_in_run(
                    run,
                    "RA803",
                    f"run artifact {shown}: " + value.text(f"stats.{key}"),
                    doc.line_of("stats", key),
                )
        run.samples = samples if isinstance(samples, int) else None
        run.mean_drop_ratio, run.ci_upper_ratio, run.margin_ratio, run.confidence = (
            value if isinstance(value, float) else None for value in numbers.values()
        )
        run.verdict_reason = reason if isinstance(reason, str) else None
        flag = _bool(stats, "pass_non_inferiority")
        if flag is True:
            return
        line = doc.line_of("stats", "pass_non_inferiority") or doc.line_of("stats")
        if isinstance(flag, _WrongType):
            detail = flag.text("stats.pass_non_inferiority")
        elif flag is None:
            detail = "stats.pass_non_inferiority is missing"
        else:
            detail = "stats.pass_non_inferiority is false"
            if run.ci_upper_ratio is not None and run.margin_ratio is not None:
                detail += f" (upper CI {run.ci_upper_ratio:g} vs margin {run.margin_ratio:g})"
        self.fail_in_run(
            run,
            "RA807",
            f"suite {suite_id} failed non-inferiority in {shown}: {detail}",
            line,
            hint="the candidate is measurably worse than upstream on this suite: fix the "
            "regression and regenerate the run; the gate cannot be waived by editing the file",
        )

    def check_counts(self, doc: JsonDocument, run: _Run) -> None:
        suite_id = run.suite_id
        counts = _object(doc.data, "counts")
        if counts is None:
            return  # the seed counts an absent ``counts`` as no missing pairs
        if isinstance(counts, _WrongType):
            self.fail_in_run(
                run, "RA808", f"suite {suite_id}: " + counts.text("counts"), doc.line_of("counts")
            )
            return
        values: dict[str, int] = {}
        broken = False
        for key in ("upstream_only", *CANDIDATE_ONLY_KEYS):
            value = _count(counts, key)
            if isinstance(value, _WrongType):
                broken = True
                self.fail_in_run(
                    run,
                    "RA808",
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
        if missing > self.inputs.max_missing_pairs:
            self.fail_in_run(
                run,
                "RA808",
                f"suite {suite_id} exceeds missing-pair threshold: {missing} > "
                f"{self.inputs.max_missing_pairs} (upstream_only {upstream_only} + "
                f"{candidate_key} {candidate_only})",
                doc.line_of("counts"),
                hint="evaluate the missing (task, seed) pairs on both sides (see the run's "
                "'missing' lists), or raise --max-missing-pairs deliberately",
            )

    def check_against_lock(self, doc: JsonDocument, run: _Run) -> None:
        assert self.lock_suites is not None and self.lock_summary is not None
        suite_id, shown = run.suite_id, run.path
        lock_path = self.lock_summary.path
        if suite_id in self.broken_pins:
            return
        entry = self.lock_suites.get(suite_id)
        if entry is None:
            self.fail_in_run(
                run,
                "RA811",
                f"suite {suite_id} not found in upstream lock {lock_path}",
                doc.line_of("suite", "suite_id"),
                hint=f'pin it in {lock_path}: "suites": {{"{suite_id}": '
                '{"repo": "...", "commit": "<sha>"}}',
            )
            return
        source_commit = self.run_upstream_commit(doc, run)
        run.upstream_commit = source_commit if isinstance(source_commit, str) else None
        if isinstance(source_commit, _WrongType):
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
            self.fail(
                "RA812",
                f"suite {suite_id} has missing upstream commit metadata ({side} missing)",
                path=shown if source_commit is None else lock_path,
                line=doc.line_of("sources") if source_commit is None else None,
                suite_id=suite_id,
                hint="record the upstream commit the scores were produced at; " + _REGENERATE,
            )
        elif entry.commit != source_commit:
            self.fail_in_run(
                run,
                "RA813",
                f"suite {suite_id} upstream commit mismatch: lock={entry.commit} "
                f"run={source_commit}",
                doc.line_of("sources", "upstream", "commit"),
                hint=f"re-run the suite against upstream {entry.commit}, or update the pin "
                f"in {lock_path} if the new upstream commit is intended",
            )
        ref = _object(doc.data, "suite_lock_ref")
        if not isinstance(ref, dict):
            found = "" if ref is None else f" ({ref.text('suite_lock_ref')})"
            self.fail_in_run(
                run,
                "RA814",
                f"suite {suite_id} missing suite_lock_ref{found}",
                doc.line_of("suite_lock_ref"),
            )
            return
        matches = _bool(ref, "matches_lock")
        if matches is not True:
            found = (
                matches.text("matches_lock")
                if isinstance(matches, _WrongType)
                else f"found {describe(matches)}"
            )
            self.fail_in_run(
                run,
                "RA814",
                f"suite {suite_id} suite_lock_ref.matches_lock is not true ({found})",
                doc.line_of("suite_lock_ref", "matches_lock") or doc.line_of("suite_lock_ref"),
                hint="the run was produced against a different upstream than the lock pins; "
                "re-run it against the locked commit",
            )

    def run_upstream_commit(self, doc: JsonDocument, run: _Run) -> str | _WrongType | None:
        sources = _object(doc.data, "sources")
        keys: tuple[str, ...] = ("sources",)
        value: object = sources
        if isinstance(sources, dict):
            upstream = _object(sources, "upstream")
            keys, value = ("sources", "upstream"), upstream
            if isinstance(upstream, dict):
                commit = _string(upstream, "commit")
                keys, value = ("sources", "upstream", "commit"), commit
        if isinstance(value, _WrongType):
            self.fail_in_run(
                run,
                "RA812",
                f"suite {run.suite_id}: " + value.text(".".join(keys)),
                doc.line_of(*keys),
            )
            return value
        return value if isinstance(value, str) else None

    # -- aggregate --

    def check_aggregate(self) -> None:
        aggregate = self.inputs.aggregate
        doc: JsonDocument | None = None
        shown: str | None = None
        if aggregate is None:
            self.fail(
                "RA801",
                "no aggregate artifact given",
                hint="pass --aggregate FILE (or set gates.parity.aggregate)",
            )
        else:
            shown = self.show(aggregate)
            if not aggregate.exists():
                self.fail(
                    "RA816",
                    f"aggregate artifact is missing: {shown}",
                    path=shown,
                    hint="generate it: release-assistant gate parity aggregate --run ... "
                    f"--output {shown}",
                )
            else:
                try:
                    doc = self.load(aggregate)
                except FileProblem as problem:
                    self.fail(
                        "RA803",
                        f"aggregate artifact {shown} {problem.message}",
                        path=shown,
                        line=problem.line,
                        hint=_REGENERATE,
                    )
        raw_rows: dict[str, tuple[dict[str, Any], int]] = {}
        if doc is not None:
            raw_rows = self.read_rows(doc, shown or "")
        self.check_all_pass(doc, shown)
        for suite_id in self.required():
            found = raw_rows.get(suite_id)
            if found is None:
                self.fail(
                    "RA818",
                    f"aggregate missing suite row: {suite_id}",
                    path=shown if doc is not None else None,
                    suite_id=suite_id,
                    hint="regenerate the aggregate from every suite's run "
                    "(release-assistant gate parity aggregate --run ...)",
                )
                continue
            row, index = found
            self.check_row(doc, shown or "", suite_id, row, index)

    def read_rows(self, doc: JsonDocument, shown: str) -> dict[str, tuple[dict[str, Any], int]]:
        rows: dict[str, tuple[dict[str, Any], int]] = {}
        suites = doc.data.get("suites")
        if suites is None:
            return rows
        if not isinstance(suites, list):
            self.fail(
                "RA803",
                f"aggregate artifact {shown}: 'suites' must be a list of rows, "
                f"found {describe(suites)}",
                path=shown,
                line=doc.line_of("suites"),
                hint=_REGENERATE,
            )
            return rows
        for index, row in enumerate(suites):
            if not isinstance(row, dict):
                self.fail(
                    "RA803",
                    f"aggregate artifact {shown}: suites[{index}] must be an object, "
                    f"found {describe(row)}",
                    path=shown,
                    line=doc.line_of("suites"),
                    hint=_REGENERATE,
                )
                continue
            suite_id = row.get("suite_id")
            if not isinstance(suite_id, str) or not suite_id.strip():
                found = "is missing" if suite_id is None else f"is {describe(suite_id)}"
                self.fail(
                    "RA803",
                    f"aggregate artifact {shown}: suites[{index}].suite_id {found}",
                    path=shown,
                    line=doc.line_of("suites"),
                    hint=_REGENERATE,
                )
                continue
            parsed = _Row()
            samples = _count(row, "sample_size")
            numbers = {key: _number(row, key) for key in _STAT_NUMBERS}
            reason = _string(row, "verdict_reason")
            flag = _bool(row, "pass_non_inferiority")
            checked = (
                ("sample_size", samples),
                *numbers.items(),
                ("verdict_reason", reason),
                ("pass_non_inferiority", flag),
            )
            for key, value in checked:
                if isinstance(value, _WrongType):
                    self.fail(
                        "RA803",
                        f"aggregate artifact {shown}: "
                        + value.text(f"suites[{index}].{key}")
                        + f" (suite {suite_id})",
                        path=shown,
                        line=doc.line_of_value("suite_id", suite_id),
                        suite_id=suite_id,
                        hint=_REGENERATE,
                    )
            parsed.samples = samples if isinstance(samples, int) else None
            (
                parsed.mean_drop_ratio,
                parsed.ci_upper_ratio,
                parsed.margin_ratio,
                parsed.confidence,
            ) = (value if isinstance(value, float) else None for value in numbers.values())
            parsed.verdict_reason = reason if isinstance(reason, str) else None
            # Like the seed, a later row for the same suite replaces an earlier one.
            rows[suite_id] = (row, index)
            self.rows[suite_id] = parsed
        return rows

    def check_all_pass(self, doc: JsonDocument | None, shown: str | None) -> None:
        flag = None if doc is None else _bool(doc.data, "all_suites_pass")
        if flag is True:
            return
        if doc is None:
            message = "aggregate does not report all_suites_pass: true (no readable aggregate)"
            line = None
        elif isinstance(flag, _WrongType):
            message = f"aggregate artifact {shown}: " + flag.text("all_suites_pass")
            line = doc.line_of("all_suites_pass")
        elif flag is None:
            message = f"aggregate artifact {shown} has no all_suites_pass: true"
            line = None
        else:
            message = "aggregate artifact reports all_suites_pass=false"
            line = doc.line_of("all_suites_pass")
        self.fail(
            "RA817",
            message,
            path=shown if doc is not None else None,
            line=line,
            hint="every suite must pass; fix the failing suite, then regenerate the aggregate",
        )

    def check_row(
        self,
        doc: JsonDocument | None,
        shown: str,
        suite_id: str,
        row: Mapping[str, Any],
        index: int,
    ) -> None:
        parsed = self.rows[suite_id]
        problems: list[str] = []
        flag = _bool(row, "pass_non_inferiority")
        if flag is None:
            problems.append("pass_non_inferiority is missing")
        elif flag is False:
            problems.append("pass_non_inferiority is false")
        elif isinstance(flag, _WrongType):
            problems.append(flag.text("pass_non_inferiority"))
        ci, margin = parsed.ci_upper_ratio, parsed.margin_ratio
        if ci is not None and margin is not None and ci > margin:
            problems.append(f"ci_upper_ratio {ci:g} > margin_ratio {margin:g}")
        if problems:
            self.fail(
                "RA819",
                f"aggregate suite failed non-inferiority: {suite_id} ({'; '.join(problems)})",
                path=shown,
                line=None if doc is None else doc.line_of_value("suite_id", suite_id),
                suite_id=suite_id,
                hint="the candidate is measurably worse than upstream on this suite: fix the "
                "regression, re-run the suite and regenerate the aggregate",
            )

    # -- result --

    def result(self) -> ParityResult:
        required = self.required()
        order = list(self.runs) + [s for s in required if s not in self.runs]
        by_suite: dict[str, list[GateFailure]] = {}
        for failure in self.failures:
            if failure.suite_id is not None:
                by_suite.setdefault(failure.suite_id, []).append(failure)
        lock_entries = {
            entry.suite_id: entry
            for entry in (self.lock_summary.suites if self.lock_summary else ())
        }
        outcomes = []
        for suite_id in order:
            run = self.runs.get(suite_id)
            row = self.rows.get(suite_id)
            failures = by_suite.get(suite_id, [])
            outcomes.append(
                SuiteOutcome(
                    suite_id=suite_id,
                    required=suite_id in required,
                    run_path=run.path if run else None,
                    samples=_pick("samples", run, row),
                    mean_drop_ratio=_pick("mean_drop_ratio", run, row),
                    ci_upper_ratio=_pick("ci_upper_ratio", run, row),
                    margin_ratio=_pick("margin_ratio", run, row),
                    confidence=_pick("confidence", run, row),
                    upstream_commit=run.upstream_commit if run else None,
                    locked_commit=(
                        lock_entries[suite_id].commit if suite_id in lock_entries else None
                    ),
                    passed=not failures,
                    reason=_reason(failures, run, row),
                )
            )
        return ParityResult(
            run_paths=tuple(self.show(path) for path in self.inputs.runs),
            aggregate_path=None
            if self.inputs.aggregate is None
            else self.show(self.inputs.aggregate),
            lock_path=self.lock_summary.path if self.lock_summary else None,
            required_suites=tuple(required),
            max_missing_pairs=self.inputs.max_missing_pairs,
            failures=tuple(self.failures),
            suites=tuple(outcomes),
            lock=self.lock_summary or LockSummary(None, False, False, None),
        )


def _pick(attr: str, *sources: _Run | _Row | None) -> Any:
    """The first non-null ``attr`` among ``sources`` (the run's own stats win)."""
    for source in sources:
        value = getattr(source, attr, None) if source is not None else None
        if value is not None:
            return value
    return None


def _reason(failures: Iterable[GateFailure], run: _Run | None, row: _Row | None) -> str:
    messages = [failure.message for failure in failures]
    if messages:
        return "; ".join(messages)
    for source in (run, row):
        if source is not None and source.verdict_reason:
            return source.verdict_reason
    ci = _pick("ci_upper_ratio", run, row)
    margin = _pick("margin_ratio", run, row)
    if ci is not None and margin is not None:
        return f"PASS: one-sided upper CI {ci:.6f} <= margin {margin:.6f}"
    return "PASS: every parity rule holds"
