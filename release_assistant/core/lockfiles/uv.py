"""``uv.lock`` against ``pyproject.toml``: the verdict of ``uv lock --check``, offline.

uv re-uses a lock when its recorded inputs still match the workspace (``ValidatedLock::validate``
then ``Lock::satisfies`` in uv's sources). This module compares the same inputs:

1. resolver settings: ``[options]`` (resolution and pre-release mode, fork strategy,
   ``exclude-newer`` and ``exclude-newer-span``, :mod:`.exclude_newer`; a changed
   ``exclude-newer-package`` is only a warning, see below), ``supported-markers``/
   ``required-markers`` against
   ``tool.uv.environments``/``required-environments``, ``conflicts``, and the indexes the
   lock's registry packages come from when the project configures indexes;
2. ``requires-python``: the lock's bounds against the intersection of the members';
3. ``[manifest]``: ``members`` (empty for a lone root project), ``constraints``,
   ``overrides``, ``build-constraints``, ``excludes``, ``dependency-metadata``, and a
   non-project root's ``dependency-groups``;
4. per workspace member: ``virtual`` exactly when it is not a package, editable unless a
   member requires it with ``editable = false``;
5. per source-tree package (members and local path dependencies): the static version
   (PEP 440 equal, absent when dynamic), ``provides-extras`` as a set, ``requires-dist`` as a
   set (dependencies plus optional dependencies with ``extra == '<name>'`` added to their
   marker, after ``tool.uv.sources``), ``requires-dev`` (dependency groups with
   ``include-group`` expanded, legacy ``tool.uv.dev-dependencies`` in ``dev``, each
   requirement with its groups' ``tool.uv.dependency-groups`` requires-python as a marker),
   and, from lock revision 5, ``[package.group-requires-python]``.

Requirements are compared as uv compares them: PEP 503 names, sorted extras, sources as
absolute paths or credential-free URLs as written; specifier sets by the versions they admit,
and markers semantically within the lock's ``requires-python``, in uv's marker model
(:mod:`.pep508`).

Only the lock's header and its source-tree ``[[package]]`` blocks are TOML-parsed; the rest is
scanned line by line (package identities for duplicates, registry URLs, paths and URLs), which
keeps a 700 KB lock well under uv's own time.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.lockfiles import exclude_newer, pep508
from release_assistant.core.lockfiles.files import RepoFiles, join_relpath, relative_posix
from release_assistant.core.lockfiles.pep508 import Marker, PythonBounds, canonical_name
from release_assistant.core.lockfiles.shape import UV_LINES, table_problem, wrong_type_line
from release_assistant.core.lockfiles.text import (
    TomlProblem,
    first_suspect_line,
    line_of_offset,
    parse_full,
    parse_slice,
    syntax_finding,
)
from release_assistant.core.support.textfiles import FileProblem
from release_assistant.core.support.toml_lines import TomlDocument

LOCK = "uv.lock"
HINT = "run `uv lock` and commit the updated uv.lock"
SUPPORTED_VERSION = 1

_PACKAGE_LINE = "[[package]]\n"
_PACKAGE_HEAD = re.compile(
    r'\[\[package\]\]\nname = "(?P<name>[^"\n]*)"\n(?:version = "(?P<version>[^"\n]*)"\n)?'
    r'source = \{ (?P<kind>[a-z]+) = "(?P<value>[^"\n]*)"'
)
_SOURCE_TREE_KINDS = frozenset({"editable", "directory", "virtual"})
_PATH_KINDS = ("editable", "directory", "virtual", "path")
_DEFAULTS = {
    "resolution-mode": "highest",
    "prerelease-mode": "if-necessary-or-explicit",
    "fork-strategy": "requires-python",
}
_SETTING_KEYS = {
    "resolution-mode": ("resolution", "UV_RESOLUTION"),
    "prerelease-mode": ("prerelease", "UV_PRERELEASE"),
    "fork-strategy": ("fork-strategy", "UV_FORK_STRATEGY"),
}


# ----------------------------------------------------------------------------- model


@dataclass(frozen=True, slots=True)
class LockedPackage:
    """One ``[[package]]`` of the lock, located without parsing it."""

    name: str
    version: str | None
    kind: str
    value: str
    start: int
    end: int
    line: int


@dataclass(slots=True)
class ScannedLock:
    """What the check needs from ``uv.lock``: its header and its package index."""

    text: str
    header: dict[str, Any]
    packages: list[LockedPackage]

    @property
    def revision(self) -> int:
        value = self.header.get("revision", 0)
        return value if isinstance(value, int) else 0

    @property
    def manifest(self) -> dict[str, Any]:
        value = self.header.get("manifest", {})
        return value if isinstance(value, dict) else {}

    @property
    def options(self) -> dict[str, Any]:
        value = self.header.get("options", {})
        return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class Req:
    """A requirement normalized for comparison; ``display`` and ``origin`` are for messages."""

    name: str
    extras: tuple[str, ...]
    specifier: str  # a valid PEP 440 specifier set, "" for none
    source: tuple[str, ...]
    marker: Marker | None
    display: str
    origin: str = ""

    @property
    def key(self) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        """What must be equal as written; specifier and marker are compared semantically."""
        return (self.name, self.extras, self.source)


@dataclass(slots=True)
class Project:
    """A workspace member or local path dependency with its ``pyproject.toml``."""

    directory: str  # root-relative, "." for the root
    document: TomlDocument
    is_member: bool

    @property
    def pyproject_path(self) -> str:
        return join_relpath(self.directory, "pyproject.toml")

    @property
    def data(self) -> dict[str, Any]:
        return self.document.data

    @property
    def project(self) -> dict[str, Any]:
        value = self.data.get("project")
        return value if isinstance(value, dict) else {}

    @property
    def tool_uv(self) -> dict[str, Any]:
        tool = self.data.get("tool")
        value = tool.get("uv") if isinstance(tool, dict) else None
        return value if isinstance(value, dict) else {}

    @property
    def name(self) -> str | None:
        name = self.project.get("name")
        return canonical_name(name) if isinstance(name, str) else None

    @property
    def dynamic(self) -> set[str]:
        value = self.project.get("dynamic", [])
        return {str(item) for item in value} if isinstance(value, list) else set()

    def is_package(self, require_build_system: bool) -> bool:
        """uv's ``PyProjectToml::is_package``: ``tool.uv.package``, else a build system."""
        explicit = self.tool_uv.get("package")
        if isinstance(explicit, bool):
            return explicit
        return "build-system" in self.data or not require_build_system

    def line_of_text(self, needle: str) -> int | None:
        """The line where ``needle`` (e.g. a requirement string) is written."""
        text = self.document.text
        for quoted in (f'"{needle}"', f"'{needle}'"):
            index = text.find(quoted)
            if index >= 0:
                return line_of_offset(text, index)
        return None


@dataclass(slots=True)
class Report:
    """Findings collected while comparing; every one carries the ``uv lock`` hint."""

    findings: list[Finding] = field(default_factory=list)

    def stale(self, code: str, message: str, line: int | None = None, path: str = LOCK) -> None:
        self.findings.append(Finding(code, message, Severity.ERROR, path, line, HINT))

    def unsure(self, message: str, line: int | None = None, path: str = LOCK) -> None:
        self.findings.append(
            Finding(
                "RA509",
                message,
                Severity.WARNING,
                path,
                line,
                "run `uv lock --check` to let uv decide (it may build the project)",
            )
        )


# --------------------------------------------------------------------------- scanning


def scan(text: str) -> ScannedLock | Finding:
    """Locate the header and every ``[[package]]`` block; a finding if the lock is malformed."""
    starts = _package_starts(text)
    header_end = starts[0] if starts else len(text)
    header = parse_slice(text, 0, header_end)
    if isinstance(header, TomlProblem):
        return syntax_finding(header, LOCK, "uv lock", "uv")
    version = header.get("version")
    malformed = table_problem(header, UV_LINES[""], ("version", "requires-python"))
    if malformed is not None:
        # uv deserializes the lock into typed structures and refuses it outright.
        return _malformed(f"the lock header is malformed: {malformed}", 1)
    if version != SUPPORTED_VERSION:
        return Finding(
            "RA503",
            f"uv.lock uses lock format version {version!r}; this check knows version "
            f"{SUPPORTED_VERSION}, so it cannot verify it",
            Severity.WARNING,
            LOCK,
            1,
            "run `uv lock --check` with the uv that wrote the lock",
        )
    suspect = first_suspect_line(text, header_end)
    if suspect is not None:
        problem = parse_full(text)
        if isinstance(problem, TomlProblem):
            return syntax_finding(problem, LOCK, "uv lock", "uv")
    wrong = wrong_type_line(text, UV_LINES)
    if wrong is not None:
        return _malformed(wrong[1], wrong[0])
    packages: list[LockedPackage] = []
    bounds = [*starts, len(text)]
    line, counted = 1, 0
    for index, start in enumerate(starts):
        end = bounds[index + 1]
        line += text.count("\n", counted, start)
        counted = start
        head = _PACKAGE_HEAD.match(text, start)
        if head is not None:
            packages.append(
                LockedPackage(
                    canonical_name(head["name"]),
                    head["version"],
                    head["kind"],
                    head["value"],
                    start,
                    end,
                    line,
                )
            )
            continue
        parsed = _parse_block(text, start, end)
        if isinstance(parsed, Finding):
            return parsed
        packages.append(_package_from_table(parsed, text, start, end))
    return ScannedLock(text, header, packages)


