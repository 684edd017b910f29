"""Precision of the ``workflow`` check on the long tail of real pipelines (issue 23).

Each fixture is a minimal reproduction written for this test (never another project's file)
of a way working projects publish that the check used to misjudge:

* the upload two levels down (a step runs a shell script that runs Python that runs
  ``twine upload``), behind a ``make`` target, inside nested composite actions, or in a
  publishing action other than the PyPA one;
* gates where GitHub evaluates them: an action input that decides the upload, each publish
  step of a job judged by itself, a token exported inside ``run:`` (token publishing, not
  "needs OIDC"), ``id-token: write`` used to deploy Pages;
* the law for absence rules: "nothing publishes", "never uploaded", "no credential", "no
  OIDC token" are errors only when the tool read everything it searched; otherwise a warning
  (RA646) names the step it could not read. Each absence rule is shown both ways, so each
  test can fail.
"""

from __future__ import annotations

from pathlib import Path

from release_assistant.core.checks import workflow as workflow_check
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import Severity, Status
from release_assistant.core.urls import TESTPYPI_LEGACY_UPLOAD_URL
from release_assistant.core.workflows.discovery import uploads_summary
from tests.conftest import RepoFactory
from tests.test_workflow_real_patterns import checks, codes, finding, project

# -- shared pieces ---------------------------------------------------------------------------

BUILD_JOB = """
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {persist-credentials: false}
      - run: python -m pytest && python -m build
      - uses: actions/upload-artifact@v4
        with: {name: dist, path: dist/}
"""
DOWNLOAD = """
      - uses: actions/download-artifact@v4
        with: {name: dist, path: dist/}
"""


def release_workflow(publish_steps: str, *, job_extra: str = "", on: str = "") -> str:
    """A release workflow: a build job, then a publish job with ``publish_steps``."""
    trigger = on or "on:\n  release:\n    types: [published]\n"
    return (
        f"name: release\n{trigger}jobs:\n{BUILD_JOB}"
        "  publish:\n    needs: build\n    runs-on: ubuntu-latest\n"
        "    environment: pypi\n    permissions:\n      id-token: write\n"
        f"{job_extra}    steps:\n{DOWNLOAD}{publish_steps}"
    )


def uploads_of(root: Path) -> str:
    """Where and how the repository's workflows upload, as the ``workflow`` check sees it."""
    discovery = RepoContext.load(root).workflows
    return "; ".join(uploads_summary(aw) for aw in discovery.publishing)


def workflow_result(root: Path) -> tuple[Status, set[str]]:
    result = checks(root)["workflow"]
    return result.status, codes(result, Severity.ERROR)


# -- item 3: follow the upload wherever it goes ------------------------------------------------


def test_upload_two_scripts_down_is_found_shell_then_python_then_subprocess(
    make_repo: RepoFactory,
) -> None:
    steps = "      - run: ./scripts/publish.sh\n"
    publish_sh = "#!/bin/sh\nset -e\npython tools/release.py --final\n"
    release_py = (
        "import subprocess\n"
        "import sys\n\n\n"
        "def main() -> None:\n"
        "    files = sys.argv[1:] or ['dist/*']\n"
        "    subprocess.run(['twine', 'upload', '--skip-existing', *files], check=True)\n\n\n"
        "main()\n"
    )
    root = project(
        make_repo,
        {"release.yml": release_workflow(steps)},
        **{"scripts__publish.sh": publish_sh, "tools__release.py": release_py},
    )
    results = checks(root)
    workflow = results["workflow"]
    assert workflow.status in (Status.PASS, Status.WARN), workflow.findings
    assert not codes(workflow) & {"RA601", "RA645", "RA646"}, workflow.findings
    assert uploads_of(root) == "PyPI in job 'publish' with twine upload"
    identity = finding(results["publisher"], "RA712").message
    assert "release.yml" in identity and "pypi" in identity


def test_token_passed_to_the_script_chain_is_token_publishing(make_repo: RepoFactory) -> None:
    steps = (
        "      - run: bash scripts/publish.sh\n"
        "        env:\n          TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}\n"
    )
    root = project(
        make_repo,
        {"release.yml": release_workflow(steps)},
        **{
            "scripts__publish.sh": "python3 tools/release.py\n",
            "tools__release.py": "import os\nos.system('python -m twine upload dist/*')\n",
        },
    )
    status, errors = workflow_result(root)
    assert status is Status.FAIL and errors == {"RA626"}
    message = finding(checks(root)["workflow"], "RA626").message
    assert "tools/release.py" in message


