"""What the walkthrough's workers do: each function calls core and returns plain data.

No Textual here: workers call these functions off the UI thread and post the results as
messages; tests can call them directly.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from release_assistant.tui.release_state import ReleaseFacts

if TYPE_CHECKING:
    from packaging.version import Version

    from release_assistant.core.context import RepoContext
    from release_assistant.core.findings import CheckResult
    from release_assistant.core.github.api import GitHubApi
    from release_assistant.core.publisher.index_api import IndexApi
    from release_assistant.core.release.plan import Plan
    from release_assistant.core.release.ship import ShipProcedure
    from release_assistant.core.release.watch import WatchTarget
    from release_assistant.core.rules import Rule


@dataclass(frozen=True)
class Session:
    """The repository under release and the inputs every job reads it with.

    ``today`` and ``environ`` are injectable so screens and snapshots are deterministic.
    """

    root: Path
    tag: str | None = None
    today: dt.date | None = None
    environ: Mapping[str, str] | None = None

    def context(self) -> RepoContext:
        """A fresh context (files are read again); ``ConfigError`` on malformed config."""
        from release_assistant.core.context import RepoContext

        # The walkthrough is the release: rules for the version under release apply.
        return RepoContext.load(
            self.root, tag=self.tag, today=self.today, environ=self.environ, releasing=True
        )


#: Set to 1 to build without an isolated environment (``release-assistant build
#: --no-isolation``, ``ship --no-build-isolation``): the build step and the release in one go.
NO_ISOLATION_VARIABLE = "RELEASE_ASSISTANT_BUILD_NO_ISOLATION"


def build_isolation(environ: Mapping[str, str]) -> bool:
    """Whether the walkthrough's builds isolate their build dependencies (the default)."""
    return environ.get(NO_ISOLATION_VARIABLE, "") in ("", "0")


def run_check(ctx: RepoContext, check_id: str) -> CheckResult:
    """Run one registered check (never raises: a broken check is an ``error`` result)."""
    from release_assistant.core.engine import run_check as engine_run_check
    from release_assistant.core.engine import spec_for

    return engine_run_check(spec_for(check_id), ctx)


def release_facts(ctx: RepoContext) -> ReleaseFacts:
    """The version and tag under release, the tag's commit (locally, and whether origin has
    it), the pre-release commands configured, and the publish page URL."""
    from release_assistant.core.git import GitProblem
    from release_assistant.core.git.readonly import head_commit
    from release_assistant.core.git.refnames import tag_name_problem
    from release_assistant.core.git.state import local_tag_commit
    from release_assistant.core.github.api import token_from
    from release_assistant.core.release.github import GitHubRelease, new_release_url
    from release_assistant.core.release.pre_release_commands import release_commands
    from release_assistant.core.release.tag import release_notes
    from release_assistant.core.workflows.run_start import publish_trigger

    target = ctx.release
    tag = target.tag
    tag_commit = None
    if tag is not None and tag_name_problem(tag) is None:
        try:
            tag_commit = local_tag_commit(ctx.root_dir, tag)
        except GitProblem:
            tag_commit = None
    url, problem = None, None
    remote = ctx.origin.on_github
    host = ctx.origin.github_host
    if tag is None:
        problem = "no version to release, so no tag to publish"
    elif remote is None:
        problem = f"origin is not a repository on {host}: no release page to open"
    else:
        version = target.version
        release = GitHubRelease(
            host=host,
            owner=remote.owner,
            repository=remote.repository,
            tag=tag,
            title=tag,
            body=release_notes(ctx),
            prerelease=bool(version is not None and version.is_prerelease),
        )
        url = new_release_url(release, ctx.changelog_file.relpath or "the changelog")
    on_origin, origin_problem = _tag_on_origin(ctx, tag if tag_commit is not None else None)
    trigger = publish_trigger(ctx.workflows, tag, ctx.root_dir)
    token = token_from(ctx.environ)
    release_url, release_problem = None, None
    if tag is not None and on_origin and remote is not None and token is not None:
        release_url, release_problem = _published_release(ctx, tag, token)
    return ReleaseFacts(
        target.version_text,
        tag,
        tag_commit,
        head_commit(ctx.root),
        url,
        problem,
        tag_on_origin=on_origin,
        origin_problem=origin_problem,
        commands=len(release_commands(ctx)),
        token=token is not None,
        push_starts_run=trigger.kind == "tag-push" or trigger.release_by is not None,
        run_start=trigger.detail,
        release_url=release_url,
        release_problem=release_problem,
    )


