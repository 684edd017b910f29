"""Before the tag, the index is asked whether it already has the version (issue 22, item 5).

The core question (:func:`version_on_index`) against a loopback server answering as the
index's JSON API does, and the ``publisher`` check that asks it when a version is under
release: a version the index has is an error naming the version and the index (and the
publish step's ``skip-existing: true`` when there is one), a project the index does not know
is a new project pointing at ``setup``, an index that does not answer is an info finding
with the reason within the 3 s budget, and nothing is asked between releases or by a hook.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.version import Version

from release_assistant.cli import main
from release_assistant.core.checks import publisher as publisher_check
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Finding, Severity, Status
from release_assistant.core.publisher.taken import PROJECT_PAGE_LIMIT, version_on_index
from release_assistant.core.urls import INDEX_API_URL_VARIABLE
from tests.conftest import git
from tests.github_support import (
    Answer,
    FakeGitHub,
    github_repo,
    release_files,
    serve_github,
    silent_server,
)

RELEASE_PAGE = "/pypi/seed-package/0.1.1/json"
PROJECT_PAGE = "/pypi/seed-package/json"
FILES = ["seed_package-0.1.1.tar.gz", "seed_package-0.1.1-py3-none-any.whl"]


def project_page(versions: list[str], padding: int = 0) -> dict[str, object]:
    """The index's ``/pypi/{project}/json``: ``info`` and ``releases`` keyed by version."""
    page: dict[str, object] = {
        "info": {"name": "seed-package", "version": versions[-1] if versions else ""},
        "releases": {version: [] for version in versions},
    }
    if padding:
        page["padding"] = "x" * padding
    return page


@pytest.fixture
def index() -> Iterator[FakeGitHub]:
    with serve_github() as fake:
        yield fake


def refused_url() -> str:
    """The URL of a loopback port nothing listens on (bound, then closed)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}"


# --- the core question -----------------------------------------------------------------------


def test_a_version_the_index_has_is_taken(index: FakeGitHub) -> None:
    index.route("GET", RELEASE_PAGE, Answer(release_files("seed-package", "0.1.1", FILES)))
    verdict = version_on_index(index.url, "seed-package", Version("0.1.1"))
    assert verdict.state == "taken"
    assert verdict.on_index == "0.1.1"
    assert verdict.index_host == "127.0.0.1"
    assert [request["path"] for request in index.requests] == [RELEASE_PAGE]


def test_the_project_name_is_asked_normalised(index: FakeGitHub) -> None:
    index.route("GET", RELEASE_PAGE, Answer(release_files("seed-package", "0.1.1", FILES)))
    assert version_on_index(index.url, "Seed_Package", Version("0.1.1")).state == "taken"


def test_versions_compare_by_pep_440_equality_on_the_index_too(index: FakeGitHub) -> None:
    # This server resolves versions literally: 0.1.1.0 has no page of its own, but the
    # project's list of releases holds 0.1.1, the same version.
    index.route("GET", PROJECT_PAGE, Answer(project_page(["0.1.0", "0.1.1"])))
    verdict = version_on_index(index.url, "seed-package", Version("0.1.1.0"))
    assert (verdict.state, verdict.on_index) == ("taken", "0.1.1")
    # And a release page that answers for another version is not taken for this one.
    index.route("GET", "/pypi/seed-package/0.1.2/json", Answer(release_files("s", "0.1.1", [])))
    assert version_on_index(index.url, "seed-package", Version("0.1.2")).state == "free"


def test_a_version_not_uploaded_yet_is_free(index: FakeGitHub) -> None:
    index.route("GET", PROJECT_PAGE, Answer(project_page(["0.1.0"])))
    verdict = version_on_index(index.url, "seed-package", Version("0.1.1"))
    assert verdict.state == "free"
    assert "has seed-package, but not 0.1.1" in verdict.reason
    assert [request["path"] for request in index.requests] == [RELEASE_PAGE, PROJECT_PAGE]


def test_a_project_page_too_big_to_read_still_says_the_project_exists(
    index: FakeGitHub,
) -> None:
    index.route("GET", PROJECT_PAGE, Answer(project_page(["0.1.1"], PROJECT_PAGE_LIMIT)))
    # Over the limit the list of releases is not read: the release page answered (404).
    assert version_on_index(index.url, "seed-package", Version("0.1.1")).state == "free"


def test_a_project_the_index_does_not_know_is_a_new_project(index: FakeGitHub) -> None:
    verdict = version_on_index(index.url, "seed-package", Version("0.1.1"))
    assert verdict.state == "new-project"
    assert "no project seed-package" in verdict.reason


def test_an_index_that_never_answers_is_unknown_within_the_budget() -> None:
    with silent_server() as url:
        started = time.monotonic()
        verdict = version_on_index(url, "seed-package", Version("0.1.1"), timeout=1.0)
        elapsed = time.monotonic() - started
    assert verdict.state == "unknown"
    assert verdict.reason == "no answer from 127.0.0.1 within 1 s"
    assert 0.9 <= elapsed < 2.5


def test_the_default_budget_is_three_seconds() -> None:
    with silent_server() as url:
        started = time.monotonic()
        verdict = version_on_index(url, "seed-package", Version("0.1.1"))
        elapsed = time.monotonic() - started
    assert verdict.state == "unknown" and "within 3 s" in verdict.reason
    assert elapsed < 5


def test_an_index_that_refuses_the_connection_is_unknown_at_once() -> None:
    started = time.monotonic()
    verdict = version_on_index(refused_url(), "seed-package", Version("0.1.1"))
    assert verdict.state == "unknown"
    assert verdict.reason.startswith("cannot reach 127.0.0.1")
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("status", [500, 503, 429])
def test_an_index_error_is_unknown_not_a_verdict(index: FakeGitHub, status: int) -> None:
    index.route("GET", RELEASE_PAGE, Answer({"message": "down"}, status))
    verdict = version_on_index(index.url, "seed-package", Version("0.1.1"))
    assert verdict.state == "unknown"
    assert str(status) in verdict.reason


# --- the publisher check ---------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The seed project (seed-package 0.1.1, published by release.yml) on github.com/o/r."""
    work, _ = github_repo(tmp_path)
    return work