def test_scripts_are_followed_only_so_deep_then_reported_unread(make_repo: RepoFactory) -> None:
    # Six scripts deep: beyond the bound the last ones are not read, and the check says so
    # instead of claiming that nothing publishes.
    files = {f"scripts__step{n}.sh": f"sh scripts/step{n + 1}.sh\n" for n in range(1, 7)}
    files["scripts__step7.sh"] = "twine upload dist/*\n"
    ci = """
    name: release
    on:
      push:
        tags: ["v*"]
    jobs:
      release:
        runs-on: ubuntu-latest
        steps:
          - run: sh scripts/step1.sh
    """
    root = project(make_repo, {"release.yml": ci}, **files)
    result = checks(root)["workflow"]
    assert "RA601" not in codes(result)
    unconfirmed = finding(result, "RA646")
    assert unconfirmed.severity is Severity.WARNING
    assert "scripts deep" in unconfirmed.message and "RA601 unconfirmed" in unconfirmed.message


def test_make_target_is_followed_to_its_upload(make_repo: RepoFactory) -> None:
    makefile = (
        "PYTHON ?= python\n\n"
        ".PHONY: dist release\n"
        "dist:\n\t$(PYTHON) -m build\n\n"
        "release: dist\n\t$(MAKE) upload\n\n"
        "upload:\n\t@uv publish --trusted-publishing always\n"
    )
    ci = """
    name: release
    on:
      release:
        types: [published]
    jobs:
      pypi:
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - uses: actions/checkout@v4
            with: {persist-credentials: false}
          - run: make release
    """
    root = project(make_repo, {"release.yml": ci}, Makefile=makefile)
    result = checks(root)["workflow"]
    assert result.status is Status.WARN, result.findings
    # The build in the Makefile's prerequisite is seen too: build and publish in one job.
    assert "(in Makefile)" in finding(result, "RA611").message


def test_artifact_uploaded_by_nested_composite_actions_is_uploaded(
    make_repo: RepoFactory,
) -> None:
    outer = """
    name: package
    inputs:
      artifact:
        default: python-dists
    runs:
      using: composite
      steps:
        - run: python -m build --outdir out/
          shell: bash
        - uses: ./.github/actions/store
          with:
            name: ${{ inputs.artifact }}
            folder: out/
    """
    inner = """
    name: store
    inputs:
      name: {required: true}
      folder: {required: true}
    runs:
      using: composite
      steps:
        - uses: actions/upload-artifact@v4
          with:
            name: ${{ inputs.name }}
            path: ${{ inputs.folder }}
    """
    ci = """
    name: release
    on:
      release:
        types: [published]
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
            with: {persist-credentials: false}
          - run: python -m pytest
          - uses: ./.github/actions/package
      publish:
        needs: build
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with: {name: python-dists, path: dist/}
          - uses: pypa/gh-action-pypi-publish@release/v1
    """
    files = {
        ".github__actions__package__action.yml": outer,
        ".github__actions__store__action.yml": inner,
    }
    root = project(make_repo, {"release.yml": ci}, **files)
    result = checks(root)["workflow"]
    assert result.status in (Status.PASS, Status.WARN), result.findings
    assert not codes(result) & {"RA615", "RA617", "RA646"}


def test_artifact_of_another_name_and_path_still_counts_as_uploaded(
    make_repo: RepoFactory,
) -> None:
    # A path that does not look like distributions is still an upload of that name.
    build = BUILD_JOB.replace("{name: dist, path: dist/}", "{name: dist, path: out/}")
    ci = release_workflow("      - uses: pypa/gh-action-pypi-publish@release/v1\n")
    result = checks(project(make_repo, {"release.yml": ci.replace(BUILD_JOB, build)}))
    assert not codes(result["workflow"]) & {"RA615", "RA617"}


def test_deploy_pypi_action_is_read_with_its_inputs(make_repo: RepoFactory) -> None:
    steps = (
        "      - uses: casperdcl/deploy-pypi@v2\n"
        "        with:\n          password: ${{ secrets.PYPI_TOKEN }}\n"
    )
    result = checks(project(make_repo, {"release.yml": release_workflow(steps)}))["workflow"]
    token = finding(result, "RA626")
    assert "'password:'" in token.message or "'password'" in token.message
    trusted = release_workflow("      - uses: casperdcl/deploy-pypi@v2\n")
    root = project(make_repo, {"release.yml": trusted})
    results = checks(root)
    assert results["workflow"].status in (Status.PASS, Status.WARN), results["workflow"].findings
    assert "casperdcl/deploy-pypi" in uploads_of(root)


