"""The rules of the the engine check: one entry per finding code."""

from __future__ import annotations

from release_assistant.core.findings import Severity
from release_assistant.core.rules.rule import Rule

CHECK_COULD_NOT_RUN = Rule(
    "RA001",
    "A check could not run",
    "The check stopped on a file it could not read (not UTF-8, malformed TOML, missing) or "
    "on an internal error, so it has no verdict. An errored check blocks the release like "
    "a failed one: nothing it should have verified was verified.",
    "Fix the file and line the finding names, then re-run\n"
    "`release-assistant check --only <check>`. If the message names an exception type "
    "rather than a file, report it as a bug.",
)

UNKNOWN_SUPPRESSED_CODE = Rule(
    "RA002",
    "Unknown code in a suppression comment",
    "A `# release-assistant: ignore[...]` comment names a code that no rule has (a typo, "
    "or a code of another tool such as zizmor's audit names). It silences nothing, so the "
    "finding it was meant for still counts, or the comment is stale.",
    "Write the code the finding shows (`release-assistant explain CODE` lists each), e.g.\n"
    "  uses: pypa/gh-action-pypi-publish@release/v1  # release-assistant: ignore[RA631]\n"
    "zizmor's own audits are silenced with `# zizmor: ignore[<audit>]`.",
    severity=Severity.WARNING,
)

UNUSED_SUPPRESSION = Rule(
    "RA003",
    "Suppression comment silences nothing",
    "A `# release-assistant: ignore[CODE]` comment names a code that has no finding on "
    "that line: the problem was fixed, or the finding points at another line (a "
    "suppression works only on the line the finding names, as ruff's `noqa` does).",
    "Delete the code from the comment (or the comment), or move it to the line the finding "
    "names (`path:line` in the output).",
    severity=Severity.INFO,
)

RULES: tuple[Rule, ...] = (
    CHECK_COULD_NOT_RUN,
    UNKNOWN_SUPPRESSED_CODE,
    UNUSED_SUPPRESSION,
)
