"""Relock after a bump, with the real uv, Poetry and PDM (core/release/relock.py).

Each case first shows what the tool itself says (its ``--check`` after the bump), then that
our verdict, decided before anything is written, agrees, and that the planned command makes
the tool's check pass again while keeping every other pin. The tools run against the
session's loopback index (tests/lock_support.py) or with no index at all.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from packaging.version import Version

from release_assistant.core.release.plan import ActionFailed
from release_assistant.core.release.relock import (
    RelockError,
    RelockStep,
    plan_relock,
    relock_actions,
    stale_locks,
)
from tests.conftest import git
from tests.lock_support import Tools, edit, lock_tools, run_tool, write_tree

__all__ = ["lock_tools"]

#: The tools are installed beside the interpreter that runs the tests (the project's venv).
TOOLS_BIN = os.path.dirname(sys.executable)

HATCH = """
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"""

LONE = (
    """
[project]
name = "Demo_Pkg"
version = "1.0.0"
requires-python = ">=3.9"
dependencies = []
"""
    + HATCH
)

UV_WORKSPACE_ROOT = (
    """
[project]
name = "app"
version = "3.0.0"
requires-python = ">=3.9"
dependencies = ["liba"]

[tool.uv.sources]
liba = { workspace = true }

[tool.uv.workspace]
members = ["packages/*"]
"""
    + HATCH
)

UV_MEMBER = (
    """
[project]
name = "liba"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = []
"""
    + HATCH
)


def environment(tools: Tools, **changes: str) -> dict[str, str]:
    """The session's tool environment with the venv's bin first on PATH, plus ``changes``."""
    env = dict(tools.env)
    env["PATH"] = os.pathsep.join([TOOLS_BIN, env.get("PATH", "")])
    env.update(changes)
    return env


def run(tools: Tools, env: dict[str, str], cwd: Path, *args: str) -> tuple[int, str]:
    result = run_tool(Tools(tools.index_url, env, tools.cache), cwd, *args)
    return result.returncode, result.stdout + result.stderr


def uv_check(tools: Tools, env: dict[str, str], root: Path) -> int:
    """``uv lock --check --offline``'s exit code (0: fresh)."""
    code, output = run(tools, env, root, "uv", "lock", "--check", "--offline")
    assert "parse error" not in output.lower(), output
    return code


def relock(root: Path, steps: tuple[RelockStep, ...], env: dict[str, str]) -> list[str]:
    """Run every step's action; the lines they streamed, then each result line."""
    lines: list[str] = []
    for action in relock_actions(str(root), steps, lines.append, environ=env):
        assert action.changes
        result = action.run()
        assert result is not None
        lines.append(f"RESULT {result}")
    return lines


def uv_project(tools: Tools, root: Path, files: dict[str, str], env: dict[str, str]) -> None:
    """Write ``files`` under ``root`` and lock them with the real uv."""
    write_tree(root, files)
    code, output = run(tools, env, root, "uv", "lock")
    assert code == 0, output
    assert uv_check(tools, env, root) == 0


# --- uv -------------------------------------------------------------------------------------


def test_uv_root_bump_is_relocked_offline_with_no_cache(lock_tools: Tools, tmp_path: Path) -> None:
    env = environment(lock_tools, UV_DEFAULT_INDEX="http://127.0.0.1:9/simple")
    root = tmp_path / "demo"
    uv_project(lock_tools, root, {"pyproject.toml": LONE}, environment(lock_tools))
    assert 'name = "demo-pkg"\nversion = "1.0.0"' in (root / "uv.lock").read_text()

    (stale,) = stale_locks(str(root), Version("1.0.1"), None)  # the name is read, normalized
    assert (stale.lock, stale.tool, stale.package, stale.recorded) == (
        "uv.lock",
        "uv",
        "demo-pkg",
        "1.0.0",
    )
    edit(root / "pyproject.toml", 'version = "1.0.0"', 'version = "1.0.1"')
    assert uv_check(lock_tools, env, root) == 1  # uv itself: the bump made the lock stale

    (step,) = plan_relock(str(root), Version("1.0.1"), "demo-pkg", environ=env)
    assert step.argv == ("uv", "lock", "--offline")
    assert step.available and step.problem is None
    assert step.command == "uv lock --offline || uv lock"
    assert "records demo-pkg 1.0.0" in step.reason
    # A fresh cache and an index that refuses every connection: only --offline can work.
    lines = relock(root, (step,), dict(env, UV_CACHE_DIR=str(tmp_path / "empty-cache")))
    assert not any("trying with the network" in line for line in lines), lines
    assert any("demo-pkg v1.0.0 -> v1.0.1" in line for line in lines), lines
    assert lines[-1] == "RESULT uv.lock: demo-pkg 1.0.0 -> 1.0.1"
    assert uv_check(lock_tools, env, root) == 0
    assert plan_relock(str(root), Version("1.0.1"), "demo-pkg", environ=env) == ()