def test_former_maturin_action_name_uploads_too(make_repo: RepoFactory) -> None:
    steps = (
        "      - uses: messense/maturin-action@v1\n"
        "        with:\n          command: upload\n          args: --skip-existing dist/*\n"
    )
    root = project(make_repo, {"release.yml": release_workflow(steps)})
    results = checks(root)
    assert results["workflow"].status in (Status.PASS, Status.WARN), results["workflow"].findings
    assert uploads_of(root) == "PyPI in job 'publish' with maturin upload"


def test_unknown_action_in_a_pypi_job_with_id_token_publishes_inferred(
    make_repo: RepoFactory,
) -> None:
    steps = "      - uses: octo-tools/ship-it@v3\n"
    results = checks(project(make_repo, {"release.yml": release_workflow(steps)}))
    workflow = results["workflow"]
    assert workflow.status in (Status.PASS, Status.WARN), workflow.findings
    inferred = finding(workflow, "RA645")
    assert inferred.severity is Severity.INFO
    assert "octo-tools/ship-it" in inferred.message and "'pypi'" in inferred.message
    assert "RA601" not in codes(workflow)
    assert "environment 'pypi'" in finding(results["publisher"], "RA712").message


def test_opaque_step_without_an_index_name_is_not_inferred(make_repo: RepoFactory) -> None:
    # id-token: write alone (no PyPI environment or URL) is not enough to infer an upload:
    # the claim degrades to a warning instead.
    ci = release_workflow("      - run: tox -e release\n").replace(
        "environment: pypi", "environment: production"
    )
    result = checks(project(make_repo, {"release.yml": ci}))["workflow"]
    assert "RA645" not in codes(result)
    unconfirmed = finding(result, "RA646")
    assert "`tox -e release`" in unconfirmed.message


# -- item 4: gates where GitHub evaluates them -------------------------------------------------


GATED_ON_TAGS = """
name: test
on:
  push:
  pull_request:
  schedule: [{cron: '0 3 * * 1'}]
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@v4
        with: {persist-credentials: false}
      - run: python -m pytest
      - uses: casperdcl/deploy-pypi@v2
        with:
          build: true
          upload: ${{ github.event_name == 'push' && startsWith(github.ref, 'refs/tags') }}
"""


def test_upload_input_gate_keeps_branch_pushes_from_being_releases(
    make_repo: RepoFactory,
) -> None:
    result = checks(project(make_repo, {"test.yml": GATED_ON_TAGS}))["workflow"]
    assert not codes(result) & {"RA604", "RA606", "RA607"}, result.findings
    assert result.status is Status.WARN  # builds in the publish job (RA611)
    ungated = GATED_ON_TAGS.replace(
        "upload: ${{ github.event_name == 'push' && startsWith(github.ref, 'refs/tags') }}",
        "upload: true",
    )
    result = checks(project(make_repo, {"test.yml": ungated}))["workflow"]
    assert "RA607" in codes(result, Severity.ERROR)


def test_composite_action_gate_on_its_input_is_evaluated(make_repo: RepoFactory) -> None:
    action = """
    name: publish
    inputs:
      publish: {default: 'false'}
    runs:
      using: composite
      steps:
        - if: inputs.publish == 'true'
          uses: pypa/gh-action-pypi-publish@release/v1
    """
    steps = (
        "      - uses: ./.github/actions/publish\n"
        "        with:\n"
        "          publish: ${{ startsWith(github.ref, 'refs/tags/') }}\n"
    )
    on = "on:\n  push:\n    branches: [main]\n    tags: ['v*']\n"
    ci = release_workflow(steps, on=on)
    root = project(
        make_repo, {"release.yml": ci}, **{".github__actions__publish__action.yml": action}
    )
    result = checks(root)["workflow"]
    assert not codes(result) & {"RA604", "RA607"}, result.findings
    ungated = ci.replace("${{ startsWith(github.ref, 'refs/tags/') }}", "'true'")
    root = project(
        make_repo, {"release.yml": ungated}, **{".github__actions__publish__action.yml": action}
    )
    assert "RA607" in codes(checks(root)["workflow"], Severity.ERROR)


