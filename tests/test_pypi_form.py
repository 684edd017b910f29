"""PyPI's trusted-publisher form rules, mirrored: each rule, and the publisher check
reporting a value the form would refuse (RA715)."""

from __future__ import annotations

import pytest

from release_assistant.core.publisher.form import form_problems, same_environment
from tests.conftest import RepoFactory
from tests.support import GOOD
from tests.test_publisher import check, make, publisher_table


@pytest.mark.parametrize(
    ("field", "value", "accepted"),
    [
        ("owner", "octo-org", True),
        ("owner", "Octo2", True),
        ("owner", "-octo", False),
        ("owner", "octo_org", False),
        ("owner", "octo/org", False),
        ("repository", "my.package_2-x", True),
        ("repository", "my package", False),
        ("repository", "owner/repo", False),
        ("workflow", "release.yml", True),
        ("workflow", "release.yaml", True),
        ("workflow", ".github/workflows/release.yml", False),
        ("workflow", "release.json", False),
        ("environment", "pypi", True),
        ("environment", "release (prod)", True),
        ("environment", "pypi,prod", False),
        ("environment", "pypi;", False),
        ("environment", "it's", False),
        ("environment", "tab\there", False),
        ("environment", "x" * 255, True),
        ("environment", "x" * 256, False),
    ],
)
def test_each_form_rule(field: str, value: str, accepted: bool) -> None:
    problems = form_problems(**{field: value})
    assert (problems == []) is accepted, problems
    assert all(name == field for name, _ in problems)


def test_environments_compare_without_case() -> None:
    assert same_environment("PyPI", "pypi")
    assert not same_environment("pypi", "testpypi")


def test_a_configured_value_the_form_refuses_is_an_error(make_repo: RepoFactory) -> None:
    root = make(make_repo, config=publisher_table(owner="-octo", workflow="release.json"))
    result = check(root)
    refused = [f for f in result.findings if f.code == "RA715"]
    assert {f.message.split(":")[0] for f in refused} == {
        "PyPI's publisher form refuses owner",
        "PyPI's publisher form refuses workflow",
    }
    assert all(f.line is not None and f.path == "pyproject.toml" for f in refused)
    assert result.status.value == "fail"


def test_an_environment_the_form_refuses_is_an_error(make_repo: RepoFactory) -> None:
    workflow = GOOD.replace("      name: pypi\n", "      name: pypi,prod\n")
    assert workflow != GOOD
    result = check(make(make_repo, workflow=workflow))
    (refused,) = [f for f in result.findings if f.code == "RA715"]
    assert "environment" in refused.message and refused.path == ".github/workflows/release.yml"


def test_an_environment_differing_only_in_case_is_recognized(make_repo: RepoFactory) -> None:
    root = make(make_repo, config=publisher_table(environment="PyPI"))
    result = check(root)
    assert "RA706" not in [f.code for f in result.findings]
