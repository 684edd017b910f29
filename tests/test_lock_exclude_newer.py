"""uv's exclude-newer values: durations field by field, instants, dates, the placeholder.

The verdicts of uv itself on these spellings are in ``test_lock_uv.py``
(``test_exclude_newer_matches_uv``); these pin the reader's details.
"""

from __future__ import annotations

import pytest

from release_assistant.core.lockfiles.exclude_newer import (
    PLACEHOLDER,
    parse_locked,
    parse_setting,
    parse_span,
    same,
)

WEEK = (0, 0, 1, 0, 0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("1 week", WEEK),
        ("1 weeks", WEEK),
        ("1w", WEEK),
        ("1wk", WEEK),
        ("+1 week", WEEK),
        ("P1W", WEEK),
        ("p1w", WEEK),
        ("1 week 0 days", WEEK),
        ("7 days", (0, 0, 0, 7, 0, 0, 0, 0, 0, 0)),
        ("P7D", (0, 0, 0, 7, 0, 0, 0, 0, 0, 0)),
        ("1 week ago", (0, 0, -1, 0, 0, 0, 0, 0, 0, 0)),
        ("-P1W", (0, 0, -1, 0, 0, 0, 0, 0, 0, 0)),
        ("3d 12h", (0, 0, 0, 3, 12, 0, 0, 0, 0, 0)),
        ("PT36H", (0, 0, 0, 0, 36, 0, 0, 0, 0, 0)),
        ("1 WEEK", None),  # jiff's units are lower case: uv refuses it
        ("1.5 days", None),  # a fraction: not read here (undecidable, not stale)
        ("P", None),
        ("1 week 2 weeks", None),
        ("soon", None),
    ],
)
def test_spans_read_as_jiff_fields(text: str, fields: tuple[int, ...] | None) -> None:
    assert parse_span(text) == fields


def test_the_placeholder_is_ignored_beside_a_span() -> None:
    locked = parse_locked(PLACEHOLDER, "P1W")
    assert locked is not None and locked.moving
    setting = parse_setting("1 week")
    assert setting is not None and same(setting, locked)
    seven_days = parse_setting("7 days")
    assert seven_days is not None and not same(seven_days, locked)


def test_a_fixed_date_is_not_a_duration() -> None:
    locked = parse_locked(PLACEHOLDER, "P1W")
    day = parse_setting("2024-01-01")
    assert locked is not None and day is not None and not same(day, locked)


@pytest.mark.parametrize(
    ("setting", "locked", "expected"),
    [
        ("2024-05-01T00:00:00Z", "2024-05-01T00:00:00Z", True),
        ("2024-05-01T02:00:00+02:00", "2024-05-01T00:00:00Z", True),
        ("2024-05-02T00:00:00Z", "2024-05-01T00:00:00Z", False),
        # A date is the next midnight where uv ran: from UTC-12 to UTC+14.
        ("2024-04-30", "2024-05-01T00:00:00Z", True),
        ("2024-04-30", "2024-04-30T10:00:00Z", True),
        ("2024-04-30", "2024-05-02T00:00:00Z", False),
    ],
)
def test_instants_and_dates(setting: str, locked: str, expected: bool) -> None:
    wanted, recorded = parse_setting(setting), parse_locked(locked, None)
    assert wanted is not None and recorded is not None
    assert same(wanted, recorded) is expected


def test_a_timestamp_without_offset_is_unreadable() -> None:
    assert parse_setting("2024-05-01T00:00:00") is None
