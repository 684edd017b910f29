"""The rules PyPI's "add a trusted publisher" form applies to a GitHub publisher.

A value the form refuses cannot be registered, so the release cannot publish; a value that
differs only in letter case is compared as PyPI compares it. Mirrored here so a typo in
``[tool.release-assistant.publisher]`` or an environment name the form rejects is found
before the release, not in the browser afterwards:

- owner: a GitHub user or organization name — letters, digits and ``-``, not starting
  with ``-``;
- repository: letters, digits, ``-``, ``_`` and ``.``;
- workflow: a file name (no directory) ending in ``.yml`` or ``.yaml``;
- environment: optional; at most 255 characters, none of them a control character,
  a quote, a backtick, ``,``, ``;`` or ``\\``; compared without regard to case.
"""

from __future__ import annotations

import re

_OWNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
_REPOSITORY = re.compile(r"[A-Za-z0-9._-]+")
_ENVIRONMENT_FORBIDDEN = re.compile("[\\x00-\\x1f\\x7f'\"`,;\\\\]")
MAX_ENVIRONMENT_LENGTH = 255


def form_problems(
    *,
    owner: str | None = None,
    repository: str | None = None,
    workflow: str | None = None,
    environment: str | None = None,
) -> list[tuple[str, str]]:
    """``(field, why)`` for every given value the form would refuse (empty when all pass)."""
    problems: list[tuple[str, str]] = []
    if owner is not None and not _OWNER.fullmatch(owner):
        problems.append(
            ("owner", f"{owner!r} is not a GitHub owner name (letters, digits, '-'; not first)")
        )
    if repository is not None and not _REPOSITORY.fullmatch(repository):
        problems.append(
            ("repository", f"{repository!r} is not a repository name (letters, digits, -_.)")
        )
    if workflow is not None:
        if "/" in workflow or "\\" in workflow:
            problems.append(
                ("workflow", f"{workflow!r} must be the file name only, without a directory")
            )
        elif not workflow.endswith((".yml", ".yaml")):
            problems.append(("workflow", f"{workflow!r} must end in .yml or .yaml"))
    if environment is not None:
        if len(environment) > MAX_ENVIRONMENT_LENGTH:
            problems.append(("environment", f"longer than {MAX_ENVIRONMENT_LENGTH} characters"))
        if _ENVIRONMENT_FORBIDDEN.search(environment):
            problems.append(
                (
                    "environment",
                    f"{environment!r} holds a character the form refuses "
                    "(a control character, a quote, a backtick, ',', ';' or '\\')",
                )
            )
    return problems


def same_environment(first: str, second: str) -> bool:
    """Environment names as PyPI compares them: without regard to letter case."""
    return first.casefold() == second.casefold()
