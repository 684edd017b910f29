"""Parsing Keep-a-Changelog style ``CHANGELOG.md`` files.

Recognised release headings (level 2)::

    ## [1.2.3] - 2026-01-31        ## [1.2.3](https://...) - 2026-01-31
    ## 1.2.3 (2026-01-31)          ## v1.2.3        ## [Unreleased]

Headings inside fenced code blocks are ignored. Parsing never fails: what cannot be
understood is kept on the section (``version is None``) for the check to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from packaging.version import InvalidVersion, Version

from release_assistant.core.textfiles import read_text

_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(?P<fence>`{3,}|~{3,})")
_LINK_DEF = re.compile(r"^\s{0,3}\[(?P<label>[^\]]+)\]:\s*(?P<url>\S+)")
# `[1.2.3]`, `[1.2.3](url)`, `v1.2.3`, `1.2.3`, then an optional date in any of the usual
# separators (hyphen, en or em dash, colon): ` - 2026-01-31`, ` (2026-01-31)`, ` 2026-01-31`.
_RELEASE = re.compile(
    r"^(?:\[(?P<bracketed>[^\]]+)\](?:\((?P<inline_url>[^)]*)\))?|(?P<bare>[vV]?\d[^\s(]*))"
    r"(?:\s*(?:[-\u2013\u2014:]\s*|\(\s*)?(?P<date>[^\s()\[\]]+)\s*\)?)?"
    r"(?P<rest>.*)$"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UNRELEASED = "unreleased"


@dataclass
class Section:
    """One level-2 section: a release (``version`` set), ``Unreleased``, or something else."""

    line: int
    heading: str
    label: str | None
    version_text: str | None = None
    version: Version | None = None
    date: str | None = None
    bracketed: bool = False
    has_inline_link: bool = False
    body_lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def is_unreleased(self) -> bool:
        """True for the ``Unreleased`` section."""
        return self.label is not None and self.label.lower() == UNRELEASED

    @property
    def is_release(self) -> bool:
        """True when the heading names a version (valid or not)."""
        return self.version_text is not None

    @property
    def is_empty(self) -> bool:
        """No notes: only blank lines, sub-headings and link definitions."""
        for _, text in self.body_lines:
            stripped = text.strip()
            if not stripped or stripped.startswith("#") or _LINK_DEF.match(text):
                continue
            return False
        return True


@dataclass
class LinkDefinition:
    """A Markdown link reference definition (``[1.2.3]: https://...``)."""

    label: str
    url: str
    line: int


@dataclass
class Changelog:
    """A parsed changelog: its level-2 sections and link definitions, in file order."""

    sections: list[Section]
    links: list[LinkDefinition]

    @property
    def releases(self) -> list[Section]:
        """Sections whose heading names a version."""
        return [section for section in self.sections if section.is_release]

    @property
    def unreleased(self) -> Section | None:
        """The first ``Unreleased`` section, if any."""
        return next((s for s in self.sections if s.is_unreleased), None)

    def find(self, version: Version) -> Section | None:
        """The first section for ``version`` (compared after PEP 440 normalization)."""
        return next((s for s in self.sections if s.version == version), None)


def parse_changelog(text: str) -> Changelog:
    """Parse changelog text (already BOM-stripped and ``\\n``-normalized)."""
    sections: list[Section] = []
    links: list[LinkDefinition] = []
    fence: str | None = None
    current: Section | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group("fence")
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            if current is not None:
                current.body_lines.append((number, line))
            continue
        if fence is not None:
            if current is not None:
                current.body_lines.append((number, line))
            continue
        heading = _HEADING.match(line)
        if heading and len(heading.group("hashes")) <= 2:
            current = None
            if len(heading.group("hashes")) == 2:
                current = _section_from_heading(number, heading.group("text"))
                sections.append(current)
            continue
        link = _LINK_DEF.match(line)
        if link:
            links.append(LinkDefinition(link.group("label"), link.group("url"), number))
        if current is not None:
            current.body_lines.append((number, line))
    return Changelog(sections, links)


def _section_from_heading(number: int, text: str) -> Section:
    section = Section(line=number, heading=text, label=None)
    match = _RELEASE.match(text)
    if match is None:
        if text.strip().lower() == UNRELEASED:
            section.label = text.strip()
        return section
    label = match.group("bracketed") or match.group("bare")
    section.label = label.strip()
    section.bracketed = match.group("bracketed") is not None
    section.has_inline_link = match.group("inline_url") is not None
    if section.is_unreleased:
        return section
    if section.bracketed and not _looks_like_version(section.label):
        # `## [Some notes]` is not a release heading.
        return section
    section.version_text = section.label
    try:
        section.version = Version(section.label)
    except InvalidVersion:
        section.version = None
    date = match.group("date")
    if date:
        section.date = date
    return section


def _looks_like_version(label: str) -> bool:
    return bool(re.match(r"^[vV]?\d", label.strip()))


def is_iso_date(text: str) -> bool:
    """True for ``YYYY-MM-DD`` (the only date form Keep a Changelog uses)."""
    return bool(_ISO_DATE.match(text))


def read_changelog(path: Path) -> Changelog:
    """Read and parse the changelog at ``path``; :class:`FileProblem` when unreadable."""
    return parse_changelog(read_text(path))
