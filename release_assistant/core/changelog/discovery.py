"""Where a project keeps its release notes: the changelog file and towncrier fragments.

Discovery order, when ``changelog`` is not configured:

1. towncrier's ``filename`` (``[tool.towncrier]`` in ``towncrier.toml`` or
   ``pyproject.toml``), the file towncrier writes the notes into;
2. ``CHANGELOG``, ``CHANGES``, ``HISTORY``, ``NEWS``, ``RELEASE-NOTES`` (any case, ``-``
   or ``_``, ``.md``, ``.rst``, ``.txt`` or no extension) at the root;
3. the same names under ``docs/``, ``doc/`` or ``sites/``, up to three directories deep
   (``docs/changelog.rst``, ``doc/en/changelog.rst``, ``docs/en/docs/release-notes.md``,
   ``sites/www/changelog.rst``; ``docs/build`` only when it holds Sphinx's ``conf.py``);
4. a directory of such a name under ``docs/`` holding one file per series
   (``docs/history/2.x.md``): the file of the newest series.

A candidate that names no release (a pointer to the real changelog, such as a root
``CHANGELOG.rst`` that links the documentation) gives way to the next one that does.

Towncrier fragments (``changelog.d/``, ``newsfragments/``, or the configured
``directory``) are the notes of the next, unreleased version.

Notes that a tool generates from files of their own (:func:`find_note_generator`): reno's
``releasenotes/notes/*.yaml`` (with ``reno.yaml`` or ``releasenotes/config.yaml``, or reno
among the project's requirements), changie's ``.changes/`` (with ``.changie.yaml``) and
scriv's fragments (with its configuration). They count as the release's notes when the
tool's configuration is there.

Only :mod:`os` is used: the ``check-changelog-version`` hook runs this on every commit.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from release_assistant.core.support.confined import read_bytes_inside, resolve_inside
from release_assistant.core.support.textfiles import FileProblem
from release_assistant.core.support.toml_lines import load_toml

#: Changelog names, in order of preference, lowercased with ``-`` for ``_``.
NAMES: tuple[str, ...] = (
    "changelog",
    "change-log",
    "changes",
    "history",
    "news",
    "release-notes",
    "releasenotes",
    "releases",
    "version-history",
    "versionhistory",
    "release-history",
)
#: Extensions, in order of preference.
EXTENSIONS: tuple[str, ...] = (".md", ".rst", ".txt", "", ".markdown")
#: Fragment directories looked for when towncrier names none.
FRAGMENT_DIRS: tuple[str, ...] = ("changelog.d", "newsfragments", "news", "changes")
# `sites/www/changelog.rst`: the layout of the projects built with the `releases` extension.
_DOC_DIRS = ("docs", "doc", "sites")
_SKIPPED_DIRS = frozenset({"_build", "build", "node_modules", "_static", "_templates", "api"})
_SERIES_FILE = re.compile(r"^(?:[a-z-]*[-_])?v?(\d+(?:\.\d+)*)(?:\.x)?$", re.IGNORECASE)
# `1234.bugfix.md`, `+orphan.feature.rst`, `10745.improvement.1.rst`: a fragment's name.
_FRAGMENT = re.compile(r"^[^.]+\.[A-Za-z][\w-]*(?:\.\d+)?(?:\.(?:md|rst|txt))?$")


@dataclass(slots=True)
class ChangelogFile:
    """The changelog in use: its root-relative path (``None``: none found), why it was
    chosen, and whether the user configured it."""

    relpath: str | None
    reason: str
    configured: bool = False


@dataclass(slots=True)
class Fragments:
    """Towncrier-style fragment files: the directory and the fragments in it."""

    directory: str
    names: tuple[str, ...]
    reason: str

    @property
    def count(self) -> int:
        """How many fragments wait for the next release."""
        return len(self.names)


@dataclass(slots=True)
class NoteGenerator:
    """A tool that writes the release notes from files of its own: its name, the directory
    of those files, how many there are, and whether a release consumes them
    (``consumed``: towncrier, changie and scriv delete or move them; reno keeps its notes
    and assigns each to the release whose tag first contains it)."""

    tool: str
    directory: str
    count: int
    consumed: bool

    def describe(self) -> str:
        """``reno (12 notes in releasenotes/notes/)``."""
        return (
            f"{self.tool} ({self.count} note{'s' if self.count != 1 else ''} in {self.directory}/)"
        )


# Files that may name reno among a project's requirements.
_RENO_REQUIREMENT_FILES = (
    "pyproject.toml",
    "setup.cfg",
    "tox.ini",
    "requirements.txt",
    "doc-requirements.txt",
    "test-requirements.txt",
    "doc/requirements.txt",
    "docs/requirements.txt",
)
_RENO_WORD = re.compile(r"(?<![\w-])reno(?![\w-])")


def find_note_generator(root: str, towncrier: dict[str, Any] | None) -> NoteGenerator | None:
    """The tool that generates the release notes, when its configuration is there and it
    has notes: reno, changie, scriv (towncrier's fragments are :func:`find_fragments`)."""
    reno = os.path.join(root, "releasenotes", "notes")
    if os.path.isdir(reno):
        notes = [name for name in _listing(reno) if name.endswith((".yaml", ".yml"))]
        configured = os.path.isfile(os.path.join(root, "reno.yaml")) or os.path.isfile(
            os.path.join(root, "releasenotes", "config.yaml")
        )
        if notes and (configured or _names_reno(root)):
            return NoteGenerator("reno", "releasenotes/notes", len(notes), consumed=False)
    if os.path.isfile(os.path.join(root, ".changie.yaml")):
        unreleased = os.path.join(root, ".changes", "unreleased")
        notes = [name for name in _listing(unreleased) if not name.startswith(".")]
        return NoteGenerator("changie", ".changes/unreleased", len(notes), consumed=True)
    scriv = _scriv_directory(root)
    if scriv is not None and towncrier is None:
        notes = [
            name
            for name in _listing(os.path.join(root, scriv))
            if _FRAGMENT_SCRIV.match(name) and not name.lower().startswith("readme")
        ]
        return NoteGenerator("scriv", scriv, len(notes), consumed=True)
    return None


_FRAGMENT_SCRIV = re.compile(r"^\d{8}_\d{6}_.*\.(?:md|rst)$")


def _names_reno(root: str) -> bool:
    return any(_RENO_WORD.search(_project_text(root, name)) for name in _RENO_REQUIREMENT_FILES)


def _project_text(root: str, name: str) -> str:
    """The text of the project file ``name`` (undecodable bytes replaced); empty when it is
    missing, not a regular file, too large or a link out of the work tree."""
    try:
        return read_bytes_inside(root, name, None).decode("utf-8", "replace")
    except (FileProblem, OSError):  # OutsideRepository is a FileProblem
        return ""


def _scriv_directory(root: str) -> str | None:
    """scriv's fragment directory (``changelog.d`` unless configured) when scriv is
    configured (``[tool.scriv]`` in pyproject.toml, ``[scriv]`` in setup.cfg or tox.ini)."""
    for name, marker in (
        ("pyproject.toml", "[tool.scriv]"),
        ("setup.cfg", "[scriv]"),
        ("tox.ini", "[scriv]"),
    ):
        text = _project_text(root, name)
        if marker in text:
            after = text[text.index(marker) :]
            match = re.search(r"^fragment_directory\s*[=:]\s*[\"']?([^\"'\n]+)", after, re.M)
            return match.group(1).strip().strip("/") if match else "changelog.d"
    return None


def towncrier_table(root: str, pyproject: dict[str, Any] | None) -> dict[str, Any] | None:
    """``[tool.towncrier]`` from ``towncrier.toml`` (towncrier reads it first) or from
    ``pyproject.toml``; ``None`` when neither has one (or ``towncrier.toml`` is unreadable,
    which towncrier itself reports)."""
    for name in ("towncrier.toml", ".towncrier.toml"):
        path = os.path.join(root, name)
        if os.path.isfile(path):
            try:
                resolve_inside(root, name, name)  # a link out of the work tree is not read
                table = load_toml(path).data.get("tool", {}).get("towncrier")
            except FileProblem:
                return None
            return table if isinstance(table, dict) else None
    if pyproject is None:
        return None
    table = pyproject.get("tool", {}).get("towncrier")
    return table if isinstance(table, dict) else None


def discover_changelog(
    root: str,
    configured: str | None,
    towncrier: dict[str, Any] | None,
    names_a_release: Callable[[str], bool],
) -> ChangelogFile:
    """The changelog file to check (see the module docstring for the order).

    ``names_a_release(relpath)`` says whether a candidate holds at least one release
    heading; it is asked only when there is more than one candidate.
    """
    if configured is not None:
        return ChangelogFile(configured, "configured in [tool.release-assistant]", True)
    candidates = list(_candidates(root, towncrier))
    if not candidates:
        return ChangelogFile(None, "no changelog file found")
    if len(candidates) > 1:
        for relpath, reason in candidates:
            if names_a_release(relpath):
                return ChangelogFile(relpath, reason)
    relpath, reason = candidates[0]
    return ChangelogFile(relpath, reason)


def _candidates(root: str, towncrier: dict[str, Any] | None) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    filename = towncrier.get("filename", "NEWS.rst") if towncrier is not None else None
    if isinstance(filename, str) and os.path.isfile(os.path.join(root, filename)):
        found.append((filename.replace(os.sep, "/").removeprefix("./"), "towncrier's filename"))
    found += [(name, "found at the root") for name in _named_files(root, "")]
    for docs in _DOC_DIRS:
        if os.path.isdir(os.path.join(root, docs)):
            found += [(name, f"found under {docs}/") for name in _docs_files(root, docs, 3)]
            found += [(name, f"found under {docs}/") for name in _series_files(root, docs)]
    unique: dict[str, str] = {}
    for relpath, reason in found:
        unique.setdefault(relpath, reason)
    return list(unique.items())


def _rank(name: str) -> tuple[int, int] | None:
    """Where ``name`` stands among changelog names (``None``: not one)."""
    lowered = name.lower().replace("_", "-")
    stem, dot, extension = lowered.partition(".")
    if stem not in NAMES or (dot and f".{extension}" not in EXTENSIONS):
        return None
    return NAMES.index(stem), EXTENSIONS.index(f".{extension}" if dot else "")


def _listing(directory: str) -> list[str]:
    try:
        return sorted(os.listdir(directory))
    except OSError:
        return []


def _named_files(root: str, relative: str) -> list[str]:
    """Changelog-named files directly in ``root/relative``, best name first."""
    directory = os.path.join(root, relative) if relative else root
    ranked = []
    for name in _listing(directory):
        rank = _rank(name)
        if rank is not None and os.path.isfile(os.path.join(directory, name)):
            ranked.append((rank, f"{relative}/{name}" if relative else name))
    return [relpath for _, relpath in sorted(ranked)]


def _docs_files(root: str, relative: str, depth: int) -> list[str]:
    """Changelog-named files under ``root/relative``, shallowest first."""
    found = _named_files(root, relative)
    if depth > 1:
        for name in _listing(os.path.join(root, relative)):
            child = f"{relative}/{name}"
            if (
                not name.startswith((".", "_"))
                and (name not in _SKIPPED_DIRS or _sphinx_source(root, child))
                and os.path.isdir(os.path.join(root, child))
            ):
                found += _docs_files(root, child, depth - 1)
    return found


def _sphinx_source(root: str, relative: str) -> bool:
    """``docs/build`` holding ``conf.py`` is Sphinx's source (SQLAlchemy's layout), not
    built output."""
    return os.path.isfile(os.path.join(root, relative, "conf.py"))


def _series_files(root: str, docs: str) -> list[str]:
    """In a changelog-named directory under ``docs`` holding one file per series
    (``docs/history/2.x.md``), the newest series' file."""
    for name in _listing(os.path.join(root, docs)):
        directory = f"{docs}/{name}"
        if _rank(name) is None or not os.path.isdir(os.path.join(root, directory)):
            continue
        series = []
        for entry in _listing(os.path.join(root, directory)):
            stem, _, extension = entry.rpartition(".")
            match = _SERIES_FILE.match(stem) if extension in ("md", "rst", "txt") else None
            if match is not None:
                numbers = tuple(int(part) for part in match.group(1).split("."))
                series.append((numbers, f"{directory}/{entry}"))
        if series:
            return [max(series)[1]]
    return []


def find_fragments(
    root: str, towncrier: dict[str, Any] | None, changelog: str | None
) -> Fragments | None:
    """The fragment directory and its fragments, when the project collects notes that way.

    The configured towncrier ``directory`` (or towncrier's default, ``newsfragments`` in
    the package), else the first of :data:`FRAGMENT_DIRS` that exists.
    """
    candidates: list[tuple[str, str]] = []
    if towncrier is not None:
        directory = towncrier.get("directory")
        if isinstance(directory, str):
            candidates.append((directory, "towncrier's directory"))
        else:
            package = towncrier.get("package")
            package_dir = towncrier.get("package_dir", ".")
            if isinstance(package, str) and isinstance(package_dir, str):
                candidates.append(
                    (f"{package_dir}/{package}/newsfragments", "towncrier's default directory")
                )
    candidates += [(name, "found") for name in FRAGMENT_DIRS]
    for directory, reason in candidates:
        relative = directory.replace(os.sep, "/").strip("/").removeprefix("./")
        path = os.path.join(root, relative)
        if not relative or not os.path.isdir(path):
            continue
        if changelog is not None and changelog.startswith(f"{relative}/"):
            continue  # a directory that holds the changelog itself holds no fragments
        names = tuple(_fragment_names(path))
        if reason == "found" and not names and not _looks_like_fragment_dir(path):
            continue
        return Fragments(relative, names, reason)
    return None


def _fragment_names(path: str) -> list[str]:
    found: list[str] = []
    for name in _listing(path):
        full = os.path.join(path, name)
        if name.startswith(".") or name.lower().startswith(("readme", "template", "_template")):
            continue
        if os.path.isdir(full):
            # towncrier sections: one sub-directory per section, each with fragments.
            found += [f"{name}/{inner}" for inner in _fragment_names(full)]
        elif _FRAGMENT.match(name):
            found.append(name)
    return found


def _looks_like_fragment_dir(path: str) -> bool:
    """An empty fragment directory kept in git by a placeholder or a README."""
    return any(
        name.startswith(".git") or name.lower().startswith("readme") for name in _listing(path)
    )


def unusable_changelog(root: str) -> str | None:
    """A changelog-named entry at the root that discovery passed over because it is no
    regular file (a directory, a FIFO, a dangling link): broken, not absent."""
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return None
    for name in names:
        stem, dot, extension = name.lower().replace("_", "-").partition(".")
        if stem not in NAMES or (dot and f".{extension}" not in EXTENSIONS):
            continue
        path = os.path.join(root, name)
        # A directory without an extension (changes/, changelog/) holds fragments.
        if not os.path.isfile(path) and (dot or not os.path.isdir(path)):
            return name
    return None
