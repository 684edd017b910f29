"""The ``lock`` check on ``uv.lock`` agrees with ``uv lock --check --offline``, case by case.

Each base project is locked once per session by the real uv against the local test index; each
case copies it, edits ``pyproject.toml`` (or a member's) in one way, and asserts that our
verdict equals uv's. Cases cover edits that make the lock stale and edits that must not.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import git
from tests.lock_support import (
    Tools,
    copy_project,
    edit,
    lock_tools,
    our_verdict,
    run_tool,
    write_tree,
)

__all__ = ["lock_tools"]

BUILD = """
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"""

DEMO = (
    """
[project]
name = "demo"
version = "0.1.0"
description = "Demo project"
requires-python = ">=3.9"
dependencies = [
    "alpha>=1.0,<3",
    "beta; python_version >= '3.8'",
    "gamma; python_version < '3.11'",
]

[project.optional-dependencies]
cli = ["zeta"]
speed = []

[dependency-groups]
dev = ["delta", {include-group = "lint"}]
lint = ["epsilon"]

[tool.uv]
constraint-dependencies = ["alpha<2.5"]
"""
    + BUILD
)

VENDOR_ZETA = (
    """
[project]
name = "zeta"
version = "0.5"
requires-python = ">=3.8"
dependencies = []
"""
    + BUILD
)


def uv_lock(tools: Tools, root: Path) -> None:
    """Lock ``root`` with uv against the local index."""
    result = run_tool(tools, root, "uv", "lock", "--default-index", tools.index_url)
    assert result.returncode == 0, result.stderr


def uv_verdict(tools: Tools, root: Path) -> str:
    """``pass`` when ``uv lock --check --offline`` accepts the lock, else ``fail``."""
    result = run_tool(
        tools, root, "uv", "lock", "--check", "--offline", "--default-index", tools.index_url
    )
    if result.returncode == 0:
        return "pass"
    # A broken edit (unparsable pyproject) would make uv fail for the wrong reason.
    assert "TOML parse error" not in result.stderr, result.stderr
    assert "Failed to parse" not in result.stderr, result.stderr
    return "fail"


@pytest.fixture(scope="session")
def demo_base(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("uv-demo")
    write_tree(root, {"pyproject.toml": DEMO, "vendor/zeta/pyproject.toml": VENDOR_ZETA})
    uv_lock(lock_tools, root)
    return root


def pyproject(old: str, new: str) -> Callable[[Path], None]:
    """A mutation replacing ``old`` by ``new`` in the root ``pyproject.toml``."""
    return lambda root: edit(root / "pyproject.toml", old, new)


def append(text: str) -> Callable[[Path], None]:
    """A mutation appending ``text`` to the root ``pyproject.toml``."""

    def mutate(root: Path) -> None:
        path = root / "pyproject.toml"
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return mutate


def uv_setting(line: str) -> Callable[[Path], None]:
    """A mutation adding ``line`` to ``[tool.uv]``."""
    return pyproject("[tool.uv]\n", f"[tool.uv]\n{line}\n")


DEMO_CASES: list[tuple[str, Callable[[Path], None], str | None]] = [
    # --- edits that make the lock stale (the message names what differs)
    (
        "add-dependency",
        pyproject('"alpha>=1.0,<3",', '"alpha>=1.0,<3",\n    "delta>=3",'),
        "adds `delta>=3`",
    ),
    ("remove-dependency", pyproject("    \"beta; python_version >= '3.8'\",\n", ""), "`beta"),
    ("change-specifier", pyproject('"alpha>=1.0,<3"', '"alpha>=1.5,<3"'), "`alpha` changed"),
    (
        "add-requested-extra",
        pyproject('"beta; python_version', '"beta[fast]; python_version'),
        "beta",
    ),
    ("add-extra", pyproject("speed = []", 'speed = []\ndocs = ["gamma"]'), "extra `docs`"),
    ("remove-empty-extra", pyproject("speed = []\n", ""), "extra `speed`"),
    ("change-extra", pyproject('cli = ["zeta"]', 'cli = ["zeta>=0.5"]'), "`zeta` changed"),
    (
        "add-group",
        pyproject('lint = ["epsilon"]', 'lint = ["epsilon"]\ntest = ["gamma"]'),
        "group `test`",
    ),
    (
        "add-empty-group",
        pyproject('lint = ["epsilon"]', 'lint = ["epsilon"]\ndocs = []'),
        "group `docs`",
    ),
    (
        "remove-group",
        pyproject(
            'dev = ["delta", {include-group = "lint"}]\nlint = ["epsilon"]', 'dev = ["delta"]'
        ),
        "group `lint`",
    ),
    ("change-included-group", pyproject('lint = ["epsilon"]', 'lint = ["epsilon>=1"]'), "epsilon"),
    ("requires-python-lower", pyproject('">=3.9"', '">=3.10"'), "requires-python"),
    ("requires-python-upper", pyproject('">=3.9"', '">=3.9,<4"'), "requires-python"),
    (
        "marker-change",
        pyproject("beta; python_version >= '3.8'", "beta; sys_platform == 'linux'"),
        "`beta` changed",
    ),
    (
        "marker-version-change",
        pyproject("gamma; python_version < '3.11'", "gamma; python_version < '3.12'"),
        "`gamma` changed",
    ),
    ("add-path-source", append('\n[tool.uv.sources]\nzeta = { path = "vendor/zeta" }\n'), "zeta"),
    ("version-bump", pyproject('version = "0.1.0"', 'version = "0.2.0"'), "0.2.0"),
    ("change-constraint", pyproject('["alpha<2.5"]', '["alpha<2.2"]'), "constraint"),
    ("add-override", uv_setting('override-dependencies = ["gamma>=0.1"]'), "override"),
    ("add-build-constraint", uv_setting('build-constraint-dependencies = ["hatchling>=1"]'), None),
    ("package-false", uv_setting("package = false"), "virtual"),
    ("legacy-dev-dependencies", uv_setting('dev-dependencies = ["zeta"]'), "group `dev`"),
    ("resolution-mode", uv_setting('resolution = "lowest-direct"'), "resolution-mode"),
    ("prerelease-mode", uv_setting('prerelease = "allow"'), "prerelease-mode"),
    ("environments", uv_setting("environments = [\"sys_platform == 'linux'\"]"), "environments"),
    ("exclude-newer", uv_setting('exclude-newer = "2020-01-01T00:00:00Z"'), "exclude-newer"),
    (
        "add-conflicts",
        uv_setting('conflicts = [[{ extra = "cli" }, { extra = "speed" }]]'),
        "conflicts",
    ),
    (
        "required-environments",
        uv_setting("required-environments = [\"sys_platform == 'linux'\"]"),
        "required-markers",
    ),
    ("exclude-dependencies", uv_setting('exclude-dependencies = ["epsilon"]'), "exclude"),
    (
        "dependency-metadata",
        uv_setting('dependency-metadata = [{ name = "zeta", version = "0.5" }]'),
        "dependency-metadata",
    ),
    (
        "conditional-source",
        append(
            "\n[tool.uv.sources]\n"
            'zeta = { path = "vendor/zeta", marker = "sys_platform == \'linux\'" }\n'
        ),
        "zeta",
    ),
    # --- edits that must not make the lock stale
    (
        "reorder-dependencies",
        pyproject(
            '    "alpha>=1.0,<3",\n    "beta; python_version >= \'3.8\'",\n',
            '    "beta; python_version >= \'3.8\'",\n    "alpha>=1.0,<3",\n',
        ),
        None,
    ),
    ("respell-specifier", pyproject('"alpha>=1.0,<3"', '"Alpha <3.0, >=1.0.0"'), None),
    ("description", pyproject('"Demo project"', '"Another description"'), None),
    ("marker-simplified-away", pyproject("\"beta; python_version >= '3.8'\"", '"beta"'), None),
    (
        "marker-full-version-spelling",
        pyproject("gamma; python_version < '3.11'", "gamma; python_full_version < '3.11'"),
        None,
    ),
    (
        "marker-redundant-clause",
        pyproject(
            "gamma; python_version < '3.11'",
            "gamma; python_version < '3.11' and python_version >= '3.0'",
        ),
        None,
    ),
    ("respell-extra", pyproject('cli = ["zeta"]', 'CLI = ["zeta"]'), None),
    ("respell-constraint", pyproject('["alpha<2.5"]', '["Alpha<2.5.0"]'), None),
    (
        "reorder-groups",
        pyproject(
            'dev = ["delta", {include-group = "lint"}]\nlint = ["epsilon"]',
            'lint = ["epsilon"]\ndev = [{include-group = "lint"}, "delta"]',
        ),
        None,
    ),
    (
        "classifiers-and-readme",
        pyproject(
            'description = "Demo project"',
            'description = "Demo project"\nclassifiers = ["Programming Language :: Python"]\n'
            'authors = [{ name = "A. Author" }]',
        ),
        None,
    ),
    ("unrelated-tool-table", append("\n[tool.ruff]\nline-length = 100\n"), None),
    (
        "duplicate-requirement",
        pyproject('"alpha>=1.0,<3",', '"alpha>=1.0,<3",\n    "alpha>=1.0,<3",'),
        None,
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expect"),
    [pytest.param(mutate, expect, id=case) for case, mutate, expect in DEMO_CASES],
)
def test_demo_project_matches_uv(
    lock_tools: Tools,
    demo_base: Path,
    tmp_path: Path,
    mutate: Callable[[Path], None],
    expect: str | None,
) -> None:
    root = copy_project(demo_base, tmp_path / "demo")
    mutate(root)
    expected = uv_verdict(lock_tools, root)
    ours, result = our_verdict(root)
    assert ours == expected, [finding.as_line() for finding in result.findings]
    if expected == "fail":
        errors = [f for f in result.findings if f.severity.value == "error"]
        assert all(f.hint and "uv lock" in f.hint for f in errors)
        if expect is not None:
            assert any(expect in f.message for f in errors), [f.message for f in errors]


def test_unchanged_base_passes_without_findings(lock_tools: Tools, demo_base: Path) -> None:
    assert uv_verdict(lock_tools, demo_base) == "pass"
    ours, result = our_verdict(demo_base)
    assert ours == "pass"
    assert result.findings == ()


def test_stale_messages_name_the_dependency_and_line(
    lock_tools: Tools, demo_base: Path, tmp_path: Path
) -> None:
    root = copy_project(demo_base, tmp_path / "demo")
    edit(root / "pyproject.toml", '"alpha>=1.0,<3",', '"alpha>=1.0,<3",\n    "delta>=3",')
    _, result = our_verdict(root)
    (finding,) = result.findings
    assert finding.code == "RA504"
    assert finding.message == (
        "`demo` (pyproject.toml) adds `delta>=3` (pyproject.toml:9); uv.lock has no such "
        "requirement"
    )
    lock_lines = (root / "uv.lock").read_text().splitlines()
    assert finding.path == "uv.lock"
    assert finding.line is not None
    assert lock_lines[finding.line - 1].startswith("requires-dist")
    assert finding.hint == "run `uv lock` and commit the updated uv.lock"


# ------------------------------------------------------------------------ workspace

WS_ROOT = (
    """
