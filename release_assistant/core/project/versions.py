"""Where a project's version comes from, what version a tag names, and how tags are spelt.

Versions are read from static ``[project].version``, Poetry's ``[tool.poetry].version``,
``setup.cfg [metadata] version`` (a literal, ``attr:`` or ``file:``), and dynamic sources
(hatch ``path``, setuptools ``attr``/``file``, flit's module ``__version__``, PDM ``file``).
setuptools-scm, hatch-vcs, PDM ``scm``, versioningit, poetry-dynamic-versioning,
setuptools-git-versioning and pbr take the version from the git tag itself. A version the
tool cannot read without building (maturin's ``Cargo.toml``, a build-backend plugin,
``setup.py``) is reported as unread, with the reason, never as a project error.

Tags: ``tag_format`` configured, else inferred from the repository's tags (``1.2.3``,
``v1.2.3``, ``name-v1.2.3``), else ``v{version}``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from packaging.version import InvalidVersion, Version

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.support.textfiles import FileProblem, read_text, resolve_inside

if TYPE_CHECKING:
    from release_assistant.core.context import RepoContext

#: hatch's default pattern for its ``path`` version source, also our default for
#: ``version_files``.
DEFAULT_VERSION_PATTERN = (
    r"(?im)^\s*(?:__version__|VERSION|version)\s*(?::\s*str\s*)?=\s*"
    r"(?P<quote>['\"])v?(?P<version>[^'\"]+)(?P=quote)"
)
#: A module-level ``__version__ = ...`` (annotated or not), and a string literal.
_DUNDER_VERSION = re.compile(r"^__version__[ \t]*(?::[^=\n]+)?=[ \t]*(?P<value>[^\n]*)", re.M)
_STRING_VALUE = re.compile(r"(?P<quote>['\"])(?P<version>[^'\"\n]+)(?P=quote)[ \t]*(?:#.*)?")
#: The files a package's ``__version__`` usually lives in, in the order they are tried.
VERSION_MODULES: tuple[str, ...] = (
    "__init__.py",
    "__about__.py",
    "_version.py",
    "version.py",
    "__version__.py",
)
#: The default tag format, used when nothing is configured and there are no version tags.
DEFAULT_TAG_FORMAT = "v{version}"
# A tag prefix that names no package: `v1.2.3`, `release-1.2.3`, `1.2.3`.
_GENERIC_PREFIX = re.compile(r"^(?:[vV]|version[-_]?v?|release[-_]?v?|rel[-_]?v?|ver[-_]?)?$")
# A tag as a prefix (no digit) and the version text after it.
_TAG_SPLIT = re.compile(r"^(?P<prefix>\D*)(?P<version>\d\S*)$")
#: Plugins and tools that set the version from the git tag at build time.
_VCS_TOOLS = ("setuptools_scm", "setuptools-scm", "versioningit", "setuptools-git-versioning")


def parse_version(text: str) -> Version | None:
    """PEP 440 version, or ``None`` when ``text`` is not one."""
    try:
        return Version(text)
    except InvalidVersion:
        return None


def normalize(text: str) -> str:
    """PEP 440 normal form of ``text`` (``1.0.0-rc.1`` -> ``1.0.0rc1``), or ``text`` as is."""
    version = parse_version(text)
    return str(version) if version is not None else text


@dataclass(slots=True)
class VersionSource:
    """Where the project's version is declared.

    ``value`` is ``None`` when the version is computed from git tags at build time
    (``from_vcs``) or cannot be read without building (``unread`` says why);
    ``description`` says where it came from in words.
    """

    description: str
    value: str | None
    path: str | None = None
    line: int | None = None
    from_vcs: bool = False
    unread: str | None = None
    #: For a root that publishes no distribution itself: ``(directory, name)`` of those
    #: below it (a workspace, or several packages side by side).
    members: tuple[tuple[str, str], ...] = ()


class VersionNotFound(Exception):
    """The project's version could not be located; ``str()`` says why and where."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


