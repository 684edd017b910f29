"""The Textual walkthrough, driven with Pilot on real repositories (with a bare origin)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from release_assistant.core.engine import REGISTRY
from release_assistant.core.urls import INDEX_API_URL_VARIABLE
from release_assistant.tui.app import ReleaseAssistantApp
from release_assistant.tui.release_state import tag_blockers
from release_assistant.tui.screens.dialogs import BumpScreen, ConfirmScreen
from release_assistant.tui.screens.troubleshoot import TroubleshootScreen
from release_assistant.tui.screens.walkthrough import WalkthroughScreen
from release_assistant.tui.step_list import RELEASE_STEPS, State, build_steps
from tests.conftest import SEED_CHANGELOG, SEED_PYPROJECT, RepoFactory, git
from tests.git_support import commit_file, make_origin_repo

TODAY = dt.date(2026, 4, 1)
SIZE = (120, 40)

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

#: The changelog after 0.1.1 was tagged: new notes, and a typo (a date in the future).
NEXT_CHANGELOG = SEED_CHANGELOG.replace(
    "## [Unreleased]\n", "## [Unreleased]\n\n### Fixed\n\n- The walkthrough keeps the row.\n"
).replace("[0.1.1] - 2026-03-20", "[0.1.1] - 2099-03-20")


def broken_repo(make_repo: RepoFactory) -> Path:
    changelog = SEED_CHANGELOG.replace("[0.1.0] - 2026-03-01", "[0.1.1] - 2026-03-01")
    return make_repo(
        {
            "pyproject.toml": SEED_PYPROJECT + ONLY_CHANGELOG_AND_VERSION,
            "CHANGELOG.md": changelog,
        },
        name="demo",
    )


def make_app(root: Path, tag: str | None = None) -> ReleaseAssistantApp:
    return ReleaseAssistantApp(root, tag, today=TODAY, offer_setup=False)


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until every worker (and every worker a message handler started) is done."""
    for _ in range(6):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.pause(0.05)


def text_of(widget: Static) -> str:
    return str(widget.render())


def walkthrough(app: ReleaseAssistantApp) -> WalkthroughScreen:
    return app.walkthrough


def states(app: ReleaseAssistantApp) -> dict[str, State]:
    return {step.id: step.state for step in walkthrough(app).steps}


def summary(app: ReleaseAssistantApp) -> str:
    return text_of(walkthrough(app).query_one("#summary", Static))


def details(app: ReleaseAssistantApp) -> str:
    return text_of(walkthrough(app).query_one("#details-text", Static))


async def select(pilot: Pilot[Any], step_id: str) -> None:
    screen = walkthrough(pilot.app)  # type: ignore[arg-type]
    index = [step.id for step in screen.steps].index(step_id)
    screen.query_one("#steps", OptionList).highlighted = index
    await pilot.pause()


async def run_pre_release_steps(pilot: Pilot[Any]) -> None:
    """Run the pre-release commands and the local build (confirming the rebuild): both
    must have passed before the tag is allowed."""
    await select(pilot, "commands")
    await pilot.press("enter")
    await settle(pilot)
    await select(pilot, "build")
    await pilot.press("enter")
    await settle(pilot)
    if isinstance(pilot.app.screen, ConfirmScreen):
        await pilot.press("y")
        await settle(pilot)


def test_the_steps_are_the_registry_then_the_release() -> None:
    steps = build_steps(REGISTRY)
    assert [s.id for s in steps] == [spec.id for spec in REGISTRY] + [s[0] for s in RELEASE_STEPS]


async def test_failures_are_explained_with_location_fix_and_rule(make_repo: RepoFactory) -> None:
    app = make_app(broken_repo(make_repo), "v0.1.2")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert states(app)["git"] is State.SKIP
        assert states(app)["version"] is State.FAIL
        assert "blocked by: version" in summary(app)
        # The first blocking check is selected after the first run.
        assert walkthrough(app).selected.id == "version"
        assert "RA303" in details(app) and "fix:" in details(app) and "why:" in details(app)
        await pilot.press("down")
        # 0.1.1 repeated is not the version being released (0.1.2): a warning.
        assert "RA420" in details(app) and "CHANGELOG.md:11" in details(app)
        await pilot.press("q")
    assert app.return_value == 1


