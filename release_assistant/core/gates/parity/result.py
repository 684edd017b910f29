"""The parity gate's inputs, its verdict, and the summary JSON it publishes, defined once.

Standard dataclasses: the gate builds them on the hook path without pydantic, and
:mod:`release_assistant.core.gates.models` validates and publishes the summary's JSON Schema
(``release-assistant schema parity-summary``) from these same classes. They are not
``frozen``: on the hook path, where every class is defined afresh on each run, ``frozen``
triples the cost of defining one (0.28 -> 0.9 ms on the development machine); nothing
changes them after the gate returns them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from release_assistant.core.gates.parity.fields import Constraint

#: Field names the summary JSON spells differently (``pass`` is a Python keyword).
JSON_NAMES = {"passed": "pass"}


def json_name(name: str) -> str:
    """The summary JSON's key for the field ``name``."""
    return JSON_NAMES.get(name, name)


#: Pydantic configuration of the summary's classes: closed, keys as :func:`json_name` says.
SUMMARY: dict[str, Any] = {
    "extra": "forbid",
    "alias_generator": json_name,
    "use_attribute_docstrings": True,
}


@dataclass(slots=True)
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


@dataclass(slots=True)
class GateFailure:
    """One broken rule: code, message, where, which suite, and how to fix it."""

    __pydantic_config__: ClassVar[dict[str, Any]] = SUMMARY
    code: Annotated[str, Constraint(pattern=r"^RA8\d\d$")]
    message: str
    path: str | None
    line: int | None
    suite_id: str | None
    hint: str | None


@dataclass(slots=True)
class SuiteOutcome:
    """One row of the suites table: the numbers the artifacts state and the gate's verdict.

    ``passed`` (``pass`` in JSON) is the gate's verdict for this suite (no failure concerns
    it); ``reason`` is the failures' messages, or the artifact's own verdict reason when it
    passed.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = SUMMARY
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


@dataclass(slots=True)
class LockEntry:
    """One suite pinned by the upstream lock."""

    __pydantic_config__: ClassVar[dict[str, Any]] = SUMMARY
    suite_id: str
    repo: str | None
    commit: str | None


@dataclass(slots=True)
class LockSummary:
    """What the upstream lock said (``found``: the file exists; ``usable``: its ``suites``
    table could be read, so runs were compared with their pins)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = SUMMARY
    path: str | None
    found: bool
    usable: bool
    schema_version: str | None
    suites: tuple[LockEntry, ...]


@dataclass(slots=True)
class ParitySummary:
    """``gate parity --output-json``: the seed's summary keys plus the suites table."""

    __pydantic_config__: ClassVar[dict[str, Any]] = SUMMARY
    schema_version: Literal["release-assistant.parity-summary.v1"]
    gate: Literal["parity"]
    ok: bool
    success: bool
    """same as ok (the seed's name)"""
    required_suites: tuple[str, ...]
    run_paths: tuple[str, ...]
    aggregate_path: str | None
    lock_path: str | None
    max_missing_pairs: int
    failures: tuple[str, ...]
    """one message per failed rule (the seed's list)"""
    failure_details: tuple[GateFailure, ...]
    suites: tuple[SuiteOutcome, ...]
    lock: LockSummary


@dataclass(slots=True)
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

    def summary_record(self) -> ParitySummary:
        """The summary as its dataclass (what the verification report carries)."""
        return ParitySummary(
            schema_version="release-assistant.parity-summary.v1",
            gate="parity",
            ok=self.ok,
            success=self.ok,
            required_suites=self.required_suites,
            run_paths=self.run_paths,
            aggregate_path=self.aggregate_path,
            lock_path=self.lock_path,
            max_missing_pairs=self.max_missing_pairs,
            failures=tuple(failure.message for failure in self.failures),
            failure_details=self.failures,
            suites=self.suites,
            lock=self.lock,
        )

    def summary(self) -> dict[str, Any]:
        """The summary JSON object (``--output-json``; ``schema parity-summary``).

        Keeps the seed's keys (``required_suites``, ``run_paths``, ``aggregate_path``,
        ``lock_path``, ``failures`` as strings, ``success``) and adds ``ok``,
        ``failure_details``, ``suites`` and ``lock``.
        """
        summary: dict[str, Any] = to_json(self.summary_record())
        return summary


def to_json(value: Any) -> Any:
    """``value`` as JSON-ready data: dataclasses become objects keyed by :func:`json_name`,
    tuples lists. (Pydantic would do it too, but the hook that runs the gate cannot load it.)
    """
    if is_dataclass(value) and not isinstance(value, type):
        return {json_name(f.name): to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    return value
