"""Regular expressions compiled on first use.

Compiling a pattern costs 0.1-1 ms, and a pre-commit hook imports the core afresh on every
commit: a pattern that only an unusual input or a finding needs (a line number lookup, a
fenced code block) should not be compiled by the run that never uses it.
"""

from __future__ import annotations

import re
from functools import cached_property


class LazyPattern:
    """``re.compile(pattern, flags)``, done the first time :attr:`compiled` is read."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled once, then kept)."""
        return re.compile(self.pattern, self.flags)
