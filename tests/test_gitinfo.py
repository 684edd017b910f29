"""``run_git``: git without importing subprocess, as the hooks use it."""

from __future__ import annotations

from pathlib import Path

import pytest

from release_assistant.core.git.readonly import head_commit, run_git
from tests.conftest import RepoFactory, git


def test_output_and_exit_code_of_a_real_repository(make_repo: RepoFactory) -> None:
    root = make_repo({"a.txt": "a\n"})
    output = run_git(root, ["rev-parse", "HEAD"])
    assert output is not None and output.ok
    assert output.text() == git(root, "rev-parse", "HEAD").strip()
    assert head_commit(root) == output.text()


def test_output_larger_than_a_pipe_buffer_is_read_whole(make_repo: RepoFactory) -> None:
    big = "".join(f"line {number:07d}\n" for number in range(40_000))  # ~520 KB
    root = make_repo({"big.txt": big})
    output = run_git(root, ["show", "HEAD:big.txt"])
    assert output is not None and output.ok
    assert output.stdout.decode() == big


def test_git_failures_are_exit_codes_and_stderr_is_discarded(tmp_path: Path) -> None:
    output = run_git(tmp_path, ["rev-parse", "HEAD"])
    assert output is not None and not output.ok
    assert output.stdout == b""
    assert head_commit(tmp_path) is None
    missing = run_git(tmp_path / "missing", ["status"])
    assert missing is not None and not missing.ok


def test_no_git_on_path_is_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert run_git(tmp_path, ["status"]) is None


def test_a_repositorys_fsmonitor_is_never_executed(make_repo: RepoFactory, tmp_path: Path) -> None:
    """``core.fsmonitor`` names a program ``git status`` runs; a hostile clone can set it."""
    root = make_repo({"uv.lock": "version = 1\n"})
    marker = tmp_path / "fsmonitor-ran"
    hook = tmp_path / "monitor.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
    hook.chmod(0o755)
    git(root, "config", "core.fsmonitor", str(hook))
    output = run_git(root, ["status", "--porcelain=v1", "--ignored", "-z"])
    assert output is not None and output.ok
    assert not marker.exists()


def test_a_git_that_hangs_is_killed_after_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "git"
    fake.write_text("#!/bin/sh\nexec /bin/sleep 30\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    started = time.monotonic()
    assert run_git(tmp_path, ["status"], timeout=0.5) is None
    assert time.monotonic() - started < 5
