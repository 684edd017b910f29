"""The Textual application that hosts the release walkthrough screens."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from release_assistant.tui.screens.checks import ChecksFinished, ChecksScreen


class ReleaseAssistantApp(App[int]):
    """Runs every release check on a repository and explains each failure with its fix.

    The app's return value is the exit code the CLI should use: 0 when every blocking check
    passed in the last run, 1 otherwise.
    """

    CSS_PATH = "app.tcss"
    TITLE = "release-assistant"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit_with_verdict", "Quit")]

    def __init__(self, root: Path, tag: str | None = None) -> None:
        super().__init__()
        self.root = root
        self.tag = tag
        self.last_verdict_ok = False

    def on_mount(self) -> None:
        """Show the checks screen; it starts running the checks at once."""
        self.sub_title = self.root.name + (f" · {self.tag}" if self.tag else "")
        self.push_screen(ChecksScreen(self.root, self.tag))

    def on_checks_finished(self, message: ChecksFinished) -> None:
        """Remember the verdict of the latest run (the message bubbles up from the screen)."""
        self.last_verdict_ok = message.problem is None and not any(
            result.blocks_release for result in message.results
        )

    def action_quit_with_verdict(self) -> None:
        """Quit, returning 0 when the last run passed and 1 otherwise."""
        self.exit(0 if self.last_verdict_ok else 1)
