"""Two gaps of the ``workflow`` check (issue 24): code beside the OIDC token, empty environments.

RA643: a third-party action pinned to a commit still runs in the job that can mint a token
the index accepts. RA644: a publish job's ``environment`` computed at run time can be empty,
so the token names no environment. Each case starts from the seed shape that passes clean
(``GOOD``), so the one edit is what the finding is about.
"""

from __future__ import annotations

import pytest

from release_assistant.core.findings import Severity, Status
from release_assistant.core.urls import project_url
from tests.conftest import SEED_PYPROJECT, RepoFactory, git
from tests.support import GOOD, RELEASE, line_of, mutate
from tests.test_workflow_check import check, check_repo, expect, only

SHA = "0123456789abcdef" * 2 + "01234567"
PYPI_PUBLISH = "      - name: Publish to PyPI\n"
PYPI_ENVIRONMENT = "    environment:\n      name: pypi\n"


def before_pypi_publish(step: str) -> str:
    """``GOOD`` with ``step`` (one list item) run just before the PyPI publish step."""
    return mutate(GOOD, PYPI_PUBLISH, step + PYPI_PUBLISH)


def pypi_environment(name: str) -> str:
    """``GOOD`` with the PyPI publish job's environment name replaced by ``name``."""
    return mutate(GOOD, PYPI_ENVIRONMENT, f"    environment:\n      name: {name}\n")


# -- RA643: pinned third-party code in the job that can publish -----------------------------------


def test_a_pinned_third_party_action_in_the_publish_job_is_a_warning(
    make_repo: RepoFactory,
) -> None:
    uses = f"someone/setup-thing@{SHA}"
    text = before_pypi_publish(f"      - uses: {uses}  # v2.1.0\n")
    result = check(make_repo, text)
    found = expect(result, "RA643", line_of(text, uses), severity=Severity.WARNING)
    assert "'someone/setup-thing'" in found.message and "publish-pypi" in found.message
    assert "without 'id-token: write'" in (found.hint or "")
    assert result.status is Status.WARN
    # One cause, one finding: the pinned action is neither RA631's nor RA642's.
    assert only(result, "RA631") == [] and only(result, "RA642") == []


def test_an_unpinned_one_stays_ra642_alone(make_repo: RepoFactory) -> None:
    uses = "someone/setup-thing@v2"
    text = before_pypi_publish(f"      - uses: {uses}\n")
    result = check(make_repo, text)
    expect(result, "RA642", line_of(text, uses), severity=Severity.WARNING)
    assert only(result, "RA643") == []


def test_inherited_from_the_workflow_permissions_it_is_reported_in_the_publish_job(
    make_repo: RepoFactory,
) -> None:
    uses = f"someone/setup-thing@{SHA}"
    text = before_pypi_publish(f"      - uses: {uses}\n")
    text = mutate(text, "permissions:\n  contents: read\n", "permissions:\n  id-token: write\n")
    text = mutate(text, "    permissions:\n      id-token: write\n", "", 2)
    result = check(make_repo, text)
    found = expect(result, "RA643", line_of(text, uses), severity=Severity.WARNING)
    assert "from the workflow's permissions" in found.message
    # The test and build jobs inherit it too: RA621 names that grant, once.
    assert len(only(result, "RA621")) == 1
    assert len(only(result, "RA643")) == 1


def test_not_in_a_job_without_the_token(make_repo: RepoFactory) -> None:
    uses = f"someone/setup-thing@{SHA}"
    text = mutate(GOOD, "      - name: Tests\n", f"      - uses: {uses}\n      - name: Tests\n")
    assert only(check(make_repo, text), "RA643") == []


def test_not_in_a_job_whose_needless_grant_ra622_names(make_repo: RepoFactory) -> None:
    uses = f"someone/setup-thing@{SHA}"
    text = mutate(
        GOOD,
        "      - name: Tests\n",
        f"      - uses: {uses}\n      - name: Tests\n",
    )
    text = mutate(
        text,
        "  verify:\n    runs-on: ubuntu-latest\n",
        "  verify:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n",
    )
    result = check(make_repo, text)
    assert len(only(result, "RA622")) == 1
    assert only(result, "RA643") == []


