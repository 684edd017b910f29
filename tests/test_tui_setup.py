"""The setup checklist, troubleshooting and the keys (``?``) in the app, driven with Pilot on
real repositories; their snapshots at 80x24 and 120x40."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TextArea

from release_assistant.core.release.setup_progress import load_progress
from release_assistant.core.urls import INDEX_API_URL_VARIABLE, PYPI_PENDING_PUBLISHER_URL
from release_assistant.tui.app import ReleaseAssistantApp
from release_assistant.tui.screens.dialogs import ConfirmScreen
from release_assistant.tui.screens.help import WALKTHROUGH_HELP, HelpScreen
from release_assistant.tui.screens.setup import SETUP_HELP, SetupScreen
from release_assistant.tui.screens.troubleshoot import CODE_WIDTH, TroubleshootScreen
from release_assistant.tui.screens.walkthrough import WalkthroughScreen
from release_assistant.tui.widgets.setup_item import ItemView
from tests.conftest import RepoFactory, git
from tests.github_support import Answer, FakeGitHub, serve_github
from tests.test_publisher import make as publisher_repo
from tests.test_setup_derive import NO_ENVIRONMENT
from tests.test_tui import SIZE, TODAY, broken_repo, make_app, settle, text_of

ORIGIN = "git@github.com:octo-org/seed-package.git"


def published_repo(make_repo: RepoFactory) -> Path:
    """A repository with a publishing workflow whose upload job has no environment."""
    return publisher_repo(make_repo, workflow=NO_ENVIRONMENT, origin=ORIGIN)


def setup_screen(app: ReleaseAssistantApp) -> SetupScreen:
    assert isinstance(app.screen, SetupScreen)
    return app.screen


def focused_item(app: ReleaseAssistantApp) -> ItemView:
    focused = app.screen.focused
    assert isinstance(focused, ItemView), focused
    return focused


def notifications(app: ReleaseAssistantApp) -> list[str]:
    return [notification.message for notification in app._notifications]


@pytest.fixture
def index(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    with serve_github() as fake:
        monkeypatch.setenv(INDEX_API_URL_VARIABLE, fake.url)
        yield fake


# --- keys and clipboard ----------------------------------------------------------------------


async def test_tab_moves_between_items_and_c_copies_the_picked_value(
    make_repo: RepoFactory,
) -> None:
    root = published_repo(make_repo)
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        setup_screen(app)
        assert focused_item(app).item.id == "origin-remote"
        await pilot.press("tab", "tab", "tab")  # one stop per item, no copy buttons between
        view = focused_item(app)
        assert view.item.id == "pypi-publisher"
        assert "▸ PyPI Project Name: seed-package" in view.render_item().plain
        await pilot.press("down", "c")
        assert view.picked == 1
        assert app.clipboard == "octo-org"
        copied = app.screen.query_one("#copied", TextArea)
        assert copied.display and copied.text == "octo-org"  # shown, selectable
        assert any("sent to the terminal's clipboard" in n for n in notifications(app))
        assert not any(n.startswith("Copied") for n in notifications(app))
        # The environment the workflow does not have: nothing to copy, and it says why.
        await pilot.press("down", "down", "down", "c")
        assert view.picked == 4
        assert app.clipboard == "octo-org"
        assert any("leave the field empty" in n for n in notifications(app))
        # C copies the item's pages in turn: the index was not reachable, so both.
        await pilot.press("C")
        assert app.clipboard == PYPI_PENDING_PUBLISHER_URL
        await pilot.press("C")
        assert "/settings/publishing/?provider=github" in app.clipboard
        assert copied.text == app.clipboard  # the whole URL, wrapped, not cut
        # Past the last value, ↓ goes on to the next item.
        await pilot.press("down")
        assert focused_item(app).item.id == "testpypi-publisher"


async def test_space_ticks_with_marks_that_read_without_colour(make_repo: RepoFactory) -> None:
    root = published_repo(make_repo)
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_setup()
        await settle(pilot)
        await pilot.press("tab", "tab", "tab")
        view = focused_item(app)
        assert view.render_item().plain.startswith("[ ] 4. Register the trusted publisher")
        await pilot.press("space")
        assert view.render_item().plain.startswith("[x] 4. Register the trusted publisher")
        assert "ticked by you" in view.render_item().plain
        assert load_progress(root).done == {"pypi-publisher"}
        await pilot.press("shift+tab", "shift+tab")  # the workflow: verified, not ticked
        assert focused_item(app).item.id == "workflow"
        await pilot.press("space")
        assert load_progress(root).done == {"pypi-publisher"}
        assert focused_item(app).render_item().plain.startswith("[x] 2.")
    saved = json.loads((root / ".git/release-assistant/setup.json").read_text())
    assert saved["done"] == ["pypi-publisher"]
    assert git(root, "status", "--porcelain") == ""  # never in the work tree

    again = make_app(root)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        again.action_setup()
        await settle(pilot)
        ticked = again.screen.query_one("#item-pypi-publisher", ItemView)
        assert ticked.render_item().plain.startswith("[x] 4.")


async def test_values_name_their_sources_on_screen(make_repo: RepoFactory) -> None:
    root = published_repo(make_repo)
    git(root, "tag", "0.1.0")  # tags without a "v"
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_setup()
        await settle(pilot)
        pypi = app.screen.query_one("#item-pypi-publisher", ItemView).render_item().plain
        assert "Environment name: none: leave the field empty" in pypi
        assert "from .github/workflows/release.yml job 'publish-pypi': it has no environment" in (
            pypi
        )
        assert "from origin (git@github.com:octo-org/seed-package.git)" in pypi
        assert "from pyproject.toml [project].name" in pypi
        environments = app.screen.query_one("#item-github-environments", ItemView)
        text = environments.render_item().plain
        assert text.startswith("[ ] 3. Optional: a GitHub environment")
        assert "Deployment tags: [0-9]*" in text  # follows the tags: no "v"
        assert "pypi" not in text.split("Deployment tags")[1].split("\n")[0]
        claims = text_of(app.screen.query_one("#setup-claims", Static))
        assert "sub               repo:octo-org/seed-package:ref:refs/tags/X.Y.Z" in claims
        assert (
            "job_workflow_ref  octo-org/seed-package/.github/workflows/release.yml"
            "@refs/tags/X.Y.Z" in claims
        )


# --- the offer ---------------------------------------------------------------------------------


async def test_setup_is_offered_without_a_workflow_and_no_is_remembered(
    make_repo: RepoFactory,
) -> None:
    root = broken_repo(make_repo)  # no publishing workflow
    app = ReleaseAssistantApp(root, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "no workflow that publishes to PyPI" in text_of(
            app.screen.query_one("#dialog-text", Static)
        )
        await pilot.press("n")
        await settle(pilot)
    assert load_progress(root).declined
    again = ReleaseAssistantApp(root, today=TODAY)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, WalkthroughScreen)  # asked once
        await pilot.press("s")  # and still one key away
        await settle(pilot)
        assert isinstance(again.screen, SetupScreen)


async def test_an_established_project_is_not_offered_setup(
    make_repo: RepoFactory, index: FakeGitHub
) -> None:
    index.route("GET", "/pypi/seed-package/json", Answer({"info": {"name": "seed-package"}}))
    root = published_repo(make_repo)
    app = ReleaseAssistantApp(root, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WalkthroughScreen)
    assert "/pypi/seed-package/json" in [request["path"] for request in index.requests]
    assert not load_progress(root).declined


async def test_a_new_project_is_offered_setup(make_repo: RepoFactory, index: FakeGitHub) -> None:
    root = published_repo(make_repo)  # the index answers 404: no such project yet
    app = ReleaseAssistantApp(root, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "no project seed-package on PyPI yet" in text_of(
            app.screen.query_one("#dialog-text", Static)
        )
        await pilot.press("y")
        await settle(pilot)
        pypi = app.screen.query_one("#item-pypi-publisher", ItemView)
        assert [link.url for link in pypi.item.links] == [PYPI_PENDING_PUBLISHER_URL]


# --- help and troubleshooting -----------------------------------------------------------------


async def test_question_mark_works_on_every_screen(make_repo: RepoFactory) -> None:
    app = make_app(broken_repo(make_repo))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for opened, text in (("", WALKTHROUGH_HELP), ("s", SETUP_HELP)):
            if opened:
                await pilot.press(opened)
                await settle(pilot)
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            assert app.screen.text == text
            body = app.screen.query_one("#help-body")
            assert body.max_scroll_y == 0  # fits 80x24: nothing to scroll to
            await pilot.press("question_mark")  # closes it again
            await pilot.pause()
            assert not isinstance(app.screen, HelpScreen)
        await pilot.press("h")
        await pilot.pause()
        search = app.screen.focused
        assert isinstance(search, Input)  # typing a search: "?" is a character, f1 the keys
        await pilot.press("question_mark")
        assert search.value == "?"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "f1" in app.screen.text
        await pilot.press("escape", "enter")  # from the search box to the table
        await pilot.pause()
        assert isinstance(app.screen.focused, DataTable)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_troubleshooting_is_a_table_filtered_by_code_symptom_and_text(
    make_repo: RepoFactory,
) -> None:
    app = make_app(broken_repo(make_repo))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TroubleshootScreen)
        table = screen.query_one("#rules", DataTable)
        assert [column.label.plain for column in table.columns.values()] == ["code", "title"]
        assert next(iter(table.columns.values())).width == CODE_WIDTH
        await pilot.press(*"invalid-publisher")
        await pilot.pause()
        assert screen.shown[0].code == "invalid-publisher"
        assert table.row_count == len(screen.shown)
        assert "Valid token" in text_of(screen.query_one("#rule-text", Static))
        screen.query_one("#search", Input).value = "RA403"
        await pilot.pause()
        assert screen.shown[0].code == "RA403"
        assert "RA403" in text_of(screen.query_one("#rule-text", Static))
        screen.query_one("#search", Input).value = "publisher not recognized"
        await pilot.pause()
        await pilot.press("enter", "down")
        assert screen.focused is table
        assert table.cursor_row == 1
        assert screen.shown[1].title in text_of(screen.query_one("#rule-text", Static))
        await pilot.press("escape")
        assert isinstance(app.screen, WalkthroughScreen)


# --- snapshots ---------------------------------------------------------------------------------

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


@SIZES
def test_setup_snapshot(make_repo: RepoFactory, snap_compare: Any, size: Any) -> None:
    async def open_setup(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("tab", "tab", "tab", "down", "C", "C")
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    app = make_app(published_repo(make_repo))
    assert snap_compare(app, terminal_size=size, run_before=open_setup)


@SIZES
def test_troubleshooting_snapshot(make_repo: RepoFactory, snap_compare: Any, size: Any) -> None:
    async def open_troubleshooting(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("h")
        # A blinking cursor is drawn or not depending on when the picture is taken.
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.press(*"publisher not recognized")  # stable as other rules are added
        await settle(pilot)

    app = make_app(broken_repo(make_repo))
    assert snap_compare(app, terminal_size=size, run_before=open_troubleshooting)


@SIZES
@pytest.mark.parametrize("where", ["setup", "troubleshooting"])
def test_help_snapshot(make_repo: RepoFactory, snap_compare: Any, size: Any, where: str) -> None:
    """Over this helper's screens only (the walkthrough's own snapshots cover it; its help
    is held to 80x24 by test_question_mark_works_on_every_screen)."""

    async def open_help(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("s" if where == "setup" else "h")
        await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.press("f1")
        await settle(pilot)

    app = make_app(broken_repo(make_repo))
    assert snap_compare(app, terminal_size=size, run_before=open_help)
