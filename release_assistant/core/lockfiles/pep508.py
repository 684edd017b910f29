"""PEP 503 names, PEP 440 specifiers and PEP 508 markers, normalized for comparison.

Lock tools compare dependency declarations semantically: ``Requests>=2.31`` equals
``requests>=2.31.0``, specifier order does not matter, and ``python_version < '3.11'`` equals
the ``python_full_version < '3.11'`` uv writes. This module gives those equalities:

- :func:`canonical_name`, :func:`specifier_key` for names and specifier sets;
- :class:`Marker` trees parsed with ``packaging`` and compared by :func:`markers_equivalent`,
  which evaluates both markers on every distinguishing environment (every region between the
  versions and values the markers mention), the way uv's decision diagrams compare them.
  Extras are a *set* of active extras (uv treats ``extra == 'a' and extra == 'b'`` as
  satisfiable), and the Python versions are limited to a lock's ``requires-python`` bounds,
  so ``python_version >= '3.8'`` disappears under ``>=3.10`` as in uv's simplification;
- :class:`PythonBounds`: the bounding range of a ``requires-python`` specifier set.

``packaging`` is imported lazily by the functions that need it, keeping hook start-up light.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

from release_assistant.core.records import record

if TYPE_CHECKING:
    from packaging.version import Version

_NAME_SEPARATORS = re.compile(r"[-_.]+")

#: Marker variables compared as PEP 440 versions (uv's version-typed marker keys).
VERSION_VARIABLES = frozenset({"python_version", "python_full_version", "implementation_version"})
_PYTHON_VARIABLES = frozenset({"python_version", "python_full_version"})
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!=", "===": "==="}

#: Above this many environments a marker comparison is declared undecidable instead of slow.
MAX_ENVIRONMENTS = 20000


class Undecidable(Exception):
    """A marker uses a construct this module cannot evaluate faithfully."""


def canonical_name(name: str) -> str:
    """The PEP 503 normalized form of a project, extra or group name."""
    return _NAME_SEPARATORS.sub("-", name).lower()


def canonical_version(text: str) -> str:
    """A version string compared the way PEP 440 equality does (trailing zeros dropped).

    Written here rather than taken from ``packaging.utils``, whose import pulls in
    ``packaging.tags`` and ``platform`` — a noticeable share of a hook's run time.
    """
    from packaging.version import InvalidVersion, Version

    try:
        version = Version(text)
    except InvalidVersion:
        return text
    release = list(version.release)
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    parts = [f"{version.epoch}!" if version.epoch else "", ".".join(map(str, release))]
    if version.pre is not None:
        parts.append(f"{version.pre[0]}{version.pre[1]}")
    if version.post is not None:
        parts.append(f".post{version.post}")
    if version.dev is not None:
        parts.append(f".dev{version.dev}")
    if version.local is not None:
        parts.append(f"+{version.local}")
    return "".join(parts)


_CLAUSE = re.compile(r"^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^\s,;]+)\s*$")


def parse_specifiers(text: str) -> list[tuple[str, str]]:
    """Split a PEP 440 specifier set into ``(operator, version)`` clauses.

    Parsed here with ``packaging.version`` alone: ``packaging.specifiers`` also imports
    ``packaging.tags`` and ``platform``, a large share of a pre-commit hook's run. Raises
    ``ValueError`` for an invalid clause.
    """
    from packaging.version import InvalidVersion, Version

    clauses = []
    for part in text.split(","):
        if not part.strip():
            if text.strip():
                raise ValueError(f"empty clause in specifier {text!r}")
            continue
        match = _CLAUSE.match(part)
        if match is None:
            raise ValueError(f"invalid specifier {part.strip()!r}")
        operator, version = match.groups()
        if operator != "===":
            wildcard = version.endswith(".*")
            if wildcard and operator not in ("==", "!="):
                raise ValueError(f"invalid specifier {part.strip()!r}")
            try:
                Version(version[:-2] if wildcard else version)
            except InvalidVersion:
                raise ValueError(f"invalid version in specifier {part.strip()!r}") from None
        clauses.append((operator, version))
    return clauses


def specifier_key(text: str) -> frozenset[str]:
    """A specifier set as an order-free set of normalized clauses.

    ``>=2.31,<3`` and ``<3.0, >=2.31.0`` give the same key. Raises ``ValueError`` for an
    invalid specifier.
    """
    clauses = set()
    for operator, version in parse_specifiers(text):
        if operator == "===":
            clauses.add(f"==={version}")
        elif version.endswith(".*"):
            clauses.add(f"{operator}{canonical_version(version[:-2])}.*")
        else:
            clauses.add(f"{operator}{canonical_version(version)}")
    return frozenset(clauses)


def version_matcher(operator: str, version: str) -> Callable[[str], bool]:
    """A PEP 440 test of a final release (``3.11.2``) against one clause.

    Marker environments only hold final releases, so the pre-release and post-release
    exclusions of ``<``/``>`` never apply. Raises ``ValueError`` for an invalid clause.
    """
    from packaging.version import InvalidVersion, Version

    if operator == "===":
        return lambda candidate: candidate == version
    wildcard = version.endswith(".*")
    try:
        spec = Version(version[:-2] if wildcard else version)
    except InvalidVersion:
        raise ValueError(f"invalid version {version!r}") from None

    def prefix_matches(candidate: Version, prefix: tuple[int, ...]) -> bool:
        release = (*candidate.release, *([0] * len(prefix)))
        return candidate.epoch == spec.epoch and tuple(release[: len(prefix)]) == prefix

    if wildcard:
        if operator not in ("==", "!="):
            raise ValueError(f"{operator} cannot take a wildcard")
        negate = operator == "!="
        return lambda candidate: prefix_matches(Version(candidate), spec.release) != negate
    if operator == "~=":
        if len(spec.release) < 2:
            raise ValueError("~= needs at least two release segments")
        head = spec.release[:-1]
        return lambda candidate: (
            Version(candidate) >= spec and prefix_matches(Version(candidate), head)
        )
    compare: dict[str, Callable[[Version], bool]] = {
        "==": lambda candidate: candidate == spec,
        "!=": lambda candidate: candidate != spec,
        "<": lambda candidate: candidate < spec,
        "<=": lambda candidate: candidate <= spec,
        ">": lambda candidate: candidate > spec,
        ">=": lambda candidate: candidate >= spec,
    }
    test = compare.get(operator)
    if test is None:
        raise ValueError(f"unknown operator {operator!r}")
    return lambda candidate: test(Version(candidate))


# --------------------------------------------------------------------------- markers


@record(frozen=True)
class Atom:
    """``variable op 'value'`` (``flipped``: written ``'value' op variable``)."""

    variable: str
    op: str
    value: str
    flipped: bool = False


@record(frozen=True)
class Junction:
    """``and``/``or`` over two or more children."""

    kind: str
    children: tuple[Expr, ...]


@record(frozen=True)
class Negation:
    """``not child`` (only built internally, PEP 508 has no ``not``)."""

    child: Expr


@record(frozen=True)
class Const:
    """Always true or always false."""

    value: bool


Expr = Union[Atom, Junction, Negation, Const]  # noqa: UP007 - runtime alias on Python 3.10

TRUE: Expr = Const(True)
FALSE: Expr = Const(False)


@record(frozen=True)
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
    return Marker(str(parsed), _convert(getattr(parsed, "_markers", None)))


def marker_from_packaging(marker: Any) -> Marker | None:
    """Wrap a ``packaging.markers.Marker`` (as found on a ``Requirement``)."""
    if marker is None:
        return None
    return Marker(str(marker), _convert(getattr(marker, "_markers", None)))


def _convert(items: Any) -> Expr:
    """Turn ``packaging``'s internal marker list into an expression tree."""
    if not isinstance(items, list):
        raise Undecidable("unexpected marker structure")
    groups: list[list[Expr]] = [[]]
    for item in items:
        if isinstance(item, list):
            groups[-1].append(_convert(item))
        elif isinstance(item, tuple) and len(item) == 3:
            groups[-1].append(_atom(item))
        elif item == "or":
            groups.append([])
        elif item == "and":
            continue
        else:
            raise Undecidable(f"unexpected marker element {item!r}")
    return make_or(make_and(group) for group in groups)


