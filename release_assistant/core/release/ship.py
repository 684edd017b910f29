"""``ship``: the whole release as one ordered plan, from notes under ``Unreleased`` to the
publishing run started on GitHub.

The steps, in order (each says what it will change before it changes it):

1. preflight: ``git fetch origin``, then the checks that do not depend on the bump (``git``,
   ``ci``, ``lock``, ``workflow``, ``publisher`` with the index asked about the new version,
   ``gates``) for the version about to be released;
2. the bump (version files and the changelog, in its own dialect), all or nothing;
3. the relock of every lock file that records the bumped version, with its own tool;
4. the release commit of exactly the files the plan changed (``Release X.Y.Z``);
5. the push guard (fetch; the release branch on origin must still be the release commit's
   parent), then the annotated tag (``<project> X.Y.Z`` and the notes), made before the
   build so that a version computed from git tags (setuptools-scm, hatch-vcs) is built right;
6. the pre-release commands (configured ones, ``pre-commit run --all-files``) and the local
   build, both blocking;
7. every blocking check at the release commit for the new tag (``version``, ``changelog``,
   ``dist`` ... and the index again), the verification report for that commit, and the push
   guard again;
8. one atomic push of the branch and the tag: origin takes both or neither;
9. the publishing run started the way the workflow expects (the tag push itself, a published
   GitHub release, or a dispatch), then ``watch``.

A failure before step 8 succeeds restores the repository as it was (files, release commit,
tag) and says what it undid. After the push, history is never rewritten: the exact commands
to finish or undo are given instead. Nothing here prints.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from release_assistant.core.release.plan import (
    Action,
    ActionFailed,
    Execution,
    Plan,
    StepOutcome,
    execute,
)
from release_assistant.core.support.errors import StepFailed

if TYPE_CHECKING:
    from packaging.version import Version

    from release_assistant.core.context import RepoContext
    from release_assistant.core.findings import CheckResult
    from release_assistant.core.git.state import GitState
    from release_assistant.core.release.bump import BumpPlan
    from release_assistant.core.release.relock import RelockStep
    from release_assistant.core.workflows.run_start import PublishTrigger

#: The checks of the preflight: they judge what the bump does not change.
PREFLIGHT_CHECKS: tuple[str, ...] = ("git", "ci", "lock", "workflow", "publisher", "gates")
#: Checks that cannot judge the release commit before it is pushed: ``git`` wants HEAD on
#: origin and ``ci`` wants CI results for it. Both judged its parent in the preflight, and
#: the procedure holds the parent to origin itself (the push guard).
NOT_AT_RELEASE_COMMIT: tuple[str, ...] = ("git", "ci")
DEFAULT_COMMIT_MESSAGE = "Release {version}"


class ShipRefused(StepFailed):
    """The release cannot be planned; ``str()`` is one line saying why and what to do."""


@dataclass(frozen=True, slots=True)
class ShipRequest:
    """What the maintainer asked for: the bump (a part name or a version), whether to sign
    the tag, and whether the local build isolates its build dependencies."""

    choice: str
    sign: bool = False
    build_isolation: bool = True
    token: str | None = None


@dataclass(slots=True)
class _Progress:
    """What the run has changed so far, for the rollback."""

    files_written: bool = False
    commit: str | None = None
    tag_created: bool = False
    pushed: bool = False
    results: list[CheckResult] = field(default_factory=list)
    report_paths: tuple[str, ...] = ()
    started: str | None = None


@dataclass(frozen=True, slots=True)
class ShipOutcome:
    """How the run ended: the execution, what the rollback undid (if it ran), and the
    commands left to the maintainer (finish or undo after a push; watch after success)."""

    execution: Execution
    undone: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()
    report_paths: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every step was done."""
        return self.execution.ok