async def test_a_config_error_is_shown_not_raised(make_repo: RepoFactory) -> None:
    root = make_repo(
        {"pyproject.toml": SEED_PYPROJECT + "\n[tool.release-assistant]\nbogus = 1\n"},
        name="demo",
    )
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Cannot run the checks" in summary(app) and "unknown key 'bogus'" in summary(app)
        await pilot.press("q")
    assert app.return_value == 1


def buildable_seed() -> dict[str, str | bytes]:
    """The seed project with a package to build (the tag waits for the local build)."""
    from tests.git_support import seed_files

    return {**seed_files(), "seed_package/__init__.py": '"""Seed."""\n', ".gitignore": "dist/\n"}


@pytest.mark.long
async def test_from_a_failing_check_to_a_pushed_tag(tmp_path: Path) -> None:
    """Launch, fail, refuse the tag, fix, re-run, bump, tag, push: on a real origin."""
    work, bare = make_origin_repo(tmp_path, buildable_seed(), workflow=True)
    git(work, "tag", "-a", "v0.1.1", "-m", "Release v0.1.1")
    commit_file(work, "CHANGELOG.md", NEXT_CHANGELOG, "notes for the next release")
    git(work, "push", "-q")
    app = make_app(work)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        got = states(app)
        assert got["changelog"] is State.FAIL, details(app)
        assert got["git"] is State.FAIL  # v0.1.1 is on another commit: bump needed
        assert got["bump"] is State.PENDING and got["tag"] is State.PENDING
        assert got["report"] is State.PASS  # written inside .git, out of the work tree
        assert (work / ".git/release-assistant/verification-report.json").is_file()

        # Refused: the key is disabled, and running the tag row says why.
        assert app.walkthrough.check_action("tag", ()) is None
        await pilot.press("t")
        await select(pilot, "tag")
        await pilot.press("enter")
        await settle(pilot)
        assert git(work, "tag", "--list", "v0.1.*").split() == ["v0.1.1"]
        assert any("Not tagging" in str(n.message) for n in app._notifications)

        # Fix the changelog, commit, push; re-run the failed checks; the row stays selected.
        await select(pilot, "changelog")
        fixed = NEXT_CHANGELOG.replace("2099-03-20", "2026-03-20")
        commit_file(work, "CHANGELOG.md", fixed, "fix the date")
        git(work, "push", "-q")
        await pilot.press("f")
        await settle(pilot)
        assert states(app)["changelog"] in (State.PASS, State.WARN)
        assert walkthrough(app).selected.id == "changelog"
        assert states(app)["git"] is State.FAIL

        # Bump: the menu shows each choice's version; the diff is confirmed, then written.
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BumpScreen)
        menu = app.screen.query_one(OptionList)
        prompts = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        assert "patch  → 0.1.2" in prompts and "minor  → 0.2.0" in prompts
        menu.highlighted = [p.split()[0] for p in prompts].index("patch")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert '+version = "0.1.2"' in text_of(app.screen.query_one("#dialog-text", Static))
        await pilot.press("y")
        await settle(pilot)
        assert 'version = "0.1.2"' in (work / "pyproject.toml").read_text()
        assert "## [0.1.2] - 2026-04-01" in (work / "CHANGELOG.md").read_text()
        git(work, "commit", "-q", "-am", "Release 0.1.2")
        git(work, "push", "-q")
        await pilot.press("r")
        await settle(pilot)
        assert not [s for s, state in states(app).items() if state is State.FAIL], details(app)
        # The tag waits for the local build, not only checks (no commands are configured:
        # nothing to wait for there).
        assert app.walkthrough.check_action("tag", ()) is None
        assert "Before tagging, run build:" in summary(app)
        assert states(app)["commands"] is State.SKIP
        await run_pre_release_steps(pilot)
        assert states(app)["build"] is State.PASS, details(app)
        assert "Ready to release version 0.1.2" in summary(app)

        # Tag: the plan is shown; yes creates it; the push is offered at once.
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        plan = text_of(app.screen.query_one("#dialog-text", Static))
        assert "! git tag -a v0.1.2 -F <notes>" in plan
        # What the tag writes is shown before the yes: the message's first line, the notes.
        assert "first line: " in plan and "The walkthrough keeps the row." in plan
        await pilot.press("y")
        await settle(pilot)
        message = git(work, "tag", "-l", "--format=%(contents)", "v0.1.2")
        assert "The walkthrough keeps the row." in message
        assert git(work, "cat-file", "-t", "v0.1.2").strip() == "tag"  # annotated
        assert isinstance(app.screen, ConfirmScreen)
        push_plan = text_of(app.screen.query_one("#dialog-text", Static))
        assert "! git push origin refs/tags/v0.1.2" in push_plan
        await pilot.press("y")
        await settle(pilot)
        assert "refs/tags/v0.1.2" in git(bare, "show-ref", "--tags")
        assert states(app)["push"] is State.PASS
        # The verification report was written at tag time, for the tagged commit.
        report = (work / ".git/release-assistant/verification-report.json").read_text()
        tagged = git(work, "rev-parse", "v0.1.2^{commit}").strip()
        assert tagged in report and '"v0.1.2"' in report
        await select(pilot, "report")
        assert f"for commit {tagged[:12]}" in details(app)
        assert "is on origin" in summary(app)
        await pilot.press("q")
    assert app.return_value == 0


