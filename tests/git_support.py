"""Real repositories with a bare ``origin`` in ``tmp_path``, for the git/tag/release tests."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEED_CHANGELOG, SEED_PYPROJECT, git, write_files


def seed_files() -> dict[str, str | bytes]:
    """The seed project: version 0.1.1 with its dated changelog section."""
    return {"pyproject.toml": SEED_PYPROJECT, "CHANGELOG.md": SEED_CHANGELOG}


def make_origin_repo(
    tmp_path: Path,
    files: dict[str, str | bytes] | None = None,
    *,
    branch: str = "main",
    workflow: bool = False,
) -> tuple[Path, Path]:
    """A work repository with ``files`` committed and pushed to a bare ``origin``.

    Returns ``(work, bare)``; the branch tracks ``origin/<branch>`` and ``origin/HEAD``
    points at it, as after a clone. ``workflow`` adds the release workflow ``workflow init``
    writes, so every blocking check passes on the seed project.
    """
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", branch, str(bare))
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q", "-b", branch)
    write_files(work, seed_files() if files is None else files)
    if workflow:
        from release_assistant.core.project.config import load_config
        from release_assistant.core.workflows.template import plan_init, write_plan

        loaded = load_config(work)
        write_plan(plan_init(work, loaded.config.workflow, loaded.pyproject))
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "initial")
    git(work, "remote", "add", "origin", str(bare))
    git(work, "push", "-q", "-u", "origin", branch)
    git(work, "remote", "set-head", "origin", branch)
    return work, bare


def commit_file(root: Path, relpath: str, text: str, message: str = "change") -> str:
    """Write ``relpath`` and commit it; returns the new commit's hash."""
    write_files(root, {relpath: text})
    git(root, "add", relpath)
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def other_clone(tmp_path: Path, bare: Path, name: str = "other") -> Path:
    """Another clone of ``bare`` (a collaborator), to move the remote under our feet."""
    clone = tmp_path / name
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    return clone
