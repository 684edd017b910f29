"""Measure what the ``workflow`` check costs: importing PyYAML, parsing, running the check.

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
    import yaml

    from release_assistant.core.checks import workflow as workflow_check
    from release_assistant.core.context import RepoContext
    from release_assistant.core.workflows import yaml_loader
    from release_assistant.core.workflows.template import plan_init

    print(f"import yaml: {import_ms('yaml'):.1f} ms (median, cumulative)")
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

        def parse_with(base: type) -> float:
            class Loader(base):  # type: ignore[misc, valid-type]
                def __init__(self, stream: str) -> None:
                    super().__init__(stream)
                    self.duplicate_keys: list[object] = []

            Loader.add_constructor("tag:yaml.org,2002:map", yaml_loader._construct_map)
            Loader.add_constructor("tag:yaml.org,2002:seq", yaml_loader._construct_seq)
            Loader.add_constructor("tag:yaml.org,2002:bool", yaml_loader._construct_bool)

            def parse() -> None:
                loader = Loader(text)
                loader.get_single_data()
                loader.dispose()

            return per_call_ms(parse, 200)

        print(f"parse generated workflow ({len(text)} chars):")
        if hasattr(yaml, "CSafeLoader"):
            print(f"  CSafeLoader (used): {parse_with(yaml.CSafeLoader):.3f} ms")
        print(f"  SafeLoader:         {parse_with(yaml.SafeLoader):.3f} ms")
        ctx = RepoContext.load(root)
        result = workflow_check.run(ctx)
        assert result.status.value == "pass", result.findings
        print(f"workflow check, warm: {per_call_ms(lambda: workflow_check.run(ctx), 100):.2f} ms")


if __name__ == "__main__":
    main()