def test_uv_keeps_other_pins_and_goes_online_when_the_cache_lacks_them(
    lock_tools: Tools, tmp_path: Path
) -> None:
    env = environment(lock_tools, UV_DEFAULT_INDEX=lock_tools.index_url)
    root = tmp_path / "pinned"
    uv_project(
        lock_tools,
        root,
        {"pyproject.toml": LONE.replace("dependencies = []", 'dependencies = ["alpha==1.5"]')},
        env,
    )
    # Loosen the requirement: uv keeps the locked 1.5 although 2.0 is on the index.
    edit(root / "pyproject.toml", '"alpha==1.5"', '"alpha>=1.0"')
    code, output = run(lock_tools, env, root, "uv", "lock")
    assert code == 0, output
    assert 'name = "alpha"\nversion = "1.5"' in (root / "uv.lock").read_text()

    edit(root / "pyproject.toml", 'version = "1.0.0"', 'version = "2.0.0"')
    steps = plan_relock(str(root), Version("2.0.0"), "demo-pkg", environ=env)
    # An empty cache: offline uv cannot know alpha, so the step goes to the index.
    lines = relock(root, steps, dict(env, UV_CACHE_DIR=str(tmp_path / "cold")))
    assert any("uv lock --offline failed; trying with the network: uv lock" in x for x in lines)
    assert lines[-1] == "RESULT uv.lock: demo-pkg 1.0.0 -> 2.0.0"
    text = (root / "uv.lock").read_text()
    assert 'name = "alpha"\nversion = "1.5"' in text
    assert uv_check(lock_tools, env, root) == 0


def test_an_offline_run_that_moves_a_pin_is_undone_and_done_online(
    lock_tools: Tools, tmp_path: Path
) -> None:
    env = environment(lock_tools, UV_DEFAULT_INDEX=lock_tools.index_url)
    # A cache that knows alpha 2.0 only (another project locked it) and not the locked 1.5:
    # offline, uv would silently move alpha to 2.0 (measured with uv 0.13).
    partial_cache = str(tmp_path / "partial")
    other = tmp_path / "other"
    other_text = LONE.replace("Demo_Pkg", "other").replace("[]", '["alpha==2.0"]')
    uv_project(
        lock_tools, other, {"pyproject.toml": other_text}, dict(env, UV_CACHE_DIR=partial_cache)
    )
    root = tmp_path / "pinned"
    uv_project(
        lock_tools,
        root,
        {"pyproject.toml": LONE.replace("dependencies = []", 'dependencies = ["alpha==1.5"]')},
        env,
    )
    edit(root / "pyproject.toml", '"alpha==1.5"', '"alpha>=1.0"')
    code, output = run(lock_tools, env, root, "uv", "lock")
    assert code == 0, output

    edit(root / "pyproject.toml", 'version = "1.0.0"', 'version = "1.0.1"')
    steps = plan_relock(str(root), Version("1.0.1"), "demo-pkg", environ=env)
    lines = relock(root, steps, dict(env, UV_CACHE_DIR=partial_cache))
    assert any("Updated alpha v1.5 -> v2.0" in line for line in lines), lines  # the offline run
    assert any("uv lock --offline moved other pins; trying with the network" in x for x in lines)
    assert lines[-1] == "RESULT uv.lock: demo-pkg 1.0.0 -> 1.0.1"
    assert 'name = "alpha"\nversion = "1.5"' in (root / "uv.lock").read_text()
    assert uv_check(lock_tools, env, root) == 0


