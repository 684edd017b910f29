"""zizmor's audits folded into the ``workflow`` check: the real zizmor (a dev dependency) on
real workflows, and stand-in executables only for what the real one cannot be made to do
(hang, print garbage, reveal its environment)."""

from __future__ import annotations

import json
import os
import stat
import sys
import textwrap
from pathlib import Path

import pytest
from pydantic_sarif.model import StaticAnalysisResultsFormatSarifVersion210JsonSchema as Sarif

from release_assistant.cli.main import main
from release_assistant.core.checks import workflow as workflow_check
from release_assistant.core.context import RepoContext
from release_assistant.core.engine import run_check, spec_for
from release_assistant.core.findings import CheckResult, Finding, Severity, Status
from release_assistant.core.workflows.zizmor import (
    COVERED,
    ENV_VAR,
    audit,
    find_zizmor,
    severity_for,
)
from release_assistant.hooks import check_release_workflow
from tests.conftest import SEED_PYPROJECT, RepoFactory
from tests.support import GOOD, RELEASE, line_of, mutate

ZIZMOR = find_zizmor({"PATH": os.environ.get("PATH", "")})

#: GOOD with a step that expands an issue title into a shell script (template injection).
INJECTED = mutate(
    GOOD,
    "      - name: Build\n        run: python -m build\n",
    '      - name: Build\n        run: echo "${{ github.event.issue.title }}" && python -m build\n',
)
#: GOOD with a pip cache in the build job of the release workflow (cache poisoning).
CACHED = mutate(
    GOOD,
    "      - name: Build\n        run: python -m build\n",
    "      - uses: actions/setup-python@v5\n"
    "        with:\n"
    "          cache: pip\n"
    "      - name: Build\n"
    "        run: python -m build\n",
)


@pytest.fixture
def zizmor(monkeypatch: pytest.MonkeyPatch) -> str:
    """The real zizmor, turned back on (conftest turns it off for every other test)."""
    assert ZIZMOR is not None, "zizmor is a dev dependency: pip install -e '.[dev]'"
    monkeypatch.setenv(ENV_VAR, ZIZMOR)
    return ZIZMOR


def repo(make_repo: RepoFactory, workflow: str | bytes) -> Path:
    text = textwrap.dedent(workflow).lstrip("\n") if isinstance(workflow, str) else workflow
    return make_repo({"pyproject.toml": SEED_PYPROJECT, RELEASE: text})


def run_workflow(root: Path) -> CheckResult:
    return run_check(spec_for("workflow"), RepoContext.load(root))


def zizmor_findings(result: CheckResult, ident: str) -> list[Finding]:
    return [f for f in result.findings if f.external_id == f"zizmor/{ident}"]


