"""Generating parity runs and aggregates, and holding the pydantic models and the light
validator to the same verdicts."""

from __future__ import annotations

import copy
import hashlib
import json
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from release_assistant.core.gates.models import validate
from release_assistant.core.gates.parity.artifacts import ParityAggregate, ParityRun, UpstreamLock
from release_assistant.core.gates.parity.result import ParityInputs
from release_assistant.core.gates.parity.scoring import bootstrap_bounds, drop_ratio
from release_assistant.core.gates.parity.validate import validate_parity
from release_assistant.core.gates.parity_generate import generate_aggregate, generate_run
from release_assistant.core.support.textfiles import FileProblem
from tests.parity_fixtures import (
    COMMITS,
    DREAMER,
    LOCK,
    REQUIRED,
    TDMPC2,
    ParitySet,
    generated_set,
    handwritten_set,
    lock_payload,
    read_json,
    score_points,
    suite_spec,
    write_inputs,
    write_json,
)


def scores(*points: tuple[str, int, int, float], commit: str | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "scores": [{"task": t, "seed": s, "step": st, "score": sc} for t, s, st, sc in points]
    }
    if commit is not None:
        payload["commit"] = commit
    return payload


def run_with(
    tmp_path: Path,
    upstream: dict[str, Any],
    candidate: dict[str, Any],
    **spec: Any,
) -> dict[str, Any]:
    lock = write_json(tmp_path / LOCK, lock_payload())
    spec_path = write_json(tmp_path / "spec.json", suite_spec(DREAMER, **spec))
    up = write_json(tmp_path / "up.json", upstream)
    cand = write_json(tmp_path / "cand.json", candidate)
    return generate_run(spec_path, up, cand, lock).data


# --- verdicts end to end --------------------------------------------------------------


def test_equal_scores_pass_the_gate(tmp_path: Path) -> None:
    pset = generated_set(tmp_path)
    assert validate_parity(pset.inputs()).ok
    run = read_json(pset.runs[0])
    assert run["stats"]["ci_upper_ratio"] == 0.0 and run["stats"]["pass_non_inferiority"]
    assert run["counts"]["paired"] == 4 and run["counts"]["candidate_only"] == 0
    assert read_json(pset.aggregate)["all_suites_pass"] is True


def test_a_clearly_worse_candidate_fails_the_gate(tmp_path: Path) -> None:
    pset = generated_set(tmp_path, candidate_factor=0.8)
    result = validate_parity(pset.inputs())
    assert [f.code for f in result.failures] == ["RA807", "RA807", "RA817", "RA819", "RA819"]
    run = read_json(pset.runs[0])
    assert run["stats"]["ci_upper_ratio"] == pytest.approx(0.2)
    assert run["stats"]["verdict_reason"].startswith("FAIL: one-sided upper CI 0.200000 >")


def test_a_slightly_worse_candidate_within_the_margin_passes(tmp_path: Path) -> None:
    pset = generated_set(tmp_path, candidate_factor=0.97)
    assert validate_parity(pset.inputs()).ok
    assert read_json(pset.runs[0])["stats"]["ci_upper_ratio"] == pytest.approx(0.03)


def test_a_better_candidate_passes(tmp_path: Path) -> None:
    pset = generated_set(tmp_path, candidate_factor=1.5)
    assert validate_parity(pset.inputs()).ok
    assert read_json(pset.runs[0])["stats"]["mean_drop_ratio"] == pytest.approx(-0.5)


# --- pairing --------------------------------------------------------------------------


def test_pairs_by_task_and_seed_keeping_the_latest_step(tmp_path: Path) -> None:
    upstream = scores(("pong", 1, 100, 5.0), ("pong", 1, 900, 100.0), ("pong", 2, 900, 50.0))
    candidate = scores(("pong", 1, 900, 90.0), ("pong", 1, 200, 1000.0), ("pong", 2, 900, 50.0))
    run = run_with(tmp_path, upstream, candidate, seeds=None, min_pairs=1)
    pairs = {(p["task"], p["seed"]): p for p in run["pairs"]}
    assert (
        pairs[("pong", 1)]["upstream_step"] == 900 and pairs[("pong", 1)]["candidate_step"] == 900
    )
    assert pairs[("pong", 1)]["drop_ratio"] == pytest.approx(0.1)
    assert pairs[("pong", 2)]["drop_ratio"] == 0.0
    assert run["stats"]["mean_drop_ratio"] == pytest.approx(0.05)