def _malformed(message: str, line: int | None) -> Finding:
    """RA502 for a lock that is valid TOML but not a lock uv can deserialize."""
    return Finding(
        "RA502",
        f"uv.lock cannot be read by uv: {message}",
        Severity.ERROR,
        LOCK,
        line,
        "regenerate it with `uv lock` (uv refuses to read it as it is)",
    )


def _package_starts(text: str) -> list[int]:
    starts = []
    if text.startswith(_PACKAGE_LINE):
        starts.append(0)
    position = text.find("\n" + _PACKAGE_LINE)
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n" + _PACKAGE_LINE, position + 1)
    return starts


def _parse_block(text: str, start: int, end: int) -> dict[str, Any] | Finding:
    parsed = parse_slice(text, start, end)
    if isinstance(parsed, TomlProblem):
        return syntax_finding(parsed, LOCK, "uv lock", "uv")
    package = parsed.get("package")
    if not isinstance(package, list) or len(package) != 1 or not isinstance(package[0], dict):
        return Finding(
            "RA502",
            "a [[package]] entry could not be read",
            Severity.ERROR,
            LOCK,
            line_of_offset(text, start),
            HINT,
        )
    entry: dict[str, Any] = package[0]
    return entry


def _package_from_table(entry: dict[str, Any], text: str, start: int, end: int) -> LockedPackage:
    source = entry.get("source", {})
    kind, value = "unknown", ""
    if isinstance(source, dict) and source:
        kind, raw = next(iter(source.items()))
        value = str(raw)
    version = entry.get("version")
    return LockedPackage(
        canonical_name(str(entry.get("name", ""))),
        version if isinstance(version, str) else None,
        str(kind),
        value,
        start,
        end,
        line_of_offset(text, start),
    )


def duplicate_findings(lock: ScannedLock) -> list[Finding]:
    """Packages listed twice with the same name, version and source (uv rejects the lock)."""
    seen: dict[tuple[str, str | None, str, str], LockedPackage] = {}
    findings = []
    for package in lock.packages:
        key = (package.name, package.version, package.kind, package.value)
        first = seen.get(key)
        if first is None:
            seen[key] = package
            continue
        version = f" {package.version}" if package.version else ""
        findings.append(
            Finding(
                "RA515",
                f"`{package.name}{version}` from {package.kind} `{package.value}` is listed "
                f"twice (first at line {first.line}); uv refuses such a lock",
                Severity.ERROR,
                LOCK,
                package.line,
                "resolve the merge by regenerating the lock: `uv lock`",
            )
        )
    return findings


# --------------------------------------------------------------------------- the check


def check(files: RepoFiles, text: str, environ: Mapping[str, str]) -> list[Finding]:
    """Every reason ``uv lock --check`` would reject ``text`` for the workspace in ``files``."""
    scanned = scan(text)
    if isinstance(scanned, Finding):
        return [scanned]
    findings = duplicate_findings(scanned)
    root_doc = files.toml("pyproject.toml")
    if root_doc is None:
        findings.append(
            Finding(
                "RA509",
                "uv.lock has no pyproject.toml beside it to compare with",
                Severity.WARNING,
                LOCK,
                None,
                "run `uv lock --check` where the workspace root is",
            )
        )
        return findings
    comparer = _Comparer(files, scanned, Project(".", root_doc, True), environ)
    comparer.run()
    findings.extend(comparer.report.findings)
    return findings


