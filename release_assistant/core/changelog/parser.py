"""Parsing changelogs: Keep a Changelog, other Markdown styles, and reStructuredText.

A changelog is read as a list of sections, one per release heading. The release headings
are the headings of the level (Markdown) or underline style (reStructuredText) that most
often names a version, so ``### 1.2.3`` under ``## 1.x`` groups, or ``pytest 9.1.1`` under
a ``=====`` underline, are found as well as the usual form. Recognised release headings::

    ## [1.2.3] - 2026-01-31        ## [1.2.3](https://...) - 2026-01-31
    ## 1.2.3 (2026-01-31)          ## v1.2.3        ## Release v1.2.3 (2026-01-31)
    ## Version 1.2.3               Release 1.2.3 (released Dec 31, 2025)
    1.2.3 (2026-01-31)             ###########################
    ==================              project 1.2.3 (2026-01-31)
                                   ###########################

The date is read from the heading, or from the first line below it (``Released on
2026-01-31``, ``*2026-01-31*``, ``Unreleased``); ``Unreleased`` and the like mark a
section whose version is not released yet (see :data:`PENDING`). ``## [Unreleased]``,
``## Latest Changes``, ``dev`` and the like collect notes for the next release;
``## 0.15.x`` headings point at an archive (``Section.series``) and are no release.

Headings inside fenced code blocks are ignored. Parsing never fails: what cannot be
understood is kept on the section (``version is None``) for the check to report.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, TypeAlias, cast

from packaging.version import InvalidVersion, Version

from release_assistant.core.support.textfiles import StrPath, read_text

# An optional single word (`Release`, `Version`, a project name), then `[1.2.3]`,
# `[1.2.3](url)` or a bare `v1.2.3`, then the rest of the heading (a date, `[YANKED]`).
_RELEASE = re.compile(
    r"^(?:(?P<word>[A-Za-z][\w.-]*)[ \t]+(?=[\[vV]?\d|\[))?"
    r"(?:\[(?P<bracketed>[^\]]+)\](?:\((?P<inline_url>[^)]*)\))?|(?P<bare>[vV]?\d[^\s(\[]*))"
    r"(?P<rest>.*)$"
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # fullmatch
_VERSION_LIKE = re.compile(r"^\s*[vV]?\d")  # the lazy patterns serve unusual input
# `0.15.x`, `2.*`: a heading for a series of releases, usually pointing at an archive.
_SERIES = re.compile(r"^[vV]?\d+(?:\.\d+)*\.[xX*]$")
# What may follow a version after a leading word: nothing, or a date in any wrapping.
_DATE_REST = re.compile(r"^\s*(?:$|[-\u2013\u2014:(\[,]|released|unreleased|\d)", re.IGNORECASE)
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
# Every ATX heading (levels 1 to 6), for changelogs whose releases are not at level 2.
_ANY_ATX = re.compile(r"\n(?P<hashes>#{1,6})[^\S\n](?P<title>[^\n]*)")
# A line of one repeated punctuation character: a reStructuredText adornment or a setext
# underline (`=====`, `-----`). Searched in "\n" + text.
_ADORNMENT = re.compile(r"\n(?P<line>([!-/:-@\[-`{-~])\2{2,})[ \t]*(?=\n|\Z)")
_LINK_DEFINITION = re.compile(r"^[^\S\n]{0,3}\[[^\]\n]+\]:[^\S\n]*\S")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])(?:\s|$)")
# Link reference definitions (`[label]: url`, indented by up to three spaces).
# _LINK_LABEL finds the same lines, capturing only the label (for findall).
_LINK_START = r"\n(?=\[|[^\S\n])[^\S\n]{0,3}\["
_LINK = re.compile(_LINK_START + r"(?P<label>[^\]\n]+)\]:[^\S\n]*(?P<url>\S+)")
_LINK_LABEL = re.compile(_LINK_START + r"([^\]\n]+)\]:[^\S\n]*\S")
# Code fences (up to three spaces, then three or more backticks or tildes); headings and
# link definitions inside fenced code are text.
_FENCE = re.compile(r"\n(?=[`~]|[^\S\n])[^\S\n]{0,3}(?P<fence>`{3,}|~{3,})")
# A newline, then a line with notes: not blank, not a heading (`#` after any indentation),
# not a link definition. Searched in "\n" + body.
_NOTE_LINE = re.compile(r"\n(?![^\S\n]*(?:#|\n|\Z))(?![^\S\n]{0,3}\[[^\]\n]+\]:[^\S\n]*\S)")
# The first non-blank line of a section body, when it is short enough to be a date line.
_FIRST_LINE = re.compile(r"\n*[^\S\n]*(?P<line>[^\n]{1,80})")
_KEEP_A_CHANGELOG = re.compile(r"keep-?a-?changelog|keep a changelog", re.IGNORECASE)
UNRELEASED = "unreleased"
_UNPARSED: Any = object()

#: Headings (lowercased, brackets removed) of a section that collects the next release's
#: notes, as ``## [Unreleased]`` does.
UNRELEASED_LABELS = frozenset(
    {
        UNRELEASED,
        "unreleased changes",
        "upcoming",
        "upcoming changes",
        "upcoming release",
        "latest changes",
        "in development",
        "in progress",
        "dev",
        "development",
        "development version",
        "next",
        "next release",
        "next version",
        "not yet released",
        "main",
        "master",
        "head",
    }
)
#: Date texts (lowercased, stripped) that say a release has not happened yet.
PENDING = re.compile(
    r"^(?:unreleased|not\s+(?:yet\s+)?released(?:\s+yet)?|in\s+development|in\s+progress|"
    r"under\s+development|development(?:\s+version)?|upcoming|unpublished|forthcoming|"
    r"tb[adc]|to\s+be\s+(?:released|announced|determined)|pending|draft|wip|"
    r"[x?]{4}-[x?]{2}-[x?]{2}|yyyy-mm-dd|\?+|not\s+released|future|next)$",
    re.IGNORECASE,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_DATE_FORMS = re.compile(
    r"^(?:[A-Za-z]+,?\s+)?(?:"  # an optional weekday
    r"(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})"
    rf"|{_DAY}\s+{_MONTH},?\s+{_YEAR}"
    r"|(?P<month2>[A-Za-z]{3,9})\.?\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{4})"
    r"|(?P<a>\d{1,2})[-./](?P<b>\d{1,2})[-./](?P<year3>\d{4})"
    r")$"
)
# Words around a date: `Released on 2026-01-31`, `Release date: 2026-01-31`, `*2026-01-31*`.
_DATE_WORDS = re.compile(
    r"^(?:released?(?:\s+on)?|release\s+date|date|published(?:\s+on)?)\s*:?\s*", re.IGNORECASE
)
_LEADING_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?=[\s,;:(\[-])")
_YANKED = re.compile(r"\s*[\[(]?\s*yanked\s*[\])]?\s*$", re.IGNORECASE)

#: How a version is identified and ordered: the numbers of a plain release with trailing
#: zeros dropped but the first kept (``1.2.0`` and ``1.2`` are the same release, ``0.0`` is
#: ``(0,)``), else its PEP 440 ``Version``.
VersionKey: TypeAlias = tuple[int, ...] | Version

#: What a date text says: ``iso`` (``YYYY-MM-DD``), ``date`` (another way to write a real
#: day), ``invalid`` (written like a date, but no such day), ``pending`` (not released yet),
#: ``unknown`` (neither).
DateKind: TypeAlias = str


def read_date(text: str) -> tuple[DateKind, dt.date | None]:
    """What ``text`` says about a release day: its :data:`DateKind` and the day, when known.

    ``6th December, 2024``, ``Dec 31, 2025``, ``2020-12-1`` and ``31.12.2025`` are dates,
    ``Unreleased`` and ``in development`` are ``pending``; words around the date
    (``Released on``, emphasis) are ignored. A day written ``01/02/2026`` is a ``date``
    without a day (it is ambiguous).
    """
    stripped = clean_date(text)
    if _ISO_DATE.fullmatch(stripped):
        try:
            return "iso", dt.date.fromisoformat(stripped)
        except ValueError:
            return "invalid", None
    if PENDING.match(stripped):
        return "pending", None
    match = _DATE_FORMS.match(stripped)
    if match is None:
        # `2022-09-20, yanked on 2022-09-21`: the release day, then a remark.
        leading = _LEADING_ISO.match(stripped)
        return read_date(leading.group(0)) if leading else ("unknown", None)
    groups = match.groupdict()
    if groups["y1"] is not None:
        numbers = (groups["y1"], groups["m1"], groups["d1"])
    elif groups["a"] is not None:
        first, second = int(groups["a"]), int(groups["b"])
        if max(first, second) > 31 or min(first, second) < 1 or min(first, second) > 12:
            return "invalid", None
        return "date", None
    else:
        month = _MONTHS.get((groups["month"] or groups["month2"] or "").lower())
        if month is None:
            return "unknown", None
        numbers = (groups["year"] or groups["year2"], str(month), groups["day"] or groups["day2"])
    try:
        return "date", dt.date(int(numbers[0]), int(numbers[1]), int(numbers[2]))
    except ValueError:
        return "invalid", None


def clean_date(text: str) -> str:
    """``text`` without what surrounds a date: emphasis, brackets, ``Released on``."""
    stripped = text.strip().strip("*_`()[]").strip()
    if stripped[:1].isdigit():
        return stripped  # the usual case: nothing to remove
    return _DATE_WORDS.sub("", stripped).strip("*_`()[] ")


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


@dataclass  # no slots: parsing attaches private marks (_source, _start…)
class Section:
    """One section: a release (``version_text`` set), ``Unreleased``, or something else.

    ``date`` is the date text of the heading, or of the line below it (``date_line`` says
    which line); ``series`` marks a heading for a series (``0.15.x``), not a release.
    """

    line: int
    heading: str
    label: str | None
    version_text: str | None = None
    date: str | None = None
    bracketed: bool = False
    has_inline_link: bool = False

    # Set by the parser only where they differ from these class defaults, so that the
    # constructor stays cheap (a long changelog makes a section per release, per commit).
    series = False
    _date_line = 0  # the line of a date read below the heading
    _notes_from = -1  # where notes start, after such a date line
    _rst = False
    _head_lines = 1  # 2 for an underlined title
    # Set for sections whose body holds headings of other styles (reStructuredText),
    # where the one-pattern test of :attr:`is_empty` cannot tell.
    _empty = cast("bool | None", None)

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
    def date_line(self) -> int:
        """The line the date was read from: the heading's, or the one below it."""
        return self._date_line or self.line

    @property
    def body(self) -> str | None:
        """The text between this heading and the next heading of its level or above;
        ``None`` when the next heading follows at once (no body lines at all)."""
        return self._source[self._start + 1 : self._end] if self._start < self._end else None

    @property
    def body_first_line(self) -> int:
        """The line number of the body's first line (the line after the heading)."""
        return self.line + self._head_lines

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
        """True for the section that collects the next release's notes (``Unreleased``)."""
        return self.label is not None and _is_unreleased_label(self.label)

    @property
    def is_release(self) -> bool:
        """True when the heading names a version (valid or not)."""
        return self.version_text is not None

    @property
    def date_reading(self) -> tuple[DateKind, dt.date | None]:
        """:func:`read_date` of :attr:`date` (``("unknown", None)`` without a date)."""
        reading: tuple[DateKind, dt.date | None] | None = self.__dict__.get("_reading")
        if reading is None:
            reading = ("unknown", None) if self.date is None else read_date(self.date)
            self.__dict__["_reading"] = reading
        return reading

    @property
    def is_pending(self) -> bool:
        """A release section marked as not released yet (``Unreleased``, ``in development``)."""
        return self.date is not None and self.date_reading[0] == "pending"

    @property
    def is_empty(self) -> bool:
        """No notes: only blank lines, sub-headings, link definitions and the date line."""
        if self._empty is not None:
            return self._empty
        start = self._start if self._notes_from < 0 else self._notes_from
        end = self._end
        return start >= end or _NOTE_LINE.search(self._source, start, end) is None


