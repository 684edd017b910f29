"""The ``workflow`` check: the trusted-publishing model, one fixture per finding with its line."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from release_assistant.core.checks import workflow as workflow_check
from release_assistant.core.context import RepoContext
from release_assistant.core.engine import run_checks, select_checks
from release_assistant.core.findings import CheckResult, Finding, Severity, Status
from release_assistant.core.urls import (
    PYPI_LEGACY_UPLOAD_URL,
    TESTPYPI_LEGACY_UPLOAD_URL,
    project_url,
)
from release_assistant.core.workflows.workflow import parse_workflow
from tests.conftest import REPO_ROOT, SEED_PYPROJECT, RepoFactory

RELEASE = ".github/workflows/release.yml"

#: The seed's shape: verify -> build -> publish-pypi / publish-testpypi, with environments.
GOOD = f"""
name: Release
on:
  release:
    types: [published]
permissions:
  contents: read
jobs:
  verify:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Tests
        run: |
          python -m pip install -e . pytest
          python -m pytest -q
  build:
    needs: verify
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - name: Build
        run: python -m build
      - name: Upload
        uses: actions/upload-artifact@v4
        with:
          name: python-package-distributions
          path: dist/
  publish-pypi:
    needs: [build]
    runs-on: ubuntu-latest
    environment:
      name: pypi
      url: {project_url("seed-package")}
    permissions:
      id-token: write
    steps:
      - name: Download
        uses: actions/download-artifact@v4
        with:
          name: python-package-distributions
          path: dist/
      - name: Publish to PyPI
        uses: pypa/gh-action-pypi-publish@release/v1
  publish-testpypi:
    needs: [build]
    runs-on: ubuntu-latest
    environment:
      name: testpypi
      url: {project_url("seed-package", test_index=True)}
    permissions:
      id-token: write
    steps:
      - name: Download
        uses: actions/download-artifact@v4
        with:
          name: python-package-distributions
          path: dist/
      - name: Publish to TestPyPI
        uses: pypa/gh-action-pypi-publish@release/v1
        with:
          repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}
"""


def mutate(text: str, old: str, new: str, count: int = 1) -> str:
    """Replace ``old`` (which must occur exactly ``count`` times) with ``new``."""
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the ``nth`` occurrence of ``needle`` in the file as written."""
    body = textwrap.dedent(text).lstrip("\n")
    position = -1
    for _ in range(nth):
        position = body.index(needle, position + 1)
    return body[:position].count("\n") + 1


def check_repo(root: Path) -> CheckResult:
    return workflow_check.run(RepoContext.load(root))


def check(
    make_repo: RepoFactory,
    text: str,
    *,
    extra: dict[str, str | bytes] | None = None,
    config: str = "",
) -> CheckResult:
    files: dict[str, str | bytes] = {"pyproject.toml": SEED_PYPROJECT + config, RELEASE: text}
    files.update(extra or {})
    return check_repo(make_repo(files))


def only(result: CheckResult, code: str) -> list[Finding]:
    return [finding for finding in result.findings if finding.code == code]


def codes(result: CheckResult) -> list[str]:
    return sorted({finding.code for finding in result.findings})


def expect(
    result: CheckResult, code: str, line: int, *, severity: Severity = Severity.ERROR
) -> Finding:
    """Exactly the finding ``code`` at ``line`` (and no other error codes)."""
    found = only(result, code)
    assert found, f"{code} not reported: {result.findings}"
    assert [f.line for f in found] == [line], found
    assert all(f.severity is severity for f in found)
    assert all(f.hint for f in found)
    assert all(f.path == RELEASE for f in found)
    others = {f.code for f in result.findings if f.code != code and f.severity is Severity.ERROR}
    assert not others, result.findings
    return found[0]


# -- the model passes ---------------------------------------------------------------------------


def test_seed_shape_passes_clean(make_repo: RepoFactory) -> None:
    result = check(make_repo, GOOD)
    assert result.status is Status.PASS, result.findings
    assert result.findings == ()


