"""A stale lock weighs what CI does with it: an error when something on the release or CI path
refuses it, a warning that says so otherwise; the ``check-lock-file`` hook stays strict.

What each tool really does with a stale lock is held in ``tests/test_lock_consequence_tools.py``;
here, how commands, workflows and pre-commit configurations are read, and the verdicts.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from release_assistant.core.checks.lock import check, once_per_lock, run, run_strict
from release_assistant.core.context import RepoContext, find_git_root
from release_assistant.core.findings import Finding, Severity, Status
from release_assistant.core.lockfiles.consequence import (
    Effect,
    command_effect,
    lock_consequence,
    read_command,
)
from release_assistant.hooks import check_lock_file
from tests.conftest import RepoFactory

PYPROJECT = """\
[project]
name = "demo"
version = "0.2.0"
requires-python = ">=3.9"
dependencies = []
"""

#: Locked at 0.1.0: the version bump was not relocked (RA506).
STALE_UV_LOCK = """\
version = 1
revision = 3
requires-python = ">=3.9"

[[package]]
name = "demo"
version = "0.1.0"
source = { virtual = "." }
"""


def workflow(*runs: str, env: str = "", working_directory: str | None = None) -> str:
    """A CI workflow whose one job runs ``runs``, one step each."""
    steps = "".join(
        f"      - run: {command}\n"
        + (f"        working-directory: {working_directory}\n" if working_directory else "")
        for command in runs
    )
    return (
        "name: ci\non: [push]\n"
        + (f"env:\n  {env}\n" if env else "")
        + "jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        + "      - uses: actions/checkout@v4\n"
        + steps
    )


@pytest.mark.parametrize(
    ("command", "env", "effect", "directory"),
    [
        ("uv sync --locked --all-extras", {}, Effect.REFUSES, None),
        ("uv run --locked pytest -x", {}, Effect.REFUSES, None),
        ("uv run --frozen pytest --locked", {}, Effect.AS_IS, None),  # pytest's option
        ("uv run pytest --locked", {}, Effect.RELOCKS, None),
        ("uv --directory libs/a sync --locked", {}, Effect.REFUSES, "libs/a"),
        ("uv sync --project=libs/b", {}, Effect.RELOCKS, "libs/b"),
        ("uv lock --check", {}, Effect.REFUSES, None),
        ("uv lock", {}, None, None),
        ("uv lock --upgrade", {"UV_LOCKED": "1"}, None, None),
        ("uv sync", {"UV_LOCKED": "true"}, Effect.REFUSES, None),
        ("uv sync", {"UV_FROZEN": "1"}, Effect.AS_IS, None),
        ("uv sync", {"UV_LOCKED": "0"}, Effect.RELOCKS, None),
        ("UV_LOCKED=1 uv run pytest", {}, Effect.REFUSES, None),
        ("env UV_FROZEN=1 uv export -o req.txt", {}, Effect.AS_IS, None),
        ("uv run --no-sync pytest", {}, None, None),
        ("uv run --no-project script.py", {}, None, None),
        ("uv sync --locked --script tools/x.py", {}, None, None),
        ("uv pip install -e .", {}, None, None),
        ("uv build", {}, None, None),
        ("poetry install --with dev", {}, Effect.REFUSES, None),
        ("poetry -C pkg install", {}, Effect.REFUSES, "pkg"),
        ("poetry sync", {}, Effect.REFUSES, None),
        ("poetry check --lock", {}, Effect.REFUSES, None),
        ("poetry check", {}, None, None),
        ("poetry run pytest", {}, None, None),
        ("pipx run poetry install", {}, Effect.REFUSES, None),
        ("pdm install --check -G test", {}, Effect.REFUSES, None),
        ("pdm lock --check", {}, Effect.REFUSES, None),
        ("pdm install --frozen-lockfile", {}, Effect.AS_IS, None),
        ("pdm sync -G :all", {}, Effect.AS_IS, None),
        ("pdm install", {}, Effect.RELOCKS, None),
        ("python -m pdm install --check", {}, Effect.REFUSES, None),
        ("pdm run pytest", {}, None, None),
        ("echo uv sync --locked", {}, None, None),
    ],
)
def test_each_command_is_read_as_its_tool_runs_it(
    command: str, env: dict[str, str], effect: Effect | None, directory: str | None
) -> None:
    assert command_effect(command, env) is effect
    found = read_command(command, env)
    assert (found.directory if found else None) == directory


def test_workflows_composite_actions_scripts_and_precommit_are_read(
    make_repo: RepoFactory,
) -> None:
    root = make_repo(
        {
            ".github/workflows/ci.yml": workflow(
                "./scripts/install.sh",
                "uv run pytest",
                "cd libs/a && uv sync --locked",
                env="UV_FROZEN: 1",
            ),
            ".github/workflows/docs.yml": workflow("pdm install --check", working_directory="docs"),
            ".github/workflows/setup.yml": (
                "on: [push]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - uses: ./.github/actions/setup\n"
            ),
            ".github/actions/setup/action.yml": (
                "name: setup\nruns:\n  using: composite\n  steps:\n"
                "    - run: poetry install\n      shell: bash\n"
            ),
            # Unreadable, and it may run a lock tool: said; one that names none is not read.
            ".github/workflows/broken.yml": "on: [push\njobs: uv sync --locked\n",
            ".github/workflows/broken-unrelated.yml": "on: [push\n",
            "scripts/install.sh": "#!/bin/sh\nset -e\nuv sync --all-extras\n",
            ".pre-commit-config.yaml": (
                "repos:\n"
                "  - repo: https://example.invalid/uv-pre-commit\n    rev: 0.9.0\n"
                "    hooks:\n      - id: uv-lock\n"
                "  - repo: local\n    hooks:\n"
                "      - id: manual-sync\n        name: x\n        entry: uv sync --locked\n"
                "        language: system\n        stages: [manual]\n"
            ),
        }
    )
    consequence = lock_consequence(str(root))
    found = {(u.path, u.line, u.tool, u.effect, u.directory, u.setting) for u in consequence.uses}
    assert found == {
        ("scripts/install.sh", 3, "uv", Effect.AS_IS, "", "UV_FROZEN=1"),
        (".github/workflows/ci.yml", 11, "uv", Effect.AS_IS, "", "UV_FROZEN=1"),
        (".github/workflows/ci.yml", 12, "uv", Effect.REFUSES, "libs/a", None),
        (".github/workflows/docs.yml", 8, "pdm", Effect.REFUSES, "docs", None),
        (".github/actions/setup/action.yml", 5, "poetry", Effect.REFUSES, "", None),
        (".pre-commit-config.yaml", 5, "uv", Effect.REFUSES, "", None),
    }
    assert [entry.split(" ")[0] for entry in consequence.unread] == [".github/workflows/broken.yml"]


def test_a_command_counts_for_the_lock_the_tool_finds_from_its_directory(
    make_repo: RepoFactory,
) -> None:
    root = make_repo(
        {
            "uv.lock": STALE_UV_LOCK,
            "libs/a/uv.lock": STALE_UV_LOCK,
            "libs/b/pyproject.toml": PYPROJECT,
            ".github/workflows/a.yml": workflow("uv sync --locked --directory libs/a"),
            ".github/workflows/b.yml": workflow("uv sync --locked", working_directory="libs/b"),
        }
    )
    consequence = lock_consequence(str(root))
    # libs/b has no lock of its own: uv finds the root's, upwards.
    assert [u.directory for u in consequence.uses_of("uv.lock")] == ["libs/b"]
    assert [u.directory for u in consequence.uses_of("libs/a/uv.lock")] == ["libs/a"]


def _stale_project(make_repo: RepoFactory, files: dict[str, str] | None = None) -> Path:
    return make_repo({"pyproject.toml": PYPROJECT, "uv.lock": STALE_UV_LOCK, **(files or {})})


def test_a_stale_lock_nothing_refuses_is_a_warning_that_says_so(make_repo: RepoFactory) -> None:
    root = _stale_project(make_repo)
    result = run(RepoContext.load(root))
    assert result.status is Status.WARN
    (finding,) = result.findings
    assert (finding.code, finding.severity) == ("RA506", Severity.WARNING)
    assert "nothing in CI or pre-commit fails on a stale uv.lock" in finding.message
    assert "no workflow installs from it" in finding.message
    assert "`uv lock --check` fails all the same" in finding.message


@pytest.mark.parametrize(
    ("command", "said"),
    [
        ("uv sync --frozen", "installs the lock as it is without checking it"),
        ("uv sync", "relocks and carries on"),
    ],
)
def test_frozen_and_plain_sync_are_warnings_naming_the_command(
    make_repo: RepoFactory, command: str, said: str
) -> None:
    root = _stale_project(make_repo, {".github/workflows/ci.yml": workflow(command)})
    (finding,) = run(RepoContext.load(root)).findings
    assert finding.severity is Severity.WARNING
    assert f"`{command}` (.github/workflows/ci.yml:8) {said}" in finding.message


@pytest.mark.parametrize(
    ("files", "named"),
    [
        ({".github/workflows/ci.yml": workflow("uv sync --locked")}, "`uv sync --locked`"),
        (
            {".github/workflows/ci.yml": workflow("uv run pytest", env="UV_LOCKED: 1")},
            "`uv run pytest` with UV_LOCKED=1",
        ),
        (
            {
                ".pre-commit-config.yaml": (
                    "repos:\n  - repo: https://example.invalid/release-assistant\n"
                    "    rev: v1\n    hooks:\n      - id: check-lock-file\n"
                )
            },
            "pre-commit hook check-lock-file",
        ),
    ],
)
def test_a_stale_lock_ci_refuses_is_an_error_naming_where(
    make_repo: RepoFactory, files: dict[str, str], named: str
) -> None:
    root = _stale_project(make_repo, files)
    result = run(RepoContext.load(root))
    assert result.status is Status.FAIL
    (finding,) = result.findings
    assert finding.severity is Severity.ERROR
    assert finding.hint is not None and named in finding.hint
    assert "fails on a stale uv.lock" in finding.hint


def test_the_check_lock_file_hook_stays_strict(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _stale_project(make_repo, {".github/workflows/ci.yml": workflow("uv sync --frozen")})
    assert run_strict(RepoContext.load(root)).status is Status.FAIL
    assert check(root).status is Status.FAIL  # without a consequence: the tools' verdict
    assert check_lock_file.main(["--repo", str(root)]) == 1
    assert "RA506" in capsys.readouterr().out


def test_a_package_of_a_monorepo_is_weighed_by_the_workflows_at_the_git_root(
    make_repo: RepoFactory,
) -> None:
    root = make_repo(
        {
            "libs/demo/pyproject.toml": PYPROJECT,
            "libs/demo/uv.lock": STALE_UV_LOCK,
            ".github/workflows/ci.yml": workflow("uv sync --locked", working_directory="libs/demo"),
        }
    )
    package = root / "libs" / "demo"
    assert find_git_root(str(package)) == os.path.realpath(root)
    result = run(RepoContext.load(package))
    assert result.status is Status.FAIL
    assert result.findings[0].hint is not None
    assert ".github/workflows/ci.yml:8" in result.findings[0].hint


def test_each_stale_difference_is_reported_once_per_lock() -> None:
    same = Finding("RA504", "`alpha` changed", Severity.ERROR, "uv.lock", 3)
    again = Finding("RA504", "`alpha` changed", Severity.ERROR, "uv.lock", 9)
    other_lock = Finding("RA504", "`alpha` changed", Severity.ERROR, "libs/a/uv.lock", 3)
    not_stale = Finding("RA501", "conflict", Severity.ERROR, "uv.lock", 4)
    kept = once_per_lock([same, again, other_lock, not_stale, not_stale])
    assert kept == [same, other_lock, not_stale, not_stale]


MAKEFILE = """\
sources = src tests

.PHONY: install test
install: .uv
\tuv sync --frozen --all-extras

.uv:
\t@uv --version

test: install
\t@uv run --locked pytest $(sources)

lint:
\tuv run ruff check
"""


def test_make_targets_are_followed_with_their_prerequisites(make_repo: RepoFactory) -> None:
    root = make_repo(
        {
            "Makefile": MAKEFILE,
            "docs/Makefile": "html:\n\tuv run --locked sphinx-build . _build\n",
            ".github/workflows/ci.yml": workflow("make test", "make -C docs html"),
        }
    )
    found = {(u.path, u.line, u.effect, u.directory) for u in lock_consequence(str(root)).uses}
    assert found == {
        ("Makefile", 5, Effect.AS_IS, ""),  # install, a prerequisite of test
        ("Makefile", 11, Effect.REFUSES, ""),
        ("docs/Makefile", 2, Effect.REFUSES, "docs"),
    }  # not `lint`, which nothing runs
