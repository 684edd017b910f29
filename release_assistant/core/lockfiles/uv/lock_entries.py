"""The model of a ``uv.lock`` comparison: the lock's packages, normalized requirements, the
projects they come from, and the findings collected so far.

Emits RA509 (:meth:`Report.unsure`) and, through :meth:`Report.stale`, the codes its callers
name; every one carries the ``uv lock`` hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.lockfiles.files import join_relpath
from release_assistant.core.lockfiles.pep508.names import canonical_name
from release_assistant.core.lockfiles.text import line_of_offset
from release_assistant.core.rules.lock import NOT_VERIFIABLE_STATICALLY
from release_assistant.core.rules.rule import Rule
from release_assistant.core.support.toml_lines import TomlDocument

if TYPE_CHECKING:
    from release_assistant.core.lockfiles.pep508.markers import Marker

LOCK = "uv.lock"
# One-line TOML strings without escapes (a string with escapes is searched for as written).
_QUOTED = re.compile(r'"([^"\\\n]*)"|\'([^\'\n]*)\'')
HINT = "run `uv lock` and commit the updated uv.lock"
#: Lock sources uv builds from a directory: their ``[[package]]`` metadata is compared.
SOURCE_TREE_KINDS = frozenset({"editable", "directory", "virtual"})
#: Sources that are local paths (recorded relative to the workspace root).
PATH_KINDS = ("editable", "directory", "virtual", "path")


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
    #: Built on first use by :meth:`line_of_text`: every quoted string's first line.
    _quoted_lines: dict[str, int] | None = field(default=None, repr=False, compare=False)

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
        """The line where ``needle`` (e.g. a requirement string) is written.

        The quoted strings of the file are indexed once: a search of the text for each of
        20,000 dependencies was quadratic in their number.
        """
        if self._quoted_lines is None:
            self._quoted_lines = _quoted_lines(self.document.text)
        line = self._quoted_lines.get(needle)
        if line is not None:
            return line
        text = self.document.text  # escapes and the like: the plain search
        for quoted in (f'"{needle}"', f"'{needle}'"):
            index = text.find(quoted)
            if index >= 0:
                return line_of_offset(text, index)
        return None


def _quoted_lines(text: str) -> dict[str, int]:
    """Each one-line quoted string's content -> the line of its first occurrence, a
    double-quoted one before a single-quoted one (as :meth:`Project.line_of_text` searches)."""
    double: dict[str, int] = {}
    single: dict[str, int] = {}
    number = 1
    counted = 0
    for match in _QUOTED.finditer(text):
        start = match.start()
        number += text.count("\n", counted, start)
        counted = start
        if match.group(1) is not None:
            double.setdefault(match.group(1), number)
        else:
            single.setdefault(match.group(2), number)
    return single | double


@dataclass(slots=True)
class Report:
    """Findings collected while comparing; every one carries the ``uv lock`` hint."""

    findings: list[Finding] = field(default_factory=list)

    def stale(self, rule: Rule, message: str, line: int | None = None, path: str = LOCK) -> None:
        self.findings.append(Finding(rule.code, message, Severity.ERROR, path, line, HINT))

    def unsure(self, message: str, line: int | None = None, path: str = LOCK) -> None:
        self.findings.append(
            Finding(
                NOT_VERIFIABLE_STATICALLY.code,
                message,
                Severity.WARNING,
                path,
                line,
                "run `uv lock --check` to let uv decide (it may build the project)",
            )
        )