def _is_unreleased_label(label: str) -> bool:
    lowered = label.lower()
    if lowered == UNRELEASED:
        return True
    return lowered.strip("[]()*_: ").strip() in UNRELEASED_LABELS


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


@dataclass(slots=True)
class LinkDefinition:
    """A Markdown link reference definition (``[1.2.3]: https://...``)."""

    label: str
    url: str
    line: int

    def __init__(self, label: str, url: str, line: int) -> None:  # one per linked release
        self.label = label
        self.url = url
        self.line = line


@dataclass  # no slots: indexes are cached on the instance on first use
class Changelog:
    """A parsed changelog: its release-level sections and link definitions, in file order.

    ``syntax`` is ``markdown`` or ``rst``, as read. Link definitions are read when first
    asked for: a long changelog has one per release, and the link check needs only their
    labels (:attr:`link_labels`) unless one is wrong.
    """

    sections: list[Section]
    #: The text parsed, as "\n" + text, and the spans of its fenced code blocks.
    scanned: str = field(default="\n", repr=False, compare=False)
    fenced: list[tuple[int, int]] | None = field(default=None, repr=False, compare=False)
    syntax: str = "markdown"

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

    @property
    def keep_a_changelog(self) -> bool:
        """True when the file follows Keep a Changelog: it says so, or most release
        headings (and ``Unreleased``) are written ``## [X.Y.Z]``. Its date and heading
        rules then apply in full; other changelogs are held only to what every changelog
        shares."""
        found: bool | None = self.__dict__.get("_kac")
        if found is None:
            marked = [s for s in self.sections if s.version_text is not None or s.is_unreleased]
            bracketed = sum(1 for section in marked if section.bracketed)
            found = self.syntax == "markdown" and (
                (bool(marked) and bracketed * 2 > len(marked))
                or _KEEP_A_CHANGELOG.search(self.scanned, 0, 5000) is not None
            )
            self.__dict__["_kac"] = found
        return found

    def find(self, version: Version) -> Section | None:
        """The first section for ``version`` (compared after PEP 440 normalization).

        A Markdown changelog may head some releases a level deeper than the others
        (conventional-changelog writes patch releases as ``### [1.2.4](...)`` between
        ``## [1.3.0](...)`` minors): when no section names the version, a heading of any
        level that does is taken, with the text up to the next heading of its level.
        """
        wanted = version_key(version)
        found = next(
            (s for s in self.sections if s.version_text is not None and s.key == wanted), None
        )
        if found is None and self.syntax == "markdown":
            found = _find_at_any_level(self.scanned, self.fenced, wanted)
        return found


