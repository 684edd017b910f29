"""Where a project's version comes from: :func:`project_version` and the sources it follows.

Versions are read from static ``[project].version``, Poetry's ``[tool.poetry].version``,
``setup.cfg [metadata] version`` (a literal, ``attr:`` or ``file:``), and dynamic sources
(hatch ``path``, setuptools ``attr``/``file``, flit's module ``__version__``, PDM ``file``).
setuptools-scm, hatch-vcs, PDM ``scm``, versioningit, poetry-dynamic-versioning,
setuptools-git-versioning and pbr take the version from the git tag itself. A version the
tool cannot read without building (maturin's ``Cargo.toml``, a build-backend plugin,
``setup.py``) is reported as unread, with the reason, never as a project error. A root that
publishes nothing itself names the distributions below it (:func:`distributions`,
:func:`member_version`). The files these sources name are read in ``version_files.py``.
"""

from __future__ import annotations

import os
import re
from typing import Any

from release_assistant.core.project.names import flit_module, project_name, setup_cfg_metadata
from release_assistant.core.project.version_files import (
    VersionNotFound,
    VersionSource,
    _unread,
    _version_from_attr,
    _version_from_file,
    _version_from_plain_file,
)
from release_assistant.core.support.confined import is_inside, read_text_inside
from release_assistant.core.support.textfiles import FileProblem

#: Plugins and tools that set the version from the git tag at build time.
_VCS_TOOLS = ("setuptools_scm", "setuptools-scm", "versioningit", "setuptools-git-versioning")


def project_version(
    root: str, pyproject: dict[str, Any] | None, line_of: Any = None
) -> VersionSource:
    """Locate the project's version as declared in ``pyproject.toml`` (or ``setup.cfg``)
    and the files they name.

    Raises :class:`VersionNotFound` when the project declares no version anywhere, or the
    source it names is broken (the build would fail too).
    """
    lookup = line_of or (lambda _key: None)
    if pyproject is None:
        return _legacy_version(
            root, VersionNotFound("no pyproject.toml: cannot tell the project's version")
        )
    project = pyproject.get("project")
    tool = pyproject.get("tool", {})
    tool = tool if isinstance(tool, dict) else {}
    poetry = tool.get("poetry", {})
    poetry = poetry if isinstance(poetry, dict) else {}
    if _poetry_dynamic_versioning(tool):
        return VersionSource("git tag (poetry-dynamic-versioning)", None, from_vcs=True)
    if isinstance(project, dict) and "version" in project:
        value = project["version"]
        if not isinstance(value, str):
            raise VersionNotFound(
                "[project].version must be a string",
                "pyproject.toml",
                lookup(("project", "version")),
            )
        return VersionSource(
            "pyproject.toml [project].version",
            value,
            "pyproject.toml",
            lookup(("project", "version")),
        )
    dynamic = project.get("dynamic", []) if isinstance(project, dict) else []
    if isinstance(project, dict) and "version" in dynamic:
        return _dynamic_version(root, pyproject, project, tool, lookup)
    if isinstance(poetry.get("version"), str):
        return VersionSource(
            "pyproject.toml [tool.poetry].version",
            poetry["version"],
            "pyproject.toml",
            lookup(("tool", "poetry", "version")),
        )
    if not isinstance(project, dict):
        # A pyproject.toml for tools only: the metadata is in setup.cfg or setup.py, or
        # in the distributions of a workspace below it.
        missing = VersionNotFound(
            "pyproject.toml declares no version: set [project].version or list 'version' "
            "in [project].dynamic",
            "pyproject.toml",
            lookup(("project",)),
        )
        try:
            return _legacy_version(root, missing)
        except VersionNotFound:
            members = distributions(root, pyproject)
            if not members:
                raise
            names = ", ".join(f"{name} ({directory}/)" for directory, name in members)
            return VersionSource(
                "workspace root",
                None,
                "pyproject.toml",
                unread=f"the root publishes no distribution itself, it holds {len(members)}: "
                f"{names}; check one with --repo DIR, or pass its tag (name-vX.Y.Z)",
                members=tuple(members),
            )
    raise VersionNotFound(
        "pyproject.toml declares no version: set [project].version or list 'version' in "
        "[project].dynamic",
        "pyproject.toml",
        lookup(("project",)),
    )


