"""``build``: the plan that rebuilds ``dist/`` clean with ``python -m build``.

Old files in ``dist/`` are the classic cause of a failed upload (the publish step uploads
every file there, and an old version's files already exist on the index), so the plan
removes them first, after confirmation, and then runs the ``build`` frontend (PyPA's
``build`` package, installed with ``release-assistant[build]``) with the interpreter the
tool runs under. The ``dist`` check judges the result. Nothing here prints.
"""

from __future__ import annotations

import os
import sys

from release_assistant.core.release.plan import Action, ActionFailed, Plan

DIST_DIR = "dist"
#: A build that has not finished in this many seconds is stopped (a hung backend, a stuck
#: download of build dependencies).
BUILD_TIMEOUT = 900.0
#: Lines of the frontend's output quoted when the build fails.
TAIL_LINES = 6


class BuildRefused(Exception):
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


def plan_build(root: str, *, isolation: bool = True) -> Plan:
    """Remove the old files of ``dist/``, then build an sdist and a wheel into it.

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
        return _run_build(command, root)

    flags = "" if isolation else " --no-isolation"
    actions.append(Action(f"python -m build --outdir {DIST_DIR}{flags} .", True, build))
    return Plan(f"build {DIST_DIR}/", tuple(actions), notes=tuple(notes))


def _run_build(command: list[str], root: str) -> str:
    import subprocess

    before = set(old_files(root))
    try:
        done = subprocess.run(
            command,
            cwd=root,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=BUILD_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ActionFailed(f"the build did not finish within {BUILD_TIMEOUT:g} s") from None
    except OSError as error:
        raise ActionFailed(f"cannot run the build: {error}") from None
    if done.returncode != 0:
        lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        tail = " | ".join(line.strip() for line in lines[-TAIL_LINES:])
        raise ActionFailed(
            f"python -m build failed (exit code {done.returncode}): {tail}",
            recovery=("run it yourself to see everything: python -m build",),
        )
    built = sorted(set(old_files(root)) - before) or old_files(root)
    return "built " + ", ".join(f"{DIST_DIR}/{name}" for name in built)
