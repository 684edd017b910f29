"""Plain requirement strings, markers and specifier sets read without ``packaging``.

Importing ``packaging.requirements`` costs a lock hook about as much as the rest of its
check (it pulls in ``packaging.specifiers``, ``packaging.tags`` and ``platform``), yet nearly
every requirement a ``pyproject.toml`` holds is plain: a name, perhaps extras, release-only
version clauses and a few ``var op 'value'`` markers. For those, the functions here give
exactly what ``packaging`` gives (its spelling of the specifier set and of the marker);
anything else returns ``None``, and the caller asks ``packaging``. Held to ``packaging`` by a
differential test (``tests/test_lock_pep508_plain.py``).
"""

from __future__ import annotations

import re

from release_assistant.core.support.lazy_regex import LazyPattern

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_REQUIREMENT = re.compile(
    rf"\s*(?P<name>{_NAME})\s*(?:\[(?P<extras>[^\[\]]*)\])?\s*(?P<spec>[^;]*?)\s*"
    r"(?:;(?P<marker>.*))?",
    re.DOTALL,
)
_EXTRA = LazyPattern(rf"\s*({_NAME})\s*")
_CLAUSE = LazyPattern(r"\s*(~=|==|!=|<=|>=|<|>)\s*([0-9]+(?:\.[0-9]+)*)(\.\*)?\s*")
#: The marker variables ``packaging`` accepts under these names (no aliases such as
#: ``os.name``, which it respells).
_VARIABLES = frozenset(
    {
        "implementation_name",
        "implementation_version",
        "os_name",
        "platform_machine",
        "platform_python_implementation",
        "platform_release",
        "platform_system",
        "platform_version",
        "python_full_version",
        "python_version",
        "sys_platform",
        "extra",
    }
)
_ATOM = re.compile(
    r"\s*(?P<var>[a-z_]+)\s*(?P<op>==|!=|<=|>=|~=|<|>)\s*"
    r"(?:'(?P<single>[^'\"\\]*)'|\"(?P<double>[^'\"\\]*)\")"
)
_JOIN = LazyPattern(r"\s+(and|or)\s+")
_NORMALIZED_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def plain_marker(text: str) -> str | None:
    """``str(packaging.markers.Marker(text))`` for a marker of ``var op 'value'`` atoms
    joined by ``and``/``or`` without parentheses; ``None`` for any other form."""
    parts: list[str] = []
    position, end = 0, len(text.rstrip())
    while True:
        atom = _ATOM.match(text, position)
        if atom is None or atom["var"] not in _VARIABLES:
            return None
        value = atom["single"] if atom["single"] is not None else atom["double"]
        if atom["var"] == "extra" and not _NORMALIZED_NAME.fullmatch(value):
            return None  # packaging normalizes the extra's name
        parts.append(f'{atom["var"]} {atom["op"]} "{value}"')
        position = atom.end()
        if position == end:
            return " ".join(parts)
        joint = _JOIN.match(text, position)
        if joint is None:
            return None
        parts.append(joint[1])
        position = joint.end()


def plain_specifier(text: str) -> str | None:
    """``str(packaging.specifiers.SpecifierSet(text))`` for release-only clauses (``>=1.2``,
    ``==2.*``, ``~=1.4``), each operator once; ``None`` for any other form."""
    if not text.strip():
        return ""
    clauses: list[str] = []
    operators: set[str] = set()
    for part in text.split(","):
        clause = _CLAUSE.fullmatch(part)
        if clause is None:
            return None
        operator, version, wildcard = clause.groups()
        if operator in operators:
            return None  # packaging drops a clause equal to another: let it decide which
        if wildcard and operator not in ("==", "!="):
            return None
        if operator == "~=" and "." not in version:
            return None
        operators.add(operator)
        clauses.append(f"{operator}{version}{wildcard or ''}")
    return ",".join(sorted(clauses))


def plain_specifier_key(text: str) -> frozenset[str] | None:
    """:func:`.specifiers.specifier_key` of a plain specifier set; ``None`` for another."""
    if plain_specifier(text) is None:
        return None
    keys = set()
    for part in text.split(",") if text.strip() else []:
        clause = _CLAUSE.fullmatch(part)
        assert clause is not None  # plain_specifier accepted it
        operator, version, wildcard = clause.groups()
        numbers = [str(int(number)) for number in version.split(".")]
        if wildcard or operator != "~=":
            while len(numbers) > 1 and numbers[-1] == "0":
                numbers.pop()
        keys.add(f"{operator}{'.'.join(numbers)}{'.*' if wildcard else ''}")
    return frozenset(keys)


def plain_requirement(raw: str) -> tuple[str, tuple[str, ...], str, str | None] | None:
    """A plain PEP 508 requirement as ``packaging.requirements.Requirement`` reads it: the
    name and extras as written, ``str(specifier)`` and ``str(marker)`` (``None`` without
    one); ``None`` for a URL, parentheses, an empty extras list or any other form."""
    if "@" in raw or "(" in raw or "\n" in raw or "\r" in raw:
        return None
    match = _REQUIREMENT.fullmatch(raw)
    if match is None:
        return None
    extras: tuple[str, ...] = ()
    if match["extras"] is not None:
        found = [_EXTRA.fullmatch(part) for part in match["extras"].split(",")]
        if not found or any(part is None for part in found):
            return None
        # A set, as packaging keeps them (one of each name as written).
        extras = tuple(dict.fromkeys(part[1] for part in found if part is not None))
    specifier = plain_specifier(match["spec"])
    if specifier is None:
        return None
    marker = None
    if match["marker"] is not None:
        marker = plain_marker(match["marker"])
        if marker is None:
            return None
    return match["name"], extras, specifier, marker


#: One ``variable op 'value'`` test of a marker, in the simple spelling uv writes.
_SIMPLE_CLAUSE = re.compile(
    r"\s*([a-z_]+)\s*(===|==|!=|<=|>=|~=|<|>)\s*(?:'([^'\\]*)'|\"([^\"\\]*)\")\s*"
)


def same_conjunction(first: str, second: str) -> bool:
    """True when both markers are ``and``-joined simple tests, the same ones in any order.

    ``sys_platform == 'linux' and platform_machine == 'x86_64'`` in ``pyproject.toml`` is what
    uv writes as ``platform_machine == 'x86_64' and sys_platform == 'linux'``. Deciding that
    with :func:`.equivalence.markers_equivalent` means importing the marker algebra and
    ``packaging.markers``, whose tokenizer compiles its patterns at import: 21-30 ms of the
    ``check-lock-file`` hook's 77 ms on the 686 KB benchmark lock (``benchmarks/lock.py``,
    2026-12), for a comparison that needs no parse. ``False`` says nothing (the caller
    compares properly): only identical sets of clauses, which are equivalent by the
    commutativity of ``and``, are accepted.
    ``tests/test_lock_pep508.py`` holds this to :func:`.equivalence.markers_equivalent`.
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
