"""``version``: the tag, the project metadata, version files and the changelog agree.

The finding codes (``RA3xx``) and their severities are declared in
:mod:`release_assistant.core.rules.version`.

Without a tag (between releases) the check asks what holds on every commit: the versions
agree, and the project version has a changelog section or somewhere collects the next
release's notes (``Unreleased``, a section marked unreleased, towncrier fragments); a
development version (``2.0.0.dev0``) needs neither. With a tag (a release being made) the
tag must name the project version in its canonical spelling, and the changelog must have
the version's section. A version the tool cannot read, or one that comes from the git tag
when no tag is given, makes the check ``skip`` with the reason.

"No changelog section" (RA308) is a claim of absence, so it is an error only when the tool
understood the whole changelog: when it read no release from it (a dialect it does not
read), or a line names the version in a form it did not read as a heading, it says so
instead, as a warning naming the file or the line (RA316). Notes a tool generates from
files of its own (towncrier fragments, reno, changie, scriv) are the release's notes when
the tool's configuration is there (RA317). A hint for a release that already happened
proposes its own day (the tag's), never today's.
"""

from __future__ import annotations

import os
import re
from itertools import islice
from typing import TYPE_CHECKING

from packaging.version import Version

from release_assistant.core.changelog.discovery import (
    NoteGenerator,
    find_note_generator,
    unusable_changelog,
)
from release_assistant.core.changelog.sections import section_also_naming
from release_assistant.core.check_table import VERSION
from release_assistant.core.collector import FindingCollector
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Severity
from release_assistant.core.project.version_files import (
    discover_version_file,
    find_version_in_text,
    parse_version,
)
from release_assistant.core.rules.version import (
    BOT_RELEASE,
    CHANGELOG_NOT_UNDERSTOOD,
    CHANGELOG_UNREADABLE_FOR_VERSION,
    GENERATED_RELEASE_NOTES,
    NO_CHANGELOG_NOTES_UNCHECKED,
    NO_CHANGELOG_SECTION,
    RELEASED_VERSION_WITHOUT_SECTION,
    TAG_FORMAT_IN_USE,
    TAG_VERSION_MISMATCH,
    VERSION_FILE_DISAGREES,
    VERSION_FILE_UNREADABLE,
    VERSION_SOURCE,
)
from release_assistant.core.support.confined import (
    read_bytes_inside,
    read_text_inside,
    setting_name,
)
from release_assistant.core.support.textfiles import FileProblem
from release_assistant.core.support.user_regex import PatternProblem

if TYPE_CHECKING:
    from release_assistant.core.changelog.parser import Changelog
    from release_assistant.core.changelog.sections import Section
    from release_assistant.core.workflows.release_bot import ReleaseBot

ID = VERSION.id
TITLE = VERSION.title


def run(ctx: RepoContext) -> CheckResult:
    """Compare every version declaration with the version under release, and validate
    ``[project]`` against the packaging specifications (RA320)."""
    # When the changelog check runs too, an unreadable changelog is its finding (RA401), once.
    return _run(
        ctx, validate_project=True, name_changelog_file="changelog" not in ctx.checks_running
    )


def run_between_commits(ctx: RepoContext) -> CheckResult:
    """:func:`run` without the ``[project]`` validation, for the pre-commit hook: parsing
    every requirement imports ``packaging.requirements`` (and with it ``subprocess``), which
    a commit should not pay for; ``release-assistant check`` validates it. The hook's
    changelog check names an unreadable changelog itself (RA401), so this leaves it out."""
    return _run(ctx, validate_project=False, name_changelog_file=False)


def _run(ctx: RepoContext, *, validate_project: bool, name_changelog_file: bool) -> CheckResult:
    out = FindingCollector(ID, TITLE)
    target = ctx.release
    out.findings.extend(target.findings)
    bot = ctx.release_bot if ctx.tag is not None or ctx.is_releasing else None
    if validate_project and ctx.pyproject is not None:
        from release_assistant.core.project.table import project_problems

        out.findings.extend(project_problems(ctx.pyproject))
    source = target.source
    skip_reason: str | None = None
    if source is not None and source.unread is not None:
        skip_reason = f"the version is not read: {source.unread}"
        if ctx.tag is not None:
            skip_reason += f"; the tag's version {target.version} is taken as the release"
    elif source is not None and source.from_vcs and ctx.tag is None:
        skip_reason = (
            f"the version comes from the {source.description} at build time; "
            "pass --tag to check a release"
        )
    version = target.version
    if version is None:
        return out.result(skip_reason=skip_reason)
    if source is not None and source.value is not None:
        _check_version_files(ctx, version, out)
    _check_changelog_section(ctx, version, out, name_changelog_file)
    if skip_reason is None and ctx.tag is not None:
        out.add(
            TAG_FORMAT_IN_USE,
            f"{ctx.tag_format.describe()}",
            hint="set tag_format in [tool.release-assistant] to choose another",
            severity=Severity.INFO,
        )
    if skip_reason is None and source is not None and source.value is not None:
        development = " (a development version)" if version.is_devrelease else ""
        out.add(
            VERSION_SOURCE,
            f"version {source.value}{development} from {source.description}",
            path=source.path,
            line=source.line,
            severity=Severity.INFO,
        )
    if bot is not None:
        _judge_as_the_bot_makes_it(bot, out)
    return out.result(skip_reason=skip_reason)


