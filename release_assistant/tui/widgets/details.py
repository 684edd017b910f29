"""The details pane: the selected step's findings, fixes, plan output and log."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static


class DetailsPane(VerticalScroll):
    """A scrolling pane with one text: :meth:`show` replaces it."""

    def compose(self) -> ComposeResult:
        """The text."""
        yield Static("", id="details-text")

    def show(self, content: Content) -> None:
        """Show ``content`` (the pane keeps its scroll position)."""
        self.query_one("#details-text", Static).update(content)

    def follow(self) -> None:
        """Scroll to the end once the new text is laid out (a running step's output)."""
        self.call_after_refresh(self.scroll_end, animate=False)

    def to_top(self) -> None:
        """Scroll to the top once laid out (an outcome is written first)."""
        self.call_after_refresh(self.scroll_home, animate=False)
