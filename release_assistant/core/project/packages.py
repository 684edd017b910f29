"""The packages of a repository that holds several: a monorepo or a workspace.

A repository holds several packages when its root has no ``pyproject.toml`` (the packages live
in folders below it), or when the root's ``pyproject.toml`` declares a workspace: uv's
``[tool.uv.workspace]``, PDM's ``[tool.pdm.workspace]``, Hatch's ``workspace`` of an
environment (``[tool.hatch.envs.<env>.workspace]``). The members are read from the workspace's
own patterns; otherwise from the usual folders (``*``, ``packages/*``, ``libs/*``,
``python/*``, ``src/*``). A workspace root that marks itself as no package (uv's
``package = false``, PDM's ``distribution = false``, or no ``[project]`` at all) publishes
nothing: its ``[project].version`` is a placeholder, not a version under release.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from release_assistant.core.project.names import project_name
from release_assistant.core.support.textfiles import FileProblem

if TYPE_CHECKING:
    from release_assistant.core.workflows.discovery import AnalysedWorkflow
    from release_assistant.core.workflows.workflow import Job, Step

#: Where the packages of a repository without a workspace usually live.
USUAL_FOLDERS: tuple[str, ...] = ("*", "packages/*", "libs/*", "python/*", "src/*")


@dataclass(frozen=True, slots=True)
class Package:
    """One package of a monorepo: its distribution name and its folder (relative to the
    repository root, POSIX-style)."""

    name: str
    directory: str


def _table(data: Any, *keys: str) -> dict[str, Any]:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def _member_patterns(value: Any) -> list[str]:
    """Member patterns as written: strings, or Hatch's ``{path = "..."}`` tables."""
    if not isinstance(value, list):
        return []
    patterns: list[str] = []
    for item in value:
        if isinstance(item, str):
            patterns.append(item)
        elif isinstance(item, dict) and isinstance(item.get("path"), str):
            patterns.append(item["path"])
    return patterns


def workspace_patterns(pyproject: dict[str, Any] | None) -> list[str] | None:
    """The member patterns of the workspace the root ``pyproject`` declares (uv, PDM, Hatch);
    ``None`` when it declares none."""
    if pyproject is None:
        return None
    tool = _table(pyproject, "tool")
    for owner in (_table(tool, "uv", "workspace"), _table(tool, "pdm", "workspace")):
        if owner:
            return _member_patterns(owner.get("members"))
    for env in _table(tool, "hatch", "envs").values():
        workspace = _table(env, "workspace")
        if workspace:
            return _member_patterns(workspace.get("members"))
    return None


def root_is_no_package(pyproject: dict[str, Any] | None) -> bool:
    """True when the root ``pyproject`` says it is no package of its own: no ``[project]``,
    uv's ``package = false`` or PDM's ``distribution = false``."""
    if pyproject is None or not isinstance(pyproject.get("project"), dict):
        return True
    tool = _table(pyproject, "tool")
    return _table(tool, "uv").get("package") is False or (
        _table(tool, "pdm").get("distribution") is False
    )


def is_monorepo_root(pyproject: dict[str, Any] | None) -> bool:
    """True when a root with this ``pyproject`` (``None``: there is none) holds the packages
    below it rather than being the package: no ``pyproject.toml``, or a workspace root that is
    no package itself."""
    if pyproject is None:
        return True
    return workspace_patterns(pyproject) is not None and root_is_no_package(pyproject)


def find_packages(root: str, pyproject: dict[str, Any] | None) -> list[Package]:
    """The packages below ``root`` (not ``root`` itself), sorted by folder: the workspace's
    members, else the projects in :data:`USUAL_FOLDERS` that name a distribution."""
    import glob  # only for a root that holds several packages

    from release_assistant.core.support.confined import is_inside
    from release_assistant.core.support.toml_lines import load_toml

    patterns = workspace_patterns(pyproject) or list(USUAL_FOLDERS)
    excluded = _member_patterns(_table(pyproject or {}, "tool", "uv", "workspace").get("exclude"))
    found: dict[str, str] = {}
    for pattern in patterns:
        for path in sorted(glob.glob(os.path.join(root, pattern, "pyproject.toml"))):
            folder = os.path.dirname(path)
            directory = os.path.relpath(folder, root).replace(os.sep, "/")
            if directory == "." or directory.startswith("..") or _excluded(directory, excluded):
                continue
            if not is_inside(root, path):
                continue  # a member (or a link in one) out of the work tree is never read
            try:
                data = load_toml(path).data
            except FileProblem:
                continue
            name = project_name(data, folder)
            if name is not None:
                found.setdefault(directory, name)
    return [Package(name, directory) for directory, name in sorted(found.items())]


def _excluded(directory: str, patterns: list[str]) -> bool:
    import fnmatch

    return any(fnmatch.fnmatch(directory, pattern.rstrip("/")) for pattern in patterns)


