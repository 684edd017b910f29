"""The rules of the `gates` check: one entry per finding code."""

from __future__ import annotations

from release_assistant.core.rules.rule import Rule

GATE_NOT_CONFIGURED = Rule(
    "RA801",
    "Parity gate inputs not configured",
    "The parity gate is configured but lacks its aggregate or its upstream lock, has "
    "neither runs nor required suites (so it would check nothing), or max_missing_pairs "
    "is negative.",
    "Complete [tool.release-assistant.gates.parity]: runs, aggregate, lock, "
    "required_suites and max_missing_pairs >= 0 (or pass --run, --aggregate, --lock, "
    "--required-suite, --max-missing-pairs to `release-assistant gate parity`).",
)

UPSTREAM_LOCK_MISSING = Rule(
    "RA802",
    "Upstream lock file missing",
    "The upstream lock that pins each suite's upstream repository and commit does not "
    "exist, so no run can be tied to the upstream it was measured against.",
    "Commit the upstream lock at the configured path, or point gates.parity.lock (or "
    "--lock) at it.",
)

MALFORMED_ARTIFACT = Rule(
    "RA803",
    "Parity artifact unreadable or malformed",
    "A run, the aggregate or the upstream lock is not valid JSON, not UTF-8, not a JSON "
    "object at the top level, or has a field of the wrong type, so the gate cannot "
    "evaluate it.",
    "Fix the JSON at the line named, or regenerate the artifacts with\n"
    "`release-assistant gate parity run ...` and `release-assistant gate parity "
    "aggregate ...` rather than editing them by hand.",
)

RUN_ARTIFACT_MISSING = Rule(
    "RA804",
    "Run artifact missing",
    "A configured run artifact file does not exist.",
    "Generate it (`release-assistant gate parity run ... --output <file>`) or fix the path "
    "in gates.parity.runs (or --run).",
)

RUN_WITHOUT_SUITE_ID = Rule(
    "RA805",
    "Run artifact lacks suite.suite_id",
    "The run has no 'suite' object, or its suite.suite_id is missing, empty or not a "
    "string, so the gate cannot tell which suite it measured.",
    'Regenerate the run; it must carry {"suite": {"suite_id": "<suite id>"}}.',
)

DUPLICATE_RUN = Rule(
    "RA806",
    "Two runs for the same suite",
    "Two run artifacts name the same suite_id; the gate would not know which result counts.",
    "Pass exactly one run per suite: remove the duplicate from gates.parity.runs (or --run).",
)

RUN_INFERIOR = Rule(
    "RA807",
    "Run fails non-inferiority",
    "A run's stats.pass_non_inferiority is not true (or 'stats' is missing): the candidate "
    "is measurably worse than upstream on that suite. The gate cannot be waived by "
    "editing the file.",
    "Fix the regression, re-run the suite and regenerate the run with\n"
    "`release-assistant gate parity run ...`.",
)

TOO_MANY_MISSING_PAIRS = Rule(
    "RA808",
    "Too many missing (task, seed) pairs",
    "A run's counts.upstream_only + counts.worldflux_only (or candidate_only) exceeds "
    "max_missing_pairs, or the counts are malformed; the comparison rests on too few "
    "matched pairs.",
    "Evaluate the missing pairs on both sides (see the run's 'missing' lists) and "
    "regenerate the run, or raise max_missing_pairs deliberately.",
)

RUN_WITHOUT_EVALUATION_MANIFEST = Rule(
    "RA809",
    "Run without evaluation_manifest",
    "The run has no evaluation_manifest object, so what was evaluated (tasks, seeds, "
    "settings) is not recorded.",
    "Regenerate the run with `release-assistant gate parity run ...`.",
)

RUN_WITHOUT_ARTIFACT_INTEGRITY = Rule(
    "RA810",
    "Run without artifact_integrity",
    "The run has no artifact_integrity object, so its inputs cannot be traced or verified.",
    "Regenerate the run with `release-assistant gate parity run ...`.",
)

SUITE_NOT_IN_LOCK = Rule(
    "RA811",
    "Suite absent from the upstream lock",
    "The run's suite has no pin in the upstream lock, so the upstream it was compared "
    "with is not fixed.",
    'Pin it in the upstream lock: "suites": {"<suite_id>": {"repo": "...", "commit": "<sha>"}}.',
)

