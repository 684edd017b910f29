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
        # No recorded publisher: the setup is offered first; "n" declines it.
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