def test_chained_testpypi_first_shape_passes(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "  publish-pypi:\n    needs: [build]",
        "  publish-pypi:\n    needs: [build, publish-testpypi]",
    )
    assert check(make_repo, text).status is Status.PASS


def test_crlf_and_bom_workflow_passes(make_repo: RepoFactory) -> None:
    body = textwrap.dedent(GOOD).lstrip("\n").replace("\n", "\r\n")
    result = check(make_repo, "", extra={RELEASE: b"\xef\xbb\xbf" + body.encode()})
    assert result.status is Status.PASS, result.findings


def test_tag_push_trigger_passes(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "  release:\n    types: [published]", "  push:\n    tags: ['v*']")
    assert check(make_repo, text).status is Status.PASS


def test_build_and_inspect_action_passes(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        """      - name: Build
        run: python -m build
      - name: Upload
        uses: actions/upload-artifact@v4
        with:
          name: python-package-distributions
          path: dist/
""",
        "      - uses: hynek/build-and-inspect-python-package@" + "a" * 40 + "\n",
    )
    text = mutate(text, "name: python-package-distributions", "name: Packages", count=2)
    result = check(make_repo, text)
    assert result.status is Status.PASS, result.findings


def test_workflow_dispatch_alongside_release_passes(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "on:\n", "on:\n  workflow_dispatch:\n")
    assert check(make_repo, text).status is Status.PASS


def test_on_key_is_not_read_as_boolean() -> None:
    workflow = parse_workflow("on: push\njobs: {}\n", Path("x.yml"), "x.yml")
    assert list(workflow.triggers) == ["push"]
    assert True not in workflow.data
    yes = parse_workflow("on:\n  push:\nfoo: yes\njobs: {}\n", Path("x.yml"), "x.yml")
    assert yes.data["foo"] == "yes"
    assert "on" in yes.data


# -- RA601 / RA602: missing and malformed files --------------------------------------------------


def test_missing_workflow_is_one_finding(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT})
    result = check_repo(root)
    assert result.status is Status.FAIL
    assert codes(result) == ["RA601"]
    assert "workflow init" in (result.findings[0].hint or "")


def test_unconfigured_and_one_other_workflow_publishes_is_analysed(
    make_repo: RepoFactory,
) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT, ".github/workflows/publish.yaml": GOOD})
    result = check_repo(root)
    assert result.status is Status.PASS, result.findings
    (finding,) = result.findings
    assert (finding.code, finding.severity) == ("RA634", Severity.INFO)
    assert finding.message.startswith("analysed .github/workflows/publish.yaml")


def test_configured_workflow_missing_is_an_error_even_if_another_publishes(
    make_repo: RepoFactory,
) -> None:
    root = make_repo(
        {
            "pyproject.toml": SEED_PYPROJECT
            + '\n[tool.release-assistant]\nworkflow = ".github/workflows/release.yml"\n',
            ".github/workflows/publish.yaml": GOOD,
        }
    )
    result = check_repo(root)
    assert result.status is Status.FAIL, result.findings
    (finding,) = only(result, "RA601")
    assert ".github/workflows/publish.yaml" in finding.message


def test_unconfigured_release_yml_that_does_not_publish_is_not_a_finding(
    make_repo: RepoFactory,
) -> None:
    ci = "on: push\njobs:\n  test:\n    runs-on: x\n    steps:\n      - run: pytest\n"
    result = check(make_repo, ci, extra={".github/workflows/publish.yml": GOOD})
    assert result.status is Status.PASS, result.findings
    (finding,) = result.findings
    assert finding.code == "RA634"
    assert "release.yml publishes nothing" in finding.message


def test_configured_workflow_that_does_not_publish_points_at_the_one_that_does(
    make_repo: RepoFactory,
) -> None:
    ci = "on: push\njobs:\n  test:\n    runs-on: x\n    steps:\n      - run: pytest\n"
    config = f'\n[tool.release-assistant]\nworkflow = "{RELEASE}"\n'
    result = check(make_repo, ci, extra={".github/workflows/publish.yml": GOOD}, config=config)
    assert result.status is Status.WARN, result.findings
    (finding,) = result.findings
    assert (finding.code, finding.line) == ("RA603", 2)
    assert '"' + ".github/workflows/publish.yml" + '"' in (finding.hint or "")


