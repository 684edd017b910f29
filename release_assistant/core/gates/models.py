"""Pydantic models of the parity artifacts: JSON Schema publishing and generated output.

These models are *not* on the hook path: the gate itself (``core.gates.parity``) validates
with the standard library. The artifact models state exactly the fields the gate reads, with
the same strict types (no ``"true"`` for ``true``, no ``"3"`` for ``3``, no NaN), and allow
any other field, so seed artifacts with extra sections (``paper_comparison``,
``release_fixture``...) stay valid. A test holds both validators to the same verdicts.

Schemas: ``release-assistant schema parity-run | parity-aggregate | parity-lock |
parity-summary | parity-suite-spec | parity-scores``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AllowInfNan,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    Strict,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
)

#: A finite JSON number (an integer is fine; a boolean or a numeric string is not).
Number = Annotated[float, Strict(), AllowInfNan(False)]
#: A string with at least one non-blank character.
NonBlank = Annotated[str, Strict(), StringConstraints(pattern=r"\S")]
Count = Annotated[NonNegativeInt, Strict()]

_OPEN = ConfigDict(extra="allow")
_CLOSED = ConfigDict(extra="forbid")


# --- run ---------------------------------------------------------------------------


class RunSuite(BaseModel):
    """``suite``: which suite the run measured."""

    model_config = _OPEN
    suite_id: NonBlank


class _VerdictNumbers(BaseModel):
    """The numbers behind a non-inferiority verdict, as a run's stats and aggregate rows state."""

    model_config = _OPEN
    sample_size: Count | None = None
    mean_drop_ratio: Number | None = None
    ci_upper_ratio: Number | None = None
    margin_ratio: Number | None = None
    confidence: Number | None = None
    verdict_reason: StrictStr | None = None


class RunStats(_VerdictNumbers):
    """``stats``: the non-inferiority verdict and the numbers behind it."""

    pass_non_inferiority: StrictBool = Field(
        description="true when the one-sided upper CI of the mean drop is <= the margin"
    )


class RunCounts(BaseModel):
    """``counts``: unpaired points on each side (``worldflux_only`` in the seed's files)."""

    model_config = _OPEN
    upstream_only: Count | None = None
    worldflux_only: Count | None = None
    candidate_only: Count | None = None


class UpstreamSource(BaseModel):
    """``sources.upstream``: the upstream the scores came from."""

    model_config = _OPEN
    commit: StrictStr


class RunSources(BaseModel):
    """``sources``: where the compared scores came from."""

    model_config = _OPEN
    upstream: UpstreamSource


class SuiteLockRef(BaseModel):
    """``suite_lock_ref``: whether the run's upstream matches the lock's pin."""

    model_config = _OPEN
    matches_lock: StrictBool


class ParityRun(BaseModel):
    """One suite's parity run, as the gate reads it (other fields are allowed)."""

    model_config = _OPEN
    suite: RunSuite
    stats: RunStats
    counts: RunCounts | None = None
    evaluation_manifest: dict[str, Any]
    artifact_integrity: dict[str, Any]
    sources: RunSources
    suite_lock_ref: SuiteLockRef


# --- aggregate ---------------------------------------------------------------------


class AggregateRow(_VerdictNumbers):
    """One suite's row in the aggregate."""

    suite_id: NonBlank
    pass_non_inferiority: StrictBool | None = None


class ParityAggregate(BaseModel):
    """The aggregate over every suite's run."""

    model_config = _OPEN
    all_suites_pass: StrictBool
    suites: list[AggregateRow] = Field(default_factory=list)


# --- lock --------------------------------------------------------------------------


class LockSuite(BaseModel):
    """One suite's upstream pin."""

    model_config = _OPEN
    repo: StrictStr | None = None
    commit: StrictStr | None = None


class UpstreamLock(BaseModel):
    """The upstream lock: suite id -> pinned upstream repository and commit."""

    model_config = _OPEN
    schema_version: StrictStr | None = None
    suites: dict[str, LockSuite]


