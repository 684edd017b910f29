"""Troubleshooting: every rule and publish-time error, searchable by code, symptom or text."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from release_assistant.core.rules import Rule, all_rules
from release_assistant.core.rules.changelog import RELEASE_VERSION_REPEATED
from release_assistant.core.rules.workflow import NOT_TIED_TO_RELEASE
from release_assistant.tui.jobs import matching_rules
from release_assistant.tui.render import Part, assemble


def rule_text(rule: Rule) -> Content:
    """One rule as the details pane shows it: title, check, severity, cause, fix, link."""
    where = f"check {rule.check}" if rule.check else "publish-time error"
    parts: list[Part] = [
        (rule.code, "bold"),
        f"  {rule.title}\n",
        (f"{where} · severity: {rule.weight()}", "$text-muted"),
        "\n\n",
        ("Cause", "bold"),
        "\n" + " ".join(rule.cause.split()) + "\n\n",
        ("Fix", "bold"),
        "\n" + rule.fix,
    ]
    if rule.aliases:
        parts += ["\n\n", ("also known as: " + ", ".join(rule.aliases), "$text-muted")]
    parts += ["\n\n", (f"More: {rule.docs or rule.anchor}", "$text-muted")]
    return assemble(parts)


class TroubleshootScreen(Screen[None]):
    """Type a code (RA403), a symptom (invalid-publisher) or words from an error message."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("down", "focus_list", "List", show=False),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.rules = all_rules()
        self.shown: list[Rule] = list(self.rules)
        self.initial_query = query

    def compose(self) -> ComposeResult:
        """Search box, matching rules, the selected rule."""
        yield Header()
        yield Input(
            self.initial_query,
            placeholder=f"search: a code ({RELEASE_VERSION_REPEATED.code}), a symptom, or words "
            "from the error",
            id="search",
        )
        with Horizontal(id="trouble-body"):
            yield OptionList(id="rules")
            with VerticalScroll(id="rule-details"):
                yield Static("", id="rule-text")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the list and focus the search box."""
        self.query_one("#rules", OptionList).border_title = "Rules"
        self.query_one("#rule-details", VerticalScroll).border_title = "Explanation"
        self.filter(self.initial_query)
        self.query_one("#search", Input).focus()

    @on(Input.Changed, "#search")
    def search(self, event: Input.Changed) -> None:
        """Filter as the user types."""
        self.filter(event.value)

    @on(Input.Submitted, "#search")
    def submitted(self) -> None:
        """Enter moves to the list."""
        self.action_focus_list()

    def action_focus_list(self) -> None:
        """Move the focus to the list of rules."""
        self.query_one("#rules", OptionList).focus()

    def filter(self, query: str) -> None:
        """Show the rules that match ``query``, and the first one's explanation."""
        self.shown = matching_rules(self.rules, query)
        rules = self.query_one("#rules", OptionList)
        rules.set_options(
            Option(Content(f"{rule.code:<17} {rule.title}"), id=f"rule-{i}")
            for i, rule in enumerate(self.shown)
        )
        rules.border_subtitle = f"{len(self.shown)} of {len(self.rules)}"
        if self.shown:
            rules.highlighted = 0
            self.show(self.shown[0])
        else:
            self.query_one("#rule-text", Static).update(
                Content(
                    f"No rule matches: try fewer words, or a code like {NOT_TIED_TO_RELEASE.code}."
                )
            )

    @on(OptionList.OptionHighlighted, "#rules")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Explain the highlighted rule."""
        if 0 <= event.option_index < len(self.shown):
            self.show(self.shown[event.option_index])

    def show(self, rule: Rule) -> None:
        """Render ``rule`` in the details pane."""
        self.query_one("#rule-text", Static).update(rule_text(rule))
