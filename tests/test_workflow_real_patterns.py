"""Publishing pipelines as real projects write them, each reduced to its pattern.

Each fixture is a minimal workflow (written for this test, not copied) showing one way
working projects publish today, with the verdict such a pipeline deserves: a pipeline that
publishes with trusted publishing passes (warnings allowed); one that publishes with a
token, or not at all, is still told so.
"""

from __future__ import annotations

from pathlib import Path

from release_assistant.core.context import RepoContext
from release_assistant.core.engine import run_checks, select_checks
from release_assistant.core.findings import CheckResult, Finding, Severity, Status
from release_assistant.core.urls import TESTPYPI_LEGACY_UPLOAD_URL
from tests.conftest import SEED_PYPROJECT, RepoFactory, git
from tests.support import code_set

ORIGIN = "https://github.com/octo-org/seed-package.git"
WF = ".github/workflows"


def project(make_repo: RepoFactory, workflows: dict[str, str], **files: str) -> Path:
    """A repository with ``workflows`` (file name -> text) and an origin remote."""
    tree: dict[str, str | bytes] = {"pyproject.toml": SEED_PYPROJECT}
    tree.update({f"{WF}/{name}": text for name, text in workflows.items()})
    tree.update({path.replace("__", "/"): text for path, text in files.items()})
    root = make_repo(tree)
    git(root, "remote", "add", "origin", ORIGIN)
    return root


def checks(root: Path) -> dict[str, CheckResult]:
    """The ``workflow`` and ``publisher`` results, through the engine (registry severities)."""
    ctx = RepoContext.load(root)
    return {r.id: r for r in run_checks(ctx, select_checks(["workflow", "publisher"]))}


def finding(result: CheckResult, code: str) -> Finding:
    (found,) = [f for f in result.findings if f.code == code]
    return found


def identity(result: CheckResult) -> str:
    return finding(result, "RA712").message


def assert_publishes_fine(results: dict[str, CheckResult]) -> None:
    workflow, publisher = results["workflow"], results["publisher"]
    assert workflow.status in (Status.PASS, Status.WARN), workflow.findings
    assert publisher.status in (Status.PASS, Status.WARN), publisher.findings


# -- nothing publishes ---------------------------------------------------------------------------


def test_tests_only_on_pull_requests_means_no_trusted_publishing(make_repo: RepoFactory) -> None:
    ci = """
    name: Tests
    on: [pull_request]
    jobs:
      test:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - run: make test
          - uses: codecov/codecov-action@v4
            with:
              token: ${{ secrets.CODECOV_TOKEN }}
    """
    results = checks(project(make_repo, {"tests.yml": ci}))
    assert results["workflow"].status is Status.FAIL
    assert code_set(results["workflow"]) == {"RA601"}
    assert "none of the 1 workflow file(s)" in finding(results["workflow"], "RA601").message
    assert "RA709" in code_set(results["publisher"])


# -- token publishing is still an error ---------------------------------------------------------


def test_token_upload_through_a_repository_script(make_repo: RepoFactory) -> None:
    publish = """
    name: Publish
    on:
      push:
        tags: ['*']
    jobs:
      publish:
        runs-on: ubuntu-latest
        environment: deploy
        steps:
          - uses: actions/checkout@v4
            with:
              persist-credentials: false
          - run: scripts/build
          - name: Upload and deploy docs
            run: scripts/publish
            env:
              TWINE_USERNAME: __token__
              TWINE_PASSWORD: ${{ secrets.INDEX_TOKEN }}
    """
    results = checks(
        project(
            make_repo,
            {"publish.yml": publish},
            scripts__build="#!/bin/sh -e\npython -m build\ntwine check dist/*\n",
            scripts__publish="#!/bin/sh -e\n# upload, then the docs\ntwine upload dist/*\n",
        )
    )
    workflow = results["workflow"]
    assert workflow.status is Status.FAIL
    token = finding(workflow, "RA626")
    assert "TWINE_PASSWORD" in token.message and "scripts/publish" in token.message
    assert token.line == 18
    assert code_set(workflow, Severity.ERROR) == {"RA626"}
    assert "'publish.yml'" in identity(results["publisher"])


