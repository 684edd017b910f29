"""A version read out of one file, and the record every version source gives.

:class:`VersionSource` (where the version is declared) and :class:`VersionNotFound`; PEP 440
parsing (:func:`parse_version`, :func:`normalize`); a version assigned in a file, found by a
pattern (hatch's default, or the user's under a time limit), by its name as setuptools reads
``attr:``, or as a whole plain ``file:``; and the package's own ``__version__``
(:func:`discover_version_file`). Which file to read is decided in ``version_sources.py``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from packaging.version import InvalidVersion, Version

from release_assistant.core.project.names import flit_module
from release_assistant.core.support.confined import read_text_inside
from release_assistant.core.support.errors import InputError
from release_assistant.core.support.textfiles import FileProblem

#: hatch's default pattern for its ``path`` version source, also our default for
#: ``version_files``.
DEFAULT_VERSION_PATTERN = (
    r"(?im)^\s*(?:__version__|VERSION|version)\s*(?::\s*str\s*)?=\s*"
    r"(?P<quote>['\"])v?(?P<version>[^'\"]+)(?P=quote)"
)
#: A module-level ``__version__ = ...`` (annotated or not), and a string literal.
_DUNDER_VERSION = re.compile(r"^__version__[ \t]*(?::[^=\n]+)?=[ \t]*(?P<value>[^\n]*)", re.M)
_STRING_VALUE = re.compile(r"(?P<quote>['\"])(?P<version>[^'\"\n]+)(?P=quote)[ \t]*(?:#.*)?")
#: The files a package's ``__version__`` usually lives in, in the order they are tried.
VERSION_MODULES: tuple[str, ...] = (
    "__init__.py",
    "__about__.py",
    "_version.py",
    "version.py",
    "__version__.py",
)


def parse_version(text: str) -> Version | None:
    """PEP 440 version, or ``None`` when ``text`` is not one."""
    try:
        return Version(text)
    except (InvalidVersion, ValueError):  # ValueError: a number of over 4,300 digits
        return None


def normalize(text: str) -> str:
    """PEP 440 normal form of ``text`` (``1.0.0-rc.1`` -> ``1.0.0rc1``), or ``text`` as is."""
    version = parse_version(text)
    return str(version) if version is not None else text


@dataclass(slots=True)
class VersionSource:
    """Where the project's version is declared.

    ``value`` is ``None`` when the version is computed from git tags at build time
    (``from_vcs``) or cannot be read without building (``unread`` says why);
    ``description`` says where it came from in words.
    """

    description: str
    value: str | None
    path: str | None = None
    line: int | None = None
    from_vcs: bool = False
    unread: str | None = None
    #: For a root that publishes no distribution itself: ``(directory, name)`` of those
    #: below it (a workspace, or several packages side by side).
    members: tuple[tuple[str, str], ...] = ()


class VersionNotFound(InputError):
    """The project's version could not be located; ``str()`` says why and where."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


def find_version_in_text(
    text: str, pattern: str | None = None, key: str = "pattern"
) -> tuple[str, int] | None:
    """First version assigned in ``text`` and its line, using ``pattern`` or the default.

    A ``pattern`` comes from the user (configuration or project metadata), so it runs with a
    time limit (:mod:`~release_assistant.core.support.user_regex`); ``key`` names where it was
    written for the :class:`~release_assistant.core.user_regex.PatternProblem` that an
    invalid or runaway pattern raises.
    """
    if pattern is None:
        match = re.search(DEFAULT_VERSION_PATTERN, text, re.MULTILINE)
        if match is None:
            return None
        return match.group("version"), text.count("\n", 0, match.start("version")) + 1
    from release_assistant.core.support.user_regex import compile_user_pattern

    compiled = compile_user_pattern(pattern, key)
    found = compiled.search(text)
    if found is None:
        return None
    value = found.group(compiled.group)
    if value is None:  # the group did not take part in the match
        return None
    return value, text.count("\n", 0, found.start(compiled.group)) + 1


def _unread(description: str, reason: str, path: str | None = None) -> VersionSource:
    return VersionSource(description, None, path, unread=reason)


