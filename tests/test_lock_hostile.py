"""Lock and pyproject data the real tools refuse is an error here too, naming file and line.

The oracle is the real ``uv lock --check --offline`` (and ``poetry check --lock``): each case
first asserts that the tool refuses the mutated project, so a case that stops being hostile
fails instead of passing quietly. Then the ``lock`` check must fail with one error on the
file (and line) the tool names, and never crash. A control asserts that a value uv ignores
(``project.description = 3``) is no error.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from release_assistant.core.checks.lock import check as lock_check
from release_assistant.core.findings import Finding, Severity, Status
from tests.conftest import REPO_ROOT, git
from tests.lock_support import Tools, copy_project, edit, lock_tools, run_tool, write_tree

__all__ = ["lock_tools"]

HUGE = "9" * 5000

PYPROJECT = """\
[project]
name = "demo"
version = "0.1.0"
description = "demo"
requires-python = ">=3.9"
dependencies = ["alpha>=1.0"]

[project.optional-dependencies]
fast = ["beta"]

[dependency-groups]
dev = ["gamma"]

[tool.uv]
constraint-dependencies = ["alpha<3"]

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"""


@pytest.fixture(scope="session")
def uv_base(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lock-hostile") / "demo"
    write_tree(root, {"pyproject.toml": PYPROJECT})
    done = run_tool(lock_tools, root, "uv", "lock", "--default-index", lock_tools.index_url)
    assert done.returncode == 0, done.stderr
    return root


def _uv_refuses(tools: Tools, root: Path) -> bool:
    done = run_tool(
        tools, root, "uv", "lock", "--check", "--offline", "--default-index", tools.index_url
    )
    return done.returncode != 0


def _errors(root: Path) -> list[Finding]:
    result = lock_check(root, environ={})
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert result.status is Status.FAIL, [f.as_line() for f in result.findings]
    return errors


def _line_of(root: Path, relpath: str, needle: str) -> int:
    text = (root / relpath).read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


#: name -> (old, new) in pyproject.toml, and the text on the line the finding must name.
PYPROJECT_REFUSED: dict[str, tuple[str, str, str]] = {
    "dependencies-mixed-types": (
        'dependencies = ["alpha>=1.0"]',
        "dependencies = [1, {name = 3}]",
        "dependencies =",
    ),
    "dependencies-a-string": (
        'dependencies = ["alpha>=1.0"]',
        'dependencies = "requests"',
        "dependencies =",
    ),
    "uv-sources-a-number": ("[tool.uv]\n", "[tool.uv]\nsources = 3\n", "sources = 3"),
    "optional-dependencies-a-string": ('fast = ["beta"]', 'fast = "beta"', "fast ="),
    "dependency-group-item-a-number": ('dev = ["gamma"]', "dev = [3]", "dev = [3]"),
    "dependency-group-table-without-include": (
        'dev = ["gamma"]',
        "dev = [{a = 1}]",
        "dev = [{a",
    ),
    "uv-package-a-string": ("[tool.uv]\n", '[tool.uv]\npackage = "yes"\n', "package ="),
    "uv-dev-dependencies-items": ("[tool.uv]\n", "[tool.uv]\ndev-dependencies = [1]\n", "dev-d"),
    "uv-constraints-items": ('["alpha<3"]', "[3]", "constraint-dependencies"),
    "uv-workspace-members-a-string": (
        "[tool.uv]\n",
        '[tool.uv]\nworkspace = {members = "x"}\n',
        "workspace =",
    ),
    "version-of-5000-digits": ('version = "0.1.0"', f'version = "1.{HUGE}"', "version ="),
    "requires-python-a-number": ('requires-python = ">=3.9"', "requires-python = 39", "requires-"),
}


@pytest.mark.parametrize("name", sorted(PYPROJECT_REFUSED))
def test_pyproject_values_uv_refuses_are_an_error_naming_the_line(
    lock_tools: Tools, uv_base: Path, tmp_path: Path, name: str
) -> None:
    old, new, on_line = PYPROJECT_REFUSED[name]
    root = copy_project(uv_base, tmp_path / "demo")
    edit(root / "pyproject.toml", old, new)
    assert _uv_refuses(lock_tools, root), "the oracle accepts this pyproject: not hostile"
    (error,) = _errors(root)
    assert (error.code, error.path) == ("RA522", "pyproject.toml"), error.as_line()
    assert error.line == _line_of(root, "pyproject.toml", on_line), error.as_line()
    assert "cannot be read by uv" in error.message
    assert HUGE not in error.message  # a huge number is shortened, not quoted


def test_a_non_table_tool_section_is_an_error(
    lock_tools: Tools, uv_base: Path, tmp_path: Path
) -> None:
    root = copy_project(uv_base, tmp_path / "demo")
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    head, _, _ = text.partition("[tool.uv]")
    (root / "pyproject.toml").write_text(
        "tool = 3\n" + head + '[build-system]\nrequires = ["hatchling"]\n'
        'build-backend = "hatchling.build"\n',
        encoding="utf-8",
    )
    assert _uv_refuses(lock_tools, root)
    (error,) = _errors(root)
    assert (error.code, error.path, error.line) == ("RA522", "pyproject.toml", 1)
    assert "tool must be a table, found an integer" in error.message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('description = "demo"', "description = 3"),  # uv does not read it
        ("[tool.uv]\n", "[tool.uv]\nrequired-version = 3\n"),  # warned about, not refused
        ("[build-system]\n", "[tool.other]\nsources = 3\n\n[build-system]\n"),  # not uv's table
    ],
    ids=["description", "uv-unread-key", "other-tool"],
)
def test_values_uv_does_not_read_are_no_error(
    lock_tools: Tools, uv_base: Path, tmp_path: Path, old: str, new: str
) -> None:
    root = copy_project(uv_base, tmp_path / "demo")
    edit(root / "pyproject.toml", old, new)
    assert not _uv_refuses(lock_tools, root), "the oracle refuses this: not a control"
    result = lock_check(root, environ={})
    assert result.status is Status.PASS, [f.as_line() for f in result.findings]


def _metadata(text: str, requires_dist: str) -> str:
    head, marker, rest = text.partition("[package.metadata]\nrequires-dist = ")
    assert marker, "the base lock records no requires-dist"
    # uv writes a multi-line array: `[`, one item a line, `]`.
    end = rest.index("\n]\n") + 2 if rest.startswith("[\n") else rest.index("\n")
    return head + marker + requires_dist + rest[end:]


#: name -> how to turn the good uv.lock into one uv refuses, and the text on the named line.
LOCK_REFUSED: dict[str, tuple[Callable[[str], str], str]] = {
    "requires-dist-item-a-number": (lambda text: _metadata(text, "[1]"), "requires-dist"),
    "requires-dist-name-a-number": (
        lambda text: _metadata(text, "[{ name = 3 }]"),
        "requires-dist",
    ),
    "requires-dist-specifier-a-number": (
        lambda text: _metadata(text, '[{ name = "alpha", specifier = 3 }]'),
        "requires-dist",
    ),
    "requires-dist-marker-an-array": (
        lambda text: _metadata(text, '[{ name = "alpha", marker = [1] }]'),
        "requires-dist",
    ),
    "requires-dist-without-name": (
        lambda text: _metadata(text, '[{ specifier = ">=1" }]'),
        "requires-dist",
    ),
    "provides-extras-item-a-number": (
        lambda text: text.replace('provides-extras = ["fast"]', "provides-extras = [1]", 1),
        "provides-extras",
    ),
    "package-version-of-5000-digits": (
        lambda text: text.replace(
            'name = "demo"\nversion = "0.1.0"', f'name = "demo"\nversion = "1.{HUGE}"', 1
        ),
        f'version = "1.{HUGE}"',
    ),
}


@pytest.mark.parametrize("name", sorted(LOCK_REFUSED))
def test_lock_entries_uv_refuses_are_an_error_naming_the_line(
    lock_tools: Tools, uv_base: Path, tmp_path: Path, name: str
) -> None:
    mutate, on_line = LOCK_REFUSED[name]
    root = copy_project(uv_base, tmp_path / "demo")
    lock = root / "uv.lock"
    mutated = mutate(lock.read_text(encoding="utf-8"))
    assert mutated != lock.read_text(encoding="utf-8")
    lock.write_text(mutated, encoding="utf-8")
    assert _uv_refuses(lock_tools, root), "the oracle accepts this lock: not hostile"
    (error,) = _errors(root)
    assert (error.code, error.path) == ("RA502", "uv.lock"), error.as_line()
    assert error.line == _line_of(root, "uv.lock", on_line), error.as_line()
    assert HUGE not in error.message


# --- Poetry and PDM: wrong-typed tables and huge numbers are findings, never a crash ----------

POETRY_PYPROJECT = """\
[tool.poetry]
name = "demo"
version = "0.1.0"
description = ""
authors = []

