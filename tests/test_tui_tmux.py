"""Smoke test of the real console script in a real terminal (tmux), keys in, screen out."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SEED_CHANGELOG, SEED_PYPROJECT, RepoFactory

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _tmux(socket: str, *args: str) -> str:
    done = subprocess.run(
        ["tmux", "-L", socket, *args], capture_output=True, text=True, check=False, timeout=30
    )
    return done.stdout


def _wait_for(socket: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux(socket, "capture-pane", "-p", "-t", "ra")
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


def test_the_console_script_walks_and_quits_in_a_terminal(
    make_repo: RepoFactory, tmp_path: Path
) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT, "CHANGELOG.md": SEED_CHANGELOG})
    script = Path(sys.executable).with_name("release-assistant")
    command = f"{script} tui --repo {root}; echo EXIT=$?; sleep 30"
    socket = f"ra-test-{os.getpid()}"
    env = {**os.environ, "TERM": "xterm-256color"}
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", "ra", "-x", "80", "-y", "24", command],
        check=True,
        env=env,
        timeout=30,
    )
    try:
        # No publishing workflow: the setup is offered first; "n" declines it.
        _wait_for(socket, "Open setup")
        for _ in range(50):
            _tmux(socket, "send-keys", "-t", "ra", "n")
            time.sleep(0.3)
            if "Open setup" not in _tmux(socket, "capture-pane", "-p", "-t", "ra"):
                break
        screen = _wait_for(socket, "publish")
        assert "changelog" in screen and "Details" in screen, screen
        _tmux(socket, "send-keys", "-t", "ra", "?")
        _wait_for(socket, "re-run only the checks that failed")
        _tmux(socket, "send-keys", "-t", "ra", "Escape")
        time.sleep(0.5)  # a lone ESC is told from an alt+key only after a pause
        _tmux(socket, "send-keys", "-t", "ra", "q")
        screen = _wait_for(socket, "EXIT=")
        assert "EXIT=1" in screen or "EXIT=0" in screen
    finally:
        _tmux(socket, "kill-server")


def test_ship_releases_in_a_terminal(tmp_path: Path) -> None:
    """`ship patch --yes` in a real terminal (80x24): the plan, each step as it runs, the
    release on origin, and the watch command as the next step."""
    from tests.conftest import git
    from tests.test_ship import released_repo

    work, bare = released_repo(tmp_path)
    script = Path(sys.executable).with_name("release-assistant")
    command = (
        f"{script} ship patch --yes --no-build-isolation --repo {work}; echo EXIT=$?; sleep 60"
    )
    socket = f"ra-ship-{os.getpid()}"
    env = {**os.environ, "TERM": "xterm-256color"}
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", "ra", "-x", "80", "-y", "24", command],
        check=True,
        env=env,
        timeout=30,
    )
    try:
        _wait_for(socket, "EXIT=", timeout=120)
        # The whole scrollback, wrapped lines joined: the plan scrolled past the 24 rows.
        screen = _tmux(socket, "capture-pane", "-p", "-J", "-S", "-", "-t", "ra")
    finally:
        _tmux(socket, "kill-server")
    assert "EXIT=0" in screen, screen
    assert "ship 0.1.1 -> 0.1.2 (v0.1.2)" in screen
    assert "! git push --atomic origin refs/heads/main refs/tags/v0.1.2" in screen
    assert "committed CHANGELOG.md, pyproject.toml as" in screen
    assert "Successfully built seed_package-0.1.2.tar.gz" in screen  # streamed as it ran
    assert "pushed main and tag v0.1.2 to origin" in screen
    assert "released v0.1.2" in screen
    assert "next: follow the run to the files on the index: release-assistant watch v0.1.2" in (
        screen
    )
    assert git(bare, "log", "-1", "--format=%s", "main").strip() == "Release 0.1.2"
    assert (
        git(bare, "rev-parse", "refs/tags/v0.1.2^{commit}").strip()
        == git(bare, "rev-parse", "main").strip()
    )


def test_the_walkthrough_releases_in_one_go_in_a_terminal(tmp_path: Path) -> None:
    """S (a shifted key, as a terminal sends it), patch, yes: the walkthrough shows the
    plan, runs it, and says it is released; origin has the release."""
    from tests.conftest import git
    from tests.test_ship import released_repo

    work, bare = released_repo(tmp_path)
    script = Path(sys.executable).with_name("release-assistant")
    command = f"{script} tui --repo {work}; echo EXIT=$?; sleep 60"
    socket = f"ra-tui-ship-{os.getpid()}"
    env = {**os.environ, "TERM": "xterm-256color", "RELEASE_ASSISTANT_BUILD_NO_ISOLATION": "1"}
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", "ra", "-x", "80", "-y", "24", command],
        check=True,
        env=env,
        timeout=30,
    )
    try:
        # A publishing workflow and nothing mismatched: the setup is not offered.
        _wait_for(socket, "S Ship")
        _tmux(socket, "send-keys", "-t", "ra", "S")
        _wait_for(socket, "Release: bump version 0.1.1")
        _tmux(socket, "send-keys", "-t", "ra", "Down", "Down", "Enter")
        _wait_for(socket, "Release v0.1.2: every step below, in one go?")
        screen = _wait_for(socket, "Release (y)")
        assert "! git commit -m 'Release 0.1.2'" in screen, screen
        _tmux(socket, "send-keys", "-t", "ra", "y")
        screen = _wait_for(socket, "Released v0.1.2", timeout=120)
        assert "✔ ship" in screen and "✔ push" in screen, screen
        _tmux(socket, "send-keys", "-t", "ra", "q")
        _wait_for(socket, "EXIT=")
    finally:
        _tmux(socket, "kill-server")
    assert git(bare, "log", "-1", "--format=%s", "main").strip() == "Release 0.1.2"
    assert git(bare, "cat-file", "-t", "refs/tags/v0.1.2").strip() == "tag"
