"""``pdm.lock``: recompute ``[metadata] content_hash`` the way PDM does.

PDM (``pdm lock --check``, ``Project.is_lockfile_fresh``) compares ``content_hash =
"sha256:<hex>"`` with the hash of ``json.dumps(d, sort_keys=True)`` where ``d`` holds
``sources`` (``tool.pdm.source``), ``dependencies``, ``dev-dependencies`` (the
``[dependency-groups]`` under normalized names, extended with ``tool.pdm.dev-dependencies``),
``optional-dependencies``, ``requires-python`` and ``resolution`` (``tool.pdm.resolution``).
A workspace root (``tool.pdm.workspace``) hashes its own hash with each member's path and hash.

Older PDM releases hashed ``overrides`` instead of ``resolution`` (before 2.16) and the raw
``tool.pdm.dev-dependencies`` (before 2.20); a lock matching only those formulas is reported as
a warning, since the lock does not say which PDM wrote it. Locks with ``lock_inputs``
(PDM 2.28.1+ with ``resolution.lock_inputs``) are validated by PDM against canonical inputs this
check does not recompute: they are reported as a warning, never as a failure.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.lockfiles.generic import duplicate_name_versions
from release_assistant.core.lockfiles.pep508.names import canonical_name
from release_assistant.core.lockfiles.pyproject_shape import describe_number, overlong_number
from release_assistant.core.lockfiles.shape import PDM_LINES, wrong_type_line
from release_assistant.core.lockfiles.text import (
    TomlProblem,
    first_suspect_line,
    key_line,
    line_of_offset,
    malformed_finding,
    parse_full,
    parse_slice,
    syntax_finding,
)
from release_assistant.core.rules.lock import (
    NOT_VERIFIABLE_STATICALLY,
    PDM_IGNORED_DUPLICATE,
    PDM_LOCK_INPUTS,
    STALE_PDM_HASH,
    UNKNOWN_LOCK_VERSION,
    UNREADABLE_LOCK,
)

LOCK = "pdm.lock"
HINT = "run `pdm lock` and commit the updated pdm.lock"
#: The lock format this PDM generation writes (``PDMLock.spec_version``).
SPEC_VERSION = (4, 5)

PyprojectReader = Callable[[str], Mapping[str, Any] | None]


def _settings(pyproject: Mapping[str, Any]) -> Mapping[str, Any]:
    tool = pyproject.get("tool", {})
    pdm = tool.get("pdm", {}) if isinstance(tool, Mapping) else {}
    return pdm if isinstance(pdm, Mapping) else {}


def dev_dependencies(pyproject: Mapping[str, Any]) -> dict[str, list[Any]]:
    """PDM's ``dev_dependencies``: normalized dependency groups plus legacy dev-dependencies."""
    groups: dict[str, list[Any]] = {}
    for group, deps in (pyproject.get("dependency-groups", {}) or {}).items():
        groups[canonical_name(str(group))] = list(deps)
    for group, deps in (_settings(pyproject).get("dev-dependencies", {}) or {}).items():
        groups.setdefault(canonical_name(str(group)), []).extend(deps)
    return groups


def content_hash(pyproject: Mapping[str, Any], algo: str = "sha256", formula: str = "2.20") -> str:
    """The hash PDM computes for one ``pyproject.toml`` (``formula``: 2.20, 2.16 or 2.0)."""
    settings = _settings(pyproject)
    project = pyproject.get("project", {}) or {}
    data: dict[str, Any] = {
        "sources": settings.get("source", []),
        "dependencies": project.get("dependencies", []),
        "dev-dependencies": dev_dependencies(pyproject)
        if formula == "2.20"
        else settings.get("dev-dependencies", {}),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "requires-python": project.get("requires-python", ""),
    }
    if formula == "2.0":
        resolution = settings.get("resolution", {}) or {}
        data["overrides"] = settings.get("overrides", resolution.get("overrides", {}))
    else:
        data["resolution"] = settings.get("resolution", {})
    hasher = hashlib.new(algo)
    hasher.update(json.dumps(data, sort_keys=True).encode("utf-8"))
    return hasher.hexdigest()


def workspace_hash(
    root: Path,
    pyproject: Mapping[str, Any],
    read: PyprojectReader,
    algo: str = "sha256",
    formula: str = "2.20",
) -> str:
    """``content_hash`` including workspace members, as ``WorkspaceManager.content_hash``."""
    own = content_hash(pyproject, algo, formula)
    workspace = _settings(pyproject).get("workspace")
    if not workspace:
        return own
    hasher = hashlib.new(algo)
    hasher.update(own.encode("utf-8"))
    for relpath in _members(root, workspace):
        member = read(f"{relpath}/pyproject.toml")
        if member is None:
            continue
        hasher.update(b"\0")
        hasher.update(relpath.encode("utf-8"))
        hasher.update(b"\0")
        hasher.update(content_hash(member, algo, formula).encode("utf-8"))
    return hasher.hexdigest()


