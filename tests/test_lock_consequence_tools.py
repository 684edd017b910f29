"""What the real uv, Poetry and PDM do with a stale lock, command by command.

The ``lock`` check weighs a stale lock by what the project's CI runs
(:mod:`release_assistant.core.lockfiles.consequence`): a command that refuses a stale lock
makes it an error, one that installs the lock as it is or relocks makes it a warning. Each of
those claims is checked here against the tool itself, on a lock made stale by adding a
dependency after locking, with the packages served by the session's local index.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from release_assistant.core.lockfiles.consequence import Effect, command_effect
from tests.lock_support import Tools, copy_project, edit, lock_tools, run_tool, write_tree

__all__ = ["lock_tools"]

UV_PROJECT = """
[project]
name = "uvstale"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["alpha>=1.0"]
"""

POETRY_PROJECT = """
[project]
name = "poetrystale"
version = "0.1.0"
description = "Demo"
requires-python = ">=3.9"
dependencies = ["alpha>=1.0"]

[dependency-groups]
dev = ["delta"]

[tool.poetry]
package-mode = false

[[tool.poetry.source]]
name = "local"
url = "{index}/"
priority = "primary"
"""

PDM_PROJECT = """
[project]
name = "pdmstale"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["alpha>=1.0"]

[tool.pdm]
distribution = false
"""

STALE_EDIT = ('dependencies = ["alpha>=1.0"]', 'dependencies = ["alpha>=1.0", "gamma"]')


def _env(tools: Tools, extra: dict[str, str] | None = None) -> Tools:
    """The session's tools, installing into a virtual environment inside the project."""
    env = dict(tools.env)
    env.update(
        {
            "UV_DEFAULT_INDEX": tools.index_url,
            "POETRY_VIRTUALENVS_CREATE": "true",
            "POETRY_VIRTUALENVS_IN_PROJECT": "true",
            "PDM_USE_VENV": "true",
            "PDM_VENV_IN_PROJECT": "true",
        }
    )
    env.update(extra or {})
    return Tools(tools.index_url, env, tools.cache)


def _locked_base(tools: Tools, root: Path, text: str, *lock: str) -> Path:
    write_tree(root, {"pyproject.toml": text.format(index=tools.index_url)})
    result = run_tool(_env(tools), root, *lock)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture(scope="module")