def test_uv_workspace_member_bump(lock_tools: Tools, tmp_path: Path) -> None:
    env = environment(lock_tools, UV_DEFAULT_INDEX="http://127.0.0.1:9/simple")
    root = tmp_path / "ws"
    files = {"pyproject.toml": UV_WORKSPACE_ROOT, "packages/liba/pyproject.toml": UV_MEMBER}
    uv_project(lock_tools, root, files, env)

    # Bumping the root leaves the member's record alone, and the other way round.
    (root_step,) = plan_relock(str(root), Version("3.1.0"), "app", environ=env)
    assert "records app 3.0.0" in root_step.reason
    (member,) = stale_locks(str(root), Version("0.2.0"), "liba", project_dir="packages/liba")
    assert (member.lock, member.package, member.recorded) == ("uv.lock", "liba", "0.1.0")
    assert stale_locks(str(root), Version("0.2.0"), "app", project_dir="packages/liba") == ()

    edit(root / "packages/liba/pyproject.toml", 'version = "0.1.0"', 'version = "0.2.0"')
    assert uv_check(lock_tools, env, root) == 1
    steps = plan_relock(
        str(root), Version("0.2.0"), "liba", project_dir="packages/liba", environ=env
    )
    # UV_FROZEN would make `uv lock` leave the lock as it is and exit 0: the relock drops it.
    lines = relock(root, steps, dict(env, UV_FROZEN="1"))
    assert lines[-1] == "RESULT uv.lock: liba 0.1.0 -> 0.2.0"
    assert uv_check(lock_tools, env, root) == 0


def test_a_member_checked_on_its_own_relocks_its_workspace(
    lock_tools: Tools, tmp_path: Path
) -> None:
    env = environment(lock_tools, UV_DEFAULT_INDEX="http://127.0.0.1:9/simple")
    workspace = tmp_path / "mono"
    files = {"pyproject.toml": UV_WORKSPACE_ROOT, "packages/liba/pyproject.toml": UV_MEMBER}
    uv_project(lock_tools, workspace, files, env)
    member = workspace / "packages" / "liba"
    # Outside a git work tree nothing above the project is known to belong to it.
    assert stale_locks(str(member), Version("0.2.0"), "liba") == ()

    git(workspace, "init", "-q", "-b", "main")
    (step,) = plan_relock(str(member), Version("0.2.0"), "liba", environ=env)
    assert step.lock == "../../uv.lock"
    assert step.argv == ("uv", "lock", "--offline", "--directory", "../..")
    edit(member / "pyproject.toml", 'version = "0.1.0"', 'version = "0.2.0"')
    lines = relock(member, (step,), dict(env, UV_LOCKED="1"))  # a check-only setting, dropped
    assert lines[-1] == "RESULT ../../uv.lock: liba 0.1.0 -> 0.2.0"
    assert uv_check(lock_tools, env, workspace) == 0


