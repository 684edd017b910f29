"""PEP 503 names: the normalized form of project, extra and group names.

Lock files only hold normalized names, so :func:`canonical_name` checks for that form before
importing ``packaging.utils`` (see :mod:`release_assistant.core.lockfiles.pep508`).
"""

from __future__ import annotations

import re

#: A name that :func:`packaging.utils.canonicalize_name` leaves unchanged (packaging's own
#: ``is_normalized_name`` pattern): lock files only hold such names.
_NORMALIZED_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def canonical_name(name: str) -> str:
    """The PEP 503 normalized form of a project, extra or group name.

    ``packaging.utils.canonicalize_name``; a name already in that form is returned as it is,
    without importing ``packaging.utils`` (see the module docstring).
    """
    if _NORMALIZED_NAME.fullmatch(name):
        return name
    from packaging.utils import canonicalize_name

    return str(canonicalize_name(name))