def test_other_publishing_workflow_is_checked(make_repo: RepoFactory) -> None:
    bad = mutate(GOOD, "      id-token: write\n", "      contents: read\n", count=2)
    result = check(make_repo, GOOD, extra={".github/workflows/nightly.yml": bad})
    found = only(result, "RA620")
    assert {f.path for f in found} == {".github/workflows/nightly.yml"}
    # A workflow that does not publish is ignored.
    ci = "on: push\njobs:\n  test:\n    runs-on: x\n    steps:\n      - run: pytest\n"
    assert check(make_repo, GOOD, extra={".github/workflows/ci.yml": ci}).status is Status.PASS


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("on:\n  release:\n    types: [published\njobs: {}\n", 4, "invalid YAML"),
        ("name: x\n  bad: indent\n", 2, "invalid YAML"),
        ("- just\n- a list\n", 1, "not a workflow"),
        ("on: push\njobs:\n  a: {runs-on: x}\njobs: {}\n", 4, "repeated"),
        ("key: [unclosed\n", 2, "invalid YAML"),
        ("a: !!python/object:os.system ls\n", 1, "invalid YAML"),
    ],
)
def test_malformed_yaml_is_one_finding_with_line(
    make_repo: RepoFactory, text: str, line: int, words: str
) -> None:
    result = check(make_repo, text)
    assert result.status is Status.FAIL
    finding = result.findings[0]
    assert finding.code == "RA602"
    assert finding.line == line, result.findings
    assert words in finding.message


def test_non_utf8_workflow_is_a_finding(make_repo: RepoFactory) -> None:
    result = check(make_repo, "", extra={RELEASE: b"on: push\njobs:\n  \xff: {}\n"})
    assert codes(result) == ["RA602"]
    assert result.findings[0].line == 3


def test_needs_unknown_job_and_uses_without_ref(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "    needs: verify\n", "    needs: verfy\n")
    result = check(make_repo, text)
    assert line_of(text, "needs: verfy") in [f.line for f in only(result, "RA602")]
    text = mutate(GOOD, "uses: actions/upload-artifact@v4", "uses: actions/upload-artifact")
    result = check(make_repo, text)
    assert [f.line for f in only(result, "RA602")] == [
        line_of(text, "uses: actions/upload-artifact")
    ]


# -- RA601: nothing publishes -------------------------------------------------------------------


def test_no_publish_step(make_repo: RepoFactory) -> None:
    text = """
    on:
      release:
        types: [published]
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - run: python -m build
    """
    expect(check(make_repo, text), "RA601", line_of(text, "jobs:"))


def test_twine_upload_without_id_token_cannot_publish(make_repo: RepoFactory) -> None:
    # `twine upload` publishes (trusted publishing since twine 6.1), but only with the token.
    text = """
    on:
      release:
        types: [published]
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - run: |
              python -m build
              twine upload dist/*
    """
    result = check(make_repo, text)
    finding = expect(result, "RA620", line_of(text, "  build:"))
    assert "`twine upload`" in finding.message
    assert only(result, "RA611")[0].severity is Severity.WARNING


# -- RA604 - RA608: triggers ----------------------------------------------------------------------


def test_workflow_dispatch_is_a_release_trigger(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "  release:\n    types: [published]\n", "  workflow_dispatch:\n")
    assert check(make_repo, text).status is Status.PASS


def test_publishing_on_branch_pushes_only_warns(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "  release:\n    types: [published]\n", "  push:\n    branches: [main]\n")
    result = check(make_repo, text)
    assert result.status is Status.WARN, result.findings
    expect(result, "RA604", line_of(text, "on:"), severity=Severity.WARNING)


def test_release_without_published_type(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "  release:\n    types: [published]\n", "  release:\n")
    expect(check(make_repo, text), "RA605", line_of(text, "release:"))
    text = mutate(GOOD, "types: [published]", "types: [edited]")
    expect(check(make_repo, text), "RA605", line_of(text, "release:"))