def test_password_input_in_any_letter_case_is_a_token(make_repo: RepoFactory) -> None:
    text = f"""
    on:
      release:
        types: [published]
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
            with:
              persist-credentials: false
          - run: python -m build && twine check dist/*
          - uses: actions/upload-artifact@v4
            with: {{name: dist, path: dist/}}
      publish:
        needs: build
        runs-on: ubuntu-latest
        environment: testpypi
        steps:
          - uses: actions/download-artifact@v4
            with: {{name: dist, path: dist/}}
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              User: __token__
              Password: ${{{{ secrets.API_KEY }}}}
              Repository-URL: {TESTPYPI_LEGACY_UPLOAD_URL}
    """
    workflow = checks(project(make_repo, {"release.yml": text}))["workflow"]
    # RA601 too: this workflow uploads only to TestPyPI (`Repository-URL` is read as well).
    assert code_set(workflow, Severity.ERROR) == {"RA601", "RA626"}
    assert finding(workflow, "RA626").line == 24


def test_token_upload_nobody_can_trigger_is_a_warning_to_delete_it(make_repo: RepoFactory) -> None:
    text = """
    on:
      push:
        branches: [main]
    jobs:
      test:
        runs-on: ubuntu-latest
        steps:
          - run: pytest
      upload:
        needs: test
        if: startsWith(github.ref, 'refs/tags')
        runs-on: ubuntu-latest
        steps:
          - run: python -m build
          - run: twine upload dist/*
            env:
              TWINE_PASSWORD: ${{ secrets.PYPI_PASSWORD }}
    """
    workflow = checks(project(make_repo, {"ci.yml": text}))["workflow"]
    assert workflow.status is Status.WARN, workflow.findings
    dead = finding(workflow, "RA637")
    assert dead.severity is Severity.WARNING and dead.line == 17
    assert "delete" in (dead.hint or "")


def test_upload_to_a_private_index_is_not_judged_for_credentials(make_repo: RepoFactory) -> None:
    text = """
    on:
      release:
        types: [published]
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
            with:
              persist-credentials: false
          - run: python -m build && twine check --strict dist/*
          - uses: actions/upload-artifact@v4
            with: {name: dists, path: dist/}
      publish:
        needs: build
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with: {name: dists, path: dist/}
          - uses: pypa/gh-action-pypi-publish@release/v1
          - run: rm -f dist/*.attestation
          - name: Mirror to the organisation's index
            uses: pypa/gh-action-pypi-publish@release/v1
            with:
              user: mirror
              password: ${{ secrets.MIRROR_PYPI_KEY }}
              repository-url: https://packages.example.invalid/${{ github.repository }}/upload
    """
    results = checks(project(make_repo, {"release.yml": text}))
    assert results["workflow"].status is Status.PASS, results["workflow"].findings
    assert "PyPI environment 'pypi'" in identity(results["publisher"])


# -- working pipelines pass ----------------------------------------------------------------------


def test_single_job_uv_build_and_uv_publish(make_repo: RepoFactory) -> None:
    text = """
    name: Publish
    on:
      release:
        types: [published]
    permissions: {}
    jobs:
      publish:
        runs-on: ubuntu-latest
        permissions:
          id-token: write
          contents: read
        steps:
          - uses: actions/checkout@v4
            with:
              persist-credentials: false
          - uses: astral-sh/setup-uv@0123456789abcdef0123456789abcdef01234567
          - run: uv build
          - run: uv publish
    """
    results = checks(project(make_repo, {"publish.yml": text}))
    assert_publishes_fine(results)
    workflow = results["workflow"]
    assert code_set(workflow, Severity.WARNING) == {"RA611", "RA613", "RA623"}
    analysed = finding(workflow, "RA634")
    assert analysed.severity is Severity.INFO
    assert analysed.message.startswith("analysed .github/workflows/publish.yml")
    assert "'publish.yml'" in identity(results["publisher"])


def test_inspected_build_with_attestations_testpypi_on_main_pypi_on_release(
    make_repo: RepoFactory,
) -> None:
    text = f"""
    name: Package
    on:
      push:
        branches: [main]
        tags: ["*"]
      release:
        types: [published]
      workflow_dispatch:
    permissions: {{}}
    jobs:
      package:
        runs-on: ubuntu-latest
        permissions:
          attestations: write
          id-token: write
        steps:
          - uses: actions/checkout@v4
            with:
              persist-credentials: false
          - uses: hynek/build-and-inspect-python-package@0123456789abcdef0123456789abcdef01234567
            with:
              attest-build-provenance-github: 'true'
      dev-upload:
        name: Upload the development build to test.pypi
        environment: test-index
        if: >-
          github.repository_owner == 'octo-org' && github.event_name == 'push'
          && github.ref == 'refs/heads/main'
        needs: package
        runs-on: ubuntu-latest
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with: {{name: Packages, path: dist}}
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}
      release-upload:
        environment: release
        if: github.repository_owner == 'octo-org' && github.event.action == 'published'
        needs: package
        runs-on: ubuntu-latest
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with: {{name: Packages, path: dist}}
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              attestations: true
    """
    results = checks(project(make_repo, {"package.yml": text}))
    assert results["workflow"].status is Status.PASS, results["workflow"].findings
    assert results["publisher"].status is Status.PASS, results["publisher"].findings
    assert "PyPI environment 'release'" in identity(results["publisher"])
    assert "TestPyPI environment 'test-index'" in identity(results["publisher"])


