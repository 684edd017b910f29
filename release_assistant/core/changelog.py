"""Parsing Keep-a-Changelog style ``CHANGELOG.md`` files.

Recognised release headings (level 2)::

    ## [1.2.3] - 2026-01-31        ## [1.2.3](https://...) - 2026-01-31
    ## 1.2.3 (2026-01-31)          ## v1.2.3        ## [Unreleased]

Headings inside fenced code blocks are ignored. Parsing never fails: what cannot be
understood is kept on the section (``version is None``) for the check to report.
"""

from __future__ import annotations

import bisect
import re
from typing import Any, TypeAlias

from packaging.version import InvalidVersion, Version

from release_assistant.core.lazyre import LazyPattern
from release_assistant.core.records import field, record
from release_assistant.core.textfiles import StrPath, read_text

# `[1.2.3]`, `[1.2.3](url)`, `v1.2.3`, `1.2.3`, then an optional date in any of the usual
# separators (hyphen, en or em dash, colon): ` - 2026-01-31`, ` (2026-01-31)`, ` 2026-01-31`.
_RELEASE = re.compile(
    r"^(?:\[(?P<bracketed>[^\]]+)\](?:\((?P<inline_url>[^)]*)\))?|(?P<bare>[vV]?\d[^\s(]*))"
    r"(?:\s*(?:[-\u2013\u2014:]\s*|\(\s*)?(?P<date>[^\s()\[\]]+)\s*\)?)?"
    r"(?P<rest>.*)$"
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # fullmatch
_VERSION_LIKE = LazyPattern(r"^\s*[vV]?\d")  # the lazy patterns serve unusual input
# A plain release version (`1.2.3`, `v1.2`): ordered by its numbers alone, without a PEP 440
# parse. Almost every changelog heading is one.
_PLAIN_RELEASE = re.compile(r"[vV]?[0-9]+(?:\.[0-9]+)*")  # ASCII digits, as PEP 440
_TRAILING_ZEROS = re.compile(r"\.0+(?:\.0+)*(?=\n|\Z)")  # literal start: a fast search
# The lines that can matter are found by three scans of "\n" + text, each of which the regex
# engine runs as a fast search for its literal start ("\n#", "\n"), so a 10,000-section
# changelog is read in milliseconds; `[^\S\n]` is `\s` without the newline, so a match never
# runs into the next line, and in "\n" + text a match's start is where its line starts in
# text (its end, where the next line starts).
#
# Level-1 and level-2 ATX headings (one or two `#`, then whitespace; deeper headings are body
# text). The first alternative reads the usual release heading, `## [1.2.3] - 2026-01-31`,
# whole, so that _RELEASE runs only for other headings.
_HEADING = re.compile(
    r"\n#(?:#[ \t]+(?P<dated>\[(?P<dated_version>\d[\w.!+-]*)\]"
    r"[ \t]+-[ \t]+(?P<date>\d{4}-\d{2}-\d{2}))[ \t]*(?=\n|\Z)"
    r"|(?P<second>#?)[^\S\n](?P<heading>[^\n]*))"
)
# Link reference definitions (`[label]: url`, indented by up to three spaces).
# _LINK_LABEL finds the same lines, capturing only the label (for findall).
_LINK_START = r"\n(?=\[|[^\S\n])[^\S\n]{0,3}\["
_LINK = LazyPattern(_LINK_START + r"(?P<label>[^\]\n]+)\]:[^\S\n]*(?P<url>\S+)")
_LINK_LABEL = re.compile(_LINK_START + r"([^\]\n]+)\]:[^\S\n]*\S")
# Code fences (up to three spaces, then three or more backticks or tildes); headings and
# link definitions inside fenced code are text.
_FENCE = LazyPattern(r"\n(?=[`~]|[^\S\n])[^\S\n]{0,3}(?P<fence>`{3,}|~{3,})")
# A newline, then a line with notes: not blank, not a heading (`#` after any indentation),
# not a link definition. Searched in "\n" + body.
_NOTE_LINE = re.compile(r"\n(?![^\S\n]*(?:#|\n|\Z))(?![^\S\n]{0,3}\[[^\]\n]+\]:[^\S\n]*\S)")
UNRELEASED = "unreleased"
_UNPARSED: Any = object()

#: How a version is identified and ordered: the numbers of a plain release with trailing
#: zeros dropped but the first kept (``1.2.0`` and ``1.2`` are the same release, ``0.0`` is
#: ``(0,)``), else its PEP 440 ``Version``.
VersionKey: TypeAlias = tuple[int, ...] | Version


def version_key(version: Version) -> VersionKey:
    """The :data:`VersionKey` of a parsed version, comparable with :attr:`Section.key`."""
    if version.epoch or version.pre or version.post is not None or version.dev is not None:
        return version
    if version.local is not None:
        return version
    return _strip_zeros(version.release)


def _strip_zeros(numbers: tuple[int, ...]) -> tuple[int, ...]:
    end = len(numbers)
    while end > 1 and numbers[end - 1] == 0:
        end -= 1
    return numbers[:end]


def release_keys(sections: list[Section]) -> list[VersionKey | None]:
    """:attr:`Section.key` of every section, computed together.

    When every heading names a plain release (the usual changelog), one substitution over
    all of them drops their trailing zeros, so each key costs a fullmatch and its integer
    conversion: a pre-commit hook keys every release of the changelog on every commit.
    """
    if not sections:
        return []
    texts = [section.version_text or "" for section in sections]
    # One fullmatch per text, not one over all of them joined: a pattern repeated 10,000
    # times makes the regex engine grow its backtracking stack, slower than the calls.
    if not all(map(_PLAIN_RELEASE.fullmatch, texts)):
        return [section.key for section in sections]
    joined = "\n".join(texts)
    if "v" in joined or "V" in joined:
        joined = joined.replace("v", "").replace("V", "")
    joined = _TRAILING_ZEROS.sub("", joined)
    return [tuple(map(int, text.split("."))) for text in joined.split("\n")]


@record
class Section:
    """One level-2 section: a release (``version`` set), ``Unreleased``, or something else."""

    line: int
    heading: str
    label: str | None
    version_text: str | None = None
    date: str | None = None
    bracketed: bool = False
    has_inline_link: bool = False

    def __init__(  # written out: a long changelog makes one per release, on every commit
        self,
        line: int,
        heading: str,
        label: str | None,
        version_text: str | None = None,
        date: str | None = None,
        bracketed: bool = False,
        has_inline_link: bool = False,
        body: str | None = None,
    ) -> None:
        self.line = line
        self.heading = heading
        self.label = label
        self.version_text = version_text
        self.date = date
        self.bracketed = bracketed
        self.has_inline_link = has_inline_link
        # The body is kept as a span of a text: "\n" + body is ``_source[_start:_end]``.
        # The parser points every section into the one changelog text (no copies), and
        # a body given here gets its own.
        if body is None:
            self._source, self._start, self._end = "", 0, 0
        else:
            self._source, self._start, self._end = f"\n{body}", 0, len(body) + 1

    @property
    def body(self) -> str | None:
        """The text between this heading and the next level-1/2 heading; ``None`` when the
        next heading follows at once (no body lines at all)."""
        return self._source[self._start + 1 : self._end] if self._start < self._end else None

    @property
    def body_first_line(self) -> int:
        """The line number of the body's first line (the line after the heading)."""
        return self.line + 1

    @property
    def version(self) -> Version | None:
        """The heading's PEP 440 version; ``None`` when it names none or an invalid one.

        Parsed on first use: ordering and duplicate checks use :attr:`key`, which needs no
        parse for plain releases.
        """
        parsed: Version | None = self.__dict__.get("_version", _UNPARSED)
        if parsed is _UNPARSED:
            parsed = None if self.version_text is None else _parse_version(self.version_text)
            self.__dict__["_version"] = parsed
        return parsed

    @property
    def key(self) -> VersionKey | None:
        """The :data:`VersionKey` of the heading's version (``None``: not a valid version)."""
        text = self.version_text
        if text is None:
            return None
        if _PLAIN_RELEASE.fullmatch(text) is not None:
            numbers = text.lstrip("vV").split(".")
            while len(numbers) > 1 and not numbers[-1].strip("0"):
                numbers.pop()  # `1.2.0` is `1.2`: trailing zeros dropped as text, cheaply
            return tuple(map(int, numbers))
        version = self.version
        return None if version is None else version_key(version)

    @property
    def body_lines(self) -> list[tuple[int, str]]:
        """``(line number, text)`` for every line of the section's body, in order."""
        body = self.body
        if body is None:
            return []
        return list(enumerate(body.split("\n"), start=self.body_first_line))

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
        start, end = self._start, self._end
        return start >= end or _NOTE_LINE.search(self._source, start, end) is None


def _parse_version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def is_newer(first: VersionKey, second: VersionKey) -> bool:
    """True when the version keyed ``first`` is a later release than ``second``."""
    if isinstance(first, tuple) and isinstance(second, tuple):
        return first > second
    return _as_version(first) > _as_version(second)


def _as_version(key: VersionKey) -> Version:
    return key if isinstance(key, Version) else Version(".".join(map(str, key or (0,))))


@record
class LinkDefinition:
    """A Markdown link reference definition (``[1.2.3]: https://...``)."""

    label: str
    url: str
    line: int

    def __init__(self, label: str, url: str, line: int) -> None:  # one per linked release
        self.label = label
        self.url = url
        self.line = line


@record
class Changelog:
    """A parsed changelog: its level-2 sections and link definitions, in file order.

    Link definitions are read when first asked for: a long changelog has one per release,
    and the link check needs only their labels (:attr:`link_labels`) unless one is wrong.
    """

    sections: list[Section]
    #: The text parsed, as "\n" + text, and the spans of its fenced code blocks.
    scanned: str = field(default="\n", repr=False, compare=False)
    fenced: list[tuple[int, int]] | None = field(default=None, repr=False, compare=False)

    @property
    def links(self) -> list[LinkDefinition]:
        """Every link reference definition outside fenced code, with its line."""
        found: list[LinkDefinition] | None = self.__dict__.get("_links")
        if found is None:
            found = self.__dict__["_links"] = _read_links(self.scanned, self.fenced)
        return found

    @property
    def link_labels(self) -> frozenset[str]:
        """The lowercased labels of :attr:`links`, found without building them."""
        found: frozenset[str] | None = self.__dict__.get("_link_labels")
        if found is not None:
            return found
        if self.fenced is not None:
            found = frozenset(link.label.lower() for link in self.links)
        else:
            labels = "\n".join(_LINK_LABEL.findall(self.scanned))  # labels hold no newline
            found = frozenset(labels.lower().split("\n")) if labels else frozenset()
        self.__dict__["_link_labels"] = found
        return found

    @property
    def releases(self) -> list[Section]:
        """Sections whose heading names a version."""
        return [section for section in self.sections if section.version_text is not None]

    @property
    def unreleased(self) -> Section | None:
        """The first ``Unreleased`` section, if any."""
        # A release heading is never `Unreleased`: the attribute test spares the property.
        return next((s for s in self.sections if s.version_text is None and s.is_unreleased), None)

    def find(self, version: Version) -> Section | None:
        """The first section for ``version`` (compared after PEP 440 normalization)."""
        wanted = version_key(version)
        return next(
            (s for s in self.sections if s.version_text is not None and s.key == wanted), None
        )


def parse_changelog(text: str) -> Changelog:
    """Parse changelog text (already BOM-stripped and ``\\n``-normalized).

    Only lines that can matter (headings, fences, link definitions) are visited: regular
    expressions find them and section bodies are sliced out of ``text`` between headings.
    The pre-commit hook parses the whole changelog on every commit, and long-lived projects
    have thousands of sections.
    """
    scanned = "\n" + text
    fenced = _fenced_spans(scanned) if "```" in text or "~~~" in text else None
    count = text.count  # bound once: the loops below run for every heading and link
    sections: list[Section] = []
    current: Section | None = None
    body_start = 0
    number = 1
    counted_to = 0
    for heading in _HEADING.finditer(scanned):
        start = heading.start()
        if fenced is not None and _inside(fenced, start):
            continue
        number += count("\n", counted_to, start)
        counted_to = start
        # A heading ends the open section: its body runs up to the newline before this line
        # (none at all when this heading directly follows the previous one).
        if current is not None and body_start < start:
            current._source, current._start, current._end = scanned, body_start, start
        dated, dated_version, date, second, title = heading.groups()
        if dated is not None:
            current = Section(number, dated, dated_version, dated_version, date, True, False)
        elif second:
            current = _section_from_heading(number, title.strip().rstrip("#").rstrip())
        else:
            current = None
            continue
        body_start = heading.end()
        sections.append(current)
    if current is not None and body_start < len(scanned):
        current._source, current._start, current._end = scanned, body_start, len(scanned)
    return Changelog(sections, scanned, fenced)


def _read_links(scanned: str, fenced: list[tuple[int, int]] | None) -> list[LinkDefinition]:
    links: list[LinkDefinition] = []
    count = scanned.count
    number = 0  # "\n" + text: a line's number is the count of newlines up to its start
    counted_to = 0
    for link in _LINK.compiled.finditer(scanned):
        start = link.start()
        if fenced is not None and _inside(fenced, start):
            continue
        number += count("\n", counted_to, start + 1)
        counted_to = start + 1
        label, url = link.groups()
        links.append(LinkDefinition(label, url, number))
    return links


def _fenced_spans(scanned: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of fenced code blocks, fence lines included."""
    spans: list[tuple[int, int]] = []
    opened: tuple[int, str] | None = None
    for fence in _FENCE.compiled.finditer(scanned):
        marker = fence.group("fence")
        if opened is None:
            opened = (fence.start(), marker)
        elif marker[0] == opened[1][0] and len(marker) >= len(opened[1]):
            spans.append((opened[0], fence.end()))
            opened = None
    if opened is not None:
        spans.append((opened[0], len(scanned) + 1))
    return spans


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    index = bisect.bisect_right(spans, (offset, offset)) - 1
    return index >= 0 and spans[index][0] < offset < spans[index][1]


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
    return Section(number, text, label, label, date or None, is_bracketed, inline_url is not None)


def _looks_like_version(label: str) -> bool:
    return _VERSION_LIKE.compiled.match(label) is not None


def is_iso_date(text: str) -> bool:
    """True for ``YYYY-MM-DD`` (the only date form Keep a Changelog uses)."""
    return _ISO_DATE.fullmatch(text) is not None


def all_iso_dates(dates: list[str]) -> bool:
    """True when every one of ``dates`` is ``YYYY-MM-DD`` (the loop runs in C, via ``map``)."""
    return all(map(_ISO_DATE.fullmatch, dates))


def read_changelog(path: StrPath) -> Changelog:
    """Read and parse the changelog at ``path``; :class:`FileProblem` when unreadable.

    Checks get it from :attr:`RepoContext.changelog
    <release_assistant.core.context.RepoContext.changelog>`, read once per run.
    """
    return parse_changelog(read_text(path))
