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
section whose version is not released yet (see :data:`.dates.PENDING`). ``## [Unreleased]``,
``## Latest Changes``, ``dev`` and the like collect notes for the next release;
``## 0.15.x`` headings point at an archive (``Section.series``) and are no release.

Headings inside fenced code blocks are ignored. Parsing never fails: what cannot be
understood is kept on the section (``version is None``) for the check to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from packaging.version import Version

from release_assistant.core.changelog.dates import clean_date, read_date
from release_assistant.core.changelog.headings import (
    _HEADING,
    _fenced_spans,
    _inside,
    _is_adornment,
    _markdown_headings,
    _rst_headings,
    _section_from_heading,
)
from release_assistant.core.changelog.sections import (
    LinkDefinition,
    Section,
    VersionKey,
    release_keys,
    version_key,
)
from release_assistant.core.support.textfiles import StrPath, read_text

_LINK_DEFINITION = re.compile(r"^[^\S\n]{0,3}\[[^\]\n]+\]:[^\S\n]*\S")
# Link reference definitions (`[label]: url`, indented by up to three spaces).
# _LINK_LABEL finds the same lines, capturing only the label (for findall).
_LINK_START = r"\n(?=\[|[^\S\n])[^\S\n]{0,3}\["
_LINK = re.compile(_LINK_START + r"(?P<label>[^\]\n]+)\]:[^\S\n]*(?P<url>\S+)")
_LINK_LABEL = re.compile(_LINK_START + r"([^\]\n]+)\]:[^\S\n]*\S")
# The first non-blank line of a section body, when it is short enough to be a date line.
_FIRST_LINE = re.compile(r"\n*[^\S\n]*(?P<line>[^\n]{1,80})")
_KEEP_A_CHANGELOG = re.compile(r"keep-?a-?changelog|keep a changelog", re.IGNORECASE)


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
    #: The ATX level whose every heading is a section (0: none): :meth:`find` has looked at
    #: those already and its search at any level skips them.
    section_level: int = field(default=0, repr=False, compare=False)

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
        found = self._release_index().get(wanted)
        if found is None and self.syntax == "markdown":
            # Kept per version, found or not: bump asks for the new version more than once,
            # and on a long changelog each search reads the whole text.
            searched: dict[VersionKey, Section | None] = self.__dict__.setdefault("_any_level", {})
            if wanted not in searched:
                searched[wanted] = _find_at_any_level(
                    self.scanned, self.fenced, wanted, self.section_level
                )
            found = searched[wanted]
        return found

    def _release_index(self) -> dict[VersionKey, Section]:
        """The first release section of each version key, built on first use: a run asks
        :meth:`find` for several versions (the project's, the tag's, the previous one)."""
        index: dict[VersionKey, Section] | None = self.__dict__.get("_by_key")
        if index is None:
            index = {}
            releases = self.releases
            for section, key in zip(releases, release_keys(releases), strict=True):
                if key is not None:
                    index.setdefault(key, section)
            self.__dict__["_by_key"] = index
        return index


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
    return Changelog(sections, scanned, fenced, section_level=2), settled


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
    # An underlined line is a sub-heading's title (`Unreleased` over `----------`), not a
    # date line: dating it would rewrite the title and leave its underline.
    below_end = source.find("\n", match.end() + 1, end)
    if _is_adornment(source[match.end() + 1 : below_end if below_end >= 0 else end].strip()):
        return
    section.date = clean_date(line)
    section._date_line = (
        section.body_first_line - 1 + source.count("\n", start, match.start("line"))
    )
    # The date line is no note: emptiness is judged on what follows it.
    section._notes_from = match.end()
    if section._empty is not None:
        section._empty = _generic_empty(source[match.end() : end], rst=section._rst)


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
    totals: dict[int, int] = {}
    for heading, section in parsed:
        totals[heading[3]] = totals.get(heading[3], 0) + 1
        if section.version_text is not None:
            counts[heading[3]] = counts.get(heading[3], 0) + 1
    if counts:
        release_rank = min(counts, key=lambda rank: (-counts[rank], rank))
        # A project that changed its title style (`3.23.0` over `****`, older releases over
        # `++++`) heads releases in each: every style whose titles are mostly versions.
        release_ranks = {
            rank
            for rank, named in counts.items()
            if rank == release_rank or named * 2 > totals[rank]
        }
        release_rank = min(release_ranks)
    else:
        unreleased = [heading[3] for heading, section in parsed if section.is_unreleased]
        release_rank = min(unreleased) if unreleased else 2
        release_ranks = {release_rank}
    sections: list[Section] = []
    current: Section | None = None
    body_start = 0
    for (start, end, _line, rank, _title), section in parsed:
        if rank > release_rank and rank not in release_ranks:
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
    level = 0 if rst or not isinstance(release_rank, int) else release_rank
    return Changelog(sections, scanned, fenced, "rst" if rst else "markdown", level)


def _find_at_any_level(
    scanned: str, fenced: list[tuple[int, int]] | None, wanted: VersionKey, skip_level: int
) -> Section | None:
    """A heading of any level naming the ``wanted`` version, as a section.

    The hook asks this on every commit while the project version has no section yet, so
    one search finds only headings whose version starts with the wanted major number, and
    not those of ``skip_level`` (every one of them is a section already looked at). The
    work is linear in the text: one regex scan, a title read per candidate.
    """
    major = wanted[0] if isinstance(wanted, tuple) else wanted.release[0]
    skipped = rf"(?!#{{{skip_level}}}[^\S\n])" if skip_level else ""
    candidates = re.compile(
        rf"\n{skipped}(?P<hashes>#{{1,6}})[^\S\n]+(?:[A-Za-z][\w.-]*[^\S\n]+)?\[?[vV]?0*"
        rf"{major}(?![0-9])[^\n]*"
    )
    for match in candidates.finditer(scanned):
        start = match.start()
        if fenced is not None and _inside(fenced, start):
            continue
        title = match.group(0).lstrip("\n#").strip().rstrip("#").rstrip()
        section = _section_from_heading(0, title)
        if section.version_text is None or section.key != wanted:
            continue
        # Counted only for the heading taken: counting lines for every candidate made a
        # missing version (the state right after a bump) quadratic in the changelog's size.
        section.line = scanned.count("\n", 0, start + 1)
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
