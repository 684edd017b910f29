"""``gates``: the configured release gates pass (the built-in one is the seed's parity gate).

Configured by ``[tool.release-assistant.gates.parity]`` (paths relative to the repository
root); skipped, with the reason, when no gate is configured. The check attaches the gate's
summary (suites table, upstream lock) as ``details["parity"]`` (a ``ParitySummary``) for the
verification report.

Codes: RA801 gate inputs not configured (no aggregate, no lock, nothing to check) or
``max_missing_pairs`` negative, RA802 upstream lock file missing, RA803 artifact unreadable or
malformed (invalid JSON with its line, non-object top level, not UTF-8, a field of the wrong
type), RA804 run artifact missing, RA805 run lacks ``suite.suite_id``, RA806 two runs for the
same suite, RA807 run ``stats.pass_non_inferiority`` not true, RA808 ``counts.upstream_only +
counts.worldflux_only`` (or ``candidate_only``) above ``max_missing_pairs``, RA809 run without
``evaluation_manifest``, RA810 run without ``artifact_integrity``, RA811 suite absent from the
upstream lock, RA812 upstream commit metadata missing, RA813 ``sources.upstream.commit``
differs from the lock's commit, RA814 ``suite_lock_ref.matches_lock`` not true, RA815
required suite without a run, RA816 aggregate missing, RA817 aggregate without
``all_suites_pass: true``, RA818 aggregate lacks a required suite's row, RA819 aggregate row
fails non-inferiority (flag not true, or ``ci_upper_ratio > margin_ratio``).

Standard library only: the ``check-parity-artifacts`` pre-commit hook runs this check.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from release_assistant.core.check_table import GATES
from release_assistant.core.collector import FindingCollector
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Finding, Severity
from release_assistant.core.rules.gates import GATE_NOT_CONFIGURED

if TYPE_CHECKING:
    from release_assistant.core.gates.parity.result import ParityInputs
    from release_assistant.core.project.config import ParityGateConfig

ID = GATES.id
TITLE = GATES.title

_SECTION = ("tool", "release-assistant", "gates", "parity")


def parity_inputs(config: ParityGateConfig, root: Path) -> ParityInputs:
    """The parity gate's inputs from configuration, paths resolved against ``root``."""
    from release_assistant.core.gates.parity.result import ParityInputs

    return ParityInputs(
        runs=tuple(root / path for path in config.runs),
        aggregate=None if config.aggregate is None else root / config.aggregate,
        lock=None if config.lock is None else root / config.lock,
        required_suites=tuple(config.required_suites),
        max_missing_pairs=config.max_missing_pairs,
        base=root,
        confined=True,
    )


def run(ctx: RepoContext) -> CheckResult:
    """Run every configured gate; skip when none is configured."""
    out = FindingCollector(ID, TITLE)
    parity = ctx.config.gates.parity
    if parity is None:
        return out.result(
            skip_reason="no gate configured: add [tool.release-assistant.gates.parity] "
            "to gate the release on parity artifacts"
        )
    # The gate's models and readers load only when a gate is configured: `check` runs this
    # check on every project, and most configure no gate.
    from release_assistant.core.gates.parity.validate import validate_parity

    result = validate_parity(parity_inputs(parity, ctx.root))
    config_path = ctx.relative(ctx.pyproject.path) if ctx.pyproject else "pyproject.toml"
    config_line = ctx.pyproject.line_of(_SECTION) if ctx.pyproject else None
    for failure in result.failures:
        # Configuration problems have no artifact to point at: point at the config table.
        on_config = failure.code == GATE_NOT_CONFIGURED.code and failure.path is None
        # The gate typed the failure's rule when it found it (GateState.fail).
        out.findings.append(
            Finding(
                failure.code,
                failure.message,
                Severity.ERROR,
                config_path if on_config else failure.path,
                config_line if on_config else failure.line,
                failure.hint,
            )
        )
    return replace(out.result(), details={"parity": result.summary_record()})