def normalized_name(name: str) -> str:
    """A distribution name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pick_package(packages: list[Package], wanted: str) -> Package | None:
    """The package ``wanted`` names: its distribution name (any spelling PEP 503 folds
    together) or its folder."""
    key = normalized_name(wanted)
    folder = wanted.strip().rstrip("/").removeprefix("./")
    for package in packages:
        if normalized_name(package.name) == key or package.directory == folder:
            return package
    return None


#: Options of build commands that name the project's folder (or a file in it).
_FOLDER_OPTIONS = frozenset({"--directory", "-C", "--project", "-p", "--manifest-path", "-m"})
#: Options whose value is no folder of a project (outputs, interpreters, configuration).
_OTHER_VALUE_OPTIONS = frozenset(
    {"--out-dir", "-o", "--outdir", "--out", "--python", "-i", "--interpreter",
     "--config-setting", "-c", "--target", "--features", "--compatibility", "--format",
     "--package", "--build-constraint", "--index-url", "--default-index", "--index"}
)  # fmt: skip
_BUILD_WORDS = frozenset({"build", "sdist", "wheel", "pyproject-build"})


def built_packages(packages: list[Package], workflows: Iterable[AnalysedWorkflow]) -> list[Package]:
    """The ``packages`` a build step of the publishing ``workflows`` names: by folder (the
    step's ``working-directory``, a ``cd``, ``--directory``, a path argument as in ``uv build
    libs/x``, maturin's ``--manifest-path``) or by name (``uv build --package x``)."""
    folders: set[str] = set()
    names: set[str] = set()
    for analysed in workflows:
        for scan in analysed.scans.values():
            for step, _ in scan.builds:
                _read_build_step(step, scan.job, analysed.workflow.data, folders, names)
    return [
        package
        for package in packages
        if normalized_name(package.name) in names
        or any(
            folder == package.directory or _inside(folder, package.directory) for folder in folders
        )
    ]


def _inside(folder: str, directory: str) -> bool:
    return folder.startswith(directory + "/")


def _read_build_step(
    step: Step, job: Job, workflow: Any, folders: set[str], names: set[str]
) -> None:
    from release_assistant.core.workflows.uploads.shell import commands, shell_words
    from release_assistant.core.workflows.uploads.tools import scalar_text

    base = _join("", _working_directory(step.raw, job.raw, workflow))
    texts: list[str] = []
    if step.run is not None:
        texts = [command.text for command in commands(step.run, step.run_line)]
    else:
        args = scalar_text(step.inputs.get("args")) if step.inputs else None
        texts = [f"build {args}"] if args else []
        for key in ("working-directory", "package-dir", "path"):
            value, _ = step.input(key)
            if value:
                folders.add(_join(base, value))
        if not texts:
            folders.add(base)
    directory = base
    for text in texts:
        words = shell_words(text)
        if words[:1] in (["cd"], ["pushd"]) and len(words) > 1:
            directory = _join(directory, words[1])
            continue
        if not any(word in _BUILD_WORDS for word in words):
            continue
        named = _read_build_words(words, directory, folders, names)
        if not named:
            folders.add(directory)


def _read_build_words(words: list[str], directory: str, folders: set[str], names: set[str]) -> bool:
    """Read one build command; True when it names a folder or a package."""
    named = False
    after_build = False
    index = 0
    while index < len(words):
        word = words[index]
        option, eq, value = word.partition("=")
        if word in _BUILD_WORDS:
            after_build = True
        elif option in _FOLDER_OPTIONS or option == "--package":
            if not eq and index + 1 < len(words):
                value = words[index + 1]
                index += 1
            if option == "--package":
                names.add(normalized_name(value))
            elif value:
                path = value.rsplit("/", 1)[0] if value.endswith(".toml") else value
                if value.endswith(".toml") and "/" not in value:
                    path = "."
                folders.add(_join(directory, path))
            named = True
        elif option in _OTHER_VALUE_OPTIONS and not eq:
            index += 1
        elif after_build and not word.startswith("-") and "$" not in word:
            folders.add(_join(directory, word))
            named = True
        index += 1
    return named


def _join(directory: str, path: str | None) -> str:
    import posixpath

    if not path:
        return directory
    if "$" in path or path.startswith(("/", "~")):
        return directory
    joined = posixpath.normpath(posixpath.join(directory, path))
    return "" if joined in (".", "") or joined.startswith("..") else joined


def _working_directory(step: Any, job: Any, workflow: Any) -> str | None:
    from release_assistant.core.workflows.uploads.tools import scalar_text

    if isinstance(step, dict) and step.get("working-directory") is not None:
        return scalar_text(step.get("working-directory"))
    for owner in (job, workflow):
        defaults = owner.get("defaults") if isinstance(owner, dict) else None
        run = defaults.get("run") if isinstance(defaults, dict) else None
        if isinstance(run, dict) and run.get("working-directory") is not None:
            return scalar_text(run.get("working-directory"))
    return None


def package_for_tag(
    packages: list[Package], tag: str, root_name: str | None = None
) -> tuple[Package, str] | None:
    """The package of ``packages`` a tag's prefix names, and that prefix: by its name
    (``pydantic-core-v2.1.0``, ``kettle==1.0``), or by its name without the root project's
    (``core-v2.1.0`` in the repository of ``pydantic`` for ``pydantic-core``). ``None`` when the
    prefix names none of them, or names the root project ``root_name`` itself."""
    from release_assistant.core.project.tags import prefix_names, tag_prefix, tag_spellings

    prefix = tag_prefix(tag)
    if prefix is None or (root_name is not None and prefix_names(prefix, root_name)):
        return None
    best: Package | None = None
    for package in packages:
        spellings = tag_spellings(package.name, root_name)
        if any(prefix_names(prefix, spelling) for spelling in spellings) and (
            best is None or len(package.name) > len(best.name)
        ):
            best = package  # the longest name: `demo-core` over `demo`
    return None if best is None else (best, prefix)