[project]
name = "ws-root"
version = "1.0.0"
description = "root"
requires-python = ">=3.9"
dependencies = ["lib-a", "localdep", "alpha"]

[tool.uv.workspace]
members = ["packages/*"]

[tool.uv.sources]
lib-a = { workspace = true }
localdep = { path = "localdep", editable = true }
"""
    + BUILD
)
LIB_A = (
    """
[project]
name = "lib-a"
version = "0.1.0"
description = "a"
requires-python = ">=3.8"
dependencies = ["lib-b", "beta>=1"]

[tool.uv.sources]
lib-b = { workspace = true }
"""
    + BUILD
)
LIB_B = """
[project]
name = "lib-b"
version = "0.2.0"
description = "b"
requires-python = ">=3.8"
dependencies = []
"""
LOCALDEP = (
    """
[project]
name = "localdep"
version = "0.0.1"
description = "local"
dependencies = ["gamma"]
"""
    + BUILD
)


@pytest.fixture(scope="session")
def workspace_base(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("uv-workspace")
    write_tree(
        root,
        {
            "pyproject.toml": WS_ROOT,
            "packages/lib-a/pyproject.toml": LIB_A,
            "packages/lib-b/pyproject.toml": LIB_B,
            "localdep/pyproject.toml": LOCALDEP,
        },
    )
    uv_lock(lock_tools, root)
    return root


def member(relpath: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda root: edit(root / relpath / "pyproject.toml", old, new)


def add_member(root: Path) -> None:
    write_tree(
        root,
        {
            "packages/lib-c/pyproject.toml": (
                '[project]\nname = "lib-c"\nversion = "0.1.0"\nrequires-python = ">=3.9"\n'
                "dependencies = []\n" + BUILD
            )
        },
    )


WORKSPACE_CASES: list[tuple[str, Callable[[Path], None], str | None]] = [
    ("add-member", add_member, "lib-c"),
    (
        "member-adds-dependency",
        member("packages/lib-a", '"beta>=1"]', '"beta>=1", "gamma"]'),
        "gamma",
    ),
    ("member-version-bump", member("packages/lib-b", '"0.2.0"', '"0.3.0"'), "0.3.0"),
    ("member-requires-python", member("packages/lib-b", '">=3.8"', '">=3.10"'), "requires-python"),
    (
        "member-becomes-virtual",
        member(
            "packages/lib-b", "dependencies = []", "dependencies = []\n\n[tool.uv]\npackage = false"
        ),
        None,
    ),
    ("path-dependency-changes", member("localdep", '["gamma"]', '["gamma", "delta"]'), "delta"),
    ("path-dependency-version", member("localdep", '"0.0.1"', '"0.0.2"'), "0.0.2"),
    ("member-description", member("packages/lib-a", '"a"', '"library a"'), None),
    ("path-dependency-description", member("localdep", '"local"', '"a local package"'), None),
    ("member-requires-python-wider", member("packages/lib-b", '">=3.8"', '">=3.7"'), None),
]


@pytest.mark.parametrize(
    ("mutate", "expect"),
    [pytest.param(mutate, expect, id=case) for case, mutate, expect in WORKSPACE_CASES],
)
def test_workspace_matches_uv(
    lock_tools: Tools,
    workspace_base: Path,
    tmp_path: Path,
    mutate: Callable[[Path], None],
    expect: str | None,
) -> None:
    root = copy_project(workspace_base, tmp_path / "ws")
    mutate(root)
    expected = uv_verdict(lock_tools, root)
    ours, result = our_verdict(root)
    assert ours == expected, [finding.as_line() for finding in result.findings]
    if expected == "fail" and expect is not None:
        assert any(expect in f.message for f in result.findings), [
            f.message for f in result.findings
        ]


def test_workspace_base_warns_only_about_the_local_path(
    lock_tools: Tools, workspace_base: Path
) -> None:
    ours, result = our_verdict(workspace_base)
    assert ours == "pass"
    assert [f.code for f in result.findings] == ["RA516"]
    assert "`localdep`" in result.findings[0].message


# ------------------------------------------------------------------------- git source


@pytest.fixture(scope="session")
def git_base(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("gitpkg")
    git(repo, "init", "-q", "-b", "main")
    write_tree(
        repo,
        {
            "pyproject.toml": '[project]\nname = "gitpkg"\nversion = "1.0"\n' + BUILD,
            "gitpkg/__init__.py": "",
        },
    )
    env_commit = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    git(repo, "add", "-A")
    git(repo, *env_commit, "commit", "-q", "-m", "one")
    git(repo, "tag", "v1")
    (repo / "gitpkg" / "__init__.py").write_text("VALUE = 2\n")
    git(repo, *env_commit, "commit", "-q", "-am", "two")
    git(repo, "tag", "v2")
    root = tmp_path_factory.mktemp("uv-git")
    write_tree(
        root,
        {
            "pyproject.toml": (
                '[project]\nname = "uses-git"\nversion = "0.1.0"\nrequires-python = ">=3.9"\n'
                'dependencies = ["gitpkg"]\n\n[tool.uv.sources]\n'
                f'gitpkg = {{ git = "{repo.as_uri()}", tag = "v1" }}\n'
            )
        },
    )
    uv_lock(lock_tools, root)
    return root


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param('tag = "v1"', 'tag = "v2"', id="tag-changes"),
        pytest.param('tag = "v1"', 'branch = "main"', id="tag-to-branch"),
        pytest.param('version = "0.1.0"', 'version = "0.1.0"', id="unchanged"),
    ],
)
def test_git_source_matches_uv(
    lock_tools: Tools, git_base: Path, tmp_path: Path, old: str, new: str
) -> None:
    root = copy_project(git_base, tmp_path / "g")
    edit(root / "pyproject.toml", old, new)
    expected = uv_verdict(lock_tools, root)
    ours, result = our_verdict(root)
    assert ours == expected, [finding.as_line() for finding in result.findings]
    # A git source on the local disk is not portable: always a warning, never a failure.
    assert "RA517" in {f.code for f in result.findings}


def test_lock_without_requires_python_is_unreadable(
    lock_tools: Tools, demo_base: Path, tmp_path: Path
) -> None:
    root = copy_project(demo_base, tmp_path / "demo")
    edit(root / "uv.lock", 'requires-python = ">=3.9"\n', "")
    uv = run_tool(lock_tools, root, "uv", "lock", "--check", "--offline")
    assert uv.returncode != 0
    assert "missing field `requires-python`" in uv.stderr
    ours, result = our_verdict(root)
    assert ours == "fail"
    assert [(f.code, f.line) for f in result.findings] == [("RA502", 1)]


# ----------------------------------------------------------- fresh locks must pass

FRESH_BASE = """
[project]
name = "fresh"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = {dependencies}

