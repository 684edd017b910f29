"""``check-lock-file``: ``uv.lock`` / ``poetry.lock`` / ``pdm.lock`` are in sync with pyproject.

Runs the ``lock`` check (:mod:`release_assistant.core.checks.lock`): the lock parses, has no
merge-conflict markers, and records the dependencies ``pyproject.toml`` declares — the same
verdict as ``uv lock --check`` / ``poetry check --lock``, without running them or the network.
"""

from __future__ import annotations

from collections.abc import Sequence

from release_assistant.hooks.common import run_hook

HOOK_ID = "check-lock-file"
DESCRIPTION = (
    "The lock file (uv.lock, poetry.lock, pdm.lock) parses and is in sync with pyproject.toml."
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the hook; exit code 0 (pass), 1 (a finding blocks the commit) or 2 (usage)."""
    # The lock check's hook variant (``run_strict``, core/check_table.py): the tools' own
    # verdict, every stale lock an error, whatever CI does with it (a maintainer who installs
    # this hook asked for that; the ``check`` command weighs a stale lock by its consequence).
    # It reads the working tree: while hooks run, pre-commit sets unstaged changes aside, so
    # the working tree holds what is being committed.
    # The common case, a lock in sync and no [tool.release-assistant] table, is answered by
    # ``hook_passes`` without loading the repository's configuration; anything else runs the
    # hook's full path.
    return run_hook(HOOK_ID, DESCRIPTION, ["lock"], argv, quick=_passes)


def _passes(repo: str) -> bool:
    # git status runs while the check's modules load, instead of after.
    from release_assistant.core.lockfiles import start_git_states

    git_status = start_git_states(repo)
    from release_assistant.core.checks.lock import hook_passes

    return hook_passes(repo, git_status=git_status)


if __name__ == "__main__":
    raise SystemExit(main())
