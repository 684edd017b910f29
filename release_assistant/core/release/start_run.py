"""Starting the publishing run the way its workflow expects, once the tag is on origin.

:func:`~release_assistant.core.workflows.run_start.publish_trigger` says how the run starts;
this module turns that into what happens next: for a ``workflow_dispatch`` workflow, the
plan that dispatches it on the tag (:func:`plan_dispatch`: ``POST
/repos/{owner}/{repo}/actions/workflows/{file}/dispatches`` with ``{"ref": tag}``, or,
without a token, the workflow's page to run it by hand), and for every kind the one line
a command prints after the tag push (:func:`after_tag_push`). Nothing here prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from release_assistant.core.release.plan import Action, ActionFailed, Plan
from release_assistant.core.support.errors import StepFailed

if TYPE_CHECKING:
    from release_assistant.core.context import RepoContext
    from release_assistant.core.workflows.identity import RemoteRepository
    from release_assistant.core.workflows.run_start import PublishTrigger

#: Seconds the dispatch request may take (someone is waiting; a request cut short may still
#: have started the run, which the recovery lines say).
DISPATCH_TIMEOUT = 20.0


class DispatchRefused(StepFailed):
    """The run cannot be dispatched as asked; ``str()`` says why and what to do."""


def workflow_page(remote: RemoteRepository, file_name: str) -> str:
    """The workflow's page on GitHub, whose "Run workflow" button dispatches it by hand."""
    return f"https://{remote.host}/{remote.owner}/{remote.repository}/actions/workflows/{file_name}"


def dispatch_command(file_name: str, tag: str) -> str:
    """The GitHub CLI command that dispatches the workflow on ``tag``."""
    return f"gh workflow run {file_name} --ref {tag}"


def plan_dispatch(ctx: RepoContext, trigger: PublishTrigger, tag: str, token: str | None) -> Plan:
    """The plan that starts ``trigger``'s workflow on ``tag`` (a validated tag name already
    on origin).

    With a usable ``token``: one changing step, the API's dispatch. Without one (or when
    the token may not be sent to the configured API, or the workflow needs inputs only a
    person can give): no step, and notes naming the workflow's page and the ``gh`` command
    to run it by hand. Raises :class:`DispatchRefused` when the workflow is not started by
    a dispatch or ``origin`` is not a repository on the GitHub host.
    """
    from release_assistant.core.github.api import ApiProblem, GitHubApi, api_target

    file_name = trigger.file_name
    if trigger.kind != "dispatch" or file_name is None:
        raise DispatchRefused(f"the publishing run is not started by a dispatch: {trigger.detail}")
    remote = ctx.origin.on_github
    if remote is None:
        raise DispatchRefused(
            f"origin is not a repository on {ctx.origin.github_host}: dispatch {file_name} "
            "where the repository is hosted (or set [tool.release-assistant.publisher] "
            "github_host)"
        )
    page = workflow_page(remote, file_name)
    title = f"dispatch {trigger.workflow} on {tag}"
    by_hand = (
        f"run it by hand: {page} (Run workflow, use the workflow from tag {tag}), "
        f"or: {dispatch_command(file_name, tag)}"
    )
    if trigger.required_inputs:
        needs = ", ".join(trigger.required_inputs)
        return Plan(title, (), notes=(f"the dispatch needs values for {needs}", by_hand))
    if token is None:
        return Plan(title, (), notes=("no GH_TOKEN or GITHUB_TOKEN in the environment", by_hand))
    target = api_target(ctx.config.ci.api_url, remote.host, ctx.environ)
    if target.refusal is not None:
        return Plan(title, (), notes=(target.refusal, by_hand))
    api = GitHubApi(target.base_url, token, DISPATCH_TIMEOUT)
    path = f"/repos/{remote.owner}/{remote.repository}/actions/workflows/{file_name}/dispatches"

    def dispatch() -> str:
        try:
            api.request("POST", path, {"ref": tag})
        except ApiProblem as problem:
            # GitHub accepts a dispatch with 204 and no body, which the JSON client reports
            # as "malformed": every error status is another kind, so this one is success.
            if problem.kind != "malformed":
                recovery = [f"look at {page} before retrying", by_hand]
                if problem.kind == "timeout":
                    recovery.insert(0, "the run may have been started all the same")
                raise ActionFailed(
                    f"GitHub did not start {file_name}: {problem}", recovery
                ) from None
        return f"dispatched {file_name} on {tag}: its run appears on {page}"

    notes = [f"starts {trigger.workflow} on tag {tag} (workflow_dispatch)"]
    if trigger.creates_release:
        notes.append("the workflow creates the GitHub release itself")
    action = Action(f"POST {path} (ref={tag})", True, dispatch)
    return Plan(title, (action,), notes=tuple(notes))


def after_tag_push(trigger: PublishTrigger, tag: str, remote: RemoteRepository | None) -> str:
    """The one "next:" line for the moment ``tag`` reached origin, by how the run starts.

    A workflow the tag push starts is followed with ``watch`` (and ``release`` is never
    advised when it creates the GitHub release itself: two would collide); a release-
    triggered one needs the GitHub release; a dispatched one, the dispatch.
    """
    workflow = trigger.workflow or "the publishing workflow"
    if trigger.kind == "tag-push":
        own = ""
        if trigger.release_by is not None:
            own = f" ({trigger.release_by} creates the GitHub release: do not create another)"
        elif trigger.creates_release:
            own = " (it creates the GitHub release itself: do not create another)"
        return f"next: the tag push started {workflow}{own}: release-assistant watch {tag}"
    if trigger.kind == "release" and trigger.release_by is not None:
        return (
            f"next: the tag push started {trigger.release_by}, which creates the GitHub "
            f"release that starts {workflow} (do not create another): release-assistant "
            f"watch {tag}"
        )
    if trigger.kind == "release":
        return (
            f"next: `release-assistant release {tag}` publishes the GitHub release, which "
            f"starts {workflow}; then release-assistant watch {tag}"
        )
    if trigger.kind == "dispatch" and trigger.file_name is not None:
        where = (
            f" (or Run workflow on {workflow_page(remote, trigger.file_name)})" if remote else ""
        )
        own = " It creates the GitHub release itself." if trigger.creates_release else ""
        return (
            f"next: dispatch {workflow} on {tag}: {dispatch_command(trigger.file_name, tag)}"
            f"{where}; then release-assistant watch {tag}.{own}"
        )
    if trigger.workflow is None:
        return f"next: {trigger.detail}"
    return f"next: start the publishing run yourself ({trigger.detail})"
