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

A stale lock (RA504-RA508, RA510, RA511) is an error when something on the release or CI path
fails on it: a workflow runs ``uv sync --locked``, ``uv lock --check``, ``poetry install``,
``pdm install --check`` and the like, or the project's own pre-commit configuration has a lock
hook (:mod:`release_assistant.core.lockfiles.consequence` finds them, at the git root). When
nothing does, it is a warning that says what CI does instead (installs the lock as it is, or
relocks). The ``check-lock-file`` hook runs :func:`run_strict`: a maintainer who installs it
asked for the tool's own verdict. :func:`check` without a ``consequence`` is that verdict too.
Each stale difference is reported once per lock.

A ``uv.lock`` that git ignores in a project whose ``[tool.uv]`` holds only resolver settings
(or nothing) is a library keeping its lock out on purpose: neither reported nor checked, and
such a project without a ``uv.lock`` is not asked for one.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from release_assistant.core.check_table import LOCK
from release_assistant.core.collector import FindingCollector
from release_assistant.core.findings import CheckResult, Finding, Severity, Status
from release_assistant.core.lockfiles import generic
from release_assistant.core.lockfiles.files import RepoFiles
from release_assistant.core.lockfiles.pyproject_shape import SCHEMAS, pyproject_problem
from release_assistant.core.lockfiles.text import conflict_marker_lines
from release_assistant.core.rules.lock import (
    CONFLICT_MARKERS,
    REFUSED_PYPROJECT_VALUES,
    STALE_DEPENDENCY,
    STALE_PDM_HASH,
    STALE_POETRY_HASH,
    STALE_PROJECT_VERSION,
    STALE_REQUIRES_PYTHON,
    STALE_RESOLVER_SETTINGS,
    STALE_WORKSPACE_MEMBERS,
    UNREADABLE_LOCK,
)
from release_assistant.core.support.lazy_regex import LazyPattern
from release_assistant.core.support.textfiles import FileProblem
from release_assistant.core.support.toml_lines import TomlDocument

if TYPE_CHECKING:
    # The hook's quick path (hook_passes) runs without a RepoContext.
    from release_assistant.core.context import RepoContext
    from release_assistant.core.git.spawn import StartedGit

    # Imported where a stale lock is weighed: the hook (run_strict) never does.
    from release_assistant.core.lockfiles.consequence import Consequence
    from release_assistant.core.lockfiles.uv.lock_entries import LockedPackage

ID = LOCK.id
TITLE = LOCK.title


def run(ctx: RepoContext) -> CheckResult:
    """Check the repository's lock files as they are in the work tree, a stale lock weighed by
    what the workflows and pre-commit hooks of the git root do with it."""
    from functools import partial

    from release_assistant.core.lockfiles.consequence import lock_consequence

    # Read the workflows and the pre-commit configuration only when a stale lock needs
    # weighing: on most runs no lock is stale, and reading them was most of the check's time.
    consequence = partial(lock_consequence, ctx.git_root)
    workspace = _workspace_lock_root(ctx)
    if workspace is None:
        return check(
            ctx.root, pyproject=ctx.pyproject, environ=ctx.environ, consequence=consequence
        )
    # A member of a workspace: its lock is the workspace's, at the workspace root.
    from dataclasses import replace
    from pathlib import Path

    result = check(Path(workspace), environ=ctx.environ, consequence=consequence)
    rebased = tuple(
        replace(f, path=_rebase(f.path, workspace, ctx.root_dir)) for f in result.findings
    )
    return replace(result, findings=rebased)


def _rebase(path: str | None, directory: str, root: str) -> str | None:
    """``path`` (relative to ``directory``) relative to ``root``, POSIX-style."""
    if path is None or os.path.isabs(path):
        return path
    return os.path.relpath(os.path.join(directory, path), root).replace(os.sep, "/")


def _workspace_lock_root(ctx: RepoContext) -> str | None:
    """The root of the workspace ``ctx.root`` is a member of, when that root (within the git
    work tree) holds a lock: the tools lock a member with the whole workspace, so a lock left
    in the member's own folder is not the one they read."""
    from release_assistant.core.project.packages import find_packages, workspace_patterns
    from release_assistant.core.support.toml_lines import load_toml

    top = ctx.git_root
    current = ctx.root_dir
    while current != top and current.startswith(top + os.sep):
        current = os.path.dirname(current)
        if not os.path.isfile(os.path.join(current, "pyproject.toml")):
            continue
        try:
            data = load_toml(os.path.join(current, "pyproject.toml")).data
        except FileProblem:
            return None
        if workspace_patterns(data) is None:
            continue
        if not any(os.path.isfile(os.path.join(current, name)) for name in generic.LOCK_FILES):
            return None
        member = os.path.relpath(ctx.root_dir, current).replace(os.sep, "/")
        members = {package.directory for package in find_packages(current, data)}
        return current if member in members else None
    return None