def parse_changelog(text: str, syntax: str = "markdown") -> Changelog:
    """Parse changelog text (already BOM-stripped and ``\\n``-normalized).

    ``syntax`` is ``markdown``, ``rst`` or ``auto`` (Markdown headings first, then
    underlined ones). Only lines that can matter (headings, fences, link definitions) are
    visited: regular expressions find them and section bodies are sliced out of ``text``
    between headings. The pre-commit hook parses the whole changelog on every commit, and
    long-lived projects have thousands of sections.
    """
    scanned = "\n" + text
    if syntax == "rst":
        return _parse_underlined(scanned, None, rst=True)
    fenced = _fenced_spans(scanned) if "```" in text or "~~~" in text else None
    usual, settled = _parse_atx_level2(scanned, fenced)
    if settled:
        return usual
    # No release at level 2 (or more at level 1): any ATX level, or setext headings.
    generic = _parse_underlined(scanned, fenced, rst=False)
    if generic.releases:
        return generic
    if syntax == "auto":
        rst = _parse_underlined(scanned, None, rst=True)
        if rst.releases:
            return rst
    return usual


def _parse_atx_level2(scanned: str, fenced: list[tuple[int, int]] | None) -> tuple[Changelog, bool]:
    """The usual changelog, releases at level 2; ``False`` when they may be elsewhere (none
    at level 2, or more at level 1)."""
    count = scanned.count  # bound once: the loops below run for every heading and link
    sections: list[Section] = []
    current: Section | None = None
    body_start = 0
    number = 0
    counted_to = 0
    top_level_releases = 0
    for heading in _HEADING.finditer(scanned):
        start = heading.start()
        if fenced is not None and _inside(fenced, start):
            continue
        # "\n" + text: a line's number is the count of newlines up to its start.
        number += count("\n", counted_to, start + 1)
        counted_to = start + 1
        # A heading ends the open section: its body runs up to the newline before this line
        # (none at all when this heading directly follows the previous one).
        if current is not None and body_start < start:
            current._source, current._start, current._end = scanned, body_start, start
        dated, dated_version, date, second, title = heading.groups()
        if dated is not None and dated_version[-1] not in "xX":
            current = Section(number, dated, dated_version, dated_version, date, True, False)
        elif dated is not None:  # `## [1.x] - ...`: a series, not a release
            current = _section_from_heading(number, dated)
        elif second:
            current = _section_from_heading(number, title.strip().rstrip("#").rstrip())
        else:
            if _section_from_heading(number, title.strip().rstrip("#").rstrip()).is_release:
                top_level_releases += 1
            current = None
            continue
        body_start = heading.end()
        sections.append(current)
    if current is not None and body_start < len(scanned):
        current._source, current._start, current._end = scanned, body_start, len(scanned)
    # Dated headings (almost all, in the usual changelog) need no look below them.
    for section in [s for s in sections if s.date is None and s.version_text is not None]:
        _date_below(section)
    if top_level_releases:
        settled = sum(1 for s in sections if s.version_text is not None) >= top_level_releases
    else:
        settled = any(s.version_text is not None or s.is_unreleased for s in sections)
    return Changelog(sections, scanned, fenced), settled


