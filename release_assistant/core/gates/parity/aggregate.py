"""The aggregate's rules: present (RA816), readable (RA803), ``all_suites_pass: true``
(RA817), a row per required suite (RA818) that passes non-inferiority (RA819)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from release_assistant.core.gates.jsondoc import JsonDocument, describe
from release_assistant.core.gates.parity.fields import WrongType, read_bool
from release_assistant.core.gates.parity.state import REGENERATE, GateState
from release_assistant.core.gates.parity.verdict import read_numbers
from release_assistant.core.rules.gates import (
    AGGREGATE_LACKS_SUITE,
    AGGREGATE_MISSING,
    AGGREGATE_NOT_ALL_PASSING,
    AGGREGATE_ROW_INFERIOR,
    GATE_NOT_CONFIGURED,
    MALFORMED_ARTIFACT,
)
from release_assistant.core.support.textfiles import FileProblem

#: The aggregate's row objects by suite.
Rows = dict[str, dict[str, Any]]


def check_aggregate(gate: GateState) -> None:
    """Apply every aggregate rule, reading its rows into :attr:`GateState.rows`."""
    aggregate = gate.inputs.aggregate
    doc: JsonDocument | None = None
    shown: str | None = None
    if aggregate is None:
        gate.fail(
            GATE_NOT_CONFIGURED,
            "no aggregate artifact given",
            hint="pass --aggregate FILE (or set gates.parity.aggregate)",
        )
    else:
        shown = gate.show(aggregate)
        if not aggregate.exists():
            gate.fail(
                AGGREGATE_MISSING,
                f"aggregate artifact is missing: {shown}",
                path=shown,
                hint="generate it: release-assistant gate parity aggregate --run ... "
                f"--output {shown}",
            )
        else:
            try:
                doc = gate.load(aggregate)
            except FileProblem as problem:
                gate.fail(
                    MALFORMED_ARTIFACT,
                    f"aggregate artifact {shown} {problem.message}",
                    path=shown,
                    line=problem.line,
                    hint=getattr(problem, "hint", None) or REGENERATE,
                )
    raw_rows: Rows = {}
    if doc is not None:
        raw_rows = read_rows(gate, doc, shown or "")
    check_all_pass(gate, doc, shown)
    for suite_id in gate.required():
        found = raw_rows.get(suite_id)
        if found is None:
            gate.fail(
                AGGREGATE_LACKS_SUITE,
                f"aggregate missing suite row: {suite_id}",
                path=shown if doc is not None else None,
                suite_id=suite_id,
                hint="regenerate the aggregate from every suite's run "
                "(release-assistant gate parity aggregate --run ...)",
            )
            continue
        check_row(gate, doc, shown or "", suite_id, found)


def read_rows(gate: GateState, doc: JsonDocument, shown: str) -> Rows:
    """The aggregate's rows by suite, each malformed row or field reported (RA803)."""
    rows: Rows = {}
    suites = doc.data.get("suites")
    if suites is None:
        return rows
    if not isinstance(suites, list):
        gate.fail(
            MALFORMED_ARTIFACT,
            f"aggregate artifact {shown}: 'suites' must be a list of rows, "
            f"found {describe(suites)}",
            path=shown,
            line=doc.line_of("suites"),
            hint=REGENERATE,
        )
        return rows
    for index, row in enumerate(suites):
        if not isinstance(row, dict):
            gate.fail(
                MALFORMED_ARTIFACT,
                f"aggregate artifact {shown}: suites[{index}] must be an object, "
                f"found {describe(row)}",
                path=shown,
                line=doc.line_of("suites"),
                hint=REGENERATE,
            )
            continue
        suite_id = row.get("suite_id")
        if not isinstance(suite_id, str) or not suite_id.strip():
            found = "is missing" if suite_id is None else f"is {describe(suite_id)}"
            gate.fail(
                MALFORMED_ARTIFACT,
                f"aggregate artifact {shown}: suites[{index}].suite_id {found}",
                path=shown,
                line=doc.line_of("suites"),
                hint=REGENERATE,
            )
            continue
        numbers, wrong = read_numbers(row)
        flag = read_bool(row, "pass_non_inferiority")
        if isinstance(flag, WrongType):
            wrong.append(("pass_non_inferiority", flag))
        for key, value in wrong:
            gate.fail(
                MALFORMED_ARTIFACT,
                f"aggregate artifact {shown}: "
                + value.text(f"suites[{index}].{key}")
                + f" (suite {suite_id})",
                path=shown,
                line=doc.line_of_value("suite_id", suite_id),
                suite_id=suite_id,
                hint=REGENERATE,
            )
        # Like the seed, a later row for the same suite replaces an earlier one.
        rows[suite_id] = row
        gate.rows[suite_id] = numbers
    return rows


def check_all_pass(gate: GateState, doc: JsonDocument | None, shown: str | None) -> None:
    """The aggregate says ``all_suites_pass: true`` (RA817)."""
    flag = None if doc is None else read_bool(doc.data, "all_suites_pass")
    if flag is True:
        return
    if doc is None:
        message = "aggregate does not report all_suites_pass: true (no readable aggregate)"
        line = None
    elif isinstance(flag, WrongType):
        message = f"aggregate artifact {shown}: " + flag.text("all_suites_pass")
        line = doc.line_of("all_suites_pass")
    elif flag is None:
        message = f"aggregate artifact {shown} has no all_suites_pass: true"
        line = None
    else:
        message = "aggregate artifact reports all_suites_pass=false"
        line = doc.line_of("all_suites_pass")
    gate.fail(
        AGGREGATE_NOT_ALL_PASSING,
        message,
        path=shown if doc is not None else None,
        line=line,
        hint="every suite must pass; fix the failing suite, then regenerate the aggregate",
    )


def check_row(
    gate: GateState,
    doc: JsonDocument | None,
    shown: str,
    suite_id: str,
    row: Mapping[str, Any],
) -> None:
    """A required suite's row passes non-inferiority: flag true, upper CI <= margin (RA819)."""
    numbers = gate.rows[suite_id]
    problems: list[str] = []
    flag = read_bool(row, "pass_non_inferiority")
    if flag is None:
        problems.append("pass_non_inferiority is missing")
    elif flag is False:
        problems.append("pass_non_inferiority is false")
    elif isinstance(flag, WrongType):
        problems.append(flag.text("pass_non_inferiority"))
    ci, margin = numbers.ci_upper_ratio, numbers.margin_ratio
    if ci is not None and margin is not None and ci > margin:
        problems.append(f"ci_upper_ratio {ci:g} > margin_ratio {margin:g}")
    if problems:
        gate.fail(
            AGGREGATE_ROW_INFERIOR,
            f"aggregate suite failed non-inferiority: {suite_id} ({'; '.join(problems)})",
            path=shown,
            line=None if doc is None else doc.line_of_value("suite_id", suite_id),
            suite_id=suite_id,
            hint="the candidate is measurably worse than upstream on this suite: fix the "
            "regression, re-run the suite and regenerate the aggregate",
        )
