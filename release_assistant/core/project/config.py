"""``[tool.release-assistant]`` configuration.

The models are standard dataclasses, defined once. pydantic validates them and publishes
their JSON Schema (``TypeAdapter(Config)``, in ``release-assistant schema`` and the tests);
the ``__pydantic_config__`` on each forbids unknown keys there.

The pre-commit hooks read the same configuration on every commit, and importing pydantic and
building the adapter costs 110-170 ms on the development machine (measured 2026-12 with
``python -c "from pydantic import TypeAdapter; TypeAdapter(Config)"``), several times a whole
hook run. So the hooks validate with the small strict converter in this module instead;
``tests/test_config.py`` holds it to pydantic's verdicts on a corpus of tables. Treat the
models as read-only.
"""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from typing import Any, ClassVar, Union

from release_assistant.core.check_table import known_check_ids, spec_for
from release_assistant.core.support.errors import LocatedError
from release_assistant.core.support.lazy_regex import LazyPattern
from release_assistant.core.support.textfiles import FileProblem, StrPath
from release_assistant.core.support.toml_lines import TomlDocument, load_toml

SECTION = ("tool", "release-assistant")
#: What ``[tool.release-assistant.severity]`` may set a code to.
SEVERITY_LEVELS: tuple[str, ...] = ("error", "warning", "info")
_FORBID: dict[str, Any] = {"extra": "forbid"}
_CODE = LazyPattern(r"^RA\d{3}$")


class ConfigError(LocatedError):
    """The configuration is malformed; ``str()`` is one line naming file, line and key."""

    path: str

    def __init__(self, path: StrPath, message: str, line: int | None = None) -> None:
        super().__init__(path, message, line)


@dataclass(slots=True)
class CheckSettings:
    """Per-check switches: ``enabled`` runs it, ``blocking`` lets its failure stop a release."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    enabled: bool = True
    blocking: bool = True


@dataclass(slots=True)
class VersionFile:
    """A file that repeats the version (``__version__ = "1.2.3"``).

    ``pattern`` is a regular expression with a ``version`` group; the default finds
    ``__version__``/``VERSION``/``version`` assignments.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    path: str
    pattern: str | None = None


@dataclass(slots=True)
class PublisherConfig:
    """The trusted publisher registered on the package index, as the maintainer typed it."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    owner: str | None = None
    repository: str | None = None
    workflow: str | None = None
    environment: str | None = "pypi"
    testpypi_environment: str | None = "testpypi"
    project: str | None = None
    github_host: str = "github.com"


@dataclass(slots=True)
class WorkflowRulesConfig:
    """Tunable rules of the ``workflow`` check.

    ``require_pinned_actions`` warns about actions referenced by a tag or branch instead of a
    full commit SHA; actions owned by ``unpinned_allowed_owners`` (GitHub's own ``actions``
    and ``github``, and ``pypa``, whose publish action documents ``@release/v1``) are exempt.
    Set the list to ``[]`` to require SHA pins everywhere.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    require_pinned_actions: bool = True
    unpinned_allowed_owners: list[str] = field(
        default_factory=lambda: ["actions", "github", "pypa"]
    )


@dataclass(slots=True)
class ParityGateConfig:
    """Inputs and thresholds of the built-in parity gate (the seed's artifact gate)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    runs: list[str] = field(default_factory=list)
    aggregate: str | None = None
    lock: str | None = None
    required_suites: list[str] = field(default_factory=list)
    max_missing_pairs: int = 0


@dataclass(slots=True)
class GatesConfig:
    """Configured release gates; a gate that is absent does not run."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    parity: ParityGateConfig | None = None


@dataclass(slots=True)
class CiConfig:
    """Where the ``ci`` check asks about HEAD's check runs.

    ``timeout_seconds`` is the time every request of one run may take together (a
    black-holed network costs that, once); ``require_complete`` turns runs still pending
    from a warning into an error.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    api_url: str = "https://api.github.com"
    timeout_seconds: float = 3.0
    require_complete: bool = False


@dataclass(slots=True)
class Config:
    """The whole ``[tool.release-assistant]`` table; every field has a default.

    ``commit_message`` is the release commit's message; ``{version}`` becomes the version.
    ``tag_format`` unset: inferred from the repository's tags (``v{version}`` when there
    are none). ``changelog`` unset: discovered (towncrier's ``filename``, ``CHANGELOG``,
    ``CHANGES``, ``HISTORY``, ``NEWS`` or ``RELEASE-NOTES`` at the root, then under
    ``docs/``); a configured changelog that is missing is an error, a discovered one that
    is absent only a warning.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    main_branch: str | None = None
    tag_format: str | None = None
    changelog: str | None = None
    version_files: list[VersionFile] = field(default_factory=list)
    workflow: str = ".github/workflows/release.yml"
    workflow_rules: WorkflowRulesConfig = field(default_factory=WorkflowRulesConfig)
    checks: dict[str, CheckSettings] = field(default_factory=dict)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    publisher: PublisherConfig = field(default_factory=PublisherConfig)
    gates: GatesConfig = field(default_factory=GatesConfig)
    ci: CiConfig = field(default_factory=CiConfig)
    commands: list[str] = field(default_factory=list)
    commit_message: str = "Release {version}"

    def settings_for(self, check_id: str) -> CheckSettings:
        """The switches for one check (the check table's defaults when not configured)."""
        configured = self.checks.get(check_id)
        if configured is not None:
            return configured
        return CheckSettings(blocking=spec_for(check_id).blocking)


