"""The log: the streamed output of the step that runs (pre-release commands, the build, the
watch, the release in one go), bounded in lines, hidden until ``l`` shows it. The details
pane keeps the step's findings and its last lines; the log keeps the whole run's output up
to :data:`MAX_LOG_LINES`."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import Log

#: Lines the log keeps (the oldest go first): a build's output fits, memory stays bounded.
MAX_LOG_LINES = 2000


class StepLog(Log):
    """The output of one step's run: :meth:`begin` starts it again, :meth:`add` appends."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(max_lines=MAX_LOG_LINES, auto_scroll=True, id=id)
        self.step_id: str | None = None
        self.border_title = "Log (l: hide)"

    def begin(self, step_id: str, label: str) -> None:
        """A new run of ``step_id`` (shown as ``label``): the earlier output goes."""
        self.step_id = step_id
        self.clear()
        self.border_title = f"Log of {label} (l: hide)"

    def add(self, step_id: str, lines: Iterable[str]) -> None:
        """Append ``lines`` of ``step_id``'s output (another step's output starts anew)."""
        if step_id != self.step_id:
            self.begin(step_id, step_id)
        self.write_lines([line.rstrip("\n") for line in lines])