def _date_below(section: Section) -> None:
    """Take the date from the first line of the body (``Released 2026-01-31``)."""
    source, start, end = section._source, section._start, section._end
    if start >= end:
        return
    match = _FIRST_LINE.match(source, start + 1, end)
    if match is None or (match.end() < end and source[match.end()] != "\n"):
        return
    line = match.group("line").rstrip()
    if read_date(line)[0] == "unknown":
        return
    section.date = clean_date(line)
    section._date_line = (
        section.body_first_line - 1 + source.count("\n", start, match.start("line"))
    )
    # The date line is no note: emptiness is judged on what follows it.
    section._notes_from = match.end()
    if section._empty is not None:
        section._empty = _generic_empty(source[match.end() : end], rst=section._rst)


#: One heading found by the generic reader: its offsets in "\n" + text (the newline before
#: its first line, the end of its last line), the offset of the newline before its title
#: line, its style (a rank, or a reStructuredText adornment) and its title. Numbered, the
#: third item is the title's line number.
_Heading: TypeAlias = tuple[int, int, int, Any, str]


def _parse_underlined(
    scanned: str, fenced: list[tuple[int, int]] | None, *, rst: bool
) -> Changelog:
    """Any heading style: ATX at every level and setext (Markdown), or the underlined and
    overlined titles of reStructuredText; releases are the style that names most versions."""
    headings = _rst_headings(scanned) if rst else _markdown_headings(scanned, fenced)
    if rst:
        # reStructuredText ranks title styles by their first appearance.
        order: dict[Any, int] = {}
        for heading in headings:
            order.setdefault(heading[3], len(order) + 1)
        headings = [(*heading[:3], order[heading[3]], heading[4]) for heading in headings]
    parsed = [(heading, _section_from_heading(heading[2], heading[4])) for heading in headings]
    counts: dict[int, int] = {}
    for heading, section in parsed:
        if section.version_text is not None:
            counts[heading[3]] = counts.get(heading[3], 0) + 1
    if counts:
        release_rank = min(counts, key=lambda rank: (-counts[rank], rank))
    else:
        unreleased = [heading[3] for heading, section in parsed if section.is_unreleased]
        release_rank = min(unreleased) if unreleased else 2
    sections: list[Section] = []
    current: Section | None = None
    body_start = 0
    for (start, end, _line, rank, _title), section in parsed:
        if rank > release_rank:
            continue  # a sub-heading: part of the open section's body
        if current is not None:
            _close(current, scanned, body_start, start, rst=rst)
        if rank < release_rank:
            current = None
            continue
        current, body_start = section, end
        if scanned.count("\n", start + 1, end):
            section._head_lines = 2  # underlined (and maybe overlined): body after the rule
        sections.append(section)
    if current is not None:
        _close(current, scanned, body_start, len(scanned), rst=rst)
    for section in sections:
        if section.version_text is not None and section.date is None:
            _date_below(section)
    return Changelog(sections, scanned, fenced, "rst" if rst else "markdown")


