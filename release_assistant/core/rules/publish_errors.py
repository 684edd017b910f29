"""What a failed publish run prints (not finding codes): looked up by ``explain`` and by
``watch``, which matches a failed job's log against :data:`SIGNATURES`."""

from __future__ import annotations

from release_assistant.core.rules.rule import Rule
from release_assistant.core.rules.texts import ID_TOKEN, PUBLISHER_FIX
from release_assistant.core.urls import TROUBLESHOOTING_DOCS_URL

RULES: tuple[Rule, ...] = (
    Rule(
        "invalid-publisher",
        "Valid token, but no corresponding publisher",
        "The index got a valid GitHub OIDC token, but no registered trusted publisher matches "
        "its owner, repository, workflow file name and environment (a typo, a renamed "
        "repository or workflow, a missing or extra environment, a reusable workflow, or the "
        "publisher registered on the other index).",
        PUBLISHER_FIX + "\nRun `release-assistant check --only workflow,publisher` first.",
        TROUBLESHOOTING_DOCS_URL,
        aliases=("publisher-not-recognized", "not-recognized"),
    ),
    Rule(
        "missing-id-token",
        "The publish job could not get an OIDC token",
        "GitHub gives a job an OIDC token only with the `id-token: write` permission; without "
        "it the publish action stops before it talks to the index (its log says the "
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN variable was unset, or 'insufficient OIDC token "
        "permissions'). A workflow started from a fork's pull request never gets one.",
        ID_TOKEN
        + "\nThen re-run the failed job; `release-assistant check --only workflow` finds it.",
        TROUBLESHOOTING_DOCS_URL,
        aliases=("id-token", "oidc-token"),
    ),
    Rule(
        "file-already-exists",
        "File already exists on the index",
        "The index never accepts a file name twice, even after a delete: this version (or one "
        "of its files) was uploaded before, by an earlier run or by hand, or dist/ held files "
        "of an older version.",
        "Release a new version: `release-assistant bump patch`, commit, tag, release. If only "
        "some files of this version are missing, upload the missing ones with "
        "`skip-existing: true` in the publish step for that one run.",
        TROUBLESHOOTING_DOCS_URL,
        aliases=("already-exists",),
    ),
    Rule(
        "non-user-identities",
        "Non-user identities cannot create new projects",
        "The upload would create a new project, but no pending publisher for that project name "
        "matched: the pending publisher was registered under another name (the index compares "
        "names PEP 503-normalized), or on the other index, or it was already used.",
        "Compare `release-assistant setup`'s project name with the pending publisher on your "
        "account's Publishing page; register it again with the exact name, then re-run the "
        "failed job.",
        TROUBLESHOOTING_DOCS_URL,
        aliases=("new-project",),
    ),
    Rule(
        "invalid-pending-publisher",
        "Valid token, but the project already exists",
        "A pending publisher matched, but a project of that name exists already (someone else's, "
        "or yours created another way): a pending publisher only creates new projects.",
        "If the project is yours, add the publisher under the project's Settings > Publishing "
        "(`release-assistant setup` prints the prefilled link); otherwise choose another "
        "project name.",
        TROUBLESHOOTING_DOCS_URL,
    ),
    Rule(
        "no-distributions",
        "No distributions to publish in dist/",
        "The publish job found no files in `dist/`: the build job did not upload them, or the "
        "publish job did not download them into `dist/` (a different artifact name or path).",
        "Upload dist/ in the build job (actions/upload-artifact, name: dist) and download it "
        "in the publish job (actions/download-artifact, name: dist, path: dist/); "
        "`release-assistant check --only workflow` compares the two.",
        TROUBLESHOOTING_DOCS_URL,
        aliases=("empty-dist",),
    ),
)

#: What each symptom prints in a job's log (lower case, any one of them suffices).
SIGNATURES: dict[str, tuple[str, ...]] = {
    "invalid-publisher": ("invalid-publisher",),
    "invalid-pending-publisher": ("invalid-pending-publisher",),
    "missing-id-token": (
        "actions_id_token_request_token",
        "insufficient oidc token permissions",
        "openid connect token retrieval failed",
    ),
    "file-already-exists": ("file already exists",),
    "non-user-identities": ("non-user identities cannot create new projects",),
    "no-distributions": ("no python distribution packages to publish",),
}


def symptoms_in(log: str) -> list[str]:
    """The symptoms (rule codes, in registry order) whose signatures ``log`` contains."""
    text = log.lower()
    return [
        rule.code
        for rule in RULES
        if any(signature in text for signature in SIGNATURES.get(rule.code, ()))
    ]
