"""Reading shell: the simple commands of a ``run:`` script and the scripts it runs.

Commands are split on ``&&``, ``||``, ``;`` and pipes, continued lines joined, comments
and echoes (``echo``, ``printf``, ``grep`` ...) skipped. A command that runs a repository
script (``scripts/publish.sh``, ``bash tools/release``) is followed one level into that file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from release_assistant.core.support.textfiles import FileProblem, read_text

#: Largest repository script followed (a publish script is a few lines).
_MAX_SCRIPT_BYTES = 256 * 1024

_SPLIT_COMMANDS = re.compile(r"\s*(?:&&|\|\||;|\|)\s*")
_COMMENT = re.compile(r"(?:^|\s)#.*$")
_SCRIPT_RUNNERS = frozenset(
    {"bash", "sh", "zsh", "dash", "python", "python3", "source", ".", "exec", "sudo"}
)
_ECHOES = frozenset({"echo", "printf", "cat", "grep", "test", "["})


@dataclass(frozen=True, slots=True)
class Command:
    """One simple shell command of a ``run:`` script (or of a repository script it runs)."""

    text: str
    line: int
    #: The repository script it was read from (``None``: the workflow's own ``run:``).
    script: str | None = None
    script_line: int | None = None


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        start = index
        parts = [lines[index]]
        while parts[-1].rstrip().endswith("\\") and index + 1 < len(lines):
            parts[-1] = parts[-1].rstrip()[:-1]
            index += 1
            parts.append(lines[index])
        yield start, " ".join(parts)
        index += 1


def commands(text: str, line: int, script: str | None = None) -> Iterator[Command]:
    """Every simple command of a shell script starting at ``line`` (comments skipped)."""
    for offset, logical in _logical_lines(text):
        stripped = _COMMENT.sub("", logical).strip()
        if not stripped:
            continue
        for segment in _SPLIT_COMMANDS.split(stripped):
            segment = segment.strip()
            if not segment or segment.split(None, 1)[0] in _ECHOES:
                continue
            if script is None:
                yield Command(segment, line + offset)
            else:
                yield Command(segment, line, script, offset + 1)


_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}")


def shell_words(text: str) -> list[str]:
    """The words of a command as the shell splits them (quotes removed)."""
    import shlex

    # `${{ steps.x.outputs.y }}` is one word to the shell once GitHub has filled it in.
    text = _EXPRESSION.sub(lambda m: "${{" + m.group(1).replace(" ", "") + "}}", text)
    try:
        return shlex.split(text, comments=False)
    except ValueError:  # an unbalanced quote: good enough for option names
        return text.split()


def script_of(command: str, root: str) -> tuple[str, str] | None:
    """The repository script a command runs, as ``(path relative to root, text)``."""
    words = shell_words(command)
    while words and "=" in words[0] and not words[0].startswith(("-", "/", ".")):
        words = words[1:]  # `VAR=value cmd`
    if not words:
        return None
    candidate = words[0]
    if candidate in _SCRIPT_RUNNERS:
        rest = [word for word in words[1:] if not word.startswith("-")]
        if not rest:
            return None
        candidate = rest[0]
    if "$" in candidate or candidate.startswith("-"):
        return None
    if "/" not in candidate and not candidate.endswith((".sh", ".py", ".bash")):
        return None
    from release_assistant.core.support.confined import is_inside

    root = os.path.realpath(root)
    path = os.path.realpath(os.path.join(root, candidate))
    if not is_inside(root, path) or not os.path.isfile(path):
        return None
    try:
        if os.path.getsize(path) > _MAX_SCRIPT_BYTES:
            return None
        text = read_text(path)
    except (OSError, FileProblem):
        return None
    return os.path.relpath(path, root).replace(os.sep, "/"), text