def _find_at_any_level(
    scanned: str, fenced: list[tuple[int, int]] | None, wanted: VersionKey
) -> Section | None:
    """A heading of any level naming the ``wanted`` version, as a section.

    The hook asks this on every commit while the project version has no section yet, so
    one search finds only headings whose version starts with the wanted major number.
    """
    major = wanted[0] if isinstance(wanted, tuple) else wanted.release[0]
    candidates = re.compile(
        r"\n(?P<hashes>#{1,6})[^\S\n]+(?:[A-Za-z][\w.-]*[^\S\n]+)?\[?[vV]?0*"
        rf"{major}(?![0-9])[^\n]*"
    )
    for match in candidates.finditer(scanned):
        start = match.start()
        if fenced is not None and _inside(fenced, start):
            continue
        title = match.group(0).lstrip("\n#").strip().rstrip("#").rstrip()
        line = scanned.count("\n", 0, start + 1)
        section = _section_from_heading(line, title)
        if section.version_text is None or section.key != wanted:
            continue
        rank = len(match.group("hashes"))
        end = _section_end(scanned, fenced, match.end(), rank)
        _close(section, scanned, match.end(), end, rst=False)
        if section.date is None:
            _date_below(section)
        return section
    return None


def _section_end(scanned: str, fenced: list[tuple[int, int]] | None, start: int, rank: int) -> int:
    """Where a section headed at level ``rank`` ends: at the next release heading of its
    level, or a shallower heading (in conventional-changelog style the release's own
    ``### Bug Fixes`` is a sibling of its ``### [1.2.4]`` heading)."""
    for heading in re.compile(rf"\n(#{{1,{rank}}})[^\S\n]([^\n]*)").finditer(scanned, start):
        if fenced is not None and _inside(fenced, heading.start()):
            continue
        level = len(heading.group(1))
        if level < rank or _section_from_heading(0, heading.group(2).strip()).is_release:
            return heading.start()
    return len(scanned)


