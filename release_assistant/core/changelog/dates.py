"""What a changelog's date texts say: ISO days, other ways to write a day, and the words
that mark a release as not out yet (``Unreleased``, ``TBD``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TypeAlias

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # fullmatch
#: Date texts (lowercased, stripped) that say a release has not happened yet.
PENDING = re.compile(
    r"^(?:unreleased|not\s+(?:yet\s+)?released(?:\s+yet)?|in\s+development|in\s+progress|"
    r"under\s+development|development(?:\s+version)?|upcoming|unpublished|forthcoming|"
    r"tb[adc]|to\s+be\s+(?:released|announced|determined)|pending|draft|wip|"
    r"[x?]{4}-[x?]{2}-[x?]{2}|yyyy-mm-dd|\?+|not\s+released|future|next)$",
    re.IGNORECASE,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_DATE_FORMS = re.compile(
    r"^(?:[A-Za-z]+,?\s+)?(?:"  # an optional weekday
    r"(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})"
    rf"|{_DAY}\s+{_MONTH},?\s+{_YEAR}"
    r"|(?P<month2>[A-Za-z]{3,9})\.?\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{4})"
    r"|(?P<a>\d{1,2})[-./](?P<b>\d{1,2})[-./](?P<year3>\d{4})"
    r")$"
)
# Words around a date: `Released on 2026-01-31`, `Release date: 2026-01-31`, `*2026-01-31*`.
_DATE_WORDS = re.compile(
    r"^(?:released?(?:\s+on)?|release\s+date|date|published(?:\s+on)?)\s*:?\s*", re.IGNORECASE
)
_LEADING_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?=[\s,;:(\[-])")

#: What a date text says: ``iso`` (``YYYY-MM-DD``), ``date`` (another way to write a real
#: day), ``invalid`` (written like a date, but no such day), ``pending`` (not released yet),
#: ``unknown`` (neither).
DateKind: TypeAlias = str


def read_date(text: str) -> tuple[DateKind, dt.date | None]:
    """What ``text`` says about a release day: its :data:`DateKind` and the day, when known.

    ``6th December, 2024``, ``Dec 31, 2025``, ``2020-12-1`` and ``31.12.2025`` are dates,
    ``Unreleased`` and ``in development`` are ``pending``; words around the date
    (``Released on``, emphasis) are ignored. A day written ``01/02/2026`` is a ``date``
    without a day (it is ambiguous).
    """
    stripped = clean_date(text)
    if _ISO_DATE.fullmatch(stripped):
        try:
            return "iso", dt.date.fromisoformat(stripped)
        except ValueError:
            return "invalid", None
    if PENDING.match(stripped):
        return "pending", None
    match = _DATE_FORMS.match(stripped)
    if match is None:
        # `2022-09-20, yanked on 2022-09-21`: the release day, then a remark.
        leading = _LEADING_ISO.match(stripped)
        return read_date(leading.group(0)) if leading else ("unknown", None)
    groups = match.groupdict()
    if groups["y1"] is not None:
        numbers = (groups["y1"], groups["m1"], groups["d1"])
    elif groups["a"] is not None:
        first, second = int(groups["a"]), int(groups["b"])
        if max(first, second) > 31 or min(first, second) < 1 or min(first, second) > 12:
            return "invalid", None
        return "date", None
    else:
        month = _MONTHS.get((groups["month"] or groups["month2"] or "").lower())
        if month is None:
            return "unknown", None
        numbers = (groups["year"] or groups["year2"], str(month), groups["day"] or groups["day2"])
    try:
        return "date", dt.date(int(numbers[0]), int(numbers[1]), int(numbers[2]))
    except ValueError:
        return "invalid", None


def clean_date(text: str) -> str:
    """``text`` without what surrounds a date: emphasis, brackets, ``Released on``."""
    stripped = text.strip().strip("*_`()[]").strip()
    if stripped[:1].isdigit():
        return stripped  # the usual case: nothing to remove
    return _DATE_WORDS.sub("", stripped).strip("*_`()[] ")


def is_iso_date(text: str) -> bool:
    """True for ``YYYY-MM-DD`` (the only date form Keep a Changelog uses)."""
    return _ISO_DATE.fullmatch(text) is not None


def all_iso_dates(dates: list[str]) -> bool:
    """True when every one of ``dates`` is ``YYYY-MM-DD`` (the loop runs in C, via ``map``)."""
    return all(map(_ISO_DATE.fullmatch, dates))
