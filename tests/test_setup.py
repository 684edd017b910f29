"""``release-assistant setup`` (the first-time checklist) and ``release-assistant explain``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from release_assistant.cli.main import main
from release_assistant.core.release.setup_checklist import (
    SetupChecklist,
    checklist_from_json,
    setup_schema,
)
from release_assistant.core.rules import all_rules, explain
from release_assistant.core.urls import (
    PYPI_PENDING_PUBLISHER_URL,
    TESTPYPI_PENDING_PUBLISHER_URL,
    TESTPYPI_SIMPLE_URL,
)
from tests.conftest import RepoFactory
from tests.test_publisher import make as publisher_repo
from tests.test_publisher import publisher_table
from tests.test_workflow_check import GOOD, mutate

ORIGIN = "git@github.com:octo-org/seed-package.git"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def make(
    make_repo: RepoFactory,
    *,
    workflow: str | None = GOOD,
    origin: str | None = ORIGIN,
    config: str = "",
) -> Path:
    """The publisher tests' repository, with the SSH form of the origin by default."""
    return publisher_repo(make_repo, workflow=workflow, origin=origin, config=config)


def checklist(capsys: pytest.CaptureFixture[str], root: Path) -> SetupChecklist:
    code, out, err = run_cli(capsys, "setup", "--repo", str(root), "--format", "json")
    assert code == 0, err
    return checklist_from_json(json.loads(out))


def fields(model: SetupChecklist, item_id: str) -> dict[str, str | None]:
    item = next(i for i in model.items if i.id == item_id)
    return {field.label: field.value for field in item.fields}


def item(model: SetupChecklist, item_id: str) -> tuple[bool, bool | None]:
    found = next(i for i in model.items if i.id == item_id)
    return found.verifiable_locally, found.verified


# -- setup ------------------------------------------------------------------------------------


