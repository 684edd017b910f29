"""Where projects declare their version, beyond ``[project].version``.

A version the tool can read is compared; one it cannot read without building (a Rust
extension's ``Cargo.toml``, a backend plugin, ``setup.py``) makes the check skip with the
reason: the project's scheme works, and is not the tool's to change.
"""

from __future__ import annotations

import ast
import datetime as dt
import random
from pathlib import Path

import pytest

from release_assistant.core.checks import version as version_check
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Status
from release_assistant.core.project.names import project_name
from release_assistant.core.project.version_files import _assigned_string
from tests.conftest import RepoFactory, minimal_pyproject
from tests.support import problem_codes

TODAY = dt.date(2026, 11, 24)
CHANGELOG = "# Changelog\n\n## 2.1.0 (2026-01-10)\n\n- Notes.\n"


def check(root: Path, tag: str | None = None) -> CheckResult:
    return version_check.run(RepoContext.load(root, tag=tag, today=TODAY))


def read_from(result: CheckResult) -> str:
    (note,) = [f for f in result.findings if f.code == "RA312"]
    return note.message


SETUP_CFG = """\
[metadata]
name = demo-tool
version = 2.1.0

[options]
packages = find:
"""


def test_setup_cfg_metadata(make_repo: RepoFactory) -> None:
    root = make_repo(
        {
            "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n',
            "setup.cfg": SETUP_CFG,
            "CHANGELOG.md": CHANGELOG,
        }
    )
    result = check(root, "v2.1.0")
    assert result.status is Status.PASS
    assert read_from(result) == "version 2.1.0 from setup.cfg [metadata] version"
    assert problem_codes(check(root, "v2.2.0")) == ["RA303", "RA308"]
    assert project_name(None, str(root)) == "demo-tool"


def test_setup_cfg_attr(make_repo: RepoFactory) -> None:
    root = make_repo(
        {
            "setup.cfg": SETUP_CFG.replace("2.1.0", "attr: demo_tool.__version__"),
            "src/demo_tool/__init__.py": '__version__ = "2.1.0"\n',
            "CHANGELOG.md": CHANGELOG,
        }
    )
    assert check(root, "v2.1.0").status is Status.PASS


def test_poetry_version_behind_a_dynamic_project_table(make_repo: RepoFactory) -> None:
    pyproject = """
[project]
name = "demo"
dynamic = ["version"]

[tool.poetry]
version = "2.1.0"

[build-system]
requires = ["poetry-core>=2"]
build-backend = "poetry.core.masonry.api"
"""
    root = make_repo({"pyproject.toml": pyproject, "CHANGELOG.md": CHANGELOG})
    assert check(root, "v2.1.0").status is Status.PASS
    assert problem_codes(check(root, "v2.0.0")) == ["RA303", "RA308"]


def test_flit_module_named_apart_from_the_project(make_repo: RepoFactory) -> None:
    pyproject = """
[project]
name = "Demo-Docs"
dynamic = ["version"]

[build-system]
requires = ["flit_core"]
build-backend = "flit_core.buildapi"

[tool.flit.module]
name = "demodocs"
"""
    root = make_repo(
        {
            "pyproject.toml": pyproject,
            "demodocs/__init__.py": "from typing import Final\n\n__version__: Final = '2.1.0'\n",
            "CHANGELOG.md": CHANGELOG,
        }
    )
    result = check(root, "v2.1.0")
    assert result.status is Status.PASS
    assert read_from(result) == "version 2.1.0 from demodocs/__init__.py (demodocs.__version__)"


