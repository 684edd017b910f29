"""``git``: the commit that would be tagged is the release branch, clean, pushed and untagged.

Codes: RA101 not on the release branch, RA102 detached HEAD, RA103 uncommitted changes,
RA104 untracked files (warning), RA105 no upstream / remote unreachable (warning), RA106
unpushed commits, RA107 unpulled commits, RA108 shallow clone, RA109 tag exists locally at
another commit, RA110 tag exists on origin at another commit, RA111 no commits, RA112 the tag
already names HEAD (info).

A directory that is not a git repository is a ``skip`` with the reason: the other checks
still judge the files, and ``release-assistant tag`` refuses on its own.
"""

from __future__ import annotations

from release_assistant.core.check_table import GIT
from release_assistant.core.collector import FindingCollector
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Severity
from release_assistant.core.rules.git import (
    DETACHED_HEAD,
    NO_COMMITS_YET,
    NO_UPSTREAM,
    NOT_ON_RELEASE_BRANCH,
    SHALLOW_CLONE,
    TAG_ALREADY_ON_HEAD,
    TAG_EXISTS_LOCALLY,
    TAG_EXISTS_ON_ORIGIN,
    UNCOMMITTED_CHANGES,
    UNPULLED_COMMITS,
    UNPUSHED_COMMITS,
    UNTRACKED_FILES,
    VERSION_ALREADY_TAGGED,
)

ID = GIT.id
TITLE = GIT.title
#: Branch names accepted as the release branch when neither the config nor origin/HEAD
#: names one.
DEFAULT_BRANCHES = ("main", "master")


def run(ctx: RepoContext) -> CheckResult:
    """Judge the repository's branch, work tree, upstream and tags."""
    from release_assistant.core.git import GitProblem
    from release_assistant.core.git.state import read_state, remote_ref, tag_commit_in

    out = FindingCollector(ID, TITLE)
    try:
        state = read_state(ctx.root_dir)
    except GitProblem as problem:
        return out.result(skip_reason=f"{problem}: the git state cannot be checked")
    if state.head is None:
        out.add(NO_COMMITS_YET, "the repository has no commit yet", hint="git add -A && git commit")
        return out.result()

    wanted = release_branch(ctx.config.main_branch, state.remote_head_branch)
    if state.branch is None:
        out.add(
            DETACHED_HEAD,
            f"HEAD is detached at {state.head[:12]}",
            hint=f"git switch {wanted[0]}",
        )
    elif state.branch not in wanted:
        out.add(
            NOT_ON_RELEASE_BRANCH,
            f"on branch {state.branch!r}, not the release branch {' or '.join(wanted)}",
            hint=f"git switch {wanted[0]} (or set main_branch in [tool.release-assistant])",
        )
    if state.dirty:
        out.add(
            UNCOMMITTED_CHANGES,
            f"{len(state.dirty)} changed file(s) not committed: {_some(state.dirty)}",
            hint="commit them (git commit -a) or git stash",
        )
    if state.untracked:
        out.warn(
            UNTRACKED_FILES,
            f"{len(state.untracked)} untracked file(s): {_some(state.untracked)}",
            hint="commit, ignore or remove them (git clean -n lists them)",
        )
    if state.shallow:
        out.add(SHALLOW_CLONE, "the repository is a shallow clone", hint="git fetch --unshallow")

    if state.branch is not None:
        if not state.has_origin:
            out.warn(
                NO_UPSTREAM,
                "there is no 'origin' remote: whether HEAD is pushed is unknown",
                hint="git remote add origin URL && git push -u origin " + state.branch,
            )
        elif state.upstream is None:
            out.warn(
                NO_UPSTREAM,
                f"branch {state.branch!r} tracks no remote branch: whether HEAD is pushed "
                "is unknown",
                hint=f"git push -u origin {state.branch}",
            )
        else:
            if state.ahead:
                out.add(
                    UNPUSHED_COMMITS,
                    f"{state.ahead} commit(s) ahead of {state.upstream}, not pushed",
                    hint="git push",
                )
            if state.behind:
                out.add(
                    UNPULLED_COMMITS,
                    f"{state.behind} commit(s) behind {state.upstream}, not pulled",
                    hint="git pull --ff-only",
                )

    tag = ctx.release.tag
    if tag is None:
        return out.result()
    from release_assistant.core.git.refnames import tag_name_problem

    if tag_name_problem(tag) is not None:
        return out.result()  # the version check and the CLI report a bad tag name
    local = tag_commit_in(state.root, tag)
    if not ctx.is_releasing:
        # Between releases (no tag asked for) the current version's tag existing is the
        # normal state after a release; asking origin would only cost a network round trip.
        if local is not None and local != state.head:
            out.add(
                VERSION_ALREADY_TAGGED,
                f"{tag} is already tagged (at {local[:12]}): bump the version before the "
                "next release",
                hint="release-assistant bump patch (or minor, major)",
                severity=Severity.INFO,
            )
        return out.result()
    if local is not None and local != state.head:
        out.add(
            TAG_EXISTS_LOCALLY,
            f"tag {tag} already exists locally, at {local[:12]} (HEAD is {state.head[:12]})",
            hint=f"bump the version, or delete the local tag: git tag -d {tag}",
        )
    if state.has_origin:
        remote = remote_ref(ctx.root_dir, f"refs/tags/{tag}")
        if remote.exists is None:
            out.warn(
                NO_UPSTREAM,
                f"cannot tell whether origin has tag {tag}: {remote.reason}",
                hint="check again when the remote is reachable",
            )
        elif remote.exists and remote.commit != state.head:
            where = f", at {remote.commit[:12]}" if remote.commit else ""
            out.add(
                TAG_EXISTS_ON_ORIGIN,
                f"tag {tag} already exists on origin{where}",
                hint="bump the version (release-assistant bump patch)",
            )
        elif remote.exists:
            local = state.head
    if local == state.head:
        out.add(
            TAG_ALREADY_ON_HEAD,
            f"tag {tag} already names HEAD: this verifies a tagged release",
            severity=Severity.INFO,
        )
    return out.result()


def release_branch(configured: str | None, remote_head: str | None) -> tuple[str, ...]:
    """The branch names a release may be made from: the configured one, else origin/HEAD's,
    else ``main`` or ``master``."""
    if configured:
        return (configured,)
    if remote_head:
        return (remote_head,)
    return DEFAULT_BRANCHES


def _some(paths: tuple[str, ...], limit: int = 3) -> str:
    shown = ", ".join(paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")
