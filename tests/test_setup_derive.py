"""``setup`` derives every value, names its source, and never invents one.

The workflow says the file and the environment of the job that uploads (none: the field stays
empty, and adding one is a separate optional step); ``origin`` says owner and repository; the
tags say the deployment tag rule; the index (a loopback server here) says whether the project
exists, which decides between a pending publisher and the project's own settings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from release_assistant.core.context import RepoContext
from release_assistant.core.release.setup_checklist import (
    LEAVE_EMPTY,
    SetupChecklist,
    ask_indexes,
    build_checklist,
)
from release_assistant.core.urls import INDEX_API_URL_VARIABLE, PYPI_PENDING_PUBLISHER_URL
from tests.conftest import RepoFactory, git
from tests.github_support import Answer, FakeGitHub, serve_github
from tests.test_setup import checklist, make, run_cli
from tests.test_workflow_check import GOOD

#: The publish jobs without their ``environment:`` blocks.
NO_ENVIRONMENT = re.sub(r"    environment:\n      name: \w+\n      url: \S+\n", "", GOOD)
SLUG = "octo-org/seed-package"


def item(model: SetupChecklist, item_id: str) -> dict[str, tuple[str | None, str]]:
    found = next(i for i in model.items if i.id == item_id)
    return {field.label: (field.value, field.source) for field in found.fields}


@pytest.fixture
def index(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    with serve_github() as fake:
        monkeypatch.setenv(INDEX_API_URL_VARIABLE, fake.url)
        yield fake


def test_a_job_without_environment_leaves_the_field_empty(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "environment:" not in NO_ENVIRONMENT
    root = make(make_repo, workflow=NO_ENVIRONMENT)
    model = checklist(capsys, root)
    assert model.pypi_environment is None
    assert item(model, "pypi-publisher")["Environment name"] == (
        "",
        "from .github/workflows/release.yml job 'publish-pypi': it has no environment",
    )
    # Adding one is its own, optional step, never a value to register now.
    environments = next(i for i in model.items if i.id == "github-environments")
    assert environments.optional and environments.title.startswith("Optional")
    assert "pypi" not in [f.value for f in environments.fields]
    record = next(i for i in model.items if i.id == "record-publisher")
    assert not any(line.startswith("environment =") for line in record.instructions)
    # The claims carry the ref, not an environment.
    assert model.claims is not None
    assert model.claims["sub"] == f"repo:{SLUG}:ref:refs/tags/vX.Y.Z"
    assert "environment" not in model.claims
    code, out, _ = run_cli(capsys, "setup", "--repo", str(root), "--no-index")
    assert code == 0
    assert f"Environment name:       {LEAVE_EMPTY}\n" in out
    assert "[tool.release-assistant.publisher] environment" not in out  # no invented setting
    assert f"sub               repo:{SLUG}:ref:refs/tags/vX.Y.Z" in out


def test_a_job_with_environment_names_it_and_its_job(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    model = checklist(capsys, make(make_repo))
    assert item(model, "pypi-publisher")["Environment name"] == (
        "pypi",
        "from .github/workflows/release.yml job 'publish-pypi'",
    )
    assert item(model, "pypi-publisher")["Owner"] == (
        "octo-org",
        "from origin (git@github.com:octo-org/seed-package.git)",
    )
    assert item(model, "pypi-publisher")["Workflow name"][1] == (
        "from .github/workflows/release.yml"
    )
    assert model.claims == {
        "repository": SLUG,
        "repository_owner": "octo-org",
        "ref": "refs/tags/vX.Y.Z",
        "job_workflow_ref": f"{SLUG}/.github/workflows/release.yml@refs/tags/vX.Y.Z",
        "sub": f"repo:{SLUG}:environment:pypi",
        "environment": "pypi",
    }
    assert model.testpypi_claims is not None
    assert model.testpypi_claims["environment"] == "testpypi"
    assert model.offer == []  # a workflow, nothing mismatched, the index not reachable


@pytest.mark.parametrize(
    ("tags", "pattern", "ref"),
    [(["1.0.0", "1.1.0"], "[0-9]*", "refs/tags/X.Y.Z"), (["v1.0.0", "v1.1.0"], "v*", None)],
)
def test_deployment_tags_follow_the_repositorys_tags(
    make_repo: RepoFactory,
    capsys: pytest.CaptureFixture[str],
    tags: list[str],
    pattern: str,
    ref: str | None,
) -> None:
    root = make(make_repo)
    for tag in tags:
        git(root, "tag", tag)
    model = checklist(capsys, root)
    assert model.deployment_tag_pattern == pattern
    environments = next(i for i in model.items if i.id == "github-environments")
    advice = next(line for line in environments.instructions if "Deployment" in line)
    assert f"limited to your release tags: {pattern}, from the tag format" in advice
    assert f"inferred from 2 version tags (highest {tags[-1]})" in advice
    assert model.claims is not None
    assert model.claims["ref"] == (ref or "refs/tags/vX.Y.Z")


def test_an_existing_project_gets_its_settings_page(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str], index: FakeGitHub
) -> None:
    index.route("GET", "/pypi/seed-package/json", Answer({"info": {"name": "seed-package"}}))
    root = make(make_repo)
    model = checklist(capsys, root)
    pypi = next(i for i in model.items if i.id == "pypi-publisher")
    assert [link.prefilled for link in pypi.links] == [True]
    assert "has the project seed-package" in pypi.instructions[0]
    assert "Settings > Publishing" in pypi.instructions[0]
    assert [answer.state for answer in model.indexes] == ["exists", "exists"]
    assert model.offer == []  # an established project: setup is not offered


def test_a_new_project_gets_a_pending_publisher_and_the_offer(
    make_repo: RepoFactory, index: FakeGitHub
) -> None:
    root = make(make_repo)
    ctx = RepoContext.load(root)
    presence = ask_indexes(ctx)
    assert [presence[test].state for test in (False, True)] == ["new-project"] * 2
    model = build_checklist(ctx, presence)
    pypi = next(i for i in model.items if i.id == "pypi-publisher")
    assert [link.url for link in pypi.links] == [PYPI_PENDING_PUBLISHER_URL]
    assert "Add a new pending publisher" in pypi.instructions[0]
    assert model.offer == ["no project seed-package on PyPI yet (a pending publisher creates it)"]
    assert [request["path"] for request in index.requests] == ["/pypi/seed-package/json"] * 2


def test_a_mismatched_recorded_publisher_is_offered_setup(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    config = '\n[tool.release-assistant.publisher]\nworkflow = "publish.yml"\n'
    model = checklist(capsys, make(make_repo, config=config))
    assert model.offer == ["a publisher the index would not recognize (RA705)"]
