"""Measure what the ``workflow`` check costs: importing ruamel.yaml, parsing, running the check.

Run from the repository root: ``python benchmarks/workflow_check.py``. It writes the workflow
``workflow init`` generates into a temporary repository and reports medians.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def import_ms(module: str, runs: int = 7) -> float:
    """Median cumulative import time of ``module`` in fresh interpreters (``-X importtime``)."""
    samples: list[float] = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        for line in done.stderr.splitlines():
            parts = [part.strip() for part in line.split("|")]
            if len(parts) == 3 and parts[2] == module:
                samples.append(int(parts[1]) / 1000)
    return statistics.median(samples)


def per_call_ms(function: object, runs: int) -> float:
    """Median wall time of ``function()`` over ``runs`` calls, in milliseconds."""
    assert callable(function)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    """Print the measurements."""
    from release_assistant.core.checks import workflow as workflow_check
    from release_assistant.core.context import RepoContext
    from release_assistant.core.workflows import yaml_loader
    from release_assistant.core.workflows.template import plan_init
    from release_assistant.core.workflows.yaml_lite import read_block_yaml

    print(f"import ruamel.yaml: {import_ms('ruamel.yaml'):.1f} ms (median, cumulative)")
    print(
        "import release_assistant.core.workflows.yaml_lite: "
        f"{import_ms('release_assistant.core.workflows.yaml_lite'):.1f} ms"
    )
    print(
        "import release_assistant.core.checks.workflow: "
        f"{import_ms('release_assistant.core.checks.workflow'):.1f} ms"
    )
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / "pyproject.toml").write_text(
            '[project]\nname = "demo"\nversion = "1.0.0"\n', encoding="utf-8"
        )
        (root / "tests").mkdir()
        plan = plan_init(root, ".github/workflows/release.yml", None)
        plan.path.parent.mkdir(parents=True)
        plan.path.write_text(plan.text, encoding="utf-8")
        text = plan.text
        assert read_block_yaml(text) is not None

        print(f"parse generated workflow ({len(text)} chars):")
        lite = per_call_ms(lambda: read_block_yaml(text), 200)
        ruamel = per_call_ms(lambda: yaml_loader.load_yaml(text, "release.yml"), 50)
        print(f"  yaml_lite.read_block_yaml (used): {lite:.3f} ms")
        print(f"  ruamel.yaml (reference):          {ruamel:.3f} ms")
        ctx = RepoContext.load(root)
        result = workflow_check.run(ctx)
        assert result.status.value == "pass", result.findings
        print(f"workflow check, warm: {per_call_ms(lambda: workflow_check.run(ctx), 100):.2f} ms")


if __name__ == "__main__":
    main()
