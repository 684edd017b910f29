"""How long each pre-commit hook takes, against a bare interpreter start-up.

A hook runs on every commit, so its cost should be dominated by starting Python. This script
builds a typical repository in a temporary directory (pyproject.toml, a 200-section
changelog, the release workflow ``release-assistant workflow init`` writes, a real
``uv.lock`` made by ``uv lock`` for a project without dependencies, and a parity gate over
small artifacts), runs every hook there as pre-commit would (its console script, in a fresh
process), and prints the median wall time of each as a ratio to ``python -c pass`` measured
in the same run, interleaved. It then times ``check-changelog-version`` on a
10,000-section changelog.

Figures only: the limits are regression alarms in ``benchmarks/alarms.py`` (issue 26: each
hook <= 6x bare start-up), which replace this script's old budgets (4x; 150 ms on 10,000
sections). Exit code 0 unless a hook fails on the benchmark repository.

    python benchmarks/hooks.py [--runs 21] [--sections 200] [--large-sections 10000]

Byte-code caching is on for the measured processes (``PYTHONDONTWRITEBYTECODE`` is dropped
from their environment and every command runs once before timing), as in a real hook
environment, where pip compiled the package on install.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HOOKS: dict[str, str] = {
    "check-changelog-version": "release_assistant.hooks.check_changelog_version",
    "check-lock-file": "release_assistant.hooks.check_lock_file",
    "check-release-workflow": "release_assistant.hooks.check_release_workflow",
    "check-parity-artifacts": "release_assistant.hooks.check_parity_artifacts",
}
#: The modules no hook can do without (pyproject.toml is TOML, dates are checked, versions
#: are PEP 440; the console-script wrapper itself imports ``re``): the floor under every
#: hook, printed for reference.
FLOOR_MODULES = "re, tomllib, datetime, packaging.version"
FLOOR = "floor: tomllib, datetime, packaging"

PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "bench-package"
version = "{version}"
description = "A typical package."
requires-python = ">=3.10"
dependencies = []

[tool.release-assistant.gates.parity]
runs = ["artifacts/run-suite-a.json"]
aggregate = "artifacts/aggregate.json"
lock = "artifacts/upstream-lock.json"
required_suites = ["suite-a"]
max_missing_pairs = 0
"""


def changelog(sections: int) -> tuple[str, str]:
    """A Keep-a-Changelog file with ``sections`` releases, and its newest version."""
    parts = [
        "# Changelog\n\nAll notable changes to this project are documented here.\n",
        "## [Unreleased]\n\n### Added\n\n- Work in progress.\n",
    ]
    versions = [f"{i // 100}.{i % 100}.0" for i in range(sections, 0, -1)]
    for number, version in enumerate(versions):
        day = 1 + number % 28
        parts.append(
            f"## [{version}] - 2020-01-{day:02d}\n\n### Added\n\n- Feature {version}.\n"
            f"- Another change in {version}, with `code` and a [link](https://example.invalid).\n"
            "\n### Fixed\n\n- A bug.\n"
        )
    links = [f"[Unreleased]: https://example.invalid/compare/v{versions[0]}...HEAD"]
    links += [f"[{v}]: https://example.invalid/releases/v{v}" for v in versions]
    return "\n".join(parts) + "\n" + "\n".join(links) + "\n", versions[0]


def parity_artifacts() -> dict[str, object]:
    """A passing parity gate: one suite, its run, the aggregate and the upstream lock."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    run = {
        "suite": {"suite_id": "suite-a"},
        "stats": {"pass_non_inferiority": True, "ci_upper_ratio": 0.01, "margin_ratio": 0.05},
        "counts": {"upstream_only": 0, "candidate_only": 0, "paired": 10},
        "evaluation_manifest": {"tasks": ["t1"], "seeds": [0, 1]},
        "artifact_integrity": {"sha256": "0" * 64},
        "sources": {"upstream": {"commit": commit}},
        "suite_lock_ref": {"matches_lock": True},
    }
    aggregate = {
        "all_suites_pass": True,
        "suites": [
            {
                "suite_id": "suite-a",
                "pass_non_inferiority": True,
                "ci_upper_ratio": 0.01,
                "margin_ratio": 0.05,
            }
        ],
    }
    lock = {"suites": {"suite-a": {"repo": "https://example.invalid/upstream", "commit": commit}}}
    return {
        "artifacts/run-suite-a.json": run,
        "artifacts/aggregate.json": aggregate,
        "artifacts/upstream-lock.json": lock,
    }


def build_repository(root: Path, sections: int) -> str | None:
    """Write the typical repository; return why the lock hook cannot run, if it cannot."""
    from release_assistant.core.support.toml_lines import load_toml
    from release_assistant.core.workflows.template import plan_init

    text, version = changelog(sections)
    (root / "CHANGELOG.md").write_text(text, encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT.format(version=version), encoding="utf-8")
    (root / "src" / "bench_package").mkdir(parents=True)
    (root / "src" / "bench_package" / "__init__.py").write_text('"""Bench."""\n')
    for relpath, data in parity_artifacts().items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    lock_problem = make_uv_lock(root)
    plan = plan_init(root, ".github/workflows/release.yml", load_toml(root / "pyproject.toml"))
    plan.path.parent.mkdir(parents=True, exist_ok=True)
    plan.path.write_text(plan.text, encoding="utf-8")
    # Tracked, as in a real repository (an untracked lock is a finding of its own).
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    return lock_problem


def make_uv_lock(root: Path) -> str | None:
    """Run ``uv lock`` (offline: the project has no dependencies); the reason if it fails."""
    from release_assistant.core.engine import known_check_ids

    if "lock" not in known_check_ids():
        return "this checkout has no lock check yet"
    uv = shutil.which("uv") or _beside_python("uv")
    if uv is None:
        return "uv is not installed, so no uv.lock can be generated"
    done = subprocess.run(
        [uv, "lock", "--offline", "--quiet"], cwd=root, capture_output=True, text=True
    )
    if done.returncode != 0:
        return f"`uv lock --offline` failed: {done.stderr.strip()[:200]}"
    return None


def _beside_python(name: str) -> str | None:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.is_file() else None


def hook_command(hook_id: str) -> list[str]:
    """The hook's console script when installed (what pre-commit runs), else ``python -m``."""
    script = _beside_python(f"ra-{hook_id}")
    return [script] if script else [sys.executable, "-m", HOOKS[hook_id]]


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    env.pop("PYTHONDEVMODE", None)
    return env