def find_version_in_text(
    text: str, pattern: str | None = None, key: str = "pattern"
) -> tuple[str, int] | None:
    """First version assigned in ``text`` and its line, using ``pattern`` or the default.

    A ``pattern`` comes from the user (configuration or project metadata), so it runs with a
    time limit (:mod:`~release_assistant.core.support.user_regex`); ``key`` names where it was
    written for the :class:`~release_assistant.core.user_regex.PatternProblem` that an
    invalid or runaway pattern raises.
    """
    if pattern is None:
        match = re.search(DEFAULT_VERSION_PATTERN, text, re.MULTILINE)
        if match is None:
            return None
        return match.group("version"), text.count("\n", 0, match.start("version")) + 1
    from release_assistant.core.support.user_regex import compile_user_pattern

    compiled = compile_user_pattern(pattern, key)
    found = compiled.search(text)
    if found is None:
        return None
    value = found.group(compiled.group)
    if value is None:  # the group did not take part in the match
        return None
    return value, text.count("\n", 0, found.start(compiled.group)) + 1


def _unread(description: str, reason: str, path: str | None = None) -> VersionSource:
    return VersionSource(description, None, path, unread=reason)


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


def setup_cfg_metadata(root: str) -> dict[str, str] | None:
    """``setup.cfg``'s ``[metadata]`` options (``None`` without the file or the section);
    ``_sections`` lists the file's sections."""
    path = os.path.join(root, "setup.cfg")
    if not os.path.isfile(path):
        return None
    import configparser  # only for projects that still describe themselves in setup.cfg

    parser = configparser.RawConfigParser()
    try:
        parser.read_string(read_text(path), source=path)
    except (configparser.Error, FileProblem):
        return None
    if not parser.has_section("metadata"):
        return {"_sections": " ".join(parser.sections())} if parser.sections() else None
    options = dict(parser.items("metadata"))
    options["_sections"] = " ".join(parser.sections())
    return options


def _setup_cfg_version(root: str, value: str) -> VersionSource:
    value = value.strip()
    line = _line_in(os.path.join(root, "setup.cfg"), re.compile(r"^version\s*[=:]", re.M))
    if value.startswith("attr:"):
        attr = value.removeprefix("attr:").strip()
        return _version_from_attr(root, attr, f"setup.cfg version = attr: {attr}")
    if value.startswith("file:"):
        first = value.removeprefix("file:").split(",")[0].strip()
        return _version_from_plain_file(root, first)
    return VersionSource("setup.cfg [metadata] version", value, "setup.cfg", line)


def _line_in(path: str, pattern: re.Pattern[str]) -> int | None:
    try:
        text = read_text(path)
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
            root, hatch["path"], hatch.get("pattern"), f"{hatch['path']} (hatch version source)"
        )
    if isinstance(hatch, dict) and isinstance(hatch.get("source"), str):
        return _unread(
            f"hatch version source {hatch['source']!r}",
            f"the version comes from the hatch version source plugin {hatch['source']!r}",
            "pyproject.toml",
        )
    if isinstance(pdm, dict) and pdm.get("source") == "file" and isinstance(pdm.get("path"), str):
        return _version_from_file(root, pdm["path"], None, f"{pdm['path']} (pdm file source)")
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
            return _version_from_plain_file(root, first)
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
    if not isinstance(patterns, list):
        patterns = ["*", "packages/*", "libs/*", "python/*"]
    found: dict[str, str] = {}
    for pattern in patterns:
        if not isinstance(pattern, str):
            continue
        for path in sorted(glob.glob(os.path.join(root, pattern, "pyproject.toml"))):
            directory = os.path.relpath(os.path.dirname(path), root).replace(os.sep, "/")
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


def flit_module(pyproject: dict[str, Any]) -> str:
    """The module flit builds: ``[tool.flit.module] name``, else the project name as a
    module name (``My-Package`` -> ``my_package``)."""
    flit = pyproject.get("tool", {}).get("flit", {})
    module = flit.get("module", {}) if isinstance(flit, dict) else {}
    if isinstance(module, dict) and isinstance(module.get("name"), str):
        return str(module["name"])
    return module_name(project_name(pyproject) or "")