def _close(section: Section, scanned: str, start: int, end: int, *, rst: bool) -> None:
    if start < end:
        section._source, section._start, section._end = scanned, start, end
    section._rst = rst
    section._empty = _generic_empty(scanned[start:end], rst=rst) if start < end else True


def _generic_empty(body: str, *, rst: bool) -> bool:
    """No notes in ``body`` ("\\n" + body): only blank lines, titles, adornments, link
    definitions and comments."""
    lines = body.split("\n")[1:]
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or _is_adornment(stripped):
            continue
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if _is_adornment(following):
            continue  # a sub-section title
        if rst and stripped.startswith("..") and "::" not in stripped:
            continue  # a comment or a link target; a directive (`.. include::`) is content
        if not rst and (stripped.startswith("#") or _LINK_DEFINITION.match(line)):
            continue
        if stripped.startswith("<!--") and stripped.endswith("-->"):
            continue
        return False
    return True


def _is_adornment(text: str) -> bool:
    return (
        len(text) >= 3
        and not text[0].isalnum()
        and not text[0].isspace()
        and text == text[0] * len(text)
    )


def _markdown_headings(scanned: str, fenced: list[tuple[int, int]] | None) -> list[_Heading]:
    """ATX headings at every level, and setext headings (ranked 1 for ``===``, 2 for
    ``---``), in file order."""
    found: list[_Heading] = []
    for match in _ANY_ATX.finditer(scanned):
        start = match.start()
        if fenced is not None and _inside(fenced, start):
            continue
        title = match.group("title").strip().rstrip("#").rstrip()
        found.append((start, match.end(), start, len(match.group("hashes")), title))
    for match in _ADORNMENT.finditer(scanned):
        char = match.group(2)
        start = match.start()
        if char not in "=-" or (fenced is not None and _inside(fenced, start)):
            continue
        title_start = scanned.rfind("\n", 0, start)
        if title_start < 0:
            continue
        title = scanned[title_start + 1 : start]
        if (
            not title.strip()
            or title.startswith("    ")
            or title.lstrip().startswith(("#", ">", "|"))
            or _LIST_ITEM.match(title)
            or _is_adornment(title.strip())
        ):
            continue
        before = scanned.rfind("\n", 0, title_start)
        previous = scanned[before + 1 : title_start].strip() if before >= 0 else ""
        if previous and not _is_adornment(previous) and not previous.startswith("#"):
            continue  # the last line of a paragraph: a setext heading would take it all
        found.append((title_start, match.end(), title_start, 1 if char == "=" else 2, title))
    found.sort(key=lambda heading: heading[0])
    return _numbered(scanned, found)


