"""The ``git`` check on real repositories with a bare ``origin`` in ``tmp_path``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from release_assistant.cli import main
from release_assistant.core.context import RepoContext
from release_assistant.core.engine import run_check, spec_for
from release_assistant.core.findings import CheckResult, Severity, Status
from release_assistant.core.git.repository import find_project_root
from release_assistant.core.release.plan import Action, ActionFailed, Plan, execute
from tests.conftest import git, write_files
from tests.git_support import commit_file, make_origin_repo, other_clone
from tests.support import codes


def git_check(root: Path, tag: str | None = None, releasing: bool = True) -> CheckResult:
    """The ``git`` check as a release (``tag``, the walkthrough) runs it, by default."""
    return run_check(spec_for("git"), RepoContext.load(root, tag=tag, releasing=releasing))


def test_a_clean_pushed_release_branch_passes(tmp_path: Path) -> None:
    work, _ = make_origin_repo(tmp_path)
    result = git_check(work)
    assert result.status is Status.PASS, result.findings
    assert result.findings == ()


def test_the_git_check_runs_first() -> None:
    from release_assistant.core.engine import known_check_ids

    assert known_check_ids()[0] == "git"


def test_a_directory_outside_git_is_a_skip_with_the_reason(tmp_path: Path) -> None:
    write_files(tmp_path / "p", {"pyproject.toml": '[project]\nname = "p"\nversion = "1.0"\n'})
    result = git_check(tmp_path / "p")
    assert result.status is Status.SKIP
    assert result.reason is not None and "not inside a git repository" in result.reason


def test_uncommitted_changes_fail_and_untracked_files_warn(tmp_path: Path) -> None:
    work, _ = make_origin_repo(tmp_path)
    write_files(work, {"CHANGELOG.md": "# changed\n", "notes.txt": "scratch\n"})
    result = git_check(work)
    assert result.status is Status.FAIL
    by_code = {finding.code: finding for finding in result.findings}
    assert by_code["RA103"].severity is Severity.ERROR
    assert "CHANGELOG.md" in by_code["RA103"].message
    assert by_code["RA104"].severity is Severity.WARNING
    assert "notes.txt" in by_code["RA104"].message


def test_only_untracked_files_warn(tmp_path: Path) -> None:
    work, _ = make_origin_repo(tmp_path)
    write_files(work, {"notes.txt": "scratch\n"})
    result = git_check(work)
    assert (result.status, codes(result)) == (Status.WARN, ["RA104"])


def test_ahead_of_upstream_fails_with_the_count(tmp_path: Path) -> None:
    work, _ = make_origin_repo(tmp_path)
    commit_file(work, "a.txt", "a\n")
    commit_file(work, "b.txt", "b\n")
    result = git_check(work)
    assert codes(result) == ["RA106"]
    assert "2 commit(s) ahead of origin/main" in result.findings[0].message


def test_behind_upstream_fails_with_the_count(tmp_path: Path) -> None:
    work, bare = make_origin_repo(tmp_path)
    other = other_clone(tmp_path, bare)
    commit_file(other, "c.txt", "c\n")
    git(other, "push", "-q", "origin", "main")
    git(work, "fetch", "-q", "origin")
    result = git_check(work)
    assert codes(result) == ["RA107"]
    assert "1 commit(s) behind origin/main" in result.findings[0].message


def test_a_detached_head_fails(tmp_path: Path) -> None:
    work, _ = make_origin_repo(tmp_path)
    git(work, "checkout", "-q", "--detach")
    result = git_check(work)
    assert codes(result) == ["RA102"]
    assert result.findings[0].hint == "git switch main"


def test_a_shallow_clone_fails(tmp_path: Path) -> None:
    work, bare = make_origin_repo(tmp_path)
    commit_file(work, "a.txt", "a\n")
    git(work, "push", "-q")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{bare}", str(shallow))
    result = git_check(shallow)
    assert "RA108" in codes(result)
    assert result.status is Status.FAIL


def test_another_branch_fails_and_the_configured_branch_is_the_release_branch(
    tmp_path: Path,
) -> None:
    work, _ = make_origin_repo(tmp_path)
    git(work, "switch", "-q", "-c", "feature")
    git(work, "push", "-q", "-u", "origin", "feature")
    assert codes(git_check(work)) == ["RA101"]
    write_files(
        work,
        {
            "pyproject.toml": (work / "pyproject.toml").read_text()
            + '\n[tool.release-assistant]\nmain_branch = "feature"\n'
        },
    )
    git(work, "commit", "-q", "-am", "release from feature")
    git(work, "push", "-q")
    assert git_check(work).status is Status.PASS


def test_the_release_branch_defaults_to_the_remote_head_branch(tmp_path: Path) -> None:
    work, _ = make_origin_repo(tmp_path, branch="trunk")
    assert git_check(work).status is Status.PASS
    git(work, "switch", "-q", "-c", "main")
    git(work, "push", "-q", "-u", "origin", "main")
    assert codes(git_check(work)) == ["RA101"]


def test_no_origin_is_a_warning_with_the_reason(tmp_path: Path) -> None:
    work, _ = make_origin_repo(tmp_path)
    git(work, "remote", "remove", "origin")
    result = git_check(work)
    assert (result.status, codes(result)) == (Status.WARN, ["RA105"])
    assert "no 'origin' remote" in result.findings[0].message


def test_no_upstream_is_a_warning(tmp_path: Path) -> None:
    work, _ = make_origin_repo(tmp_path)
    git(work, "branch", "-q", "--unset-upstream")
    result = git_check(work)
    assert (result.status, codes(result)) == (Status.WARN, ["RA105"])
    assert "tracks no remote branch" in result.findings[0].message


def test_an_unreachable_origin_is_a_warning_not_a_pass(tmp_path: Path) -> None:
    work, _ = make_origin_repo(tmp_path)
    git(work, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    started = time.monotonic()
    result = git_check(work)
    assert time.monotonic() - started < 5
    assert result.status is Status.WARN
    assert codes(result) == ["RA105"]
    assert "cannot tell whether origin has tag v0.1.1" in result.findings[0].message


def test_a_local_tag_at_another_commit_fails(tmp_path: Path) -> None:
    work, _ = make_origin_repo(tmp_path)
    git(work, "tag", "v0.1.1")
    commit_file(work, "a.txt", "a\n")
    git(work, "push", "-q")
    result = git_check(work)
    assert codes(result) == ["RA109"]
    assert "git tag -d v0.1.1" in (result.findings[0].hint or "")


def test_between_releases_an_existing_tag_is_only_a_note(tmp_path: Path) -> None:
    """``check`` without a tag after a release: the tag existing is normal, origin is not
    asked, and the note says to bump before the next release."""
    work, _ = make_origin_repo(tmp_path)
    git(work, "tag", "v0.1.1")
    commit_file(work, "a.txt", "a\n")
    git(work, "push", "-q")
    result = git_check(work, releasing=False)
    assert codes(result) == ["RA113"]
    assert result.status is Status.PASS
    assert "bump" in result.findings[0].message


def test_a_tag_only_on_origin_fails(tmp_path: Path) -> None:
    work, bare = make_origin_repo(tmp_path)
    other = other_clone(tmp_path, bare)
    git(other, "tag", "-a", "v0.1.1", "-m", "released elsewhere", "HEAD")
    commit_file(work, "a.txt", "a\n")
    git(work, "push", "-q")
    git(other, "push", "-q", "origin", "refs/tags/v0.1.1")
    result = git_check(work)
    assert codes(result) == ["RA110"]


def test_a_tag_that_already_names_head_is_information(tmp_path: Path) -> None:
    work, _ = make_origin_repo(tmp_path)
    git(work, "tag", "-a", "v0.1.1", "-m", "release")
    git(work, "push", "-q", "origin", "refs/tags/v0.1.1")
    result = git_check(work, tag="v0.1.1")
    assert (result.status, codes(result)) == (Status.PASS, ["RA112"])


def test_a_branch_named_like_the_tag_is_not_the_tag(tmp_path: Path) -> None:
    work, _ = make_origin_repo(tmp_path)
    git(work, "branch", "v0.1.1")
    git(work, "push", "-q", "origin", "refs/heads/v0.1.1")
    assert git_check(work).status is Status.PASS


def test_the_project_root_is_found_from_a_subdirectory(tmp_path: Path) -> None:
    work, _ = make_origin_repo(tmp_path, {"pyproject.toml": "", "src/pkg/__init__.py": ""})
    assert find_project_root(work / "src" / "pkg") == str(work.resolve())
    outside = tmp_path / "plain"
    outside.mkdir()
    assert find_project_root(outside) == str(outside.resolve())


def test_check_from_a_subdirectory_judges_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work, _ = make_origin_repo(tmp_path)
    (work / "src").mkdir()
    monkeypatch.chdir(work / "src")
    code = main(["check", "--only", "git,version", "--format", "json"])
    out, _ = capsys.readouterr()
    assert code == 0, out
    assert f'"repo": "{work.resolve()}"' in out


def test_a_plan_runs_its_steps_and_stops_at_the_first_failure() -> None:
    ran: list[str] = []

    def step(name: str) -> Action:
        def run() -> str:
            ran.append(name)
            return f"did {name}"

        return Action(f"echo {name}", True, run)

    def fail() -> str | None:
        raise ActionFailed("no network", recovery=("retry me",))

    plan = Plan("demo", (step("a"), Action("fail", True, fail), step("b")))
    assert plan.lines() == ["demo", "  ! echo a", "  ! fail", "  ! echo b"]
    execution = execute(plan)
    assert ran == ["a"]
    assert not execution.ok
    assert (execution.error, execution.recovery) == ("no network", ("retry me",))
    assert [a.description for a in execution.not_run] == ["echo b"]
    read_only = Plan("read", (Action("git ls-remote origin", False, lambda: None),))
    assert read_only.lines()[1] == "  $ git ls-remote origin" and not read_only.changes_anything


def test_a_fresh_clone_of_this_repository_passes_its_own_check(tmp_path: Path) -> None:
    """What the CI does: ``release-assistant check`` in a fresh clone whose ``origin`` is a
    local path. The clone is of the commit checked out here, on its branch."""
    import json
    import subprocess
    import sys

    from tests.conftest import REPO_ROOT

    if git(REPO_ROOT, "rev-parse", "--abbrev-ref", "HEAD").strip() == "HEAD":
        pytest.skip("this work tree is on a detached HEAD; a clone of it would be too")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--no-local", str(REPO_ROOT), str(clone))
    completed = subprocess.run(
        # Run from outside the clone, so the code under test is this tree's, not the clone's.
        [sys.executable, "-m", "release_assistant", "check", "--format=json", f"--repo={clone}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(completed.stdout)
    git_result = next(c for c in report["checks"] if c["id"] == "git")
    assert git_result["status"] in ("pass", "warn"), git_result
    failing = [c for c in report["checks"] if c["status"] in ("fail", "error") and c["blocking"]]
    assert completed.returncode == 0, failing


def test_where_no_work_tree_is_read_state_says_which(tmp_path: Path) -> None:
    """One ``rev-parse`` locates a work tree; a bare repository, a ``.git`` directory and no
    repository each still get their own message (the questions asked apart)."""
    from release_assistant.core.git import GitProblem
    from release_assistant.core.git.state import read_state

    work, bare = make_origin_repo(tmp_path)
    assert read_state(work).root == str(work.resolve())
    with pytest.raises(GitProblem, match="is a bare repository"):
        read_state(bare)
    with pytest.raises(GitProblem, match="is not inside a git work tree"):
        read_state(work / ".git")
    (tmp_path / "plain").mkdir()
    with pytest.raises(GitProblem, match="is not inside a git repository"):
        read_state(tmp_path / "plain")


def test_a_project_root_holding_pyproject_is_found_without_git(tmp_path: Path) -> None:
    write_files(
        tmp_path / "repo", {"pyproject.toml": "", "pkg/pyproject.toml": "", "pkg/src/a": ""}
    )
    git(tmp_path / "repo", "init", "-q")
    assert find_project_root(tmp_path / "repo" / "pkg") == str(
        (tmp_path / "repo" / "pkg").resolve()
    )
    assert find_project_root(tmp_path / "repo" / "pkg" / "src") == str(
        (tmp_path / "repo" / "pkg").resolve()
    )
    write_files(tmp_path / "outside", {"pyproject.toml": ""})
    assert find_project_root(tmp_path / "outside") == str((tmp_path / "outside").resolve())


def test_head_and_shallowness_are_read_with_and_without_a_commit(tmp_path: Path) -> None:
    """One ``rev-parse`` answers both once HEAD has a commit; before it, each is asked apart."""
    from release_assistant.core.git.state import read_state

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    git(fresh, "init", "-q", "-b", "main")
    state = read_state(fresh)
    assert (state.head, state.shallow, state.branch) == (None, False, "main")
    work, bare = make_origin_repo(tmp_path)
    state = read_state(work)
    assert state.head == git(work, "rev-parse", "HEAD").strip() and not state.shallow
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{bare}", str(shallow))
    assert read_state(shallow).shallow
