"""The hooks under real pre-commit: a user's ``.pre-commit-config.yaml``, and ``try-repo``.

Most tests run ``pre-commit run`` over a ``repo: local`` config built from
``.pre-commit-hooks.yaml``: every hook's id, name, ``entry``, ``files`` and the rest as the
manifest publishes them, with ``language: system`` and the entry resolved to the console
script already installed beside this interpreter (importing this checkout). pre-commit has
no environment to build for those, so they cost what the hooks cost.

One smoke test (``try-repo``) proves the published manifest installs: pre-commit copies this
checkout's files (tracked and untracked, minus ignored ones, as they are on disk) from a
one-commit snapshot repository, builds a virtualenv, pip-installs the package with its
dependencies from the package index and runs every hook. That build is the slow part, which
is why it happens once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from release_assistant.core.engine import known_check_ids
from release_assistant.core.support.toml_lines import load_toml
from release_assistant.core.workflows.template import plan_init
from tests.conftest import GIT_IDENTITY, REPO_ROOT, git, minimal_pyproject, write_files
from tests.parity_fixtures import generated_set
from tests.support import build_once, run_shared_dir

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
MANIFEST = REPO_ROOT / ".pre-commit-hooks.yaml"
RunPreCommit = Callable[..., "subprocess.CompletedProcess[str]"]
RELEASE = ".github/workflows/release.yml"

needs_lock_check = pytest.mark.skipif(
    "lock" not in known_check_ids(), reason="the lock check (issue 3) has not landed yet"
)


def manifest_hooks() -> list[dict[str, Any]]:
    """The hooks ``.pre-commit-hooks.yaml`` publishes, as written there."""
    hooks: list[dict[str, Any]] = YAML(typ="safe", pure=True).load(
        MANIFEST.read_text(encoding="utf-8")
    )
    return hooks


def installed_entry(entry: str) -> str:
    """The console script ``entry`` names, installed beside this interpreter (or on PATH)."""
    beside = Path(sys.executable).parent / entry
    found = str(beside) if beside.exists() else shutil.which(entry)
    assert found, f"the manifest's entry {entry!r} is not installed: pip install -e '.[dev]'"
    return found


def local_config(
    hook_ids: list[str] | None = None, overrides: dict[str, dict[str, Any]] | None = None
) -> str:
    """A ``repo: local`` config running ``hook_ids`` (all by default) as the manifest has them.

    Each hook keeps every key of its manifest entry; only ``language`` (``system``: nothing
    to build) and ``entry`` (the installed script of that name) change. ``overrides`` maps a
    hook id to the keys a user's config sets for it (``files``, say). JSON is YAML.
    """
    published = {hook["id"]: hook for hook in manifest_hooks()}
    hooks = []
    for hook_id in hook_ids or list(published):
        hook = {**published[hook_id], **(overrides or {}).get(hook_id, {})}
        hook.update(language="system", entry=installed_entry(published[hook_id]["entry"]))
        hooks.append(hook)
    return json.dumps({"repos": [{"repo": "local", "hooks": hooks}]}, indent=2) + "\n"


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ``PRE_COMMIT_HOME`` for every worker of the run (pre-commit locks its store)."""
    home = run_shared_dir(tmp_path_factory) / "pre-commit-home"
    home.mkdir(exist_ok=True)
    return home


def snapshot_checkout(target: Path) -> None:
    """This checkout's files, as they are on disk, committed in a new repository at ``target``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for relpath in filter(None, listed.split("\0")):
        source = REPO_ROOT / relpath
        if source.is_file():
            destination = target / relpath
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    env = {**os.environ, **GIT_IDENTITY, "GIT_CONFIG_GLOBAL": os.devnull}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", *args], cwd=target, env=env, check=True)


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's files in a one-commit repository, built once for the run."""
    return build_once(tmp_path_factory, "release-assistant-snapshot", snapshot_checkout)


@pytest.fixture
def run_pre_commit(
    pre_commit_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[RunPreCommit]:
    """``run(cwd, *args)``: pre-commit with the run's ``PRE_COMMIT_HOME``.

    The ``system`` hooks' scripts import this checkout (``PYTHONPATH``), whichever checkout
    the environment's editable install points at.
    """
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    monkeypatch.setenv("PRE_COMMIT_COLOR", "never")
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)

    def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*PRE_COMMIT, *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            timeout=1200,  # try-repo builds the hook environment
        )

    yield run


def project(root: Path, files: dict[str, str | bytes]) -> Path:
    """A git repository with ``files`` staged (``--all-files`` sees staged files)."""
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_files(root, files)
    git(root, "add", "-A")
    return root


def stage_all(root: Path) -> None:
    git(root, "add", "-A")


PYPROJECT = minimal_pyproject("demo", "1.2.0")