@pytest.mark.parametrize(
    ("pyproject", "extra", "reason"),
    [
        (
            '[project]\nname = "demo"\ndynamic = ["version"]\n'
            '[build-system]\nrequires = ["maturin"]\nbuild-backend = "maturin"\n',
            {"Cargo.toml": '[package]\nname = "demo"\nversion = "2.1.0"\n'},
            "maturin takes the version from Cargo.toml",
        ),
        (
            '[project]\nname = "demo"\ndynamic = ["version"]\n'
            '[tool.hatch.version]\nsource = "code"\npath = "demo.py"\n',
            {},
            "hatch version source plugin 'code'",
        ),
        (
            '[project]\nname = "demo"\ndynamic = ["version"]\n'
            '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
            {"setup.py": "from setuptools import setup\nsetup(version=VERSION)\n"},
            "set in setup.py",
        ),
        (
            '[project]\nname = "demo"\ndynamic = ["version"]\n'
            '[tool.setuptools.dynamic]\nversion = {attr = "demo.__version__"}\n',
            {"demo/__init__.py": "from ._meta import VERSION as __version__\n"},
            "demo.__version__ is not a string literal",
        ),
        (
            '[project]\nname = "demo"\ndynamic = ["version"]\n'
            '[build-system]\nrequires = ["meson-python"]\nbuild-backend = "mesonpy"\n',
            {},
            "the build backend mesonpy computes the version",
        ),
    ],
)
def test_a_version_the_tool_cannot_read_is_a_skip_with_the_reason(
    make_repo: RepoFactory, pyproject: str, extra: dict[str, str], reason: str
) -> None:
    root = make_repo({"pyproject.toml": pyproject, "CHANGELOG.md": CHANGELOG, **extra})
    result = check(root)
    assert (result.status, problem_codes(result)) == (Status.SKIP, [])
    assert reason in (result.reason or "")
    # With a tag, its version is the release: the changelog is still held to it.
    tagged = check(root, "v2.1.0")
    assert tagged.status is Status.SKIP and "tag's version 2.1.0" in (tagged.reason or "")
    assert problem_codes(check(root, "v9.0.0")) == ["RA308"]


@pytest.mark.parametrize(
    "tool",
    [
        '[tool.poetry]\nversion = "0.0.0"\n[tool.poetry-dynamic-versioning]\nenable = true\n',
        '[tool.versioningit]\ndefault-version = "0.0.0"\n',
        "[tool.setuptools-git-versioning]\nenabled = true\n",
    ],
)
def test_versions_from_the_tag_skip_without_one(make_repo: RepoFactory, tool: str) -> None:
    pyproject = f'[project]\nname = "demo"\ndynamic = ["version"]\n{tool}'
    root = make_repo({"pyproject.toml": pyproject, "CHANGELOG.md": CHANGELOG})
    assert check(root).status is Status.SKIP
    assert check(root, "v2.1.0").status is Status.PASS


def test_pbr_in_setup_cfg_takes_the_tag(make_repo: RepoFactory) -> None:
    root = make_repo(
        {
            "setup.cfg": "[metadata]\nname = demo\n\n[pbr]\nskip_authors = true\n",
            "setup.py": "import setuptools\nsetuptools.setup(pbr=True)\n",
            "CHANGELOG.md": CHANGELOG,
        }
    )
    assert check(root).status is Status.SKIP
    assert check(root, "v2.1.0").status is Status.PASS


STATIC = '[project]\nname = "demo-pkg"\nversion = "2.1.0"\n'


@pytest.mark.parametrize(
    "relpath",
    [
        "src/demo_pkg/__init__.py",
        "demo_pkg/__about__.py",
        "src/demo_pkg/_version.py",
        "demo_pkg/version.py",
        "demo_pkg.py",
    ],
)
def test_the_packages_own_version_is_cross_checked(make_repo: RepoFactory, relpath: str) -> None:
    stale = make_repo(
        {"pyproject.toml": STATIC, "CHANGELOG.md": CHANGELOG, relpath: '__version__ = "2.0.0"\n'}
    )
    result = check(stale)
    assert problem_codes(result) == ["RA306"]
    assert (result.findings[0].path, result.findings[0].line) == (relpath, 1)
    agreeing = make_repo(
        {"pyproject.toml": STATIC, "CHANGELOG.md": CHANGELOG, relpath: '__version__ = "2.1.0"\n'}
    )
    assert check(agreeing).status is Status.PASS


def test_a_computed_version_attribute_is_not_compared(make_repo: RepoFactory) -> None:
    root = make_repo(
        {
            "pyproject.toml": STATIC,
            "CHANGELOG.md": CHANGELOG,
            "src/demo_pkg/__init__.py": (
                "from importlib.metadata import version\n\n__version__ = version('demo-pkg')\n"
            ),
        }
    )
    assert check(root).status is Status.PASS


def test_configured_version_files_replace_discovery(make_repo: RepoFactory) -> None:
    pyproject = STATIC + '[tool.release-assistant]\nversion_files = ["VERSION.py"]\n'
    root = make_repo(
        {
            "pyproject.toml": pyproject,
            "CHANGELOG.md": CHANGELOG,
            "VERSION.py": 'version = "2.1.0"\n',
            "src/demo_pkg/__init__.py": '__version__ = "0.0.0"\n',
        }
    )
    assert check(root).status is Status.PASS


@pytest.mark.parametrize("version", ["2.2.0.dev0", "2.2.0.dev3"])
def test_a_development_version_needs_no_section_between_releases(
    make_repo: RepoFactory, version: str
) -> None:
    root = make_repo(
        {"pyproject.toml": STATIC.replace("2.1.0", version), "CHANGELOG.md": CHANGELOG}
    )
    result = check(root)
    assert result.status is Status.PASS
    assert "(a development version)" in read_from(result)


