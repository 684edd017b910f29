"""Inline suppressions: ``# release-assistant: ignore[RA623]`` on the line a finding names.

Like ruff's ``# noqa: CODE``, a suppression is a *comment* on the very line the finding
points at (the line ``path:line`` shows), and names the codes it silences:
``# release-assistant: ignore[RA623]`` or ``ignore[RA623,RA631]``. Only that finding, on that
line, is silenced; the same code elsewhere still counts. A suppressed finding does not count
toward its check's status, but the JSON report lists it with ``"suppressed": true`` and SARIF
with ``suppressions: [{"kind": "inSource"}]``, so an audit can see what was waved through.

Only real comments count: the file is tokenized by its own format's rules, so a ``#``
inside a quoted string or a ``run: |`` block (where it is shell, not YAML) is not a comment.
Workflows (``.yml``/``.yaml``) are tokenized with ruamel.yaml's scanner; ``.toml`` files with
:func:`toml_comments`, a small lexer over TOML's four string forms (tested against
``tomllib``: removing the comments it finds never changes the parsed document). A file
without the marker is never tokenized, so the common run pays nothing (no YAML library import).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from release_assistant.core.findings import CheckResult, Finding, Severity, status_of
from release_assistant.core.rules.engine import UNKNOWN_SUPPRESSED_CODE, UNUSED_SUPPRESSION
from release_assistant.core.support.lazy_regex import LazyPattern

#: The marker inside a comment; codes separated by commas, spaces allowed.
MARKER = LazyPattern(r"release-assistant\s*:\s*ignore\[([^\]]*)\]", re.IGNORECASE)
_CODE = LazyPattern(r"^RA\d{3}$")
_PREFILTER = "release-assistant"


@dataclass(frozen=True, slots=True)
class Suppression:
    """One ``ignore[...]`` comment: the file, its 1-based line and the codes it names."""

    path: str
    line: int
    codes: tuple[str, ...]

    def malformed(self) -> tuple[str, ...]:
        """Codes that are not of the ``RA`` + three digits form."""
        return tuple(code for code in self.codes if not _CODE.match(code))


def suppressions_in(text: str, path: str) -> dict[int, Suppression]:
    """Every suppression comment of a file's ``text``, by line; ``{}`` for other formats.

    A file that cannot be tokenized (broken YAML or TOML) has no suppressions: its parse
    error is reported by the check that reads it, and a comment there proves nothing.
    """
    if _PREFILTER not in text.lower() or MARKER.search(text) is None:
        return {}
    lowered = path.lower()
    if lowered.endswith((".yml", ".yaml")):
        comments = yaml_comments(text)
    elif lowered.endswith(".toml"):
        comments = toml_comments(text)
    else:
        return {}
    if comments is None:
        return {}
    found: dict[int, Suppression] = {}
    for line, comment in comments.items():
        match = MARKER.search(comment)
        if match is None:
            continue
        parts = [part.strip() for part in match.group(1).split(",")]
        # ``ra623`` is RA623; any other word is kept as written, for the RA002 message.
        codes = tuple(p.upper() if _CODE.match(p.upper()) else p for p in parts if p)
        found[line] = Suppression(path, line, codes)
    return found


_NEWLINE = LazyPattern(r"\r\n|\r|\n")


def _lines(text: str) -> list[tuple[int, str]]:
    """``(offset, text)`` of every line, split where YAML and TOML end lines."""
    out: list[tuple[int, str]] = []
    position = 0
    for match in _NEWLINE.finditer(text):
        out.append((position, text[position : match.start()]))
        position = match.end()
    out.append((position, text[position:]))
    return out


def _comments_outside(
    text: str, strings: list[tuple[int, int]], *, after_blank: bool
) -> dict[int, str]:
    """The first ``#`` of each line outside every string span opens that line's comment.

    ``after_blank``: YAML's rule that a comment starts at a line's start or after a blank
    (``a#b`` is one plain scalar); TOML has no such rule.
    """
    from bisect import bisect_right  # only a file holding a suppression comment gets here

    strings.sort()
    starts = [start for start, _ in strings]
    comments: dict[int, str] = {}
    for number, (base, line) in enumerate(_lines(text), start=1):
        column = line.find("#")
        while column >= 0:
            offset = base + column
            index = bisect_right(starts, offset) - 1
            inside = index >= 0 and offset < strings[index][1]
            blank_before = column == 0 or line[column - 1] in " \t"
            if not inside and (blank_before or not after_blank):
                comments[number] = line[column + 1 :]
                break
            column = line.find("#", column + 1)
    return comments


def yaml_comments(text: str) -> dict[int, str] | None:
    """``{line: comment text}`` of a YAML file, from ruamel.yaml's scanner; ``None`` if it
    fails.

    The scanner gives every scalar's span; a ``#`` outside all of them, at a line's start or
    after a blank, opens a comment (YAML's rule). A block scalar (``|``, ``>``) begins on the
    line after its indicator, so ``run: |  # comment`` keeps its comment.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.tokens import ScalarToken

    strings: list[tuple[int, int]] = []
    starts = [offset for offset, _ in _lines(text)]
    try:
        for token in YAML(typ="safe", pure=True).scan(text):
            if not isinstance(token, ScalarToken):
                continue
            start, end = token.start_mark.index, token.end_mark.index
            if token.style in ("|", ">"):
                following = token.start_mark.line + 1
                start = starts[following] if following < len(starts) else end
            strings.append((start, end))
    except YAMLError:
        return None
    return _comments_outside(text, strings, after_blank=True)


_TOML_STRING = LazyPattern(
    r'"""(?:[^\\]|\\.)*?"""(?!")|\'\'\'.*?\'\'\'(?!\')|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'',
    re.DOTALL,
)


def toml_comments(text: str) -> dict[int, str] | None:
    """``{line: comment text}`` of a TOML file; ``None`` when it is not valid TOML.

    TOML has four string forms (basic ``"…"`` with escapes, literal ``'…'``, and their
    multi-line ``\"\"\"…\"\"\"``/``'''…'''``); a ``#`` outside them opens a comment. Strings
    are found left to right, skipping comments, so a quote inside a comment opens nothing.
    """
    from release_assistant.core.support.toml_lines import tomllib

    try:
        tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return None
    strings: list[tuple[int, int]] = []
    position = 0
    length = len(text)
    while position < length:
        char = text[position]
        if char == "#":
            newline = text.find("\n", position)
            position = length if newline < 0 else newline + 1
            continue
        if char in "\"'":
            match = _TOML_STRING.match(text, position)
            if match is None:  # unreachable for text tomllib accepted
                return None
            strings.append((match.start(), match.end()))
            position = match.end()
            continue
        position += 1
    return _comments_outside(text, strings, after_blank=False)


_SUPPORTED = (".yml", ".yaml", ".toml")


def file_suppressions(
    root: str, path: str, read: Callable[[str], str] | None = None
) -> dict[int, Suppression]:
    """The suppressions of ``path`` (relative to ``root``); ``{}`` when it cannot be read.

    The file is read only inside the repository and only when it is YAML or TOML, through
    ``read`` (an absolute path -> its text; the run's cache, so a workflow the checks have
    read is not read again), else from disk.
    """
    from release_assistant.core.support.confined import resolve_inside
    from release_assistant.core.support.textfiles import FileProblem, read_text

    if not path.lower().endswith(_SUPPORTED):
        return {}
    try:
        text = (read or read_text)(resolve_inside(root, path, "finding path"))
    except FileProblem:
        return {}
    return suppressions_in(text, path)


def apply_suppressions(
    check_id: str,
    findings: tuple[Finding, ...],
    sources: tuple[str, ...],
    root: str,
    read: Callable[[str], str] | None = None,
) -> tuple[tuple[Finding, ...], tuple[Finding, ...], tuple[Finding, ...]]:
    """Split a check's ``findings`` into kept and suppressed; judge the comments.

    Returns ``(kept, suppressed, judged)``: ``judged`` are the engine's findings about the
    comments themselves: ``RA002`` for a code no rule has, ``RA003`` for one that silences
    nothing on its line. A code no rule has, of any shape (``RA199`` in a workflow,
    ``RA6O1``, ``template-injection``), is judged by every check that reads the file, and
    :func:`one_judgement_per_comment` keeps one of them per run. Whether a real code
    silences anything is judged only by its own check (``RA6xx``: ``workflow``), so a
    comment silencing another check's finding on the same line is left to that check.
    """
    located = [f.path for f in findings if f.path is not None and f.line is not None]
    paths = list(dict.fromkeys([*sources, *located]))
    by_file = {path: found for path in paths if (found := file_suppressions(root, path, read))}
    if not by_file:
        return findings, (), ()
    from release_assistant.core.rules import check_of_code, rule_for
    from release_assistant.core.rules.workflow import ZIZMOR_FINDING

    # Codes never called unused: zizmor's findings (``RA690``) depend on whether, and which,
    # zizmor is installed where the check runs, and hooks do not run it at all.
    never_unused = {ZIZMOR_FINDING.code}

    kept: list[Finding] = []
    suppressed: list[Finding] = []
    raised = {(f.path, f.line, f.code) for f in findings}
    for finding in findings:
        comment = by_file.get(finding.path or "", {}).get(finding.line or 0)
        if comment is not None and finding.code in comment.codes:
            suppressed.append(finding)
        else:
            kept.append(finding)
    judged: list[Finding] = []
    for path, comments in by_file.items():
        for line, comment in sorted(comments.items()):
            for code in comment.codes:
                if rule_for(code) is None:
                    judged.append(
                        Finding(
                            UNKNOWN_SUPPRESSED_CODE.code,
                            f"suppression names {code!r}, which is no release-assistant code",
                            Severity.WARNING,
                            path,
                            line,
                            "write the code the finding shows (`release-assistant explain`)",
                        )
                    )
                    continue
                owner = check_of_code(code)
                if owner != check_id and (owner is not None or path not in sources):
                    continue
                if (path, line, code) not in raised and code not in never_unused:
                    judged.append(
                        Finding(
                            UNUSED_SUPPRESSION.code,
                            f"ignore[{code}] silences nothing: no {code} finding on this line",
                            Severity.INFO,
                            path,
                            line,
                            "remove the code from the comment, or move it to the finding's line",
                        )
                    )
    return tuple(kept), tuple(suppressed), tuple(judged)


def one_judgement_per_comment(results: Sequence[CheckResult]) -> list[CheckResult]:
    """``results`` with each ``RA002`` (an unknown code in a suppression comment) kept in
    one check only: the one that lists the file among its ``sources``, else the first that
    reported it. Every check reading the file reports it (:func:`apply_suppressions`), so a
    code of a family whose check never reads the file is still reported, once."""
    keeper: dict[tuple[str | None, int | None, str], int] = {}
    reports = 0
    for index, result in enumerate(results):
        for finding in result.findings:
            if finding.code != UNKNOWN_SUPPRESSED_CODE.code:
                continue
            reports += 1
            key = (finding.path, finding.line, finding.message)
            kept = keeper.get(key)
            if kept is None or (
                finding.path in result.sources and finding.path not in results[kept].sources
            ):
                keeper[key] = index
    if reports == len(keeper):
        return list(results)
    out: list[CheckResult] = []
    for index, result in enumerate(results):
        findings = tuple(
            finding
            for finding in result.findings
            if finding.code != UNKNOWN_SUPPRESSED_CODE.code
            or keeper[(finding.path, finding.line, finding.message)] == index
        )
        if len(findings) != len(result.findings):
            result = replace(result, findings=findings, status=status_of(findings))
        out.append(result)
    return out
