"""Changelog headings: the patterns that find them (ATX, setext and reStructuredText
titles, outside fenced code; a bold line, a release directive or a ``:release:`` role where
a project writes its releases that way) and the reading of one heading's title into a
``Section`` (version, date, ``Unreleased``, series).

A heading is read by the version it names once its markup is removed, as its tool renders
it (:func:`plain_title`): reStructuredText links (`` `1.2.3 <url>`_ ``), references
(`` `1.2.3`_ ``, ``1.2.3_``), roles (``:release:`1.2.3 <2026-01-31>```), substitutions
and emphasis; Markdown emphasis, code, HTML anchors and attribute lists. A heading that
names one version per package (``Version 1.44.0/0.65b0``) is a section of each
(:attr:`Section.also`)."""

from __future__ import annotations

import bisect
import re
from typing import Any, TypeAlias

from release_assistant.core.changelog.dates import clean_date, read_date
from release_assistant.core.changelog.sections import Section, _is_unreleased_label, _parse_version

# An optional single word (`Release`, `Version`, a project name), then `[1.2.3]`,
# `[1.2.3](url)` or a bare `v1.2.3`, then the rest of the heading (a date, `[YANKED]`).
_RELEASE = re.compile(
    r"^(?:(?P<word>[A-Za-z][\w.-]*)[ \t]+(?=[\[vV]?\d|\[))?"
    r"(?:\[(?P<bracketed>[^\]]+)\](?:\((?P<inline_url>[^)]*)\))?|(?P<bare>[vV]?\d[^\s(\[]*))"
    r"(?P<rest>.*)$"
)
_VERSION_LIKE = re.compile(r"^\s*[vV]?\d")  # the lazy patterns serve unusual input
# `0.15.x`, `2.*`: a heading for a series of releases, usually pointing at an archive.
_SERIES = re.compile(r"^[vV]?\d+(?:\.\d+)*\.[xX*]$")
# What may follow a version after a leading word: nothing, or a date in any wrapping.
_DATE_REST = re.compile(r"^\s*(?:$|[-\u2013\u2014:(\[,]|released|unreleased|\d)", re.IGNORECASE)
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
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])(?:\s|$)")
# Code fences (up to three spaces, then three or more backticks or tildes); headings and
# link definitions inside fenced code are text.
_FENCE = re.compile(r"\n(?=[`~]|[^\S\n])[^\S\n]{0,3}(?P<fence>`{3,}|~{3,})")
_YANKED = re.compile(r"\s*[\[(]?\s*yanked\s*[\])]?\s*$", re.IGNORECASE)

# -- markup, removed before a title is read ------------------------------------------------
# Any character that can start markup: titles without one (almost all) are read as they are.
_MARKUP_CHAR = re.compile(r"[`*|<{_:]")
# `1.2.3 <https://...>`_ (a reStructuredText hyperlink; `__` anonymous).
_RST_LINK = re.compile(r"`([^`<]*?)\s*<[^>`]*>`_{0,2}")
# :release:`1.2.3 <2026-01-31>`, :doc:`text <target>`, :ref:`label`: a role. The releases
# extension's `:release:` role names the version and, in angle brackets, the day.
_ROLE = re.compile(
    r":(?P<role>[A-Za-z][\w+.-]*(?::[\w+.-]+)?):`(?P<text>[^`<]*?)\s*(?:<(?P<target>[^>`]*)>)?`"
)
# `1.2.3`_ (a reference), ``1.2.3`` and `1.2.3` (literal text, Markdown code).
_BACKTICKS = re.compile(r"`{1,2}([^`]+?)`{1,2}_{0,2}")
# 1.2.3_ or v1.2.3__: a simple reference name.
_SIMPLE_REFERENCE = re.compile(r"(?<=\d)_{1,2}(?=\s|$|[,;:()\[\]])")
# |name|: a substitution (its name stays; what it stands for is not known here).
_SUBSTITUTION = re.compile(r"\|([^|\s][^|]*?)\|_{0,2}")
# **text**, *text*, __text__, _text_: emphasis in either markup.
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,2}|_{1,2})(?=\S)(.+?)(?<=\S)\1(?![\w*])")
# <a name="1.2.3"></a>, <span ...>: inline HTML in a Markdown heading.
_HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
# {: #anchor }, {#anchor .class}: an attribute list (Python-Markdown, mkdocs).
_ATTRIBUTES = re.compile(r"\s*\{:?\s*[#.][^{}]*\}\s*$")
# Further versions after the first, one per package: `1.44.0/0.65b0`, `1.2.3, other 4.5.6`.
_ALSO = re.compile(
    r"^\s*(?:/|,|&|\band\b)\s*(?:[A-Za-z][\w.-]*[ \t]+)?(?P<version>[vV]?\d[\w.!+-]*)"
)


