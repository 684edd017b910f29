"""The setup screen's key decisions without Textual (milliseconds): which value ``c`` and
which page ``C`` copy or why nothing, what a tick saves, the summary line."""

from __future__ import annotations

from release_assistant.core.release.setup_checklist import (
    ChecklistItem,
    FormField,
    Link,
    SetupChecklist,
)
from release_assistant.core.release.setup_progress import SetupProgress
from release_assistant.tui.flows.setup_actions import (
    CopyChoice,
    is_done,
    page_to_copy,
    summary_text,
    toggled,
    value_to_copy,
)

OWNER = FormField(label="Owner", value="o", source="origin's URL")
ENVIRONMENT = FormField(label="Environment", value="", source="the upload job has none")
UNKNOWN = FormField(label="Project", value=None, source="no [project].name")


def item(
    item_id: str = "publisher",
    *,
    fields: list[FormField] | None = None,
    links: list[Link] | None = None,
    url: str | None = None,
    local: bool = False,
    verified: bool | None = None,
) -> ChecklistItem:
    return ChecklistItem(
        id=item_id,
        title="Add the publisher",
        instructions=[],
        url=url,
        links=links or [],
        fields=fields or [],
        verifiable_locally=local,
        verified=verified,
        status="",
    )


def test_c_copies_the_picked_value_and_says_why_not_otherwise() -> None:
    both = item(fields=[OWNER, ENVIRONMENT, UNKNOWN])
    assert value_to_copy(both, 0) == CopyChoice("Owner", "o")
    assert value_to_copy(both, 1) == CopyChoice(
        "Environment", None, "Environment: nothing to copy, leave the field empty."
    )
    unknown = value_to_copy(both, 7)  # past the end: the last value
    assert unknown.text is None and unknown.warning
    assert unknown.notice == "Project is unknown: no [project].name"
    none = value_to_copy(item(), 0)
    assert none.text is None and not none.warning and "C copies its page" in none.notice


def test_capital_c_turns_through_the_pages() -> None:
    links = [
        Link(label="Form", url="https://example.invalid/form", prefilled=True),
        Link(label="Settings", url="https://example.invalid/settings", prefilled=False),
    ]
    paged = item(links=links)
    assert [page_to_copy(paged, turn).label for turn in range(3)] == ["Form", "Settings", "Form"]
    single = item(url="https://example.invalid/only")
    assert page_to_copy(single, 5) == CopyChoice("Open", "https://example.invalid/only")
    assert page_to_copy(item(), 0).text is None


def test_a_tick_toggles_keeps_the_decline_and_counts_only_by_hand_items() -> None:
    progress = SetupProgress(frozenset({"a"}), declined=True)
    ticked = toggled(progress, "b")
    assert ticked == SetupProgress(frozenset({"a", "b"}), declined=True)
    assert toggled(ticked, "a") == SetupProgress(frozenset({"b"}), declined=True)
    by_hand, local = item("b"), item("workflow", local=True, verified=False)
    assert is_done(by_hand, ticked) and not is_done(by_hand, progress)
    # A locally verifiable item follows the repository, never a tick.
    assert not is_done(local, toggled(ticked, "workflow"))
    assert is_done(item("workflow", local=True, verified=True), SetupProgress())


def test_the_summary_counts_what_is_done() -> None:
    checklist = SetupChecklist(
        repo="/r",
        project="seed",
        owner="o",
        repository="r",
        workflow_file="release.yml",
        pypi_environment=None,
        testpypi_environment=None,
        tag_format="v{version}",
        deployment_tag_pattern="v*",
        claims=None,
        items=[item("a"), item("b")],
        ready=False,
    )
    text = summary_text(checklist, lambda i: i.id == "a")
    assert text == "Trusted publishing for seed: 1 of 2 done · tab: next item · ?: keys"