UPSTREAM_COMMIT_MISSING = Rule(
    "RA812",
    "Upstream commit metadata missing",
    "The run's sources.upstream.commit or the lock's commit for the suite is missing (or "
    "not a string), so the run cannot be matched with the pinned upstream.",
    "Record the upstream commit the scores were produced at: regenerate the run, and pin "
    "the commit in the upstream lock.",
)

UPSTREAM_COMMIT_DIFFERS = Rule(
    "RA813",
    "Upstream commit differs from the lock",
    "The run's sources.upstream.commit is not the commit the upstream lock pins for the "
    "suite, so the run measured a different upstream.",
    "Re-run the suite against the locked commit, or update the pin in the upstream lock if "
    "the new upstream commit is intended.",
)

RUN_AGAINST_OTHER_UPSTREAM = Rule(
    "RA814",
    "Run not produced against the locked upstream",
    "The run's suite_lock_ref is missing or its matches_lock is not true: the run was "
    "produced against a different upstream than the lock pins.",
    "Re-run the suite against the locked commit and regenerate the run.",
)

REQUIRED_SUITE_WITHOUT_RUN = Rule(
    "RA815",
    "Required suite without a run",
    "A suite listed in required_suites has no run artifact among the configured runs.",
    "Generate its run (`release-assistant gate parity run ...`) and add it to "
    "gates.parity.runs (or pass it with --run).",
)

AGGREGATE_MISSING = Rule(
    "RA816",
    "Aggregate artifact missing",
    "The configured aggregate file does not exist.",
    "Generate it: `release-assistant gate parity aggregate --run ... --output <file>`.",
)

AGGREGATE_NOT_ALL_PASSING = Rule(
    "RA817",
    "Aggregate does not report all suites passing",
    "The aggregate's all_suites_pass is false, missing or not a boolean (or no readable "
    "aggregate exists).",
    "Fix the failing suite, re-run it, then regenerate the aggregate with\n"
    "`release-assistant gate parity aggregate ...`.",
)

AGGREGATE_LACKS_SUITE = Rule(
    "RA818",
    "Aggregate lacks a required suite",
    "The aggregate has no row for a suite listed in required_suites.",
    "Regenerate the aggregate from every suite's run:\n"
    "`release-assistant gate parity aggregate --run ... --output <file>`.",
)

AGGREGATE_ROW_INFERIOR = Rule(
    "RA819",
    "Aggregate row fails non-inferiority",
    "A suite's row in the aggregate has pass_non_inferiority missing or false, or its "
    "ci_upper_ratio exceeds margin_ratio: the candidate is measurably worse than upstream "
    "on that suite.",
    "Fix the regression, re-run the suite and regenerate the aggregate.",
)

GATE_FAILED = Rule(
    "RA8xx",
    "A release gate failed",
    "A configured gate ([tool.release-assistant.gates]) found its artifacts missing, "
    "malformed or failing their thresholds (for the parity gate: missing runs, failed "
    "non-inferiority, too many missing pairs, a lock mismatch).",
    "Read the finding's message and file; regenerate or fix the artifact, or run the gate "
    "alone: `release-assistant check --only gates`.",
    aliases=("gates", "gate"),
)

RULES: tuple[Rule, ...] = (
    GATE_NOT_CONFIGURED,
    UPSTREAM_LOCK_MISSING,
    MALFORMED_ARTIFACT,
    RUN_ARTIFACT_MISSING,
    RUN_WITHOUT_SUITE_ID,
    DUPLICATE_RUN,
    RUN_INFERIOR,
    TOO_MANY_MISSING_PAIRS,
    RUN_WITHOUT_EVALUATION_MANIFEST,
    RUN_WITHOUT_ARTIFACT_INTEGRITY,
    SUITE_NOT_IN_LOCK,
    UPSTREAM_COMMIT_MISSING,
    UPSTREAM_COMMIT_DIFFERS,
    RUN_AGAINST_OTHER_UPSTREAM,
    REQUIRED_SUITE_WITHOUT_RUN,
    AGGREGATE_MISSING,
    AGGREGATE_NOT_ALL_PASSING,
    AGGREGATE_LACKS_SUITE,
    AGGREGATE_ROW_INFERIOR,
    GATE_FAILED,
)

#: Rules no finding site emits, and why (tests/test_explain_coverage.py holds the others to
#: an emit site): ``RA8xx`` is what `explain` answers for a gate code it does not know.
NOT_EMITTED: dict[Rule, str] = {
    GATE_FAILED: "explain's entry for any gate code without its own rule",
}
