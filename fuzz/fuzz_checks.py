"""Coverage-guided fuzzing of every file the checks read (atheris, libFuzzer underneath).

One target per input file: the fuzzer writes its bytes to that file in a small, otherwise
valid repository and runs the checks that read it through the engine. The engine turns an
exception into an ``error`` result (RA001) instead of crashing, so this harness looks for
exactly that: an RA001 whose message is an exception type (``TypeError: ...``) rather than
a file problem is a bug, and is raised so libFuzzer stops and saves the input. A run that
takes over ``--per-input-seconds`` is a hang and is reported the same way.

    pip install atheris
    python fuzz/fuzz_checks.py --target changelog -max_total_time=120
    python fuzz/fuzz_checks.py --target all-for 60     # every target, 60 s each

Targets: pyproject, config, changelog, version-file, uv-lock, poetry-lock, pdm-lock, workflow,
parity-run.
Crashing inputs are written to ``fuzz/crashes/<target>/``; add each as a regression test.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

TARGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    # target: (file the fuzzer writes, checks that read it)
    "pyproject": ("pyproject.toml", ("version", "changelog", "lock", "workflow", "publisher")),
    "config": ("pyproject.toml", ("version", "changelog", "gates")),
    "changelog": ("CHANGELOG.md", ("version", "changelog")),
    "version-file": ("src/fuzzed/__init__.py", ("version",)),
    "uv-lock": ("uv.lock", ("lock",)),
    "poetry-lock": ("poetry.lock", ("lock",)),
    "pdm-lock": ("pdm.lock", ("lock",)),
    "workflow": (".github/workflows/release.yml", ("workflow", "publisher")),
    "parity-run": ("reports/runs/a.json", ("gates",)),
}

PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "fuzzed"
version = "1.2.3"
requires-python = ">=3.10"
dependencies = ["alpha>=1.0; python_version >= '3.10'", "beta[x]~=2.0"]

[project.optional-dependencies]
extra = ["gamma==1.*"]

[tool.release-assistant]
changelog = "CHANGELOG.md"
version_files = [
    { path = "src/fuzzed/__init__.py", pattern = '__version__ = "(?P<version>[^"]+)"' },
]

[tool.release-assistant.gates.parity]
runs = ["reports/runs/a.json"]
aggregate = "reports/aggregate.json"
lock = "reports/lock.json"
required_suites = ["a"]
"""

SEEDS: dict[str, str] = {
    "pyproject.toml": PYPROJECT,
    "CHANGELOG.md": "# Changelog\n\n## [Unreleased]\n\n## [1.2.3] - 2026-01-02\n\n- Fixed.\n\n"
    "[Unreleased]: https://example.invalid/compare/v1.2.3...HEAD\n"
    "[1.2.3]: https://example.invalid/releases/v1.2.3\n",
    "src/fuzzed/__init__.py": '__version__ = "1.2.3"\n',
    "uv.lock": 'version = 1\nrevision = 3\nrequires-python = ">=3.10"\n\n[[package]]\n'
    'name = "fuzzed"\nversion = "1.2.3"\nsource = { editable = "." }\n',
    "poetry.lock": '[metadata]\nlock-version = "2.1"\npython-versions = ">=3.10"\n'
    'content-hash = "0000"\n',
    "pdm.lock": '[metadata]\ngroups = ["default"]\nlock_version = "4.5.0"\n'
    'content_hash = "sha256:00"\n',
    "reports/runs/a.json": '{"suite": {"suite_id": "a"}, "stats": {"pass_non_inferiority": true},'
    ' "counts": {"upstream_only": 0, "candidate_only": 0}, "evaluation_manifest": {},'
    ' "artifact_integrity": {}, "sources": {"upstream": {"commit": "abc"}},'
    ' "suite_lock_ref": {"matches_lock": true}}',
    "reports/aggregate.json": '{"all_suites_pass": true, "suites": [{"suite_id": "a",'
    ' "pass_non_inferiority": true, "ci_upper_ratio": 0.0, "margin_ratio": 0.05}]}',
    "reports/lock.json": '{"commit": "abc", "suites": {"a": {"commit": "abc"}}}',
}

#: An RA001 that names an exception type is a crash the engine caught, not a file problem.
_EXCEPTION = re.compile(r"the check could not run: [A-Z][A-Za-z]*(Error|Exception): ")


class FuzzFinding(Exception):
    """A check crashed (or hung) on the fuzzer's input."""


