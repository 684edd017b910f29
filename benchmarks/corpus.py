"""Run ``release-assistant check --format json`` over checked-out repositories; print a table.

The precision benchmark: our fixtures are ours, users' repositories are not. Point it at
clones of real projects (never commit them) and read every ``fail``: would the maintainer
agree? Each row shows the exit code, every check's status, and the finding codes by
severity (``RA504x3`` = three findings of RA504); ``--details`` prints each blocking finding
below its row, so a wrong verdict can be judged without re-running.

    python benchmarks/corpus.py DIR [DIR ...] [--only workflow,publisher] [--tag-from-version]
        [--details] [--json OUT]

``--tag-from-version`` passes ``--tag`` = the project's own version (as ``check`` without a
tag would derive it) to exercise the release path. Exit code 0 when every run produced a
report (a crash or a usage error is exit 1), whatever the verdicts: the table is the result.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

STATUS_MARK = {"pass": "ok", "fail": "FAIL", "warn": "warn", "skip": "-", "error": "ERR"}


def run_one(
    repo: Path, only: str | None, tag: str | None
) -> tuple[int, dict[str, object] | None, str, float]:
    """One ``check --format json`` run: exit code, parsed report (or ``None``), stderr, seconds."""
    command = [sys.executable, "-m", "release_assistant", "check", "--repo", str(repo)]
    command += ["--format", "json"]
    if only:
        command += ["--only", only]
    if tag:
        command += ["--tag", tag]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, timeout=300)
    elapsed = time.perf_counter() - started
    try:
        report = json.loads(completed.stdout) if completed.stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    return completed.returncode, report, completed.stderr.strip(), elapsed


def codes_summary(report: dict[str, object]) -> str:
    """``RA504x3(e) RA631(w)``: finding codes with counts, error/warning/info marked."""
    counts: Counter[tuple[str, str]] = Counter()
    checks = report.get("checks", [])
    assert isinstance(checks, list)
    for check in checks:
        for finding in check["findings"]:
            counts[(finding["code"], finding["severity"][0])] += 1
    return " ".join(
        f"{code}{'x' + str(n) if n > 1 else ''}({sev})" for (code, sev), n in sorted(counts.items())
    )


def statuses(report: dict[str, object]) -> str:
    """``version:ok changelog:FAIL ...`` for the checks that ran."""
    checks = report.get("checks", [])
    assert isinstance(checks, list)
    return " ".join(f"{c['id']}:{STATUS_MARK.get(c['status'], c['status'])}" for c in checks)


def blocking_details(report: dict[str, object]) -> list[str]:
    """Each error finding of a failed check: ``check CODE path:line message``."""
    lines = []
    checks = report.get("checks", [])
    assert isinstance(checks, list)
    for check in checks:
        for finding in check["findings"]:
            if finding["severity"] != "error":
                continue
            where = finding.get("path") or ""
            if finding.get("line"):
                where += f":{finding['line']}"
            lines.append(f"    {check['id']} {finding['code']} {where} {finding['message'][:160]}")
    return lines


def project_version(repo: Path) -> str | None:
    """The version ``check`` derives without a tag (from a quick ``--only version`` run)."""
    _, report, _, _ = run_one(repo, "version", None)
    version = report.get("version") if report else None
    return version if isinstance(version, str) else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the corpus and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repos", nargs="+", type=Path, help="checked-out repositories")
    parser.add_argument("--only", help="comma-separated check ids (default: all)")
    parser.add_argument("--tag-from-version", action="store_true")
    parser.add_argument("--details", action="store_true", help="print every blocking finding")
    parser.add_argument("--json", type=Path, help="also write every report to this file")
    args = parser.parse_args(argv)

    rows = []
    collected: dict[str, object] = {}
    broken = 0
    width = max(len(repo.name) for repo in args.repos)
    print(f"{'repository':<{width}}  exit  {'time':>6}  statuses | codes")
    for repo in args.repos:
        tag = None
        if args.tag_from_version:
            version = project_version(repo)
            tag = version and f"v{version}"
        code, report, stderr, elapsed = run_one(repo, args.only, tag)
        if report is None:
            broken += 1
            line = f"{repo.name:<{width}}  {code:>4}  {elapsed:5.2f}s  no report: {stderr[:200]}"
            print(line)
            continue
        collected[os.fspath(repo)] = report
        line = (
            f"{repo.name:<{width}}  {code:>4}  {elapsed:5.2f}s  {statuses(report)} | "
            f"{codes_summary(report)}"
        )
        print(line)
        rows.append(line)
        if args.details:
            for detail in blocking_details(report):
                print(detail)
    blocked = sum(1 for r in collected.values() if isinstance(r, dict) and not r.get("ok"))
    print(f"\n{len(collected)} reports, {blocked} say 'release blocked', {broken} without a report")
    if args.json:
        args.json.write_text(json.dumps(collected, indent=2) + "\n", encoding="utf-8")
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