@dataclass(slots=True)
class ShipProcedure:
    """The planned release: its plan (shown, then run), versions, tag, and run state."""

    ctx: RepoContext
    request: ShipRequest
    current: Version
    new: Version
    tag: str
    branch: str
    start_commit: str
    git_root: str
    plan: Plan
    watch_command: str
    on_line: Callable[[str], None] | None = None
    progress: _Progress = field(default_factory=_Progress)
    #: Why a relock the release needs cannot run (its tool is missing): the preflight fails.
    relock_problems: list[str] = field(default_factory=list)
    #: Files (relative to the git root) that steps other than the bump's own edits change:
    #: the relocked lock files, the news fragments a changelog tool removes.
    extra_paths: list[str] = field(default_factory=list)
    #: How the publishing run starts (worked out when the plan is made).
    trigger: PublishTrigger | None = None
    #: Steps left to the maintainer that the run found (a release form, a dispatch by hand).
    later: list[str] = field(default_factory=list)

    def run(
        self,
        on_step: Callable[[Action], None] | None = None,
        on_done: Callable[[StepOutcome], None] | None = None,
    ) -> ShipOutcome:
        """Execute the plan; on a failure before the push, roll every local change back."""
        try:
            execution = execute(self.plan, on_step, on_done)
        except BaseException:
            # An interrupt (Ctrl-C) or a bug: put the repository back before it propagates.
            if not self.progress.pushed:
                self.rollback()
            raise
        if execution.ok:
            steps = [*self.later, f"follow the run to the files on the index: {self.watch_command}"]
            return ShipOutcome(
                execution, next_steps=tuple(steps), report_paths=self.progress.report_paths
            )
        if not self.progress.pushed:
            undone = self.rollback()
            return ShipOutcome(execution, undone=tuple(undone))
        return ShipOutcome(execution, next_steps=self._after_push_failure())

    def rollback(self) -> list[str]:
        """Undo every local change made so far (tag, release commit, written files); the
        one-line descriptions of what was undone."""
        from release_assistant.core.git import GitProblem
        from release_assistant.core.git.changes import delete_local_tag, reset_to

        undone: list[str] = []
        root = self.ctx.root_dir
        if self.progress.tag_created:
            try:
                delete_local_tag(root, self.tag)
                undone.append(f"deleted the local tag {self.tag}")
            except GitProblem as problem:
                undone.append(f"could not delete the local tag: {problem} (git tag -d {self.tag})")
            self.progress.tag_created = False
        if self.progress.commit is not None or self.progress.files_written:
            try:
                reset_to(root, self.start_commit)
                what = (
                    "removed the release commit and restored the files"
                    if self.progress.commit not in (None, self.start_commit)
                    else "restored the files the bump wrote"
                )
                undone.append(f"{what} ({self.branch} is back at {self.start_commit[:12]})")
            except GitProblem as problem:
                undone.append(
                    f"could not restore the files: {problem} "
                    f"(git reset --hard {self.start_commit[:12]})"
                )
            self.progress.commit = None
            self.progress.files_written = False
        return undone

    def _fetch(self) -> str:
        from release_assistant.core.git import GitProblem
        from release_assistant.core.git.changes import fetch_origin

        try:
            fetch_origin(self.ctx.root_dir)
        except GitProblem as problem:
            raise ActionFailed(str(problem)) from None
        return "fetched origin"

    def _preflight(self) -> str:
        from release_assistant.core.context import RepoContext
        from release_assistant.core.engine import REGISTRY, run_checks

        ctx = RepoContext.load(
            self.ctx.root_dir,
            tag=self.tag,
            today=self.ctx.today,
            environ=self.ctx.environ,
            releasing=True,
        )
        if self.relock_problems:
            raise ActionFailed(f"not releasing {self.new}: " + "; ".join(self.relock_problems))
        specs = [spec for spec in REGISTRY if spec.id in PREFLIGHT_CHECKS]
        results = run_checks(ctx, specs)
        self.progress.results = [r for r in results if r.id in NOT_AT_RELEASE_COMMIT]
        _refuse_on_blocking(results, f"not releasing {self.new}")
        return "preflight passed: " + _summary(results)

    def _commit(self, expected: Sequence[str]) -> str:
        from release_assistant.core.git import GitProblem
        from release_assistant.core.git.changes import changed_paths, commit_release

        root = self.ctx.root_dir
        try:
            paths = changed_paths(root)
        except GitProblem as problem:
            raise ActionFailed(str(problem)) from None
        allowed = {_repo_relative(self.git_root, root, path) for path in expected}
        allowed.update(self.extra_paths)
        unexpected = sorted(set(paths) - allowed)
        if unexpected:
            raise ActionFailed(
                f"files the plan did not change are modified: {', '.join(unexpected[:5])}; "
                "the release commit would hold them"
            )
        if not paths:
            # A version from git tags with its notes already dated: the tag is the release.
            self.progress.commit = self.start_commit
            return f"no file changed: the tag goes on {self.start_commit[:12]}"
        message = _message(self.ctx, self.new)
        try:
            commit = commit_release(root, paths, message)
        except GitProblem as problem:
            raise ActionFailed(str(problem)) from None
        self.progress.commit = commit
        return f"committed {', '.join(paths)} as {commit[:12]} ({message!r})"

    def _run_command(self, command: str) -> str:
        import shlex
        import shutil

        from release_assistant.core.release.pre_release_commands import PRE_COMMIT, run_command

        try:
            program = shlex.split(command)[0]
        except (ValueError, IndexError):
            raise ActionFailed(f"cannot read the command {command!r}") from None
        if shutil.which(program) is None:
            install = (
                "pip install pre-commit" if command == PRE_COMMIT else f"install {program} first"
            )
            raise ActionFailed(f"{program} is not installed: {install}")
        printed: list[str] = []

        def line(text: str) -> None:
            printed.append(text)
            if self.on_line is not None:
                self.on_line(text)

        code = run_command(command, self.ctx.root_dir, line)
        if code != 0:
            tail = " | ".join(text.strip() for text in printed[-4:] if text.strip())
            how = f"exit code {code}" if code is not None else "did not finish"
            raise ActionFailed(f"{command} failed ({how}): {tail}")
        return f"{command}: passed"

    def _build(self) -> str:
        from release_assistant.core.release.build import BuildRefused, build_available, plan_build

        if not build_available():
            raise ActionFailed("PyPA's build is not installed: pip install build")
        try:
            plan = plan_build(
                self.ctx.root_dir, isolation=self.request.build_isolation, on_line=self.on_line
            )
        except BuildRefused as refusal:
            raise ActionFailed(str(refusal)) from None
        execution = execute(plan)
        if not execution.ok:
            raise ActionFailed(execution.error or "the build failed", execution.recovery)
        return "; ".join(outcome.result for outcome in execution.done if outcome.result)

    def _verify(self) -> str:
        from release_assistant.core.context import RepoContext
        from release_assistant.core.engine import REGISTRY, run_checks
        from release_assistant.core.git import GitProblem
        from release_assistant.core.git.changes import changed_paths
        from release_assistant.core.git.readonly import state_dir
        from release_assistant.core.report.files import write_report_files
        from release_assistant.core.report.run_report import build_report
        from release_assistant.core.support.textfiles import FileProblem

        root = self.ctx.root_dir
        try:
            left = changed_paths(root)
        except GitProblem as problem:
            raise ActionFailed(str(problem)) from None
        if left:
            raise ActionFailed(
                f"the pre-release steps changed {', '.join(left[:5])}: the release commit is not "
                "what was checked"
            )
        ctx = RepoContext.load(
            root, tag=self.tag, today=self.ctx.today, environ=self.ctx.environ, releasing=True
        )
        results = run_checks(
            ctx, [spec for spec in REGISTRY if spec.id not in NOT_AT_RELEASE_COMMIT]
        )
        everything = [*self.progress.results, *results]
        report = build_report(
            ctx.root, self.tag, str(self.new), everything, git_commit=self.progress.commit
        )
        directory = state_dir(root)
        if directory is not None:
            try:
                paths = write_report_files(report, directory)
            except FileProblem as problem:
                raise ActionFailed(f"cannot write the verification report: {problem}") from None
            self.progress.report_paths = tuple(str(path) for path in paths)
        _refuse_on_blocking(results, f"not tagging {self.tag}")
        commit = (self.progress.commit or "")[:12]
        return f"every blocking check passed at {commit}: {_summary(results)}"

    def _push_guard(self) -> str:
        from release_assistant.core.git import GitProblem
        from release_assistant.core.git.changes import fetch_origin, remote_branch_commit

        root = self.ctx.root_dir
        try:
            fetch_origin(root)
            remote = remote_branch_commit(root, self.branch)
        except GitProblem as problem:
            raise ActionFailed(str(problem)) from None
        if remote != self.start_commit:
            where = remote[:12] if remote else "nowhere (the branch is gone)"
            raise ActionFailed(
                f"origin/{self.branch} moved to {where} since the release started from "
                f"{self.start_commit[:12]}: pull, then ship again"
            )
        return f"origin/{self.branch} is still at {self.start_commit[:12]}"

    def _create_tag(self) -> str:
        from release_assistant.core.context import RepoContext
        from release_assistant.core.git import GitProblem
        from release_assistant.core.git.tagging import create_tag, signing_configured
        from release_assistant.core.release.tag import release_notes

        root = self.ctx.root_dir
        commit = self.progress.commit
        assert commit is not None
        ctx = RepoContext.load(root, tag=self.tag, today=self.ctx.today, environ=self.ctx.environ)
        message = tag_message(_project_name(ctx), str(self.new), release_notes(ctx))
        sign = self.request.sign or signing_configured(root)
        try:
            create_tag(root, self.tag, commit, message, sign=sign)
        except GitProblem as problem:
            raise ActionFailed(str(problem)) from None
        self.progress.tag_created = True
        return f"created {'signed ' if sign else ''}tag {self.tag} on {commit[:12]}"

    def _push(self) -> str:
        from release_assistant.core.git import GitProblem
        from release_assistant.core.git.changes import push_release
        from release_assistant.core.git.state import remote_ref

        root = self.ctx.root_dir
        try:
            push_release(root, self.branch, self.tag)
        except GitProblem as problem:
            # A push cut off after origin took it: then nothing may be undone locally.
            answer = remote_ref(root, f"refs/tags/{self.tag}")
            if answer.exists and answer.commit == self.progress.commit:
                self.progress.pushed = True
                return f"pushed {self.branch} and {self.tag} (origin has them; git said: {problem})"
            raise ActionFailed(str(problem)) from None
        self.progress.pushed = True
        return f"pushed {self.branch} and tag {self.tag} to origin"

    def _publish_release(self) -> str:
        """Publish the GitHub release of the pushed tag (a ``release: published`` workflow);
        without a token, GitHub's form, prefilled, is the next step."""
        from release_assistant.core.context import RepoContext
        from release_assistant.core.release.github import (
            ReleaseRefused,
            new_release_url,
            plan_release,
            prepare_release,
        )

        ctx = RepoContext.load(
            self.ctx.root_dir, tag=self.tag, environ=self.ctx.environ, releasing=True
        )
        try:
            release = prepare_release(ctx, self.tag)
            if self.request.token is None:
                url = new_release_url(release, ctx.changelog_file.relpath or "the changelog")
                self.later.append(f"publish the GitHub release (no GH_TOKEN): {url}")
                return "no GH_TOKEN or GITHUB_TOKEN: the release is published in the browser"
            plan = plan_release(ctx, release, self.request.token)
        except ReleaseRefused as refusal:
            raise ActionFailed(str(refusal)) from None
        execution = execute(plan)
        if not execution.ok:
            raise ActionFailed(execution.error or "the release failed", execution.recovery)
        return "; ".join(outcome.result for outcome in execution.done if outcome.result)

    def _dispatch(self) -> str:
        """Dispatch the publishing workflow on the tag, or say how to by hand."""
        from release_assistant.core.release.start_run import DispatchRefused, plan_dispatch

        assert self.trigger is not None
        try:
            plan = plan_dispatch(self.ctx, self.trigger, self.tag, self.request.token)
        except DispatchRefused as refusal:
            raise ActionFailed(str(refusal)) from None
        if not plan.actions:
            self.later.extend(plan.notes)
            return "the run is started by hand: see the next steps"
        execution = execute(plan)
        if not execution.ok:
            raise ActionFailed(execution.error or "the dispatch failed", execution.recovery)
        return "; ".join(outcome.result for outcome in execution.done if outcome.result)

    def _no_known_start(self) -> str:
        assert self.trigger is not None
        self.later.append(f"start the publishing run: {self.trigger.detail}")
        return "no workflow start known: see the next steps"

    def _after_push_failure(self) -> tuple[str, ...]:
        """The commands that finish the release, or undo it, once origin has it."""
        return (
            f"the release commit and tag {self.tag} are on origin; history is not rewritten",
            f"to finish: start the publishing run by hand, then {self.watch_command}",
            f"to withdraw it instead: git push origin :refs/tags/{self.tag} && "
            f"git tag -d {self.tag} && git revert {(self.progress.commit or 'HEAD')[:12]} "
            f"(then release a new version: the index never takes {self.new} twice)",
        )


