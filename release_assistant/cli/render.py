"""Terminal concerns of the text output: whether to colour it (the rendering is core's)."""

from __future__ import annotations

import os
from typing import TextIO


def use_color(choice: str, stream: TextIO) -> bool:
    """Whether to colour output: ``always``/``never``, or auto (a TTY and no ``NO_COLOR``)."""
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
