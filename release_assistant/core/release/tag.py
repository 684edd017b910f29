"""``tag``: the plan that creates the annotated release tag and, on request, pushes it.

:func:`plan_tag` is called after every blocking check passed; it reads the repository and
builds the steps (the tag message is the changelog section of the version). Running the plan
creates the tag through GitPython and pushes exactly ``refs/tags/<tag>`` after making sure the
release branch on ``origin`` did not move since the checks ran.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from release_assistant.core.release.plan import Action, ActionFailed, Plan
from release_assistant.core.support.errors import StepFailed

if TYPE_CHECKING:
    from release_assistant.core.context import RepoContext
    from release_assistant.core.git.state import GitState


class TagRefused(StepFailed):
    """The tag cannot be planned; ``str()`` is one line saying why and what to do."""


@dataclass(frozen=True, slots=True)
class TagRequest:
    """What the user asked for: the tag (validated short name), push and sign switches."""

    tag: str
    push: bool = False
    sign: bool = False


def release_notes(ctx: RepoContext) -> str:
    """The changelog section of the version under release (the tag message and release body);
    empty when there is none."""
    version = ctx.release.version
    changelog = ctx.changelog
    if version is None or changelog is None:
        return ""
    section = changelog.find(version)
    body = section.body if section is not None else None
    return (body or "").strip("\n") + "\n" if body and body.strip() else ""


def plan_tag(ctx: RepoContext, state: GitState, request: TagRequest) -> Plan:
    """The steps that tag ``state.head`` (and push the tag); :class:`TagRefused` when the
    repository cannot be tagged as asked."""
    from release_assistant.core.git import GitProblem
    from release_assistant.core.git.state import local_tag_commit
    from release_assistant.core.git.tagging import (
        create_tag,
        push_tag,
        signing_configured,
        upstream_moved,
    )

    tag, root = request.tag, ctx.root_dir
    if state.head is None:
        raise TagRefused("the repository has no commit to tag")
    head = state.head
    sign = request.sign or signing_configured(root)
    existing = local_tag_commit(root, tag)
    if existing is not None and existing != head:
        raise TagRefused(
            f"tag {tag} already exists at {existing[:12]}; delete it: git tag -d {tag}"
        )
    notes = release_notes(ctx)
    actions: list[Action] = []
    plan_notes: list[str] = []
    created: list[bool] = []
    if request.push:
        if state.branch is None or state.upstream is None:
            raise TagRefused("--push needs the release branch to track origin (git push -u)")
        branch = state.branch

        def guard() -> str:
            # Before the tag exists: a refusal here leaves nothing to undo.
            try:
                moved = upstream_moved(root, branch, head)
            except GitProblem as problem:
                moved = str(problem)
            if moved is not None:
                raise ActionFailed(
                    f"not tagging: {moved}; nothing was created",
                    recovery=(
                        f"pull, run the checks again, then: release-assistant tag {tag} --push",
                    ),
                )
            return f"origin/{branch} is still at {head[:12]}"

        actions.append(
            Action(f"git ls-remote origin refs/heads/{branch}", False, guard, step="guard")
        )
    if existing is None:

        def create() -> str:
            try:
                create_tag(root, tag, head, notes, sign=sign)
            except GitProblem as problem:
                raise ActionFailed(str(problem)) from None
            created.append(True)
            return f"created {'signed ' if sign else ''}tag {tag} on {head[:12]}"

        flag = "-s" if sign else "-a"
        actions.append(
            Action(f"git tag {flag} {tag} -F <notes> {head[:12]}", True, create, step="tag")
        )
    else:
        plan_notes.append(f"tag {tag} already names HEAD: it is not created again")
    if request.push:

        def push() -> str:
            try:
                push_tag(root, tag)
            except GitProblem as problem:
                raise ActionFailed(
                    *_undo_tag(root, tag, str(problem), created=bool(created))
                ) from None
            return f"pushed refs/tags/{tag} to origin"

        actions.append(Action(f"git push origin refs/tags/{tag}", True, push, step="push"))
    if not notes:
        plan_notes.append("the changelog has no notes for this version: the tag message is short")
    return Plan(f"tag {tag}", tuple(actions), notes=tuple(plan_notes))


def _undo_tag(root: str, tag: str, problem: str, *, created: bool) -> tuple[str, tuple[str, ...]]:
    """The failure message and recovery after a refused push: the tag this plan created is
    deleted again (nothing reached origin), a tag that existed before is kept."""
    from release_assistant.core.git import GitProblem
    from release_assistant.core.git.changes import delete_local_tag

    retry = f"to try again: release-assistant tag {tag} --push (or git push origin refs/tags/{tag})"
    if not created:
        return f"{problem}; the local tag {tag} is kept", (retry,)
    try:
        delete_local_tag(root, tag)
    except GitProblem as undo:
        return f"{problem}; {undo}", (retry, f"to delete the local tag: git tag -d {tag}")
    return f"{problem}; nothing reached origin: the local tag {tag} was deleted again", (
        f"to try again: release-assistant tag {tag} --push",
    )