def _poetry_dynamic_versioning(tool: dict[str, Any]) -> bool:
    plugin = tool.get("poetry-dynamic-versioning")
    return isinstance(plugin, dict) and plugin.get("enable") is True


def _legacy_version(root: str, missing: VersionNotFound) -> VersionSource:
    """The version from ``setup.cfg [metadata]``, or unread when only ``setup.py`` has it."""
    metadata = setup_cfg_metadata(root)
    if metadata is not None and "version" in metadata:
        return _setup_cfg_version(root, metadata["version"])
    if metadata is not None and "pbr" in metadata.get("_sections", ""):
        return VersionSource("git tag (pbr)", None, from_vcs=True)
    if os.path.isfile(os.path.join(root, "setup.py")):
        return _unread("setup.py", "the version is set in setup.py, which is not run", "setup.py")
    raise missing


def _setup_cfg_version(root: str, value: str) -> VersionSource:
    value = value.strip()
    line = _line_in(root, "setup.cfg", re.compile(r"^version\s*[=:]", re.M))
    if value.startswith("attr:"):
        attr = value.removeprefix("attr:").strip()
        return _version_from_attr(root, attr, f"setup.cfg version = attr: {attr}")
    if value.startswith("file:"):
        first = value.removeprefix("file:").split(",")[0].strip()
        return _version_from_plain_file(root, first, "setup.cfg [metadata] version = file:")
    return VersionSource("setup.cfg [metadata] version", value, "setup.cfg", line)


def _line_in(root: str, relpath: str, pattern: re.Pattern[str]) -> int | None:
    try:
        text = read_text_inside(root, relpath, relpath)
    except FileProblem:
        return None
    match = pattern.search(text)
    return None if match is None else text.count("\n", 0, match.start()) + 1


def _dynamic_version(
    root: str,
    pyproject: dict[str, Any],
    project: dict[str, Any],
    tool: dict[str, Any],
    lookup: Any,
) -> VersionSource:
    build_system = pyproject.get("build-system", {})
    backend = str(build_system.get("build-backend", ""))
    requires = " ".join(str(r) for r in build_system.get("requires", []))
    hatch = tool.get("hatch", {}).get("version", {}) if isinstance(tool.get("hatch"), dict) else {}
    pdm = tool.get("pdm", {}).get("version", {}) if isinstance(tool.get("pdm"), dict) else {}
    setuptools_dynamic = (
        tool.get("setuptools", {}).get("dynamic", {}).get("version")
        if isinstance(tool.get("setuptools"), dict)
        else None
    )
    poetry = tool.get("poetry", {})

    if isinstance(hatch, dict) and hatch.get("source") == "vcs":
        return VersionSource("git tag (hatch-vcs)", None, from_vcs=True)
    if isinstance(pdm, dict) and pdm.get("source") == "scm":
        return VersionSource("git tag (pdm scm source)", None, from_vcs=True)
    for name in _VCS_TOOLS:
        if (name in tool or name in requires) and not setuptools_dynamic:
            return VersionSource(f"git tag ({name.replace('_', '-')})", None, from_vcs=True)
    if "maturin" in backend:
        return _unread(
            "Cargo.toml (maturin)", "maturin takes the version from Cargo.toml", "Cargo.toml"
        )
    if (
        isinstance(hatch, dict)
        and isinstance(hatch.get("path"), str)
        and (hatch.get("source", "regex") == "regex")
    ):
        return _version_from_file(
            root,
            hatch["path"],
            hatch.get("pattern"),
            f"{hatch['path']} (hatch version source)",
            "[tool.hatch.version] path",
        )
    if isinstance(hatch, dict) and isinstance(hatch.get("source"), str):
        return _unread(
            f"hatch version source {hatch['source']!r}",
            f"the version comes from the hatch version source plugin {hatch['source']!r}",
            "pyproject.toml",
        )
    if isinstance(pdm, dict) and pdm.get("source") == "file" and isinstance(pdm.get("path"), str):
        return _version_from_file(
            root,
            pdm["path"],
            None,
            f"{pdm['path']} (pdm file source)",
            "[tool.pdm.version] path",
        )
    if isinstance(pdm, dict) and isinstance(pdm.get("source"), str):
        return _unread(
            f"pdm version source {pdm['source']!r}",
            f"the version comes from the pdm version source {pdm['source']!r}",
            "pyproject.toml",
        )
    if isinstance(setuptools_dynamic, dict):
        if isinstance(setuptools_dynamic.get("file"), (str, list)):
            files = setuptools_dynamic["file"]
            first = files if isinstance(files, str) else files[0]
            return _version_from_plain_file(root, first, "[tool.setuptools.dynamic] version.file")
        if isinstance(setuptools_dynamic.get("attr"), str):
            attr = setuptools_dynamic["attr"]
            return _version_from_attr(root, attr, f"setuptools attr {attr}")
    if "flit" in backend and flit_module(pyproject):
        return _version_from_attr(root, f"{flit_module(pyproject)}.__version__", "flit")
    if "poetry" in backend and isinstance(poetry, dict) and isinstance(poetry.get("version"), str):
        return VersionSource(
            "pyproject.toml [tool.poetry].version",
            poetry["version"],
            "pyproject.toml",
            lookup(("tool", "poetry", "version")),
        )
    if "setuptools" in backend or not backend:
        return _legacy_version(
            root,
            VersionNotFound(
                "[project].dynamic lists 'version' but no version source is configured "
                "([tool.setuptools.dynamic], setup.cfg or setup.py)",
                "pyproject.toml",
                lookup(("project", "dynamic")),
            ),
        )
    return _unread(
        f"build backend {backend}",
        f"the build backend {backend} computes the version",
        "pyproject.toml",
    )


