"""What the release procedure changes in git: the fetch, the release commit, the atomic push
of branch and tag, and the undo of local changes.

Everything runs through GitPython's ``git`` executable wrapper with a timeout and no
terminal input (:func:`~release_assistant.core.git.repository.git_env`), so a signing key
that wants a passphrase or a credential helper that wants a password fails instead of
hanging. Ref names reach git only inside full ``refs/...`` refspecs or after ``--``; file
names only after ``--``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from release_assistant.core.git import GitProblem
from release_assistant.core.git.refnames import validated_tag_name
from release_assistant.core.git.repository import execute_git, open_repository, work_tree
from release_assistant.core.git.state import REMOTE, parse_porcelain
from release_assistant.core.support.textfiles import StrPath

#: Seconds a fetch may take.
FETCH_TIMEOUT = 60.0
#: Seconds the release commit may take: the repository's own commit hooks run (pre-commit),
#: and a signature that never comes (gpg asking for a passphrase) must not hang the release.
COMMIT_TIMEOUT = 600.0
#: Seconds the push of the release commit and its tag may take.
PUSH_TIMEOUT = 120.0


def _run(start: StrPath, *args: str, timeout: float) -> tuple[int, str, str]:
    repo = open_repository(start)
    try:
        return execute_git(repo, *args, timeout=timeout)
    finally:
        repo.close()


def _detail(code: int, err: str, out: str = "") -> str:
    lines = [line.strip() for line in (err or out).splitlines() if line.strip()]
    return "; ".join(lines[-3:]) if lines else f"exit code {code}"


def fetch_origin(start: StrPath) -> None:
    """``git fetch origin`` (branches and tags); :class:`GitProblem` when origin cannot be
    reached."""
    code, out, err = _run(start, "fetch", "--quiet", "--tags", REMOTE, timeout=FETCH_TIMEOUT)
    if code != 0:
        raise GitProblem(f"git fetch {REMOTE} failed: {_detail(code, err, out)}")


def remote_branch_commit(start: StrPath, branch: str) -> str | None:
    """The commit ``origin/BRANCH`` points at after the last fetch; ``None`` when absent."""
    code, out, _ = _run(
        start,
        "rev-parse",
        "--verify",
        "--quiet",
        f"refs/remotes/{REMOTE}/{branch}^{{commit}}",
        timeout=30.0,
    )
    return out.strip() if code == 0 and out.strip() else None


def changed_paths(start: StrPath) -> tuple[str, ...]:
    """Tracked files whose content differs from HEAD (staged or not), as git names them."""
    code, out, err = _run(
        start, "status", "--porcelain=v1", "-z", "--untracked-files=no", timeout=60.0
    )
    if code != 0:
        raise GitProblem(f"git status failed: {_detail(code, err)}")
    return parse_porcelain(out)[0]


def commit_release(start: StrPath, paths: Sequence[str], message: str) -> str:
    """Commit exactly ``paths`` (changed, added or deleted) with ``message``; the new commit.

    The repository's own commit hooks run, and ``commit.gpgSign`` is honoured; a hook that
    refuses, or a signature that does not come within :data:`COMMIT_TIMEOUT` seconds, is a
    :class:`GitProblem` and leaves HEAD where it was.
    """
    if not paths:
        raise GitProblem("nothing to commit: the plan changed no file")
    # A file a tool removed with `git rm` (towncrier's fragments) is in neither the work tree
    # nor the index, and `git add` refuses its name; its removal is staged already.
    top = work_tree(open_repository(start))
    present = [path for path in paths if os.path.lexists(os.path.join(top, path))]
    gone = [path for path in paths if path not in present]
    if present:
        code, out, err = _run(start, "add", "--all", "--", *present, timeout=60.0)
        if code != 0:
            raise GitProblem(f"git add failed: {_detail(code, err, out)}")
    if gone:
        code, out, err = _run(
            start, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", *gone, timeout=60.0
        )
        if code != 0:
            raise GitProblem(f"git rm failed: {_detail(code, err, out)}")
    code, out, err = _run(
        start,
        "commit",
        "--quiet",
        f"--message={message}",
        "--",
        *paths,
        timeout=COMMIT_TIMEOUT,
    )
    if code != 0:
        detail = _detail(code, err, out)
        if code < 0:
            detail = f"no answer within {COMMIT_TIMEOUT:g} s (a hook or gpg waiting for input?)"
        raise GitProblem(f"git commit refused the release commit: {detail}")
    code, sha, err = _run(start, "rev-parse", "--verify", "HEAD^{commit}", timeout=30.0)
    if code != 0:
        raise GitProblem(f"cannot read the release commit: {_detail(code, err)}")
    return sha.strip()


def push_release(start: StrPath, branch: str, tag: str | None) -> None:
    """Push ``refs/heads/BRANCH`` (and ``refs/tags/TAG``) to origin in one atomic push:
    origin takes both or neither. :class:`GitProblem` on rejection or a network failure."""
    refspecs = [f"refs/heads/{branch}:refs/heads/{branch}"]
    if tag is not None:
        short = validated_tag_name(tag)
        refspecs.append(f"refs/tags/{short}:refs/tags/{short}")
    code, out, err = _run(
        start, "push", "--porcelain", "--atomic", REMOTE, *refspecs, timeout=PUSH_TIMEOUT
    )
    if code != 0:
        reasons = [line.strip() for line in (err + "\n" + out).splitlines() if line.strip()]
        rejected = any("rejected" in line or "declined" in line for line in reasons)
        detail = "; ".join(reasons[-3:]) or f"exit code {code}"
        if code < 0:
            detail = f"no answer within {PUSH_TIMEOUT:g} s"
        what = f"{REMOTE} rejected the push" if rejected else "the push failed"
        raise GitProblem(f"{what}: {detail}")


def reset_to(start: StrPath, commit: str) -> None:
    """Move the current branch back to ``commit`` and make the work tree match it (the undo
    of a release commit and of files the procedure wrote)."""
    code, out, err = _run(start, "reset", "--quiet", "--hard", commit, "--", timeout=60.0)
    if code != 0:
        raise GitProblem(f"git reset --hard {commit[:12]} failed: {_detail(code, err, out)}")


def restore_paths(start: StrPath, commit: str, paths: Sequence[str]) -> None:
    """Put ``paths`` back as they are in ``commit`` (index and work tree)."""
    root = os.fspath(start)
    existing = [path for path in paths if _in_commit(root, commit, path)]
    if existing:
        code, out, err = _run(root, "checkout", "--quiet", commit, "--", *existing, timeout=60.0)
        if code != 0:
            raise GitProblem(f"git checkout failed: {_detail(code, err, out)}")


def _in_commit(root: str, commit: str, path: str) -> bool:
    code, _, _ = _run(root, "cat-file", "-e", f"{commit}:{path}", timeout=30.0)
    return code == 0


def delete_local_tag(start: StrPath, tag: str) -> None:
    """``git tag -d TAG``; :class:`GitProblem` when git refuses."""
    short = validated_tag_name(tag)
    code, out, err = _run(start, "update-ref", "-d", f"refs/tags/{short}", timeout=30.0)
    if code != 0:
        raise GitProblem(f"cannot delete the local tag {short}: {_detail(code, err, out)}")