[project.optional-dependencies]
cli = ["gamma; sys_platform != 'win32'", "fresh[extra2]"]
extra2 = ["delta", "zeta"]

{extra}
"""

#: A build backend in the project itself, so uv can read a dynamic version offline (the
#: local index has no hatchling). It implements the one hook uv needs for metadata.
LOCAL_BACKEND = '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n'
BACKEND_CODE = """
import os


def get_requires_for_build_wheel(config_settings=None):
    return []


get_requires_for_build_editable = get_requires_for_build_wheel


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    name = "fresh-0.3.0.dist-info"
    os.makedirs(os.path.join(metadata_directory, name))
    with open(os.path.join(metadata_directory, name, "METADATA"), "w") as handle:
        handle.write(
            "Metadata-Version: 2.1\\nName: fresh\\nVersion: 0.3.0\\n"
            "Requires-Dist: alpha\\n"
            "Requires-Dist: gamma; sys_platform != 'win32' and extra == 'cli'\\n"
            "Requires-Dist: fresh[extra2]; extra == 'cli'\\n"
            "Requires-Dist: delta; extra == 'extra2'\\n"
            "Requires-Dist: zeta; extra == 'extra2'\\n"
            "Provides-Extra: cli\\nProvides-Extra: extra2\\n"
        )
    return name


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel
"""

FRESH_VARIANTS: list[tuple[str, str, str]] = [
    (
        "conditional-sources-covering",
        '["zeta"]',
        "[tool.uv.sources]\nzeta = [\n"
        '  {{ path = "vendor/zeta", marker = "sys_platform == \'linux\'" }},\n'
        '  {{ path = "vendor/zeta", editable = true, marker = "sys_platform != \'linux\'" }},\n'
        "]\n",
    ),
    (
        "conditional-source-with-registry-rest",
        "[\"zeta; python_version >= '3.10'\"]",
        "[tool.uv.sources]\n"
        'zeta = {{ path = "vendor/zeta", marker = "sys_platform == \'linux\'" }}\n',
    ),
    (
        "explicit-index-source",
        '["alpha>=1.0"]',
        '[tool.uv.sources]\nalpha = {{ index = "extra" }}\n\n[[tool.uv.index]]\nname = "extra"\n'
        'url = "{index}"\nexplicit = true\n',
    ),
    (
        "group-scoped-source",
        '["alpha"]',
        '[dependency-groups]\nlocal = ["zeta"]\n\n[tool.uv.sources]\n'
        'zeta = {{ path = "vendor/zeta", group = "local" }}\n',
    ),
    (
        "extra-scoped-source",
        '["alpha"]',
        '[tool.uv.sources]\nzeta = {{ path = "vendor/zeta", extra = "extra2" }}\n',
    ),
    ("dynamic-version", '["alpha"]', LOCAL_BACKEND),
    (
        "settings",
        '["alpha", "beta"]',
        '[tool.uv]\nresolution = "lowest-direct"\nprerelease = "allow"\n'
        "environments = [\"sys_platform == 'linux'\", \"sys_platform == 'darwin'\"]\n"
        "required-environments = [\"sys_platform == 'linux'\"]\n"
        'exclude-dependencies = ["epsilon"]\n'
        'constraint-dependencies = ["alpha<2"]\n'
        'override-dependencies = ["beta>=1"]\n'
        'conflicts = [[{{ extra = "cli" }}, {{ extra = "extra2" }}]]\n'
        'dependency-metadata = [{{ name = "zeta", version = "0.5", requires-dist = ["alpha"] }}]\n',
    ),
    (
        # pydantic's markers: uv writes platform_system == 'Windows' as sys_platform == 'win32'
        # and python_version as python_full_version; a version list becomes a range; an
        # impossible platform pair becomes `python_version < '0'`.
        "uv-normalized-markers",
        "[\"alpha; platform_system == 'Windows'\", \"beta; python_version in '3.10 3.11'\", "
        "\"delta; os_name == 'nt' and sys_platform == 'linux'\"]",
        "[dependency-groups]\ndev = [\n"
        "  \"epsilon; platform_python_implementation == 'CPython' and platform_system != "
        "'Windows' and python_version < '3.15'\",\n"
        "  \"zeta; 'linux' in sys_platform or sys_platform == 'linux'\",\n]\n",
    ),
    (
        "markers-everywhere",
        "[\"alpha; python_version < '3.13' and platform_machine != 'arm64'\", "
        "\"beta; os_name == 'nt' or "
        "(sys_platform == 'linux' and python_full_version >= '3.9.2')\"]",
        "[dependency-groups]\ndev = [\"epsilon; implementation_name == 'cpython'\"]\n",
    ),
]


@pytest.mark.parametrize(
    ("dependencies", "extra"),
    [pytest.param(deps, extra, id=case) for case, deps, extra in FRESH_VARIANTS],
)
def test_fresh_locks_pass(lock_tools: Tools, tmp_path: Path, dependencies: str, extra: str) -> None:
    root = tmp_path / "fresh"
    text = FRESH_BASE.format(
        dependencies=dependencies, extra=extra.format(index=lock_tools.index_url)
    )
    if LOCAL_BACKEND in extra:
        text = text.replace('version = "0.1.0"', 'dynamic = ["version"]')
    write_tree(
        root,
        {
            "pyproject.toml": text,
            "vendor/zeta/pyproject.toml": VENDOR_ZETA,
            "backend.py": BACKEND_CODE,
        },
    )
    uv_lock(lock_tools, root)
    assert uv_verdict(lock_tools, root) == "pass"
    ours, result = our_verdict(root)
    assert ours == "pass", [finding.as_line() for finding in result.findings]
    assert not [f for f in result.findings if f.code == "RA509"], result.findings


NON_PROJECT_ROOT = """
[tool.uv.workspace]
members = ["packages/*"]

