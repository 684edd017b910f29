"""Finding the repository (and the project) from any directory inside it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from release_assistant.core.git import GitProblem
from release_assistant.core.support.textfiles import StrPath

if TYPE_CHECKING:
    import git

#: Environment for every git process we start: never ask for a password or passphrase on
#: the terminal (a prompt would hang a release command that is waiting on git's output).
QUIET_ENV: dict[str, str] = {"GIT_TERMINAL_PROMPT": "0", "GCM_INTERACTIVE": "never"}


def git_env() -> dict[str, str]:
    """:data:`QUIET_ENV`, plus an ssh that fails instead of prompting (unless configured)."""
    env = dict(QUIET_ENV)
    if "GIT_SSH_COMMAND" not in os.environ and "GIT_SSH" not in os.environ:
        env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes -o ConnectTimeout=5"
    return env


def open_repository(start: StrPath) -> git.Repo:
    """The git repository that contains ``start`` (searching parent directories).

    Raises :class:`GitProblem` when ``start`` is in no repository or git is missing.
    """
    try:
        import git
    except ImportError as exc:  # GitPython imports fine but cannot find the executable
        raise GitProblem(f"git is not available: {exc}") from None
    try:
        return git.Repo(os.fspath(start), search_parent_directories=True)
    except git.InvalidGitRepositoryError:
        raise GitProblem(f"{os.fspath(start)} is not inside a git repository") from None
    except git.NoSuchPathError:
        raise GitProblem(f"{os.fspath(start)}: no such directory") from None


def execute_git(repo: git.Repo, *args: str, timeout: float | None = None) -> tuple[int, str, str]:
    """Run ``git ARGS`` through GitPython in ``repo``: (exit code, stdout, stderr).

    Never raises on git's failure; git gets :func:`git_env` (no prompts) and no input, and is
    killed after ``timeout`` seconds (a negative exit code then).
    """
    try:
        status, out, err = repo.git.execute(
            ["git", *args],
            with_extended_output=True,
            with_exceptions=False,
            kill_after_timeout=timeout,
            env=git_env(),
        )
    except OSError as exc:
        return 127, "", str(exc)
    return int(status), str(out), str(err)


def work_tree(repo: git.Repo) -> str:
    """The repository's work-tree root; :class:`GitProblem` for a bare repository."""
    root = repo.working_tree_dir
    if root is None:
        raise GitProblem(f"{repo.git_dir} is a bare repository: there is nothing to release")
    return os.path.realpath(os.fspath(root))


def find_project_root(start: StrPath) -> str:
    """The project to release when commands run in ``start``.

    The nearest directory from ``start`` up to the git work-tree root that holds a
    ``pyproject.toml`` (so ``src/`` finds its project, and a package inside a monorepo stays
    itself); the work-tree root when none does; ``start`` itself outside a repository.
    Uses the light :func:`~release_assistant.core.git.readonly.run_git`, not GitPython.
    """
    from release_assistant.core.git.readonly import run_git

    here = os.path.realpath(start)
    if os.path.isfile(os.path.join(here, "pyproject.toml")):
        return here  # the nearest one, wherever the work tree's root is: git need not be asked
    output = run_git(here, ["rev-parse", "--show-toplevel"])
    if output is None or not output.ok or not output.text():
        return here
    top = os.path.realpath(output.text())
    current = here
    while True:
        if os.path.isfile(os.path.join(current, "pyproject.toml")):
            return current
        if current == top:
            return top
        parent = os.path.dirname(current)
        if parent == current or not current.startswith(top):
            return here
        current = parent
