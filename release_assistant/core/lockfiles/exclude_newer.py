"""uv's ``exclude-newer`` values, read and compared the way uv compares them.

A setting (``tool.uv.exclude-newer``, ``UV_EXCLUDE_NEWER``, or one package's value in
``exclude-newer-package``) is one of (uv's ``ExcludeNewerValue::from_str``):

- an RFC 3339 timestamp (``2024-03-01T00:00:00Z``): that instant;
- a date (``2024-03-01``): midnight after that day in the locking machine's time zone;
- a duration, "friendly" (``1 week``, ``7 days``, ``3d 12h``) or ISO 8601 (``P1W``): a cutoff
  that moves with the clock. The lock then records the duration as ``exclude-newer-span``
  (ISO 8601) beside the placeholder timestamp ``0001-01-01T00:00:00Z``.

uv re-resolves when the kind of value changes, when an instant changes, or when a duration
changes *field by field* (jiff's ``Span::fieldwise``: ``1 week`` equals ``P1W`` but not
``7 days``); a moving cutoff moving is not a change.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: The timestamp uv writes beside ``exclude-newer-span`` (it has no effect).
PLACEHOLDER = "0001-01-01T00:00:00Z"

#: jiff's span fields, in the order ``fieldwise`` compares them.
FIELDS = (
    "years",
    "months",
    "weeks",
    "days",
    "hours",
    "minutes",
    "seconds",
    "milliseconds",
    "microseconds",
    "nanoseconds",
)
_UNITS = {
    "years": ("y", "yr", "yrs", "year", "years"),
    "months": ("mo", "mos", "month", "months"),
    "weeks": ("w", "wk", "wks", "week", "weeks"),
    "days": ("d", "day", "days"),
    "hours": ("h", "hr", "hrs", "hour", "hours"),
    "minutes": ("m", "min", "mins", "minute", "minutes"),
    "seconds": ("s", "sec", "secs", "second", "seconds"),
    "milliseconds": ("ms", "msec", "msecs", "millisecond", "milliseconds"),
    "microseconds": ("µs", "us", "usec", "usecs", "microsecond", "microseconds"),
    "nanoseconds": ("ns", "nsec", "nsecs", "nanosecond", "nanoseconds"),
}
_UNIT_FIELD = {alias: name for name, aliases in _UNITS.items() for alias in aliases}
_FRIENDLY_PART = re.compile(r"(\d+)\s*([a-zµ]+)\s*,?\s*")
_ISO = re.compile(
    r"P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?",
    re.IGNORECASE,
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Cutoff:
    """One ``exclude-newer`` value: ``instant``, ``day`` or ``span`` is set."""

    text: str
    instant: dt.datetime | None = None
    day: dt.date | None = None
    span: tuple[int, ...] | None = None  # signed values of FIELDS

    @property
    def moving(self) -> bool:
        """A duration: the cutoff follows the clock."""
        return self.span is not None


def parse_setting(text: str) -> Cutoff | None:
    """A configured value; ``None`` when it is not one uv reads the same way for certain."""
    value = text.strip()
    instant = _instant(value)
    if instant is not None:
        return Cutoff(value, instant=instant)
    if _DATE.fullmatch(value):
        try:
            return Cutoff(value, day=dt.date.fromisoformat(value))
        except ValueError:
            return None
    span = parse_span(value)
    return None if span is None else Cutoff(value, span=span)


def parse_locked(timestamp: str | None, span: str | None) -> Cutoff | None:
    """The lock's value from its timestamp and ``exclude-newer-span`` (the span wins, as in
    uv, which ignores the placeholder timestamp beside it); ``None`` if unreadable."""
    if span is not None:
        fields = parse_span(span)
        return None if fields is None else Cutoff(span, span=fields)
    if timestamp is None:
        return None
    instant = _instant(timestamp.strip())
    return None if instant is None else Cutoff(timestamp, instant=instant)


def same(setting: Cutoff, locked: Cutoff) -> bool:
    """Whether uv keeps a lock resolved with ``locked`` for the ``setting``."""
    if setting.moving or locked.moving:
        return setting.span == locked.span
    if setting.instant is not None and locked.instant is not None:
        return setting.instant == locked.instant
    # A date is the next midnight in the locking machine's zone: UTC-12 to UTC+14.
    day = setting.day if setting.day is not None else locked.day
    stamp = setting.instant if setting.instant is not None else locked.instant
    if day is None or stamp is None:
        return False
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.timezone.utc)
    return midnight - dt.timedelta(hours=14) <= stamp <= midnight + dt.timedelta(hours=12)


def parse_span(text: str) -> tuple[int, ...] | None:
    """A duration as jiff reads it (ISO 8601 or friendly), as signed fields; ``None`` for a
    form this reader does not know (fractions, ``HH:MM:SS``...)."""
    value = text.strip()
    sign = 1
    if value[:1] in "+-" and value:
        sign = -1 if value[0] == "-" else 1
        value = value[1:].strip()
    if value.endswith(" ago"):
        sign, value = -sign, value[: -len(" ago")].strip()
    if value[:1] in ("P", "p"):
        match = _ISO.fullmatch(value)
        if match is None or value.upper() in ("P", "PT") or value.upper().endswith("T"):
            return None
        found = {name: int(number) for name, number in match.groupdict().items() if number}
    else:
        found = {}
        position = 0
        # jiff's friendly units are lower case only ("1 WEEK" is an error in uv).
        for part in _FRIENDLY_PART.finditer(value):
            if part.start() != position:
                return None
            position = part.end()
            field = _UNIT_FIELD.get(part[2])
            if field is None or field in found:
                return None
            found[field] = int(part[1])
        if position != len(value) or not found:
            return None
    if all(number == 0 for number in found.values()):
        sign = 1  # jiff has no negative zero
    return tuple(sign * found.get(name, 0) for name in FIELDS)


def _instant(text: str) -> dt.datetime | None:
    """An RFC 3339 timestamp with its offset (jiff's ``Timestamp``); else ``None``."""
    if "T" not in text.upper() and " " not in text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(re.sub(r"[zZ]$", "+00:00", text))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
