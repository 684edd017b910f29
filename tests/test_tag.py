"""``tag``: the ref-name rules, the check gate, the annotated tag, push and signing."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from release_assistant.cli import main
from release_assistant.core.context import RepoContext
from release_assistant.core.git.refnames import tag_name_problem
from release_assistant.core.git.state import read_state
from release_assistant.core.release.plan import execute
from release_assistant.core.release.tag import TagRequest, plan_tag
from tests.conftest import git, write_files
from tests.git_support import commit_file, make_origin_repo, other_clone


def git_accepts(name: str) -> bool:
    done = subprocess.run(
        ["git", "check-ref-format", f"refs/tags/{name}"], capture_output=True, check=False
    )
    return done.returncode == 0


PIECES = [*"av1.-/@{}~^:?*[\\ ", "\t", "\x7f", "\x01", ".lock", "é", "..", "@{"]
TRICKY = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(TRICKY)
def test_tag_names_agree_with_git_check_ref_format(name: str) -> None:
    ours = tag_name_problem(name) is None
    if ours:
        assert git_accepts(name), f"we accept {name!r}, git refuses it"
    elif git_accepts(name):
        # Stricter than git on purpose: a leading '-' could be read as an option, and a
        # tag named '@' would shadow HEAD's shorthand in every revision argument.
        assert name.startswith("-") or name == "@", f"we refuse {name!r}, git accepts it"


BAD_NAMES = ["-x", "v1..2", "v1.lock", "v 1", "v1@{0}", "v1\x07", "-", "v1.", "/v1", "v1//2", "@"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_every_bad_tag_name_is_a_usage_error_before_any_git_call(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tag_name_problem(name) is not None
    # Not even a repository: the name is refused before anything looks at git.
    assert main(["tag", "--repo", str(tmp_path), "--dry-run", "--", name]) == 2
    _, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1 and "error:" in err


@pytest.fixture
def ready(tmp_path: Path) -> tuple[Path, Path]:
    return make_origin_repo(tmp_path, workflow=True)


def test_dry_run_shows_the_plan_and_changes_nothing(
    ready: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    work, _ = ready
    assert main(["tag", "--push", "--dry-run", "--repo", str(work)]) == 0
    out, _ = capsys.readouterr()
    head = git(work, "rev-parse", "HEAD").strip()
    assert f"  ! git tag -a v0.1.1 -F <notes> {head[:12]}" in out
    assert "  $ git ls-remote origin refs/heads/main" in out
    assert "  ! git push origin refs/tags/v0.1.1" in out
    assert git(work, "tag") == ""


def test_no_terminal_and_no_yes_refuses(
    ready: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work, _ = ready
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["tag", "--repo", str(work)]) == 1
    assert "pass --yes" in capsys.readouterr().err
    assert git(work, "tag") == ""


def test_tag_creates_an_annotated_tag_with_the_changelog_section(
    ready: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    work, bare = ready
    assert main(["tag", "--yes", "--repo", str(work)]) == 0
    assert git(work, "cat-file", "-t", "v0.1.1").strip() == "tag"
    message = git(work, "tag", "-l", "--format=%(contents)", "v0.1.1")
    assert "### Fixed" in message and "The parity gate now reads the upstream lock." in message
    assert git(bare, "tag") == ""  # not pushed without --push
    assert "git push origin refs/tags/v0.1.1" in capsys.readouterr().out


def test_push_sends_exactly_the_tag_even_with_a_branch_named_like_it(
    ready: tuple[Path, Path],
) -> None:
    work, bare = ready
    git(work, "branch", "v0.1.1")
    git(work, "push", "-q", "origin", "refs/heads/v0.1.1")
    assert main(["tag", "--push", "--yes", "--repo", str(work)]) == 0
    remote = git(work, "ls-remote", "origin")
    assert "refs/tags/v0.1.1\n" in remote and "refs/tags/v0.1.1^{}" in remote
    tag_commit = git(bare, "rev-parse", "refs/tags/v0.1.1^{commit}").strip()
    assert tag_commit == git(work, "rev-parse", "HEAD").strip()


def test_the_tag_command_refuses_on_a_blocking_failure_naming_it(
    ready: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    work, _ = ready
    # A changelog the tool reads whole, without the release's section (one it could not
    # read at all would be a warning, not a failure).
    write_files(work, {"CHANGELOG.md": "# Changelog\n\n## 0.1.0 - 2026-01-01\n\n- x\n"})
    assert main(["tag", "--yes", "--repo", str(work)]) == 1
    err = capsys.readouterr().err
    assert "blocking checks failed" in err
    assert "git: fail" in err and "RA103" in err and "version: fail" in err
    assert git(work, "tag") == ""


def test_an_existing_remote_tag_refuses(ready: tuple[Path, Path]) -> None:
    work, bare = ready
    other = other_clone(work.parent, bare)
    git(other, "tag", "v0.1.1")
    git(other, "push", "-q", "origin", "refs/tags/v0.1.1")
    commit_file(work, "a.txt", "a\n")
    git(work, "push", "-q")
    assert main(["tag", "--yes", "--repo", str(work)]) == 1
    assert git(work, "tag") == ""


def test_a_rejected_push_rolls_the_local_tag_back_and_says_how_to_retry(
    ready: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    work, bare = ready
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'tags are frozen today' >&2\nexit 1\n")
    hook.chmod(0o755)
    assert main(["tag", "--push", "--yes", "--repo", str(work)]) == 1
    err = capsys.readouterr().err
    assert "origin rejected the push" in err
    assert "nothing reached origin: the local tag v0.1.1 was deleted again" in err
    assert "release-assistant tag v0.1.1 --push" in err
    assert "Traceback" not in err
    assert git(work, "tag") == ""
    assert git(bare, "tag") == ""


def test_a_tag_that_existed_before_is_kept_when_the_push_fails(
    ready: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    work, bare = ready
    git(work, "tag", "-a", "v0.1.1", "-m", "made by hand")
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    assert main(["tag", "--push", "--yes", "--repo", str(work)]) == 1
    assert "the local tag v0.1.1 is kept" in capsys.readouterr().err
    assert git(work, "tag").strip() == "v0.1.1"


def test_an_upstream_that_moved_before_the_push_stops_it(ready: tuple[Path, Path]) -> None:
    work, bare = ready
    ctx = RepoContext.load(work)
    plan = plan_tag(ctx, read_state(work), TagRequest("v0.1.1", push=True))
    other = other_clone(work.parent, bare)
    commit_file(other, "late.txt", "late\n")
    git(other, "push", "-q", "origin", "main")
    execution = execute(plan)
    assert not execution.ok
    assert "not tagging: origin/main moved" in (execution.error or "")
    assert "nothing was created" in (execution.error or "")
    # The guard runs before the tag is created: there is nothing to undo.
    assert execution.done == ()
    assert git(work, "tag") == ""
    assert git(bare, "tag") == ""


def test_a_network_failure_on_push_is_said_plainly(ready: tuple[Path, Path]) -> None:
    work, _ = ready
    ctx = RepoContext.load(work)
    plan = plan_tag(ctx, read_state(work), TagRequest("v0.1.1", push=True))
    git(work, "remote", "set-url", "origin", str(work.parent / "gone.git"))
    execution = execute(plan)
    assert not execution.ok
    assert "cannot reach origin" in (execution.error or "")
    assert git(work, "tag") == ""


def test_gpg_sign_without_a_key_fails_fast_and_creates_nothing(
    ready: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work, _ = ready
    gnupg = work.parent / "gnupg"
    gnupg.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(gnupg))
    git(work, "config", "tag.gpgSign", "true")
    started = time.monotonic()
    assert main(["tag", "--yes", "--repo", str(work)]) == 1
    assert time.monotonic() - started < 30
    err = capsys.readouterr().err
    assert "signing tag v0.1.1 failed" in err
    assert git(work, "tag") == ""


def test_sign_flag_shows_a_signed_tag_step(ready: tuple[Path, Path]) -> None:
    work, _ = ready
    plan = plan_tag(RepoContext.load(work), read_state(work), TagRequest("v0.1.1", sign=True))
    assert plan.lines()[1].startswith("  ! git tag -s v0.1.1 -F <notes>")