def test_release_with_extra_types_warns(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "types: [published]", "types: [published, released]")
    result = check(make_repo, text)
    assert result.status is Status.WARN
    expect(result, "RA633", line_of(text, "release:"), severity=Severity.WARNING)


def test_guard_on_the_published_action_keeps_other_release_types_out(
    make_repo: RepoFactory,
) -> None:
    text = mutate(GOOD, "  release:\n    types: [published]\n", "  release:\n")
    guard = "    if: github.event.action == 'published'\n"
    text = mutate(text, "  publish-pypi:\n", "  publish-pypi:\n" + guard)
    text = mutate(text, "  publish-testpypi:\n", "  publish-testpypi:\n" + guard)
    assert check(make_repo, text).status is Status.PASS


@pytest.mark.parametrize("event", ["pull_request_target", "workflow_run"])
def test_dangerous_triggers(make_repo: RepoFactory, event: str) -> None:
    text = mutate(GOOD, "on:\n", f"on:\n  {event}:\n")
    expect(check(make_repo, text), "RA606", line_of(text, f"{event}:"))


def test_branch_push_publishes_unguarded(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "on:\n", "on:\n  push:\n    branches: [main]\n")
    expect(check(make_repo, text), "RA607", line_of(text, "push:"))


def test_branch_push_with_tag_guard_passes(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "on:\n", "on:\n  push:\n    branches: [main]\n")
    guard = "    if: startsWith(github.ref, 'refs/tags/')\n"
    text = mutate(text, "  publish-pypi:\n", "  publish-pypi:\n" + guard)
    text = mutate(text, "  publish-testpypi:\n", "  publish-testpypi:\n" + guard)
    assert check(make_repo, text).status is Status.PASS


def test_on_list_form_with_push(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "on:\n  release:\n    types: [published]\n", "on: [push, release]\n")
    result = check(make_repo, text)
    assert set(codes(result)) == {"RA605", "RA607"}
    assert {f.line for f in result.findings} == {line_of(text, "on: [push")}


def test_reusable_workflow_call_trigger(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "on:\n", "on:\n  workflow_call:\n")
    finding = expect(
        check(make_repo, text), "RA608", line_of(text, "workflow_call:"), severity=Severity.WARNING
    )
    assert '"not supported"' in finding.message and '"subject to breakage"' in finding.message


def test_publish_job_calls_reusable_workflow(make_repo: RepoFactory) -> None:
    caller = """
    on:
      release:
        types: [published]
    jobs:
      verify:
        runs-on: ubuntu-latest
        steps:
          - run: pytest
      release:
        needs: [verify]
        uses: ./.github/workflows/publish-reusable.yml
    """
    reusable = mutate(GOOD, "on:\n  release:\n    types: [published]\n", "on:\n  workflow_call:\n")
    result = check(make_repo, caller, extra={".github/workflows/publish-reusable.yml": reusable})
    # One root cause, one finding: at the call, which is the file PyPI sees.
    (finding,) = only(result, "RA608")
    assert (finding.path, finding.line) == (RELEASE, line_of(caller, "uses: ./.github"))
    assert finding.severity is Severity.WARNING
    assert result.status is Status.WARN, result.findings


# -- RA610 - RA617: build and hand-over -----------------------------------------------------------


def test_no_build_job(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        """      - name: Build
        run: python -m build
      - name: Upload
        uses: actions/upload-artifact@v4
        with:
          name: python-package-distributions
          path: dist/
""",
        "      - run: echo nothing\n",
    )
    result = check(make_repo, text)
    finding = expect(result, "RA617", line_of(text, "name: python-package-distributions"))
    assert "upload nothing" in finding.message


def test_a_job_that_uploads_distributions_is_a_build_job(make_repo: RepoFactory) -> None:
    # Whatever builds them (here a nox session the check does not know as a build).
    text = mutate(GOOD, "        run: python -m build\n", "        run: nox -s release-build\n")
    assert check(make_repo, text).status is Status.PASS


