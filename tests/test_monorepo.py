"""Repositories that hold several packages: found, picked with ``--package``, their tags read,
their workflows read from the git root; a monorepo root without ``pyproject.toml`` is no error.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from packaging.version import Version

from release_assistant.cli.main import main
from release_assistant.core.context import RepoContext
from release_assistant.core.engine import run_checks, select_checks
from release_assistant.core.findings import Status
from release_assistant.core.project.packages import (
    Package,
    find_packages,
    is_monorepo_root,
    pick_package,
)
from release_assistant.core.project.tags import infer_tag_format, prefix_names
from tests.conftest import RepoFactory

SHA = "0123456789abcdef0123456789abcdef01234567"


def member(name: str, version: str) -> str:
    return f'[project]\nname = "{name}"\nversion = "{version}"\nrequires-python = ">=3.9"\n'


#: Builds one package of the repository and publishes it with trusted publishing.
PUBLISH = f"""\
name: publish
on:
  push:
    tags: ["kettle-v*"]
permissions: {{}}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@{SHA}
        with:
          persist-credentials: false
      - run: uv run --frozen pytest
      - run: uv build --package kettle
      - uses: actions/upload-artifact@{SHA}
        with:
          name: dists
          path: dist/
  publish:
    needs: build
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@{SHA}
        with:
          name: dists
          path: dist/
      - uses: pypa/gh-action-pypi-publish@{SHA}
"""

#: A root with no pyproject.toml: the packages live in ``libs/``.
PLAIN_MONOREPO = {
    "libs/kettle/pyproject.toml": member("kettle", "1.4.0"),
    "libs/kettle/CHANGELOG.md": (
        "# Changelog\n\n## [Unreleased]\n\n## [1.4.0] - 2026-01-02\n\n- Boil.\n"
    ),
    "libs/teapot/pyproject.toml": member("teapot", "0.3.0"),
    ".github/workflows/publish.yml": PUBLISH,
}

#: A uv workspace whose root is no package: its version is a placeholder.
UV_WORKSPACE_ROOT = """\
[project]
name = "kitchen"
version = "0.0.0"
requires-python = ">=3.9"

[tool.uv]
package = false