class _Comparer:
    """Compares one scanned lock with the workspace it was made for."""

    def __init__(
        self,
        files: RepoFiles,
        lock: ScannedLock,
        root: Project,
        environ: Mapping[str, str],
    ) -> None:
        self.files = files
        self.lock = lock
        self.root = root
        self.environ = environ
        self.report = Report()
        self.settings = self._settings()
        self.members: dict[str, Project] = {}
        self._bounds: PythonBounds | None = None
        self._bounds_read = False
        self.by_name: dict[str, list[LockedPackage]] = {}
        self._lowerings: dict[str, _Lowering] = {}
        for package in lock.packages:
            self.by_name.setdefault(package.name, []).append(package)

    # ----------------------------------------------------------------- orchestration

    def run(self) -> None:
        self._discover_members()
        self._check_settings()
        self._check_requires_python()
        self._check_manifest()
        self._check_members()
        self._check_source_trees()

    def _settings(self) -> dict[str, Any]:
        """``tool.uv`` of the root, with a ``uv.toml`` beside it taking precedence."""
        settings = dict(self.root.tool_uv)
        try:
            uv_toml = self.files.toml("uv.toml")
        except FileProblem as problem:
            self.report.unsure(f"uv.toml cannot be read: {problem.message}", path="uv.toml")
            uv_toml = None
        if uv_toml is not None:
            settings.update(uv_toml.data)
        return settings

    @property
    def bounds(self) -> PythonBounds | None:
        """The lock's ``requires-python`` bounds, read on first use.

        Most comparisons are settled by identical text, and parsing a specifier set imports
        ``packaging.specifiers`` (with ``packaging.tags``): a lock with nothing to compare
        semantically never pays for it.
        """
        if not self._bounds_read:
            self._bounds_read = True
            self._bounds = self._lock_bounds()
        return self._bounds

    def _lock_bounds(self) -> PythonBounds | None:
        text = self.lock.header.get("requires-python")
        if not isinstance(text, str):
            return None
        try:
            return PythonBounds.from_specifiers([text])
        except ValueError:
            self.report.stale("RA502", f"uv.lock has an invalid requires-python {text!r}", 1)
            return None

    # ------------------------------------------------------------------ workspace

    def _discover_members(self) -> None:
        workspace = self.root.tool_uv.get("workspace")
        if self.root.name is not None:
            self.members[self.root.name] = self.root
        if not isinstance(workspace, dict):
            return
        patterns = [p for p in workspace.get("members", []) if isinstance(p, str)]
        excludes = [p for p in workspace.get("exclude", []) if isinstance(p, str)]
        found: set[str] = set()
        for pattern in patterns:
            for path in sorted(self.files.root.glob(pattern)):
                relpath = relative_posix(self.files.root, path)
                if path.is_dir() and not any(
                    fnmatch.fnmatchcase(relpath, exclude.rstrip("/")) for exclude in excludes
                ):
                    found.add(relpath)
        for relpath in sorted(found):
            if relpath == ".":
                continue
            pyproject = join_relpath(relpath, "pyproject.toml")
            try:
                document = self.files.toml(pyproject)
            except FileProblem as problem:
                self.report.unsure(
                    f"workspace member {relpath} cannot be read: {problem.message}",
                    path=pyproject,
                    line=problem.line,
                )
                continue
            if document is None:
                continue
            member = Project(relpath, document, True)
            if member.name is None:
                self.report.unsure(
                    f"workspace member {relpath} has no [project] name", path=pyproject
                )
                continue
            self.members[member.name] = member

    # ------------------------------------------------------------------- settings

    def _check_settings(self) -> None:
        options = self.lock.options
        for lock_key, (setting, variable) in _SETTING_KEYS.items():
            wanted = self.environ.get(variable) or self.settings.get(setting)
            expected = str(wanted) if wanted is not None else _DEFAULTS[lock_key]
            actual = str(options.get(lock_key, _DEFAULTS[lock_key]))
            if expected != actual:
                self.report.stale(
                    "RA508",
                    f"uv.lock was resolved with {lock_key} `{actual}`, the project now asks "
                    f"for `{expected}` ({_where(setting, variable)})",
                    self._header_line(lock_key),
                )
        self._check_exclude_newer(options)
        self._check_environments("environments", "supported-markers")
        self._check_environments("required-environments", "required-markers")
        self._check_conflicts()
        self._check_indexes()

    def _check_exclude_newer(self, options: Mapping[str, Any]) -> None:
        """``exclude-newer`` (and per package) against the lock's ``[options]``.

        A duration is recorded as ``exclude-newer-span`` beside a placeholder timestamp; it
        matches a setting with the same duration field by field (:mod:`.exclude_newer`).
        """
        line = self._header_line("exclude-newer")
        wanted = self.environ.get("UV_EXCLUDE_NEWER") or self.settings.get("exclude-newer")
        timestamp = options.get("exclude-newer")
        span = options.get("exclude-newer-span")
        difference = _cutoff_difference(
            "exclude-newer",
            None if wanted is None else str(wanted),
            None if timestamp is None and span is None else f"{span or timestamp}",
            exclude_newer.parse_locked(_text(timestamp), _text(span)),
        )
        if difference is not None:
            message, decided = difference
            if decided:
                self.report.stale("RA508", message, line)
            else:
                self.report.unsure(message, line)
        self._check_exclude_newer_packages(options, line)

    def _check_exclude_newer_packages(self, options: Mapping[str, Any], line: int | None) -> None:
        """``exclude-newer-package``: differences are reported, but as undecidable.

        uv 0.13 stops at the first package whose cutoff "changed", and a duration's cutoff
        always has (it follows the clock), so a real change after it goes unseen; and it
        accepts some changes of a package's fixed date (checked in the tests). Whether uv
        re-resolves depends on its hash-map order: only uv can tell.
        """
        wanted_packages = self._wanted_package_cutoffs()
        raw = options.get("exclude-newer-package", {})
        locked_packages = {
            canonical_name(str(name)): value
            for name, value in (raw.items() if isinstance(raw, dict) else [])
        }
        table = self.lock.text.find("\n[options.exclude-newer-package]\n")
        if table >= 0:
            line = line_of_offset(self.lock.text, table + 1)
        differences = []
        for name in sorted(set(wanted_packages) | set(locked_packages)):
            value = locked_packages.get(name)
            setting = wanted_packages.get(name)
            label = f"exclude-newer-package `{name}`"
            if setting is False or value is False:
                if setting is not value:
                    now = "disabled" if setting is False else f"`{setting}`"
                    was = "disabled" if value is False else f"`{value}`"
                    differences.append(f"{label} was {was}, is now {now}")
                continue
            if isinstance(value, dict):
                timestamp, span = _text(value.get("timestamp")), _text(value.get("span"))
            else:
                timestamp, span = _text(value), None
            difference = _cutoff_difference(
                label,
                None if setting is None else str(setting),
                span or timestamp,
                exclude_newer.parse_locked(timestamp, span),
            )
            if difference is not None:
                differences.append(difference[0])
        if differences:
            self.report.unsure(
                "; ".join(differences) + ". uv may or may not re-resolve for this: it stops "
                "at the first package whose cutoff moved, and a duration's always has",
                line,
            )

    def _wanted_package_cutoffs(self) -> dict[str, str | bool]:
        """``exclude-newer-package`` from the settings, ``UV_EXCLUDE_NEWER_PACKAGE`` on top."""
        wanted: dict[str, str | bool] = {}
        raw = self.settings.get("exclude-newer-package", {})
        for name, value in raw.items() if isinstance(raw, dict) else []:
            wanted[canonical_name(str(name))] = False if value is False else str(value)
        for item in self.environ.get("UV_EXCLUDE_NEWER_PACKAGE", "").split():
            name, _, value = item.partition("=")
            wanted[canonical_name(name)] = False if value == "false" else value
        return wanted

    def _check_environments(self, setting: str, lock_key: str) -> None:
        raw = self.settings.get(setting, [])
        wanted = [raw] if isinstance(raw, str) else [str(item) for item in raw or []]
        locked_raw = self.lock.header.get(lock_key, [])
        locked = [str(item) for item in locked_raw] if isinstance(locked_raw, list) else []
        message = (
            f"uv.lock was resolved for {lock_key} {locked or '(none)'}, tool.uv.{setting} "
            f"is now {wanted or '(none)'}"
        )
        if len(wanted) != len(locked):
            self.report.stale("RA508", message, self._header_line(lock_key))
            return
        for expected, actual in zip(wanted, locked, strict=True):
            if pep508.same_conjunction(expected, actual):
                continue
            try:
                same = pep508.markers_equivalent(
                    pep508.parse_marker(expected), pep508.parse_marker(actual), self.bounds
                )
            except (ValueError, pep508.Undecidable):
                same = None
            if same is None:
                self.report.unsure(f"cannot compare {setting} marker `{expected}`")
            elif not same:
                self.report.stale("RA508", message, self._header_line(lock_key))
                return

    def _check_conflicts(self) -> None:
        wanted: set[frozenset[tuple[str, str, str]]] = set()
        for member in self._all_projects():
            for group in member.tool_uv.get("conflicts", []) or []:
                items = set()
                for item in group if isinstance(group, list) else []:
                    if not isinstance(item, dict):
                        continue
                    package = canonical_name(str(item.get("package", member.name or "")))
                    for kind in ("extra", "group"):
                        if kind in item:
                            items.add((package, kind, canonical_name(str(item[kind]))))
                    if "extra" not in item and "group" not in item:
                        items.add((package, "package", package))
                wanted.add(frozenset(items))
        locked: set[frozenset[tuple[str, str, str]]] = set()
        for group in self.lock.header.get("conflicts", []) or []:
            items = set()
            for item in group if isinstance(group, list) else []:
                if not isinstance(item, dict):
                    continue
                package = canonical_name(str(item.get("package", "")))
                for kind in ("extra", "group"):
                    if kind in item:
                        items.add((package, kind, canonical_name(str(item[kind]))))
                if "extra" not in item and "group" not in item:
                    items.add((package, "package", package))
            locked.add(frozenset(items))
        if wanted != locked:
            self.report.stale(
                "RA508",
                "the declared conflicts (tool.uv.conflicts) differ from the ones uv.lock was "
                "resolved with",
                self._header_line("conflicts"),
            )

    def _check_indexes(self) -> None:
        """Registry URLs in the lock must still be configured, when indexes are configured."""
        configured: list[str] = []
        replaces_default = False
        for project in self._all_projects():
            settings = self.settings if project is self.root else project.tool_uv
            for entry in settings.get("index", []) or []:
                if isinstance(entry, dict) and isinstance(entry.get("url"), str):
                    configured.append(entry["url"])
                    replaces_default = replaces_default or entry.get("default") is True
        for key in ("index-url", "extra-index-url", "find-links"):
            value = self.settings.get(key)
            values = [value] if isinstance(value, str) else list(value or [])
            configured.extend(str(item) for item in values)
            replaces_default = replaces_default or (key == "index-url" and bool(values))
        for variable in ("UV_INDEX", "UV_EXTRA_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX_URL"):
            for item in self.environ.get(variable, "").split():
                configured.append(item.split("=", 1)[1] if "=" in item else item)
                replaces_default = replaces_default or variable in (
                    "UV_DEFAULT_INDEX",
                    "UV_INDEX_URL",
                )
        if not configured or self.settings.get("no-index") is True:
            return
        allowed = {_normal_url(url) for url in configured}
        if not replaces_default:
            from release_assistant.core.urls import PYPI_HOST

            allowed.add(_normal_url(f"https://{PYPI_HOST}/simple"))
        checked: set[str] = set()
        for package in self.lock.packages:
            if package.kind != "registry" or package.value in checked:
                continue
            checked.add(package.value)
            if "://" not in package.value or _normal_url(package.value) in allowed:
                continue
            self.report.stale(
                "RA508",
                f"uv.lock takes `{package.name}` from the index `{_redact(package.value)}`, "
                "which the project no longer configures",
                package.line,
            )

    # ------------------------------------------------------------- requires-python

    def _check_requires_python(self) -> None:
        declared = [
            (member, member.project.get("requires-python"))
            for member in self.members.values()
            if isinstance(member.project.get("requires-python"), str)
        ]
        locked = self.lock.header.get("requires-python")
        if locked is None:
            self.report.stale(
                "RA502", "uv.lock has no requires-python field, so uv cannot read it", 1
            )
            return
        if not declared:
            if self.members:
                self.report.unsure(
                    "no workspace member declares requires-python, so uv takes the bound from "
                    "the interpreter that runs it; the lock's requires-python cannot be checked",
                    path=self.root.pyproject_path,
                )
            return
        if {"".join(str(text).split()) for _, text in declared} == {"".join(str(locked).split())}:
            return  # uv writes a lone requires-python as declared (spaces aside): nothing to parse
        if self.bounds is None:
            return
        try:
            wanted = PythonBounds.from_specifiers(str(text) for _, text in declared)
        except ValueError as exc:
            self.report.unsure(f"requires-python is invalid: {exc}", path="pyproject.toml")
            return
        if not wanted.same_as(self.bounds):
            if len(declared) == 1:
                member, text = declared[0]
                now = f"{member.pyproject_path} now says `{text}`"
            else:
                parts = ", ".join(f"`{text}` in {m.pyproject_path}" for m, text in declared)
                now = f"the workspace's is now `{wanted.describe()}` (from {parts})"
            self.report.stale(
                "RA505",
                f"uv.lock was resolved for requires-python `{locked}`, but {now}",
                self._header_line("requires-python"),
            )

    # -------------------------------------------------------------------- manifest

    def _check_manifest(self) -> None:
        manifest = self.lock.manifest
        single_root = len(self.members) == 1 and self.root.name in self.members
        expected_members = set() if single_root else set(self.members)
        locked_members = {canonical_name(str(name)) for name in manifest.get("members", [])}
        if expected_members != locked_members:
            added = sorted(expected_members - locked_members)
            removed = sorted(locked_members - expected_members)
            parts = []
            if added:
                parts.append("the workspace now has " + ", ".join(f"`{n}`" for n in added))
            if removed:
                parts.append("uv.lock still lists " + ", ".join(f"`{n}`" for n in removed))
            self.report.stale(
                "RA507",
                "workspace members changed: " + "; ".join(parts),
                self._header_line("members"),
            )
        for setting, lock_key in (
            ("constraint-dependencies", "constraints"),
            ("override-dependencies", "overrides"),
            ("build-constraint-dependencies", "build-constraints"),
        ):
            expected = self._plain_requirements(setting)
            actual = self._locked_plain(manifest.get(lock_key, []), lock_key)
            self._compare_sets(
                expected,
                actual,
                f"tool.uv.{setting}",
                f"[manifest] {lock_key}",
                self._header_line(lock_key),
            )
        wanted_excludes = {
            canonical_name(str(name)) for name in self.settings.get("exclude-dependencies", [])
        }
        locked_excludes = {canonical_name(str(name)) for name in manifest.get("excludes", [])}
        if wanted_excludes != locked_excludes:
            self.report.stale(
                "RA504",
                f"tool.uv.exclude-dependencies is {sorted(wanted_excludes)}, uv.lock was "
                f"resolved with {sorted(locked_excludes)}",
                self._header_line("excludes"),
            )
        wanted_meta = _dependency_metadata(self.settings.get("dependency-metadata", []))
        locked_meta = _dependency_metadata(manifest.get("dependency-metadata", []))
        if wanted_meta != locked_meta:
            self.report.stale(
                "RA504",
                "tool.uv.dependency-metadata differs from the metadata uv.lock was resolved with",
                self._header_line("dependency-metadata"),
            )
        if self.root.name is None:
            self._check_non_project_root(manifest)
        elif manifest.get("requirements"):
            self.report.stale(
                "RA504",
                "uv.lock records [manifest] requirements the project no longer has",
                self._header_line("requirements"),
            )

    def _check_non_project_root(self, manifest: Mapping[str, Any]) -> None:
        lowering = self.lowering(self.root)
        expected = {name: reqs for name, reqs in lowering.groups().items() if reqs}
        raw = manifest.get("dependency-groups", {})
        locked = {
            canonical_name(str(name)): self._locked_list(entries, f"dependency group {name}")
            for name, entries in (raw.items() if isinstance(raw, dict) else [])
            if entries
        }
        line = self._header_line("dependency-groups")
        for name in sorted(set(expected) | set(locked)):
            self._compare_sets(
                expected.get(name, []),
                locked.get(name, []),
                f"dependency group `{name}` of the workspace root",
                "uv.lock",
                line,
            )
        if manifest.get("requirements"):
            self.report.stale(
                "RA504",
                "uv.lock records [manifest] requirements the workspace no longer has",
                self._header_line("requirements"),
            )

    def _plain_requirements(self, setting: str) -> list[Req]:
        result = []
        for raw in self.settings.get(setting, []) or []:
            try:
                result.append(_parse_plain(str(raw), f"tool.uv.{setting}"))
            except ValueError as exc:
                self.report.unsure(f"tool.uv.{setting}: {exc}", path=self.root.pyproject_path)
        return result

    def _locked_plain(self, entries: Any, label: str) -> list[Req]:
        return self._locked_list(entries, label)

    # --------------------------------------------------------------------- members

    def _check_members(self) -> None:
        required: dict[str, bool] = {}  # member name -> editable
        # A non-project workspace root requires members through its dependency groups too.
        for member in self._all_projects():
            lowering = self.lowering(member)
            for req in lowering.all_requirements():
                if req.source[:1] in (("editable",), ("directory",), ("virtual",)):
                    target = lowering.member_at(req.source[1])
                    if target is not None and target is not member:
                        editable = req.source[0] != "directory"
                        required[target.name or ""] = required.get(target.name or "", True) and (
                            editable
                        )
        for name, member in self.members.items():
            packages = self.by_name.get(name, [])
            if not packages:
                self.report.stale(
                    "RA507",
                    f"workspace member `{name}` ({member.pyproject_path}) is missing from uv.lock",
                )
                continue
            package = packages[0]
            is_required = name in required
            expected_virtual = not member.is_package(not is_required)
            actual_virtual = package.kind == "virtual"
            if expected_virtual != actual_virtual:
                reason = _package_reason(member)
                now = "virtual (not built)" if expected_virtual else "a package (built)"
                was = "virtual" if actual_virtual else f"`{package.kind}`"
                self.report.stale(
                    "RA507",
                    f"`{name}` is locked as {was}, but {member.pyproject_path} now makes it "
                    f"{now}: {reason}",
                    package.line,
                )
                continue
            expected_editable = False if expected_virtual else required.get(name, True)
            actual_editable = package.kind == "editable"
            if expected_editable != actual_editable:
                self.report.stale(
                    "RA507",
                    f"`{name}` is locked as `{package.kind}`, but the workspace now requires it "
                    + ("editable" if expected_editable else "non-editable (editable = false)"),
                    package.line,
                )

    # ----------------------------------------------------------------- source trees

    def _check_source_trees(self) -> None:
        for package in self.lock.packages:
            if package.kind not in _SOURCE_TREE_KINDS:
                continue
            project = self._project_for(package)
            if project is None:
                continue
            parsed = _parse_block(self.lock.text, package.start, package.end)
            if isinstance(parsed, Finding):
                self.report.findings.append(parsed)
                continue
            self._check_package(package, parsed, project)

    def _project_for(self, package: LockedPackage) -> Project | None:
        member = self.members.get(package.name)
        directory = _normal_relpath(package.value)
        if member is not None and member.directory == directory:
            return member
        if directory is None:
            self.report.unsure(
                f"`{package.name}` comes from `{package.value}`, outside the repository",
                package.line,
            )
            return None
        pyproject = join_relpath(directory, "pyproject.toml")
        try:
            document = self.files.toml(pyproject)
        except FileProblem as problem:
            self.report.unsure(
                f"`{package.name}`'s {pyproject} cannot be read: {problem.message}",
                package.line,
            )
            return None
        if document is None:
            self.report.unsure(
                f"`{package.name}` comes from {package.value}, which has no pyproject.toml "
                "to compare with",
                package.line,
            )
            return None
        return Project(directory, document, False)

    def _check_package(
        self, package: LockedPackage, entry: Mapping[str, Any], project: Project
    ) -> None:
        text = self.lock.text
        metadata = entry.get("metadata", {})
        metadata = metadata if isinstance(metadata, dict) else {}
        name = package.name

        def line_of(needle: str) -> int:
            index = text.find(needle, package.start, package.end)
            return line_of_offset(text, index) if index >= 0 else package.line

        self._check_version(package, project)
        dynamic = project.dynamic
        if "dependencies" in dynamic or "optional-dependencies" in dynamic:
            self.report.unsure(
                f"`{name}` declares its dependencies as dynamic ({project.pyproject_path}); "
                "uv would build it to read them, so they cannot be verified statically",
                package.line,
            )
        else:
            lowering = self.lowering(project)
            if self.lock.revision >= 1:
                expected_extras = set(lowering.extras())
                actual_extras = {
                    canonical_name(str(extra)) for extra in metadata.get("provides-extras", [])
                }
                if expected_extras != actual_extras:
                    self._report_extras(name, project, expected_extras, actual_extras, line_of)
            expected = lowering.requires_dist()
            actual = self._locked_list(metadata.get("requires-dist", []), f"`{name}`")
            self_referential = any(req.name == name for req in expected)
            self._compare_sets(
                expected,
                actual,
                f"`{name}` ({project.pyproject_path})",
                "uv.lock",
                line_of("requires-dist"),
                lenient="version" in dynamic and self_referential,
            )
            if project is self.root and is_published(project.data):
                self._check_local_sources(name, actual, line_of("requires-dist"))
        self._check_groups(package, metadata, project, line_of)
        if self.lock.revision >= 5:
            self._check_group_requires_python(package, entry, project, line_of)

    def _check_group_requires_python(
        self, package: LockedPackage, entry: Mapping[str, Any], project: Project, line_of: Any
    ) -> None:
        """``[package.group-requires-python]`` (lock revision 5+) against the settings."""
        try:
            expected = self.lowering(project).group_requires_python()
        except ValueError as exc:
            self.report.unsure(
                f"a tool.uv.dependency-groups requires-python of `{package.name}` is invalid: "
                f"{exc}",
                package.line,
            )
            return
        raw = entry.get("group-requires-python", {})
        actual: dict[str, tuple[str, ...]] = {}
        for group, text in raw.items() if isinstance(raw, dict) else []:
            try:
                actual[canonical_name(str(group))] = pep508.specifier_clauses(str(text))
            except ValueError:
                self.report.stale(
                    "RA502",
                    f"uv.lock records an invalid requires-python for group `{group}`",
                    line_of("[package.group-requires-python]"),
                )
                return
        for group in sorted(set(expected) | set(actual)):
            if expected.get(group) == actual.get(group):
                continue
            wanted = ",".join(expected.get(group, ())) or "none"
            locked = ",".join(actual.get(group, ())) or "none"
            self.report.stale(
                "RA504",
                f"the requires-python of dependency group `{group}` of `{package.name}` is "
                f"`{wanted}` (tool.uv.dependency-groups, with the groups it includes), uv.lock "
                f"was resolved with `{locked}`",
                line_of("[package.group-requires-python]"),
            )

    def _check_local_sources(self, name: str, requirements: Sequence[Req], line: int) -> None:
        """A published package should not depend on local paths outside its workspace."""
        lowering = self.lowering(self.root)
        for req in requirements:
            if req.source[0] not in _PATH_KINDS or req.name == name:
                continue
            if lowering.member_at(req.source[1]) is not None:
                continue
            where = relative_posix(self.files.root.resolve(), Path(req.source[1]))
            self.report.findings.append(
                Finding(
                    "RA516",
                    f"the published package `{name}` depends on `{req.name}` from the local "
                    f"path `{where}`; the built wheel says only `{req.name}`, so users get it "
                    "from the index (or cannot install it)",
                    Severity.WARNING,
                    LOCK,
                    line,
                    f"publish `{req.name}` and depend on a released version, or move it into "
                    "the workspace",
                )
            )

    def _check_version(self, package: LockedPackage, project: Project) -> None:
        name = package.name
        if "version" in project.dynamic:
            if package.version is not None:
                self.report.stale(
                    "RA506",
                    f"uv.lock records version {package.version} for `{name}`, but "
                    f"{project.pyproject_path} now declares the version dynamic",
                    package.line,
                )
            return
        declared = project.project.get("version")
        if not isinstance(declared, str):
            return
        if package.version is None:
            self.report.stale(
                "RA506",
                f"uv.lock records `{name}` with a dynamic version, but "
                f"{project.pyproject_path} now sets version {declared}",
                package.line,
            )
            return
        from packaging.version import InvalidVersion, Version

        try:
            same = Version(declared) == Version(package.version)
        except InvalidVersion:
            self.report.unsure(
                f"the version of `{name}` ({declared!r} or {package.version!r}) is not valid "
                "PEP 440",
                package.line,
            )
            return
        if not same:
            self.report.stale(
                "RA506",
                f"uv.lock records `{name}` {package.version}, but {project.pyproject_path} "
                f"says version {declared}",
                package.line + 2,
                path=LOCK,
            )

    def _report_extras(
        self,
        name: str,
        project: Project,
        expected: set[str],
        actual: set[str],
        line_of: Any,
    ) -> None:
        parts = []
        if expected - actual:
            parts.append(
                f"{project.pyproject_path} adds extra "
                + ", ".join(f"`{e}`" for e in sorted(expected - actual))
            )
        if actual - expected:
            parts.append(
                "uv.lock still provides extra "
                + ", ".join(f"`{e}`" for e in sorted(actual - expected))
            )
        self.report.stale(
            "RA504", f"extras of `{name}` differ: " + "; ".join(parts), line_of("provides-extras")
        )

    def _check_groups(
        self,
        package: LockedPackage,
        metadata: Mapping[str, Any],
        project: Project,
        line_of: Any,
    ) -> None:
        lowering = self.lowering(project)
        include_empty = self.lock.revision >= 1
        expected = {
            group: reqs for group, reqs in lowering.groups().items() if include_empty or reqs
        }
        raw = metadata.get("requires-dev", {})
        actual = {
            canonical_name(str(group)): self._locked_list(entries, f"group {group}")
            for group, entries in (raw.items() if isinstance(raw, dict) else [])
            if include_empty or entries
        }
        line = line_of("[package.metadata.requires-dev]")
        for group in sorted(set(expected) - set(actual)):
            self.report.stale(
                "RA504",
                f"{project.pyproject_path} adds dependency group `{group}` to `{package.name}`, "
                "uv.lock has no such group",
                line,
            )
        for group in sorted(set(actual) - set(expected)):
            self.report.stale(
                "RA504",
                f"uv.lock still has dependency group `{group}` for `{package.name}`, "
                f"{project.pyproject_path} no longer declares it",
                line,
            )
        for group in sorted(set(expected) & set(actual)):
            self._compare_sets(
                expected[group],
                actual[group],
                f"group `{group}` of `{package.name}` ({project.pyproject_path})",
                "uv.lock",
                line,
            )

    # ------------------------------------------------------------------ comparison

    def _locked_list(self, entries: Any, label: str) -> list[Req]:
        result = []
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or "name" not in entry:
                continue
            try:
                result.append(_locked_requirement(entry, self.files.root))
            except (ValueError, pep508.Undecidable) as exc:
                self.report.unsure(f"uv.lock entry for {label} cannot be read: {exc}")
        return result

    def _compare_sets(
        self,
        expected: Sequence[Req],
        actual: Sequence[Req],
        where: str,
        locked_where: str,
        line: int | None,
        lenient: bool = False,
    ) -> None:
        missing, extra, unsure = _difference(expected, actual, lambda: self.bounds)
        for req in unsure:
            self.report.unsure(
                f"cannot compare `{req.display}` for {where} with uv.lock (its marker or "
                "specifier is outside what this check models)",
                line,
            )
        if not missing and not extra:
            return
        if lenient:
            self.report.unsure(
                f"the requirements of {where} differ from uv.lock, but its version is dynamic "
                "and it refers to its own extras, which uv flattens when it builds it",
                line,
            )
            return
        extra_by_name: dict[str, list[Req]] = {}
        for req in extra:
            extra_by_name.setdefault(req.name, []).append(req)
        for req in missing:
            previous = extra_by_name.pop(req.name, None)
            origin = f" ({req.origin})" if req.origin else ""
            if previous:
                recorded = ", ".join(f"`{old.display}`" for old in previous)
                self.report.stale(
                    "RA504",
                    f"`{req.name}` changed for {where}: pyproject declares `{req.display}`"
                    f"{origin}, {locked_where} records {recorded}",
                    line,
                )
            else:
                self.report.stale(
                    "RA504",
                    f"{where} adds `{req.display}`{origin}; {locked_where} has no such requirement",
                    line,
                )
        for reqs in extra_by_name.values():
            for req in reqs:
                self.report.stale(
                    "RA504",
                    f"{locked_where} still records `{req.display}` for {where}, which pyproject "
                    "no longer declares",
                    line,
                )

    # ------------------------------------------------------------------- helpers

    def lowering(self, project: Project) -> _Lowering:
        """The (cached) lowering of ``project``'s requirements."""
        key = f"{project.directory}:{project.is_member}"
        if key not in self._lowerings:
            self._lowerings[key] = _Lowering(self, project)
        return self._lowerings[key]

    def _all_projects(self) -> list[Project]:
        projects = list(self.members.values())
        if self.root not in projects:
            projects.insert(0, self.root)
        return projects

    def _header_line(self, key: str) -> int | None:
        text = self.lock.text
        end = self.lock.packages[0].start if self.lock.packages else len(text)
        match = re.search(rf"^{re.escape(key)}\s*=", text[:end], re.MULTILINE)
        if match is None:
            return None
        return line_of_offset(text, match.start())


