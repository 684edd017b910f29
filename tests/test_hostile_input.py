"""Hostile ``pyproject.toml`` files: each gets a clear verdict naming the file, never an
internal error, a traceback or a hang.

Exit 2 (one stderr line naming the file) where the file cannot be read as TOML at all;
exit 0/1 with findings where it parses but its values are wrong.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CASES: dict[str, bytes | None] = {
    "deep-arrays": b'[project]\nname = "x"\nversion = "1"\ndependencies = '
    + b"[" * 100_000
    + b"]" * 100_000
    + b"\n",
    "huge-integer": b'[project]\nname = "x"\nversion = "1"\n[tool.x]\nn = ' + b"9" * 5000 + b"\n",
    "tool-not-a-table": b'tool = 3\n[project]\nname = "x"\nversion = "1"\n',
    "project-not-a-table": b"project = 3\n",
    "nul-byte": b'[project]\nname = "x\x00"\nversion = "1"\n',
    "not-utf8": b'[project]\nname = "\xff"\nversion = "1"\n',
    "bom-and-crlf": b'\xef\xbb\xbf[project]\r\nname = "x"\r\nversion = "1.0"\r\n',
    "lone-cr": b'[project]\rname = "x"\rversion = "1.0"\r',
    "empty": b"",
    "a-directory": None,
}


def _write(root: Path, name: str) -> None:
    target = root / "pyproject.toml"
    content = CASES[name]
    if content is None:
        target.mkdir()
    else:
        target.write_bytes(content)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_pyproject_is_named_never_a_crash(tmp_path: Path, name: str) -> None:
    _write(tmp_path, name)
    completed = subprocess.run(
        [sys.executable, "-m", "release_assistant", "check", "--repo", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path.cwd())},
    )
    assert "internal error" not in completed.stderr, completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.returncode in (0, 1, 2)
    if completed.returncode == 2:
        assert completed.stderr.count("\n") == 1
        assert "pyproject.toml" in completed.stderr


def test_a_fifo_pyproject_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pyproject.toml")
    completed = subprocess.run(
        [sys.executable, "-m", "release_assistant", "check", "--repo", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 2
    assert "FIFO" in completed.stderr and completed.stderr.count("\n") == 1


@pytest.mark.parametrize("name", ["deep-arrays", "huge-integer", "not-utf8", "tool-not-a-table"])
def test_hooks_name_the_file_too(tmp_path: Path, name: str) -> None:
    _write(tmp_path, name)
    for module in ("check_changelog_version", "check_lock_file", "check_release_workflow"):
        completed = subprocess.run(
            [sys.executable, "-m", f"release_assistant.hooks.{module}"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(Path.cwd())},
        )
        assert completed.returncode == 2, (module, completed.stdout, completed.stderr)
        assert "pyproject.toml" in completed.stderr and "internal error" not in completed.stderr