def test_downloads_by_artifact_id_are_named_downloads(make_repo: RepoFactory) -> None:
    text = """
    name: Publish
    on:
      push:
        tags: ['*']
    permissions: {}
    jobs:
      build:
        runs-on: ubuntu-latest
        outputs:
          artifact-id: ${{ steps.upload.outputs.artifact-id }}
        steps:
          - uses: actions/checkout@v4
            with:
              persist-credentials: false
          - run: uv build
          - uses: actions/upload-artifact@v4
            id: upload
            with:
              name: dist
              path: dist/
      release-notes:
        needs: [build]
        runs-on: ubuntu-latest
        permissions:
          contents: write
        steps:
          - uses: actions/download-artifact@v4
            with:
              artifact-ids: ${{ needs.build.outputs.artifact-id }}
              path: dist/
          - run: gh release create --draft "$GITHUB_REF_NAME" dist/*
      publish:
        needs: [build]
        environment:
          name: publish
        runs-on: ubuntu-latest
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with:
              artifact-ids: ${{ needs.build.outputs.artifact-id }}
              path: dist/
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              packages-dir: "dist/"
    """
    workflow = checks(project(make_repo, {"publish.yaml": text}))["workflow"]
    assert workflow.status is Status.WARN, workflow.findings
    assert code_set(workflow, Severity.WARNING) == {"RA613"}


def test_pdm_publish_in_the_build_job(make_repo: RepoFactory) -> None:
    text = """
    name: Release
    on:
      push:
        tags: ["*"]
    jobs:
      release:
        runs-on: ubuntu-latest
        permissions:
          id-token: write
          contents: write
        steps:
          - uses: actions/checkout@v4
            with:
              persist-credentials: false
          - run: pipx run build
          - run: pdm publish --no-build
    """
    workflow = checks(project(make_repo, {"release.yml": text}))["workflow"]
    assert workflow.status is Status.WARN, workflow.findings
    assert code_set(workflow, Severity.WARNING) == {"RA611", "RA613", "RA623"}


def test_gate_job_validates_and_uploads_read_their_own_directories(
    make_repo: RepoFactory,
) -> None:
    text = """
    name: CI
    on:
      push:
        branches: [main]
        tags: ['**']
      pull_request: {}
    jobs:
      test:
        runs-on: ubuntu-latest
        steps:
          - run: make test
      check:
        if: always()
        needs: [test]
        runs-on: ubuntu-latest
        steps:
          - uses: re-actors/alls-green@05ac9388f0aebcb5727afa17fcccfecd6f8ec5fe
            with:
              jobs: ${{ toJSON(needs) }}
      build-core:
        if: startsWith(github.ref, 'refs/tags/') || github.ref == 'refs/heads/main'
        strategy:
          matrix:
            os: [linux, macos, windows]
        runs-on: ubuntu-latest
        steps:
          - uses: PyO3/maturin-action@0123456789abcdef0123456789abcdef01234567
            with:
              args: --release --out dist
          - uses: actions/upload-artifact@v4
            with:
              name: core_files_${{ matrix.os }}
              path: core/dist
      build-lib:
        if: startsWith(github.ref, 'refs/tags/')
        runs-on: ubuntu-latest
        steps:
          - run: python -m build
          - uses: actions/upload-artifact@v4
            with:
              name: lib_files
              path: dist
      release-core:
        needs: [build-core, check]
        if: needs.check.outputs.result == 'success' && startsWith(github.ref, 'refs/tags/')
        runs-on: ubuntu-latest
        environment: release
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with:
              pattern: core_files_*
              merge-multiple: true
              path: core-dist
          - run: twine check --strict core-dist/*
          - run: uv publish --trusted-publishing always core-dist/*
      release-lib:
        needs: [build-lib, release-core]
        if: startsWith(github.ref, 'refs/tags/')
        runs-on: ubuntu-latest
        environment: release
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with:
              name: lib_files
              path: lib-dist
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              packages-dir: lib-dist/
    """
    results = checks(project(make_repo, {"ci.yml": text}))
    assert results["workflow"].status is Status.PASS, results["workflow"].findings
    assert "'ci.yml'" in identity(results["publisher"])