def distributions(root: str, pyproject: dict[str, Any]) -> list[tuple[str, str]]:
    """``(directory, name)`` of the distributions below ``root``: the members of a uv
    workspace, else projects in ``*/``, ``packages/*/``, ``libs/*/`` or ``python/*/``."""
    import glob  # only for a root that publishes no distribution itself

    from release_assistant.core.support.toml_lines import load_toml

    workspace = pyproject.get("tool", {}).get("uv", {}).get("workspace", {})
    patterns = workspace.get("members") if isinstance(workspace, dict) else None
    configured = isinstance(patterns, list)
    if not isinstance(patterns, list):
        patterns = ["*", "packages/*", "libs/*", "python/*"]
    found: dict[str, str] = {}
    for pattern in patterns:
        if not isinstance(pattern, str):
            continue
        for path in sorted(glob.glob(os.path.join(root, pattern, "pyproject.toml"))):
            directory = os.path.relpath(os.path.dirname(path), root).replace(os.sep, "/")
            if not is_inside(root, path):
                # A member glob (or a member linked) out of the work tree is never read.
                if not configured:
                    continue
                raise VersionNotFound(
                    f"[tool.uv.workspace] members = {pattern!r} points outside the "
                    f"repository ({directory}); only members inside it are read",
                    "pyproject.toml",
                )
            try:
                data = load_toml(path).data
            except FileProblem:
                continue
            name = project_name(data, os.path.dirname(path))
            if name is not None and directory != ".":
                found.setdefault(directory, name)
    return sorted(found.items())


def member_version(root: str, directory: str) -> VersionSource:
    """The version source of the distribution in ``root/directory``, its paths relative
    to ``root``."""
    from release_assistant.core.support.toml_lines import load_toml

    member_root = os.path.join(root, directory)
    try:
        document = load_toml(os.path.join(member_root, "pyproject.toml"))
    except FileProblem as problem:
        raise VersionNotFound(problem.message, f"{directory}/pyproject.toml") from None
    try:
        source = project_version(member_root, document.data, document.line_of)
    except VersionNotFound as missing:
        path = f"{directory}/{missing.path}" if missing.path else None
        raise VersionNotFound(str(missing), path, missing.line) from None
    path = f"{directory}/{source.path}" if source.path else None
    return VersionSource(
        f"{directory}/{source.description}",
        source.value,
        path,
        source.line,
        source.from_vcs,
        source.unread,
    )