def module_name(name: str) -> str:
    """A distribution name as the module it usually installs (``My-Package`` ->
    ``my_package``)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def project_name(pyproject: dict[str, Any] | None, root: str | None = None) -> str | None:
    """The distribution name: ``[project].name``, ``[tool.poetry].name``, or (given the
    ``root``) ``setup.cfg [metadata] name``."""
    if pyproject is not None:
        project = pyproject.get("project")
        if isinstance(project, dict) and isinstance(project.get("name"), str):
            return str(project["name"])
        poetry = pyproject.get("tool", {}).get("poetry")
        if isinstance(poetry, dict) and isinstance(poetry.get("name"), str):
            return str(poetry["name"])
    if root is not None:
        metadata = setup_cfg_metadata(root)
        if metadata is not None and metadata.get("name"):
            return metadata["name"].strip()
    return None


def _version_from_file(root: str, relpath: str, pattern: object, description: str) -> VersionSource:
    try:
        # Confined to the work tree: a path (or symlink) out of it is never read or quoted.
        text = read_text(resolve_inside(root, relpath, "the version source"))
    except FileProblem as problem:
        raise VersionNotFound(f"version file: {problem.message}", relpath) from None
    from release_assistant.core.support.user_regex import PatternProblem

    if pattern is not None and not isinstance(pattern, str):
        raise VersionNotFound("[tool.hatch.version] pattern must be a string", "pyproject.toml")
    try:
        found = find_version_in_text(text, pattern, "[tool.hatch.version] pattern")
    except PatternProblem as problem:
        raise VersionNotFound(str(problem), "pyproject.toml") from None
    if found is None:
        raise VersionNotFound(
            'no version assignment found (expected __version__ = "X.Y.Z")', relpath
        )
    return VersionSource(description, found[0], relpath, found[1])


def _version_from_plain_file(root: str, relpath: str) -> VersionSource:
    try:
        text = read_text(resolve_inside(root, relpath, "the version file")).strip()
    except FileProblem as problem:
        raise VersionNotFound(f"version file: {problem.message}", relpath) from None
    return VersionSource(f"{relpath} (setuptools file)", text, relpath, 1)


def _version_from_attr(root: str, attr: str, tool: str) -> VersionSource:
    """Find ``module.attr`` statically: the module file in ``src/`` or the root.

    A value that is not a string literal (computed, imported) is read by the build tool
    importing the module; the tool here does not run code, so it reports it unread.
    """
    module, _, name = attr.rpartition(".")
    candidates = []
    for base in ("src", ""):
        relative = "/".join(part for part in (base, *module.split(".")) if part)
        if relative:
            candidates += [f"{relative}/__init__.py", f"{relative}.py"]
    for relpath in candidates:
        candidate = os.path.join(root, relpath)
        if os.path.isfile(candidate):
            try:
                text = read_text(candidate)
            except FileProblem as problem:
                raise VersionNotFound(
                    f"cannot read version attribute: {problem.message}", relpath
                ) from None
            found = _assigned_string(text, name)
            if found is not None:
                return VersionSource(f"{relpath} ({attr})", found[0], relpath, found[1])
            return _unread(
                f"{relpath} ({attr})",
                f"{attr} is not a string literal in {relpath}; {tool} computes it by "
                "importing the module",
                relpath,
            )
    # The build tool may find it where this lookup does not (setuptools' package-dir).
    return _unread(
        f"version attribute {attr}",
        f"the module of {attr} is not in src/ or at the root; {tool} looks it up itself",
        "pyproject.toml",
    )


def _assigned_string(text: str, name: str) -> tuple[str, int] | None:
    """The string literal the first module-level ``name = ...`` (or ``name: T = ...``)
    assigns, and its line; ``None`` when there is none or it assigns something else.

    As setuptools reads ``attr:`` versions (the first assignment, a literal). A regular
    expression, not :mod:`ast`: the ``check-changelog-version`` hook reads flit and
    setuptools versions on every commit, and importing ``ast`` costs about 5 ms of a
    30 ms hook run (``python -X importtime``); a test holds it to ``ast``'s reading.
    """
    pattern = _DUNDER_VERSION if name == "__version__" else _assignment(name)
    match = pattern.search(text)
    if match is None:
        return None
    value = _STRING_VALUE.fullmatch(match.group("value").rstrip())
    if value is None:
        return None
    return value.group("version"), text.count("\n", 0, match.start()) + 1


def _assignment(name: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(name)}[ \t]*(?::[^=\n]+)?=[ \t]*(?P<value>[^\n]*)", re.M)


def discover_version_file(
    root: str, pyproject: dict[str, Any] | None, source: VersionSource
) -> tuple[str, str, int] | None:
    """The package's own ``__version__ = "..."``: ``(relpath, value, line)``.

    Looked for in :data:`VERSION_MODULES` of the package (flit's module, or the project
    name as a module, in ``src/`` or at the root), skipping the file the version is read
    from. ``None`` when there is no literal to compare.
    """
    if pyproject is None:
        return None
    module = flit_module(pyproject)
    if not module:
        return None
    for base in ("src/", ""):
        for filename in VERSION_MODULES:
            relpath = f"{base}{module}/{filename}"
            if relpath == source.path:
                continue
            found = _literal_version_in(root, relpath)
            if found is not None:
                return relpath, *found
        single = f"{base}{module}.py"
        if single != source.path and (found := _literal_version_in(root, single)) is not None:
            return single, *found
    return None


def _literal_version_in(root: str, relpath: str) -> tuple[str, int] | None:
    path = os.path.join(root, relpath)
    if not os.path.isfile(path):
        return None
    try:
        text = read_text(resolve_inside(root, relpath, "__version__"))
    except FileProblem:
        return None
    found = _assigned_string(text, "__version__")
    if found is None or parse_version(found[0]) is None:
        return None
    return found


@dataclass(slots=True)
class TagFormat:
    """The tag format in use: ``format`` (``v{version}``), why, and how sure it is.

    ``source`` is ``configured``, ``inferred`` (from ``tags`` version tags of the
    repository, ``example`` the newest) or ``default`` (no version tags yet).
    """

    format: str
    source: str
    tags: int = 0
    example: str | None = None
    #: The repository's tags of this format spell some versions other than PEP 440's
    #: normal form (``v2024.01.05``): its own convention, not a slip.
    padded: bool = False

    def describe(self) -> str:
        """The format and where it came from, in words."""
        if self.source == "configured":
            return f"tag format {self.format!r} (configured)"
        if self.source == "inferred":
            return (
                f"tag format {self.format!r} inferred from {self.tags} version tag"
                f"{'s' if self.tags != 1 else ''} (highest {self.example})"
            )
        return f"tag format {self.format!r} (the default: the repository has no version tags)"


def infer_tag_format(tags: Iterable[str], names: Sequence[str] = ()) -> TagFormat | None:
    """The format the repository's version tags follow now (``None``: no tag names a
    version).

    A tag is a prefix without digits and a PEP 440 version (``v1.2.3``, ``name-v1.2.3``,
    ``1.2.3``). Prefixes that start with one of ``names`` (the distribution's name, in a
    repository that publishes several) win; otherwise only prefixes that name nothing
    (``v``, ``release-``, none) count, unless there are no others. Among those, the prefix
    most of the five newest versions use: projects change style (``1.2.3`` for years, then
    ``v1.3.0``), and the newest tags show the current one.
    """
    families: dict[str, list[tuple[Version, str]]] = {}
    for tag in tags:
        match = _TAG_SPLIT.match(tag)
        if match is None:
            continue
        version = parse_version(match.group("version"))
        if version is None:
            continue
        families.setdefault(match.group("prefix"), []).append((version, tag))
    if not families:
        return None
    wanted = [name.lower() for name in names if name]
    named = [
        prefix
        for prefix in families
        if any(re.sub(r"[-_.]+", "-", prefix.lower()).startswith(f"{n}-") for n in wanted)
    ]
    generic = [prefix for prefix in families if _GENERIC_PREFIX.match(prefix)]
    pool = named or generic or list(families)
    newest = sorted(
        ((version, tag, prefix) for prefix in pool for version, tag in families[prefix]),
        reverse=True,
    )[:5]
    votes: dict[str, int] = {}
    for _, _, prefix in newest:
        votes[prefix] = votes.get(prefix, 0) + 1
    best = max(votes, key=lambda prefix: (votes[prefix], len(families[prefix])))
    example = max(families[best])[1]
    padded = any(tag[len(best) :] != str(version) for version, tag in families[best])
    return TagFormat(f"{best}{{version}}", "inferred", len(families[best]), example, padded)


def resolve_tag_format(ctx: RepoContext) -> TagFormat:
    """``ctx``'s tag format: configured, inferred from its tags, or the default."""
    if ctx.config.tag_format is not None:
        return TagFormat(ctx.config.tag_format, "configured")
    from release_assistant.core.git.readonly import run_git  # git runs only when a tag is judged

    output = run_git(ctx.root_dir, ["tag", "--list"])
    tags = output.text().split() if output is not None and output.ok else []
    data = ctx.pyproject.data if ctx.pyproject is not None else None
    name = project_name(data, ctx.root_dir)
    names = [re.sub(r"[-_.]+", "-", name.lower())] if name else []
    inferred = infer_tag_format(tags, names)
    return inferred if inferred is not None else TagFormat(DEFAULT_TAG_FORMAT, "default")


