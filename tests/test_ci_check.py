"""``ci``: HEAD's check runs and statuses, asked of a loopback GitHub API.

Real repositories (origin ``https://github.com/o/r.git``, pushes to a bare repository), the
real engine and CLI, a real HTTP server on 127.0.0.1 answering as GitHub documents.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from release_assistant.cli import main
from release_assistant.core.context import RepoContext
from release_assistant.core.engine import known_check_ids, run_check, spec_for
from release_assistant.core.findings import CheckResult, Status
from release_assistant.core.github.api import API_URL_VARIABLE
from tests.conftest import git, write_files
from tests.git_support import make_origin_repo
from tests.github_support import (
    TOKEN,
    Answer,
    FakeGitHub,
    check_run,
    check_runs,
    combined_status,
    commit_status,
    github_repo,
    head,
    serve_github,
    silent_server,
)
from tests.support import codes


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with serve_github() as fake:
        yield fake


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return github_repo(tmp_path)[0]


def ci(root: Path, api: str | None, token: str | None = TOKEN, **extra: str) -> CheckResult:
    environ = {**extra}
    if token is not None:
        environ["GH_TOKEN"] = token
    if api is not None:
        environ[API_URL_VARIABLE] = api
    return run_check(spec_for("ci"), RepoContext.load(root, environ=environ))


def test_ci_runs_right_after_git() -> None:
    assert known_check_ids()[:2] == ("git", "ci")


def test_all_green_passes_and_says_what_was_asked(repo: Path, github: FakeGitHub) -> None:
    sha = head(repo)
    github.ci(sha, [check_run("tests"), check_run("lint", conclusion="skipped")], [])
    result = ci(repo, github.url)
    assert result.status is Status.PASS, result
    (info,) = result.findings
    assert info.code == "RA208" and "2 of 2" in info.message
    asked = {(r["method"], r["path"]) for r in github.requests}
    assert asked == {
        ("GET", f"/repos/o/r/commits/{sha}/check-runs"),
        ("GET", f"/repos/o/r/commits/{sha}/status"),
    }
    request = github.requests[0]
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert request["headers"]["Accept"] == "application/vnd.github+json"
    assert request["query"]["per_page"] == ["100"]


def test_a_failed_run_is_an_error_naming_the_run_and_its_url(
    repo: Path, github: FakeGitHub
) -> None:
    failing = check_run("tests (3.12)", conclusion="failure")
    github.ci(head(repo), [check_run("lint"), failing, check_run("x", conclusion="timed_out")], [])
    result = ci(repo, github.url)
    assert result.status is Status.FAIL
    assert codes(result) == ["RA201", "RA201", "RA208"]
    assert "'tests (3.12)' failed" in result.findings[0].message
    assert failing["html_url"] in result.findings[0].message
    assert "timed out" in result.findings[1].message


def test_a_cancelled_run_fails_too(repo: Path, github: FakeGitHub) -> None:
    github.ci(head(repo), [check_run("build", conclusion="cancelled")], [])
    result = ci(repo, github.url)
    assert result.status is Status.FAIL and "was cancelled" in result.findings[0].message


def test_pending_runs_warn_and_fail_with_require_complete(repo: Path, github: FakeGitHub) -> None:
    github.ci(
        head(repo),
        [check_run("tests", status="in_progress"), check_run("lint")],
        [commit_status("docs/readthedocs", "pending")],
    )
    result = ci(repo, github.url)
    assert result.status is Status.WARN
    assert codes(result) == ["RA203", "RA208"]
    assert "2 of 3" in result.findings[0].message
    assert "tests (in_progress)" in result.findings[0].message

    pyproject = repo / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(
        text + "\n[tool.release-assistant.ci]\nrequire_complete = true\n", encoding="utf-8"
    )
    assert ci(repo, github.url).status is Status.FAIL


def test_mixed_statuses_fail_on_the_failed_ones_only(repo: Path, github: FakeGitHub) -> None:
    github.ci(
        head(repo),
        [check_run("tests")],
        [
            commit_status("ci/circleci", "success"),
            commit_status("coverage", "failure", "coverage fell to 71%"),
            commit_status("ci/jenkins", "error"),
            # An older status of the same context, listed after the newest: not judged.
            commit_status("ci/circleci", "failure"),
        ],
    )
    result = ci(repo, github.url)
    assert result.status is Status.FAIL
    assert codes(result) == ["RA202", "RA202", "RA208"]
    assert "'coverage' is failure (coverage fell to 71%)" in result.findings[0].message
    assert "https://ci.example.invalid/coverage" in result.findings[0].message
    assert "2 of 4" in result.findings[2].message


def test_no_ci_at_all_warns(repo: Path, github: FakeGitHub) -> None:
    github.ci(head(repo), [], [])
    result = ci(repo, github.url)
    assert (result.status, codes(result)) == (Status.WARN, ["RA204"])
    assert "no CI ran on this commit" in result.findings[0].message


def test_every_page_of_check_runs_is_read(repo: Path, github: FakeGitHub) -> None:
    sha = head(repo)
    first = [check_run(f"job {n}") for n in range(100)]
    second = [check_run("job 100"), check_run("slow", conclusion="failure")]
    github.route(
        "GET",
        f"/repos/o/r/commits/{sha}/check-runs",
        [Answer(check_runs(first, 102)), Answer(check_runs(second, 102))],
    )
    github.route("GET", f"/repos/o/r/commits/{sha}/status", Answer(combined_status(sha, [])))
    result = ci(repo, github.url)
    assert codes(result) == ["RA201", "RA208"]
    assert "'slow' failed" in result.findings[0].message
    assert "101 of 102" in result.findings[1].message
    pages = [r["query"].get("page") for r in github.requests if r["path"].endswith("check-runs")]
    assert pages == [None, ["2"]]
    # The next page's request carries the token too (same host).
    assert all(r["headers"].get("Authorization") for r in github.requests)


def test_the_run_executing_the_check_is_left_out(repo: Path, github: FakeGitHub) -> None:
    own = check_run("release / verify", status="in_progress")
    github.ci(head(repo), [check_run("tests"), own], [])
    run_id = own["html_url"].split("/actions/runs/")[1].split("/")[0]
    result = ci(repo, github.url, GITHUB_RUN_ID=run_id)
    assert result.status is Status.PASS and "1 of 1" in result.findings[0].message


def test_a_refused_token_warns_and_is_never_printed(
    repo: Path,
    github: FakeGitHub,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answer = Answer(
        {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}, 401
    )
    github.route("GET", f"/repos/o/r/commits/{head(repo)}/check-runs", answer)
    result = ci(repo, github.url)
    assert (result.status, codes(result)) == (Status.WARN, ["RA205"])
    assert "401 (Bad credentials)" in result.findings[0].message

    monkeypatch.setenv("GH_TOKEN", TOKEN)
    monkeypatch.setenv(API_URL_VARIABLE, github.url)
    assert main(["check", "--only", "ci", "--format", "json", "--repo", str(repo)]) == 0
    out, err = capsys.readouterr()
    assert TOKEN not in out + err
    (check,) = json.loads(out)["checks"]
    assert check["status"] == "warn"


def test_a_private_repository_the_token_cannot_see_warns(repo: Path, github: FakeGitHub) -> None:
    result = ci(repo, github.url)  # no route: the server answers 404 Not Found
    assert (result.status, codes(result)) == (Status.WARN, ["RA206"])
    assert "private repository" in result.findings[0].message
    assert "o/r" in result.findings[0].message


def test_a_forbidden_token_warns_and_a_rate_limit_skips(repo: Path, github: FakeGitHub) -> None:
    path = f"/repos/o/r/commits/{head(repo)}/check-runs"
    message = {"message": "Resource not accessible by personal access token"}
    github.route("GET", path, Answer(message, 403))
    result = ci(repo, github.url)
    assert codes(result) == ["RA206"] and "Resource not accessible" in result.findings[0].message

    limited = {"message": "API rate limit exceeded for user ID 1."}
    github.route("GET", path, Answer(limited, 403, {"X-RateLimit-Remaining": "0"}))
    result = ci(repo, github.url)
    assert result.status is Status.SKIP and "rate limit" in (result.reason or "")


@pytest.mark.parametrize(
    "body", [b"<html>502 Bad Gateway</html>", b'{"check_runs": [', b'{"total_count": 0}']
)
def test_an_answer_that_is_not_githubs_json_warns(
    repo: Path, github: FakeGitHub, body: bytes
) -> None:
    sha = head(repo)
    github.route("GET", f"/repos/o/r/commits/{sha}/check-runs", Answer(body))
    github.route("GET", f"/repos/o/r/commits/{sha}/status", Answer(combined_status(sha, [])))
    result = ci(repo, github.url)
    assert (result.status, codes(result)) == (Status.WARN, ["RA207"]), result


def test_runs_of_another_shape_warn_instead_of_crashing(repo: Path, github: FakeGitHub) -> None:
    github.ci(head(repo), [{"status": "completed"}], [])  # no name
    result = ci(repo, github.url)
    assert (result.status, codes(result)) == (Status.WARN, ["RA207"])


def test_a_server_error_warns(repo: Path, github: FakeGitHub) -> None:
    path = f"/repos/o/r/commits/{head(repo)}/check-runs"
    github.route("GET", path, Answer({"message": "Server Error"}, 500))
    result = ci(repo, github.url)
    assert codes(result) == ["RA207"] and "500" in result.findings[0].message


def test_a_server_that_never_answers_is_a_skip_within_the_timeout(repo: Path) -> None:
    with silent_server() as url:
        started = time.monotonic()
        result = ci(repo, url)
        elapsed = time.monotonic() - started
    assert result.status is Status.SKIP
    assert "no answer from 127.0.0.1 within 3 s" in (result.reason or "")
    assert elapsed < 3 + 1.5


def test_the_configured_timeout_is_honoured(repo: Path) -> None:
    write_files(
        repo,
        {
            "pyproject.toml": (repo / "pyproject.toml").read_text(encoding="utf-8")
            + "\n[tool.release-assistant.ci]\ntimeout_seconds = 0.5\n"
        },
    )
    with silent_server() as url:
        started = time.monotonic()
        result = ci(repo, url)
        elapsed = time.monotonic() - started
    assert result.status is Status.SKIP and "within 0.5 s" in (result.reason or "")
    assert elapsed < 1.5


def test_no_network_is_a_quick_skip(repo: Path) -> None:
    with silent_server() as url:
        pass  # the port is closed again: connections are refused
    started = time.monotonic()
    result = ci(repo, url)
    assert result.status is Status.SKIP and "cannot reach 127.0.0.1" in (result.reason or "")
    assert time.monotonic() - started < 3


def test_no_token_is_a_skip_that_asks_nothing(repo: Path, github: FakeGitHub) -> None:
    result = ci(repo, github.url, token=None)
    assert result.status is Status.SKIP and "GH_TOKEN" in (result.reason or "")
    assert github.requests == []


def test_github_token_is_read_too(repo: Path, github: FakeGitHub) -> None:
    github.ci(head(repo), [check_run("tests")], [])
    result = ci(repo, github.url, token=None, GITHUB_TOKEN=TOKEN)
    assert result.status is Status.PASS


def test_an_origin_elsewhere_is_a_skip(tmp_path: Path, github: FakeGitHub) -> None:
    work, _ = make_origin_repo(tmp_path)
    result = ci(work, github.url)
    assert result.status is Status.SKIP and "a local path" in (result.reason or "")
    git(work, "remote", "set-url", "origin", "https://gitlab.example.invalid/o/r.git")
    result = ci(work, github.url)
    assert "gitlab.example.invalid, not on github.com" in (result.reason or "")
    git(work, "remote", "remove", "origin")
    assert "no 'origin' remote" in (ci(work, github.url).reason or "")
    assert github.requests == []


def test_a_repositorys_own_api_url_never_receives_the_token(repo: Path, github: FakeGitHub) -> None:
    """A cloned repository's pyproject.toml cannot send the user's token to its server."""
    write_files(
        repo,
        {
            "pyproject.toml": (repo / "pyproject.toml").read_text(encoding="utf-8")
            + f'\n[tool.release-assistant.ci]\napi_url = "{github.url}"\n'
        },
    )
    result = ci(repo, None)
    assert result.status is Status.SKIP
    assert "the token is not sent there" in (result.reason or "")
    assert github.requests == []


def test_github_enterprise_uses_its_own_api(tmp_path: Path, github: FakeGitHub) -> None:
    from release_assistant.core.github.api import api_target

    assert api_target("https://api.github.com", "ghe.example.com", {}).base_url == (
        "https://ghe.example.com/api/v3"
    )
    assert api_target("https://api.github.com", "ghe.example.com", {}).refusal is None
    assert api_target("https://api.github.com", "github.com", {}).refusal is None
    work, _ = make_origin_repo(tmp_path)
    git(work, "remote", "set-url", "origin", "git@ghe.example.com:o/r.git")
    write_files(
        work,
        {
            "pyproject.toml": (work / "pyproject.toml").read_text(encoding="utf-8")
            + '\n[tool.release-assistant.publisher]\ngithub_host = "ghe.example.com"\n'
        },
    )
    git(work, "commit", "-qam", "ghe")
    github.ci(head(work), [check_run("tests")], [])
    assert ci(work, github.url).status is Status.PASS


def test_check_on_a_fresh_clone_without_a_token_exits_0_quickly(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    assert main(["check", "--only", "ci", "--repo", str(repo)]) == 0
    assert time.monotonic() - started < 3
    out, _ = capsys.readouterr()
    assert "no GH_TOKEN or GITHUB_TOKEN" in out