def plan_ship(
    ctx: RepoContext,
    request: ShipRequest,
    *,
    on_line: Callable[[str], None] | None = None,
) -> ShipProcedure:
    """Plan the release of ``ctx``'s project; :class:`ShipRefused` when it cannot be made.

    Reads the repository and the files, changes nothing. ``on_line`` receives the output of
    the commands the plan runs (relock, pre-release commands, build) as it comes.
    """
    from release_assistant.core.git import GitProblem
    from release_assistant.core.git.refnames import BadTagName, validated_tag_name
    from release_assistant.core.git.state import read_state
    from release_assistant.core.project.tags import format_tag
    from release_assistant.core.release.bump import BumpError, plan_bump, tag_format_in_use

    try:
        state = read_state(ctx.root_dir)
    except GitProblem as problem:
        raise ShipRefused(str(problem)) from None
    branch, start = _release_branch(state)
    try:
        bump = plan_bump(ctx, request.choice, taken=_index_has(ctx), command="ship")
    except BumpError as error:  # a refusal (an unknown bump is the user's input: it goes on)
        raise ShipRefused(str(error)) from None
    _require_notes(ctx, bump)
    tag = format_tag(tag_format_in_use(ctx), str(bump.new))
    try:
        validated_tag_name(tag)
    except BadTagName as error:
        raise ShipRefused(f"the tag {tag!r} is not a valid git tag name: {error}") from None
    procedure = ShipProcedure(
        ctx=ctx,
        request=request,
        current=bump.current,
        new=bump.new,
        tag=tag,
        branch=branch,
        start_commit=start,
        git_root=state.root,
        plan=Plan("", ()),
        watch_command=f"release-assistant watch {tag}",
        on_line=on_line,
    )
    bump_plan = bump.plan()
    actions: list[Action] = [
        Action("git fetch origin", False, procedure._fetch, step="fetch"),
        Action(
            f"check {', '.join(PREFLIGHT_CHECKS)} for {tag} (the index asked about {bump.new})",
            False,
            procedure._preflight,
            step="preflight",
        ),
    ]
    actions.extend(_tracked(procedure, bump_plan.actions))
    relocks = _relock_steps(ctx, bump.new)
    procedure.relock_problems = [step.problem for step in relocks if step.problem is not None]
    if relocks:
        from release_assistant.core.release.relock import relock_actions

        for step in relocks:
            procedure.extra_paths.append(_repo_relative(state.root, ctx.root_dir, step.lock))
        relock = relock_actions(ctx.root_dir, relocks, on_line or _discard, environ=ctx.environ)
        actions.extend(dataclasses.replace(action, step="relock") for action in relock)
    changed = list(bump.changed_paths)
    actions.append(
        Action(
            f"git commit -m {_message(ctx, bump.new)!r} -- <the files above>",
            True,
            lambda: procedure._commit(changed),
            step="commit",
        )
    )
    guard = Action(
        f"git fetch origin (origin/{branch} must still be at {start[:12]})",
        False,
        procedure._push_guard,
        step="guard",
    )
    # The tag comes before the build: a version computed from git tags (setuptools-scm,
    # hatch-vcs) is only right in the built files once the tag names the release commit.
    # The guard before it keeps a tag from being made for a branch that moved.
    actions.append(guard)
    flag = "-s" if request.sign else "-a"
    actions.append(
        Action(
            f"git tag {flag} {tag} -F <notes> <release commit>",
            True,
            procedure._create_tag,
            step="tag",
        )
    )
    actions.extend(_pre_release_actions(procedure))
    actions.append(
        Action(
            f"check every blocking check for {tag} at the release commit; write the "
            "verification report",
            False,
            procedure._verify,
            step="verify",
        )
    )
    actions.append(guard)
    actions.append(
        Action(
            f"git push --atomic origin refs/heads/{branch} refs/tags/{tag}",
            True,
            procedure._push,
            step="push",
        )
    )
    actions.extend(_start_run_actions(procedure))
    notes = [
        *bump_plan.notes,
        f"version {bump.current} -> {bump.new}, tag {tag} on {branch}",
        "a failure before the push puts everything back as it was",
    ]
    procedure.plan = Plan(
        f"ship {bump.current} -> {bump.new} ({tag})",
        tuple(actions),
        diffs=bump_plan.diffs,
        notes=tuple(notes),
    )
    return procedure


