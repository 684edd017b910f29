"""``release-assistant gate parity``: the seed's parity gate, and generating its artifacts.

``gate parity --run F ... --aggregate F --lock F --required-suite S ... --max-missing-pairs N
[--output-json F]`` takes the seed's ``validate_parity_artifacts.py`` flags verbatim; flags
left out default to ``[tool.release-assistant.gates.parity]`` in ``--repo``'s pyproject (its
paths are relative to the repository root; paths on the command line to the current
directory). Exit 0: the gate passed; 1: it failed; 2: usage or configuration error.

``gate parity run`` and ``gate parity aggregate`` generate the artifacts the gate reads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from release_assistant.cli.common import add_repo_argument, repo_root
from release_assistant.core.support.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from release_assistant.core.gates.parity.result import ParityResult


def register(subparsers: Any) -> None:
    """Add ``gate`` with its ``parity`` gate and the ``run``/``aggregate`` generators."""
    gate = subparsers.add_parser(
        "gate",
        help="run a release gate on JSON artifacts (parity)",
        description="Release gates over JSON artifacts.",
    )
    gate.set_defaults(handler=_no_gate)
    gates = gate.add_subparsers(dest="gate", metavar="GATE")
    parity = gates.add_parser(
        "parity",
        help="the parity gate (the seed's validate_parity_artifacts.py)",
        description="Validate parity artifacts: runs (one per suite), the aggregate and the "
        "upstream lock. Every failed rule is printed, one per line. Flags left out default to "
        "[tool.release-assistant.gates.parity]. Exit 0: passed; 1: failed; 2: usage error. "
        "'gate parity run' / 'gate parity aggregate' generate the artifacts.",
    )
    add_repo_argument(parser=parity)
    parity.add_argument(
        "--run",
        dest="runs",
        action="append",
        type=Path,
        metavar="F",
        help="run artifact (repeatable; default: gates.parity.runs)",
    )
    parity.add_argument(
        "--aggregate", type=Path, metavar="F", help="aggregate artifact (default: config)"
    )
    parity.add_argument("--lock", type=Path, metavar="F", help="upstream lock (default: config)")
    parity.add_argument(
        "--required-suite",
        dest="required_suites",
        action="append",
        metavar="S",
        help="suite id that must have a passing run (repeatable; default: config)",
    )
    parity.add_argument(
        "--max-missing-pairs",
        type=int,
        metavar="N",
        help="allowed upstream_only + candidate_only pairs per suite (default: config, or 0)",
    )
    parity.add_argument(
        "--output-json", type=Path, metavar="F", help="write the summary JSON here (atomically)"
    )
    parity.set_defaults(handler=run_gate)

    actions = parity.add_subparsers(dest="parity_action", metavar="{run,aggregate}")
    gen_run = actions.add_parser(
        "run",
        help="generate one suite's run artifact from upstream and candidate scores",
        description="Pair upstream and candidate scores by (task, seed) (latest step each), "
        "compute drop ratios and the one-sided bootstrap upper bound of the mean drop, and "
        "write the run artifact. Exit 0 when written (whatever the verdict: the gate judges).",
    )
    gen_run.add_argument("--suite-spec", type=Path, required=True, metavar="F")
    gen_run.add_argument("--upstream-scores", type=Path, required=True, metavar="F")
    gen_run.add_argument("--candidate-scores", type=Path, required=True, metavar="F")
    gen_run.add_argument("--lock", dest="gen_lock", type=Path, required=True, metavar="F")
    gen_run.add_argument("--output", type=Path, required=True, metavar="F")
    gen_run.set_defaults(handler=run_generate_run)
    gen_agg = actions.add_parser(
        "aggregate",
        help="generate the aggregate artifact from run artifacts",
        description="Collect one row per suite from the run artifacts and write the "
        "aggregate (all_suites_pass is true only when every run passed).",
    )
    gen_agg.add_argument(
        "--run", dest="gen_runs", action="append", type=Path, required=True, metavar="F"
    )
    gen_agg.add_argument("--output", type=Path, required=True, metavar="F")
    gen_agg.set_defaults(handler=run_generate_aggregate)


def _no_gate(args: argparse.Namespace) -> int:
    raise UsageError("choose a gate: release-assistant gate parity ... (see --help)")


# --- the gate --------------------------------------------------------------------


def run_gate(args: argparse.Namespace) -> int:
    """Validate the parity artifacts; print failures and the verdict."""
    from release_assistant.core.gates.parity.result import ParityInputs
    from release_assistant.core.gates.parity.validate import validate_parity
    from release_assistant.core.project.config import ParityGateConfig, load_config

    root = repo_root(args)
    complete = all(
        value is not None
        for value in (
            args.runs,
            args.aggregate,
            args.lock,
            args.required_suites,
            args.max_missing_pairs,
        )
    )
    # With every flag given (the seed's invocation) the configuration is not needed, so a
    # project's unrelated configuration problem cannot get in the gate's way.
    config = (
        ParityGateConfig()
        if complete
        else load_config(root).config.gates.parity or ParityGateConfig()
    )
    runs = list(args.runs) if args.runs else [root / path for path in config.runs]
    aggregate = args.aggregate or (root / config.aggregate if config.aggregate else None)
    lock = args.lock or (root / config.lock if config.lock else None)
    required = list(args.required_suites or config.required_suites)
    max_missing = (
        args.max_missing_pairs if args.max_missing_pairs is not None else config.max_missing_pairs
    )
    if max_missing < 0:
        raise UsageError(f"--max-missing-pairs {max_missing}: must be >= 0")
    for flag, value, key in (("--aggregate", aggregate, "aggregate"), ("--lock", lock, "lock")):
        if value is None:
            raise UsageError(f"{flag} F is required (or set {key} in {_TABLE})")
    if not runs and not required:
        raise UsageError(f"give --run F and --required-suite S (or set runs in {_TABLE})")
    result = validate_parity(
        ParityInputs(
            runs=tuple(runs),
            aggregate=aggregate,
            lock=lock,
            required_suites=tuple(required),
            max_missing_pairs=max_missing,
            base=Path.cwd(),
        )
    )
    if args.output_json is not None:
        _write_summary(args.output_json, result.summary())
    sys.stdout.write(render_gate(result, args.output_json))
    return ExitCode.OK if result.ok else ExitCode.FAILED


_TABLE = "[tool.release-assistant.gates.parity]"


def _write_summary(path: Path, summary: dict[str, Any]) -> None:
    from release_assistant.core.gates.models import validate
    from release_assistant.core.gates.parity.result import ParitySummary
    from release_assistant.core.support.textfiles import FileProblem, write_text_atomic

    validate(ParitySummary, summary)  # the published schema holds for what we write
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(summary, indent=2, sort_keys=True) + "\n")
    except OSError as exc:
        raise FileProblem(path, f"cannot write the summary: {exc.strerror or exc}") from None


def _num(value: float | None, digits: int = 6) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def render_gate(result: ParityResult, output_json: Path | None = None) -> str:
    """The gate's text output: suites table, one line per failure, then the verdict."""
    lines: list[str] = []
    if result.suites:
        width = max(len("suite"), *(len(s.suite_id) for s in result.suites))
        lines.append(f"{'suite':<{width}}  samples  upper CI   margin     pass")
        for suite in result.suites:
            samples = "-" if suite.samples is None else str(suite.samples)
            lines.append(
                f"{suite.suite_id:<{width}}  {samples:>7}  {_num(suite.ci_upper_ratio):>9}  "
                f"{_num(suite.margin_ratio):>9}  {'yes' if suite.passed else 'NO'}"
            )
        lines.append("")
    for failure in result.failures:
        where = (
            f"{failure.path}:{failure.line}: "
            if failure.path and failure.line
            else (f"{failure.path}: " if failure.path else "")
        )
        lines.append(f"{where}{failure.code} {failure.message}")
    count = len(result.failures)
    if result.ok:
        verdict = f"parity gate: passed ({len(result.suites)} suites)"
    else:
        verdict = f"parity gate: FAILED ({count} failure{'s' if count != 1 else ''})"
    if output_json is not None:
        verdict += f" · summary: {output_json}"
    if result.failures:
        lines.append("")
    lines.append(verdict)
    return "\n".join(lines) + "\n"


