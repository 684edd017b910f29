"""How the changelog, lock and workflow readers scale: size -> seconds and peak memory.

Each probe builds a repository in a temporary directory and runs the real commands in fresh
processes (as a user or pre-commit would), measuring the wall time and the peak resident
memory of each process (``os.wait4``):

- **changelog** (4, 30 and 50 MB by default): a Keep a Changelog file of that size whose
  releases all share one major version, in the state right after a bump (the project
  version has no section yet: the lookup that was quadratic), through
  ``ra-check-changelog-version``, ``release-assistant check --only changelog,version --tag
  vNEW``, and ``release-assistant bump minor --dry-run`` (from the newest released version,
  with pending notes under ``## [Unreleased]``);
- **lock** (20,000 packages by default): a ``uv.lock`` of that many registry packages, all
  required by the project, through ``ra-check-lock-file`` and ``check --only lock``;
- **workflow** (1,000 and 3,000 jobs by default): a release workflow whose every job needs
  every earlier one (the densest ``needs``), through ``check --only workflow`` (zizmor off:
  its own process is not ours to measure).

The table ends with seconds per unit of size for each probe: a linear command keeps that
figure flat along the curve, a quadratic one grows it with the size. Files over the read cap
(32 MiB, ``support/textfiles``) are refused in one line by the checks: at 50 MB the hook and
``check`` measure that refusal, ``bump`` its own reading. Budgets (issue 24):
the changelog hook on 4 MB within 2 s, every changelog command within 1 s per MB (plus
start-up), the 3,000-job workflow within 500 MB. Exit code 1 when a budget is missed.

    python benchmarks/scale.py [--changelog-mb 4,30,50] [--lock-packages 20000]
                               [--workflow-jobs 1000,3000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
HOOK_BUDGET_4MB_S = 2.0
SECONDS_PER_MB = 1.0
STARTUP_ALLOWANCE_S = 1.0
WORKFLOW_BUDGET_MB = 500.0


@dataclass(frozen=True, slots=True)
class Sample:
    """One command on one input: its size, wall time, peak memory and exit code."""

    probe: str
    command: str
    size: float
    unit: str
    seconds: float
    peak_mb: float
    exit_code: int


def run_measured(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and exit code of ``argv`` run in a fresh process.

    Measured by a small helper process (``--measure``): a process forked from this one
    starts with this one's peak memory as its own (Linux copies the high-water mark with
    the address space, and keeps it across exec), and this one has held the inputs.
    """
    helper = [sys.executable, str(Path(__file__).resolve()), "--measure", "--", *argv]
    done = subprocess.run(helper, cwd=cwd, env=env, capture_output=True, text=True, check=True)
    seconds, peak_mb, code = done.stdout.split()
    return float(seconds), float(peak_mb), int(code)


