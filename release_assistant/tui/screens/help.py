"""The keys (``?`` or ``f1``, bound on the App so every screen answers): the current screen's own
keys when it has a ``HELP_TEXT``, else the walkthrough's. It fits 80x24; a smaller terminal
pages it (↑↓, pgup/pgdn, space)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

#: The walkthrough's keys: at most 66 columns and 17 lines, so the box fits 80x24.
WALKTHROUGH_HELP = """\
[b]The walkthrough[/b] runs every check, then the release steps, in order.
Select a step to see its findings, the fix, and why the rule exists.

[b]enter[/b]   run the selected step
[b]S[/b]       ship: the whole release in one go, after one yes (a
        failure before the push is rolled back)
[b]r[/b]       run every check again, then write the verification report
[b]f[/b]       re-run only the checks that failed
[b]e[/b]       open the selected finding's file at its line in $EDITOR
[b]l[/b]       show / hide the log: the running step's whole output
[b]b[/b]       bump the version: choose, preview the diff, confirm
[b]t[/b] / [b]p[/b]   create the annotated tag / push it to origin
[b]s[/b]       first-time trusted-publisher setup checklist
[b]h[/b]       troubleshooting: every rule and publish error, searchable
[b]?[/b] keys · [b]ctrl+p[/b] commands · [b]q[/b] quit (exit 0 only when ready)

Nothing is written, tagged or pushed without a yes in a dialog.
"""


class HelpScreen(ModalScreen[None]):
    """The keys of the screen it was opened from."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; background: $background 60%; }
    HelpScreen #help-box {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen #help-body { height: auto; max-height: 1fr; }
    HelpScreen #help-hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close"),
        Binding("up,k", "page(-1)", "Up", show=False),
        Binding("down,j", "page(1)", "Down", show=False),
        Binding("pageup", "page(-10)", "Page up", show=False),
        Binding("pagedown,space", "page(10)", "Page down", show=False),
    ]

    def __init__(self, text: str = WALKTHROUGH_HELP) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        """The help text, and how to close (and page) it."""
        with Vertical(id="help-box"):
            with VerticalScroll(id="help-body"):
                yield Static(Content.from_markup(self.text.rstrip()), id="help-text")
            yield Static("escape or ?: close", id="help-hint")

    def on_mount(self) -> None:
        """Say how to page only when the text does not fit."""
        self.call_after_refresh(self._hint_paging)

    def on_resize(self) -> None:
        """The terminal changed size: page or not."""
        self.call_after_refresh(self._hint_paging)

    def _hint_paging(self) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        hint = "escape or ?: close"
        if body.max_scroll_y > 0:
            hint += " · ↑↓ pgup pgdn space: more"
        self.query_one("#help-hint", Static).update(hint)

    def action_page(self, lines: int) -> None:
        """Scroll the text by ``lines`` (negative: up)."""
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_to(y=body.scroll_y + lines, animate=False)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