def wall_ms(command: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, done.returncode, done.stdout + done.stderr


def measure(
    commands: dict[str, list[str]], cwd: Path, runs: int, env: dict[str, str]
) -> dict[str, list[float]]:
    """Run every command ``runs`` times, interleaved in a shuffled order each round."""
    timings: dict[str, list[float]] = {name: [] for name in commands}
    order = list(commands)
    shuffle = random.Random(6)
    for name, command in commands.items():  # warm-up: byte-code caches, page cache
        _, code, output = wall_ms(command, cwd, env)
        if code != 0:
            raise SystemExit(f"{name} exited {code} on the benchmark repository:\n{output}")
    for _ in range(runs):
        shuffle.shuffle(order)
        for name in order:
            elapsed, _, _ = wall_ms(commands[name], cwd, env)
            timings[name].append(elapsed)
    return timings


def _spread(timings: list[float]) -> tuple[float, float]:
    """The 10th and 90th percentiles of ``timings``."""
    deciles = statistics.quantiles(timings, n=10)
    return deciles[0], deciles[-1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs per command")
    parser.add_argument("--sections", type=int, default=200, help="typical changelog size")
    parser.add_argument("--large-sections", type=int, default=10_000, help="large changelog")
    args = parser.parse_args(argv)
    env = environment()
    with tempfile.TemporaryDirectory(prefix="ra-hook-bench-") as tmp:
        typical = Path(tmp) / "typical"
        typical.mkdir()
        lock_problem = build_repository(typical, args.sections)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            FLOOR: [sys.executable, "-c", f"import {FLOOR_MODULES}"],
        }
        for hook_id in HOOKS:
            if hook_id == "check-lock-file" and lock_problem:
                print(f"skipping check-lock-file: {lock_problem}")
                continue
            commands[hook_id] = hook_command(hook_id)
        timings = measure(commands, typical, args.runs, env)
        bare = statistics.median(timings["python -c pass"])
        print(
            f"typical repository ({args.sections}-section changelog), median of {args.runs} "
            f"runs, Python {sys.version.split()[0]}:"
        )
        print(f"  {'python -c pass':<40} {bare:7.1f} ms   1.00x")
        floor = statistics.median(timings[FLOOR])
        print(f"  {'(' + FLOOR + ')':<40} {floor:7.1f} ms  {floor / bare:5.2f}x")
        for name in HOOKS:
            if name not in timings:
                continue
            median = statistics.median(timings[name])
            ratio = median / bare
            print(f"  {name:<40} {median:7.1f} ms  {ratio:5.2f}x")

        large = Path(tmp) / "large"
        large.mkdir()
        text, version = changelog(args.large_sections)
        (large / "CHANGELOG.md").write_text(text, encoding="utf-8")
        (large / "pyproject.toml").write_text(
            PYPROJECT.format(version=version).split("[tool.release-assistant")[0],
            encoding="utf-8",
        )
        hook = hook_command("check-changelog-version")
        # The figure is absolute, so the bare start-up is timed alongside: it shows how fast
        # the machine was during the run (shared runners vary by half from minute to minute).
        both = measure({"large": hook, "bare": commands["python -c pass"]}, large, args.runs, env)
        large_timings = both["large"]
        median = statistics.median(large_timings)
        low, high = _spread(large_timings)
        size_kib = len(text.encode()) // 1024
        print(
            f"check-changelog-version on a {args.large_sections}-section changelog "
            f"({size_kib} KiB): median {median:.1f} ms"
        )
        print(
            f"  (p10-p90 {low:.1f}-{high:.1f} ms; python -c pass in the same run: "
            f"{statistics.median(both['bare']):.1f} ms)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
