"""Relock: the lock files a version bump makes stale, and the steps that regenerate them.

A lock goes stale through a bump only when it records the bumped project's version and its
tool compares that record with ``pyproject.toml`` (checked against uv 0.13, Poetry 2.5 and
PDM 2.29):

- ``uv.lock`` records the static version of every source-tree package (the root project and
  each workspace member, ``source = { editable | virtual | directory = "<dir>" }``) and
  ``uv lock --check`` compares it; a dynamic version is not recorded.
- ``pdm.lock`` never records the root project. A lock with ``[metadata] lock_inputs``
  (PDM 2.28.1+, ``tool.pdm.resolution.lock_inputs``) records each workspace member's and local
  path project's version and ``pdm lock --check`` compares them; a lock validated by
  ``content_hash`` leaves versions out of the hash (its ``[[package]]`` of a member still
  shows the old version, which PDM does not compare).
- ``poetry.lock`` never records the root project, and its ``content-hash`` leaves versions out;
  a path dependency's version is written in its ``[[package]]`` but ``poetry check --lock``
  does not compare it. A bump never makes it stale, so no relock is planned for it.

The commands keep every other pin: ``uv lock`` prefers the locked versions, and
``pdm lock --update-reuse`` reuses them (measured: it needs neither the index nor a cache for
a version-only change). uv is tried with ``--offline`` first, which works from uv's cache (and
with no cache at all when nothing comes from an index), where a plain ``uv lock`` without the
network fails after its retries as soon as a cached index page has expired. When the offline
run fails (a cold cache), ``uv lock`` runs online. When it succeeds but moved another pin
(measured: a cache that holds another version's metadata but not the locked one's makes uv
move the pin silently), the lock is put back and ``uv lock`` runs online.

:func:`stale_locks` decides before anything is written; :func:`plan_relock` adds whether each
tool is on ``PATH``; :func:`relock_actions` makes the plan's steps. Nothing here prints.
"""

from __future__ import annotations

import os
import shlex
import shutil
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from release_assistant.core.lockfiles.pep508.names import canonical_name
from release_assistant.core.release.plan import Action, ActionFailed
from release_assistant.core.support.confined import resolve_inside
from release_assistant.core.support.textfiles import FileProblem, read_text

#: A relock that has not finished in this many seconds is stopped (a hung index, a build).
RELOCK_TIMEOUT = 600.0
#: Lines of the tool's output quoted when it fails.
TAIL_LINES = 6
#: How to install each tool when it is missing.
INSTALL = {
    "uv": "pipx install uv (or: pip install uv)",
    "pdm": "pipx install pdm (or: pip install pdm)",
}
#: Environment that keeps the tools from asking anything and from colouring what we stream.
QUIET_ENVIRONMENT = {
    "NO_COLOR": "1",
    "UV_NO_PROGRESS": "1",
    "PDM_NON_INTERACTIVE": "1",
    "PDM_CHECK_UPDATE": "false",
    "PIP_NO_INPUT": "1",
    "GIT_TERMINAL_PROMPT": "0",
}
#: Settings that turn ``uv lock`` into a check: ``UV_LOCKED`` fails on the stale lock, and
#: ``UV_FROZEN`` leaves it as it is with exit code 0. The relock is asked for, so they go.
CHECK_ONLY_ENVIRONMENT = ("UV_LOCKED", "UV_FROZEN")


class RelockError(FileProblem):
    """A lock file that cannot be read; ``str()`` is one line naming it."""


@dataclass(frozen=True, slots=True)
class StaleLock:
    """A lock the bump makes stale.

    ``lock`` is its path relative to the project root (``uv.lock``, or ``../../uv.lock`` for
    the lock of the workspace a member belongs to), ``directory`` the absolute directory it is
    in, ``package`` the normalized name of the bumped project as the lock records it,
    ``recorded`` the version it records (``None`` when the lock could not be read: the tool
    decides), and ``reason`` one line saying why it goes stale.
    """

    lock: str
    tool: str
    directory: str
    package: str
    recorded: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class RelockStep:
    """One relock of a plan.

    ``argv`` is the command run in the project root; ``fallback`` the one run when it fails
    (uv: online after offline), empty when there is none. ``available`` is false when the
    tool is not on ``PATH``: the step then blocks with :attr:`problem`.
    """

    lock: str
    tool: str
    argv: tuple[str, ...]
    available: bool
    reason: str
    package: str = ""
    fallback: tuple[str, ...] = ()
    executable: str | None = None

    @property
    def command(self) -> str:
        """The command as a maintainer would type it: ``uv lock --offline || uv lock``."""
        shown = shlex.join(self.argv)
        return f"{shown} || {shlex.join(self.fallback)}" if self.fallback else shown

    @property
    def problem(self) -> str | None:
        """Why the step cannot run (the tool is missing, and how to get it); ``None`` if it can."""
        if self.available:
            return None
        return (
            f"{self.lock} must be relocked but {self.tool} is not on PATH: install it "
            f"({INSTALL.get(self.tool, self.tool)}), then run `{self.command}` "
            f"({self.reason})"
        )


