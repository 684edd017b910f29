"""``release-assistant schema NAME``: print a JSON Schema the tool publishes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from release_assistant.core.support.errors import ExitCode


def _report() -> dict[str, Any]:
    from release_assistant.core.report.json_report import report_schema

    return report_schema()


def _config() -> dict[str, Any]:
    from release_assistant.core.project.config_schema import tool_table_schema

    return tool_table_schema()


def _parity(name: str) -> Callable[[], dict[str, Any]]:
    def schema() -> dict[str, Any]:
        from release_assistant.core.gates.models import artifact_schema

        return artifact_schema(name)

    return schema


#: Schema name -> function producing it. Other modules add their artifact schemas here.
SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "report": _report,
    "config": _config,
    **{name: _parity(name) for name in ("parity-run", "parity-aggregate", "parity-lock")},
    **{name: _parity(name) for name in ("parity-summary", "parity-suite-spec", "parity-scores")},
}


def register(subparsers: Any) -> None:
    """Add the ``schema`` command."""
    parser = subparsers.add_parser("schema", help="print a JSON Schema (report, config, ...)")
    parser.add_argument("name", choices=sorted(SCHEMAS), help="which schema")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the schema as indented JSON."""
    sys.stdout.write(json.dumps(SCHEMAS[args.name](), indent=2) + "\n")
    return ExitCode.OK