CHANGELOG = """\
# Changelog

## [Unreleased]

## [1.2.0] - 2026-01-10

- Something.

## [1.1.0] - 2025-12-01

- Earlier.
"""


CHANGELOG_WITHOUT_UNRELEASED = CHANGELOG.replace("## [Unreleased]\n\n", "")


def output(done: subprocess.CompletedProcess[str]) -> str:
    return done.stdout + done.stderr


def uv_lock(root: Path) -> None:
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    if not os.path.exists(uv):
        pytest.skip("uv is not installed")
    subprocess.run([uv, "lock", "--offline", "--quiet"], cwd=root, check=True)


def good_project(root: Path) -> Path:
    """Version, changelog, generated release workflow and a fresh ``uv.lock`` all agree."""
    project(
        root,
        {"pyproject.toml": PYPROJECT, "CHANGELOG.md": CHANGELOG, "src/demo/__init__.py": ""},
    )
    plan = plan_init(root, RELEASE, load_toml(root / "pyproject.toml"))
    plan.path.parent.mkdir(parents=True)
    plan.path.write_text(plan.text, encoding="utf-8")
    uv_lock(root)
    stage_all(root)
    return root


def break_project(root: Path) -> dict[str, int]:
    """Each hook's breakage at once; returns the lines the findings must name."""
    # Version bumped, changelog left behind (and no Unreleased section to collect notes).
    (root / "CHANGELOG.md").write_text(CHANGELOG_WITHOUT_UNRELEASED, encoding="utf-8")
    # ... and a dependency added without re-locking.
    (root / "pyproject.toml").write_text(
        PYPROJECT.replace('version = "1.2.0"', 'version = "1.3.0"').replace(
            "dependencies = []", 'dependencies = ["attrs>=23"]'
        ),
        encoding="utf-8",
    )
    # A token instead of trusted publishing on the PyPI publish step.
    workflow = root / RELEASE
    text = workflow.read_text(encoding="utf-8")
    pypi_step = "        uses: pypa/gh-action-pypi-publish@release/v1\n"
    assert text.endswith(pypi_step)
    text += "        with:\n          password: ${{ secrets.PYPI_API_TOKEN }}\n"
    workflow.write_text(text, encoding="utf-8")
    stage_all(root)
    return {"password": len(text.splitlines())}


