"""The release target: the version (and tag) under release, resolved from ``--tag`` and the
project's version source, with the problems found on the way (RA301-RA305, RA310).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from packaging.version import Version

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.project.tags import (
    _TAG_SPLIT,
    TagFormat,
    format_tag,
    version_from_tag,
)
from release_assistant.core.project.version_files import (
    VersionNotFound,
    VersionSource,
    parse_version,
)
from release_assistant.core.project.version_sources import member_version, project_version
from release_assistant.core.rules.version import (
    INVALID_PROJECT_VERSION,
    NO_PROJECT_VERSION,
    TAG_FORMAT_MISMATCH,
    TAG_NOT_CANONICAL,
    TAG_VERSION_MISMATCH,
    TAG_WITHOUT_VERSION,
)
from release_assistant.core.support.toml_lines import TomlDocument


@dataclass(slots=True)
class ReleaseTarget:
    """The version (and tag) under release, with the problems found while resolving them.

    ``given_tag`` is the tag the user gave; :attr:`tag` is that tag, or the tag the
    project's version would get (worked out on first use: it may ask git for the tags).
    """

    version: Version | None
    given_tag: str | None
    source: VersionSource | None
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    tag_format: Callable[[], TagFormat] | None = field(default=None, repr=False, compare=False)

    @property
    def tag(self) -> str | None:
        """The tag under release (``None`` when no tag was given and the version is
        unknown)."""
        if self.given_tag is not None:
            return self.given_tag
        if self.version is None or self.tag_format is None:
            return None
        return format_tag(self.tag_format().format, str(self.version))

    @property
    def version_text(self) -> str | None:
        """Normalized version string, when known."""
        return str(self.version) if self.version is not None else None


def resolve_release_target(
    root_dir: str,
    git_root: str,
    pyproject: TomlDocument | None,
    tag: str | None,
    tag_format: Callable[[], TagFormat],
) -> ReleaseTarget:
    """Work out which version is being released, from ``tag`` (``--tag``; ``None`` when not
    given) and the metadata of the project at ``root_dir`` (in the work tree at
    ``git_root``, with its parsed ``pyproject``). ``tag_format`` gives the tag format in use;
    it is asked only when needed (it may ask git for the tags)."""
    findings: list[Finding] = []
    line_of = pyproject.line_of if pyproject is not None else None
    data = pyproject.data if pyproject is not None else None
    try:
        source: VersionSource | None = project_version(root_dir, data, line_of)
    except VersionNotFound as missing:
        source = None
        findings.append(
            Finding(
                NO_PROJECT_VERSION.code,
                str(missing),
                path=missing.path,
                line=missing.line,
                hint="declare the version in pyproject.toml [project].version",
            )
        )
    project_ver: Version | None = None
    if source is not None and source.value is not None:
        project_ver = parse_version(source.value)
        if project_ver is None:
            findings.append(
                Finding(
                    INVALID_PROJECT_VERSION.code,
                    f"project version {source.value!r} is not a valid PEP 440 version",
                    path=source.path,
                    line=source.line,
                    hint="use a version like 1.2.3, 1.2.3rc1 or 1.2.3.post1",
                )
            )

    if tag is None:
        return ReleaseTarget(project_ver, None, source, tuple(findings), tag_format)

    tag_format_in_use = tag_format()
    if source is not None and source.members:
        # A workspace root: the tag's prefix names the distribution being released.
        chosen = _member_for_tag(tag, source.members)
        if chosen is not None:
            directory, prefix = chosen
            try:
                source = member_version(root_dir, directory)
            except VersionNotFound as missing:
                source = None
                findings.append(
                    Finding(
                        NO_PROJECT_VERSION.code, str(missing), path=missing.path, line=missing.line
                    )
                )
            project_ver = parse_version(source.value) if source and source.value else None
            tag_format_in_use = TagFormat(f"{prefix}{{version}}", "inferred", 1, tag)
    elif tag_format_in_use.source != "configured":
        named = _named_tag_format(tag, tag_format_in_use, root_dir, git_root, data)
        if named is not None:
            tag_format_in_use = named
    fmt = tag_format_in_use.format
    tag_info = version_from_tag(tag, fmt)
    tag_ver = parse_version(tag_info.version_text)
    if tag_ver is None:
        findings.append(
            Finding(
                TAG_WITHOUT_VERSION.code,
                f"tag {tag_info.tag!r} does not name a PEP 440 version "
                f"({tag_format_in_use.describe()})",
                hint=f"use a tag like {format_tag(fmt, '1.2.3')}",
            )
        )
        return ReleaseTarget(None, tag_info.tag, source, tuple(findings), tag_format)
    static = source is not None and not source.from_vcs and project_ver is not None
    spelled = _canonical_spellings(tag_ver, source if static else None, project_ver)
    canonical = format_tag(fmt, str(project_ver if static else tag_ver))
    # A tag-derived version is the tag itself: its spelling is judged only against the
    # repository's own tags, which may pad (`v2024.01.05`) by convention.
    respelled = tag_info.version_text not in spelled and (static or not tag_format_in_use.padded)
    if (
        tag_info.follows_format
        and (tag_info.case_only or respelled)
        and (not static or project_ver == tag_ver)
    ):
        findings.append(
            Finding(
                TAG_NOT_CANONICAL.code,
                f"tag {tag_info.tag!r} names version {tag_ver} but is not its canonical "
                f"spelling {canonical!r} ({tag_format_in_use.describe()})",
                hint=f"tag as {canonical}; a tag is permanent, and tools that compare the tag "
                "with the version as text reject this one",
            )
        )
    elif not tag_info.follows_format and tag_format_in_use.source != "default":
        expected = format_tag(fmt, str(tag_ver))
        findings.append(
            Finding(
                TAG_FORMAT_MISMATCH.code,
                f"tag {tag_info.tag!r} does not follow the {tag_format_in_use.describe()} "
                f"(expected {expected!r})",
                hint=f"tag as {expected}, or set tag_format in [tool.release-assistant]",
                severity=Severity.WARNING,
            )
        )
    if source is None or source.from_vcs or source.value is None:
        return ReleaseTarget(tag_ver, tag_info.tag, source, tuple(findings), tag_format)
    if project_ver is not None and project_ver != tag_ver:
        findings.append(
            Finding(
                TAG_VERSION_MISMATCH.code,
                f"tag {tag_info.tag} names version {tag_ver}, but {source.description} "
                f"says {source.value}",
                path=source.path,
                line=source.line,
                hint=f"set the version to {tag_ver} in {source.path or 'pyproject.toml'}, or tag "
                f"{format_tag(fmt, str(project_ver))}",
            )
        )
    return ReleaseTarget(tag_ver, tag_info.tag, source, tuple(findings), tag_format)


def _named_tag_format(
    tag: str, in_use: TagFormat, root_dir: str, git_root: str, pyproject: dict[str, Any] | None
) -> TagFormat | None:
    """The tag's own format when it does not follow ``in_use`` but its prefix names this
    project (``name-v1.2.3``, ``name==1.2.3``): how a package of a monorepo is tagged, among
    the tags of its neighbours."""
    from release_assistant.core.project.names import project_name
    from release_assistant.core.project.tags import prefix_names

    if version_from_tag(tag, in_use.format).follows_format:
        return None
    from release_assistant.core.project.tags import root_project_name, tag_spellings

    match = _TAG_SPLIT.match(tag.removeprefix("refs/tags/"))
    name = project_name(pyproject, root_dir)
    if match is None or name is None:
        return None
    spellings = tag_spellings(name, root_project_name(git_root, root_dir))
    if not any(prefix_names(match.group("prefix"), spelling) for spelling in spellings):
        return None
    return TagFormat(f"{match.group('prefix')}{{version}}", "inferred", 1, tag)


def _member_for_tag(tag: str, members: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    """The member whose name starts the tag (``name-v1.2.3``, ``name==1.2.3``), and the
    tag's prefix."""
    from release_assistant.core.project.tags import prefix_names

    name = tag.removeprefix("refs/tags/")
    match = _TAG_SPLIT.match(name)
    if match is None:
        return None
    prefix = match.group("prefix")
    best: tuple[str, str] | None = None
    for directory, member in members:
        if prefix_names(prefix, member) and (best is None or len(member) > len(best[1])):
            best = (directory, member)  # the longest name: `demo-core` over `demo`
    return None if best is None else (best[0], prefix)


def _canonical_spellings(
    tag_ver: Version, source: VersionSource | None, project_ver: Version | None
) -> set[str]:
    """The version texts a tag may carry: the normal form, and (for a static version) the
    text the project declares."""
    if source is None or project_ver is None or source.value is None:
        return {str(tag_ver)}
    return {str(project_ver), source.value.strip(), source.value.strip().lstrip("vV")}