def _atom(item: tuple[Any, Any, Any]) -> Expr:
    left, op, right = item
    op_text = str(getattr(op, "value", op))
    left_is_var = type(left).__name__ == "Variable"
    right_is_var = type(right).__name__ == "Variable"
    if left_is_var and not right_is_var:
        return Atom(str(left.value), op_text, str(right.value), False)
    if right_is_var and not left_is_var:
        return Atom(str(right.value), op_text, str(left.value), True)
    raise Undecidable("a marker compares two variables or two literals")


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
    if isinstance(expr, Atom):
        if expr.flipped:
            return f"'{expr.value}' {expr.op} {expr.variable}"
        return f"{expr.variable} {expr.op} '{expr.value}'"
    if isinstance(expr, Negation):
        return f"not ({marker_text(expr.child)})"
    parts = []
    for child in expr.children:
        text = marker_text(child)
        if isinstance(child, Junction) and child.kind != expr.kind:
            text = f"({text})"
        parts.append(text)
    return f" {expr.kind} ".join(parts)


# ------------------------------------------------------------------ python bounds


@record(frozen=True)
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


@record(frozen=True)
class PythonBounds:
    """The bounding range of a ``requires-python`` specifier set, as uv compares them."""

    lower: Bound
    upper: Bound

    @classmethod
    def from_specifiers(cls, texts: Iterable[str]) -> PythonBounds:
        """Intersect the specifier sets in ``texts`` and return their bounding range.

        Raises ``ValueError`` on an invalid specifier.
        """
        intervals: list[_Interval] = [(None, False, None, False)]
        for text in texts:
            for operator, version in parse_specifiers(text):
                intervals = _intersect(intervals, _spec_intervals(operator, version))
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

