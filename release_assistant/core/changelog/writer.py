"""Writing the next release into a changelog, in the file's own dialect: the parser's other
direction.

:func:`release_unreleased` turns the notes kept for the next release into the release of
``new``, dated ``today``, written the way the file's released sections are:

* an ``Unreleased`` section (``## [Unreleased]``, ``## Latest Changes``, an underlined
  ``Unreleased`` or ``dev`` title) stays on top, empty, and a heading for ``new`` is put
  under it, so that the notes become the release's;
* a release section still marked as pending (``## Version 8.5.0`` over an ``Unreleased``
  line, ``1.3.0 (unreleased)`` underlined, ``Release 1.4.0 (in development)``) is dated in
  place, and renamed when it names another version than ``new``.

A new heading copies the nearest dated release's: its level or underline (resized to the
new title), the words around the version, where the date goes (in the heading or on the
line below it) and how it is spelt (``2026-02-01``, ``Feb 01, 2026``, ``1st February,
2026``). Keep a Changelog's compare links move on to the new tag. Text in, text out: the
caller reads and writes the file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from packaging.version import Version

from release_assistant.core.changelog.headings import _RELEASE, _is_adornment
from release_assistant.core.changelog.parser import Changelog
from release_assistant.core.changelog.sections import Section

_COMPARE = re.compile(r"^(?P<base>\S*/compare/)(?P<start>\S+?)\.\.\.(?P<end>\S+)$")
# What closes a date's wrapping: `(2026-02-01)`, `*2026-02-01*`, `[2026-02-01]`.
_CLOSING = re.compile(r"[)\]*_`'\"]*")
_ATX_MARKER = re.compile(r"[ \t]*#*[ \t]*")
_INLINE_LINK = re.compile(r"^\]\((?P<url>[^)\s]*)\)")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_STYLES = (
    "{Y}-{m:02d}-{d:02d}",
    "{Y}-{m}-{d}",
    "{Y}/{m:02d}/{d:02d}",
    "{Y}/{m}/{d}",
    "{Y}.{m:02d}.{d:02d}",
    "{d:02d}.{m:02d}.{Y}",
    "{d}.{m}.{Y}",
    "{b} {d}, {Y}",
    "{b} {d:02d}, {Y}",
    "{B} {d}, {Y}",
    "{B} {d:02d}, {Y}",
    "{b}. {d}, {Y}",
    "{b} {d} {Y}",
    "{B} {d} {Y}",
    "{d} {b} {Y}",
    "{d:02d} {b} {Y}",
    "{d} {B} {Y}",
    "{d:02d} {B} {Y}",
    "{d} {b}, {Y}",
    "{d} {B}, {Y}",
    "{d}{o} {B}, {Y}",
    "{d}{o} {B} {Y}",
    "{d}{o} {b} {Y}",
    "{d}{o} {b}, {Y}",
    "{B} {d}{o}, {Y}",
    "{b} {d}{o}, {Y}",
    "{B} {d}{o} {Y}",
)
#: Every date spelling the writer can imitate, most usual first (an ambiguous sample, such
#: as a day above 9 that may or may not be zero-padded, takes the first that fits).
DATE_STYLES: tuple[str, ...] = tuple(
    weekday + style for weekday in ("", "{A}, ", "{a}, ", "{A} ", "{a} ") for style in _DAY_STYLES
)
ISO_STYLE = DATE_STYLES[0]


@dataclass(frozen=True, slots=True)
class ReleasedText:
    """The changelog with the release written (``text``), and what the writer did that
    the maintainer should know (``notes``: each one line)."""

    text: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WriteProblem:
    """Why no release was written: ``message`` is one line saying what to do by hand."""

    message: str


def format_day(style: str, day: dt.date) -> str:
    """``day`` spelt in ``style`` (one of :data:`DATE_STYLES`), in English."""
    if 10 <= day.day % 100 <= 20:
        ordinal = "th"
    else:
        ordinal = {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    month = _MONTHS[day.month - 1]
    weekday = _WEEKDAYS[day.weekday()]
    return style.format(
        Y=day.year,
        m=day.month,
        d=day.day,
        b=month[:3],
        B=month,
        o=ordinal,
        a=weekday[:3],
        A=weekday,
    )


def date_style(samples: list[tuple[str, dt.date]]) -> str:
    """The :data:`DATE_STYLES` entry the first sample (the nearest release's date) is spelt
    in; among the styles that fit it, the one most other samples share. ISO without samples
    or when none fits."""
    if not samples:
        return ISO_STYLE
    text, day = samples[0]
    fitting = [style for style in DATE_STYLES if format_day(style, day) == text]
    if not fitting:
        return ISO_STYLE
    rest = samples[1:]
    return max(
        fitting,
        key=lambda style: sum(1 for other, when in rest if format_day(style, when) == other),
    )


def release_unreleased(
    text: str,
    changelog: Changelog,
    new: Version,
    today: dt.date,
    *,
    new_tag: str | None = None,
) -> ReleasedText | WriteProblem:
    """``text`` with the pending notes released as ``new`` on ``today`` (see the module).

    ``changelog`` is ``text`` parsed (with the file's syntax); ``new_tag`` is the tag the
    release will get, for Keep a Changelog's compare links (``None``: links are left).
    A :class:`WriteProblem` when nothing collects the next release's notes.
    """
    lines = text.split("\n")
    pending = _pending_section(changelog)
    existing = changelog.find(new)
    if existing is not None and not existing.is_pending:
        return ReleasedText(text, (f"a section for {new} exists already: left as it is",))
    if existing is not None:
        pending = existing
    if pending is None:
        return WriteProblem(_no_pending(changelog, new, today))
    template = _template(changelog, pending)
    style = date_style(_date_samples(changelog, pending))
    notes: list[str] = []
    if pending.version_text is None:
        if pending.is_empty:
            notes.append(f"the {pending.label!r} section has no notes: {new} will have none")
        written = _insert_release(lines, changelog, pending, template, new, today, style, new_tag)
    else:
        pending_version = pending.version
        if (
            pending_version is not None
            and pending_version != new
            and new.is_prerelease
            and Version(new.base_version) == Version(pending_version.base_version)
        ):
            return ReleasedText(
                text,
                (
                    f"{new} is a pre-release of {pending.version_text}: its notes stay in the "
                    f"pending {pending.version_text} section (line {pending.line})",
                ),
            )
        if pending.is_empty:
            notes.append(
                f"the pending section {pending.version_text} has no notes: {new} will have none"
            )
        if pending_version != new:
            notes.append(
                f"the pending section {pending.version_text} (line {pending.line}) is renamed {new}"
            )
        written = _date_pending(lines, pending, template, new, today, style)
    if changelog.syntax == "markdown" and new_tag is not None:
        renamed = pending.label if pending.version_text is not None else None
        lines = _update_links(lines, changelog, written, template, renamed, new_tag)
    return ReleasedText("\n".join(lines), tuple(notes))


def _pending_section(changelog: Changelog) -> Section | None:
    """The section on top that collects the next release's notes: an ``Unreleased`` one, or
    a release marked pending; ``None`` when a released section comes first."""
    for section in changelog.sections:
        if section.version_text is None:
            if section.is_unreleased:
                return section
            continue
        return section if section.is_pending else None
    return None


def _no_pending(changelog: Changelog, new: Version, today: dt.date) -> str:
    unreleased = changelog.unreleased
    if unreleased is not None:
        return (
            f"the {unreleased.label!r} section (line {unreleased.line}) is below released "
            f"versions: move it to the top, or write the notes for {new} by hand"
        )
    heading = (
        f"{new} ({today.isoformat()})"
        if changelog.syntax == "rst"
        else f"## [{new}] - {today.isoformat()}"
    )
    return f"no Unreleased section: write the notes for {new} under '{heading}' by hand"


def _is_dated(section: Section) -> bool:
    return (
        section.version_text is not None
        and section.date_reading[1] is not None
        and "yanked" not in section.heading.lower()
    )


def _template(changelog: Changelog, pending: Section) -> Section | None:
    """The release whose heading a new one copies: the nearest dated release below the
    pending section, or (in a file that dates none) the nearest release."""
    below = [s for s in changelog.releases if s.line > pending.line and not s.series]
    dated = next((s for s in below if _is_dated(s)), None)
    if dated is not None:
        undated = sum(1 for s in below if s.date is None)
        if undated * 2 <= len(below):
            return dated
    return below[0] if below and not changelog.keep_a_changelog else dated


def _date_samples(changelog: Changelog, pending: Section) -> list[tuple[str, dt.date]]:
    """The dates of up to ten releases below ``pending``, nearest first, as written."""
    samples: list[tuple[str, dt.date]] = []
    for section in changelog.releases:
        if section.line <= pending.line or not _is_dated(section):
            continue
        day = section.date_reading[1]
        assert day is not None and section.date is not None
        samples.append((_date_core(section), day))
        if len(samples) == 10:
            break
    return samples


def _date_core(section: Section) -> str:
    """The date as written in a dated section, without what the heading adds after it
    (``2026-01-01) - The big one`` gives ``2026-01-01``)."""
    date, day = section.date or "", section.date_reading[1]
    if day is None:
        return date
    spelt = [format_day(style, day) for style in DATE_STYLES]
    found = [text for text in spelt if date.startswith(text)]
    return max(found, key=len) if found else date


@dataclass(frozen=True, slots=True)
class _Written:
    """The heading written for the release: its link label, and how it links."""

    label: str
    bracketed: bool = False
    has_inline_link: bool = False


@dataclass(slots=True)
class _Head:
    """Where a heading is in the lines: its title line (``title``, 0-based), the text
    around the title on that line, and the underline and overline, if any."""

    title: int
    before: str
    after: str
    under: int | None = None
    over: int | None = None

    @property
    def first(self) -> int:
        return self.over if self.over is not None else self.title

    @property
    def last(self) -> int:
        return self.under if self.under is not None else self.title


def _head(lines: list[str], section: Section) -> _Head:
    index = section.line - 1
    raw = lines[index]
    at = raw.find(section.heading)
    if at >= 0:
        before, after = raw[:at], raw[at + len(section.heading) :]
    else:  # not expected: the parser reads titles out of these lines
        marker = _ATX_MARKER.match(raw)
        before, after = (marker.group() if marker is not None else ""), ""
    following = lines[index + 1].strip() if index + 1 < len(lines) else ""
    if not raw.lstrip().startswith("#") and _is_adornment(following):
        over = index - 1 if index >= 1 and lines[index - 1].strip() == following else None
        return _Head(index, before, after, index + 1, over)
    return _Head(index, before, after)


def _head_lines(lines: list[str], head: _Head, title: str) -> list[str]:
    """The heading's lines (overline, title, underline) with ``title`` in place of its own;
    adornments keep their length beyond the title."""
    raw = lines[head.title]
    new_raw = f"{head.before}{title}{head.after}"
    grow = len(new_raw.rstrip()) - len(raw.rstrip())
    block = lines[head.first : head.last + 1]
    block[head.title - head.first] = new_raw
    for index in (head.over, head.under):
        if index is not None:
            adornment = lines[index].strip()
            length = max(len(adornment) + grow, len(new_raw.rstrip()))
            block[index - head.first] = adornment[0] * length
    return block


def _version_text(section: Section, new: Version) -> str:
    old = section.version_text or ""
    return f"{old[0]}{new}" if old[:1] in ("v", "V") else str(new)


def _split_title(section: Section) -> tuple[str, str]:
    """The title before and after the version it names."""
    title, version = section.heading, section.version_text or ""
    # The version comes after the title's first word, if any: in `Py2 2` it is the second
    # `2` (replacing the first made a title that names 2 again).
    leading = _RELEASE.match(title)
    word_end = leading.end("word") if leading is not None and leading.group("word") else 0
    at = title.find(version, word_end)
    return (title[:at], title[at + len(version) :]) if at >= 0 else (f"{title} ", "")


def _date_in_heading(section: Section) -> bool:
    return section.date is not None and section.date_line == section.line


def _with_date(after: str, old_date: str, new_date: str, *, copied: bool = False) -> str | None:
    """``after`` (a title's end, or a date line) with ``old_date`` spelt ``new_date``.

    ``copied``: ``after`` is another release's, so what follows its date (a remark such as
    ``, yanked on ...``) is left out, all but the closing marks (``)``, ``*``).
    """
    at = after.find(old_date)
    if at < 0:
        return None
    tail = after[at + len(old_date) :]
    if copied:
        closing = _CLOSING.match(tail)
        tail = closing.group() if closing is not None else ""
    return after[:at] + new_date + tail


def _relinked(after: str, template: Section, new_version: str, new_tag: str | None) -> str:
    """``after`` of a template title whose ``[version](url)`` link is made for the new
    release: a compare URL from the template's tag to ``new_tag``, else the version replaced."""
    match = _INLINE_LINK.match(after)
    if match is None:
        return after
    url = match.group("url")
    compare = _COMPARE.match(url)
    if compare is not None and new_tag is not None:
        url = f"{compare['base']}{compare['end']}...{new_tag}"
    elif template.version_text and template.version_text in url:
        head, _, tail = url.rpartition(template.version_text)
        url = f"{head}{new_version.lstrip('vV')}{tail}"
    else:
        return "]" + after[match.end() :]
    return f"]({url})" + after[match.end() :]