# --------------------------------------------------------------------------- lowering


class _Lowering:
    """``tool.uv.sources`` applied to one project's requirements, as uv lowers them."""

    def __init__(self, comparer: _Comparer, project: Project) -> None:
        self.comparer = comparer
        self.project = project
        self.root_dir = comparer.files.root
        self.project_dir = (self.root_dir / project.directory).resolve()
        root_sources = comparer.root.tool_uv.get("sources", {}) if project.is_member else {}
        own_sources = project.tool_uv.get("sources", {})
        self.sources: dict[str, tuple[Any, Path]] = {}
        for sources, base in (
            (root_sources, self.root_dir.resolve()),
            (own_sources, self.project_dir),
        ):
            if isinstance(sources, dict):
                for name, spec in sources.items():
                    self.sources[canonical_name(str(name))] = (spec, base)
        self._requires_dist: list[Req] | None = None
        self._groups: dict[str, list[Req]] | None = None
        self.indexes: dict[str, str] = {}
        for candidate in comparer._all_projects():
            settings = comparer.settings if candidate is comparer.root else candidate.tool_uv
            for entry in settings.get("index", []) or []:
                if isinstance(entry, dict) and "name" in entry and "url" in entry:
                    self.indexes.setdefault(str(entry["name"]), str(entry["url"]))

    def member_at(self, path: str) -> Project | None:
        """The workspace member whose directory is ``path`` (absolute)."""
        for member in self.comparer.members.values():
            if str((self.root_dir / member.directory).resolve()) == path:
                return member
        return None

    def extras(self) -> list[str]:
        optional = self.project.project.get("optional-dependencies", {})
        if not isinstance(optional, dict):
            return []
        return [canonical_name(str(name)) for name in optional]

    def requires_dist(self) -> list[Req]:
        """``project.dependencies`` and optional dependencies, lowered (computed once)."""
        if self._requires_dist is None:
            self._requires_dist = self._compute_requires_dist()
        return list(self._requires_dist)

    def _compute_requires_dist(self) -> list[Req]:
        result = []
        for raw in self._strings(self.project.project.get("dependencies", []), "dependencies"):
            result.extend(self._lower(raw, "[project] dependencies", None))
        optional = self.project.project.get("optional-dependencies", {})
        for extra, items in optional.items() if isinstance(optional, dict) else []:
            name = canonical_name(str(extra))
            for raw in self._strings(items, f"optional-dependencies.{extra}"):
                result.extend(
                    self._lower(raw, f"[project.optional-dependencies] {extra}", ("extra", name))
                )
        return result

    def groups(self) -> dict[str, list[Req]]:
        """Dependency groups (``include-group`` expanded, legacy dev-dependencies in ``dev``)."""
        if self._groups is None:
            self._groups = self._compute_groups()
        return {name: list(reqs) for name, reqs in self._groups.items()}

    def _raw_groups(self) -> dict[str, tuple[str, Any]]:
        """``[dependency-groups]`` by normalized name: (name as written, entries)."""
        raw_groups = self.project.data.get("dependency-groups", {})
        raw_groups = raw_groups if isinstance(raw_groups, dict) else {}
        return {canonical_name(str(name)): (str(name), items) for name, items in raw_groups.items()}

    def group_requires_python(self) -> dict[str, tuple[str, ...]]:
        """What uv (lock revision 5+) records in ``[package.group-requires-python]``.

        Per group, the clauses of its own ``tool.uv.dependency-groups`` requires-python after
        those of the groups it includes (uv's ``requires_python_intersection``), as
        normalized clauses in a sorted tuple (uv compares them as a sorted list); groups
        without any are absent.
        """
        by_name = self._raw_groups()
        own = self._group_settings(by_name)
        resolved: dict[str, list[str]] = {}

        def resolve(name: str, stack: tuple[str, ...]) -> list[str]:
            if name in resolved or name in stack or name not in by_name:
                return resolved.get(name, [])
            clauses: list[str] = []
            items = by_name[name][1]
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and isinstance(item.get("include-group"), str):
                    included = canonical_name(item["include-group"])
                    clauses.extend(resolve(included, (*stack, name)))
            if name in own:
                clauses.extend(part for part in own[name].split(",") if part.strip())
            resolved[name] = clauses
            return clauses

        result = {}
        for name in by_name:
            clauses = resolve(name, ())
            if clauses:
                result[name] = pep508.specifier_clauses(",".join(clauses))
        return result

    def _compute_groups(self) -> dict[str, list[Req]]:
        by_name = self._raw_groups()
        markers = self._group_markers(by_name)
        result: dict[str, list[Req]] = {}
        for name, (original, _) in by_name.items():
            result[name] = []
            for raw, path in self._expand_group(name, by_name, []):
                label = f"[dependency-groups] {original}"
                added = [markers[group] for group in path if group in markers]
                for req in self._lower(raw, label, ("group", name)):
                    if added:
                        marker = req.marker
                        for group_marker in added:
                            marker = pep508.marker_and(marker, group_marker)
                        req = _with_marker(req, marker)
                    result[name].append(req)
        legacy = self.project.tool_uv.get("dev-dependencies")
        if isinstance(legacy, list):
            result.setdefault("dev", [])
            for raw in self._strings(legacy, "tool.uv.dev-dependencies"):
                result["dev"].extend(self._lower(raw, "tool.uv.dev-dependencies", ("group", "dev")))
        return result

    def all_requirements(self) -> list[Req]:
        reqs = self.requires_dist()
        for group in self.groups().values():
            reqs.extend(group)
        return reqs

    def _group_settings(self, groups: Mapping[str, tuple[str, Any]]) -> dict[str, str]:
        """``tool.uv.dependency-groups.<group>.requires-python`` by normalized group name."""
        settings = self.project.tool_uv.get("dependency-groups")
        result: dict[str, str] = {}
        for group, entry in settings.items() if isinstance(settings, dict) else []:
            name = canonical_name(str(group))
            requires = entry.get("requires-python") if isinstance(entry, dict) else None
            if name in groups and isinstance(requires, str):
                result[name] = requires
        return result

    def _group_markers(self, groups: Mapping[str, tuple[str, Any]]) -> dict[str, Marker]:
        """Each group's ``requires-python`` setting as a marker.

        uv adds the bounding range of a group's ``requires-python`` (``python_full_version
        >= '3.12'``) to each requirement of the group, included groups' requirements too.
        """
        settings = self.project.tool_uv.get("dependency-groups")
        for group in settings if isinstance(settings, dict) else []:
            if canonical_name(str(group)) not in groups:
                self.comparer.report.unsure(
                    f"tool.uv.dependency-groups names `{group}`, which is not a dependency "
                    "group (uv refuses the project)",
                    path=self.project.pyproject_path,
                )
        markers: dict[str, Marker] = {}
        for name, requires in self._group_settings(groups).items():
            try:
                marker = PythonBounds.from_specifiers([requires]).marker()
            except ValueError as exc:
                self.comparer.report.unsure(
                    f"tool.uv.dependency-groups.{name}.requires-python is invalid: {exc}",
                    path=self.project.pyproject_path,
                )
                continue
            if marker is not None:
                markers[name] = marker
        return markers

    def _expand_group(
        self, name: str, groups: Mapping[str, tuple[str, Any]], stack: list[str]
    ) -> list[tuple[str, tuple[str, ...]]]:
        """The group's requirement strings, ``include-group`` expanded, each with the groups
        it comes through (itself last), whose settings apply to it."""
        if name in stack:
            self.comparer.report.unsure(
                f"dependency group `{name}` includes itself", path=self.project.pyproject_path
            )
            return []
        entry = groups.get(name)
        if entry is None:
            self.comparer.report.unsure(
                f"include-group names an unknown group `{name}`", path=self.project.pyproject_path
            )
            return []
        strings: list[tuple[str, tuple[str, ...]]] = []
        for item in entry[1] if isinstance(entry[1], list) else []:
            if isinstance(item, str):
                strings.append((item, (name,)))
            elif isinstance(item, dict) and isinstance(item.get("include-group"), str):
                included = canonical_name(item["include-group"])
                strings.extend(
                    (raw, (*path, name))
                    for raw, path in self._expand_group(included, groups, [*stack, name])
                )
        return strings

    def _strings(self, items: Any, label: str) -> list[str]:
        if not isinstance(items, list):
            return []
        return [item for item in items if isinstance(item, str)]

    def _lower(self, raw: str, label: str, scope: tuple[str, str] | None) -> list[Req]:
        from packaging.requirements import InvalidRequirement, Requirement

        line = self.project.line_of_text(raw)
        origin = f"{self.project.pyproject_path}:{line}" if line else self.project.pyproject_path
        try:
            parsed = Requirement(raw)
        except InvalidRequirement as exc:
            self.comparer.report.unsure(
                f"`{raw}` in {label} is not a valid requirement: {exc}",
                path=self.project.pyproject_path,
                line=line,
            )
            return []
        name = canonical_name(parsed.name)
        extras = tuple(sorted(canonical_name(extra) for extra in parsed.extras))
        marker = pep508.marker_from_packaging(parsed.marker)
        scope_marker = None
        if scope is not None and scope[0] == "extra":
            scope_marker = pep508.parse_marker(f"extra == '{scope[1]}'")
        if scope is not None:
            origin += f", {scope[0]} `{scope[1]}`"
        root_dir = self.root_dir.resolve()

        def make(source: tuple[str, ...], specifier: str, mark: Marker | None) -> Req:
            display = raw.strip() + _describe_source(source, root_dir)
            if mark is not marker and mark is not None:
                display += f" when {mark.text}"
            return Req(
                name,
                extras,
                specifier,
                source,
                pep508.marker_and(mark, scope_marker),
                display,
                origin,
            )

        if parsed.url:
            return [make(_url_source(parsed.url, self.project_dir), "", marker)]
        specifier = str(parsed.specifier)
        registry = make(("registry", ""), specifier, marker)
        found = self.sources.get(name)
        if found is None:
            return [registry]
        spec, base = found
        entries = spec if isinstance(spec, list) else [spec]
        applicable = [
            entry for entry in entries if isinstance(entry, dict) and _source_applies(entry, scope)
        ]
        if not applicable:
            return [registry]
        lowered: list[Req] = []
        source_markers: list[pep508.Expr] = []
        for entry in applicable:
            try:
                entry_marker = pep508.parse_marker(entry.get("marker"))
            except ValueError:
                self.comparer.report.unsure(
                    f"tool.uv.sources marker for `{name}` is invalid",
                    path=self.project.pyproject_path,
                )
                return [registry]
            source_markers.append(pep508.expr_of(entry_marker))
            lowered_source = self._source(name, entry, base)
            if lowered_source is None:
                return [registry]
            source, keeps_specifier = lowered_source
            lowered.append(
                make(
                    source,
                    specifier if keeps_specifier else "",
                    pep508.marker_and(marker, entry_marker),
                )
            )
        covered = pep508.make_or(source_markers)
        if covered != pep508.TRUE:
            rest = pep508.make_and([pep508.expr_of(marker), pep508.make_not(covered)])
            if pep508.is_satisfiable(rest) is not False:
                lowered.append(
                    make(("registry", ""), specifier, Marker(pep508.marker_text(rest), rest))
                )
        return lowered

    def _source(
        self, name: str, entry: Mapping[str, Any], base: Path
    ) -> tuple[tuple[str, ...], bool] | None:
        if entry.get("workspace") is True:
            member = self.comparer.members.get(name)
            if member is None:
                self.comparer.report.unsure(
                    f"`{name}` uses a workspace source but is not a workspace member",
                    path=self.project.pyproject_path,
                )
                return None
            path = str((self.root_dir / member.directory).resolve())
            if member.tool_uv.get("package") is False:
                return ("virtual", path), False
            if entry.get("editable") is False:
                return ("directory", path), False
            return ("editable", path), False
        if isinstance(entry.get("path"), str):
            target = Path(os.path.normpath(base / entry["path"]))
            is_dir = target.is_dir() if target.exists() else not target.suffix
            if not is_dir:
                return ("path", str(target)), False
            if entry.get("editable") is True:
                return ("editable", str(target)), False
            if entry.get("package") is False or _tool_uv_package(target) is False:
                return ("virtual", str(target)), False
            return ("directory", str(target)), False
        if isinstance(entry.get("git"), str):
            params = {key: str(entry[key]) for key in ("rev", "tag", "branch") if key in entry}
            if entry.get("subdirectory"):
                params["subdirectory"] = str(entry["subdirectory"])
            if entry.get("lfs") is True:
                params["lfs"] = "true"
            return ("git", _strip_url(entry["git"]), _params(params)), False
        if isinstance(entry.get("url"), str):
            return (
                "url",
                _strip_url(entry["url"], keep_query=True),
                str(entry.get("subdirectory") or ""),
            ), False
        if isinstance(entry.get("index"), str):
            url = self.indexes.get(entry["index"])
            if url is None:
                self.comparer.report.unsure(
                    f"`{name}` uses index `{entry['index']}`, which is not defined",
                    path=self.project.pyproject_path,
                )
                return None
            return ("registry", _normal_url(url)), True
        self.comparer.report.unsure(
            f"tool.uv.sources entry for `{name}` has a form this check does not know",
            path=self.project.pyproject_path,
        )
        return None


