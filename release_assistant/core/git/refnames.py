"""Ref-name validation for tags (git's ``check-ref-format`` rules), before any git call.

The rules live in :mod:`release_assistant.core.refnames`, which the light code paths share;
this module is where the git package's callers find them.
"""

from __future__ import annotations

from release_assistant.core.refnames import tag_name_problem

__all__ = ["tag_name_problem", "validated_tag_name"]


class BadTagName(ValueError):
    """A tag name that git would refuse (or that could be read as an option)."""


def validated_tag_name(name: str) -> str:
    """The short tag name (``refs/tags/`` removed) when valid; :class:`BadTagName` otherwise."""
    problem = tag_name_problem(name)
    if problem is not None:
        raise BadTagName(f"{name!r} is not a valid tag name: {problem}")
    return name.removeprefix("refs/tags/")