def _new_title(template: Section, new: Version, day_text: str, new_tag: str | None) -> str | None:
    """The template's title for ``new``: its version and (if in the title) its date
    replaced; ``None`` when the date cannot be found in it."""
    before, after = _split_title(template)
    version = _version_text(template, new)
    if template.has_inline_link:
        after = _relinked(after, template, version, new_tag)
    if _date_in_heading(template) and _is_dated(template):
        dated = _with_date(after, _date_core(template), day_text, copied=True)
        if dated is None:
            return None
        after = dated
    elif _date_in_heading(template):
        # Words where others have a date (`(the winter release)`): that release's, not ours.
        assert template.date is not None
        at = after.find(template.date)
        if at >= 0:
            after = after[:at].rstrip(" \t([-\u2013\u2014:,/")
    return f"{before}{version}{after}"


def _insert_release(
    lines: list[str],
    changelog: Changelog,
    pending: Section,
    template: Section | None,
    new: Version,
    today: dt.date,
    style: str,
    new_tag: str | None,
) -> _Written:
    """Put a heading for ``new`` under the ``Unreleased`` one: its notes become the
    release's, and the empty ``Unreleased`` stays on top. The heading written is returned."""
    pending_head = _head(lines, pending)
    day_text = format_day(style, today)
    block: list[str] | None = None
    written = _Written(str(new))
    if template is not None:
        title = _new_title(template, new, day_text, new_tag)
        if title is not None:
            head = _head(lines, template)
            block = _head_lines(lines, head, title)
            if _is_dated(template) and not _date_in_heading(template):
                date_line = _with_date(
                    lines[template.date_line - 1], _date_core(template), day_text, copied=True
                )
                block += ["", date_line if date_line is not None else f"Released {day_text}"]
            written = _Written(
                _version_text(template, new), template.bracketed, template.has_inline_link
            )
    if block is None:
        iso = today.isoformat()
        if pending_head.under is not None:
            title = f"{new} ({iso})"
            char = lines[pending_head.under].strip()[0]
            block = [title, char * len(title)]
            if pending_head.over is not None:
                block.insert(0, char * len(title))
        else:
            bracketed = pending.bracketed or changelog.keep_a_changelog
            title = f"[{new}] - {iso}" if bracketed else f"{new} - {iso}"
            block = [f"{pending_head.before}{title}"]
            written = _Written(str(new), bracketed)
    at = pending_head.last + 1
    lines[at:at] = ["", *block]
    return written