# --- generator inputs --------------------------------------------------------------


class ScorePoint(BaseModel):
    """One evaluation: a task, a seed, the training step, the score."""

    model_config = _CLOSED
    task: NonBlank
    seed: StrictInt
    step: Count
    score: Number


class ScoreFile(BaseModel):
    """``{"scores": [...]}``; ``commit`` optionally names the code the scores came from."""

    model_config = _OPEN
    scores: list[ScorePoint]
    commit: StrictStr | None = None


class SuiteSpec(BaseModel):
    """A parity suite: which (task, seed) pairs to compare and how to judge them."""

    model_config = _CLOSED
    suite_id: NonBlank
    tasks: Annotated[list[NonBlank], Field(min_length=1)]
    seeds: list[StrictInt] | None = Field(
        default=None, description="seeds to compare (default: every seed found)"
    )
    margin_ratio: Annotated[Number, Field(ge=0)] = 0.05
    confidence: Annotated[Number, Field(gt=0, lt=1)] = 0.95
    bootstrap_samples: Annotated[StrictInt, Field(ge=100, le=1_000_000)] = 4000
    bootstrap_seed: StrictInt = 0
    lower_is_better: StrictBool = False
    min_pairs: Annotated[StrictInt, Field(ge=1)] = 2
    family: StrictStr | None = None
    metric: StrictStr | None = None
    upstream_commit: StrictStr | None = Field(
        default=None,
        description="the upstream commit the upstream scores were produced at (default: the "
        "upstream score file's 'commit', else the lock's pin)",
    )


# --- gate summary ------------------------------------------------------------------


class FailureDetail(BaseModel):
    """One failed rule."""

    model_config = _CLOSED
    code: str = Field(pattern=r"^RA8\d\d$")
    message: str
    path: str | None
    line: int | None
    suite_id: str | None
    hint: str | None


class SuiteSummary(BaseModel):
    """One row of the suites table: what the artifacts state, and the gate's verdict."""

    model_config = _CLOSED
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
    pass_: bool = Field(alias="pass", serialization_alias="pass")
    reason: str


class LockPin(BaseModel):
    """One suite pinned by the upstream lock."""

    model_config = _CLOSED
    suite_id: str
    repo: str | None
    commit: str | None


class LockSummaryModel(BaseModel):
    """What the upstream lock said (``found``: the file exists; ``usable``: its ``suites``
    table could be read, so runs were compared with their pins)."""

    model_config = _CLOSED
    path: str | None
    found: bool
    usable: bool
    schema_version: str | None
    suites: list[LockPin]


class ParitySummary(BaseModel):
    """``gate parity --output-json``: the seed's summary keys plus the suites table."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    schema_version: Literal["release-assistant.parity-summary.v1"]
    gate: Literal["parity"]
    ok: bool
    success: bool = Field(description="same as ok (the seed's name)")
    required_suites: list[str]
    run_paths: list[str]
    aggregate_path: str | None
    lock_path: str | None
    max_missing_pairs: int
    failures: list[str] = Field(description="one message per failed rule (the seed's list)")
    failure_details: list[FailureDetail]
    suites: list[SuiteSummary]
    lock: LockSummaryModel


#: Schema name (``release-assistant schema NAME``) -> model.
ARTIFACT_MODELS: dict[str, type[BaseModel]] = {
    "parity-run": ParityRun,
    "parity-aggregate": ParityAggregate,
    "parity-lock": UpstreamLock,
    "parity-summary": ParitySummary,
    "parity-suite-spec": SuiteSpec,
    "parity-scores": ScoreFile,
}


def artifact_schema(name: str) -> dict[str, Any]:
    """JSON Schema of one artifact model, by its schema name."""
    return ARTIFACT_MODELS[name].model_json_schema(by_alias=True)
