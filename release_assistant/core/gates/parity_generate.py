"""Generating parity artifacts: a run per suite, then the aggregate over the runs.

``generate_run`` compares upstream and candidate scores for one suite:

1. keep, per (task, seed), the point with the latest ``step`` on each side (limited to the
   suite's ``tasks`` and, when given, ``seeds``);
2. pair the sides by (task, seed); count ``upstream_only`` / ``candidate_only`` (and
   ``missing_both`` for expected pairs neither side has);
3. per pair, drop ratio ``(upstream - candidate) / max(|upstream|, 1)``, sign flipped when
   lower is better, so a positive drop always means "the candidate is worse";
4. the one-sided upper bound of the mean drop at ``confidence`` by a percentile bootstrap
   (``bootstrap_samples`` resamples, ``random.Random(bootstrap_seed)``: deterministic, no
   numpy); pass iff ``ci_upper_ratio <= margin_ratio`` (steps 1-4: :mod:`.parity.scoring`).

The run records the upstream commit and the lock's pin (``suite_lock_ref``), an
``evaluation_manifest`` and ``artifact_integrity`` (sha256 of every input file). Artifacts
are validated with pydantic (the dataclasses of :mod:`.parity.artifacts`) before they are
returned. Pure: paths in,
JSON-ready dicts out; the CLI writes them atomically.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from release_assistant import __version__
from release_assistant.core.gates.jsondoc import JsonDocument, parse_json_object
from release_assistant.core.gates.models import validate
from release_assistant.core.gates.parity.artifacts import (
    ParityAggregate,
    ParityRun,
    ScoreFile,
    SuiteSpec,
    UpstreamLock,
)
from release_assistant.core.gates.parity.scoring import (
    Key,
    drop_ratio,
    non_inferiority,
    pair_scores,
    round_ratio,
)
from release_assistant.core.support.textfiles import FileProblem, decode_text, read_bytes

RUN_SCHEMA_VERSION = "release-assistant.parity.run.v1"
AGGREGATE_SCHEMA_VERSION = "release-assistant.parity.aggregate.v1"
RUNNER = "release-assistant gate parity run"

ModelT = TypeVar("ModelT")


@dataclass(frozen=True, slots=True)
class InputFile:
    """An input file as read once: its bytes' sha256 and its parsed JSON."""

    path: Path
    sha256: str
    doc: JsonDocument


def read_input(path: Path) -> InputFile:
    """Read ``path`` once (for both its hash and its JSON); ``FileProblem`` when unusable."""
    data = read_bytes(path, "a parity input")
    doc = parse_json_object(decode_text(data, path), path)
    return InputFile(path, hashlib.sha256(data).hexdigest(), doc)


def validated(model: type[ModelT], source: InputFile, what: str) -> ModelT:
    """``source``'s JSON as ``model``; one-line ``FileProblem`` naming field and line."""
    try:
        return validate(model, source.doc.data)
    except ValidationError as error:
        # The message names up to three broken fields; the traceback would add nothing.
        raise FileProblem(source.path, _explain(error, what), _line(error, source.doc)) from None


def _fields(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top level)"


def _explain(error: ValidationError, what: str) -> str:
    problems = error.errors()
    shown = [f"{_fields(p['loc'])}: {_message(p['type'], p['msg'])}" for p in problems[:3]]
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return f"is not a valid {what}: " + "; ".join(shown) + more


def _message(kind: str, message: str) -> str:
    # A dataclass names an unknown key a keyword argument; in a JSON file it is a key.
    return "Extra inputs are not permitted" if kind == "unexpected_keyword_argument" else message


def _line(error: ValidationError, doc: JsonDocument) -> int | None:
    loc = error.errors()[0]["loc"] if error.errors() else ()
    keys = [part for part in loc if isinstance(part, str)]
    while keys:
        line = doc.line_of(*keys)
        if line is not None:
            return line
        keys.pop()
    return None


@dataclass(frozen=True, slots=True)
class GeneratedRun:
    """A run artifact (JSON-ready) and what the CLI should tell the user about it."""

    data: dict[str, Any]
    suite_id: str
    passed: bool
    reason: str
    warnings: tuple[str, ...]


def _utc(now: dt.datetime | None) -> str:
    moment = now or dt.datetime.now(dt.timezone.utc)
    return (
        moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    )


