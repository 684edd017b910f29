"""The Textual walkthrough: Pilot interaction tests and a screen snapshot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Static

from release_assistant.tui.app import ReleaseAssistantApp
from tests.conftest import SEED_CHANGELOG, SEED_PYPROJECT, RepoFactory

# Only the checks whose verdicts are fixed by the fixture, so screens stay deterministic.
ONLY_CHANGELOG_AND_VERSION = """
[tool.release-assistant.checks.git]
enabled = false
[tool.release-assistant.checks.ci]
enabled = false
[tool.release-assistant.checks.lock]
enabled = false
[tool.release-assistant.checks.workflow]
enabled = false
[tool.release-assistant.checks.publisher]
enabled = false
[tool.release-assistant.checks.gates]
enabled = false
[tool.release-assistant.checks.dist]
enabled = false
"""


def broken_repo(make_repo: RepoFactory) -> Path:
    changelog = SEED_CHANGELOG.replace("[0.1.0] - 2026-03-01", "[0.1.1] - 2026-03-01")
    return make_repo(
        {
            "pyproject.toml": SEED_PYPROJECT + ONLY_CHANGELOG_AND_VERSION,
            "CHANGELOG.md": changelog,
        },
        name="demo",
    )


def plain_text(widget: Static) -> str:
    return str(widget.render())


async def test_checks_run_in_a_worker_and_failures_are_explained(make_repo: RepoFactory) -> None:
    app = ReleaseAssistantApp(broken_repo(make_repo), "v0.1.2")
    async with app.run_test(size=(110, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#checks", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        # `git` and `ci` are disabled by the fixture's config: their rows say skip, first.
        assert [str(row[0]) for row in rows][:4] == ["git", "ci", "version", "changelog"]
        summary = plain_text(screen.query_one("#summary", Static))
        assert "blocked by: version" in summary
        await pilot.press("down", "down")
        details = plain_text(screen.query_one("#details-text", Static))
        assert "RA303" in details and "fix:" in details

        await pilot.press("down")
        details = plain_text(screen.query_one("#details-text", Static))
        # 0.1.1 repeated is not the version being released (0.1.2): a warning.
        assert "RA420" in details and "CHANGELOG.md:11" in details

        await pilot.press("q")
    assert app.return_value == 1


async def test_rerun_picks_up_a_fixed_repository(make_repo: RepoFactory) -> None:
    root = broken_repo(make_repo)
    app = ReleaseAssistantApp(root, "v0.1.1")
    async with app.run_test(size=(110, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "blocked" in plain_text(app.screen.query_one("#summary", Static))

        (root / "CHANGELOG.md").write_text(SEED_CHANGELOG, encoding="utf-8")
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Ready to release version 0.1.1" in plain_text(
            app.screen.query_one("#summary", Static)
        )
        await pilot.press("q")
    assert app.return_value == 0


async def test_config_error_is_shown_not_raised(make_repo: RepoFactory) -> None:
    root = make_repo(
        {"pyproject.toml": SEED_PYPROJECT + "\n[tool.release-assistant]\nbogus = 1\n"},
        name="demo",
    )
    app = ReleaseAssistantApp(root, None)
    async with app.run_test(size=(110, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = plain_text(app.screen.query_one("#summary", Static))
        assert "Cannot run the checks" in summary and "unknown key 'bogus'" in summary
        await pilot.press("q")
    assert app.return_value == 1


def test_checks_screen_snapshot(make_repo: RepoFactory, snap_compare: Any) -> None:
    app = ReleaseAssistantApp(broken_repo(make_repo), "v0.1.1")

    async def settle(pilot: Any) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(110, 30), run_before=settle)


def test_without_a_terminal_the_checks_run_instead(make_repo: RepoFactory) -> None:
    """Started from a pipe or CI, the app never waits for keys: `check` runs, its code counts."""
    import subprocess
    import sys

    root = make_repo({"pyproject.toml": SEED_PYPROJECT, "CHANGELOG.md": SEED_CHANGELOG})
    completed = subprocess.run(
        [sys.executable, "-m", "release_assistant", "tui", "--repo", str(root)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "no terminal for the walkthrough" in completed.stderr
    assert "release-assistant check" in completed.stderr
    assert completed.returncode in (0, 1)
    assert ("ready to release" in completed.stdout) == (completed.returncode == 0)
    assert "\x1b[" not in completed.stdout  # plain text, no escape sequences


def test_a_config_error_exits_2_before_the_app_starts(make_repo: RepoFactory) -> None:
    import subprocess
    import sys

    root = make_repo({"pyproject.toml": SEED_PYPROJECT + "\n[tool.release-assistant]\nbogus = 1\n"})
    completed = subprocess.run(
        [sys.executable, "-m", "release_assistant", "tui", "--repo", str(root)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1 and "bogus: unknown key" in completed.stderr
