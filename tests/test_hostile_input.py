"""Hostile ``pyproject.toml`` files: each gets a clear verdict naming the file, never an
internal error, a traceback or a hang.

Exit 2 (one stderr line naming the file) where the file cannot be read as TOML at all;
exit 0/1 with findings where it parses but its values are wrong.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from release_assistant.cli.main import main
from tests.conftest import REPO_ROOT

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


# --- user regular expressions: bounded, and invalid ones are configuration errors ----------

#: ``(a|aa)+`` over a long run of ``a`` ending in a mismatch backtracks exponentially (the
#: ``regex`` engine survives ``^(a+)+$``; this one it does not).
CATASTROPHIC = "^(a|aa)+$"
RUNAWAY_TEXT = "a" * 64 + "!\n"
CHANGELOG = "# Changelog\n\n## [1.0.0] - 2026-01-01\n\n- First.\n"


def _pattern_project(root: Path, pattern: str) -> None:
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1.0.0"\n\n'
        "[tool.release-assistant]\n"
        f"version_files = [{{ path = \"v.txt\", pattern = '{pattern}' }}]\n",
        encoding="utf-8",
    )
    (root / "v.txt").write_text(RUNAWAY_TEXT, encoding="utf-8")
    (root / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")


def _check_json(root: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    buffer_out, buffer_err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(buffer_out), contextlib.redirect_stderr(buffer_err):
        code = main(["check", "--repo", str(root), "--format", "json", *args])
    out = buffer_out.getvalue()
    return code, (json.loads(out) if out.strip() else {}), buffer_err.getvalue()


def test_a_catastrophic_version_files_pattern_ends_with_a_finding_naming_the_key(
    tmp_path: Path,
) -> None:
    _pattern_project(tmp_path, CATASTROPHIC)
    started = time.monotonic()
    code, report, _ = _check_json(tmp_path, "--only", "version", "--tag", "v1.0.0")
    assert time.monotonic() - started < 15
    assert code == 1
    (check,) = report["checks"]
    messages = [f["message"] for f in check["findings"] if f["code"] == "RA307"]
    assert any("version_files pattern" in m and "did not finish" in m for m in messages), check


def test_the_pre_commit_hook_also_ends_on_a_catastrophic_pattern(tmp_path: Path) -> None:
    _pattern_project(tmp_path, CATASTROPHIC)
    completed = subprocess.run(
        [sys.executable, "-m", "release_assistant.hooks.check_changelog_version"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "version_files pattern" in completed.stdout + completed.stderr


@pytest.mark.parametrize(
    ("pattern", "says"),
    [
        ("(unclosed", "invalid regular expression"),
        ("[z-a]", "invalid regular expression"),
        (r"\d+\.\d+", "(?P<version>...) group"),
    ],
)
def test_an_invalid_pattern_is_a_configuration_error_naming_file_and_line(
    tmp_path: Path, pattern: str, says: str
) -> None:
    _pattern_project(tmp_path, pattern)
    code, _, err = _check_json(tmp_path, "--only", "version")
    assert code == 2
    assert err.count("\n") == 1, err
    assert "pyproject.toml:6:" in err and "version_files" in err and says in err


def test_a_catastrophic_hatch_pattern_is_a_finding_naming_the_key(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        '[project]\nname = "demo"\ndynamic = ["version"]\n'
        f"[tool.hatch.version]\npath = \"v.txt\"\npattern = '{CATASTROPHIC}'\n",
        encoding="utf-8",
    )
    (tmp_path / "v.txt").write_text(RUNAWAY_TEXT, encoding="utf-8")
    (tmp_path / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    code, report, _ = _check_json(tmp_path, "--only", "version")
    assert code == 1
    text = json.dumps(report)
    assert "[tool.hatch.version] pattern" in text and "did not finish" in text