def test_not_in_a_job_that_holds_the_token_to_attest(make_repo: RepoFactory) -> None:
    # The token is what that job is for; the finding is about the job that publishes.
    uses = f"someone/setup-thing@{SHA}"
    text = mutate(
        GOOD,
        "      - name: Build\n",
        f"      - uses: {uses}\n      - name: Build\n",
    )
    text = mutate(
        text,
        "      - name: Upload\n",
        "      - uses: actions/attest-build-provenance@v2\n"
        "        with:\n          subject-path: dist/*\n      - name: Upload\n",
    )
    text = mutate(
        text,
        "  build:\n    needs: verify\n",
        "  build:\n    needs: verify\n    permissions:\n      id-token: write\n"
        "      attestations: write\n",
    )
    result = check(make_repo, text)
    assert only(result, "RA643") == [] and only(result, "RA622") == []


def test_in_a_job_that_builds_and_publishes_ra611_names_the_build(
    make_repo: RepoFactory,
) -> None:
    build = f"someone/build-action@{SHA}"
    after = f"someone/notify@{SHA}"
    text = before_pypi_publish(
        f"      - uses: {build}\n      - name: Build here\n        run: python -m build\n"
    )
    text += f"      - uses: {after}\n"
    result = check(make_repo, text)
    assert [f.line for f in only(result, "RA611")]
    assert [f.line for f in only(result, "RA643")] == [line_of(text, after)]


@pytest.mark.parametrize(
    "uses",
    [
        f"actions/cache@{SHA}",
        f"github/codeql-action/init@{SHA}",
        f"pypa/gh-action-pip-audit@{SHA}",
        f"sigstore/gh-action-sigstore-python@{SHA}",
        "./.github/actions/local",
        "docker://alpine@sha256:" + "ab" * 32,
    ],
)
def test_trusted_owners_local_actions_and_images_are_fine(
    make_repo: RepoFactory, uses: str
) -> None:
    text = before_pypi_publish(f"      - uses: {uses}\n")
    assert only(check(make_repo, text), "RA643") == []


def test_an_owner_allowed_unpinned_is_trusted_pinned(make_repo: RepoFactory) -> None:
    text = before_pypi_publish(f"      - uses: someone/setup-thing@{SHA}\n")
    config = (
        "[tool.release-assistant.workflow_rules]\n"
        'unpinned_allowed_owners = ["actions", "github", "pypa", "someone"]\n'
    )
    assert only(check(make_repo, text, config=config), "RA643") == []


def test_the_vendor_of_the_jobs_own_upload_tool_is_trusted(make_repo: RepoFactory) -> None:
    installer = f"astral-sh/setup-uv@{SHA}"
    attester = f"astral-sh/attest-action@{SHA}"
    text = mutate(
        GOOD,
        "      - name: Publish to PyPI\n        uses: pypa/gh-action-pypi-publish@release/v1\n",
        f"      - uses: {installer}\n      - uses: {attester}\n"
        "      - name: Publish to PyPI\n        run: uv publish\n",
    )
    assert only(check(make_repo, text), "RA643") == []
    # ... but only in a job that uploads with that tool.
    text = before_pypi_publish(f"      - uses: {installer}\n")
    found = only(check(make_repo, text), "RA643")
    assert [f.line for f in found] == [line_of(text, "astral-sh/setup-uv")]


def test_the_repository_of_an_upload_action_is_trusted(make_repo: RepoFactory) -> None:
    # A release tool whose actions prepare and then publish: one code base.
    prepare = f"octo-tools/releaser/.github/actions/populate-release@{SHA}"
    publish = f"octo-tools/releaser/.github/actions/publish-release@{SHA}"
    other = f"octo-tools/notify@{SHA}"
    text = mutate(
        GOOD,
        "      - name: Publish to PyPI\n        uses: pypa/gh-action-pypi-publish@release/v1\n",
        f"      - uses: {prepare}\n      - name: Publish to PyPI\n        uses: {publish}\n"
        f"      - uses: {other}\n",
    )
    found = only(check(make_repo, text), "RA643")
    assert [f.line for f in found] == [line_of(text, other)]


