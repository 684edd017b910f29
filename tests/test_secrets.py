"""No credential leaves the machine: every command and hook, every written file.

A secret is planted in the environment (a GitHub token), in the ``origin`` URL (a token as
user-info, on a host that is not GitHub) and in a workflow (a token pasted into ``with:``);
every command and hook runs, and neither their output nor any file they wrote holds it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from release_assistant.core.redact import redact, strip_userinfo
from tests.conftest import RepoFactory, git, minimal_pyproject

ENV_TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
URL_TOKEN = "glpat-" + "Zx9Yw8Vu7Ts6Rq5Po4Nm"
INDEX_TOKEN = "pypi-" + "AgEIcHlwaS5vcmcCJDAwMDAwMDAwLTAwMDAtMDAwMC0wMDAw"
SECRETS = (ENV_TOKEN, URL_TOKEN, INDEX_TOKEN)

WORKFLOW = f"""\
name: release
on:
  release:
    types: [published]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
        with:
          password: {INDEX_TOKEN}
"""

CHANGELOG = """\
# Changelog

## [Unreleased]

## [1.0.0] - 2026-01-02

- First release.
"""


@pytest.fixture
def leaky_repo(make_repo: RepoFactory) -> Path:
    root = make_repo(
        {
            "pyproject.toml": minimal_pyproject("leaky", "1.0.0"),
            "CHANGELOG.md": CHANGELOG,
            ".github/workflows/release.yml": WORKFLOW,
        }
    )
    git(
        root,
        "remote",
        "add",
        "origin",
        f"https://oauth2:{URL_TOKEN}@gitlab.example.invalid/o/r.git",
    )
    return root


COMMANDS = [
    ["check"],
    ["check", "--format", "json"],
    ["check", "--tag", "v1.0.0", "--report-dir", "{out}"],
    ["report", "--output-json", "{out}/r.json", "--output-md", "{out}/r.md"],
    ["setup"],
    ["setup", "--format", "json"],
    ["workflow", "init", "--dry-run", "--force"],
]
HOOKS = [
    "release_assistant.hooks.check_changelog_version",
    "release_assistant.hooks.check_lock_file",
    "release_assistant.hooks.check_release_workflow",
    "release_assistant.hooks.check_parity_artifacts",
]


def _environment() -> dict[str, str]:
    return {**os.environ, "GH_TOKEN": ENV_TOKEN, "PYTHONPATH": str(Path.cwd())}


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: " ".join(argv))
def test_no_command_prints_or_writes_a_secret(
    leaky_repo: Path, tmp_path: Path, argv: list[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = [part.replace("{out}", str(out)) for part in argv]
    completed = subprocess.run(
        [sys.executable, "-m", "release_assistant", *args, "--repo", str(leaky_repo)],
        capture_output=True,
        text=True,
        env=_environment(),
        cwd=Path.cwd(),
    )
    assert completed.returncode in (0, 1, 2), completed.stderr
    produced = completed.stdout + completed.stderr
    produced += "".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file())
    assert produced.strip(), "the command printed nothing: the test would prove nothing"
    for secret in SECRETS:
        assert secret not in produced, f"{secret[:8]}... leaked by {argv}"


@pytest.mark.parametrize("module", HOOKS)
def test_no_hook_prints_a_secret(leaky_repo: Path, module: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", module],
        capture_output=True,
        text=True,
        env=_environment(),
        cwd=leaky_repo,
    )
    produced = completed.stdout + completed.stderr
    for secret in SECRETS:
        assert secret not in produced, f"{secret[:8]}... leaked by {module}"


def test_the_workflow_hook_still_reports_the_token_it_masks(leaky_repo: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "release_assistant.hooks.check_release_workflow"],
        capture_output=True,
        text=True,
        env=_environment(),
        cwd=leaky_repo,
    )
    assert completed.returncode == 1
    assert "RA626" in completed.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://user:pw@example.invalid/x", "https://***@example.invalid/x"),
        ("ssh://git@example.invalid/o/r.git", "ssh://***@example.invalid/o/r.git"),
        ("git@github.com:o/r.git", "git@github.com:o/r.git"),  # scp form: no secret part
        (f"token {ENV_TOKEN} here", "token *** here"),
        (f"{INDEX_TOKEN}", "***"),
        ("release 1.2.3 on main", "release 1.2.3 on main"),
    ],
)
def test_redact_shapes(text: str, expected: str) -> None:
    assert redact(text, environ={}) == expected


def test_credential_environment_values_are_masked_anywhere() -> None:
    environ = {"MY_SERVICE_TOKEN": "s3cr3t-value-123", "HOME": "/home/someone-long"}
    assert redact("x s3cr3t-value-123 /home/someone-long", environ) == "x *** /home/someone-long"


def test_strip_userinfo() -> None:
    assert strip_userinfo("https://a:b@example.invalid/o/r") == "https://example.invalid/o/r"


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
@pytest.mark.parametrize("how", ["version_files", "symlinked VERSION"])
def test_a_version_source_outside_the_repository_is_never_read(
    make_repo: RepoFactory, tmp_path: Path, how: str
) -> None:
    """``version_files`` or a committed symlink pointing at ``/proc/self/environ`` (every
    environment variable) is refused by path: nothing of it reaches a finding."""
    extra = ""
    files: dict[str, str | bytes] = {"CHANGELOG.md": CHANGELOG}
    if how == "version_files":
        extra = '\n[tool.release-assistant]\nversion_files = ["../../../../proc/self/environ"]\n'
    root = make_repo({"pyproject.toml": minimal_pyproject("leaky", "1.0.0") + extra, **files})
    if how != "version_files":
        (root / "VERSION").symlink_to("/proc/self/environ")
        text = (root / "pyproject.toml").read_text(encoding="utf-8")
        text = text.replace('version = "1.0.0"\n', 'dynamic = ["version"]\n')
        text += '\n[tool.setuptools.dynamic]\nversion = { file = "VERSION" }\n'
        text = text.replace('"hatchling"', '"setuptools"').replace(
            "hatchling.build", "setuptools.build_meta"
        )
        (root / "pyproject.toml").write_text(text, encoding="utf-8")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "release_assistant",
            "check",
            "--repo",
            str(root),
            "--only",
            "version",
        ],
        capture_output=True,
        text=True,
        env={**_environment(), "PLANTED_SECRET_VALUE": "HUNTER2-environ-canary"},
    )
    output = completed.stdout + completed.stderr
    assert "HUNTER2-environ-canary" not in output
    assert "points outside the repository" in output, output
    # A configured path is refused with the configuration (exit 2, one line); a link that a
    # project file names is refused by the check that reads it (a failed check).
    assert completed.returncode == (2 if how == "version_files" else 1), output