def _rst_headings(scanned: str) -> list[_Heading]:
    """reStructuredText section titles: a line underlined (and maybe overlined) with one
    repeated punctuation character; the style is the character and the overline."""
    found: list[_Heading] = []
    used_until = -1
    size = len(scanned)
    for match in _ADORNMENT.finditer(scanned):
        start = match.start()
        if start < used_until:
            continue
        char, line_end = match.group(2), match.end()
        # An overline: the title below it, then the same adornment again.
        title_end = scanned.find("\n", line_end + 1)
        title_end = size if title_end < 0 else title_end
        under_end = scanned.find("\n", title_end + 1)
        under_end = size if under_end < 0 else under_end
        title = scanned[line_end + 1 : title_end]
        if (
            line_end < size
            and title.strip()
            and not _is_adornment(title.strip())
            and scanned[title_end + 1 : under_end].strip() == match.group("line")
        ):
            found.append((start, under_end, line_end, (char, True), title.strip()))
            used_until = under_end
            continue
        # An underline: the title is the line above, not indented, after a blank line.
        title_start = scanned.rfind("\n", 0, start)
        if title_start < 0:
            continue
        title = scanned[title_start + 1 : start]
        if not title.strip() or title[0].isspace() or _is_adornment(title.strip()):
            continue
        before = scanned.rfind("\n", 0, title_start)
        if before >= 0 and scanned[before + 1 : title_start].strip():
            continue
        found.append((title_start, line_end, title_start, (char, False), title.strip()))
    return _numbered(scanned, found)


