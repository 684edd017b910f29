"""PEP 503 names, PEP 440 specifiers and PEP 508 markers, compared the way uv compares them.

Parsing, normalizing and evaluating are ``packaging``'s public API (``canonicalize_name``,
``canonicalize_version``, ``SpecifierSet``, ``Marker`` and ``Marker.evaluate``). What
``packaging`` lacks, and this module adds:

- :func:`specifier_key`: uv's equality of specifier sets. ``>=2.31`` equals ``>=2.31.0``, but
  ``~=2.2`` and ``~=2.2.0`` differ (``~=`` keeps its trailing zeros), as in uv's
  ``VersionSpecifier``;
- :func:`markers_equivalent` and :func:`is_satisfiable`: semantic marker comparison, decided
  by evaluating both markers with ``Marker.evaluate`` on every distinguishing environment (one
  witness per region between the versions and values the markers mention), in uv's marker
  model (``uv-pep508``'s ``marker/algebra.rs``):

  * ``platform_system == 'Windows'`` *is* ``sys_platform == 'win32'`` (also ``Darwin``,
    ``Linux``, ``AIX``, ``Emscripten``, ``Android``), which is how uv writes such markers;
  * ``python_version`` is evaluated as the ``X.Y`` of ``python_full_version``, so
    ``python_version < '3.11'`` equals the ``python_full_version < '3.11'`` uv writes;
  * each ``extra == '<name>'`` and each ``in``/``not in`` test is an independent boolean
    (uv treats ``extra == 'a' and extra == 'b'`` as satisfiable);
  * environments uv knows to be impossible (``os_name == 'nt' and sys_platform == 'linux'``,
    ``platform_system == 'FreeBSD' and sys_platform == 'win32'``...) are left out;
  * Python versions are limited to a lock's ``requires-python`` bounds, so
    ``python_version >= '3.8'`` disappears under ``>=3.10`` as in uv's simplification.

  Where this model differs from uv's decision diagrams, it can only call two markers equal
  that uv calls different, never the reverse: a difference is always a real one;
- :class:`PythonBounds`: the bounding range of a ``requires-python`` specifier set.

``packaging`` is imported lazily, and only when a value needs parsing: ``packaging.utils`` and
``packaging.specifiers`` import ``packaging.tags`` (with ``subprocess``, ``platform``,
``logging``), a large share of a pre-commit hook's run on a project that has nothing to
compare.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from packaging.markers import Marker as PackagingMarker
    from packaging.version import Version

#: A name that :func:`packaging.utils.canonicalize_name` leaves unchanged (packaging's own
#: ``is_normalized_name`` pattern): lock files only hold such names.
_NORMALIZED_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

#: Marker variables compared as PEP 440 versions (uv's version-typed marker keys).
_PYTHON_VARIABLES = frozenset({"python_version", "python_full_version"})
VERSION_VARIABLES = frozenset({*_PYTHON_VARIABLES, "implementation_version"})
#: Marker variables compared as strings (PEP 508).
STRING_VARIABLES = frozenset(
    {
        "os_name",
        "sys_platform",
        "platform_release",
        "platform_system",
        "platform_version",
        "platform_machine",
        "platform_python_implementation",
        "implementation_name",
    }
)
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
#: ``platform_system`` values uv rewrites to ``sys_platform`` (``MarkerExpression::String``
#: in uv's ``algebra.rs``); other values stay ``platform_system``.
_PLATFORM_SYSTEM = {
    "Windows": "win32",
    "Darwin": "darwin",
    "Linux": "linux",
    "AIX": "aix",
    "Emscripten": "emscripten",
    "Android": "android",
}
#: Pairs uv knows cannot hold together (``InternerGuard::exclusions``).
_EXCLUSIONS: frozenset[tuple[str, str, str, str]] = frozenset(
    {
        ("os_name", "nt", "sys_platform", "linux"),
        ("os_name", "nt", "sys_platform", "darwin"),
        ("os_name", "nt", "sys_platform", "ios"),
        ("os_name", "posix", "sys_platform", "win32"),
    }
    | {
        ("platform_system", system, "sys_platform", platform)
        for system in ("FreeBSD", "NetBSD", "OpenBSD", "SunOS", "iOS", "iPadOS")
        for platform in (
            "aix",
            "android",
            "emscripten",
            "ios",
            "linux",
            "darwin",
            "win32",
            "cygwin",
            "wasi",
        )
        if not (platform == "ios" and system in ("iOS", "iPadOS"))
    }
)
#: What a boolean atom becomes once its value is chosen: the witness environments set
#: ``extra`` to the empty string, which no real extra is.
_TRUE_ATOM = 'extra == ""'
_FALSE_ATOM = 'extra != ""'
#: A string no marker compares with: the witness of "any other value".
_OTHER = "\x00"

#: Above this many environments a marker comparison is declared undecidable instead of slow.
MAX_ENVIRONMENTS = 20000
#: Above this many independent booleans (extras, ``in`` tests) likewise.
MAX_BOOLEANS = 10


class Undecidable(Exception):
    """A marker uses a construct this module cannot evaluate faithfully."""


# ------------------------------------------------------------------ names, versions


def canonical_name(name: str) -> str:
    """The PEP 503 normalized form of a project, extra or group name.

    ``packaging.utils.canonicalize_name``; a name already in that form is returned as it is,
    without importing ``packaging.utils`` (see the module docstring).
    """
    if _NORMALIZED_NAME.fullmatch(name):
        return name
    from packaging.utils import canonicalize_name

    return str(canonicalize_name(name))


@lru_cache(maxsize=1024)
def specifier_key(text: str) -> frozenset[str]:
    """A specifier set as an order-free set of clauses: equal keys, equal specifier sets.

    ``>=2.31,<3`` and ``<3.0, >=2.31.0`` give the same key; ``~=2.2`` and ``~=2.2.0`` do not
    (a ``~=`` clause keeps its trailing zeros, which change what it matches). A wildcard
    clause compares its prefix as a version (``==2.0.*`` equals ``==2.*``), as uv's
    ``VersionSpecifier`` does. Raises ``ValueError`` for an invalid specifier.
    """
    if not text.strip():
        return frozenset()
    from packaging.specifiers import SpecifierSet
    from packaging.utils import canonicalize_version

    clauses = set()
    for spec in SpecifierSet(text):
        operator, version = spec.operator, spec.version
        if operator == "===":
            clauses.add(f"==={version}")
        elif version.endswith(".*"):
            clauses.add(f"{operator}{canonicalize_version(version[:-2])}.*")
        else:
            strip = operator != "~="
            clauses.add(f"{operator}{canonicalize_version(version, strip_trailing_zero=strip)}")
    return frozenset(clauses)


def specifier_clauses(text: str) -> tuple[str, ...]:
    """The clauses of a specifier set, normalized and sorted, repeated ones kept.

    uv compares a group's ``requires-python`` list this way (a sorted list of clauses):
    ``>=3.10,>=3.11`` equals ``>=3.11, >=3.10.0`` but not ``>=3.11``. Raises ``ValueError``
    for an invalid clause.
    """
    parts = [part for part in text.split(",") if part.strip()]
    keys = [key for part in parts for key in specifier_key(part)]
    return tuple(sorted(keys))


@lru_cache(maxsize=1024)
def specifiers_equivalent(first: str, second: str) -> bool | None:
    """True when uv (0.13) finds two specifier sets of one requirement equal.

    uv compares the versions a set admits, not its spelling (``~=1.0`` equals ``>=1.0,<2``
    and ``>=1.0,==1.*``; ``~=1.0`` differs from ``~=1.0.0``), and whether a clause other than
    ``!=`` names a pre-release (which opts the package into pre-releases): ``>=1.0`` differs
    from ``>=1.0,>=0.9rc1``. Checked against ``uv lock --check`` in the tests.

    The versions are compared with ``SpecifierSet.contains`` on witnesses around every
    version the sets name (its neighbours at each release segment, with pre-, post-, dev-
    and local variants); a witness set that misses a difference can only make two sets
    look equal. ``None`` for an arbitrary-equality (``===``) clause. Raises ``ValueError``
    for an invalid specifier.
    """
    if specifier_key(first) == specifier_key(second):
        return True
    from packaging.specifiers import SpecifierSet

    sets = (SpecifierSet(first), SpecifierSet(second))
    specs = [spec for specifier_set in sets for spec in specifier_set]
    if any(spec.operator == "===" for spec in specs):
        return None
    if _opts_into_prereleases(sets[0]) != _opts_into_prereleases(sets[1]):
        return False
    for witness in _specifier_witnesses(spec.version for spec in specs):
        if sets[0].contains(witness, prereleases=True) != sets[1].contains(
            witness, prereleases=True
        ):
            return False
    return True


def _opts_into_prereleases(specifiers: Iterable[Any]) -> bool:
    """A clause other than ``!=`` names a pre-release (uv then allows pre-releases)."""
    from packaging.version import Version

    return any(
        spec.operator != "!=" and Version(spec.version.removesuffix(".*")).is_prerelease
        for spec in specifiers
    )


_SUFFIXES = ("", ".dev0", "a0", "a1", "rc1", "rc1.dev0", ".post0", ".post1", ".post1.dev0")


def _specifier_witnesses(versions: Iterable[str]) -> list[str]:
    """Versions on both sides of every boundary a clause on ``versions`` can draw."""
    from packaging.version import Version

    witnesses = {"0", "0.dev0", "0a1", "0.post1", "99999"}
    for text in versions:
        version = Version(text.removesuffix(".*"))
        epoch = f"{version.epoch}!" if version.epoch else ""
        release = version.release
        releases = {release, (*release, 0), (*release, 1)}
        for index in range(len(release)):
            head = release[: index + 1]
            releases.add((*head[:-1], head[-1] + 1))
            if head[-1] > 0:
                releases.add((*head[:-1], head[-1] - 1))
                releases.add((*head[:-1], head[-1] - 1, 99999))
        for candidate in releases:
            base = epoch + ".".join(str(part) for part in candidate)
            witnesses.update(base + suffix for suffix in _SUFFIXES)
            witnesses.update((f"{base}+local", f"{base}.post1+local"))
        witnesses.add(str(version))
        base = epoch + ".".join(str(part) for part in release)
        if version.pre is not None:
            kind, number = version.pre
            witnesses.update(f"{base}{kind}{n}" for n in (number - 1, number + 1) if n >= 0)
        if version.post is not None:
            witnesses.update(
                f"{base}.post{n}" for n in (version.post - 1, version.post + 1) if n >= 0
            )
        if version.dev is not None:
            witnesses.update(
                f"{version.public.rsplit('.dev', 1)[0]}.dev{n}"
                for n in (version.dev - 1, version.dev + 1)
                if n >= 0
            )
        if version.local is not None:
            witnesses.update((f"{version.public}+zzz", f"{version.public}+0"))
    return sorted(witnesses)


# --------------------------------------------------------------------------- markers


@dataclass(frozen=True, slots=True)
class Leaf:
    """One PEP 508 marker (``text``: ``packaging``'s normalized spelling), evaluated by
    ``packaging`` in uv's marker model (see :func:`analyse`)."""

    text: str


@dataclass(frozen=True, slots=True)
class Junction:
    """``and``/``or`` over two or more children."""

    kind: str
    children: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Negation:
    """``not child`` (only built internally, PEP 508 has no ``not``)."""

    child: Expr


@dataclass(frozen=True, slots=True)
class Const:
    """Always true or always false."""

    value: bool


Expr = Union[Leaf, Junction, Negation, Const]  # noqa: UP007 - runtime alias on Python 3.10

TRUE: Expr = Const(True)
FALSE: Expr = Const(False)


@dataclass(frozen=True, slots=True)
class Marker:
    """A parsed PEP 508 marker; ``text`` is ``packaging``'s normalized spelling."""

    text: str
    expr: Expr

    def __str__(self) -> str:
        return self.text


def parse_marker(text: str | None) -> Marker | None:
    """Parse a marker; ``None`` (or blank) means "always". Raises ``ValueError`` if invalid."""
    if text is None or not text.strip():
        return None
    from packaging.markers import InvalidMarker
    from packaging.markers import Marker as PackagingMarker

    try:
        parsed = PackagingMarker(text)
    except InvalidMarker as exc:
        raise ValueError(str(exc)) from None
    return marker_from_packaging(parsed)


def marker_from_packaging(marker: PackagingMarker | None) -> Marker | None:
    """Wrap a ``packaging.markers.Marker`` (as found on a ``Requirement``)."""
    if marker is None:
        return None
    text = str(marker)
    return Marker(text, Leaf(text))


def make_and(children: Iterable[Expr]) -> Expr:
    """Conjunction, with ``true``/``false`` folded away."""
    kept: list[Expr] = []
    for child in children:
        if child == FALSE:
            return FALSE
        if child == TRUE:
            continue
        if isinstance(child, Junction) and child.kind == "and":
            kept.extend(child.children)
        else:
            kept.append(child)
    if not kept:
        return TRUE
    return kept[0] if len(kept) == 1 else Junction("and", tuple(kept))


def make_or(children: Iterable[Expr]) -> Expr:
    """Disjunction, with ``true``/``false`` folded away."""
    kept: list[Expr] = []
    for child in children:
        if child == TRUE:
            return TRUE
        if child == FALSE:
            continue
        if isinstance(child, Junction) and child.kind == "or":
            kept.extend(child.children)
        else:
            kept.append(child)
    if not kept:
        return FALSE
    return kept[0] if len(kept) == 1 else Junction("or", tuple(kept))


def make_not(child: Expr) -> Expr:
    """Negation."""
    if child == TRUE:
        return FALSE
    if child == FALSE:
        return TRUE
    if isinstance(child, Negation):
        return child.child
    return Negation(child)


def expr_of(marker: Marker | None) -> Expr:
    """The expression of ``marker``; ``true`` when there is none."""
    return TRUE if marker is None else marker.expr


def marker_and(first: Marker | None, second: Marker | None) -> Marker | None:
    """``first and second`` (either may be absent)."""
    if first is None:
        return second
    if second is None:
        return first
    return Marker(f"({first.text}) and ({second.text})", make_and([first.expr, second.expr]))


def marker_text(expr: Expr) -> str:
    """A readable PEP 508 spelling of an expression (for messages)."""
    if isinstance(expr, Const):
        return "" if expr.value else "python_version < '0'"
    if isinstance(expr, Leaf):
        return expr.text
    if isinstance(expr, Negation):
        return f"not ({marker_text(expr.child)})"
    parts = []
    for child in expr.children:
        text = marker_text(child)
        nested = isinstance(child, Junction) and child.kind != expr.kind
        if nested or (isinstance(child, Leaf) and (" or " in text or " and " in text)):
            text = f"({text})"
        parts.append(text)
    return f" {expr.kind} ".join(parts)


# ----------------------------------------------------------------- uv's marker model

_ATOM = re.compile(
    r'(?P<left>[a-z_.]+|"[^"]*") (?P<op>not in|in|===|==|!=|<=|>=|~=|<|>) '
    r'(?P<right>[a-z_.]+|"[^"]*")'
)
_JOINER = re.compile(r"[\s()]*(?:(?:and|or)[\s()]+)?")

#: An independent boolean of uv's model: ``("extra", name)``, ``("in", variable, text)``
#: for ``variable in 'text'`` and ``("contains", variable, text)`` for ``'text' in variable``.
BoolKey = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Analysis:
    """A marker in uv's model: its text split around the boolean atoms, and the constants
    the other atoms compare with (``(variable, value)``, for choosing witnesses)."""

    segments: tuple[str, ...]
    booleans: tuple[tuple[BoolKey, bool], ...]  # (key, negated), one per gap in segments
    constants: tuple[tuple[str, str], ...]

    def text(self, true: frozenset[BoolKey]) -> str:
        """The marker with every boolean atom replaced by an always-true/false atom."""
        if not self.booleans:
            return self.segments[0]
        parts = [self.segments[0]]
        for (key, negated), segment in zip(self.booleans, self.segments[1:], strict=True):
            parts.append(_TRUE_ATOM if (key in true) != negated else _FALSE_ATOM)
            parts.append(segment)
        return "".join(parts)


@lru_cache(maxsize=4096)
def analyse(text: str) -> Analysis:
    """Rewrite ``packaging``'s normalized marker ``text`` into uv's model.

    ``platform_system`` values uv identifies with a ``sys_platform`` become that
    ``sys_platform`` test; ``'3.9' <= python_version`` becomes ``python_version >= '3.9'``;
    ``extra`` and ``in`` tests become boolean atoms. Raises :class:`Undecidable` for a
    construct outside the model (string ordering, set-valued variables, an unknown form).
    """
    segments: list[str] = []
    booleans: list[tuple[BoolKey, bool]] = []
    constants: list[tuple[str, str]] = []
    current: list[str] = []
    position = 0
    for match in _ATOM.finditer(text):
        between = text[position : match.start()]
        if _JOINER.fullmatch(between) is None:
            raise Undecidable(f"cannot read the marker {text!r}")
        current.append(between)
        position = match.end()
        boolean, kept = _atom(match["left"], match["op"], match["right"])
        if boolean is not None:
            segments.append("".join(current))
            current = []
            booleans.append(boolean)
        elif kept is not None:
            compared, spelled = kept
            constants.extend(compared)
            current.append(spelled)
    rest = text[position:]
    if _JOINER.fullmatch(rest) is None or (not booleans and not constants):
        raise Undecidable(f"cannot read the marker {text!r}")
    current.append(rest)
    segments.append("".join(current))
    if len({key for key, _ in booleans}) > MAX_BOOLEANS:
        raise Undecidable("too many extras and `in` tests in one marker")
    return Analysis(tuple(segments), tuple(booleans), tuple(constants))


def _atom(
    left: str, op: str, right: str
) -> tuple[tuple[BoolKey, bool] | None, tuple[tuple[tuple[str, str], ...], str] | None]:
    """A boolean ``(key, negated)``, or else a kept atom: the ``(variable, value)`` pairs it
    compares and its spelling."""
    left_is_value, right_is_value = left.startswith('"'), right.startswith('"')
    if left_is_value == right_is_value:
        raise Undecidable("a marker compares two variables or two literals")
    if left_is_value:
        variable, value, flipped = right, left[1:-1], True
    else:
        variable, value, flipped = left, right[1:-1], False
    if op in ("in", "not in") and variable in VERSION_VARIABLES:
        return None, _version_list(variable, op, value, flipped)
    if op in ("in", "not in"):
        # uv gives every `in` test its own variable, unrelated to the values of the key.
        kind = "contains" if flipped else "in"
        return ((kind, variable, value), op == "not in"), None
    if variable == "extra":
        if op not in ("==", "!="):
            raise Undecidable(f"extra compared with {op!r}")
        return (("extra", canonical_name(value)), op == "!="), None
    if flipped:
        flipped_op = _FLIPPED.get(op)
        if flipped_op is None:
            raise Undecidable(f"{op!r} with the variable on the right")
        op = flipped_op
    if variable in VERSION_VARIABLES:
        return None, (((variable, value),), f'{variable} {op} "{value}"')
    if variable not in STRING_VARIABLES:
        raise Undecidable(f"the marker variable {variable!r}")
    if op not in ("==", "!="):
        # uv orders strings, packaging releases differ (some versions always say false).
        raise Undecidable(f"{variable} compared with {op!r}")
    if variable == "platform_system" and value in _PLATFORM_SYSTEM:
        variable, value = "sys_platform", _PLATFORM_SYSTEM[value]
    return None, (((variable, value),), f'{variable} {op} "{value}"')


def _version_list(
    variable: str, op: str, value: str, flipped: bool
) -> tuple[tuple[tuple[str, str], ...], str]:
    """``python_version in '3.10 3.11'`` as uv reads it: one of the listed versions.

    (``packaging`` would test for a substring, and ``'3.1'`` is in ``'3.10'``.)
    """
    from packaging.version import InvalidVersion, Version

    versions = value.split()
    if flipped or not versions:
        raise Undecidable(f"{variable} compared with {op!r}")
    for version in versions:
        try:
            Version(version)
        except InvalidVersion:
            raise Undecidable(f"{version!r} is not a version") from None
    test, joiner = ("==", " or ") if op == "in" else ("!=", " and ")
    spelled = joiner.join(f'{variable} {test} "{version}"' for version in versions)
    return tuple((variable, version) for version in versions), f"({spelled})"


@lru_cache(maxsize=4096)
def _packaging_marker(text: str) -> PackagingMarker:
    from packaging.markers import InvalidMarker
    from packaging.markers import Marker as PackagingMarker

    try:
        return PackagingMarker(text)
    except InvalidMarker as exc:
        raise Undecidable(str(exc)) from None


# ------------------------------------------------------------------ python bounds


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


# -------------------------------------------------------------- marker equivalence

#: A witness: the marker environment, and the boolean atoms that are true in it.
Environment = tuple[dict[str, str], frozenset[BoolKey]]
_Compiled = Callable[[Environment], bool]


#: One ``variable op 'value'`` test of a marker, in the simple spelling uv writes.
_SIMPLE_CLAUSE = re.compile(
    r"\s*([a-z_]+)\s*(===|==|!=|<=|>=|~=|<|>)\s*(?:'([^'\\]*)'|\"([^\"\\]*)\")\s*"
)


def same_conjunction(first: str, second: str) -> bool:
    """True when both markers are ``and``-joined simple tests, the same ones in any order.

    ``sys_platform == 'linux' and platform_machine == 'x86_64'`` in ``pyproject.toml`` is what
    uv writes as ``platform_machine == 'x86_64' and sys_platform == 'linux'``. Deciding that
    with :func:`markers_equivalent` means importing ``packaging.markers``, whose tokenizer
    compiles its patterns at import: 21-30 ms of the ``check-lock-file`` hook's 77 ms on the
    686 KB benchmark lock (``benchmarks/lock.py``, 2026-12), for a comparison that needs no
    parse. ``False`` says nothing (the caller compares properly): only identical sets of
    clauses, which are equivalent by the commutativity of ``and``, are accepted.
    ``tests/test_lock_pep508.py`` holds this to :func:`markers_equivalent`.
    """
    left, right = _clauses(first), _clauses(second)
    return left is not None and left == right


def _clauses(text: str) -> frozenset[tuple[str, str, str]] | None:
    if "(" in text or " or " in text:
        return None
    clauses = set()
    for part in text.split(" and "):
        match = _SIMPLE_CLAUSE.fullmatch(part)
        if match is None:
            return None
        variable, operator, single, double = match.groups()
        clauses.add((variable, operator, single if single is not None else double))
    return frozenset(clauses)


def markers_equivalent(
    first: Marker | None, second: Marker | None, python: PythonBounds | None = None
) -> bool | None:
    """True when both markers select the same environments within ``python`` bounds.

    ``None`` when the comparison is undecidable (an unsupported construct, or too many
    environments to enumerate).
    """
    if (first.text if first else "") == (second.text if second else ""):
        return True
    return exprs_equivalent(expr_of(first), expr_of(second), python)


def exprs_equivalent(first: Expr, second: Expr, python: PythonBounds | None = None) -> bool | None:
    """:func:`markers_equivalent` on expression trees."""
    try:
        left, right = _compile(first), _compile(second)
        for environment in _environments([first, second], python):
            if left(environment) != right(environment):
                return False
    except Undecidable:
        return None
    return True


def is_satisfiable(expr: Expr, python: PythonBounds | None = None) -> bool | None:
    """True when some environment satisfies ``expr`` (``None``: undecidable)."""
    if expr == TRUE:
        return True
    if expr == FALSE:
        return False
    try:
        check = _compile(expr)
        return any(check(environment) for environment in _environments([expr], python))
    except Undecidable:
        return None


def _leaves(expr: Expr) -> Iterator[Leaf]:
    if isinstance(expr, Leaf):
        yield expr
    elif isinstance(expr, Negation):
        yield from _leaves(expr.child)
    elif isinstance(expr, Junction):
        for child in expr.children:
            yield from _leaves(child)


def _environments(exprs: Sequence[Expr], python: PythonBounds | None) -> Iterator[Environment]:
    """Every distinguishing environment for the leaves of ``exprs``, minus impossible ones."""
    values: dict[str, set[str]] = {}
    booleans: set[BoolKey] = set()
    for expr in exprs:
        for leaf in _leaves(expr):
            analysis = analyse(leaf.text)
            booleans.update(key for key, _ in analysis.booleans)
            for variable, value in analysis.constants:
                values.setdefault(variable, set()).add(value)
    axes: list[tuple[str, list[str]]] = []
    python_constants: set[str] = set()
    for variable in _PYTHON_VARIABLES:
        python_constants |= values.pop(variable, set())
    if python_constants or python is not None:
        axes.append(("python_full_version", _python_witnesses(python_constants, python)))
    for variable, constants in sorted(values.items()):
        if variable in VERSION_VARIABLES:
            axes.append((variable, _version_witnesses(constants)))
        else:
            axes.append((variable, [*sorted(constants), _OTHER]))
    if len(booleans) > MAX_BOOLEANS:
        raise Undecidable("too many extras and `in` tests to compare")
    keys = sorted(booleans)
    subsets = [
        frozenset(combo)
        for size in range(len(keys) + 1)
        for combo in itertools.combinations(keys, size)
    ]
    total = len(subsets)
    for _, options in axes:
        total *= max(len(options), 1)
    if total > MAX_ENVIRONMENTS:
        raise Undecidable("the markers are too complex to compare exhaustively")
    names = [name for name, _ in axes]
    for combo in itertools.product(*(options for _, options in axes)):
        environment = dict(zip(names, combo, strict=True))
        if _impossible(environment):
            continue
        environment["extra"] = ""
        full = environment.get("python_full_version")
        if full is not None:
            major, minor = full.split(".")[:2]
            environment["python_version"] = f"{major}.{minor}"
        for subset in subsets:
            yield environment, subset


def _impossible(environment: Mapping[str, str]) -> bool:
    """An environment uv rules out (``os_name == 'nt' and sys_platform == 'linux'``...)."""
    platform = environment.get("sys_platform")
    if platform is None:
        return False
    for variable in ("os_name", "platform_system"):
        value = environment.get(variable)
        if value is not None and (variable, value, "sys_platform", platform) in _EXCLUSIONS:
            return True
    return False


def _python_witnesses(constants: Iterable[str], python: PythonBounds | None) -> list[str]:
    from packaging.version import InvalidVersion, Version

    points: set[tuple[int, int, int]] = {(3, 12, 0)}
    seeds = set(constants)
    if python is not None:
        for bound in (python.lower, python.upper):
            if bound.version is not None:
                seeds.add(str(bound.version))
    for text in seeds:
        try:
            release = Version(text.removesuffix(".*")).release
        except InvalidVersion:
            raise Undecidable(f"{text!r} is not a version") from None
        points.update(_neighbours(release))
    witnesses = []
    for point in sorted(points):
        text = ".".join(str(part) for part in point)
        if python is None or python.contains(Version(text)):
            witnesses.append(text)
    return witnesses


def _version_witnesses(constants: Iterable[str]) -> list[str]:
    from packaging.version import InvalidVersion, Version

    points: set[tuple[int, int, int]] = {(0, 0, 0)}
    for text in constants:
        try:
            points.update(_neighbours(Version(text.removesuffix(".*")).release))
        except InvalidVersion:
            raise Undecidable(f"{text!r} is not a version") from None
    return [".".join(str(part) for part in point) for point in sorted(points)]


def _neighbours(release: tuple[int, ...]) -> set[tuple[int, int, int]]:
    """Points just at, above and below a version, at micro, minor and major granularity."""
    major, minor, micro = (*release, 0, 0, 0)[:3]
    return {
        (major, minor, micro),
        (major, minor, micro + 1),
        (major, minor, max(micro - 1, 0)),
        (major, minor, 99),
        (major, minor + 1, 0),
        (major, max(minor - 1, 0), 0),
        (major, max(minor - 1, 0), 99),
        (major + 1, 0, 0),
        (max(major - 1, 0), 99, 99),
    }


def _compile(expr: Expr) -> _Compiled:
    if isinstance(expr, Const):
        value = expr.value
        return lambda environment: value
    if isinstance(expr, Negation):
        inner = _compile(expr.child)
        return lambda environment: not inner(environment)
    if isinstance(expr, Junction):
        children = [_compile(child) for child in expr.children]
        if expr.kind == "and":
            return lambda environment: all(child(environment) for child in children)
        return lambda environment: any(child(environment) for child in children)
    return _compile_leaf(analyse(expr.text))


def _compile_leaf(analysis: Analysis) -> _Compiled:
    """Evaluate the leaf with ``packaging``, its boolean atoms fixed by the environment."""
    relevant = frozenset(key for key, _ in analysis.booleans)

    def evaluate(environment: Environment) -> bool:
        values, true = environment
        marker = _packaging_marker(analysis.text(true & relevant))
        try:
            return bool(marker.evaluate(values))
        except (ValueError, KeyError, TypeError) as exc:  # UndefinedComparison and kin
            raise Undecidable(str(exc)) from None

    return evaluate
