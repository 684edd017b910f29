"""What the repository looks like right now: branch, work tree, upstream, tags.

Read with plain ``git`` queries (:func:`~release_assistant.core.git.readonly.run_git`:
a timeout on each, ``core.fsmonitor`` off): importing GitPython and opening a ``Repo`` cost
the ``git`` check 60-70 ms of ``release-assistant check``'s ~180 ms, for queries it ran as
git commands anyway. GitPython stays for what changes the repository (tags, pushes). Every
query that reaches the network (``git ls-remote``) has a short timeout and never prompts: an
offline machine gets an answer saying so, not a hang.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from release_assistant.core.git import GitProblem
from release_assistant.core.git.readonly import TIMEOUT_SECONDS, run_git
from release_assistant.core.git.repository import git_env
from release_assistant.core.support.textfiles import StrPath

#: Seconds a ``git ls-remote`` may take before the remote counts as unreachable.
NETWORK_TIMEOUT = 5.0
REMOTE = "origin"


@dataclass(slots=True)
class GitState:
    """A snapshot of the repository, as the ``git`` check and the ``tag`` command need it.

    ``branch`` is ``None`` on a detached HEAD; ``head`` is ``None`` before the first commit.
    ``upstream`` is the tracking branch (``origin/main``) when one is configured and
    fetched, with ``ahead``/``behind`` counted against it. ``remote_head_branch`` is the
    branch ``origin/HEAD`` points at (``main``), when known.
    """

    root: str
    branch: str | None
    head: str | None
    dirty: tuple[str, ...] = ()
    untracked: tuple[str, ...] = ()
    upstream: str | None = None
    upstream_head: str | None = None
    ahead: int = 0
    behind: int = 0
    shallow: bool = False
    has_origin: bool = False
    origin_url: str | None = field(default=None, repr=False)
    remote_head_branch: str | None = None

    @property
    def detached(self) -> bool:
        """True when HEAD is not on a branch."""
        return self.branch is None and self.head is not None


@dataclass(slots=True)
class RemoteRef:
    """What ``origin`` says about one ref: ``exists`` is ``None`` when it could not be asked.

    ``commit`` is the commit the ref points at (peeled for an annotated tag); ``reason``
    says why the remote could not be asked.
    """

    exists: bool | None
    commit: str | None = None
    reason: str | None = None


def _git(root: str, *args: str, timeout: float = TIMEOUT_SECONDS) -> tuple[int, str, str]:
    """Run ``git ARGS`` in ``root``: (exit code, stdout, stderr); never raises on failure.

    A git that could not start, or did not answer within ``timeout``, is exit code -9.
    """
    output = run_git(root, args, timeout=timeout, environ=git_env())
    if output is None:
        return -9, "", f"git did not answer within {timeout:g} s (or could not be started)"
    return (
        output.returncode,
        output.stdout.decode("utf-8", "replace"),
        output.stderr.decode("utf-8", "replace"),
    )


def _work_tree(start: StrPath) -> str:
    """The work-tree root of the repository containing ``start``; :class:`GitProblem`
    outside one, for a bare repository, or when git is missing."""
    where = os.fspath(start)
    if not os.path.isdir(where):
        raise GitProblem(f"{where}: no such directory")
    # One git process in the usual case, a work tree (git answers the three in order); a bare
    # repository, a .git directory or no repository fails it, and the two questions below,
    # asked apart, tell which.
    code, out, err = _git(
        where, "rev-parse", "--is-bare-repository", "--absolute-git-dir", "--show-toplevel"
    )
    if code == -9:
        raise GitProblem(f"git is not available: {err}")
    answers = out.strip().split("\n")
    if code == 0 and len(answers) == 3 and answers[0].strip() == "false" and answers[2].strip():
        return os.path.realpath(answers[2].strip())
    code, out, err = _git(where, "rev-parse", "--is-bare-repository", "--absolute-git-dir")
    if code == -9:
        raise GitProblem(f"git is not available: {err}")
    if code != 0:
        raise GitProblem(f"{where} is not inside a git repository")
    bare, _, git_dir = out.strip().partition("\n")
    if bare.strip() == "true":
        raise GitProblem(f"{git_dir.strip()} is a bare repository: there is nothing to release")
    code, top, _ = _git(where, "rev-parse", "--show-toplevel")
    if code != 0 or not top.strip():
        raise GitProblem(f"{where} is not inside a git work tree")
    return os.path.realpath(top.strip())


def _head_and_shallow(root: str) -> tuple[str | None, bool]:
    """The commit HEAD points at (``None`` before the first commit) and whether the clone is
    shallow: one git process when HEAD has a commit, the questions apart otherwise."""
    code, out, _ = _git(
        root, "rev-parse", "--is-shallow-repository", "--verify", "--quiet", "HEAD^{commit}"
    )
    answers = out.split()
    if code == 0 and len(answers) == 2:
        return answers[1], answers[0] == "true"
    code, head, _ = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    head_sha = head.strip() if code == 0 and head.strip() else None
    code, shallow_out, _ = _git(root, "rev-parse", "--is-shallow-repository")
    return head_sha, code == 0 and shallow_out.strip() == "true"


def _remotes(root: str) -> set[str]:
    code, out, _ = _git(root, "remote")
    return set(out.split()) if code == 0 else set()


def read_state(start: StrPath) -> GitState:
    """The state of the repository containing ``start``; :class:`GitProblem` outside one."""
    return _read_state(_work_tree(start))


def _read_state(root: str) -> GitState:
    head_sha, shallow = _head_and_shallow(root)
    code, branch_out, _ = _git(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    branch = branch_out.strip() if code == 0 and branch_out.strip() else None
    dirty, untracked = _status(root)
    has_origin = REMOTE in _remotes(root)
    origin_url: str | None = None
    if has_origin:
        code, url, _ = _git(root, "remote", "get-url", REMOTE)
        origin_url = url.strip() if code == 0 else None
    code, remote_head, _ = _git(root, "symbolic-ref", "--quiet", f"refs/remotes/{REMOTE}/HEAD")
    remote_head_branch = (
        remote_head.strip().removeprefix(f"refs/remotes/{REMOTE}/")
        if code == 0 and remote_head.strip()
        else None
    )
    upstream, upstream_head, ahead, behind = _upstream(root, branch, head_sha)
    return GitState(
        root=root,
        branch=branch,
        head=head_sha,
        dirty=dirty,
        untracked=untracked,
        upstream=upstream,
        upstream_head=upstream_head,
        ahead=ahead,
        behind=behind,
        shallow=shallow,
        has_origin=has_origin,
        origin_url=origin_url,
        remote_head_branch=remote_head_branch,
    )


def _status(root: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    code, out, err = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=normal")
    if code != 0:
        raise GitProblem(f"git status failed: {err.strip() or f'exit code {code}'}")
    return parse_porcelain(out)


def parse_porcelain(out: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``git status --porcelain=v1 -z`` output as (changed tracked paths, untracked paths)."""
    dirty: list[str] = []
    untracked: list[str] = []
    entries = out.split("\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        status, path = entry[:2], entry[3:]
        if status == "??":
            untracked.append(path)
            continue
        dirty.append(path)
        if "R" in status or "C" in status:
            index += 1  # a rename or copy is followed by its source path
    return tuple(dirty), tuple(untracked)


def _upstream(
    root: str, branch: str | None, head: str | None
) -> tuple[str | None, str | None, int, int]:
    if branch is None or head is None:
        return None, None, 0, 0
    code, name, _ = _git(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    if code != 0 or not name.strip():
        return None, None, 0, 0
    code, sha, _ = _git(root, "rev-parse", "--verify", "--quiet", f"{name.strip()}^{{commit}}")
    if code != 0 or not sha.strip():
        return None, None, 0, 0
    upstream_sha = sha.strip()
    code, counts, _ = _git(root, "rev-list", "--left-right", "--count", f"{head}...{upstream_sha}")
    ahead, behind = (int(n) for n in counts.split()) if code == 0 else (0, 0)
    return name.strip(), upstream_sha, ahead, behind


def local_tag_commit(start: StrPath, tag: str) -> str | None:
    """The commit the local tag ``tag`` (a validated short name) points at; ``None`` if absent."""
    return tag_commit_in(_work_tree(start), tag)


def tag_commit_in(root: str, tag: str) -> str | None:
    """:func:`local_tag_commit` in the work tree ``root`` already located (``GitState.root``),
    without asking git for it again."""
    code, out, _ = _git(root, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}")
    return out.strip() if code == 0 and out.strip() else None


def remote_ref(start: StrPath, ref: str, timeout: float = NETWORK_TIMEOUT) -> RemoteRef:
    """Ask ``origin`` whether it has ``ref`` (a full ``refs/...`` name), within ``timeout``.

    A missing ``origin``, an unreachable host or a timeout give ``exists=None`` with the
    reason, never an exception and never a prompt.
    """
    if not ref.startswith("refs/"):
        raise ValueError(f"not a full ref name: {ref!r}")  # a bug in the caller
    root = _work_tree(start)
    if REMOTE not in _remotes(root):
        return RemoteRef(None, reason=f"no {REMOTE!r} remote")
    # The pattern starts with "refs/", so git never reads it as an option.
    # ``REF^{}`` asks for the commit an annotated tag peels to, too.
    code, out, err = _git(root, "ls-remote", REMOTE, ref, f"{ref}^{{}}", timeout=timeout)
    if code != 0:
        detail = err.strip().splitlines()[-1] if err.strip() else f"exit code {code}"
        if code < 0 or code in (-9, 137) or "timed out" in detail.lower():
            detail = f"no answer within {timeout:g} s"
        return RemoteRef(None, reason=f"cannot reach {REMOTE}: {detail}")
    found: dict[str, str] = {}
    for line in out.splitlines():
        sha, _, name = line.partition("\t")
        found[name.strip()] = sha.strip()
    if ref not in found:
        return RemoteRef(False)
    return RemoteRef(True, commit=found.get(f"{ref}^{{}}", found[ref]))
