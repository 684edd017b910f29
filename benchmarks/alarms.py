"""Regression alarms (issue 26): our speed against baselines timed in the same run.

Replaces the old absolute budgets of ``hooks.py``, ``precommit.py`` and ``lock.py``. Every
figure is a median of fresh processes, interleaved with its baseline, so a busy machine slows
both sides alike. Exit code 1 when an alarm goes off, 0 otherwise; not run by the tests.

======================  ===============================================  =========
alarm                   measured against                                 limit
======================  ===============================================  =========
three hooks             ``pre-commit run`` of check-yaml + check-toml    <= 1.5x
each hook               ``python -c pass``                               <= 6x
TUI first paint         launch to the step list painted (absolute)       <= 0.5 s
``check`` on this repo  ``release-assistant check``, zizmor off          <= 0.25 s
======================  ===============================================  =========

- **three hooks**: ``check-changelog-version``, ``check-lock-file`` and
  ``check-release-workflow`` in one ``pre-commit run --all-files`` on the typical repository
  of ``benchmarks/hooks.py`` (200-section changelog, generated workflow, a real ``uv.lock``),
  against pre-commit-hooks' ``check-yaml`` and ``check-toml`` in one run on the same
  repository; both as ``language: system`` hooks calling the console scripts beside this
  interpreter (see ``benchmarks/precommit.py``).
- **each hook**: every hook's console script on that repository, as pre-commit starts it.
- **TUI first paint**: a fresh interpreter runs the walkthrough headless on that repository
  and prints the time from its launch to the first refresh after ``on_mount`` (the step
  list on screen). Absolute; ``python -c "import textual"`` is shown beside it.
- **check on this repository**: ``release-assistant check`` in the repository holding this
  script, with ``RELEASE_ASSISTANT_ZIZMOR=off`` (zizmor's own start-up is not ours).
  Absolute; ``python -c pass`` is shown beside it.

    python benchmarks/alarms.py [--runs 11] [--only hooks,precommit,tui,check]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from hooks import HOOKS, build_repository, environment, hook_command, measure  # noqa: E402
from precommit import BASELINE, OURS, config  # noqa: E402

PRECOMMIT_LIMIT = 1.5
HOOK_LIMIT = 6.0
FIRST_PAINT_LIMIT_S = 0.5
CHECK_LIMIT_S = 0.25
BARE = "python -c pass"
PARTS = ("precommit", "hooks", "tui", "check")
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}

#: The walkthrough, headless, printing the monotonic time of its first paint, then leaving.
TUI_CHILD = """
import sys, time
from pathlib import Path
import release_assistant.tui.app as app_module
from release_assistant.tui.app import ReleaseAssistantApp

class FirstPaint(ReleaseAssistantApp):
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        print("PAINT", time.monotonic(), flush=True)
        self.exit(0)

FirstPaint(Path(sys.argv[1]), offer_setup=False).run(headless=True, size=(120, 40))
"""


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table: a figure, what it is compared with, and its limit."""

    name: str
    value_ms: float
    baseline_name: str
    baseline_ms: float
    limit: float
    absolute: bool  # the limit is in seconds, not a ratio

    @property
    def ratio(self) -> float:
        return self.value_ms / self.baseline_ms

    @property
    def over(self) -> bool:
        measured = self.value_ms / 1000 if self.absolute else self.ratio
        return measured > self.limit

    def line(self) -> str:
        limit = f"<= {self.limit:g} s" if self.absolute else f"<= {self.limit:g}x"
        verdict = "ALARM" if self.over else "ok"
        return (
            f"{self.name:<34} {self.value_ms:8.1f} ms  {self.baseline_name:<26} "
            f"{self.baseline_ms:8.1f} ms {self.ratio:6.2f}x  {limit:<9} {verdict}"
        )


def _median(values: list[float]) -> float:
    return statistics.median(values)


def precommit_rows(root: Path, runs: int, env: dict[str, str]) -> list[Row]:
    """Our three hooks against check-yaml + check-toml, each set in one ``pre-commit run``."""
    scripts = Path(sys.executable).parent
    ours = {hook_id: str(scripts / f"ra-{hook_id}") for hook_id in OURS}
    baseline = {hook_id: str(scripts / hook_id) for hook_id in BASELINE}
    missing = [path for path in [*ours.values(), *baseline.values()] if not Path(path).is_file()]
    if missing or not (scripts / "pre-commit").is_file():
        raise SystemExit(f"not installed beside {sys.executable}: {missing or ['pre-commit']}")
    (root / "ours.yaml").write_text(config(ours), encoding="utf-8")
    (root / "baseline.yaml").write_text(config(baseline), encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "bench"], cwd=root, check=True, env=env)
    run = [str(scripts / "pre-commit"), "run", "--all-files", "--config"]
    timings = measure(
        {"ours": [*run, "ours.yaml"], "baseline": [*run, "baseline.yaml"]}, root, runs, env
    )
    return [
        Row(
            "3 hooks, one pre-commit run",
            _median(timings["ours"]),
            "check-yaml + check-toml",
            _median(timings["baseline"]),
            PRECOMMIT_LIMIT,
            absolute=False,
        )
    ]