def _judge_as_the_bot_makes_it(bot: ReleaseBot, out: FindingCollector) -> None:
    """Say that a bot makes the release (RA321); when it writes the version and changelog
    after the tag, what it writes is not demanded at the tag (RA303, RA308 become notes)."""
    from dataclasses import replace

    out.add(BOT_RELEASE, f"the release is made by a bot: {bot.describe()}", severity=Severity.INFO)
    if not bot.after_tag:
        return
    out.findings[:] = [
        replace(
            finding,
            severity=Severity.INFO,
            message=f"{finding.message} (written by {bot.tool} after the tag: not demanded here)",
        )
        if finding.code in (TAG_VERSION_MISMATCH.code, NO_CHANGELOG_SECTION.code)
        else finding
        for finding in out.findings
    ]


def _check_version_files(ctx: RepoContext, version: Version, out: FindingCollector) -> None:
    """Configured ``version_files`` agree; without them, the package's ``__version__``."""
    for entry in ctx.config.version_files:
        try:
            text = read_text_inside(ctx.root_dir, entry.path, setting_name("version_files"))
        except FileProblem as problem:
            out.add(
                VERSION_FILE_UNREADABLE,
                f"version file {problem.message}",
                path=entry.path,
                hint="fix the path in [tool.release-assistant] version_files",
            )
            continue
        try:
            found = find_version_in_text(text, entry.pattern, "version_files pattern")
        except PatternProblem as problem:
            out.add(
                VERSION_FILE_UNREADABLE,
                str(problem),
                path=entry.path,
                hint="simplify the pattern in [tool.release-assistant] version_files",
            )
            continue
        if found is None:
            out.add(
                VERSION_FILE_UNREADABLE,
                "no version assignment found in this version file",
                path=entry.path,
                hint='add __version__ = "X.Y.Z" or fix the pattern',
            )
            continue
        value, line = found
        if parse_version(value) != version:
            out.add(
                VERSION_FILE_DISAGREES,
                f"says version {value}, but the release is {version}",
                path=entry.path,
                line=line,
                hint=f'set it to "{version}"',
            )
    source = ctx.release.source
    if ctx.config.version_files or source is None:
        return
    discovered = discover_version_file(
        ctx.root_dir, ctx.pyproject.data if ctx.pyproject else None, source
    )
    if discovered is not None and parse_version(discovered[1]) != version:
        relpath, value, line = discovered
        out.add(
            VERSION_FILE_DISAGREES,
            f"__version__ says {value}, but the release is {version} (from {source.description})",
            path=relpath,
            line=line,
            hint=f'set it to "{version}", or list the file in version_files with the '
            "pattern it uses",
        )


def find_section(changelog: Changelog, version: Version) -> Section | None:
    """The changelog's section for ``version``: its own heading, or one that names it
    beside another package's version (``Version 1.44.0/0.65b0``)."""
    found = changelog.find(version)
    return found if found is not None else section_also_naming(changelog.sections, version)


def release_day(ctx: RepoContext) -> str:
    """The day to propose in a hint for the release's section: the day its tag was made
    when the tag exists already (a release that happened: never today), else today."""
    tag = _existing_tag(ctx) if ctx.tag is not None else None
    if tag is not None:
        from release_assistant.core.git.readonly import run_git

        output = run_git(
            ctx.root_dir, ["for-each-ref", "--format=%(creatordate:short)", f"refs/tags/{tag}"]
        )
        day = output.text().strip() if output is not None and output.ok else ""
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            return day
    return ctx.today.isoformat()