def test_a_missing_tool_blocks_with_the_exact_command(lock_tools: Tools, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    uv_project(lock_tools, root, {"pyproject.toml": LONE}, environment(lock_tools))
    before = (root / "uv.lock").read_text()
    empty = tmp_path / "bin"
    empty.mkdir()
    env = dict(environment(lock_tools), PATH=str(empty))

    (step,) = plan_relock(str(root), Version("1.0.1"), "demo-pkg", environ=env)
    assert not step.available
    assert step.problem is not None
    assert "uv is not on PATH" in step.problem
    assert "`uv lock --offline || uv lock`" in step.problem
    assert "pipx install uv" in step.problem
    (action,) = relock_actions(str(root), (step,), lambda line: None, environ=env)
    assert action.description == "uv lock --offline || uv lock"
    with pytest.raises(ActionFailed) as failure:
        action.run()
    assert failure.value.message == step.problem
    assert "uv lock --offline || uv lock" in failure.value.recovery
    assert (root / "uv.lock").read_text() == before


def test_a_failing_relock_quotes_the_tool(lock_tools: Tools, tmp_path: Path) -> None:
    env = environment(lock_tools, UV_DEFAULT_INDEX=lock_tools.index_url)
    root = tmp_path / "demo"
    uv_project(lock_tools, root, {"pyproject.toml": LONE}, env)
    steps = plan_relock(str(root), Version("1.1.0"), "demo-pkg", environ=env)
    # The bump plus a requirement no index has: neither offline nor online can lock it.
    edit(root / "pyproject.toml", "dependencies = []", 'dependencies = ["nosuchpkg"]')
    streamed: list[str] = []
    (action,) = relock_actions(str(root), steps, streamed.append, environ=env)
    with pytest.raises(ActionFailed) as failure:
        action.run()
    assert failure.value.message.startswith("uv lock failed: ")
    assert "nosuchpkg" in failure.value.message
    assert failure.value.message.endswith("exit code 1")
    assert any("nosuchpkg" in line for line in streamed)


def test_a_lock_this_tool_cannot_read_is_left_to_uv(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": LONE, "uv.lock": "version = 2\n"})
    (stale,) = stale_locks(str(tmp_path), Version("1.0.1"), "demo-pkg")
    assert stale.recorded is None
    assert "uv decides" in stale.reason


def test_an_unreadable_lock_is_one_line_naming_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": LONE})
    (tmp_path / "uv.lock").mkdir()
    with pytest.raises(RelockError) as problem:
        stale_locks(str(tmp_path), Version("1.0.1"), "demo-pkg")
    assert str(problem.value).startswith("uv.lock: ")
    assert "\n" not in str(problem.value)


def test_a_version_the_lock_does_not_record_needs_no_relock(tmp_path: Path) -> None:
    # uv leaves the version of a project with a dynamic version out of its entry.
    lock = 'version = 1\nrequires-python = ">=3.9"\n\n[[package]]\nname = "demo-pkg"\n'
    lock += 'source = { editable = "." }\n'
    write_tree(tmp_path, {"pyproject.toml": LONE, "uv.lock": lock})
    assert stale_locks(str(tmp_path), Version("1.0.1"), "demo-pkg") == ()


# --- Poetry -----------------------------------------------------------------------------------

POETRY_APP = """
[project]
name = "podemo"
version = "1.0.0"
requires-python = ">=3.9"
dependencies = ["alpha>=1.0", "liba"]

[tool.poetry.dependencies]
liba = {{ path = "packages/liba", develop = true }}

[[tool.poetry.source]]
name = "local"
url = "{index}/"
priority = "primary"

[build-system]
requires = ["poetry-core>=2.0"]
build-backend = "poetry.core.masonry.api"
"""

POETRY_LIB = """
[project]
name = "liba"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["gamma"]

[build-system]
requires = ["poetry-core>=2.0"]
build-backend = "poetry.core.masonry.api"
"""


def test_poetry_lock_never_goes_stale_through_a_bump(lock_tools: Tools, tmp_path: Path) -> None:
    env = environment(lock_tools)
    root = tmp_path / "po"
    write_tree(
        root,
        {
            "pyproject.toml": POETRY_APP.format(index=lock_tools.index_url),
            "packages/liba/pyproject.toml": POETRY_LIB,
            "packages/liba/liba/__init__.py": "",
        },
    )
    code, output = run(lock_tools, env, root, "poetry", "lock")
    assert code == 0, output
    text = (root / "poetry.lock").read_text()
    # The root project is not in the lock; the path dependency is, with its version.
    assert 'name = "podemo"' not in text
    assert 'name = "liba"\nversion = "0.1.0"' in text

    assert stale_locks(str(root), Version("1.0.1"), "podemo") == ()
    assert stale_locks(str(root), Version("0.2.0"), "liba", project_dir="packages/liba") == ()
    edit(root / "pyproject.toml", 'version = "1.0.0"', 'version = "1.0.1"')
    edit(root / "packages/liba/pyproject.toml", 'version = "0.1.0"', 'version = "0.2.0"')
    # Poetry agrees: its content-hash leaves every version out.
    code, output = run(lock_tools, env, root, "poetry", "check", "--lock")
    assert code == 0, output
    assert plan_relock(str(root), Version("1.0.1"), "podemo", environ=env) == ()


# --- PDM --------------------------------------------------------------------------------------

PDM_ROOT = """
[project]
name = "wsroot"
version = "1.0.0"
requires-python = ">=3.9"
dependencies = ["alpha>=1.0"]

[tool.pdm]
distribution = false

[tool.pdm.workspace]
members = ["packages/*"]
"""

PDM_MEMBER = """
[project]
name = "liba"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["gamma"]

[build-system]
requires = ["pdm-backend"]
build-backend = "pdm.backend"
"""

LOCK_INPUTS = "\n[tool.pdm.resolution]\nlock_inputs = true\n"


def pdm_workspace(tools: Tools, root: Path, env: dict[str, str], lock_inputs: bool) -> None:
    root_text = PDM_ROOT + (LOCK_INPUTS if lock_inputs else "")
    write_tree(root, {"pyproject.toml": root_text, "packages/liba/pyproject.toml": PDM_MEMBER})
    code, output = run(tools, env, root, "pdm", "lock")
    assert code == 0, output
    assert ("[metadata.lock_inputs" in (root / "pdm.lock").read_text()) is lock_inputs


def pdm_check(tools: Tools, env: dict[str, str], root: Path) -> int:
    code, output = run(tools, env, root, "pdm", "lock", "--check")
    assert "Traceback" not in output, output
    return code


@pytest.mark.parametrize("lock_inputs", [False, True], ids=["content-hash", "lock-inputs"])
def test_pdm_never_records_the_root_version(
    lock_tools: Tools, tmp_path: Path, lock_inputs: bool
) -> None:
    env = environment(lock_tools)
    root = tmp_path / "pdm"
    pdm_workspace(lock_tools, root, env, lock_inputs)
    assert stale_locks(str(root), Version("1.1.0"), "wsroot") == ()
    edit(root / "pyproject.toml", 'version = "1.0.0"', 'version = "1.1.0"')
    assert pdm_check(lock_tools, env, root) == 0


def test_pdm_content_hash_ignores_a_member_bump(lock_tools: Tools, tmp_path: Path) -> None:
    env = environment(lock_tools)
    root = tmp_path / "pdm"
    pdm_workspace(lock_tools, root, env, lock_inputs=False)
    assert stale_locks(str(root), Version("0.2.0"), "liba", project_dir="packages/liba") == ()
    edit(root / "packages/liba/pyproject.toml", 'version = "0.1.0"', 'version = "0.2.0"')
    assert pdm_check(lock_tools, env, root) == 0


@pytest.mark.parametrize("from_member", [False, True], ids=["from-root", "from-member"])
def test_pdm_lock_inputs_member_bump_is_relocked_without_the_index(
    lock_tools: Tools, tmp_path: Path, from_member: bool
) -> None:
    env = environment(lock_tools)
    workspace = tmp_path / "pdm"
    pdm_workspace(lock_tools, workspace, env, lock_inputs=True)
    before = (workspace / "pdm.lock").read_text()
    assert 'name = "gamma"\nversion = "0.2"' in before
    if from_member:  # the member checked on its own (--repo packages/liba) in a repository
        git(workspace, "init", "-q", "-b", "main")
        root, project_dir, lock, above = workspace / "packages/liba", ".", "../../pdm.lock", True
    else:
        root, project_dir, lock, above = workspace, "packages/liba", "pdm.lock", False

    (step,) = plan_relock(str(root), Version("0.2.0"), "liba", project_dir=project_dir, environ=env)
    assert step.lock == lock
    assert step.argv == (
        "pdm",
        "lock",
        "--update-reuse",
        *(("--project", "../..") if above else ()),
    )
    assert step.available
    assert "records liba 0.1.0 in its lock_inputs" in step.reason
    member = workspace / "packages/liba/pyproject.toml"
    edit(member, 'version = "0.1.0"', 'version = "0.2.0"')
    assert pdm_check(lock_tools, env, workspace) == 1

    # No index to reach and an empty cache: reusing the locked pins needs neither.
    offline = dict(
        env, PDM_PYPI_URL="http://127.0.0.1:9/simple", PDM_CACHE_DIR=str(tmp_path / "cold")
    )
    lines = relock(root, (step,), offline)
    assert lines[-1] == f"RESULT {lock}: liba 0.1.0 -> 0.2.0"
    assert 'name = "gamma"\nversion = "0.2"' in (workspace / "pdm.lock").read_text()
    assert pdm_check(lock_tools, env, workspace) == 0
