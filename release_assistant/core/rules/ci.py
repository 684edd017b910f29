"""The rules of the `ci` check: one entry per finding code (RA2xx)."""

from __future__ import annotations

from release_assistant.core.findings import Severity
from release_assistant.core.rules.rule import Rule

CHECK_RUN_FAILED = Rule(
    "RA201",
    "A check run failed",
    "A GitHub check run on the commit being tagged concluded failure, cancelled, "
    "timed_out or startup_failure: the release would ship a commit its own CI rejects.",
    "Open the run (its URL is in the finding), fix the cause and push a new commit; if "
    "it was a flake, re-run it on GitHub (`gh run rerun RUN_ID --failed`).",
)

COMMIT_STATUS_FAILED = Rule(
    "RA202",
    "A commit status failed",
    "A commit status (the older statuses API, used by external CI services) on the "
    "commit being tagged is failure or error.",
    "Open the status's target URL, fix the cause and push; or re-run the external job.",
)

CI_UNFINISHED = Rule(
    "RA203",
    "CI has not finished",
    "Check runs or statuses on the commit being tagged are queued, in progress, waiting "
    "for an approval or pending: nothing says yet that the commit is green. A warning by "
    "default; an error with `ci.require_complete = true`.",
    "Wait for CI to finish (`gh run watch`), then run the checks again.",
    contextual=True,
)

NO_CI_RAN = Rule(
    "RA204",
    "No CI ran on this commit",
    "Warning: GitHub has no check run and no commit status for the commit being tagged, "
    "so nothing tested it (CI is not configured, not triggered by a push to this branch, "
    "or the commit was never pushed).",
    "Push the commit and let CI run; if the project has no CI, add a workflow that runs "
    "the tests on push.",
    severity=Severity.WARNING,
)

TOKEN_REFUSED = Rule(
    "RA205",
    "GitHub refused the token",
    "Warning: the API answered 401 to the token in GH_TOKEN/GITHUB_TOKEN (expired, "
    "revoked or mistyped), so CI could not be checked.",
    "Renew the token (`gh auth refresh`, or a new fine-grained token with read access to "
    "Checks and Commit statuses) and export it as GH_TOKEN.",
    severity=Severity.WARNING,
)

TOKEN_CANNOT_READ = Rule(
    "RA206",
    "The token cannot read the repository or commit",
    "Warning: the API answered 403, 404 or 422: the repository is private and the token "
    "has no access to it, the token lacks the Checks / Commit statuses permission, or "
    "GitHub does not have the commit (not pushed).",
    "Give the token read access to the repository's checks and commit statuses, and "
    "push the commit (`git push`).",
    severity=Severity.WARNING,
)

UNREADABLE_GITHUB_ANSWER = Rule(
    "RA207",
    "GitHub's answer could not be read",
    "Warning: the API answered with a server error, or with something that is not the "
    "JSON GitHub documents (a proxy's HTML page, a truncated answer), so CI could not be "
    "checked.",
    "Run the check again; if it persists, check GitHub's status page or the proxy "
    "between you and the API.",
    severity=Severity.WARNING,
)

CI_PASSED = Rule(
    "RA208",
    "CI runs that passed",
    "Info: how many check runs and commit statuses GitHub reports for the commit being "
    "tagged, and how many of them passed.",
    "Nothing to fix.",
    severity=Severity.INFO,
)

RULES: tuple[Rule, ...] = (
    CHECK_RUN_FAILED,
    COMMIT_STATUS_FAILED,
    CI_UNFINISHED,
    NO_CI_RAN,
    TOKEN_REFUSED,
    TOKEN_CANNOT_READ,
    UNREADABLE_GITHUB_ANSWER,
    CI_PASSED,
)
