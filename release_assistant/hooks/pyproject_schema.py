"""validate-pyproject's plugin for ``[tool.release-assistant]``.

Registered in ``pyproject.toml`` under the ``validate_pyproject.tool_schema`` entry point
group, so ``validate-pyproject pyproject.toml`` (often a pre-commit hook) rejects a typo in
our table at commit time. validate-pyproject calls the entry point with the tool's name and
takes the JSON Schema it returns; the schema is the file generated from the config
dataclasses (:func:`release_assistant.core.project.config_schema.tool_table_schema`) and
shipped beside this module, read here without importing pydantic.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

SCHEMA_FILE = "tool-release-assistant.schema.json"


def tool_schema(tool: str = "release-assistant") -> dict[str, Any]:
    """The JSON Schema of ``[tool.<tool>]`` (validate-pyproject passes ``"release-assistant"``)."""
    text = files(__package__ or "release_assistant.hooks").joinpath(SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
