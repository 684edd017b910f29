"""Scoring a parity suite: pair the two sides' scores, then judge the drops.

``pair_scores`` keeps, per (task, seed), the point with the latest ``step`` on each side
(limited to the suite's ``tasks`` and, when given, ``seeds``) and pairs the sides by
(task, seed), counting the unpaired points. ``drop_ratio`` is ``(upstream - candidate) /
max(|upstream|, 1)``, sign flipped when lower is better, so a positive drop always means "the
candidate is worse". ``non_inferiority`` takes the one-sided upper bound of the mean drop at
``confidence`` by a percentile bootstrap (``random.Random(bootstrap_seed)``: deterministic, no
numpy) and passes iff it is ``<= margin_ratio``. Pure arithmetic over the validated inputs.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from release_assistant.core.gates.parity.artifacts import ScoreFile, ScorePoint, SuiteSpec
from release_assistant.core.support.textfiles import FileProblem

#: A (task, seed) pair.
Key = tuple[str, int]


@dataclass(frozen=True, slots=True)
class Pairing:
    """Upstream and candidate points matched by (task, seed), latest step on each side."""

    pairs: tuple[tuple[ScorePoint, ScorePoint], ...]
    upstream_only: tuple[Key, ...]
    candidate_only: tuple[Key, ...]
    missing_both: tuple[Key, ...]
    upstream_points: int
    candidate_points: int
    ignored_points: int


@dataclass(frozen=True, slots=True)
class NonInferiority:
    """The bootstrap verdict over the drop ratios."""

    sample_size: int
    mean_drop_ratio: float | None
    ci_lower_ratio: float | None
    ci_upper_ratio: float | None
    passed: bool
    reason: str


def round_ratio(value: float) -> float:
    # Ten decimals (the seed's precision) keep artifacts stable across platforms' last-bit
    # float noise; ``+ 0.0`` turns -0.0 into 0.0.
    return round(value, 10) + 0.0


def drop_ratio(upstream: float, candidate: float, *, lower_is_better: bool = False) -> float:
    """Relative drop of the candidate against upstream; positive means the candidate is worse."""
    delta = candidate - upstream if lower_is_better else upstream - candidate
    return delta / max(abs(upstream), 1.0)


def _quantile(sorted_values: Sequence[float], q: float) -> float:
    # Linear interpolation between closest ranks (numpy's default "linear" method).
    position = (len(sorted_values) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    fraction = position - low
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * fraction


def bootstrap_bounds(
    drops: Sequence[float], *, confidence: float, samples: int, seed: int
) -> tuple[float, float]:
    """One-sided bounds of the mean drop: the ``1 - confidence`` and ``confidence`` quantiles
    of ``samples`` bootstrap means. Deterministic for a given ``seed``."""
    rng = random.Random(seed)
    n = len(drops)
    values = list(drops)
    means = sorted(math.fsum(rng.choices(values, k=n)) / n for _ in range(samples))
    return _quantile(means, 1.0 - confidence), _quantile(means, confidence)


def non_inferiority(drops: Sequence[float], spec: SuiteSpec) -> NonInferiority:
    """The suite's verdict: pass iff the one-sided upper CI of the mean drop <= margin."""
    n = len(drops)
    if n < spec.min_pairs:
        return NonInferiority(
            n,
            round_ratio(math.fsum(drops) / n) if n else None,
            None,
            None,
            False,
            f"FAIL: {n} paired samples, fewer than min_pairs {spec.min_pairs}",
        )
    low, high = bootstrap_bounds(
        drops,
        confidence=spec.confidence,
        samples=spec.bootstrap_samples,
        seed=spec.bootstrap_seed,
    )
    low, high = round_ratio(low), round_ratio(high)
    passed = high <= spec.margin_ratio
    relation = "<=" if passed else ">"
    return NonInferiority(
        n,
        round_ratio(math.fsum(drops) / n),
        low,
        high,
        passed,
        f"{'PASS' if passed else 'FAIL'}: one-sided upper CI {high:.6f} {relation} "
        f"margin {spec.margin_ratio:.6f}",
    )


def _latest(scores: ScoreFile, spec: SuiteSpec, path: Path) -> tuple[dict[Key, ScorePoint], int]:
    tasks = set(spec.tasks)
    seeds = None if spec.seeds is None else set(spec.seeds)
    latest: dict[Key, ScorePoint] = {}
    ignored = 0
    for point in scores.scores:
        if point.task not in tasks or (seeds is not None and point.seed not in seeds):
            ignored += 1
            continue
        key = (point.task, point.seed)
        kept = latest.get(key)
        if kept is None or point.step > kept.step:
            latest[key] = point
        elif point.step == kept.step and point.score != kept.score:
            raise FileProblem(
                path,
                f"two different scores for task {point.task!r} seed {point.seed} at step "
                f"{point.step} ({kept.score!r} and {point.score!r}); keep one",
            )
    return latest, ignored


def pair_scores(
    spec: SuiteSpec,
    upstream: ScoreFile,
    candidate: ScoreFile,
    upstream_path: Path = Path("upstream"),
    candidate_path: Path = Path("candidate"),
) -> Pairing:
    """Match the two sides by (task, seed), each keeping its latest step."""
    up, up_ignored = _latest(upstream, spec, upstream_path)
    cand, cand_ignored = _latest(candidate, spec, candidate_path)
    both = sorted(up.keys() & cand.keys())
    expected: set[Key] = (
        {(task, seed) for task in spec.tasks for seed in spec.seeds}
        if spec.seeds is not None
        else set()
    )
    return Pairing(
        pairs=tuple((up[key], cand[key]) for key in both),
        upstream_only=tuple(sorted(up.keys() - cand.keys())),
        candidate_only=tuple(sorted(cand.keys() - up.keys())),
        missing_both=tuple(sorted(expected - up.keys() - cand.keys())),
        upstream_points=len(upstream.scores),
        candidate_points=len(candidate.scores),
        ignored_points=up_ignored + cand_ignored,
    )
