"""``[project]`` validated against the packaging specifications, with ``packaging``'s parsers.

A build backend rejects a ``pyproject.toml`` whose ``[project]`` table breaks the spec — in
the release workflow, after the tag exists. Each problem is one RA320 finding naming the key
and its line. Only what the specification defines and ``packaging`` can parse is checked:
the name (PEP 508), ``requires-python`` (a specifier set),
``dependencies`` and ``optional-dependencies`` (PEP 508 requirements, extra names),
``dynamic`` (known field names, not also given statically), a string ``license`` (an SPDX
expression) and the types of the other well-known keys.
"""

from __future__ import annotations

from typing import Any

from release_assistant.core.findings import Finding
from release_assistant.core.rules.version import INVALID_PROJECT_TABLE
from release_assistant.core.support.toml_lines import TomlDocument

_DYNAMIC_FIELDS = frozenset(
    {
        "version",
        "description",
        "readme",
        "requires-python",
        "license",
        "license-files",
        "authors",
        "maintainers",
        "keywords",
        "classifiers",
        "urls",
        "scripts",
        "gui-scripts",
        "entry-points",
        "dependencies",
        "optional-dependencies",
        "import-names",
        "import-namespaces",
    }
)
_STRING_KEYS = ("description",)
_STRING_LIST_KEYS = ("keywords", "classifiers", "license-files")
_TABLE_OF_STRINGS_KEYS = ("urls", "scripts", "gui-scripts")


def project_problems(document: TomlDocument) -> list[Finding]:
    """Every way ``[project]`` breaks the specification (empty when it has no such table)."""
    project = document.data.get("project")
    if project is None:
        return []
    problems = _Problems(document)
    if not isinstance(project, dict):
        problems.add((), f"[project] must be a table, found {_kind(project)}")
        return problems.found
    _check_name(project, problems)
    # The version's own validity is the version check's RA302: one finding per cause.
    _check_requires_python(project, problems)
    _check_dependencies(project, problems)
    _check_optional_dependencies(project, problems)
    _check_dynamic(project, problems)
    _check_license(project, problems)
    for key in _STRING_KEYS:
        if key in project and not isinstance(project[key], str):
            problems.add((key,), f"{key} must be a string, found {_kind(project[key])}")
    for key in _STRING_LIST_KEYS:
        if key in project and not _is_string_list(project[key]):
            problems.add((key,), f"{key} must be a list of strings, found {_kind(project[key])}")
    for key in _TABLE_OF_STRINGS_KEYS:
        value = project.get(key)
        if value is not None and not (
            isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        ):
            problems.add((key,), f"{key} must be a table of strings, found {_kind(value)}")
    return problems.found


class _Problems:
    def __init__(self, document: TomlDocument) -> None:
        self.document = document
        self.found: list[Finding] = []

    def add(self, key: tuple[str, ...], message: str, hint: str | None = None) -> None:
        line = self.document.line_of(("project", *key)) or self.document.line_of(("project",))
        dotted = ".".join(("project", *key))
        self.found.append(
            Finding(
                INVALID_PROJECT_TABLE.code,
                f"[{dotted}] {message}" if key else message,
                path="pyproject.toml",
                line=line,
                hint=hint
                or "fix the value as the packaging specification defines it; the "
                "build backend rejects the project otherwise",
            )
        )


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _is_string_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _check_name(project: dict[str, Any], problems: _Problems) -> None:
    from packaging.utils import InvalidName, canonicalize_name

    name = project.get("name")
    if name is None:
        problems.add((), "[project] has no name (required; it cannot be dynamic)")
        return
    if not isinstance(name, str):
        problems.add(("name",), f"name must be a string, found {_kind(name)}")
        return
    try:
        canonicalize_name(name, validate=True)
    except InvalidName:
        problems.add(
            ("name",),
            f"name {name!r} is not a valid project name (letters, digits, '.', '_', '-'; "
            "starting and ending with a letter or digit)",
        )


def _check_requires_python(project: dict[str, Any], problems: _Problems) -> None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    value = project.get("requires-python")
    if value is None:
        return
    if not isinstance(value, str):
        problems.add(("requires-python",), f"must be a string, found {_kind(value)}")
        return
    try:
        SpecifierSet(value)
    except InvalidSpecifier:
        problems.add(("requires-python",), f"{value!r} is not a version specifier set")


def _requirement_problem(text: object) -> str | None:
    from packaging.requirements import InvalidRequirement, Requirement

    if not isinstance(text, str):
        return f"found {_kind(text)}, expected a requirement string"
    try:
        Requirement(text)
    except InvalidRequirement as error:
        first = str(error).splitlines()[0]
        return f"{text!r} is not a PEP 508 requirement ({first})"
    return None


def _check_dependencies(project: dict[str, Any], problems: _Problems) -> None:
    value = project.get("dependencies")
    if value is None:
        return
    if not isinstance(value, list):
        problems.add(
            ("dependencies",),
            f"dependencies must be a list of requirement strings, found {_kind(value)}",
            hint='write dependencies = ["name>=1.0", ...]',
        )
        return
    for index, item in enumerate(value):
        problem = _requirement_problem(item)
        if problem:
            problems.add(("dependencies",), f"dependencies[{index}]: {problem}")


def _check_optional_dependencies(project: dict[str, Any], problems: _Problems) -> None:
    from packaging.utils import InvalidName, canonicalize_name

    value = project.get("optional-dependencies")
    if value is None:
        return
    key = ("optional-dependencies",)
    if not isinstance(value, dict):
        problems.add(key, f"must be a table of lists, found {_kind(value)}")
        return
    for extra, items in value.items():
        try:
            canonicalize_name(extra, validate=True)
        except InvalidName:
            problems.add(key, f"{extra!r} is not a valid extra name")
        if not isinstance(items, list):
            problems.add((*key, extra), f"must be a list of requirements, found {_kind(items)}")
            continue
        for index, item in enumerate(items):
            problem = _requirement_problem(item)
            if problem:
                problems.add((*key, extra), f"{extra}[{index}]: {problem}")


def _check_dynamic(project: dict[str, Any], problems: _Problems) -> None:
    value = project.get("dynamic")
    if value is None:
        return
    if not _is_string_list(value):
        problems.add(("dynamic",), f"dynamic must be a list of field names, found {_kind(value)}")
        return
    for name in value:
        if name == "name":
            problems.add(("dynamic",), "name cannot be dynamic")
        elif name not in _DYNAMIC_FIELDS:
            problems.add(("dynamic",), f"{name!r} is not a [project] field that can be dynamic")
        elif name in project:
            problems.add(
                ("dynamic",),
                f"{name!r} is listed in dynamic and also given statically",
                hint=f"remove {name!r} from dynamic, or remove its static value",
            )


def _check_license(project: dict[str, Any], problems: _Problems) -> None:
    value = project.get("license")
    if not isinstance(value, str):
        if value is not None and not isinstance(value, dict):
            problems.add(("license",), f"license must be a string or a table, found {_kind(value)}")
        return
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    try:
        canonicalize_license_expression(value)
    except InvalidLicenseExpression:
        problems.add(
            ("license",),
            f"license {value!r} is not a valid SPDX license expression",
            hint='use an SPDX identifier such as "MIT" or "Apache-2.0 OR MIT"',
        )
