"""The JSON Schema of ``[tool.release-assistant]`` as other tools read it.

One definition: pydantic's schema of the :class:`~release_assistant.core.project.config.Config`
dataclasses (the same ``TypeAdapter`` that ``release-assistant schema config`` prints), with
the ``$schema`` and ``$id`` that validate-pyproject requires of a plugin's schema (it rejects
one without ``$id``, and one whose ``$schema`` is not its own draft 07) and that editors read.

The validate-pyproject plugin (:mod:`release_assistant.hooks.pyproject_schema`) runs on every
commit where validate-pyproject is a pre-commit hook, so it does not build this (importing
pydantic costs 110-170 ms): it reads the copy generated from here and shipped in the package,
and ``tests/test_pyproject_schema.py`` holds that copy, and the one published in
``schemas/``, equal to this function's output.
"""

from __future__ import annotations

import json
from typing import Any

#: The draft validate-pyproject validates with (its own top-level schema's ``$schema``).
JSON_SCHEMA_DRAFT = "http://json-schema.org/draft-07/schema#"
#: The schema's identity: where this repository publishes it (``schemas/``).
TOOL_SCHEMA_ID = (
    "https://github.com/OWNER/release-assistant/raw/main/schemas/tool-release-assistant.schema.json"
)


def tool_table_schema() -> dict[str, Any]:
    """The JSON Schema of the ``[tool.release-assistant]`` table, from the config dataclasses."""
    from pydantic import TypeAdapter

    from release_assistant.core.project.config import Config

    generated: dict[str, Any] = TypeAdapter(Config).json_schema()
    # The table takes ``version_files = ["pkg/__init__.py"]`` as shorthand for
    # ``[{path = "..."}]`` (config.py's converter); pydantic sees only the dataclass, so its
    # schema would reject the form the README shows.
    version_files = generated["properties"]["version_files"]
    version_files["items"] = {"anyOf": [{"type": "string"}, version_files["items"]]}
    return {"$schema": JSON_SCHEMA_DRAFT, "$id": TOOL_SCHEMA_ID, **generated}


def tool_table_schema_text() -> str:
    """:func:`tool_table_schema` as the JSON text the shipped and published files hold."""
    return json.dumps(tool_table_schema(), indent=2, sort_keys=True) + "\n"
