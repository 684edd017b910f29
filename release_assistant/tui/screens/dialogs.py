"""Modal dialogs: yes/no confirmation of a plan, and the bump menu (the keys: ``help``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from packaging.version import Version
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

#: What a dialog says while its plan is gathered (the checks run again, origin is asked).
CHECKING = "checking…"


class ConfirmScreen(ModalScreen[bool]):
    """Show what will happen and ask yes or no (frogmouth's yes/no dialog, with a body).

    Opened with no body, it shows ``waiting`` ("checking…") with Yes disabled, at once:
    :meth:`show_plan` fills it when the plan is ready, :meth:`refuse` says why there is none.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
        # The body scrolls while "No" keeps the focus (a long plan on a small terminal).
        Binding("up,k", "scroll_body(-1)", "Up", show=False),
        Binding("down,j", "scroll_body(1)", "Down", show=False),
        Binding("pageup", "scroll_body(-10)", "Page up", show=False),
        Binding("pagedown,space", "scroll_body(10)", "Page down", show=False),
    ]

    def __init__(
        self,
        question: str,
        body: Content | None,
        yes: str = "Yes",
        waiting: str = CHECKING,
        on_shown: Callable[[], object] | None = None,
    ) -> None:
        super().__init__()
        self.question = question
        self.body = body
        self.yes = yes
        self.waiting = waiting
        self.on_shown = on_shown

    @property
    def ready(self) -> bool:
        """The plan is shown: yes means something now."""
        return self.body is not None

    def compose(self) -> ComposeResult:
        """Question, the scrollable body (plan, diff), and the two buttons."""
        with Vertical(id="dialog"):
            yield Static(self.question, id="question")
            with VerticalScroll(id="dialog-body"):
                yield Static(self.body or Content(self.waiting), id="dialog-text")
            with Horizontal(id="buttons"):
                yield Static("↑↓ pgup pgdn: scroll", id="scroll-hint")
                yield Button(
                    f"{self.yes} (y)", variant="warning", id="yes", disabled=not self.ready
                )
                yield Button("No (n)", variant="primary", id="no")

    def show_plan(self, body: Content, question: str | None = None) -> None:
        """The plan is ready: show it and let yes through."""
        self.body = body
        if question is not None:
            self.question = question
            self.query_one("#question", Static).update(question)
        self.query_one("#dialog-text", Static).update(body)
        self.query_one("#yes", Button).disabled = False
        self.call_after_refresh(self._hint_scrolling)

    def refuse(self, message: str) -> None:
        """There is nothing to confirm: say why; only "Close" is left."""
        self.query_one("#dialog-text", Static).update(Content(f"Refused: {message}"))
        self.query_one("#yes", Button).display = False
        self.query_one("#no", Button).label = "Close (n)"

    def on_mount(self) -> None:
        """Focus "No": a stray Enter never changes anything. What gathers the plan starts
        once the dialog is on screen (``on_shown``): the dialog never waits for it."""
        self.query_one("#no", Button).focus()
        self.call_after_refresh(self._hint_scrolling)
        if self.on_shown is not None:
            self.call_after_refresh(self.on_shown)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        """Answer with the button pressed."""
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        """Answer from the keyboard (yes only once the plan is shown)."""
        if answer and not self.ready:
            return
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
    """Pick the next version: each choice shows the version it gives, or type one."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        current: Version | None,
        options: list[tuple[str, Version]],
        question: str | None = None,
        hint: str = "enter: preview the diff · escape: cancel (nothing is written yet)",
        on_shown: Callable[[], object] | None = None,
    ) -> None:
        super().__init__()
        self.current = current
        self.options = options
        self.question = question or "Bump version {current} to…"
        self.hint = hint
        self.on_shown = on_shown

    def on_mount(self) -> None:
        """Read the version once the menu is on screen (``on_shown``)."""
        if self.on_shown is not None:
            self.call_after_refresh(self.on_shown)

    def _question(self) -> str:
        if self.current is None:
            return f"{CHECKING} reading the current version"
        return self.question.replace("{current}", str(self.current))

    def compose(self) -> ComposeResult:
        """The current version and the menu ("checking…" until :meth:`show_options`)."""
        with Vertical(id="dialog"):
            yield Static(self._question(), id="question")
            yield OptionList(
                *[Option(f"{name:<6} → {version}", id=name) for name, version in self.options],
                id="bump-choices",
            )
            yield Input(placeholder="or type a version (tab here), enter", id="bump-version")
            yield Static(self.hint, id="dialog-hint")

    def show_options(self, current: Version, options: list[tuple[str, Version]]) -> None:
        """The version was read: show it and each bump's result."""
        self.current, self.options = current, options
        self.query_one("#question", Static).update(self._question())
        menu = self.query_one("#bump-choices", OptionList)
        menu.add_options([Option(f"{name:<6} → {version}", id=name) for name, version in options])
        menu.highlighted = 0

    def refuse(self, message: str) -> None:
        """No menu: say why (escape closes)."""
        self.query_one("#question", Static).update(f"Refused: {message}")
        self.query_one("#bump-version", Input).display = False
        self.query_one("#dialog-hint", Static).update("escape: close")

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        """Return the chosen bump's name."""
        self.dismiss(event.option.id)

    @on(Input.Submitted, "#bump-version")
    def typed(self, event: Input.Submitted) -> None:
        """Return the typed version (core says if it is not a version, or not higher)."""
        version = event.value.strip()
        if version:
            self.dismiss(version)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
