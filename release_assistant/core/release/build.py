"""``build``: the plan that rebuilds ``dist/`` clean with ``python -m build``.

Old files in ``dist/`` are the classic cause of a failed upload (the publish step uploads
every file there, and an old version's files already exist on the index), so the plan
removes them first, after confirmation, and then runs the ``build`` frontend (PyPA's
``build`` package, a dependency of release-assistant) with the interpreter the
tool runs under. The ``dist`` check judges the result. Nothing here prints.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from release_assistant.core.release.plan import Action, ActionFailed, Plan
from release_assistant.core.support.errors import StepFailed

DIST_DIR = "dist"
#: A build that has not finished in this many seconds is stopped (a hung backend, a stuck
#: download of build dependencies).
BUILD_TIMEOUT = 900.0
#: Lines of the frontend's output quoted when the build fails.
TAIL_LINES = 6


class BuildRefused(StepFailed):
    """The build cannot be planned; ``str()`` says why and what to do."""


def build_available() -> bool:
    """True when PyPA's ``build`` package can be run by this interpreter."""
    import importlib.util

    return importlib.util.find_spec("build") is not None


def old_files(root: str) -> list[str]:
    """The files directly in ``root/dist`` that a clean build removes (dotfiles stay: the
    publish step uploads none, and a backend may keep its ``.gitignore`` there)."""
    directory = os.path.join(root, DIST_DIR)
    if not os.path.isdir(directory):
        return []
    return sorted(
        entry.name
        for entry in os.scandir(directory)
        if not entry.name.startswith(".")
        and (entry.is_symlink() or entry.is_file(follow_symlinks=False))
    )


def plan_build(
    root: str, *, isolation: bool = True, on_line: Callable[[str], None] | None = None
) -> Plan:
    """Remove the old files of ``dist/``, then build an sdist and a wheel into it.

    ``on_line`` receives the build's output as it runs (the walkthrough streams it).

    :class:`BuildRefused` when ``dist`` is not a directory or is a link (removing files
    through it would reach outside the project).
    """
    directory = os.path.join(root, DIST_DIR)
    if os.path.islink(directory) or (os.path.exists(directory) and not os.path.isdir(directory)):
        raise BuildRefused(f"{DIST_DIR} is a link or not a directory: move it away first")
    old = old_files(root)
    actions: list[Action] = []
    notes: list[str] = []
    if old:

        def remove() -> str:
            for name in old:
                try:
                    os.unlink(os.path.join(directory, name))
                except FileNotFoundError:
                    continue
                except OSError as error:
                    raise ActionFailed(f"cannot remove {DIST_DIR}/{name}: {error}") from None
            return f"removed {len(old)} old file(s) from {DIST_DIR}/"

        shown = " ".join(f"{DIST_DIR}/{name}" for name in old)
        actions.append(Action(f"rm {shown}", True, remove))
    command = [sys.executable, "-m", "build", "--outdir", directory]
    if not isolation:
        command.append("--no-isolation")
        notes.append("--no-isolation: the build uses this environment's backend, as installed")
    command.append(root)

    def build() -> str:
        return _run_build(command, root, on_line)

    flags = "" if isolation else " --no-isolation"
    actions.append(Action(f"python -m build --outdir {DIST_DIR}{flags} .", True, build))
    return Plan(f"build {DIST_DIR}/", tuple(actions), notes=tuple(notes))


def _run_build(command: list[str], root: str, on_line: Callable[[str], None] | None = None) -> str:
    import shlex

    from release_assistant.core.release.pre_release_commands import run_command

    before = set(old_files(root))
    printed: list[str] = []

    def line(text: str) -> None:
        printed.append(text)
        if on_line is not None:
            on_line(text)

    code = run_command(shlex.join(command), root, line, timeout=BUILD_TIMEOUT)
    if code is None:
        last = printed[-1] if printed else "the build did not run"
        raise ActionFailed(f"python -m build did not finish: {last}")
    if code != 0:
        lines = [text for text in printed if text.strip()]
        tail = " | ".join(text.strip() for text in lines[-TAIL_LINES:])
        raise ActionFailed(
            f"python -m build failed (exit code {code}): {tail}",
            recovery=("run it yourself to see everything: python -m build",),
        )
    built = sorted(set(old_files(root)) - before) or old_files(root)
    return "built " + ", ".join(f"{DIST_DIR}/{name}" for name in built)
