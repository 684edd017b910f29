"""The parsed changelog's pieces and their queries: a ``Section`` (its version key, date
reading, body and emptiness), a ``LinkDefinition``, the labels of an ``Unreleased`` section,
and how version keys are built and ordered (``version_key``, ``release_keys``, ``is_newer``)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, TypeAlias, cast

from packaging.version import InvalidVersion, Version

from release_assistant.core.changelog.dates import DateKind, read_date

# A plain release version (`1.2.3`, `v1.2`): ordered by its numbers alone, without a PEP 440
# parse. Almost every changelog heading is one.
_PLAIN_RELEASE = re.compile(r"[vV]?[0-9]+(?:\.[0-9]+)*")  # ASCII digits, as PEP 440
# Longer plain versions go through PEP 440 parsing, which refuses them: int() takes at
# most 4,300 digits, and no tool reads a version number beyond 64 bits anyway.
_LONGEST_PLAIN = 1000
_TRAILING_ZEROS = re.compile(r"\.0+(?:\.0+)*(?=\n|\Z)")  # literal start: a fast search
# A newline, then a line with notes: not blank, not a heading (`#` after any indentation),
# not a link definition. Searched in "\n" + body.
_NOTE_LINE = re.compile(r"\n(?![^\S\n]*(?:#|\n|\Z))(?![^\S\n]{0,3}\[[^\]\n]+\]:[^\S\n]*\S)")
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
    if max(map(len, texts)) >= _LONGEST_PLAIN or not all(map(_PLAIN_RELEASE.fullmatch, texts)):
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
    #: The other versions a heading names, one per package (``Version 1.44.0/0.65b0``):
    #: the section is theirs too.
    also: tuple[str, ...] = ()
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
        if len(text) < _LONGEST_PLAIN and _PLAIN_RELEASE.fullmatch(text) is not None:
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


def section_also_naming(sections: list[Section], version: Version) -> Section | None:
    """The first section whose heading names ``version`` beside its own (one heading for
    several packages' releases, :attr:`Section.also`); ``None`` when none does."""
    wanted = version_key(version)
    for section in sections:
        for text in section.also:
            parsed = _parse_version(text)
            if parsed is not None and version_key(parsed) == wanted:
                return section
    return None


def _is_unreleased_label(label: str) -> bool:
    lowered = label.lower()
    if lowered == UNRELEASED:
        return True
    return lowered.strip("[]()*_: ").strip() in UNRELEASED_LABELS


def _parse_version(text: str) -> Version | None:
    try:
        return Version(text)
    except (InvalidVersion, ValueError):  # ValueError: a number of over 4,300 digits
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
