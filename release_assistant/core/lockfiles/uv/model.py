"""The model of a ``uv.lock`` comparison: the lock's packages, normalized requirements, the
projects they come from, and the findings collected so far.

Emits RA509 (:meth:`Report.unsure`) and, through :meth:`Report.stale`, the codes its callers
name; every one carries the ``uv lock`` hint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.lockfiles.files import join_relpath
from release_assistant.core.lockfiles.pep508.names import canonical_name
from release_assistant.core.lockfiles.text import line_of_offset
from release_assistant.core.support.toml_lines import TomlDocument

if TYPE_CHECKING:
    from release_assistant.core.lockfiles.pep508.markers import Marker

LOCK = "uv.lock"
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