def _measure(argv: Sequence[str]) -> int:
    """``--measure``: run ``argv``, print its wall seconds, peak RSS in MB and exit code."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    print(f"{elapsed:.4f} {usage.ru_maxrss / 1024:.1f} {process.returncode}")
    return 0


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        {
            "RELEASE_ASSISTANT_ZIZMOR": "off",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "bench",
            "GIT_AUTHOR_EMAIL": "bench@example.invalid",
            "GIT_COMMITTER_NAME": "bench",
            "GIT_COMMITTER_EMAIL": "bench@example.invalid",
            "NO_COLOR": "1",
        }
    )
    return env


def _git_repo(root: Path, env: dict[str, str]) -> None:
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "bench"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


# -- changelog ----------------------------------------------------------------------------------


def changelog_text(target_bytes: int) -> tuple[str, str]:
    """A Keep a Changelog file of about ``target_bytes``, and its newest version.

    Every release is ``1.N.0``: one major version, so a search that filters headings by the
    major number (as the lookup of a missing version does) filters nothing out.
    """
    parts = [
        "# Changelog\n\nAll notable changes to this project are documented here.\n",
        "## [Unreleased]\n\n### Added\n\n- Work in progress.\n",
    ]
    size = sum(map(len, parts))
    count = 0
    while size < target_bytes:
        count += 1
        version = f"1.{10_000_000 - count}.0"
        part = (
            f"## [{version}] - 2020-01-{1 + count % 28:02d}\n\n### Added\n\n- Feature {count}.\n"
            f"- Another change, with `code` and a [link](https://example.invalid/{count}).\n"
            "\n### Fixed\n\n- A bug.\n"
        )
        parts.append(part)
        size += len(part) + 1
    return "\n".join(parts), f"1.{10_000_000 - 1}.0"


def probe_changelog(megabytes: float, work: Path, env: dict[str, str]) -> list[Sample]:
    """The hook, ``check`` and ``bump --dry-run`` on a changelog of ``megabytes``."""
    text, newest = changelog_text(int(megabytes * 1_000_000))
    missing = "1.10000000.0"  # newer than every section: the state right after a bump
    samples: list[Sample] = []
    root = work / f"changelog-{megabytes:g}mb"
    root.mkdir()
    (root / "CHANGELOG.md").write_text(text, encoding="utf-8")
    del text  # not kept while the commands run
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "bench"\nversion = "{missing}"\n', encoding="utf-8"
    )
    _git_repo(root, env)
    commands = {
        "hook": [str(BIN / "ra-check-changelog-version")],
        "check": [
            str(BIN / "release-assistant"),
            "check",
            "--only",
            "changelog,version",
            "--tag",
            f"v{missing}",
        ],
    }
    for name, argv in commands.items():
        seconds, peak, code = run_measured(argv, root, env)
        samples.append(Sample("changelog", name, megabytes, "MB", seconds, peak, code))
    # bump: from the newest released version, the notes pending under Unreleased.
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "bench"\nversion = "{newest}"\n', encoding="utf-8"
    )
    argv = [str(BIN / "release-assistant"), "bump", "minor", "--dry-run"]
    seconds, peak, code = run_measured(argv, root, env)
    samples.append(Sample("changelog", "bump --dry-run", megabytes, "MB", seconds, peak, code))
    shutil.rmtree(root)
    return samples


# -- lock ---------------------------------------------------------------------------------------


def lock_files(packages: int) -> tuple[str, str]:
    """``pyproject.toml`` requiring ``packages`` registry packages, and a fresh ``uv.lock``."""
    names = [f"pkg{index:05d}" for index in range(packages)]
    index_url = "https://example.invalid/simple"
    pyproject = (
        '[project]\nname = "bench"\nversion = "1.0.0"\nrequires-python = ">=3.10"\n'
        "dependencies = [\n" + "".join(f'    "{name}",\n' for name in names) + "]\n\n"
        f'[[tool.uv.index]]\nname = "mirror"\nurl = "{index_url}"\ndefault = true\n'
    )
    blocks = [
        'version = 1\nrevision = 3\nrequires-python = ">=3.10"\n',
        '[[package]]\nname = "bench"\nversion = "1.0.0"\nsource = { virtual = "." }\n'
        "dependencies = [\n"
        + "".join(f'    {{ name = "{name}" }},\n' for name in names)
        + "]\n\n[package.metadata]\nrequires-dist = [\n"
        + "".join(f'    {{ name = "{name}" }},\n' for name in names)
        + "]\n",
    ]
    for number, name in enumerate(names):
        digest = f"{number:064x}"
        blocks.append(
            f'[[package]]\nname = "{name}"\nversion = "1.0.{number}"\n'
            f'source = {{ registry = "{index_url}" }}\n'
            f'sdist = {{ url = "https://example.invalid/files/{name}-1.0.{number}.tar.gz", '
            f'hash = "sha256:{digest}", size = 1000 }}\n'
            "wheels = [\n"
            f'    {{ url = "https://example.invalid/files/{name}-1.0.{number}-py3-none-any.whl", '
            f'hash = "sha256:{digest}", size = 1000 }},\n'
            "]\n"
        )
    return pyproject, "\n".join(blocks)


def probe_lock(packages: int, work: Path, env: dict[str, str]) -> list[Sample]:
    """The lock hook and ``check --only lock`` on a lock of ``packages`` packages."""
    root = work / f"lock-{packages}"
    root.mkdir()
    pyproject, lock = lock_files(packages)
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (root / "uv.lock").write_text(lock, encoding="utf-8")
    del pyproject, lock
    _git_repo(root, env)
    samples = []
    for name, argv in {
        "hook": [str(BIN / "ra-check-lock-file")],
        "check": [str(BIN / "release-assistant"), "check", "--only", "lock"],
    }.items():
        seconds, peak, code = run_measured(argv, root, env)
        samples.append(Sample("lock", name, packages, "packages", seconds, peak, code))
    shutil.rmtree(root)
    return samples


# -- workflow -----------------------------------------------------------------------------------


def dense_workflow(jobs: int, publish_every: int = 10) -> str:
    """``jobs`` jobs, each needing every earlier one; every ``publish_every``-th publishes."""
    lines = ["on:", "  release:", "    types: [published]", "jobs:"]
    for index in range(jobs):
        lines += [f"  j{index}:", "    runs-on: ubuntu-latest"]
        if index:
            lines.append(f"    needs: [{', '.join(f'j{other}' for other in range(index))}]")
        publishes = index % publish_every == publish_every - 1
        if publishes:
            lines += ["    environment: pypi", "    permissions:", "      id-token: write"]
        lines += ["    steps:", "      - run: echo hi"]
        if publishes:
            lines += [
                "      - uses: actions/download-artifact@v4",
                "      - uses: pypa/gh-action-pypi-publish@release/v1",
            ]
    return "\n".join(lines) + "\n"


def probe_workflow(jobs: int, work: Path, env: dict[str, str]) -> list[Sample]:
    """``check --only workflow`` on the densest ``needs`` workflow of ``jobs`` jobs."""
    root = work / f"workflow-{jobs}"
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "release.yml").write_text(
        dense_workflow(jobs), encoding="utf-8"
    )
    (root / "pyproject.toml").write_text(
        '[project]\nname = "bench"\nversion = "1.0.0"\n', encoding="utf-8"
    )
    _git_repo(root, env)
    argv = [str(BIN / "release-assistant"), "check", "--only", "workflow"]
    seconds, peak, code = run_measured(argv, root, env)
    shutil.rmtree(root)
    return [Sample("workflow", "check", jobs, "jobs", seconds, peak, code)]


# -- report -------------------------------------------------------------------------------------


def render(samples: list[Sample]) -> str:
    """The table: one row per probe and size, then seconds per unit along each curve."""
    lines = [
        f"{'probe':<10} {'command':<16} {'size':>14} {'seconds':>9} {'peak MB':>9} {'exit':>5}"
        f" {'s per unit':>12}",
    ]
    for sample in samples:
        size = f"{sample.size:g} {sample.unit}"
        per_unit = sample.seconds / sample.size if sample.size else 0.0
        scale = 1000 if sample.unit in ("packages", "jobs") else 1
        shown = f"{per_unit * scale:.4f}" + ("/1k" if scale > 1 else "")
        lines.append(
            f"{sample.probe:<10} {sample.command:<16} {size:>14} {sample.seconds:>9.2f}"
            f" {sample.peak_mb:>9.0f} {sample.exit_code:>5} {shown:>12}"
        )
    return "\n".join(lines)


def budget_misses(samples: list[Sample]) -> list[str]:
    """Each budget the samples miss, as a sentence."""
    misses = []
    for sample in samples:
        if sample.exit_code not in (0, 1):
            misses.append(
                f"{sample.probe} {sample.command} at {sample.size:g}: exit {sample.exit_code}"
            )
        if sample.probe == "changelog":
            allowed = STARTUP_ALLOWANCE_S + SECONDS_PER_MB * sample.size
            if sample.command == "hook" and sample.size <= 4:
                allowed = min(allowed, HOOK_BUDGET_4MB_S)
            if sample.seconds > allowed:
                misses.append(
                    f"changelog {sample.command} at {sample.size:g} MB: "
                    f"{sample.seconds:.1f} s > {allowed:.1f} s"
                )
        if (
            sample.probe == "workflow"
            and sample.size <= 3000
            and sample.peak_mb > WORKFLOW_BUDGET_MB
        ):
            misses.append(
                f"workflow at {sample.size:g} jobs: {sample.peak_mb:.0f} MB"
                f" > {WORKFLOW_BUDGET_MB:.0f} MB"
            )
    return misses


def _numbers(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the probes, print the table; 1 when a budget is missed."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:2] == ["--measure", "--"]:
        return _measure(words[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changelog-mb", default="4,30,50", help="changelog sizes, in MB")
    parser.add_argument("--lock-packages", default="20000", help="lock sizes, in packages")
    parser.add_argument("--workflow-jobs", default="1000,3000", help="workflow sizes, in jobs")
    parser.add_argument("--keep", type=Path, help="build the repositories here (kept)")
    args = parser.parse_args(words)
    env = _environment()
    work = Path(tempfile.mkdtemp(prefix="ra-scale-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    samples: list[Sample] = []
    try:
        for megabytes in _numbers(args.changelog_mb):
            samples += probe_changelog(megabytes, work, env)
        for packages in _numbers(args.lock_packages):
            samples += probe_lock(int(packages), work, env)
        for jobs in _numbers(args.workflow_jobs):
            samples += probe_workflow(int(jobs), work, env)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(render(samples))
    misses = budget_misses(samples)
    for miss in misses:
        print(f"over budget: {miss}")
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
