"""Reading ``uv.lock`` cheaply: its header, and where each ``[[package]]`` block is.

Only the header is TOML-parsed here (a block is parsed when its package is a source tree,
:func:`parse_block`); the package index comes from a regular expression over the block heads
uv writes, with a full parse only where a head has another form. Emits RA502 (a lock uv
cannot deserialize), RA503 (an unknown lock format version) and RA515 (duplicates).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.lockfiles.pep508.names import canonical_name
from release_assistant.core.lockfiles.pyproject_shape import UV_LOCK_PACKAGE, value_problem
from release_assistant.core.lockfiles.shape import UV_LINES, table_problem, wrong_type_line
from release_assistant.core.lockfiles.text import (
    TomlProblem,
    first_suspect_line,
    line_of_offset,
    parse_full,
    parse_slice,
    syntax_finding,
)
from release_assistant.core.lockfiles.uv.lock_entries import HINT, LOCK, LockedPackage, ScannedLock
from release_assistant.core.rules.lock import (
    DUPLICATE_PACKAGE,
    UNKNOWN_LOCK_VERSION,
    UNREADABLE_LOCK,
)
from release_assistant.core.support.lazy_regex import LazyPattern

SUPPORTED_VERSION = 1

_PACKAGE_LINE = "[[package]]\n"
#: One ``[[package]]`` block exactly as uv writes it: ``name`` (normalized), ``version``,
#: ``source`` first; then arrays (on one line, or one item per indented line up to a ``]``
#: line) under keys other than those three, and ``sdist = { ... }``; then sub-tables
#: (``[package.metadata]`` and the like) holding only arrays; a blank line before the next
#: block. A lock made of such
#: blocks has no line the syntax screen (:func:`.text.first_suspect_line`) or the type screen
#: (:func:`.shape.wrong_type_line`) could flag, so :func:`scan` skips both for it and indexes
#: it in one pass; any other form (comments, CRLF, escapes, multi-line strings, hand edits)
#: takes the general path.
_CANONICAL_BLOCK = re.compile(
    r'\[\[package\]\]\nname = "(?P<name>[a-z0-9]+(?:-[a-z0-9]+)*)"\n'
    r'(?:version = "(?P<version>[^"\\\n]*)"\n)?'
    r'source = \{ (?P<kind>[a-z]+) = "(?P<value>[^"\\\n]*)"[^\n]*\}\n'
    r"(?:(?!(?:name|version|source|sdist) )[a-z][a-z0-9-]* = \[(?:[^\n]*\]|\n(?:    [^\n]*\n)*\])\n"
    r"|sdist = \{[^\n]*\}\n)*"
    r"(?:\n\[package\.[a-z][a-z0-9.-]*\]\n"
    r"(?:[a-z0-9][a-z0-9_-]* = \[(?:[^\n]*\]|\n(?:    [^\n]*\n)*\])\n)*)*"
    r"\n?"
)
_PACKAGE_HEAD = LazyPattern(
    r'\[\[package\]\]\nname = "(?P<name>[^"\n]*)"\n(?:version = "(?P<version>[^"\n]*)"\n)?'
    r'source = \{ (?P<kind>[a-z]+) = "(?P<value>[^"\n]*)"'
)


def canonical_index(text: str) -> list[LockedPackage] | None:
    """The package index of a lock in uv's own form (:data:`_CANONICAL_BLOCK`), else ``None``.

    Public so that the ``lock`` check can search only the header for conflict markers when
    the blocks are in that form (no line there can be one), and hand the index to
    :func:`scan` instead of a second pass.
    """
    return _canonical_packages(text, _first_package_start(text))


def scan(
    text: str, canonical: list[LockedPackage] | None = None, *, indexed: bool = False
) -> ScannedLock | Finding:
    """Locate the header and every ``[[package]]`` block; a finding if the lock is malformed.

    With ``indexed``, ``canonical`` is :func:`canonical_index` of ``text``, already computed.
    """
    header_end = _first_package_start(text)
    header = parse_slice(text, 0, header_end)
    if isinstance(header, TomlProblem):
        return syntax_finding(header, LOCK, "uv lock", "uv")
    version = header.get("version")
    malformed = table_problem(header, UV_LINES[""], ("version", "requires-python"))
    if malformed is not None:
        # uv deserializes the lock into typed structures and refuses it outright.
        return _malformed(f"the lock header is malformed: {malformed}", 1)
    if version != SUPPORTED_VERSION:
        return Finding(
            UNKNOWN_LOCK_VERSION.code,
            f"uv.lock uses lock format version {version!r}; this check knows version "
            f"{SUPPORTED_VERSION}, so it cannot verify it",
            Severity.WARNING,
            LOCK,
            1,
            "run `uv lock --check` with the uv that wrote the lock",
        )
    if not indexed:
        canonical = _canonical_packages(text, header_end)
    if canonical is not None:
        wrong = wrong_type_line(text[:header_end], UV_LINES)
        if wrong is not None:
            return _malformed(wrong[1], wrong[0])
        return ScannedLock(text, header, canonical)
    starts = _package_starts(text)
    suspect = first_suspect_line(text, header_end)
    if suspect is not None:
        problem = parse_full(text)
        if isinstance(problem, TomlProblem):
            return syntax_finding(problem, LOCK, "uv lock", "uv")
    wrong = wrong_type_line(text, UV_LINES)
    if wrong is not None:
        return _malformed(wrong[1], wrong[0])
    packages: list[LockedPackage] = []
    bounds = [*starts, len(text)]
    line, counted = 1, 0
    for index, start in enumerate(starts):
        end = bounds[index + 1]
        line += text.count("\n", counted, start)
        counted = start
        head = _PACKAGE_HEAD.match(text, start)
        if head is not None:
            packages.append(
                LockedPackage(
                    canonical_name(head["name"]),
                    head["version"],
                    head["kind"],
                    head["value"],
                    start,
                    end,
                    line,
                )
            )
            continue
        parsed = parse_block(text, start, end)
        if isinstance(parsed, Finding):
            return parsed
        packages.append(_package_from_table(parsed, text, start, end))
    return ScannedLock(text, header, packages)


def _malformed(message: str, line: int | None) -> Finding:
    """RA502 for a lock that is valid TOML but not a lock uv can deserialize."""
    return Finding(
        UNREADABLE_LOCK.code,
        f"uv.lock cannot be read by uv: {message}",
        Severity.ERROR,
        LOCK,
        line,
        "regenerate it with `uv lock` (uv refuses to read it as it is)",
    )


def _first_package_start(text: str) -> int:
    """Where the first ``[[package]]`` block starts (the end of the header)."""
    if text.startswith(_PACKAGE_LINE):
        return 0
    position = text.find("\n" + _PACKAGE_LINE)
    return len(text) if position < 0 else position + 1


def _canonical_packages(text: str, start: int) -> list[LockedPackage] | None:
    """The package index of ``text[start:]`` when every block there is in uv's own form
    (:data:`_CANONICAL_BLOCK`) and the header holds no multi-line string; else ``None``.

    The same index as the general path of :func:`scan`, in one pass over the text.
    """
    if start == len(text):
        return None  # no block in uv's form (none at all, or CRLF line ends)
    if '"""' in text[:start] or "'''" in text[:start]:
        return None  # the type screen tracks multi-line strings across the header's end
    packages: list[LockedPackage] = []
    append, count = packages.append, text.count
    position, line = start, 1 + text.count("\n", 0, start)
    for match in _CANONICAL_BLOCK.finditer(text, start):
        begin, end = match.span()
        if begin != position:
            return None
        # The name is in PEP 503 normal form: the pattern admits no other.
        name, version, kind, value = match.groups()
        append(LockedPackage(name, version, kind, value, begin, end, line))
        line += count("\n", begin, end)
        position = end
    return packages if position == len(text) else None


