"""``lock``: lock files parse, carry no conflict markers and are in sync with pyproject.toml.

The verdict for each lock is the one its tool gives (``uv lock --check``, ``poetry check
--lock``, ``pdm lock --check``), computed offline without running the tool
(:mod:`release_assistant.core.lockfiles`). Every finding names what differs and the command that
regenerates the lock.

Codes: RA501 merge-conflict markers, RA502 not valid TOML (or an unreadable entry), RA503 lock
format version this check does not know (warning), RA504 a dependency, extra, dependency group or
``[manifest]`` entry differs from pyproject.toml, RA505 ``requires-python`` differs, RA506 a
project's version differs (or static/dynamic changed), RA507 workspace members, virtual or
editable state changed, RA508 resolver settings differ (resolution, pre-release, fork strategy,
exclude-newer, environments, conflicts, indexes), RA509 cannot be verified statically (warning),
RA510 ``poetry.lock`` content-hash stale, RA511 ``pdm.lock`` content_hash stale, RA512
``pdm.lock`` uses lock_inputs (warning), RA513 lock ignored by git (warning), RA514 lock not
tracked by git (warning), RA515 duplicate package entries, RA516 a published package depends on a
local path (warning), RA517 absolute path, path outside the repository or local file URL
(warning), RA518 credentials in a URL (warning), RA519 two tools' locks side by side (warning),
RA520 a tool is configured but its lock is missing (warning), RA522 pyproject.toml holds a
value the lock's tool refuses (a wrong type, a number beyond 64 bits).

A ``uv.lock`` that git ignores in a project whose ``[tool.uv]`` holds only resolver settings
(or nothing) is a library keeping its lock out on purpose: neither reported nor checked, and
such a project without a ``uv.lock`` is not asked for one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from release_assistant.core.collector import FindingCollector
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Finding, Severity
from release_assistant.core.lockfiles import generic
from release_assistant.core.lockfiles.files import RepoFiles
from release_assistant.core.lockfiles.pyproject_shape import SCHEMAS, pyproject_problem
from release_assistant.core.lockfiles.text import conflict_marker_lines
from release_assistant.core.support.textfiles import FileProblem
from release_assistant.core.support.toml_lines import TomlDocument

ID = "lock"
TITLE = "Lock files in sync"


def run(ctx: RepoContext) -> CheckResult:
    """Check the repository's lock files as they are in the work tree."""
    return check(ctx.root, pyproject=ctx.pyproject, environ=ctx.environ)


def run_staged(ctx: RepoContext) -> CheckResult:
    """Check the lock files as staged in the git index (what a commit would record)."""
    return check(ctx.root, staged=True, environ=ctx.environ)


def check(
    root: Path,
    *,
    staged: bool = False,
    pyproject: TomlDocument | None = None,
    environ: Mapping[str, str] | None = None,
) -> CheckResult:
    """The ``lock`` check for the project at ``root`` (no :class:`RepoContext` needed)."""
    out = FindingCollector(ID, TITLE)
    files = RepoFiles(root, staged)
    if pyproject is not None:
        files.remember_toml("pyproject.toml", pyproject)
    findings, ignored = _collect(root, files, environ)
    out.findings.extend(findings)
    if not out.findings:
        present = _present(files)  # the files read above, from their cache
        if not present:
            return out.result(skip_reason="no uv.lock, poetry.lock or pdm.lock in the project")
        if set(present) <= ignored:
            return out.result(
                skip_reason=f"{' and '.join(present)} is ignored by git and the project does "
                "not rely on it (no project settings in [tool.uv]): a lock kept out of the "
                "repository on purpose is not part of the release"
            )
    return out.result()


def lock_findings(
    root: Path, files: RepoFiles, environ: Mapping[str, str] | None = None
) -> list[Finding]:
    """Every finding about the lock files of the project at ``root``, read through ``files``."""
    return _collect(root, files, environ)[0]


def _collect(
    root: Path, files: RepoFiles, environ: Mapping[str, str] | None
) -> tuple[list[Finding], set[str]]:
    """The findings, and the locks left unchecked because git ignores them on purpose."""
    environ = os.environ if environ is None else environ
    document = files.toml("pyproject.toml")
    data = document.data if document is not None else None
    present = _present(files)
    findings: list[Finding] = []
    findings.extend(generic.missing_lock_findings(generic.configured_tools(data), present))
    states = generic.git_states(root, present) if present else None
    ignored = generic.deliberately_ignored(states, data)
    findings.extend(generic.side_by_side_findings([n for n in present if n not in ignored]))
    findings.extend(generic.git_findings(present, states, data))
    for name in present:
        if name in ignored:
            continue  # not committed on purpose: its freshness is nobody else's concern
        try:
            text = files.read(name)
        except FileProblem as problem:
            findings.append(
                Finding(
                    "RA502",
                    f"{name} cannot be read: {problem.message}",
                    Severity.ERROR,
                    name,
                    problem.line,
                    f"regenerate it with `{generic.LOCK_FILES[name][1]}`",
                )
            )
            continue
        if text is None:
            continue
        markers = conflict_marker_lines(text)
        if markers:
            tool_command = generic.LOCK_FILES[name][1]
            findings.extend(
                Finding(
                    "RA501",
                    f"{name} has a merge-conflict marker; the lock cannot be read",
                    Severity.ERROR,
                    name,
                    line,
                    f"take either side (`git checkout --theirs {name}`) and regenerate it with "
                    f"`{tool_command}`; never merge lock files by hand",
                )
                for line in markers
            )
            continue
        refused = _refused_pyproject(name, document)
        if refused is not None:
            findings.append(refused)  # the tool cannot read its input: nothing to compare
            continue
        findings.extend(_tool_findings(name, text, files, data, environ))
        findings.extend(generic.nonportable_findings(text, name, root))
    return findings, ignored


def _refused_pyproject(name: str, document: TomlDocument | None) -> Finding | None:
    """RA522 when the lock's tool would refuse ``pyproject.toml`` (a value of a wrong type)."""
    if document is None:
        return None
    problem = pyproject_problem(document, SCHEMAS[name])
    if problem is None:
        return None
    line, message = problem
    tool, command = generic.LOCK_FILES[name]
    return Finding(
        "RA522",
        f"pyproject.toml cannot be read by {tool}: {message}",
        Severity.ERROR,
        "pyproject.toml",
        line,
        f"fix the value, then run `{command}` (it refuses the file as it is)",
    )


def _present(files: RepoFiles) -> list[str]:
    return [name for name in generic.LOCK_FILES if files.exists(name)]


def _tool_findings(
    name: str,
    text: str,
    files: RepoFiles,
    data: dict[str, object] | None,
    environ: Mapping[str, str],
) -> list[Finding]:
    if name == "uv.lock":
        from release_assistant.core.lockfiles import uv

        return uv.check(files, text, environ)
    if name == "poetry.lock":
        from release_assistant.core.lockfiles import poetry

        return poetry.check(text, data)
    from release_assistant.core.lockfiles import pdm

    def read(relpath: str) -> dict[str, object] | None:
        try:
            document = files.toml(relpath)
        except FileProblem:
            return None
        return None if document is None else document.data

    findings = pdm.duplicates(text)
    findings.extend(pdm.check(text, files.root, data, read))
    return findings
