"""The ``lock`` check on ``pdm.lock`` agrees with ``pdm lock --check``, case by case.

PDM hashes the raw declarations (``content_hash``), so a reordered dependency list is stale
while a version bump is not. A hand-computed hash pins the formula independently of PDM.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from release_assistant.core.lockfiles import pdm
from release_assistant.core.support.toml_lines import tomllib
from tests.lock_support import (
    Tools,
    assert_same_verdict,
    copy_project,
    edit,
    lock_tools,
    our_verdict,
    run_tool,
    write_tree,
)

__all__ = ["lock_tools"]

BASE = """
[project]
name = "ddemo"
version = "0.1.0"
description = "Demo"
requires-python = ">=3.9"
dependencies = ["alpha>=1.0", "beta; python_version >= '3.8'"]

[project.optional-dependencies]
cli = ["gamma"]

[dependency-groups]
dev = ["delta"]

[tool.pdm]
distribution = false
"""

WORKSPACE_ROOT = """
[project]
name = "wsroot"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["alpha>=1.0"]

[tool.pdm]
distribution = false

[tool.pdm.workspace]
members = ["packages/*"]
"""

MEMBER = """
[project]
name = "liba"
version = "0.1.0"
description = "member"
requires-python = ">=3.9"
dependencies = ["gamma"]

[build-system]
requires = ["pdm-backend"]
build-backend = "pdm.backend"
"""


def pdm_lock(tools: Tools, root: Path) -> None:
    result = run_tool(tools, root, "pdm", "lock")
    assert result.returncode == 0, result.stdout + result.stderr


def pdm_verdict(tools: Tools, root: Path) -> str:
    result = run_tool(tools, root, "pdm", "lock", "--check")
    if result.returncode == 0:
        return "pass"
    assert "Traceback" not in result.stderr, result.stderr
    return "fail"


@pytest.fixture(scope="session")
def pdm_base(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pdm-base")
    write_tree(root, {"pyproject.toml": BASE})
    pdm_lock(lock_tools, root)
    return root


@pytest.fixture(scope="session")
def pdm_workspace(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pdm-workspace")
    write_tree(root, {"pyproject.toml": WORKSPACE_ROOT, "packages/liba/pyproject.toml": MEMBER})
    pdm_lock(lock_tools, root)
    return root


def pyproject(old: str, new: str, relpath: str = "pyproject.toml") -> Callable[[Path], None]:
    return lambda root: edit(root / relpath, old, new)


CASES = [
    ("add-dependency", pyproject('"beta; python', '"gamma", "beta; python')),
    ("remove-dependency", pyproject(", \"beta; python_version >= '3.8'\"", "")),
    ("change-specifier", pyproject('"alpha>=1.0"', '"alpha>=1.5"')),
    ("reorder-dependencies", pyproject('"alpha>=1.0", "beta', '"beta')),
    ("requires-python", pyproject('">=3.9"', '">=3.10"')),
    ("add-extra", pyproject('cli = ["gamma"]', 'cli = ["gamma"]\nfast = ["zeta"]')),
    ("add-group", pyproject('dev = ["delta"]', 'dev = ["delta"]\ntest = ["epsilon"]')),
    ("change-group", pyproject('dev = ["delta"]', 'dev = ["delta>=3"]')),
    (
        "legacy-dev-dependencies",
        pyproject(
            "distribution = false\n", 'distribution = false\ndev-dependencies = {lint = ["zeta"]}\n'
        ),
    ),
    (
        "resolution-setting",
        pyproject(
            "distribution = false\n",
            'distribution = false\n\n[tool.pdm.resolution]\nexcludes = ["zeta"]\n',
        ),
    ),
    (
        "lock-inputs-enabled",
        pyproject(
            "distribution = false\n",
            "distribution = false\n\n[tool.pdm.resolution]\nlock_inputs = true\n",
        ),
    ),
    ("version-bump", pyproject('version = "0.1.0"', 'version = "0.2.0"')),
    ("description", pyproject('"Demo"', '"A demo"')),
    ("respell-group-name", pyproject('dev = ["delta"]', 'Dev = ["delta"]')),
    (
        "unrelated-tool-table",
        pyproject("[tool.pdm]\n", "[tool.ruff]\nline-length = 90\n\n[tool.pdm]\n"),
    ),
]

WORKSPACE_CASES = [
    (
        "member-adds-dependency",
        pyproject('["gamma"]', '["gamma", "delta"]', "packages/liba/pyproject.toml"),
    ),
    ("member-description", pyproject('"member"', '"a member"', "packages/liba/pyproject.toml")),
    ("root-dependency", pyproject('["alpha>=1.0"]', '["alpha>=1.5"]')),
]


@pytest.mark.parametrize("mutate", [pytest.param(m, id=case) for case, m in CASES])
def test_project_matches_pdm(
    lock_tools: Tools, pdm_base: Path, tmp_path: Path, mutate: Callable[[Path], None]
) -> None:
    _compare(lock_tools, copy_project(pdm_base, tmp_path / "p"), mutate)


@pytest.mark.parametrize("mutate", [pytest.param(m, id=case) for case, m in WORKSPACE_CASES])
def test_workspace_matches_pdm(
    lock_tools: Tools, pdm_workspace: Path, tmp_path: Path, mutate: Callable[[Path], None]
) -> None:
    _compare(lock_tools, copy_project(pdm_workspace, tmp_path / "w"), mutate)


def _compare(tools: Tools, root: Path, mutate: Callable[[Path], None]) -> None:
    hint = "run `pdm lock` and commit the updated pdm.lock"
    finding = assert_same_verdict(root, mutate, partial(pdm_verdict, tools), hint)
    if finding is not None:
        assert finding.code == "RA511"


def test_bases_pass_without_findings(
    lock_tools: Tools, pdm_base: Path, pdm_workspace: Path
) -> None:
    for base in (pdm_base, pdm_workspace):
        assert pdm_verdict(lock_tools, base) == "pass"
        assert our_verdict(base)[1].findings == ()


def test_lock_inputs_are_reported_as_unverifiable(
    lock_tools: Tools, pdm_base: Path, tmp_path: Path
) -> None:
    root = copy_project(pdm_base, tmp_path / "p")
    edit(
        root / "pyproject.toml",
        "distribution = false\n",
        "distribution = false\n\n[tool.pdm.resolution]\nlock_inputs = true\n",
    )
    pdm_lock(lock_tools, root)
    assert "lock_inputs" in (root / "pdm.lock").read_text()
    assert pdm_verdict(lock_tools, root) == "pass"
    verdict, result = our_verdict(root)
    assert verdict == "pass"
    assert [f.code for f in result.findings] == ["RA512"]


def test_hash_by_hand_matches_the_documented_formula() -> None:
    data: dict[str, Any] = {
        "project": {
            "dependencies": ["alpha>=1.0"],
            "optional-dependencies": {"cli": ["gamma"]},
            "requires-python": ">=3.9",
        },
        "dependency-groups": {"Dev_Tools": ["delta", {"include-group": "lint"}], "lint": []},
        "tool": {"pdm": {"dev-dependencies": {"lint": ["zeta"]}, "source": [{"name": "x"}]}},
    }
    expected_input = {
        "sources": [{"name": "x"}],
        "dependencies": ["alpha>=1.0"],
        "dev-dependencies": {
            "dev-tools": ["delta", {"include-group": "lint"}],
            "lint": ["zeta"],
        },
        "optional-dependencies": {"cli": ["gamma"]},
        "requires-python": ">=3.9",
        "resolution": {},
    }
    digest = hashlib.sha256(json.dumps(expected_input, sort_keys=True).encode()).hexdigest()
    assert pdm.content_hash(data) == digest
    # The declarations themselves are left untouched.
    assert data["dependency-groups"]["lint"] == []


def test_our_hash_is_the_one_pdm_wrote(pdm_base: Path) -> None:
    data = tomllib.loads((pdm_base / "pyproject.toml").read_text())
    recorded = tomllib.loads((pdm_base / "pdm.lock").read_text())["metadata"]["content_hash"]
    assert recorded == f"sha256:{pdm.content_hash(data)}"


EXTRAS_PROJECT = """
[project]
name = "extras-demo"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["eta"]