def test_a_pre_release_may_use_its_final_versions_section(make_repo: RepoFactory) -> None:
    text = "## 2.2.0 (unreleased)\n\n- Coming.\n\n## 2.1.0 (2026-01-10)\n\n- Notes.\n"
    root = make_repo({"pyproject.toml": STATIC.replace("2.1.0", "2.2.0rc1"), "CHANGES.md": text})
    assert check(root, "v2.2.0rc1").status is Status.PASS


def random_module(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(0, 6)):
        lines.append(
            rng.choice(
                [
                    '__version__ = "1.2.3"',
                    "__version__ = '2.0'",
                    '__version__: str = "3.0.1"',
                    "__version__: Final = '4.0'",
                    "__version__ = VERSION",
                    "__version__ = get_version()",
                    "__version__ = '5.0'  # bumped by the release script",
                    "__version__ = '5' + '.0'",
                    'if True:\n    __version__ = "9.9.9"',
                    '# __version__ = "8.8.8"',
                    'VERSION = "7.0"',
                    "import os",
                    "def f():\n    return 1",
                    '"""Docs."""',
                    "",
                ]
            )
        )
    return "\n".join(lines) + "\n"


def ast_reading(text: str) -> str | None:
    """What ``ast`` says the first module-level ``__version__`` string literal is."""
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id == "__version__":
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    return value.value
                return None
    return None


@pytest.mark.parametrize("seed", range(4))
def test_the_version_literal_reader_agrees_with_ast(seed: int) -> None:
    """The hook path reads ``__version__`` with a regular expression, not ``ast``; on the
    module shapes that hold versions, both read the same literal."""
    rng = random.Random(seed)
    for _ in range(500):
        text = random_module(rng)
        found = _assigned_string(text, "__version__")
        assert (found[0] if found else None) == ast_reading(text), text


WORKSPACE = """
[tool.uv.workspace]
members = ["packages/*"]
"""


def test_a_workspace_root_skips_until_a_tag_names_a_distribution(make_repo: RepoFactory) -> None:
    root = make_repo(
        {
            "pyproject.toml": WORKSPACE,
            "packages/demo-core/pyproject.toml": minimal_pyproject("demo-core", "2.1.0"),
            "packages/demo-cli/pyproject.toml": minimal_pyproject("demo-cli", "0.4.0"),
            "CHANGELOG.md": CHANGELOG,
        }
    )
    result = check(root)
    assert result.status is Status.SKIP
    assert "demo-cli (packages/demo-cli/), demo-core (packages/demo-core/)" in (result.reason or "")
    assert check(root, "demo-core-v2.1.0").status is Status.PASS
    mismatch = check(root, "demo-cli-v2.1.0")
    assert problem_codes(mismatch) == ["RA303"]
    assert mismatch.findings[0].path == "packages/demo-cli/pyproject.toml"


def test_a_tag_convention_of_padded_calendar_versions_is_kept(make_repo: RepoFactory) -> None:
    from tests.conftest import git

    pyproject = (
        '[project]\nname = "demo"\ndynamic = ["version"]\n[tool.hatch.version]\nsource = "vcs"\n'
    )
    text = "# Changelog\n\n## 2026.02.01\n\n- Notes.\n"
    root = make_repo({"pyproject.toml": pyproject, "CHANGELOG.md": text})
    git(root, "tag", "v2025.12.01")
    git(root, "tag", "v2026.01.05")
    assert check(root, "v2026.02.01").status is Status.PASS
    # Where the repository spells versions canonically, a padded tag is a slip.
    canonical = make_repo({"pyproject.toml": pyproject, "CHANGELOG.md": text})
    git(canonical, "tag", "v2025.12.1")
    assert problem_codes(check(canonical, "v2026.02.01")) == ["RA310"]


def test_an_attribute_in_a_module_the_lookup_cannot_place_is_unread(
    make_repo: RepoFactory,
) -> None:
    pyproject = (
        '[project]\nname = "demo"\ndynamic = ["version"]\n'
        '[tool.setuptools.package-dir]\n"" = "lib"\n'
        '[tool.setuptools.dynamic]\nversion = {attr = "demo.__version__"}\n'
    )
    root = make_repo(
        {"pyproject.toml": pyproject, "lib/demo/__init__.py": '__version__ = "2.1.0"\n'}
    )
    result = check(root)
    assert result.status is Status.SKIP and "demo.__version__" in (result.reason or "")