def test_unrecognized_build_in_the_publish_job_warns(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        """      - name: Download
        uses: actions/download-artifact@v4
        with:
          name: python-package-distributions
          path: dist/
      - name: Publish to PyPI
""",
        "      - run: make dists\n      - name: Publish to PyPI\n",
    )
    result = check(make_repo, text)
    assert result.status is Status.WARN, result.findings
    expect(result, "RA610", line_of(text, "- name: Publish to PyPI"), severity=Severity.WARNING)


def test_publish_in_the_build_job(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "          path: dist/\n  publish-pypi:",
        "          path: dist/\n"
        "      - uses: pypa/gh-action-pypi-publish@release/v1\n"
        "  publish-pypi:",
    )
    result = check(make_repo, text)
    found = only(result, "RA611")
    assert [f.line for f in found] == [line_of(text, "uses: pypa/gh-action-pypi-publish")]
    assert "build" in found[0].message
    assert "builds (python -m build) and publishes" in found[0].message  # quoted as written


def test_build_in_a_matrix(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "  build:\n    needs: verify\n",
        "  build:\n    needs: verify\n    strategy:\n      matrix:\n        os: [a, b]\n",
    )
    expect(check(make_repo, text), "RA612", line_of(text, "matrix:"), severity=Severity.WARNING)


def test_matrix_with_per_run_artifact_names_passes(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "  build:\n    needs: verify\n",
        "  build:\n    needs: verify\n    strategy:\n      matrix:\n        os: [a, b]\n",
    )
    text = mutate(
        text,
        "          name: python-package-distributions\n          path: dist/\n  publish-pypi",
        "          name: dist-${{ matrix.os }}\n          path: dist/\n  publish-pypi",
    )
    assert check(make_repo, text).status is Status.PASS


def test_no_validation_before_build(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "    needs: verify\n", "")
    expect(check(make_repo, text), "RA613", line_of(text, "  build:"), severity=Severity.WARNING)


def test_validation_in_the_build_job_counts(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "    needs: verify\n", "")
    text = mutate(
        text,
        "        run: python -m build\n",
        "        run: python -m build\n      - run: twine check --strict dist/*\n",
    )
    assert check(make_repo, text).status is Status.PASS


def test_publish_job_without_needs(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "  publish-pypi:\n    needs: [build]\n", "  publish-pypi:\n")
    expect(check(make_repo, text), "RA614", line_of(text, "  publish-pypi:"))


def test_publish_job_needs_only_verify(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD, "  publish-pypi:\n    needs: [build]\n", "  publish-pypi:\n    needs: [verify]\n"
    )
    expect(check(make_repo, text), "RA614", line_of(text, "needs: [verify]"))


def test_build_does_not_upload(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        """      - name: Upload
        uses: actions/upload-artifact@v4
        with:
          name: python-package-distributions
          path: dist/
""",
        "",
    )
    expect(check(make_repo, text), "RA615", line_of(text, "- name: Build"))


def test_publish_does_not_download(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        """      - name: Download
        uses: actions/download-artifact@v4
        with:
          name: python-package-distributions
          path: dist/
      - name: Publish to PyPI
""",
        "      - name: Publish to PyPI\n",
    )
    expect(check(make_repo, text), "RA616", line_of(text, "- name: Publish to PyPI"))


def test_download_into_the_wrong_directory(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "          path: dist/\n      - name: Publish to PyPI",
        "          path: packages/\n      - name: Publish to PyPI",
    )
    expect(check(make_repo, text), "RA616", line_of(text, "path: packages/"))
    # Downloading without a path puts the files in the workspace root.
    text = mutate(
        GOOD,
        "          path: dist/\n      - name: Publish to PyPI",
        "      - name: Publish to PyPI",
    )
    expect(check(make_repo, text), "RA616", line_of(text, "- name: Download"))


def test_packages_dir_matches_the_download(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "          path: dist/\n      - name: Publish to PyPI\n"
        "        uses: pypa/gh-action-pypi-publish@release/v1\n",
        "          path: ./wheels/\n      - name: Publish to PyPI\n"
        "        uses: pypa/gh-action-pypi-publish@release/v1\n"
        "        with:\n          packages-dir: wheels/\n",
    )
    assert check(make_repo, text).status is Status.PASS


