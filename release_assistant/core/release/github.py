"""``release``: the plan that publishes the GitHub release of a pushed tag.

Publishing the release is what starts a trusted-publishing workflow triggered by
``release: published``. :func:`prepare_release` works out what would be published (owner and
repository from ``origin``, the notes from the changelog section, pre-release from the
version) and refuses when the tag is not on ``origin``: GitHub's form would otherwise
create the tag itself, on the default branch's tip, and release a commit nobody checked.
:func:`plan_release` asks GitHub whether a release for the tag exists and builds the one
changing step (``POST /repos/{owner}/{repo}/releases``). Without a token,
:func:`new_release_url` is GitHub's form, prefilled. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from release_assistant.core.release.plan import Action, ActionFailed, Plan
from release_assistant.core.support.errors import StepFailed

if TYPE_CHECKING:
    from release_assistant.core.context import RepoContext
    from release_assistant.core.github.api import GitHubApi

#: Seconds the requests of one ``release`` run may take together (someone is waiting, and a
#: POST cut short may still have created the release).
RELEASE_TIMEOUT = 20.0
#: GitHub answers 414 to very long URLs; the prefilled form's URL stays below this.
MAX_FORM_URL = 8000
TRUNCATED = "\n\n(truncated: the full notes are in {changelog})"
#: Seconds a look-up of an existing release may take (the walkthrough asks on launch).
LOOKUP_TIMEOUT = 3.0


class ReleaseRefused(StepFailed):
    """The release cannot be published as asked; ``str()`` says why and what to do."""


@dataclass(frozen=True, slots=True)
class GitHubRelease:
    """What would be published: where, under which tag, with which title and notes."""

    host: str
    owner: str
    repository: str
    tag: str
    title: str
    body: str
    draft: bool = False
    prerelease: bool = False

    @property
    def web_url(self) -> str:
        """The repository's page."""
        return f"https://{self.host}/{self.owner}/{self.repository}"

    @property
    def actions_url(self) -> str:
        """The repository's workflow runs, where the publish run appears."""
        return f"{self.web_url}/actions"

    @property
    def api_path(self) -> str:
        """The repository's path in the REST API."""
        return f"/repos/{self.owner}/{self.repository}"

    def payload(self) -> dict[str, Any]:
        """The JSON body of ``POST /repos/{owner}/{repo}/releases``."""
        return {
            "tag_name": self.tag,
            "name": self.title,
            "body": self.body,
            "draft": self.draft,
            "prerelease": self.prerelease,
        }


@dataclass(frozen=True, slots=True)
class ReleaseLookup:
    """Whether GitHub has a published release for a tag: ``exists`` is ``None`` when it
    could not be asked (``reason`` says why); ``url`` is the release's page when it exists."""

    exists: bool | None
    url: str | None = None
    reason: str | None = None


def look_up_release(
    ctx: RepoContext, tag: str, token: str, *, timeout: float = LOOKUP_TIMEOUT
) -> ReleaseLookup:
    """Ask GitHub (``GET /repos/{owner}/{repo}/releases/tags/{tag}``, within ``timeout``
    seconds) whether the published release of ``tag`` exists in origin's repository.

    Never raises: an origin not on the GitHub host, a refused API URL, or a failed request
    is ``exists=None`` with the reason.
    """
    from release_assistant.core.github.api import ApiProblem, GitHubApi, api_target
    from release_assistant.core.support.terminal import safe_terminal_text

    remote = ctx.origin.on_github
    if remote is None:
        return ReleaseLookup(None, reason=f"origin is not a repository on {ctx.origin.github_host}")
    target = api_target(ctx.config.ci.api_url, remote.host, ctx.environ)
    if target.refusal is not None:
        return ReleaseLookup(None, reason=target.refusal)
    api = GitHubApi(target.base_url, token, timeout)
    try:
        url = _published_release(api, f"/repos/{remote.owner}/{remote.repository}", tag)
    except ApiProblem as problem:
        return ReleaseLookup(None, reason=f"cannot ask GitHub about {tag}: {problem}")
    if url is None:
        return ReleaseLookup(False)
    return ReleaseLookup(True, url=safe_terminal_text(url))


def prepare_release(ctx: RepoContext, tag: str, *, draft: bool = False) -> GitHubRelease:
    """The release of ``tag`` (a validated name), after making sure ``origin`` has the tag.

    Raises :class:`ReleaseRefused` when ``origin`` is not a repository on the GitHub host,
    cannot be reached, or does not have the tag.
    """
    from release_assistant.core.git import GitProblem
    from release_assistant.core.git.state import remote_ref
    from release_assistant.core.release.tag import release_notes

    origin = ctx.origin
    if origin.url is None:
        raise ReleaseRefused(f"{origin.problem}: there is no GitHub repository to release in")
    remote = origin.on_github
    if remote is None:
        raise ReleaseRefused(
            f"origin is not a repository on {origin.github_host}: publish the release where the "
            "repository is hosted (or set [tool.release-assistant.publisher] github_host)"
        )
    try:
        on_origin = remote_ref(ctx.root_dir, f"refs/tags/{tag}")
    except GitProblem as problem:
        raise ReleaseRefused(str(problem)) from None
    if on_origin.exists is None:
        raise ReleaseRefused(
            f"cannot tell whether origin has tag {tag}: {on_origin.reason}; try again online"
        )
    if not on_origin.exists:
        raise ReleaseRefused(
            f"tag {tag} is not on origin: push it first (release-assistant tag {tag} --push, "
            f"or git push origin refs/tags/{tag}); GitHub would otherwise create it on the "
            "default branch's tip"
        )
    from release_assistant.core.workflows.run_start import publish_trigger

    trigger = publish_trigger(ctx.workflows, tag, ctx.root_dir)
    maker = trigger.release_by or (trigger.workflow if trigger.creates_release else None)
    if maker is not None:
        raise ReleaseRefused(
            f"{maker} creates the GitHub release of {tag} itself: a second one would collide; "
            f"follow the run instead: release-assistant watch {tag}"
        )
    version = ctx.release.version
    return GitHubRelease(
        host=remote.host,
        owner=remote.owner,
        repository=remote.repository,
        tag=tag,
        title=tag,
        body=release_notes(ctx),
        draft=draft,
        prerelease=bool(version is not None and version.is_prerelease),
    )


