"""The parity artifacts, each defined once: standard dataclasses read by pydantic.

Runs, the aggregate and the upstream lock (what the gate reads), and the generator's inputs
(score files and suite specs). Each class states exactly the fields the gate reads, with the
strict kinds of :mod:`.fields` (no ``"true"`` for ``true``, no ``"3"`` for ``3``, no NaN);
other fields are allowed, so seed artifacts with extra sections (``paper_comparison``,
``release_fixture``...) stay valid. :mod:`release_assistant.core.gates.models` validates
with these classes and publishes their JSON Schemas (``release-assistant schema
parity-run | parity-aggregate | parity-lock | parity-suite-spec | parity-scores``).

Not on the hook path: the gate's own reader (:mod:`.validate`) reads the same fields with
the same kinds, without pydantic; ``tests/test_parity_generate.py`` holds both to the same
verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

from release_assistant.core.gates.parity.fields import (
    BOOL,
    COUNT,
    NON_BLANK,
    NUMBER,
    OBJECT,
    STRING,
    Constraint,
)
from release_assistant.core.gates.parity.verdict import OPEN, VerdictNumbers

#: Pydantic configuration of a file whose every field is known (a typo is an error).
CLOSED: dict[str, Any] = {"use_attribute_docstrings": True, "extra": "forbid"}

NonBlank = Annotated[str, NON_BLANK]
Number = Annotated[float, NUMBER]
Count = Annotated[int, COUNT]
StrictInt = Annotated[int, Constraint(strict=True)]


# --- run ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunSuite:
    """``suite``: which suite the run measured."""

    __pydantic_config__: ClassVar[dict[str, Any]] = OPEN
    suite_id: NonBlank


@dataclass(frozen=True, slots=True, kw_only=True)
class RunStats(VerdictNumbers):
    """``stats``: the non-inferiority verdict and the numbers behind it."""

    pass_non_inferiority: Annotated[bool, BOOL]
    """true when the one-sided upper CI of the mean drop is <= the margin"""


@dataclass(frozen=True, slots=True)
class RunCounts:
    """``counts``: unpaired points on each side (``worldflux_only`` in the seed's files)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = OPEN
    upstream_only: Annotated[int | None, COUNT] = None
    worldflux_only: Annotated[int | None, COUNT] = None
    candidate_only: Annotated[int | None, COUNT] = None


@dataclass(frozen=True, slots=True)
class UpstreamSource:
    """``sources.upstream``: the upstream the scores came from."""

    __pydantic_config__: ClassVar[dict[str, Any]] = OPEN
    commit: Annotated[str, STRING]


@dataclass(frozen=True, slots=True)
class RunSources:
    """``sources``: where the compared scores came from."""

    __pydantic_config__: ClassVar[dict[str, Any]] = OPEN
    upstream: UpstreamSource


@dataclass(frozen=True, slots=True)
class SuiteLockRef:
    """``suite_lock_ref``: whether the run's upstream matches the lock's pin."""

    __pydantic_config__: ClassVar[dict[str, Any]] = OPEN
    matches_lock: Annotated[bool, BOOL]


@dataclass(frozen=True, slots=True)
class ParityRun:
    """One suite's parity run, as the gate reads it (other fields are allowed)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = OPEN
    suite: RunSuite
    stats: RunStats
    evaluation_manifest: Annotated[dict[str, Any], OBJECT]
    artifact_integrity: Annotated[dict[str, Any], OBJECT]
    sources: RunSources
    suite_lock_ref: SuiteLockRef
    counts: RunCounts | None = None


# --- aggregate ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AggregateRow(VerdictNumbers):
    """One suite's row in the aggregate."""

    suite_id: NonBlank
    pass_non_inferiority: Annotated[bool | None, BOOL] = None


@dataclass(frozen=True, slots=True)
class ParityAggregate:
    """The aggregate over every suite's run."""

    __pydantic_config__: ClassVar[dict[str, Any]] = OPEN
    all_suites_pass: Annotated[bool, BOOL]
    suites: list[AggregateRow] = field(default_factory=list)


# --- lock --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LockSuite:
    """One suite's upstream pin."""

    __pydantic_config__: ClassVar[dict[str, Any]] = OPEN
    repo: Annotated[str | None, STRING] = None
    commit: Annotated[str | None, STRING] = None


@dataclass(frozen=True, slots=True)
class UpstreamLock:
    """The upstream lock: suite id -> pinned upstream repository and commit."""

    __pydantic_config__: ClassVar[dict[str, Any]] = OPEN
    suites: dict[str, LockSuite]
    schema_version: Annotated[str | None, STRING] = None


# --- generator inputs --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScorePoint:
    """One evaluation: a task, a seed, the training step, the score."""

    __pydantic_config__: ClassVar[dict[str, Any]] = CLOSED
    task: NonBlank
    seed: StrictInt
    step: Count
    score: Number


@dataclass(frozen=True, slots=True)
class ScoreFile:
    """``{"scores": [...]}``; ``commit`` optionally names the code the scores came from."""

    __pydantic_config__: ClassVar[dict[str, Any]] = OPEN
    scores: list[ScorePoint]
    commit: Annotated[str | None, STRING] = None


@dataclass(frozen=True, slots=True)
class SuiteSpec:
    """A parity suite: which (task, seed) pairs to compare and how to judge them."""

    __pydantic_config__: ClassVar[dict[str, Any]] = CLOSED
    suite_id: NonBlank
    tasks: Annotated[list[NonBlank], Constraint(min_length=1)]
    seeds: list[StrictInt] | None = None
    """seeds to compare (default: every seed found)"""
    margin_ratio: Annotated[float, NUMBER.but(ge=0)] = 0.05
    confidence: Annotated[float, NUMBER.but(gt=0, lt=1)] = 0.95
    bootstrap_samples: Annotated[int, Constraint(strict=True, ge=100, le=1_000_000)] = 4000
    bootstrap_seed: StrictInt = 0
    lower_is_better: Annotated[bool, BOOL] = False
    min_pairs: Annotated[int, Constraint(strict=True, ge=1)] = 2
    family: Annotated[str | None, STRING] = None
    metric: Annotated[str | None, STRING] = None
    upstream_commit: Annotated[str | None, STRING] = None
    """the upstream commit the upstream scores were produced at (default: the upstream score
    file's 'commit', else the lock's pin)"""