def _members(root: Path, workspace: Any) -> list[str]:
    patterns = workspace.get("members", []) if isinstance(workspace, Mapping) else []
    resolved_root = root.resolve()
    seen: set[Path] = set()
    members = []
    for pattern in patterns:
        if not isinstance(pattern, str):
            continue
        paths = root.glob(pattern) if any(c in pattern for c in "*?[") else [root / pattern]
        for path in paths:
            path = path.resolve()
            if path in seen or not path.is_dir() or not (path / "pyproject.toml").is_file():
                continue
            seen.add(path)
            members.append(path.relative_to(resolved_root).as_posix())
    return sorted(members)


def check(
    text: str, root: Path, pyproject: Mapping[str, Any] | None, read: PyprojectReader
) -> list[Finding]:
    """Every reason ``pdm lock --check`` would call ``text`` stale."""
    metadata = _metadata(text)
    if isinstance(metadata, Finding):
        return [metadata]
    line = metadata.pop("__line__", None)
    version = str(metadata.get("lock_version", ""))
    overlong = overlong_number(version)
    if overlong is not None:
        return [
            Finding(
                UNREADABLE_LOCK.code,
                f"pdm.lock cannot be read by PDM: lock_version holds the number "
                f"{describe_number(overlong[1])}",
                Severity.ERROR,
                LOCK,
                line,
                "regenerate it with `pdm lock` (PDM refuses to read it as it is)",
            )
        ]
    if not _compatible(version):
        return [
            Finding(
                UNKNOWN_LOCK_VERSION.code,
                f"pdm.lock has lock_version {version or '(none)'}; this check knows "
                f"{SPEC_VERSION[0]}.x up to {SPEC_VERSION[0]}.{SPEC_VERSION[1]}, so it cannot "
                "verify it",
                Severity.WARNING,
                LOCK,
                line,
                "run `pdm lock --check` with the PDM that wrote it",
            )
        ]
    if "lock_inputs" in metadata:
        return [
            Finding(
                PDM_LOCK_INPUTS.code,
                "pdm.lock records lock_inputs (PDM 2.28.1+), which PDM validates instead of the "
                "content hash; this check does not recompute them",
                Severity.WARNING,
                LOCK,
                line,
                "run `pdm lock --check` to verify it",
            )
        ]
    if pyproject is None:
        return []
    if not isinstance(pyproject.get("project"), Mapping) or not pyproject.get("project"):
        return [
            Finding(
                NOT_VERIFIABLE_STATICALLY.code,
                "pyproject.toml has no [project] table; PDM would convert it from another "
                "format first, so the hash cannot be recomputed statically",
                Severity.WARNING,
                LOCK,
                line,
                "run `pdm lock --check`",
            )
        ]
    resolution = _settings(pyproject).get("resolution", {}) or {}
    if isinstance(resolution, Mapping) and resolution.get("lock_inputs") is True:
        return [
            Finding(
                STALE_PDM_HASH.code,
                "tool.pdm.resolution.lock_inputs is true but pdm.lock has no lock_inputs; PDM "
                "treats it as stale",
                Severity.ERROR,
                LOCK,
                line,
                HINT,
            )
        ]
    recorded = str(metadata.get("content_hash", ""))
    algo, separator, value = recorded.partition(":")
    if not separator or not value:
        return [
            Finding(
                STALE_PDM_HASH.code,
                "pdm.lock records no content_hash, so PDM treats it as stale",
                Severity.ERROR,
                LOCK,
                line,
                HINT,
            )
        ]
    try:
        current = workspace_hash(root, pyproject, read, algo)
        if current == value:
            return []
        older = [
            workspace_hash(root, pyproject, read, algo, formula) for formula in ("2.16", "2.0")
        ]
    except (ValueError, TypeError) as exc:
        return [
            Finding(
                NOT_VERIFIABLE_STATICALLY.code,
                f"the content_hash cannot be recomputed: {exc}",
                Severity.WARNING,
                LOCK,
                line,
                "run `pdm lock --check`",
            )
        ]
    hash_line = key_line(text, "content_hash") or line
    if value in older:
        return [
            Finding(
                NOT_VERIFIABLE_STATICALLY.code,
                "pdm.lock's content_hash matches the formula of an older PDM (before 2.20); "
                "current PDM considers it stale",
                Severity.WARNING,
                LOCK,
                hash_line,
                HINT,
            )
        ]
    where = "pyproject.toml"
    if _settings(pyproject).get("workspace"):
        where = "pyproject.toml and its workspace members"
    return [
        Finding(
            STALE_PDM_HASH.code,
            f"pdm.lock is stale: its content_hash {value[:12]}… does not match {where} "
            f"(expected {current[:12]}…); the dependencies, dependency groups, requires-python, "
            "tool.pdm.source or tool.pdm.resolution changed since `pdm lock`",
            Severity.ERROR,
            LOCK,
            hash_line,
            HINT,
        )
    ]


