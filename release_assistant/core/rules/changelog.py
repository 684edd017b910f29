"""The rules of the `changelog` check: one entry per finding code.

Errors are what breaks the release under way (its section missing, empty, repeated, marked
unreleased or dated impossibly, or a configured changelog missing); everything about older
sections and house style is a warning, folded into one finding per cause.
"""

from __future__ import annotations

from release_assistant.core.findings import Severity
from release_assistant.core.rules.rule import Rule

CONFIGURED_CHANGELOG_MISSING = Rule(
    "RA401",
    "Configured changelog not found",
    "The changelog named by changelog in [tool.release-assistant] does not exist, so the "
    "release has no notes to check or publish. (A changelog that is only looked for, "
    "not configured, is RA415.)",
    'Create the file, or fix the path: changelog = "<file>" in [tool.release-assistant], '
    "or remove the setting to let the tool find CHANGELOG/CHANGES/HISTORY/NEWS.",
)

HEADING_VERSION_NOT_PEP440 = Rule(
    "RA402",
    "Changelog heading version is not PEP 440",
    "Warning: a release heading's version cannot be parsed as a PEP 440 version, so it "
    "cannot be matched with a release or ordered. It cannot be the release being made.",
    "Write versions like 1.2.3, 1.2.3rc1 or 1.2.3.post1 in headings; a heading for a "
    "whole series may be written 1.2.x.",
    severity=Severity.WARNING,
    collapse=True,
)

RELEASE_VERSION_REPEATED = Rule(
    "RA403",
    "The release's version appears twice in the changelog",
    "Two sections have the version being released (often after a merge), so it is "
    "ambiguous which notes belong to the release. (An older version repeated is RA420.)",
    "Merge the two sections into one and delete the duplicate heading.",
)

VERSIONS_OUT_OF_ORDER = Rule(
    "RA404",
    "Changelog versions are out of order",
    "Warning: a section sits below an older version, and the project does not order by "
    "release date either (maintenance releases of an older series listed by the day "
    "they shipped are fine); usually a misplaced paste or a mis-typed version.",
    "Move the section to its place, newest release at the top (below Unreleased), or "
    "fix the mis-typed version.",
    severity=Severity.WARNING,
    collapse=True,
)

RELEASE_DATE_INVALID = Rule(
    "RA405",
    "The release's date is not a real date",
    "The date of the section being released names no such day (2026-02-30), or, in a "
    "Keep a Changelog file, is not a date at all, so the published notes carry a wrong "
    "date. Other changelogs may write words after the version. (Older sections: RA417.)",
    "Write the release day, e.g. '## [X.Y.Z] - 2026-01-31', or the changelog's own date style.",
)

RELEASE_DATE_IN_FUTURE = Rule(
    "RA406",
    "The release's date is in the future",
    "The section being released is dated later than tomorrow (a day of grace for time "
    "zones); usually a typo in the year or month, or a section dated ahead of the "
    "release. (Older sections: RA419.)",
    "Set the date to the day of the release (today).",
)

RELEASE_SECTION_EMPTY = Rule(
    "RA407",
    "The release's changelog section is empty",
    "The section for the version being released has no notes (only blank lines, "
    "sub-headings or links), so the release says nothing about what changed.",
    "Write the release notes under the heading (e.g. '### Added', '### Fixed' with "
    "bullets), or move them there from Unreleased (or run towncrier build).",
)

OLDER_SECTION_EMPTY = Rule(
    "RA408",
    "An older changelog section is empty",
    "Warning: a section for a version other than the one being released has no notes.",
    "Add what changed in that version, or remove the empty section.",
    severity=Severity.WARNING,
    collapse=True,
)

UNRELEASED_MISPLACED = Rule(
    "RA409",
    "'Unreleased' section misplaced or repeated",
    "Warning: there is more than one Unreleased section, or it sits below released "
    "versions; notes collected there are easily missed at release time.",
    "Keep one Unreleased section at the top, above every release, and merge the others into it.",
    severity=Severity.WARNING,
)

HEADING_WITHOUT_LINK = Rule(
    "RA410",
    "Changelog heading without a link definition",
    "Warning: the changelog defines links for some versions, but this bracketed heading "
    "has no '[label]: URL' definition and no inline link, so it renders as plain text.",
    "Add '[X.Y.Z]: <compare URL>' with the other link definitions at the bottom.",
    severity=Severity.WARNING,
    collapse=True,
)

LINK_WITHOUT_HEADING = Rule(
    "RA411",
    "Changelog link definition without a heading",
    "Warning: a version link definition at the bottom matches no heading, usually left "
    "over after a heading was renamed or removed.",
    "Remove the definition, or add (or rename) the section it belongs to.",
    severity=Severity.WARNING,
    collapse=True,
)

RELEASE_SECTION_UNDATED = Rule(
    "RA412",
    "The release's changelog section has no date",
    "The changelog follows Keep a Changelog, whose every release heading carries its "
    "day, and dates its other releases, but the section being released has none. "
    "(Other changelogs: RA422.)",
    "Write the heading as '## [X.Y.Z] - YYYY-MM-DD' with the release day.",
)