[tool.uv.workspace]
members = ["packages/*"]
"""


def _json_check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main(["check", *argv, "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def _check(report: dict[str, object], check_id: str) -> dict[str, object]:
    checks = report["checks"]
    assert isinstance(checks, list)
    found: dict[str, object] = next(c for c in checks if c["id"] == check_id)
    return found


def _codes(check: dict[str, object]) -> list[str]:
    findings = check["findings"]
    assert isinstance(findings, list)
    return [f["code"] for f in findings]


def test_a_root_without_pyproject_is_a_monorepo_not_an_error(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # No workflow says which package is released: the root stays the root.
    root = make_repo({k: v for k, v in PLAIN_MONOREPO.items() if not k.startswith(".github")})
    assert find_packages(str(root), None) == [
        Package("kettle", "libs/kettle"),
        Package("teapot", "libs/teapot"),
    ]
    code, report = _json_check(capsys, "--repo", str(root), "--only", "version")
    assert report["repo"] == str(root)
    version = _check(report, "version")
    assert "RA301" not in _codes(version)
    assert version["status"] == "skip"
    assert code == 0


def test_package_picks_one_and_reads_the_workflows_at_the_git_root(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(PLAIN_MONOREPO)
    git_tag = ["--tag", "kettle-v1.4.0"]
    code, report = _json_check(
        capsys, "--repo", str(root), "--package", "kettle", *git_tag, "--skip", "git,ci"
    )
    assert report["repo"] == str(root / "libs" / "kettle")
    assert report["version"] == "1.4.0"
    assert _check(report, "version")["status"] == "pass"
    assert _check(report, "changelog")["status"] == "pass"
    workflow = _check(report, "workflow")
    assert "RA601" not in _codes(workflow)  # before: no workflow found inside libs/kettle
    assert workflow["status"] in ("pass", "warn"), workflow
    assert code == 0


def test_repo_naming_a_package_folder_reads_the_workflows_at_the_git_root(
    make_repo: RepoFactory,
) -> None:
    root = make_repo(PLAIN_MONOREPO)
    ctx = RepoContext.load(root / "libs" / "kettle")
    assert [aw.relpath for aw in ctx.workflows.publishing] == [".github/workflows/publish.yml"]
    (result,) = run_checks(ctx, select_checks(["workflow"], []))
    assert result.status is not Status.FAIL, result.findings


def test_package_accepts_any_spelling_or_the_folder_and_names_the_choices(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(PLAIN_MONOREPO)
    packages = find_packages(str(root), None)
    assert pick_package(packages, "Teapot") == Package("teapot", "libs/teapot")
    assert pick_package(packages, "libs/teapot/") == Package("teapot", "libs/teapot")
    assert main(["check", "--repo", str(root), "--package", "saucepan"]) == 2
    err = capsys.readouterr().err
    assert "--package 'saucepan': no such package" in err
    assert "kettle (libs/kettle/), teapot (libs/teapot/)" in err
    assert "Traceback" not in err


def test_a_workspace_roots_placeholder_version_is_not_checked(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        {
            "pyproject.toml": UV_WORKSPACE_ROOT,
            "packages/kettle/pyproject.toml": member("kettle", "1.4.0"),
            "packages/teapot/pyproject.toml": member("teapot", "0.3.0"),
        }
    )
    assert is_monorepo_root(RepoContext.load(root).pyproject.data)  # type: ignore[union-attr]
    code, report = _json_check(capsys, "--repo", str(root), "--tag", "v9.9.9", "--only", "version")
    # The root's 0.0.0 is nobody's version: a tag is never held against it.
    assert "RA303" not in _codes(_check(report, "version"))
    code, report = _json_check(
        capsys, "--repo", str(root), "--tag", "teapot==0.3.0", "--only", "version"
    )
    assert report["version"] == "0.3.0"
    assert _check(report, "version")["status"] == "pass"
    assert code == 0
    code, report = _json_check(
        capsys, "--repo", str(root), "--tag", "teapot==0.4.0", "--only", "version"
    )
    assert "RA303" in _codes(_check(report, "version"))
    assert code == 1


def test_a_workspace_root_that_is_a_package_keeps_its_version(make_repo: RepoFactory) -> None:
    text = UV_WORKSPACE_ROOT.replace("[tool.uv]\npackage = false\n\n", "")
    root = make_repo({"pyproject.toml": text, "packages/kettle/pyproject.toml": member("k", "1")})
    ctx = RepoContext.load(root)
    assert ctx.pyproject is not None and not is_monorepo_root(ctx.pyproject.data)
    assert ctx.release.source is not None and ctx.release.source.value == "0.0.0"


@pytest.mark.parametrize(
    ("table", "folder"),
    [
        ('[tool.pdm.workspace]\nmembers = ["parts/*"]\n', "parts"),
        ('[tool.hatch.envs.default.workspace]\nmembers = [{path = "parts/*"}]\n', "parts"),
        ('[tool.uv.workspace]\nmembers = ["parts/*"]\nexclude = ["parts/old"]\n', "parts"),
    ],
)
def test_workspace_members_of_uv_pdm_and_hatch(tmp_path: Path, table: str, folder: str) -> None:
    from release_assistant.core.support.toml_lines import parse_toml

    for name in ("kettle", "old"):
        path = tmp_path / folder / name / "pyproject.toml"
        path.parent.mkdir(parents=True)
        path.write_text(member(name, "1.0"), encoding="utf-8")
    data = parse_toml('[project]\nname = "root"\n' + table, "pyproject.toml").data
    found = find_packages(str(tmp_path), data)
    expected = [Package("kettle", f"{folder}/kettle")]
    if "exclude" not in table:
        expected.append(Package("old", f"{folder}/old"))
    assert found == expected


@pytest.mark.parametrize(
    ("prefix", "name", "names"),
    [
        ("kettle-v", "kettle", True),
        ("kettle==", "kettle", True),
        ("Kettle_", "kettle", True),
        ("kettle/v", "kettle", True),
        ("kettle-", "kettle", True),
        ("kettle-lid-v", "kettle", False),  # another package's tags
        ("kettle-lid-v", "kettle-lid", True),
        ("kettlev", "kettle", False),
        ("v", "kettle", False),
    ],
)
def test_a_tag_prefix_names_a_package(prefix: str, name: str, names: bool) -> None:
    assert prefix_names(prefix, name) is names


def test_the_tag_format_of_a_package_is_inferred_from_its_own_tags() -> None:
    tags = ["kettle==1.3.0", "kettle==1.4.0", "teapot-v0.3.0", "kettle-lid-v9.0.0", "v2.0.0"]
    kettle = infer_tag_format(tags, ["kettle"])
    assert kettle is not None and kettle.format == "kettle=={version}"
    teapot = infer_tag_format(tags, ["teapot"])
    assert teapot is not None and teapot.format == "teapot-v{version}"


def test_check_at_the_root_judges_the_package_the_publishing_workflow_builds(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(PLAIN_MONOREPO)
    code = main(["check", "--repo", str(root), "--only", "version"])
    captured = capsys.readouterr()
    assert "note: checking kettle (libs/kettle/), the package the publishing workflows build" in (
        captured.err
    )
    assert "libs/kettle · " in captured.out and "(version 1.4.0)" in captured.out
    assert code == 0


def _build_workflow(step: str) -> str:
    return (
        "on: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
        f"{step}"
        f"      - uses: pypa/gh-action-pypi-publish@{SHA}\n"
    )


@pytest.mark.parametrize(
    ("step", "built"),
    [
        ("      - run: uv build --package teapot\n", ["teapot"]),
        ("      - run: uv build libs/teapot --out-dir dist\n", ["teapot"]),
        ("      - run: python -m build\n        working-directory: libs/teapot\n", ["teapot"]),
        ("      - run: cd libs/kettle && python -m build\n", ["kettle"]),
        ("      - run: pdm build -p libs/kettle\n", ["kettle"]),
        (
            f"      - uses: PyO3/maturin-action@{SHA}\n        with:\n"
            "          args: --release --manifest-path libs/teapot/Cargo.toml\n",
            ["teapot"],
        ),
        ("      - run: python -m build\n", []),  # the root, which is no package
        ("      - run: ./scripts/build-all.sh\n", []),
    ],
)
def test_which_package_a_build_step_builds(
    make_repo: RepoFactory, step: str, built: list[str]
) -> None:
    from release_assistant.core.project.packages import built_packages

    files = {k: v for k, v in PLAIN_MONOREPO.items() if not k.startswith(".github")}
    files[".github/workflows/publish.yml"] = _build_workflow(step)
    files["scripts/build-all.sh"] = "#!/bin/sh\nfor d in libs/*; do python -m build $d; done\n"
    root = make_repo(files)
    ctx = RepoContext.load(root)
    packages = find_packages(str(root), None)
    assert [p.name for p in built_packages(packages, ctx.workflows.publishing)] == built


WORKSPACE_LOCK = """\
version = 1
revision = 5
requires-python = ">=3.9"