def stand_in(directory: Path, script: str) -> str:
    """An executable named zizmor that runs ``script`` (a Python program)."""
    path = directory / "zizmor"
    path.write_text(f"#!{sys.executable}\n{textwrap.dedent(script)}", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


# --- the real zizmor ------------------------------------------------------------------------


def test_template_injection_is_folded_in_as_a_warning(make_repo: RepoFactory, zizmor: str) -> None:
    result = run_workflow(repo(make_repo, INJECTED))
    [finding] = zizmor_findings(result, "template-injection")
    assert finding.code == "RA690"
    assert finding.message.startswith("zizmor/template-injection: ")
    assert finding.path == RELEASE
    assert finding.line == line_of(INJECTED, "github.event.issue.title")
    # zizmor rates it high/high; a release (write access) starts this workflow, so the
    # title comes from a maintainer: hardening, not a broken release.
    assert finding.severity is Severity.WARNING
    assert result.status is Status.WARN
    assert "# zizmor: ignore[template-injection]" in (finding.hint or "")


def test_cache_poisoning_in_a_release_workflow_is_a_warning(
    make_repo: RepoFactory, zizmor: str
) -> None:
    result = run_workflow(repo(make_repo, CACHED))
    [finding] = zizmor_findings(result, "cache-poisoning")
    assert finding.line == line_of(CACHED, "actions/setup-python@v5", nth=2)
    assert finding.severity is Severity.WARNING  # zizmor is not confident: hardening
    assert result.status is Status.WARN


def test_the_good_workflow_stays_free_of_errors(make_repo: RepoFactory, zizmor: str) -> None:
    result = run_workflow(repo(make_repo, GOOD))
    assert result.status is not Status.FAIL, result.findings
    assert not [f for f in result.findings if f.code in ("RA691", "RA692")]


def test_audits_our_rules_cover_are_not_repeated(make_repo: RepoFactory, zizmor: str) -> None:
    # A checkout that keeps its token (ours: RA630, zizmor: artipacked) and a third-party
    # action on a tag (ours: RA631, zizmor: unpinned-uses).
    text = mutate(
        GOOD,
        "    steps:\n      - uses: actions/checkout@v4\n        with:\n"
        "          persist-credentials: false\n      - name: Build\n",
        "    steps:\n      - uses: actions/checkout@v4\n      - uses: someone/setup-thing@v1\n"
        "      - name: Build\n",
    )
    result = run_workflow(repo(make_repo, text))
    ours = {f.code for f in result.findings}
    assert {"RA630", "RA631"} <= ours
    folded = {f.external_id for f in result.findings if f.external_id}
    assert not folded & {f"zizmor/{ident}" for ident in COVERED}
    # Without dropping them, zizmor does report both: the test can fail.
    from release_assistant.core.workflows.zizmor import run_zizmor

    raw = run_zizmor(zizmor, str(repo(make_repo, text)), [RELEASE], {})
    assert {"artipacked", "unpinned-uses"} <= {entry["ident"] for entry in raw}


def test_a_workflow_with_a_byte_order_mark_is_audited(make_repo: RepoFactory, zizmor: str) -> None:
    body = textwrap.dedent(INJECTED).lstrip("\n").encode()
    result = run_workflow(repo(make_repo, b"\xef\xbb\xbf" + body))
    [finding] = zizmor_findings(result, "template-injection")
    assert (finding.path, finding.line) == (RELEASE, line_of(INJECTED, "github.event.issue.title"))


def test_a_configuration_zizmor_rejects_is_a_warning_naming_zizmor(
    make_repo: RepoFactory, zizmor: str
) -> None:
    root = make_repo(
        {
            "pyproject.toml": SEED_PYPROJECT,
            RELEASE: textwrap.dedent(INJECTED).lstrip("\n"),
            ".github/zizmor.yml": "rules:\n  broken: [1\n",
        }
    )
    result = run_workflow(root)
    [problem] = [f for f in result.findings if f.code == "RA692"]
    assert problem.severity is Severity.WARNING
    assert problem.message.startswith("zizmor failed (exit code")
    assert "configuration" in problem.message
    assert not zizmor_findings(result, "template-injection")


def test_json_and_sarif_keep_zizmors_rule_id(
    make_repo: RepoFactory, zizmor: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repo(make_repo, INJECTED)
    assert main(["check", "--repo", str(root), "--only", "workflow", "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)["checks"][0]["findings"]
    [folded] = [f for f in findings if f["external_id"] == "zizmor/template-injection"]
    assert (folded["code"], folded["severity"], folded["suppressed"]) == ("RA690", "warning", False)
    assert main(["check", "--repo", str(root), "--only", "workflow", "--format", "sarif"]) == 0
    log = json.loads(capsys.readouterr().out)
    Sarif.model_validate(log)
    run_ = log["runs"][0]
    [result] = [r for r in run_["results"] if r["ruleId"].startswith("RA690/")]
    assert result["ruleId"] == "RA690/zizmor/template-injection"
    assert run_["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "RA690"
    assert main(["check", "--repo", str(root), "--only", "workflow", "--format", "github"]) == 0
    assert "RA690 zizmor/template-injection (workflow)" in capsys.readouterr().out


# --- without zizmor, and when it misbehaves -------------------------------------------------


def test_not_installed_is_one_info_line(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    assert find_zizmor({"PATH": str(empty)}, executable=str(empty / "python")) is None
    [finding] = audit(None, str(tmp_path), [RELEASE], {}, [])
    assert (finding.code, finding.severity) == ("RA691", Severity.INFO)
    assert "pip install 'release-assistant[audit]'" in (finding.hint or "")


def test_found_on_path_or_beside_python_or_as_configured(tmp_path: Path) -> None:
    beside = tmp_path / "venv"
    beside.mkdir()
    script = stand_in(beside, "print('[]')")
    assert find_zizmor({"PATH": ""}, executable=str(beside / "python")) == script
    assert find_zizmor({"PATH": str(beside)}, executable="/nowhere/python") == script
    assert find_zizmor({ENV_VAR: "/opt/z/zizmor", "PATH": str(beside)}) == "/opt/z/zizmor"
    assert find_zizmor({ENV_VAR: "off", "PATH": str(beside)}) is None


def test_turned_off_says_nothing(make_repo: RepoFactory) -> None:
    result = run_workflow(repo(make_repo, INJECTED))  # conftest: RELEASE_ASSISTANT_ZIZMOR=off
    assert not [f for f in result.findings if f.code.startswith("RA69")]


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("import sys; sys.stderr.write('fatal: boom\\n'); sys.exit(2)", "fatal: boom"),
        ("print('this is not json')", "not JSON"),
        ("print('{\"a\": 1}')", "not a list of findings"),
        ("import time; time.sleep(30)", "did not finish within 0.5 s"),
        (
            "import json; print(json.dumps([{'ident': 'x', 'locations': "
            "[{'symbolic': {'kind': 'Primary', 'key': {'Local': {'verbatim_path': 'a'}}}, "
            "'concrete': 5}]}]))",
            "in a shape this release-assistant does not read",
        ),
    ],
)
def test_a_misbehaving_zizmor_is_a_warning(
    make_repo: RepoFactory, tmp_path: Path, script: str, expected: str
) -> None:
    root = repo(make_repo, INJECTED)
    fake = stand_in(tmp_path, script)
    [finding] = audit(fake, str(root), [RELEASE], {}, [], timeout=0.5)
    assert finding.code == "RA692"
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith("zizmor ")
    assert expected in finding.message


def test_a_missing_configured_zizmor_is_a_warning_not_a_crash(
    make_repo: RepoFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "no-such-zizmor"))
    result = run_workflow(repo(make_repo, INJECTED))
    [finding] = [f for f in result.findings if f.code == "RA692"]
    assert "could not be started" in finding.message
    assert result.status is not Status.ERROR


def test_zizmor_runs_offline_without_a_token(
    make_repo: RepoFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen = tmp_path / "seen.json"
    fake = stand_in(
        tmp_path,
        f"""
        import json, os, sys
        with open({str(seen)!r}, "w") as out:
            json.dump({{"argv": sys.argv[1:], "env": sorted(os.environ)}}, out)
        print("[]")
        """,
    )
    monkeypatch.setenv(ENV_VAR, fake)
    monkeypatch.setenv("GH_TOKEN", "ghp_not_for_zizmor")
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_not_for_zizmor")
    result = run_workflow(repo(make_repo, INJECTED))
    assert not [f for f in result.findings if f.code.startswith("RA69")]
    recorded = json.loads(seen.read_text(encoding="utf-8"))
    assert "--offline" in recorded["argv"]
    assert recorded["argv"][-2:] == ["--", RELEASE]  # only the publishing workflow
    assert not {"GH_TOKEN", "GITHUB_TOKEN"} & set(recorded["env"])


def test_the_pre_commit_hook_does_not_run_zizmor(
    make_repo: RepoFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    fake = stand_in(tmp_path, f"open({str(marker)!r}, 'w').close(); print('[]')")
    monkeypatch.setenv(ENV_VAR, fake)
    root = repo(make_repo, INJECTED)
    monkeypatch.chdir(root)
    check_release_workflow.main([])
    assert not marker.exists()
    workflow_check.run(RepoContext.load(root))  # the full check does run it
    assert marker.exists()


@pytest.mark.parametrize(
    ("ident", "severity", "ours"),
    [
        ("hardcoded-container-credentials", "High", Severity.ERROR),
        ("hardcoded-container-credentials", "Medium", Severity.WARNING),
        ("template-injection", "High", Severity.WARNING),
        ("cache-poisoning", "High", Severity.WARNING),
        ("excessive-permissions", "Medium", Severity.WARNING),
        ("template-injection", "Low", Severity.INFO),
        ("obfuscation", "Informational", Severity.INFO),
        ("future-audit", "Unknown", Severity.INFO),
    ],
)
def test_severity_mapping(ident: str, severity: str, ours: Severity) -> None:
    assert severity_for(ident, severity) is ours


def test_a_credential_in_the_workflow_is_an_error(make_repo: RepoFactory, zizmor: str) -> None:
    text = mutate(
        GOOD,
        "  build:\n    needs: verify\n    runs-on: ubuntu-latest\n",
        "  build:\n    needs: verify\n    runs-on: ubuntu-latest\n"
        "    container:\n      image: example.invalid/builder:1\n"
        "      credentials:\n        username: builder\n        password: hunter2-literal\n",
    )
    result = run_workflow(repo(make_repo, text))
    [finding] = zizmor_findings(result, "hardcoded-container-credentials")
    assert finding.severity is Severity.ERROR
    assert "hunter2" not in f"{finding.message} {finding.hint}"  # named, never quoted
    assert result.status is Status.FAIL


def test_one_finding_per_audit_and_file(make_repo: RepoFactory, zizmor: str) -> None:
    # Two caching steps in the release workflow: one cache-poisoning finding with a count.
    text = mutate(
        CACHED,
        "    steps:\n      - uses: actions/checkout@v4\n        with:\n"
        "          persist-credentials: false\n      - uses: actions/setup-python@v5\n"
        "        with:\n          python-version:",
        "    steps:\n      - uses: actions/checkout@v4\n        with:\n"
        "          persist-credentials: false\n      - uses: actions/setup-python@v5\n"
        "        with:\n          cache: pip\n          python-version:",
    )
    from release_assistant.core.workflows.zizmor import run_zizmor

    root = repo(make_repo, text)
    raw = [
        e for e in run_zizmor(zizmor, str(root), [RELEASE], {}) if e["ident"] == "cache-poisoning"
    ]
    assert len(raw) == 2  # zizmor reports each step
    [finding] = zizmor_findings(run_workflow(root), "cache-poisoning")
    assert "(2 times; also at line " in finding.message


def test_a_zizmor_finding_can_be_suppressed_on_its_line(
    make_repo: RepoFactory, zizmor: str
) -> None:
    text = mutate(
        INJECTED,
        "&& python -m build\n",
        "&& python -m build  # release-assistant: ignore[RA690]\n",
    )
    result = run_workflow(repo(make_repo, text))
    assert not zizmor_findings(result, "template-injection")
    [silenced] = [f for f in result.suppressed if f.external_id == "zizmor/template-injection"]
    assert silenced.line == line_of(text, "github.event.issue.title")