def plain_title(text: str) -> str:
    """``text`` without its markup, as its renderer shows it: `` `1.2.3 <url>`_ (date)``
    is ``1.2.3 (date)``, ``:release:`1.2.3 <2026-01-31>``` is ``1.2.3 (2026-01-31)``,
    ``**1.2.3**`` is ``1.2.3``. Markdown links (``[1.2.3](url)``) are left for the heading
    pattern, which reads them itself."""
    if _MARKUP_CHAR.search(text) is None:
        return text
    plain = _ROLE.sub(_role_text, text)
    plain = _RST_LINK.sub(lambda m: m.group(1), plain)
    plain = _BACKTICKS.sub(lambda m: m.group(1), plain)
    plain = _SIMPLE_REFERENCE.sub("", plain)
    plain = _SUBSTITUTION.sub(lambda m: m.group(1), plain)
    plain = _HTML_TAG.sub("", plain)
    without_attributes = _ATTRIBUTES.sub("", plain)
    if without_attributes != plain:  # `## 1.2.3 ## {: #v1.2.3 }`: closing hashes before it
        plain = without_attributes.rstrip().rstrip("#")
    for _ in range(2):  # **_1.2.3_**: nested emphasis
        plain = _EMPHASIS.sub(lambda m: m.group(2), plain)
    return plain.strip()


def _role_text(match: re.Match[str]) -> str:
    text, target = match.group("text"), match.group("target")
    if "release" in match.group("role").lower() and target:
        return f"{text} ({target})"  # :release:`1.2.3 <2026-01-31>`
    return text or target or ""


# A paragraph that is one bold line naming a version (`**1.2.3 (2026-01-31)**`), used as a
# release heading by changelogs that write no section titles. Searched in "\n" + text.
_BOLD_LINE = re.compile(r"\n(?P<line>\*\*[^*\n]+\*\*)[ \t]*(?=\n|\Z)")
# A release-level directive (`.. changelog:: 1.2.3`, or `.. changelog::` with a `:version:`
# option, as SQLAlchemy's and Litestar's documentation write them) and its option lines.
# `.. versionadded::` and the like describe an API, not a release: they are text.
_DIRECTIVE = re.compile(
    r"\n\.\.[ \t]+(?:changelog|release)::[ \t]*(?P<argument>[^\n]*)"
    r"(?P<options>(?:\n[ \t]+:[\w-]+:[^\n]*)*)"
)
_OPTION = re.compile(r"\n[ \t]+:(?P<name>[\w-]+):[ \t]*(?P<value>[^\n]*)")
#: The options of a release directive that make its heading (the rest are its content).
_HEADING_OPTIONS = frozenset({"version", "date", "released", "release-date"})
# A list item that marks a release, as the `releases` Sphinx extension writes them:
# `- :release:`1.2.3 <2026-01-31>``; the items below it, up to the next one, are its notes.
_RELEASE_ITEM = re.compile(r"\n[-*+][ \t]+(?P<title>:release:`[^`\n]+`)[^\n]*")

#: One heading found by the generic reader: its offsets in "\n" + text (the newline before
#: its first line, the end of its last line), the offset of the newline before its title
#: line, its style (a rank, or a reStructuredText adornment) and its title. Numbered, the
#: third item is the title's line number.
_Heading: TypeAlias = tuple[int, int, int, Any, str]


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
    found += _bold_lines(scanned, fenced, 3)
    found.sort(key=lambda heading: heading[0])
    return _numbered(scanned, found)


def _bold_lines(scanned: str, fenced: list[tuple[int, int]] | None, style: Any) -> list[_Heading]:
    """Paragraphs of one bold line that names a version (``**1.2.3 (2026-01-31)**``)."""
    found: list[_Heading] = []
    if "**" not in scanned:
        return found
    for match in _BOLD_LINE.finditer(scanned):
        start = match.start()
        if fenced is not None and _inside(fenced, start):
            continue
        before = scanned.rfind("\n", 0, start)
        if before >= 0 and scanned[before + 1 : start].strip():
            continue  # the last line of a paragraph
        title = match.group("line")
        section = _section_from_heading(0, title)
        # `**1.2.3** (2026-01-31)` or `**1.2.3**` alone; `**2.0.0a1** fixed this` is a note.
        if section.is_release and (section.date is None or read_date(section.date)[0] != "unknown"):
            found.append((start, match.end(), start, style, title))
    return found


