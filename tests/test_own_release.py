"""Our own release through our own procedure (issue 27, item 5).

A clone of this repository, with a bare ``origin`` behind the GitHub URL the action's
``uses:`` line names, plans ``ship patch`` without a word of refusal (a dry run), and every
check that plan runs passes: its preflight on this commit, then, after the plan's bump and
build are made by hand, the checks at the release commit (``dist`` on the files just built).
The checks that need a token (``ci``) skip, and the index's question is answered by the
loopback server (a project the index does not know yet). ``setup`` prints the
trusted-publisher values PyPI will be given.

The clone is of the commit checked out here (HEAD; uncommitted changes are not in it), so the
test judges what would be released from this commit, as the CI's clean clone of main does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from release_assistant.cli.main import main
from release_assistant.core.changelog.parser import parse_changelog, syntax_of
from release_assistant.core.project.config import load_config
from release_assistant.core.release.ship import PREFLIGHT_CHECKS
from release_assistant.core.workflows.template import ACTION
from tests.conftest import git
from tests.github_support import FakeGitHub, serve_github

#: This repository: the test's own source tree.
SOURCE = Path(__file__).resolve().parents[1]
#: origin as the README's ``uses:`` line names the project on GitHub.
ORIGIN_URL = f"https://github.com/{ACTION}.git"
OWNER, REPOSITORY = ACTION.split("/")


@pytest.fixture
def index(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    """The index's JSON API on loopback: it knows no project (every answer a 404)."""
    with serve_github() as fake:
        monkeypatch.setenv("RELEASE_ASSISTANT_INDEX_API_URL", fake.url)
        yield fake


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """This repository cloned on ``main``, pushed to a bare origin reached by GitHub's URL."""
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    work = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--no-local", str(SOURCE), str(work))
    git(work, "checkout", "-q", "-B", "main")
    git(work, "remote", "set-url", "origin", ORIGIN_URL)
    git(work, "config", f"url.{bare}.insteadOf", ORIGIN_URL)
    ensure_unreleased_notes(work)
    git(work, "push", "-q", "-u", "origin", "main")
    git(work, "remote", "set-head", "origin", "main")
    return work


def ensure_unreleased_notes(work: Path) -> None:
    """Right after a real release the Unreleased section is empty and ``ship`` rightly
    refuses; a note stands in for the next change then, so the plan is judged either way."""
    changelog = work / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    unreleased = parse_changelog(text, syntax_of("CHANGELOG.md")).unreleased
    assert unreleased is not None, "CHANGELOG.md has no Unreleased section"
    if not unreleased.is_empty:
        return
    heading = "## [Unreleased]\n"
    assert heading in text
    note = (
        heading + "\n### Fixed\n\n- A stand-in for the next change (tests/test_own_release.py).\n"
    )
    changelog.write_text(text.replace(heading, note, 1), encoding="utf-8")
    git(work, "commit", "-qam", "A change to release")


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def failed_checks(report: dict[str, object]) -> list[object]:
    checks = report["checks"]
    assert isinstance(checks, list)
    return [c for c in checks if c["status"] in ("fail", "error")]


def test_ship_patch_dry_run_plans_our_release_and_its_checks_pass(
    clone: Path,
    index: FakeGitHub,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    version = load_config(clone).pyproject.data["project"]["version"]  # type: ignore[union-attr]
    head = git(clone, "rev-parse", "HEAD")

    code, out, err = run_cli(capsys, "ship", "patch", "--dry-run", "--repo", str(clone))

    assert code == 0, err
    planned = re.search(r"^ship (\S+) -> (\S+) \((\S+)\)$", out, re.MULTILINE)
    assert planned is not None, out
    assert planned[1] == version
    new, tag = planned[2], planned[3]
    assert tag == f"v{new}"
    assert f"check {', '.join(PREFLIGHT_CHECKS)} for {tag}" in out
    assert f"git push --atomic origin refs/heads/main refs/tags/{tag}" in out
    assert "starts .github/workflows/release.yml" in out  # a published GitHub release
    assert "dry run: nothing was changed" in out
    assert "refused" not in err
    assert git(clone, "rev-parse", "HEAD") == head
    assert git(clone, "status", "--porcelain") == ""
    # The index was asked whether it already has the next version (it does not).
    assert any(r["path"].startswith(f"/pypi/{REPOSITORY}") for r in index.requests)

    # The preflight of that plan, on this commit: every check passes or, for want of a
    # token, skips.
    code, out, err = run_cli(
        capsys,
        "check",
        "--repo",
        str(clone),
        "--tag",
        tag,
        "--only",
        ",".join(PREFLIGHT_CHECKS),
        "--format",
        "json",
    )
    report = json.loads(out)
    assert failed_checks(report) == [], report
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert statuses["git"] in ("pass", "warn") and statuses["workflow"] == "pass"
    assert statuses["publisher"] == "pass" and statuses["ci"] == "skip"
    assert code == 0, err

    # The checks at the release commit: the bump the plan makes, committed, the build the
    # plan runs (this environment's backend: no network), then every blocking check but git
    # and ci (which judged the parent) for the tag; `dist` judges the files just built.
    assert run_cli(capsys, "bump", "patch", "--yes", "--repo", str(clone))[0] == 0
    git(clone, "commit", "-qam", f"Release {new}")
    monkeypatch.setenv("RELEASE_ASSISTANT_BUILD_NO_ISOLATION", "1")
    code, _, err = run_cli(capsys, "build", "--yes", "--repo", str(clone))
    assert code == 0, err
    assert git(clone, "status", "--porcelain") == ""  # the release commit is what is checked
    code, out, err = run_cli(
        capsys, "check", "--repo", str(clone), "--tag", tag, "--skip", "git,ci", "--format", "json"
    )
    report = json.loads(out)
    assert failed_checks(report) == [], report
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert statuses["version"] == statuses["changelog"] == statuses["workflow"] == "pass"
    assert statuses["dist"] == "pass"
    assert code == 0, err


def test_setup_prints_the_trusted_publisher_values(
    clone: Path, index: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "setup", "--repo", str(clone), "--format", "json")
    assert code == 0, err
    setup = json.loads(out)
    assert (setup["project"], setup["owner"], setup["repository"]) == (
        "release-assistant",
        OWNER,
        REPOSITORY,
    )
    assert (setup["workflow_file"], setup["pypi_environment"]) == ("release.yml", "pypi")
    [pypi] = [item for item in setup["items"] if item["id"] == "pypi-publisher"]
    fields = {field["label"]: field["value"] for field in pypi["fields"]}
    assert fields == {
        "PyPI Project Name": "release-assistant",
        "Owner": OWNER,
        "Repository name": REPOSITORY,
        "Workflow name": "release.yml",
        "Environment name": "pypi",
    }
    code, out, _ = run_cli(capsys, "setup", "--repo", str(clone))
    assert code == 0
    for value in (OWNER, REPOSITORY, "release.yml", "pypi"):
        assert value in out
