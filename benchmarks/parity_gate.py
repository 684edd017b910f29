"""What the parity gate's hand-made reader saves the ``check-parity-artifacts`` hook.

The gate validates artifacts with its own standard-library reader
(``release_assistant.core.gates.parity``), while the artifacts' single definition is the
dataclasses pydantic validates (``core.gates.parity.artifacts`` via ``core.gates.models``).
This script measures, each in a fresh interpreter, interleaved, the median of ``--runs``:

- ``python -c pass``: the interpreter's start-up, for scale;
- **hook**: the hook's whole run (``main([])``) on a repository with a two-suite parity gate;
- **hook + pydantic**: the same run followed by validating the same runs, aggregate and lock
  with pydantic (importing it, building the adapters, validating), i.e. what the hook would
  at least add if it validated with pydantic instead of its reader.

The difference is the reader's saving; it is quoted in ``core/gates/parity/validate.py``.
It also prints what the gate's own modules cost the hook to import (CPU time, the least of
``--runs`` fresh interpreters, after what every hook loads anyway): :mod:`dataclasses` (with
``inspect``, ``ast``, ``dis``), then the gate's modules and their dataclasses.

    python benchmarks/parity_gate.py [--runs 21]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYPROJECT = """\
[project]
name = "bench-gate"
version = "1.0.0"
requires-python = ">=3.10"
"""

HOOK = """
from release_assistant.hooks.check_parity_artifacts import main
assert main([]) == 0
"""

WITH_PYDANTIC = (
    HOOK
    + """
import json
from release_assistant.core.gates.models import validate
from release_assistant.core.gates.parity.artifacts import ParityAggregate, ParityRun, UpstreamLock
from release_assistant.core.support.toml_lines import load_toml
gate = load_toml("pyproject.toml").data["tool"]["release-assistant"]["gates"]["parity"]
for path in gate["runs"]:
    validate(ParityRun, json.load(open(path)))
validate(ParityAggregate, json.load(open(gate["aggregate"])))
validate(UpstreamLock, json.load(open(gate["lock"])))
"""
)


def build(root: Path) -> None:
    """A repository with a generated, passing two-suite parity gate (the tests' fixture)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.parity_fixtures import generated_set

    artifacts = generated_set(root)
    (root / "pyproject.toml").write_text(PYPROJECT + artifacts.config_toml(), encoding="utf-8")
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## [1.0.0] - 2026-01-01\n\n- One.\n")
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)


IMPORT_COST = """
import time, typing, re, json, pathlib, enum, functools, os, math
import release_assistant.core.findings, release_assistant.core.rules.gates
import release_assistant.core.support.textfiles
started = time.process_time()
import dataclasses
between = time.process_time()
import release_assistant.core.gates.parity.validate
ended = time.process_time()
print((between - started) * 1000, (ended - between) * 1000)
"""


def import_cost(runs: int, env: dict[str, str]) -> tuple[float, float]:
    """CPU ms of importing dataclasses, then the gate's modules (least of ``runs``)."""
    costs = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", IMPORT_COST], env=env, capture_output=True, text=True, check=True
        )
        first, second = done.stdout.split()
        costs.append((float(first), float(second)))
    return min(c[0] for c in costs), min(c[1] for c in costs)


def wall_ms(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise SystemExit(f"{command[-1][:60]!r} failed:\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "hook": [sys.executable, "-c", HOOK],
        "hook + pydantic": [sys.executable, "-c", WITH_PYDANTIC],
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build(root)
        timings: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():  # warm-up: byte-code and page caches
            wall_ms(command, root, env)
        order = list(commands)
        shuffle = random.Random(14)
        for _ in range(args.runs):
            shuffle.shuffle(order)
            for name in order:
                timings[name].append(wall_ms(commands[name], root, env))
    medians = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in medians.items():
        print(f"{name:<18} {value:7.1f} ms")
    saving = medians["hook + pydantic"] - medians["hook"]
    print(f"the reader saves  {saving:7.1f} ms per hook run ({saving / medians['hook']:.0%})")
    dataclasses_ms, gate_ms = import_cost(args.runs, env)
    print(f"import dataclasses {dataclasses_ms:6.1f} ms CPU, the gate's modules {gate_ms:.1f} ms")
    print(json.dumps({name: round(value, 1) for name, value in medians.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