def _date_pending(
    lines: list[str],
    pending: Section,
    template: Section | None,
    new: Version,
    today: dt.date,
    style: str,
) -> _Written:
    """Date the pending release section in place, renamed to ``new`` if it names another
    version. The heading written is returned."""
    head = _head(lines, pending)
    day_text = format_day(style, today)
    before, after = _split_title(pending)
    version = _version_text(pending, new)
    assert pending.date is not None
    if _date_in_heading(pending):
        copied = (
            template is not None
            and _is_dated(template)
            and _date_in_heading(template)
            and template.bracketed == pending.bracketed
            and not template.has_inline_link
            and not pending.has_inline_link
        )
        dated = None
        if copied:
            assert template is not None and template.date is not None
            dated = _with_date(
                _split_title(template)[1], _date_core(template), day_text, copied=True
            )
        if dated is None:
            dated = _with_date(after, pending.date, day_text)
        after = dated if dated is not None else f"{after} ({day_text})"
    title = f"{before}{version}{after}"
    if title != pending.heading:
        block = _head_lines(lines, head, title)
        lines[head.first : head.last + 1] = block
    if not _date_in_heading(pending):
        index = pending.date_line - 1
        lines[index] = _date_line(lines[index], pending.date, template, lines, day_text)
    return _Written(version, pending.bracketed, pending.has_inline_link)


