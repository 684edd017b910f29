"""The PEP 508 marker model: a :class:`Marker` is its normalized text and an expression tree
(:class:`Leaf`, :class:`Junction`, :class:`Negation`, :class:`Const`); parsing over
``packaging.markers`` and the algebra the lowering of requirements needs (``make_and``,
``make_or``, ``make_not``, ``marker_and``, ``marker_text``).

A leaf is only evaluated in :mod:`.equivalence`, through uv's marker model (:mod:`.analysis`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from packaging.markers import Marker as PackagingMarker


@dataclass(frozen=True, slots=True)
class Leaf:
    """One PEP 508 marker (``text``: ``packaging``'s normalized spelling), evaluated by
    ``packaging`` in uv's marker model (see :func:`.analysis.analyse`)."""

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
    from release_assistant.core.lockfiles.pep508.plain import plain_marker

    plain = plain_marker(text)  # packaging's spelling, without importing it
    if plain is not None:
        return Marker(plain, Leaf(plain))
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