@dataclass(slots=True)
class LoadedConfig:
    """The configuration and the pyproject it came from (``None`` when there is none)."""

    config: Config
    pyproject: TomlDocument | None


def load_config(root: StrPath) -> LoadedConfig:
    """Read ``root/pyproject.toml`` and validate its ``[tool.release-assistant]`` table.

    A repository without a pyproject or without the table gets the defaults. Raises
    :class:`ConfigError` for malformed TOML, an unknown key or a wrong type.
    """
    path = os.path.join(root, "pyproject.toml")
    if not os.path.lexists(path):
        # A pyproject that exists but is no regular file (a directory, a FIFO, a dangling
        # link) is read anyway, so the error names it instead of it silently not counting.
        return LoadedConfig(Config(), None)
    from release_assistant.core.support.confined import resolve_inside

    try:
        resolve_inside(root, "pyproject.toml", None)  # a link out of the tree is not read
        document = load_toml(path)
    except FileProblem as problem:
        raise ConfigError(problem.path, problem.message, problem.line) from None
    tool = document.data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(
            document.path,
            f"[tool] must be a table, found {_describe(tool)}",
            document.line_of(("tool",)),
        )
    table = tool.get("release-assistant")
    if table is None:
        return LoadedConfig(Config(), document)
    config = config_from_table(table, document)
    check_paths_inside(config, table, document, root)
    return LoadedConfig(config, document)


def check_paths_inside(config: Config, table: Any, document: TomlDocument, root: StrPath) -> None:
    """Refuse every configured path that leads out of the work tree at ``root``.

    The one confinement rule (:func:`~release_assistant.core.support.confined.resolve_inside`:
    symlinks followed, ``..`` and absolute paths elsewhere refused) applied once, when the
    configuration is read: ``check``, the hooks, ``bump`` and the walkthrough all load it
    here, so a ``version_files``, ``changelog``, ``workflow`` or gate artifact outside the
    repository is the same one-line :class:`ConfigError` (exit 2) in each, before anything
    is read or written. The readers confine every path again when they open it.
    """
    from release_assistant.core.support.confined import resolve_inside

    paths: list[tuple[tuple[str, ...], str]] = [
        (("version_files",), entry.path) for entry in config.version_files
    ]
    if config.changelog is not None:
        paths.append((("changelog",), config.changelog))
    if isinstance(table, dict) and "workflow" in table:
        paths.append((("workflow",), config.workflow))
    parity = config.gates.parity
    if parity is not None:
        key = ("gates", "parity")
        paths += [((*key, "runs"), run) for run in parity.runs]
        paths += [((*key, name), value) for name, value in _parity_files(parity)]
    for key_path, relpath in paths:
        try:
            resolve_inside(root, relpath, None, "read or written")
        except FileProblem:
            raise _error(
                document,
                (*SECTION, *key_path),
                f"{relpath!r} points outside the repository (symlinks followed); only files "
                "inside it are read or written",
            ) from None


def _parity_files(parity: ParityGateConfig) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, value in (("aggregate", parity.aggregate), ("lock", parity.lock))
        if value is not None
    ]


def config_from_table(table: Any, document: TomlDocument) -> Config:
    """Validate a raw ``[tool.release-assistant]`` table into :class:`Config`."""
    config = _convert(table, Config, SECTION, document)
    assert isinstance(config, Config)
    _check_semantics(config, document)
    return config


def _code_example() -> str:
    """A real finding code for an error message (its rules load only when one is shown)."""
    from release_assistant.core.rules.changelog import VERSIONS_OUT_OF_ORDER

    return repr(VERSIONS_OUT_OF_ORDER.code)


def _check_semantics(config: Config, document: TomlDocument) -> None:
    for check_id in config.checks:
        if check_id not in known_check_ids():
            raise _error(
                document,
                (*SECTION, "checks", check_id),
                _unknown_key(check_id, known_check_ids()).replace(
                    "unknown key", "unknown check id"
                ),
            )
    for index, code in enumerate(config.ignore):
        if not _CODE.match(code):
            raise _error(
                document,
                (*SECTION, "ignore"),
                f"ignore[{index}] = {code!r} is not a finding code like {_code_example()}",
            )
    for code, level in config.severity.items():
        if not _CODE.match(code):
            raise _error(
                document,
                (*SECTION, "severity", code),
                f"{code!r} is not a finding code like {_code_example()}",
            )
        if level not in SEVERITY_LEVELS:
            raise _error(
                document,
                (*SECTION, "severity", code),
                f"{code} = {level!r}: expected one of {', '.join(SEVERITY_LEVELS)}",
            )
    for index, entry in enumerate(config.version_files):
        if entry.pattern is None:
            continue
        # Compiled here (which imports `regex` only when a pattern is configured), so an
        # invalid pattern is a configuration error, not a finding on every run.
        from release_assistant.core.support.user_regex import PatternProblem, compile_user_pattern

        try:
            compile_user_pattern(entry.pattern, f"version_files[{index}].pattern")
        except PatternProblem as problem:
            raise _error(document, (*SECTION, "version_files"), str(problem)) from None
    if config.tag_format is not None and config.tag_format.count("{version}") != 1:
        raise _error(
            document,
            (*SECTION, "tag_format"),
            f"tag_format = {config.tag_format!r} must contain '{{version}}' exactly once",
        )


