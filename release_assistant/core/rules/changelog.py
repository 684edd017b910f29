"""The rules of the `changelog` check: one entry per finding code."""

from __future__ import annotations

from release_assistant.core.findings import Severity
from release_assistant.core.rules.model import Rule

RULES: tuple[Rule, ...] = (
    Rule(
        "RA401",
        "Changelog not found",
        "The configured changelog (default CHANGELOG.md) does not exist, so the release has "
        "no notes to check or publish.",
        "Create CHANGELOG.md with a '## [Unreleased]' section (Keep a Changelog format), or "
        'point at yours: changelog = "<file>" in [tool.release-assistant].',
    ),
    Rule(
        "RA402",
        "Changelog heading version is not PEP 440",
        "A release heading's version cannot be parsed as a PEP 440 version, so it cannot be "
        "matched with a release or ordered.",
        "Write the heading as '## [X.Y.Z] - YYYY-MM-DD' with a version like 1.2.3, 1.2.3rc1 "
        "or 1.2.3.post1.",
    ),
    Rule(
        "RA403",
        "Version appears twice in the changelog",
        "Two release sections have the same version (often after a merge), so it is "
        "ambiguous which notes belong to the release.",
        "Merge the two sections into one and delete the duplicate heading.",
    ),
    Rule(
        "RA404",
        "Changelog versions are out of order",
        "Release sections must be newest first (strictly descending versions); a section "
        "below an older one is usually a misplaced paste or a mis-typed version.",
        "Move the section to its place, newest release at the top (below Unreleased), or "
        "fix the mis-typed version.",
    ),
    Rule(
        "RA405",
        "Changelog date is not an ISO date",
        "The date after a heading is not YYYY-MM-DD or not a real calendar day (2026-02-30), "
        "so readers and tools cannot tell when it was released.",
        "Write the heading as '## [X.Y.Z] - YYYY-MM-DD', e.g. 2026-01-31.",
    ),
    Rule(
        "RA406",
        "Changelog date in the future",
        "A release date is later than today; usually a typo in the year or month, or a "
        "section dated ahead of the actual release.",
        "Set the date to the day of the release (today's date for the version being released).",
    ),
    Rule(
        "RA407",
        "The release's changelog section is empty",
        "The section for the version being released has no notes (only blank lines, "
        "sub-headings or links), so the release says nothing about what changed.",
        "Write the release notes under the heading (e.g. '### Added', '### Fixed' with "
        "bullets), or move them there from Unreleased.",
    ),
    Rule(
        "RA408",
        "An older changelog section is empty",
        "Warning: a section for a version other than the one being released has no notes.",
        "Add what changed in that version, or remove the empty section.",
        severity=Severity.WARNING,
    ),
    Rule(
        "RA409",
        "'Unreleased' section misplaced or repeated",
        "There is more than one '## [Unreleased]' section, or it sits below released "
        "versions; notes collected there are then missed at release time.",
        "Keep one '## [Unreleased]' section at the top, above every release, and merge the "
        "others into it.",
    ),
    Rule(
        "RA410",
        "Changelog heading without a link definition",
        "Warning: the changelog defines links for some versions, but this bracketed heading "
        "has no '[label]: URL' definition and no inline link, so it renders as plain text.",
        "Add '[X.Y.Z]: <compare URL>' with the other link definitions at the bottom.",
        severity=Severity.WARNING,
        collapse=True,
    ),
    Rule(
        "RA411",
        "Changelog link definition without a heading",
        "Warning: a version link definition at the bottom matches no heading, usually left "
        "over after a heading was renamed or removed.",
        "Remove the definition, or add (or rename) the section it belongs to.",
        severity=Severity.WARNING,
        collapse=True,
    ),
    Rule(
        "RA412",
        "The release's changelog section has no date",
        "The section for the version being released has no release date.",
        "Write the heading as '## [X.Y.Z] - YYYY-MM-DD' with the release day.",
    ),
    Rule(
        "RA413",
        "No release headings in the changelog",
        "Warning: the changelog has neither an Unreleased section nor any '## [X.Y.Z] - "
        "YYYY-MM-DD' heading, so no version's notes can be found (often a different heading "
        "style, such as '# 1.2.3' or 'Version 1.2.3').",
        "Start with '## [Unreleased]' and add notes under it; rename existing headings to "
        "'## [X.Y.Z] - YYYY-MM-DD'.",
        severity=Severity.WARNING,
    ),
    Rule(
        "RA414",
        "'Unreleased' still holds notes at release time",
        "Warning: while releasing a version, the Unreleased section still has notes; if they "
        "ship in this release they are missing from its section.",
        "Move the notes under '## [X.Y.Z] - YYYY-MM-DD' if they ship now, leaving "
        "'## [Unreleased]' empty; keep them only if they are for a later release.",
        severity=Severity.WARNING,
    ),
)