def _published_release(ctx: RepoContext, tag: str, token: str) -> tuple[str | None, str | None]:
    """The page of the published GitHub release of ``tag`` and why GitHub could not be
    asked (at most :data:`~release_assistant.core.release.github.LOOKUP_TIMEOUT` seconds:
    after a relaunch the walkthrough asks, it does not remember)."""
    from release_assistant.core.release.github import look_up_release

    found = look_up_release(ctx, tag, token)
    return found.url, found.reason


def _tag_on_origin(ctx: RepoContext, tag: str | None) -> tuple[bool | None, str | None]:
    """Whether origin has the local tag ``tag`` at the same commit (asked, never assumed:
    after a relaunch the walkthrough knows only what git says); ``(None, why)`` when origin
    cannot be asked. No local tag: nothing to push, so ``False``."""
    from release_assistant.core.git.state import remote_ref

    if tag is None:
        return False, None
    found = remote_ref(ctx.root_dir, f"refs/tags/{tag}")
    if found.exists is None:
        return None, found.reason
    return found.exists, None


def state_dir(root: Path) -> Path | None:
    """Where the walkthrough keeps its files (core's
    :func:`~release_assistant.core.git.readonly.state_dir`), as a path."""
    from release_assistant.core.git.readonly import state_dir as core_state_dir

    found = core_state_dir(root)
    return None if found is None else Path(found)


def write_report(
    ctx: RepoContext, results: Sequence[CheckResult], facts: ReleaseFacts
) -> tuple[Path, Path]:
    """Write ``verification-report.json`` and ``.md`` of ``results`` into :func:`state_dir`.

    ``FileProblem`` when they cannot be written.
    """
    from release_assistant.core.report.files import write_report_files
    from release_assistant.core.report.run_report import build_report
    from release_assistant.core.support.textfiles import FileProblem

    directory = state_dir(ctx.root)
    if directory is None:
        raise FileProblem(ctx.root, "not a git repository: no place for the report")
    directory.parent.mkdir(exist_ok=True)
    report = build_report(ctx.root, facts.tag, facts.version, results, git_commit=facts.head)
    return write_report_files(report, directory)


def bump_menu(ctx: RepoContext) -> tuple[Version, list[tuple[str, Version]]]:
    """The current version and each named bump's result (``BumpError`` when none)."""
    from release_assistant.core.release.bump import bump_menu as core_bump_menu

    return core_bump_menu(ctx)


def bump_plan(ctx: RepoContext, choice: str) -> tuple[Plan, str]:
    """The plan that writes the bump, and the version it writes (``BumpError`` when it
    cannot be planned). ``choice`` is a bump's name or a version typed as it is."""
    from release_assistant.core.release.bump import plan_bump

    bump = plan_bump(ctx, choice)
    return bump.plan(), str(bump.new)


def ship_plan(
    session: Session, choice: str, on_line: Callable[[str], None] | None = None
) -> ShipProcedure:
    """The release in one go, planned as ``release-assistant ship CHOICE`` plans it (the
    build isolated unless :data:`NO_ISOLATION_VARIABLE` says otherwise, the GitHub token of
    the environment); ``ShipRefused`` or ``ConfigError`` when it cannot be planned."""
    from release_assistant.core.context import RepoContext
    from release_assistant.core.github.api import token_from
    from release_assistant.core.release.ship import ShipRequest, plan_ship

    # As the command loads it: the version comes from the files, not from a --tag.
    ctx = RepoContext.load(session.root, today=session.today, environ=session.environ)
    request = ShipRequest(
        choice, build_isolation=build_isolation(ctx.environ), token=token_from(ctx.environ)
    )
    return plan_ship(ctx, request, on_line=on_line)