DIALECT_NOT_READ = Rule(
    "RA413",
    "Changelog dialect not read",
    "Warning: the changelog was found, but no release could be read from it: no heading "
    "names a version as the tool reads headings (Markdown and reStructuredText titles, "
    "their links, roles and emphasis, bold lines, release directives, :release: items) "
    "and none collects unreleased notes. The tool cannot read this dialect, so it "
    "claims nothing about the notes it holds (no 'no section' error).",
    "Head each release with its version: '## [1.2.3] - 2026-01-31', '## 1.2.3 "
    "(2026-01-31)', 'Version 1.2.3', or a reStructuredText title '1.2.3 (2026-01-31)' "
    "underlined with '='; collect upcoming notes under '## [Unreleased]'. If another "
    'file holds the notes, point the tool at it: changelog = "<file>" in '
    '[tool.release-assistant]; to accept this one as it is, ignore = ["RA413"].',
    severity=Severity.WARNING,
)

UNRELEASED_NOTES_LEFT = Rule(
    "RA414",
    "Unreleased notes left behind at release time",
    "Warning: while a release is made, the Unreleased section still has notes, or "
    "towncrier fragments are not yet in the changelog; if they ship in this release "
    "they are missing from its section. Reported only for a release (a tag given).",
    "Move the notes under the release's heading if they ship now (towncrier: "
    "`towncrier build --version X.Y.Z`); keep them only if they are for a later release.",
    severity=Severity.WARNING,
)

NO_CHANGELOG = Rule(
    "RA415",
    "No changelog found",
    "Warning: none is configured, and none was found: no towncrier filename, and no "
    "CHANGELOG, CHANGES, HISTORY, NEWS or RELEASE-NOTES (.md, .rst, .txt or none) at "
    "the root or under docs/. Releases then ship without notes in the repository.",
    "Create CHANGELOG.md with a '## [Unreleased]' section (Keep a Changelog), or point "
    'at yours: changelog = "<file>" in [tool.release-assistant].',
    severity=Severity.WARNING,
)

CHANGELOG_ANALYSED = Rule(
    "RA416",
    "Which changelog was analysed",
    "Info: the changelog file the checks read, why it was chosen (configured, "
    "towncrier's filename, found at the root or under docs/), how it is read (Keep a "
    "Changelog, Markdown, reStructuredText), and any unreleased towncrier fragments.",
    'To check another file, set changelog = "<file>" in [tool.release-assistant].',
    severity=Severity.INFO,
)

OLDER_DATE_INVALID = Rule(
    "RA417",
    "An older section's date is not a real date",
    "Warning: the date of a section other than the release cannot be read as a day, or "
    "names no such day (2025-13-40). Only dates that look like dates are judged, except "
    "in Keep a Changelog files, where any text in the date's place is.",
    "Write the day the version was released, e.g. 2026-01-31.",
    severity=Severity.WARNING,
    collapse=True,
)

DATE_NOT_ISO = Rule(
    "RA418",
    "Changelog date not written YYYY-MM-DD",
    "Warning: the changelog follows Keep a Changelog, which writes dates as ISO 8601 "
    "(2026-01-31), but this date is written another way (2026-1-31, 31 January 2026).",
    "Write dates as YYYY-MM-DD, e.g. 2026-01-31.",
    severity=Severity.WARNING,
    collapse=True,
)

OLDER_DATE_IN_FUTURE = Rule(
    "RA419",
    "An older section's date is in the future",
    "Warning: a section other than the release is dated later than today; usually a "
    "typo in the year.",
    "Set the date to the day that version was released.",
    severity=Severity.WARNING,
    collapse=True,
)

OLDER_VERSION_REPEATED = Rule(
    "RA420",
    "An older version appears twice in the changelog",
    "Warning: two sections have the same version, other than the one being released "
    "(often a merge or a copy), so that version's notes are split.",
    "Merge the two sections into one and delete the duplicate heading.",
    severity=Severity.WARNING,
    collapse=True,
)

RELEASE_MARKED_UNRELEASED = Rule(
    "RA421",
    "The release's section is still marked unreleased",
    "A release is being made, but its section still says it is not released "
    "('Unreleased', 'in development', 'TBD' in place of the date), so the tag message "
    "and the published notes say the version is not out.",
    "Replace the marker with the release day (e.g. 'Released 2026-01-31', "
    "'## [X.Y.Z] - 2026-01-31', 'X.Y.Z (2026-01-31)') in the release commit.",
)

RELEASE_UNDATED_UNLIKE_OTHERS = Rule(
    "RA422",
    "The release's section has no date, unlike the others",
    "Warning: the changelog dates most releases, but the section being released has no "
    "date. (Keep a Changelog files: RA412.)",
    "Date the section as the others are dated.",
    severity=Severity.WARNING,
)

RULES: tuple[Rule, ...] = (
    CONFIGURED_CHANGELOG_MISSING,
    HEADING_VERSION_NOT_PEP440,
    RELEASE_VERSION_REPEATED,
    VERSIONS_OUT_OF_ORDER,
    RELEASE_DATE_INVALID,
    RELEASE_DATE_IN_FUTURE,
    RELEASE_SECTION_EMPTY,
    OLDER_SECTION_EMPTY,
    UNRELEASED_MISPLACED,
    HEADING_WITHOUT_LINK,
    LINK_WITHOUT_HEADING,
    RELEASE_SECTION_UNDATED,
    DIALECT_NOT_READ,
    UNRELEASED_NOTES_LEFT,
    NO_CHANGELOG,
    CHANGELOG_ANALYSED,
    OLDER_DATE_INVALID,
    DATE_NOT_ISO,
    OLDER_DATE_IN_FUTURE,
    OLDER_VERSION_REPEATED,
    RELEASE_MARKED_UNRELEASED,
    RELEASE_UNDATED_UNLIKE_OTHERS,
)