def bases(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {
        "uv": _locked_base(lock_tools, tmp_path_factory.mktemp("uv"), UV_PROJECT, "uv", "lock"),
        "poetry": _locked_base(
            lock_tools, tmp_path_factory.mktemp("poetry"), POETRY_PROJECT, "poetry", "lock"
        ),
        "pdm": _locked_base(lock_tools, tmp_path_factory.mktemp("pdm"), PDM_PROJECT, "pdm", "lock"),
    }


LOCK_NAME = {"uv": "uv.lock", "poetry": "poetry.lock", "pdm": "pdm.lock"}

#: ``(tool, command as a workflow writes it, extra environment, what the tool does)``;
#: ``None``: the command neither reads nor writes the lock.
CASES: list[tuple[str, str, dict[str, str], Effect | None]] = [
    ("uv", "uv lock --check", {}, Effect.REFUSES),
    ("uv", "uv lock --locked", {}, Effect.REFUSES),
    ("uv", "uv sync --locked", {}, Effect.REFUSES),
    ("uv", "uv sync --locked --all-extras --dev", {}, Effect.REFUSES),
    ("uv", "uv run --locked python -c pass", {}, Effect.REFUSES),
    ("uv", "uv export --locked --no-hashes", {}, Effect.REFUSES),
    ("uv", "uv sync", {"UV_LOCKED": "1"}, Effect.REFUSES),
    ("uv", "uv sync --frozen", {}, Effect.AS_IS),
    ("uv", "uv run --frozen python -c pass", {}, Effect.AS_IS),
    ("uv", "uv export --frozen", {}, Effect.AS_IS),
    ("uv", "uv sync", {"UV_FROZEN": "1"}, Effect.AS_IS),
    ("uv", "uv sync", {}, Effect.RELOCKS),
    ("uv", "uv run --isolated python -c pass", {}, None),
    ("uv", "uv run --no-sync python -c pass", {}, None),
    ("uv", "uv run python -c pass", {}, Effect.RELOCKS),
    ("uv", "uv export", {}, Effect.RELOCKS),
    ("poetry", "poetry check --lock", {}, Effect.REFUSES),
    ("poetry", "poetry install", {}, Effect.REFUSES),
    ("poetry", "poetry install --no-root --with dev", {}, Effect.REFUSES),
    ("poetry", "poetry sync", {}, Effect.REFUSES),
    ("pdm", "pdm lock --check", {}, Effect.REFUSES),
    ("pdm", "pdm install --check", {}, Effect.REFUSES),
    ("pdm", "pdm install --frozen-lockfile", {}, Effect.AS_IS),
    ("pdm", "pdm install --no-lock", {}, Effect.AS_IS),
    ("pdm", "pdm sync", {}, Effect.AS_IS),
    ("pdm", "pdm install", {}, Effect.RELOCKS),
]


@pytest.mark.parametrize(
    ("tool", "command", "extra", "effect"),
    CASES,
    ids=[f"{c[1]}{' ' + ' '.join(c[2]) if c[2] else ''}" for c in CASES],
)
def test_the_tool_does_what_we_say_with_a_stale_lock(
    lock_tools: Tools,
    bases: dict[str, Path],
    tmp_path: Path,
    tool: str,
    command: str,
    extra: dict[str, str],
    effect: Effect | None,
) -> None:
    root = copy_project(bases[tool], tmp_path / "project")
    edit(root / "pyproject.toml", *STALE_EDIT)
    lock = root / LOCK_NAME[tool]
    before = lock.read_text(encoding="utf-8")
    result = run_tool(_env(lock_tools, extra), root, *command.split())
    output = result.stdout + result.stderr
    after = lock.read_text(encoding="utf-8")
    if effect is Effect.REFUSES:
        assert result.returncode != 0, output
        assert after == before
        # It refuses the stale lock, not the command: the same command takes a fresh lock.
        fresh = copy_project(bases[tool], tmp_path / "fresh")
        accepted = run_tool(_env(lock_tools, extra), fresh, *command.split())
        assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    else:
        assert result.returncode == 0, output
        assert (after != before) is (effect is Effect.RELOCKS), output
    # And our reading of the command, as a workflow's `run:` holds it, agrees.
    assert command_effect(command, extra) is effect
    shutil.rmtree(root)


GROUPS_PROJECT = """
[project]
name = "grouped"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["alpha>=1.0"]

[project.optional-dependencies]
cli = ["gamma"]

[dependency-groups]
dev = ["delta", {{include-group = "lint"}}]
lint = ["epsilon"]
test = [{{include-group = "lint"}}]
"""


def test_a_stale_requirement_is_reported_once_for_every_group_that_includes_it(
    lock_tools: Tools, tmp_path: Path
) -> None:
    from release_assistant.core.checks.lock import check

    root = _locked_base(lock_tools, tmp_path / "grouped", GROUPS_PROJECT, "uv", "lock")
    edit(root / "pyproject.toml", 'lint = ["epsilon"]', 'lint = ["epsilon", "zeta"]')
    uv = run_tool(_env(lock_tools), root, "uv", "lock", "--check", "--offline")
    assert uv.returncode != 0, uv.stderr  # uv calls it stale
    messages = [f.message for f in check(root, environ={}).findings if f.code == "RA504"]
    # One edit, seen through three groups: one finding that names the others.
    assert len(messages) == 1, messages
    assert "adds `zeta`" in messages[0]
    assert "also for group `" in messages[0]
