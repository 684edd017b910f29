"""Parity artifact sets shaped like the seed's: two suites (DreamerV3 + TD-MPC2), pinned
upstream commits, equal scores.

Two flavours: ``generated_set`` runs our generator at test time (``candidate_only`` keys);
``handwritten_set`` writes the seed's own artifact shape (``worldflux_only`` keys, the seed's
extra sections), as its release fixtures do.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from release_assistant.core.gates.parity.result import ParityInputs
from release_assistant.core.gates.parity_generate import generate_aggregate, generate_run

DREAMER = "dreamer_atari100k"
TDMPC2 = "tdmpc2_dmcontrol39"
SUITES: dict[str, tuple[str, list[str]]] = {
    DREAMER: ("dreamerv3", ["pong", "breakout"]),
    TDMPC2: ("tdmpc2", ["cheetah-run", "dog-run"]),
}
SEEDS = [1, 2]
#: Pinned upstream commits (fabricated, 40 hex digits like real shas).
COMMITS = {suite: hashlib.sha1(suite.encode()).hexdigest() for suite in SUITES}
REPOS = {DREAMER: "https://example.invalid/dreamerv3", TDMPC2: "https://example.invalid/tdmpc2"}
REQUIRED = [DREAMER, TDMPC2]

RUNS_DIR = "reports/parity/runs"
AGGREGATE = "reports/parity/aggregate.json"
LOCK = "reports/parity/upstream_lock.json"

Json = dict[str, Any]


def write_json(path: Path, payload: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class ParitySet:
    """Paths of one artifact set under ``root`` (relative paths as a repo would hold them)."""

    root: Path
    runs: list[Path]
    aggregate: Path
    lock: Path
    required: list[str] = field(default_factory=lambda: list(REQUIRED))
    max_missing_pairs: int = 0
    candidate_key: str = "candidate_only"

    def run_for(self, suite_id: str) -> Path:
        return self.root / RUNS_DIR / f"{suite_id}.json"

    def inputs(self) -> ParityInputs:
        return ParityInputs(
            runs=tuple(self.runs),
            aggregate=self.aggregate,
            lock=self.lock,
            required_suites=tuple(self.required),
            max_missing_pairs=self.max_missing_pairs,
            base=self.root,
        )

    def edit(self, path: Path, mutate: Callable[[Json], None]) -> None:
        data = read_json(path)
        mutate(data)
        write_json(path, data)

    def config_toml(self) -> str:
        runs = ", ".join(json.dumps(p.relative_to(self.root).as_posix()) for p in self.runs)
        return (
            "\n[tool.release-assistant.gates.parity]\n"
            f"runs = [{runs}]\n"
            f'aggregate = "{self.aggregate.relative_to(self.root).as_posix()}"\n'
            f'lock = "{self.lock.relative_to(self.root).as_posix()}"\n'
            f"required_suites = {json.dumps(self.required)}\n"
            f"max_missing_pairs = {self.max_missing_pairs}\n"
        )

    def cli_args(self) -> list[str]:
        """The seed's invocation, verbatim, with paths relative to ``root``."""
        args: list[str] = []
        for run in self.runs:
            args += ["--run", run.relative_to(self.root).as_posix()]
        args += ["--aggregate", self.aggregate.relative_to(self.root).as_posix()]
        args += ["--lock", self.lock.relative_to(self.root).as_posix()]
        for suite in self.required:
            args += ["--required-suite", suite]
        return [*args, "--max-missing-pairs", str(self.max_missing_pairs)]


def lock_payload() -> Json:
    return {
        "schema_version": "worldflux.parity.lock.v1",
        "generated_at_utc": "2026-02-12T00:00:00Z",
        "suites": {
            suite: {
                "repo": REPOS[suite],
                "commit": COMMITS[suite],
                "oracle_format": "canonical_json",
                "oracle_path": f"artifacts/upstream/{suite}.json",
            }
            for suite in SUITES
        },
    }


def score_points(suite_id: str, factor: float = 1.0, steps: tuple[int, ...] = (500, 1000)) -> Json:
    """Scores for every (task, seed); earlier steps score lower (they must be ignored)."""
    _, tasks = SUITES[suite_id]
    points = []
    for index, task in enumerate(tasks):
        for seed in SEEDS:
            for step in steps:
                base = 700.0 + 100 * index + 10 * seed
                score = base * step / max(steps)
                points.append({"task": task, "seed": seed, "step": step, "score": score * factor})
    return {"scores": points}


def suite_spec(suite_id: str, **overrides: Any) -> Json:
    family, tasks = SUITES[suite_id]
    spec: Json = {
        "suite_id": suite_id,
        "family": family,
        "metric": "episode_return",
        "tasks": tasks,
        "seeds": SEEDS,
        "margin_ratio": 0.05,
        "confidence": 0.95,
        "bootstrap_samples": 2000,
        "bootstrap_seed": 0,
        "lower_is_better": False,
    }
    spec.update(overrides)
    return spec


