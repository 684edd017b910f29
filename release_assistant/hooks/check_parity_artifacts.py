"""``check-parity-artifacts``: the configured release gates pass on the committed artifacts.

Runs the ``gates`` check (:mod:`release_assistant.core.checks.gates`), whose built-in
``parity`` gate reads the runs, aggregate and upstream lock named in
``[tool.release-assistant.gates.parity]``. Off by default in the manifest (``files: ^$``):
enable it by overriding ``files`` with your artifact paths.
"""

from __future__ import annotations

from collections.abc import Sequence

from release_assistant.hooks.common import run_hook

HOOK_ID = "check-parity-artifacts"
DESCRIPTION = (
    "The release gates configured in [tool.release-assistant.gates] (the parity gate: runs, "
    "aggregate, upstream lock) pass."
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the hook; exit code 0 (pass), 1 (a finding blocks the commit) or 2 (usage)."""
    return run_hook(HOOK_ID, DESCRIPTION, ["gates"], argv)


if __name__ == "__main__":
    raise SystemExit(main())
