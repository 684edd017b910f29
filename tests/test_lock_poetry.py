"""The ``lock`` check on ``poetry.lock`` agrees with ``poetry check --lock``, case by case.

Two base projects (PEP 621 with ``[dependency-groups]``, and the legacy ``[tool.poetry]``
layout) are locked once per session by the real Poetry against the local test index. Poetry
hashes the raw declarations, so a reordered list is stale while a reordered table is not; the
cases pin both.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from release_assistant.core.lockfiles import poetry
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

MODERN = """
[project]
name = "pdemo"
version = "0.1.0"
description = "Demo"
requires-python = ">=3.9"
dependencies = ["alpha>=1.0", "beta; python_version >= '3.8'"]

[project.optional-dependencies]
cli = ["gamma"]

[dependency-groups]
dev = ["delta"]

[tool.poetry]
package-mode = false

[[tool.poetry.source]]
name = "local"
url = "{index}/"
priority = "primary"
"""

LEGACY = """
[tool.poetry]
name = "legacy"
version = "0.1.0"
description = "Legacy"
authors = ["A. Author <author@example.invalid>"]
package-mode = false

[tool.poetry.dependencies]
python = ">=3.9"
alpha = ">=1.0"
beta = {{ version = "*", python = ">=3.8" }}

[tool.poetry.group.dev.dependencies]
delta = "*"

