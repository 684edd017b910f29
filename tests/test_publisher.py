"""The ``publisher`` check: identity from origin, workflow and pyproject vs the configured one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from release_assistant.core.checks import publisher as publisher_check
from release_assistant.core.context import RepoContext
from release_assistant.core.engine import known_check_ids
from release_assistant.core.findings import CheckResult, Finding, Severity, Status
from release_assistant.core.workflows.identity import (
    RemoteRepository,
    parse_remote_url,
    read_origin,
)
from tests.conftest import SEED_PYPROJECT, RepoFactory, git, write_files
from tests.test_workflow_check import GOOD, RELEASE, line_of, mutate

ORIGIN = "https://github.com/octo-org/seed-package.git"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://github.com/octo-org/seed-package.git",
            ("github.com", "octo-org", "seed-package"),
        ),
        ("https://github.com/octo-org/seed-package", ("github.com", "octo-org", "seed-package")),
        ("https://github.com/octo-org/seed-package/", ("github.com", "octo-org", "seed-package")),
        ("http://GitHub.com/Octo-Org/Seed.Package", ("github.com", "Octo-Org", "Seed.Package")),
        ("https://user:secret@github.com/octo/demo.git", ("github.com", "octo", "demo")),
        ("git@github.com:octo-org/seed-package.git", ("github.com", "octo-org", "seed-package")),
        ("git@github.com:octo-org/seed-package", ("github.com", "octo-org", "seed-package")),
        ("github.com:octo/demo.git", ("github.com", "octo", "demo")),
        (
            "ssh://git@github.com/octo-org/seed-package.git",
            ("github.com", "octo-org", "seed-package"),
        ),
        ("ssh://git@github.com:22/octo/demo", ("github.com", "octo", "demo")),
        ("ssh://git@ssh.github.com:443/octo/demo.git", ("github.com", "octo", "demo")),
        ("git+ssh://git@github.com/octo/demo.git", ("github.com", "octo", "demo")),
        ("git://github.com/octo/demo.git", ("github.com", "octo", "demo")),
        ("git@ghe.example.invalid:team/tool.git", ("ghe.example.invalid", "team", "tool")),
        ("https://ghe.example.invalid/team/tool", ("ghe.example.invalid", "team", "tool")),
        ("  https://github.com/octo/demo.git\n", ("github.com", "octo", "demo")),
    ],
)
def test_parse_remote_url(url: str, expected: tuple[str, str, str]) -> None:
    assert parse_remote_url(url) == RemoteRepository(*expected)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "/srv/git/demo.git",
        "../demo",
        "file:///srv/git/demo.git",
        "C:\\repos\\demo",
        "https://github.com/octo",
        "git@github.com:demo.git",
        "https://github.com/",
    ],
)
def test_parse_remote_url_rejects_non_repositories(url: str) -> None:
    assert parse_remote_url(url) is None


def publisher_table(**values: str) -> str:
    lines = "".join(f'{key} = "{value}"\n' for key, value in values.items())
    return f"\n[tool.release-assistant.publisher]\n{lines}"


def make(
    make_repo: RepoFactory,
    *,
    workflow: str | None = GOOD,
    config: str = "",
    origin: str | None = ORIGIN,
    pyproject: str = SEED_PYPROJECT,
) -> Path:
    files: dict[str, str | bytes] = {"pyproject.toml": pyproject + config}
    if workflow is not None:
        files[RELEASE] = workflow
    root = make_repo(files)
    if origin is not None:
        git(root, "remote", "add", "origin", origin)
    return root


def check(root: Path) -> CheckResult:
    return publisher_check.run(RepoContext.load(root))


def errors_and_warnings(result: CheckResult) -> list[Finding]:
    return [f for f in result.findings if f.severity is not Severity.INFO]


def single(result: CheckResult, code: str) -> Finding:
    found = errors_and_warnings(result)
    assert [f.code for f in found] == [code], result.findings
    assert found[0].hint
    return found[0]


def pyproject_line(root: Path, needle: str) -> int:
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


# -- passing ----------------------------------------------------------------------------------


def test_matching_configuration_passes_with_the_identity(make_repo: RepoFactory) -> None:
    config = publisher_table(
        owner="octo-org",
        repository="seed-package",
        workflow="release.yml",
        environment="pypi",
        testpypi_environment="testpypi",
        project="Seed_Package",
    )
    result = check(make(make_repo, config=config))
    assert result.status is Status.PASS, result.findings
    info, claims = result.findings  # what PyPI sees, and the token's claims (RA714)
    assert (info.code, claims.code) == ("RA712", "RA714")
    assert info.severity is Severity.INFO
    for value in ("'octo-org'", "'seed-package'", "'release.yml'", "'pypi'", "'testpypi'"):
        assert value in info.message


def test_no_configuration_passes_and_reports_what_pypi_sees(make_repo: RepoFactory) -> None:
    result = check(make(make_repo, origin="git@github.com:octo-org/seed-package.git"))
    assert result.status is Status.PASS
    assert [f.code for f in result.findings] == ["RA712", "RA714"]


# -- skip and warnings ------------------------------------------------------------------------


def test_no_origin_remote_skips_with_reason(make_repo: RepoFactory) -> None:
    result = check(make(make_repo, origin=None))
    assert result.status is Status.SKIP
    assert result.reason is not None
    assert "no 'origin' remote" in result.reason
    assert "git remote add origin" in result.reason


def test_not_a_git_repository_skips(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": SEED_PYPROJECT, RELEASE: GOOD})
    result = check(tmp_path)
    assert result.status is Status.SKIP
    assert "not a git repository" in (result.reason or "")
    assert read_origin(tmp_path).problem == "not a git repository"


def test_no_origin_but_configured_owner_still_compares(make_repo: RepoFactory) -> None:
    config = publisher_table(owner="octo-org", repository="seed-package", environment="release")
    result = check(make(make_repo, origin=None, config=config))
    assert result.status is Status.FAIL
    assert sorted(f.code for f in errors_and_warnings(result)) == ["RA701", "RA706"]


def test_origin_on_another_host_warns(make_repo: RepoFactory) -> None:
    result = check(make(make_repo, origin="git@gitlab.example.invalid:octo/seed-package.git"))
    finding = single(result, "RA702")
    assert result.status is Status.WARN
    assert "gitlab.example.invalid" in finding.message


def test_origin_that_is_a_local_path_asks_for_a_github_url(make_repo: RepoFactory) -> None:
    result = check(make(make_repo, origin="/srv/git/seed-package"))
    finding = single(result, "RA702")
    assert "is not a repository URL on github.com" in finding.message
    assert finding.hint == "git remote set-url origin https://github.com/OWNER/REPOSITORY.git"


def test_enterprise_host_is_configurable(make_repo: RepoFactory) -> None:
    config = publisher_table(github_host="ghe.example.invalid", owner="team", repository="tool")
    root = make(make_repo, origin="ssh://git@ghe.example.invalid/team/tool.git", config=config)
    assert check(root).status is Status.PASS
    config = publisher_table(github_host="ghe.example.invalid", owner="team", repository="other")
    root = make(make_repo, origin="ssh://git@ghe.example.invalid/team/tool.git", config=config)
    assert single(check(root), "RA704").severity is Severity.ERROR


def test_no_workflow_warns(make_repo: RepoFactory) -> None:
    result = check(make(make_repo, workflow=None))
    finding = single(result, "RA709")
    assert finding.path == RELEASE


def test_expression_environment_cannot_be_verified(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "      name: pypi\n", "      name: ${{ vars.PYPI_ENVIRONMENT }}\n")
    root = make(make_repo, workflow=text, config=publisher_table(environment="pypi"))
    finding = single(check(root), "RA710")
    assert finding.line == line_of(text, "name: ${{ vars.PYPI_ENVIRONMENT }}")


def test_expression_environment_empty_on_the_release_is_not_recognized(
    make_repo: RepoFactory,
) -> None:
    # Only a dispatch fills `inputs`: the published release runs the upload with no
    # environment, which the publisher registered for 'pypi' rejects.
    text = mutate(GOOD, "      name: pypi\n", "      name: ${{ inputs.env }}\n")
    root = make(make_repo, workflow=text, config=publisher_table(environment="pypi"))
    finding = single(check(root), "RA706")
    assert finding.severity is Severity.ERROR
    assert finding.line == line_of(text, "name: ${{ inputs.env }}")
    assert "is empty when 'release' (published) runs it" in finding.message
    # Without a configured environment nothing is compared (the workflow check warns).
    assert not errors_and_warnings(check(make(make_repo, workflow=text)))
    # A fallback, or an upload that runs only on a dispatch with the input required, is
    # not provably empty on the release.
    fallback = mutate(GOOD, "      name: pypi\n", "      name: ${{ inputs.env || 'pypi' }}\n")
    root = make(make_repo, workflow=fallback, config=publisher_table(environment="pypi"))
    assert single(check(root), "RA710").severity is Severity.WARNING


def test_no_project_name_warns(make_repo: RepoFactory) -> None:
    root = make(make_repo, pyproject="[build-system]\nrequires = []\n")
    assert single(check(root), "RA711").path == "pyproject.toml"


# -- mismatches: "Publisher not recognized" ---------------------------------------------------


def test_owner_mismatch(make_repo: RepoFactory) -> None:
    root = make(make_repo, config=publisher_table(owner="someone-else"))
    finding = single(check(root), "RA703")
    assert finding.message.startswith("Publisher not recognized: owner must match exactly")
    assert "'octo-org'" in finding.message and "'someone-else'" in finding.message
    assert finding.path == "pyproject.toml"
    assert finding.line == pyproject_line(root, 'owner = "someone-else"')
    assert 'owner = "octo-org"' in (finding.hint or "")


def test_repository_mismatch(make_repo: RepoFactory) -> None:
    root = make(make_repo, config=publisher_table(repository="old-name"))
    finding = single(check(root), "RA704")
    assert "repository must match exactly" in finding.message
    assert finding.line == pyproject_line(root, 'repository = "old-name"')


def test_case_only_difference_warns(make_repo: RepoFactory) -> None:
    root = make(make_repo, config=publisher_table(owner="Octo-Org"))
    result = check(root)
    assert result.status is Status.WARN
    assert single(result, "RA713").severity is Severity.WARNING


def test_workflow_mismatch(make_repo: RepoFactory) -> None:
    root = make(make_repo, config=publisher_table(workflow="publish.yml"))
    finding = single(check(root), "RA705")
    assert "workflow must match exactly" in finding.message
    assert "'release.yml'" in finding.message
    assert finding.line == pyproject_line(root, 'workflow = "publish.yml"')


def test_workflow_given_as_a_path(make_repo: RepoFactory) -> None:
    root = make(make_repo, config=publisher_table(workflow=".github/workflows/release.yml"))
    finding = single(check(root), "RA705")
    assert "file name only" in finding.message
    assert 'workflow = "release.yml"' in (finding.hint or "")


def test_publisher_workflow_selects_among_publishing_workflows(make_repo: RepoFactory) -> None:
    root = make(make_repo, workflow=None, config=publisher_table(workflow="publish.yml"))
    write_files(root, {".github/workflows/publish.yml": GOOD})
    result = check(root)
    assert result.status is Status.PASS, result.findings
    assert "'publish.yml'" in result.findings[0].message


def test_pypi_environment_mismatch(make_repo: RepoFactory) -> None:
    root = make(make_repo, config=publisher_table(environment="release"))
    finding = single(check(root), "RA706")
    assert "environment must match what is registered on PyPI" in finding.message
    assert "'pypi'" in finding.message and "'release'" in finding.message
    assert finding.path == RELEASE
    assert finding.line == line_of(GOOD, "name: pypi")


def test_testpypi_environment_mismatch(make_repo: RepoFactory) -> None:
    root = make(make_repo, config=publisher_table(testpypi_environment="staging"))
    finding = single(check(root), "RA707")
    assert "registered on TestPyPI" in finding.message
    assert finding.line == line_of(GOOD, "name: testpypi")


def test_publish_job_without_environment_but_registered_with_one(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD, "    environment:\n      name: pypi\n", "    environment-was:\n      name: pypi\n"
    )
    root = make(make_repo, workflow=text, config=publisher_table(environment="pypi"))
    finding = single(check(root), "RA706")
    assert "without an environment" in finding.message
    assert finding.line == line_of(text, "  publish-pypi:")


def test_project_mismatch(make_repo: RepoFactory) -> None:
    root = make(make_repo, config=publisher_table(project="other-package"))
    finding = single(check(root), "RA708")
    assert "'seed-package'" in finding.message


def test_every_code_has_one_registry_entry_of_this_check() -> None:
    import ast

    from release_assistant.core.rules import publisher as publisher_rules
    from release_assistant.core.rules import rule_for

    # The rules the check emits: the constants it imports from its rule module.
    tree = ast.parse(Path(publisher_check.__file__).read_text(encoding="utf-8"))
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == publisher_rules.__name__
        for alias in node.names
    }
    used = {getattr(publisher_rules, name).code for name in names}
    assert used >= {"RA701", "RA703", "RA706", "RA712"}
    for code in used:
        rule = rule_for(code)
        assert rule is not None and rule.check == "publisher", code
        assert not rule.contextual, code


def test_registered_after_workflow() -> None:
    ids = known_check_ids()
    assert ids.index("workflow") + 1 == ids.index("publisher")


def test_the_oidc_claims_preview_names_what_pypi_compares(tmp_path: Path) -> None:
    """RA714 (info): the claims of the PyPI publish job's token for the release's tag."""
    from release_assistant.core.context import RepoContext
    from release_assistant.core.engine import run_check, spec_for
    from release_assistant.core.workflows.identity import oidc_claims
    from release_assistant.core.workflows.template import plan_init
    from tests.conftest import minimal_pyproject

    root = tmp_path / "proj"
    root.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    (root / "pyproject.toml").write_text(minimal_pyproject("proj", "1.2.0"), encoding="utf-8")
    plan = plan_init(root, ".github/workflows/release.yml", None)
    plan.path.parent.mkdir(parents=True)
    plan.path.write_text(plan.text, encoding="utf-8")
    subprocess.run(
        ["git", "-C", str(root), "remote", "add", "origin", "https://github.com/octo/proj.git"],
        check=True,
    )
    ctx = RepoContext.load(root, tag="v1.2.0")
    claims = oidc_claims(ctx.identity, "v1.2.0")
    assert claims == {
        "repository": "octo/proj",
        "repository_owner": "octo",
        "ref": "refs/tags/v1.2.0",
        "job_workflow_ref": "octo/proj/.github/workflows/release.yml@refs/tags/v1.2.0",
        "sub": "repo:octo/proj:environment:pypi",
        "environment": "pypi",
    }
    result = run_check(spec_for("publisher"), ctx)
    (preview,) = [f for f in result.findings if f.code == "RA714"]
    assert preview.severity.value == "info"
    assert "sub=repo:octo/proj:environment:pypi" in preview.message