def _require_notes(ctx: RepoContext, bump: BumpPlan) -> None:
    """Refuse, before anything runs, a release whose changelog will have no notes for it
    (nothing was written under ``Unreleased``): the checks at the release commit would
    refuse it only after the commit and the build."""
    from release_assistant.core.changelog.parser import parse_changelog, syntax_of

    relpath = ctx.changelog_file.relpath
    if relpath is None or bump.steps or not os.path.isfile(ctx.path(relpath)):
        return  # no changelog (the checks say what that means), or a tool writes the notes
    # A changelog that is a link is written at its target: match the edit by real path.
    real = os.path.realpath(ctx.path(relpath))
    edited = [edit.new for edit in bump.edits if os.path.realpath(edit.path) == real]
    if edited:
        text = edited[0]
    else:
        from release_assistant.core.support.textfiles import FileProblem, read_text

        try:
            text = read_text(ctx.path(relpath))
        except FileProblem as problem:
            raise ShipRefused(str(problem)) from None
    section = parse_changelog(text, syntax_of(relpath)).find(bump.new)
    if section is None:
        raise ShipRefused(
            f"{relpath} has no notes for {bump.new}: write them under an Unreleased heading "
            "first (the release moves them under the new version)"
        )
    if section.is_empty:
        raise ShipRefused(
            f"the notes for {bump.new} in {relpath} are empty: write what changed under the "
            "Unreleased heading first"
        )


