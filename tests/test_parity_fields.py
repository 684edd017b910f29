"""The gate's light field readers against pydantic, on the same declarations.

The hook path reads artifacts with :mod:`release_assistant.core.gates.parity.fields`; pydantic
validates the artifact dataclasses off it, through the same ``Kind`` objects. Each value of a
table that covers the JSON types (and the coercions pydantic's lax mode would make) must get
the same verdict from both, and the summary the gate writes by hand must be what pydantic
reads and writes back.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import TypeAdapter, ValidationError

from release_assistant.core.gates.models import adapter, validate
from release_assistant.core.gates.parity.fields import (
    BOOL,
    COUNT,
    NUMBER,
    OBJECT,
    STRING,
    Kind,
    WrongType,
)
from release_assistant.core.gates.parity.result import ParitySummary
from release_assistant.core.gates.parity.validate import validate_parity
from release_assistant.core.gates.parity.verdict import VerdictNumbers, read_numbers
from tests.parity_fixtures import TDMPC2, generated_set

KINDS: dict[str, tuple[Kind, Any]] = {
    "bool": (BOOL, bool),
    "string": (STRING, str),
    "number": (NUMBER, float),
    "count": (COUNT, int),
    "object": (OBJECT, dict[str, Any]),
}

VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    2**70,
    0.5,
    1.0,
    -0.0,
    math.nan,
    math.inf,
    -math.inf,
    "",
    " ",
    "x",
    "true",
    "3",
    "0.5",
    [],
    [1],
    {},
    {"a": 1},
]


def pydantic_verdict(kind: Kind, base: Any, value: Any) -> tuple[bool, Any]:
    try:
        return True, TypeAdapter(Annotated[base | None, kind]).validate_python(value)
    except ValidationError:
        return False, None


@pytest.mark.parametrize("name", sorted(KINDS))
@pytest.mark.parametrize("value", VALUES, ids=[repr(v) for v in VALUES])
def test_the_reader_and_pydantic_agree_on_every_value(name: str, value: Any) -> None:
    kind, base = KINDS[name]
    read = kind.read({"field": value}, "field")
    accepted, validated = pydantic_verdict(kind, base, value)
    assert accepted == (not isinstance(read, WrongType)), (name, value, read)
    if accepted:
        assert read == validated and type(read) is type(validated)


def test_an_absent_field_reads_as_none() -> None:
    assert all(kind.read({}, "field") is None for kind, _ in KINDS.values())


ROWS: list[dict[str, Any]] = [
    {},
    {"sample_size": 4, "mean_drop_ratio": 0, "ci_upper_ratio": 0.01, "verdict_reason": "ok"},
    {"sample_size": -1, "confidence": "0.95"},
    {"sample_size": 2.0, "margin_ratio": True, "verdict_reason": 7},
    {"mean_drop_ratio": math.nan, "ci_upper_ratio": [], "other": "not read"},
]


@pytest.mark.parametrize("row", ROWS)
def test_verdict_numbers_read_like_pydantic(row: dict[str, Any]) -> None:
    numbers, wrong = read_numbers(row)
    try:
        validated = validate(VerdictNumbers, row)
    except ValidationError as error:
        rejected = {str(problem["loc"][0]) for problem in error.errors()}
        assert {key for key, _ in wrong} == rejected
    else:
        assert wrong == [] and numbers == validated


def test_the_hand_written_summary_is_what_pydantic_reads_and_writes(tmp_path: Path) -> None:
    pset = generated_set(tmp_path)
    pset.edit(pset.runs[1], lambda d: d["sources"]["upstream"].update(commit="f" * 40))
    pset.lock.unlink()
    summary = validate_parity(pset.inputs()).summary()
    assert [row["suite_id"] for row in summary["suites"]][1:] == [TDMPC2]
    parsed = validate(ParitySummary, json.loads(json.dumps(summary)))
    assert adapter(ParitySummary).dump_python(parsed, mode="json", by_alias=True) == summary
