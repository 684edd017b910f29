"""``check-release-workflow``: the release workflow follows the trusted-publishing model.

Runs the ``workflow`` check (:mod:`release_assistant.core.checks.workflow`) on the workflow
that publishes (found by what it does — the publish action, ``uv publish``, ``twine upload``,
``pdm``/``poetry``/``hatch``/``flit publish``, ``maturin upload`` — or the configured one):
the publish jobs get their OIDC token (``id-token: write``) and the built files from a build
job, no API token is passed, and no trigger anyone can fire runs them; hardening advice
(environments, a validation job first, pinned actions) is printed as warnings.
"""

from __future__ import annotations

from collections.abc import Sequence

from release_assistant.hooks.common import run_hook

HOOK_ID = "check-release-workflow"
DESCRIPTION = (
    "The publishing workflow uses Trusted Publishing: the publish jobs get their OIDC token "
    "and the built files, no API token, no triggers anyone can fire."
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the hook; exit code 0 (pass), 1 (a finding blocks the commit) or 2 (usage)."""
    return run_hook(HOOK_ID, DESCRIPTION, ["workflow"], argv)


if __name__ == "__main__":
    raise SystemExit(main())