def recorded_versions(text: str) -> dict[str, str] | Finding:
    """The project versions ``pdm lock --check`` holds ``text`` to: ``{name: version}``.

    Only a lock with ``[metadata] lock_inputs`` (PDM 2.28.1+) records any: the ``package``
    table of each workspace member and local path project (checked against their
    ``pyproject.toml``). The root project's own version is never recorded, and a lock validated
    by ``content_hash`` leaves every version out of the hash, so both give ``{}``. Names are
    PEP 503 normalized; a dynamic version (recorded as ``""``) is left out. A finding when the
    lock's metadata cannot be read.
    """
    metadata = _metadata(text)
    if isinstance(metadata, Finding):
        return metadata
    versions: dict[str, str] = {}

    def visit(value: Any) -> None:
        if isinstance(value, Mapping):
            package = value.get("package")
            if isinstance(package, Mapping):
                name, version = package.get("name"), package.get("version")
                if isinstance(name, str) and isinstance(version, str) and version:
                    versions[canonical_name(name)] = version
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)

    visit(metadata.get("lock_inputs"))
    return versions


#: Top-level keys of a ``[[package]]`` entry that, besides name and version, make up PDM's
#: candidate key (``LockedRepository._identify_candidate``: name with extras, URL, editable).
_IDENTITY_FIELD = re.compile(
    r"^(extras|path|url|git|ref|revision|subdirectory|editable) = (.*)$", re.MULTILINE
)
_QUOTED = re.compile(r'"([^"]*)"')


def duplicates(text: str) -> list[Finding]:
    """Entries PDM keys alike: same name, version, requested extras, URL or path, editable.

    PDM locks one package once plain and once per set of requested extras (``coverage`` and
    ``coverage[toml]``, both 7.13.5): those are distinct entries. A true duplicate does not
    make ``pdm lock --check`` fail (PDM keeps the last entry silently): RA521, a warning.
    """
    return duplicate_name_versions(
        text,
        LOCK,
        "pdm lock",
        _entry_identity,
        PDM_IGNORED_DUPLICATE,
        "; PDM silently keeps the last of them",
    )


def _entry_identity(text: str, start: int, end: int) -> tuple[str, ...]:
    fields: dict[str, str] = {}
    for match in _IDENTITY_FIELD.finditer(text, start, end):
        fields.setdefault(match[1], match[2].strip())
    extras = sorted({canonical_name(item) for item in _QUOTED.findall(fields.pop("extras", ""))})
    return (",".join(extras), *(f"{key}={fields[key]}" for key in sorted(fields)))


def _compatible(version: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        release = Version(version).release
    except (InvalidVersion, ValueError):  # ValueError: over 4,300 digits
        return False
    major, minor = (*release, 0)[:2]
    return major == SPEC_VERSION[0] and minor <= SPEC_VERSION[1]


def _metadata(text: str) -> dict[str, Any] | Finding:
    first_package = text.find("\n[[package]]")
    end = first_package + 1 if first_package >= 0 else len(text)
    parsed = parse_slice(text, 0, end)
    if isinstance(parsed, TomlProblem):
        return syntax_finding(parsed, LOCK, "pdm lock", "PDM")
    if first_suspect_line(text, end) is not None:
        problem = parse_full(text)
        if isinstance(problem, TomlProblem):
            return syntax_finding(problem, LOCK, "pdm lock", "PDM")
    wrong = wrong_type_line(text, PDM_LINES)
    if wrong is not None:
        return malformed_finding(LOCK, wrong[1], wrong[0], "pdm lock", "PDM")
    metadata = parsed.get("metadata")
    if not isinstance(metadata, dict):
        return Finding(
            STALE_PDM_HASH.code,
            "pdm.lock has no [metadata] table; PDM cannot use it",
            Severity.ERROR,
            LOCK,
            None,
            HINT,
        )
    result = dict(metadata)
    index = text.find("[metadata]")
    result["__line__"] = line_of_offset(text, index) if index >= 0 else None
    return result
