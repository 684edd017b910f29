"""Where a project's version comes from, and what version a tag names.

Static ``[project].version``, Poetry's ``[tool.poetry].version``, and dynamic versions
(hatch ``path`` source, setuptools ``attr``/``file``, flit, PDM ``file``; setuptools-scm,
hatch-vcs and PDM ``scm`` take the version from the git tag itself) are all recognised.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from packaging.version import InvalidVersion, Version

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.records import field, record
from release_assistant.core.textfiles import FileProblem, read_text

if TYPE_CHECKING:
    from release_assistant.core.context import RepoContext

#: hatch's default pattern for its ``path`` version source, also our default for
#: ``version_files``.
DEFAULT_VERSION_PATTERN = (
    r"(?im)^\s*(?:__version__|VERSION|version)\s*(?::\s*str\s*)?=\s*"
    r"(?P<quote>['\"])v?(?P<version>[^'\"]+)(?P=quote)"
)


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


@record
class VersionSource:
    """Where the project's version is declared.

    ``value`` is ``None`` when the version is computed from git tags at build time
    (``from_vcs``); ``description`` says where it came from in words.
    """

    description: str
    value: str | None
    path: str | None = None
    line: int | None = None
    from_vcs: bool = False


class VersionNotFound(Exception):
    """The project's version could not be located; ``str()`` says why and where."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


def find_version_in_text(text: str, pattern: str | None = None) -> tuple[str, int] | None:
    """First version assigned in ``text`` and its line, using ``pattern`` or the default."""
    match = re.search(pattern or DEFAULT_VERSION_PATTERN, text, re.MULTILINE)
    if match is None:
        return None
    group: str | int = "version" if "version" in match.re.groupindex else 1
    return match.group(group), text.count("\n", 0, match.start(group)) + 1


def project_version(
    root: str, pyproject: dict[str, Any] | None, line_of: Any = None
) -> VersionSource:
    """Locate the project's version as declared in ``pyproject.toml`` and the files it names.

    Raises :class:`VersionNotFound` when there is no pyproject or no recognisable version.
    """
    if pyproject is None:
        raise VersionNotFound(
            "no pyproject.toml: cannot tell the project's version", "pyproject.toml"
        )
    project = pyproject.get("project")
    tool = pyproject.get("tool", {})
    lookup = line_of or (lambda _key: None)
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
    poetry = tool.get("poetry", {})
    if isinstance(poetry, dict) and isinstance(poetry.get("version"), str):
        return VersionSource(
            "pyproject.toml [tool.poetry].version",
            poetry["version"],
            "pyproject.toml",
            lookup(("tool", "poetry", "version")),
        )
    raise VersionNotFound(
        "pyproject.toml declares no version: set [project].version or list 'version' in "
        "[project].dynamic",
        "pyproject.toml",
        lookup(("project",)),
    )


def _dynamic_version(
    root: str,
    pyproject: dict[str, Any],
    project: dict[str, Any],
    tool: dict[str, Any],
    lookup: Any,
) -> VersionSource:
    backend = str(pyproject.get("build-system", {}).get("build-backend", ""))
    requires = " ".join(str(r) for r in pyproject.get("build-system", {}).get("requires", []))
    hatch = tool.get("hatch", {}).get("version", {}) if isinstance(tool.get("hatch"), dict) else {}
    pdm = tool.get("pdm", {}).get("version", {}) if isinstance(tool.get("pdm"), dict) else {}
    setuptools_dynamic = (
        tool.get("setuptools", {}).get("dynamic", {}).get("version")
        if isinstance(tool.get("setuptools"), dict)
        else None
    )

    if isinstance(hatch, dict) and hatch.get("source") == "vcs":
        return VersionSource("git tag (hatch-vcs)", None, from_vcs=True)
    if isinstance(pdm, dict) and pdm.get("source") == "scm":
        return VersionSource("git tag (pdm scm source)", None, from_vcs=True)
    uses_scm = "setuptools_scm" in tool or "setuptools-scm" in requires
    if (uses_scm or "setuptools_scm" in requires) and not setuptools_dynamic:
        return VersionSource("git tag (setuptools-scm)", None, from_vcs=True)
    if isinstance(hatch, dict) and isinstance(hatch.get("path"), str):
        return _version_from_file(
            root, hatch["path"], hatch.get("pattern"), f"{hatch['path']} (hatch version source)"
        )
    if isinstance(pdm, dict) and pdm.get("source") == "file" and isinstance(pdm.get("path"), str):
        return _version_from_file(root, pdm["path"], None, f"{pdm['path']} (pdm file source)")
    if isinstance(setuptools_dynamic, dict):
        if isinstance(setuptools_dynamic.get("file"), (str, list)):
            files = setuptools_dynamic["file"]
            first = files if isinstance(files, str) else files[0]
            return _version_from_plain_file(root, first)
        if isinstance(setuptools_dynamic.get("attr"), str):
            return _version_from_attr(root, setuptools_dynamic["attr"])
    if "flit" in backend and isinstance(project.get("name"), str):
        module = project["name"].replace("-", "_")
        return _version_from_attr(root, f"{module}.__version__")
    raise VersionNotFound(
        "[project].dynamic lists 'version' but no supported version source is configured "
        "(hatch path/vcs, setuptools attr/file/scm, pdm file/scm, flit)",
        "pyproject.toml",
        lookup(("project", "dynamic")),
    )


