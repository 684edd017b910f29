"""The rules of the the engine check: one entry per finding code."""

from __future__ import annotations

from release_assistant.core.rules.model import Rule

RULES: tuple[Rule, ...] = (
    Rule(
        "RA001",
        "A check could not run",
        "The check stopped on a file it could not read (not UTF-8, malformed TOML, missing) or "
        "on an internal error, so it has no verdict. An errored check blocks the release like "
        "a failed one: nothing it should have verified was verified.",
        "Fix the file and line the finding names, then re-run\n"
        "`release-assistant check --only <check>`. If the message names an exception type "
        "rather than a file, report it as a bug.",
    ),
)