TWO_INDEXES = """
      - name: Publish to TestPyPI
        uses: pypa/gh-action-pypi-publish@release/v1
        with:
          repository-url: TESTPYPI_URL
      - name: Publish
        if: startsWith(github.ref, 'refs/tags/')
        uses: pypa/gh-action-pypi-publish@release/v1
""".replace("TESTPYPI_URL", TESTPYPI_LEGACY_UPLOAD_URL)


def test_each_publish_step_of_a_job_is_judged_by_itself(make_repo: RepoFactory) -> None:
    # The job and its environment are named for the test index (its first step); the second
    # step uploads to PyPI on tags, which is not a test upload gone astray.
    on = "on:\n  push:\n    branches: [main]\n    tags: ['v*']\n"
    ci = release_workflow(TWO_INDEXES, on=on).replace("environment: pypi", "environment: testpypi")
    result = checks(project(make_repo, {"release.yml": ci}))["workflow"]
    assert not codes(result) & {"RA624", "RA625", "RA607"}, result.findings
    # Judged by itself, a test step that aims at production is still wrong.
    single = release_workflow(
        "      - name: Publish to TestPyPI\n        uses: pypa/gh-action-pypi-publish@release/v1\n"
    )
    result = checks(project(make_repo, {"release.yml": single}))["workflow"]
    assert "RA624" in codes(result, Severity.ERROR)


def test_token_exported_inside_run_is_token_publishing_not_missing_oidc(
    make_repo: RepoFactory,
) -> None:
    ci = """
    name: release
    on:
      push:
        tags: ["v*"]
    jobs:
      publish:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
            with: {persist-credentials: false}
          - run: uv build
          - run: |
              export UV_PUBLISH_TOKEN="${{ secrets.PYPI_API_TOKEN }}"
              uv publish
    """
    result = checks(project(make_repo, {"release.yml": ci}))["workflow"]
    errors = codes(result, Severity.ERROR)
    assert "RA626" in errors and "RA620" not in errors, result.findings
    via_env_file = ci.replace(
        """          - run: |
              export UV_PUBLISH_TOKEN="${{ secrets.PYPI_API_TOKEN }}"
              uv publish""",
        """          - run: echo "UV_PUBLISH_TOKEN=${{ secrets.PYPI_API_TOKEN }}" >> "$GITHUB_ENV"
          - run: uv publish""",
    )
    errors = codes(checks(project(make_repo, {"release.yml": via_env_file}))["workflow"])
    assert "RA626" in errors and "RA620" not in errors


def test_token_minted_inside_run_is_not_a_stored_token(make_repo: RepoFactory) -> None:
    steps = (
        "      - run: |\n"
        "          export TWINE_PASSWORD=$(python tools/mint.py)\n"
        "          twine upload dist/*\n"
    )
    result = checks(project(make_repo, {"release.yml": release_workflow(steps)}))["workflow"]
    assert not codes(result, Severity.ERROR) & {"RA626", "RA620"}, result.findings


def test_id_token_for_pages_deployment_is_used(make_repo: RepoFactory) -> None:
    pages = """
  docs:
    runs-on: ubuntu-latest
    environment: github-pages
    permissions:
      pages: write
      id-token: write
    steps:
      - uses: actions/deploy-pages@v4
"""
    ci = release_workflow("      - uses: pypa/gh-action-pypi-publish@release/v1\n") + pages
    assert "RA622" not in codes(checks(project(make_repo, {"release.yml": ci}))["workflow"])
    unused = ci.replace("      - uses: actions/deploy-pages@v4\n", "      - run: mkdocs build\n")
    assert "RA622" in codes(checks(project(make_repo, {"release.yml": unused}))["workflow"])


# -- item 1: an absence is an error only when everything was read ------------------------------

NOTHING_PUBLISHES = """
name: release
on:
  workflow_dispatch:
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {persist-credentials: false}
      - name: Cut the release
        STEP
"""