def tag_pattern(tag_format: str) -> re.Pattern[str]:
    """Regex matching tags made by ``tag_format`` (``v{version}`` -> ``^v(?P<version>.+)$``)."""
    prefix, _, suffix = tag_format.partition("{version}")
    return re.compile(f"^{re.escape(prefix)}(?P<version>.+?){re.escape(suffix)}$")


def format_tag(tag_format: str, version: str) -> str:
    """The tag name for ``version`` under ``tag_format``."""
    return tag_format.replace("{version}", version)


@dataclass(slots=True)
class TagVersion:
    """What a tag names: the version text, and whether it followed the format.

    ``follows_format`` is ``False`` for a tag read as a bare version (``1.2.3`` or
    ``v1.2.3``); ``case_only`` when the tag follows the format but for the letter case of
    its prefix or suffix (``V1.2.3`` for ``v{version}``).
    """

    tag: str
    version_text: str
    follows_format: bool
    case_only: bool = False


def version_from_tag(tag: str, tag_format: str) -> TagVersion:
    """Extract the version text from ``tag`` (``refs/tags/`` prefix accepted).

    A tag that does not follow ``tag_format`` is still read when it is a bare version
    (``1.2.3`` or ``v1.2.3``), flagged ``follows_format=False``.
    """
    name = tag.removeprefix("refs/tags/")
    if tag_format.startswith("{") and name[:1] in "vV":
        return TagVersion(name, name, False)  # `v1.2.3` is another format than `{version}`
    match = tag_pattern(tag_format).match(name)
    if match:
        return TagVersion(name, match.group("version"), True)
    loose = re.compile(tag_pattern(tag_format).pattern, re.IGNORECASE).match(name)
    if loose:
        return TagVersion(name, loose.group("version"), True, case_only=True)
    return TagVersion(name, name, False)


