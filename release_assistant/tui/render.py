"""Textual content for the walkthrough: step rows, details, plans (theme colors only)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.content import Content

from release_assistant.core.findings import CheckResult, Finding, Severity, Status
from release_assistant.core.release.plan import Plan
from release_assistant.core.rules import explain
from release_assistant.tui.step_list import ShipRun, State, Step, StepKind

#: Mark and theme style of each state; the words stay, so color is never the only signal.
STATE_MARK: Mapping[State, tuple[str, str]] = {
    State.PENDING: ("·", "$text-muted"),
    State.RUNNING: ("⠋", "$accent"),
    State.PASS: ("✔", "$success"),
    State.WARN: ("!", "$warning"),
    State.FAIL: ("✘", "$error"),
    State.SKIP: ("-", "$text-muted"),
    State.ERROR: ("✘", "$error"),
}

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

_SEVERITY_STYLE = {
    Severity.ERROR: "$error",
    Severity.WARNING: "$warning",
    Severity.INFO: "$text-muted",
}


#: A piece of content: plain text, or (text, theme style) such as ("fail", "$error bold").
Part = str | tuple[str, str]


def assemble(parts: Sequence[Part]) -> Content:
    """Content from plain and styled pieces: text is never parsed as markup, so brackets,
    backslashes and ``$`` in messages, paths and rules show as they are."""
    return Content.assemble(*parts)


def step_row(number: int, step: Step, frame: int = 0) -> Content:
    """One line of the step list: number, mark, label, state word."""
    mark, style = STATE_MARK[step.state]
    if step.state is State.RUNNING:
        mark = SPINNER[frame % len(SPINNER)]
    return assemble(
        [
            (f"{number:>2}", "$text-muted"),
            " ",
            (mark, style),
            f" {step.label:<9} ",
            (f"{step.state.value:<7}", style),
        ]
    )


def step_details(step: Step, extra: Sequence[str] = ()) -> Content:
    """Everything about one step: title, state, reason, findings with fixes, and more."""
    mark, style = STATE_MARK[step.state]
    parts: list[Part] = [(step.title, "bold"), "  ", (f"{mark} {step.state.value}", style)]
    result = step.result
    if result is not None and not result.blocking:
        parts.append(("  (non-blocking)", "$text-muted"))
    if step.kind is StepKind.CHECK:
        parts += _check_body(step, result)
    else:
        for line in (step.note, *step.lines):
            if line:
                parts += ["\n\n", line]
    for line in extra:
        parts += ["\n\n", (line, "$text-muted")]
    return assemble(parts)


def _check_body(step: Step, result: CheckResult | None) -> list[Part]:
    if result is None:
        if step.state is State.RUNNING:
            return ["\n\nRunning…"]
        return ["\n\nNot run yet: press enter to run this check, r to run them all."]
    parts: list[Part] = []
    if result.reason and (not result.findings or result.status is Status.ERROR):
        parts += ["\n\n", result.reason]
    if not result.findings and result.status is Status.PASS:
        parts += ["\n\n", ("Nothing to fix.", "$success")]
    for finding in result.findings:
        parts += ["\n\n", *finding_parts(finding)]
    parity = result.details.get("parity") if result.details else None
    if parity is not None:
        from release_assistant.core.gates.parity.result import to_json

        parts += ["\n\n", *parity_parts(to_json(parity))]
    return parts


def finding_parts(finding: Finding) -> list[Part]:
    """A finding: code and location, message, fix, and the rule's explanation."""
    style = _SEVERITY_STYLE[finding.severity]
    parts: list[Part] = [(finding.code, f"{style} bold"), " ", (finding.severity.value, style)]
    where = finding.location()
    if where:
        parts += ["  ", (where, "underline")]
    parts += ["\n  ", finding.message]
    rule = explain(finding.code)
    fix = finding.hint or (" ".join(rule.fix.split()) if rule is not None else None)
    if fix:
        parts += ["\n  ", ("fix: ", "$primary bold"), fix]
    if rule is not None:
        parts += ["\n  ", (f"why: {' '.join(rule.cause.split())}", "$text-muted")]
    return parts