def test_text_lists_exact_values_and_form_urls(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make(make_repo)
    code, out, err = run_cli(capsys, "setup", "--repo", str(root))
    assert (code, err) == (0, "")
    for line in (
        "PyPI Project Name:      seed-package",
        "TestPyPI Project Name:  seed-package",
        "Owner:                  octo-org",
        "(from origin (git@github.com:octo-org/seed-package.git))",
        "Repository name:        seed-package",
        "Workflow name:          release.yml",
        "(from .github/workflows/release.yml)",
        "Environment name:       pypi\n",
        "(from .github/workflows/release.yml job 'publish-pypi')",
        "Environment name:       testpypi\n",
    ):
        assert line in out, line
    assert PYPI_PENDING_PUBLISHER_URL in out
    assert TESTPYPI_PENDING_PUBLISHER_URL in out
    assert "Add a new pending publisher" in out
    assert "https://github.com/octo-org/seed-package/settings/environments" in out
    assert "Required reviewers" in out
    assert "pre-release" in out and TESTPYPI_SIMPLE_URL in out
    assert "[x] 1. The GitHub repository" in out
    assert "[x] 2. A release workflow" in out
    assert "[?] 3. GitHub environments 'pypi' and 'testpypi'" in out
    assert "limited to your release tags: v*" in out  # no tags yet: the default v{version}
    assert "[?] 4. Register the trusted publisher on PyPI" in out
    assert "[ ] 6. Record what you registered" in out
    assert 'owner = "octo-org"' in out


def test_json_is_a_typed_model_with_verification_flags(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    model = checklist(capsys, make(make_repo))
    assert (model.project, model.owner, model.repository) == (
        "seed-package",
        "octo-org",
        "seed-package",
    )
    assert (model.workflow_file, model.pypi_environment, model.testpypi_environment) == (
        "release.yml",
        "pypi",
        "testpypi",
    )
    assert fields(model, "pypi-publisher") == {
        "PyPI Project Name": "seed-package",
        "Owner": "octo-org",
        "Repository name": "seed-package",
        "Workflow name": "release.yml",
        "Environment name": "pypi",
    }
    assert fields(model, "testpypi-publisher")["Environment name"] == "testpypi"
    assert item(model, "origin-remote") == (True, True)
    assert item(model, "workflow") == (True, True)
    assert item(model, "github-environments") == (False, None)  # on GitHub: not seen here
    assert item(model, "pypi-publisher") == (False, None)
    assert item(model, "testpypi-publisher") == (False, None)
    assert item(model, "test-release") == (False, None)
    assert item(model, "record-publisher") == (True, False)
    assert model.ready is False
    urls = {i.id: i.url for i in model.items}
    assert urls["pypi-publisher"] == PYPI_PENDING_PUBLISHER_URL
    assert urls["testpypi-publisher"] == TESTPYPI_PENDING_PUBLISHER_URL
    assert "properties" in setup_schema()


def test_recorded_publisher_makes_it_ready(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    config = publisher_table(
        owner="octo-org", repository="seed-package", workflow="release.yml", environment="pypi"
    )
    model = checklist(capsys, make(make_repo, config=config))
    assert item(model, "record-publisher") == (True, True)
    assert model.ready is True
    # A recorded value that disagrees with the repository is not "done".
    config = publisher_table(
        owner="octo-org", repository="seed-package", workflow="release.yml", environment="prod"
    )
    model = checklist(capsys, make(make_repo, config=config))
    record = next(i for i in model.items if i.id == "record-publisher")
    assert record.verified is False
    assert "RA706" in record.status


def test_nothing_set_up_yet(make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(make_repo, workflow=None, origin=None)
    code, out, _ = run_cli(capsys, "setup", "--repo", str(root))
    assert code == 0
    assert "[ ] 1. The GitHub repository" in out
    assert "git remote add origin" in out
    assert "[ ] 2. A release workflow" in out
    assert "RA601" in out
    assert "Owner:                  <unknown>" in out
    model = checklist(capsys, root)
    assert item(model, "origin-remote") == (True, False)
    assert item(model, "workflow") == (True, False)
    assert item(model, "github-environments") == (False, None)
    # What `workflow init` writes is what to type once it exists, and it says so.
    pypi = next(i for i in model.items if i.id == "pypi-publisher")
    assert {f.label: (f.value, f.source) for f in pypi.fields}["Environment name"] == (
        "pypi",
        "the workflow `release-assistant workflow init` writes (none publishes yet)",
    )
    assert fields(model, "pypi-publisher")["Workflow name"] == "release.yml"
    assert model.offer == ["no workflow that publishes to PyPI"]
    assert model.claims is None


def test_values_come_from_the_workflow(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    text = mutate(GOOD, "      name: pypi\n", "      name: release\n")
    root = make(make_repo, workflow=text, origin="https://github.com/Octo-Org/Seed-Package.git")
    model = checklist(capsys, root)
    assert fields(model, "pypi-publisher")["Environment name"] == "release"
    assert fields(model, "pypi-publisher")["Owner"] == "Octo-Org"
    environments = next(i for i in model.items if i.id == "github-environments")
    assert [f.value for f in environments.fields] == ["release", "testpypi", "v*"]


def test_workflow_without_testpypi_job(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    body = GOOD[: GOOD.index("  publish-testpypi:")]
    model = checklist(capsys, make(make_repo, workflow=body))
    assert model.testpypi_environment is None
    testpypi = next(i for i in model.items if i.id == "testpypi-publisher")
    assert testpypi.instructions[0].startswith("Optional")
    assert item(model, "github-environments") == (False, None)


def test_enterprise_host_in_environment_url(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    config = publisher_table(github_host="ghe.example.invalid")
    root = make(make_repo, origin="ssh://git@ghe.example.invalid/team/tool.git", config=config)
    model = checklist(capsys, root)
    env = next(i for i in model.items if i.id == "github-environments")
    assert env.url == "https://ghe.example.invalid/team/tool/settings/environments"


def test_setup_exit_codes(make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(make_repo)
    code, out, err = run_cli(capsys, "setup", "--repo", str(root / "missing"))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    with pytest.raises(SystemExit) as exited:
        main(["setup", "--repo", str(root), "--format", "yaml"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    (root / "pyproject.toml").write_text("[project\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "setup", "--repo", str(root))
    assert (code, out) == (2, "")
    assert "pyproject.toml:1" in err


# -- explain ----------------------------------------------------------------------------------


def test_explain_a_workflow_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "explain", "RA620")
    assert (code, err) == (0, "")
    assert out.startswith("RA620: Publish job lacks id-token: write")
    assert "Cause:" in out and "Fix:" in out
    assert "id-token: write" in out


@pytest.mark.parametrize("key", ["ra604", "RA713", "invalid-publisher", "oidc", "no-dists"])
def test_explain_codes_and_symptoms(capsys: pytest.CaptureFixture[str], key: str) -> None:
    code, out, _ = run_cli(capsys, "explain", key)
    assert code == 0
    assert "Fix:" in out


def test_explain_gate_codes_use_the_generic_entry(capsys: pytest.CaptureFixture[str]) -> None:
    # RA801-RA819 have their own entries; a gate code without one uses the generic entry.
    code, out, _ = run_cli(capsys, "explain", "RA899")
    assert code == 0
    assert out.startswith("RA899: A release gate failed")
    code, out, _ = run_cli(capsys, "explain", "RA899", "--format", "json")
    assert json.loads(out)["code"] == "RA899"


def test_explain_unknown_code_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["explain", "RA999"], ["explain", "bogus"], ["explain"]):
        code, out, err = run_cli(capsys, *argv)
        assert (code, out) == (2, "")
        assert err.count("\n") == 1


def test_explain_list_and_table_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "explain", "--list")
    assert code == 0
    for entry in all_rules():
        assert entry.code in out
        assert entry.cause and entry.fix
    for code_number in (*range(601, 609), *range(610, 618), *range(620, 627), 630, 631, 632):
        assert explain(f"RA{code_number}") is not None, code_number
    for code_number in range(701, 714):
        assert explain(f"RA{code_number}") is not None, code_number
    assert explain("RA999") is None