[manifest]
members = [
    "kettle",
    "kitchen",
    "teapot",
]

[[package]]
name = "kettle"
version = "1.0.0"
source = { editable = "packages/kettle" }

[[package]]
name = "kitchen"
version = "0.0.0"
source = { virtual = "." }

[[package]]
name = "teapot"
version = "1.0.0"
source = { editable = "packages/teapot" }
"""

BUILT_MEMBER = member("{name}", "{version}") + (
    '\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
)


def test_a_workspace_members_lock_is_the_workspaces(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    import subprocess

    def built(name: str, version: str) -> str:
        return BUILT_MEMBER.replace("{name}", name).replace("{version}", version)

    root = make_repo(
        {
            "pyproject.toml": UV_WORKSPACE_ROOT,
            "uv.lock": WORKSPACE_LOCK,
            "packages/kettle/pyproject.toml": built("kettle", "1.1.0"),  # bumped, not relocked
            "packages/teapot/pyproject.toml": built("teapot", "1.0.0"),
            ".github/workflows/ci.yml": (
                "on: [push]\njobs:\n  t:\n    runs-on: x\n    steps:\n"
                "      - run: uv sync --locked\n"
            ),
        }
    )
    uv = subprocess.run(
        ["uv", "lock", "--check", "--offline"], cwd=root, capture_output=True, text=True
    )
    assert uv.returncode != 0, uv.stderr  # uv agrees: the workspace lock is stale
    code, report = _json_check(capsys, "--repo", str(root), "--package", "kettle", "--only", "lock")
    lock = _check(report, "lock")
    findings = lock["findings"]
    assert isinstance(findings, list)
    assert [(f["code"], f["path"], f["severity"]) for f in findings] == [
        ("RA506", "../../uv.lock", "error")
    ]
    assert code == 1
    code, report = _json_check(capsys, "--repo", str(root), "--package", "teapot", "--only", "lock")
    assert _codes(_check(report, "lock")) == ["RA506"]  # the one lock both members share


def test_a_lock_left_in_a_members_folder_is_not_the_one_uv_reads(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    import subprocess

    stale_own_lock = WORKSPACE_LOCK.replace(
        'requires-python = ">=3.9"', 'requires-python = ">=3.8"'
    )
    root = make_repo(
        {
            "pyproject.toml": UV_WORKSPACE_ROOT,
            "uv.lock": WORKSPACE_LOCK,
            "packages/kettle/pyproject.toml": BUILT_MEMBER.replace("{name}", "kettle").replace(
                "{version}", "1.0.0"
            ),
            "packages/kettle/uv.lock": stale_own_lock,
            "packages/teapot/pyproject.toml": BUILT_MEMBER.replace("{name}", "teapot").replace(
                "{version}", "1.0.0"
            ),
        }
    )
    uv = subprocess.run(
        ["uv", "lock", "--check", "--offline"],
        cwd=root / "packages" / "kettle",
        capture_output=True,
        text=True,
    )
    assert uv.returncode == 0, uv.stderr  # uv reads the workspace's lock, which is fresh
    code, report = _json_check(capsys, "--repo", str(root), "--package", "kettle", "--only", "lock")
    assert _check(report, "lock")["status"] == "pass"
    assert code == 0


def test_a_tag_naming_a_package_below_the_root_project_checks_that_package(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # The repository of `kettle` also holds `kettle-lid`, tagged `lid-v2.0.0`.
    root = make_repo(
        {
            "pyproject.toml": member("kettle", "1.4.0"),
            "kettle-lid/pyproject.toml": member("kettle-lid", "2.0.0"),
        }
    )
    argv = ["check", "--repo", str(root), "--tag", "lid-v2.0.0", "--only", "version"]
    code = main([*argv, "--format", "json"])
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert "tag lid-v2.0.0 names kettle-lid (kettle-lid/)" in captured.err
    assert report["repo"] == str(root / "kettle-lid")
    assert report["version"] == "2.0.0"
    assert _check(report, "version")["status"] == "pass"
    assert code == 0
    # The root's own tags stay the root's.
    code, report = _json_check(capsys, "--repo", str(root), "--tag", "v1.4.0", "--only", "version")
    assert report["repo"] == str(root)
    assert code == 0


def test_a_package_without_a_changelog_uses_the_repositorys(make_repo: RepoFactory) -> None:
    root = make_repo(
        {
            **PLAIN_MONOREPO,
            "CHANGES.md": "# Changes\n\n## [Unreleased]\n\n## [0.3.0] - 2026-01-02\n\n- Pour.\n",
        }
    )
    teapot = RepoContext.load(root / "libs" / "teapot", tag="teapot-v0.3.0")
    assert teapot.changelog_file.relpath == "../../CHANGES.md"
    assert "of the repository (the package has none)" in teapot.changelog_file.reason
    assert teapot.changelog is not None and teapot.changelog.find(Version("0.3.0")) is not None
    (version,) = run_checks(teapot, select_checks(["version"], []))
    assert version.status is Status.PASS, version.findings
    # A package with a changelog of its own keeps it.
    kettle = RepoContext.load(root / "libs" / "kettle")
    assert kettle.changelog_file.relpath == "CHANGELOG.md"


def test_a_root_projects_changelog_is_not_its_neighbours(make_repo: RepoFactory) -> None:
    root = make_repo(
        {
            "pyproject.toml": member("kettle", "1.4.0"),
            "HISTORY.md": "# History\n\n## [1.4.0] - 2026-01-02\n\n- Boil.\n",
            "kettle-lid/pyproject.toml": member("kettle-lid", "2.0.0"),
        }
    )
    lid = RepoContext.load(root / "kettle-lid", tag="lid-v2.0.0")
    assert lid.changelog_file.relpath is None  # kettle's history says nothing of kettle-lid
    (version,) = run_checks(lid, select_checks(["version"], []))
    assert version.status is not Status.FAIL, version.findings


def test_a_setup_py_project_at_the_root_is_not_a_monorepo(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        {
            "setup.py": "from setuptools import setup\nsetup(name='kettle', version='1.4.0')\n",
            "setup.cfg": "[metadata]\nname = kettle\nversion = 1.4.0\n",
            "benchmarks/pyproject.toml": member("kettle-benchmarks", "0.0.1"),
        }
    )
    _, report = _json_check(capsys, "--repo", str(root), "--only", "version")
    assert report["repo"] == str(root)
    assert report["version"] == "1.4.0"
