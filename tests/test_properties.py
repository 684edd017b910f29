"""Hypothesis properties of the parsers and normalizers, held to the reference implementations:
``packaging`` for versions, names and specifiers, real ``git check-ref-format`` for tag names.
"""

from __future__ import annotations

import datetime as dt
import subprocess

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from release_assistant.core.changelog.parser import parse_changelog
from release_assistant.core.git.refnames import tag_name_problem
from release_assistant.core.lockfiles.pep508.names import canonical_name
from release_assistant.core.lockfiles.pep508.specifiers import specifier_key
from release_assistant.core.project.tags import format_tag, version_from_tag
from release_assistant.core.project.version_files import normalize, parse_version

# --- versions: generated in PEP 440's own grammar, in canonical and loose spellings ---------

_numbers = st.integers(min_value=0, max_value=999)
_release = st.lists(_numbers, min_size=1, max_size=4).map(lambda parts: ".".join(map(str, parts)))
_pre = st.sampled_from(["", "a1", "b2", "rc3", "-rc.4", "alpha5", "c1", ".pre6", "-beta7"])
_post = st.sampled_from(["", ".post1", "-2", "post3", ".rev4", "-r5"])
_dev = st.sampled_from(["", ".dev0", "dev8", "-dev9"])
_local = st.sampled_from(["", "+local", "+ubuntu.1", "+abc-def_1"])
_epoch = st.sampled_from(["", "1!", "2!"])
versions = st.builds(
    lambda e, r, p, po, d, lo, v: f"{v}{e}{r}{p}{po}{d}{lo}",
    _epoch,
    _release,
    _pre,
    _post,
    _dev,
    _local,
    st.sampled_from(["", "v", "V"]),
)


@given(versions)
def test_normalize_is_packaging_s_normal_form(text: str) -> None:
    try:
        expected: str | None = str(Version(text))
    except InvalidVersion:
        expected = None
    assert parse_version(text) == (Version(text) if expected is not None else None)
    assert normalize(text) == (expected if expected is not None else text)
    assert normalize(normalize(text)) == normalize(text)


@given(st.text(max_size=40))
def test_normalize_never_raises_and_keeps_what_is_no_version(text: str) -> None:
    normalized = normalize(text)
    if parse_version(text) is None:
        assert normalized == text


_tag_affix = st.text(
    alphabet=st.characters(codec="ascii", categories=("L", "N"), include_characters="-_./@"),
    max_size=6,
)


@given(versions, _tag_affix, _tag_affix)
@example("1.0.0rc1", "v", "")
@example("2!1.0.post1", "release-", "-final")
def test_the_tag_names_the_version_it_was_made_from(text: str, prefix: str, suffix: str) -> None:
    version = parse_version(text)
    assume(version is not None)
    assert version is not None
    tag_format = f"{prefix}{{version}}{suffix}"
    tag = format_tag(tag_format, str(version))
    read = version_from_tag(f"refs/tags/{tag}", tag_format)
    assert read.follows_format
    assert parse_version(read.version_text) == version


# --- names and specifiers against packaging ------------------------------------------------

names = st.from_regex(r"\A[A-Za-z0-9]([A-Za-z0-9._-]{0,20}[A-Za-z0-9])?\Z")


@given(names)
def test_canonical_name_is_packaging_s(name: str) -> None:
    assert canonical_name(name) == canonicalize_name(name)


_operators = st.sampled_from(["==", "!=", ">=", "<=", ">", "<", "~="])
_clause = st.builds(
    lambda op, version, star: f"{op}{version}{star}",
    _operators,
    st.lists(st.integers(0, 12), min_size=1, max_size=3).map(lambda p: ".".join(map(str, p))),
    st.sampled_from(["", ".0", ".*"]),
)
specifiers = st.lists(_clause, min_size=0, max_size=3).map(", ".join)
probe_versions = st.lists(st.integers(0, 13), min_size=1, max_size=4).map(
    lambda parts: Version(".".join(map(str, parts)))
)


def _valid(text: str) -> SpecifierSet | None:
    try:
        return SpecifierSet(text)
    except InvalidSpecifier:
        return None


@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(specifiers, specifiers, st.lists(probe_versions, min_size=1, max_size=8))
def test_equal_specifier_keys_admit_the_same_versions(
    first: str, second: str, probes: list[Version]
) -> None:
    """The lock check calls two requirements' specifiers the same when their keys are equal;
    then ``packaging`` must find no version that one admits and the other does not."""
    one, other = _valid(first), _valid(second)
    assume(one is not None and other is not None)
    assert one is not None and other is not None
    if specifier_key(first) == specifier_key(second):
        for version in probes:
            assert one.contains(version, prereleases=True) == other.contains(
                version, prereleases=True
            ), (first, second, version)


@given(specifiers)
def test_a_specifier_s_key_does_not_depend_on_clause_order_or_spacing(text: str) -> None:
    assume(_valid(text) is not None)
    clauses = [clause.strip() for clause in text.split(",") if clause.strip()]
    assert specifier_key(" , ".join(reversed(clauses))) == specifier_key(text)


# --- the changelog parser ------------------------------------------------------------------


@settings(max_examples=300)
@given(st.text(max_size=400))
def test_the_changelog_parser_never_raises(text: str) -> None:
    for syntax in ("markdown", "rst"):
        changelog = parse_changelog(text, syntax)
        for section in changelog.sections:
            assert section.line >= 1


@given(
    st.lists(
        st.tuples(probe_versions, st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))),
        min_size=1,
        max_size=12,
        unique_by=lambda item: item[0],
    ),
    st.booleans(),
    st.sampled_from(["- note\n", "", "### Added\n\n- x\n"]),
)
def test_generated_headings_round_trip(
    releases: list[tuple[Version, dt.date]], unreleased: bool, body: str
) -> None:
    releases = sorted(releases, key=lambda item: item[0], reverse=True)
    text = "# Changelog\n\n" + ("## [Unreleased]\n\n" if unreleased else "")
    text += "".join(
        f"## [{version}] - {date.isoformat()}\n\n{body}\n" for version, date in releases
    )
    changelog = parse_changelog(text)
    assert [(s.version_text, s.date) for s in changelog.releases] == [
        (str(version), date.isoformat()) for version, date in releases
    ]
    assert (changelog.unreleased is not None) == unreleased
    for version, _ in releases:
        assert changelog.find(version) is not None


# --- tag names against real git ------------------------------------------------------------

_ref_chars = st.characters(
    codec="utf-8",
    exclude_characters="\x00",
    include_characters="./-@{}~^:?*[\\ \x7f\t",
)


def _git_accepts(name: str) -> bool:
    done = subprocess.run(
        ["git", "check-ref-format", f"refs/tags/{name}"],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ref_chars, min_size=1, max_size=16))
@example("v1.2.3")
@example("v1.2.3.lock")
@example("a/.b")
@example("@")
@example("v1..2")
@example("x@{y")
@example("end.")
@example("dir/")
def test_the_tag_validator_never_accepts_what_git_rejects(name: str) -> None:
    if tag_name_problem(name) is None:
        assert _git_accepts(name), name