def _index_has(ctx: RepoContext) -> Callable[[Version], str | None]:
    """Whether the package index already has a version (its reason), for the bump to skip
    to the next free one. One unanswered question (offline) stops the asking: the preflight
    asks again and says why it could not tell."""
    from release_assistant.core.project.names import project_name
    from release_assistant.core.publisher.taken import version_on_index
    from release_assistant.core.urls import index_api_url

    data = ctx.pyproject.data if ctx.pyproject is not None else None
    name = project_name(data, ctx.root_dir)
    base = index_api_url(ctx.environ)
    unanswered: list[bool] = []

    def taken(version: Version) -> str | None:
        if name is None or unanswered:
            return None
        verdict = version_on_index(base, name, version)
        if verdict.state == "unknown":
            unanswered.append(True)
        if verdict.state != "taken":
            return None
        return f"{verdict.index_host} already has {name} {verdict.on_index or version}"

    return taken


def _relock_steps(ctx: RepoContext, new: Version) -> tuple[RelockStep, ...]:
    """The relocks the bump makes necessary; :class:`ShipRefused` on an unreadable lock."""
    from release_assistant.core.release.relock import RelockError, plan_relock

    try:
        return tuple(plan_relock(ctx.root_dir, new, environ=ctx.environ))
    except RelockError as error:
        raise ShipRefused(str(error)) from None


