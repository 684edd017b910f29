"""``release-assistant explain CODE``: the cause and fix behind a finding code or symptom."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from release_assistant.core.rules.engine import CHECK_COULD_NOT_RUN
from release_assistant.core.rules.workflow import NOT_TIED_TO_RELEASE
from release_assistant.core.support.errors import ExitCode, UsageError


def register(subparsers: Any) -> None:
    """Add the ``explain`` command."""
    parser = subparsers.add_parser(
        "explain",
        help=f"explain a finding code ({NOT_TIED_TO_RELEASE.code}) or a publish error "
        "(invalid-publisher)",
        description="Print the cause and the fix for any finding code "
        f"({CHECK_COULD_NOT_RUN.code}, RA3xx version, "
        "RA4xx changelog, RA5xx lock, RA6xx workflow, RA7xx publisher, RA8xx gates), or for "
        "an error a failed publish run printed: invalid-publisher, oidc-permission, no-dists. "
        "`--list` shows every key.",
    )
    parser.add_argument("code", nargs="?", help="finding code or symptom name")
    parser.add_argument("--list", action="store_true", help="list every code and symptom")
    parser.add_argument(
        "--reference",
        action="store_true",
        help="print the rule reference as Markdown (this is how docs/rules.md is made)",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print one entry (or the list); an unknown code is a usage error (exit 2)."""
    from release_assistant.core.rules import all_rules, explain

    if args.reference:
        from release_assistant.core.rules.reference import markdown_reference

        sys.stdout.write(markdown_reference())
        return ExitCode.OK
    if args.list:
        rules = all_rules()
        if args.format == "json":
            rows = [
                {"key": r.code, "check": r.check, "severity": r.weight(), "title": r.title}
                for r in rules
            ]
            sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        else:
            width = max(len(rule.code) for rule in rules)
            for rule in rules:
                weight = rule.weight() if rule.check else "publish run"
                print(f"{rule.code:<{width}}  {weight:<14}  {rule.title}")
        return ExitCode.OK
    if not args.code:
        raise UsageError(f"explain: give a code such as {NOT_TIED_TO_RELEASE.code} (or --list)")
    entry = explain(args.code)
    if entry is None:
        raise UsageError(
            f"explain: unknown code {args.code!r} (`release-assistant explain --list` shows "
            "the known ones)"
        )
    if args.format == "json":
        payload = {
            "key": entry.code,
            "code": args.code.strip().upper() if entry.code.endswith("xx") else entry.code,
            "check": entry.check or None,
            "severity": entry.weight() if entry.check else None,
            "title": entry.title,
            "cause": entry.cause,
            "fix": entry.fix,
            "docs": entry.docs,
            "reference": entry.anchor,
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        sys.stdout.write(entry.as_text(args.code.strip()))
    return ExitCode.OK