[tool.poetry.dependencies]
python = "^3.9"
"""
POETRY_LOCK = (
    "package = []\n\n[metadata]\n"
    'lock-version = "2.1"\npython-versions = "^3.9"\ncontent-hash = "00"\n'
)
PDM_PYPROJECT = """\
[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = []

[tool.pdm.dev-dependencies]
dev = ["gamma"]
"""
PDM_LOCK = (
    '[metadata]\ngroups = ["default"]\nstrategy = ["inherit_metadata"]\n'
    'lock_version = "4.5.0"\ncontent_hash = "sha256:00"\n'
)


@pytest.mark.parametrize(
    ("lock_name", "lock", "pyproject", "old", "new", "says"),
    [
        (
            "poetry.lock",
            POETRY_LOCK,
            POETRY_PYPROJECT,
            '[tool.poetry]\nname = "demo"\nversion = "0.1.0"\ndescription = ""\nauthors = []\n\n'
            "[tool.poetry.dependencies]\n"
            'python = "^3.9"\n',
            "[tool]\npoetry = 3\n",
            "tool.poetry must be a table, found an integer",
        ),
        (
            "poetry.lock",
            POETRY_LOCK,
            POETRY_PYPROJECT,
            "authors = []\n",
            "authors = []\nextras = 3\n",
            "tool.poetry.extras must be a table",
        ),
        (
            "pdm.lock",
            PDM_LOCK,
            PDM_PYPROJECT,
            '[tool.pdm.dev-dependencies]\ndev = ["gamma"]\n',
            "[tool.pdm]\ndev-dependencies = 3\n",
            "tool.pdm.dev-dependencies must be a table, found an integer",
        ),
        (
            "pdm.lock",
            PDM_LOCK,
            PDM_PYPROJECT,
            "[project]\n",
            'dependency-groups = "dev"\n\n[project]\n',
            "dependency-groups must be a table, found the string 'dev'",
        ),
        (
            "pdm.lock",
            PDM_LOCK,
            PDM_PYPROJECT,
            'version = "0.1.0"',
            f'version = "{HUGE}"',
            "project.version holds the number 999999999999… (5,000 digits)",
        ),
    ],
    ids=[
        "poetry-not-a-table",
        "poetry-extras",
        "pdm-dev-dependencies",
        "pdm-dependency-groups",
        "pdm-huge-version",
    ],
)
def test_poetry_and_pdm_tables_of_the_wrong_type_are_an_error(
    tmp_path: Path, lock_name: str, lock: str, pyproject: str, old: str, new: str, says: str
) -> None:
    assert old in pyproject
    (tmp_path / "pyproject.toml").write_text(pyproject.replace(old, new, 1), encoding="utf-8")
    (tmp_path / lock_name).write_text(lock, encoding="utf-8")
    (error,) = _errors(tmp_path)  # before the fix: AttributeError, an internal error
    assert (error.code, error.path) == ("RA522", "pyproject.toml"), error.as_line()
    assert says in error.message, error.message
    assert error.line is not None


def test_poetry_refuses_a_non_table_tool_poetry_too(lock_tools: Tools, tmp_path: Path) -> None:
    """The oracle for the Poetry cases: Poetry itself refuses ``tool.poetry = 3``."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0.1.0"\n\n[tool]\npoetry = 3\n', encoding="utf-8"
    )
    (tmp_path / "poetry.lock").write_text(POETRY_LOCK, encoding="utf-8")
    done = run_tool(lock_tools, tmp_path, "poetry", "check", "--lock")
    assert done.returncode != 0
    (error,) = _errors(tmp_path)
    assert error.code == "RA522"