def _directives(scanned: str) -> list[_Heading]:
    """Release directives (``.. changelog:: 1.2.3`` and ``:date:``, or ``:version:`` and
    ``:released:`` options), as headings titled ``1.2.3 (date)``."""
    found: list[_Heading] = []
    if ".. changelog::" not in scanned and ".. release::" not in scanned:
        return found
    for match in _DIRECTIVE.finditer(scanned):
        version = match.group("argument").strip()
        date = ""
        end = match.end("argument")
        for option in _OPTION.finditer(match.group("options")):
            name, value = option.group("name").lower(), option.group("value").strip()
            if name not in _HEADING_OPTIONS:
                break  # `:include_notes_from:` and the like: content, from here on
            if name == "version":
                version = version or value
            else:
                date = date or value
            end = match.start("options") + option.end()
        if not version:
            continue
        title = f"{version} ({date})" if date else version
        found.append((match.start(), end, match.start(), ("..", False), title))
    return found


def _release_items(scanned: str) -> list[_Heading]:
    """``- :release:`1.2.3 <2026-01-31>``` list items, as headings. Release items one after
    the other (``2.2.1`` of one series, then ``2.1.4`` of an older one) share the notes
    listed below them, as the ``releases`` extension renders them: one heading naming
    each (:attr:`Section.also`)."""
    if ":release:`" not in scanned:
        return []
    found: list[_Heading] = []
    run: list[re.Match[str]] = []
    for match in _RELEASE_ITEM.finditer(scanned):
        if run and match.start() != run[-1].end():
            found.append(_release_run(run))
            run = []
        run.append(match)
    if run:
        found.append(_release_run(run))
    return found


def _release_run(run: list[re.Match[str]]) -> _Heading:
    first = plain_title(run[0].group("title"))
    if len(run) > 1:
        # `2.2.1 (2026-01-31)` and `2.1.4 (...)`: `2.2.1, 2.1.4 (2026-01-31)`.
        version, _, date = first.partition(" ")
        others = [plain_title(match.group("title")).partition(" ")[0] for match in run[1:]]
        first = f"{', '.join([version, *others])} {date}".strip()
    start = run[0].start()
    return (start, run[-1].end(), start, (":release:", False), first)


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
        # An overline starts a block (docutils): right under a line of text, the adornment
        # is that line's underline, even when the lines below would fit an overlined title.
        above = scanned[scanned.rfind("\n", 0, start) + 1 : start] if start > 0 else ""
        # An overline: the title below it, then the same adornment again.
        title_end = scanned.find("\n", line_end + 1)
        title_end = size if title_end < 0 else title_end
        under_end = scanned.find("\n", title_end + 1)
        under_end = size if under_end < 0 else under_end
        title = scanned[line_end + 1 : title_end]
        if (
            line_end < size
            and not above.strip()
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
    extra = _bold_lines(scanned, None, ("**", False)) + _directives(scanned)
    extra += _release_items(scanned)
    if extra:
        found += extra
        found.sort(key=lambda heading: heading[0])
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
    plain = plain_title(text)
    section = _section_from_plain(number, text, plain)
    if section.version_text is not None and section.label is not None and not section.series:
        _split_versions(section, plain)
    return section


def _split_versions(section: Section, plain: str) -> None:
    """A heading naming one version per package (``1.44.0/0.65b0``, ``pkg 1.2.3, other
    4.5.6``): the first is the section's version, the others go to :attr:`Section.also`."""
    label = section.version_text or ""
    if "/" in label:
        first, *others = label.split("/")
        if _looks_like_version(first) and all(map(_looks_like_version, others)):
            section.version_text = section.label = first
            section.also = tuple(others)
        return
    at = plain.find(label)
    if at < 0:
        return
    rest = plain[at + len(label) :]
    if rest.lstrip()[:1] not in (",", "/", "&", "a"):
        return  # the usual heading: one version, then a date or nothing
    others_found: list[str] = []
    while (match := _ALSO.match(rest)) is not None:
        version = match.group("version").rstrip(".,;:")
        if _parse_version(version) is None:
            break  # `1.2.3, 2026-01-31`: a date, not another package's version
        others_found.append(version)
        rest = rest[match.end() :]
    if others_found:
        section.also = tuple(others_found)
        date = _date_text(rest)
        section.date = date if date else None


def _section_from_plain(number: int, text: str, plain: str) -> Section:
    match = _RELEASE.match(plain)
    if match is None:
        stripped = plain.strip()
        return Section(number, text, stripped if _is_unreleased_label(stripped) else None)
    word, bracketed, bare, inline_url, rest = match.group(
        "word", "bracketed", "bare", "inline_url", "rest"
    )
    if bare is not None and bare[-1] in ":,;.":
        rest = bare[-1] + rest if bare[-1] != "." else rest
        bare = bare.rstrip(":,;.")
    label = (bracketed or bare).strip()
    is_bracketed = bracketed is not None
    if word is not None and (_is_unreleased_label(label) or _DATE_REST.match(rest) is None):
        # `Python 3.12 support`, `Migrating to 2.0`: prose, not a release heading.
        stripped = plain.strip()
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