def tag_plan(ctx: RepoContext, *, push: bool) -> Plan:
    """The plan that creates (or, with ``push``, pushes) the release tag.

    ``TagRefused`` or ``GitProblem`` when the repository cannot be tagged.
    """
    from release_assistant.core.git.state import read_state
    from release_assistant.core.release.tag import TagRefused, TagRequest, plan_tag

    name = ctx.release.tag
    if name is None:
        raise TagRefused("no version to tag: set [project].version or pass --tag")
    return plan_tag(ctx, read_state(ctx.root_dir), TagRequest(name, push=push))


def notes(ctx: RepoContext) -> str:
    """What the tag message and the GitHub release's body say: the changelog section of
    the version under release (empty when there is none)."""
    from release_assistant.core.release.tag import release_notes

    return release_notes(ctx)


def editor_command(editor: str, path: str, line: int | None) -> list[str]:
    """The command that opens ``path`` at ``line`` in ``editor`` ($VISUAL/$EDITOR).

    vi, vim, nvim, nano, emacs, micro, kak and most others take ``+LINE FILE``; VS Code and
    Sublime-like editors take ``FILE:LINE`` (VS Code behind ``-g``).
    """
    words = shlex.split(editor) or ["vi"]
    name = os.path.basename(words[0])
    if line is None:
        return [*words, path]
    if name in ("code", "code-insiders", "codium", "cursor"):
        return [*words, "-g", f"{path}:{line}"]
    if name in ("subl", "zed", "hx", "helix"):
        return [*words, f"{path}:{line}"]
    return [*words, f"+{line}", path]


def user_editor(environ: Mapping[str, str]) -> str:
    """``$VISUAL``, else ``$EDITOR``, else ``vi``."""
    return environ.get("VISUAL") or environ.get("EDITOR") or "vi"


# --- troubleshooting ---------------------------------------------------------------------


def matching_rules(rules: Sequence[Rule], query: str) -> list[Rule]:
    """The rules whose code, aliases, title, cause or fix contain every word of ``query``
    (case-insensitive); all of them for an empty query.

    A code or symptom name typed exactly comes first, then matches in titles, then the rest,
    each group in registry order.
    """
    words = query.lower().split()
    if not words:
        return list(rules)

    def names(rule: Rule) -> list[str]:
        return [rule.code.lower(), *(alias.lower() for alias in rule.aliases)]

    def haystack(rule: Rule) -> str:
        return " ".join([*names(rule), rule.check, rule.title, rule.cause, rule.fix]).lower()

    def rank(rule: Rule) -> int:
        if " ".join(words) in names(rule):
            return 0
        title = " ".join([*names(rule), rule.title.lower()])
        return 1 if all(word in title for word in words) else 2

    found = [rule for rule in rules if all(word in haystack(rule) for word in words)]
    return sorted(found, key=rank)


def release_plan(ctx: RepoContext, token: str) -> Plan:
    """The plan that publishes the GitHub release of the version's tag (origin must have
    it); :class:`~release_assistant.core.release.github.ReleaseRefused` says why not."""
    from release_assistant.core.release.github import (
        ReleaseRefused,
        plan_release,
        prepare_release,
    )

    tag = ctx.release.tag
    if tag is None:
        raise ReleaseRefused("no version to release, so no tag to publish")
    return plan_release(ctx, prepare_release(ctx, tag), token)


# --- watch -------------------------------------------------------------------------------


def watch_setup(ctx: RepoContext) -> tuple[WatchTarget, GitHubApi, IndexApi]:
    """What the last step follows: the version's tag, its run and its files on the index;
    :class:`~release_assistant.core.release.watch.WatchRefused` says why it cannot."""
    from release_assistant.core.release.watch import WatchRefused, prepare_watch

    tag = ctx.release.tag
    if tag is None:
        raise WatchRefused("no version to release, so no tag whose run to follow")
    return prepare_watch(ctx, tag)