def parity_parts(parity: Mapping[str, object]) -> list[Part]:
    """The parity gate's suites as an aligned text table."""
    suites = parity.get("suites")
    rows = [s for s in suites if isinstance(s, Mapping)] if isinstance(suites, list) else []
    header = f"{'suite':<18} {'samples':>7} {'upper CI':>9} {'margin':>7}  result"
    parts: list[Part] = [("Parity suites", "bold"), "\n", (header, "$text-muted")]
    for suite in rows:
        passed = suite.get("pass") is True
        name = str(suite.get("suite_id", "?"))[:18]
        parts.append(
            f"\n{name:<18} {_number(suite.get('samples')):>7} "
            f"{_number(suite.get('ci_upper_ratio')):>9} {_number(suite.get('margin_ratio')):>7}  "
        )
        parts.append(("pass", "$success") if passed else ("fail", "$error"))
        reason = suite.get("reason")
        if not passed and isinstance(reason, str) and reason:
            parts += ["\n  ", (reason, "$text-muted")]
    if not rows:
        parts += ["\n", ("(no suites measured)", "$text-muted")]
    return parts


def _number(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def plan_text(plan: Plan, notes: str | None = None, step_id: str = "") -> Content:
    """A plan as the confirmation dialog shows it: the marked steps first (what will happen
    is what the top of a small dialog shows), then what it writes (the tag message or the
    release notes, ``notes``), then the plan's notes, then the diffs."""
    parts: list[Part] = [(plan.title, "bold")]
    for action in plan.actions:
        style = "$warning bold" if action.changes else "$text-muted bold"
        parts += ["\n  ", (action.mark, style), f" {action.description}"]
    parts += ["\n", ("$ only reads · ! changes the repository or the remote", "$text-muted")]
    if notes is not None:
        parts += written_parts(notes, step_id)
    for note in plan.notes:
        parts += ["\n\n", ("note: ", "$warning"), note]
    for diff in plan.diffs:
        parts += ["\n\n", *_diff_parts(diff)]
    return assemble(parts)


def written_parts(notes: str, step_id: str) -> list[Part]:
    """What a tag or a release writes: the tag message's first line, then the whole text
    (``-F <notes>``, or the release body), indented."""
    what = (
        "The release notes (its body)" if step_id == "publish" else "The tag message (-F <notes>)"
    )
    lines = notes.strip("\n").splitlines()
    if not lines:
        return ["\n\n", (f"{what}: empty (the changelog has no notes for it)", "$warning")]
    parts: list[Part] = ["\n\n"]
    if step_id != "publish":
        parts += [("first line: ", "$primary bold"), lines[0], "\n"]
    parts += [(f"{what}:", "$primary bold")]
    for line in lines:
        parts += ["\n", (f"  {line}", "$text")]
    return parts


def _diff_parts(diff: str) -> list[Part]:
    parts: list[Part] = []
    for line in diff.rstrip("\n").split("\n"):
        if line.startswith(("+++", "---")):
            parts.append((line, "bold"))
        elif line.startswith("+"):
            parts.append((line, "$success"))
        elif line.startswith("-"):
            parts.append((line, "$error"))
        elif line.startswith("@@"):
            parts.append((line, "$accent"))
        else:
            parts.append(line)
        parts.append("\n")
    return parts


def ship_blocks(run: ShipRun, frame: int = 0) -> list[str]:
    """The one-go release as the ship row's details show it, in blocks: while it runs, every
    plan step with its state mark and result; once it ended, how it ended first (the error
    and its recovery, what the rollback undid, the next steps, the verification report),
    then the steps."""
    lines: list[str] = []
    for index, (mark, text) in enumerate(zip(run.marks, run.descriptions, strict=True)):
        state = run.states[index]
        shown = SPINNER[frame % len(SPINNER)] if state is State.RUNNING else STATE_MARK[state][0]
        lines.append(f"{shown} {mark} {text}")
        result = run.results[index]
        if result:
            lines.append(f"      {result}")
    steps = "\n".join(lines)
    if not run.finished:
        return [steps]
    # Once it ended, how it ended comes first: the pane opens on it.
    blocks: list[str] = []
    if not run.ok:
        blocks.append("\n".join([f"Failed: {run.error}", *(f"  {r}" for r in run.recovery)]))
        if run.undone:
            undone = (f"  {line}" for line in run.undone)
            blocks.append("\n".join(["Rolled back, nothing reached origin:", *undone]))
    blocks += [f"Next: {line}" for line in run.next_steps]
    if run.report_paths:
        blocks.append("\n".join(f"verification report: {p}" for p in run.report_paths))
    return [*blocks, steps]
    if not run.ok:
        blocks.append("\n".join([f"Failed: {run.error}", *(f"  {r}" for r in run.recovery)]))
        if run.undone:
            undone = (f"  {line}" for line in run.undone)
            blocks.append("\n".join(["Rolled back, nothing reached origin:", *undone]))
    if run.report_paths:
        blocks.append("\n".join(f"verification report: {p}" for p in run.report_paths))
    if run.next_steps:
        blocks.append("\n".join(f"Next: {line}" for line in run.next_steps))
    return blocks