def _discard(line: str) -> None:
    return None


def _release_branch(state: GitState) -> tuple[str, str]:
    """The branch and commit the release starts from; :class:`ShipRefused` when the work
    tree holds other changes or the branch does not track origin."""
    if state.head is None:
        raise ShipRefused("the repository has no commit yet")
    if state.branch is None:
        raise ShipRefused(f"HEAD is detached at {state.head[:12]}: switch to the release branch")
    if state.dirty:
        shown = ", ".join(state.dirty[:5]) + (" ..." if len(state.dirty) > 5 else "")
        raise ShipRefused(
            f"{len(state.dirty)} file(s) already modified ({shown}): the release commit holds "
            "only what the release changes; commit or stash them first (git stash)"
        )
    if state.upstream is None or not state.has_origin:
        raise ShipRefused(
            f"branch {state.branch!r} does not track a branch on origin: "
            f"git push -u origin {state.branch}"
        )
    return state.branch, state.head


def _message(ctx: RepoContext, new: Version) -> str:
    template = getattr(ctx.config, "commit_message", None) or DEFAULT_COMMIT_MESSAGE
    return str(template).replace("{version}", str(new))


def _tracked(procedure: ShipProcedure, actions: Sequence[Action]) -> list[Action]:
    """The bump's changing steps, marking the run as having written files once they ran
    (a failed all-or-nothing write changes nothing, so it is marked only after success)."""

    def wrap(action: Action) -> Action:
        def run() -> str | None:
            procedure.progress.files_written = True
            return action.run()

        return Action(action.description, action.changes, run, step="bump")

    return [wrap(action) for action in actions]


