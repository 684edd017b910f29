"""Shared fixtures: isolated git, and real repositories built in ``tmp_path``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO_ROOT = Path(__file__).resolve().parent.parent

# Before any release_assistant module is imported: every index URL the tool builds in this
# test session (and in the processes it starts) is on a reserved domain, so no snapshot or
# recorded output names a real registry (core/urls.py).
os.environ["RELEASE_ASSISTANT_INDEX_DOMAIN"] = "index.example.invalid"
# No test reaches a real API: a test that forgets its loopback server is refused at once.
os.environ["RELEASE_ASSISTANT_GITHUB_API_URL"] = "http://127.0.0.1:9"
os.environ["RELEASE_ASSISTANT_INDEX_API_URL"] = "http://127.0.0.1:9"
# Builds use this environment's backend: an isolated build would download it.
os.environ.setdefault("RELEASE_ASSISTANT_BUILD_NO_ISOLATION", "1")

# The properties are about results, not speed: a worker sharing the CPU with the others (and
# with whatever else runs) must not fail an example for taking long. Timing is measured where
# a test says so (tests/support.best_times) and in benchmarks/.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked ``long`` first, the others in their order: drawn last, a test of
    tens of seconds would keep one xdist worker busy after the other had finished."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_COMMITTER_NAME": "Test Committer",
    "GIT_COMMITTER_EMAIL": "committer@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00",
}


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own HOME and git identity; no global git config leaks in."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    for key, value in GIT_IDENTITY.items():
        monkeypatch.setenv(key, value)
    for key in ("GH_TOKEN", "GITHUB_TOKEN", "NO_COLOR", "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(key, raising=False)
    # zizmor (a dev dependency) would add its audits to every workflow fixture; the tests of
    # the folding (tests/test_zizmor_audit.py) turn it back on.
    monkeypatch.setenv("RELEASE_ASSISTANT_ZIZMOR", "off")


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` and return its stdout; fail the test on a non-zero exit."""
    completed = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {completed.stderr}")
    return completed.stdout


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Write ``files`` (relative path -> text, dedented, or raw bytes) under ``root``."""
    for relpath, content in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")


RepoFactory = Callable[..., Path]


@pytest.fixture
def make_repo(tmp_path: Path) -> Iterator[RepoFactory]:
    """Build a real git repository with ``files`` committed on ``main``."""
    counter = 0

    def factory(files: dict[str, str | bytes], *, commit: bool = True, name: str = "") -> Path:
        nonlocal counter
        counter += 1
        root = tmp_path / (name or f"repo{counter}")
        root.mkdir()
        git(root, "init", "-q", "-b", "main")
        write_files(root, files)
        if commit:
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", "initial")
        return root

    yield factory


def minimal_pyproject(name: str, version: str) -> str:
    """A hatchling project with a static version and no dependencies."""
    return f"""\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "{name}"
version = "{version}"
requires-python = ">=3.10"
dependencies = []
"""


SEED_PYPROJECT = "\n" + minimal_pyproject("seed-package", "0.1.1")

SEED_CHANGELOG = """
# Changelog

## [Unreleased]

## [0.1.1] - 2026-03-20

### Fixed

- The parity gate now reads the upstream lock.

## [0.1.0] - 2026-03-01

### Added

- First release.
"""


@pytest.fixture
def seed_files() -> dict[str, str | bytes]:
    """The seed project's release files: version 0.1.1, dated changelog section."""
    return {"pyproject.toml": SEED_PYPROJECT, "CHANGELOG.md": SEED_CHANGELOG}


def run_isolated(code: str, cwd: Path) -> tuple[dict[str, object], str]:
    """Run ``code`` (dedented) in a fresh interpreter that prints one JSON object last.

    Returns that object and whatever was printed before it. The environment keeps no
    ``PYTHON*`` variable of this run (byte-code caching and start-up as a user has them);
    fails the test on anything written to stderr.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stderr == "", done.stderr
    *output, last = done.stdout.splitlines()
    result: dict[str, object] = json.loads(last)
    return result, "\n".join(output)


#: The publish step of the generated release workflow, and that step given an API token.
PUBLISH_STEP = "uses: pypa/gh-action-pypi-publish@release/v1"
PUBLISH_STEP_WITH_TOKEN = (
    f"{PUBLISH_STEP}\n        with:\n          password: ${{{{ secrets.PYPI_API_TOKEN }}}}"
)


def edit_pypi_job(text: str, *replacements: tuple[str, str]) -> str:
    """A generated release workflow with ``replacements`` made in its ``publish-pypi`` job."""
    head, _, job = text.partition("  publish-pypi:")
    for old, new in replacements:
        job = job.replace(old, new)
    return f"{head}  publish-pypi:{job}"
