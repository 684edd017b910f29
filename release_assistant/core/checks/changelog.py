"""``changelog``: the changelog is sound, and has a real section for the release.

The finding codes (``RA4xx``) and their severities are declared in
:mod:`release_assistant.core.rules.changelog`.

What every changelog shares is required of all of them: when a release is made, its
version has a section with notes, not marked unreleased, dated sensibly, not repeated.
Style (order, empty or oddly dated old sections, links) is only ever a warning, and Keep a
Changelog's own rules (ISO dates, a date on every release) apply to files that follow it.
Sections are ordered newest first by version, or by date for projects that list
maintenance releases of older series by date.

:func:`run_commit` is the commit-time variant behind the ``check-changelog-version``
pre-commit hook.
"""

from __future__ import annotations

import datetime as dt

from packaging.version import Version

from release_assistant.core.changelog.dates import all_iso_dates
from release_assistant.core.changelog.discovery import find_note_generator, unusable_changelog
from release_assistant.core.changelog.parser import Changelog
from release_assistant.core.changelog.sections import (
    Section,
    VersionKey,
    is_newer,
    release_keys,
    version_key,
)
from release_assistant.core.check_table import CHANGELOG
from release_assistant.core.checks import version as version_check
from release_assistant.core.collector import FindingCollector
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Severity
from release_assistant.core.rules.changelog import (
    CHANGELOG_ANALYSED,
    CONFIGURED_CHANGELOG_MISSING,
    DATE_NOT_ISO,
    DIALECT_NOT_READ,
    HEADING_VERSION_NOT_PEP440,
    HEADING_WITHOUT_LINK,
    LINK_WITHOUT_HEADING,
    NO_CHANGELOG,
    OLDER_DATE_IN_FUTURE,
    OLDER_DATE_INVALID,
    OLDER_SECTION_EMPTY,
    OLDER_VERSION_REPEATED,
    RELEASE_DATE_IN_FUTURE,
    RELEASE_DATE_INVALID,
    RELEASE_MARKED_UNRELEASED,
    RELEASE_SECTION_EMPTY,
    RELEASE_SECTION_UNDATED,
    RELEASE_UNDATED_UNLIKE_OTHERS,
    RELEASE_VERSION_REPEATED,
    UNRELEASED_MISPLACED,
    UNRELEASED_NOTES_LEFT,
    VERSIONS_OUT_OF_ORDER,
)
from release_assistant.core.support.confined import OutsideRepository

ID = CHANGELOG.id
TITLE = CHANGELOG.title


def run(ctx: RepoContext) -> CheckResult:
    """Check the changelog's structure and the section of the version under release."""
    out = FindingCollector(ID, TITLE)
    _check_changelog(ctx, out, describe=True)
    return out.result()


def run_commit(ctx: RepoContext) -> CheckResult:
    """Between releases: the version and the changelog agree, and the changelog is sound.

    This is what the ``check-changelog-version`` pre-commit hook runs on every commit: the
    ``version`` check's findings (without a tag: the project version has a section, or
    notes are collected for it; version files agree), then this check's. Neither runs in
    release mode, so ``Unreleased`` may hold notes and the current section may be work in
    progress. Notes about what was analysed are left out (a hook prints only problems), and
    the version findings when the ``version`` check is disabled in config.
    """
    out = FindingCollector(ID, TITLE)
    if ctx.config.settings_for(version_check.ID).enabled:
        out.findings += [
            finding
            for finding in version_check.run_between_commits(ctx).findings
            if finding.severity is not Severity.INFO
        ]
    _check_changelog(ctx, out, describe=False)
    return out.result()


