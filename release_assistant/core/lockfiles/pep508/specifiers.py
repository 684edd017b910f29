"""PEP 440 specifier sets, compared the way uv compares them.

:func:`specifier_key`: uv's equality of specifier sets. ``>=2.31`` equals ``>=2.31.0``, but
``~=2.2`` and ``~=2.2.0`` differ (``~=`` keeps its trailing zeros), as in uv's
``VersionSpecifier``; :func:`specifiers_equivalent`: equality by the versions a set admits.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any


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
    from release_assistant.core.lockfiles.pep508.plain import plain_specifier_key

    plain = plain_specifier_key(text)  # release-only clauses: no need to import packaging
    if plain is not None:
        return plain
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
