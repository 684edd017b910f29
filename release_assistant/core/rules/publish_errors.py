"""What a failed publish run prints (not finding codes): looked up by ``explain``."""

from __future__ import annotations

from release_assistant.core.rules.model import Rule
from release_assistant.core.rules.texts import PUBLISHER_FIX
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
)