[tool.uv.sources]
lib-b = { workspace = true }

[dependency-groups]
dev = ["delta", "lib-b"]
"""


@pytest.fixture(scope="session")
def non_project_base(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("uv-non-project")
    write_tree(root, {"pyproject.toml": NON_PROJECT_ROOT, "packages/lib-b/pyproject.toml": LIB_B})
    uv_lock(lock_tools, root)
    return root


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param('dev = ["delta", "lib-b"]', 'dev = ["delta>=3", "lib-b"]', id="group-changes"),
        pytest.param('dev = ["delta", "lib-b"]', 'dev = ["lib-b", "delta"]', id="group-reordered"),
        pytest.param(
            'dev = ["delta", "lib-b"]',
            'dev = ["delta", "lib-b"]\ndocs = ["gamma"]',
            id="group-added",
        ),
        pytest.param(
            "lib-b = { workspace = true }",
            "lib-b = { workspace = true, editable = false }",
            id="not-editable",
        ),
    ],
)
def test_non_project_workspace_root_matches_uv(
    lock_tools: Tools, non_project_base: Path, tmp_path: Path, old: str, new: str
) -> None:
    root = copy_project(non_project_base, tmp_path / "np")
    assert our_verdict(root)[0] == "pass"  # the fresh lock itself
    edit(root / "pyproject.toml", old, new)
    expected = uv_verdict(lock_tools, root)
    ours, result = our_verdict(root)
    assert ours == expected, [finding.as_line() for finding in result.findings]


INDEXED = """
[project]
name = "indexed"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["alpha"]

