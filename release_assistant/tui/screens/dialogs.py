"""Modal dialogs: yes/no confirmation of a plan, and the bump menu (the keys: ``help``)."""

from __future__ import annotations

from typing import ClassVar

from packaging.version import Version
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option


class ConfirmScreen(ModalScreen[bool]):
    """Show what will happen and ask yes or no (frogmouth's yes/no dialog, with a body)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
        # The body scrolls while "No" keeps the focus (a long plan on a small terminal).
        Binding("up,k", "scroll_body(-1)", "Up", show=False),
        Binding("down,j", "scroll_body(1)", "Down", show=False),
        Binding("pageup", "scroll_body(-10)", "Page up", show=False),
        Binding("pagedown,space", "scroll_body(10)", "Page down", show=False),
    ]

    def __init__(self, question: str, body: Content, yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.body = body
        self.yes = yes

    def compose(self) -> ComposeResult:
        """Question, the scrollable body (plan, diff), and the two buttons."""
        with Vertical(id="dialog"):
            yield Static(self.question, id="question")
            with VerticalScroll(id="dialog-body"):
                yield Static(self.body, id="dialog-text")
            with Horizontal(id="buttons"):
                yield Static("↑↓ pgup pgdn: scroll", id="scroll-hint")
                yield Button(f"{self.yes} (y)", variant="warning", id="yes")
                yield Button("No (n)", variant="primary", id="no")

    def on_mount(self) -> None:
        """Focus "No": a stray Enter never changes anything."""
        self.query_one("#no", Button).focus()
        self.call_after_refresh(self._hint_scrolling)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        """Answer with the button pressed."""
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        """Answer from the keyboard."""
        self.dismiss(answer)

    def action_scroll_body(self, lines: int) -> None:
        """Scroll the plan by ``lines`` (negative: up)."""
        body = self.query_one("#dialog-body", VerticalScroll)
        body.scroll_to(y=body.scroll_y + lines, animate=False)

    def on_resize(self) -> None:
        """Say how to scroll only when the body does not fit."""
        self.call_after_refresh(self._hint_scrolling)

    def _hint_scrolling(self) -> None:
        body = self.query_one("#dialog-body", VerticalScroll)
        self.query_one("#scroll-hint", Static).display = body.max_scroll_y > 0


class BumpScreen(ModalScreen[str | None]):
    """Pick the next version: each choice shows the version it gives."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        current: Version,
        options: list[tuple[str, Version]],
        question: str | None = None,
        hint: str = "enter: preview the diff · escape: cancel (nothing is written yet)",
    ) -> None:
        super().__init__()
        self.current = current
        self.options = options
        self.question = question or f"Bump version {current} to…"
        self.hint = hint

    def compose(self) -> ComposeResult:
        """The current version and the menu."""
        with Vertical(id="dialog"):
            yield Static(self.question, id="question")
            yield OptionList(
                *[Option(f"{name:<6} → {version}", id=name) for name, version in self.options],
                id="bump-choices",
            )
            yield Static(self.hint, id="dialog-hint")

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        """Return the chosen bump's name."""
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