# ----------------------------------------------------------------------- normalizing


def _describe_source(source: tuple[str, ...], root: Path) -> str:
    """`` @ editable packages/x`` style text for a lowered source (empty for the registry)."""
    kind = source[0]
    if kind in _PATH_KINDS:
        return f" @ {kind} {relative_posix(root, Path(source[1]))}"
    if kind == "git":
        query = f"?{source[2]}" if len(source) > 2 and source[2] else ""
        return f" @ git {source[1]}{query}"
    if kind == "url":
        return f" @ {source[1]}"
    if kind == "registry" and len(source) > 1 and source[1]:
        return f" (index {source[1]})"
    return ""


def _with_marker(req: Req, marker: Marker | None) -> Req:
    """``req`` with another marker (shown in its display)."""
    display = req.display if marker is None else f"{req.display} (as {marker.text})"
    return Req(req.name, req.extras, req.specifier, req.source, marker, display, req.origin)


def _source_applies(entry: Mapping[str, Any], scope: tuple[str, str] | None) -> bool:
    if "extra" in entry and scope != ("extra", canonical_name(str(entry["extra"]))):
        return False
    return not ("group" in entry and scope != ("group", canonical_name(str(entry["group"]))))


def _tool_uv_package(directory: Path) -> bool | None:
    try:
        from release_assistant.core.support.toml_lines import load_toml

        data = load_toml(directory / "pyproject.toml").data
    except FileProblem:
        return None
    value = data.get("tool", {}).get("uv", {}).get("package")
    return value if isinstance(value, bool) else None


