"""The workspace a ``uv.lock`` was made for: its root, the root's uv settings (``tool.uv``
with ``uv.toml`` on top) and its members (``tool.uv.workspace`` globs less ``exclude``).

Also holds the findings of the whole comparison (``Workspace.report``): reading the
settings and the members is where the first RA509 ("cannot verify") findings arise.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping
from typing import Any

from release_assistant.core.lockfiles.files import RepoFiles, join_relpath, relative_posix
from release_assistant.core.lockfiles.uv.lock_entries import Project, Report
from release_assistant.core.support.confined import is_inside
from release_assistant.core.support.textfiles import FileProblem


class Workspace:
    """The workspace root, its uv settings, its members, and the findings so far."""

    def __init__(self, files: RepoFiles, root: Project, environ: Mapping[str, str]) -> None:
        self.files = files
        self.root = root
        self.environ = environ
        self.report = Report()
        self.settings = self._settings()
        self.members: dict[str, Project] = {}

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

    def discover_members(self) -> None:
        """Fill :attr:`members`: the root when it is a project, then every directory
        ``tool.uv.workspace.members`` matches (less ``exclude``) with a named ``[project]``."""
        workspace = self.root.tool_uv.get("workspace")
        if self.root.name is not None:
            self.members[self.root.name] = self.root
        if not isinstance(workspace, dict):
            return
        patterns = [p for p in workspace.get("members", []) if isinstance(p, str)]
        excludes = [p for p in workspace.get("exclude", []) if isinstance(p, str)]
        found: set[str] = set()
        for pattern in patterns:
            # pathlib globs only relative patterns; an absolute one is taken relative to the
            # root (``/elsewhere/*`` becomes ``../elsewhere/*``, refused below as outside).
            relative = (
                os.path.relpath(pattern, self.files.root) if os.path.isabs(pattern) else pattern
            )
            for found_path in sorted(self.files.root.glob(relative)):
                path = type(found_path)(os.path.normpath(found_path))  # `../repo` is the root
                relpath = relative_posix(self.files.root, path)
                if not is_inside(self.files.root, path):
                    # Never read: a member glob (or a member linked) out of the work tree.
                    self.report.unsure(
                        f"[tool.uv.workspace] members = {pattern!r} points outside the "
                        f"repository ({relpath}); only members inside it are read",
                        path="pyproject.toml",
                    )
                    continue
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

    def all_projects(self) -> list[Project]:
        """The members, with the root first when it is not one (a non-project root)."""
        projects = list(self.members.values())
        if self.root not in projects:
            projects.insert(0, self.root)
        return projects


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
