"""uv's marker model (``uv-pep508``'s ``marker/algebra.rs``): one marker, rewritten.

:func:`analyse` rewrites ``packaging``'s normalized spelling of a marker so that evaluating it
with ``Marker.evaluate`` decides what uv decides:

- ``platform_system == 'Windows'`` *is* ``sys_platform == 'win32'`` (also ``Darwin``,
  ``Linux``, ``AIX``, ``Emscripten``, ``Android``), which is how uv writes such markers;
- ``'3.9' <= python_version`` becomes ``python_version >= '3.9'``;
- each ``extra == '<name>'`` and each ``in``/``not in`` test is an independent boolean
  (uv treats ``extra == 'a' and extra == 'b'`` as satisfiable).

:mod:`.equivalence` chooses the environments to evaluate it in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from release_assistant.core.lockfiles.pep508 import Undecidable
from release_assistant.core.lockfiles.pep508.names import canonical_name

#: Marker variables compared as PEP 440 versions (uv's version-typed marker keys).
PYTHON_VARIABLES = frozenset({"python_version", "python_full_version"})
VERSION_VARIABLES = frozenset({*PYTHON_VARIABLES, "implementation_version"})
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
#: What a boolean atom becomes once its value is chosen: the witness environments set
#: ``extra`` to the empty string, which no real extra is.
_TRUE_ATOM = 'extra == ""'
_FALSE_ATOM = 'extra != ""'

#: Above this many independent booleans (extras, ``in`` tests) a marker is declared
#: undecidable instead of slow.
MAX_BOOLEANS = 10


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
