"""Semantic marker comparison in uv's marker model.

:func:`markers_equivalent` and :func:`is_satisfiable` decide by evaluating both markers with
``Marker.evaluate`` on every distinguishing environment (one witness per region between the
versions and values the markers mention), each marker rewritten by :func:`.analysis.analyse`:

- ``python_version`` is evaluated as the ``X.Y`` of ``python_full_version``, so
  ``python_version < '3.11'`` equals the ``python_full_version < '3.11'`` uv writes;
- environments uv knows to be impossible (``os_name == 'nt' and sys_platform == 'linux'``,
  ``platform_system == 'FreeBSD' and sys_platform == 'win32'``...) are left out;
- Python versions are limited to a lock's ``requires-python`` bounds, so
  ``python_version >= '3.8'`` disappears under ``>=3.10`` as in uv's simplification.

Where this model differs from uv's decision diagrams, it can only call two markers equal
that uv calls different, never the reverse: a difference is always a real one.
:func:`.plain.same_conjunction` settles the common case without parsing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from release_assistant.core.lockfiles.pep508 import Undecidable
from release_assistant.core.lockfiles.pep508.analysis import (
    MAX_BOOLEANS,
    PYTHON_VARIABLES,
    VERSION_VARIABLES,
    Analysis,
    BoolKey,
    analyse,
)
from release_assistant.core.lockfiles.pep508.markers import (
    FALSE,
    TRUE,
    Const,
    Expr,
    Junction,
    Leaf,
    Marker,
    Negation,
    expr_of,
)

if TYPE_CHECKING:
    from packaging.markers import Marker as PackagingMarker

    from release_assistant.core.lockfiles.pep508.bounds import PythonBounds


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
#: A string no marker compares with: the witness of "any other value".
_OTHER = "\x00"

#: Above this many environments a marker comparison is declared undecidable instead of slow.
MAX_ENVIRONMENTS = 20000

#: A witness: the marker environment, and the boolean atoms that are true in it.
Environment = tuple[dict[str, str], frozenset[BoolKey]]
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
    for variable in PYTHON_VARIABLES:
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


@lru_cache(maxsize=4096)
def _packaging_marker(text: str) -> PackagingMarker:
    from packaging.markers import InvalidMarker
    from packaging.markers import Marker as PackagingMarker

    try:
        return PackagingMarker(text)
    except InvalidMarker as exc:
        raise Undecidable(str(exc)) from None
