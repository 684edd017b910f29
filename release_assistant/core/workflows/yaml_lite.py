"""A standard-library reader for the block-style YAML that GitHub Actions workflows use.

Importing ruamel.yaml and parsing with its pure-Python YAML 1.2 parser costs more than the
rest of a ``check-release-workflow`` hook run, yet workflows use a small part of YAML: block
mappings and sequences, one-line scalars, ``run: |`` scripts, comments and short flow lists
such as ``[main, "v*"]``. :func:`read_block_yaml` reads that part and builds exactly what
:func:`~release_assistant.core.workflows.workflow.parse_yaml` builds with ruamel.yaml
(:mod:`~release_assistant.core.workflows.yaml_loader`): the same :class:`YamlMap`/:class:`YamlList`
objects with the same line maps, the same scalar values and types (YAML 1.2 core schema) and
the same repeated keys.

What it buys, measured with ``benchmarks/workflow_check.py`` and the hook in a fresh process
on the 2-core development machine (the workflow ``workflow init`` writes, 3,886 characters):
parsing takes 0.41 ms here against 7.1 ms with ruamel.yaml plus 20 ms to import it; the whole
hook run takes 39.8 ms against 59.4 ms without this reader (``python -c pass``: 10.0 ms), that
is 4.0x against 5.9x bare start-up, where the hooks' budget is 4x (``benchmarks/hooks.py``).

The rule is certainty: for every text the result is either ``None`` or identical to
ruamel.yaml's. Whatever the reader does not handle, or ruamel.yaml might read another way or
reject (anchors, aliases, tags, directives, document markers, ``?`` keys, tabs, multi-line
plain or quoted scalars, flow mappings with content, numbers other than plain decimal
integers, dates, ``<<`` and ``=`` keys, U+2028/U+2029/U+0085, odd indentation), gives
``None``: the caller then parses with ruamel.yaml, which also writes the error message for
invalid YAML. ``tests/test_yaml_lite.py`` holds the rule against ruamel.yaml (a differential
test over generated, hand-picked, mutated and Hypothesis-generated workflows).
"""

from __future__ import annotations

import re
import sys
from typing import Any

from release_assistant.core.support.errors import InternalError
from release_assistant.core.workflows.yaml_nodes import ParsedYaml, YamlList, YamlMap

# A plain scalar ends at ": " (or ":" at the end of the line) and at " #" (a comment).
_PLAIN_END = re.compile(r":(?: |$)| #")
# Plain scalars ruamel.yaml may read as a float, an int in another base or a date (a superset
# of its resolver's patterns); only plain decimal integers (_DECIMAL) are read here.
_MAYBE_NUMBER = re.compile(r"[-+]?(?:\.?[0-9]|\.(?:inf|Inf|INF|nan|NaN|NAN)$)")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
# `|`, `|-`, `|+`, `>`, `>-`, `>+`, then nothing but an optional comment.
_BLOCK_HEADER = re.compile(r"([|>])([-+]?)(?: +#.*)? *")
# One-line double-quoted scalars with the simple escapes only.
_DOUBLE_QUOTED = re.compile(r'"((?:[^"\\]|\\[\\"/nt])*)"')
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"\\": "\\", '"': '"', "/": "/", "n": "\n", "t": "\t"}
# A plain item of a one-line flow sequence: no indicator first, no `,[]{}#:?` anywhere.
_FLOW_PLAIN = re.compile(r"""[^-?:,\[\]{}#&*!|>'"%@` ][^,\[\]{}#:?]*""")
_SPACES = re.compile(" +")
# A whole flow sequence of plain items, from its first item to before its `]`.
_FLOW_PLAIN_ITEMS = re.compile(rf"{_FLOW_PLAIN.pattern}(?:, *{_FLOW_PLAIN.pattern})*")
# Characters that cannot start a plain scalar here (`-` is handled apart).
_INDICATORS = "?:,[]{}#&*!|>'\"%@`"
#: Deeper nesting than this is left to ruamel.yaml (and keeps recursion bounded).
_MAX_DEPTH = 64
#: YAML scanners refuse a simple key longer than 1024 characters; stay clear of the limit.
_MAX_KEY_LENGTH = 1000


class _Unsupported(InternalError):
    """The text needs ruamel.yaml: raised anywhere inside the reader, caught at the entry point."""


