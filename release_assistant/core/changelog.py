"""Parsing Keep-a-Changelog style ``CHANGELOG.md`` files.

Recognised release headings (level 2)::

    ## [1.2.3] - 2026-01-31        ## [1.2.3](https://...) - 2026-01-31
    ## 1.2.3 (2026-01-31)          ## v1.2.3        ## [Unreleased]

Headings inside fenced code blocks are ignored. Parsing never fails: what cannot be
understood is kept on the section (``version is None``) for the check to report.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from packaging.version import InvalidVersion, Version

from release_assistant.core.records import field, record
from release_assistant.core.textfiles import read_text

# `[1.2.3]`, `[1.2.3](url)`, `v1.2.3`, `1.2.3`, then an optional date in any of the usual
# separators (hyphen, en or em dash, colon): ` - 2026-01-31`, ` (2026-01-31)`, ` 2026-01-31`.
_RELEASE = re.compile(
    r"^(?:\[(?P<bracketed>[^\]]+)\](?:\((?P<inline_url>[^)]*)\))?|(?P<bare>[vV]?\d[^\s(]*))"
    r"(?:\s*(?:[-\u2013\u2014:]\s*|\(\s*)?(?P<date>[^\s()\[\]]+)\s*\)?)?"
    r"(?P<rest>.*)$"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_VERSION_LIKE = re.compile(r"^\s*[vV]?\d")
# A newline, then a line that can matter: a level-1 or level-2 ATX heading (one or two `#`
# then whitespace; deeper headings are body text), a code fence (up to three spaces, then
# three backticks or tildes) or a link definition (`[label]: url`, indented by up to three
# spaces). Every other line is body text. The literal newline up front lets the regex engine
# skip ahead with a fast character search, and the lookahead rejects most lines with one
# character test; `[^\S\n]` is `\s` without the newline, so a match never runs into the
# next line. The first alternative reads the usual release heading, `## [1.2.3] - 2026-01-31`,
# whole, so that _RELEASE runs only for other headings.
_CANDIDATE = re.compile(
    r"\n(?=[#`~\[]|[^\S\n])(?:##[ \t]+(?P<dated>\[(?P<dated_version>\d[\w.!+-]*)\]"
    r"[ \t]+-[ \t]+(?P<date>\d{4}-\d{2}-\d{2}))[ \t]*(?=\n|\Z)"
    r"|(?P<hashes>#{1,2})[^\S\n](?P<heading>[^\n]*)"
    r"|[^\S\n]{0,3}(?P<fence>`{3,}|~{3,})"
    r"|[^\S\n]{0,3}\[(?P<label>[^\]\n]+)\]:[^\S\n]*(?P<url>\S+))"
)
# A newline, then a line with notes: not blank, not a heading (`#` after any indentation),
# not a link definition. Searched in "\n" + body, like _CANDIDATE.
_NOTE_LINE = re.compile(r"\n(?![^\S\n]*(?:#|\n|\Z))(?![^\S\n]{0,3}\[[^\]\n]+\]:[^\S\n]*\S)")
UNRELEASED = "unreleased"


@record
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
    #: The text between this heading and the next level-1/2 heading (``None``: no body lines
    #: at all, the next heading follows at once) and the line number of its first line.
    body: str | None = field(default=None, repr=False)
    body_first_line: int = 0

    @property
    def body_lines(self) -> list[tuple[int, str]]:
        """``(line number, text)`` for every line of the section's body, in order."""
        if self.body is None:
            return []
        return list(enumerate(self.body.split("\n"), start=self.body_first_line))

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
        return self.body is None or _NOTE_LINE.search("\n" + self.body) is None


@record
class LinkDefinition:
    """A Markdown link reference definition (``[1.2.3]: https://...``)."""

    label: str
    url: str
    line: int


@record
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
    """Parse changelog text (already BOM-stripped and ``\\n``-normalized).

    Only lines that can matter (headings, fences, link definitions) are visited: a regular
    expression finds them and section bodies are sliced out of ``text`` between headings. The
    pre-commit hook parses the whole changelog on every commit, and long-lived projects have
    thousands of sections.
    """
    sections: list[Section] = []
    links: list[LinkDefinition] = []
    fence: str | None = None
    current: Section | None = None
    body_start = 0
    number = 1
    counted_to = 0
    count = text.count  # bound once: the loop below runs for every heading and link
    # In "\n" + text, the newline of a match sits at the index where its line starts in text
    # (and a match's end, where the next line starts).
    for candidate in _CANDIDATE.finditer("\n" + text):
        dated, dated_version, date, hashes, heading, marker, label, url = candidate.groups()
        if marker is not None:
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        start = candidate.start()
        number += count("\n", counted_to, start)
        counted_to = start
        if dated is None and hashes is None:
            links.append(LinkDefinition(label, url, number))
            continue
        # A heading ends the open section: its body runs up to the newline before this line
        # (none at all when this heading directly follows the previous one).
        if current is not None and body_start < start:
            current.body = text[body_start : start - 1]
        if dated is not None:
            current = _dated_section(number, dated, dated_version, date)
        elif len(hashes) == 2:
            current = _section_from_heading(number, heading.strip().rstrip("#").rstrip())
        else:
            current = None
            continue
        current.body_first_line = number + 1
        body_start = candidate.end()
        sections.append(current)
    if current is not None and body_start <= len(text):
        current.body = text[body_start:]
    return Changelog(sections, links)


def _dated_section(number: int, text: str, version_text: str, date: str) -> Section:
    """``## [1.2.3] - 2026-01-31``, the usual form, read by _CANDIDATE without _RELEASE."""
    try:
        version: Version | None = Version(version_text)
    except InvalidVersion:
        version = None
    return Section(number, text, version_text, version_text, version, date, True, False)


def _section_from_heading(number: int, text: str) -> Section:
    match = _RELEASE.match(text)
    if match is None:
        stripped = text.strip()
        return Section(number, text, stripped if stripped.lower() == UNRELEASED else None)
    bracketed, bare, inline_url, date = match.group("bracketed", "bare", "inline_url", "date")
    label = (bracketed or bare).strip()
    is_bracketed = bracketed is not None
    if label.lower() == UNRELEASED or (is_bracketed and not _looks_like_version(label)):
        # `## [Unreleased]`; `## [Some notes]` is not a release heading.
        return Section(
            number, text, label, bracketed=is_bracketed, has_inline_link=inline_url is not None
        )
    try:
        version: Version | None = Version(label)
    except InvalidVersion:
        version = None
    return Section(
        number, text, label, label, version, date or None, is_bracketed, inline_url is not None
    )


def _looks_like_version(label: str) -> bool:
    return _VERSION_LIKE.match(label) is not None


def is_iso_date(text: str) -> bool:
    """True for ``YYYY-MM-DD`` (the only date form Keep a Changelog uses)."""
    return bool(_ISO_DATE.match(text))


def read_changelog(path: Path) -> Changelog:
    """Read and parse the changelog at ``path``; :class:`FileProblem` when unreadable.

    The ``version`` and ``changelog`` checks both read the changelog; the last parse is
    reused when the text is unchanged, so the result is shared: treat it as read-only.
    """
    return _parse_cached(read_text(path))


@functools.lru_cache(maxsize=1)
def _parse_cached(text: str) -> Changelog:
    return parse_changelog(text)
