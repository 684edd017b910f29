"""``LazyPattern`` compiles once, on first use."""

from __future__ import annotations

import re

from release_assistant.core.support.lazyre import LazyPattern


def test_compiles_on_first_use_and_keeps_the_pattern() -> None:
    pattern = LazyPattern(r"(?P<word>a+)", re.IGNORECASE)
    assert "compiled" not in vars(pattern)
    match = pattern.compiled.match("AAb")
    assert match is not None and match.group("word") == "AA"
    assert vars(pattern)["compiled"] is pattern.compiled
    assert pattern.compiled.flags & re.IGNORECASE
