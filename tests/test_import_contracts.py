"""The import-linter contracts can fail: a forbidden import on a guarded path breaks them.

Each case copies the package and the contracts into a temporary directory, adds one import
that crosses a boundary, and runs the real ``lint-imports`` on the copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def lint_copy(tmp_path: Path, edits: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` over a copy of the package with ``edits`` (path → line) applied."""
    shutil.copytree(
        ROOT / "release_assistant",
        tmp_path / "release_assistant",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for relpath, line in edits.items():
        target = tmp_path / relpath
        text = target.read_text(encoding="utf-8")
        head, sep, rest = text.partition("from __future__ import annotations\n")
        target.write_text(head + sep + line + "\n" + rest, encoding="utf-8")
    lint_imports = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path), "COLUMNS": "400"},
        timeout=300,
    )


def test_the_unmodified_copy_keeps_every_contract(tmp_path: Path) -> None:
    completed = lint_copy(tmp_path, {})
    assert completed.returncode == 0, completed.stdout[-2000:]
    assert "BROKEN" not in completed.stdout


@pytest.mark.parametrize(
    ("relpath", "line", "contract"),
    [
        ("release_assistant/hooks/common.py", "import pydantic", "hooks stay light"),
        (
            "release_assistant/core/checks/changelog.py",
            "import git",
            "what a hook runs stays light",
        ),
        (
            "release_assistant/core/project/version_sources.py",
            "import textual",
            "core is headless",
        ),
        (
            "release_assistant/core/checks/lock.py",
            "import release_assistant.core.release.tag",
            "layers",
        ),
        ("release_assistant/core/checks/lock.py", "import pydantic", "what a hook runs"),
        (
            "release_assistant/core/changelog/parser.py",
            "import release_assistant.core.checks.version",
            "layers",
        ),
        (
            "release_assistant/core/support/textfiles.py",
            "import release_assistant.core.project.config",
            "layers",
        ),
        (
            "release_assistant/core/git/readonly.py",
            "import release_assistant.core.github.api",
            "layers",
        ),
        # An import that only type checkers follow counts too: a domain function that takes
        # the whole context names the layer above it.
        (
            "release_assistant/core/project/tags.py",
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n"
            "    from release_assistant.core.context import RepoContext",
            "layers",
        ),
        (
            "release_assistant/core/workflows/identity.py",
            "import typing\n"
            "if typing.TYPE_CHECKING:\n"
            "    import release_assistant.core.checks.publisher",
            "layers",
        ),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, relpath: str, line: str, contract: str
) -> None:
    completed = lint_copy(tmp_path, {relpath: line})
    assert completed.returncode == 1, completed.stdout[-2000:]
    broken = [text for text in completed.stdout.splitlines() if "BROKEN" in text]
    assert any(text.startswith(contract) for text in broken), completed.stdout[-3000:]


def test_no_module_imports_itself_back() -> None:
    """No import circle anywhere in the package (runtime imports; the layers contract allows
    siblings that may import each other, this forbids circles among them too)."""
    import grimp

    graph = grimp.build_graph("release_assistant", exclude_type_checking_imports=True)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in graph.modules:
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    assert circles == []