def _parse_plain(raw: str, origin: str) -> Req:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        parsed = Requirement(raw)
    except InvalidRequirement as exc:
        raise ValueError(f"`{raw}` is not a valid requirement: {exc}") from None
    return Req(
        canonical_name(parsed.name),
        tuple(sorted(canonical_name(extra) for extra in parsed.extras)),
        str(parsed.specifier),
        ("registry", ""),
        pep508.marker_from_packaging(parsed.marker),
        raw.strip(),
        origin,
    )


def _locked_requirement(entry: Mapping[str, Any], root: Path) -> Req:
    name = canonical_name(str(entry["name"]))
    extras = tuple(sorted(canonical_name(str(extra)) for extra in entry.get("extras", [])))
    marker_text = entry.get("marker")
    marker = pep508.parse_marker(str(marker_text)) if marker_text else None
    specifier = str(entry.get("specifier", ""))
    pep508.specifier_key(specifier)  # uv cannot read an invalid one: ValueError, reported
    index = _normal_url(str(entry["index"])) if "index" in entry else ""
    source: tuple[str, ...] = ("registry", index)
    described = ""
    for kind in _PATH_KINDS:
        if kind in entry:
            path = os.path.normpath(os.path.join(root.resolve(), str(entry[kind])))
            source = (kind, path)
            described = f" @ {kind} {entry[kind]}"
            break
    else:
        if "git" in entry:
            base, params = _split_git(str(entry["git"]))
            if entry.get("subdirectory"):
                params["subdirectory"] = str(entry["subdirectory"])
            source = ("git", base, _params(params))
            described = f" @ git {entry['git']}"
        elif "url" in entry:
            source = (
                "url",
                _strip_url(str(entry["url"]), keep_query=True),
                str(entry.get("subdirectory") or ""),
            )
            described = f" @ {entry['url']}"
        elif "index" in entry:
            described = f" (index {entry['index']})"
    extras_text = f"[{','.join(extras)}]" if extras else ""
    spec_text = str(entry.get("specifier", ""))
    display = f"{name}{extras_text}{spec_text}{described}"
    if marker_text:
        display += f"; {marker_text}"
    return Req(name, extras, specifier, source, marker, display)


