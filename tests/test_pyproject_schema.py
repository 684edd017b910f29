"""validate-pyproject's plugin for ``[tool.release-assistant]``: the schema it returns is the
one pydantic derives from the config dataclasses (shipped and published copies held equal),
it is read without importing pydantic, and the real validate-pyproject, finding the plugin
through the entry point our ``pyproject.toml`` declares, rejects a typo and passes a valid
table."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from release_assistant.core.project.config_schema import tool_table_schema_text
from release_assistant.core.support.toml_lines import tomllib
from release_assistant.hooks.pyproject_schema import SCHEMA_FILE, tool_schema
from tests.conftest import REPO_ROOT

SHIPPED = REPO_ROOT / "release_assistant" / "hooks" / SCHEMA_FILE
PUBLISHED = REPO_ROOT / "schemas" / SCHEMA_FILE
GROUP = "validate_pyproject.tool_schema"
REGENERATE = (
    "write release_assistant.core.project.config_schema.tool_table_schema_text() to "
    f"schemas/{SCHEMA_FILE} and release_assistant/hooks/{SCHEMA_FILE}"
)


@pytest.mark.parametrize("path", [SHIPPED, PUBLISHED], ids=["shipped", "published"])
def test_the_schema_files_are_the_dataclasses_schema(path: Path) -> None:
    assert path.read_text(encoding="utf-8") == tool_table_schema_text(), f"regenerate: {REGENERATE}"


def test_the_plugin_returns_the_schema_without_importing_pydantic() -> None:
    code = (
        "import sys, json; from release_assistant.hooks.pyproject_schema import tool_schema;"
        " s = tool_schema('release-assistant'); print(json.dumps(s, sort_keys=True));"
        " print('pydantic' in sys.modules)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
    )
    schema_line, imported = completed.stdout.splitlines()
    assert imported == "False"
    assert json.loads(schema_line) == json.loads(tool_table_schema_text()) == tool_schema()
    assert tool_schema()["$id"] and tool_schema()["additionalProperties"] is False


def declared_entry_point() -> str:
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    target: str = data["project"]["entry-points"][GROUP]["release-assistant"]
    assert target == "release_assistant.hooks.pyproject_schema:tool_schema"
    return target


def validate_pyproject(tmp_path: Path, table: str) -> subprocess.CompletedProcess[str]:
    """Run the real validate-pyproject on a pyproject.toml holding ``table``, with our plugin
    registered as an installed distribution declares it (a dist-info's entry_points.txt)."""
    site = tmp_path / "site"
    dist_info = site / "release_assistant_schema_plugin-0.dist-info"
    dist_info.mkdir(parents=True, exist_ok=True)
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: release-assistant-schema-plugin\nVersion: 0\n",
        encoding="utf-8",
    )
    (dist_info / "entry_points.txt").write_text(
        f"[{GROUP}]\nrelease-assistant = {declared_entry_point()}\n", encoding="utf-8"
    )
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        textwrap.dedent(
            """\
            [project]
            name = "demo"
            version = "1.0.0"

            """
        )
        + textwrap.dedent(table),
        encoding="utf-8",
    )
    return subprocess.run(
        [sys.executable, "-c", "from validate_pyproject.cli import main; main()", str(pyproject)],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": f"{site}:{REPO_ROOT}", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
        timeout=120,
    )


def test_validate_pyproject_lists_our_plugin(tmp_path: Path) -> None:
    completed = validate_pyproject(tmp_path, "")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    listing = subprocess.run(
        [sys.executable, "-c", "from validate_pyproject.cli import main; main()", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": f"{tmp_path / 'site'}:{REPO_ROOT}", "PATH": "/usr/bin:/bin"},
    )
    assert "'release-assistant'" in listing.stdout


def test_a_valid_table_passes(tmp_path: Path) -> None:
    completed = validate_pyproject(
        tmp_path,
        """\
        [tool.release-assistant]
        main_branch = "main"
        tag_format = "v{version}"
        changelog = "CHANGELOG.md"

        [tool.release-assistant.checks.lock]
        blocking = false
        """,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Valid file" in completed.stdout + completed.stderr


@pytest.mark.parametrize(
    ("table", "typo"),
    [
        ('[tool.release-assistant]\ntag_fromat = "v{version}"\n', "tag_fromat"),
        ("[tool.release-assistant.checks.lock]\nblockng = false\n", "blockng"),
        ('[tool.release-assistant]\nmain_branch = ["main"]\n', "main_branch"),
    ],
    ids=["top-level key", "nested key", "wrong type"],
)
def test_a_mistake_in_our_table_is_rejected(tmp_path: Path, table: str, typo: str) -> None:
    completed = validate_pyproject(tmp_path, table)
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0, output
    assert "tool.release-assistant" in output
    assert re.search(re.escape(typo) + r"|main_branch", output), output


def test_the_readme_configuration_example_passes(tmp_path: Path) -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1]
    example = re.search(r"```toml\n(.*?)```", section, flags=re.DOTALL)
    assert example is not None and "[tool.release-assistant]" in example.group(1)
    completed = validate_pyproject(tmp_path, example.group(1))
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_schema_command_prints_the_same_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from release_assistant.cli.main import main

    assert main(["schema", "config"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(tool_table_schema_text())
