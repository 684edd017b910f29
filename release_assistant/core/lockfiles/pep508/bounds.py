"""``requires-python`` bounds: :class:`PythonBounds`, the bounding range of a specifier set.

The ranges are uv's release-only ones; :meth:`PythonBounds.marker` is the only part that
needs the marker model, and imports it when called.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from packaging.version import Version

    from release_assistant.core.lockfiles.pep508.markers import Marker


@dataclass(frozen=True, slots=True)
class Bound:
    """One end of a version range; ``version`` ``None`` means unbounded."""

    version: Version | None
    inclusive: bool

    def describe(self, lower: bool) -> str:
        """``>=3.10`` / ``<4`` style text for messages."""
        if self.version is None:
            return "unbounded"
        if lower:
            return f"{'>=' if self.inclusive else '>'}{self.version}"
        return f"{'<=' if self.inclusive else '<'}{self.version}"


@dataclass(frozen=True, slots=True)
class PythonBounds:
    """The bounding range of a ``requires-python`` specifier set, as uv compares them."""

    lower: Bound
    upper: Bound

    @classmethod
    def from_specifiers(cls, texts: Iterable[str]) -> PythonBounds:
        """Intersect the specifier sets in ``texts`` and return their bounding range.

        The ranges are uv's release-only ones (``release_specifiers_to_ranges``). Raises
        ``ValueError`` on an invalid specifier.
        """
        from packaging.specifiers import SpecifierSet

        intervals: list[_Interval] = [(None, False, None, False)]
        for text in texts:
            for spec in SpecifierSet(text):
                intervals = _intersect(intervals, _spec_intervals(spec.operator, spec.version))
        if not intervals:
            return cls(Bound(None, False), Bound(None, False))
        lowest = min(intervals, key=_lower_key)
        highest = max(intervals, key=_upper_key)
        return cls(Bound(lowest[0], lowest[1]), Bound(highest[2], highest[3]))

    def contains(self, version: Version) -> bool:
        """True when ``version`` lies inside the bounds."""
        low, high = self.lower, self.upper
        if low.version is not None and (
            version < low.version or (version == low.version and not low.inclusive)
        ):
            return False
        return not (
            high.version is not None
            and (version > high.version or (version == high.version and not high.inclusive))
        )

    def same_as(self, other: PythonBounds) -> bool:
        """Equal bounds (``3.10`` equals ``3.10.0``)."""
        return _same_bound(self.lower, other.lower) and _same_bound(self.upper, other.upper)

    def describe(self) -> str:
        """``>=3.10, <4`` style text for messages."""
        parts = [
            bound.describe(lower)
            for bound, lower in ((self.lower, True), (self.upper, False))
            if bound.version is not None
        ]
        return ", ".join(parts) or "any Python"

    def marker(self) -> Marker | None:
        """The bounds as a ``python_full_version`` marker (uv's ``to_marker_tree``)."""
        from release_assistant.core.lockfiles.pep508.markers import parse_marker

        parts = []
        if self.lower.version is not None:
            operator = ">=" if self.lower.inclusive else ">"
            parts.append(f"python_full_version {operator} '{self.lower.version}'")
        if self.upper.version is not None:
            operator = "<=" if self.upper.inclusive else "<"
            parts.append(f"python_full_version {operator} '{self.upper.version}'")
        return parse_marker(" and ".join(parts)) if parts else None


_Interval = tuple[Any, bool, Any, bool]  # (low, low_inclusive, high, high_inclusive)


def _same_bound(first: Bound, second: Bound) -> bool:
    if first.version is None or second.version is None:
        return first.version is None and second.version is None
    return first.version == second.version and first.inclusive == second.inclusive


def _lower_key(interval: _Interval) -> tuple[int, Any, int]:
    low, inclusive = interval[0], interval[1]
    if low is None:
        return (0, 0, 0)
    return (1, low, 0 if inclusive else 1)


def _upper_key(interval: _Interval) -> tuple[int, Any, int]:
    high, inclusive = interval[2], interval[3]
    if high is None:
        return (1, 0, 0)
    return (0, high, 1 if inclusive else 0)


def _release(text: str) -> Version:
    from packaging.version import Version

    return Version(".".join(str(part) for part in Version(text).release))


def _next_prefix(text: str) -> Version:
    """The first version after every version starting with ``text`` (``3.10`` -> ``3.11``)."""
    from packaging.version import Version

    release = list(Version(text).release)
    release[-1] += 1
    return Version(".".join(str(part) for part in release))


def _spec_intervals(operator: str, version: str) -> list[_Interval]:
    """The release-only version intervals one specifier allows (uv's ``release`` ranges)."""
    if version.endswith(".*"):
        prefix = version[:-2]
        start, end = _release(prefix), _next_prefix(prefix)
        if operator == "==":
            return [(start, True, end, False)]
        return [(None, False, start, False), (end, True, None, False)]
    point = _release(version)
    if operator in ("==", "==="):
        return [(point, True, point, True)]
    if operator == "!=":
        return [(None, False, point, False), (point, False, None, False)]
    if operator == ">=":
        return [(point, True, None, False)]
    if operator == ">":
        return [(point, False, None, False)]
    if operator == "<=":
        return [(None, False, point, True)]
    if operator == "<":
        return [(None, False, point, False)]
    if operator == "~=":
        from packaging.version import Version

        release = Version(version).release
        upper = _next_prefix(".".join(str(part) for part in release[:-1]))
        return [(point, True, upper, False)]
    raise ValueError(f"unknown specifier operator {operator!r}")


def _intersect(first: list[_Interval], second: list[_Interval]) -> list[_Interval]:
    result: list[_Interval] = []
    for a in first:
        for b in second:
            low = max((a, b), key=_lower_key)
            high = min((a, b), key=_upper_key)
            interval = (low[0], low[1], high[2], high[3])
            if _non_empty(interval):
                result.append(interval)
    return result


def _non_empty(interval: _Interval) -> bool:
    low, low_inclusive, high, high_inclusive = interval
    if low is None or high is None:
        return True
    if low < high:
        return True
    return bool(low == high and low_inclusive and high_inclusive)