@dataclass(slots=True)
class ReleaseTarget:
    """The version (and tag) under release, with the problems found while resolving them.

    ``given_tag`` is the tag the user gave; :attr:`tag` is that tag, or the tag the
    project's version would get (worked out on first use: it may ask git for the tags).
    """

    version: Version | None
    given_tag: str | None
    source: VersionSource | None
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    tag_format: Callable[[], TagFormat] | None = field(default=None, repr=False, compare=False)

    @property
    def tag(self) -> str | None:
        """The tag under release (``None`` when no tag was given and the version is
        unknown)."""
        if self.given_tag is not None:
            return self.given_tag
        if self.version is None or self.tag_format is None:
            return None
        return format_tag(self.tag_format().format, str(self.version))

    @property
    def version_text(self) -> str | None:
        """Normalized version string, when known."""
        return str(self.version) if self.version is not None else None


def resolve_release_target(ctx: RepoContext) -> ReleaseTarget:
    """Work out which version is being released, from ``--tag`` and the project metadata."""
    findings: list[Finding] = []
    line_of = ctx.pyproject.line_of if ctx.pyproject is not None else None
    try:
        source: VersionSource | None = project_version(
            ctx.root_dir, ctx.pyproject.data if ctx.pyproject else None, line_of
        )
    except VersionNotFound as missing:
        source = None
        findings.append(
            Finding(
                "RA301",
                str(missing),
                path=missing.path,
                line=missing.line,
                hint="declare the version in pyproject.toml [project].version",
            )
        )
    project_ver: Version | None = None
    if source is not None and source.value is not None:
        project_ver = parse_version(source.value)
        if project_ver is None:
            findings.append(
                Finding(
                    "RA302",
                    f"project version {source.value!r} is not a valid PEP 440 version",
                    path=source.path,
                    line=source.line,
                    hint="use a version like 1.2.3, 1.2.3rc1 or 1.2.3.post1",
                )
            )

    def tag_format() -> TagFormat:
        return ctx.tag_format

    if ctx.tag is None:
        return ReleaseTarget(project_ver, None, source, tuple(findings), tag_format)

    tag_format_in_use = ctx.tag_format
    if source is not None and source.members:
        # A workspace root: the tag's prefix names the distribution being released.
        chosen = _member_for_tag(ctx.tag, source.members)
        if chosen is not None:
            directory, prefix = chosen
            try:
                source = member_version(ctx.root_dir, directory)
            except VersionNotFound as missing:
                source = None
                findings.append(
                    Finding("RA301", str(missing), path=missing.path, line=missing.line)
                )
            project_ver = parse_version(source.value) if source and source.value else None
            tag_format_in_use = TagFormat(f"{prefix}{{version}}", "inferred", 1, ctx.tag)
    fmt = tag_format_in_use.format
    tag_info = version_from_tag(ctx.tag, fmt)
    tag_ver = parse_version(tag_info.version_text)
    if tag_ver is None:
        findings.append(
            Finding(
                "RA304",
                f"tag {tag_info.tag!r} does not name a PEP 440 version "
                f"({tag_format_in_use.describe()})",
                hint=f"use a tag like {format_tag(fmt, '1.2.3')}",
            )
        )
        return ReleaseTarget(None, tag_info.tag, source, tuple(findings), tag_format)
    static = source is not None and not source.from_vcs and project_ver is not None
    spelled = _canonical_spellings(tag_ver, source if static else None, project_ver)
    canonical = format_tag(fmt, str(project_ver if static else tag_ver))
    # A tag-derived version is the tag itself: its spelling is judged only against the
    # repository's own tags, which may pad (`v2024.01.05`) by convention.
    respelled = tag_info.version_text not in spelled and (static or not tag_format_in_use.padded)
    if (
        tag_info.follows_format
        and (tag_info.case_only or respelled)
        and (not static or project_ver == tag_ver)
    ):
        findings.append(
            Finding(
                "RA310",
                f"tag {tag_info.tag!r} names version {tag_ver} but is not its canonical "
                f"spelling {canonical!r} ({tag_format_in_use.describe()})",
                hint=f"tag as {canonical}; a tag is permanent, and tools that compare the tag "
                "with the version as text reject this one",
            )
        )
    elif not tag_info.follows_format and tag_format_in_use.source != "default":
        expected = format_tag(fmt, str(tag_ver))
        findings.append(
            Finding(
                "RA305",
                f"tag {tag_info.tag!r} does not follow the {tag_format_in_use.describe()} "
                f"(expected {expected!r})",
                hint=f"tag as {expected}, or set tag_format in [tool.release-assistant]",
                severity=Severity.WARNING,
            )
        )
    if source is None or source.from_vcs or source.value is None:
        return ReleaseTarget(tag_ver, tag_info.tag, source, tuple(findings), tag_format)
    if project_ver is not None and project_ver != tag_ver:
        findings.append(
            Finding(
                "RA303",
                f"tag {tag_info.tag} names version {tag_ver}, but {source.description} "
                f"says {source.value}",
                path=source.path,
                line=source.line,
                hint=f"set the version to {tag_ver} in {source.path or 'pyproject.toml'}, or tag "
                f"{format_tag(fmt, str(project_ver))}",
            )
        )
    return ReleaseTarget(tag_ver, tag_info.tag, source, tuple(findings), tag_format)


def _member_for_tag(tag: str, members: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    """The member whose name starts the tag (``name-v1.2.3``), and the tag's prefix."""
    name = tag.removeprefix("refs/tags/")
    match = _TAG_SPLIT.match(name)
    if match is None:
        return None
    prefix = match.group("prefix")
    normalized = re.sub(r"[-_.]+", "-", prefix.lower())
    best: tuple[str, str] | None = None
    for directory, member in members:
        wanted = re.sub(r"[-_.]+", "-", member.lower())
        named = normalized.rstrip("v-") == wanted or normalized.startswith(f"{wanted}-")
        if named and (best is None or len(member) > len(best[1])):
            best = (directory, member)  # the longest name: `demo-core` over `demo`
    return None if best is None else (best[0], prefix)


def _canonical_spellings(
    tag_ver: Version, source: VersionSource | None, project_ver: Version | None
) -> set[str]:
    """The version texts a tag may carry: the normal form, and (for a static version) the
    text the project declares."""
    if source is None or project_ver is None or source.value is None:
        return {str(tag_ver)}
    return {str(project_ver), source.value.strip(), source.value.strip().lstrip("vV")}
