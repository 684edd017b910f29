"""``release-assistant check``: exit codes, text and JSON output, selection, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from release_assistant.cli import main
from release_assistant.core.engine import CheckSpec, run_check
from release_assistant.core.findings import Status
from tests.conftest import REPO_ROOT, SEED_CHANGELOG, SEED_PYPROJECT, RepoFactory

VERSION_AND_CHANGELOG = ["--only", "version,changelog"]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def seed_repo(make_repo: RepoFactory, seed_files: dict[str, str | bytes]) -> Path:
    return make_repo(seed_files)


def test_seed_release_passes(seed_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys, "check", "--repo", str(seed_repo), "--tag", "v0.1.1", *VERSION_AND_CHANGELOG
    )
    assert code == 0, out
    assert err == ""
    assert "tag v0.1.1 (version 0.1.1)" in out
    assert "version" in out and "PASS" in out
    assert out.rstrip().endswith("ready to release")


SEED_MUTATIONS: dict[str, tuple[dict[str, str | bytes | None], str, str]] = {
    "tag": ({}, "v0.1.2", "RA303"),
    "pyproject version": (
        {"pyproject.toml": SEED_PYPROJECT.replace('"0.1.1"', '"0.1.2"')},
        "v0.1.1",
        "RA303",
    ),
    "changelog heading version": (
        {"CHANGELOG.md": SEED_CHANGELOG.replace("[0.1.1]", "[0.1.2]")},
        "v0.1.1",
        "RA308",
    ),
    "changelog date in the future": (
        {"CHANGELOG.md": SEED_CHANGELOG.replace("2026-03-20", "2099-03-20")},
        "v0.1.1",
        "RA406",
    ),
    "changelog date not a real day": (
        {"CHANGELOG.md": SEED_CHANGELOG.replace("2026-03-20", "2026-02-30")},
        "v0.1.1",
        "RA405",
    ),
    "changelog section still unreleased": (
        {"CHANGELOG.md": SEED_CHANGELOG.replace("2026-03-20", "Unreleased")},
        "v0.1.1",
        "RA421",
    ),
    "changelog section emptied": (
        {
            "CHANGELOG.md": SEED_CHANGELOG.replace(
                "- The parity gate now reads the upstream lock.", ""
            )
        },
        "v0.1.1",
        "RA407",
    ),
    "changelog release section repeated": (
        {"CHANGELOG.md": SEED_CHANGELOG.replace("[0.1.0]", "[0.1.1]")},
        "v0.1.1",
        "RA403",
    ),
    "configured changelog removed": (
        {
            "CHANGELOG.md": None,
            "pyproject.toml": SEED_PYPROJECT
            + '\n[tool.release-assistant]\nchangelog = "CHANGELOG.md"\n',
        },
        "v0.1.1",
        "RA401",
    ),
}


@pytest.mark.parametrize("mutation", sorted(SEED_MUTATIONS))
def test_each_single_seed_mutation_fails(
    make_repo: RepoFactory,
    seed_files: dict[str, str | bytes],
    capsys: pytest.CaptureFixture[str],
    mutation: str,
) -> None:
    changes, tag, expected_code = SEED_MUTATIONS[mutation]
    files = {k: v for k, v in {**seed_files, **changes}.items() if v is not None}
    root = make_repo(files)
    code, out, _ = run_cli(
        capsys,
        "check",
        "--repo",
        str(root),
        "--tag",
        tag,
        "--format",
        "json",
        *VERSION_AND_CHANGELOG,
    )
    report = json.loads(out)
    assert code == 1
    assert report["ok"] is False
    all_codes = [f["code"] for check in report["checks"] for f in check["findings"]]
    assert expected_code in all_codes


def test_json_report_shape(seed_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys,
        "check",
        "--repo",
        str(seed_repo),
        "--tag",
        "v0.1.2",
        "--format",
        "json",
        *VERSION_AND_CHANGELOG,
    )
    assert code == 1
    report = json.loads(out)
    assert set(report) >= {
        "tool",
        "tool_version",
        "repo",
        "tag",
        "version",
        "generated_at",
        "ok",
        "checks",
        "summary",
    }
    assert report["tool"] == "release-assistant"
    assert report["tag"] == "v0.1.2" and report["version"] == "0.1.2"
    assert report["summary"] == {"pass": 1, "fail": 1, "warn": 0, "skip": 0, "error": 0}
    version = report["checks"][0]
    assert set(version) >= {"id", "title", "status", "blocking", "duration_ms", "findings"}
    assert version["id"] == "version" and version["status"] == "fail"
    finding = version["findings"][0]
    assert set(finding) == {
        "code",
        "severity",
        "message",
        "path",
        "line",
        "hint",
        "title",
        "reference",
        "external_id",
        "suppressed",
    }
    assert finding["suppressed"] is False and finding["external_id"] is None
    assert finding["reference"] == "docs/rules.md#ra303"
    assert finding["code"] == "RA303" and finding["path"] == "pyproject.toml"


def test_json_validates_against_published_schema(
    seed_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from release_assistant.core.report.json_report import report_from_json

    _, out, _ = run_cli(capsys, "check", "--repo", str(seed_repo), "--format", "json")
    report_from_json(out)
    code, schema_out, _ = run_cli(capsys, "schema", "report")
    assert code == 0
    schema = json.loads(schema_out)
    assert "checks" in schema["properties"] and "pass" in json.dumps(schema)


def test_text_output_lists_findings_with_location_and_fix(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        {
            "pyproject.toml": SEED_PYPROJECT,
            "CHANGELOG.md": SEED_CHANGELOG.replace("[0.1.0] - 2026-03-01", "[0.2.0] - 2026-03-25"),
        }
    )
    code, out, _ = run_cli(capsys, "check", "--repo", str(root), *VERSION_AND_CHANGELOG)
    assert code == 0  # the order of older sections is style: a warning
    assert "CHANGELOG.md:11: RA404 [warning] version 0.2.0 is listed below 0.1.1 (line 5)" in out
    assert "fix: reorder the sections, newest first" in out
    assert "1 passed, 0 failed, 1 warned, 0 skipped · ready to release" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_only_and_skip(seed_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(
        capsys, "check", "--repo", str(seed_repo), "--only", "version", "--format", "json"
    )
    assert [c["id"] for c in json.loads(out)["checks"]] == ["version"]
    _, out, _ = run_cli(
        capsys,
        "check",
        "--repo",
        str(seed_repo),
        "--only",
        "version",
        "--only",
        "changelog",
        "--skip",
        "version",
        "--format",
        "json",
    )
    assert [c["id"] for c in json.loads(out)["checks"]] == ["changelog"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "--only", "nope"], "unknown check id 'nope'"),
        (["check", "--format", "yaml"], "invalid choice: 'yaml'"),
        (["check", "--tag", "v1..2"], "cannot contain '..'"),
        (["check", "--tag", "--upload-pack=x"], "expected one argument"),
        (["check", "--tag=-x"], "cannot start with '-'"),
        (["check", "--repo", "/nonexistent/dir"], "no such directory"),
        (["check", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    seed_repo: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    if "--repo" not in argv:
        argv = [*argv, "--repo", str(seed_repo)]
    with pytest.raises(SystemExit) as exited:
        code = main(argv)
        raise SystemExit(code)
    captured = capsys.readouterr()
    assert exited.value.code == 2
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert "Traceback" not in captured.err


def test_config_error_exits_2_naming_key_and_line(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = SEED_PYPROJECT + '\n[tool.release-assistant]\ntag_fromat = "v{version}"\n'
    root = make_repo({"pyproject.toml": pyproject, "CHANGELOG.md": SEED_CHANGELOG})
    code, out, err = run_cli(capsys, "check", "--repo", str(root))
    assert code == 2
    assert out == ""
    assert err.strip() == (
        f"release-assistant: error: {root / 'pyproject.toml'}:12: [tool.release-assistant] "
        "tag_fromat: unknown key 'tag_fromat' (did you mean 'tag_format'?)"
    )


def test_ignore_and_non_blocking_config(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = SEED_CHANGELOG.replace("2026-03-20", "2099-03-20")
    ignoring = SEED_PYPROJECT + '\n[tool.release-assistant]\nignore = ["RA406"]\n'
    root = make_repo({"pyproject.toml": ignoring, "CHANGELOG.md": broken})
    releasing = ("--tag", "v0.1.1", *VERSION_AND_CHANGELOG)  # the release's date is checked
    assert run_cli(capsys, "check", "--repo", str(root), *releasing)[0] == 0

    non_blocking = (
        SEED_PYPROJECT + "\n[tool.release-assistant.checks.changelog]\nblocking = false\n"
    )
    root = make_repo({"pyproject.toml": non_blocking, "CHANGELOG.md": broken})
    code, out, _ = run_cli(capsys, "check", "--repo", str(root), *releasing)
    assert code == 0
    assert "[non-blocking]" in out and "RA406" in out

    disabled = SEED_PYPROJECT + "\n[tool.release-assistant.checks.changelog]\nenabled = false\n"
    root = make_repo({"pyproject.toml": disabled, "CHANGELOG.md": broken})
    code, out, _ = run_cli(
        capsys, "check", "--repo", str(root), "--format", "json", *VERSION_AND_CHANGELOG
    )
    changelog = json.loads(out)["checks"][1]
    assert code == 0
    assert changelog["status"] == "skip" and "disabled in config" in changelog["reason"]


def test_a_crashing_check_is_an_error_and_the_run_goes_on(seed_repo: Path) -> None:
    from release_assistant.core.context import RepoContext

    ctx = RepoContext.load(seed_repo, tag="v0.1.1")
    broken = CheckSpec("version", "Broken", "release_assistant.core.no_such_module")
    result = run_check(broken, ctx)
    assert result.status is Status.ERROR
    assert "ModuleNotFoundError" in (result.reason or "")
    assert result.findings[0].code == "RA001"


def test_console_script_runs_without_traceback(seed_repo: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "release_assistant",
            "check",
            "--repo",
            str(seed_repo),
            "--tag",
            "v0.1.1",
            *VERSION_AND_CHANGELOG,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_this_repository_passes_its_own_check() -> None:
    """Dogfood: ``release-assistant check`` on this repository passes.

    The work tree under test may hold a developer's uncommitted changes on a feature branch,
    which the ``git`` check rightly refuses; ``tests/test_git_check.py`` runs the full check
    (git included) in a fresh clone, as the CI does.
    """
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "release_assistant",
            "check",
            "--repo",
            str(REPO_ROOT),
            "--skip",
            "git",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(completed.stdout)
    failing = [c for c in report["checks"] if c["status"] in ("fail", "error") and c["blocking"]]
    assert completed.returncode == 0, failing
    assert report["ok"] is True


def test_text_output_points_at_explain_for_a_documented_code(
    seed_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "check", "--repo", str(seed_repo), "--only", "workflow")
    assert code == 1
    assert "RA601" in out
    assert "Cause and fix of a code in detail: release-assistant explain RA601" in out


def test_a_closed_pipe_is_not_an_internal_error() -> None:
    """``release-assistant ... | head`` must not print an internal error."""
    # The child's stdout is a pipe whose reading end is already closed, so its first write
    # fails with EPIPE, as when `head` has exited.
    script = (
        "import os, sys\n"
        "read_end, write_end = os.pipe(); os.close(read_end); os.dup2(write_end, 1)\n"
        "from release_assistant.cli import main\n"
        "code = main(['explain', '--list'])\n"
        "sys.stderr.write(f'exit={code}\\n')\n"
        "sys.exit(0)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert "internal error" not in completed.stderr, completed.stderr
    assert "Traceback" not in completed.stderr, completed.stderr
    assert "exit=141" in completed.stderr