def make_repository() -> Path:
    """A small valid repository, a git work tree with an origin on GitHub."""
    root = Path(tempfile.mkdtemp(prefix="ra-fuzz-"))
    for relpath, text in SEEDS.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    # The workflow is the one `workflow init` writes for this project: the model it checks.
    from release_assistant.core.support.toml_lines import load_toml
    from release_assistant.core.workflows.template import plan_init

    plan = plan_init(root, TARGETS["workflow"][0], load_toml(root / "pyproject.toml"))
    plan.path.parent.mkdir(parents=True, exist_ok=True)
    plan.path.write_text(plan.text, encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(
        ["git", "-C", str(root), "remote", "add", "origin", "https://github.com/o/fuzzed.git"],
        check=True,
    )
    return root


def main() -> int:
    """Parse the harness's own options, then hand the rest to libFuzzer."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", required=True, choices=[*TARGETS, "all-for"])
    parser.add_argument("seconds", nargs="?", type=int, default=60)
    parser.add_argument("--per-input-seconds", type=float, default=5.0)
    args, libfuzzer_args = parser.parse_known_args()
    if args.target == "all-for":
        return run_all(args.seconds)
    return fuzz(args.target, args.per_input_seconds, libfuzzer_args)


def run_all(seconds: int, script: str = __file__, targets: Iterable[str] = TARGETS) -> int:
    """Every target of ``script`` in its own process for ``seconds``; a summary line each."""
    failed = 0
    for target in targets:
        crashes = Path(__file__).parent / "crashes" / target
        crashes.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        completed = subprocess.run(
            [
                sys.executable,
                script,
                "--target",
                target,
                f"-max_total_time={seconds}",
                f"-artifact_prefix={crashes}/",
                "-print_final_stats=1",
            ],
            capture_output=True,
            text=True,
        )
        runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", completed.stderr)
        cov = re.findall(r"cov: (\d+)", completed.stderr)
        verdict = "ok" if completed.returncode == 0 else f"FINDING (exit {completed.returncode})"
        print(
            f"{target:<12} {time.monotonic() - started:6.0f} s  "
            f"{runs.group(1) if runs else '?':>8} inputs  cov {cov[-1] if cov else '?':>6}  "
            f"{verdict}"
        )
        known: dict[str, str] = {}  # counted by the target, not stopped at: the last count
        for line in completed.stderr.splitlines():
            if line.startswith("known finding: "):
                known[line.rpartition(": ")[0]] = line
        for line in known.values():
            print(f"{'':<12} {line}")
        if completed.returncode != 0:
            failed += 1
            print("\n".join(completed.stderr.splitlines()[-30:]))
    return 1 if failed else 0


def fuzz(target: str, per_input_seconds: float, libfuzzer_args: list[str]) -> int:
    """Run one target under atheris until libFuzzer stops."""
    import atheris

    relpath, check_ids = TARGETS[target]
    with atheris.instrument_imports(include=["release_assistant"]):
        from release_assistant.core.context import RepoContext
        from release_assistant.core.engine import run_check, spec_for

        specs = [spec_for(check_id) for check_id in check_ids]
        for spec in specs:
            spec.load()  # the check and what it imports, instrumented
        # Checks import their parsers lazily: import all of core now, so it is instrumented.
        import importlib
        import pkgutil

        import release_assistant.core as core

        for module in pkgutil.walk_packages(core.__path__, "release_assistant.core."):
            importlib.import_module(module.name)

    root = make_repository()
    target_path = root / relpath
    # The valid file is the seed corpus: mutations start from a realistic input.
    seeds = Path(tempfile.mkdtemp(prefix="ra-fuzz-seeds-"))
    (seeds / "seed").write_bytes(target_path.read_bytes() if target_path.is_file() else b"")

    def one_input(data: bytes) -> None:
        target_path.write_bytes(data)
        started = time.monotonic()
        try:
            ctx = RepoContext.load(root, environ={})
        except Exception as error:  # ConfigError/FileProblem are the expected refusals
            if type(error).__name__ in ("ConfigError", "FileProblem"):
                return
            raise
        for spec in specs:
            result = run_check(spec, ctx)
            for finding in result.findings:
                if finding.code == "RA001" and _EXCEPTION.search(finding.message):
                    raise FuzzFinding(f"{spec.id}: {finding.message}")
        elapsed = time.monotonic() - started
        if elapsed > per_input_seconds:
            raise FuzzFinding(f"{target}: {elapsed:.1f} s on one input ({len(data)} bytes)")

    atheris.Setup([sys.argv[0], *libfuzzer_args, str(seeds)], one_input)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