def test_counts_unpaired_and_ignored_points(tmp_path: Path) -> None:
    upstream = scores(("pong", 1, 9, 10.0), ("pong", 2, 9, 10.0), ("breakout", 1, 9, 10.0))
    candidate = scores(("pong", 1, 9, 10.0), ("breakout", 2, 9, 10.0), ("tetris", 1, 9, 10.0))
    run = run_with(tmp_path, upstream, candidate, seeds=[1, 2, 3], min_pairs=1)
    counts = run["counts"]
    assert counts["paired"] == 1
    assert (counts["upstream_only"], counts["candidate_only"]) == (2, 1)
    assert counts["ignored_points"] == 1  # tetris is not in the suite
    assert run["missing"]["upstream_only"] == [
        {"task": "breakout", "seed": 1},
        {"task": "pong", "seed": 2},
    ]
    assert run["missing"]["candidate_only"] == [{"task": "breakout", "seed": 2}]
    assert {"task": "pong", "seed": 3} in run["missing"]["both"]
    assert counts["missing_both"] == 2


def test_unpaired_points_fail_the_gate_by_the_threshold(tmp_path: Path) -> None:
    pset = generated_set(tmp_path)
    inputs = write_inputs(tmp_path, TDMPC2)
    partial = score_points(TDMPC2)
    partial["scores"] = [p for p in partial["scores"] if p["seed"] != 2]
    write_json(inputs["candidate"], partial)
    generated = generate_run(inputs["spec"], inputs["upstream"], inputs["candidate"], pset.lock)
    assert generated.data["counts"]["upstream_only"] == 2 and generated.warnings
    write_json(pset.runs[1], generated.data)
    result = validate_parity(pset.inputs())
    assert [f.code for f in result.failures] == ["RA808"]
    assert "2 > 0 (upstream_only 2 + candidate_only 0)" in result.failures[0].message


def test_conflicting_scores_at_the_same_step_are_refused(tmp_path: Path) -> None:
    upstream = scores(("pong", 1, 9, 10.0), ("pong", 1, 9, 11.0))
    with pytest.raises(FileProblem, match="two different scores for task 'pong' seed 1"):
        run_with(tmp_path, upstream, scores(("pong", 1, 9, 10.0)), seeds=None)


# --- the statistic --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upstream", "candidate", "lower", "expected"),
    [
        (100.0, 90.0, False, 0.1),
        (100.0, 110.0, False, -0.1),
        (0.5, 0.0, False, 0.5),  # |upstream| < 1: divide by 1
        (-200.0, -220.0, False, 0.1),
        (10.0, 12.0, True, 0.2),  # lower is better: a higher candidate is worse
        (10.0, 8.0, True, -0.2),
    ],
)
def test_drop_ratio(upstream: float, candidate: float, lower: bool, expected: float) -> None:
    assert drop_ratio(upstream, candidate, lower_is_better=lower) == pytest.approx(expected)


def test_lower_is_better_flips_the_verdict(tmp_path: Path) -> None:
    points = [("pong", seed, 9, 100.0) for seed in (1, 2, 3)]
    worse = [("pong", seed, 9, 120.0) for seed in (1, 2, 3)]
    higher_better = run_with(tmp_path, scores(*points), scores(*worse), seeds=None)
    assert higher_better["stats"]["pass_non_inferiority"] is True
    lower_better = run_with(
        tmp_path, scores(*points), scores(*worse), seeds=None, lower_is_better=True
    )
    assert lower_better["stats"]["pass_non_inferiority"] is False
    assert lower_better["stats"]["mean_drop_ratio"] == pytest.approx(0.2)