def test_push_to_main_with_skip_existing_is_release_on_merge(make_repo: RepoFactory) -> None:
    text = """
    name: Release
    on:
      push:
        branches:
          - main
    jobs:
      build-and-publish:
        runs-on: ubuntu-latest
        permissions:
          id-token: write
        steps:
          - uses: actions/checkout@v4
          - run: python -m pip install -U build
          - run: python -m build .
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              skip-existing: true
    """
    workflow = checks(project(make_repo, {"release.yml": text}))["workflow"]
    assert workflow.status is Status.WARN, workflow.findings
    assert code_set(workflow) == {"RA604", "RA611", "RA613", "RA623", "RA630"}


def test_manual_dispatch_release_with_attesting_build_job(make_repo: RepoFactory) -> None:
    text = """
    name: deploy
    on:
      workflow_dispatch:
        inputs:
          version:
            required: true
    permissions: {}
    jobs:
      package:
        runs-on: ubuntu-latest
        permissions:
          id-token: write
          attestations: write
        steps:
          - uses: actions/checkout@v4
            with:
              persist-credentials: false
          - uses: hynek/build-and-inspect-python-package@0123456789abcdef0123456789abcdef01234567
      publish-to-pypi:
        if: github.repository == 'octo-org/seed-package'
        needs: [package]
        runs-on: ubuntu-latest
        environment: deploy
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with:
              name: Packages
              path: dist
          - uses: pypa/gh-action-pypi-publish@release/v1
    """
    results = checks(project(make_repo, {"deploy.yml": text}))
    assert results["workflow"].status is Status.PASS, results["workflow"].findings


def test_twine_upload_with_the_oidc_token_and_sigstore_attestations(
    make_repo: RepoFactory,
) -> None:
    text = """
    name: Create release
    on:
      push:
        tags: ["v*.*.*"]
      workflow_dispatch:
    permissions:
      contents: read
    jobs:
      publish-pypi:
        runs-on: ubuntu-latest
        environment: release
        permissions:
          attestations: write
          id-token: write
        steps:
          - uses: actions/checkout@v4
            with:
              persist-credentials: false
          - run: python -m build
          - run: twine check dist/*
          - uses: actions/attest@v1
            with:
              subject-path: "dist/*"
          - name: Upload
            env:
              TWINE_NON_INTERACTIVE: "true"
            run: twine upload dist/* --attestations
    """
    workflow = checks(project(make_repo, {"create-release.yml": text}))["workflow"]
    assert workflow.status is Status.WARN, workflow.findings
    assert code_set(workflow, Severity.WARNING) == {"RA611"}


def test_wheels_built_in_a_local_reusable_workflow_into_wheelhouse(make_repo: RepoFactory) -> None:
    ci = """
    name: CI
    on:
      push:
        branches: [main]
        tags: ['v*']
      pull_request:
      schedule:
        - cron: '0 6 * * *'
    permissions: {}
    jobs:
      setup:
        runs-on: ubuntu-latest
        outputs:
          release: ${{ github.event_name == 'push' && github.ref_type == 'tag' }}
        steps:
          - run: echo ok
      sdist:
        runs-on: ubuntu-latest
        steps:
          - run: python -m build
          - uses: actions/upload-artifact@v4
            with:
              name: dist-pure
              path: dist
      test:
        needs: sdist
        runs-on: ubuntu-latest
        steps:
          - run: pytest
      gate:
        needs: [setup, test]
        if: fromJSON(needs.setup.outputs.release)
        runs-on: ubuntu-latest
        steps:
          - run: echo releasing
      wheels:
        needs: [sdist, gate]
        uses: ./.github/workflows/wheels.yml
        with:
          artifact: dist-pure
      deploy:
        needs: [wheels, setup]
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          contents: write
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with:
              path: dist
              pattern: dist-*
              merge-multiple: true
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              skip-existing: true
    """
    wheels = """
    name: Reusable wheel build
    on:
      workflow_call:
        inputs:
          artifact:
            type: string
    jobs:
      build-wheel:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/download-artifact@v4
            with:
              name: ${{ inputs.artifact }}
              path: dist/
          - uses: pypa/cibuildwheel@0123456789abcdef0123456789abcdef01234567
            with:
              package-dir: dist/pkg.tar.gz
          - uses: actions/upload-artifact@v4
            with:
              name: dist-${{ inputs.artifact }}-wheels
              path: ./wheelhouse/*.whl
    """
    results = checks(project(make_repo, {"ci-cd.yml": ci, "wheels.yml": wheels}))
    assert results["workflow"].status is Status.PASS, results["workflow"].findings
    assert "'ci-cd.yml'" in identity(results["publisher"])