def stale_locks(
    root: str,
    new_version: Version,
    project_name: str | None = None,
    *,
    project_dir: str = ".",
) -> tuple[StaleLock, ...]:
    """The locks that go stale when the project in ``root/project_dir`` becomes ``new_version``.

    Decided from the locks as they are, before anything is written: a lock is stale when it
    records the project (found by its directory in ``uv.lock``, by ``project_name`` in
    ``pdm.lock``) at a version other than ``new_version``. ``project_name`` defaults to the
    project's ``[project].name`` (or ``[tool.poetry].name``). The lock is looked for in
    ``root`` and, for a workspace member, in the directories above it up to the top of the
    git work tree. A lock this module cannot read is planned anyway: its tool decides.

    :class:`RelockError` when a lock file exists but cannot be read at all.
    """
    project_root = os.path.realpath(os.path.join(root, project_dir))
    name = project_name or _declared_name(project_root)
    wanted = canonical_name(name) if name else None
    found: list[StaleLock] = []
    for lock_name, tool in (("uv.lock", "uv"), ("pdm.lock", "pdm")):
        directory = _lock_directory(root, project_root, lock_name)
        if directory is None:
            continue
        text = _read_lock(root, directory, lock_name)
        shown = _relpath(os.path.join(directory, lock_name), root)
        member_dir = _relpath(project_root, directory)
        if tool == "uv":
            stale = _uv_stale(text, shown, directory, member_dir, wanted, new_version)
        else:
            stale = _pdm_stale(text, shown, directory, wanted, new_version)
        if stale is not None:
            found.append(stale)
    return tuple(found)


def plan_relock(
    root: str,
    new_version: Version,
    project_name: str | None = None,
    *,
    project_dir: str = ".",
    environ: Mapping[str, str] | None = None,
) -> tuple[RelockStep, ...]:
    """The relock steps a bump to ``new_version`` needs (see :func:`stale_locks`).

    Each step names its exact command; ``available`` says whether its tool is on the ``PATH``
    of ``environ`` (default: this process's environment).
    """
    path = (environ if environ is not None else os.environ).get("PATH", os.defpath)
    steps = []
    for stale in stale_locks(root, new_version, project_name, project_dir=project_dir):
        executable = shutil.which(stale.tool, path=path)
        argv, fallback = _commands(stale.tool, _relpath(stale.directory, root))
        steps.append(
            RelockStep(
                stale.lock,
                stale.tool,
                argv,
                executable is not None,
                stale.reason,
                stale.package,
                fallback,
                executable,
            )
        )
    return tuple(steps)


def relock_actions(
    root: str,
    steps: tuple[RelockStep, ...],
    on_line: Callable[[str], None],
    *,
    environ: Mapping[str, str] | None = None,
    timeout: float = RELOCK_TIMEOUT,
) -> tuple[Action, ...]:
    """One changing :class:`~release_assistant.core.release.plan.Action` per step.

    Its description is the command; running it streams the tool's output through
    ``on_line`` (no input, no prompts, stopped after ``timeout`` seconds) and returns what
    changed in the lock. :class:`ActionFailed` with the tool's last lines when it fails, or
    naming the install and the command when the tool is missing.
    """
    base = dict(environ if environ is not None else os.environ)
    base.update(QUIET_ENVIRONMENT)
    for key in CHECK_ONLY_ENVIRONMENT:
        base.pop(key, None)
    return tuple(
        Action(step.command, True, _runner(root, step, on_line, base, timeout)) for step in steps
    )