[dependency-groups]
dev = ["eta[fast]"]

[tool.pdm]
distribution = false
"""


def test_plain_and_extras_entries_are_not_duplicates(lock_tools: Tools, tmp_path: Path) -> None:
    """PDM keys entries by name, version and requested extras: `eta` and `eta[fast]` 1.0 are
    two entries of one lock, and a verbatim copy of an entry does not fail `pdm lock --check`."""
    root = tmp_path / "p"
    write_tree(root, {"pyproject.toml": EXTRAS_PROJECT})
    pdm_lock(lock_tools, root)
    text = (root / "pdm.lock").read_text()
    assert text.count('name = "eta"\nversion = "1.0"\n') == 2
    assert 'extras = ["fast"]' in text
    assert pdm_verdict(lock_tools, root) == "pass"
    verdict, result = our_verdict(root)
    assert (verdict, result.findings) == ("pass", ())

    start = text.index('[[package]]\nname = "alpha"')
    end = text.index("[[package]]", start + 1)
    (root / "pdm.lock").write_text(text[:end] + text[start:end] + text[end:])
    assert pdm_verdict(lock_tools, root) == "pass"
    verdict, result = our_verdict(root)
    assert verdict == "pass"
    ((code, severity),) = [(f.code, f.severity.value) for f in result.findings]
    assert (code, severity) == ("RA521", "warning")
    assert "`alpha" in result.findings[0].message