[[tool.poetry.source]]
name = "local"
url = "{index}/"
priority = "primary"
"""


def poetry_lock(tools: Tools, root: Path) -> None:
    result = run_tool(tools, root, "poetry", "lock")
    assert result.returncode == 0, result.stdout + result.stderr


def poetry_verdict(tools: Tools, root: Path) -> str:
    """``pass`` when ``poetry check --lock`` accepts the lock, else ``fail``."""
    result = run_tool(tools, root, "poetry", "check", "--lock")
    output = result.stdout + result.stderr
    if result.returncode == 0:
        return "pass"
    # Fail only for staleness, not because the edited pyproject is invalid.
    assert "changed significantly since poetry.lock was last generated" in output, output
    return "fail"


def _base(tools: Tools, factory: pytest.TempPathFactory, name: str, text: str) -> Path:
    root = factory.mktemp(name)
    write_tree(root, {"pyproject.toml": text.format(index=tools.index_url)})
    poetry_lock(tools, root)
    return root


@pytest.fixture(scope="session")
def modern_base(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _base(lock_tools, tmp_path_factory, "poetry-modern", MODERN)


@pytest.fixture(scope="session")
def legacy_base(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _base(lock_tools, tmp_path_factory, "poetry-legacy", LEGACY)


def pyproject(old: str, new: str) -> Callable[[Path], None]:
    return lambda root: edit(root / "pyproject.toml", old, new)


MODERN_CASES = [
    ("add-dependency", pyproject('"beta; python', '"gamma>=0.1", "beta; python')),
    ("remove-dependency", pyproject(", \"beta; python_version >= '3.8'\"", "")),
    ("change-specifier", pyproject('"alpha>=1.0"', '"alpha>=1.5"')),
    ("reorder-dependencies", pyproject('"alpha>=1.0", "beta', '"beta')),
    ("respell-dependency", pyproject('"alpha>=1.0"', '"Alpha>=1.0.0"')),
    ("add-extra", pyproject('cli = ["gamma"]', 'cli = ["gamma"]\nfast = ["zeta"]')),
    ("change-extra", pyproject('cli = ["gamma"]', 'cli = ["gamma>=0.2"]')),
    ("requires-python", pyproject('">=3.9"', '">=3.10"')),
    ("add-group", pyproject('dev = ["delta"]', 'dev = ["delta"]\ntest = ["epsilon"]')),
    ("change-group", pyproject('dev = ["delta"]', 'dev = ["delta>=3"]')),
    ("marker-change", pyproject("python_version >= '3.8'", "sys_platform == 'linux'")),
    (
        "tool-poetry-dependencies",
        pyproject(
            "package-mode = false\n",
            'package-mode = false\n\n[tool.poetry.dependencies]\nalpha = { source = "local" }\n',
        ),
    ),
    ("version-bump", pyproject('version = "0.1.0"', 'version = "0.2.0"')),
    ("description", pyproject('"Demo"', '"A demo project"')),
    ("classifiers", pyproject('description = "Demo"', 'description = "Demo"\nkeywords = ["x"]')),
    (
        "unrelated-tool-table",
        pyproject("[tool.poetry]\n", "[tool.ruff]\nline-length = 90\n\n[tool.poetry]\n"),
    ),
]

LEGACY_CASES = [
    ("add-dependency", pyproject('alpha = ">=1.0"', 'alpha = ">=1.0"\ngamma = "*"')),
    ("change-constraint", pyproject('alpha = ">=1.0"', 'alpha = ">=1.5"')),
    ("python-constraint", pyproject('python = ">=3.9"', 'python = ">=3.10"')),
    ("add-group-dependency", pyproject('delta = "*"', 'delta = "*"\nepsilon = "*"')),
    (
        "reorder-table-keys",
        pyproject(
            'alpha = ">=1.0"\nbeta = { version = "*", python = ">=3.8" }',
            'beta = { version = "*", python = ">=3.8" }\nalpha = ">=1.0"',
        ),
    ),
    ("version-bump", pyproject('version = "0.1.0"', 'version = "0.1.1"')),
    ("description", pyproject('"Legacy"', '"Legacy project"')),
]


@pytest.mark.parametrize("mutate", [pytest.param(mutate, id=case) for case, mutate in MODERN_CASES])
def test_modern_project_matches_poetry(
    lock_tools: Tools, modern_base: Path, tmp_path: Path, mutate: Callable[[Path], None]
) -> None:
    _compare(lock_tools, copy_project(modern_base, tmp_path / "p"), mutate)


@pytest.mark.parametrize("mutate", [pytest.param(mutate, id=case) for case, mutate in LEGACY_CASES])
def test_legacy_project_matches_poetry(
    lock_tools: Tools, legacy_base: Path, tmp_path: Path, mutate: Callable[[Path], None]
) -> None:
    _compare(lock_tools, copy_project(legacy_base, tmp_path / "p"), mutate)


def _compare(tools: Tools, root: Path, mutate: Callable[[Path], None]) -> None:
    hint = "run `poetry lock` and commit the updated poetry.lock"
    finding = assert_same_verdict(root, mutate, partial(poetry_verdict, tools), hint)
    if finding is not None:
        assert finding.code == "RA510"
        lines = (root / "poetry.lock").read_text().splitlines()
        assert finding.line is not None
        assert lines[finding.line - 1].startswith("content-hash")


def test_bases_pass_without_findings(
    lock_tools: Tools, modern_base: Path, legacy_base: Path
) -> None:
    for base in (modern_base, legacy_base):
        assert poetry_verdict(lock_tools, base) == "pass"
        assert our_verdict(base)[1].findings == ()


def _rewrite(root: Path, generator: str | None, content_hash: str) -> None:
    path = root / "poetry.lock"
    text = path.read_text()
    first, rest = text.split("\n", 1)
    if generator is None:
        text = rest
    else:
        text = re.sub(r"Poetry [^ ]+", f"Poetry {generator}", first, count=1) + "\n" + rest
    text = re.sub(r'content-hash = "[0-9a-f]+"', f'content-hash = "{content_hash}"', text)
    path.write_text(text)


@pytest.mark.parametrize(
    ("generator", "expected"),
    [
        pytest.param("2.2.1", "pass", id="poetry-2.2-without-groups-is-fresh"),
        pytest.param("2.3.0", "fail", id="poetry-2.3-must-count-groups"),
        pytest.param(None, "fail", id="unknown-writer-uses-current-rule"),
    ],
)
def test_pre_2_3_locks_hash_without_groups(
    lock_tools: Tools, modern_base: Path, tmp_path: Path, generator: str | None, expected: str
) -> None:
    root = copy_project(modern_base, tmp_path / "p")
    data = tomllib.loads((root / "pyproject.toml").read_text())
    without_groups = poetry.content_hash(data, with_groups=False)
    assert without_groups != poetry.content_hash(data)
    _rewrite(root, generator, without_groups)
    assert poetry_verdict(lock_tools, root) == expected
    assert our_verdict(root)[0] == expected


def test_our_hash_is_the_one_poetry_wrote(modern_base: Path, legacy_base: Path) -> None:
    for base in (modern_base, legacy_base):
        data = tomllib.loads((base / "pyproject.toml").read_text())
        recorded = tomllib.loads((base / "poetry.lock").read_text())["metadata"]["content-hash"]
        assert poetry.content_hash(data) == recorded


def test_poetry_1x_formula_by_hand() -> None:
    data = {
        "project": {"name": "x", "dependencies": ["alpha"]},
        "tool": {"poetry": {"dependencies": {"python": "^3.9"}, "group": {"dev": {}}}},
    }

    def sha(content: object) -> str:
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    legacy = {"dependencies": {"python": "^3.9"}, "dev-dependencies": None, "source": None}
    legacy["extras"] = None
    assert poetry.content_hash_1x(data, minor=1) == sha(legacy)
    assert poetry.content_hash_1x(data, minor=8) == sha({**legacy, "group": {"dev": {}}})
    assert poetry.content_hash(data) == sha(
        {
            "project": {"dependencies": ["alpha"]},
            "tool": {"poetry": {"dependencies": {"python": "^3.9"}, "group": {"dev": {}}}},
        }
    )


def test_lock_written_by_poetry_1x_is_a_warning_not_a_failure(
    legacy_base: Path, tmp_path: Path
) -> None:
    root = copy_project(legacy_base, tmp_path / "p")
    edit(
        root / "pyproject.toml",
        "[tool.poetry]\n",
        '[project]\nname = "legacy"\ndependencies = ["alpha>=1.0"]\n\n[tool.poetry]\n',
    )
    data = tomllib.loads((root / "pyproject.toml").read_text())
    _rewrite(root, "1.8.3", poetry.content_hash_1x(data, minor=8))
    verdict, result = our_verdict(root)
    assert verdict == "pass"
    assert [f.code for f in result.findings] == ["RA509"]
    assert "Poetry 1.8.3" in result.findings[0].message
