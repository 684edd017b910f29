"""``ci``: GitHub's check runs and commit statuses for the commit being tagged are green.

Asks the GitHub REST API about HEAD: ``GET /repos/{owner}/{repo}/commits/{sha}/check-runs``
(every page, 100 a page; GitHub lists the latest run of each name) and ``GET
.../commits/{sha}/status`` (the latest status of each context). Owner and repository come
from the ``origin`` remote; the API is the one of its host (``ci.api_url``,
``publisher.github_host``); the token from ``GH_TOKEN`` or ``GITHUB_TOKEN``.

Codes: RA201 a check run failed, was cancelled or timed out (error, one per run, with its
URL); RA202 a commit status is ``failure`` or ``error`` (error); RA203 runs or statuses not
finished (warning; error with ``ci.require_complete``); RA204 no CI ran on the commit
(warning); RA205 the token was refused (warning); RA206 the token cannot see the repository
or the commit (warning); RA207 GitHub's answer could not be read (warning); RA208 what was
asked and how much passed (info).

``skip`` with the reason, and no network wait beyond ``ci.timeout_seconds`` (3 s by default,
all requests together): no token, no ``origin``, an ``origin`` not on the GitHub host, no
network, an exhausted rate limit. A bad token is a warning, not a skip: the maintainer set
it to have this check, and it silently did nothing.

Inside GitHub Actions the run that is executing this check is left out (``GITHUB_RUN_ID``):
it is in progress by definition, and would otherwise make every run warn about itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from release_assistant.core.check_table import CI
from release_assistant.core.collector import FindingCollector
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Severity
from release_assistant.core.rules.ci import (
    CHECK_RUN_FAILED,
    CI_PASSED,
    CI_UNFINISHED,
    COMMIT_STATUS_FAILED,
    NO_CI_RAN,
    TOKEN_CANNOT_READ,
    TOKEN_REFUSED,
    UNREADABLE_GITHUB_ANSWER,
)
from release_assistant.core.support.terminal import safe_terminal_text

if TYPE_CHECKING:
    from release_assistant.core.github.api import ApiProblem

ID = CI.id
TITLE = CI.title

#: Check-run conclusions that are a red X on the commit.
FAILED_CONCLUSIONS = frozenset({"failure", "cancelled", "timed_out", "startup_failure"})
#: Conclusions that are fine (GitHub shows them grey or green).
PASSED_CONCLUSIONS = frozenset({"success", "neutral", "skipped"})
FAILED_STATES = frozenset({"failure", "error"})


def run(ctx: RepoContext) -> CheckResult:
    """Ask GitHub about HEAD's check runs and statuses and judge them."""
    from release_assistant.core.git.readonly import head_commit
    from release_assistant.core.github.api import ApiProblem, GitHubApi, api_target, token_from

    out = FindingCollector(ID, TITLE)
    origin = ctx.origin
    if origin.url is None:
        return out.result(skip_reason=f"{origin.problem}: the repository on GitHub is unknown")
    remote = origin.on_github
    github_host = origin.github_host
    if remote is None:
        where = origin.remote.host if origin.remote is not None else "a local path"
        return out.result(
            skip_reason=f"origin is on {where}, not on {github_host} (set "
            "[tool.release-assistant.publisher] github_host for GitHub Enterprise)"
        )
    head = head_commit(ctx.root)
    if head is None:
        return out.result(skip_reason="no commit yet: there is no CI to ask about")
    token = token_from(ctx.environ)
    if token is None:
        return out.result(
            skip_reason="no GH_TOKEN or GITHUB_TOKEN in the environment: CI was not asked "
            "(export GH_TOKEN=$(gh auth token) to check it)"
        )
    target = api_target(ctx.config.ci.api_url, remote.host, ctx.environ)
    if target.refusal is not None:
        return out.result(skip_reason=target.refusal)
    api = GitHubApi(target.base_url, token, ctx.config.ci.timeout_seconds)
    commit = f"/repos/{remote.owner}/{remote.repository}/commits/{head}"
    try:
        runs, _ = api.get_pages(f"{commit}/check-runs", "check_runs")
        statuses, _ = api.get_pages(f"{commit}/status", "statuses")
    except ApiProblem as problem:
        return _unanswered(out, problem, remote.slug, head)
    try:
        _judge(ctx, out, runs, statuses, remote.slug, head)
    except (KeyError, TypeError, AttributeError) as error:
        out.warn(
            UNREADABLE_GITHUB_ANSWER,
            f"GitHub's answer about {head[:12]} is not shaped as documented ({error!r})",
            hint="run the check again; if it persists, compare with the commit's page on GitHub",
        )
    return out.result()


