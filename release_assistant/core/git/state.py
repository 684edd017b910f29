"""What the repository looks like right now: branch, work tree, upstream, tags.

Read through GitPython. Every query that reaches the network (``git ls-remote``) has a short
timeout and never prompts: an offline machine gets an answer saying so, not a hang.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from release_assistant.core.git import GitProblem
from release_assistant.core.git.repository import git_env, open_repository, work_tree
from release_assistant.core.support.textfiles import StrPath

if TYPE_CHECKING:
    import git

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


def _git(repo: git.Repo, *args: str, timeout: float | None = None) -> tuple[int, str, str]:
    """Run ``git ARGS`` in ``repo``: (exit code, stdout, stderr); never raises on failure."""
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


def read_state(start: StrPath) -> GitState:
    """The state of the repository containing ``start``; :class:`GitProblem` outside one."""
    repo = open_repository(start)
    try:
        return _read_state(repo)
    finally:
        repo.close()


def _read_state(repo: git.Repo) -> GitState:
    root = work_tree(repo)
    code, head, _ = _git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    head_sha = head.strip() if code == 0 and head.strip() else None
    code, branch_out, _ = _git(repo, "symbolic-ref", "--quiet", "--short", "HEAD")
    branch = branch_out.strip() if code == 0 and branch_out.strip() else None
    dirty, untracked = _status(repo)
    code, shallow_out, _ = _git(repo, "rev-parse", "--is-shallow-repository")
    shallow = code == 0 and shallow_out.strip() == "true"
    remotes = {remote.name: remote for remote in repo.remotes}
    origin = remotes.get(REMOTE)
    origin_url: str | None = None
    if origin is not None:
        code, url, _ = _git(repo, "remote", "get-url", REMOTE)
        origin_url = url.strip() if code == 0 else None
    code, remote_head, _ = _git(repo, "symbolic-ref", "--quiet", f"refs/remotes/{REMOTE}/HEAD")
    remote_head_branch = (
        remote_head.strip().removeprefix(f"refs/remotes/{REMOTE}/")
        if code == 0 and remote_head.strip()
        else None
    )
    upstream, upstream_head, ahead, behind = _upstream(repo, branch, head_sha)
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
        has_origin=origin is not None,
        origin_url=origin_url,
        remote_head_branch=remote_head_branch,
    )


def _status(repo: git.Repo) -> tuple[tuple[str, ...], tuple[str, ...]]:
    code, out, err = _git(repo, "status", "--porcelain=v1", "-z", "--untracked-files=normal")
    if code != 0:
        raise GitProblem(f"git status failed: {err.strip() or f'exit code {code}'}")
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
    repo: git.Repo, branch: str | None, head: str | None
) -> tuple[str | None, str | None, int, int]:
    if branch is None or head is None:
        return None, None, 0, 0
    code, name, _ = _git(repo, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    if code != 0 or not name.strip():
        return None, None, 0, 0
    code, sha, _ = _git(repo, "rev-parse", "--verify", "--quiet", f"{name.strip()}^{{commit}}")
    if code != 0 or not sha.strip():
        return None, None, 0, 0
    upstream_sha = sha.strip()
    code, counts, _ = _git(repo, "rev-list", "--left-right", "--count", f"{head}...{upstream_sha}")
    ahead, behind = (int(n) for n in counts.split()) if code == 0 else (0, 0)
    return name.strip(), upstream_sha, ahead, behind


def local_tag_commit(start: StrPath, tag: str) -> str | None:
    """The commit the local tag ``tag`` (a validated short name) points at; ``None`` if absent."""
    repo = open_repository(start)
    try:
        code, out, _ = _git(repo, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}")
        return out.strip() if code == 0 and out.strip() else None
    finally:
        repo.close()


def remote_ref(start: StrPath, ref: str, timeout: float = NETWORK_TIMEOUT) -> RemoteRef:
    """Ask ``origin`` whether it has ``ref`` (a full ``refs/...`` name), within ``timeout``.

    A missing ``origin``, an unreachable host or a timeout give ``exists=None`` with the
    reason, never an exception and never a prompt.
    """
    if not ref.startswith("refs/"):
        raise ValueError(f"not a full ref name: {ref!r}")  # a bug in the caller
    repo = open_repository(start)
    try:
        if REMOTE not in {remote.name for remote in repo.remotes}:
            return RemoteRef(None, reason=f"no {REMOTE!r} remote")
        # The pattern starts with "refs/", so git never reads it as an option.
        # ``REF^{}`` asks for the commit an annotated tag peels to, too.
        code, out, err = _git(repo, "ls-remote", REMOTE, ref, f"{ref}^{{}}", timeout=timeout)
    finally:
        repo.close()
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