@pytest.mark.parametrize("how", ["origin", "config"])
def test_the_repositorys_own_owner_is_not_third_party(make_repo: RepoFactory, how: str) -> None:
    uses = f"Octo-Org/maintainer-tools/.github/actions/base-setup@{SHA}"
    text = before_pypi_publish(f"      - uses: {uses}\n")
    root = make_repo({"pyproject.toml": SEED_PYPROJECT, RELEASE: text})
    git(root, "remote", "add", "origin", "https://github.com/someone-else/fork.git")
    assert [f.line for f in only(check_repo(root), "RA643")] == [line_of(text, uses)]
    if how == "origin":
        git(root, "remote", "set-url", "origin", "https://github.com/octo-org/seed-package.git")
    else:
        config = '[tool.release-assistant.publisher]\nowner = "octo-org"\n'
        (root / "pyproject.toml").write_text(SEED_PYPROJECT + config, encoding="utf-8")
    assert only(check_repo(root), "RA643") == []


def test_a_pinned_release_action_in_the_publish_job_is_reported_once_per_line(
    make_repo: RepoFactory,
) -> None:
    # The common shape: the GitHub release is made in the job that publishes.
    first = f"softprops/action-gh-release@{SHA}"
    second = f"someone/notify@{SHA}"
    text = GOOD + f"      - uses: {first}\n      - uses: {second}\n"
    result = check(make_repo, text)
    assert [f.line for f in only(result, "RA643")] == [
        line_of(text, first),
        line_of(text, second),
    ]


# -- RA644: an environment name that can be empty ------------------------------------------------


DISPATCH = "  workflow_dispatch:\n"


def with_dispatch(text: str, inputs: str = "") -> str:
    """``text`` started by a manual dispatch too, with ``inputs`` declared."""
    return mutate(text, "    types: [published]\n", "    types: [published]\n" + DISPATCH + inputs)


@pytest.mark.parametrize(
    "expression",
    [
        "${{ inputs.environment }}",
        "${{ github.event.inputs.environment }}",
        "${{ inputs['environment'] }}",
        "${{ inputs.environment || inputs.other }}",
        "${{ inputs.environment || '' }}",
    ],
)
def test_an_input_is_empty_when_the_release_runs_the_job(
    make_repo: RepoFactory, expression: str
) -> None:
    text = with_dispatch(
        pypi_environment(f"'{expression}'" if "'" not in expression else f'"{expression}"'),
        "    inputs:\n      environment:\n        default: pypi\n",
    )
    result = check(make_repo, text)
    found = expect(result, "RA644", line_of(text, "${{"), severity=Severity.WARNING)
    assert "is empty when 'release' (published) runs it" in found.message
    assert "|| 'pypi'" in (found.hint or "")
    assert result.status is Status.WARN


def test_the_plain_form_is_read_too(make_repo: RepoFactory) -> None:
    url = f"      url: {project_url('seed-package')}\n"
    text = mutate(GOOD, PYPI_ENVIRONMENT + url, "    environment: ${{ inputs.env }}\n")
    expect(check(make_repo, text), "RA644", line_of(text, "${{"), severity=Severity.WARNING)


@pytest.mark.parametrize(
    "expression",
    [
        "${{ inputs.environment || 'pypi' }}",
        "${{ github.event_name == 'release' && 'pypi' || 'testpypi' }}",
        "pypi-${{ inputs.environment }}",
        "${{ vars.PYPI_ENVIRONMENT }}",
        "${{ needs.build.outputs.environment }}",
        "${{ format('{0}', inputs.environment) }}",
    ],
)
def test_a_fallback_or_a_value_the_workflow_does_not_show_is_no_finding(
    make_repo: RepoFactory, expression: str
) -> None:
    text = pypi_environment(f'"{expression}"')
    assert only(check(make_repo, text), "RA644") == []


def test_an_upload_that_runs_only_on_the_dispatch_is_judged_there(
    make_repo: RepoFactory,
) -> None:
    # The job runs on the release too (a dry run, say), but its upload only on the dispatch.
    text = with_dispatch(
        pypi_environment("${{ inputs.environment }}"),
        "    inputs:\n      environment:\n        required: true\n",
    )
    text = mutate(
        text,
        "      - name: Publish to PyPI\n",
        "      - name: Publish to PyPI\n        if: github.event_name == 'workflow_dispatch'\n",
    )
    assert only(check(make_repo, text), "RA644") == []