def run_strict(ctx: RepoContext) -> CheckResult:
    """The tools' own verdict: every stale lock is an error (the ``check-lock-file`` hook)."""
    return check(ctx.root, pyproject=ctx.pyproject, environ=ctx.environ)


def hook_passes(
    root: str, environ: Mapping[str, str] | None = None, git_status: StartedGit | None = None
) -> bool:
    """True when the ``check-lock-file`` hook at ``root`` has nothing to report, found without
    building a :class:`RepoContext` or going through the engine (their modules cost more than
    the check).

    The answer is exact where it is ``True``: the configuration (``[tool.release-assistant]``
    in ``pyproject.toml``, read and validated as :meth:`RepoContext.load` reads it, and only
    when the table is there) is valid, and either disables the check or :func:`run_strict`'s
    verdict has no finding, so the engine's suppressions, severities, ``ignore`` and redaction
    have nothing to act on and the hook prints nothing and exits 0. ``False`` means "not
    known here": a finding, an invalid configuration, or an unusual ``pyproject.toml`` (a
    link, unreadable, malformed) takes the full path, which gives the verdict and its
    message. Exceptions propagate for the same reason.
    ``git_status`` is the locks' ``git status`` already started
    (:func:`~release_assistant.core.lockfiles.start_git_states`).
    """
    import stat

    from release_assistant.core.support.toml_lines import load_toml

    root_dir = os.path.realpath(root)
    path = os.path.join(root_dir, "pyproject.toml")
    document: TomlDocument | None = None
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISREG(mode):
            return False
        try:
            document = load_toml(path)
        except FileProblem:
            return False
        tool = document.data.get("tool", {})
        if not isinstance(tool, dict):
            return False
        if "release-assistant" in tool:
            # Read and validated exactly as RepoContext.load does (one error: the full path).
            from release_assistant.core.project.config import ConfigError, load_config

            try:
                loaded = load_config(root_dir)
            except ConfigError:
                return False
            if not loaded.config.settings_for(ID).enabled:
                return True  # the engine skips a disabled check, and a skip prints nothing
            document = loaded.pyproject
    result = check(Path(root_dir), pyproject=document, environ=environ, git_status=git_status)
    return not result.findings and result.status in (Status.PASS, Status.SKIP)


