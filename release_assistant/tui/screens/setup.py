"""The first-time trusted-publisher setup checklist: derived values, keys, saved ticks.

The checklist comes from :mod:`release_assistant.core.release.setup_checklist`; every value
names its source. Tab moves between items (each is one focusable widget), ``↑``/``↓`` pick a
value inside an item, ``c`` copies it and ``C`` the item's page; ``space`` ticks what only the
indexes and GitHub can show. Ticks are saved per repository in its state directory (inside
the git directory, never in the work tree). What the local repository shows is re-verified
every few seconds and with ``r`` (which asks the indexes again too).

A copy goes out as OSC 52, which many terminals (and tmux without ``set-clipboard``) ignore
without a word: so the copied text is also shown, selectable, below the list, and the toast
says where it was sent, not that it arrived.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TextArea

from release_assistant.core.release.setup_checklist import (
    ChecklistItem,
    SetupChecklist,
    claims_lines,
)
from release_assistant.core.release.setup_progress import (
    SetupProgress,
    load_progress,
    save_progress,
)
from release_assistant.tui.flows.setup_actions import (
    CopyChoice,
    is_done,
    page_to_copy,
    setup_context,
    summary_text,
    toggled,
    value_to_copy,
)
from release_assistant.tui.widgets.setup_item import ClaimsView, ItemView

if TYPE_CHECKING:
    from release_assistant.core.publisher.taken import ProjectVerdict
    from release_assistant.tui.core_calls import Session

#: Seconds between two re-verifications of what the repository shows.
REFRESH_SECONDS = 5.0

#: The setup screen's keys, for the help (``?``).
SETUP_HELP = """\
[b]The setup checklist[/b]: what to register, each value with its source.

[b]tab[/b] [b]shift+tab[/b]  next / previous item
[b]↑[/b] [b]↓[/b]            pick a value inside the item (the ▸ mark)
[b]c[/b]              copy the picked value
[b]C[/b]              copy the item's page (press again: its next page)
[b]space[/b]          tick or untick what only GitHub or the index shows
[b]r[/b]              verify again, and ask the indexes again
[b]h[/b]              troubleshooting
[b]escape[/b]         back · [b]?[/b] this help

