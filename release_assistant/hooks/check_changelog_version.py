"""``check-changelog-version``: the project version and the changelog agree on every commit.

Passes when the version in ``pyproject.toml`` has a changelog section or an ``Unreleased``
section collects the notes, configured ``version_files`` agree, and the changelog's
structure is sound (see :func:`release_assistant.core.checks.changelog.run_commit`).
"""

from __future__ import annotations

from collections.abc import Sequence

from release_assistant.hooks.common import run_hook

HOOK_ID = "check-changelog-version"
DESCRIPTION = (
    "The version in pyproject.toml has a CHANGELOG section (or an Unreleased section exists), "
    "version files agree, and the changelog's structure is sound."
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the hook; exit code 0 (pass), 1 (a finding blocks the commit) or 2 (usage)."""
    return run_hook(HOOK_ID, DESCRIPTION, [("changelog", "run_commit")], argv)


if __name__ == "__main__":
    raise SystemExit(main())
