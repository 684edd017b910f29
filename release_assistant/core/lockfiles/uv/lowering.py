"""``pyproject.toml`` requirements in uv's form: ``tool.uv.sources`` applied (workspace, path,
git, URL and index sources, per extra or group, under markers), optional dependencies under
``extra == '<name>'``, dependency groups with ``include-group`` expanded and each group's
``tool.uv.dependency-groups`` requires-python added as a marker.

What cannot be lowered is reported as RA509 ("cannot verify") on the workspace's report.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from release_assistant.core.lockfiles.pep508.names import canonical_name
from release_assistant.core.lockfiles.pep508.specifiers import specifier_clauses
from release_assistant.core.lockfiles.uv.lock_entries import Project, Req
from release_assistant.core.lockfiles.uv.sources import (
    describe_source,
    join_params,
    normal_url,
    strip_url,
    url_source,
)
from release_assistant.core.lockfiles.uv.workspace import Workspace
from release_assistant.core.support.textfiles import FileProblem

if TYPE_CHECKING:
    from release_assistant.core.lockfiles.pep508.markers import Marker


class Lowering:
    """``tool.uv.sources`` applied to one project's requirements, as uv lowers them."""

    def __init__(self, workspace: Workspace, project: Project) -> None:
        self.workspace = workspace
        self.project = project
        self.root_dir = workspace.files.root
        self.project_dir = (self.root_dir / project.directory).resolve()
        root_sources = workspace.root.tool_uv.get("sources", {}) if project.is_member else {}
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
        for candidate in workspace.all_projects():
            settings = workspace.settings if candidate is workspace.root else candidate.tool_uv
            for entry in settings.get("index", []) or []:
                if isinstance(entry, dict) and "name" in entry and "url" in entry:
                    self.indexes.setdefault(str(entry["name"]), str(entry["url"]))

    def member_at(self, path: str) -> Project | None:
        """The workspace member whose directory is ``path`` (absolute)."""
        for member in self.workspace.members.values():
            if str((self.root_dir / member.directory).resolve()) == path:
                return member
        return None

    def extras(self) -> list[str]:
        """The names of the project's optional-dependency groups (its extras), normalized."""
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
                result[name] = specifier_clauses(",".join(clauses))
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
                        from release_assistant.core.lockfiles.pep508.markers import marker_and

                        marker = req.marker
                        for group_marker in added:
                            marker = marker_and(marker, group_marker)
                        req = _with_marker(req, marker)
                    result[name].append(req)
        legacy = self.project.tool_uv.get("dev-dependencies")
        if isinstance(legacy, list):
            result.setdefault("dev", [])
            for raw in self._strings(legacy, "tool.uv.dev-dependencies"):
                result["dev"].extend(self._lower(raw, "tool.uv.dev-dependencies", ("group", "dev")))
        return result

    def all_requirements(self) -> list[Req]:
        """``requires_dist`` and every dependency group's requirements, lowered."""
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
                self.workspace.report.unsure(
                    f"tool.uv.dependency-groups names `{group}`, which is not a dependency "
                    "group (uv refuses the project)",
                    path=self.project.pyproject_path,
                )
        markers: dict[str, Marker] = {}
        for name, requires in self._group_settings(groups).items():
            try:
                from release_assistant.core.lockfiles.pep508.bounds import PythonBounds

                marker = PythonBounds.from_specifiers([requires]).marker()
            except ValueError as exc:
                self.workspace.report.unsure(
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
            self.workspace.report.unsure(
                f"dependency group `{name}` includes itself", path=self.project.pyproject_path
            )
            return []
        entry = groups.get(name)
        if entry is None:
            self.workspace.report.unsure(
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
        # The marker model is imported only where a marker is met: most requirements of most
        # projects have none, and the lock hook's run need not load it.
        from release_assistant.core.lockfiles.pep508.plain import plain_requirement

        line = self.project.line_of_text(raw)
        origin = f"{self.project.pyproject_path}:{line}" if line else self.project.pyproject_path
        # A plain requirement is read without importing packaging (see pep508.plain).
        plain = plain_requirement(raw)
        url: str | None = None
        if plain is not None:
            written_name, written_extras, specifier, plain_marker_text = plain
            marker = None if plain_marker_text is None else _leaf_marker(plain_marker_text)
        else:
            from packaging.requirements import InvalidRequirement, Requirement

            from release_assistant.core.lockfiles.pep508.markers import marker_from_packaging

            try:
                parsed = Requirement(raw)
            except InvalidRequirement as exc:
                self.workspace.report.unsure(
                    f"`{raw}` in {label} is not a valid requirement: {exc}",
                    path=self.project.pyproject_path,
                    line=line,
                )
                return []
            written_name, written_extras = parsed.name, tuple(parsed.extras)
            specifier, url = str(parsed.specifier), parsed.url
            marker = marker_from_packaging(parsed.marker)
        name = canonical_name(written_name)
        extras = tuple(sorted(canonical_name(extra) for extra in written_extras))
        scope_marker = None
        if scope is not None and scope[0] == "extra":
            from release_assistant.core.lockfiles.pep508.markers import parse_marker

            scope_marker = parse_marker(f"extra == '{scope[1]}'")
        if scope is not None:
            origin += f", {scope[0]} `{scope[1]}`"
        root_dir = self.root_dir.resolve()

        def make(source: tuple[str, ...], specifier: str, mark: Marker | None) -> Req:
            display = raw.strip() + describe_source(source, root_dir)
            if mark is not marker and mark is not None:
                display += f" when {mark.text}"
            return Req(
                name,
                extras,
                specifier,
                source,
                _both(mark, scope_marker),
                display,
                origin,
            )

        if url:
            return [make(url_source(url, self.project_dir), "", marker)]
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
        from release_assistant.core.lockfiles.pep508.markers import (
            TRUE,
            Expr,
            Marker,
            expr_of,
            make_and,
            make_not,
            make_or,
            marker_and,
            marker_text,
            parse_marker,
        )

        lowered: list[Req] = []
        source_markers: list[Expr] = []
        for entry in applicable:
            try:
                entry_marker = parse_marker(entry.get("marker"))
            except ValueError:
                self.workspace.report.unsure(
                    f"tool.uv.sources marker for `{name}` is invalid",
                    path=self.project.pyproject_path,
                )
                return [registry]
            source_markers.append(expr_of(entry_marker))
            lowered_source = self._source(name, entry, base)
            if lowered_source is None:
                return [registry]
            source, keeps_specifier = lowered_source
            lowered.append(
                make(
                    source,
                    specifier if keeps_specifier else "",
                    marker_and(marker, entry_marker),
                )
            )
        covered = make_or(source_markers)
        if covered != TRUE:
            from release_assistant.core.lockfiles.pep508.equivalence import is_satisfiable

            rest = make_and([expr_of(marker), make_not(covered)])
            if is_satisfiable(rest) is not False:
                lowered.append(make(("registry", ""), specifier, Marker(marker_text(rest), rest)))
        return lowered

    def _source(
        self, name: str, entry: Mapping[str, Any], base: Path
    ) -> tuple[tuple[str, ...], bool] | None:
        if entry.get("workspace") is True:
            member = self.workspace.members.get(name)
            if member is None:
                self.workspace.report.unsure(
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
            # os.path's tests answer False for a name the system refuses (too long):
            # Path.exists raises on it.
            is_dir = os.path.isdir(target) if os.path.exists(target) else not target.suffix
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
            return ("git", strip_url(entry["git"]), join_params(params)), False
        if isinstance(entry.get("url"), str):
            return (
                "url",
                strip_url(entry["url"], keep_query=True),
                str(entry.get("subdirectory") or ""),
            ), False
        if isinstance(entry.get("index"), str):
            url = self.indexes.get(entry["index"])
            if url is None:
                self.workspace.report.unsure(
                    f"`{name}` uses index `{entry['index']}`, which is not defined",
                    path=self.project.pyproject_path,
                )
                return None
            return ("registry", normal_url(url)), True
        self.workspace.report.unsure(
            f"tool.uv.sources entry for `{name}` has a form this check does not know",
            path=self.project.pyproject_path,
        )
        return None


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


def _leaf_marker(text: str) -> Marker:
    """A marker kept as written (a plain requirement's), compared by its text."""
    from release_assistant.core.lockfiles.pep508.markers import Leaf, Marker

    return Marker(text, Leaf(text))


def _both(first: Marker | None, second: Marker | None) -> Marker | None:
    """``marker_and``, importing the marker model only when both are present."""
    if first is None:
        return second
    if second is None:
        return first
    from release_assistant.core.lockfiles.pep508.markers import marker_and

    return marker_and(first, second)


def parse_plain(raw: str, origin: str) -> Req:
    """A plain requirement (a constraint, an override) from the registry; ``ValueError`` if bad."""
    from release_assistant.core.lockfiles.pep508.plain import plain_requirement

    plain = plain_requirement(raw)
    if plain is not None:
        written_name, written_extras, specifier, marker_text = plain
        return Req(
            canonical_name(written_name),
            tuple(sorted(canonical_name(extra) for extra in written_extras)),
            specifier,
            ("registry", ""),
            None if marker_text is None else _leaf_marker(marker_text),
            raw.strip(),
            origin,
        )
    from packaging.requirements import InvalidRequirement, Requirement

    from release_assistant.core.lockfiles.pep508.markers import marker_from_packaging

    try:
        parsed = Requirement(raw)
    except InvalidRequirement as exc:
        raise ValueError(f"`{raw}` is not a valid requirement: {exc}") from None
    return Req(
        canonical_name(parsed.name),
        tuple(sorted(canonical_name(extra) for extra in parsed.extras)),
        str(parsed.specifier),
        ("registry", ""),
        marker_from_packaging(parsed.marker),
        raw.strip(),
        origin,
    )
