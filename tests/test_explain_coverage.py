"""Every finding code is emitted through its typed rule, and every rule has an emit site.

Codes live in :mod:`release_assistant.core.rules` only: an emit site imports the rule's
constant (``STALE_DEPENDENCY``), so a misspelt rule is an import error and "where is RA504
emitted" is one grep for its constant.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

import release_assistant
from release_assistant.cli import main
from release_assistant.core.rules import MODULES, Rule, all_rules, explain

PACKAGE = Path(release_assistant.__file__).parent
CODE = re.compile(r"RA\d{3}")
#: The registry itself names every code; it declares them, it does not emit them.
REGISTRY = PACKAGE / "core" / "rules"
RULES_PACKAGE = "release_assistant.core.rules"
#: Rule modules that hold finding codes (``publish_errors`` holds what a publish run prints).
CODE_MODULES = tuple(module for module in MODULES if module != "publish_errors")


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring constants in ``tree`` (prose may name codes)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def code_literals(source: str) -> list[int]:
    """The lines of string literals (f-string parts too) naming a code, docstrings aside."""
    tree = ast.parse(source)
    prose = _docstrings(tree)
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in prose
        and CODE.search(node.value)
    )


def package_sources() -> list[Path]:
    """Every module of the package outside the registry."""
    return [path for path in sorted(PACKAGE.rglob("*.py")) if REGISTRY not in path.parents]


def test_the_literal_scan_finds_a_code_string() -> None:
    """Guard the scan: a code in a call, a hint or an f-string counts; a docstring does not."""
    source = (
        '"""Emits RA504."""\n'
        'out.add("RA504", "stale")\n'
        'hint = f"or ignore RA520 for {name}"\n'
        "def f():\n"
        '    """RA601 when nothing publishes."""\n'
        '    return finding.code == "RA002"\n'
    )
    assert code_literals(source) == [2, 3, 6]


def test_no_code_string_outside_the_registry() -> None:
    """Findings name their code through the rule: no string literal spells a code."""
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in package_sources()
        for line in code_literals(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "use the rule constant (rule.code) instead: " + ", ".join(offenders)


def referenced_rules() -> set[tuple[str, str]]:
    """``(rule module, constant)`` pairs that some module outside the registry imports and uses."""
    found: set[tuple[str, str]] = set()
    for path in package_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        imported: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                f"{RULES_PACKAGE}."
            ):
                module = (node.module or "").removeprefix(f"{RULES_PACKAGE}.")
                for alias in node.names:
                    imported[alias.asname or alias.name] = module
        used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        found |= {(module, name) for name, module in imported.items() if name in used}
    return found


def declared_rules() -> dict[tuple[str, str], Rule]:
    """Every finding rule as ``(module, constant) -> rule``, in registry order."""
    declared: dict[tuple[str, str], Rule] = {}
    for module in CODE_MODULES:
        loaded = importlib.import_module(f"{RULES_PACKAGE}.{module}")
        names = {id(value): name for name, value in vars(loaded).items() if isinstance(value, Rule)}
        for rule in loaded.RULES:
            assert id(rule) in names, f"{rule.code} in rules/{module}.py has no constant name"
            declared[(module, names[id(rule)])] = rule
    return declared


def test_the_reference_scan_finds_emit_sites() -> None:
    """Guard the scan: it sees the rules the engine, a check and a domain module emit."""
    found = referenced_rules()
    assert {
        ("engine", "CHECK_COULD_NOT_RUN"),
        ("lock", "STALE_DEPENDENCY"),
        ("workflow", "UNPINNED_ACTION"),
        ("gates", "RUN_WITHOUT_ARTIFACT_INTEGRITY"),
    } <= found
    assert len(found) >= 150


def test_every_rule_has_an_emit_site_or_says_why_not() -> None:
    """A rule nobody emits is dead documentation unless its module says why (``NOT_EMITTED``)."""
    referenced = referenced_rules()
    orphans = []
    for (module, name), rule in declared_rules().items():
        not_emitted = getattr(
            importlib.import_module(f"{RULES_PACKAGE}.{module}"), "NOT_EMITTED", {}
        )
        if (module, name) in referenced:
            assert rule not in not_emitted, f"{rule.code} ({name}) is emitted: unmark it"
        elif rule not in not_emitted:
            orphans.append(f"{rule.code} {module}.{name}")
    assert not orphans, (
        f"rules without an emit site (emit them or list them in NOT_EMITTED): {orphans}"
    )


def test_every_publish_symptom_is_matched_in_logs() -> None:
    """The publish-run symptoms are not emitted by a check: ``watch`` matches them in a log."""
    from release_assistant.core.rules.publish_errors import RULES, SIGNATURES

    assert {rule.code for rule in RULES} == set(SIGNATURES)


def test_rule_constants_are_unique_across_modules() -> None:
    """One name, one rule: a grep for a constant finds one rule's emit sites only."""
    names = [name for _, name in declared_rules()]
    assert len(names) == len(set(names))


def test_entries_are_unique_and_in_code_order() -> None:
    codes = [rule.code for rule in all_rules() if CODE.fullmatch(rule.code)]
    assert len(codes) == len(set(codes))
    assert codes == sorted(codes)


def test_the_generic_gate_entry_still_covers_other_gate_codes() -> None:
    entry = explain("RA899")
    assert entry is not None and entry.code == "RA8xx"


def test_explain_a_changelog_code(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["explain", "RA403"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith("RA403: The release's version appears twice in the changelog\n")
    assert "Cause:" in out and "Fix:" in out


def test_explain_a_lock_code_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code = main(["explain", "ra510", "--format", "json"])
    out, _ = capsys.readouterr()
    assert code == 0
    payload = json.loads(out)
    assert (payload["key"], payload["code"]) == ("RA510", "RA510")
    assert "poetry lock" in payload["fix"]