def _check_changelog(ctx: RepoContext, out: FindingCollector, *, describe: bool) -> None:
    """The changelog exists, is sound, and has a proper section for the release."""
    found = ctx.changelog_file
    relpath = found.relpath or "CHANGELOG.md"
    try:
        changelog = ctx.changelog
    except OutsideRepository as outside:
        # Never read, so never quoted: the setting is what is wrong.
        out.add(CONFIGURED_CHANGELOG_MISSING, outside.message, path=relpath, hint=outside.hint)
        return
    if changelog is None:
        broken = None if found.configured else unusable_changelog(ctx.root_dir)
        if found.configured:
            out.add(
                CONFIGURED_CHANGELOG_MISSING,
                f"the configured changelog {relpath} does not exist",
                path=relpath,
                hint=f"create {relpath}, or fix changelog in [tool.release-assistant]",
            )
        elif broken is not None:
            out.add(
                CONFIGURED_CHANGELOG_MISSING,
                f"the changelog {broken} is not a regular file (a directory, a FIFO or a "
                "dangling link), so it cannot be read",
                path=broken,
                hint=f"make {broken} a readable UTF-8 text file",
            )
        elif (generator := find_note_generator(ctx.root_dir, ctx.towncrier)) is not None:
            out.add(
                CHANGELOG_ANALYSED,
                f"no changelog file: the release notes are generated by {generator.describe()}",
                path=generator.directory,
                severity=Severity.INFO,
            )
        else:
            out.warn(
                NO_CHANGELOG,
                "no changelog found (looked for towncrier's filename, then CHANGELOG, "
                "CHANGES, HISTORY, NEWS or RELEASE-NOTES (.md, .rst, .txt) at the root and "
                "under docs/)",
                hint="create CHANGELOG.md with a '## [Unreleased]' section "
                '(https://keepachangelog.com), or set changelog = "<file>" in '
                "[tool.release-assistant]",
            )
        return
    check_structure(changelog, relpath, ctx, out)
    release = ctx.release.version
    if release is not None and ctx.is_releasing:
        check_release_section(changelog, release, relpath, out, ctx)
    if describe:  # after the problems: what was read is context for them
        out.add(
            CHANGELOG_ANALYSED, _description(ctx, changelog), path=relpath, severity=Severity.INFO
        )


def _description(ctx: RepoContext, changelog: Changelog) -> str:
    found = ctx.changelog_file
    style = "Keep a Changelog" if changelog.keep_a_changelog else changelog.syntax
    releases = len(changelog.releases)
    text = (
        f"changelog {found.relpath} ({found.reason}; {style}, {releases} release "
        f"section{'s' if releases != 1 else ''})"
    )
    fragments = ctx.fragments
    if fragments is not None:
        text += (
            f"; {fragments.count} unreleased fragment{'s' if fragments.count != 1 else ''} "
            f"in {fragments.directory}/ ({fragments.reason})"
        )
    return text


def _release_key(ctx: RepoContext) -> VersionKey | None:
    """The key of the version under release, when a release is being made."""
    version = ctx.release.version
    return version_key(version) if version is not None and ctx.is_releasing else None


