"""``[project]`` against the packaging specifications: each broken field is RA320 with its
key and line; a valid table (static or dynamic) gives nothing."""

from __future__ import annotations

import pytest

from release_assistant.core.project.table import project_problems
from release_assistant.core.support.toml_lines import parse_toml

VALID = """\
[project]
name = "my-package"
version = "1.2.3rc1"
description = "A package."
requires-python = ">=3.10"
license = "MIT OR Apache-2.0"
keywords = ["release"]
dependencies = ["requests>=2.31", "tomli; python_version < '3.11'"]
dynamic = ["readme"]

[project.optional-dependencies]
cli = ["click>=8"]

[project.urls]
Homepage = "https://example.invalid/"
"""


def problems(text: str) -> list[tuple[str, int | None]]:
    return [(f.message, f.line) for f in project_problems(parse_toml(text, "pyproject.toml"))]


def test_a_valid_table_has_no_problem() -> None:
    assert problems(VALID) == []
    assert problems("[tool.x]\na = 1\n") == []  # no [project]: nothing to validate


@pytest.mark.parametrize(
    ("edit", "needle", "line"),
    [
        (('"my-package"', '"-bad name-"'), "is not a valid project name", 2),
        (('">=3.10"', '"3.10+"'), "is not a version specifier set", 5),
        (('"MIT OR Apache-2.0"', '"MIT or whatever"'), "not a valid SPDX license", 6),
        (
            ('dependencies = ["requests>=2.31", ', 'dependencies = "requests"\nx = ['),
            "dependencies must be a list of requirement strings",
            8,
        ),
        (('"requests>=2.31"', '"requests>>2"'), "dependencies[0]", 8),
        (('dynamic = ["readme"]', 'dynamic = ["name"]'), "name cannot be dynamic", 9),
        (('dynamic = ["readme"]', 'dynamic = ["version"]'), "also given statically", 9),
        (
            ('dynamic = ["readme"]', 'dynamic = ["colour"]'),
            "is not a [project] field that can be dynamic",
            9,
        ),
        (('cli = ["click>=8"]', 'cli = "click"'), "must be a list of requirements", 12),
        (('keywords = ["release"]', "keywords = 3"), "keywords must be a list of strings", 7),
    ],
)
def test_each_broken_field_is_named_with_its_line(
    edit: tuple[str, str], needle: str, line: int
) -> None:
    text = VALID.replace(*edit)
    assert text != VALID
    found = problems(text)
    assert any(needle in message for message, _ in found), found
    assert all(message.startswith("[project") for message, _ in found)
    assert any(found_line == line for message, found_line in found if needle in message), found


def test_project_not_a_table_and_no_name() -> None:
    assert problems("project = 3\n") == [("[project] must be a table, found a number", 1)]
    found = problems('[project]\nversion = "1.0"\n')
    assert found and "has no name" in found[0][0]


def test_the_version_check_reports_a_broken_project_table(tmp_path: object) -> None:
    from pathlib import Path

    from release_assistant.core.checks import version
    from release_assistant.core.context import RepoContext

    root = Path(str(tmp_path))
    (root / "pyproject.toml").write_text(
        VALID.replace('dependencies = ["requests>=2.31", ', 'dependencies = "requests"\nx = ['),
        encoding="utf-8",
    )
    result = version.run(RepoContext.load(root))
    codes = [(f.code, f.severity.value) for f in result.findings]
    assert ("RA320", "error") in codes
    assert result.status.value == "fail"
