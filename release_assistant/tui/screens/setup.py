"""The first-time trusted-publisher setup checklist, with copyable values and saved ticks.

The checklist comes from :mod:`release_assistant.core.release.setup_checklist`. What the local
repository shows is verified (and re-verified every few seconds, and with ``r``); what only the
indexes and GitHub know is ticked by hand, and the ticks are saved per repository inside the
git directory (``.git/release-assistant/setup.json``), never in the work tree.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Header, Static

from release_assistant.core.release.setup_checklist import ChecklistItem, SetupChecklist
from release_assistant.tui import jobs

#: Seconds between two re-verifications of what the repository shows.
REFRESH_SECONDS = 5.0


class ChecklistReady(Message):
    """The checklist was built (``problem`` says why it could not be)."""

    def __init__(self, checklist: SetupChecklist | None, problem: str | None = None) -> None:
        super().__init__()
        self.checklist = checklist
        self.problem = problem


class SetupScreen(Screen[None]):
    """PyPI's and TestPyPI's pending-publisher values, environments, a test release first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "verify", "Re-verify"),
        Binding("h", "app.troubleshoot", "Trouble"),
    ]

    def __init__(self, session: jobs.Session) -> None:
        super().__init__()
        self.session = session
        self.checklist: SetupChecklist | None = None
        self.progress = jobs.SetupProgress()
        self.copy_values: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        """Summary line and the items (filled once the checklist is built)."""
        yield Header()
        yield Static("Reading the repository…", id="setup-summary")
        yield VerticalScroll(id="setup-items")
        yield Footer()

    def on_mount(self) -> None:
        """Build the checklist now and verify again every few seconds."""
        self.progress = jobs.load_progress(self.session.root)
        self.action_verify()
        self.set_interval(REFRESH_SECONDS, self.action_verify)

    def action_verify(self) -> None:
        """Verify again what the local repository shows."""
        self.build()

    @work(thread=True, exclusive=True, group="setup", exit_on_error=False)
    def build(self) -> None:
        """Worker: build the checklist through core."""
        from release_assistant.core.support.errors import LocatedError

        try:
            checklist = jobs.build_checklist(self.session.context())
        except LocatedError as error:
            self.post_message(ChecklistReady(None, str(error)))
            return
        self.post_message(ChecklistReady(checklist))

    @on(ChecklistReady)
    async def ready(self, message: ChecklistReady) -> None:
        """Show the checklist (built once; later runs update marks and values in place)."""
        summary = self.query_one("#setup-summary", Static)
        checklist = message.checklist
        if checklist is None:
            summary.update(Content(f"Cannot read the project: {message.problem}"))
            return
        first = self.checklist is None or [i.id for i in self.checklist.items] != [
            i.id for i in checklist.items
        ]
        self.checklist = checklist
        container = self.query_one("#setup-items", VerticalScroll)
        if first:
            await container.remove_children()
            await container.mount_all(
                self._item_widgets(n, item) for n, item in enumerate(checklist.items, 1)
            )
        else:
            for number, item in enumerate(checklist.items, 1):
                self._update_item(number, item)
        self._summary()

    def _item_widgets(self, number: int, item: ChecklistItem) -> Vertical:
        done = self._done(item)
        checkbox = Checkbox(
            f"{number}. {item.title}", done, id=f"done-{item.id}", disabled=item.verifiable_locally
        )
        children: list[Static | Checkbox | Horizontal] = [
            checkbox,
            Static(self._status(item), id=f"status-{item.id}", classes="item-status"),
        ]
        for text in item.instructions:
            children.append(Static(Content(text), classes="item-text"))
        links = [(link.label, link.url) for link in item.links] or (
            [("", item.url)] if item.url else []
        )
        for index, (label, url) in enumerate(links):
            key = f"copy-{item.id}-url" + (f"-{index}" if index else "")
            self.copy_values[key] = url
            if label:
                children.append(Static(Content(label), classes="item-text"))
            children.append(
                Horizontal(
                    Static(Content(url), classes="field-value"),
                    Button("copy", id=key, classes="copy"),
                    classes="field",
                )
            )
        for index, form_field in enumerate(item.fields):
            key = f"copy-{item.id}-{index}"
            value = form_field.value or ""
            self.copy_values[key] = value
            children.append(
                Horizontal(
                    Static(Content(form_field.label), classes="field-label"),
                    Static(
                        Content(value or "<unknown>"),
                        id=f"value-{item.id}-{index}",
                        classes="field-value",
                    ),
                    Button("copy", id=key, classes="copy", disabled=not value),
                    classes="field",
                )
            )
        return Vertical(*children, classes="item", id=f"item-{item.id}")

    def _update_item(self, number: int, item: ChecklistItem) -> None:
        checkbox = self.query_one(f"#done-{item.id}", Checkbox)
        if item.verifiable_locally:
            with checkbox.prevent(Checkbox.Changed):
                checkbox.value = bool(item.verified)
        self.query_one(f"#status-{item.id}", Static).update(self._status(item))
        for index, form_field in enumerate(item.fields):
            value = form_field.value or ""
            self.copy_values[f"copy-{item.id}-{index}"] = value
            self.query_one(f"#value-{item.id}-{index}", Static).update(
                Content(value or "<unknown>")
            )

    def _done(self, item: ChecklistItem) -> bool:
        if item.verifiable_locally:
            return bool(item.verified)
        return item.id in self.progress.done

    def _status(self, item: ChecklistItem) -> Content:
        if item.verifiable_locally:
            mark, style = ("✔ verified", "$success") if item.verified else ("✘ not yet", "$error")
        elif item.id in self.progress.done:
            mark, style = ("✔ ticked by you", "$success")
        else:
            mark, style = ("? tick it when done (space)", "$warning")
        return Content.assemble((mark, style), f" · {item.status}")

    def _summary(self) -> None:
        checklist = self.checklist
        if checklist is None:
            return
        total = len(checklist.items)
        done = sum(1 for item in checklist.items if self._done(item))
        project = checklist.project or "this project"
        self.query_one("#setup-summary", Static).update(
            Content(
                f"Trusted publishing for {project}: {done} of {total} done. "
                "Ticks are saved in .git/release-assistant/setup.json."
            )
        )

    @on(Checkbox.Changed)
    def ticked(self, event: Checkbox.Changed) -> None:
        """Save a tick (atomically, inside the git directory)."""
        item_id = (event.checkbox.id or "").removeprefix("done-")
        done = set(self.progress.done)
        if event.value:
            done.add(item_id)
        else:
            done.discard(item_id)
        self.progress = jobs.SetupProgress(frozenset(done), self.progress.declined)
        try:
            jobs.save_progress(self.session.root, self.progress)
        except OSError as error:
            self.notify(f"Could not save the progress: {error}", severity="error")
        if self.checklist is not None:
            for item in self.checklist.items:
                if item.id == item_id:
                    self.query_one(f"#status-{item.id}", Static).update(self._status(item))
        self._summary()

    @on(Button.Pressed, ".copy")
    def copy(self, event: Button.Pressed) -> None:
        """Copy a value to the clipboard (OSC 52: works over ssh in most terminals)."""
        value = self.copy_values.get(event.button.id or "", "")
        if value:
            self.app.copy_to_clipboard(value)
            self.notify(f"Copied: {value}", timeout=3)
