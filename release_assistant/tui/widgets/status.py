"""The status line: one line computed from the walkthrough's state, with the next hint."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static


class StatusLine(Static):
    """Shows :attr:`line`, a ``(class, text)`` pair such as ``("-ok", "✔ Ready…")``; the
    class colours it (``-ok``, ``-blocked``, ``-running``), the words carry the meaning."""

    line: reactive[tuple[str, str]] = reactive(("", "Starting…"), init=False)

    def watch_line(self, line: tuple[str, str]) -> None:
        """Re-render when the state gives another line."""
        self.set_classes(line[0])
        self.update(Content(line[1]))
