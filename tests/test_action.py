"""The GitHub Action (``action.yml``): our own workflow reader takes it, zizmor finds nothing
in it, and its ``run:`` scripts, run with bash and the environment the action sets, write the
Markdown report to the job summary and end with the tool's exit code."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from release_assistant.core.workflows.workflow import parse_yaml
from release_assistant.core.workflows.zizmor import find_zizmor
from tests.conftest import REPO_ROOT
from tests.github_support import github_repo

ACTION = REPO_ROOT / "action.yml"
README = REPO_ROOT / "README.md"
FULL_SHA = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")
#: How the runner starts a ``shell: bash`` step.
RUNNER_BASH = ("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c")


def action() -> dict[str, Any]:
    parsed = parse_yaml(ACTION.read_text(encoding="utf-8"), "action.yml")
    assert parsed.duplicate_keys == ()
    data: dict[str, Any] = parsed.data
    return data


def step(name: str) -> dict[str, Any]:
    (found,) = [s for s in action()["runs"]["steps"] if s.get("name") == name]
    assert isinstance(found, dict)
    return found


def test_the_action_reads_as_a_composite_action_with_pinned_steps() -> None:
    data = action()
    assert data["runs"]["using"] == "composite"
    assert set(data["inputs"]) >= {"command", "tag", "args", "format", "version", "upload-sarif"}
    assert (data["inputs"]["command"]["default"], data["inputs"]["format"]["default"]) == (
        "check",
        "github",
    )
    steps = data["runs"]["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert all(FULL_SHA.match(u) for u in uses), uses
    for s in steps:
        if "run" in s:
            # Inputs and event values reach the shell through env:, never as script text.
            assert "${{" not in s["run"], s["name"]
            assert s["shell"] == "bash"


def test_zizmor_finds_nothing_in_the_action() -> None:
    environ = {k: v for k, v in os.environ.items() if k != "RELEASE_ASSISTANT_ZIZMOR"}
    zizmor = find_zizmor(environ)
    assert zizmor is not None, "zizmor (a dev dependency) is not installed"
    completed = subprocess.run(
        [zizmor, "--offline", "--format", "json", str(ACTION)],
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN")},
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == []


def test_the_readme_gives_the_one_uses_line() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Use it in your release workflow", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"- uses: [\w-]+/release-assistant@", section)


class ActionRun:
    """Runs the action's ``run:`` scripts the way the runner does: bash, the step's env."""

    def __init__(self, tmp_path: Path, repo: Path) -> None:
        self.repo = repo
        self.temp = tmp_path / "runner-temp"
        self.temp.mkdir()
        self.summary = tmp_path / "step-summary.md"
        self.summary.write_text("", encoding="utf-8")
        self.output = tmp_path / "github-output"
        self.output.write_text("", encoding="utf-8")
        # The real tool from this checkout, under the name the install step puts on PATH.
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        launcher = bin_dir / "release-assistant"
        launcher.write_text(
            f'#!/bin/sh\nexec "{sys.executable}" -m release_assistant "$@"\n', encoding="utf-8"
        )
        launcher.chmod(0o755)
        self.base_env = {
            **{k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN")},
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "PYTHONPATH": str(REPO_ROOT),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_OUTPUT": str(self.output),
            "RUNNER_TEMP": str(self.temp),
        }

    def outputs(self) -> dict[str, str]:
        lines = self.output.read_text(encoding="utf-8").splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)

    def run(self, **inputs: str) -> tuple[subprocess.CompletedProcess[str], int]:
        """The run step with ``inputs`` (``RA_*`` values), then the exit step; both results."""
        script = step("Run release-assistant")
        env = {**self.base_env, **dict.fromkeys(script["env"], "")}
        env.update(
            RA_COMMAND="check",
            RA_FORMAT="github",
            RA_OUT_DIR=str(self.temp / "release-assistant"),
        )
        env.update(inputs)
        completed = subprocess.run(
            [*RUNNER_BASH, script["run"]],
            cwd=self.repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        exit_step = step("Exit with release-assistant's code")
        final = subprocess.run(
            [*RUNNER_BASH, exit_step["run"]],
            env={**self.base_env, "RA_EXIT_CODE": self.outputs().get("exit-code", "")},
            check=False,
        )
        return completed, final.returncode


@pytest.fixture
def action_run(tmp_path: Path) -> ActionRun:
    root, _ = github_repo(tmp_path)
    return ActionRun(tmp_path, root)


def test_a_release_in_order_passes_with_the_report_in_the_summary(action_run: ActionRun) -> None:
    completed, code = action_run.run(RA_RELEASE_TAG="v0.1.1", RA_ARGS="--skip git")
    assert completed.returncode == 0, completed.stderr
    assert action_run.outputs()["exit-code"] == "0"
    assert code == 0
    report = (action_run.temp / "release-assistant" / "verification-report.md").read_text("utf-8")
    assert report.strip()
    assert action_run.summary.read_text(encoding="utf-8") == report
    assert "v0.1.1" in report
    assert "::error" not in completed.stdout


def test_a_pushed_tag_that_is_not_the_version_fails_with_the_tools_code(
    action_run: ActionRun,
) -> None:
    completed, code = action_run.run(RA_REF_TYPE="tag", RA_REF_NAME="v9.9.9", RA_ARGS="--skip git")
    # The run step itself succeeds (so the SARIF upload can follow); the last step fails.
    assert completed.returncode == 0, completed.stderr
    assert action_run.outputs()["exit-code"] == "1"
    assert code == 1
    assert "::error" in completed.stdout
    assert "v9.9.9" in action_run.summary.read_text(encoding="utf-8")


def test_sarif_is_written_to_the_file_the_upload_step_reads(action_run: ActionRun) -> None:
    completed, code = action_run.run(
        RA_RELEASE_TAG="v0.1.1", RA_ARGS="--skip git", RA_FORMAT="sarif"
    )
    assert completed.returncode == 0, completed.stderr
    assert code == 0
    sarif = json.loads(Path(action_run.outputs()["sarif-file"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert action_run.summary.read_text(encoding="utf-8").strip()


def test_hostile_inputs_are_words_not_shell(action_run: ActionRun, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    completed, code = action_run.run(
        RA_TAG=f"v0.1.1$(touch {marker})", RA_ARGS=f"--strict;touch {marker}"
    )
    assert not marker.exists()
    # The tool refuses the odd argument as a usage error, and the action ends with that code.
    assert action_run.outputs()["exit-code"] == "2", completed.stderr
    assert code == 2


def test_an_unknown_format_is_a_usage_error(action_run: ActionRun) -> None:
    completed, code = action_run.run(RA_FORMAT="text")
    assert completed.returncode == 2
    assert "format must be github or sarif" in completed.stdout
    assert code == 2


def test_watch_ends_with_its_own_code_and_its_output_in_the_summary(action_run: ActionRun) -> None:
    # No token: watch refuses at once, and the action must end with that code, not tee's.
    completed, code = action_run.run(RA_COMMAND="watch", RA_REF_TYPE="tag", RA_REF_NAME="v0.1.1")
    assert completed.returncode == 0, completed.stderr
    watch_code = action_run.outputs()["exit-code"]
    assert watch_code not in ("", "0")
    assert code == int(watch_code)
    summary = action_run.summary.read_text(encoding="utf-8")
    assert summary.startswith("## release-assistant watch")
    assert "TOKEN" in summary


@pytest.mark.skipif(
    shutil.which("actionlint") is None,
    reason="actionlint is not installable here (its wheel downloads the binary from GitHub)",
)
def test_actionlint_accepts_the_release_workflow_that_uses_the_action() -> None:
    # actionlint reads a local action's action.yml through the workflow that uses it
    # (`uses: ./`): unknown or missing inputs there are its findings.
    done = subprocess.run(
        ["actionlint", "-no-color", ".github/workflows/release.yml"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