[[tool.uv.index]]
name = "local"
url = "{index}"
default = true
"""


@pytest.fixture(scope="session")
def indexed_base(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("uv-indexed")
    write_tree(root, {"pyproject.toml": INDEXED.format(index=lock_tools.index_url)})
    result = run_tool(lock_tools, root, "uv", "lock")
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param('/simple"\ndefault', '/simple/"\ndefault', "fail", id="trailing-slash"),
        pytest.param('/simple"\ndefault', '/mirror"\ndefault', "fail", id="index-replaced"),
        pytest.param(
            "default = true\n",
            'default = true\n\n[[tool.uv.index]]\nname = "other"\nurl = "https://example.invalid/simple"\n',
            "pass",
            id="index-added",
        ),
    ],
)
def test_configured_indexes_match_uv(
    lock_tools: Tools, indexed_base: Path, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    root = copy_project(indexed_base, tmp_path / "i")
    assert our_verdict(root)[0] == "pass"
    edit(root / "pyproject.toml", old, new)
    result = run_tool(lock_tools, root, "uv", "lock", "--check", "--offline")
    assert ("pass" if result.returncode == 0 else "fail") == expected, result.stderr
    ours, found = our_verdict(root)
    assert ours == expected, [finding.as_line() for finding in found.findings]
    if expected == "fail":
        assert [f.code for f in found.findings] == ["RA508"]


EPSILON = (
    "epsilon; platform_python_implementation == 'CPython' and platform_system != 'Windows' "
    "and python_version < '3.15'"
)
MARKERS = f"""
[project]
name = "markers"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["alpha; platform_system == 'Windows'", "beta; python_version < '3.11'"]