@pytest.mark.parametrize(
    ("lock_name", "text", "key"),
    [
        ("poetry.lock", POETRY_LOCK.replace('"2.1"', f'"{HUGE}"'), "lock-version"),
        ("pdm.lock", PDM_LOCK.replace('"4.5.0"', f'"4.{HUGE}"'), "lock_version"),
    ],
    ids=["poetry", "pdm"],
)
def test_a_lock_version_of_5000_digits_is_an_error_naming_the_lock(
    tmp_path: Path, lock_name: str, text: str, key: str
) -> None:
    pyproject = POETRY_PYPROJECT if lock_name == "poetry.lock" else PDM_PYPROJECT
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (tmp_path / lock_name).write_text(text, encoding="utf-8")
    (error,) = _errors(tmp_path)  # before the fix: ValueError (4,300 digits), an internal error
    assert (error.code, error.path) == ("RA502", lock_name)
    assert f"{key} holds the number 999999999999… (5,000 digits)" in error.message


def test_a_path_source_too_long_for_the_system_is_no_crash(
    lock_tools: Tools, uv_base: Path, tmp_path: Path
) -> None:
    root = copy_project(uv_base, tmp_path / "demo")
    edit(
        root / "pyproject.toml",
        "[tool.uv]\n",
        f'[tool.uv.sources]\nalpha = {{ path = "{HUGE}" }}\n\n[tool.uv]\n',
    )
    assert _uv_refuses(lock_tools, root)
    errors = _errors(root)  # before the fix: OSError (file name too long)
    assert errors and all(error.path == "uv.lock" for error in errors)


