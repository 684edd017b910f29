"""The check table declares each check once; everything else derives from it."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import release_assistant.hooks
from release_assistant.core.check_table import REGISTRY, CheckSpec, known_check_ids, spec_for
from release_assistant.core.engine import load_check
from release_assistant.core.rules import MODULES

HOOKS = Path(release_assistant.hooks.__file__).parent


@pytest.mark.parametrize("spec", REGISTRY, ids=lambda spec: spec.id)
def test_each_check_module_takes_its_id_and_title_from_the_table(spec: CheckSpec) -> None:
    module = importlib.import_module(spec.module)
    assert (spec.id, spec.title) == (module.ID, module.TITLE)
    assert inspect.isfunction(load_check(spec))


@pytest.mark.parametrize("spec", [s for s in REGISTRY if s.hook_variant], ids=lambda s: s.id)
def test_each_hook_variant_is_a_function_of_its_check(spec: CheckSpec) -> None:
    hooked = spec.for_hook()
    assert hooked.entry == spec.hook_variant
    function = load_check(hooked)
    assert function.__name__ == spec.hook_variant
    assert function.__module__ == spec.module


def test_a_check_no_hook_runs_says_so() -> None:
    with pytest.raises(LookupError, match="no hook runs the 'dist' check"):
        spec_for("dist").for_hook()


def test_the_ids_config_and_rule_modules_derive_from_the_table() -> None:
    assert known_check_ids() == tuple(spec.id for spec in REGISTRY)
    assert len(set(known_check_ids())) == len(REGISTRY)
    assert ("engine", *known_check_ids(), "publish_errors") == MODULES


def hook_check_ids() -> dict[str, list[str]]:
    """The check ids each hook module passes to ``run_hook`` (read from its source)."""
    found: dict[str, list[str]] = {}
    for path in sorted(HOOKS.glob("check_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "run_hook":
                checks = node.args[2]
                assert isinstance(checks, ast.List), path.name
                found[path.stem] = [ast.literal_eval(item) for item in checks.elts]
    return found


def test_every_hook_names_checks_the_table_gives_a_hook_variant() -> None:
    hooks = hook_check_ids()
    assert len(hooks) == 4, hooks
    named = [check_id for ids in hooks.values() for check_id in ids]
    assert all(spec_for(check_id).hook_variant for check_id in named), hooks
    assert sorted(named) == sorted(spec.id for spec in REGISTRY if spec.hook_variant)


def test_an_unconfigured_check_takes_the_tables_blocking() -> None:
    from release_assistant.core.project.config import Config

    settings = Config().settings_for("lock")
    assert (settings.enabled, settings.blocking) == (True, spec_for("lock").blocking)
