"""What the setup screen's keys decide, without Textual: which value or page ``c``/``C``
copies (or why nothing), what a tick saves, what counts as done, the summary line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from release_assistant.core.release.setup_checklist import ChecklistItem, SetupChecklist
from release_assistant.core.release.setup_progress import SetupProgress

if TYPE_CHECKING:
    from release_assistant.core.context import RepoContext
    from release_assistant.tui.core_calls import Session


def setup_context(session: Session) -> RepoContext:
    """The repository as the checklist reads it: not as a release in progress, so its
    re-verification every few seconds never asks the index about a version."""
    from release_assistant.core.context import RepoContext

    return RepoContext.load(
        session.root,
        tag=session.tag,
        today=session.today,
        environ=session.environ,
        releasing=False,
    )


@dataclass(frozen=True, slots=True)
class CopyChoice:
    """What a copy key sends: ``text`` under ``label``, or (``text`` ``None``) the
    ``notice`` saying why nothing is copied (``warning``: a value is missing)."""

    label: str
    text: str | None
    notice: str = ""
    warning: bool = False


def page_targets(item: ChecklistItem) -> list[tuple[str, str]]:
    """The item's pages, as (label, URL)."""
    if item.links:
        return [(link.label, link.url) for link in item.links]
    return [("Open", item.url)] if item.url else []


def value_to_copy(item: ChecklistItem, picked: int) -> CopyChoice:
    """The value ``c`` copies: the picked field's (the last one past the end)."""
    fields = item.fields
    if not fields:
        return CopyChoice("", None, "This item has no value to copy; C copies its page.")
    field = fields[min(picked, len(fields) - 1)]
    if field.value is None:
        return CopyChoice(field.label, None, f"{field.label} is unknown: {field.source}", True)
    if not field.value:
        return CopyChoice(
            field.label, None, f"{field.label}: nothing to copy, leave the field empty."
        )
    return CopyChoice(field.label, field.value)


def page_to_copy(item: ChecklistItem, turn: int) -> CopyChoice:
    """The page ``C`` copies on its ``turn``-th press (0-based): each page in turn."""
    pages = page_targets(item)
    if not pages:
        return CopyChoice("", None, "This item has no page to open.")
    label, url = pages[turn % len(pages)]
    return CopyChoice(label, url)


def is_done(item: ChecklistItem, progress: SetupProgress) -> bool:
    """Verified locally, or ticked by hand."""
    if item.verifiable_locally:
        return bool(item.verified)
    return item.id in progress.done


def toggled(progress: SetupProgress, item_id: str) -> SetupProgress:
    """``progress`` with ``item_id`` ticked (or unticked when it was), declines kept."""
    return SetupProgress(frozenset(set(progress.done) ^ {item_id}), progress.declined)


def summary_text(checklist: SetupChecklist, done: Callable[[ChecklistItem], bool]) -> str:
    """How far the setup is, and the keys."""
    total = len(checklist.items)
    finished = sum(1 for item in checklist.items if done(item))
    project = checklist.project or "this project"
    return (
        f"Trusted publishing for {project}: {finished} of {total} done · tab: next item · ?: keys"
    )