@pytest.mark.long
async def test_a_rejected_push_shows_the_message_and_the_retry(tmp_path: Path) -> None:
    work, bare = make_origin_repo(tmp_path, buildable_seed(), workflow=True)
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'tags are frozen today' >&2\nexit 1\n")
    hook.chmod(0o755)
    app = make_app(work)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_pre_release_steps(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("y")  # create the tag
        await settle(pilot)
        await pilot.press("y")  # push it
        await settle(pilot)
        assert git(work, "tag", "--list").split() == ["v0.1.1"]
        assert "v0.1.1" not in git(bare, "tag", "--list")
        assert states(app)["push"] is State.FAIL
        await select(pilot, "push")
        shown = details(app)
        assert "rejected" in shown or "failed" in shown
        assert "git push origin refs/tags/v0.1.1" in shown


async def test_editor_opens_the_finding_and_the_check_runs_again(
    make_repo: RepoFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import contextlib

    root = broken_repo(make_repo)
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\n"
        "assert sys.argv[1] == '+11', sys.argv\n"
        "p = pathlib.Path(sys.argv[2])\n"
        "p.write_text(p.read_text().replace('[0.1.1] - 2026-03-01', '[0.1.0] - 2026-03-01'))\n"
    )
    app = ReleaseAssistantApp(
        root, today=TODAY, offer_setup=False, environ={"EDITOR": f"{sys.executable} {editor}"}
    )
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "changelog")
        assert states(app)["changelog"] is State.FAIL
        await pilot.press("e")
        await settle(pilot)
        assert states(app)["changelog"] in (State.PASS, State.WARN)
        assert walkthrough(app).selected.id == "changelog"


async def test_the_command_palette_offers_the_release_commands(make_repo: RepoFactory) -> None:
    app = make_app(broken_repo(make_repo))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Troubleshooting")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TroubleshootScreen)


# --- snapshots -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_walkthrough_snapshot(make_repo: RepoFactory, snap_compare: Any, size: Any) -> None:
    assert snap_compare(
        make_app(broken_repo(make_repo), "v0.1.1"), terminal_size=size, run_before=settle
    )