def test_dispatch_only_with_a_default_or_a_required_input_is_fine(
    make_repo: RepoFactory,
) -> None:
    text = mutate(GOOD, "  release:\n    types: [published]\n", DISPATCH)
    text = pypi_environment("${{ inputs.environment }}").replace(
        "  release:\n    types: [published]\n", DISPATCH
    )
    for declaration in ("default: pypi", "required: true", "type: choice\n        options: [pypi]"):
        declared = mutate(
            text, DISPATCH, DISPATCH + f"    inputs:\n      environment:\n        {declaration}\n"
        )
        assert only(check(make_repo, declared), "RA644") == [], declaration


def test_dispatch_only_with_an_optional_input_can_be_empty(make_repo: RepoFactory) -> None:
    text = pypi_environment("${{ inputs.environment }}").replace(
        "  release:\n    types: [published]\n",
        DISPATCH + "    inputs:\n      environment:\n        description: where\n",
    )
    found = expect(check(make_repo, text), "RA644", line_of(text, "${{"), severity=Severity.WARNING)
    assert "can be empty on a manual dispatch without input 'environment'" in found.message


def test_a_job_guarded_to_the_dispatch_is_judged_on_the_dispatch_only(
    make_repo: RepoFactory,
) -> None:
    text = with_dispatch(
        pypi_environment("${{ inputs.environment }}"),
        "    inputs:\n      environment:\n        default: pypi\n",
    )
    text = mutate(
        text,
        "  publish-pypi:\n",
        "  publish-pypi:\n    if: github.event_name == 'workflow_dispatch'\n",
    )
    assert only(check(make_repo, text), "RA644") == []


MATRIX = "    strategy:\n      matrix:\n{rows}"


def with_matrix(rows: str) -> str:
    text = pypi_environment("${{ matrix.env }}")
    return mutate(text, "  publish-pypi:\n", "  publish-pypi:\n" + MATRIX.format(rows=rows))


def test_a_matrix_row_without_the_key_is_empty(make_repo: RepoFactory) -> None:
    text = with_matrix("        include:\n          - env: pypi\n          - target: docs\n")
    found = expect(check(make_repo, text), "RA644", line_of(text, "${{"), severity=Severity.WARNING)
    assert f"include row at line {line_of(text, '- target: docs')}" in found.message


def test_a_matrix_dimension_the_include_rows_fill_only_in_part(make_repo: RepoFactory) -> None:
    # `env` is added to the 3.12 combination only; the 3.13 one runs without it.
    text = with_matrix(
        "        python: ['3.12', '3.13']\n        include:\n"
        "          - python: '3.12'\n            env: pypi\n"
    )
    found = expect(check(make_repo, text), "RA644", line_of(text, "${{"), severity=Severity.WARNING)
    assert "combination {python: 3.13}, which has no 'env'" in found.message


@pytest.mark.parametrize(
    "rows",
    [
        "        env: [pypi, testpypi]\n",
        "        include:\n          - env: pypi\n          - env: testpypi\n",
        "        python: ['3.12']\n        include:\n          - env: pypi\n",
        "        env: [pypi, '']\n        exclude:\n          - env: ''\n",
    ],
)
def test_a_matrix_that_always_has_the_key_is_fine(make_repo: RepoFactory, rows: str) -> None:
    assert only(check(make_repo, with_matrix(rows)), "RA644") == []


def test_a_computed_matrix_is_no_finding(make_repo: RepoFactory) -> None:
    text = pypi_environment("${{ matrix.env }}")
    text = mutate(
        text,
        "  publish-pypi:\n",
        "  publish-pypi:\n    strategy:\n      matrix: ${{ fromJSON(needs.build.outputs.m) }}\n",
    )
    assert only(check(make_repo, text), "RA644") == []


def test_a_huge_matrix_is_not_expanded(make_repo: RepoFactory) -> None:
    values = "[" + ", ".join(str(n) for n in range(100)) + "]"
    text = with_matrix(f"        a: {values}\n        b: {values}\n        c: {values}\n")
    assert only(check(make_repo, text), "RA644") == []