# --- a closed standard input --------------------------------------------------------------


def _closed_stdin() -> None:
    os.close(0)


@pytest.mark.parametrize(
    "command",
    [["bump", "patch"], ["check", "--only", "version"], []],
    ids=["bump-asks", "check", "walkthrough"],
)
def test_a_closed_stdin_is_one_line_never_an_internal_error(
    tmp_path: Path, command: list[str]
) -> None:
    write_tree(tmp_path, {"pyproject.toml": '[project]\nname = "demo"\nversion = "0.1.0"\n'})
    git(tmp_path, "init", "-q")
    completed = subprocess.run(
        [sys.executable, "-m", "release_assistant", *command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        preexec_fn=_closed_stdin,  # `release-assistant ... 0<&-`
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "RELEASE_ASSISTANT_ZIZMOR": "off"},
    )
    assert "internal error" not in completed.stderr, completed.stderr
    assert "Traceback" not in completed.stderr, completed.stderr
    if command[:1] == ["bump"]:
        # Refused as on any input that is no terminal, in one line; nothing written.
        assert completed.returncode == 1, completed.stderr
        assert completed.stderr.strip().splitlines()[-1].startswith("release-assistant: refused")
        assert 'version = "0.1.0"' in (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    else:
        assert completed.returncode in (0, 1), completed.stderr


# --- a 5,000-digit version in the changelog or the project --------------------------------


def test_a_changelog_version_of_5000_digits_is_an_invalid_version_not_a_crash() -> None:
    from packaging.version import Version

    from release_assistant.core.changelog.parser import parse_changelog

    text = f"# Changelog\n\n## [1.{HUGE}] - 2026-01-01\n\n- x\n\n## [1.0.0] - 2025-01-01\n\n- y\n"
    changelog = parse_changelog(text)  # before the fix: ValueError (4,300 digits) on lookup
    assert [section.key for section in changelog.releases] == [None, (1,)]
    assert changelog.find(Version("1.0.0")) is changelog.releases[1]
    assert changelog.find(Version("2.0")) is None


@pytest.mark.parametrize("where", ["pyproject", "changelog"])
def test_a_version_of_5000_digits_is_a_finding_in_check_and_the_hook(
    tmp_path: Path, where: str
) -> None:
    version = f"1.{HUGE}" if where == "pyproject" else "1.0.0"
    heading = f"1.{HUGE}" if where == "changelog" else "1.0.0"
    write_tree(
        tmp_path,
        {
            "pyproject.toml": f'[project]\nname = "demo"\nversion = "{version}"\n',
            "CHANGELOG.md": f"# Changelog\n\n## [Unreleased]\n\n## [{heading}] - 2026-01-01\n",
        },
    )
    git(tmp_path, "init", "-q")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "RELEASE_ASSISTANT_ZIZMOR": "off"}
    for argv in (
        ["-m", "release_assistant", "check", "--only", "changelog,version"],
        ["-m", "release_assistant.hooks.check_changelog_version"],
    ):
        completed = subprocess.run(
            [sys.executable, *argv],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            env=env,
        )
        output = completed.stdout + completed.stderr
        assert completed.returncode in (0, 1), output
        for crash in ("internal error", "Traceback", "could not run", "4300 digits"):
            assert crash not in output, output[:2000]


def test_a_workspace_member_uv_refuses_is_an_error_naming_it(
    lock_tools: Tools, tmp_path: Path
) -> None:
    root = tmp_path / "workspace"
    member = (
        '[project]\nname = "lib-a"\nversion = "0.1.0"\nrequires-python = ">=3.9"\n'
        'dependencies = ["alpha"]\n\n[build-system]\nrequires = ["hatchling"]\n'
        'build-backend = "hatchling.build"\n'
    )
    write_tree(
        root,
        {
            "pyproject.toml": PYPROJECT.replace(
                "[tool.uv]\n", '[tool.uv]\nworkspace = {members = ["packages/*"]}\n'
            ),
            "packages/lib-a/pyproject.toml": member,
        },
    )
    done = run_tool(lock_tools, root, "uv", "lock", "--default-index", lock_tools.index_url)
    assert done.returncode == 0, done.stderr
    assert lock_check(root, environ={}).status is Status.PASS
    edit(
        root / "packages/lib-a/pyproject.toml", 'dependencies = ["alpha"]', 'dependencies = "alpha"'
    )
    assert _uv_refuses(lock_tools, root)
    (error,) = _errors(root)
    assert (error.code, error.path, error.line) == ("RA522", "packages/lib-a/pyproject.toml", 5)
    assert "project.dependencies must be an array" in error.message