def _notes_generated(
    ctx: RepoContext,
    version: Version,
    generator: NoteGenerator | None,
    relpath: str | None,
    out: FindingCollector,
) -> bool:
    """At a release without a section: the notes a configured tool generates count
    (RA317); ``False`` when no such tool has notes."""
    fragments = ctx.fragments
    if fragments is not None and fragments.count and ctx.towncrier is not None:
        out.warn(
            GENERATED_RELEASE_NOTES,
            f"the notes for {version} are {fragments.count} towncrier fragment"
            f"{'s' if fragments.count != 1 else ''} in {fragments.directory}/, not yet "
            f"written into {relpath}",
            path=fragments.directory,
            hint=f"run `towncrier build --version {version}` before tagging, unless the "
            "release workflow or the documentation build writes them",
        )
        return True
    if generator is None or not generator.count:
        return False
    if generator.consumed:
        out.warn(
            GENERATED_RELEASE_NOTES,
            f"the notes for {version} are {generator.describe()}, not yet written into {relpath}",
            path=generator.directory,
            hint=f"let {generator.tool} write them into the changelog before tagging, "
            "unless the release workflow does",
        )
    else:
        out.add(
            GENERATED_RELEASE_NOTES,
            f"the notes for {version} are generated by {generator.describe()} from the "
            "repository's history",
            path=generator.directory,
            severity=Severity.INFO,
        )
    return True


# A changelog line that names the version but was not read as its heading.
def _mention(version: Version, tag_text: str | None) -> re.Pattern[str]:
    spellings = {str(version)}
    if tag_text:
        spellings.add(tag_text.lstrip("vV"))
    alternatives = "|".join(re.escape(text) for text in sorted(spellings, key=len, reverse=True))
    return re.compile(rf"(?<![\w.+-])[vV]?(?:{alternatives})(?![\w+]|\.\d)")


def _not_understood(
    ctx: RepoContext,
    changelog: Changelog,
    version: Version,
    relpath: str | None,
    out: FindingCollector,
    name_dialect: bool,
) -> bool:
    """ "No section" would be a claim about text the tool did not understand: it read no
    release from the changelog, or a line names the version in a form it did not read as
    a heading. Says so (RA316) and returns ``True``; ``False`` when it understood it all.

    ``name_dialect``: say that no release was read at all, unless the changelog check,
    running alongside, says it (RA413): one finding per cause."""
    where = f'changelog = "{relpath}"' if relpath else 'changelog = "<file>"'
    if not changelog.releases and changelog.unreleased is None:
        if not name_dialect:
            return True
        out.warn(
            CHANGELOG_NOT_UNDERSTOOD,
            f"cannot read this dialect: no release heading was read from {relpath}, so "
            f"whether it has notes for {version} is not known",
            path=relpath,
            hint=f"head each release with its version ('## 1.2.3', '1.2.3 (2026-01-31)' "
            f"underlined); if the file is right, point the tool at the notes ({where} in "
            f'[tool.release-assistant]) or set ignore = ["{CHANGELOG_NOT_UNDERSTOOD.code}"]',
        )
        return True
    tag_text = None
    if ctx.release.tag is not None:
        from release_assistant.core.project.tags import version_from_tag

        tag_text = version_from_tag(ctx.release.tag, ctx.tag_format.format).version_text
    scanned = changelog.scanned
    match = _mention(version, tag_text).search(scanned)
    if match is None:
        return False
    line_number = scanned.count("\n", 0, match.start())
    start = scanned.rfind("\n", 0, match.start()) + 1
    end = scanned.find("\n", match.end())
    line = scanned[start : end if end >= 0 else len(scanned)].strip()
    out.warn(
        CHANGELOG_NOT_UNDERSTOOD,
        f"line {line_number} names {version} in a form not read as a release heading "
        f"({line[:80]!r}), so whether {relpath} has notes for {version} is not known",
        path=relpath,
        line=line_number,
        hint=f"if that is the release's heading, write it as the others are; otherwise "
        f'add the section for {version}, or set ignore = ["{CHANGELOG_NOT_UNDERSTOOD.code}"] '
        "in [tool.release-assistant]",
    )
    return True


def _collects_notes(ctx: RepoContext, generator: NoteGenerator | None = None) -> bool:
    """Somewhere gathers the next release's notes: an ``Unreleased`` section, towncrier
    fragments, a tool that generates notes (reno, changie, scriv), or a release section at
    the top marked unreleased (``Version 2.0.0`` / ``Unreleased``)."""
    changelog = ctx.changelog
    if changelog is None:
        return False
    if changelog.unreleased is not None or ctx.fragments is not None or generator is not None:
        return True
    top = islice((s for s in changelog.sections if s.version_text is not None), 3)
    return any(section.is_pending for section in top)


