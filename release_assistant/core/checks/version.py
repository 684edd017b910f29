"""``version``: the tag, the project metadata, extra version files and the changelog agree.

Codes: RA301 no version found, RA302 invalid project version, RA303 tag/version mismatch,
RA304 tag names no version, RA305 tag off ``tag_format`` (warning), RA306 version file
disagrees, RA307 version file unreadable or without a version, RA308 no changelog heading for
the version, RA309 version comes from git tags and no tag was given (warning).
"""

from __future__ import annotations

from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, FindingCollector
from release_assistant.core.textfiles import FileProblem, read_text
from release_assistant.core.versioning import find_version_in_text, parse_version

ID = "version"
TITLE = "Version metadata agrees"


def run(ctx: RepoContext) -> CheckResult:
    """Compare every version declaration with the version under release."""
    out = FindingCollector(ID, TITLE)
    target = ctx.release
    out.findings.extend(target.findings)
    source = target.source
    if source is not None and source.from_vcs and ctx.tag is None:
        out.warn(
            "RA309",
            f"the version comes from the {source.description}; without --tag "
            "there is no version to check",
            hint="pass --tag vX.Y.Z for the release",
        )
    version = target.version
    if version is None:
        return out.result()

    for entry in ctx.config.version_files:
        path = ctx.path(entry.path)
        try:
            text = read_text(path)
        except FileProblem as problem:
            out.add(
                "RA307",
                f"version file {problem.message}",
                path=entry.path,
                hint="fix the path in [tool.release-assistant] version_files",
            )
            continue
        found = find_version_in_text(text, entry.pattern)
        if found is None:
            out.add(
                "RA307",
                "no version assignment found in this version file",
                path=entry.path,
                hint='add __version__ = "X.Y.Z" or fix the pattern',
            )
            continue
        value, line = found
        if parse_version(value) != version:
            out.add(
                "RA306",
                f"says version {value}, but the release is {version}",
                path=entry.path,
                line=line,
                hint=f'set it to "{version}"',
            )

    changelog = ctx.changelog
    if changelog is None:
        # The changelog check reports the missing file; one finding is enough.
        return out.result()
    if changelog.find(version) is None:
        unreleased = changelog.unreleased
        hint = (
            f"rename '## [Unreleased]' (line {unreleased.line}) to "
            f"'## [{version}] - {ctx.today.isoformat()}' and start a new empty Unreleased section"
            if unreleased is not None
            else f"add '## [{version}] - {ctx.today.isoformat()}' with the release notes"
        )
        out.add(
            "RA308",
            f"no changelog section for version {version}",
            path=ctx.config.changelog,
            line=unreleased.line if unreleased is not None else None,
            hint=hint,
        )
    return out.result()
