"""``release-assistant explain CODE``: the cause and fix behind a finding code or symptom."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from release_assistant.cli.main import EXIT_OK, UsageError


def register(subparsers: Any) -> None:
    """Add the ``explain`` command."""
    parser = subparsers.add_parser(
        "explain",
        help="explain a finding code (RA604) or a publish error (invalid-publisher)",
        description="Print the cause and the fix for any finding code (RA001, RA3xx version, "
        "RA4xx changelog, RA5xx lock, RA6xx workflow, RA7xx publisher, RA8xx gates), or for "
        "an error a failed publish run printed: invalid-publisher, oidc-permission, no-dists. "
        "`--list` shows every key.",
    )
    parser.add_argument("code", nargs="?", help="finding code or symptom name")
    parser.add_argument("--list", action="store_true", help="list every code and symptom")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print one entry (or the list); an unknown code is a usage error (exit 2)."""
    from release_assistant.core.troubleshooting import ENTRIES, explain

    if args.list:
        if args.format == "json":
            rows = [{"key": e.key, "title": e.title} for e in ENTRIES]
            sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        else:
            width = max(len(item.key) for item in ENTRIES)
            for item in ENTRIES:
                print(f"{item.key:<{width}}  {item.title}")
        return EXIT_OK
    if not args.code:
        raise UsageError("explain: give a code such as RA604 (or --list)")
    entry = explain(args.code)
    if entry is None:
        raise UsageError(
            f"explain: unknown code {args.code!r} (`release-assistant explain --list` shows "
            "the known ones)"
        )
    if args.format == "json":
        payload = {
            "key": entry.key,
            "code": args.code.strip().upper() if entry.key.endswith("xx") else entry.key,
            "title": entry.title,
            "cause": entry.cause,
            "fix": entry.fix,
            "docs": entry.docs,
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        sys.stdout.write(entry.as_text(args.code.strip()))
    return EXIT_OK
