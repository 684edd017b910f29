"""``changelog``: Keep-a-Changelog structure, and a real section for the release.

Codes: RA401 changelog missing, RA402 heading version not PEP 440, RA403 duplicate version,
RA404 versions not strictly descending, RA405 date not ISO ``YYYY-MM-DD``, RA406 date in the
future, RA407 release section empty, RA408 other section empty (warning), RA409 ``Unreleased``
misplaced or repeated, RA410 bracketed heading without a link definition (warning), RA411 link
definition for no heading (warning), RA412 release section without a date, RA413 no release
headings at all (warning), RA414 ``Unreleased`` still holds notes at release time (warning).

:func:`run_commit` is the commit-time variant behind the ``check-changelog-version``
pre-commit hook.
"""

from __future__ import annotations

import datetime as dt

from packaging.version import Version

from release_assistant.core.changelog import (
    Changelog,
    Section,
    VersionKey,
    all_iso_dates,
    is_iso_date,
    is_newer,
    release_keys,
    version_key,
)
from release_assistant.core.checks import version as version_check
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, FindingCollector

ID = "changelog"
TITLE = "Changelog structure"


def run(ctx: RepoContext) -> CheckResult:
    """Check the changelog's structure and the section of the version under release."""
    out = FindingCollector(ID, TITLE)
    _check_changelog(ctx, out, unreleased_may_have_notes=False)
    return out.result()


def run_commit(ctx: RepoContext) -> CheckResult:
    """Between releases: the version and the changelog agree, and the changelog is sound.

    This is what the ``check-changelog-version`` pre-commit hook runs on every commit. It asks
    less than ``version`` + ``changelog`` do at release time, because between releases the
    project version is the last release or the next one being prepared:

    - the project version has a changelog section, **or** an ``Unreleased`` section exists
      to collect the notes (RA308 otherwise, with the version check's hint);
    - the other version findings stand (RA301/RA302 no or invalid version, RA306/RA307
      ``version_files`` disagree), except RA309: there is no tag to compare at commit time;
    - the whole structure check runs; a section that exists for the project version must be
      dated and have notes (RA412/RA407), but ``Unreleased`` may hold notes (no RA414).

    The version findings are left out when the ``version`` check is disabled in config.
    """
    out = FindingCollector(ID, TITLE)
    changelog = ctx.changelog
    if ctx.config.settings_for(version_check.ID).enabled:
        for finding in version_check.run(ctx).findings:
            if finding.code == "RA309":
                continue
            if finding.code == "RA308" and changelog is not None and changelog.unreleased:
                continue
            out.findings.append(finding)
    _check_changelog(ctx, out, unreleased_may_have_notes=True)
    return out.result()


def _check_changelog(
    ctx: RepoContext, out: FindingCollector, *, unreleased_may_have_notes: bool
) -> None:
    """The changelog exists, is sound, and has a proper section for the release."""
    relpath = ctx.config.changelog
    changelog = ctx.changelog
    if changelog is None:
        out.add(
            "RA401",
            "changelog not found",
            path=relpath,
            hint=f"create {relpath} with a '## [Unreleased]' section "
            "(https://keepachangelog.com), or set changelog in [tool.release-assistant]",
        )
        return
    check_structure(changelog, relpath, ctx, out)
    release = ctx.release.version
    if release is not None:
        check_release_section(
            changelog, release, relpath, out, unreleased_may_have_notes=unreleased_may_have_notes
        )


