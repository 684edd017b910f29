"""``release-assistant workflow init``: the generated workflow passes the check and parses."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from release_assistant import __version__
from release_assistant.cli.main import main
from release_assistant.core.context import RepoContext
from release_assistant.core.engine import run_check, spec_for
from release_assistant.core.findings import CheckResult, Status
from release_assistant.core.urls import (
    PYPI_HOST,
    TESTPYPI_HOST,
    TESTPYPI_LEGACY_UPLOAD_URL,
    project_url,
)
from release_assistant.core.workflows.template import (
    ACTION,
    options_for,
    plan_init,
    python_version_for,
    render_workflow,
)
from release_assistant.core.workflows.workflow import parse_workflow, publish_target
from release_assistant.core.workflows.zizmor import COVERED, ENV_VAR, find_zizmor
from tests.conftest import REPO_ROOT, SEED_PYPROJECT, RepoFactory

RELEASE = ".github/workflows/release.yml"
#: A commit of the action to pin it to (any 40-hex SHA reads the same to the check).
ACTION_SHA = "0123456789abcdef0123456789abcdef01234567"

PYPROJECT_WITH_EXTRA = """
[project]
name = "demo-pkg"
version = "1.0.0"
requires-python = ">=3.9,<3.12"

[project.optional-dependencies]
test = ["pytest"]
"""


def safe_load(text: str) -> Any:
    """The text as a plain YAML 1.2 reader (ruamel.yaml, safe) reads it."""
    return YAML(typ="safe", pure=True).load(text)


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def workflow_result(root: Path) -> CheckResult:
    return run_check(spec_for("workflow"), RepoContext.load(root))


@pytest.mark.parametrize(
    ("requires", "expected"),
    [
        (">=3.10", "3.13"),
        (">=3.8,<3.12", "3.11"),
        ("==3.9.*", "3.9"),
        (">=3.10,!=3.13.*", "3.12"),
        (">=3.14", "3.14"),
        (None, "3.12"),
        ("not a specifier", "3.12"),
    ],
)
def test_python_version_from_requires_python(requires: str | None, expected: str) -> None:
    assert python_version_for(requires) == expected


def test_init_writes_a_workflow_that_passes_the_check(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT, "tests/test_x.py": "def test(): pass\n"})
    code, out, err = run_cli(capsys, "workflow", "init", "--repo", str(root))
    assert code == 0, err
    assert f"wrote {RELEASE}" in out
    text = (root / RELEASE).read_text(encoding="utf-8")
    # A plain YAML 1.2 reader parses it, `on:` included.
    document = safe_load(text)
    assert "on" in document
    assert set(document["jobs"]) == {"verify", "build", "publish-testpypi", "publish-pypi"}
    result = workflow_result(root)
    assert result.status is Status.PASS, result.findings
    assert result.findings == ()
    # The model: verify -> build -> publish-testpypi -> publish-pypi, job-level id-token.
    workflow = parse_workflow(text, root / RELEASE, RELEASE)
    assert workflow.jobs["build"].needs == ("verify",)
    assert workflow.jobs["publish-pypi"].needs == ("build", "publish-testpypi")
    assert workflow.permissions is not None and not workflow.permissions.grants("id-token")
    for job_id, environment, target in (
        ("publish-pypi", "pypi", "pypi"),
        ("publish-testpypi", "testpypi", "testpypi"),
    ):
        job = workflow.jobs[job_id]
        assert job.environment is not None and job.environment.name == environment
        assert job.permissions is not None and job.permissions.grants("id-token")
        assert publish_target(job) == target
    assert f"repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}" in text
    assert f"url: {project_url('seed-package')}" in text
    assert "python -m pytest" in text
    assert "python -m build" in text
    assert 'python-version: "3.13"' in text


def test_init_refuses_to_overwrite(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT, RELEASE: "name: mine\n"})
    code, out, err = run_cli(capsys, "workflow", "init", "--repo", str(root))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "already exists" in err and "--force" in err
    assert (root / RELEASE).read_text(encoding="utf-8") == "name: mine\n"
    code, out, _ = run_cli(capsys, "workflow", "init", "--repo", str(root), "--force")
    assert code == 0
    assert f"overwrote {RELEASE}" in out
    assert workflow_result(root).status is Status.PASS
    leftovers = [p.name for p in (root / ".github/workflows").iterdir() if p.name != "release.yml"]
    assert leftovers == []


def test_dry_run_writes_nothing(make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT})
    code, out, _ = run_cli(capsys, "workflow", "init", "--repo", str(root), "--dry-run")
    assert code == 0
    assert not (root / RELEASE).exists()
    assert safe_load(out)["name"] == "Release"


def test_python_option_and_bad_values(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT})
    code, _, _ = run_cli(capsys, "workflow", "init", "--repo", str(root), "--python", "3.11")
    assert code == 0
    assert 'python-version: "3.11"' in (root / RELEASE).read_text(encoding="utf-8")
    code, out, err = run_cli(capsys, "workflow", "init", "--repo", str(root), "--python", "3")
    assert (code, out) == (2, "")
    assert "--python '3'" in err
    code, _, err = run_cli(capsys, "workflow", "init", "--repo", str(root / "nope"))
    assert code == 2
    assert "no such directory" in err


def test_configured_path_and_environments(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    config = (
        "\n[tool.release-assistant]\n"
        'workflow = ".github/workflows/publish.yml"\n'
        "[tool.release-assistant.publisher]\n"
        'environment = "release"\n'
        'testpypi_environment = "staging"\n'
    )
    root = make_repo({"pyproject.toml": SEED_PYPROJECT + config})
    code, out, _ = run_cli(capsys, "workflow", "init", "--repo", str(root))
    assert code == 0
    assert "wrote .github/workflows/publish.yml" in out
    text = (root / ".github/workflows/publish.yml").read_text(encoding="utf-8")
    assert "name: release\n" in text and "name: staging\n" in text
    assert "workflow file 'publish.yml'" in text
    assert workflow_result(root).status is Status.PASS
    assert run_check(spec_for("publisher"), RepoContext.load(root)).status is Status.SKIP


def test_no_testpypi_and_no_urls(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT})
    argv = ["workflow", "init", "--repo", str(root), "--no-testpypi", "--no-environment-url"]
    assert run_cli(capsys, *argv)[0] == 0
    text = (root / RELEASE).read_text(encoding="utf-8")
    assert TESTPYPI_HOST not in text and PYPI_HOST not in text
    assert "publish-testpypi" not in text
    assert "prerelease" not in text
    assert workflow_result(root).status is Status.PASS


@pytest.mark.parametrize("uv", [False, True])
@pytest.mark.parametrize("tests", [False, True])
@pytest.mark.parametrize("testpypi", [False, True])
def test_every_variant_passes_the_check(
    make_repo: RepoFactory, uv: bool, tests: bool, testpypi: bool
) -> None:
    files: dict[str, str | bytes] = {"pyproject.toml": PYPROJECT_WITH_EXTRA}
    if uv:
        files["uv.lock"] = "version = 1\n"
    if tests:
        files["tests/test_x.py"] = "def test(): pass\n"
    root = make_repo(files)
    ctx = RepoContext.load(root)
    options = options_for(root, ctx.pyproject)
    assert options.use_uv is uv and options.run_tests is tests
    assert options.python_version == "3.11"
    text = render_workflow(dataclasses.replace(options, testpypi=testpypi))
    (root / ".github/workflows").mkdir(parents=True)
    (root / RELEASE).write_text(text, encoding="utf-8")
    result = workflow_result(root)
    assert result.status is Status.PASS, result.findings
    assert ("uv build" in text) is uv
    assert ("python -m build" in text) is not uv
    assert ("pytest" in text) is tests
    if tests and not uv:
        assert 'pip install ".[test]" pytest' in text
    assert safe_load(text)["jobs"]


def test_repository_without_pyproject(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"README.md": "hi\n"})
    assert run_cli(capsys, "workflow", "init", "--repo", str(root))[0] == 0
    text = (root / RELEASE).read_text(encoding="utf-8")
    assert "      url: " not in text
    assert workflow_result(root).status is Status.PASS


def test_project_own_workflow_is_what_init_writes() -> None:
    """The repository's release.yml is `workflow init --no-testpypi --no-environment-url
    --verify-job`."""
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "release_assistant",
            "workflow",
            "init",
            "--repo",
            str(REPO_ROOT),
            "--dry-run",
            "--no-testpypi",
            "--no-environment-url",
            "--verify-job",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == (REPO_ROOT / RELEASE).read_text(encoding="utf-8")


def test_the_release_run_checks_the_release_and_keeps_the_report(tmp_path: Path) -> None:
    """The verify job runs `release-assistant report` for the tag (passed through `env`,
    never `${{ }}` inside `run:`) and uploads the verification report."""
    (tmp_path / "pyproject.toml").write_text(SEED_PYPROJECT, encoding="utf-8")
    text = plan_init(tmp_path, ".github/workflows/release.yml", None).text
    data = safe_load(text)
    steps = data["jobs"]["verify"]["steps"]
    check = next(s for s in steps if "release-assistant report" in s.get("run", ""))
    assert check["env"] == {"TAG": "${{ github.event.release.tag_name }}"}
    assert "${{" not in check["run"] and '--tag "$TAG"' in check["run"]
    assert "python -m pip install release-assistant" in check["run"]
    keep = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert keep["if"] == "always()" and keep["with"]["path"] == "verification-report.*"


def test_this_repositorys_release_workflow_checks_itself_with_its_own_action() -> None:
    """Our release runs the action of the checked-out tag (``uses: ./``), which installs
    release-assistant from that checkout: the release is checked by the code it releases."""
    text = (REPO_ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    steps = safe_load(text)["jobs"]["verify"]["steps"]
    [action] = [s for s in steps if s.get("uses") == "./"]
    assert action["with"] == {"tag": "${{ github.event.release.tag_name }}", "args": "--skip git"}
    assert (REPO_ROOT / "action.yml").is_file()
    assert "release-assistant report" not in text


def test_a_report_step_counts_as_validation(make_repo: RepoFactory) -> None:
    """A workflow whose only check before the build is release-assistant gets no RA613."""
    root = make_repo({"pyproject.toml": SEED_PYPROJECT})
    plan = plan_init(root, ".github/workflows/release.yml", None)
    text = plan.text.replace("validate-pyproject pyproject.toml", "true").replace(
        "python -m pip install validate-pyproject", "true"
    )
    assert "pytest" not in text and "validate-pyproject" not in text
    plan.path.parent.mkdir(parents=True)
    plan.path.write_text(text, encoding="utf-8")
    result = run_check(spec_for("workflow"), RepoContext.load(root))
    assert "RA613" not in [f.code for f in result.findings], result.findings


def test_init_from_a_subdirectory_writes_to_the_repositorys_github_dir(
    make_repo: RepoFactory,
) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT, "src/pkg/__init__.py": ""})
    completed = subprocess.run(
        [sys.executable, "-m", "release_assistant", "workflow", "init"],
        cwd=root / "src" / "pkg",
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert completed.returncode == 0, completed.stderr
    assert (root / ".github" / "workflows" / "release.yml").is_file()
    assert not (root / "src" / "pkg" / ".github").exists()


def needed_by(jobs: dict[str, Any], job_id: str) -> set[str]:
    """Every job ``job_id`` waits for, directly or through the jobs it needs."""
    needs = jobs[job_id].get("needs", [])
    direct = {needs} if isinstance(needs, str) else set(needs)
    return direct.union(*(needed_by(jobs, need) for need in direct))


@pytest.fixture
def real_zizmor(monkeypatch: pytest.MonkeyPatch) -> str:
    """The real zizmor folded into the check (conftest turns it off for other tests)."""
    zizmor = find_zizmor({"PATH": os.environ.get("PATH", "")})
    assert zizmor is not None, "zizmor is a dev dependency: pip install -e '.[dev]'"
    monkeypatch.setenv(ENV_VAR, zizmor)
    return zizmor


def zizmor_idents(zizmor: str, path: Path) -> set[str]:
    """The audits the real zizmor (offline, no token) reports on ``path``."""
    completed = subprocess.run(
        [zizmor, "--offline", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN")},
        timeout=60,
    )
    assert completed.stdout, completed.stderr
    return {finding["ident"] for finding in json.loads(completed.stdout)}


def test_verify_job_checks_the_release_tag_with_our_action(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str], real_zizmor: str
) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT, "tests/test_x.py": "def test(): pass\n"})
    argv = ["workflow", "init", "--repo", str(root), "--verify-job", "--action-ref", ACTION_SHA]
    code, _, err = run_cli(capsys, *argv)
    assert code == 0, err
    text = (root / RELEASE).read_text(encoding="utf-8")
    jobs = safe_load(text)["jobs"]
    steps = jobs["verify"]["steps"]
    [action] = [s for s in steps if s.get("uses", "").startswith(f"{ACTION}@")]
    assert action["uses"] == f"{ACTION}@{ACTION_SHA}"
    # The tag of the release that runs the workflow; `git` is skipped (the tag is checked out).
    assert action["with"] == {"tag": "${{ github.event.release.tag_name }}", "args": "--skip git"}
    assert "release-assistant report" not in text
    keep = next(s for s in steps if s.get("name") == "Keep the verification report")
    assert keep["with"]["path"] == "${{ runner.temp }}/release-assistant/verification-report.*"
    # The check gates every publish job: nothing is built or uploaded unless it passed.
    for job_id in ("publish-testpypi", "publish-pypi"):
        assert "verify" in needed_by(jobs, job_id)
    # Our check, zizmor folded in (RA690), finds nothing.
    result = workflow_result(root)
    assert result.status is Status.PASS, result.findings
    assert result.findings == ()
    # zizmor on its own reports only what one of our rules owns (unpinned-uses is RA631,
    # which exempts GitHub's and pypa's actions; ours is pinned).
    assert zizmor_idents(real_zizmor, root / RELEASE) <= set(COVERED)


def test_verify_job_without_a_pin_names_the_one_line_to_pin(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT})
    assert run_cli(capsys, "workflow", "init", "--repo", str(root), "--verify-job")[0] == 0
    text = (root / RELEASE).read_text(encoding="utf-8")
    assert f"uses: {ACTION}@v{__version__}\n" in text
    result = workflow_result(root)
    [finding] = result.findings
    assert finding.code == "RA631" and f"{ACTION}@v{__version__}" in finding.message
    assert result.status is Status.WARN


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--action-ref", ACTION_SHA], "add --verify-job"),
        (["--verify-job", "--action-ref", "v1 --x"], "expected a commit SHA or a tag"),
        (["--verify-job", "--action-ref", "v1..v2"], "expected a commit SHA or a tag"),
    ],
)
def test_bad_action_refs_are_usage_errors(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT})
    code, out, err = run_cli(capsys, "workflow", "init", "--repo", str(root), *argv)
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1
    assert not (root / RELEASE).exists()


@pytest.mark.parametrize("verify_action", [False, True])
@pytest.mark.parametrize("testpypi", [False, True])
def test_zizmor_finds_only_what_our_rules_own_in_every_variant(
    tmp_path: Path, real_zizmor: str, verify_action: bool, testpypi: bool
) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT_WITH_EXTRA, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    options = options_for(tmp_path, None)
    text = render_workflow(
        dataclasses.replace(
            options, testpypi=testpypi, verify_action=verify_action, action_ref=ACTION_SHA
        )
    )
    path = tmp_path / "release.yml"
    path.write_text(text, encoding="utf-8")
    assert zizmor_idents(real_zizmor, path) <= set(COVERED)


def test_the_readme_and_workflow_init_name_the_same_action() -> None:
    """One ``uses:`` reference: the README's line is the one ``workflow init`` writes."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it in your release workflow", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"uses: ([\w.-]+/release-assistant)@", section))
    assert named == {ACTION}
    assert "workflow init --verify-job" in section
