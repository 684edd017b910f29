"""How long the first install of release-assistant takes, and what it pulls in.

The README's quick start and hook section quote these figures ("first install ~N s with
uv, ~M s with pip; pulls in K packages (~X MB)"). Each installer starts from nothing: an
empty cache directory of its own and a fresh virtual environment, so every distribution is
downloaded (or, for the project itself, built) as on a maintainer's first try. Measured:

- **uv**: ``uv pip install <wheel>`` into a fresh ``uv venv`` (``UV_CACHE_DIR`` empty);
- **uvx**: ``uvx --from <wheel> release-assistant --help``, the one-line run (empty
  ``UV_CACHE_DIR``), as ``uvx release-assistant`` runs a release's wheel from the index;
- **pip**: ``pip install <wheel>`` into a fresh ``python -m venv``, as ``pip install
  release-assistant`` installs a release's wheel;
- **pip-source**: ``pip install <project>``, which first builds the wheel in an isolated
  environment (its build backend downloaded too).

The wheel is built once beforehand (not measured), so every installer gets the same file.
For each: the wall time of the install command alone (not the venv's creation), the number
of distributions it installed (release-assistant included; pip and setuptools of the venv
itself not) and their installed size; for pip also the MB it downloaded (the sizes it prints
for each file; uv prints none). Local pip configuration
(``find-links``, extra indexes) is switched off, so the figures are those of the public
index. It needs the network; the tests do not run it.

    python benchmarks/install.py [--project DIR] [--runs 1] [--only uv,uvx,pip,pip-source]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALLERS = ("uv", "uvx", "pip", "pip-source")
#: What a fresh venv holds before anything is installed: not counted as pulled in.
VENV_SEED = frozenset({"pip", "setuptools", "wheel"})


@dataclass(frozen=True, slots=True)
class Measurement:
    """One first install: seconds, distributions, installed MB, downloaded MB."""

    installer: str
    seconds: float
    distributions: tuple[str, ...]
    installed_mb: float
    #: What pip says it downloads (compressed files); uv does not say.
    downloaded_mb: float | None


def _uv() -> str:
    beside = Path(sys.executable).parent / "uv"
    found = str(beside) if beside.is_file() else shutil.which("uv")
    if found is None:
        raise SystemExit("uv is not installed (pip install uv)")
    return found


def _size_mb(path: Path) -> float:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            file = Path(dirpath) / name
            if not file.is_symlink():
                total += file.stat().st_size
    return total / 1_000_000


def _clean_environment(work: Path) -> dict[str, str]:
    """This environment without local index configuration, caches in ``work``."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PIP_", "UV_", "VIRTUAL_ENV", "PYTHONPATH"))
    }
    environ["PIP_CONFIG_FILE"] = os.devnull
    environ["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    if "PIP_CERT" in os.environ:  # a proxy's certificate is transport, not configuration
        environ["PIP_CERT"] = os.environ["PIP_CERT"]
        environ.setdefault("SSL_CERT_FILE", os.environ["PIP_CERT"])
    environ["UV_CACHE_DIR"] = str(work / "uv-cache")
    environ["PIP_CACHE_DIR"] = str(work / "pip-cache")
    environ["UV_TOOL_DIR"] = str(work / "uv-tools")
    environ["UV_PYTHON_DOWNLOADS"] = "never"
    return environ


def _run(argv: Sequence[str], environ: dict[str, str], cwd: Path) -> tuple[float, str]:
    started = time.perf_counter()
    completed = subprocess.run(
        list(argv), env=environ, cwd=cwd, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{completed.stdout}{completed.stderr}")
    return elapsed, completed.stdout


#: pip's line per file it fetches: ``Downloading textual-6.2.1-py3-none-any.whl (715 kB)``.
_DOWNLOADING = re.compile(r"Downloading \S+ \(([\d.]+) (kB|MB|GB)\)")
_UNIT_MB = {"kB": 0.001, "MB": 1.0, "GB": 1000.0}


def _downloaded_mb(pip_output: str) -> float:
    """The sizes pip reports for the files it downloads, in MB (not the build backend's,
    which the isolated build fetches without a word)."""
    return sum(float(size) * _UNIT_MB[unit] for size, unit in _DOWNLOADING.findall(pip_output))


def _site_packages(venv: Path) -> Path:
    (found,) = venv.glob("lib/python*/site-packages")
    return found


def _distributions(site: Path) -> tuple[str, ...]:
    names = []
    for info in site.glob("*.dist-info"):
        name = info.name[: -len(".dist-info")].rsplit("-", 1)[0].replace("_", "-").lower()
        if name not in VENV_SEED:
            names.append(name)
    return tuple(sorted(names))


def build_wheel(project: Path, out: Path) -> Path:
    """The project's wheel, built once with uv (the build is not what is measured)."""
    subprocess.run(
        [_uv(), "build", "--wheel", "--out-dir", str(out), str(project)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("*.whl")
    return wheel


def _largest_environment(directory: Path) -> Path:
    """The site-packages with the most distributions under ``directory`` (uvx's ephemeral
    environment lives in its cache, beside the build environments)."""
    sites = list(directory.glob("**/lib/python*/site-packages"))
    if not sites:
        raise SystemExit(f"no environment under {directory}")
    return max(sites, key=lambda site: len(_distributions(site)))


def measure(installer: str, project: Path, wheel: Path) -> Measurement:
    """One first install with ``installer`` from an empty cache into a fresh venv."""
    with tempfile.TemporaryDirectory(prefix=f"ra-install-{installer}-") as tmp:
        work = Path(tmp)
        environ = _clean_environment(work)
        venv = work / "venv"
        downloaded: float | None = None
        if installer == "uv":
            venv_argv = [_uv(), "venv", "-q", "--python", sys.executable, str(venv)]
            subprocess.run(venv_argv, env=environ, check=True)
            python = str(venv / "bin" / "python")
            argv = [_uv(), "pip", "install", "--python", python, str(wheel)]
            seconds, _ = _run(argv, environ, work)
            site = _site_packages(venv)
        elif installer == "uvx":
            argv = [_uv(), "tool", "run", "--python", sys.executable, "--from", str(wheel)]
            seconds, _ = _run([*argv, "release-assistant", "--help"], environ, work)
            site = _largest_environment(work / "uv-cache")
        else:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], env=environ, check=True)
            python = str(venv / "bin" / "python")
            target = wheel if installer == "pip" else project
            argv = [python, "-m", "pip", "install", "--progress-bar", "off", str(target)]
            seconds, output = _run(argv, environ, work)
            site = _site_packages(venv)
            downloaded = _downloaded_mb(output)
        seed = sum(_size_mb(p) for p in site.iterdir() if p.name.split("-")[0] in VENV_SEED)
        return Measurement(
            installer, seconds, _distributions(site), _size_mb(site) - seed, downloaded
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each installer ``--runs`` times; print the median and what was pulled in."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", default=",".join(INSTALLERS))
    args = parser.parse_args(argv)
    chosen = [name for name in args.only.split(",") if name]
    unknown = set(chosen) - set(INSTALLERS)
    if unknown:
        parser.error(f"--only: unknown installer(s) {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="ra-wheel-") as out:
        wheel = build_wheel(args.project, Path(out))
        print(f"{wheel.name}, Python {sys.version.split()[0]}, {args.runs} run(s) each")
        for installer in chosen:
            runs = [measure(installer, args.project, wheel) for _ in range(args.runs)]
            last = runs[-1]
            seconds = statistics.median(run.seconds for run in runs)
            downloaded = (
                f", {last.downloaded_mb:.0f} MB downloaded"
                if last.downloaded_mb is not None
                else ""
            )
            spread = (
                f" (min {min(r.seconds for r in runs):.1f}, max {max(r.seconds for r in runs):.1f})"
                if len(runs) > 1
                else ""
            )
            print(
                f"{installer:4} first install {seconds:5.1f} s{spread}; {len(last.distributions)} "
                f"distributions, {last.installed_mb:.0f} MB installed{downloaded}"
            )
            print("     " + ", ".join(last.distributions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
