"""``.pre-commit-hooks.yaml``: valid for pre-commit, every entry a real console script, every
``files`` pattern matching exactly the paths it should, every hook documented in the README.

The ``files`` tables follow check-jsonschema's ``test_hook_file_matches.py``: for each hook,
paths that must trigger it and paths that must not.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version
from ruamel.yaml import YAML

from tests.conftest import REPO_ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _load_yaml(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


MANIFEST = REPO_ROOT / ".pre-commit-hooks.yaml"
DOGFOOD = REPO_ROOT / ".pre-commit-config.yaml"
HOOK_IDS = [
    "check-changelog-version",
    "check-lock-file",
    "check-release-workflow",
    "check-parity-artifacts",
]


def manifest() -> dict[str, dict[str, Any]]:
    hooks = _load_yaml(MANIFEST.read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in hooks}


def scripts() -> dict[str, str]:
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    result: dict[str, str] = data["project"]["scripts"]
    return result


def pre_commit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_manifest_lists_exactly_the_four_hooks_in_order() -> None:
    assert list(manifest()) == HOOK_IDS


def test_pre_commit_accepts_the_manifest() -> None:
    done = pre_commit("validate-manifest", str(MANIFEST))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("hook_id", HOOK_IDS)
def test_hook_fields(hook_id: str) -> None:
    hook = manifest()[hook_id]
    assert hook["language"] == "python"
    # Repository-state checks: run once, never on a split file list.
    assert hook["pass_filenames"] is False
    assert hook["name"] and hook["name"] != hook_id
    assert len(hook["description"]) > 40
    minimum = Version(hook["minimum_pre_commit_version"])
    assert minimum <= Version(importlib.metadata.version("pre-commit"))
    assert "always_run" not in hook  # `files` is the trigger; always_run would ignore it
    re.compile(hook["files"])


@pytest.mark.parametrize("hook_id", HOOK_IDS)
def test_entry_is_a_real_console_script(hook_id: str) -> None:
    hook = manifest()[hook_id]
    entry = hook["entry"]
    module_name = "release_assistant.hooks." + hook_id.replace("-", "_")
    assert scripts()[entry] == f"{module_name}:main"
    module = importlib.import_module(module_name)
    assert callable(module.main)
    assert hook_id == module.HOOK_ID
    console_scripts = importlib.metadata.entry_points(group="console_scripts")
    installed = {ep.name: ep.value for ep in console_scripts}
    assert installed.get(entry) == f"{module_name}:main", (
        f"{entry} is not installed as a console script; reinstall the package (pip install -e .)"
    )
    assert (Path(sys.executable).parent / entry).is_file()


FILES_MUST_MATCH: dict[str, list[str]] = {
    "check-changelog-version": [
        "pyproject.toml",
        "CHANGELOG.md",
        "changelog.md",
        "CHANGELOG",
        "CHANGELOG.rst",
        "docs/CHANGELOG.md",
        "docs/changes.rst",
        "HISTORY.md",
        "NEWS.txt",
        "RELEASE-NOTES.md",
        "docs/release_notes.rst",
        "src/pkg/__init__.py",
        "pkg/__about__.py",
        "src/pkg/_version.py",
        "pkg/version.py",
        "VERSION",
        "packages/sub/pyproject.toml",
    ],
    "check-lock-file": [
        "pyproject.toml",
        "uv.lock",
        "poetry.lock",
        "pdm.lock",
        "packages/sub/uv.lock",
        "packages/sub/pyproject.toml",
    ],
    "check-release-workflow": [
        ".github/workflows/release.yml",
        ".github/workflows/release.yaml",
        ".github/workflows/publish.yml",
        ".github/actions/publish/action.yml",
        "pyproject.toml",
    ],
    "check-parity-artifacts": [],
}

FILES_MUST_NOT_MATCH: dict[str, list[str]] = {
    "check-changelog-version": [
        "README.md",
        "mypyproject.toml",
        "pyproject.toml.orig",
        "src/changelog_utils.py",
        "docs/changelog/index.md",
        "tests/test_version.py",
        "src/pkg/module.py",
        "uv.lock",
        ".github/workflows/release.yml",
    ],
    "check-lock-file": [
        "uv.lock.bak",
        "requirements.txt",
        "Pipfile.lock",
        "docs/uv.lock.md",
        "CHANGELOG.md",
        "package-lock.json",
    ],
    "check-release-workflow": [
        ".github/workflows/README.md",
        ".github/workflows/sub/release.yml",
        "sub/.github/workflows/release.yml",
        ".github/dependabot.yml",
        "release.yml",
        "CHANGELOG.md",
    ],
    "check-parity-artifacts": [
        "pyproject.toml",
        "reports/parity/aggregate.json",
        "reports/parity/runs/suite.json",
        "upstream_lock.json",
        "CHANGELOG.md",
    ],
}


@pytest.mark.parametrize(
    ("hook_id", "path"),
    [(hook_id, path) for hook_id, paths in FILES_MUST_MATCH.items() for path in paths],
)
def test_files_pattern_matches(hook_id: str, path: str) -> None:
    # pre-commit applies `files` with re.search to paths relative to the repository root.
    assert re.search(manifest()[hook_id]["files"], path), path


@pytest.mark.parametrize(
    ("hook_id", "path"),
    [(hook_id, path) for hook_id, paths in FILES_MUST_NOT_MATCH.items() for path in paths],
)
def test_files_pattern_does_not_match(hook_id: str, path: str) -> None:
    assert not re.search(manifest()[hook_id]["files"], path), path


def test_parity_pattern_suggested_in_the_manifest_and_readme_works() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    suggested = re.search(r"- id: check-parity-artifacts\n\s+files: (\S+)", readme)
    assert suggested is not None
    pattern = suggested.group(1)
    assert re.search(pattern, "reports/parity/aggregate.json")
    assert re.search(pattern, "pyproject.toml")
    assert not re.search(pattern, "README.md")


def readme() -> str:
    return (REPO_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("hook_id", HOOK_IDS)
def test_readme_documents_every_hook(hook_id: str) -> None:
    assert f"`{hook_id}`" in readme()
    assert f"`{manifest()[hook_id]['entry']}`" in readme()


def test_readme_snippet_is_a_valid_config_for_these_hooks() -> None:
    text = readme()
    start = text.index("```yaml\nrepos:")
    snippet = text[start + len("```yaml\n") : text.index("```", start + 3)]
    config = _load_yaml(snippet)
    (repo,) = config["repos"]
    assert repo["repo"] == "https://github.com/OWNER/release-assistant"
    assert repo["rev"] == "v0.1.0"
    listed = [hook["id"] for hook in repo["hooks"]]
    assert listed == [hook_id for hook_id in HOOK_IDS if hook_id != "check-parity-artifacts"]
    assert "- id: check-parity-artifacts" in snippet  # shown, commented out


def test_dogfood_config_runs_this_repositorys_own_hooks() -> None:
    done = pre_commit("validate-config", str(DOGFOOD))
    assert done.returncode == 0, done.stdout + done.stderr
    config = _load_yaml(DOGFOOD.read_text(encoding="utf-8"))
    local = [repo for repo in config["repos"] if repo["repo"] == "local"]
    hooks = {hook["id"]: hook for repo in local for hook in repo["hooks"]}
    published = manifest()
    for hook_id in ("check-changelog-version", "check-lock-file", "check-release-workflow"):
        assert hooks[hook_id]["entry"] == published[hook_id]["entry"]
        assert hooks[hook_id]["files"] == published[hook_id]["files"]
        assert hooks[hook_id]["pass_filenames"] is False