def _date_line(
    line: str, pending_date: str, template: Section | None, lines: list[str], day_text: str
) -> str:
    """The line below a pending heading (``Unreleased``), saying the release day instead:
    as the template's date line does, else ``Released <day>``."""
    if template is not None and _is_dated(template) and not _date_in_heading(template):
        copied = _with_date(
            lines[template.date_line - 1], _date_core(template), day_text, copied=True
        )
        if copied is not None:
            return copied
    if line.strip() == pending_date:
        indent = line[: len(line) - len(line.lstrip())]
        return f"{indent}Released {day_text}"
    replaced = _with_date(line, pending_date, day_text)
    return replaced if replaced is not None else f"Released {day_text}"


def _update_links(
    lines: list[str],
    changelog: Changelog,
    written: _Written,
    template: Section | None,
    renamed: str | None,
    new_tag: str,
) -> list[str]:
    """Keep a Changelog's compare links after a release: ``[Unreleased]: …/compare/vOLD...HEAD``
    → ``vNEW...HEAD`` plus a ``[NEW]: …/compare/vOLD...vNEW`` line; without an
    ``[Unreleased]`` link, a ``[NEW]`` line is put above the template release's own. A
    pending section ``renamed`` from another version has its link renamed and ended at the
    new tag."""
    if not written.bracketed or written.has_inline_link or not changelog.link_labels:
        return lines
    label = written.label
    if label.lower() in changelog.link_labels:
        return lines
    if renamed is not None and renamed.lower() in changelog.link_labels:
        for index, text in enumerate(lines):
            name, sep, url = text.partition("]:")
            if sep and name.strip().lstrip("[").lower() == renamed.lower():
                match = _COMPARE.match(url.strip())
                end = f"{match['base']}{match['start']}...{new_tag}" if match else url.strip()
                return [*lines[:index], f"[{label}]: {end}", *lines[index + 1 :]]
    for index, text in enumerate(lines):
        name, sep, url = text.partition("]:")
        if not sep or name.strip().lower() != "[unreleased":
            continue
        match = _COMPARE.match(url.strip())
        if match is None:
            return lines
        unreleased = f"{name}]: {match['base']}{new_tag}...{match['end']}"
        release = f"[{label}]: {match['base']}{match['start']}...{new_tag}"
        return [*lines[:index], unreleased, release, *lines[index + 1 :]]
    if template is None or not template.bracketed or template.label is None:
        return lines
    wanted = template.label.lower()
    for index, text in enumerate(lines):
        name, sep, url = text.partition("]:")
        if not sep or name.strip().lstrip("[").lower() != wanted:
            continue
        match = _COMPARE.match(url.strip())
        if match is None:
            return lines
        release = f"[{label}]: {match['base']}{match['end']}...{new_tag}"
        return [*lines[:index], release, *lines[index:]]
    return lines
