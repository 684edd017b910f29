"""What the workspace as a whole declares against the lock's header: ``requires-python``
(the intersection of the members'), ``[manifest]`` (members, constraints, overrides,
build constraints, excludes, dependency metadata, a non-project root's dependency groups),
and each member's kind in the lock (virtual or a package, editable or not).

Emits RA502 (no ``requires-python``), RA504, RA505 (``requires-python`` changed), RA507
(members changed) and RA509.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from release_assistant.core.lockfiles.pep508.names import canonical_name
from release_assistant.core.lockfiles.uv.compare import Comparison
from release_assistant.core.lockfiles.uv.lock_entries import Project, Req
from release_assistant.core.lockfiles.uv.lowering import parse_plain
from release_assistant.core.rules.lock import (
    STALE_DEPENDENCY,
    STALE_REQUIRES_PYTHON,
    STALE_WORKSPACE_MEMBERS,
    UNREADABLE_LOCK,
)


def check_requires_python(c: Comparison) -> None:
    """The lock's ``requires-python`` against the intersection of the members' (RA505)."""
    declared = [
        (member, member.project.get("requires-python"))
        for member in c.members.values()
        if isinstance(member.project.get("requires-python"), str)
    ]
    locked = c.lock.header.get("requires-python")
    if locked is None:
        c.report.stale(
            UNREADABLE_LOCK, "uv.lock has no requires-python field, so uv cannot read it", 1
        )
        return
    if not declared:
        if c.members:
            c.report.unsure(
                "no workspace member declares requires-python, so uv takes the bound from "
                "the interpreter that runs it; the lock's requires-python cannot be checked",
                path=c.root.pyproject_path,
            )
        return
    if {"".join(str(text).split()) for _, text in declared} == {"".join(str(locked).split())}:
        return  # uv writes a lone requires-python as declared (spaces aside): nothing to parse
    if c.bounds is None:
        return
    from release_assistant.core.lockfiles.pep508.bounds import PythonBounds

    try:
        wanted = PythonBounds.from_specifiers(str(text) for _, text in declared)
    except ValueError as exc:
        c.report.unsure(f"requires-python is invalid: {exc}", path="pyproject.toml")
        return
    if not wanted.same_as(c.bounds):
        if len(declared) == 1:
            member, text = declared[0]
            now = f"{member.pyproject_path} now says `{text}`"
        else:
            parts = ", ".join(f"`{text}` in {m.pyproject_path}" for m, text in declared)
            now = f"the workspace's is now `{wanted.describe()}` (from {parts})"
        c.report.stale(
            STALE_REQUIRES_PYTHON,
            f"uv.lock was resolved for requires-python `{locked}`, but {now}",
            c.header_line("requires-python"),
        )


# -------------------------------------------------------------------- manifest


def check_manifest(c: Comparison) -> None:
    """``[manifest]``: members, constraints, overrides, excludes, dependency metadata."""
    manifest = c.lock.manifest
    single_root = len(c.members) == 1 and c.root.name in c.members
    expected_members = set() if single_root else set(c.members)
    locked_members = {canonical_name(str(name)) for name in manifest.get("members", [])}
    if expected_members != locked_members:
        added = sorted(expected_members - locked_members)
        removed = sorted(locked_members - expected_members)
        parts = []
        if added:
            parts.append("the workspace now has " + ", ".join(f"`{n}`" for n in added))
        if removed:
            parts.append("uv.lock still lists " + ", ".join(f"`{n}`" for n in removed))
        c.report.stale(
            STALE_WORKSPACE_MEMBERS,
            "workspace members changed: " + "; ".join(parts),
            c.header_line("members"),
        )
    for setting, lock_key in (
        ("constraint-dependencies", "constraints"),
        ("override-dependencies", "overrides"),
        ("build-constraint-dependencies", "build-constraints"),
    ):
        expected = _plain_requirements(c, setting)
        actual = _locked_plain(c, manifest.get(lock_key, []), lock_key)
        c.compare_sets(
            expected,
            actual,
            f"tool.uv.{setting}",
            f"[manifest] {lock_key}",
            c.header_line(lock_key),
        )
    wanted_excludes = {
        canonical_name(str(name)) for name in c.settings.get("exclude-dependencies", [])
    }
    locked_excludes = {canonical_name(str(name)) for name in manifest.get("excludes", [])}
    if wanted_excludes != locked_excludes:
        c.report.stale(
            STALE_DEPENDENCY,
            f"tool.uv.exclude-dependencies is {sorted(wanted_excludes)}, uv.lock was "
            f"resolved with {sorted(locked_excludes)}",
            c.header_line("excludes"),
        )
    wanted_meta = _dependency_metadata(c.settings.get("dependency-metadata", []))
    locked_meta = _dependency_metadata(manifest.get("dependency-metadata", []))
    if wanted_meta != locked_meta:
        c.report.stale(
            STALE_DEPENDENCY,
            "tool.uv.dependency-metadata differs from the metadata uv.lock was resolved with",
            c.header_line("dependency-metadata"),
        )
    if c.root.name is None:
        _check_non_project_root(c, manifest)
    elif manifest.get("requirements"):
        c.report.stale(
            STALE_DEPENDENCY,
            "uv.lock records [manifest] requirements the project no longer has",
            c.header_line("requirements"),
        )


def _check_non_project_root(c: Comparison, manifest: Mapping[str, Any]) -> None:
    lowering = c.lowering(c.root)
    expected = {name: reqs for name, reqs in lowering.groups().items() if reqs}
    raw = manifest.get("dependency-groups", {})
    locked = {
        canonical_name(str(name)): c.locked_list(entries, f"dependency group {name}")
        for name, entries in (raw.items() if isinstance(raw, dict) else [])
        if entries
    }
    line = c.header_line("dependency-groups")
    for name in sorted(set(expected) | set(locked)):
        c.compare_sets(
            expected.get(name, []),
            locked.get(name, []),
            f"dependency group `{name}` of the workspace root",
            "uv.lock",
            line,
        )
    if manifest.get("requirements"):
        c.report.stale(
            STALE_DEPENDENCY,
            "uv.lock records [manifest] requirements the workspace no longer has",
            c.header_line("requirements"),
        )


def _plain_requirements(c: Comparison, setting: str) -> list[Req]:
    result = []
    for raw in c.settings.get(setting, []) or []:
        try:
            result.append(parse_plain(str(raw), f"tool.uv.{setting}"))
        except ValueError as exc:
            c.report.unsure(f"tool.uv.{setting}: {exc}", path=c.root.pyproject_path)
    return result


def _locked_plain(c: Comparison, entries: Any, label: str) -> list[Req]:
    return c.locked_list(entries, label)


# --------------------------------------------------------------------- members


def check_members(c: Comparison) -> None:
    """Each member locked, virtual exactly when not a package, editable unless required not."""
    required: dict[str, bool] = {}  # member name -> editable
    # A non-project workspace root requires members through its dependency groups too.
    for member in c.workspace.all_projects():
        lowering = c.lowering(member)
        for req in lowering.all_requirements():
            if req.source[:1] in (("editable",), ("directory",), ("virtual",)):
                target = lowering.member_at(req.source[1])
                if target is not None and target is not member:
                    editable = req.source[0] != "directory"
                    required[target.name or ""] = required.get(target.name or "", True) and (
                        editable
                    )
    for name, member in c.members.items():
        packages = c.by_name.get(name, [])
        if not packages:
            c.report.stale(
                STALE_WORKSPACE_MEMBERS,
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
            c.report.stale(
                STALE_WORKSPACE_MEMBERS,
                f"`{name}` is locked as {was}, but {member.pyproject_path} now makes it "
                f"{now}: {reason}",
                package.line,
            )
            continue
        expected_editable = False if expected_virtual else required.get(name, True)
        actual_editable = package.kind == "editable"
        if expected_editable != actual_editable:
            c.report.stale(
                STALE_WORKSPACE_MEMBERS,
                f"`{name}` is locked as `{package.kind}`, but the workspace now requires it "
                + ("editable" if expected_editable else "non-editable (editable = false)"),
                package.line,
            )


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


def _package_reason(member: Project) -> str:
    explicit = member.tool_uv.get("package")
    if isinstance(explicit, bool):
        return f"tool.uv.package = {str(explicit).lower()}"
    if "build-system" in member.data:
        return "it has a [build-system]"
    return "it has no [build-system]"
