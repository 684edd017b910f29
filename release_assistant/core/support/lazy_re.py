"""Regular expressions compiled on first use, for modules on a pre-commit hook's path.

Compiling a pattern costs a tenth to half a millisecond; a module-level ``re.compile`` pays it
on import whether or not the run needs the pattern. Most of the lock hook's patterns serve
findings or unusual input (a stale requirement's message, a credential in a URL, a hand-edited
block), so a passing run would compile them for nothing: :func:`lazy_pattern` defers that.
"""

from __future__ import annotations

import re
from typing import Any, cast


class _LazyPattern:
    """Stands for ``re.compile(pattern, flags)``: the first use of a method compiles it and
    keeps the bound method on the instance, so later uses are plain attribute reads."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # Called only for names not yet on the instance: the first use of each method.
        value = getattr(re.compile(self._pattern, self._flags), name)
        setattr(self, name, value)
        return value


def lazy_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, compiled when first used (its methods and attributes
    behave the same; it is not an ``re.Pattern`` instance, so pass it to no ``re`` function)."""
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))