# --- generation ------------------------------------------------------------------


def _reject_gate_flags(args: argparse.Namespace, action: str) -> None:
    given = [
        flag
        for flag, value in (
            ("--run", args.runs),
            ("--aggregate", args.aggregate),
            ("--lock", args.lock),
            ("--required-suite", args.required_suites),
            ("--max-missing-pairs", args.max_missing_pairs),
            ("--output-json", args.output_json),
        )
        if value
    ]
    if given:
        raise UsageError(
            f"{', '.join(given)} before '{action}' belong(s) to the gate check; "
            f"put generation options after 'gate parity {action}'"
        )


def _now() -> dt.datetime | None:
    # Reproducible builds: honour SOURCE_DATE_EPOCH for the artifacts' timestamps.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return None


def _write_artifact(path: Path, data: dict[str, Any]) -> None:
    from release_assistant.core.support.textfiles import FileProblem, write_text_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(data, indent=2) + "\n")
    except OSError as exc:
        raise FileProblem(path, f"cannot write: {exc.strerror or exc}") from None


def run_generate_run(args: argparse.Namespace) -> int:
    """Generate one suite's run artifact."""
    from release_assistant.core.gates.parity_generate import generate_run

    _reject_gate_flags(args, "run")
    generated = generate_run(
        args.suite_spec, args.upstream_scores, args.candidate_scores, args.gen_lock, now=_now()
    )
    _write_artifact(args.output, generated.data)
    for warning in generated.warnings:
        print(f"release-assistant: warning: {warning}", file=sys.stderr)
    sys.stdout.write(f"wrote {args.output} · suite {generated.suite_id}: {generated.reason}\n")
    return ExitCode.OK


def run_generate_aggregate(args: argparse.Namespace) -> int:
    """Generate the aggregate artifact from run artifacts."""
    from release_assistant.core.gates.parity_generate import generate_aggregate

    _reject_gate_flags(args, "aggregate")
    data = generate_aggregate(args.gen_runs, now=_now())
    _write_artifact(args.output, data)
    verdict = "all suites pass" if data["all_suites_pass"] else "a suite failed"
    sys.stdout.write(
        f"wrote {args.output} · {data['run_count']} suites, {data['suite_pass_count']} "
        f"passed · {verdict}\n"
    )
    return ExitCode.OK