def _numbered(scanned: str, headings: list[_Heading]) -> list[_Heading]:
    """``headings`` with the line number of each title in place of its offset."""
    numbered: list[_Heading] = []
    number = 0
    counted_to = 0
    for start, end, title_at, style, title in headings:
        number += scanned.count("\n", counted_to, title_at + 1)
        counted_to = title_at + 1
        numbered.append((start, end, number, style, title.strip()))
    return numbered


def _read_links(scanned: str, fenced: list[tuple[int, int]] | None) -> list[LinkDefinition]:
    links: list[LinkDefinition] = []
    count = scanned.count
    number = 0  # "\n" + text: a line's number is the count of newlines up to its start
    counted_to = 0
    for link in _LINK.finditer(scanned):
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
    for fence in _FENCE.finditer(scanned):
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
        return Section(number, text, stripped if _is_unreleased_label(stripped) else None)
    word, bracketed, bare, inline_url, rest = match.group(
        "word", "bracketed", "bare", "inline_url", "rest"
    )
    if bare is not None and bare[-1] in ":,;":
        rest = bare[-1] + rest
        bare = bare.rstrip(":,;")
    label = (bracketed or bare).strip()
    is_bracketed = bracketed is not None
    if word is not None and (_is_unreleased_label(label) or _DATE_REST.match(rest) is None):
        # `Python 3.12 support`, `Migrating to 2.0`: prose, not a release heading.
        stripped = text.strip()
        return Section(number, text, stripped if _is_unreleased_label(stripped) else None)
    if _is_unreleased_label(label) or (is_bracketed and not _looks_like_version(label)):
        # `## [Unreleased]`; `## [Some notes]` is not a release heading.
        return Section(
            number, text, label, bracketed=is_bracketed, has_inline_link=inline_url is not None
        )
    if _SERIES.match(label):
        series = Section(number, text, label, bracketed=is_bracketed)
        series.series = True
        return series
    date = _date_text(rest)
    return Section(number, text, label, label, date, is_bracketed, inline_url is not None)


def _date_text(rest: str) -> str | None:
    """The date part of what follows a heading's version: `` - 2026-01-31`` and
    `` (released Dec 31, 2025) [YANKED]`` give ``2026-01-31`` and ``Dec 31, 2025``."""
    text = rest.strip()
    if not text:
        return None
    if "yanked" in text.lower():
        text = _YANKED.sub("", text).strip()
    text = text.lstrip("-\u2013\u2014:,/").strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return clean_date(text) or None


def _looks_like_version(label: str) -> bool:
    return _VERSION_LIKE.match(label) is not None


def is_iso_date(text: str) -> bool:
    """True for ``YYYY-MM-DD`` (the only date form Keep a Changelog uses)."""
    return _ISO_DATE.fullmatch(text) is not None


def all_iso_dates(dates: list[str]) -> bool:
    """True when every one of ``dates`` is ``YYYY-MM-DD`` (the loop runs in C, via ``map``)."""
    return all(map(_ISO_DATE.fullmatch, dates))


def syntax_of(path: StrPath) -> str:
    """The markup a changelog file is read as, from its name: ``rst``, ``markdown`` or
    ``auto`` (``.txt`` and no extension: Markdown headings first, then underlined ones)."""
    name = str(path).lower()
    if name.endswith((".rst", ".rest")):
        return "rst"
    if name.endswith((".md", ".markdown", ".mdown", ".mkd")):
        return "markdown"
    return "auto"


def read_changelog(path: StrPath) -> Changelog:
    """Read and parse the changelog at ``path``; :class:`FileProblem` when unreadable.

    Checks get it from :attr:`RepoContext.changelog
    <release_assistant.core.context.RepoContext.changelog>`, read once per run.
    """
    return parse_changelog(read_text(path), syntax_of(path))
