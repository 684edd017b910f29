"""The rule registry: every finding code the tool emits, declared once.

One module per check holds its rules (``rules/workflow.py`` has every ``RA6xx``): code,
default severity, title, cause, fix, documentation link. ``release-assistant explain``, the
generated reference (``docs/rules.md``), the text/JSON reports and the walkthrough all read
this registry, and the engine takes each finding's severity from it (after the
``[tool.release-assistant.severity]`` overrides), so a code's weight is decided in one place.

Each rule is a named constant (``rules.lock.STALE_DEPENDENCY``) and findings are emitted
through it (``collector.add(STALE_DEPENDENCY, ...)``), never through a code string: a misspelt
rule is an import error, and a grep for the constant finds every emit site. A rule no finding
site emits is listed in its module's ``NOT_EMITTED`` with the reason
(tests/test_explain_coverage.py holds the rest to an emit site).

A check imports only its own rule module: a pre-commit hook that runs one check loads one
small module.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import replace

from release_assistant.core.check_table import known_check_ids
from release_assistant.core.findings import Finding, Severity
from release_assistant.core.rules.rule import RULES_DOC, Rule
from release_assistant.core.support.lazy_regex import LazyPattern

__all__ = [
    "RULES_DOC",
    "Rule",
    "all_rules",
    "apply_rules",
    "check_of_code",
    "explain",
    "known_keys",
    "rule_for",
]

#: Rule modules in the order a release walks through the checks; ``publish_errors`` holds
#: what a failed publish run prints (no finding code of ours).
MODULES: tuple[str, ...] = ("engine", *known_check_ids(), "publish_errors")

#: The check (and rule module) that owns each code family.
_MODULE_OF_FAMILY: dict[str, str] = {
    "0": "engine",
    "1": "git",
    "2": "ci",
    "3": "version",
    "4": "changelog",
    "5": "lock",
    "6": "workflow",
    "7": "publisher",
    "8": "gates",
    "9": "dist",
}
_CODE = LazyPattern(r"^RA(\d)\d\d$")
_GENERIC = LazyPattern(r"^ra(\d)\d\d$")
_LOADED: dict[str, dict[str, Rule]] = {}


def _module_rules(module: str) -> dict[str, Rule]:
    loaded = _LOADED.get(module)
    if loaded is None:
        rules: tuple[Rule, ...] = importlib.import_module(f"{__name__}.{module}").RULES
        check = "" if module == "publish_errors" else module
        loaded = {rule.code: replace(rule, check=check) for rule in rules}
        _LOADED[module] = loaded
    return loaded


def rule_for(code: str) -> Rule | None:
    """The rule of a finding code (``RA604``); ``None`` for a code nobody declared."""
    match = _CODE.match(code)
    if match is None:
        return None
    module = _MODULE_OF_FAMILY.get(match.group(1))
    return None if module is None else _module_rules(module).get(code)


def check_of_code(code: str) -> str | None:
    """The check whose family a code belongs to (``RA699`` -> ``workflow``), declared or not.

    ``None`` for a malformed code and for the engine's own ``RA0xx``, which any check emits.
    """
    match = _CODE.match(code)
    if match is None:
        return None
    module = _MODULE_OF_FAMILY.get(match.group(1))
    return None if module in (None, "engine") else module


def all_rules() -> tuple[Rule, ...]:
    """Every rule and publish-time symptom, grouped by check in release order."""
    return tuple(rule for module in MODULES for rule in _module_rules(module).values())


def explain(key: str) -> Rule | None:
    """The rule for a code (``RA604``), a gate code (``RA8xx`` fallback) or a symptom name."""
    wanted = key.strip().lower()
    by_key: dict[str, Rule] = {}
    for rule in all_rules():
        by_key.setdefault(rule.code.lower(), rule)
        for alias in rule.aliases:
            by_key.setdefault(alias.lower(), rule)
    found = by_key.get(wanted)
    if found is not None:
        return found
    match = _GENERIC.match(wanted)
    if match is not None:
        return by_key.get(f"ra{match.group(1)}xx")
    return None


def known_keys() -> list[str]:
    """Every key ``explain`` accepts directly (codes and symptom names, no aliases)."""
    return [rule.code for rule in all_rules()]


def apply_rules(
    findings: Iterable[Finding], overrides: Mapping[str, Severity] | None = None
) -> tuple[Finding, ...]:
    """``findings`` with each severity taken from the registry and then ``overrides``.

    A ``contextual`` rule keeps the severity its check chose; a code in ``overrides`` (the
    user's ``[tool.release-assistant.severity]``) always gets that one. Findings of a
    ``collapse`` rule become one finding per code: the first, with the count and the other
    lines added to its message.
    """
    overrides = overrides or {}
    out: list[Finding] = []
    collapsed: dict[str, tuple[int, list[Finding]]] = {}
    for finding in findings:
        rule = rule_for(finding.code)
        severity = overrides.get(finding.code)
        if severity is None and rule is not None and not rule.contextual:
            severity = rule.severity
        if severity is not None and severity is not finding.severity:
            finding = replace(finding, severity=severity)
        if rule is not None and rule.collapse:
            if finding.code in collapsed:
                collapsed[finding.code][1].append(finding)
                continue
            collapsed[finding.code] = (len(out), [finding])
        out.append(finding)
    for index, group in collapsed.values():
        if len(group) > 1:
            out[index] = _collapsed(group)
    return tuple(out)


def _collapsed(group: list[Finding]) -> Finding:
    first = group[0]
    lines = [str(f.line) for f in group[1:] if f.line is not None]
    shown = ", ".join(lines[:10]) + (", ..." if len(lines) > 10 else "")
    also = f"; also at line{'s' if len(lines) > 1 else ''} {shown}" if lines else ""
    return replace(first, message=f"{first.message} ({len(group)} times{also})")
