"""Remote text made safe to print on a terminal.

A job log, a release body or an API's error message is written by someone else, and a
terminal obeys the control sequences in what it prints: ``ESC ] 0 ; title BEL`` sets the
window title, ``ESC [ 2 J`` clears the screen, a carriage return overwrites what was
printed, a right-to-left override reorders it. :func:`safe_terminal_text` keeps the text
readable and makes every such character visible instead of obeyed.
"""

from __future__ import annotations

import re

#: C0 controls but tab and newline, DEL, C1 controls, and the Unicode bidirectional
#: overrides and isolates (they reorder what the reader sees, as in "Trojan Source").
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_terminal_text(text: str) -> str:
    """``text`` with every terminal control character shown as an escape (``\\x1b``,
    ``\\x07``, ``\\u202e``) instead of acted on; newlines and tabs are kept, and a
    Windows line end (CR LF) becomes a newline."""
    text = text.replace("\r\n", "\n")
    return _UNSAFE.sub(_visible, text)
