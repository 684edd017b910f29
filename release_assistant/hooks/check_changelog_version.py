"""``check-changelog-version``: the project version and the changelog agree on every commit.

Passes when the project version has a section in the changelog (configured, or found:
towncrier's ``filename``, ``CHANGELOG``/``CHANGES``/``HISTORY``/``NEWS``/``RELEASE-NOTES``
as ``.md``, ``.rst`` or ``.txt`` at the root or under ``docs/``), or something collects the
next release's notes (an ``Unreleased`` section, a section marked unreleased, towncrier
fragments), the version files agree, and the changelog's structure raises no error (see
:func:`release_assistant.core.checks.changelog.run_commit`). Style problems print as
warnings and do not block the commit.
"""

from __future__ import annotations

from collections.abc import Sequence

from release_assistant.hooks.common import run_hook

HOOK_ID = "check-changelog-version"
DESCRIPTION = (
    "The project version has a changelog section (or the next release's notes are collected: "
    "Unreleased, towncrier fragments), version files agree, and the changelog is sound."
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the hook; exit code 0 (pass), 1 (a finding blocks the commit) or 2 (usage)."""
    return run_hook(HOOK_ID, DESCRIPTION, ["changelog"], argv)


if __name__ == "__main__":
    raise SystemExit(main())
