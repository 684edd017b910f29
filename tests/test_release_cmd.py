"""``release``: the GitHub release of a pushed tag, published against a loopback GitHub API.

Real repositories whose origin is ``https://github.com/o/r.git`` by URL while fetches and
pushes go to a bare repository; the real CLI; a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from release_assistant.cli import main
from release_assistant.core.github.api import API_URL_VARIABLE
from release_assistant.core.release.github import MAX_FORM_URL, GitHubRelease, new_release_url
from tests.conftest import git
from tests.git_support import make_origin_repo
from tests.github_support import TOKEN, Answer, FakeGitHub, github_repo, serve_github

RELEASES = "/repos/o/r/releases"
CREATED = {
    "id": 1,
    "tag_name": "v0.1.1",
    "html_url": "https://github.com/o/r/releases/tag/v0.1.1",
    "draft": False,
}


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    with serve_github() as fake:
        monkeypatch.setenv(API_URL_VARIABLE, fake.url)
        fake.route("GET", RELEASES, Answer([]))  # no release yet
        yield fake


@pytest.fixture
def pushed(tmp_path: Path) -> Path:
    """The seed project (0.1.1) with tag v0.1.1 on origin."""
    work, _ = github_repo(tmp_path)
    git(work, "tag", "-a", "v0.1.1", "-m", "v0.1.1")
    git(work, "push", "-q", "origin", "refs/tags/v0.1.1")
    return work


def release(root: Path, *args: str) -> int:
    return main(["release", *args, "--repo", str(root)])


def posts(github: FakeGitHub) -> list[dict[str, object]]:
    return [r for r in github.requests if r["method"] == "POST"]


def test_publishes_the_release_with_the_changelog_notes(
    pushed: Path,
    github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    github.route("POST", RELEASES, Answer(CREATED, 201))
    assert release(pushed, "--yes") == 0
    out, err = capsys.readouterr()
    (post,) = posts(github)
    assert post["body"] == {
        "tag_name": "v0.1.1",
        "name": "v0.1.1",
        "body": "### Fixed\n\n- The parity gate now reads the upstream lock.\n",
        "draft": False,
        "prerelease": False,
    }
    assert post["headers"]["Authorization"] == f"Bearer {TOKEN}"  # type: ignore[index]
    assert "  ! POST /repos/o/r/releases (tag_name=v0.1.1)" in out
    assert "created the GitHub release v0.1.1: https://github.com/o/r/releases/tag/v0.1.1" in out
    assert "workflow runs: https://github.com/o/r/actions" in out
    assert "  | - The parity gate now reads the upstream lock." in out
    assert TOKEN not in out + err
    # It asked whether a release exists before creating one.
    asked = [r["path"] for r in github.requests if r["method"] == "GET"]
    assert asked == [f"{RELEASES}/tags/v0.1.1", RELEASES]


def test_a_draft_is_a_draft_and_says_it_starts_nothing(
    pushed: Path,
    github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    github.route("POST", RELEASES, Answer({**CREATED, "draft": True}, 201))
    assert release(pushed, "v0.1.1", "--draft", "--yes") == 0
    out, _ = capsys.readouterr()
    (post,) = posts(github)
    assert post["body"]["draft"] is True  # type: ignore[index]
    assert "a draft starts no workflow" in out
    assert "publish the draft on GitHub" in out


def test_dry_run_and_no_terminal_publish_nothing(
    pushed: Path,
    github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    assert release(pushed, "--dry-run") == 0
    out, _ = capsys.readouterr()
    assert "dry run: nothing was changed" in out
    assert release(pushed) == 1  # stdin is not a terminal under pytest, and no --yes
    _, err = capsys.readouterr()
    assert "pass --yes" in err
    assert posts(github) == []


def test_a_tag_not_on_origin_is_refused(
    tmp_path: Path,
    github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    work, _ = github_repo(tmp_path)
    git(work, "tag", "-a", "v0.1.1", "-m", "only local")
    assert release(work, "--yes") == 1
    _, err = capsys.readouterr()
    assert err.count("\n") == 1
    assert "tag v0.1.1 is not on origin: push it first" in err
    assert "release-assistant tag v0.1.1 --push" in err
    assert github.requests == []


@pytest.mark.parametrize(
    ("route", "answer"),
    [
        (f"{RELEASES}/tags/v0.1.1", Answer(CREATED)),
        (RELEASES, Answer([{**CREATED, "draft": True, "html_url": "https://x.invalid/d"}])),
    ],
    ids=["published", "draft"],
)
def test_an_existing_release_is_refused(
    pushed: Path,
    github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    route: str,
    answer: Answer,
) -> None:
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    github.route("GET", route, answer)
    assert release(pushed, "--yes") == 1
    _, err = capsys.readouterr()
    assert "a release for v0.1.1 already exists" in err
    assert posts(github) == []


def test_a_refused_post_fails_with_githubs_reason(
    pushed: Path,
    github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    github.route("POST", RELEASES, Answer({"message": "Validation Failed"}, 422))
    assert release(pushed, "--yes") == 1
    _, err = capsys.readouterr()
    assert "GitHub did not publish the release: GitHub answered 422 (Validation Failed)" in err
    assert "Traceback" not in err and TOKEN not in err


def test_a_bad_token_is_refused_before_anything_is_planned(
    pushed: Path,
    github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    github.route("GET", f"{RELEASES}/tags/v0.1.1", Answer({"message": "Bad credentials"}, 401))
    assert release(pushed, "--yes") == 1
    _, err = capsys.readouterr()
    assert "GitHub refused the token: 401 (Bad credentials)" in err
    assert posts(github) == []


def test_without_a_token_it_prints_the_prefilled_form(
    pushed: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert release(pushed) == 0
    out, _ = capsys.readouterr()
    url = next(line.strip() for line in out.splitlines() if "/releases/new?" in line)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "github.com", "/o/r/releases/new")
    query = parse_qs(parts.query)
    assert query["tag"] == ["v0.1.1"] and query["title"] == ["v0.1.1"]
    assert query["body"] == ["### Fixed\n\n- The parity gate now reads the upstream lock.\n"]
    assert "prerelease" not in query
    assert "https://github.com/o/r/actions" in out
    assert github.requests == []


def test_a_pre_release_version_is_a_pre_release(
    tmp_path: Path,
    github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    work, _ = github_repo(tmp_path)
    git(work, "tag", "-a", "v0.2.0rc1", "-m", "rc")
    git(work, "push", "-q", "origin", "refs/tags/v0.2.0rc1")
    assert release(work, "v0.2.0rc1") == 0
    out, _ = capsys.readouterr()
    assert "prerelease=1" in out
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    github.route("POST", RELEASES, Answer(CREATED, 201))
    assert release(work, "v0.2.0rc1", "--yes") == 0
    (post,) = posts(github)
    assert post["body"]["prerelease"] is True  # type: ignore[index]
    assert post["body"]["body"] == ""  # type: ignore[index]


def test_an_origin_not_on_github_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work, _ = make_origin_repo(tmp_path)
    assert release(work, "--dry-run") == 1
    _, err = capsys.readouterr()
    assert "origin is not a repository on github.com" in err


def test_a_bad_tag_name_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["release", "--repo", str(tmp_path), "--", "-v1"]) == 2
    _, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1


def test_long_notes_are_cut_at_a_line_to_keep_the_form_url_short() -> None:
    body = "\n".join(f"- change number {n}, with some words about it" for n in range(1000))
    release = GitHubRelease("github.com", "o", "r", "v1.0.0", "v1.0.0", body)
    url = new_release_url(release)
    assert len(url) <= MAX_FORM_URL
    sent = parse_qs(urlsplit(url).query)["body"][0]
    assert sent.endswith("(truncated: the full notes are in CHANGELOG.md)")
    kept = sent.split("\n\n(truncated")[0].splitlines()
    assert kept and kept == body.splitlines()[: len(kept)]
    short = GitHubRelease("github.com", "o", "r", "v1.0.0", "v1.0.0", "- one")
    assert parse_qs(urlsplit(new_release_url(short)).query)["body"] == ["- one"]
