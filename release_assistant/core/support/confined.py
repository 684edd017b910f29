"""The one confinement rule for every path the tool takes from configuration or project files.

A path that comes from ``[tool.release-assistant]`` (``version_files``, ``changelog``,
``workflow``, the gate's artifacts) or from another project file (the dynamic version's
file, setup.cfg's ``attr:``/``file:``, towncrier's ``filename``, a uv workspace's
``members``) is resolved once, symlinks followed, and must lie inside the work tree, itself
resolved: ``../x``, an absolute path elsewhere, a link that leaves the tree and
``/proc/self/environ`` are all refused alike, for reading and for writing. The refusal is
one :class:`OutsideRepository` naming the setting, which ``check``, the hooks, ``bump`` and
the walkthrough all report, because they all read through here.

Only regular files are read (:func:`~release_assistant.core.support.textfiles.read_bytes`
refuses FIFOs, devices and directories), and a file is only ever written after it was read
that way (``bump``), or when it is a new file or a regular one (``workflow init``), so
nothing that is not a plain file inside the work tree is ever read, quoted in a diff or a
message, or written.

Only :mod:`os.path`: the pre-commit hooks read through this module on every commit.
"""

from __future__ import annotations

import os

from release_assistant.core.support.textfiles import FileProblem, StrPath, decode_text, read_bytes

#: Where our settings live, as messages name them.
SECTION = "[tool.release-assistant]"


def setting_name(key: str) -> str:
    """``key`` of ``[tool.release-assistant]`` as messages name it (``[tool.release-assistant]
    version_files``)."""
    return f"{SECTION} {key}"


class OutsideRepository(FileProblem):
    """A configured path resolves outside the work tree; ``str()`` is one line naming the
    setting and the path as configured."""

    def __init__(self, shown: str, setting: str | None, verb: str) -> None:
        named = f"{setting} = {shown!r}" if setting else f"{shown!r} (a link out of the work tree)"
        super().__init__(
            shown,
            f"{named} points outside the repository; only files inside it are {verb}",
        )
        self.setting = setting
        self.hint = (
            f"point {setting} at a file inside the repository"
            if setting
            else f"replace the link {shown} by a file inside the repository"
        )


def is_inside(root: StrPath, path: StrPath) -> bool:
    """True when ``path`` (absolute, or relative to ``root``), symlinks followed, lies in
    ``root`` (also resolved) or is ``root`` itself."""
    base = os.path.realpath(root)
    target = os.path.realpath(os.path.join(base, os.fspath(path)))
    return target == base or target.startswith(base.rstrip(os.sep) + os.sep)


def resolve_inside(root: StrPath, relpath: StrPath, setting: str | None, verb: str = "read") -> str:
    """The real path of ``relpath`` (relative to ``root``, or absolute), refused when it
    leaves the work tree.

    ``setting`` names where the path comes from, for the message (``[tool.release-assistant]
    version_files``, ``[tool.towncrier] filename``; ``None`` for a file the tool found by
    itself, such as a workflow in ``.github/workflows``). Symlinks are followed before the check,
    so ``VERSION -> /proc/self/environ`` is refused like ``../../etc/passwd``: nothing outside
    the work tree is ever read or written (and so never quoted in a finding, a diff or a
    report). Raises :class:`OutsideRepository`.
    """
    base = os.path.realpath(root)
    text = os.fspath(relpath)
    target = os.path.realpath(os.path.join(base, text))
    if target != base and not target.startswith(base.rstrip(os.sep) + os.sep):
        raise OutsideRepository(_shown(root, text), setting, verb)
    return target


def read_bytes_inside(
    root: StrPath, relpath: StrPath, setting: str | None, what: str = "a release file"
) -> bytes:
    """The bytes of ``relpath``, confined by :func:`resolve_inside`; only a regular file is
    read (:class:`FileProblem` naming ``relpath`` otherwise)."""
    target = resolve_inside(root, relpath, setting)
    try:
        return read_bytes(target, what)
    except FileProblem as problem:
        raise FileProblem(_shown(root, os.fspath(relpath)), problem.message, problem.line) from None


def read_text_inside(
    root: StrPath, relpath: StrPath, setting: str | None, *, toml: bool = False
) -> str:
    """The text of ``relpath`` as :func:`~release_assistant.core.support.textfiles.read_text`
    gives it, confined by :func:`resolve_inside`."""
    data = read_bytes_inside(root, relpath, setting)
    return decode_text(data, _shown(root, os.fspath(relpath)), toml=toml)


def _shown(root: StrPath, path: str) -> str:
    """``path`` as messages show it: as configured, with a ``root/`` prefix the caller
    joined on taken off (``root/../x`` is shown as ``../x``)."""
    prefix = os.fspath(root).rstrip(os.sep) + os.sep
    if path.startswith(prefix):
        return path[len(prefix) :] or "."
    real = os.path.realpath(root).rstrip(os.sep) + os.sep
    if path.startswith(real):
        return path[len(real) :] or "."
    return path
