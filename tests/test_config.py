"""``[tool.release-assistant]`` loading: defaults, strict validation, line numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from release_assistant.core.project.config import (
    CheckSettings,
    Config,
    ConfigError,
    ParityGateConfig,
    VersionFile,
    load_config,
)
from release_assistant.core.support.toml_lines import parse_toml, split_dotted_key


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_no_pyproject_gives_defaults(tmp_path: Path) -> None:
    loaded = load_config(tmp_path)
    assert loaded.config == Config()
    assert loaded.pyproject is None


def test_no_section_gives_defaults(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, '[project]\nname = "x"\n'))
    assert loaded.config == Config()
    assert loaded.pyproject is not None


def test_full_section_is_read(tmp_path: Path) -> None:
    text = """
[project]
name = "x"

[tool.release-assistant]
main_branch = "trunk"
tag_format = "release-{version}"
changelog = "HISTORY.md"
version_files = ["src/x/__init__.py", { path = "VERSION.txt", pattern = "(?P<version>.+)" }]
ignore = ["RA410"]
commands = ["make docs"]

[tool.release-assistant.checks.lock]
blocking = false

[tool.release-assistant.checks.dist]
enabled = false

[tool.release-assistant.publisher]
owner = "octo"
repository = "x"

[tool.release-assistant.gates.parity]
runs = ["a.json"]
aggregate = "agg.json"
lock = "lock.json"
required_suites = ["dreamerv3"]
max_missing_pairs = 2
"""
    config = load_config(write(tmp_path, text)).config
    assert config.main_branch == "trunk"
    assert config.tag_format == "release-{version}"
    assert config.version_files == [
        VersionFile("src/x/__init__.py"),
        VersionFile("VERSION.txt", "(?P<version>.+)"),
    ]
    assert config.settings_for("lock") == CheckSettings(enabled=True, blocking=False)
    assert config.settings_for("dist") == CheckSettings(enabled=False, blocking=True)
    assert config.settings_for("version") == CheckSettings()
    assert config.publisher.owner == "octo"
    assert config.publisher.environment == "pypi"
    assert config.gates.parity == ParityGateConfig(
        runs=["a.json"],
        aggregate="agg.json",
        lock="lock.json",
        required_suites=["dreamerv3"],
        max_missing_pairs=2,
    )


BAD_CONFIGS = [
    ('tag_fromat = "v{version}"', 5, "unknown key 'tag_fromat' (did you mean 'tag_format'?)"),
    ("zzz = 1", 5, "unknown key 'zzz' (known: changelog, "),
    (
        "[tool.release-assistant.publisher]\nenviroment = 'pypi'",
        6,
        "publisher.enviroment: unknown key 'enviroment' (did you mean 'environment'?)",
    ),
    ("main_branch = 3", 5, "main_branch: expected a string, got 3"),
    ('ignore = "RA401"', 5, "ignore: expected a list of a string"),
    ('ignore = ["E501"]', 5, "is not a finding code"),
    ('tag_format = "v"', 5, "must contain '{version}'"),
    ("version_files = [3]", 5, "version_files[0]: expected a table"),
    ("[tool.release-assistant.checks.lint]\nenabled = true", 5, "unknown check id 'lint'"),
    (
        "[tool.release-assistant.checks.chnagelog]\nenabled = true",
        5,
        "unknown check id 'chnagelog' (did you mean 'changelog'?)",
    ),
    ('[tool.release-assistant.checks.lock]\nenabled = "yes"', 6, "expected true or false"),
    (
        "[tool.release-assistant.publisher]\nowner = 1\nrepository = 'x'",
        6,
        "owner: expected a string",
    ),
    ("[tool.release-assistant.gates.parity]\nmax_missing_pairs = 1.5", 6, "expected an integer"),
    ("[tool.release-assistant.gates.parity]\nmax_missing_pairs = true", 6, "got true"),
    ("[tool.release-assistant.gates.nightly]\nx = 1", 5, "unknown key 'nightly'"),
]


@pytest.mark.parametrize(("body", "line", "message"), BAD_CONFIGS)
def test_bad_config_names_key_and_line(tmp_path: Path, body: str, line: int, message: str) -> None:
    text = f'[project]\nname = "x"\n\n[tool.release-assistant]\n{body}\n'
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    error = caught.value
    assert error.line == line, str(error)
    assert message in str(error)
    assert str(error).startswith(f"{tmp_path / 'pyproject.toml'}:{line}: [tool.release-assistant]")
    assert "\n" not in str(error)


def test_malformed_toml_names_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, '[project]\nname = "x"\nversion = \n'))
    assert caught.value.line == 3
    assert "invalid TOML" in str(caught.value)


def test_section_not_a_table(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="expected a table"):
        load_config(write(tmp_path, '[tool]\nrelease-assistant = "on"\n'))


AGREEMENT_CORPUS: list[dict[str, Any]] = [
    {},
    {"main_branch": "trunk", "ignore": ["RA401"]},
    {"main_branch": 3},
    {"checks": {"lock": {"enabled": "yes"}}},
    {"checks": {"lock": {"enabled": False, "blocking": False}}},
    {"publisher": {"owner": "octo", "environment": "release"}},
    {"publisher": {"owner": "octo", "colour": "red"}},
    {"gates": {"parity": {"runs": ["a.json"], "max_missing_pairs": 1}}},
    {"gates": {"parity": {"runs": "a.json"}}},
    {"gates": {"parity": {"max_missing_pairs": 1.5}}},
    {"version_files": [{"path": "a.py"}]},
    {"version_files": [{"pattern": "x"}]},
    {"ci": {"timeout_seconds": 5}},
    {"commands": ["make", 1]},
    {"nonsense": True},
]


@pytest.mark.parametrize("table", AGREEMENT_CORPUS)
def test_pydantic_agrees_with_the_hook_safe_validator(table: dict[str, Any]) -> None:
    """The light validator (used by hooks) and pydantic (schema) accept the same tables."""
    from release_assistant.core.project.config import config_from_table

    document = parse_toml("", Path("pyproject.toml"))
    try:
        ours: Config | None = config_from_table(table, document)
    except ConfigError:
        ours = None
    try:
        theirs: object | None = TypeAdapter(Config).validate_json(json.dumps(table), strict=True)
    except ValidationError:
        theirs = None
    assert (ours is None) == (theirs is None)
    if ours is not None:
        # Same field names and values, nested sections included: one class, two validators.
        assert repr(ours) == repr(theirs)


def test_config_schema_is_published() -> None:
    schema = TypeAdapter(Config).json_schema()
    assert schema["additionalProperties"] is False
    assert "tag_format" in schema["properties"]


def test_dotted_keys_and_lines() -> None:
    assert split_dotted_key('tool."release-assistant".checks') == (
        "tool",
        "release-assistant",
        "checks",
    )
    document = parse_toml(
        '[tool.release-assistant]\nchecks.lock.enabled = false\n\n[project]\nname = "x"\n',
        Path("pyproject.toml"),
    )
    assert document.line_of(("tool", "release-assistant", "checks", "lock", "enabled")) == 2
    assert document.line_of(("project", "name")) == 5
    assert document.line_of(("project", "missing")) == 4
