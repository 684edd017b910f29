"""The lock hook against ``uv lock --check --offline``, from a real lock to a 20,000-package one.

Issue 26's moonshot: the ``check-lock-file`` hook at most 1.5x ``uv lock --check --offline
--python <this interpreter>`` on a real ~680 KB lock, and faster than uv on a 20,000-package
lock. This script prints the curve (lock size -> median wall time, ours and uv's) and exits 1
when either target is missed (``--no-alarm`` to only print).

The locks:

- **real**: ``benchmarks/fixtures/uv-large``, the lock uv 0.13.9 wrote for 30 popular
  dependencies (420 packages, ~690 KB; index and file URLs rewritten to ``example.invalid``,
  which uv accepts offline);
- **synthetic**: ``N`` registry packages in uv's own format, written here: a root project
  depending on the first 20, each package depending on the next four (a tree, so every
  package is reachable), one sdist and three wheels each (about the size of a real entry).
  ``uv lock --offline`` rewrites such a lock byte for byte, so it is the lock uv itself would
  write for that (imaginary) index, and ``uv lock --check --offline`` accepts it. They are
  built once under ``benchmarks/.cache/lock_speed/`` (not committed).

Each lock sits in a git repository with the files committed (the hook asks git whether the
lock is tracked); both sides run as fresh processes, interleaved, byte-code caching on. uv
gets its best conditions: ``--offline``, a warm cache, ``--python`` naming this interpreter.

A second table shows what the slicing of :mod:`release_assistant.core.lockfiles.uv.scan`
buys in-process: the scan that TOML-parses only the header and the source-tree blocks,
against ``tomllib`` parsing the whole lock (what a straightforward implementation does).

    python benchmarks/lock_speed.py [--runs 9] [--sizes real,1000,5000,20000] [--no-alarm]
        [--before DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "uv-large"
CACHE = HERE / ".cache" / "lock_speed"
REAL_TARGET = 1.5  # ours / uv on the real lock, at most
LARGE_SIZE = 20_000  # on this many packages ours must beat uv
#: Byte-code caching on, as in an installed package; no debugging switches.
ENV = {
    key: value
    for key, value in os.environ.items()
    if key not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME", "PYTHONDEVMODE")
}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}
INDEX = "https://example.invalid/simple"
FILES = "https://example.invalid/packages"
WHEEL_TAGS = (
    "py3-none-any",
    "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64",
    "cp312-cp312-win_amd64",
)


def synthetic_project(root: Path, size: int, fanout: int = 4, direct: int = 20) -> None:
    """Write ``pyproject.toml`` and the ``uv.lock`` uv writes for it with ``size`` packages."""
    names = [f"pkg-{index:05d}" for index in range(size)]
    roots = names[: min(direct, size)]
    listed = "".join(f'  "{name}",\n' for name in roots)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "synth-app"\nversion = "1.0.0"\nrequires-python = ">=3.10"\n'
        f"dependencies = [\n{listed}]\n\n"
        f'[[tool.uv.index]]\nname = "mirror"\nurl = "{INDEX}"\ndefault = true\n',
        encoding="utf-8",
    )
    parts = ['version = 1\nrevision = 3\nrequires-python = ">=3.10"\n']
    for index, name in enumerate(names):
        digest = hashlib.sha256(name.encode()).hexdigest()
        folder = f"{FILES}/{digest[:2]}/{digest[2:4]}/{digest[4:]}"
        children = names[fanout * index + 1 : fanout * index + fanout + 1]
        block = [
            f'\n[[package]]\nname = "{name}"\nversion = "1.0.0"\n'
            f'source = {{ registry = "{INDEX}" }}\n'
        ]
        if children:
            block.append(
                "dependencies = [\n"
                + "".join(f'    {{ name = "{child}" }},\n' for child in children)
                + "]\n"
            )
        stamp = 'upload-time = "2026-01-01T00:00:00.000Z"'
        block.append(
            f'sdist = {{ url = "{folder}/{name}-1.0.0.tar.gz", hash = "sha256:{digest}", '
            f"size = 12345, {stamp} }}\n"
        )
        wheel = name.replace("-", "_")
        block.append(
            "wheels = [\n"
            + "".join(
                f'    {{ url = "{folder}/{wheel}-1.0.0-{tag}.whl", hash = "sha256:{digest}", '
                f"size = 23456, {stamp} }},\n"
                for tag in WHEEL_TAGS
            )
            + "]\n"
        )
        parts.append("".join(block))
    requirements = "".join(f'    {{ name = "{name}" }},\n' for name in roots)
    parts.append(
        '\n[[package]]\nname = "synth-app"\nversion = "1.0.0"\nsource = { virtual = "." }\n'
        f"dependencies = [\n{requirements}]\n\n"
        f"[package.metadata]\nrequires-dist = [\n{requirements}]\n"
    )
    (root / "uv.lock").write_text("".join(parts), encoding="utf-8")


def prepared(label: str) -> Path:
    """The git repository holding the lock ``label`` (``real`` or a package count), cached."""
    root = CACHE / label
    if (root / ".git").is_dir() and (root / "uv.lock").is_file():
        return root
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    if label == "real":
        for name in ("pyproject.toml", "uv.lock"):
            shutil.copy2(FIXTURE / name, root / name)
    else:
        synthetic_project(root, int(label))
    env = {**ENV, **GIT_ENV}
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=env)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "lock"], cwd=root, check=True, env=env)
    return root


def _uv() -> str:
    found = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    if not Path(found).exists():
        raise SystemExit("uv is not installed (pip install -e '.[dev]')")
    return found


def commands(uv: str) -> dict[str, list[str]]:
    """What is timed: uv's check, our hook as pre-commit runs it, and a bare interpreter."""
    script = Path(sys.executable).with_name("ra-check-lock-file")
    hook = (
        [str(script)]
        if script.is_file()
        else [sys.executable, "-m", "release_assistant.hooks.check_lock_file"]
    )
    return {
        "uv": [uv, "lock", "--check", "--offline", "--quiet", "--python", sys.executable],
        "ours": hook,
        "python -c pass": [sys.executable, "-c", "pass"],
    }