def test_bootstrap_is_deterministic_and_bounds_the_mean() -> None:
    drops = [0.01, -0.02, 0.05, 0.0, 0.03, -0.01, 0.04, 0.02]
    first = bootstrap_bounds(drops, confidence=0.95, samples=4000, seed=7)
    again = bootstrap_bounds(drops, confidence=0.95, samples=4000, seed=7)
    other = bootstrap_bounds(drops, confidence=0.95, samples=4000, seed=8)
    assert first == again and first != other
    low, high = first
    mean = statistics.fmean(drops)
    assert min(drops) <= low < mean < high <= max(drops)
    # A one-sided 95% bound of a mean of 8 samples sits near mean + 1.65 standard errors.
    stderr = statistics.pstdev(drops) / len(drops) ** 0.5
    assert high == pytest.approx(mean + 1.645 * stderr, abs=0.004)
    narrower = bootstrap_bounds(drops, confidence=0.6, samples=4000, seed=7)[1]
    assert mean < narrower < high


def test_constant_drops_have_a_zero_width_interval() -> None:
    assert bootstrap_bounds([0.02] * 5, confidence=0.95, samples=200, seed=0) == pytest.approx(
        (0.02, 0.02)
    )


def test_generation_is_reproducible(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path, DREAMER, candidate_factor=0.98)
    lock = write_json(tmp_path / LOCK, lock_payload())
    first = generate_run(inputs["spec"], inputs["upstream"], inputs["candidate"], lock).data
    second = generate_run(inputs["spec"], inputs["upstream"], inputs["candidate"], lock).data
    for run in (first, second):
        run.pop("generated_at_utc")
        run["evaluation_manifest"].pop("generated_at_utc")
    assert first == second


def test_too_few_pairs_fail_with_a_reason(tmp_path: Path) -> None:
    run = run_with(tmp_path, scores(("pong", 1, 9, 10.0)), scores(("pong", 1, 9, 10.0)), seeds=None)
    stats = run["stats"]
    assert stats["pass_non_inferiority"] is False and stats["ci_upper_ratio"] is None
    assert stats["verdict_reason"] == "FAIL: 1 paired samples, fewer than min_pairs 2"


# --- provenance -----------------------------------------------------------------------


