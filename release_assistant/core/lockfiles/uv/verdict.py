"""The ``uv.lock`` verdict: :func:`check`, which the ``lock`` check calls.

Scans the lock (:mod:`.scan`), reads the workspace (:mod:`.workspace`), then runs the
families of comparisons in uv's order: settings (:mod:`.settings`), then ``requires-python``,
``[manifest]`` and the members' kinds (:mod:`.manifest`), then each source tree
(:mod:`.packages`). Emits RA509 when there is no ``pyproject.toml`` to compare with.
"""

from __future__ import annotations

from collections.abc import Mapping

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.lockfiles.files import RepoFiles
from release_assistant.core.lockfiles.uv import manifest, packages, settings
from release_assistant.core.lockfiles.uv.compare import Comparison
from release_assistant.core.lockfiles.uv.model import LOCK, Project
from release_assistant.core.lockfiles.uv.scan import duplicate_findings, scan
from release_assistant.core.lockfiles.uv.workspace import Workspace


def check(files: RepoFiles, text: str, environ: Mapping[str, str]) -> list[Finding]:
    """Every reason ``uv lock --check`` would reject ``text`` for the workspace in ``files``."""
    scanned = scan(text)
    if isinstance(scanned, Finding):
        return [scanned]
    findings = duplicate_findings(scanned)
    root_doc = files.toml("pyproject.toml")
    if root_doc is None:
        findings.append(
            Finding(
                "RA509",
                "uv.lock has no pyproject.toml beside it to compare with",
                Severity.WARNING,
                LOCK,
                None,
                "run `uv lock --check` where the workspace root is",
            )
        )
        return findings
    workspace = Workspace(files, Project(".", root_doc, True), environ)
    workspace.discover_members()
    comparison = Comparison(workspace, scanned)
    settings.check(comparison)
    manifest.check_requires_python(comparison)
    manifest.check_manifest(comparison)
    manifest.check_members(comparison)
    packages.check_source_trees(comparison)
    findings.extend(workspace.report.findings)
    return findings