def test_artifact_names_differ(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "          name: python-package-distributions\n          path: dist/\n"
        "      - name: Publish to PyPI",
        "          name: dists\n          path: dist/\n      - name: Publish to PyPI",
    )
    finding = expect(check(make_repo, text), "RA617", line_of(text, "name: dists"))
    assert "python-package-distributions" in finding.message


def test_download_without_name(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "          name: python-package-distributions\n          path: dist/\n"
        "      - name: Publish to PyPI",
        "          path: dist/\n      - name: Publish to PyPI",
    )
    expect(check(make_repo, text), "RA617", line_of(text, "- name: Download"))
    merged = mutate(
        text,
        "          path: dist/\n      - name: Publish to PyPI",
        "          path: dist/\n          merge-multiple: true\n      - name: Publish to PyPI",
    )
    assert check(make_repo, merged).status is Status.PASS


# -- RA620 - RA623: permissions and environments -----------------------------------------------


def test_publish_job_without_id_token(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "      url: " + project_url("seed-package") + "\n    permissions:\n      id-token: write\n",
        "      url: " + project_url("seed-package") + "\n",
    )
    expect(check(make_repo, text), "RA620", line_of(text, "  publish-pypi:"))


def test_publish_job_permissions_without_id_token(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "    permissions:\n      id-token: write\n    steps:\n      - name: Download\n"
        "        uses: actions/download-artifact@v4\n        with:\n"
        "          name: python-package-distributions\n          path: dist/\n"
        "      - name: Publish to PyPI",
        "    permissions:\n      contents: read\n    steps:\n      - name: Download\n"
        "        uses: actions/download-artifact@v4\n        with:\n"
        "          name: python-package-distributions\n          path: dist/\n"
        "      - name: Publish to PyPI",
    )
    expect(check(make_repo, text), "RA620", line_of(text, "    permissions:\n      contents"))


def test_id_token_at_workflow_level(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "permissions:\n  contents: read\n", "permissions:\n  id-token: write\n")
    text = mutate(text, "    permissions:\n      id-token: write\n", "", count=2)
    expect(
        check(make_repo, text), "RA621", line_of(text, "id-token: write"), severity=Severity.WARNING
    )


def test_write_all_at_workflow_level(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "permissions:\n  contents: read\n", "permissions: write-all\n")
    expect(
        check(make_repo, text),
        "RA621",
        line_of(text, "permissions: write-all"),
        severity=Severity.WARNING,
    )


def test_id_token_on_a_job_that_does_not_publish(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "  build:\n    needs: verify\n",
        "  build:\n    needs: verify\n    permissions:\n      id-token: write\n",
    )
    result = check(make_repo, text)
    assert result.status is Status.WARN
    expect(result, "RA622", line_of(text, "id-token: write"), severity=Severity.WARNING)


def test_publish_job_without_environment(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "    environment:\n      name: pypi\n      url: " + project_url("seed-package") + "\n",
        "",
    )
    finding = expect(
        check(make_repo, text), "RA623", line_of(text, "  publish-pypi:"), severity=Severity.WARNING
    )
    assert "environment: pypi" in (finding.hint or "")


def test_environment_as_plain_name_passes(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "    environment:\n      name: pypi\n      url: " + project_url("seed-package") + "\n",
        "    environment: pypi\n",
    )
    assert check(make_repo, text).status is Status.PASS


# -- RA624 - RA626: index URLs and tokens ----------------------------------------------------------


def test_testpypi_publish_without_repository_url(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD, f"        with:\n          repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}\n", ""
    )
    finding = expect(check(make_repo, text), "RA624", line_of(text, "- name: Publish to TestPyPI"))
    assert TESTPYPI_LEGACY_UPLOAD_URL in (finding.hint or "")


def test_testpypi_publish_with_the_wrong_url(make_repo: RepoFactory) -> None:
    wrong = TESTPYPI_LEGACY_UPLOAD_URL.replace("/legacy/", "/simple/")
    text = mutate(GOOD, TESTPYPI_LEGACY_UPLOAD_URL, wrong)
    expect(check(make_repo, text), "RA624", line_of(text, "repository-url:"))