def check_structure(
    changelog: Changelog, relpath: str, ctx: RepoContext, out: FindingCollector
) -> None:
    """Report every structural problem: versions, order, dates, duplicates, links."""
    releases = changelog.releases
    if (
        not releases
        and changelog.unreleased is None
        and find_note_generator(ctx.root_dir, ctx.towncrier) is None
    ):
        out.warn(
            DIALECT_NOT_READ,
            f"cannot read this dialect: no release heading was read from {relpath} "
            "(expected headings such as '## [1.2.3] - 2026-01-31', '1.2.3 (2026-01-31)' "
            "underlined, 'Version 1.2.3' or '.. changelog:: 1.2.3')",
            path=relpath,
            hint="head each release with its version, or start with '## [Unreleased]'; if "
            'another file holds the notes, set changelog = "<file>" in '
            f'[tool.release-assistant]; to accept this file, ignore = ["{DIALECT_NOT_READ.code}"]',
        )
    # Strictly descending versions are all distinct, so duplicates are looked up (hashing
    # every key) only once the order has broken. Keys, not parsed versions: plain releases
    # (almost every heading) compare without a PEP 440 parse.
    seen: dict[VersionKey, Section] | None = None
    checked: list[tuple[VersionKey, Section]] = []
    previous: tuple[VersionKey, Section] | None = None
    release_key = _release_key(ctx)
    misplaced: list[tuple[Section, Section]] = []
    # One pass over all dates at once: when every one is a real ISO date not after today
    # (the usual case), no section needs its own date check.
    dates_fine = _all_dates_fine([s.date for s in releases if s.date is not None], ctx.today)
    for section, key in zip(releases, release_keys(releases), strict=True):
        if key is None:
            out.warn(
                HEADING_VERSION_NOT_PEP440,
                f"heading version {section.version_text!r} is not a valid PEP 440 version",
                path=relpath,
                line=section.line,
                hint="write versions like 1.2.3, 1.2.3rc1 or 1.2.3.post1",
            )
            continue
        descending = previous is None or is_newer(previous[0], key)
        if seen is None and not descending:
            seen = {}
            for earlier_key, earlier in checked:
                seen.setdefault(earlier_key, earlier)
        first = seen.get(key) if seen is not None else None
        if seen is None:
            checked.append((key, section))
        elif first is not None:
            _duplicate(section, first, key == release_key, relpath, out)
        else:
            seen[key] = section
        if not descending and first is None:
            assert previous is not None
            misplaced.append((previous[1], section))
        previous = (key, section)
        if not dates_fine and key != release_key:
            _check_old_date(section, changelog, relpath, ctx, out)
        if key != release_key and section.is_empty and not section.is_pending:
            out.warn(
                OLDER_SECTION_EMPTY,
                f"section for {section.version_text} has no notes",
                path=relpath,
                line=section.line,
                hint="add what changed, or remove it",
            )
    _check_order(misplaced, relpath, out)
    _check_unreleased(changelog, relpath, out)
    if changelog.syntax == "markdown":
        _check_links(changelog, relpath, out)


def _duplicate(
    section: Section, first: Section, released_now: bool, relpath: str, out: FindingCollector
) -> None:
    message = f"version {section.version_text} appears twice (first at line {first.line})"
    if released_now:
        out.add(
            RELEASE_VERSION_REPEATED,
            f"{message}: the release's notes are ambiguous",
            path=relpath,
            line=section.line,
            hint="merge the two sections into one",
        )
    else:
        out.warn(
            OLDER_VERSION_REPEATED,
            message,
            path=relpath,
            line=section.line,
            hint="merge the two sections into one",
        )


def _check_order(
    misplaced: list[tuple[Section, Section]], relpath: str, out: FindingCollector
) -> None:
    """Sections below a newer version are fine when the project orders by date across
    maintenance branches: a release of an older series (1.1.15) listed above a newer
    series' release (1.2.0b3) because it shipped later. Within one series, versions order."""
    by_date = all(_shipped_later(above, below) for above, below in misplaced)
    if by_date:
        return
    for above, below in misplaced:
        out.warn(
            VERSIONS_OUT_OF_ORDER,
            f"version {below.version_text} is listed below {above.version_text} "
            f"(line {above.line}); newest releases go first",
            path=relpath,
            line=below.line,
            hint="reorder the sections, newest first (by version, or by release date)",
        )


def _shipped_later(above: Section, below: Section) -> bool:
    """``above`` is of another series than ``below`` and was released the same day or
    later."""
    first, second = above.date_reading[1], below.date_reading[1]
    if first is None or second is None or first < second:
        return False
    above_version, below_version = above.version, below.version
    if above_version is None or below_version is None:
        return False
    return (*above_version.release, 0)[:2] != (*below_version.release, 0)[:2]


def _check_unreleased(changelog: Changelog, relpath: str, out: FindingCollector) -> None:
    unreleased = [s for s in changelog.sections if s.version_text is None and s.is_unreleased]
    for extra in unreleased[1:]:
        out.warn(
            UNRELEASED_MISPLACED,
            f"second {extra.label!r} section (first at line {unreleased[0].line})",
            path=relpath,
            line=extra.line,
            hint="keep one Unreleased section at the top",
        )
    releases = changelog.releases
    if unreleased and releases and releases[0].line < unreleased[0].line:
        out.warn(
            UNRELEASED_MISPLACED,
            f"{unreleased[0].label!r} must come before the released versions",
            path=relpath,
            line=unreleased[0].line,
            hint="move the Unreleased section to the top",
        )