def write_inputs(root: Path, suite_id: str, candidate_factor: float = 1.0) -> dict[str, Path]:
    """Suite spec and the two score files for one suite, under ``root/inputs``."""
    base = root / "inputs"
    return {
        "spec": write_json(base / f"{suite_id}_suite.json", suite_spec(suite_id)),
        "upstream": write_json(base / f"{suite_id}_upstream.json", score_points(suite_id)),
        "candidate": write_json(
            base / f"{suite_id}_candidate.json", score_points(suite_id, candidate_factor)
        ),
    }


def generated_set(root: Path, candidate_factor: float = 1.0) -> ParitySet:
    """Generate both runs and the aggregate with our generator (equal scores by default)."""
    lock = write_json(root / LOCK, lock_payload())
    runs = []
    for suite_id in SUITES:
        inputs = write_inputs(root, suite_id, candidate_factor)
        generated = generate_run(inputs["spec"], inputs["upstream"], inputs["candidate"], lock)
        runs.append(write_json(root / RUNS_DIR / f"{suite_id}.json", generated.data))
    aggregate = write_json(root / AGGREGATE, generate_aggregate(runs))
    return ParitySet(root, runs, aggregate, lock)


_FIXTURE_NOTE = {
    "classification": "release_gate_fixture",
    "note": "Deterministic release-gate fixture. Not proof-grade evidence.",
    "proof_claim_allowed": False,
}


def seed_run(suite_id: str) -> Json:
    """A run artifact in the seed's shape (``worldflux`` source, ``worldflux_only`` count)."""
    family, tasks = SUITES[suite_id]
    pairs = [
        {
            "task": task,
            "seed": seed,
            "upstream_score": 700.0 + seed,
            "worldflux_score": 700.0 + seed,
            "upstream_step": 1000,
            "worldflux_step": 1000,
            "drop_ratio": 0.0,
        }
        for task in tasks
        for seed in SEEDS
    ]
    stats = {
        "sample_size": len(pairs),
        "mean_drop_ratio": 0.0,
        "ci_lower_ratio": 0.0,
        "ci_upper_ratio": 0.0,
        "confidence": 0.95,
        "margin_ratio": 0.05,
        "pass_non_inferiority": True,
        "verdict_reason": "PASS: one-sided upper CI 0.000000 <= margin 0.050000",
    }
    return {
        "schema_version": "worldflux.parity.run.v1",
        "generated_at_utc": "2026-03-05T00:00:00Z",
        "suite": {
            "suite_id": suite_id,
            "family": family,
            "tasks": tasks,
            "confidence": 0.95,
            "margin_ratio": 0.05,
            "higher_is_better": True,
        },
        "sources": {
            "upstream": {"repo": REPOS[suite_id], "commit": COMMITS[suite_id]},
            "worldflux": {"repo": "https://example.invalid/candidate", "commit": "fixture.v1"},
        },
        "counts": {
            "paired": len(pairs),
            "upstream_only": 0,
            "worldflux_only": 0,
            "upstream_points": len(pairs),
            "worldflux_points": len(pairs),
        },
        "missing": {"upstream_only": [], "worldflux_only": []},
        "pairs": pairs,
        "stats": stats,
        "pass": True,
        "evaluation_manifest": {"runner": "worldflux.parity.run_suite", "reproducible": True},
        "artifact_integrity": {"suite_sha256": "0" * 64, "upstream_input_sha256": "1" * 64},
        "suite_lock_ref": {
            "lock_found": True,
            "suite_id": suite_id,
            "locked_upstream_commit": COMMITS[suite_id],
            "resolved_upstream_commit": COMMITS[suite_id],
            "matches_lock": True,
        },
        "release_fixture": copy.deepcopy(_FIXTURE_NOTE),
    }


def seed_aggregate() -> Json:
    rows = []
    for suite_id, (family, _) in SUITES.items():
        stats = seed_run(suite_id)["stats"]
        rows.append(
            {
                "suite_id": suite_id,
                "family": family,
                "run_path": f"{RUNS_DIR}/{suite_id}.json",
                **{key: stats[key] for key in ("ci_upper_ratio", "margin_ratio", "confidence")},
                "sample_size": stats["sample_size"],
                "mean_drop_ratio": 0.0,
                "pass_non_inferiority": True,
                "verdict_reason": stats["verdict_reason"],
            }
        )
    return {
        "schema_version": "worldflux.parity.aggregate.v1",
        "all_suites_pass": True,
        "suite_pass_count": 2,
        "suite_fail_count": 0,
        "run_count": 2,
        "suites": rows,
        "release_fixture": copy.deepcopy(_FIXTURE_NOTE),
    }


def handwritten_set(root: Path) -> ParitySet:
    """The seed's artifact shape, written by hand (``worldflux_only`` keys)."""
    lock = write_json(root / LOCK, lock_payload())
    runs = [
        write_json(root / RUNS_DIR / f"{suite_id}.json", seed_run(suite_id)) for suite_id in SUITES
    ]
    aggregate = write_json(root / AGGREGATE, seed_aggregate())
    return ParitySet(root, runs, aggregate, lock, candidate_key="worldflux_only")


FLAVOURS: dict[str, Callable[[Path], ParitySet]] = {
    "generated": generated_set,
    "handwritten": handwritten_set,
}