Environment = Mapping[str, Any]
_Compiled = Callable[[Environment], bool]


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


def _atoms(expr: Expr) -> Iterator[Atom]:
    if isinstance(expr, Atom):
        yield expr
    elif isinstance(expr, Negation):
        yield from _atoms(expr.child)
    elif isinstance(expr, Junction):
        for child in expr.children:
            yield from _atoms(child)


def _environments(exprs: Sequence[Expr], python: PythonBounds | None) -> Iterator[dict[str, Any]]:
    """Every distinguishing environment for the atoms of ``exprs``."""
    values: dict[str, set[str]] = {}
    for expr in exprs:
        for atom in _atoms(expr):
            values.setdefault(atom.variable, set()).add(atom.value)
    axes: list[tuple[str, list[Any]]] = []
    python_constants: set[str] = set()
    for variable in _PYTHON_VARIABLES:
        python_constants |= values.pop(variable, set())
    if python_constants or python is not None:
        axes.append(("python_full_version", _python_witnesses(python_constants, python)))
    extras = values.pop("extra", None)
    if extras is not None:
        names = sorted({canonical_name(value) for value in extras})
        if len(names) > 10:
            raise Undecidable("too many extras in one marker")
        subsets = [
            frozenset(combo)
            for size in range(len(names) + 1)
            for combo in itertools.combinations(names, size)
        ]
        axes.append(("extra", subsets))
    for variable, constants in sorted(values.items()):
        if variable in VERSION_VARIABLES:
            axes.append((variable, _version_witnesses(constants)))
        else:
            ordered = sorted(constants)
            axes.append((variable, [*ordered, "", "\x7f" + "".join(ordered)]))
    total = 1
    for _, options in axes:
        total *= max(len(options), 1)
    if total > MAX_ENVIRONMENTS:
        raise Undecidable("the markers are too complex to compare exhaustively")
    names_only = [name for name, _ in axes]
    for combo in itertools.product(*(options for _, options in axes)):
        environment = dict(zip(names_only, combo, strict=True))
        full = environment.get("python_full_version")
        if full is not None:
            major, minor = full.split(".")[:2]
            environment["python_version"] = f"{major}.{minor}"
        yield environment


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
    return _compile_atom(expr.variable, expr.op, expr.value, expr.flipped)


def _compile_atom(variable: str, op: str, value: str, flipped: bool) -> _Compiled:
    if variable == "extra":
        name = canonical_name(value)
        if op == "==":
            return lambda environment: name in environment["extra"]
        if op == "!=":
            return lambda environment: name not in environment["extra"]
        raise Undecidable(f"extra compared with {op!r}")
    if op in ("in", "not in"):
        negate = op == "not in"
        if flipped:  # 'linux' in sys_platform
            return lambda environment: (value in environment[variable]) != negate
        return lambda environment: (environment[variable] in value) != negate
    if variable in VERSION_VARIABLES and op != "===":
        operator = _FLIPPED.get(op) if flipped else op
        if operator is not None:
            try:
                matches = version_matcher(operator, value)
            except ValueError:
                matches = None
            if matches is not None:
                test = matches
                return lambda environment: test(environment[variable])
    compare = _STRING_OPERATORS.get(op)
    if compare is None:
        raise Undecidable(f"operator {op!r} on {variable}")
    if flipped:
        return lambda environment: compare(value, environment[variable])
    return lambda environment: compare(environment[variable], value)


_STRING_OPERATORS: dict[str, Callable[[str, str], bool]] = {
    "==": lambda a, b: a == b,
    "===": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
