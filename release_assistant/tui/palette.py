"""The command palette's release commands (ctrl+p): the walkthrough's actions by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from release_assistant.tui.app import ReleaseAssistantApp

#: (name, help, app method, argument): the commands in the order the palette lists them.
COMMANDS: tuple[tuple[str, str, str, str], ...] = (
    ("Run checks", "run every check again, then write the report", "walkthrough", "run_all"),
    ("Re-run failed checks", "run only the checks that failed", "walkthrough", "rerun_failed"),
    (
        "Run pre-release commands",
        "pre-commit run --all-files and [tool.release-assistant] commands, output streamed",
        "walkthrough",
        "commands",
    ),
    (
        "Release in one go (ship)",
        "bump, release commit, commands, build, checks, tag, push: one plan, one yes",
        "walkthrough",
        "ship",
    ),
    ("Bump version", "choose the next version, preview the diff, write", "walkthrough", "bump"),
    ("Create tag", "the annotated tag, once every blocking check passed", "walkthrough", "tag"),
    ("Push tag", "push the release tag to origin", "walkthrough", "push"),
    ("Write verification report", "verification-report.json and .md", "walkthrough", "report"),
    ("Setup: trusted publisher", "first-time checklist with copyable values", "setup", ""),
    ("Troubleshooting", "every rule and publish error, searchable", "troubleshoot", ""),
    ("Keys", "what every key does", "help", ""),
)


class ReleaseCommands(Provider):
    """Feeds the palette with the release commands (discoverable before typing)."""

    def _entries(self) -> list[tuple[str, str, Callable[[], object]]]:
        app: ReleaseAssistantApp = self.app  # type: ignore[assignment]
        entries: list[tuple[str, str, Callable[[], object]]] = []
        for name, help_text, method, argument in COMMANDS:
            if method == "walkthrough":
                entries.append((name, help_text, partial(app.walkthrough_action, argument)))
            else:
                entries.append((name, help_text, getattr(app, f"action_{method}")))
        return entries

    async def discover(self) -> Hits:
        """Every command, before anything is typed."""
        for name, help_text, callback in self._entries():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """The commands whose names match ``query`` (fuzzy)."""
        matcher = self.matcher(query)
        for name, help_text, callback in self._entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
