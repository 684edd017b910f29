"""Each source-tree package of the lock (workspace members and local path dependencies)
against its ``pyproject.toml``: the static version, ``provides-extras``, ``requires-dist``,
``requires-dev`` (dependency groups) and, from lock revision 5,
``[package.group-requires-python]``.

Emits RA502, RA504 (metadata changed), RA506 (version changed), RA509 and RA516 (a published
package depending on a local path outside the workspace).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.lockfiles.files import join_relpath, relative_posix
from release_assistant.core.lockfiles.pep508.names import canonical_name
from release_assistant.core.lockfiles.pep508.specifiers import specifier_clauses
from release_assistant.core.lockfiles.pyproject_shape import describe_number, overlong_number
from release_assistant.core.lockfiles.text import line_of_offset
from release_assistant.core.lockfiles.uv.compare import Comparison
from release_assistant.core.lockfiles.uv.lock_entries import (
    LOCK,
    PATH_KINDS,
    SOURCE_TREE_KINDS,
    LockedPackage,
    Project,
    Req,
)
from release_assistant.core.lockfiles.uv.scan import parse_block
from release_assistant.core.lockfiles.uv.sources import normal_relpath
from release_assistant.core.lockfiles.uv.workspace import is_published
from release_assistant.core.rules.lock import (
    LOCAL_PATH_DEPENDENCY,
    STALE_DEPENDENCY,
    STALE_PROJECT_VERSION,
    UNREADABLE_LOCK,
)
from release_assistant.core.support.textfiles import FileProblem


def check_source_trees(c: Comparison) -> None:
    """Every source-tree package of the lock against its ``pyproject.toml``."""
    for package in c.lock.packages:
        if package.kind not in SOURCE_TREE_KINDS:
            continue
        project = _project_for(c, package)
        if project is None:
            continue
        parsed = parse_block(c.lock.text, package.start, package.end)
        if isinstance(parsed, Finding):
            c.report.findings.append(parsed)
            continue
        _check_package(c, package, parsed, project)


def _project_for(c: Comparison, package: LockedPackage) -> Project | None:
    member = c.members.get(package.name)
    directory = normal_relpath(package.value)
    if member is not None and member.directory == directory:
        return member
    if directory is None:
        c.report.unsure(
            f"`{package.name}` comes from `{package.value}`, outside the repository",
            package.line,
        )
        return None
    pyproject = join_relpath(directory, "pyproject.toml")
    try:
        document = c.files.toml(pyproject)
    except FileProblem as problem:
        c.report.unsure(
            f"`{package.name}`'s {pyproject} cannot be read: {problem.message}",
            package.line,
        )
        return None
    if document is None:
        c.report.unsure(
            f"`{package.name}` comes from {package.value}, which has no pyproject.toml "
            "to compare with",
            package.line,
        )
        return None
    return Project(directory, document, False)


def _check_package(
    c: Comparison, package: LockedPackage, entry: Mapping[str, Any], project: Project
) -> None:
    text = c.lock.text
    metadata = entry.get("metadata", {})
    metadata = metadata if isinstance(metadata, dict) else {}
    name = package.name

    def line_of(needle: str) -> int:
        index = text.find(needle, package.start, package.end)
        return line_of_offset(text, index) if index >= 0 else package.line

    _check_version(c, package, project)
    dynamic = project.dynamic
    if "dependencies" in dynamic or "optional-dependencies" in dynamic:
        c.report.unsure(
            f"`{name}` declares its dependencies as dynamic ({project.pyproject_path}); "
            "uv would build it to read them, so they cannot be verified statically",
            package.line,
        )
    else:
        lowering = c.lowering(project)
        if c.lock.revision >= 1:
            expected_extras = set(lowering.extras())
            actual_extras = {
                canonical_name(str(extra)) for extra in metadata.get("provides-extras", [])
            }
            if expected_extras != actual_extras:
                _report_extras(c, name, project, expected_extras, actual_extras, line_of)
        expected = lowering.requires_dist()
        actual = c.locked_list(metadata.get("requires-dist", []), f"`{name}`")
        self_referential = any(req.name == name for req in expected)
        c.compare_sets(
            expected,
            actual,
            f"`{name}` ({project.pyproject_path})",
            "uv.lock",
            line_of("requires-dist"),
            lenient="version" in dynamic and self_referential,
        )
        if project is c.root and is_published(project.data):
            _check_local_sources(c, name, actual, line_of("requires-dist"))
    _check_groups(c, package, metadata, project, line_of)
    if c.lock.revision >= 5:
        _check_group_requires_python(c, package, entry, project, line_of)


def _check_group_requires_python(
    c: Comparison, package: LockedPackage, entry: Mapping[str, Any], project: Project, line_of: Any
) -> None:
    """``[package.group-requires-python]`` (lock revision 5+) against the settings."""
    try:
        expected = c.lowering(project).group_requires_python()
    except ValueError as exc:
        c.report.unsure(
            f"a tool.uv.dependency-groups requires-python of `{package.name}` is invalid: {exc}",
            package.line,
        )
        return
    raw = entry.get("group-requires-python", {})
    actual: dict[str, tuple[str, ...]] = {}
    for group, text in raw.items() if isinstance(raw, dict) else []:
        try:
            actual[canonical_name(str(group))] = specifier_clauses(str(text))
        except ValueError:
            c.report.stale(
                UNREADABLE_LOCK,
                f"uv.lock records an invalid requires-python for group `{group}`",
                line_of("[package.group-requires-python]"),
            )
            return
    for group in sorted(set(expected) | set(actual)):
        if expected.get(group) == actual.get(group):
            continue
        wanted = ",".join(expected.get(group, ())) or "none"
        locked = ",".join(actual.get(group, ())) or "none"
        c.report.stale(
            STALE_DEPENDENCY,
            f"the requires-python of dependency group `{group}` of `{package.name}` is "
            f"`{wanted}` (tool.uv.dependency-groups, with the groups it includes), uv.lock "
            f"was resolved with `{locked}`",
            line_of("[package.group-requires-python]"),
        )


def _check_local_sources(c: Comparison, name: str, requirements: Sequence[Req], line: int) -> None:
    """A published package should not depend on local paths outside its workspace."""
    lowering = c.lowering(c.root)
    for req in requirements:
        if req.source[0] not in PATH_KINDS or req.name == name:
            continue
        if lowering.member_at(req.source[1]) is not None:
            continue
        where = relative_posix(c.files.root.resolve(), Path(req.source[1]))
        c.report.findings.append(
            Finding(
                LOCAL_PATH_DEPENDENCY.code,
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


#: A release-only version (``1.2.0``): always valid PEP 440.
_RELEASE_ONLY = re.compile(r"[0-9]{1,18}(?:\.[0-9]{1,18})*")


def _check_version(c: Comparison, package: LockedPackage, project: Project) -> None:
    name = package.name
    if "version" in project.dynamic:
        if package.version is not None:
            c.report.stale(
                STALE_PROJECT_VERSION,
                f"uv.lock records version {package.version} for `{name}`, but "
                f"{project.pyproject_path} now declares the version dynamic",
                package.line,
            )
        return
    declared = project.project.get("version")
    if not isinstance(declared, str):
        return
    if package.version is None:
        c.report.stale(
            STALE_PROJECT_VERSION,
            f"uv.lock records `{name}` with a dynamic version, but "
            f"{project.pyproject_path} now sets version {declared}",
            package.line,
        )
        return
    overlong = overlong_number(package.version)
    if overlong is not None:
        c.report.stale(
            UNREADABLE_LOCK,
            f"uv.lock cannot be read by uv: the version of `{name}` holds the number "
            f"{describe_number(overlong[1])}",
            package.line,
        )
        return
    if declared == package.version and _RELEASE_ONLY.fullmatch(declared):
        return  # the same valid version, written alike: no need to import packaging
    from packaging.version import InvalidVersion, Version

    try:
        same = Version(declared) == Version(package.version)
    except (InvalidVersion, ValueError):  # ValueError: over 4,300 digits
        c.report.unsure(
            f"the version of `{name}` ({declared!r} or {package.version!r}) is not valid PEP 440",
            package.line,
        )
        return
    if not same:
        c.report.stale(
            STALE_PROJECT_VERSION,
            f"uv.lock records `{name}` {package.version}, but {project.pyproject_path} "
            f"says version {declared}",
            package.line + 2,
            path=LOCK,
        )


def _report_extras(
    c: Comparison,
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
            "uv.lock still provides extra " + ", ".join(f"`{e}`" for e in sorted(actual - expected))
        )
    c.report.stale(
        STALE_DEPENDENCY,
        f"extras of `{name}` differ: " + "; ".join(parts),
        line_of("provides-extras"),
    )


def _check_groups(
    c: Comparison,
    package: LockedPackage,
    metadata: Mapping[str, Any],
    project: Project,
    line_of: Any,
) -> None:
    lowering = c.lowering(project)
    include_empty = c.lock.revision >= 1
    expected = {group: reqs for group, reqs in lowering.groups().items() if include_empty or reqs}
    raw = metadata.get("requires-dev", {})
    actual = {
        canonical_name(str(group)): c.locked_list(entries, f"group {group}")
        for group, entries in (raw.items() if isinstance(raw, dict) else [])
        if include_empty or entries
    }
    line = line_of("[package.metadata.requires-dev]")
    for group in sorted(set(expected) - set(actual)):
        c.report.stale(
            STALE_DEPENDENCY,
            f"{project.pyproject_path} adds dependency group `{group}` to `{package.name}`, "
            "uv.lock has no such group",
            line,
        )
    for group in sorted(set(actual) - set(expected)):
        c.report.stale(
            STALE_DEPENDENCY,
            f"uv.lock still has dependency group `{group}` for `{package.name}`, "
            f"{project.pyproject_path} no longer declares it",
            line,
        )
    for group in sorted(set(expected) & set(actual)):
        c.compare_sets(
            expected[group],
            actual[group],
            f"group `{group}` of `{package.name}` ({project.pyproject_path})",
            "uv.lock",
            line,
        )