\\[x] done, \\[ ] to do. A copy is sent to the terminal's clipboard
(OSC 52); if the terminal ignores that, select the text in the box
shown below the list.
"""


class ChecklistReady(Message):
    """The checklist was built (``problem`` says why it could not be)."""

    def __init__(
        self,
        checklist: SetupChecklist | None,
        problem: str | None = None,
        presence: Mapping[bool, ProjectVerdict] | None = None,
    ) -> None:
        super().__init__()
        self.checklist = checklist
        self.problem = problem
        self.presence = presence


class SetupScreen(Screen[None]):
    """PyPI's and TestPyPI's publisher values, environments, a test release first."""

    HELP_TEXT: ClassVar[str] = SETUP_HELP
    CSS_PATH = "setup.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("space", "tick", "Tick"),
        Binding("c", "copy_value", "Copy value"),
        Binding("C", "copy_page", "Copy page"),
        Binding("r", "verify", "Re-verify"),
        Binding("h", "app.troubleshoot", "Trouble", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.root = Path(session.root)
        self.checklist: SetupChecklist | None = None
        self.progress = SetupProgress()
        self.presence: Mapping[bool, ProjectVerdict] | None = None

    def compose(self) -> ComposeResult:
        """Summary line, the items (filled once the checklist is built), the last copy."""
        yield Header()
        yield Static("Reading the repository and asking the indexes…", id="setup-summary")
        yield VerticalScroll(id="setup-items")
        copied = TextArea("", id="copied", read_only=True, soft_wrap=True)
        copied.border_title = "Last copy (select it here if your terminal ignored it)"
        copied.display = False
        yield copied
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Build the checklist now (asking the indexes once) and verify again every few
        seconds (without asking them again)."""
        self.progress = load_progress(self.root)
        self.build(ask=True)
        self.set_interval(REFRESH_SECONDS, lambda: self.build(ask=False))

    def action_verify(self) -> None:
        """Verify again what the local repository shows, and ask the indexes again."""
        self.build(ask=True)

    @work(thread=True, exclusive=True, group="setup", exit_on_error=False)
    def build(self, ask: bool) -> None:
        """Worker: build the checklist through core."""
        from release_assistant.core.release.setup_checklist import ask_indexes, build_checklist
        from release_assistant.core.support.errors import LocatedError

        try:
            ctx = setup_context(self.session)
            presence = ask_indexes(ctx) if ask or self.presence is None else self.presence
            checklist = build_checklist(ctx, presence)
        except LocatedError as error:
            self.post_message(ChecklistReady(None, str(error)))
            return
        self.post_message(ChecklistReady(checklist, presence=presence))

    @on(ChecklistReady)
    async def ready(self, message: ChecklistReady) -> None:
        """Show the checklist (built once; later runs update marks and values in place)."""
        checklist = message.checklist
        if checklist is None:
            self.query_one("#setup-summary", Static).update(
                Content(f"Cannot read the project: {message.problem}")
            )
            return
        self.presence = message.presence
        same_items = self.checklist is not None and [i.id for i in self.checklist.items] == [
            i.id for i in checklist.items
        ]
        self.checklist = checklist
        if same_items:
            for view in self.query(ItemView):
                item = next(i for i in checklist.items if i.id == view.item.id)
                view.show(item, self.done(item))
        else:
            container = self.query_one("#setup-items", VerticalScroll)
            await container.remove_children()
            views = [
                ItemView(number, item, self.done(item))
                for number, item in enumerate(checklist.items, 1)
            ]
            await container.mount_all(views)
            await container.mount(ClaimsView(id="setup-claims"))
            if views:
                views[0].focus()
        self.query_one("#setup-claims", Static).update(Content("\n".join(claims_lines(checklist))))
        self.summary()

    def done(self, item: ChecklistItem) -> bool:
        """Verified locally, or ticked by hand."""
        return is_done(item, self.progress)

    def summary(self) -> None:
        """How far the setup is, and the keys."""
        checklist = self.checklist
        if checklist is None:
            return
        self.query_one("#setup-summary", Static).update(Content(summary_text(checklist, self.done)))

    def focused_item(self) -> ItemView | None:
        """The item with the focus (``None`` when the copy area has it)."""
        return self.focused if isinstance(self.focused, ItemView) else None

    def action_pick(self, step: int) -> None:
        """Pick the next (previous) value; past the last one, the next item."""
        view = self.focused_item()
        if view is None:
            return
        picked = view.picked + step
        if 0 <= picked < len(view.item.fields):
            view.picked = picked
            self.call_after_refresh(self.reveal_pick, view)
        elif step > 0:
            self.focus_next(ItemView)
        else:
            self.focus_previous(ItemView)

    def reveal_pick(self, view: ItemView) -> None:
        """Scroll the picked value (its line and its source's) into view."""
        lines = view.render_item().wrap(max(view.content_region.width, 1))
        row = next((n for n, line in enumerate(lines) if line.plain.startswith("▸")), 0)
        region = view.virtual_region
        self.query_one("#setup-items", VerticalScroll).scroll_to_region(
            Region(region.x, region.y + row, region.width, 3), animate=False
        )

    def action_tick(self) -> None:
        """Tick (or untick) the focused item; saved at once, atomically."""
        view = self.focused_item()
        if view is None:
            return
        item = view.item
        if item.verifiable_locally:
            self.notify(
                "This one is verified from the repository: it ticks itself once done.",
                timeout=4,
            )
            return
        self.progress = toggled(self.progress, item.id)
        try:
            save_progress(self.root, self.progress)
        except OSError as error:
            self.notify(f"Could not save the progress: {error}", severity="error")
        view.show(item, self.done(item))
        self.summary()

    def action_copy_value(self) -> None:
        """Copy the picked value of the focused item."""
        view = self.focused_item()
        if view is not None:
            self._copy_choice(value_to_copy(view.item, view.picked))

    def action_copy_page(self) -> None:
        """Copy the focused item's page; pressed again, its next page."""
        view = self.focused_item()
        if view is None:
            return
        choice = page_to_copy(view.item, view.page_turn)
        if choice.text is not None:
            view.page_turn += 1
        self._copy_choice(choice)

    def _copy_choice(self, choice: CopyChoice) -> None:
        """Copy what the key chose, or say why nothing is copied."""
        if choice.text is not None:
            self.copy(choice.label, choice.text)
        elif choice.warning:
            self.notify(choice.notice, severity="warning")
        else:
            self.notify(choice.notice, timeout=4)

    def copy(self, label: str, text: str) -> None:
        """Send ``text`` to the terminal's clipboard (OSC 52) and show it, selectable."""
        self.app.copy_to_clipboard(text)
        copied = self.query_one("#copied", TextArea)
        copied.load_text(text)
        copied.border_subtitle = label
        copied.display = True
        view = self.focused_item()
        if view is not None:  # the box takes rows at the bottom: keep the pick in view
            self.call_after_refresh(self.reveal_pick, view)
        self.notify(
            f"{label}: sent to the terminal's clipboard (OSC 52). If it did not arrive, "
            "select it in the box below.",
            timeout=4,
        )
