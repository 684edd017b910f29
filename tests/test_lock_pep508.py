"""Requirement, specifier and marker normalization used by the lock comparison."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from release_assistant.core.lockfiles.pep508.bounds import PythonBounds
from release_assistant.core.lockfiles.pep508.equivalence import (
    is_satisfiable,
    markers_equivalent,
)
from release_assistant.core.lockfiles.pep508.markers import make_and, make_not, parse_marker
from release_assistant.core.lockfiles.pep508.names import canonical_name
from release_assistant.core.lockfiles.pep508.plain import same_conjunction
from release_assistant.core.lockfiles.pep508.specifiers import specifier_key, specifiers_equivalent

PY39 = PythonBounds.from_specifiers([">=3.9"])


@pytest.mark.parametrize(
    ("first", "second", "bounds", "same"),
    [
        ("python_version < '3.11'", "python_full_version < '3.11'", PY39, True),
        ("python_version <= '3.11'", "python_full_version < '3.12'", PY39, True),
        ("python_version > '3.10'", "python_full_version >= '3.11'", PY39, True),
        ("python_version == '3.10'", "python_full_version == '3.10.*'", PY39, True),
        ("python_version >= '3.8'", None, PY39, True),  # simplified away by requires-python
        ("python_version >= '3.8'", None, None, False),
        ("python_version >= '3.10'", None, PY39, False),
        ("'3.9' <= python_version", "python_version >= '3.9'", None, True),
        (
            "sys_platform == 'win32' or python_version < '3.10'",
            "python_full_version < '3.10' or sys_platform == 'win32'",
            PY39,
            True,
        ),
        ("sys_platform == 'linux'", "sys_platform != 'linux'", PY39, False),
        ("sys_platform == 'linux'", "sys_platform == 'Linux'", PY39, False),
        ("extra == 'Extra_One'", "extra == 'extra-one'", PY39, True),
        ("extra == 'a'", "extra == 'b'", PY39, False),
        ("'linux' in sys_platform", "sys_platform == 'linux'", None, False),
        (
            "(os_name == 'nt' or os_name == 'posix') and implementation_name == 'cpython'",
            "implementation_name == 'cpython' and (os_name == 'posix' or os_name == 'nt')",
            None,
            True,
        ),
        (
            "platform_machine == 'x86_64' and platform_machine == 'arm64'",
            "python_version < '0'",
            None,
            True,
        ),
        # uv rewrites these platform_system values to sys_platform (and writes them so).
        ('platform_system == "Windows"', "sys_platform == 'win32'", PY39, True),
        (
            'platform_python_implementation == "CPython" and platform_system != "Windows" '
            'and python_version < "3.15"',
            "python_full_version < '3.15' and platform_python_implementation == 'CPython' "
            "and sys_platform != 'win32'",
            PY39,
            True,
        ),
        ("'Darwin' == platform_system", "sys_platform == 'darwin'", None, True),
        ("platform_system == 'FreeBSD'", "sys_platform == 'freebsd'", None, False),
        ("platform_system == 'windows'", "sys_platform == 'win32'", None, False),
        # Environments uv knows to be impossible.
        ("os_name == 'nt' and sys_platform == 'linux'", "python_version < '0'", None, True),
        (
            "platform_system == 'FreeBSD' and sys_platform == 'win32'",
            "python_version < '0'",
            None,
            True,
        ),
        ("os_name == 'nt' and sys_platform == 'cygwin'", "python_version < '0'", None, False),
        # A version list is a list of versions, not a substring test.
        (
            "python_version in '3.10 3.11'",
            "python_full_version >= '3.10' and python_full_version < '3.12'",
            PY39,
            True,
        ),
        ("python_version not in '3.1'", None, PY39, True),
        # uv gives each `in` test its own variable.
        (
            "sys_platform == 'linux' or 'linux' in sys_platform",
            "'linux' in sys_platform",
            None,
            False,
        ),
        (
            "'linux' in sys_platform or sys_platform == 'linux'",
            "sys_platform == 'linux' or 'linux' in sys_platform",
            None,
            True,
        ),
    ],
)
def test_marker_equivalence(
    first: str, second: str | None, bounds: PythonBounds | None, same: bool
) -> None:
    assert markers_equivalent(parse_marker(first), parse_marker(second), bounds) is same


def test_extras_are_a_set_as_in_uv() -> None:
    both = parse_marker("extra == 'a' and extra == 'b'")
    assert both is not None
    assert is_satisfiable(both.expr) is True


def test_negation_and_coverage() -> None:
    linux = parse_marker("sys_platform == 'linux'")
    other = parse_marker("sys_platform != 'linux'")
    assert linux is not None and other is not None
    assert is_satisfiable(make_and([linux.expr, other.expr])) is False
    assert is_satisfiable(make_not(make_and([linux.expr]))) is True


def test_markers_outside_the_model_are_undecidable() -> None:
    for text in ("os_name < 'posix'", "'3.9' in python_version", "platform_release >= '5'"):
        assert markers_equivalent(parse_marker(text), None) is None, text


def test_invalid_marker_raises_value_error() -> None:
    with pytest.raises(ValueError):
        parse_marker("python_version <<< '3'")


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (">=2.31", ">=2.31.0", True),
        ("<3,>=2.0", ">=2.0.0, <3.0", True),
        ("==2.0.*", "==2.*", True),  # uv compares the prefix as a PEP 440 version
        (">=2.31", ">2.31", False),
        ("~=2.0", ">=2.0,==2.*", False),
        ("~=2.2", "~=2.2.0", False),  # ~= keeps its trailing zeros
        ("~=2.2.0", "~=2.2.00", True),
        (">=1.0a1", ">=1.0.0a1", True),
        ("", "", True),
    ],
)
def test_specifier_keys(first: str, second: str, same: bool) -> None:
    assert (specifier_key(first) == specifier_key(second)) is same


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("~=1.0", ">=1.0,<2", True),
        ("~=1.0", ">=1.0,==1.*", True),
        ("~=2.2", "~=2.2.0", False),
        (">=1.0", ">=1.0,!=0.5", True),
        (">=1.0", ">=1.0,>=0.9rc1", False),  # a pre-release named: uv opts into pre-releases
        ("<3", "<3,!=3.0a1", True),  # `!=` opts into nothing
        ("", ">=0", False),  # 0.dev0 is below 0
        (">=1.0", ">=1.0,<99999", False),
        ("==1.5", "===1.5", None),
    ],
)
def test_specifiers_equivalent(first: str, second: str, same: bool | None) -> None:
    assert specifiers_equivalent(first, second) is same


def test_invalid_specifier_raises_value_error() -> None:
    with pytest.raises(ValueError):
        specifier_key(">>1")


@pytest.mark.parametrize(
    ("specifiers", "text"),
    [
        ([">=3.9"], ">=3.9"),
        ([">=3.9,<4", ">=3.8"], ">=3.9, <4"),
        (["~=3.10"], ">=3.10, <4"),
        (["==3.11.*"], ">=3.11, <3.12"),
        (["!=3.9.*,>=3.8"], ">=3.8"),
        ([">3.9"], ">3.9"),
    ],
)
def test_python_bounds(specifiers: list[str], text: str) -> None:
    assert PythonBounds.from_specifiers(specifiers).describe() == text


def test_python_bounds_compare_by_pep440_equality() -> None:
    first = PythonBounds.from_specifiers([">=3.10, <4"])
    assert first.same_as(PythonBounds.from_specifiers([">=3.10.0,<4.0"]))
    assert not first.same_as(PythonBounds.from_specifiers([">=3.10"]))
    assert not first.same_as(PythonBounds.from_specifiers([">3.10,<4"]))


def test_canonical_names() -> None:
    assert canonical_name("Foo__Bar.baz") == "foo-bar-baz"


_CLAUSES = st.tuples(
    st.sampled_from(["sys_platform", "platform_machine", "os_name", "python_full_version"]),
    st.sampled_from(["==", "!=", ">=", "<"]),
    st.sampled_from(["linux", "win32", "x86_64", "3.11", "3.12.1"]),
    st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_CLAUSES, min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_the_conjunction_fast_path_agrees_with_packaging(
    clauses: list[tuple[str, str, str, bool]], shuffler: Any
) -> None:
    def spell(items: list[tuple[str, str, str, bool]]) -> str:
        quoted = [f"{v} {op} {chr(34) + x + chr(34) if dq else repr(x)}" for v, op, x, dq in items]
        return " and ".join(quoted)

    reordered = list(clauses)
    shuffler.shuffle(reordered)
    first, second = spell(clauses), spell(reordered)
    assert same_conjunction(first, second)
    assert markers_equivalent(parse_marker(first), parse_marker(second)) in (
        True,
        None,
    )


def test_the_conjunction_fast_path_accepts_nothing_but_equal_clause_sets() -> None:
    linux = "sys_platform == 'linux'"
    assert not same_conjunction(linux, "sys_platform == 'win32'")
    assert not same_conjunction(f"{linux} or os_name == 'nt'", f"os_name == 'nt' or {linux}")
    assert not same_conjunction(f"({linux})", linux)
    assert not same_conjunction(linux, f"{linux} and os_name == 'posix'")
