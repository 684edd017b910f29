"""What the hooks and the core pull into ``sys.modules``, checked in fresh interpreters.

A hook run is dominated by interpreter start-up, and the core must stay headless, so (as in
harlequin's ``test_import_hygiene.py``) each hook is imported **and run** on a real repository
in its own interpreter, and the modules it loaded are compared with what it must never load.
``lint-imports`` checks the same boundaries statically (``[tool.importlinter]``).
"""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import release_assistant.core
from release_assistant.core.engine import known_check_ids
from release_assistant.core.support.toml_lines import load_toml
from release_assistant.core.workflows.template import plan_init
from tests.conftest import REPO_ROOT, RepoFactory, minimal_pyproject, run_isolated
from tests.parity_fixtures import generated_set

HOOK_MODULES = {
    "check-changelog-version": "release_assistant.hooks.check_changelog_version",
    "check-lock-file": "release_assistant.hooks.check_lock_file",
    "check-release-workflow": "release_assistant.hooks.check_release_workflow",
    "check-parity-artifacts": "release_assistant.hooks.check_parity_artifacts",
}
#: Never on a hook's path: the TUI stack, GitPython, pydantic.
FORBIDDEN = ("textual", "rich", "git", "pydantic")
#: Not needed by a hook run without options (argparse), nor by a hook that only reads
#: (tempfile), nor a YAML library (workflows in the usual block style are read by core.yaml_lite):
#: they would only cost start-up time.
#: The changelog hook, the one a 10,000-section changelog makes slow, also runs without
#: pathlib (its modules use os.path).
#: Nor `regex` (loaded only to run a user's version_files pattern with a timeout).
NOT_ANY_HOOK = ("argparse", "tempfile", "regex")
NOT_NEEDED = {
    "check-changelog-version": (*NOT_ANY_HOOK, "yaml", "ruamel", "json", "pathlib"),
    "check-lock-file": (*NOT_ANY_HOOK, "yaml", "ruamel"),
    # A workflow with nothing to report prints nothing: nothing to mask (core.redact), and
    # no suppression comment to place (bisect).
    "check-release-workflow": (
        *(*NOT_ANY_HOOK, "yaml", "ruamel"),
        *("release_assistant.core.redact", "bisect"),
    ),
    # The parity gate's results are standard dataclasses (issue 14), so this hook, off by
    # default, loads dataclasses (with inspect, ast): ~7 ms CPU, and defining the gate's
    # classes ~6 ms more (benchmarks/parity_gate.py, on a loaded development machine).
    "check-parity-artifacts": (*NOT_ANY_HOOK, "yaml", "ruamel"),
}

#: A project with dependencies (a workspace member, so ``uv lock --offline`` resolves it with
#: no index), one with a marker: the hooks then parse requirements and markers, and whatever
#: ``packaging`` drags in is on the path the test watches.
PYPROJECT = minimal_pyproject("demo", "1.0.0").replace(
    "dependencies = []",
    'dependencies = ["helper>=0.1", "helper[extra]; python_version >= \'3.10\'"]\n\n'
    "[tool.uv.sources]\nhelper = { workspace = true }\n\n"
    '[tool.uv.workspace]\nmembers = ["libs/helper"]',
)
HELPER_PYPROJECT = minimal_pyproject("helper", "0.1.0").replace(
    "dependencies = []", "dependencies = []\n\n[project.optional-dependencies]\nextra = []"
)


def loaded(name: str, modules: list[str]) -> bool:
    return any(module == name or module.startswith(f"{name}.") for module in modules)


