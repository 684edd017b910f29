"""ARCHITECTURE.md names every module, so the map cannot go stale silently."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "release_assistant"
BACKTICKED = re.compile(r"`([^`]+)`")
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def table_rows(text: str) -> list[tuple[list[str], str]]:
    """The folder table's rows: the paths named in the first cell, and the whole row."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("| `"):
            continue
        first_cell = line.split("|")[1]
        rows.append((BACKTICKED.findall(first_cell), line))
    return rows


def row_for(module: str, rows: list[tuple[list[str], str]]) -> str | None:
    """The row whose first cell names the module's folder most precisely (or the module)."""
    best: tuple[int, str] | None = None
    for paths, line in rows:
        for path in paths:
            inside = module == path or module.startswith(path.rstrip("/") + "/")
            if inside and (best is None or len(path) > best[0]):
                best = (len(path), line)
    return None if best is None else best[1]


def modules() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in {"__init__.py", "__main__.py"}:
            continue
        found.append(path.relative_to(PACKAGE).as_posix())
    return found


def test_every_module_is_named_in_its_folder_row() -> None:
    rows = table_rows((ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    unnamed = []
    for module in modules():
        line = row_for(module, rows)
        stem = module.rsplit("/", 1)[-1].removesuffix(".py")
        named_words = {
            word for token in BACKTICKED.findall(line or "") for word in WORD.findall(token)
        }
        if line is None or stem not in named_words:
            unnamed.append(module)
    assert unnamed == [], f"ARCHITECTURE.md does not name: {unnamed}"


def test_the_map_check_fails_on_an_unnamed_module() -> None:
    rows = table_rows("| `core/x/` | owns `a` and `b` |\n")
    assert row_for("core/x/c.py", rows) is not None
    line = row_for("core/x/c.py", rows) or ""
    words = {w for t in BACKTICKED.findall(line) for w in WORD.findall(t)}
    assert "c" not in words and "a" in words
