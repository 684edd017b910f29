"""What one gate run has read so far, and how it records a failure.

The rule families (:mod:`.lock`, :mod:`.runs`, :mod:`.crosscheck`, :mod:`.aggregate`) are
functions over one :class:`GateState`: they read artifacts through it, record what they read
(runs, aggregate rows, the lock's pins) and add failures to it; :mod:`.validate` runs them in
order and turns the state into the :class:`~.result.ParityResult`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from release_assistant.core.gates.jsondoc import JsonDocument, load_json_object
from release_assistant.core.gates.parity.result import (
    GateFailure,
    LockEntry,
    LockSummary,
    ParityInputs,
)
from release_assistant.core.gates.parity.verdict import VerdictNumbers
from release_assistant.core.rules.rule import Rule
from release_assistant.core.support.confined import resolve_inside

#: The hint of a malformed artifact: regenerate rather than hand-edit.
REGENERATE = (
    "regenerate the artifacts (release-assistant gate parity run ... && "
    "release-assistant gate parity aggregate ...) rather than editing them by hand"
)


#: The lock summary when no lock is given.
NO_LOCK = LockSummary(None, False, False, None, ())


@dataclass(slots=True)
class RunRead:
    """What the gate read from one run: its suite, its file as shown, its numbers."""

    suite_id: str
    path: str
    numbers: VerdictNumbers = field(default_factory=VerdictNumbers)
    upstream_commit: str | None = None


@dataclass(slots=True)
class GateState:
    """The inputs, what has been read from them, and the failures so far."""

    inputs: ParityInputs
    failures: list[GateFailure] = field(default_factory=list)
    runs: dict[str, RunRead] = field(default_factory=dict)
    rows: dict[str, VerdictNumbers] = field(default_factory=dict)
    #: The lock's pins by suite; ``None`` when the lock is missing or unusable (runs are then
    #: not compared with it).
    lock_suites: dict[str, LockEntry] | None = None
    lock_summary: LockSummary = field(default_factory=lambda: NO_LOCK)
    #: Suites whose pin in the lock is malformed (reported once, as RA803): their runs are
    #: not compared with it, the other suites' runs still are.
    broken_pins: set[str] = field(default_factory=set)

    def fail(
        self,
        rule: Rule,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        suite_id: str | None = None,
        hint: str | None = None,
    ) -> None:
        """Record one broken rule."""
        self.failures.append(GateFailure(rule.code, message, path, line, suite_id, hint))

    def fail_in_run(
        self, run: RunRead, rule: Rule, message: str, line: int | None, hint: str = REGENERATE
    ) -> None:
        """A failure found in ``run``'s artifact: located in its file, tagged with its suite."""
        self.fail(rule, message, path=run.path, line=line, suite_id=run.suite_id, hint=hint)

    def load(self, path: Path) -> JsonDocument:
        """Read one artifact; outside the repository it is refused when inputs are confined
        (the configured gate: every path is from ``[tool.release-assistant.gates.parity]``)."""
        base = self.inputs.base
        if self.inputs.confined and base is not None:
            resolve_inside(base, os.fspath(path), self._setting(path))
        return load_json_object(path)

    def _setting(self, path: Path) -> str:
        """The setting ``path`` comes from, as messages name it."""
        key = "lock" if path == self.inputs.lock else "runs"
        key = "aggregate" if path == self.inputs.aggregate else key
        return f"[tool.release-assistant.gates.parity] {key}"

    def show(self, path: Path) -> str:
        """``path`` as messages name it: relative to ``base`` when inside it."""
        base = self.inputs.base
        if base is not None:
            # The path as configured (a symlink named, not its target), relative when inside.
            for shown, root in (
                (Path(os.path.abspath(path)), Path(os.path.abspath(base))),
                (path.resolve(), base.resolve()),
            ):
                try:
                    return shown.relative_to(root).as_posix()
                except ValueError:
                    continue
        return str(path)

    def required(self) -> list[str]:
        """The required suites, each once, in the order given."""
        return list(dict.fromkeys(self.inputs.required_suites))
