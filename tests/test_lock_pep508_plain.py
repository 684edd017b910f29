""":mod:`release_assistant.core.lockfiles.pep508.plain` against ``packaging`` (differential).

The plain readers must give exactly ``packaging``'s reading (its spelling of the specifier
set and of the marker) for every string they accept, accept nothing ``packaging`` refuses,
and still accept the forms a ``pyproject.toml`` usually holds (or the lock hook imports
``packaging`` after all).
"""

from __future__ import annotations

import itertools
import random

import pytest
from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_version

from release_assistant.core.lockfiles.pep508.plain import (
    plain_marker,
    plain_requirement,
    plain_specifier,
    plain_specifier_key,
)

NAMES = ["requests", "Foo_Bar", "a.b-c", "x", "A1", "zope.interface"]
EXTRAS = ["", "[cli]", "[Cli, fast]", "[a,a]", "[x,X]", "[]", "[a b]", " [ s3 ] "]
SPECIFIERS = [
    "",
    ">=1.0",
    ">= 1.0 , <3",
    "==2.*",
    "!=1.5.*",
    "~=1.4",
    "~=1",
    "<=01.00",
    ">1,<2,!=1.5",
    ">=1.0,>=1.0.0",
    "===1.0",
    ">=1.0a1",
    "==1.*.1",
    ">=1.0,",
    " < 3 ",
    ">=1.0.post1",
    "=1.0",
    ">=1.0.0.0",
    "~=2.2.0",
    ">=0.0",
    "<4,>=3",
]
MARKERS = [
    None,
    "python_version >= '3.8'",
    'sys_platform=="linux"',
    "python_version>='3.8' and sys_platform != 'win32'",
    "extra == 'Foo_Bar'",
    "extra == 'cli'",
    "os.name == 'nt'",
    "(python_version >= '3.8')",
    "python_version >= '3.8' or python_version < '3'",
    "python_version >= '3.8'and sys_platform=='x'",
    "python_version in '3.8 3.9'",
    "'3.8' <= python_version",
    'implementation_name == "cpython"',
    "python_version >= '3.8' and",
    "platform_python_implementation=='PyPy'",
    "python_version ~= '3.8'",
    "python_version === '3.8'",
    "weird == 'x'",
    "python_version >= \"3.8'",
    "python_full_version < '3.11'  ",
    "python_version > 'a\\\\b'",
    "",
    "platform_machine == 'x86_64' and sys_platform == 'linux' or os_name == 'posix'",
]
SEPARATORS = ["; ", ";", " ; ", " ;"]


def corpus() -> list[str]:
    """A deterministic sample of requirement strings, plain and not."""
    every = list(itertools.product(NAMES, EXTRAS, SPECIFIERS, MARKERS, SEPARATORS))
    chosen = random.Random(26).sample(every, 4000)
    strings = [
        f"{name}{extras}{spec}" + ("" if marker is None else f"{separator}{marker}")
        for name, extras, spec, marker, separator in chosen
    ]
    return [*strings, "pkg @ https://example.invalid/p.whl", "pkg (>=1.0)", " x ", "x\n"]


def packaging_reading(raw: str) -> tuple[str, list[str], str, str | None] | None:
    try:
        parsed = Requirement(raw)
    except InvalidRequirement:
        return None
    marker = None if parsed.marker is None else str(parsed.marker)
    return parsed.name, sorted(parsed.extras), str(parsed.specifier), marker


def test_plain_requirements_read_as_packaging_reads_them() -> None:
    accepted = 0
    for raw in corpus():
        plain = plain_requirement(raw)
        if plain is None:
            continue
        accepted += 1
        name, extras, specifier, marker = plain
        assert packaging_reading(raw) == (name, sorted(extras), specifier, marker), raw
    assert accepted > 500  # the usual forms stay on the plain path


@pytest.mark.parametrize(
    "raw",
    [
        "requests",
        "requests>=2.31",
        "requests >= 2.31, <3",
        "Foo_Bar[cli,fast]==1.*",
        "rich; python_version >= '3.8'",
        "tomli>=1.1.0; python_version < '3.11'",
        "colorama; sys_platform == 'win32' and platform_machine == 'AMD64'",
    ],
)
def test_usual_requirements_take_the_plain_path(raw: str) -> None:
    assert plain_requirement(raw) is not None


def test_plain_markers_are_spelled_as_packaging_spells_them() -> None:
    accepted = 0
    for text in [m for m in MARKERS if m is not None] + ["extra == 'a-b'", "os_name=='nt'"]:
        plain = plain_marker(text)
        if plain is None:
            continue
        accepted += 1
        assert plain == str(Marker(text)), text
    assert accepted >= 8


def _packaging_key(text: str) -> frozenset[str]:
    """``specifier_key`` as computed through packaging (its general path)."""
    clauses = set()
    for spec in SpecifierSet(text):
        operator, version = spec.operator, spec.version
        if version.endswith(".*"):
            clauses.add(f"{operator}{canonicalize_version(version[:-2])}.*")
        else:
            strip = operator != "~="
            clauses.add(f"{operator}{canonicalize_version(version, strip_trailing_zero=strip)}")
    return frozenset(clauses)


def test_plain_specifiers_and_keys_match_packaging() -> None:
    accepted = 0
    for text in SPECIFIERS + [",".join(pair) for pair in itertools.combinations(SPECIFIERS, 2)]:
        plain = plain_specifier(text)
        if plain is None:
            assert plain_specifier_key(text) is None
            continue
        accepted += 1
        assert plain == str(SpecifierSet(text)), text
        assert plain_specifier_key(text) == _packaging_key(text), text
    assert accepted > 50
