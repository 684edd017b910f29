"""The step list: one row per step, its mark turning while it runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from release_assistant.tui.render import step_row
from release_assistant.tui.step_list import Step


class StepList(OptionList):
    """The step list: enter runs the highlighted step (and says so in the footer)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Run")]

    def __init__(self, steps: Sequence[Step], *, id: str | None = None) -> None:
        super().__init__(*[Option(step_row(i, s), id=s.id) for i, s in enumerate(steps, 1)], id=id)

    def show(self, index: int, step: Step, frame: int = 0) -> None:
        """Render row ``index`` (0-based) as ``step`` stands now."""
        self.replace_option_prompt_at_index(index, step_row(index + 1, step, frame))
