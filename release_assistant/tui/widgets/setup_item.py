"""The setup checklist's widgets: one item (mark, status, instructions, pages, values with
their sources) and the OIDC claims. Ticked and unticked read differently without colour
(``[x]`` / ``[ ]``)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from release_assistant.core.release.setup_checklist import ChecklistItem
from release_assistant.tui.flows.setup_actions import page_targets
from release_assistant.tui.render import Part, assemble


class ItemView(Static, can_focus=True):
    """One checklist item: mark, title, status, instructions, pages and values.

    One Tab stop per item; the value picked with ↑/↓ is the one ``c`` copies.
    """

    # On the item itself: the scrolling container around it binds the arrows too.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "screen.pick(-1)", "Pick", show=False),
        Binding("down", "screen.pick(1)", "Pick", show=False),
    ]

    picked: reactive[int] = reactive(0)

    def __init__(self, number: int, item: ChecklistItem, done: bool) -> None:
        super().__init__(id=f"item-{item.id}", classes="item")
        self.number = number
        self.item = item
        self.done = done
        self.page_turn = 0

    def show(self, item: ChecklistItem, done: bool) -> None:
        """Render ``item`` again (new values, a new mark)."""
        self.item = item
        self.done = done
        self.picked = min(self.picked, max(len(item.fields) - 1, 0))
        self.set_class(done, "-done")
        self.update(self.render_item())

    def on_mount(self) -> None:
        """First render."""
        self.show(self.item, self.done)

    def watch_picked(self) -> None:
        """Move the ▸ mark."""
        self.update(self.render_item())

    def watch_has_focus(self, _has_focus: bool) -> None:
        """Show the ▸ mark on the picked value while the item has the focus."""
        super().watch_has_focus(_has_focus)
        self.update(self.render_item())

    def render_item(self) -> Content:
        """The item as text; marks are characters, so they read without colour."""
        item = self.item
        mark = "[x]" if self.done else "[ ]"
        parts: list[Part] = [(f"{mark} {self.number}. {item.title}", "bold"), "\n"]
        parts += [(self.state_word(), self.state_style()), f" · {item.status}\n"]
        parts += [f"{text}\n" for text in item.instructions]
        for label, url in page_targets(item):
            parts += [(f"{label}:", "$text-muted"), "\n", (url, "$accent"), "\n"]
        for index, field in enumerate(item.fields):
            pointer = "▸ " if self.has_focus and index == self.picked else "  "
            parts += [
                pointer,
                (f"{field.label}: ", "$text-muted"),
                (field.shown(), "bold"),
                "\n",
                ("    " + field.source, "$text-muted"),
                "\n",
            ]
        return assemble(parts).rstrip()

    def state_word(self) -> str:
        """What the mark means for this item."""
        item = self.item
        if item.verifiable_locally:
            return "verified" if item.verified else "not yet"
        return "ticked by you" if self.done else "tick it when done (space)"

    def state_style(self) -> str:
        """The state word's colour (the words and marks say the same without it)."""
        if self.done:
            return "$success"
        return "$error" if self.item.verifiable_locally else "$warning"


class ClaimsView(Static, can_focus=True):
    """The OIDC claims the publish run will present: the last Tab stop, so the keyboard
    reaches them (a focused widget is scrolled into view)."""