def _pre_release_actions(procedure: ShipProcedure) -> list[Action]:
    """The configured commands and pre-commit, then the clean local build: blocking steps."""
    from release_assistant.core.release.pre_release_commands import release_commands

    actions = [_command_action(procedure, command) for command in release_commands(procedure.ctx)]
    flags = "" if procedure.request.build_isolation else " --no-isolation"
    actions.append(
        Action(
            f"python -m build --outdir dist{flags} . (dist/ cleaned first)",
            True,
            procedure._build,
            step="build",
        )
    )
    return actions


def _command_action(procedure: ShipProcedure, command: str) -> Action:
    def run() -> str:
        return procedure._run_command(command)

    return Action(command, False, run, step="commands")


def _start_run_actions(procedure: ShipProcedure) -> list[Action]:
    """The step that starts the publishing run the way its workflow expects (its
    ``step`` is ``publish``)."""
    return [dataclasses.replace(a, step="publish") for a in _run_starters(procedure)]


def _run_starters(procedure: ShipProcedure) -> list[Action]:
    from release_assistant.core.workflows.run_start import publish_trigger

    ctx, tag = procedure.ctx, procedure.tag
    trigger = publish_trigger(ctx.workflows, tag, ctx.root_dir)
    procedure.trigger = trigger
    workflow = trigger.workflow or "the publishing workflow"
    if ctx.origin.on_github is None and trigger.kind in ("release", "dispatch"):
        return [Action(f"start {workflow} where origin is hosted ({trigger.kind})", False,
                       procedure._no_known_start)]  # fmt: skip
    if trigger.kind == "tag-push" or trigger.release_by is not None:
        starter = trigger.release_by if trigger.kind == "release" else None
        how = f"the tag push starts {starter or workflow}"
        return [Action(f"{how}: nothing more to start", False, lambda: f"{how}")]
    if trigger.kind == "release" and not trigger.creates_release:
        return [Action(f"POST /repos/.../releases (tag_name={tag}): starts {workflow}", True,
                       procedure._publish_release)]  # fmt: skip
    if trigger.kind == "dispatch":
        return [Action(f"POST .../actions/workflows/{trigger.file_name}/dispatches (ref={tag})",
                       True, procedure._dispatch)]  # fmt: skip
    return [Action(f"start the publishing run yourself: {trigger.detail}", False,
                   procedure._no_known_start)]  # fmt: skip


def _repo_relative(git_root: str, project_root: str, relpath: str) -> str:
    return os.path.relpath(os.path.join(project_root, relpath), git_root).replace(os.sep, "/")


def _project_name(ctx: RepoContext) -> str:
    from release_assistant.core.project.names import project_name

    data = ctx.pyproject.data if ctx.pyproject is not None else None
    return project_name(data, ctx.root_dir) or os.path.basename(ctx.root_dir)


def tag_message(project: str, version: str, notes: str) -> str:
    """The annotated tag's message: ``<project> X.Y.Z``, a blank line, then the notes."""
    first = f"{project} {version}"
    return f"{first}\n\n{notes.strip()}\n" if notes.strip() else f"{first}\n"


def _refuse_on_blocking(results: Sequence[CheckResult], what: str) -> None:
    blocking = [result for result in results if result.blocks_release]
    if not blocking:
        return
    parts: list[str] = []
    for result in blocking:
        errors = [f for f in result.findings if f.severity.value == "error"]
        if errors:
            first = errors[0]
            where = f"{first.location()}: " if first.location() else ""
            more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
            parts.append(f"{result.id}: {where}{first.code} {first.message}{more}")
        else:
            parts.append(f"{result.id}: {result.status.value}")
    raise ActionFailed(
        f"{what}: " + "; ".join(parts),
        recovery=("release-assistant check --tag <tag> shows every finding and its fix",),
    )


def _summary(results: Sequence[CheckResult]) -> str:
    return ", ".join(f"{result.id} {result.status.value}" for result in results)