def _difference(
    expected: Sequence[Req],
    actual: Sequence[Req],
    bounds: Callable[[], PythonBounds | None],
) -> tuple[list[Req], list[Req], list[Req]]:
    """Set difference under uv's requirement equality: (missing, extra, undecidable).

    Name, extras and source must be equal; specifier sets and markers are compared
    semantically (:func:`pep508.specifiers_equivalent`, :func:`pep508.markers_equivalent`).
    """
    actual_by_key: dict[Any, list[Req]] = {}
    for req in actual:
        actual_by_key.setdefault(req.key, []).append(req)
    expected_by_key: dict[Any, list[Req]] = {}
    for req in expected:
        expected_by_key.setdefault(req.key, []).append(req)
    missing: list[Req] = []
    extra: list[Req] = []
    unsure: list[Req] = []
    for reqs, others, sink in (
        (expected, actual_by_key, missing),
        (actual, expected_by_key, extra),
    ):
        for req in reqs:
            candidates = others.get(req.key, [])
            verdicts = [_same_requirement(req, other, bounds) for other in candidates]
            if any(verdict is True for verdict in verdicts):
                continue
            if any(verdict is None for verdict in verdicts):
                if sink is missing:
                    unsure.append(req)
                continue
            sink.append(req)
    return missing, extra, unsure