def test_testpypi_url_without_trailing_slash_passes(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, TESTPYPI_LEGACY_UPLOAD_URL, TESTPYPI_LEGACY_UPLOAD_URL.rstrip("/"))
    assert check(make_repo, text).status is Status.PASS


def test_pypi_publish_pointing_at_testpypi(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "      - name: Publish to PyPI\n        uses: pypa/gh-action-pypi-publish@release/v1\n",
        "      - name: Publish to PyPI\n        uses: pypa/gh-action-pypi-publish@release/v1\n"
        f"        with:\n          repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}\n",
    )
    expect(check(make_repo, text), "RA625", line_of(text, "repository-url:"))


def test_pypi_publish_with_explicit_production_url_passes(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "      - name: Publish to PyPI\n        uses: pypa/gh-action-pypi-publish@release/v1\n",
        "      - name: Publish to PyPI\n        uses: pypa/gh-action-pypi-publish@release/v1\n"
        f"        with:\n          repository-url: {PYPI_LEGACY_UPLOAD_URL}\n",
    )
    assert check(make_repo, text).status is Status.PASS


def test_password_input_is_token_publishing(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "      - name: Publish to PyPI\n        uses: pypa/gh-action-pypi-publish@release/v1\n",
        "      - name: Publish to PyPI\n        uses: pypa/gh-action-pypi-publish@release/v1\n"
        "        with:\n          password: ${{ secrets.PYPI_API_TOKEN }}\n",
    )
    finding = expect(check(make_repo, text), "RA626", line_of(text, "password:"))
    assert "password" in finding.message


def test_token_secret_in_a_build_step_warns(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "      - name: Build\n        run: python -m build\n",
        "      - name: Build\n        run: python -m build\n        env:\n"
        "          SOME_VAR: ${{ secrets.TEST_PYPI_TOKEN }}\n",
    )
    # Not passed to an upload: a warning that the token is exposed, not token publishing.
    expect(
        check(make_repo, text),
        "RA639",
        line_of(text, "secrets.TEST_PYPI_TOKEN"),
        severity=Severity.WARNING,
    )


def test_twine_password_env_is_token_publishing(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "  publish-pypi:\n    needs: [build]\n",
        "  publish-pypi:\n    needs: [build]\n    env:\n      TWINE_PASSWORD: abc\n",
    )
    expect(check(make_repo, text), "RA626", line_of(text, "TWINE_PASSWORD"))


def test_token_secret_inside_a_run_script_names_its_line(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "          python -m pytest -q\n",
        "          python -m pytest -q\n          echo ${{ secrets.PYPI_TOKEN }}\n",
    )
    expect(
        check(make_repo, text),
        "RA639",
        line_of(text, "secrets.PYPI_TOKEN"),
        severity=Severity.WARNING,
    )


# -- RA630 - RA632: credentials and pinning (warnings) -----------------------------------------


def test_checkout_persists_credentials_in_build_job(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "  build:\n    needs: verify\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n",
        "  build:\n    needs: verify\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n",
    )
    result = check(make_repo, text)
    assert result.status is Status.WARN
    line = line_of(text, "- uses: actions/checkout@v4", nth=2)
    expect(result, "RA630", line, severity=Severity.WARNING)


def test_persist_credentials_true_points_at_its_line(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "      - name: Build\n",
        "      - uses: actions/checkout@v4\n        with:\n          persist-credentials: true\n"
        "      - name: Build\n",
    )
    line = line_of(text, "persist-credentials: true")
    expect(check(make_repo, text), "RA630", line, severity=Severity.WARNING)


def test_unpinned_third_party_action_warns(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "      - name: Build\n",
        "      - uses: astral-sh/setup-uv@v6\n      - name: Build\n",
    )
    result = check(make_repo, text)
    assert result.status is Status.WARN
    finding = expect(
        result, "RA631", line_of(text, "astral-sh/setup-uv@v6"), severity=Severity.WARNING
    )
    assert "astral-sh/setup-uv@<40-hex commit SHA>" in (finding.hint or "")