def new_release_url(release: GitHubRelease, changelog: str = "CHANGELOG.md") -> str:
    """GitHub's "new release" form with the tag, title, notes (cut at a line so the URL
    stays under :data:`MAX_FORM_URL` characters) and the pre-release box filled in."""
    base = f"{release.web_url}/releases/new?"

    def url(body: str) -> str:
        query: dict[str, str] = {"tag": release.tag, "title": release.title, "body": body}
        if release.prerelease:
            query["prerelease"] = "1"
        return base + urlencode(query, quote_via=quote)

    full = url(release.body)
    if len(full) <= MAX_FORM_URL:
        return full
    note = TRUNCATED.format(changelog=changelog)
    lines = release.body.splitlines()
    while lines and len(url("\n".join(lines) + note)) > MAX_FORM_URL:
        lines.pop()
    return url("\n".join(lines) + note if lines else note.strip())


def plan_release(ctx: RepoContext, release: GitHubRelease, token: str) -> Plan:
    """The step that publishes ``release``; :class:`ReleaseRefused` when a release for the
    tag exists, the token cannot be used, or GitHub cannot be asked."""
    from release_assistant.core.github.api import ApiProblem, GitHubApi, api_target
    from release_assistant.core.support.terminal import safe_terminal_text

    target = api_target(ctx.config.ci.api_url, release.host, ctx.environ)
    if target.refusal is not None:
        raise ReleaseRefused(target.refusal)
    api = GitHubApi(target.base_url, token, RELEASE_TIMEOUT)
    try:
        existing = _existing_release(api, release)
    except ApiProblem as problem:
        raise ReleaseRefused(f"cannot ask GitHub about {release.tag}: {problem}") from None
    if existing is not None:
        raise ReleaseRefused(
            f"a release for {release.tag} already exists: {safe_terminal_text(existing)} "
            "(edit or delete it on "
            "GitHub; a new version needs a new tag: release-assistant bump patch)"
        )

    def publish() -> str:
        # The user may have read the plan for minutes: the POST gets its own deadline.
        api.fresh_deadline()
        try:
            created = api.post(f"{release.api_path}/releases", release.payload())
        except ApiProblem as problem:
            recovery = [f"check {release.web_url}/releases before retrying"]
            if problem.kind == "timeout":
                recovery.insert(0, "the release may have been created all the same")
            raise ActionFailed(f"GitHub did not publish the release: {problem}", recovery) from None
        url = created.get("html_url") if isinstance(created, dict) else None
        url = safe_terminal_text(str(url)) if url else None
        what = "draft release" if release.draft else "release"
        return f"created the GitHub {what} {release.tag}: {url or release.web_url + '/releases'}"

    kind = "draft " if release.draft else ("pre-release " if release.prerelease else "")
    notes = [f"publishes a {kind}release titled {release.title!r} for tag {release.tag}"]
    if not release.body:
        notes.append("the changelog has no notes for this version: the release body is empty")
    if release.draft:
        notes.append(
            "a draft starts no workflow: publishing it on GitHub does (release: published)"
        )
    action = Action(
        f"POST {release.api_path}/releases (tag_name={release.tag})", True, publish, step="publish"
    )
    return Plan(f"GitHub release {release.tag}", (action,), notes=tuple(notes))


def _existing_release(api: GitHubApi, release: GitHubRelease) -> str | None:
    """The URL of a release (published or draft) for the tag, or ``None``.

    ``releases/tags/{tag}`` finds a published release; a draft has no tag yet, so the first
    page of the listing (newest first, where a fresh draft is) is searched too.
    """
    from release_assistant.core.github.api import ApiProblem

    found = _published_release(api, release.api_path, release.tag)
    if found is not None:
        return found
    listing = api.get(f"{release.api_path}/releases", per_page=100)
    if not isinstance(listing, list):
        raise ApiProblem("malformed", f"{api.host}: the list of releases is not a list")
    for entry in listing:
        if isinstance(entry, dict) and entry.get("tag_name") == release.tag:
            return str(entry.get("html_url") or release.tag)
    return None


def _published_release(api: GitHubApi, api_path: str, tag: str) -> str | None:
    """The URL of the published release of ``tag`` (``releases/tags/{tag}``), or ``None``
    when GitHub has none; :class:`~release_assistant.core.github.api.ApiProblem` otherwise."""
    from release_assistant.core.github.api import ApiProblem

    try:
        found = api.get(f"{api_path}/releases/tags/{quote(tag, safe='')}")
    except ApiProblem as problem:
        if problem.kind != "not-found":
            raise
        return None
    # Not an object: not a release GitHub documents, so none.
    return str(found.get("html_url") or tag) if isinstance(found, dict) else None