def test_packages_dir_wheelhouse_matches_the_download(make_repo: RepoFactory) -> None:
    text = """
    on:
      release:
        types: [published]
    jobs:
      wheels:
        runs-on: ubuntu-latest
        steps:
          - run: pytest
          - run: cibuildwheel --output-dir wheelhouse
          - uses: actions/upload-artifact@v4
            with: {name: wheels, path: wheelhouse/}
      publish:
        needs: wheels
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with: {name: wheels, path: wheelhouse}
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              packages-dir: wheelhouse/
    """
    assert checks(project(make_repo, {"release.yml": text}))["workflow"].status is Status.PASS


def test_listing_build_identifiers_is_not_a_build(make_repo: RepoFactory) -> None:
    text = """
    on:
      release:
        types: [published]
    jobs:
      matrix:
        runs-on: ubuntu-latest
        steps:
          - run: cibuildwheel --print-build-identifiers > ids.txt
      build:
        runs-on: ubuntu-latest
        steps:
          - run: tox -e py
          - run: python -m build
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
    assert checks(project(make_repo, {"release.yml": text}))["workflow"].status is Status.PASS


def test_release_on_merge_of_a_pull_request(make_repo: RepoFactory) -> None:
    text = """
    on:
      pull_request:
        types: [closed]
        branches: [main]
    jobs:
      build:
        if: github.event.pull_request.merged == true
        runs-on: ubuntu-latest
        steps:
          - run: pytest && python -m build
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
    assert checks(project(make_repo, {"release.yml": text}))["workflow"].status is Status.PASS
    unguarded = text.replace("        if: github.event.pull_request.merged == true\n", "")
    workflow = checks(project(make_repo, {"release.yml": unguarded}))["workflow"]
    assert code_set(workflow, Severity.ERROR) == {"RA607"}
    assert "closed unmerged" in finding(workflow, "RA607").message


def test_testpypi_on_every_push_is_a_development_channel(make_repo: RepoFactory) -> None:
    text = f"""
    on:
      push:
        branches: [main]
        tags: ['*']
      pull_request:
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - run: python -m build && twine check dist/*
          - uses: actions/upload-artifact@v4
            with: {{name: dist, path: dist/}}
      test-upload:
        needs: build
        if: github.event_name == 'push'
        runs-on: ubuntu-latest
        environment: testpypi
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with: {{name: dist, path: dist/}}
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}
      upload:
        needs: build
        if: github.ref_type == 'tag'
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with: {{name: dist, path: dist/}}
          - uses: pypa/gh-action-pypi-publish@release/v1
    """
    assert checks(project(make_repo, {"publish.yml": text}))["workflow"].status is Status.PASS


# -- still failing: what breaks or endangers the next release ------------------------------------


def test_pull_request_runs_the_pypi_upload(make_repo: RepoFactory) -> None:
    text = """
    on:
      pull_request:
      release:
        types: [published]
    jobs:
      publish:
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - run: pytest && python -m build
          - uses: pypa/gh-action-pypi-publish@release/v1
    """
    workflow = checks(project(make_repo, {"release.yml": text}))["workflow"]
    assert code_set(workflow, Severity.ERROR) == {"RA607"}
    assert "nobody has merged" in finding(workflow, "RA607").message


def test_dangerous_trigger_on_a_uv_publishing_workflow(make_repo: RepoFactory) -> None:
    text = """
    on:
      issue_comment:
      release:
        types: [published]
    jobs:
      publish:
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - run: pytest && uv build
          - run: uv publish
    """
    workflow = checks(project(make_repo, {"release.yml": text}))["workflow"]
    assert code_set(workflow, Severity.ERROR) == {"RA606"}
    guarded = text.replace(
        "      publish:\n", "      publish:\n        if: github.event_name == 'release'\n"
    )
    workflow = checks(project(make_repo, {"release.yml": guarded}))["workflow"]
    assert workflow.status is Status.WARN, workflow.findings