def _version_from_file(
    root: str, relpath: str, pattern: str | None, description: str
) -> VersionSource:
    path = os.path.join(root, relpath)
    try:
        text = read_text(path)
    except FileProblem as problem:
        raise VersionNotFound(f"version file: {problem.message}", relpath) from None
    found = find_version_in_text(text, pattern)
    if found is None:
        raise VersionNotFound(
            'no version assignment found (expected __version__ = "X.Y.Z")', relpath
        )
    return VersionSource(description, found[0], relpath, found[1])


def _version_from_plain_file(root: str, relpath: str) -> VersionSource:
    try:
        text = read_text(os.path.join(root, relpath)).strip()
    except FileProblem as problem:
        raise VersionNotFound(f"version file: {problem.message}", relpath) from None
    return VersionSource(f"{relpath} (setuptools file)", text, relpath, 1)


def _version_from_attr(root: str, attr: str) -> VersionSource:
    """Find ``module.attr`` statically: the module file in ``src/`` or the root, via ``ast``."""
    import ast  # only for setuptools' attr: versions; a hook should not pay for it otherwise

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
                tree = ast.parse(text)
            except (FileProblem, SyntaxError) as exc:
                raise VersionNotFound(f"cannot read version attribute: {exc}", relpath) from None
            for node in tree.body:
                if isinstance(node, ast.Assign):
                    targets, value = node.targets, node.value
                elif isinstance(node, ast.AnnAssign) and node.value is not None:
                    targets, value = [node.target], node.value
                else:
                    continue
                for target in targets:
                    if (
                        isinstance(target, ast.Name)
                        and target.id == name
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                    ):
                        return VersionSource(
                            f"{relpath} ({attr})", value.value, relpath, node.lineno
                        )
            raise VersionNotFound(f"{name} is not assigned a string literal in {relpath}", relpath)
    raise VersionNotFound(f"cannot find the module of version attribute {attr!r}", "pyproject.toml")


def tag_pattern(tag_format: str) -> re.Pattern[str]:
    """Regex matching tags made by ``tag_format`` (``v{version}`` -> ``^v(?P<version>.+)$``)."""
    prefix, _, suffix = tag_format.partition("{version}")
    return re.compile(f"^{re.escape(prefix)}(?P<version>.+?){re.escape(suffix)}$")


def format_tag(tag_format: str, version: str) -> str:
    """The tag name for ``version`` under ``tag_format``."""
    return tag_format.replace("{version}", version)


@record
class TagVersion:
    """What a tag names: the version text, and whether it followed the configured format."""

    tag: str
    version_text: str
    follows_format: bool


def version_from_tag(tag: str, tag_format: str) -> TagVersion:
    """Extract the version text from ``tag`` (``refs/tags/`` prefix accepted).

    A tag that does not follow ``tag_format`` is still read when it is a bare version
    (``1.2.3`` or ``v1.2.3``), flagged ``follows_format=False``.
    """
    name = tag.removeprefix("refs/tags/")
    match = tag_pattern(tag_format).match(name)
    if match:
        return TagVersion(name, match.group("version"), True)
    return TagVersion(name, name, False)


@record
class ReleaseTarget:
    """The version (and tag) under release, with the problems found while resolving them."""

    version: Version | None
    tag: str | None
    source: VersionSource | None
    findings: tuple[Finding, ...] = field(default_factory=tuple)

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

    if ctx.tag is None:
        tag = format_tag(ctx.config.tag_format, str(project_ver)) if project_ver else None
        return ReleaseTarget(project_ver, tag, source, tuple(findings))

    tag_info = version_from_tag(ctx.tag, ctx.config.tag_format)
    tag_ver = parse_version(tag_info.version_text)
    if tag_ver is None:
        findings.append(
            Finding(
                "RA304",
                f"tag {tag_info.tag!r} does not name a PEP 440 version "
                f"(tag_format is {ctx.config.tag_format!r})",
                hint=f"use a tag like {format_tag(ctx.config.tag_format, '1.2.3')}",
            )
        )
        return ReleaseTarget(None, tag_info.tag, source, tuple(findings))
    if not tag_info.follows_format:
        expected = format_tag(ctx.config.tag_format, str(tag_ver))
        findings.append(
            Finding(
                "RA305",
                f"tag {tag_info.tag!r} does not follow tag_format "
                f"{ctx.config.tag_format!r} (expected {expected!r})",
                hint=f"tag as {expected}, or set tag_format in [tool.release-assistant]",
                severity=Severity.WARNING,
            )
        )
    if source is not None and source.from_vcs:
        return ReleaseTarget(tag_ver, tag_info.tag, source, tuple(findings))
    if project_ver is not None and project_ver != tag_ver:
        assert source is not None
        findings.append(
            Finding(
                "RA303",
                f"tag {tag_info.tag} names version {tag_ver}, but {source.description} "
                f"says {source.value}",
                path=source.path,
                line=source.line,
                hint=f"set the version to {tag_ver} in {source.path or 'pyproject.toml'}, or tag "
                f"{format_tag(ctx.config.tag_format, str(project_ver))}",
            )
        )
    return ReleaseTarget(tag_ver, tag_info.tag, source, tuple(findings))
