"""Troubleshooting: every rule and publish-time error, searchable by code, symptom or text.

The rules are a table with fixed code and title columns (a long title wraps inside its own
column, so codes line up at any width); below 100 columns the explanation goes under the
table instead of beside it (``troubleshoot.tcss``).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static
from textual.widgets.data_table import ColumnKey

from release_assistant.core.rules import Rule, all_rules
from release_assistant.core.rules.changelog import RELEASE_VERSION_REPEATED
from release_assistant.core.rules.workflow import NOT_TIED_TO_RELEASE
from release_assistant.tui.core_calls import matching_rules
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


#: The code column fits every RA code and all but the longest symptom names (which fold).
CODE_WIDTH = 19
#: The title column: long titles wrap inside it.
TITLE_WIDTH = 40

TROUBLESHOOT_HELP = f"""\
[b]Troubleshooting[/b]: every rule and every error a publish run can print.

Type a code ({RELEASE_VERSION_REPEATED.code}), a symptom (invalid-publisher) or words from the
error message; the table narrows as you type.

[b]enter[/b] / [b]↓[/b]      from the search box to the table
[b]↑[/b] [b]↓[/b]            pick a rule: its cause and fix are shown
[b]escape[/b]         back · [b]?[/b] this help ([b]f1[/b] in the search box)
"""


class TroubleshootScreen(Screen[None]):
    """Type a finding code, a symptom (invalid-publisher) or words from an error message."""

    HELP_TEXT: ClassVar[str] = TROUBLESHOOT_HELP
    CSS_PATH = "troubleshoot.tcss"

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
            "from the error · f1: keys",
            id="search",
        )
        with Horizontal(id="trouble-body"):
            table: DataTable[Content] = DataTable(id="rules", cursor_type="row", zebra_stripes=True)
            yield table
            with VerticalScroll(id="rule-details"):
                yield Static("", id="rule-text")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the list and focus the search box."""
        table = self.table
        table.add_column("code", width=CODE_WIDTH, key="code")
        table.add_column("title", width=TITLE_WIDTH, key="title")
        table.border_title = "Rules"
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

    @property
    def table(self) -> DataTable[Content]:
        """The table of rules."""
        return self.query_one("#rules", DataTable)

    def action_focus_list(self) -> None:
        """Move the focus to the table of rules."""
        self.table.focus()

    def on_resize(self) -> None:
        """Give the title column the room the table has (it wraps within it)."""
        self.call_after_refresh(self._fit_columns)

    def _fit_columns(self) -> None:
        table = self.table
        room = table.scrollable_content_region.width - CODE_WIDTH - 4 * table.cell_padding - 1
        width = max(room, 20)
        column = table.columns.get(ColumnKey("title"))
        if column is not None and column.width != width:
            column.width = width
            self.filter(self.query_one("#search", Input).value)

    def filter(self, query: str) -> None:
        """Show the rules that match ``query``, and the first one's explanation."""
        self.shown = matching_rules(self.rules, query)
        table = self.table
        table.clear()
        for index, rule in enumerate(self.shown):
            table.add_row(Content(rule.code), Content(rule.title), key=str(index), height=None)
        table.border_subtitle = f"{len(self.shown)} of {len(self.rules)}"
        if self.shown:
            table.move_cursor(row=0)
            self.show(self.shown[0])
        else:
            self.query_one("#rule-text", Static).update(
                Content(
                    f"No rule matches: try fewer words, or a code like {NOT_TIED_TO_RELEASE.code}."
                )
            )

    @on(DataTable.RowHighlighted, "#rules")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Explain the highlighted rule."""
        if 0 <= event.cursor_row < len(self.shown):
            self.show(self.shown[event.cursor_row])

    def show(self, rule: Rule) -> None:
        """Render ``rule`` in the details pane."""
        self.query_one("#rule-text", Static).update(rule_text(rule))