def check(
    root: Path,
    *,
    staged: bool = False,
    pyproject: TomlDocument | None = None,
    environ: Mapping[str, str] | None = None,
    consequence: Consequence | Callable[[], Consequence] | None = None,
    git_status: StartedGit | None = None,
) -> CheckResult:
    """The ``lock`` check for the project at ``root`` (no :class:`RepoContext` needed).

    ``consequence`` (what CI and pre-commit do with each tool's lock) weighs a stale lock;
    without it every stale lock is an error, the verdict of ``uv lock --check`` and its kin.
    Given as a function, it is called only when a lock is stale.
    """
    out = FindingCollector(ID, TITLE)
    files = RepoFiles(root, staged)
    if pyproject is not None:
        files.remember_toml("pyproject.toml", pyproject)
    findings, ignored = _collect(root, files, environ, git_status)
    findings = once_per_lock(findings)
    if consequence is not None and any(finding.code in STALE_CODES for finding in findings):
        if callable(consequence):
            consequence = consequence()
        findings = weigh_stale(findings, consequence, os.path.relpath(root, consequence.root))
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
    root: Path,
    files: RepoFiles,
    environ: Mapping[str, str] | None,
    git_status: StartedGit | None = None,
) -> tuple[list[Finding], set[str]]:
    """The findings, and the locks left unchecked because git ignores them on purpose."""
    environ = os.environ if environ is None else environ
    document = files.toml("pyproject.toml")
    data = document.data if document is not None else None
    present = _present(files)
    findings: list[Finding] = []
    findings.extend(generic.missing_lock_findings(generic.configured_tools(data), present))
    states = generic.git_states(root, present, git_status) if present else None
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
                    UNREADABLE_LOCK.code,
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
        canonical: list[LockedPackage] | None = None
        if name == "uv.lock":
            from release_assistant.core.lockfiles.uv.scan import canonical_index

            canonical = canonical_index(text)
        # Blocks in uv's own form hold no line a conflict marker could be: the header only.
        markers = conflict_marker_lines(text if canonical is None else text[: canonical[0].start])
        if markers:
            tool_command = generic.LOCK_FILES[name][1]
            findings.extend(
                Finding(
                    CONFLICT_MARKERS.code,
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
        findings.extend(_tool_findings(name, text, files, data, environ, canonical))
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
        REFUSED_PYPROJECT_VALUES.code,
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
    canonical: list[LockedPackage] | None = None,
) -> list[Finding]:
    if name == "uv.lock":
        from release_assistant.core.lockfiles import uv

        return uv.check(files, text, environ, canonical, indexed=True)
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


#: The codes that say a lock is stale (parsed fine, resolved from other inputs), by tool.
STALE_CODES: dict[str, str] = {
    STALE_DEPENDENCY.code: "uv",
    STALE_REQUIRES_PYTHON.code: "uv",
    STALE_PROJECT_VERSION.code: "uv",
    STALE_WORKSPACE_MEMBERS.code: "uv",
    STALE_RESOLVER_SETTINGS.code: "uv",
    STALE_POETRY_HASH.code: "poetry",
    STALE_PDM_HASH.code: "pdm",
}


def _lock_of_tool(tool: str) -> str:
    """The lock file ``tool`` writes (``consequence.TOOL_OF_LOCK`` read backwards)."""
    from release_assistant.core.lockfiles.consequence import TOOL_OF_LOCK

    return next(name for name, owner in TOOL_OF_LOCK.items() if owner == tool)


_CHECK_COMMAND = {
    "uv": "uv lock --check",
    "poetry": "poetry check --lock",
    "pdm": "pdm lock --check",
}


#: The stale requirement a finding names, to report it once per lock: added, changed, or
#: still recorded; with where pyproject declares it (``pyproject.toml:10``), if said.
_REQUIREMENT = (
    LazyPattern(
        r"^(?P<where>.+?) adds `(?P<req>[^`]+)`(?: \((?P<origin>[^,)]+)(?:, (?P<qual>[^)]+))?\))?"
    ),
    LazyPattern(
        r"^`[^`]+` changed for (?P<where>.+?): pyproject declares `(?P<req>[^`]+)`"
        r"(?: \((?P<origin>[^,)]+)(?:, (?P<qual>[^)]+))?\))?"
    ),
    LazyPattern(r"still records `(?P<req>[^`]+)` for (?P<where>.+?), which pyproject"),
)


def once_per_lock(findings: list[Finding]) -> list[Finding]:
    """``findings`` with each stale difference once per lock: the same finding twice is
    kept once, and one requirement that differs for several groups, extras or members (a
    group included by others: ``{include-group = "lint"}``) is one finding that names them."""
    from dataclasses import replace

    kept: list[Finding] = []
    index_of: dict[tuple[object, ...], int] = {}
    also: dict[int, list[str]] = {}
    for finding in findings:
        if finding.code not in STALE_CODES:
            kept.append(finding)
            continue
        key, where = _stale_key(finding)
        if key in index_of:
            first = index_of[key]
            if where is not None and where not in also.setdefault(first, []):
                also[first].append(where)
            continue
        index_of[key] = len(kept)
        kept.append(finding)
    for index, wheres in also.items():
        if wheres:
            finding = kept[index]
            kept[index] = replace(
                finding, message=f"{finding.message} (also for {', '.join(wheres)})"
            )
    return kept


def _stale_key(finding: Finding) -> tuple[tuple[object, ...], str | None]:
    for pattern in _REQUIREMENT:
        match = pattern.search(finding.message)
        if match is not None:
            groups = match.groupdict()
            place = groups.get("origin") or finding.line
            where = groups.get("qual") or groups["where"]
            return (finding.code, finding.path, match.group("req"), place), where
    return (finding.code, finding.path, finding.message), None


def weigh_stale(
    findings: list[Finding], consequence: Consequence, project: str = "."
) -> list[Finding]:
    """Stale-lock findings as errors when CI or pre-commit fails on that lock when stale,
    else as warnings that say what CI does with the lock instead.

    ``project`` is the project's directory relative to the git root ``consequence`` read.
    """
    from dataclasses import replace

    weighed: list[Finding] = []
    for finding in findings:
        tool = STALE_CODES.get(finding.code)
        if tool is None:
            weighed.append(finding)
            continue
        lock = posixpath.normpath(posixpath.join(project.replace(os.sep, "/"), _lock_of_tool(tool)))
        refusing = consequence.refusing(lock)
        if refusing is not None:
            hint = f"{finding.hint}; " if finding.hint else ""
            weighed.append(
                replace(
                    finding,
                    severity=Severity.ERROR,
                    hint=f"{hint}{refusing.shown} fails on a stale {_lock_of_tool(tool)}",
                )
            )
            continue
        weighed.append(
            replace(
                finding,
                severity=Severity.WARNING,
                message=f"{finding.message} ({_lenient_reason(tool, lock, consequence)})",
            )
        )
    return weighed


def _lenient_reason(tool: str, lock: str, consequence: Consequence) -> str:
    from release_assistant.core.lockfiles.consequence import Effect

    name = _lock_of_tool(tool)
    lead = f"a warning: nothing in CI or pre-commit fails on a stale {name}"
    uses = consequence.lenient(lock)
    said: list[str] = []
    for effect in (Effect.AS_IS, Effect.RELOCKS):
        use = next((u for u in uses if u.effect is effect), None)
        if use is not None:
            said.append(f"{use.shown} {effect.value}")
    if said:
        lead += "; " + ", ".join(said)
    else:
        lead += ", and no workflow installs from it"
    if consequence.unread:
        lead += f"; could not read {', '.join(consequence.unread)}"
    return f"{lead}; `{_CHECK_COMMAND[tool]}` fails all the same"
