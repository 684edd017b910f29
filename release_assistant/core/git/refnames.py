"""git's ref-name rules (``git check-ref-format``), checked before any git call.

A tag name from the user must never reach git as an option or an invalid ref, so it is
validated here first, in pure Python.
"""

from __future__ import annotations

from release_assistant.core.support.errors import InputError

_FORBIDDEN_CHARS = set(" ~^:?*[\\")


def tag_name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid tag name, or ``None`` when it is.

    Accepts ``v1.2.3`` and ``refs/tags/v1.2.3``; the checked part is what follows
    ``refs/tags/``.
    """
    short = name.removeprefix("refs/tags/")
    if not short:
        return "the tag name is empty"
    if short.startswith("-"):
        return "a tag name cannot start with '-'"
    if short == "@":
        return "'@' alone is not a valid tag name"
    if "@{" in short:
        return "a tag name cannot contain '@{'"
    if ".." in short:
        return "a tag name cannot contain '..'"
    if "//" in short or short.startswith("/") or short.endswith("/"):
        return "a tag name cannot start or end with '/' or contain '//'"
    if short.endswith("."):
        return "a tag name cannot end with '.'"
    for char in short:
        if ord(char) < 0x20 or ord(char) == 0x7F:
            return "a tag name cannot contain control characters"
        if char in _FORBIDDEN_CHARS:
            return f"a tag name cannot contain {char!r}"
    for component in short.split("/"):
        if component.startswith("."):
            return "a tag name component cannot start with '.'"
        if component.endswith(".lock"):
            return "a tag name component cannot end with '.lock'"
    return None


class BadTagName(InputError, ValueError):
    """A tag name that git would refuse (or that could be read as an option)."""


def validated_tag_name(name: str) -> str:
    """The short tag name (``refs/tags/`` removed) when valid; :class:`BadTagName` otherwise."""
    problem = tag_name_problem(name)
    if problem is not None:
        raise BadTagName(f"{name!r} is not a valid tag name: {problem}")
    return name.removeprefix("refs/tags/")