def test_walkthrough_snapshot_light_theme(make_repo: RepoFactory, snap_compare: Any) -> None:
    """The light theme: colours come from theme variables, so it needs no style of its own."""

    async def light(pilot: Pilot[Any]) -> None:
        pilot.app.theme = "textual-light"
        await settle(pilot)

    app = make_app(broken_repo(make_repo), "v0.1.1")
    assert snap_compare(app, terminal_size=(100, 30), run_before=light)


# --- the console script ----------------------------------------------------------------------


def test_without_a_terminal_the_checks_run_instead(make_repo: RepoFactory) -> None:
    """Started from a pipe or CI, the app never waits for keys: `check` runs, its code counts."""
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


def test_options_without_a_command_are_the_walkthroughs(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": SEED_PYPROJECT, "CHANGELOG.md": SEED_CHANGELOG})
    completed = subprocess.run(
        [sys.executable, "-m", "release_assistant", "--repo", str(root)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "no terminal for the walkthrough" in completed.stderr, completed.stderr
    assert completed.returncode in (0, 1)


async def test_the_publish_step_publishes_the_release_with_a_token(tmp_path: Path) -> None:
    """With GH_TOKEN set, the last step plans the GitHub release, confirms, and POSTs it to
    the (loopback) API: from the terminal to a published release."""
    from release_assistant.core.github.api import API_URL_VARIABLE
    from tests.github_support import TOKEN, Answer, github_repo, serve_github

    work, _ = github_repo(tmp_path)
    git(work, "tag", "-a", "v0.1.1", "-m", "v0.1.1")
    git(work, "push", "-q", "origin", "refs/tags/v0.1.1")
    with serve_github() as fake:
        fake.route("GET", "/repos/o/r/releases", Answer([]))
        created = {"id": 1, "html_url": "https://github.com/o/r/releases/tag/v0.1.1"}
        fake.route("POST", "/repos/o/r/releases", Answer(created, 201))
        environ = {
            "GH_TOKEN": TOKEN,
            API_URL_VARIABLE: fake.url,
            # The watch that follows publishing asks the loopback server, never the index.
            INDEX_API_URL_VARIABLE: fake.url,
            "HOME": str(tmp_path),
        }
        app = ReleaseAssistantApp(work, today=TODAY, offer_setup=False, environ=environ)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await select(pilot, "publish")
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            shown = text_of(app.screen.query_one("#dialog-text", Static))
            assert "The release notes (its body):" in shown
            assert "The parity gate now reads the upstream lock." in shown
            await pilot.press("y")
            await settle(pilot)
            assert states(app)["publish"] is State.PASS, details(app)
            assert "https://github.com/o/r/actions" in details(app)
        posts = [r for r in fake.requests if r["method"] == "POST"]
    assert len(posts) == 1
    body = posts[0]["body"]
    assert isinstance(body, dict) and body["tag_name"] == "v0.1.1"
    assert "The parity gate now reads the upstream lock." in str(body["body"])


SCRIPTS = {
    "ok.py": "print('hello')\nprint('world')\n",
    "bad.py": "print('broken')\nraise SystemExit(3)\n",
}


@pytest.mark.parametrize(
    ("script", "state", "tag_blocked"),
    [("ok.py", State.PASS, False), ("bad.py", State.FAIL, True)],
    ids=["passing", "failing"],
)
async def test_pre_release_commands_stream_their_output(
    make_repo: RepoFactory, script: str, state: State, tag_blocked: bool
) -> None:
    config = f"\n[tool.release-assistant]\ncommands = ['{sys.executable} {script}']\n"
    root = make_repo(
        {
            "pyproject.toml": SEED_PYPROJECT + config + ONLY_CHANGELOG_AND_VERSION,
            "CHANGELOG.md": SEED_CHANGELOG,
            **SCRIPTS,
        }
    )
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "commands")
        await pilot.press("enter")
        await settle(pilot)
        assert states(app)["commands"] is state, details(app)
        shown = details(app)
        assert f"$ {sys.executable} {script}" in shown
        assert ("hello" in shown and "world" in shown) or "broken" in shown
        blockers = tag_blockers(walkthrough(app).steps)
        assert ("commands (failed)" in blockers) is tag_blocked


@pytest.mark.long
async def test_the_build_step_streams_the_build_and_checks_dist(make_repo: RepoFactory) -> None:
    """Enter on the build step: the plan is confirmed, `python -m build` runs with its
    output in the details, and the `dist` check then judges what it built."""
    from release_assistant.tui.screens.walkthrough import NO_ISOLATION_VARIABLE

    root = make_repo(
        {
            "pyproject.toml": SEED_PYPROJECT.replace(
                "[tool.release-assistant.checks.dist]\nenabled = false\n", ""
            )
            + ONLY_CHANGELOG_AND_VERSION.replace(
                "[tool.release-assistant.checks.dist]\nenabled = false\n", ""
            ),
            "CHANGELOG.md": SEED_CHANGELOG,
            "seed_package/__init__.py": "",
        }
    )
    environ = {NO_ISOLATION_VARIABLE: "1", "HOME": str(root)}
    app = ReleaseAssistantApp(root, today=TODAY, offer_setup=False, environ=environ)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert states(app)["dist"] is State.SKIP  # nothing built yet
        await select(pilot, "build")
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen  # opens at once ("checking…"), filled in place
        assert isinstance(dialog, ConfirmScreen)
        await settle(pilot)
        assert dialog.ready
        assert app.screen is dialog
        await pilot.press("y")
        await settle(pilot)
        assert states(app)["build"] is State.PASS, details(app)
        assert "Successfully built" in details(app)
        assert states(app)["dist"] in (State.PASS, State.WARN)
    assert sorted(p.suffix for p in (root / "dist").iterdir()) == [".gz", ".whl"]


async def test_a_missing_build_frontend_fails_the_build_step_and_blocks_the_tag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import release_assistant.core.release.build as build

    # The interpreter without PyPA's build: the one environment fact this test changes.
    monkeypatch.setattr(build, "build_available", lambda: False)
    work, _ = make_origin_repo(tmp_path, buildable_seed(), workflow=True)
    app = make_app(work)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_pre_release_steps(pilot)
        assert states(app)["build"] is State.FAIL
        await select(pilot, "build")
        assert "pip install build" in details(app)
        assert app.walkthrough.check_action("tag", ()) is None
        assert "build (failed)" in summary(app)
        await pilot.press("q")


async def test_a_relaunch_reads_the_tag_on_origin_and_dialogs_open_at_once(
    tmp_path: Path,
) -> None:
    """After a relaunch the walkthrough asks origin (no "press p" for a tag it has); the
    bump menu opens at once, "checking…" until the version is read, and takes a typed
    version; its confirmation dialog shows the plan once ready."""
    work, _ = make_origin_repo(tmp_path, buildable_seed(), workflow=True)
    git(work, "tag", "-a", "v0.1.1", "-m", "v0.1.1")
    git(work, "push", "-q", "origin", "refs/tags/v0.1.1")
    app = make_app(work)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert states(app)["tag"] is State.PASS and states(app)["push"] is State.PASS
        assert "press p" not in summary(app) and "v0.1.1 is on origin" in summary(app)
        assert app.walkthrough.check_action("push", ()) is None
        assert app.walkthrough.check_action("watch", ()) is True

        app.walkthrough.action_bump()
        await pilot.pause()
        assert isinstance(app.screen, BumpScreen)  # before the version was read
        await settle(pilot)
        question = text_of(app.screen.query_one("#question", Static))
        assert question == "Bump version 0.1.1 to…"
        await pilot.press("tab", *"2.0.0rc1", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await settle(pilot)
        plan = text_of(app.screen.query_one("#dialog-text", Static))
        assert "bump 0.1.1 -> 2.0.0rc1" in plan
        await pilot.press("y")
        await settle(pilot)
        assert 'version = "2.0.0rc1"' in (work / "pyproject.toml").read_text()
        assert states(app)["bump"] is State.PASS, details(app)
        await pilot.press("q")


async def test_the_log_shows_the_running_steps_output_and_l_toggles_it(
    make_repo: RepoFactory,
) -> None:
    """The log (hidden at first, the details keep the height) holds the whole output of the
    step that ran; l shows and focuses it at 80x24 below the details, l hides it again; it
    keeps at most MAX_LOG_LINES lines."""
    from textual.widgets import Footer

    from release_assistant.tui.widgets.details import DetailsPane
    from release_assistant.tui.widgets.log import MAX_LOG_LINES, StepLog

    config = f"\n[tool.release-assistant]\ncommands = ['{sys.executable} ok.py']\n"
    root = make_repo(
        {
            "pyproject.toml": SEED_PYPROJECT + config + ONLY_CHANGELOG_AND_VERSION,
            "CHANGELOG.md": SEED_CHANGELOG,
            **SCRIPTS,
        }
    )
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        log = app.screen.query_one(StepLog)
        assert not log.display
        await select(pilot, "commands")
        await pilot.press("enter")
        await settle(pilot)
        assert states(app)["commands"] is State.PASS, details(app)
        assert list(log.lines) == [f"$ {sys.executable} ok.py", "hello", "world"]
        assert "commands" in str(log.border_title).lower()
        details_pane = app.screen.query_one(DetailsPane)
        full_height = details_pane.region.height
        await pilot.press("l")
        await pilot.pause()
        assert log.display and app.screen.focused is log
        # Nothing cut at 80x24: the log sits below the details, above the footer.
        footer = app.screen.query_one(Footer)
        assert log.region.height >= 5 and log.region.bottom <= footer.region.y
        assert details_pane.region.height >= 5 and details_pane.region.bottom <= log.region.y
        assert details_pane.region.height < full_height
        await pilot.press("l")
        await pilot.pause()
        assert not log.display and details_pane.region.height == full_height
        assert app.screen.focused is app.screen.query_one("#steps")
        log.add("commands", [str(n) for n in range(MAX_LOG_LINES + 50)])
        await pilot.pause()
        assert log.line_count == MAX_LOG_LINES and log.lines[-1] == str(MAX_LOG_LINES + 49)
        await pilot.press("q")


async def test_a_relaunch_asks_github_whether_the_release_exists(tmp_path: Path) -> None:
    """With a token, the launch asks GitHub for the tag's release: one published earlier
    (another session, GitHub's page) passes the publish row and the status line moves on
    to the watch; publish is off."""
    from release_assistant.core.github.api import API_URL_VARIABLE
    from tests.github_support import TOKEN, Answer, github_repo, serve_github

    work, _ = github_repo(tmp_path)
    git(work, "tag", "-a", "v0.1.1", "-m", "v0.1.1")
    git(work, "push", "-q", "origin", "refs/tags/v0.1.1")
    page = "https://github.com/o/r/releases/tag/v0.1.1"
    with serve_github() as fake:
        fake.route("GET", "/repos/o/r/releases/tags/v0.1.1", Answer({"html_url": page}))
        environ = {"GH_TOKEN": TOKEN, API_URL_VARIABLE: fake.url, "HOME": str(tmp_path)}
        app = ReleaseAssistantApp(work, today=TODAY, offer_setup=False, environ=environ)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert states(app)["publish"] is State.PASS, details(app)
            await select(pilot, "publish")
            assert "The GitHub release of v0.1.1 exists." in details(app)
            assert page in details(app)
            assert app.walkthrough.check_action("publish", ()) is None
            assert "v0.1.1 is published: next, enter on watch" in summary(app)
            await pilot.press("q")
        assert any(r["path"] == "/repos/o/r/releases/tags/v0.1.1" for r in fake.requests)