def _check_changelog_section(
    ctx: RepoContext, version: Version, out: FindingCollector, name_changelog_file: bool
) -> None:
    """The changelog has the version's section, or (between releases) collects its notes.

    ``name_changelog_file``: say why when the changelog cannot be read (RA314/RA315), unless
    the changelog check, running alongside, says it.
    """
    if not name_changelog_file:
        try:
            changelog = ctx.changelog
        except FileProblem:
            return
    else:
        changelog = _readable_changelog(ctx, version, out)
    if changelog is None:
        return
    if find_section(changelog, version) is not None:
        return
    fragments = ctx.fragments
    base = Version(version.base_version)
    if version.is_prerelease and find_section(changelog, base) is not None:
        return  # 2.0.0rc1 and 2.0.0.dev0 are written up in the 2.0.0 section
    generator = find_note_generator(ctx.root_dir, ctx.towncrier)
    if not ctx.is_releasing and (version.is_devrelease or _collects_notes(ctx, generator)):
        return
    if ctx.is_releasing and version.is_prerelease and _collects_notes(ctx, generator):
        return  # a pre-release's notes may stay in Unreleased until the final release
    relpath = ctx.changelog_file.relpath
    if ctx.is_releasing and _notes_generated(ctx, version, generator, relpath, out):
        return
    if _not_understood(ctx, changelog, version, relpath, out, name_changelog_file):
        return
    unreleased = changelog.unreleased
    today = release_day(ctx)
    if fragments is not None and fragments.count:
        hint = (
            f"run `towncrier build --version {version}` to write the {fragments.count} "
            f"fragments in {fragments.directory}/ into {relpath}"
        )
    elif unreleased is not None and changelog.keep_a_changelog:
        hint = (
            f"rename '## [Unreleased]' (line {unreleased.line}) to '## [{version}] - {today}' "
            "and start a new empty Unreleased section"
        )
    elif unreleased is not None:
        hint = f"rename the {unreleased.label!r} heading (line {unreleased.line}) to {version}"
    elif changelog.keep_a_changelog or changelog.syntax == "markdown":
        hint = f"add '## [{version}] - {today}' with the release notes"
    else:
        hint = f"add a section headed '{version} ({today})' with the release notes"
    if not ctx.is_releasing and (tag := _existing_tag(ctx)) is not None:
        # Released already (its tag exists) without a section: history to tidy, not a
        # problem for the next release, whose own section is checked when it is made.
        out.add(
            RELEASED_VERSION_WITHOUT_SECTION,
            f"version {version} was released (tag {tag} exists) without a changelog section",
            path=relpath,
            hint=f"add the notes for {version} to {relpath}; if release notes live elsewhere "
            f'(GitHub releases), ignore = ["{RELEASED_VERSION_WITHOUT_SECTION.code}"]',
        )
        return
    out.add(
        NO_CHANGELOG_SECTION,
        f"no changelog section for version {version}",
        path=relpath,
        line=unreleased.line if unreleased is not None else None,
        hint=hint,
    )


def _readable_changelog(
    ctx: RepoContext, version: Version, out: FindingCollector
) -> Changelog | None:
    """The changelog, or ``None`` after saying why this check cannot look in it (RA314).

    The version check names the problem itself, so that ``--only version`` (or a disabled
    changelog check) never reads as "ready to release" over a changelog nobody could read.
    """
    found = ctx.changelog_file
    relpath = found.relpath or unusable_changelog(ctx.root_dir)
    try:
        changelog = ctx.changelog
        if changelog is None and relpath is not None:
            path = os.path.join(ctx.root_dir, relpath)
            if os.path.lexists(path):
                # Not a regular file: raises, naming why.
                read_bytes_inside(ctx.root_dir, relpath, ctx.changelog_setting, "a changelog")
    except FileProblem as problem:
        out.add(
            CHANGELOG_UNREADABLE_FOR_VERSION,
            f"the changelog cannot be read ({problem.message}), so version {version} "
            "cannot be found in it",
            path=relpath,
            line=problem.line,
            hint=getattr(problem, "hint", None) or f"make {relpath} a readable UTF-8 text file",
        )
        return None
    if changelog is not None:
        return changelog
    if found.configured:
        out.add(
            CHANGELOG_UNREADABLE_FOR_VERSION,
            f"the configured changelog {relpath} does not exist, so version {version} "
            "has no changelog section",
            path=relpath,
            hint=f"create {relpath}, or fix changelog in [tool.release-assistant]",
        )
    elif ctx.is_releasing:  # between releases the notes are not due yet
        out.add(
            NO_CHANGELOG_NOTES_UNCHECKED,
            f"no changelog found, so the notes for version {version} are not checked",
            hint="create CHANGELOG.md with a section for the release, or set "
            'changelog = "<file>" in [tool.release-assistant]',
        )
    return None


def _existing_tag(ctx: RepoContext) -> str | None:
    """The version's tag when it already exists in the repository (the version is released)."""
    from release_assistant.core.git.readonly import run_git
    from release_assistant.core.git.refnames import tag_name_problem

    tag = ctx.release.tag
    if tag is None or tag_name_problem(tag) is not None:
        return None
    output = run_git(ctx.root_dir, ["rev-parse", "--verify", "--quiet", f"refs/tags/{tag}"])
    return tag if output is not None and output.ok else None