def _error(document: TomlDocument, key_path: tuple[str, ...], message: str) -> ConfigError:
    dotted = ".".join(key_path[2:]) or "release-assistant"
    return ConfigError(
        document.path,
        f"[tool.release-assistant] {dotted}: {message}",
        document.line_of(key_path),
    )


def _type_name(expected: Any) -> str:
    origin = typing.get_origin(expected)
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(arg) for arg in typing.get_args(expected))
    if origin is list:
        return f"a list of {_type_name(typing.get_args(expected)[0])}"
    if origin is dict:
        return "a table"
    if is_dataclass(expected):
        return "a table"
    return {str: "a string", int: "an integer", bool: "true or false", float: "a number"}.get(
        expected, getattr(expected, "__name__", str(expected))
    )


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _convert(value: Any, expected: Any, key_path: tuple[str, ...], document: TomlDocument) -> Any:
    """Strictly convert raw TOML ``value`` to ``expected`` (no silent coercion)."""
    origin = typing.get_origin(expected)
    if origin in (Union, types.UnionType):
        options = typing.get_args(expected)
        errors: list[ConfigError] = []
        for option in options:
            if option is type(None):
                continue
            try:
                return _convert(value, option, key_path, document)
            except ConfigError as error:
                errors.append(error)
        if len(errors) == 1:
            raise errors[0]
        raise _error(document, key_path, f"expected {_type_name(expected)}, got {_describe(value)}")
    if origin is list:
        if not isinstance(value, list):
            raise _error(
                document, key_path, f"expected {_type_name(expected)}, got {_describe(value)}"
            )
        (item_type,) = typing.get_args(expected)
        return [
            _convert(item, item_type, (*key_path[:-1], f"{key_path[-1]}[{index}]"), document)
            if not is_dataclass(item_type) or isinstance(item, dict)
            else _coerce_shorthand(item, item_type, key_path, index, document)
            for index, item in enumerate(value)
        ]
    if origin is dict:
        if not isinstance(value, dict):
            raise _error(document, key_path, f"expected a table, got {_describe(value)}")
        _, value_type = typing.get_args(expected)
        return {
            key: _convert(item, value_type, (*key_path, key), document)
            for key, item in value.items()
        }
    if is_dataclass(expected):
        if not isinstance(value, dict):
            raise _error(document, key_path, f"expected a table, got {_describe(value)}")
        assert isinstance(expected, type)
        hints = typing.get_type_hints(expected)
        known_fields = {f.name: f for f in fields(expected)}
        for key in value:
            if key not in known_fields:
                raise _error(document, (*key_path, key), _unknown_key(key, known_fields))
        missing = [
            name
            for name, f in known_fields.items()
            if name not in value and f.default is MISSING and f.default_factory is MISSING
        ]
        if missing:
            raise _error(document, key_path, f"missing required key {missing[0]!r}")
        converted = {
            key: _convert(item, hints[key], (*key_path, key), document)
            for key, item in value.items()
        }
        return expected(**converted)
    if expected is bool:
        if not isinstance(value, bool):
            raise _error(document, key_path, f"expected true or false, got {_describe(value)}")
        return value
    if expected is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _error(document, key_path, f"expected an integer, got {_describe(value)}")
        return value
    if expected is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _error(document, key_path, f"expected a number, got {_describe(value)}")
        return float(value)
    if expected is str:
        if not isinstance(value, str):
            raise _error(document, key_path, f"expected a string, got {_describe(value)}")
        return value
    raise TypeError(f"unsupported config type {expected!r}")  # a bug in this module


def _unknown_key(key: str, known: Iterable[str]) -> str:
    """The message for an unknown key: the closest known key ("did you mean"), else all."""
    import difflib

    names = sorted(known)
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return f"unknown key {key!r} (did you mean {close[0]!r}?)"
    return f"unknown key {key!r} (known: {', '.join(names)})"


def _coerce_shorthand(
    item: Any, item_type: Any, key_path: tuple[str, ...], index: int, document: TomlDocument
) -> Any:
    """``version_files = ["pkg/__init__.py"]`` is shorthand for ``[{path = "..."}]``."""
    if isinstance(item, str) and item_type is VersionFile:
        return VersionFile(path=item)
    raise _error(
        document,
        key_path,
        f"{key_path[-1]}[{index}]: expected {_type_name(item_type)}, got {_describe(item)}",
    )
