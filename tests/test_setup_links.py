"""``setup``'s links: the pending-publisher page for a new project, and an existing
project's publishing settings with the GitHub form prefilled from the address (the query
parameters the index's project view reads: ``provider`` plus the form's field names)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from release_assistant.core.release.setup_checklist import Link, SetupChecklist
from release_assistant.core.urls import (
    PYPI_PENDING_PUBLISHER_URL,
    PYPI_PROJECT_PUBLISHING_URL_TEMPLATE,
    TESTPYPI_PENDING_PUBLISHER_URL,
    TESTPYPI_PROJECT_PUBLISHING_URL_TEMPLATE,
    project_publishing_url,
)
from tests.conftest import RepoFactory, minimal_pyproject
from tests.test_publisher import make as publisher_repo
from tests.test_setup import ORIGIN, checklist, fields, run_cli


def links(model: SetupChecklist, item_id: str) -> list[Link]:
    return next(i for i in model.items if i.id == item_id).links


@pytest.mark.parametrize(
    ("item_id", "pending", "template", "environment"),
    [
        (
            "pypi-publisher",
            PYPI_PENDING_PUBLISHER_URL,
            PYPI_PROJECT_PUBLISHING_URL_TEMPLATE,
            "pypi",
        ),
        (
            "testpypi-publisher",
            TESTPYPI_PENDING_PUBLISHER_URL,
            TESTPYPI_PROJECT_PUBLISHING_URL_TEMPLATE,
            "testpypi",
        ),
    ],
)
def test_both_pages_with_the_values_and_the_existing_project_prefilled(
    make_repo: RepoFactory,
    capsys: pytest.CaptureFixture[str],
    item_id: str,
    pending: str,
    template: str,
    environment: str,
) -> None:
    # A name that PEP 503 normalizes: the form and the address get the normalized one.
    root = publisher_repo(
        make_repo, origin=ORIGIN, pyproject=minimal_pyproject("Seed_Package.Tools", "0.1.1")
    )
    model = checklist(capsys, root)
    new, existing = links(model, item_id)
    assert (new.url, new.prefilled) == (pending, False)
    assert existing.prefilled is True
    parts = urlsplit(existing.url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == template.format(
        project="seed-package-tools"
    )
    query = {key: values for key, values in parse_qs(parts.query).items()}
    assert query == {
        "provider": ["github"],
        "owner": ["octo-org"],
        "repository": ["seed-package"],
        "workflow_filename": ["release.yml"],
        "environment": [environment],
    }
    shown = fields(model, item_id)
    assert [v for k, v in shown.items() if k.endswith("Project Name")] == ["seed-package-tools"]
    assert shown["Owner"] == query["owner"][0]
    assert shown["Workflow name"] == query["workflow_filename"][0]
    code, out, _ = run_cli(capsys, "setup", "--repo", str(root))
    assert code == 0
    assert f"  {existing.url}\n" in out
    assert f"  {pending}\n" in out
    assert "(from pyproject.toml [project].name, normalized (PEP 503))" in out


def test_unknown_values_are_left_out_of_the_address() -> None:
    url = project_publishing_url(
        "a b", prefill={"owner": "", "repository": "r&x", "workflow_filename": "release.yml"}
    )
    query = parse_qs(urlsplit(url).query)
    assert "owner" not in query  # an empty value would blank the field the user must type
    assert query["repository"] == ["r&x"]  # quoted, not split into another parameter
    assert "/project/a%20b/" in url
    assert project_publishing_url("p") == PYPI_PROJECT_PUBLISHING_URL_TEMPLATE.format(project="p")
