"""``check-release-workflow``: the release workflow follows the trusted-publishing model.

Runs the ``workflow`` check (:mod:`release_assistant.core.checks.workflow`) on the configured
workflow (default ``.github/workflows/release.yml``): a build job uploads ``dist/``, separate
publish jobs need it, have ``id-token: write`` and an environment, use
``pypa/gh-action-pypi-publish``, and no token secret or dangerous trigger.
"""

from __future__ import annotations

from collections.abc import Sequence

from release_assistant.hooks.common import run_hook

HOOK_ID = "check-release-workflow"
DESCRIPTION = (
    "The release workflow publishes with Trusted Publishing: separate build and publish jobs, "
    "id-token: write, an environment, no token secrets, no dangerous triggers."
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the hook; exit code 0 (pass), 1 (a finding blocks the commit) or 2 (usage)."""
    return run_hook(HOOK_ID, DESCRIPTION, [("workflow", "run")], argv)


if __name__ == "__main__":
    raise SystemExit(main())
