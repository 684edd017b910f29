"""``release-assistant gate parity`` (the seed's flags, verbatim), its generators, and the
``gates`` check that the ``check`` command and the pre-commit hook run."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from release_assistant.cli.main import main
from release_assistant.core.context import RepoContext
from release_assistant.core.engine import run_check, spec_for
from release_assistant.core.findings import Status
from release_assistant.core.gates.models import validate
from release_assistant.core.gates.parity.result import ParitySummary
from tests.conftest import REPO_ROOT, SEED_CHANGELOG, SEED_PYPROJECT, RepoFactory
from tests.parity_fixtures import (
    DREAMER,
    LOCK,
    REQUIRED,
    SUITES,
    TDMPC2,
    ParitySet,
    generated_set,
    handwritten_set,
    lock_payload,
    read_json,
    write_inputs,
    write_json,
)


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse's own usage errors
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def table_row(out: str, suite_id: str) -> list[str]:
    (row,) = [line.split() for line in out.splitlines() if line.startswith(suite_id + " ")]
    return row


# --- gate parity ------------------------------------------------------------------------


@pytest.mark.parametrize("flavour", ["generated", "handwritten"])
def test_the_seeds_invocation_verbatim_passes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    flavour: str,
) -> None:
    pset = (generated_set if flavour == "generated" else handwritten_set)(tmp_path)
    monkeypatch.chdir(tmp_path)
    argv = [
        "gate",
        "parity",
        "--run",
        f"reports/parity/runs/{DREAMER}.json",
        "--run",
        f"reports/parity/runs/{TDMPC2}.json",
        "--aggregate",
        "reports/parity/aggregate.json",
        "--lock",
        "reports/parity/upstream_lock.json",
        "--required-suite",
        DREAMER,
        "--required-suite",
        TDMPC2,
        "--max-missing-pairs",
        "0",
    ]
    assert argv[2:] == pset.cli_args()
    code, out, err = run_cli(capsys, *argv)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "parity gate: passed (2 suites)"
    assert table_row(out, DREAMER) == [DREAMER, "4", "0.000000", "0.050000", "yes"]


def test_the_full_invocation_does_not_need_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pset = handwritten_set(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.release-assistant]\nbogus = 1\n")
    monkeypatch.chdir(tmp_path)
    assert run_cli(capsys, "gate", "parity", *pset.cli_args())[0] == 0
    code, _, err = run_cli(capsys, "gate", "parity", *pset.cli_args()[:-2])
    assert code == 2 and "unknown key 'bogus'" in err


def test_failures_are_printed_one_per_line_with_the_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pset = handwritten_set(tmp_path)
    pset.edit(pset.runs[1], lambda d: d["sources"]["upstream"].update(commit="f" * 40))
    pset.edit(pset.aggregate, lambda d: d.update(all_suites_pass=False))
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, "gate", "parity", *pset.cli_args())
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[-1] == "parity gate: FAILED (2 failures)"
    failures = [line for line in lines if " RA8" in line]
    assert len(failures) == 2
    assert failures[0].startswith(f"reports/parity/runs/{TDMPC2}.json:")
    assert "RA813 suite tdmpc2_dmcontrol39 upstream commit mismatch" in failures[0]
    assert "RA817 aggregate artifact reports all_suites_pass=false" in failures[1]
    assert table_row(out, TDMPC2) == [TDMPC2, "4", "0.000000", "0.050000", "NO"]


def test_output_json_writes_the_summary_atomically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pset = generated_set(tmp_path)
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "reports/parity/validation-summary.json"
    target.write_text("stale\n")
    code, out, _ = run_cli(capsys, "gate", "parity", *pset.cli_args(), "--output-json", str(target))
    assert code == 0 and f"summary: {target}" in out
    summary = read_json(target)
    validate(ParitySummary, summary)
    assert summary["success"] is True and summary["failures"] == []
    assert summary["required_suites"] == REQUIRED
    assert [row["suite_id"] for row in summary["suites"]] == REQUIRED
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "aggregate.json",
        "runs",
        "upstream_lock.json",
        "validation-summary.json",
    ]


def test_output_json_on_failure_and_in_a_new_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pset = generated_set(tmp_path)
    (tmp_path / LOCK).unlink()
    monkeypatch.chdir(tmp_path)
    code, _, _ = run_cli(
        capsys, "gate", "parity", *pset.cli_args(), "--output-json", "out/deep/summary.json"
    )
    assert code == 1
    summary = read_json(tmp_path / "out/deep/summary.json")
    assert summary["success"] is False
    assert summary["failures"] == [
        "upstream lock file is missing: reports/parity/upstream_lock.json"
    ]
    assert summary["lock"] == {
        "path": "reports/parity/upstream_lock.json",
        "found": False,
        "usable": False,
        "schema_version": None,
        "suites": [],
    }


def test_malformed_artifact_is_a_failure_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pset = generated_set(tmp_path)
    pset.aggregate.write_text('{"all_suites_pass": true,\n "suites": [}\n')
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, "gate", "parity", *pset.cli_args())
    assert code == 1 and err == ""
    assert "reports/parity/aggregate.json:2: RA803 aggregate artifact" in out
    assert "is not valid JSON" in out and "Traceback" not in out


def config_repo(make_repo: RepoFactory, flavour: str = "generated", **overrides: object) -> Path:
    """A git repo holding the seed's release files, the artifacts and the gate's config."""
    root = make_repo({}, commit=False)
    pset = (generated_set if flavour == "generated" else handwritten_set)(root)
    for key, value in overrides.items():
        setattr(pset, key, value)
    (root / "pyproject.toml").write_text(
        textwrap.dedent(SEED_PYPROJECT).lstrip() + pset.config_toml()
    )
    (root / "CHANGELOG.md").write_text(textwrap.dedent(SEED_CHANGELOG).lstrip())
    return root


def test_defaults_come_from_the_config(
    make_repo: RepoFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = config_repo(make_repo)
    monkeypatch.chdir(tmp_path)
    assert run_cli(capsys, "gate", "parity", "--repo", str(root))[0] == 0
    code, out, _ = run_cli(
        capsys, "gate", "parity", "--repo", str(root), "--required-suite", "extra_suite"
    )
    assert code == 1
    assert "RA815 required suite artifact missing: extra_suite" in out
    assert "RA818 aggregate missing suite row: extra_suite" in out


NEGATIVE = ["--max-missing-pairs", "-1"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["gate"], "choose a gate"),
        (["gate", "parity", "--run", "r.json", "--lock", "l.json"], "--aggregate F is required"),
        (["gate", "parity", "--run", "r.json", "--aggregate", "a.json"], "--lock F is required"),
        (["gate", "parity", "--aggregate", "a", "--lock", "l"], "give --run F"),
        (
            ["gate", "parity", "--run", "r", "--aggregate", "a", "--lock", "l", *NEGATIVE],
            "must be >= 0",
        ),
        (["gate", "parity", "--max-missing-pairs", "x"], "invalid int value"),
        (["gate", "parity", "--bogus"], "unrecognized arguments: --bogus"),
        (
            ["gate", "parity", "--run", "r.json", "aggregate", "--run", "x", "--output", "y"],
            "--run before 'aggregate' belong(s) to the gate check",
        ),
        (["gate", "parity", "run", "--suite-spec", "s"], "the following arguments are required"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err


def test_bad_config_is_a_usage_error(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = SEED_PYPROJECT + "\n[tool.release-assistant.gates.parity]\nrunz = []\n"
    root = make_repo({"pyproject.toml": pyproject})
    code, _, err = run_cli(capsys, "gate", "parity", "--repo", str(root))
    assert code == 2 and "unknown key 'runz'" in err


# --- gate parity run / aggregate -------------------------------------------------------


def generate_with_cli(
    capsys: pytest.CaptureFixture[str], root: Path, factor: float
) -> tuple[list[str], str]:
    lock = write_json(root / LOCK, lock_payload())
    runs = []
    for suite_id in SUITES:
        inputs = write_inputs(root, suite_id, candidate_factor=factor)
        output = f"reports/parity/runs/{suite_id}.json"
        code, out, _ = run_cli(
            capsys,
            "gate",
            "parity",
            "run",
            "--suite-spec",
            str(inputs["spec"]),
            "--upstream-scores",
            str(inputs["upstream"]),
            "--candidate-scores",
            str(inputs["candidate"]),
            "--lock",
            str(lock),
            "--output",
            output,
        )
        assert code == 0, out
        assert out.startswith(f"wrote {output} · suite {suite_id}: ")
        runs += ["--run", output]
    code, out, _ = run_cli(
        capsys, "gate", "parity", "aggregate", *runs, "--output", "reports/parity/aggregate.json"
    )
    assert code == 0
    return runs, out


def test_generated_with_the_cli_then_gated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    _, out = generate_with_cli(capsys, tmp_path, factor=1.0)
    assert "2 suites, 2 passed · all suites pass" in out
    run = read_json(tmp_path / f"reports/parity/runs/{DREAMER}.json")
    assert run["generated_at_utc"] == "2026-01-01T00:00:00Z"
    pset = ParitySet(
        tmp_path,
        [tmp_path / f"reports/parity/runs/{s}.json" for s in SUITES],
        tmp_path / "reports/parity/aggregate.json",
        tmp_path / LOCK,
    )
    assert run_cli(capsys, "gate", "parity", *pset.cli_args())[0] == 0


def test_a_worse_candidate_generated_with_the_cli_fails_the_gate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    _, out = generate_with_cli(capsys, tmp_path, factor=0.7)
    assert "2 suites, 0 passed · a suite failed" in out
    pset = ParitySet(
        tmp_path,
        [tmp_path / f"reports/parity/runs/{s}.json" for s in SUITES],
        tmp_path / "reports/parity/aggregate.json",
        tmp_path / LOCK,
    )
    code, out, _ = run_cli(capsys, "gate", "parity", *pset.cli_args())
    assert code == 1 and "upper CI 0.3 vs margin 0.05" in out


def test_generation_input_problems_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_json(tmp_path / "spec.json", {"suite_id": DREAMER, "tasks": ["pong"]})
    write_json(tmp_path / "lock.json", lock_payload())
    (tmp_path / "up.json").write_text('{"scores": [\n  {"task": "pong",}\n]}\n')
    code, out, err = run_cli(
        capsys,
        "gate",
        "parity",
        "run",
        "--suite-spec",
        "spec.json",
        "--upstream-scores",
        "up.json",
        "--candidate-scores",
        "up.json",
        "--lock",
        "lock.json",
        "--output",
        "run.json",
    )
    assert code == 2 and out == ""
    assert err.startswith("release-assistant: error: up.json:2: is not valid JSON")
    assert not (tmp_path / "run.json").exists()


@pytest.mark.parametrize(
    "name",
    [
        "parity-run",
        "parity-aggregate",
        "parity-lock",
        "parity-summary",
        "parity-suite-spec",
        "parity-scores",
    ],
)
def test_parity_schemas_are_published(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, _ = run_cli(capsys, "schema", name)
    assert code == 0 and "properties" in json.loads(out)


# --- the gates check -------------------------------------------------------------------


def gates(root: Path) -> Status:
    return run_check(spec_for("gates"), RepoContext.load(root)).status


def test_gates_check_skips_without_configuration(
    make_repo: RepoFactory, seed_files: dict[str, str | bytes]
) -> None:
    result = run_check(spec_for("gates"), RepoContext.load(make_repo(seed_files)))
    assert result.status is Status.SKIP
    assert result.reason and "[tool.release-assistant.gates.parity]" in result.reason
    assert result.details is None


@pytest.mark.parametrize("flavour", ["generated", "handwritten"])
def test_gates_check_passes_on_the_seed_shaped_set(make_repo: RepoFactory, flavour: str) -> None:
    root = config_repo(make_repo, flavour)
    result = run_check(spec_for("gates"), RepoContext.load(root))
    assert result.status is Status.PASS, result.findings
    assert result.details is not None
    parity = result.details["parity"]
    assert isinstance(parity, ParitySummary) and parity.ok is True


def test_gates_check_findings_name_file_line_and_fix(make_repo: RepoFactory) -> None:
    root = config_repo(make_repo)
    run = root / f"reports/parity/runs/{TDMPC2}.json"
    data = read_json(run)
    data["suite_lock_ref"]["matches_lock"] = False
    write_json(run, data)
    result = run_check(spec_for("gates"), RepoContext.load(root))
    assert result.status is Status.FAIL
    (finding,) = result.findings
    assert finding.code == "RA814" and finding.path == f"reports/parity/runs/{TDMPC2}.json"
    assert finding.line is not None and finding.hint
    assert '"matches_lock": false' in run.read_text().splitlines()[finding.line - 1]


def test_unconfigured_inputs_point_at_the_config_table(make_repo: RepoFactory) -> None:
    root = config_repo(make_repo)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('aggregate = "reports/parity/aggregate.json"\n', "")
    )
    result = run_check(spec_for("gates"), RepoContext.load(root))
    first = result.findings[0]
    assert (first.code, first.message) == ("RA801", "no aggregate artifact given")
    assert first.path == "pyproject.toml"
    assert (
        pyproject.read_text()
        .splitlines()[(first.line or 0) - 1]
        .startswith("[tool.release-assistant.gates.parity]")
    )


def test_check_command_runs_the_gate(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = config_repo(make_repo)
    assert run_cli(capsys, "check", "--repo", str(root), "--only", "gates")[0] == 0
    (root / LOCK).unlink()
    code, out, _ = run_cli(capsys, "check", "--repo", str(root), "--only", "gates")
    assert code == 1 and "RA802 upstream lock file is missing" in out


def test_the_gate_stays_off_pydantic(make_repo: RepoFactory) -> None:
    """The pre-commit hook runs this check: it must not import pydantic (nor textual, git)."""
    root = config_repo(make_repo)
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from release_assistant.core.context import RepoContext
        from release_assistant.core.checks import gates
        result = gates.run(RepoContext.load(Path({str(root)!r})))
        heavy = sorted(m for m in ("pydantic", "textual", "git") if m in sys.modules)
        print(result.status.value, heavy)
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "pass []"