def test_ra601_nothing_publishes_degrades_when_an_action_is_unread(
    make_repo: RepoFactory,
) -> None:
    seen = NOTHING_PUBLISHES.replace("STEP", "run: git tag v1.0.0 && git push --tags")
    status, errors = workflow_result(project(make_repo, {"release.yml": seen}))
    assert status is Status.FAIL and errors == {"RA601"}
    unread = NOTHING_PUBLISHES.replace("STEP", "uses: octo-tools/release-bot@v2")
    result = checks(project(make_repo, {"release.yml": unread}))["workflow"]
    assert result.status is Status.WARN, result.findings
    unconfirmed = finding(result, "RA646")
    assert unconfirmed.severity is Severity.WARNING and unconfirmed.line == 11
    assert "octo-tools/release-bot" in unconfirmed.message
    assert 'workflow = ".github/workflows/release.yml"' in (unconfirmed.hint or "")


def test_ra601_pointing_the_tool_at_the_workflow_infers_its_upload(
    make_repo: RepoFactory,
) -> None:
    unread = NOTHING_PUBLISHES.replace("STEP", "uses: octo-tools/release-bot@v2")
    config = '\n[tool.release-assistant]\nworkflow = ".github/workflows/release.yml"\n'
    from tests.conftest import SEED_PYPROJECT

    root = project(make_repo, {"release.yml": unread})
    (root / "pyproject.toml").write_text(SEED_PYPROJECT + config, encoding="utf-8")
    result = checks(root)["workflow"]
    assert not codes(result) & {"RA601", "RA646"}, result.findings
    assert "octo-tools/release-bot" in finding(result, "RA645").message


def test_ra601_inline_suppression_accepts_the_unconfirmed_claim(make_repo: RepoFactory) -> None:
    unread = NOTHING_PUBLISHES.replace(
        "STEP", "uses: octo-tools/release-bot@v2  # release-assistant: ignore[RA646]"
    )
    result = checks(project(make_repo, {"release.yml": unread}))["workflow"]
    assert "RA646" not in codes(result) and result.status is Status.WARN  # RA631 stays
    assert [f.code for f in result.suppressed] == ["RA646"]


def test_ra601_only_to_the_test_index_degrades_when_a_script_is_unread(
    make_repo: RepoFactory,
) -> None:
    steps = (
        "      - uses: pypa/gh-action-pypi-publish@release/v1\n"
        f"        with: {{repository-url: '{TESTPYPI_LEGACY_UPLOAD_URL}'}}\n"
    )
    ci = release_workflow(steps).replace("environment: pypi", "environment: testpypi")
    assert "RA601" in codes(checks(project(make_repo, {"release.yml": ci}))["workflow"])
    unread = ci + "      - run: ./scripts/generated-release.sh\n"
    result = checks(project(make_repo, {"release.yml": unread}))["workflow"]
    assert "RA601" not in codes(result)
    assert "scripts/generated-release.sh" in finding(result, "RA646").message