def _all_dates_fine(dates: list[str], today: dt.date) -> bool:
    """True when every date is a real ``YYYY-MM-DD`` date, none after ``today``."""
    if not dates:
        return True
    # ISO dates order as strings; a non-ISO date that sorts high is caught below anyway.
    if max(dates) > today.isoformat() or not all_iso_dates(dates):
        return False
    try:
        for _ in map(dt.date.fromisoformat, dates):
            pass
    except ValueError:
        return False
    return True


def _check_old_date(
    section: Section, changelog: Changelog, relpath: str, ctx: RepoContext, out: FindingCollector
) -> None:
    """An older section's date: only style, so warnings (and Keep a Changelog's ISO rule
    only for files that follow it)."""
    if section.date is None:
        return
    kind, day = section.date_reading
    if kind == "invalid" or (kind == "unknown" and changelog.keep_a_changelog):
        out.warn(
            OLDER_DATE_INVALID,
            f"date {section.date!r} of {section.version_text} is not a real date",
            path=relpath,
            line=section.date_line,
            hint="write dates as 2026-01-31",
        )
    elif kind == "date" and changelog.keep_a_changelog:
        out.warn(
            DATE_NOT_ISO,
            f"date {section.date!r} of {section.version_text} is not written YYYY-MM-DD",
            path=relpath,
            line=section.date_line,
            hint="write dates as 2026-01-31 (Keep a Changelog uses ISO 8601)",
        )
    if day is not None and day > ctx.today + dt.timedelta(days=1):
        out.warn(
            OLDER_DATE_IN_FUTURE,
            f"date {section.date} of {section.version_text} is in the future "
            f"(today is {ctx.today.isoformat()})",
            path=relpath,
            line=section.date_line,
            hint="use the day it was released",
        )


def _check_links(changelog: Changelog, relpath: str, out: FindingCollector) -> None:
    labels = changelog.link_labels
    if not labels:
        # Plain `## [1.2.3]` headings without any link definitions are a common, harmless
        # style; only a changelog that links some versions should link them all.
        return
    # Compared as sets first, lowercased in one call: a long changelog links every release,
    # and the usual verdict (every heading has its definition and back) needs no loop.
    bracketed = [s for s in changelog.sections if s.bracketed and s.label]
    lowered = "\n".join(s.label or "" for s in bracketed).lower().split("\n") if bracketed else []
    headings = set(lowered)
    for section, label in zip(bracketed, lowered, strict=True):
        if headings <= labels:
            break
        if not section.has_inline_link and label not in labels:
            out.warn(
                HEADING_WITHOUT_LINK,
                f"heading [{section.label}] has no link definition",
                path=relpath,
                line=section.line,
                hint=f"add '[{section.label}]: <compare URL>' at the bottom",
            )
    if labels <= headings:
        return  # every definition names a heading; the usual case, decided without them
    for link in changelog.links:
        if link.label.lower() not in headings and _is_version_label(link.label):
            out.warn(
                LINK_WITHOUT_HEADING,
                f"link definition [{link.label}] matches no heading",
                path=relpath,
                line=link.line,
                hint="remove it or add the section",
            )


def _is_version_label(label: str) -> bool:
    if label.lower() == "unreleased" or label[:1].isdigit():
        return True
    return label[:1].lower() == "v" and label[1:2].isdigit()


