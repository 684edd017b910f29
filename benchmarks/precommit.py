"""Our three default hooks in one ``pre-commit run --all-files``, against check-yaml + check-toml.

The hooks run on every commit, so the honest comparison is with the hooks nearly every
repository already runs: pre-commit-hooks' ``check-yaml`` and ``check-toml``, which only parse
files. This script builds the typical repository of ``benchmarks/hooks.py`` (pyproject.toml, a
200-section changelog, the release workflow ``workflow init`` writes, a real ``uv.lock``),
commits it, and times ``pre-commit run --all-files`` with two configurations, interleaved:

- **ours**: ``check-changelog-version``, ``check-lock-file`` and ``check-release-workflow``;
- **baseline**: pre-commit-hooks' ``check-yaml`` and ``check-toml``.

Both use ``repo: local`` hooks with ``language: system`` that call the console scripts
installed beside this interpreter, so pre-commit installs no environment for either and the
two differ only in what the hooks do. Figures only: the limit (issue 26: ours <= 1.5x the
baseline) is a regression alarm in ``benchmarks/alarms.py``, which replaces this script's old
budget (1.25x). Exit code 1 only when a hook fails.

Two more configurations time floors: **floor** runs three hooks that only start this
interpreter and import ``tomllib``, ``pathlib`` and ``dataclasses`` (what every one of our hooks
needs before it reads a file: the configuration is TOML, the models are standard dataclasses);
its ratio is the least any three hooks built that way can score, so the limit minus the floor
is what is left for the checks themselves. **floor-nodc** imports ``tomllib`` and ``pathlib``
only: the difference is what importing ``dataclasses`` (and ``inspect`` with it) costs.

    python benchmarks/precommit.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hooks import _spread, build_repository, environment, measure

#: The limit of the ``three hooks`` alarm in ``benchmarks/alarms.py``, for the floor's margin.
LIMIT = 1.5
OURS = ("check-changelog-version", "check-lock-file", "check-release-workflow")
BASELINE = ("check-yaml", "check-toml")
FLOOR = ("floor-changelog", "floor-lock", "floor-workflow")
#: What every hook imports before reading a file, with and without standard dataclasses.
FLOORS = {"floor": "import dataclasses, pathlib, tomllib", "floor-nodc": "import pathlib, tomllib"}


def _script(name: str) -> str:
    path = Path(sys.executable).parent / name
    if not path.is_file():
        raise SystemExit(
            f"{name} is not installed beside {sys.executable} (pip install -e '.[dev]')"
        )
    return str(path)


def config(hooks: dict[str, str]) -> str:
    """A ``.pre-commit-config.yaml`` with ``hooks`` (id -> entry) as local system hooks."""
    lines = ["repos:", "  - repo: local", "    hooks:"]
    for hook_id, entry in hooks.items():
        lines += [
            f"      - id: {hook_id}",
            f"        name: {hook_id}",
            f"        entry: {entry}",
            "        language: system",
        ]
        if hook_id.startswith("check-") and hook_id in BASELINE:
            kind = hook_id.removeprefix("check-")
            lines.append(f"        types: [{kind}]")
        else:
            lines.append("        pass_filenames: false")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Build the repository, time both configurations, print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each (default 15)")
    args = parser.parse_args(argv)
    pre_commit = _script("pre-commit")
    ours = {hook_id: _script(f"ra-{hook_id}") for hook_id in OURS}
    baseline = {hook_id: _script(hook_id) for hook_id in BASELINE}
    floors = {
        name: {hook_id: f"{sys.executable} -c '{imports}'" for hook_id in FLOOR}
        for name, imports in FLOORS.items()
    }
    with tempfile.TemporaryDirectory(prefix="ra-precommit-bench-") as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        problem = build_repository(root, 200)
        if problem:
            raise SystemExit(problem)
        (root / "ours.yaml").write_text(config(ours), encoding="utf-8")
        (root / "baseline.yaml").write_text(config(baseline), encoding="utf-8")
        for name, hooks in floors.items():
            (root / f"{name}.yaml").write_text(config(hooks), encoding="utf-8")
        env = {**environment(), "PRE_COMMIT_HOME": str(Path(tmp) / "pre-commit-home")}
        for key, value in {
            "GIT_AUTHOR_NAME": "Bench",
            "GIT_AUTHOR_EMAIL": "bench@example.invalid",
            "GIT_COMMITTER_NAME": "Bench",
            "GIT_COMMITTER_EMAIL": "bench@example.invalid",
        }.items():
            env.setdefault(key, value)
        subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
        subprocess.run(["git", "commit", "-qm", "bench"], cwd=root, check=True, env=env)
        commands = {
            name: [pre_commit, "run", "--all-files", "--config", f"{name}.yaml"]
            for name in ("ours", "baseline", *FLOORS)
        }
        timings = measure(commands, root, args.runs, env)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    ratio = medians["ours"] / medians["baseline"]
    print(f"pre-commit run --all-files, {args.runs} runs each, interleaved; medians (p10-p90):")
    for name, hooks in (
        ("ours", OURS),
        ("baseline", BASELINE),
        *((name, (f"3 x python -c '{imports}'",)) for name, imports in FLOORS.items()),
    ):
        low, high = _spread(timings[name])
        print(f"  {name:9s} {medians[name]:7.1f} ms ({low:.0f}-{high:.0f})  {', '.join(hooks)}")
    floor_ratio = medians["floor"] / medians["baseline"]
    nodc_ratio = medians["floor-nodc"] / medians["baseline"]
    print(f"ratio ours/baseline: {ratio:.2f} (alarm above {LIMIT}x: benchmarks/alarms.py)")
    print(
        f"ratio floor/baseline: {floor_ratio:.2f}: the checks themselves may add "
        f"{(LIMIT - floor_ratio) * medians['baseline']:.0f} ms to three hooks within the limit"
    )
    print(
        f"ratio floor-nodc/baseline: {nodc_ratio:.2f}: importing dataclasses costs three hooks "
        f"{medians['floor'] - medians['floor-nodc']:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