def run_once(command: Sequence[str], cwd: Path, env: dict[str, str]) -> float:
    """Wall seconds of one run; exits when it fails (a lock uv or we do not accept)."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or (command[-1] != "pass" and done.stdout.strip()):
        raise SystemExit(
            f"`{' '.join(command)}` in {cwd} exited {done.returncode}:\n{done.stdout}{done.stderr}"
        )
    return elapsed


def time_size(root: Path, runs: int, uv: str, before: Path | None) -> dict[str, float]:
    """Medians (seconds) of each command on the lock in ``root``, interleaved.

    With ``before`` (a checkout of an earlier release_assistant), its hook is timed too,
    as ``before``, with that checkout first on ``PYTHONPATH``.
    """
    env = {**ENV, "UV_CACHE_DIR": str(CACHE / "uv-cache"), "UV_PYTHON_DOWNLOADS": "never"}
    timed = {name: (command, env) for name, command in commands(uv).items()}
    if before is not None:
        earlier = {**env, "PYTHONPATH": os.pathsep.join([str(before), env.get("PYTHONPATH", "")])}
        timed["before"] = (timed["ours"][0], earlier)
    for command, command_env in timed.values():  # warm-up: byte-code, page cache, uv's cache
        run_once(command, root, command_env)
    samples: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(runs):
        for name, (command, command_env) in timed.items():
            samples[name].append(run_once(command, root, command_env))
    return {name: statistics.median(values) for name, values in samples.items()}


def slicing_gain(root: Path, repeat: int = 3) -> tuple[float, float]:
    """In-process seconds (best of ``repeat``): our scan of the lock, and ``tomllib`` on it."""
    import importlib

    from release_assistant.core.support.toml_lines import tomllib

    scan = importlib.import_module("release_assistant.core.lockfiles.uv.scan").scan
    text = (root / "uv.lock").read_text(encoding="utf-8")

    def best(function: Callable[[], object]) -> float:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
        return min(times)

    return best(lambda: scan(text)), best(lambda: tomllib.loads(text))


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or reuse) the locks, time both sides on each, print the curve and the verdicts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each (default 9)")
    parser.add_argument(
        "--sizes",
        default=f"real,1000,5000,{LARGE_SIZE}",
        help="comma-separated: `real` and package counts (default real,1000,5000,20000)",
    )
    parser.add_argument("--no-alarm", action="store_true", help="print only, exit 0")
    parser.add_argument(
        "--before",
        type=Path,
        metavar="DIR",
        help="also time the hook of the release_assistant in DIR (e.g. `git worktree add` of "
        "an earlier commit), interleaved, as the `before` column",
    )
    args = parser.parse_args(argv)
    uv = _uv()
    version = subprocess.run([uv, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{version}; Python {sys.version.split()[0]}; medians of {args.runs} interleaved runs")
    header = f"{'lock':>8} {'packages':>8} {'size':>9} {'uv':>9} {'ours':>9} {'ours/uv':>8}"
    if args.before is not None:
        header += f" {'before':>9} {'before/uv':>9}"
    print(f"{header} {'python -c pass':>15}")
    missed: list[str] = []
    gains: list[tuple[str, int, float, float]] = []
    for label in [part.strip() for part in args.sizes.split(",") if part.strip()]:
        root = prepared(label)
        lock = root / "uv.lock"
        packages = lock.read_text(encoding="utf-8").count("\n[[package]]\n")
        size_kb = lock.stat().st_size / 1024
        medians = time_size(root, args.runs, uv, args.before)
        ratio = medians["ours"] / medians["uv"]
        size = f"{size_kb / 1024:.1f} MB" if size_kb >= 10_000 else f"{size_kb:.0f} KB"
        before = ""
        if "before" in medians:
            before = f" {medians['before'] * 1000:7.1f}ms {medians['before'] / medians['uv']:8.2f}x"
        print(
            f"{label:>8} {packages:>8} {size:>9} {medians['uv'] * 1000:7.1f}ms "
            f"{medians['ours'] * 1000:7.1f}ms {ratio:7.2f}x{before} "
            f"{medians['python -c pass'] * 1000:13.1f}ms",
            flush=True,
        )
        if label == "real" and ratio > REAL_TARGET:
            missed.append(f"real lock: {ratio:.2f}x uv (target <= {REAL_TARGET}x)")
        if label.isdigit() and int(label) >= LARGE_SIZE and ratio >= 1.0:
            missed.append(f"{label} packages: {ratio:.2f}x uv (target < 1x)")
        ours_scan, full_parse = slicing_gain(root)
        gains.append((label, packages, ours_scan, full_parse))
    print("\nwhat slicing buys, in-process (best of 3): scan vs tomllib.loads of the whole lock")
    for label, packages, ours_scan, full_parse in gains:
        print(
            f"{label:>8} {packages:>8}  scan {ours_scan * 1000:8.1f} ms  tomllib "
            f"{full_parse * 1000:8.1f} ms  ({full_parse / ours_scan:.1f}x)"
        )
    for line in missed:
        print(f"ALARM: {line}")
    return 1 if missed and not args.no_alarm else 0


if __name__ == "__main__":
    raise SystemExit(main())