def check_structure(
    changelog: Changelog, relpath: str, ctx: RepoContext, out: FindingCollector
) -> None:
    """Report every structural problem: versions, order, dates, duplicates, links."""
    releases = changelog.releases
    if not releases and changelog.unreleased is None:
        out.warn(
            "RA413",
            "no release headings found (expected '## [X.Y.Z] - YYYY-MM-DD')",
            path=relpath,
            hint="start with '## [Unreleased]' and add notes under it",
        )
    # Strictly descending versions are all distinct, so duplicates are looked up (hashing
    # every key) only once the order has broken. Keys, not parsed versions: plain releases
    # (almost every heading) compare without a PEP 440 parse.
    seen: dict[VersionKey, Section] | None = None
    checked: list[tuple[VersionKey, Section]] = []
    previous: tuple[VersionKey, Section] | None = None
    release_version = ctx.release.version
    release_key = version_key(release_version) if release_version is not None else None
    today = ctx.today.isoformat()
    # One pass over all dates at once: when every one is a real ISO date not after today
    # (the usual case), no section needs its own date check.
    dates_fine = _all_dates_fine([s.date for s in releases if s.date is not None], today)
    for section, key in zip(releases, release_keys(releases), strict=True):
        if key is None:
            out.add(
                "RA402",
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
            out.add(
                "RA403",
                f"version {section.version} appears twice (first at line {first.line})",
                path=relpath,
                line=section.line,
                hint="merge the two sections into one",
            )
        else:
            seen[key] = section
        if not descending and first is None:
            assert previous is not None
            out.add(
                "RA404",
                f"version {section.version} is listed below {previous[1].version} "
                f"(line {previous[1].line}); newest releases go first",
                path=relpath,
                line=section.line,
                hint="reorder the sections, newest first",
            )
        previous = (key, section)
        if not dates_fine:
            _check_date(section, relpath, ctx, out)
        if key != release_key and section.is_empty:
            out.warn(
                "RA408",
                f"section for {section.version} has no notes",
                path=relpath,
                line=section.line,
                hint="add what changed, or remove it",
            )

    unreleased = [s for s in changelog.sections if s.version_text is None and s.is_unreleased]
    for extra in unreleased[1:]:
        out.add(
            "RA409",
            f"second 'Unreleased' section (first at line {unreleased[0].line})",
            path=relpath,
            line=extra.line,
            hint="keep one Unreleased section at the top",
        )
    if unreleased and releases and releases[0].line < unreleased[0].line:
        out.add(
            "RA409",
            "'Unreleased' must come before the released versions",
            path=relpath,
            line=unreleased[0].line,
            hint="move the Unreleased section to the top",
        )
    _check_links(changelog, relpath, out)


def _all_dates_fine(dates: list[str], today: str) -> bool:
    """True when every date is a real ``YYYY-MM-DD`` date, none after ``today``."""
    if not dates:
        return True
    # ISO dates order as strings; a non-ISO date that sorts high is caught below anyway.
    if max(dates) > today or not all_iso_dates(dates):
        return False
    try:
        for _ in map(dt.date.fromisoformat, dates):
            pass
    except ValueError:
        return False
    return True


def _check_date(section: Section, relpath: str, ctx: RepoContext, out: FindingCollector) -> None:
    if section.date is None:
        return
    if not is_iso_date(section.date):
        out.add(
            "RA405",
            f"date {section.date!r} is not an ISO date (YYYY-MM-DD)",
            path=relpath,
            line=section.line,
            hint="write dates as 2026-01-31",
        )
        return
    try:
        day = dt.date.fromisoformat(section.date)
    except ValueError:
        out.add(
            "RA405",
            f"date {section.date!r} is not a real calendar date",
            path=relpath,
            line=section.line,
            hint="fix the date",
        )
        return
    if day > ctx.today:
        out.add(
            "RA406",
            f"date {section.date} is in the future (today is {ctx.today.isoformat()})",
            path=relpath,
            line=section.line,
            hint=f"use the release day, e.g. {ctx.today.isoformat()}",
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
                "RA410",
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
                "RA411",
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
    *,
    unreleased_may_have_notes: bool = False,
) -> None:
    """The release's own section must have notes and a date; Unreleased should be emptied.

    ``unreleased_may_have_notes`` drops the last rule (RA414), for commits between releases.
    """
    section = changelog.find(version)
    if section is None:
        return  # reported by the version check (RA308)
    if section.is_empty:
        out.add(
            "RA407",
            f"the section for {version}, the version being released, is empty",
            path=relpath,
            line=section.line,
            hint="write the release notes under this heading",
        )
    if section.date is None:
        out.add(
            "RA412",
            f"the section for {version} has no release date",
            path=relpath,
            line=section.line,
            hint=f"write '## [{version}] - YYYY-MM-DD'",
        )
    unreleased = changelog.unreleased
    if not unreleased_may_have_notes and unreleased is not None and not unreleased.is_empty:
        out.warn(
            "RA414",
            f"'Unreleased' still has notes while releasing {version}",
            path=relpath,
            line=unreleased.line,
            hint=f"move them under [{version}] if they ship in this release",
        )