def _keys(keys: Sequence[Key]) -> list[dict[str, Any]]:
    return [{"task": task, "seed": seed} for task, seed in keys]


def generate_run(
    suite_spec: Path,
    upstream_scores: Path,
    candidate_scores: Path,
    lock: Path,
    *,
    now: dt.datetime | None = None,
) -> GeneratedRun:
    """Compare the two score files for the suite and build its run artifact.

    Raises ``FileProblem`` for an unreadable or invalid input, and when the lock has no
    entry (or no commit) for the suite: a run that cannot be tied to a pinned upstream is
    never written.
    """
    spec_file = read_input(suite_spec)
    spec = validated(SuiteSpec, spec_file, "suite spec")
    up_file = read_input(upstream_scores)
    upstream = validated(ScoreFile, up_file, "score file")
    cand_file = read_input(candidate_scores)
    candidate = validated(ScoreFile, cand_file, "score file")
    lock_file = read_input(lock)
    lock_model = validated(UpstreamLock, lock_file, "upstream lock")

    pin = lock_model.suites.get(spec.suite_id)
    if pin is None or pin.commit is None:
        missing = "no entry" if pin is None else "no commit"
        raise FileProblem(
            lock,
            f"has {missing} for suite {spec.suite_id!r}; pin the upstream first: "
            f'"suites": {{"{spec.suite_id}": {{"repo": "...", "commit": "<sha>"}}}}',
            lock_file.doc.line_of("suites"),
        )
    if upstream.commit is not None:
        resolved, resolved_from = upstream.commit, "upstream score file"
    elif spec.upstream_commit is not None:
        resolved, resolved_from = spec.upstream_commit, "suite spec"
    else:
        resolved, resolved_from = pin.commit, "upstream lock"
    matches = resolved == pin.commit
    warnings: list[str] = []
    if not matches:
        warnings.append(
            f"suite {spec.suite_id}: upstream scores come from {resolved} ({resolved_from}) "
            f"but the lock pins {pin.commit}; the gate will fail this run"
        )

    pairing = pair_scores(spec, upstream, candidate, upstream_scores, candidate_scores)
    lower = spec.lower_is_better
    pairs = [
        {
            "task": up.task,
            "seed": up.seed,
            "upstream_step": up.step,
            "upstream_score": up.score,
            "candidate_step": cand.step,
            "candidate_score": cand.score,
            "drop_ratio": round_ratio(drop_ratio(up.score, cand.score, lower_is_better=lower)),
        }
        for up, cand in pairing.pairs
    ]
    # The verdict uses the unrounded drops; the artifact shows them rounded.
    drops = [drop_ratio(up.score, cand.score, lower_is_better=lower) for up, cand in pairing.pairs]
    verdict = non_inferiority(drops, spec)
    n = len(pairing.pairs)
    if pairing.upstream_only or pairing.candidate_only:
        warnings.append(
            f"suite {spec.suite_id}: {len(pairing.upstream_only)} upstream-only and "
            f"{len(pairing.candidate_only)} candidate-only (task, seed) pairs"
        )
    stamp = _utc(now)
    data: dict[str, Any] = {
        "schema_version": RUN_SCHEMA_VERSION,
        "generated_at_utc": stamp,
        "suite": {
            "suite_id": spec.suite_id,
            "family": spec.family,
            "metric": spec.metric,
            "tasks": list(spec.tasks),
            "seeds": None if spec.seeds is None else list(spec.seeds),
            "lower_is_better": lower,
            "higher_is_better": not lower,
            "margin_ratio": spec.margin_ratio,
            "confidence": spec.confidence,
            "min_pairs": spec.min_pairs,
        },
        "sources": {
            "upstream": {
                "path": str(upstream_scores),
                "repo": pin.repo,
                "commit": resolved,
                "commit_from": resolved_from,
            },
            "candidate": {"path": str(candidate_scores), "commit": candidate.commit},
        },
        "counts": {
            "upstream_points": pairing.upstream_points,
            "candidate_points": pairing.candidate_points,
            "ignored_points": pairing.ignored_points,
            "paired": n,
            "upstream_only": len(pairing.upstream_only),
            "candidate_only": len(pairing.candidate_only),
            "missing_both": len(pairing.missing_both),
        },
        "missing": {
            "upstream_only": _keys(pairing.upstream_only),
            "candidate_only": _keys(pairing.candidate_only),
            "both": _keys(pairing.missing_both),
        },
        "pairs": pairs,
        "stats": {
            "sample_size": verdict.sample_size,
            "mean_drop_ratio": verdict.mean_drop_ratio,
            "ci_lower_ratio": verdict.ci_lower_ratio,
            "ci_upper_ratio": verdict.ci_upper_ratio,
            "confidence": spec.confidence,
            "margin_ratio": spec.margin_ratio,
            "mean_upstream_score": round_ratio(math.fsum(u.score for u, _ in pairing.pairs) / n)
            if n
            else None,
            "mean_candidate_score": round_ratio(math.fsum(c.score for _, c in pairing.pairs) / n)
            if n
            else None,
            "pass_non_inferiority": verdict.passed,
            "verdict_reason": verdict.reason,
        },
        "suite_lock_ref": {
            "lock_path": str(lock),
            "lock_found": True,
            "lock_version": lock_model.schema_version,
            "suite_id": spec.suite_id,
            "locked_upstream_repo": pin.repo,
            "locked_upstream_commit": pin.commit,
            "resolved_upstream_commit": resolved,
            "matches_lock": matches,
        },
        "evaluation_manifest": {
            "runner": RUNNER,
            "tool_version": __version__,
            "generated_at_utc": stamp,
            "method": "paired (task, seed) drop ratios, latest step per side; one-sided "
            "percentile bootstrap of the mean drop",
            "drop_ratio": (
                "(candidate - upstream) / max(|upstream|, 1)"
                if lower
                else "(upstream - candidate) / max(|upstream|, 1)"
            ),
            "bootstrap_samples": spec.bootstrap_samples,
            "bootstrap_seed": spec.bootstrap_seed,
            "rng": "python random.Random (Mersenne Twister), random.choices",
            "reproducible": True,
        },
        "artifact_integrity": {
            "suite_spec_sha256": spec_file.sha256,
            "upstream_scores_sha256": up_file.sha256,
            "candidate_scores_sha256": cand_file.sha256,
            "upstream_lock_sha256": lock_file.sha256,
        },
        "pass": verdict.passed,
    }
    validate(ParityRun, data)  # what we write must be what the gate and schema accept
    return GeneratedRun(data, spec.suite_id, verdict.passed, verdict.reason, tuple(warnings))