def test_ra601_in_the_hook_path_degrades_too(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": "[project]\nname = 'x'\nversion = '1'\n"})
    ctx = RepoContext.load(root)
    seen = NOTHING_PUBLISHES.replace("STEP", "run: git push --tags")
    result = workflow_check.check_text(seen, ".github/workflows/release.yml", ctx)
    assert codes(result, Severity.ERROR) == {"RA601"}
    unread = NOTHING_PUBLISHES.replace("STEP", "run: nox -s release")
    result = workflow_check.check_text(unread, ".github/workflows/release.yml", ctx)
    assert codes(result) == {"RA646"} and result.status is Status.WARN


BUILDS_WITHOUT_UPLOAD = """
name: release
on:
  release:
    types: [published]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {persist-credentials: false}
      - run: python -m pytest && python -m build
      EXTRA
  publish:
    needs: build
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@v4
        with: {name: dist, path: dist/}
      - uses: pypa/gh-action-pypi-publish@release/v1
"""


def test_ra615_build_never_uploads_degrades_when_an_action_may(make_repo: RepoFactory) -> None:
    seen = BUILDS_WITHOUT_UPLOAD.replace("EXTRA", "- run: ls dist")
    status, errors = workflow_result(project(make_repo, {"release.yml": seen}))
    assert status is Status.FAIL and errors == {"RA615"}
    unread = BUILDS_WITHOUT_UPLOAD.replace("EXTRA", "- uses: octo-tools/stash-files@v1")
    result = checks(project(make_repo, {"release.yml": unread}))["workflow"]
    assert result.status is Status.WARN, result.findings
    unconfirmed = finding(result, "RA646")
    assert "octo-tools/stash-files" in unconfirmed.message and "artifact 'dist'" in (
        unconfirmed.message
    )


def test_ra617_name_nobody_uploads_degrades_when_a_composite_cannot_be_read(
    make_repo: RepoFactory,
) -> None:
    uploads_other = BUILDS_WITHOUT_UPLOAD.replace(
        "EXTRA",
        "- uses: actions/upload-artifact@v4\n        with: {name: wheels, path: dist/}",
    ).replace(
        "runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout",
        "runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/prepare\n"
        "      - uses: actions/checkout",
        1,
    )
    broken = "runs:\n  using: composite\n  steps: [\n"
    root = project(
        make_repo,
        {"release.yml": uploads_other},
        **{".github__actions__prepare__action.yml": broken},
    )
    result = checks(root)["workflow"]
    assert "RA617" not in codes(result)
    assert ".github/actions/prepare/action.yml" in finding(result, "RA646").message
    readable = "runs:\n  using: composite\n  steps:\n    - run: echo ready\n      shell: bash\n"
    root = project(
        make_repo,
        {"release.yml": uploads_other},
        **{".github__actions__prepare__action.yml": readable},
    )
    assert "RA617" in codes(checks(root)["workflow"], Severity.ERROR)


def test_ra638_no_credential_degrades_when_an_earlier_step_is_unread(
    make_repo: RepoFactory,
) -> None:
    seen = release_workflow("      - run: poetry publish\n")
    assert "RA638" in codes(checks(project(make_repo, {"release.yml": seen}))["workflow"])
    unread = release_workflow("      - run: tox -e credentials\n      - run: poetry publish\n")
    result = checks(project(make_repo, {"release.yml": unread}))["workflow"]
    assert "RA638" not in codes(result)
    unconfirmed = finding(result, "RA646")
    assert "RA638 unconfirmed" in unconfirmed.message and "`tox -e credentials`" in (
        unconfirmed.message
    )


def test_ra620_missing_oidc_degrades_when_an_earlier_step_is_unread(
    make_repo: RepoFactory,
) -> None:
    seen = release_workflow("      - run: uv publish\n").replace(
        "    permissions:\n      id-token: write\n", ""
    )
    assert "RA620" in codes(checks(project(make_repo, {"release.yml": seen}))["workflow"])
    unread = seen.replace(
        "      - run: uv publish\n",
        "      - uses: octo-tools/publish-token@v1\n      - run: uv publish\n",
    )
    result = checks(project(make_repo, {"release.yml": unread}))["workflow"]
    assert "RA620" not in codes(result)
    assert "RA620 unconfirmed" in finding(result, "RA646").message


def test_ra616_claims_no_files_only_when_every_earlier_step_is_inert(
    make_repo: RepoFactory,
) -> None:
    inert = release_workflow("      - uses: pypa/gh-action-pypi-publish@release/v1\n").replace(
        DOWNLOAD, "      - uses: actions/checkout@v4\n        with: {persist-credentials: false}\n"
    )
    assert "RA616" in codes(checks(project(make_repo, {"release.yml": inert}))["workflow"])
    unread = inert.replace(
        "      - uses: pypa/", "      - uses: octo-tools/fetch-dists@v1\n      - uses: pypa/"
    )
    result = checks(project(make_repo, {"release.yml": unread}))["workflow"]
    assert "RA616" not in codes(result)
    assert finding(result, "RA610").severity is Severity.WARNING


def test_ra646_names_the_likeliest_upload_a_repository_package_run_with_a_token(
    make_repo: RepoFactory,
) -> None:
    ci = """
    name: release-deploy
    on:
      workflow_dispatch:
    jobs:
      deploy:
        runs-on: ubuntu-latest
        steps:
          - uses: octo-tools/check-team@v1
          - uses: actions/checkout@v4
            with: {persist-credentials: false}
          - name: Deploy the release
            run: python -m release deploy
            env:
              PYPI_TOKEN: ${{ secrets.PYPI_TOKEN }}
    """
    root = project(make_repo, {"deploy.yml": ci})
    (root / "release").mkdir()
    (root / "release" / "__init__.py").write_text("", encoding="utf-8")
    (root / "release" / "__main__.py").write_text("from release import deploy\n", encoding="utf-8")
    result = checks(root)["workflow"]
    assert "RA601" not in codes(result)
    unconfirmed = finding(result, "RA646")
    assert "`python -m release`" in unconfirmed.message and "and 1 more" in unconfirmed.message
    assert unconfirmed.line == 11  # the step that runs it


def test_another_repositorys_reusable_workflow_is_inferred_or_unread(
    make_repo: RepoFactory,
) -> None:
    ci = """
    name: release
    on:
      release:
        types: [published]
    jobs:
      publish:
        permissions:
          id-token: write
        uses: octo-org/shared-workflows/.github/workflows/pypi-release.yml@v2
    """
    result = checks(project(make_repo, {"release.yml": ci}))["workflow"]
    assert not codes(result) & {"RA601", "RA646"}, result.findings
    assert "octo-org/shared-workflows" in finding(result, "RA645").message
    unnamed = ci.replace("pypi-release.yml", "ship.yml")
    result = checks(project(make_repo, {"release.yml": unnamed}))["workflow"]
    assert "RA601" not in codes(result)
    assert "the reusable workflow octo-org/shared-workflows" in finding(result, "RA646").message


APPROVAL_GATED = """
name: release
on:
  pull_request:
    branches: [main]
    paths: [src/seed_package/_version.py]
jobs:
  approve:
    runs-on: ubuntu-latest
    steps:
      - id: approval
        uses: octo-tools/release-approval@v1
      - if: steps.approval.outputs.approved != 'true'
        run: |
          echo "::error::the release pull request is not approved"
          exit 1
  build:
    needs: approve
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {persist-credentials: false}
      - run: python -m pytest && python -m build
      - uses: actions/upload-artifact@v4
        with: {name: dist, path: dist/}
  publish:
    needs: build
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@v4
        with: {name: dist, path: dist/}
      - uses: pypa/gh-action-pypi-publish@release/v1
"""


def test_a_guard_step_in_a_needed_job_leaves_the_pull_request_upload_undecided(
    make_repo: RepoFactory,
) -> None:
    result = checks(project(make_repo, {"release.yml": APPROVAL_GATED}))["workflow"]
    assert "RA607" not in codes(result), result.findings
    # Without the guard, the pull request publishes code nobody merged.
    unguarded = APPROVAL_GATED.replace(
        "      - if: steps.approval.outputs.approved != 'true'\n", "      - if: failure()\n"
    )
    result = checks(project(make_repo, {"release.yml": unguarded}))["workflow"]
    assert "RA607" in codes(result, Severity.ERROR)


DEPLOY_ON_EVERY_PUSH = """
name: ci
on:
  push:
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
    env:
      TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}
    steps:
      - uses: actions/checkout@v4
        with: {persist-credentials: false}
      - run: python -m pytest && python -m build
      - run: mv dist/*.whl release/
      - run: ./release/deploy.py
"""


def test_upload_a_script_runs_only_on_tags_is_not_judged_a_branch_release(
    make_repo: RepoFactory,
) -> None:
    # Python that checks the ref itself; the job's token is for that upload alone, so the
    # `mv` into the release folder is not taken for an upload.
    gated = (
        "import os\nimport subprocess\n\n"
        'if __name__ == "__main__":\n'
        '    ref = os.environ["GITHUB_REF"]\n'
        '    if ref.startswith("refs/tags/"):\n'
        '        subprocess.check_call(["twine", "upload", "release/*"])\n'
    )
    root = project(make_repo, {"ci.yml": DEPLOY_ON_EVERY_PUSH}, **{"release__deploy.py": gated})
    result = checks(root)["workflow"]
    assert codes(result, Severity.ERROR) == {"RA626"}, result.findings
    assert "(in release/deploy.py)" in finding(result, "RA626").message
    ungated = gated.replace('    if ref.startswith("refs/tags/"):\n        ', "    ")
    root = project(make_repo, {"ci.yml": DEPLOY_ON_EVERY_PUSH}, **{"release__deploy.py": ungated})
    assert "RA607" in codes(checks(root)["workflow"])  # every branch push publishes


def test_shell_script_that_guards_its_upload_decides_itself(make_repo: RepoFactory) -> None:
    ci = DEPLOY_ON_EVERY_PUSH.replace("./release/deploy.py", "sh scripts/publish.sh").replace(
        "      - run: mv dist/*.whl release/\n", ""
    )
    guarded = (
        'if [ "${GITHUB_REF#refs/tags/}" = "$GITHUB_REF" ]; then\n'
        '  echo "not a tag"\n  exit 1\nfi\n'
        "twine upload dist/*\n"
    )
    root = project(make_repo, {"ci.yml": ci}, **{"scripts__publish.sh": guarded})
    assert not codes(checks(root)["workflow"]) & {"RA604", "RA607"}
    plain = "twine upload dist/*\n"
    root = project(make_repo, {"ci.yml": ci}, **{"scripts__publish.sh": plain})
    assert "RA607" in codes(checks(root)["workflow"])


def test_a_command_after_a_build_is_not_conditional_one_after_a_test_is() -> None:
    from release_assistant.core.workflows.uploads.shell import commands

    def read(script: str) -> list[tuple[str, bool]]:
        return [(c.text, c.conditional) for c in commands(script, 1)]

    assert read("python -m build && twine upload dist/*") == [
        ("python -m build", False),
        ("twine upload dist/*", False),
    ]
    assert read('[ "$REF" = main ] && twine upload dist/*') == [("twine upload dist/*", True)]
    assert read("for f in dist/*; do\n  twine upload $f\ndone") == [("twine upload $f", False)]
    # A `case` arm keeps its pattern in front; the upload command is still found in it.
    assert read("case $REF in\n  v*) uv publish ;;\nesac\nuv build") == [
        ("v*) uv publish", True),
        ("uv build", False),
    ]


def test_followed_files_stay_inside_the_repository_and_loops_end(
    make_repo: RepoFactory, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "Makefile").write_text("release:\n\ttwine upload dist/*\n", encoding="utf-8")
    steps = "      - run: make release\n      - run: sh scripts/a.sh\n"
    root = project(
        make_repo,
        {"release.yml": release_workflow(steps).replace("environment: pypi", "environment: prod")},
        **{"scripts__a.sh": "sh scripts/b.sh\n", "scripts__b.sh": "sh scripts/a.sh\n"},
    )
    (root / "Makefile").symlink_to(outside / "Makefile")
    result = checks(root)["workflow"]
    # The Makefile outside is not read: `make release` stays unread, and the loop ends.
    assert "`make release`" in finding(result, "RA646").message


def test_tox_environment_is_followed_to_its_upload(make_repo: RepoFactory) -> None:
    tox_ini = (
        "[tox]\nenv_list = py\n\n"
        "[testenv:release]\nskip_install = true\ndeps =\n    build\n    twine\n"
        "commands =\n    python -m build\n    python -m twine upload dist/*\n"
    )
    ci = """
    name: release
    on:
      push:
        tags: ["v*"]
    jobs:
      release:
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - uses: actions/checkout@v4
            with: {persist-credentials: false}
          - run: python -m pytest
          - run: tox -e release
    """
    root = project(make_repo, {"release.yml": ci}, **{"tox.ini": tox_ini})
    result = checks(root)["workflow"]
    assert result.status is Status.WARN, result.findings
    assert not codes(result) & {"RA645", "RA646"}
    assert uploads_of(root) == "PyPI in job 'release' with twine upload"
    assert "(in tox.ini)" in finding(result, "RA611").message


def test_nox_session_is_followed_to_its_upload_and_only_that_session(
    make_repo: RepoFactory,
) -> None:
    noxfile = (
        "import nox\n\n\n"
        "@nox.session\n"
        "def tests(session: nox.Session) -> None:\n"
        '    session.run("pytest")\n\n\n'
        '@nox.session(name="publish")\n'
        "def publish_to_index(session: nox.Session) -> None:\n"
        '    session.run("uv", "build")\n'
        '    session.run("uv", "publish", "--trusted-publishing", "always")\n'
    )
    ci = """
    name: release
    on:
      push:
        tags: ["v*"]
    jobs:
      release:
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - uses: actions/checkout@v4
            with: {persist-credentials: false}
          - run: nox -s tests
          - run: nox -s publish
    """
    root = project(make_repo, {"release.yml": ci}, **{"noxfile.py": noxfile})
    assert uploads_of(root) == "PyPI in job 'release' with uv publish"
    result = checks(root)["workflow"]
    assert "(in noxfile.py)" in finding(result, "RA611").message
    tests_only = ci.replace("          - run: nox -s publish\n", "")
    root = project(make_repo, {"release.yml": tests_only}, **{"noxfile.py": noxfile})
    assert uploads_of(root) == ""  # the tests session uploads nothing