def test_run_records_lock_commit_manifest_and_input_hashes(tmp_path: Path) -> None:
    lock = write_json(tmp_path / LOCK, lock_payload())
    inputs = write_inputs(tmp_path, DREAMER)
    run = generate_run(inputs["spec"], inputs["upstream"], inputs["candidate"], lock).data
    assert run["sources"]["upstream"]["commit"] == COMMITS[DREAMER]
    assert run["suite_lock_ref"]["matches_lock"] is True
    assert run["suite_lock_ref"]["locked_upstream_commit"] == COMMITS[DREAMER]
    assert run["evaluation_manifest"]["bootstrap_samples"] == 2000

    def sha(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    assert run["artifact_integrity"] == {
        "suite_spec_sha256": sha(inputs["spec"]),
        "upstream_scores_sha256": sha(inputs["upstream"]),
        "candidate_scores_sha256": sha(inputs["candidate"]),
        "upstream_lock_sha256": sha(lock),
    }


def test_upstream_scores_from_another_commit_fail_the_gate(tmp_path: Path) -> None:
    pset = generated_set(tmp_path)
    inputs = write_inputs(tmp_path, TDMPC2)
    other = score_points(TDMPC2)
    other["commit"] = "e" * 40
    write_json(inputs["upstream"], other)
    generated = generate_run(inputs["spec"], inputs["upstream"], inputs["candidate"], pset.lock)
    assert generated.data["suite_lock_ref"]["matches_lock"] is False
    assert any("the gate will fail this run" in w for w in generated.warnings)
    write_json(pset.runs[1], generated.data)
    assert [f.code for f in validate_parity(pset.inputs()).failures] == ["RA813", "RA814"]


def test_a_suite_without_a_pin_is_refused(tmp_path: Path) -> None:
    payload = lock_payload()
    del payload["suites"][DREAMER]
    lock = write_json(tmp_path / LOCK, payload)
    inputs = write_inputs(tmp_path, DREAMER)
    with pytest.raises(FileProblem, match="has no entry for suite 'dreamer_atari100k'"):
        generate_run(inputs["spec"], inputs["upstream"], inputs["candidate"], lock)


@pytest.mark.parametrize(
    ("spec", "needle"),
    [
        ({"suite_id": "x", "tasks": []}, "tasks: List should have at least 1 item"),
        ({"suite_id": "x", "tasks": ["a"], "margin": 0.1}, "margin: Extra inputs"),
        ({"suite_id": "x", "tasks": ["a"], "confidence": 1.5}, "confidence: Input should be less"),
        ({"suite_id": "x", "tasks": ["a"], "lower_is_better": "no"}, "lower_is_better"),
    ],
)
def test_invalid_suite_specs_are_one_line_problems(
    tmp_path: Path, spec: dict[str, Any], needle: str
) -> None:
    lock = write_json(tmp_path / LOCK, lock_payload())
    path = write_json(tmp_path / "spec.json", spec)
    up = write_json(tmp_path / "up.json", scores(("a", 1, 1, 1.0)))
    with pytest.raises(FileProblem) as raised:
        generate_run(path, up, up, lock)
    assert needle in str(raised.value) and "\n" not in str(raised.value)
    assert str(raised.value).startswith(f"{path}:")


def test_invalid_score_files_name_the_field(tmp_path: Path) -> None:
    bad = {"scores": [{"task": "pong", "seed": "1", "step": 1, "score": 1.0}]}
    with pytest.raises(FileProblem, match=r"scores\[0\]\.seed: Input should be a valid integer"):
        run_with(tmp_path, bad, scores(("pong", 1, 1, 1.0)))


def test_aggregate_refuses_two_runs_for_one_suite(tmp_path: Path) -> None:
    pset = generated_set(tmp_path)
    with pytest.raises(FileProblem, match="second run for suite"):
        generate_aggregate([pset.runs[0], pset.runs[0]])


def test_aggregate_of_a_failing_suite(tmp_path: Path) -> None:
    pset = generated_set(tmp_path)
    pset.edit(pset.runs[0], lambda d: d["stats"].update(pass_non_inferiority=False))
    data = generate_aggregate(pset.runs)
    assert data["all_suites_pass"] is False
    assert (data["suite_pass_count"], data["suite_fail_count"]) == (1, 1)
    assert [row["suite_id"] for row in data["suites"]] == REQUIRED


# --- pydantic models and the light validator agree -------------------------------------


def test_generated_and_seed_artifacts_validate_against_both(tmp_path: Path) -> None:
    for pset in (generated_set(tmp_path / "gen"), handwritten_set(tmp_path / "seed")):
        for run in pset.runs:
            validate(ParityRun, read_json(run))
        validate(ParityAggregate, read_json(pset.aggregate))
        validate(UpstreamLock, read_json(pset.lock))
        assert validate_parity(pset.inputs()).ok


Edit = Callable[[dict[str, Any]], None]


def _walk(data: dict[str, Any], path: str) -> tuple[Any, str | int]:
    """The container holding the last key of the dotted ``path`` (digits index lists)."""
    *parents, last = path.split(".")
    target: Any = data
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    return target, int(last) if isinstance(target, list) else last


def _set(path: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        target, key = _walk(data, path)
        target[key] = value

    return edit


def _drop(path: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        target, key = _walk(data, path)
        del target[key]

    return edit


BAD_RUNS: dict[str, Edit] = {
    "no suite": _drop("suite"),
    "suite_id missing": _drop("suite.suite_id"),
    "suite_id blank": _set("suite.suite_id", " "),
    "suite_id number": _set("suite.suite_id", 3),
    "no stats": _drop("stats"),
    "stats list": _set("stats", []),
    "pass flag missing": _drop("stats.pass_non_inferiority"),
    "pass flag string": _set("stats.pass_non_inferiority", "true"),
    "pass flag number": _set("stats.pass_non_inferiority", 1),
    "sample_size negative": _set("stats.sample_size", -1),
    "ci string": _set("stats.ci_upper_ratio", "0.0"),
    "margin bool": _set("stats.margin_ratio", True),
    "verdict number": _set("stats.verdict_reason", 1),
    "counts list": _set("counts", []),
    "count string": _set("counts.upstream_only", "0"),
    "count float": _set("counts.upstream_only", 0.5),
    "no manifest": _drop("evaluation_manifest"),
    "manifest string": _set("evaluation_manifest", "x"),
    "no integrity": _drop("artifact_integrity"),
    "no sources": _drop("sources"),
    "upstream commit number": _set("sources.upstream.commit", 5),
    "no upstream commit": _drop("sources.upstream.commit"),
    "no lock ref": _drop("suite_lock_ref"),
    "matches_lock string": _set("suite_lock_ref.matches_lock", "true"),
    "matches_lock missing": _drop("suite_lock_ref.matches_lock"),
}

BAD_AGGREGATES: dict[str, Edit] = {
    "no all_suites_pass": _drop("all_suites_pass"),
    "all_suites_pass string": _set("all_suites_pass", "true"),
    "suites object": _set("suites", {}),
    "row not object": _set("suites.0", "dreamer"),
    "row without suite_id": _drop("suites.1.suite_id"),
    "row suite_id number": _set("suites.1.suite_id", 2),
    "row flag string": _set("suites.1.pass_non_inferiority", "yes"),
    "row ci string": _set("suites.1.ci_upper_ratio", "0"),
    "row samples float": _set("suites.1.sample_size", 4.5),
}

BAD_LOCKS: dict[str, Edit] = {
    "no suites": _drop("suites"),
    "suites list": _set("suites", []),
    "entry string": _set(f"suites.{DREAMER}", "abc"),
    "commit number": _set(f"suites.{DREAMER}.commit", 1),
    "repo list": _set(f"suites.{DREAMER}.repo", []),
    "schema_version number": _set("schema_version", 1),
}


def _corpus_case(tmp_path: Path, which: str, edit: Edit, model: type[Any], flavour: str) -> None:
    pset: ParitySet = (generated_set if flavour == "generated" else handwritten_set)(tmp_path)
    path = {"run": pset.runs[0], "aggregate": pset.aggregate, "lock": pset.lock}[which]
    data = read_json(path)
    edit(data)
    write_json(path, data)
    with pytest.raises(ValidationError):
        validate(model, copy.deepcopy(data))
    result = validate_parity(pset.inputs())
    assert not result.ok, f"the light validator accepted what the model rejects: {data}"


@pytest.mark.parametrize("flavour", ["generated", "handwritten"])
@pytest.mark.parametrize("name", sorted(BAD_RUNS))
def test_bad_runs_are_rejected_by_both(tmp_path: Path, name: str, flavour: str) -> None:
    _corpus_case(tmp_path, "run", BAD_RUNS[name], ParityRun, flavour)


@pytest.mark.parametrize("name", sorted(BAD_AGGREGATES))
def test_bad_aggregates_are_rejected_by_both(tmp_path: Path, name: str) -> None:
    _corpus_case(tmp_path, "aggregate", BAD_AGGREGATES[name], ParityAggregate, "handwritten")


@pytest.mark.parametrize("name", sorted(BAD_LOCKS))
def test_bad_locks_are_rejected_by_both(tmp_path: Path, name: str) -> None:
    _corpus_case(tmp_path, "lock", BAD_LOCKS[name], UpstreamLock, "handwritten")


def test_models_accept_extra_fields_like_the_gate(tmp_path: Path) -> None:
    pset = handwritten_set(tmp_path)
    data = read_json(pset.runs[0])
    data["paper_comparison"] = {"anything": [1, 2]}
    data["stats"]["ci_lower_ratio"] = "not read by the gate"
    write_json(pset.runs[0], data)
    validate(ParityRun, data)
    assert validate_parity(pset.inputs()).ok


def test_inputs_without_a_base_show_paths_as_given(tmp_path: Path) -> None:
    pset = handwritten_set(tmp_path)
    inputs = ParityInputs(tuple(pset.runs), pset.aggregate, tmp_path / "nope.json", (), 0)
    result = validate_parity(inputs)
    assert result.failures[0].message == f"upstream lock file is missing: {tmp_path / 'nope.json'}"
    assert json.loads(json.dumps(result.summary()))["lock"]["found"] is False