def _package_starts(text: str) -> list[int]:
    starts = []
    if text.startswith(_PACKAGE_LINE):
        starts.append(0)
    position = text.find("\n" + _PACKAGE_LINE)
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n" + _PACKAGE_LINE, position + 1)
    return starts


def parse_block(text: str, start: int, end: int) -> dict[str, Any] | Finding:
    """One ``[[package]]`` block (``start``..``end`` of ``text``) as a table, or RA502."""
    parsed = parse_slice(text, start, end)
    if isinstance(parsed, TomlProblem):
        return syntax_finding(parsed, LOCK, "uv lock", "uv")
    package = parsed.get("package")
    if not isinstance(package, list) or len(package) != 1 or not isinstance(package[0], dict):
        return Finding(
            UNREADABLE_LOCK.code,
            "a [[package]] entry could not be read",
            Severity.ERROR,
            LOCK,
            line_of_offset(text, start),
            HINT,
        )
    entry: dict[str, Any] = package[0]
    # uv deserializes every entry into typed structures: `requires-dist = [1]` or
    # `{ name = 3 }` make it refuse the whole lock.
    problem = value_problem(entry, UV_LOCK_PACKAGE)
    if problem is not None:
        where, message = problem
        # The line of the first key of the path written at a line start (uv writes
        # `requires-dist = [...]` on one line, its items inline).
        at = -1
        for key in [part.split("[")[0] for part in where.split(".")]:
            at = text.find(f"\n{key} = ", start, end)
            if at >= 0:
                break
        line = line_of_offset(text, at + 1 if at >= 0 else start)
        return _malformed(f"[[package]] {where} {message}", line)
    return entry


def _package_from_table(entry: dict[str, Any], text: str, start: int, end: int) -> LockedPackage:
    source = entry.get("source", {})
    kind, value = "unknown", ""
    if isinstance(source, dict) and source:
        kind, raw = next(iter(source.items()))
        value = str(raw)
    version = entry.get("version")
    return LockedPackage(
        canonical_name(str(entry.get("name", ""))),
        version if isinstance(version, str) else None,
        str(kind),
        value,
        start,
        end,
        line_of_offset(text, start),
    )


def duplicate_findings(lock: ScannedLock) -> list[Finding]:
    """Packages listed twice with the same name, version and source (uv rejects the lock)."""
    seen: dict[tuple[str, str | None, str, str], LockedPackage] = {}
    findings = []
    for package in lock.packages:
        key = (package.name, package.version, package.kind, package.value)
        first = seen.get(key)
        if first is None:
            seen[key] = package
            continue
        version = f" {package.version}" if package.version else ""
        findings.append(
            Finding(
                DUPLICATE_PACKAGE.code,
                f"`{package.name}{version}` from {package.kind} `{package.value}` is listed "
                f"twice (first at line {first.line}); uv refuses such a lock",
                Severity.ERROR,
                LOCK,
                package.line,
                "resolve the merge by regenerating the lock: `uv lock`",
            )
        )
    return findings


def iter_registry_urls(lock: ScannedLock) -> Iterable[tuple[str, int]]:
    """The registry URLs of the lock's packages, with the line of each first use."""
    seen: set[str] = set()
    for package in lock.packages:
        if package.kind == "registry" and package.value not in seen:
            seen.add(package.value)
            yield package.value, package.line