def test_pinned_third_party_action_passes(make_repo: RepoFactory) -> None:
    sha = "0123456789abcdef0123456789abcdef01234567"
    text = mutate(
        GOOD,
        "      - name: Build\n",
        f"      - uses: astral-sh/setup-uv@{sha}  # v6\n      - name: Build\n",
    )
    assert check(make_repo, text).status is Status.PASS


def test_pinning_rules_are_configurable(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD, "      - name: Build\n", "      - uses: astral-sh/setup-uv@v6\n      - name: Build\n"
    )
    off = "\n[tool.release-assistant.workflow_rules]\nrequire_pinned_actions = false\n"
    assert check(make_repo, text, config=off).status is Status.PASS
    allowed = (
        "\n[tool.release-assistant.workflow_rules]\n"
        'unpinned_allowed_owners = ["astral-sh", "actions", "pypa"]\n'
    )
    assert check(make_repo, text, config=allowed).status is Status.PASS
    strict = "\n[tool.release-assistant.workflow_rules]\nunpinned_allowed_owners = []\n"
    result = check(make_repo, GOOD, config=strict)
    flagged = {f.line for f in only(result, "RA631")}
    assert line_of(GOOD, "uses: actions/checkout@v4") in flagged
    # In a job holding id-token: write the same cause is RA642 (once, not twice).
    publish = line_of(GOOD, "uses: pypa/gh-action-pypi-publish@release/v1")
    assert publish in {f.line for f in only(result, "RA642")}
    assert publish not in flagged


def test_publish_action_on_master_warns(make_repo: RepoFactory) -> None:
    text = mutate(
        GOOD,
        "      - name: Publish to PyPI\n        uses: pypa/gh-action-pypi-publish@release/v1\n",
        "      - name: Publish to PyPI\n        uses: pypa/gh-action-pypi-publish@master\n",
    )
    expect(
        check(make_repo, text),
        "RA632",
        line_of(text, "gh-action-pypi-publish@master"),
        severity=Severity.WARNING,
    )


# -- engine, imports, every code documented --------------------------------------------------------


def test_registered_in_the_engine(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT, RELEASE: GOOD})
    (result,) = run_checks(RepoContext.load(root), select_checks(["workflow"]))
    assert result.status is Status.PASS
    assert result.id == "workflow"


def test_every_code_has_one_registry_entry_of_this_check() -> None:
    import ast

    from release_assistant.core.rules import rule_for
    from release_assistant.core.rules import workflow as workflow_rules
    from release_assistant.core.workflows import analysis as workflow_analysis

    # The check is its entry point plus the analysis modules of core/workflows/analysis/;
    # the rules it emits are the constants they import from its rule module.
    modules = [Path(workflow_check.__file__), *Path(workflow_analysis.__file__).parent.glob("*.py")]
    names = {
        alias.name
        for path in sorted(modules)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module == workflow_rules.__name__
        for alias in node.names
    }
    used = {getattr(workflow_rules, name).code for name in names}
    assert len(used) > 25
    for code in used:
        rule = rule_for(code)
        assert rule is not None and rule.check == "workflow", code
        assert not rule.contextual, f"{code}: one severity per code, decided in the registry"


def test_check_imports_no_heavy_modules(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT, RELEASE: GOOD})
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from release_assistant.core.context import RepoContext\n"
        "from release_assistant.core.checks import workflow\n"
        f"result = workflow.run(RepoContext.load(Path({str(root)!r})))\n"
        "assert result.status.value == 'pass', result\n"
        "heavy = {'pydantic', 'textual', 'git', 'rich'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT, check=False
    )
    assert completed.returncode == 0, completed.stderr


def test_project_own_release_workflow_passes() -> None:
    result = check_repo(REPO_ROOT)
    assert result.status is Status.PASS, result.findings


def test_alias_bomb_and_recursive_aliases_stay_fast(make_repo: RepoFactory) -> None:
    levels = "".join(
        f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]\n" for i in range(1, 9)
    )
    text = "on: push\nenv:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n" + levels
    text += "  loop: &loop [*loop]\njobs: {}\n"
    started = time.perf_counter()
    result = check(make_repo, text)
    assert time.perf_counter() - started < 5
    assert codes(result) == ["RA601"]
