"""Changelog version keys order and identify versions exactly as PEP 440 (packaging) does.

The changelog check compares plain releases (``1.2.3``) by their numbers without parsing a
``Version``, for speed on long changelogs; these tests hold that shortcut to packaging's
verdicts on random plain and non-plain versions.
"""

from __future__ import annotations

import random

import pytest
from packaging.version import Version

from release_assistant.core.changelog.sections import Section, is_newer, release_keys, version_key


def _random_version(rng: random.Random) -> str:
    numbers = ".".join(
        rng.choice(["0", "00", "1", "01", "2", "9", "10", "100", "007"])
        for _ in range(rng.randint(1, 4))
    )
    prefix = rng.choice(["", "", "", "v", "V", "1!"])
    suffix = rng.choice(["", "", "", "", "rc1", "a0", "b2", ".post1", ".dev0", "+local.1", "-1"])
    return f"{prefix}{numbers}{suffix}"


def _key(text: str) -> object:
    key = Section(1, text, text, text).key
    assert key is not None, text
    return key


@pytest.mark.parametrize("seed", range(5))
def test_keys_agree_with_packaging_on_order_and_equality(seed: int) -> None:
    rng = random.Random(seed)
    texts = [_random_version(rng) for _ in range(300)]
    for first, second in zip(texts, reversed(texts), strict=True):
        a, b = Version(first), Version(second)
        key_a, key_b = _key(first), _key(second)
        assert is_newer(key_a, key_b) == (a > b), (first, second)  # type: ignore[arg-type]
        assert (key_a == key_b) == (a == b), (first, second)
        assert key_a == version_key(a), first


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.2.0", (1, 2)),
        ("v1.2", (1, 2)),
        ("0.0", (0,)),
        ("00.0", (0,)),
        ("1.00", (1,)),
        ("10", (10,)),
        ("10.0.00", (10,)),
    ],
)
def test_plain_release_keys_drop_trailing_zeros(text: str, expected: tuple[int, ...]) -> None:
    assert _key(text) == expected
    assert release_keys([Section(1, text, text, text)]) == [expected]


@pytest.mark.parametrize("seed", range(3))
def test_keys_computed_together_equal_keys_computed_one_by_one(seed: int) -> None:
    rng = random.Random(seed)
    plain = [Section(n, "x", t, t) for n, t in enumerate(_plain(rng) for _ in range(200))]
    assert release_keys(plain) == [section.key for section in plain]
    mixed = [*plain, Section(999, "x", "1.0rc1", "1.0rc1"), Section(1000, "x", "1.x", "1.x")]
    assert release_keys(mixed) == [section.key for section in mixed]
    assert release_keys([]) == []


def _plain(rng: random.Random) -> str:
    numbers = ".".join(rng.choice(["0", "00", "1", "01", "10", "100"]) for _ in range(3))
    return rng.choice(["", "", "v", "V"]) + numbers


def test_invalid_versions_have_no_key() -> None:
    assert Section(1, "x", "1.x", "1.x").key is None
    arabic_indic = "\u0661.\u0662"  # digits to int(), but not to PEP 440
    assert Section(1, "x", arabic_indic, arabic_indic).key is None
    assert release_keys([Section(1, "x", arabic_indic, arabic_indic)]) == [None]
    assert Section(1, "x", "Unreleased").key is None