def _version_from_file(
    root: str, relpath: str, pattern: object, description: str, setting: str
) -> VersionSource:
    try:
        # Confined to the work tree: a path (or symlink) out of it is never read or quoted.
        text = read_text_inside(root, relpath, setting)
    except FileProblem as problem:
        raise VersionNotFound(f"version file: {problem.message}", relpath) from None
    from release_assistant.core.support.user_regex import PatternProblem

    if pattern is not None and not isinstance(pattern, str):
        raise VersionNotFound("[tool.hatch.version] pattern must be a string", "pyproject.toml")
    try:
        found = find_version_in_text(text, pattern, "[tool.hatch.version] pattern")
    except PatternProblem as problem:
        raise VersionNotFound(str(problem), "pyproject.toml") from None
    if found is None:
        raise VersionNotFound(
            'no version assignment found (expected __version__ = "X.Y.Z")', relpath
        )
    return VersionSource(description, found[0], relpath, found[1])


def _version_from_plain_file(root: str, relpath: str, setting: str) -> VersionSource:
    try:
        text = read_text_inside(root, relpath, setting).strip()
    except FileProblem as problem:
        raise VersionNotFound(f"version file: {problem.message}", relpath) from None
    return VersionSource(f"{relpath} (setuptools file)", text, relpath, 1)


def _version_from_attr(root: str, attr: str, tool: str) -> VersionSource:
    """Find ``module.attr`` statically: the module file in ``src/`` or the root.

    A value that is not a string literal (computed, imported) is read by the build tool
    importing the module; the tool here does not run code, so it reports it unread.
    """
    module, _, name = attr.rpartition(".")
    candidates = []
    for base in ("src", ""):
        relative = "/".join(part for part in (base, *module.split(".")) if part)
        if relative:
            candidates += [f"{relative}/__init__.py", f"{relative}.py"]
    for relpath in candidates:
        candidate = os.path.join(root, relpath)
        if os.path.isfile(candidate):
            try:
                text = read_text_inside(root, relpath, f"the module {module} ({tool})")
            except FileProblem as problem:
                raise VersionNotFound(
                    f"cannot read version attribute: {problem.message}", relpath
                ) from None
            found = _assigned_string(text, name)
            if found is not None:
                return VersionSource(f"{relpath} ({attr})", found[0], relpath, found[1])
            return _unread(
                f"{relpath} ({attr})",
                f"{attr} is not a string literal in {relpath}; {tool} computes it by "
                "importing the module",
                relpath,
            )
    # The build tool may find it where this lookup does not (setuptools' package-dir).
    return _unread(
        f"version attribute {attr}",
        f"the module of {attr} is not in src/ or at the root; {tool} looks it up itself",
        "pyproject.toml",
    )


def _assigned_string(text: str, name: str) -> tuple[str, int] | None:
    """The string literal the first module-level ``name = ...`` (or ``name: T = ...``)
    assigns, and its line; ``None`` when there is none or it assigns something else.

    As setuptools reads ``attr:`` versions (the first assignment, a literal). A regular
    expression, not :mod:`ast`: the ``check-changelog-version`` hook reads flit and
    setuptools versions on every commit, and importing ``ast`` costs about 5 ms of a
    30 ms hook run (``python -X importtime``); a test holds it to ``ast``'s reading.
    """
    pattern = _DUNDER_VERSION if name == "__version__" else _assignment(name)
    match = pattern.search(text)
    if match is None:
        return None
    value = _STRING_VALUE.fullmatch(match.group("value").rstrip())
    if value is None:
        return None
    return value.group("version"), text.count("\n", 0, match.start()) + 1


def _assignment(name: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(name)}[ \t]*(?::[^=\n]+)?=[ \t]*(?P<value>[^\n]*)", re.M)


def discover_version_file(
    root: str, pyproject: dict[str, Any] | None, source: VersionSource
) -> tuple[str, str, int] | None:
    """The package's own ``__version__ = "..."``: ``(relpath, value, line)``.

    Looked for in :data:`VERSION_MODULES` of the package (flit's module, or the project
    name as a module, in ``src/`` or at the root), skipping the file the version is read
    from. ``None`` when there is no literal to compare.
    """
    if pyproject is None:
        return None
    module = flit_module(pyproject)
    if not module:
        return None
    for base in ("src/", ""):
        for filename in VERSION_MODULES:
            relpath = f"{base}{module}/{filename}"
            if relpath == source.path:
                continue
            found = _literal_version_in(root, relpath)
            if found is not None:
                return relpath, *found
        single = f"{base}{module}.py"
        if single != source.path and (found := _literal_version_in(root, single)) is not None:
            return single, *found
    return None


def _literal_version_in(root: str, relpath: str) -> tuple[str, int] | None:
    path = os.path.join(root, relpath)
    if not os.path.isfile(path):
        return None
    try:
        text = read_text_inside(root, relpath, "__version__")
    except FileProblem:
        return None
    found = _assigned_string(text, "__version__")
    if found is None or parse_version(found[0]) is None:
        return None
    return found