def run_publisher(root: Path, url: str, tag: str | None = "v0.1.1") -> CheckResult:
    environ = {**os.environ, INDEX_API_URL_VARIABLE: url}
    return publisher_check.run(RepoContext.load(root, tag=tag, environ=environ))


def index_findings(result: CheckResult) -> list[Finding]:
    return [f for f in result.findings if f.code in ("RA716", "RA717", "RA718")]


def test_releasing_a_version_the_index_has_fails_naming_version_and_index(
    repo: Path, index: FakeGitHub
) -> None:
    index.route("GET", RELEASE_PAGE, Answer(release_files("seed-package", "0.1.1", FILES)))
    result = run_publisher(repo, index.url)
    assert result.status is Status.FAIL
    [finding] = index_findings(result)
    assert finding.code == "RA716" and finding.severity is Severity.ERROR
    assert "version 0.1.1 of seed-package is already on 127.0.0.1" in finding.message
    # The PyPI publish step has no skip-existing (only the TestPyPI one does).
    assert 'fail with "File already exists"' in finding.message
    assert finding.path == "pyproject.toml" and finding.line is not None
    assert "bump patch" in (finding.hint or "")


def test_skip_existing_in_the_publish_step_is_named(repo: Path, index: FakeGitHub) -> None:
    workflow = repo / ".github/workflows/release.yml"
    text = workflow.read_text(encoding="utf-8")
    workflow.write_text(text + "        with:\n          skip-existing: true\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    index.route("GET", RELEASE_PAGE, Answer(release_files("seed-package", "0.1.1", FILES)))
    [finding] = index_findings(run_publisher(repo, index.url))
    assert (
        f"skip-existing: true (.github/workflows/release.yml:{line}) would upload nothing "
        "and the run would still go green" in finding.message
    )


def test_a_free_version_passes_and_says_nothing(repo: Path, index: FakeGitHub) -> None:
    index.route("GET", PROJECT_PAGE, Answer(project_page(["0.1.0"])))
    result = run_publisher(repo, index.url)
    assert result.status is Status.PASS
    assert index_findings(result) == []
    assert len(index.requests) == 2


def test_a_new_project_is_an_info_pointing_at_the_pending_publisher(
    repo: Path, index: FakeGitHub
) -> None:
    result = run_publisher(repo, index.url)
    assert result.status is Status.PASS
    [finding] = index_findings(result)
    assert finding.code == "RA717" and finding.severity is Severity.INFO
    assert "no project seed-package" in finding.message and "pending publisher" in finding.message
    assert "release-assistant setup" in (finding.hint or "")


def test_an_unreachable_index_is_an_info_with_the_reason_not_a_failure(repo: Path) -> None:
    with silent_server() as url:
        started = time.monotonic()
        result = run_publisher(repo, url)
        elapsed = time.monotonic() - started
    assert result.status is Status.PASS
    [finding] = index_findings(result)
    assert finding.code == "RA718" and finding.severity is Severity.INFO
    assert finding.message == (
        "127.0.0.1 did not say whether it has seed-package 0.1.1: "
        "no answer from 127.0.0.1 within 3 s"
    )
    assert elapsed < 5


def test_between_releases_the_index_is_not_asked(repo: Path, index: FakeGitHub) -> None:
    index.route("GET", RELEASE_PAGE, Answer(release_files("seed-package", "0.1.1", FILES)))
    result = run_publisher(repo, index.url, tag=None)
    assert index_findings(result) == [] and index.requests == []


def test_without_origin_a_taken_version_still_fails(repo: Path, index: FakeGitHub) -> None:
    git(repo, "remote", "remove", "origin")
    index.route("GET", RELEASE_PAGE, Answer(release_files("seed-package", "0.1.1", FILES)))
    result = run_publisher(repo, index.url)
    assert result.status is Status.FAIL
    assert [f.code for f in result.findings] == ["RA716"]
    # Any other verdict leaves the check skipped for the missing origin.
    index.routes.clear()
    assert run_publisher(repo, index.url).status is Status.SKIP


def test_check_with_a_tag_refuses_a_version_on_the_index(
    repo: Path,
    index: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(INDEX_API_URL_VARIABLE, index.url)
    index.route("GET", RELEASE_PAGE, Answer(release_files("seed-package", "0.1.1", FILES)))
    code = main(["check", "--tag", "v0.1.1", "--only", "publisher", "--repo", str(repo)])
    out = capsys.readouterr().out
    assert code == 1
    assert "RA716" in out and "0.1.1" in out and "127.0.0.1" in out


def test_the_hooks_never_ask_the_index(
    repo: Path, index: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    from release_assistant.hooks import (
        check_changelog_version,
        check_lock_file,
        check_release_workflow,
    )

    monkeypatch.setenv(INDEX_API_URL_VARIABLE, index.url)
    monkeypatch.chdir(repo)
    index.route("GET", RELEASE_PAGE, Answer(release_files("seed-package", "0.1.1", FILES)))
    for hook in (check_changelog_version, check_lock_file, check_release_workflow):
        hook.main([])
    assert index.requests == []


def test_tag_refuses_a_version_the_index_has_and_creates_nothing(
    tmp_path: Path,
    index: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    work, bare = github_repo(tmp_path)
    monkeypatch.setenv(INDEX_API_URL_VARIABLE, index.url)
    index.route("GET", RELEASE_PAGE, Answer(release_files("seed-package", "0.1.1", FILES)))
    assert main(["tag", "--push", "--yes", "--repo", str(work)]) == 1
    err = capsys.readouterr().err
    assert "refused: not tagging v0.1.1" in err
    assert "RA716 version 0.1.1 of seed-package is already on 127.0.0.1" in err
    assert git(work, "tag") == "" and git(bare, "tag") == ""