def generate_aggregate(runs: Sequence[Path], *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The aggregate over ``runs`` (one per suite): a row per suite and ``all_suites_pass``.

    Raises ``FileProblem`` for an unreadable or invalid run, or two runs for the same suite.
    """
    if not runs:
        raise FileProblem("--run", "no run artifacts given to aggregate")
    rows: list[dict[str, Any]] = []
    seen: dict[str, Path] = {}
    for path in runs:
        source = read_input(path)
        run = validated(ParityRun, source, "parity run")
        suite_id = run.suite.suite_id.strip()
        if suite_id in seen:
            raise FileProblem(
                path, f"is a second run for suite {suite_id!r} (first: {seen[suite_id]})"
            )
        seen[suite_id] = path
        family = source.doc.data["suite"].get("family")
        stats = run.stats
        rows.append(
            {
                "suite_id": suite_id,
                "family": family if isinstance(family, str) else None,
                "run_path": str(path),
                "sample_size": stats.sample_size,
                "mean_drop_ratio": stats.mean_drop_ratio,
                "ci_upper_ratio": stats.ci_upper_ratio,
                "margin_ratio": stats.margin_ratio,
                "confidence": stats.confidence,
                "pass_non_inferiority": stats.pass_non_inferiority,
                "verdict_reason": stats.verdict_reason,
            }
        )
    passed = sum(1 for row in rows if row["pass_non_inferiority"])
    data: dict[str, Any] = {
        "schema_version": AGGREGATE_SCHEMA_VERSION,
        "generated_at_utc": _utc(now),
        "generator": {"runner": "release-assistant gate parity aggregate", "version": __version__},
        "run_count": len(rows),
        "run_paths": [str(path) for path in runs],
        "suite_pass_count": passed,
        "suite_fail_count": len(rows) - passed,
        "all_suites_pass": passed == len(rows),
        "suites": rows,
    }
    validate(ParityAggregate, data)
    return data