def _same_requirement(
    first: Req, second: Req, bounds: Callable[[], PythonBounds | None]
) -> bool | None:
    """Equal (``True``), different (``False``) or undecidable (``None``) for uv."""
    if first.specifier != second.specifier:
        try:
            same_versions = pep508.specifiers_equivalent(first.specifier, second.specifier)
        except ValueError:
            return None
        if same_versions is not True:
            return same_versions
    marker, other = first.marker, second.marker
    if (marker.text if marker else "") == (other.text if other else ""):
        return True  # settled without reading the lock's requires-python
    return pep508.markers_equivalent(marker, other, bounds())


def _dependency_metadata(entries: Any) -> set[tuple[Any, ...]]:
    result = set()
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        version = entry.get("version")
        result.add(
            (
                canonical_name(str(entry.get("name", ""))),
                _version_key(str(version)) if version else None,
                frozenset(str(item).replace(" ", "") for item in entry.get("requires-dist", [])),
                str(entry.get("requires-python", "")).replace(" ", ""),
                frozenset(canonical_name(str(item)) for item in entry.get("provides-extras", [])),
            )
        )
    return result


def _version_key(text: str) -> str:
    """A version as PEP 440 equality sees it (``1.0`` equals ``1.0.0``); invalid ones as is."""
    from packaging.utils import canonicalize_version

    return str(canonicalize_version(text, strip_trailing_zero=True))


def _url_source(url: str, base: Path) -> tuple[str, ...]:
    """The source of a PEP 508 direct reference (``name @ url``)."""
    if url.startswith("git+"):
        base_url, params = _split_git_pep508(url[4:])
        return ("git", base_url, _params(params))
    if url.startswith("file:"):
        from urllib.request import url2pathname

        path = Path(url2pathname(urlsplit(url).path))
        target = path if path.is_absolute() else base / path
        kind = "directory" if target.is_dir() or not target.suffix else "path"
        return (kind, os.path.normpath(target))
    parts = urlsplit(url)
    subdirectory = dict(parse_qsl(parts.fragment)).get("subdirectory", "")
    return ("url", _strip_url(url, keep_query=True), subdirectory)


def _split_git(url: str) -> tuple[str, dict[str, str]]:
    """A lock's git URL (``https://host/repo?tag=v1#sha``) as base URL and parameters."""
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    return _strip_url(urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))), params


def _split_git_pep508(url: str) -> tuple[str, dict[str, str]]:
    """``https://host/repo@ref#subdirectory=x`` as base URL and parameters."""
    parts = urlsplit(url)
    path = parts.path
    params: dict[str, str] = {}
    if "@" in path.rsplit("/", 1)[-1]:
        path, ref = path.rsplit("@", 1)
        params["rev"] = ref
    fragment = dict(parse_qsl(parts.fragment))
    if fragment.get("subdirectory"):
        params["subdirectory"] = fragment["subdirectory"]
    return _strip_url(urlunsplit((parts.scheme, parts.netloc, path, "", ""))), params


def _params(params: Mapping[str, str]) -> str:
    return "&".join(f"{key}={value}" for key, value in sorted(params.items()))


def _strip_url(url: str, keep_query: bool = False) -> str:
    """A URL without credentials, fragment (and query), with a lower-case host."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    netloc = host.lower() + (f":{parts.port}" if parts.port else "")
    query = parts.query if keep_query else ""
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, query, ""))


def _normal_url(url: str) -> str:
    # uv compares index URLs as written (minus credentials): a trailing slash counts.
    return _strip_url(url, keep_query=True)


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, "***@" + netloc, parts.path, parts.query, parts.fragment))


def _normal_relpath(value: str) -> str | None:
    """A lock's relative source path as a root-relative POSIX path; ``None`` outside the root."""
    if not value or value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", value):
        return None
    normal = os.path.normpath(value.replace("\\", "/"))
    if normal == ".." or normal.startswith("../"):
        return None
    return PurePosixPath(normal).as_posix()


def is_published(data: Mapping[str, Any]) -> bool:
    """True for a project that builds a distribution meant for an index.

    A project is published when it is a package (``tool.uv.package``, else a
    ``[build-system]``) and does not carry the ``Private :: Do Not Upload`` classifier.
    """
    project = data.get("project")
    if not isinstance(project, dict):
        return False
    tool = data.get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    explicit = uv.get("package") if isinstance(uv, dict) else None
    if explicit is False or (explicit is None and "build-system" not in data):
        return False
    classifiers = project.get("classifiers", [])
    return not (isinstance(classifiers, list) and "Private :: Do Not Upload" in classifiers)


def _package_reason(member: Project) -> str:
    explicit = member.tool_uv.get("package")
    if isinstance(explicit, bool):
        return f"tool.uv.package = {str(explicit).lower()}"
    if "build-system" in member.data:
        return "it has a [build-system]"
    return "it has no [build-system]"


def _where(setting: str, variable: str) -> str:
    return f"tool.uv.{setting} or {variable}"


def _cutoff_difference(
    label: str, wanted: str | None, locked_text: str | None, locked: exclude_newer.Cutoff | None
) -> tuple[str, bool] | None:
    """How an ``exclude-newer`` setting differs from the lock's, and whether that is
    decided (``False``: the values cannot be compared); ``None`` when they agree."""
    if wanted is None and locked_text is None:
        return None
    if wanted is None or locked_text is None:
        state = "without" if locked_text is None else f"with {label} `{locked_text}`"
        now = "sets" if wanted is not None else "no longer sets"
        shown = f" `{wanted}`" if wanted is not None else ""
        return f"uv.lock was resolved {state}; the project {now} {label}{shown}", True
    setting = exclude_newer.parse_setting(wanted)
    if setting is None or locked is None:
        return f"{label} `{wanted}` cannot be compared with the lock's `{locked_text}`", False
    if setting.span is not None and any(setting.span[:2]):
        return f"{label} `{wanted}` uses years or months, which uv refuses (use days)", False
    if exclude_newer.same(setting, locked):
        return None
    detail = ""
    if setting.moving != locked.moving:
        now = "a duration" if setting.moving else "a fixed date"
        was = "a duration" if locked.moving else "a fixed date"
        detail = f" ({now} now, {was} in the lock)"
    return (
        f"uv.lock was resolved with {label} `{locked_text}`, the project now sets "
        f"`{wanted}`{detail}",
        True,
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def iter_registry_urls(lock: ScannedLock) -> Iterable[tuple[str, int]]:
    """The registry URLs of the lock's packages, with the line of each first use."""
    seen: set[str] = set()
    for package in lock.packages:
        if package.kind == "registry" and package.value not in seen:
            seen.add(package.value)
            yield package.value, package.line