def hook_rows(root: Path, runs: int, env: dict[str, str]) -> list[Row]:
    """Every hook's console script against a bare interpreter start-up."""
    commands = {BARE: [sys.executable, "-c", "pass"]}
    commands.update({hook_id: hook_command(hook_id) for hook_id in HOOKS})
    timings = measure(commands, root, runs, env)
    bare = _median(timings[BARE])
    return [
        Row(hook_id, _median(timings[hook_id]), BARE, bare, HOOK_LIMIT, absolute=False)
        for hook_id in HOOKS
    ]


def _first_paint_ms(repo: Path, env: dict[str, str]) -> float:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", TUI_CHILD, str(repo)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    for line in done.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name == "PAINT":
            return (float(value) - started) * 1000
    raise SystemExit(f"the walkthrough did not paint (exit {done.returncode}):\n{done.stderr}")


def _wall_ms(command: Sequence[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    return (time.perf_counter() - started) * 1000


def tui_rows(root: Path, runs: int, env: dict[str, str]) -> list[Row]:
    """Launch to first paint of the walkthrough (absolute), beside ``import textual``."""
    baseline_command = [sys.executable, "-c", "import textual"]
    _first_paint_ms(root, env)  # warm-up: byte-code and CSS caches
    _wall_ms(baseline_command, root, env)
    paints, baselines = [], []
    for _ in range(runs):
        paints.append(_first_paint_ms(root, env))
        baselines.append(_wall_ms(baseline_command, root, env))
    return [
        Row(
            "TUI first paint",
            _median(paints),
            "python -c 'import textual'",
            _median(baselines),
            FIRST_PAINT_LIMIT_S,
            absolute=True,
        )
    ]


def check_rows(runs: int, env: dict[str, str]) -> list[Row]:
    """``release-assistant check`` on this repository with zizmor off (absolute).

    Its verdict does not matter here (exit 0 or 1); a usage error (2) stops the run.
    """
    script = Path(sys.executable).with_name("release-assistant")
    base = [str(script)] if script.is_file() else [sys.executable, "-m", "release_assistant"]
    with tempfile.TemporaryDirectory(prefix="ra-alarm-report-") as reports:
        command = [*base, "check", "--report-dir", reports]
        check_env = {**env, "RELEASE_ASSISTANT_ZIZMOR": "off"}
        bare_command = [sys.executable, "-c", "pass"]
        done = subprocess.run(command, cwd=ROOT, env=check_env, capture_output=True, text=True)
        if done.returncode not in (0, 1):
            raise SystemExit(f"`release-assistant check` exited {done.returncode}:\n{done.stderr}")
        checks, bares = [], []
        for _ in range(runs):
            checks.append(_wall_ms(command, ROOT, check_env))
            bares.append(_wall_ms(bare_command, ROOT, env))
    return [
        Row(
            "check on this repository",
            _median(checks),
            BARE,
            _median(bares),
            CHECK_LIMIT_S,
            absolute=True,
        )
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every alarm, print the table, exit 1 when one goes off."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="timed runs of each (default 11)")
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"comma-separated subset of {','.join(PARTS)} (default: all)",
    )
    args = parser.parse_args(argv)
    chosen = {part.strip() for part in args.only.split(",") if part.strip()}
    unknown = chosen - set(PARTS)
    if unknown:
        parser.error(f"unknown alarm(s): {', '.join(sorted(unknown))}")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="ra-alarms-") as tmp:
        root = Path(tmp) / "typical"
        root.mkdir()
        problem = build_repository(root, 200)
        if problem:
            raise SystemExit(f"cannot build the typical repository: {problem}")
        env = {**environment(), **GIT_IDENTITY, "PRE_COMMIT_HOME": str(Path(tmp) / "pc-home")}
        if "precommit" in chosen:
            rows += precommit_rows(root, args.runs, env)
        if "hooks" in chosen:
            rows += hook_rows(root, args.runs, env)
        if "tui" in chosen:
            rows += tui_rows(root, max(3, args.runs // 2), env)
        if "check" in chosen:
            rows += check_rows(args.runs, env)
    print(f"medians of fresh processes, Python {sys.version.split()[0]}, interleaved:")
    print(
        f"{'measured':<34} {'median':>11}  {'baseline (same run)':<26} {'median':>11} "
        f"{'ratio':>7}  {'limit':<9} verdict"
    )
    for row in rows:
        print(row.line())
    alarms = [row.name for row in rows if row.over]
    if alarms:
        print(f"ALARM: {', '.join(alarms)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