@pytest.fixture
def full_repo(make_repo: RepoFactory) -> Path:
    """A repository on which every hook has real work to do, and passes."""
    root = make_repo(
        {
            "CHANGELOG.md": "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-01-01\n\n- One.\n",
            "src/demo/__init__.py": '"""Demo."""\n',
            "libs/helper/pyproject.toml": HELPER_PYPROJECT,
            "libs/helper/src/helper/__init__.py": '"""Helper."""\n',
        },
        commit=False,
    )
    artifacts = generated_set(root)
    (root / "pyproject.toml").write_text(PYPROJECT + artifacts.config_toml(), encoding="utf-8")
    plan = plan_init(root, ".github/workflows/release.yml", load_toml(root / "pyproject.toml"))
    plan.path.parent.mkdir(parents=True)
    plan.path.write_text(plan.text, encoding="utf-8")
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    if os.path.exists(uv):
        subprocess.run([uv, "lock", "--offline", "--quiet"], cwd=root, check=True)
    return root


@pytest.mark.parametrize("hook_id", sorted(HOOK_MODULES))
def test_a_hook_run_loads_no_heavy_module(hook_id: str, full_repo: Path) -> None:
    if hook_id == "check-lock-file" and "lock" not in known_check_ids():
        pytest.skip("the lock check (issue 3) has not landed yet")
    result, _ = run_isolated(
        f"""
        import sys
        from {HOOK_MODULES[hook_id]} import main
        code = main([])
        modules = sorted(sys.modules)  # before json, which only this harness needs
        import json
        print(json.dumps({{"code": code, "modules": modules}}))
        """,
        cwd=full_repo,
    )
    assert result["code"] == 0
    modules = result["modules"]
    assert isinstance(modules, list)
    # It really ran the core: the engine, or the lock check's quick path (hook_passes).
    ran = "checks.lock" if hook_id == "check-lock-file" else "engine"
    assert f"release_assistant.core.{ran}" in modules
    heavy = [name for name in FORBIDDEN if loaded(name, modules)]
    assert heavy == [], f"{hook_id} imported {heavy}"
    needless = [name for name in NOT_NEEDED[hook_id] if loaded(name, modules)]
    assert needless == [], f"{hook_id} imported {needless}"
    assert not loaded("release_assistant.cli", modules)
    assert not loaded("release_assistant.tui", modules)


#: The lock hook's usual run (a lock in sync) is answered by ``hook_passes`` without a
#: RepoContext: none of the engine or suppression modules (nor the configuration's, read only
#: when the table is there), no argparse, and git is started with ``os.posix_spawnp`` instead
#: of subprocess (which brings threading and selectors). The marker model, loaded only for a
#: marker or a ``[tool.uv.sources]`` entry, is loaded here: the project has a workspace source.
NOT_ON_THE_QUICK_LOCK_PATH = (
    *NOT_NEEDED["check-lock-file"],
    "subprocess",
    "threading",
    "selectors",
    "signal",
    "json",
    "packaging",
    "release_assistant.core.engine",
    "release_assistant.core.context",
    "release_assistant.core.project",
    "release_assistant.core.suppressions",
    "release_assistant.core.redact",
)


@pytest.mark.skipif(not hasattr(os, "posix_spawnp"), reason="git is run by subprocess there")
def test_the_lock_hook_answers_a_lock_in_sync_on_its_quick_path(make_repo: RepoFactory) -> None:
    # PYPROJECT without its marker and without the configuration table full_repo adds.
    pyproject = PYPROJECT.replace("\"helper[extra]; python_version >= '3.10'\"", '"helper[extra]"')
    assert pyproject != PYPROJECT
    root = make_repo(
        {
            "pyproject.toml": pyproject,
            "src/demo/__init__.py": '"""Demo."""\n',
            "libs/helper/pyproject.toml": HELPER_PYPROJECT,
            "libs/helper/src/helper/__init__.py": '"""Helper."""\n',
        }
    )
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    if not os.path.exists(uv):
        pytest.skip("uv is not installed")
    subprocess.run([uv, "lock", "--offline", "--quiet"], cwd=root, check=True)
    subprocess.run(["git", "add", "uv.lock"], cwd=root, check=True)
    result, shown = run_isolated(
        """
        import sys
        from release_assistant.hooks.check_lock_file import main
        code = main([])
        modules = sorted(sys.modules)
        import json
        print(json.dumps({"code": code, "modules": modules}))
        """,
        cwd=root,
    )
    assert (result["code"], shown) == (0, "")
    modules = result["modules"]
    assert isinstance(modules, list)
    assert "release_assistant.core.lockfiles.uv.manifest" in modules  # it really compared
    loaded_needlessly = [name for name in NOT_ON_THE_QUICK_LOCK_PATH if loaded(name, modules)]
    assert loaded_needlessly == []


