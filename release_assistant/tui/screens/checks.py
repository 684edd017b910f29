"""The checks screen: run every check in a worker, list verdicts, explain the selected one."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from release_assistant.core.findings import CheckResult, Status
from release_assistant.core.rules import explain

_STATUS_STYLE = {
    Status.PASS: ("✔ pass", "green"),
    Status.FAIL: ("✘ fail", "bold red"),
    Status.WARN: ("! warn", "yellow"),
    Status.SKIP: ("- skip", "dim"),
    Status.ERROR: ("✘ error", "bold red"),
}


class ChecksFinished(Message):
    """The worker finished running the checks (or could not start them)."""

    def __init__(self, results: list[CheckResult], version: str | None, problem: str | None):
        super().__init__()
        self.results = results
        self.version = version
        self.problem = problem


class ChecksScreen(Screen[None]):
    """Lists every check with its status; the panel on the right explains the selected one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "rerun", "Run checks again"),
        Binding("q", "app.quit_with_verdict", "Quit"),
    ]

    def __init__(self, root: Path, tag: str | None) -> None:
        super().__init__()
        self.root = root
        self.tag = tag
        self.results: list[CheckResult] = []

    def compose(self) -> ComposeResult:
        """Summary line, checks table, details panel, and the key bindings footer."""
        yield Header()
        yield Static("Running checks…", id="summary")
        with Horizontal(id="body"):
            table: DataTable[str | Text] = DataTable(id="checks", cursor_type="row")
            yield table
            with VerticalScroll(id="details"):
                yield Static("", id="details-text")
        yield Footer()

    def on_mount(self) -> None:
        """Set up the table's columns and start the first run."""
        table = self.query_one("#checks", DataTable)
        # Fixed widths: auto-sizing settles a frame late and makes screens flicker.
        table.add_column("Check", width=10)
        table.add_column("Status", width=8)
        table.add_column("Findings", width=8)
        self.action_rerun()

    def action_rerun(self) -> None:
        """Run every check again (a new run replaces one still in progress)."""
        self.query_one("#summary", Static).update("Running checks…")
        self.run_checks()

    @work(thread=True, exclusive=True, group="checks", exit_on_error=False)
    def run_checks(self) -> None:
        """Worker: load the repository and run all checks in core, off the UI thread."""
        from release_assistant.core.config import ConfigError
        from release_assistant.core.context import RepoContext
        from release_assistant.core.engine import REGISTRY, run_checks

        try:
            ctx = RepoContext.load(self.root, tag=self.tag)
            results = run_checks(ctx, REGISTRY)
        except ConfigError as error:
            self.post_message(ChecksFinished([], None, str(error)))
            return
        self.post_message(ChecksFinished(results, ctx.release.version_text, None))

    @on(ChecksFinished)
    def show_results(self, message: ChecksFinished) -> None:
        """Fill the table and the summary from a finished run."""
        summary = self.query_one("#summary", Static)
        table = self.query_one("#checks", DataTable)
        table.clear()
        self.results = message.results
        if message.problem is not None:
            summary.set_classes("-blocked")
            summary.update(f"Cannot run the checks: {message.problem}")
            return
        blocked = [r for r in message.results if r.blocks_release]
        ok = not blocked
        target = f"version {message.version}" if message.version else "unknown version"
        if ok:
            summary.set_classes("-ok")
            summary.update(f"Ready to release {target}: every blocking check passed.")
        else:
            names = ", ".join(r.id for r in blocked)
            summary.set_classes("-blocked")
            summary.update(f"Release of {target} blocked by: {names}. Select a check for fixes.")
        for result in message.results:
            label, style = _STATUS_STYLE[result.status]
            table.add_row(
                result.id, Text(label, style=style), str(len(result.findings)), key=result.id
            )
        first_problem = next(
            (i for i, r in enumerate(message.results) if r.status is not Status.PASS), 0
        )
        if message.results:
            table.move_cursor(row=first_problem)
            self.show_details(message.results[first_problem])

    @on(DataTable.RowHighlighted)
    def highlight(self, event: DataTable.RowHighlighted) -> None:
        """Explain the highlighted check."""
        for result in self.results:
            if event.row_key.value == result.id:
                self.show_details(result)

    def show_details(self, result: CheckResult) -> None:
        """Render one check's findings with their locations and fixes."""
        text = Text()
        label, style = _STATUS_STYLE[result.status]
        text.append(f"{result.title}  ", style="bold")
        text.append(label, style=style)
        if not result.blocking:
            text.append("  (non-blocking)", style="dim")
        text.append("\n\n")
        if result.reason and not result.findings:
            text.append(result.reason + "\n")
        if not result.findings and result.status is Status.PASS:
            text.append("Nothing to fix.\n", style="green")
        for finding in result.findings:
            where = finding.location()
            text.append(f"{finding.code} ", style="bold")
            if where:
                text.append(f"{where}\n", style="underline")
            else:
                text.append("\n")
            text.append(f"  {finding.message}\n")
            if finding.hint:
                text.append(f"  fix: {finding.hint}\n", style="cyan")
            entry = explain(finding.code)
            if entry is not None:
                text.append(f"  why: {' '.join(entry.cause.split())}\n", style="dim")
            text.append("\n")
        self.query_one("#details-text", Static).update(text)