def _unanswered(out: FindingCollector, problem: ApiProblem, slug: str, head: str) -> CheckResult:
    kind = problem.kind
    if kind in ("offline", "timeout", "rate-limited"):
        return out.result(skip_reason=f"{problem}: CI status of {head[:12]} unknown")
    if kind == "auth":
        out.warn(
            TOKEN_REFUSED,
            f"{problem}: CI status of {head[:12]} unknown",
            hint="renew the token (gh auth refresh, or a new fine-grained token with "
            "'Checks' and 'Commit statuses' read access), then export it as GH_TOKEN",
        )
    elif kind in ("forbidden", "not-found", "unprocessable"):
        out.warn(
            TOKEN_CANNOT_READ,
            f"{problem} for {slug} at {head[:12]}: the token cannot read this repository "
            "(a private repository?), or GitHub does not have the commit",
            hint=f"give the token read access to {slug} (checks and commit statuses), and "
            "push the commit (git push)",
        )
    else:
        out.warn(
            UNREADABLE_GITHUB_ANSWER,
            f"{problem}: CI status of {head[:12]} unknown",
            hint="run the check again; GitHub's status page says whether the API is degraded",
        )
    return out.result()


def _judge(
    ctx: RepoContext,
    out: FindingCollector,
    runs: list[Any],
    statuses: list[Any],
    slug: str,
    head: str,
) -> None:
    own_run = ctx.environ.get("GITHUB_RUN_ID", "").strip()
    pending: list[str] = []
    passed = 0
    counted = 0
    for check_run in runs:
        url = check_run.get("html_url") or check_run.get("details_url") or ""
        if own_run and f"/actions/runs/{own_run}/" in url:
            continue  # the run executing this check (see the module docstring)
        counted += 1
        name = str(check_run["name"])
        conclusion = check_run.get("conclusion")
        if check_run.get("status") != "completed" or conclusion in (None, "stale"):
            pending.append(f"{name} ({check_run.get('status') or 'stale'})")
        elif conclusion in FAILED_CONCLUSIONS:
            out.add(
                CHECK_RUN_FAILED,
                safe_terminal_text(f"check run {name!r} {_said(conclusion)}: {url}"),
                hint="open the run, fix the cause and push; or re-run it if it was a flake",
            )
        elif conclusion == "action_required":
            pending.append(f"{name} (waiting for an approval)")
        else:
            passed += 1
    latest: dict[str, Any] = {}
    for status in statuses:
        latest.setdefault(str(status["context"]), status)  # newest first, as GitHub lists
    for context, status in latest.items():
        counted += 1
        state = status.get("state")
        if state in FAILED_STATES:
            url = status.get("target_url") or f"https://github.com/{slug}/commit/{head}"
            described = f" ({status['description']})" if status.get("description") else ""
            out.add(
                COMMIT_STATUS_FAILED,
                safe_terminal_text(f"commit status {context!r} is {state}{described}: {url}"),
                hint="open the status's page, fix the cause and push",
            )
        elif state == "pending":
            pending.append(f"{context} (pending)")
        else:
            passed += 1
    if pending:
        required = ctx.config.ci.require_complete
        out.add(
            CI_UNFINISHED,
            safe_terminal_text(
                f"{len(pending)} of {counted} check(s) on {head[:12]} not finished: "
                f"{_some(pending)}"
            ),
            severity=Severity.ERROR if required else Severity.WARNING,
            hint="wait for them to finish and run the check again"
            + ("" if required else " (ci.require_complete = true makes this an error)"),
        )
    if counted == 0:
        out.warn(
            NO_CI_RAN,
            f"no CI ran on this commit ({head[:12]} has no check runs or statuses on {slug})",
            hint="push the commit and let CI run, or add a workflow that tests on push",
        )
        return
    out.add(
        CI_PASSED,
        f"{passed} of {counted} check run(s) and status(es) on {head[:12]} passed",
        severity=Severity.INFO,
    )


def _said(conclusion: str) -> str:
    return {"timed_out": "timed out", "startup_failure": "failed to start"}.get(
        conclusion, "failed" if conclusion == "failure" else f"was {conclusion}"
    )


def _some(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