[project.optional-dependencies]
tz = ['delta; platform_system == "Windows"']

[dependency-groups]
dev = ["{EPSILON}"]
"""


@pytest.fixture(scope="session")
def markers_base(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("uv-markers")
    write_tree(root, {"pyproject.toml": MARKERS})
    uv_lock(lock_tools, root)
    return root


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("alpha; platform_system", "alpha; platform_system", "pass", id="unchanged"),
        pytest.param(
            "alpha; platform_system == 'Windows'",
            "alpha; sys_platform == 'win32'",
            "pass",
            id="windows-as-sys-platform",
        ),
        pytest.param(
            "alpha; platform_system == 'Windows'",
            "alpha; platform_system == 'Linux'",
            "fail",
            id="windows-to-linux",
        ),
        pytest.param(
            "alpha; platform_system == 'Windows'",
            "alpha; platform_system == 'FreeBSD'",
            "fail",
            id="windows-to-freebsd",
        ),
        pytest.param(
            EPSILON,
            "epsilon; python_full_version < '3.15' and platform_python_implementation == "
            "'CPython' and sys_platform != 'win32'",
            "pass",
            id="group-marker-as-uv-writes-it",
        ),
        pytest.param(
            EPSILON, EPSILON.replace("'3.15'", "'3.14'"), "fail", id="group-marker-bound-changes"
        ),
        pytest.param(
            "beta; python_version < '3.11'",
            "beta; python_version in '3.9 3.10'",
            "pass",
            id="version-list-within-requires-python",
        ),
        pytest.param(
            "beta; python_version < '3.11'",
            "beta; python_version < '3.11' or (os_name == 'nt' and sys_platform == 'linux')",
            "pass",
            id="impossible-platform-pair",
        ),
        pytest.param(
            'delta; platform_system == "Windows"',
            'delta; os_name == "nt"',
            "fail",
            id="extra-marker-changes",
        ),
    ],
)
def test_uv_marker_normalization_matches_uv(
    lock_tools: Tools, markers_base: Path, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    root = copy_project(markers_base, tmp_path / "m")
    edit(root / "pyproject.toml", old, new)
    assert uv_verdict(lock_tools, root) == expected
    ours, result = our_verdict(root)
    assert ours == expected, [finding.as_line() for finding in result.findings]
    if expected == "pass":
        assert result.findings == (), [finding.as_line() for finding in result.findings]


SPECIFIERS = """
[project]
name = "specs"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["alpha~=1.0", "beta>=1.0,<3", "gamma==0.1.*"]
"""


@pytest.fixture(scope="session")
def specifiers_base(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("uv-specifiers")
    write_tree(root, {"pyproject.toml": SPECIFIERS})
    uv_lock(lock_tools, root)
    return root


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # `~=1.0` allows 1.x, `~=1.0.0` only 1.0.x: ~= keeps its trailing zeros.
        pytest.param('"alpha~=1.0"', '"alpha~=1.0.0"', "fail", id="tilde-gains-a-zero"),
        pytest.param('"alpha~=1.0"', '"alpha ~= 1.0"', "pass", id="tilde-respaced"),
        # uv compares the versions a set admits, not its clauses.
        pytest.param('"alpha~=1.0"', '"alpha>=1.0,==1.*"', "pass", id="tilde-as-two-clauses"),
        pytest.param('"alpha~=1.0"', '"alpha>=1.0,<2"', "pass", id="tilde-as-range"),
        pytest.param('"alpha~=1.0"', '"alpha~=1.0,>=0.5"', "pass", id="redundant-clause"),
        pytest.param('"alpha~=1.0"', '"alpha>=1,<1.9999"', "fail", id="narrower-range"),
        pytest.param('"alpha~=1.0"', '"alpha>=1.0,<2.dev0"', "fail", id="dev-bound"),
        pytest.param('"beta>=1.0,<3"', '"beta<3.0.0, >=1"', "pass", id="zeros-and-order"),
        pytest.param('"beta>=1.0,<3"', '"beta>=1.0,<3,!=5"', "pass", id="exclusion-outside"),
        pytest.param('"beta>=1.0,<3"', '"beta>1.0,<3"', "fail", id="exclusive-bound"),
        pytest.param('"beta>=1.0,<3"', '"beta>=1.0,<3,!=1.0.post1"', "fail", id="post-excluded"),
        # A clause naming a pre-release opts into pre-releases: not the same requirement.
        pytest.param('"beta>=1.0,<3"', '"beta>=1.0,<3,>=0.9rc1"', "fail", id="prerelease-opt-in"),
        pytest.param('"beta>=1.0,<3"', '"beta>=1.0,<3,!=1.0a1"', "pass", id="prerelease-excluded"),
        pytest.param('"gamma==0.1.*"', '"gamma==0.1.0.*"', "pass", id="wildcard-zero"),
        pytest.param('"gamma==0.1.*"', '"gamma==0.*"', "fail", id="wildcard-shorter"),
    ],
)
def test_specifier_spellings_match_uv(
    lock_tools: Tools, specifiers_base: Path, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    root = copy_project(specifiers_base, tmp_path / "s")
    edit(root / "pyproject.toml", old, new)
    assert uv_verdict(lock_tools, root) == expected
    ours, result = our_verdict(root)
    assert ours == expected, [finding.as_line() for finding in result.findings]


GROUP_PYTHON = """
[project]
name = "groups"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = []

[dependency-groups]
lint = ["delta"]
typing = ["epsilon; sys_platform == 'linux'", {include-group = "lint"}]
docs = ["zeta"]

[tool.uv.dependency-groups]
typing = {requires-python = ">=3.11"}
lint = {requires-python = ">=3.10"}
"""


@pytest.fixture(scope="session")
def group_python_base(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("uv-group-python")
    write_tree(root, {"pyproject.toml": GROUP_PYTHON})
    uv_lock(lock_tools, root)
    return root


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("lint = {", "lint = {", "pass", id="unchanged"),
        pytest.param('">=3.11"', '">=3.12"', "fail", id="group-bound-raised"),
        pytest.param('">=3.10"}', '">=3.10,<4"}', "fail", id="included-group-gets-upper-bound"),
        pytest.param('typing = {requires-python = ">=3.11"}\n', "", "fail", id="setting-removed"),
        pytest.param('">=3.11"', '">=3.11.0"', "pass", id="bound-respelled"),
        # uv (lock revision 5) records each group's requires-python clauses and compares
        # them as a sorted list: a setting equal to the project's bound is still a change.
        pytest.param(
            'lint = {requires-python = ">=3.10"}',
            'lint = {requires-python = ">=3.10"}\ndocs = {requires-python = ">=3.9"}',
            "fail",
            id="bound-of-the-project-itself",
        ),
        pytest.param('">=3.10"}', '">=3.10,>=3.9"}', "fail", id="redundant-clause"),
        pytest.param(
            "epsilon; sys_platform == 'linux'",
            "epsilon; sys_platform == 'linux' and python_version >= '3.11'",
            "pass",
            id="bound-repeated-in-the-marker",
        ),
    ],
)
def test_group_requires_python_matches_uv(
    lock_tools: Tools, group_python_base: Path, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    """tool.uv.dependency-groups.<g>.requires-python is added to the group's markers."""
    root = copy_project(group_python_base, tmp_path / "g")
    edit(root / "pyproject.toml", old, new)
    assert uv_verdict(lock_tools, root) == expected
    ours, result = our_verdict(root)
    assert ours == expected, [finding.as_line() for finding in result.findings]
    if expected == "pass":
        assert result.findings == (), [finding.as_line() for finding in result.findings]


