"""What the `check-release-workflow` hook skips for speed answers the same: `LazyPattern` as
`re.Pattern` (compiled on first use only), `shell_words` as `shlex.split`."""

from __future__ import annotations

import re

import pytest

from release_assistant.core.support.lazy_regex import LazyPattern
from release_assistant.core.workflows.uploads import scanner, steps


def test_it_answers_as_the_compiled_pattern() -> None:
    source, flags = r"(?P<word>pub\w+)", re.IGNORECASE
    lazy, compiled = LazyPattern(source, flags), re.compile(source, flags)
    text = "Publish, then PUBLISHED; publishing"
    assert lazy.pattern == compiled.pattern
    for method in ("search", "match", "fullmatch"):
        ours, theirs = getattr(lazy, method)(text, 9), getattr(compiled, method)(text, 9)
        assert (ours and ours.span()) == (theirs and theirs.span()), method
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert lazy.sub(r"<\g<word>>", text, 2) == compiled.sub(r"<\g<word>>", text, 2)
    assert lazy.sub(lambda m: m.group(0).lower(), text) == text.lower()


def test_it_compiles_on_first_use_only() -> None:
    lazy = LazyPattern(r"a+")
    assert lazy._compiled is None
    assert lazy.search("baa") is not None
    first = lazy._compiled
    assert first is not None
    lazy.match("a")
    assert lazy._compiled is first


def test_the_patterns_a_clean_workflow_never_needs_are_lazy() -> None:
    """The patterns made lazy for the ``check-release-workflow`` hook's start-up."""
    assert isinstance(steps.NOT_AN_UPLOAD, LazyPattern)
    assert isinstance(scanner.MIGHT_PUBLISH, LazyPattern)
    assert steps.NOT_AN_UPLOAD.search("uses: softprops/action-gh-release@v2") is not None


def test_shell_words_split_as_shlex_does() -> None:
    """Plain ASCII commands skip shlex's reader; every text still splits as shlex splits it."""
    import random
    import shlex

    from release_assistant.core.workflows.uploads.shell import shell_words

    alphabet = " \t\r\n\x0b\x0c\x1c\x1f#;&|$(){}<>*?~=ab-/.'\"\\é\xa0"
    chosen = random.Random(26)
    for _ in range(20_000):
        text = "".join(chosen.choice(alphabet) for _ in range(chosen.randint(0, 12)))
        try:
            expected = shlex.split(text, comments=False)
        except ValueError:
            expected = text.split()
        assert shell_words(text) == expected, repr(text)
    assert shell_words("uv publish --trusted-publishing always dist/*") == [
        *("uv", "publish", "--trusted-publishing", "always", "dist/*")
    ]


def test_a_bad_pattern_is_reported_on_first_use() -> None:
    lazy = LazyPattern("(")
    with pytest.raises(re.error):
        lazy.match("x")
