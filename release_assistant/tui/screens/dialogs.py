"""Modal dialogs: yes/no confirmation of a plan, the bump menu, and the key help."""

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
                yield Button(f"{self.yes} (y)", variant="warning", id="yes")
                yield Button("No (n)", variant="primary", id="no")

    def on_mount(self) -> None:
        """Focus "No": a stray Enter never changes anything."""
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        """Answer with the button pressed."""
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        """Answer from the keyboard."""
        self.dismiss(answer)


class BumpScreen(ModalScreen[str | None]):
    """Pick the next version: each choice shows the version it gives."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: Version, options: list[tuple[str, Version]]) -> None:
        super().__init__()
        self.current = current
        self.options = options

    def compose(self) -> ComposeResult:
        """The current version and the menu."""
        with Vertical(id="dialog"):
            yield Static(f"Bump version {self.current} to…", id="question")
            yield OptionList(
                *[Option(f"{name:<6} → {version}", id=name) for name, version in self.options],
                id="bump-choices",
            )
            yield Static(
                "enter: preview the diff · escape: cancel (nothing is written yet)",
                id="dialog-hint",
            )

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        """Return the chosen bump's name."""
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)


HELP = """\
[b]The walkthrough[/b] runs every check, then the release steps, top to bottom.
Select a step to see its findings, the fix, and why the rule exists.

[b]enter[/b]   run the selected step (a check, the report, bump, tag, push, publish)
[b]r[/b]       run every check again, then write the verification report
[b]f[/b]       re-run only the checks that failed
[b]e[/b]       open the selected finding's file at its line in $EDITOR
[b]b[/b]       bump the version: choose, preview the diff, confirm, write
[b]t[/b]       create the annotated tag (only once every blocking check passed)
[b]p[/b]       push the tag to origin (after it was created)
[b]s[/b]       first-time trusted-publisher setup checklist
[b]h[/b]       troubleshooting: every rule and publish error, searchable
[b]ctrl+p[/b]  command palette · [b]q[/b] quit (exit code 0 only when ready to release)

Nothing is written, tagged or pushed without a yes in a confirmation dialog.
"""


class HelpScreen(ModalScreen[None]):
    """The keys and what each step does."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        """The help text."""
        with Vertical(id="dialog"):
            with VerticalScroll(id="dialog-body"):
                yield Static(Content.from_markup(HELP), id="dialog-text")
            yield Static("escape: close", id="dialog-hint")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