def test_importing_every_core_module_loads_no_ui() -> None:
    names = sorted(
        info.name
        for info in pkgutil.walk_packages(
            release_assistant.core.__path__, "release_assistant.core."
        )
    )
    assert "release_assistant.core.engine" in names
    result, _ = run_isolated(
        f"""
        import importlib, json, sys
        for name in {names!r}:
            importlib.import_module(name)
        print(json.dumps({{"modules": sorted(sys.modules)}}))
        """,
        cwd=REPO_ROOT,
    )
    modules = result["modules"]
    assert isinstance(modules, list)
    for name in ("textual", "rich", "release_assistant.tui", "release_assistant.cli"):
        assert not loaded(name, modules), name
    assert not loaded("release_assistant.hooks", modules)


def test_import_linter_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    done = subprocess.run(
        [lint_imports, "--no-cache"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "hooks stay light" in done.stdout
    assert "BROKEN" not in done.stdout


def test_check_with_text_output_imports_no_pydantic(full_repo: Path) -> None:
    """pydantic serialises the JSON report only; the text a terminal shows needs none of it
    (importing it was over half of a ``check`` run's time)."""
    result, _ = run_isolated(
        """
        import contextlib, io, sys
        from release_assistant.cli.main import main
        with contextlib.redirect_stdout(io.StringIO()) as shown:
            code = main(["check", "--format", "text", "--skip", "git"])
        modules = sorted(sys.modules)
        import json
        print(json.dumps({"code": code, "modules": modules, "shown": shown.getvalue()}))
        """,
        cwd=full_repo,
    )
    modules = result["modules"]
    assert isinstance(modules, list)
    assert "ready to release" in str(result["shown"]) or "release blocked" in str(result["shown"])
    assert "release_assistant.core.report.text" in modules  # it really rendered text
    assert not loaded("pydantic", modules)
    assert not loaded("release_assistant.core.report.json_report", modules)


def test_check_writing_its_reports_imports_no_pydantic_nor_gitpython(
    make_repo: RepoFactory, tmp_path: Path
) -> None:
    """``check --report-dir`` writes ``verification-report.json`` without pydantic (the JSON is
    written with :mod:`json`, the same bytes), never loads GitPython, and loads neither
    OpenSSL's hashes nor difflib, which only a write with a journal needs: together they were
    over a third of a ``check`` run (issue 26's alarm: ``check`` on this repository).
    (A configured gate's summary is still written by pydantic.)"""
    root = make_repo(
        {
            "pyproject.toml": PYPROJECT,
            "CHANGELOG.md": "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-01-01\n\n- One.\n",
            "src/demo/__init__.py": '"""Demo."""\n',
            "libs/helper/pyproject.toml": HELPER_PYPROJECT,
        }
    )
    plan = plan_init(root, ".github/workflows/release.yml", load_toml(root / "pyproject.toml"))
    plan.path.parent.mkdir(parents=True)
    plan.path.write_text(plan.text, encoding="utf-8")
    reports = tmp_path / "reports"
    result, _ = run_isolated(
        f"""
        import contextlib, io, sys
        from release_assistant.cli.main import main
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["check", "--report-dir", {str(reports)!r}])
        modules = sorted(sys.modules)
        import json
        print(json.dumps({{"code": code, "modules": modules}}))
        """,
        cwd=root,
    )
    modules = result["modules"]
    assert isinstance(modules, list)
    assert result["code"] in (0, 1)
    assert "release_assistant.core.report.json_shape" in modules  # it really wrote JSON
    assert (reports / "verification-report.json").is_file()
    for name in ("pydantic", "pydantic_core", "git", "hashlib", "difflib", "textual", "rich"):
        assert not loaded(name, modules), name
