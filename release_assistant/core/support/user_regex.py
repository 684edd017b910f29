"""Regular expressions the user wrote (``version_files`` patterns, hatch's version ``pattern``),
run with a time limit.

A pattern from configuration runs over repository files, and Python's :mod:`re` has no way
to stop a catastrophic one (``^(a|aa)+$`` on a long line of ``a`` takes longer than the age of
the universe): a pre-commit hook would hang. The ``regex`` package is a drop-in superset of
:mod:`re` (``VERSION0`` keeps :mod:`re`'s semantics) whose ``search`` takes a ``timeout``; it
is imported only when a user pattern is actually compiled, so a hook run on a project
without one never loads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from release_assistant.core.support.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Mapping

#: Seconds one user pattern may search one file. Real version patterns finish in
#: microseconds; a second is long enough never to cut a legitimate one short and short
#: enough that a hook on a hostile pattern still ends promptly.
TIMEOUT_SECONDS = 1.0


class PatternProblem(InputError):
    """A user pattern is invalid or ran out of time; ``str()`` is one line naming ``key``."""

    def __init__(self, key: str, pattern: str, message: str) -> None:
        self.key = key
        self.pattern = pattern
        self.message = message
        super().__init__(f"{key} = {pattern!r}: {message}")


class UserPattern:
    """A compiled user pattern with its ``version`` group (or first group) to read."""

    def __init__(self, compiled: Any, key: str) -> None:
        self._compiled = compiled
        self.key = key
        self.pattern: str = compiled.pattern
        groupindex: Mapping[str, int] = compiled.groupindex
        self.group: str | int = "version" if "version" in groupindex else 1

    def search(self, text: str, timeout: float = TIMEOUT_SECONDS) -> Any:
        """The first match in ``text`` or ``None``; :class:`PatternProblem` on a timeout."""
        try:
            return self._compiled.search(text, timeout=timeout)
        except TimeoutError:
            raise PatternProblem(
                self.key,
                self.pattern,
                f"the pattern did not finish within {timeout:g} s (catastrophic backtracking); "
                "simplify it",
            ) from None


def compile_user_pattern(pattern: str, key: str) -> UserPattern:
    """Compile ``pattern`` (multi-line mode, :mod:`re` semantics) for a version lookup.

    :class:`PatternProblem` when it is not a valid regular expression or has no group to
    read the version from (no ``(?P<version>...)`` and no group at all).
    """
    import regex  # type: ignore[import-untyped, unused-ignore]  # no stubs shipped

    try:
        compiled = regex.compile(pattern, regex.MULTILINE | regex.VERSION0)
    except regex.error as exc:
        raise PatternProblem(key, pattern, f"invalid regular expression: {exc}") from None
    except (ValueError, OverflowError, RecursionError) as exc:  # absurd repeat counts, nesting
        raise PatternProblem(key, pattern, f"invalid regular expression: {exc}") from None
    if "version" not in compiled.groupindex and compiled.groups < 1:
        raise PatternProblem(
            key, pattern, "the pattern needs a (?P<version>...) group that captures the version"
        )
    return UserPattern(compiled, key)