def _commands(tool: str, directory: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The command (and its fallback) that relocks in ``directory`` (relative to the root)."""
    if tool == "uv":
        where = () if directory == "." else ("--directory", directory)
        return ("uv", "lock", "--offline", *where), ("uv", "lock", *where)
    where = () if directory == "." else ("--project", directory)
    return ("pdm", "lock", "--update-reuse", *where), ()


def _runner(
    root: str,
    step: RelockStep,
    on_line: Callable[[str], None],
    environ: dict[str, str],
    timeout: float,
) -> Callable[[], str]:
    def run() -> str:
        problem = step.problem
        if problem is not None or step.executable is None:
            raise ActionFailed(
                problem or f"{step.tool} is not on PATH",
                recovery=(INSTALL.get(step.tool, step.tool), step.command),
            )
        path = os.path.join(os.path.realpath(root), step.lock)
        before = _read_quietly(path)
        failure = _attempt(root, step, step.argv, on_line, environ, timeout)
        if step.fallback and failure is None:
            after = _read_quietly(path)
            if (
                before is not None
                and after is not None
                and _other_changes(before, after, step.package)
            ):
                # Offline, uv resolved from what its cache held and moved a pin: put the
                # lock back and let it resolve with the index, as a plain `uv lock` would.
                _restore(path, before)
                on_line(
                    f"{shlex.join(step.argv)} moved other pins; trying with the network: "
                    f"{shlex.join(step.fallback)}"
                )
                failure = _attempt(root, step, step.fallback, on_line, environ, timeout)
        elif step.fallback:
            on_line(
                f"{shlex.join(step.argv)} failed; trying with the network: "
                f"{shlex.join(step.fallback)}"
            )
            failure = _attempt(root, step, step.fallback, on_line, environ, timeout)
        if failure is not None:
            command = shlex.join(step.fallback or step.argv)
            raise ActionFailed(
                f"{command} failed: {' | '.join(failure[-TAIL_LINES:])}",
                recovery=(f"run it yourself to see everything: {step.command}",),
            )
        after = _read_quietly(path)
        return _summary(step, before, after)

    return run


def _attempt(
    root: str,
    step: RelockStep,
    argv: tuple[str, ...],
    on_line: Callable[[str], None],
    environ: dict[str, str],
    timeout: float,
) -> list[str] | None:
    """Run ``argv`` (its tool resolved to ``step.executable``); ``None`` on success, else the
    lines it printed, ending with its exit code."""
    from release_assistant.core.release.pre_release_commands import run_command

    printed: list[str] = []

    def line(text: str) -> None:
        if text.strip():
            printed.append(text.strip())
        on_line(text)

    assert step.executable is not None
    command = shlex.join((step.executable, *argv[1:]))
    code = run_command(command, root, line, timeout=timeout, environ=environ)
    if code == 0:
        return None
    if code is not None:
        printed.append(f"exit code {code}")
    return printed or ["it did not run"]


def _summary(step: RelockStep, before: str | None, after: str | None) -> str:
    """``uv.lock: demo 1.0.0 -> 1.0.1``, plus any other pin the tool moved."""
    if before is None or after is None:
        return f"relocked {step.lock}"
    if before == after:
        return f"{step.lock} unchanged"
    old = sorted(version for name, version in _pins(before) if name == step.package)
    new = sorted(version for name, version in _pins(after) if name == step.package)
    own = [f"{step.package} {' '.join(old)} -> {' '.join(new)}"] if old != new else []
    others = _other_changes(before, after, step.package)
    if others:
        own.append("also moved: " + ", ".join(others))
    return f"{step.lock}: " + ("; ".join(own) or "rewritten")


def _other_changes(before: str, after: str, package: str) -> list[str]:
    """The pins other than ``package``'s that differ between two lock texts."""
    old = Counter(pin for pin in _pins(before) if pin[0] != package)
    new = Counter(pin for pin in _pins(after) if pin[0] != package)
    removed, added = old - new, new - old
    return sorted(
        {f"-{name} {version}" for name, version in removed.elements()}
        | {f"+{name} {version}" for name, version in added.elements()}
    )


def _pins(text: str) -> list[tuple[str, str]]:
    """``(name, version)`` of every ``[[package]]`` entry that records a version."""
    from release_assistant.core.lockfiles.generic import PACKAGE_ENTRY

    return [
        (canonical_name(match["name"]), match["version"]) for match in PACKAGE_ENTRY.finditer(text)
    ]


def _uv_stale(
    text: str,
    lock: str,
    directory: str,
    member_dir: str,
    wanted: str | None,
    new_version: Version,
) -> StaleLock | None:
    from release_assistant.core.findings import Finding
    from release_assistant.core.lockfiles.uv.lock_entries import SOURCE_TREE_KINDS
    from release_assistant.core.lockfiles.uv.scan import scan
    from release_assistant.core.lockfiles.uv.sources import normal_relpath

    scanned = scan(text)
    if isinstance(scanned, Finding):
        return StaleLock(
            lock,
            "uv",
            directory,
            wanted or "",
            None,
            f"{lock} cannot be read here ({scanned.message}): uv decides whether it changes",
        )
    for package in scanned.packages:
        if package.kind not in SOURCE_TREE_KINDS or normal_relpath(package.value) != member_dir:
            continue
        if wanted is not None and package.name != wanted:
            continue
        if package.version is None or _same_version(package.version, new_version):
            return None  # a dynamic version is not recorded; an equal one stays fresh
        return StaleLock(
            lock,
            "uv",
            directory,
            package.name,
            package.version,
            f"{lock} records {package.name} {package.version}; with {new_version} in "
            "pyproject.toml `uv lock --check` fails",
        )
    return None


def _pdm_stale(
    text: str, lock: str, directory: str, wanted: str | None, new_version: Version
) -> StaleLock | None:
    from release_assistant.core.lockfiles.pdm import recorded_versions

    if wanted is None:
        return None
    versions = recorded_versions(text)
    if not isinstance(versions, dict):
        return StaleLock(
            lock,
            "pdm",
            directory,
            wanted,
            None,
            f"{lock} cannot be read here ({versions.message}): PDM decides whether it changes",
        )
    recorded = versions.get(wanted)
    if recorded is None or _same_version(recorded, new_version):
        return None
    return StaleLock(
        lock,
        "pdm",
        directory,
        wanted,
        recorded,
        f"{lock} records {wanted} {recorded} in its lock_inputs; with {new_version} in "
        "pyproject.toml `pdm lock --check` fails",
    )


def _same_version(recorded: str, new_version: Version) -> bool:
    try:
        return Version(recorded) == new_version
    except InvalidVersion:
        return False


def _lock_directory(root: str, project_root: str, lock_name: str) -> str | None:
    """The directory of the lock that covers ``project_root``: the nearest one from it up to
    ``root``, and above ``root`` up to the top of its git work tree (a workspace member's lock
    is the workspace's). Outside git, nothing above ``root`` is known to belong to it."""
    base = os.path.realpath(root)
    beyond_root = _in_work_tree(base)
    directory = project_root
    while True:
        if os.path.lexists(os.path.join(directory, lock_name)):
            return directory
        parent = os.path.dirname(directory)
        top = os.path.lexists(os.path.join(directory, ".git"))
        if top or parent == directory or (directory == base and not beyond_root):
            return None
        directory = parent


def _in_work_tree(path: str) -> bool:
    """True when ``path`` or a directory above it holds ``.git``."""
    directory = path
    while not os.path.lexists(os.path.join(directory, ".git")):
        parent = os.path.dirname(directory)
        if parent == directory:
            return False
        directory = parent
    return True


def _read_lock(root: str, directory: str, lock_name: str) -> str:
    try:
        return read_text(resolve_inside(directory, lock_name, lock_name), toml=True)
    except FileProblem as problem:
        shown = _relpath(os.path.join(directory, lock_name), root)
        raise RelockError(shown, problem.message, problem.line) from None


def _read_quietly(path: str) -> str | None:
    try:
        return read_text(path, toml=True)
    except FileProblem:
        return None


def _restore(path: str, text: str) -> None:
    from pathlib import Path

    from release_assistant.core.support.textfiles import write_text_atomic

    try:
        write_text_atomic(Path(path), text)
    except OSError as error:
        raise ActionFailed(f"cannot restore {os.path.basename(path)}: {error}") from None


def _declared_name(project_root: str) -> str | None:
    from release_assistant.core.project.names import project_name
    from release_assistant.core.support.toml_lines import load_toml

    path = os.path.join(project_root, "pyproject.toml")
    if not os.path.isfile(path):
        return None
    try:
        data = load_toml(path).data
    except FileProblem:
        return None
    return project_name(data, project_root)


def _relpath(path: str, root: str) -> str:
    return os.path.relpath(path, os.path.realpath(root)).replace(os.sep, "/")