def with_local_config(root: Path, config: str) -> Path:
    """``root`` with ``config`` as its staged ``.pre-commit-config.yaml``."""
    (root / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    stage_all(root)
    return root


def test_local_config_is_the_manifest_with_installed_entries() -> None:
    """What the other tests run is what the manifest publishes, bar where the entry lives."""
    published = manifest_hooks()
    (repo,) = YAML(typ="safe", pure=True).load(local_config())["repos"]
    assert repo["repo"] == "local"
    assert [hook["id"] for hook in repo["hooks"]] == [hook["id"] for hook in published]
    for hook, manifest_hook in zip(repo["hooks"], published, strict=True):
        assert Path(hook["entry"]).name == manifest_hook["entry"]
        assert hook["language"] == "system"
        unchanged = {key for key in manifest_hook if key not in ("entry", "language")}
        assert {key: hook[key] for key in unchanged} == {
            key: manifest_hook[key] for key in unchanged
        }


@pytest.mark.long
def test_try_repo_smoke_the_published_manifest_installs_and_every_hook_passes(
    tmp_path: Path,
    hooks_repo: Path,
    run_pre_commit: RunPreCommit,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pre-commit builds the manifest's ``language: python`` environment from a snapshot of
    this checkout and runs every hook from it, not from this checkout."""
    monkeypatch.delenv("PYTHONPATH")
    root = good_project(tmp_path / "demo")
    done = run_pre_commit(root, "try-repo", str(hooks_repo), "--all-files")
    results = [line for line in done.stdout.splitlines() if line.endswith(("Passed", "Skipped"))]
    ran = ["changelog matches the version", "release workflow uses trusted publishing"]
    if "lock" in known_check_ids():
        ran.append("lock file in sync with pyproject.toml")
        assert done.returncode == 0, output(done)
    else:  # until the lock check lands, its hook says so in one line (exit code 2)
        assert done.returncode == 1, output(done)
        assert "check-lock-file: error: this release-assistant has no 'lock' check" in done.stdout
    for name in ran:
        assert any(line.startswith(name) and line.endswith("Passed") for line in results), name
    # Off by default: its `files` pattern matches nothing.
    assert any(
        line.startswith("release gates pass") and line.endswith("(no files to check)Skipped")
        for line in results
    ), output(done)


def test_check_changelog_version_catches_the_drift(
    tmp_path: Path, run_pre_commit: RunPreCommit
) -> None:
    root = with_local_config(good_project(tmp_path / "demo"), local_config())
    break_project(root)
    done = run_pre_commit(root, "run", "check-changelog-version", "--all-files")
    assert done.returncode == 1, output(done)
    assert "changelog matches the version" in done.stdout
    assert "Failed\n- hook id: check-changelog-version\n- exit code: 1" in done.stdout
    assert "CHANGELOG.md: RA308 no changelog section for version 1.3.0\n" in done.stdout
    assert "    fix: add '## [1.3.0] - " in done.stdout


def test_check_release_workflow_catches_a_token(
    tmp_path: Path, run_pre_commit: RunPreCommit
) -> None:
    root = with_local_config(good_project(tmp_path / "demo"), local_config())
    lines = break_project(root)
    done = run_pre_commit(root, "run", "check-release-workflow", "--all-files")
    assert done.returncode == 1, output(done)
    assert f"{RELEASE}:{lines['password']}: RA626 job 'publish-pypi' passes 'password:'" in (
        done.stdout
    )


@needs_lock_check
def test_check_lock_file_catches_a_stale_lock(tmp_path: Path, run_pre_commit: RunPreCommit) -> None:
    root = with_local_config(good_project(tmp_path / "demo"), local_config())
    break_project(root)
    done = run_pre_commit(root, "run", "check-lock-file", "--all-files")
    assert done.returncode == 1, output(done)
    failures = [line for line in done.stdout.splitlines() if " RA5" in line]
    assert failures, output(done)
    assert all(line.startswith(("uv.lock:", "pyproject.toml:")) for line in failures)
    assert any("attrs" in line for line in failures), failures


def test_check_parity_artifacts_runs_once_files_is_set(
    tmp_path: Path, run_pre_commit: RunPreCommit
) -> None:
    """Enabled as the README says, with a ``files`` override in the user's config."""
    root = project(tmp_path / "demo", {"CHANGELOG.md": CHANGELOG})
    artifacts = generated_set(root)
    (root / "pyproject.toml").write_text(PYPROJECT + artifacts.config_toml(), encoding="utf-8")
    files = {"files": "^(reports/parity/.*\\.json|pyproject\\.toml)$"}
    config = local_config(["check-parity-artifacts"], {"check-parity-artifacts": files})
    with_local_config(root, config)
    done = run_pre_commit(root, "run", "--all-files")
    assert done.returncode == 0, output(done)
    assert "release gates pass (parity artifacts)" in done.stdout

    artifacts.edit(artifacts.aggregate, lambda data: data.update(all_suites_pass=False))
    stage_all(root)
    done = run_pre_commit(root, "run", "--all-files")
    assert done.returncode == 1, output(done)
    relpath = artifacts.aggregate.relative_to(root).as_posix()
    assert any(
        line.startswith(f"{relpath}:") and " RA817 " in line for line in done.stdout.splitlines()
    ), output(done)


def test_user_config_then_a_commit_that_drifts_is_refused(
    tmp_path: Path, run_pre_commit: RunPreCommit
) -> None:
    """A ``.pre-commit-config.yaml`` with the hooks, ``pre-commit install``, then commits."""
    hook_ids = ["check-changelog-version", "check-release-workflow"]
    if "lock" in known_check_ids():
        hook_ids.append("check-lock-file")
    root = with_local_config(good_project(tmp_path / "demo"), local_config(hook_ids))
    done = run_pre_commit(root, "run", "--all-files")
    assert done.returncode == 0, output(done)
    assert done.stdout.count("Passed") == len(hook_ids), output(done)

    # At commit time: `pre-commit install`, then a commit that drifts is refused.
    assert run_pre_commit(root, "install").returncode == 0
    git(root, "commit", "-q", "-m", "initial")
    break_project(root)
    # The fix exists only in the working tree, unstaged: the commit would not contain it, and
    # the hook must not see it (pre-commit sets unstaged changes aside while hooks run).
    (root / "CHANGELOG.md").write_text(
        CHANGELOG.replace("## [1.2.0]", "## [1.3.0] - 2026-01-11\n\n- Next.\n\n## [1.2.0]"),
        encoding="utf-8",
    )
    committed = subprocess.run(
        ["git", "commit", "-m", "bump"], cwd=root, capture_output=True, text=True, check=False
    )
    assert committed.returncode != 0
    hook_output = committed.stdout + committed.stderr  # git shows hook output on stderr
    assert "CHANGELOG.md: RA308 no changelog section for version 1.3.0" in hook_output
    assert f"{RELEASE}:" in hook_output
    assert git(root, "log", "--format=%s").splitlines() == ["initial"]
    assert "## [1.3.0]" in (root / "CHANGELOG.md").read_text(encoding="utf-8")  # restored
