"""The Textual application: the release walkthrough, setup and troubleshooting screens."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message

from release_assistant.tui import core_calls
from release_assistant.tui.messages import Verdict
from release_assistant.tui.palette import ReleaseCommands
from release_assistant.tui.screens.dialogs import ConfirmScreen
from release_assistant.tui.screens.help import HelpScreen
from release_assistant.tui.screens.walkthrough import WalkthroughScreen


class SetupOffer(Message):
    """The project has no publishing workflow or no recorded publisher: offer the setup."""

    def __init__(self, needs: list[str]) -> None:
        super().__init__()
        self.needs = needs


class ReleaseAssistantApp(App[int]):
    """Walks a maintainer through a release: checks, fixes, bump, tag, push, publish.

    The app's return value is the exit code the CLI should use: 0 when every blocking check
    passed in the last run, 1 otherwise. An exception no handler caught ends the app and is
    kept in :attr:`crash` (not drawn: the CLI reports it as every other error, a bug's
    traceback going to a file). ``today`` and ``environ`` are injectable (fixed
    dates in snapshots); ``offer_setup`` turns off the automatic first-time setup offer.
    """

    CSS_PATH = "app.tcss"
    TITLE = "release-assistant"
    COMMANDS = App.COMMANDS | {ReleaseCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit_with_verdict", "Quit", show=False),
        # On the App, with priority: every screen and dialog answers it. A text box that
        # has the focus types "?" (Textual leaves printable keys to it); f1 works there too.
        Binding("question_mark,f1", "help", "Help", priority=True),
    ]

    def __init__(
        self,
        root: Path,
        tag: str | None = None,
        *,
        today: dt.date | None = None,
        environ: Mapping[str, str] | None = None,
        offer_setup: bool = True,
    ) -> None:
        super().__init__()
        # Below 100 columns the panes give way (see app.tcss).
        self.HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
        self.root = root
        self.tag = tag
        self.session = core_calls.Session(root, tag, today, environ)
        self.offer_setup = offer_setup
        self.last_verdict_ok = False
        self.walkthrough = WalkthroughScreen(self.session)
        #: The first exception no handler caught; it ended the app.
        self.crash: Exception | None = None

    def _handle_exception(self, error: Exception) -> None:
        """Textual's end of the app on an uncaught exception, without the traceback it would
        print on exit: :func:`release_assistant.cli.main` reports :attr:`crash` instead."""
        if self.crash is None:
            self.crash = error
        super()._handle_exception(error)
        self._exit_renderables.clear()

    def on_mount(self) -> None:
        """Show the walkthrough (it starts the checks) and, if needed, offer the setup."""
        self.sub_title = self.root.name + (f" · {self.tag}" if self.tag else "")
        self.push_screen(self.walkthrough)
        if self.offer_setup:
            # After the first frame, like the walkthrough's checks: nothing delays it.
            self.call_after_refresh(self.check_setup_needed)

    @work(thread=True, exclusive=True, group="setup-offer", exit_on_error=False)
    def check_setup_needed(self) -> None:
        """Worker: offer the setup only when there is no publishing workflow, a publisher
        the index would not recognize, or no project on the index yet; never again once
        declined for this repository."""
        from release_assistant.core.release.setup_checklist import ask_indexes, build_checklist
        from release_assistant.core.release.setup_progress import load_progress
        from release_assistant.core.support.errors import LocatedError

        if load_progress(self.root).declined:
            return
        from release_assistant.tui.flows.setup_actions import setup_context

        try:
            ctx = setup_context(self.session)
            checklist = build_checklist(ctx, ask_indexes(ctx))
        except LocatedError:
            return  # the walkthrough shows the configuration error
        if checklist.offer:
            self.post_message(SetupOffer(checklist.offer))

    def on_setup_offer(self, message: SetupOffer) -> None:
        """Ask once; "no" is remembered for this repository."""
        from textual.content import Content

        from release_assistant.core.release.setup_progress import decline_offer

        def answered(yes: bool | None) -> None:
            if yes:
                self.action_setup()
                return
            with contextlib.suppress(OSError):  # asking again next time is the only cost
                decline_offer(self.root)
            self.notify("Not asked again here; the setup checklist stays one key away: s.")

        body = Content(
            "This project has "
            + " and ".join(message.needs)
            + ".\n\nThe setup checklist shows the values to register on PyPI and TestPyPI, "
            "each derived from your workflow, origin and tags, with where it came from. "
            "It stays one key away (s) if you say no now; no is remembered."
        )
        question = "First release with trusted publishing? Open the setup checklist?"
        self.push_screen(ConfirmScreen(question, body, yes="Open setup"), answered)

    def on_verdict(self, message: Verdict) -> None:
        """Remember the walkthrough's verdict: it is the exit code."""
        self.last_verdict_ok = message.ok

    def walkthrough_action(self, name: str) -> None:
        """Run a walkthrough action from the palette (going back to the walkthrough)."""
        while self.screen is not self.walkthrough and len(self.screen_stack) > 1:
            self.pop_screen()
        if name == "report":
            self.walkthrough.write_report()
            return
        getattr(self.walkthrough, f"action_{name}")()

    def action_setup(self) -> None:
        """Open the first-time trusted-publisher setup checklist."""
        from release_assistant.tui.screens.setup import SetupScreen

        self.push_screen(SetupScreen(self.session))

    def action_troubleshoot(self) -> None:
        """Open the searchable list of every rule and publish-time error."""
        from release_assistant.tui.screens.troubleshoot import TroubleshootScreen

        self.push_screen(TroubleshootScreen())

    def action_help(self) -> None:
        """Show the keys of the current screen (``?`` again closes them)."""
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        text = getattr(self.screen, "HELP_TEXT", None)
        self.push_screen(HelpScreen(text) if isinstance(text, str) else HelpScreen())

    def action_quit_with_verdict(self) -> None:
        """Quit, returning 0 when the last run passed and 1 otherwise; not while the
        release in one go runs (it would stop half done, without its rollback)."""
        from release_assistant.core.support.errors import ExitCode

        if self.walkthrough.shipping:
            self.notify(
                "The release is running: wait for it to end (a failure before the push is "
                "rolled back), then quit.",
                title="Not quitting now",
                severity="warning",
            )
            return

        self.exit(ExitCode.OK if self.last_verdict_ok else ExitCode.FAILED)