def test_poetry_publish_without_a_token_cannot_upload(make_repo: RepoFactory) -> None:
    text = """
    on:
      release:
        types: [published]
    jobs:
      publish:
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - run: pytest && poetry build
          - run: poetry publish
    """
    workflow = checks(project(make_repo, {"release.yml": text}))["workflow"]
    assert code_set(workflow, Severity.ERROR) == {"RA638"}
    minted = text.replace(
        "          - run: poetry publish\n",
        "          - id: mint\n            uses: octo-org/mint-index-token@v1\n"
        "          - run: poetry publish -u __token__ -p ${{ steps.mint.outputs.token }}\n",
    )
    workflow = checks(project(make_repo, {"release.yml": minted}))["workflow"]
    assert not code_set(workflow, Severity.ERROR), workflow.findings
    configured = text.replace(
        "          - run: poetry publish\n",
        "          - run: poetry config pypi-token.pypi ${{ secrets.INDEX_TOKEN }}\n"
        "          - run: poetry publish\n",
    )
    workflow = checks(project(make_repo, {"release.yml": configured}))["workflow"]
    assert code_set(workflow, Severity.ERROR) == {"RA626"}, workflow.findings


def test_job_ids_differing_only_in_case_and_merge_keys(make_repo: RepoFactory) -> None:
    text = """
    on:
      release:
        types: [published]
    x-defaults: &defaults
      runs-on: ubuntu-latest
    jobs:
      build:
        <<: *defaults
        steps:
          - run: pytest && python -m build
          - uses: actions/upload-artifact@v4
            with: {name: dist, path: dist/}
      Build:
        runs-on: ubuntu-latest
        steps:
          - run: echo
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
    workflow = checks(project(make_repo, {"release.yml": text}))["workflow"]
    assert finding(workflow, "RA636").line == 8
    assert finding(workflow, "RA635").line == 13
    assert code_set(workflow, Severity.ERROR) >= {"RA635", "RA636"}


def test_self_repository_reusable_workflow_publishing_warns(make_repo: RepoFactory) -> None:
    caller = """
    on:
      release:
        types: [published]
    jobs:
      test:
        runs-on: ubuntu-latest
        steps:
          - run: pytest
      release:
        needs: test
        permissions:
          id-token: write
        uses: $/.github/workflows/upload.yml
    """
    callee = """
    on:
      workflow_call:
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - run: python -m build
          - uses: actions/upload-artifact@v4
            with: {name: dist, path: dist/}
      pypi:
        needs: build
        runs-on: ubuntu-latest
        environment: pypi-release
        steps:
          - uses: actions/download-artifact@v4
            with: {name: dist, path: dist/}
          - uses: pypa/gh-action-pypi-publish@release/v1
    """
    results = checks(project(make_repo, {"release.yml": caller, "upload.yml": callee}))
    workflow = results["workflow"]
    assert workflow.status is Status.WARN, workflow.findings
    reusable = finding(workflow, "RA608")
    assert reusable.path == f"{WF}/release.yml" and reusable.line == 13
    # PyPI sees the caller's file, and the environment of the job that uploads.
    assert "workflow 'release.yml'" in identity(results["publisher"])
    assert "PyPI environment 'pypi-release'" in identity(results["publisher"])


def test_publishing_from_a_composite_action_of_the_repository(make_repo: RepoFactory) -> None:
    workflow_text = """
    on:
      release:
        types: [published]
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
            with:
              persist-credentials: false
          - uses: ./.github/actions/build
      publish:
        needs: build
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - uses: actions/checkout@v4
            with:
              persist-credentials: false
          - uses: ./.github/actions/upload
            with:
              index-token: ${{ secrets.UPLOAD_KEY }}
    """
    build = """
    name: build
    runs:
      using: composite
      steps:
        - run: tox -e py && python -m build
          shell: bash
        - uses: actions/upload-artifact@v4
          with: {name: dist, path: dist/}
    """
    upload = """
    name: upload
    inputs:
      index-token:
        default: ''
    runs:
      using: composite
      steps:
        - uses: actions/download-artifact@v4
          with: {name: dist, path: dist/}
        - uses: pypa/gh-action-pypi-publish@release/v1
          with:
            password: ${{ inputs.index-token }}
    """
    root = project(
        make_repo,
        {"release.yml": workflow_text},
        **{".github__actions__build__action.yml": build},
        **{".github__actions__upload__action.yml": upload},
    )
    workflow = checks(root)["workflow"]
    token = finding(workflow, "RA626")
    assert token.line == 22 and ".github/actions/upload/action.yml" in token.message
    # Without the token the same pipeline publishes with trusted publishing.
    trusted = workflow_text.replace(
        "            with:\n              index-token: ${{ secrets.UPLOAD_KEY }}\n", ""
    )
    root = project(
        make_repo,
        {"release.yml": trusted},
        **{".github__actions__build__action.yml": build},
        **{".github__actions__upload__action.yml": upload},
    )
    assert checks(root)["workflow"].status is Status.PASS, checks(root)["workflow"].findings


def test_uploading_only_to_testpypi_is_no_release(make_repo: RepoFactory) -> None:
    text = f"""
    on:
      push:
        branches: [main]
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - run: pytest && python -m build
          - uses: actions/upload-artifact@v4
            with: {{name: dist, path: dist/}}
      dev:
        needs: build
        runs-on: ubuntu-latest
        environment: testpypi
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with: {{name: dist, path: dist/}}
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}
    """
    results = checks(project(make_repo, {"dev.yml": text}))
    assert code_set(results["workflow"], Severity.ERROR) == {"RA601"}
    assert "only to TestPyPI" in finding(results["workflow"], "RA601").message
    assert "TestPyPI environment 'testpypi'" in identity(results["publisher"])


def test_called_workflow_gets_id_token_from_the_calling_workflow(make_repo: RepoFactory) -> None:
    caller = """
    on:
      release:
        types: [published]
    permissions:
      id-token: write
    jobs:
      publish:
        uses: ./.github/workflows/upload.yml
    """
    callee = """
    on: workflow_call
    jobs:
      upload:
        runs-on: ubuntu-latest
        environment: pypi
        steps:
          - run: pytest && uv build
          - run: uv publish
    """
    workflow = checks(project(make_repo, {"release.yml": caller, "upload.yml": callee}))["workflow"]
    assert not code_set(workflow, Severity.ERROR), workflow.findings
    assert {"RA608", "RA621"} <= code_set(workflow, Severity.WARNING)


def test_unnamed_download_lands_in_the_artifacts_directory(make_repo: RepoFactory) -> None:
    # download-artifact without `name:` puts each artifact in a directory named after it;
    # an upload without `name:` is called "artifact".
    text = """
    on:
      push:
        tags: ['*']
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - run: uv build && twine check dist/*
          - uses: actions/upload-artifact@v4
            with:
              path: ./dist
      publish-pypi:
        needs: [build]
        environment: publish
        runs-on: ubuntu-latest
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              packages-dir: artifact/
    """
    assert checks(project(make_repo, {"publish.yaml": text}))["workflow"].status is Status.PASS
    wrong = text.replace("packages-dir: artifact/", "packages-dir: dist/")
    workflow = checks(project(make_repo, {"publish.yaml": wrong}))["workflow"]
    assert code_set(workflow, Severity.ERROR) == {"RA616"}
    assert "artifact/" in finding(workflow, "RA616").message


def test_a_dry_run_is_not_an_upload(make_repo: RepoFactory) -> None:
    text = """
    on:
      push:
        tags: ['v*']
      pull_request:
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - run: pytest && uvx maturin sdist -o dist
          - uses: actions/upload-artifact@v4
            with: {name: wheels-sdist, path: dist/*.tar.gz}
      release:
        needs: [build]
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with:
              pattern: wheels-*
              merge-multiple: true
          - name: Rehearse
            if: ${{ !startsWith(github.ref, 'refs/tags/') }}
            run: uv publish --dry-run '*'
          - name: Publish
            if: startsWith(github.ref, 'refs/tags/')
            run: uv publish '*'
    """
    assert checks(project(make_repo, {"release.yml": text}))["workflow"].status is Status.PASS


def test_called_workflow_downloads_what_the_caller_built(make_repo: RepoFactory) -> None:
    caller = """
    on:
      push:
        tags: ['*']
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - run: tox && python -m build
          - uses: actions/upload-artifact@v4
            with: {name: wheels_lib-any, path: dist/}
      publish:
        needs: build
        uses: ./.github/workflows/publish.yml
    """
    callee = """
    on:
      workflow_call:
    jobs:
      upload:
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with:
              pattern: wheels_lib-*
              path: dist
              merge-multiple: true
          - run: uv publish
    """
    workflow = checks(project(make_repo, {"release.yml": caller, "publish.yml": callee}))[
        "workflow"
    ]
    assert not code_set(workflow, Severity.ERROR), workflow.findings


def test_token_given_to_a_task_runner_is_token_publishing(make_repo: RepoFactory) -> None:
    text = """
    name: tests
    on:
      push:
        tags: ['**']
      pull_request:
    jobs:
      check:
        runs-on: ubuntu-latest
        steps:
          - run: tox
      release:
        needs: [check]
        if: github.event_name == 'push' && github.ref_type == 'tag'
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - run: python -m pip install tox
          - name: Release
            run: tox -e release
            env:
              TWINE_PASSWORD: ${{ secrets.INDEX_TOKEN }}
    """
    workflow = checks(project(make_repo, {"main.yml": text}))["workflow"]
    assert code_set(workflow, Severity.ERROR) == {"RA626"}
    token = finding(workflow, "RA626")
    assert token.line == 21 and "`tox -e release`" in token.message


def test_a_release_tool_action_that_publishes(make_repo: RepoFactory) -> None:
    text = """
    name: Publish Release
    on:
      workflow_dispatch:
        inputs:
          release_url:
            required: false
    jobs:
      publish_release:
        runs-on: ubuntu-latest
        environment: release
        permissions:
          id-token: write
        steps:
          - uses: actions/create-github-app-token@v2
            id: app-token
            with:
              app-id: ${{ vars.APP_ID }}
              private-key: ${{ secrets.APP_PRIVATE_KEY }}
          - name: Finalize Release
            uses: octo-org/kit/publish-release@0123456789abcdef0123456789abcdef01234567
            with:
              token: ${{ steps.app-token.outputs.token }}
    """
    results = checks(project(make_repo, {"publish-release.yml": text}))
    assert results["workflow"].status is Status.PASS, results["workflow"].findings
    assert "'publish-release.yml'" in identity(results["publisher"])


def test_one_job_uploading_to_testpypi_on_push_and_pypi_on_release(
    make_repo: RepoFactory,
) -> None:
    text = f"""
    name: upload
    on:
      release:
        types: [published]
      push:
        branches: [main]
    jobs:
      upload_release:
        name: Upload wheels to pypi
        runs-on: ubuntu-latest
        permissions:
          id-token: write
        steps:
          - run: uv run --with build -m build && twine check dist/*
          - name: Publish to Test PyPI
            if: github.event_name == 'push'
            uses: pypa/gh-action-pypi-publish@release/v1
            with:
              repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}
              skip-existing: true
          - name: Publish to PyPI
            if: github.event_name == 'release'
            uses: pypa/gh-action-pypi-publish@release/v1
    """
    workflow = checks(project(make_repo, {"upload.yml": text}))["workflow"]
    assert workflow.status is Status.WARN, workflow.findings
    assert code_set(workflow) == {"RA611", "RA623", "RA634"}


def test_id_token_for_another_registry_is_used_not_excess(make_repo: RepoFactory) -> None:
    text = """
    on:
      push:
        tags: ['v*']
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - run: cargo test && uvx maturin sdist -o dist
          - uses: actions/upload-artifact@v4
            with: {name: dist, path: dist/}
      pypi:
        needs: build
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with: {name: dist, path: dist/}
          - run: uv publish
      crates:
        runs-on: ubuntu-latest
        permissions:
          id-token: write
        steps:
          - uses: octo-org/crates-auth-action@0123456789abcdef0123456789abcdef01234567
            id: auth
          - run: cargo publish
            env:
              CARGO_REGISTRY_TOKEN: ${{ steps.auth.outputs.token }}
    """
    workflow = checks(project(make_repo, {"release.yml": text}))["workflow"]
    assert workflow.status is Status.PASS, workflow.findings


def test_a_composite_action_that_cannot_be_read_is_an_error_not_a_blind_spot(
    make_repo: RepoFactory,
) -> None:
    """An upload inside an action file we cannot read would go unchecked: U+2028 (which a
    YAML 1.1 reader takes as a line break, GitHub's 1.2 reader as a character) makes it
    unreadable here, so the step that runs it is an error naming the file."""
    workflow_text = """
    on:
      release:
        types: [published]
    jobs:
      publish:
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - uses: actions/checkout@v4
            with:
              persist-credentials: false
          - uses: ./.github/actions/upload
    """
    upload = (
        "name: upload\n"
        "runs:\n"
        "  using: composite\n"
        "  steps:\n"
        '    # note\u2028    - run: twine upload -p "$TOKEN" dist/*\n'
        "    - run: echo built\n"
        "      shell: bash\n"
    )
    root = project(
        make_repo,
        {"release.yml": workflow_text},
        **{".github__actions__upload__action.yml": upload},
    )
    workflow = checks(root)["workflow"]
    unreadable = finding(workflow, "RA602")
    assert ".github/actions/upload/action.yml" in unreadable.message
    assert unreadable.line == 14 and workflow.status is Status.FAIL