def check_release_section(
    changelog: Changelog,
    version: Version,
    relpath: str,
    out: FindingCollector,
    ctx: RepoContext,
) -> None:
    """The release's own section: notes, a real date that is not in the future, not marked
    unreleased; ``Unreleased`` and fragments emptied into it."""
    section = version_check.find_section(changelog, version)
    if section is None:
        return  # reported by the version check (RA308), or a pre-release without its own
    if section.is_empty:
        out.add(
            RELEASE_SECTION_EMPTY,
            f"the section for {version}, the version being released, is empty",
            path=relpath,
            line=section.line,
            hint="write the release notes under this heading",
        )
    _check_release_date(changelog, section, version, relpath, out, ctx)
    unreleased = changelog.unreleased
    if unreleased is not None and not unreleased.is_empty:
        out.warn(
            UNRELEASED_NOTES_LEFT,
            f"{unreleased.label!r} still has notes while releasing {version}",
            path=relpath,
            line=unreleased.line,
            hint=f"move them under the {version} heading if they ship in this release",
        )
    fragments = ctx.fragments
    if fragments is not None and fragments.count:
        out.warn(
            UNRELEASED_NOTES_LEFT,
            f"{fragments.count} fragment{'s' if fragments.count != 1 else ''} in "
            f"{fragments.directory}/ not yet in the changelog while releasing {version}",
            path=fragments.directory,
            hint=f"run `towncrier build --version {version}` if they ship in this release",
        )


def _check_release_date(
    changelog: Changelog,
    section: Section,
    version: Version,
    relpath: str,
    out: FindingCollector,
    ctx: RepoContext,
) -> None:
    today = ctx.today
    kind, day = section.date_reading
    # A hint proposes the release's own day: the tag's, for a release that happened (asked
    # of git only when a hint may be given: a release dated in ISO form needs none).
    release_day = today.isoformat() if kind == "iso" else version_check.release_day(ctx)
    line = section.date_line
    if section.date is None:
        if (
            changelog.keep_a_changelog
            and not version.is_prerelease  # a pre-release is often dated at the final
            and _mostly_dated(changelog, but=section, alone=True)
        ):
            out.add(
                RELEASE_SECTION_UNDATED,
                f"the section for {version} has no release date",
                path=relpath,
                line=line,
                hint=f"write '## [{version}] - {release_day}'",
            )
        elif _mostly_dated(changelog, but=section):
            out.warn(
                RELEASE_UNDATED_UNLIKE_OTHERS,
                f"the section for {version} has no release date, unlike the other releases",
                path=relpath,
                line=line,
                hint=f"date it as the other sections are, e.g. {release_day}",
            )
    elif kind == "pending":
        out.add(
            RELEASE_MARKED_UNRELEASED,
            f"the section for {version} still says {section.date!r} while it is being released",
            path=relpath,
            line=line,
            hint=f"replace {section.date!r} with the release day, {release_day}",
        )
    elif kind == "invalid" or (kind == "unknown" and changelog.keep_a_changelog):
        out.add(
            RELEASE_DATE_INVALID,
            f"date {section.date!r} of {version}, the version being released, is not a real date",
            path=relpath,
            line=line,
            hint=f"write the release day, e.g. {release_day}",
        )
    elif day is not None and day > today + dt.timedelta(days=1):
        # A day of grace: the maintainer's calendar may be ahead of the machine's (UTC).
        out.add(
            RELEASE_DATE_IN_FUTURE,
            f"date {section.date} of {version} is in the future (today is {today.isoformat()})",
            path=relpath,
            line=line,
            hint=f"use the release day, e.g. {release_day}",
        )
    elif kind == "date" and changelog.keep_a_changelog:
        out.warn(
            DATE_NOT_ISO,
            f"date {section.date!r} of {version} is not written YYYY-MM-DD",
            path=relpath,
            line=line,
            hint=f"write it as {day.isoformat() if day else release_day}",
        )


def _mostly_dated(changelog: Changelog, but: Section, *, alone: bool = False) -> bool:
    """True when most of the releases listed after ``but`` (its nearest five) carry a date:
    the project dates its releases now, so an undated one is an omission, not the house
    style. A project that stopped dating its releases is judged by its recent ones.
    ``alone`` is the answer when there is no other release."""
    releases = changelog.releases
    index = next((i for i, section in enumerate(releases) if section is but), -1)
    neighbours = releases[index + 1 : index + 6] if index >= 0 else releases[:5]
    if len(neighbours) < 5 and index > 0:
        neighbours = [s for s in releases[max(0, index - 5) : index + 6] if s is not but][:5]
    if not neighbours:
        return alone
    dated = sum(1 for section in neighbours if section.date is not None)
    return dated * 2 > len(neighbours)