def test_group_requires_python_is_not_compared_before_revision_5(
    lock_tools: Tools, group_python_base: Path, tmp_path: Path
) -> None:
    """A lock from before uv recorded [package.group-requires-python] is not stale for it."""
    root = copy_project(group_python_base, tmp_path / "g")
    lock = (root / "uv.lock").read_text()
    assert "revision = 5\n" in lock
    table = lock[lock.index("[package.group-requires-python]") :]
    table = table[: table.index("\n\n") + 2]
    (root / "uv.lock").write_text(lock.replace(table, "").replace("revision = 5", "revision = 4"))
    edit(root / "pyproject.toml", '">=3.11"', '">=3.11,>=3.9"')
    assert uv_verdict(lock_tools, root) == "pass"
    assert our_verdict(root)[0] == "pass"
    (root / "uv.lock").write_text(lock.replace(table, ""))
    assert uv_verdict(lock_tools, root) == "fail"
    ours, result = our_verdict(root)
    assert ours == "fail"
    assert any("group `typing`" in f.message for f in result.findings), result.findings


EXCLUDE_NEWER = """
[project]
name = "cooldown"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = []

[tool.uv]
exclude-newer = "1 week"

[tool.uv.exclude-newer-package]
alpha = false
beta = "2 days"
gamma = "2024-05-01T00:00:00Z"
"""


@pytest.fixture(scope="session")
def exclude_newer_base(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # No dependencies: the local index records no upload times, which exclude-newer needs.
    root = tmp_path_factory.mktemp("uv-exclude-newer")
    write_tree(root, {"pyproject.toml": EXCLUDE_NEWER})
    uv_lock(lock_tools, root)
    lock = (root / "uv.lock").read_text()
    assert 'exclude-newer = "0001-01-01T00:00:00Z"' in lock  # the placeholder
    assert 'exclude-newer-span = "P1W"' in lock
    return root


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param('"1 week"', '"1 week"', "pass", id="unchanged"),
        # A duration matches field by field, in any spelling jiff reads.
        pytest.param('"1 week"', '"P1W"', "pass", id="iso-8601"),
        pytest.param('"1 week"', '"p1w"', "pass", id="iso-8601-lower-case"),
        pytest.param('"1 week"', '"1w"', "pass", id="compact"),
        pytest.param('"1 week"', '"+1 weeks"', "pass", id="plural-with-sign"),
        pytest.param('"1 week"', '"1 week 0 days"', "pass", id="zero-field"),
        pytest.param('"1 week"', '"7 days"', "fail", id="same-length-other-field"),
        pytest.param('"1 week"', '"1 week ago"', "fail", id="negative"),
        pytest.param('"1 week"', '"2024-01-01"', "fail", id="fixed-date"),
        pytest.param('exclude-newer = "1 week"\n', "", "fail", id="removed"),
        pytest.param('beta = "2 days"', 'beta = "P2D"', "pass", id="package-iso"),
    ],
)
def test_exclude_newer_matches_uv(
    lock_tools: Tools, exclude_newer_base: Path, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    root = copy_project(exclude_newer_base, tmp_path / "e")
    edit(root / "pyproject.toml", old, new)
    assert uv_verdict(lock_tools, root) == expected
    ours, result = our_verdict(root)
    assert ours == expected, [finding.as_line() for finding in result.findings]
    if expected == "pass":
        assert result.findings == (), [finding.as_line() for finding in result.findings]
    else:
        assert {f.code for f in result.findings} == {"RA508"}, result.findings


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param('beta = "2 days"', 'beta = "48 hours"', id="duration"),
        pytest.param("alpha = false", 'alpha = "1 day"', id="enabled"),
        pytest.param(
            'gamma = "2024-05-01T00:00:00Z"', 'gamma = "2024-05-02T00:00:00Z"', id="fixed-date"
        ),
        pytest.param('gamma = "2024-05-01T00:00:00Z"\n', "", id="removed"),
        pytest.param('gamma = "2024-05-01T00:00:00Z"', 'gamma = "3 days"', id="to-duration"),
    ],
)
def test_exclude_newer_package_changes_warn(
    lock_tools: Tools, exclude_newer_base: Path, tmp_path: Path, old: str, new: str
) -> None:
    """uv's verdict on exclude-newer-package changes depends on its hash-map order (it stops at
    the first package whose cutoff moved, and a duration's always has) and it lets some fixed
    date changes pass: a changed entry is a warning, never a failure uv might not give."""
    root = copy_project(exclude_newer_base, tmp_path / "e")
    edit(root / "pyproject.toml", old, new)
    uv = uv_verdict(lock_tools, root)
    ours, result = our_verdict(root)
    assert ours == "pass", (uv, [finding.as_line() for finding in result.findings])
    assert [f.code for f in result.findings] == ["RA509"], result.findings
    assert "exclude-newer-package" in result.findings[0].message
