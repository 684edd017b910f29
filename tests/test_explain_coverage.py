"""Every finding code the tool can emit has its own ``release-assistant explain`` entry."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import release_assistant
from release_assistant.cli import main
from release_assistant.core.rules import all_rules, explain

PACKAGE = Path(release_assistant.__file__).parent
CODE = re.compile(r"RA\d{3}")
#: The registry itself names every code; it explains them, it does not emit them.
REGISTRY = PACKAGE / "core" / "rules"


def emitted_codes() -> dict[str, list[str]]:
    """Each string constant under the package that is exactly a code, with where it occurs.

    Docstrings that list codes are prose, and a constant that merely contains a code (a hint
    such as "ignore RA520") is not a finding code, so only exact constants count.
    """
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent == REGISTRY:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and CODE.fullmatch(node.value)
            ):
                where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                found.setdefault(node.value, []).append(where)
    return found


def test_the_scan_finds_the_emitters() -> None:
    """Guard the scan itself: it sees codes from every emitting module, not nothing."""
    codes = emitted_codes()
    assert len(codes) >= 100
    files = {where.split(":")[0] for sites in codes.values() for where in sites}
    for module in (
        "release_assistant/core/engine.py",
        "release_assistant/core/project/release_target.py",
        "release_assistant/core/checks/version.py",
        "release_assistant/core/checks/changelog.py",
        "release_assistant/core/lockfiles/uv/scan.py",
        "release_assistant/core/lockfiles/generic.py",
        "release_assistant/core/checks/workflow.py",
        "release_assistant/core/checks/publisher.py",
        "release_assistant/core/gates/parity/lock.py",
        "release_assistant/core/gates/parity/runs.py",
        "release_assistant/core/gates/parity/aggregate.py",
    ):
        assert module in files, module
    # RA809/RA810 are emitted from a (key, code) tuple, not a call argument.
    assert {"RA001", "RA301", "RA403", "RA520", "RA809", "RA810", "RA819"} <= set(codes)


@pytest.mark.parametrize("code", sorted(emitted_codes()))
def test_every_emitted_code_has_a_specific_entry(code: str) -> None:
    entry = explain(code)
    assert entry is not None, f"{code} has no entry (emitted at {emitted_codes()[code]})"
    assert entry.code == code, f"{code} only has the generic {entry.code} entry"
    assert entry.title and entry.cause and entry.fix


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