def read_block_yaml(text: str) -> ParsedYaml | None:
    """Read ``text`` as block-style YAML without ruamel.yaml.

    Returns what :func:`~release_assistant.core.workflows.workflow.parse_yaml` would return, or
    ``None`` when the text uses anything outside the subset this reader is certain about
    (including invalid YAML: ruamel.yaml then reports the error). Never raises.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if any(map(_is_unusual, set(text))):
        return None
    reader = _Reader(text.split("\n"))
    try:
        data = reader.document()
    except _Unsupported:
        return None
    return ParsedYaml(data, reader.duplicate_keys())


def _is_unusual(char: str) -> bool:
    r"""Is ``char`` anything but ordinary content or ``\n``?

    YAML readers reject control characters and surrogates (the NON_PRINTABLE set); tabs
    change indentation rules; \r (once \r\n is folded), \x85, \u2028 and \u2029 are line
    breaks to YAML; a byte-order mark is skipped at the very start only. (A regex for this
    would take milliseconds to compile, which is what this module saves.)
    """
    code = ord(char)
    return (
        (code < 0x20 and char != "\n")
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or char in "\u2028\u2029\ufeff\ufffe\uffff"
    )


def _is_entry(text: str) -> bool:
    """Does ``text`` start a block sequence entry (``-`` then a space or the line's end)?"""
    return text[:1] == "-" and text[1:2] in ("", " ")


def _is_value_indicator(rest: str) -> bool:
    """Does ``rest`` start with the ``:`` of a mapping entry?"""
    return rest[:1] == ":" and rest[1:2] in ("", " ")


def _is_trailer(rest: str) -> bool:
    """Is ``rest`` (what follows a complete node) only spaces and maybe a comment?"""
    stripped = rest.lstrip(" ")
    # A comment needs a space before it (`"x"#y` is not a comment to a YAML scanner).
    return not stripped or (stripped[0] == "#" and rest[0] == " ")


def _skip_spaces(text: str, at: int) -> int:
    """The offset of the first character at or after ``at`` that is not a space."""
    match = _SPACES.match(text, at)
    return at if match is None else match.end()


def _resolve(text: str) -> Any:
    """The value of a plain scalar, as the loader's YAML 1.2 resolver and constructors give it."""
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    # yes/no/on/off (YAML 1.1 booleans) stay text: the loader reads YAML 1.2 booleans.
    if text in ("~", "null", "Null", "NULL"):
        return None
    if _DECIMAL.fullmatch(text):
        return int(text)
    if text in ("<<", "=") or _MAYBE_NUMBER.match(text):
        raise _Unsupported  # a merge key, a float, an octal, a date...: ruamel.yaml decides
    return text


def _quoted(text: str) -> tuple[str, str]:
    """A one-line quoted scalar at the start of ``text``: its value and the rest of the line."""
    value, end = _quoted_at(text, 0)
    return value, text[end:]


def _quoted_at(text: str, at: int) -> tuple[str, int]:
    """A one-line quoted scalar starting at offset ``at``: its value and where it ends."""
    if text[at] == '"':
        match = _DOUBLE_QUOTED.match(text, at)
        if match is None:  # other escapes, or the scalar goes on to the next line
            raise _Unsupported
        return _ESCAPE.sub(lambda escape: _ESCAPES[escape[1]], match[1]), match.end()
    parts: list[str] = []
    start = at + 1
    while True:
        close = text.find("'", start)
        if close < 0:  # continues on the next line
            raise _Unsupported
        parts.append(text[start:close])
        if text[close + 1 : close + 2] != "'":
            return "".join(parts), close + 1
        parts.append("'")  # '' is an escaped quote
        start = close + 2


def _scalar(text: str) -> tuple[Any, str]:
    """A quoted or plain scalar at the start of ``text``: its value and the rest of the line."""
    first = text[0]
    if first in "'\"":
        return _quoted(text)
    if first in _INDICATORS or _is_entry(text):
        raise _Unsupported  # an anchor, alias, tag, directive, `?` key or misplaced `-`
    match = _PLAIN_END.search(text)
    end = match.start() if match else len(text)
    return _resolve(text[:end].rstrip(" ")), text[end:]


class _Reader:
    """Recursive descent over the lines of one document.

    Every parse method gets a node's position (line index, column), returns the node and the
    1-based line the loader reports for it, and leaves :attr:`pos` on the first line it did not
    consume. Collections read their entries while the next content line is at their column.
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.pos = 0
        self.depth = 0
        self.mappings = 0
        #: The value of each plain flow item read so far (see :meth:`flow`).
        self.plain_values: dict[str, Any] = {}
        #: ``(depth, mapping number, key, line, first_line)`` for every repeated key.
        self.repeats: list[tuple[int, int, Any, int, int]] = []

    def duplicate_keys(self) -> tuple[tuple[Any, int, int], ...]:
        """The repeated keys in the loader's order.

        The loader fills collections level by level (each mapping's constructor is a generator
        that runs after its parent's), so the repeats of shallower mappings come first.
        """
        ordered = sorted(self.repeats, key=lambda repeat: repeat[:2])
        return tuple((key, line, first) for _, _, key, line, first in ordered)

    def next_content(self, index: int) -> int:
        """The first line from ``index`` on that is not blank or a comment (or the end)."""
        lines = self.lines
        while index < len(lines):
            stripped = lines[index].lstrip(" ")
            if stripped and stripped[0] != "#":
                return index
            index += 1
        return index

    def indent(self, index: int) -> int:
        """The indentation of line ``index``; -1 past the end, so the end closes everything."""
        if index >= len(self.lines):
            return -1
        line = self.lines[index]
        return len(line) - len(line.lstrip(" "))

    def document(self) -> Any:
        """The root node (``None`` for an empty document)."""
        # `---` and `...` at the start of a line are document markers (or close to them).
        if any(line.startswith(("---", "...")) for line in self.lines):
            raise _Unsupported
        index = self.next_content(0)
        if index == len(self.lines):
            return None  # nothing but comments: an empty document is None
        value, _ = self.node(index, self.indent(index), -1)
        if self.next_content(self.pos) != len(self.lines):
            raise _Unsupported  # more content after the root node
        return value

    def node(self, index: int, col: int, parent: int, inline: bool = False) -> tuple[Any, int]:
        """The node at ``col`` of line ``index``, inside a collection at column ``parent``.

        ``inline`` marks a value on its key's line, where no block collection may start.
        """
        text = self.lines[index][col:]
        if _is_entry(text):
            if inline:
                raise _Unsupported
            return self.sequence(index, col)
        if text[0] in "|>":
            return self.block_scalar(index, text, parent)
        if text[0] in "[{":
            value, rest = self.flow(index, text)
        else:
            value, rest = _scalar(text)
            if _is_value_indicator(rest):
                if inline:
                    raise _Unsupported
                return self.mapping(index, col)
        if not _is_trailer(rest):
            raise _Unsupported
        self.pos = index + 1
        return value, index + 1

    def enter(self) -> None:
        """One collection deeper."""
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _Unsupported

    def mapping(self, index: int, col: int) -> tuple[YamlMap, int]:
        """A block mapping whose keys are at column ``col``, the first on line ``index``."""
        self.enter()
        number = self.mappings
        self.mappings += 1
        result = YamlMap(index + 1)
        while True:
            text = self.lines[index][col:]
            key, rest = _scalar(text)
            colon = len(text) - len(rest)
            if not _is_value_indicator(rest) or colon > _MAX_KEY_LENGTH:
                raise _Unsupported
            after = rest[1:]
            stripped = after.lstrip(" ")
            if stripped and stripped[0] != "#":
                value_col = col + colon + 1 + len(after) - len(stripped)
                value, line = self.node(index, value_col, col, inline=True)
            else:
                value, line = self.empty_value(index, col, indentless=True)
            # The same steps as the loader's map constructor, so equal keys (1 and true)
            # and repeated keys end up exactly as the loader leaves them.
            key_line = index + 1
            if key in result.key_lines:
                self.repeats.append((self.depth, number, key, key_line, result.key_lines[key]))
            result[key] = value
            result.key_lines[key] = key_line
            result.value_lines[key] = line
            index = self.next_content(self.pos)
            indent = self.indent(index)
            if indent < col:
                self.depth -= 1
                return result, result.line
            if indent > col:
                # A plain scalar continued on the next line, or bad indentation.
                raise _Unsupported

    def sequence(self, index: int, col: int) -> tuple[YamlList, int]:
        """A block sequence whose ``-`` are at column ``col``, the first on line ``index``."""
        self.enter()
        result = YamlList(index + 1)
        while True:
            after = self.lines[index][col + 1 :]
            stripped = after.lstrip(" ")
            if stripped and stripped[0] != "#":
                value, line = self.node(index, col + 1 + len(after) - len(stripped), col)
            else:
                value, line = self.empty_value(index, col, indentless=False)
            result.append(value)
            result.item_lines.append(line)
            index = self.next_content(self.pos)
            indent = self.indent(index)
            if indent < col or (indent == col and not _is_entry(self.lines[index][col:])):
                # Done; at the same column only a mapping holding an indentless sequence
                # may go on, and that mapping checks the line.
                self.depth -= 1
                return result, result.line
            if indent > col:
                raise _Unsupported

    def empty_value(self, index: int, col: int, *, indentless: bool) -> tuple[Any, int]:
        """The value after a bare ``key:`` or ``-`` on line ``index`` (collection at ``col``).

        It is the node on the next content line when that is indented deeper, or a sequence
        at the key's own column (``indentless``); else null, which the loader places on the
        line of the ``:`` or ``-``.
        """
        following = self.next_content(index + 1)
        indent = self.indent(following)
        if indent > col:
            return self.node(following, indent, col)
        if indentless and indent == col and _is_entry(self.lines[following][col:]):
            return self.sequence(following, col)
        self.pos = index + 1
        return None, index + 1

    def flow(self, index: int, text: str) -> tuple[Any, str]:
        """A one-line flow node: ``{}``, or ``[...]`` of scalars. Returns it and the rest."""
        line = index + 1
        if text[0] == "{":
            rest = text[1:].lstrip(" ")
            if rest[:1] != "}":  # a flow mapping with content
                raise _Unsupported
            return YamlMap(line), rest[1:]
        result = YamlList(line)
        # Read by offsets, the rest of the line cut once at the end: cutting it after every
        # item made a `needs:` list of thousands of jobs quadratic in its length.
        size = len(text)
        at = _skip_spaces(text, 1)
        if text[at : at + 1] == "]":
            return result, text[at + 1 :]
        close = text.find("]", at)
        if close > at and _FLOW_PLAIN_ITEMS.fullmatch(text, at, close):
            # Plain items only (a `needs:` list): split at the commas, and each distinct
            # item resolved once per document, its value shared by every mention.
            names = [name.strip(" ") for name in text[at:close].split(",")]
            values = self.plain_values
            for name in set(names).difference(values):
                value = _resolve(name)
                values[name] = sys.intern(value) if isinstance(value, str) else value
            result.extend(map(values.__getitem__, names))
            result.item_lines.extend([line] * len(names))
            return result, text[close + 1 :]
        while True:
            if text[at : at + 1] in ("'", '"'):
                value, at = _quoted_at(text, at)
            else:
                match = _FLOW_PLAIN.match(text, at)
                if match is None:
                    raise _Unsupported
                value, at = _resolve(match[0].rstrip(" ")), match.end()
                if isinstance(value, str):
                    # Dense `needs:` lists repeat the same job ids thousands of times:
                    # one string each, not one per mention.
                    value = sys.intern(value)
            result.append(value)
            result.item_lines.append(line)
            at = _skip_spaces(text, at)
            if at >= size or text[at] not in ",]":
                raise _Unsupported  # also an unclosed list going on to the next line
            if text[at] == "]":
                return result, text[at + 1 :]
            at = _skip_spaces(text, at + 1)
            if text[at : at + 1] in ("", "]", ","):  # empty entries, trailing commas: leave them
                raise _Unsupported

    def block_scalar(self, index: int, text: str, parent: int) -> tuple[str, int]:
        """A ``|``/``>`` scalar whose header is ``text`` on line ``index``.

        A line-based port of the YAML scanners' ``scan_block_scalar`` (indentation from the
        first content line, at least one column deeper than the collection at ``parent``;
        then folding and chomping), without explicit indentation indicators.
        """
        match = _BLOCK_HEADER.fullmatch(text)
        if match is None:
            raise _Unsupported
        folded = match[1] == ">"
        chomping = match[2]
        lines = self.lines
        last = len(lines) - 1  # the last line has no line break after it
        k = index + 1
        breaks = 0
        # Leading empty lines. One with spaces can set the indentation by itself, and scanners
        # disagree about it: leave that to ruamel.yaml.
        while k <= last and not lines[k].strip(" "):
            if lines[k]:
                raise _Unsupported
            breaks += k < last
            k += 1
        chunks: list[str] = []
        line_break = ""
        if k <= last and self.indent(k) > max(parent, 0):
            indent = self.indent(k)
            while True:
                chunks.append("\n" * breaks)
                content = lines[k][indent:]
                chunks.append(content)
                line_break = "\n" if k < last else ""
                k += 1
                breaks = 0
                # Lines empty up to the indentation are line breaks of the scalar.
                while k <= last and len(lines[k]) <= indent and not lines[k].strip(" "):
                    breaks += k < last
                    k += 1
                if k > last or self.indent(k) < indent:
                    break  # the end of the text, or a line indented less: the scalar ends
                if (
                    folded
                    and line_break
                    and not content.startswith(" ")
                    and not lines[k][indent:].startswith(" ")
                ):
                    if not breaks:
                        chunks.append(" ")  # folding: a single break between text is a space
                else:
                    chunks.append(line_break)
        if chomping != "-":
            chunks.append(line_break)
        if chomping == "+":
            chunks.append("\n" * breaks)
        self.pos = k
        # The node starts at the header; the loader reports the line after it.
        return "".join(chunks), index + 2
