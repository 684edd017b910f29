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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from release_assistant.cli.main import main
from release_assistant.core.checks.lock import check as lock_check
from release_assistant.core.findings import Severity, Status
from tests.conftest import REPO_ROOT
from tests.lock_support import Tools, copy_project, lock_tools, run_tool, write_tree

__all__ = ["lock_tools"]

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


# --- locks uv itself refuses are errors, never a pass (real `uv lock --check` as oracle) ----

LOCKED_PYPROJECT = """\
[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["alpha>=1.0"]

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"""


@pytest.fixture(scope="module")
def locked_base(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-lock") / "demo"
    write_tree(root, {"pyproject.toml": LOCKED_PYPROJECT})
    done = run_tool(lock_tools, root, "uv", "lock", "--default-index", lock_tools.index_url)
    assert done.returncode == 0, done.stderr
    return root


def _uv_refuses(tools: Tools, root: Path) -> bool:
    done = run_tool(
        tools, root, "uv", "lock", "--check", "--offline", "--default-index", tools.index_url
    )
    return done.returncode != 0


def _replace_in_metadata(text: str) -> str:
    head, _, rest = text.partition("[package.metadata]\nrequires-dist = [")
    assert rest, text
    closing = rest.index("]\n")
    return head + '[package.metadata]\nrequires-dist = "alpha>=1.0"\n' + rest[closing + 2 :]


#: name -> how to turn a good uv.lock into one uv refuses to parse.
UV_REFUSES: dict[str, Callable[[str], bytes]] = {
    "empty": lambda text: b"",
    "lone-cr": lambda text: text.replace("\n", "\r").encode(),
    "version-string": lambda text: text.replace("version = 1\n", 'version = "x"\n', 1).encode(),
    "requires-dist-string": lambda text: _replace_in_metadata(text).encode(),
    "requires-python-int": lambda text: text.replace(
        'requires-python = ">=3.9"', "requires-python = 39", 1
    ).encode(),
    "package-name-int": lambda text: text.replace('name = "alpha"', "name = 3", 1).encode(),
    "deep-arrays": lambda text: (
        text + "\n[x]\ny = " + "[" * 100_000 + "]" * 100_000 + "\n"
    ).encode(),
    "huge-integer": lambda text: (
        text.replace("revision = ", "revision = 9" + "9" * 5000 + "#", 1)
        .replace("#", "\n# was ", 1)
        .encode()
    ),
}


def test_the_base_lock_passes_both_uv_and_the_check(lock_tools: Tools, locked_base: Path) -> None:
    """The control: the unmutated lock is fresh for uv and for us, so a refusal below is
    the mutation's doing."""
    assert not _uv_refuses(lock_tools, locked_base)
    assert lock_check(locked_base, environ={}).status is Status.PASS


@pytest.mark.parametrize("name", sorted(UV_REFUSES))
def test_a_lock_uv_refuses_to_parse_is_an_error_naming_it(
    lock_tools: Tools, locked_base: Path, tmp_path: Path, name: str
) -> None:
    root = copy_project(locked_base, tmp_path / "demo")
    lock = root / "uv.lock"
    lock.write_bytes(UV_REFUSES[name](lock.read_text(encoding="utf-8")))
    assert _uv_refuses(lock_tools, root), "the oracle accepts this lock: not a hostile case"
    result = lock_check(root, environ={})
    assert result.status is Status.FAIL, [f.as_line() for f in result.findings]
    (finding,) = [f for f in result.findings if f.severity is Severity.ERROR]
    assert (finding.code, finding.path) == ("RA502", "uv.lock")


@pytest.mark.parametrize("kind", ["directory", "fifo", "dangling-link", "link-out-of-tree"])
def test_a_lock_that_is_no_regular_file_is_an_error_not_absent(
    locked_base: Path, tmp_path: Path, kind: str
) -> None:
    root = copy_project(locked_base, tmp_path / "demo")
    lock = root / "uv.lock"
    outside = tmp_path / "outside.lock"
    outside.write_bytes(lock.read_bytes())  # a valid lock, but not the repository's
    lock.unlink()
    if kind == "directory":
        lock.mkdir()
    elif kind == "fifo":
        os.mkfifo(lock)
    elif kind == "dangling-link":
        lock.symlink_to(tmp_path / "nowhere.lock")
    else:
        lock.symlink_to(outside)
    result = lock_check(root, environ={})
    assert result.status is Status.FAIL, [f.as_line() for f in result.findings]
    assert [(f.code, f.path) for f in result.findings if f.severity is Severity.ERROR] == [
        ("RA502", "uv.lock")
    ]


@pytest.mark.parametrize(
    ("lock_name", "text", "says"),
    [
        ("poetry.lock", '[[package]]\nname = 3\nversion = "1"\n', "name must be a string"),
        ("poetry.lock", "[metadata]\nx = " + "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("pdm.lock", "[metadata]\ngroups = 3\n", "groups must be an array"),
        ("pdm.lock", "[metadata]\nlock_version = " + "9" * 5000 + "\n", "4300 digits"),
        ("poetry.lock", "[metadata]\r" + 'lock-version = "2.1"\r', "lone carriage return"),
    ],
    ids=["poetry-wrong-type", "poetry-deep", "pdm-wrong-type", "pdm-huge-integer", "lone-cr"],
)
def test_malformed_poetry_and_pdm_locks_are_errors_naming_the_file(
    tmp_path: Path, lock_name: str, text: str, says: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(LOCKED_PYPROJECT, encoding="utf-8")
    (tmp_path / lock_name).write_bytes(text.encode())
    result = lock_check(tmp_path, environ={})
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert [(f.code, f.path) for f in errors] == [("RA502", lock_name)]
    assert says in errors[0].message


# --- --only version names a missing or unreadable changelog itself -----------------------


@pytest.mark.parametrize(
    ("kind", "code", "exit_code"),
    [
        ("not-utf8", "RA314", 1),
        ("directory", "RA314", 1),
        ("fifo", "RA314", 1),
        ("configured-missing", "RA314", 1),
        ("none", "RA315", 0),  # information only: notes may live elsewhere
    ],
)
def test_only_version_names_a_changelog_it_cannot_read(
    tmp_path: Path, kind: str, code: str, exit_code: int
) -> None:
    pyproject = '[project]\nname = "demo"\nversion = "1.0.0"\n'
    if kind == "configured-missing":
        pyproject += '[tool.release-assistant]\nchangelog = "HISTORY.md"\n'
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    changelog = tmp_path / "CHANGELOG.md"
    if kind == "not-utf8":
        changelog.write_bytes(b"# Changelog\n\n## [1.0.0] - 2026-01-01 \xff\n")
    elif kind == "directory":
        changelog.mkdir()
    elif kind == "fifo":
        os.mkfifo(changelog)
    code_, report, _ = _check_json(tmp_path, "--only", "version", "--tag", "v1.0.0")
    assert code_ == exit_code
    (check,) = report["checks"]
    named = [f for f in check["findings"] if f["code"] == code]
    assert len(named) == 1, check
    if kind != "none":
        assert named[0]["path"] in ("CHANGELOG.md", "HISTORY.md")


def test_a_fragment_directory_is_not_mistaken_for_a_broken_changelog(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1.0.0"\n', encoding="utf-8"
    )
    (tmp_path / "changes").mkdir()  # towncrier fragments
    (tmp_path / "CHANGES.md").write_text("# Changes\n\n## 1.0.0 (2026-01-01)\n\n- x\n")
    code, report, _ = _check_json(tmp_path, "--only", "version", "--tag", "v1.0.0")
    assert code == 0, report
