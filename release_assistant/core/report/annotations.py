"""CI-native reporters over the :class:`~release_assistant.core.report.Report`: SARIF and
GitHub workflow-command annotations.

- :func:`sarif_log` is a SARIF 2.1.0 log (what GitHub code scanning and other viewers read):
  one run, the rule metadata from the rule registry (title, cause, fix, default level), one
  result per finding with its file and line.
- :func:`github_annotations` is ``::error file=…,line=…,title=…::message`` lines, which a
  GitHub Actions step turns into annotations on the pull request or run summary.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from release_assistant import __version__
from release_assistant.core.findings import Status
from release_assistant.core.report.run_report import Report, active_findings
from release_assistant.core.rules import all_rules, rule_for

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def sarif_log(report: Report) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log (a JSON-ready dict)."""
    rules = [rule for rule in all_rules() if rule.check and not rule.code.endswith("xx")]
    index = {rule.code: position for position, rule in enumerate(rules)}
    results: list[dict[str, Any]] = []
    for check in report.checks:
        for finding, suppressed in check.listed_findings():
            message = finding.message + (f"\nFix: {finding.hint}" if finding.hint else "")
            # A folded-in finding keeps the other tool's id as a hierarchical sub-rule of
            # ours (SARIF 3.27.5): "RA690/zizmor/template-injection".
            rule_id = f"{finding.code}/{finding.external_id}" if finding.external_id else None
            result: dict[str, Any] = {
                "ruleId": rule_id or finding.code,
                "level": _LEVELS[finding.severity.value],
                "message": {"text": message},
                "properties": {"check": check.id, "blocking": check.blocking},
            }
            if finding.external_id:
                result["properties"]["externalId"] = finding.external_id
            if suppressed:
                result["suppressions"] = [{"kind": "inSource"}]
            if finding.code in index:
                result["ruleIndex"] = index[finding.code]
            if finding.path:
                location: dict[str, Any] = {
                    "artifactLocation": {"uri": sarif_uri(finding.path), "uriBaseId": "%SRCROOT%"}
                }
                if finding.line:
                    location["region"] = {"startLine": finding.line}
                result["locations"] = [{"physicalLocation": location}]
            results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "release-assistant",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule_descriptor(rule.code) for rule in rules],
                    }
                },
                "invocations": [{"executionSuccessful": True}],
                "results": results,
                "properties": {"ok": report.ok, "tag": report.tag, "version": report.version},
            }
        ],
    }


def sarif_uri(path: str) -> str:
    """``path`` (relative to the work tree, ``/``-separated) as the relative URI reference
    SARIF requires (§3.10): spaces, ``%``, ``#``, ``?`` and non-ASCII percent-encoded as
    UTF-8, so ``docs/my notes#1.md`` stays one file and not a path and a fragment."""
    return quote(path, safe="/")


def _rule_descriptor(code: str) -> dict[str, Any]:
    rule = rule_for(code)
    assert rule is not None
    return {
        "id": rule.code,
        "name": "".join(word.capitalize() for word in rule.title.replace("'", "").split()[:8]),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.cause},
        "help": {"text": rule.fix},
        "defaultConfiguration": {"level": _LEVELS[rule.severity.value]},
        "properties": {"check": rule.check, "reference": rule.anchor},
    }


def github_annotations(report: Report) -> str:
    """One workflow command per finding, then a one-line verdict."""
    lines = []
    for check in report.checks:
        for finding in active_findings(check):
            code = f"{finding.code} {finding.external_id}" if finding.external_id else finding.code
            properties = [f"title={_escape_property(f'{code} ({check.id})')}"]
            if finding.path:
                properties.insert(0, f"file={_escape_property(finding.path)}")
                if finding.line:
                    properties.insert(1, f"line={finding.line}")
            text = finding.message + (f"\nfix: {finding.hint}" if finding.hint else "")
            command = _COMMANDS[finding.severity.value]
            lines.append(f"::{command} {','.join(properties)}::{_escape_data(text)}")
    blocked = [check.id for check in report.checks if check.status in (Status.FAIL, Status.ERROR)]
    verdict = "ready to release" if report.ok else f"release blocked ({', '.join(blocked)})"
    lines.append(f"release-assistant: {verdict}")
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping (actions/toolkit `escapeData`).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
