"""Lock findings that do not depend on the tool: git state, missing or doubled locks, sources.

- a lock that git ignores, or that is not tracked, is not what CI and other maintainers see
  (unless the project deliberately keeps it out: a ``uv.lock`` ignored by a project whose
  ``[tool.uv]`` holds only resolver settings, the usual choice of a library);
- a tool configured in ``pyproject.toml`` without its lock file, or two tools' locks side by
  side (one of them is stale by construction);
- absolute paths, paths escaping the repository and credentials in URLs make a lock
  non-portable or leak secrets.

Git is queried with one ``git status`` (:func:`~release_assistant.core.git.readonly.run_git`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.git.readonly import run_git
from release_assistant.core.git.spawn import StartedGit
from release_assistant.core.lockfiles import git_status_args
from release_assistant.core.lockfiles.text import LineIndex, line_of_offset
from release_assistant.core.rules.lock import (
    CREDENTIALS_IN_LOCK_URL,
    DUPLICATE_PACKAGE,
    LOCK_IGNORED_BY_GIT,
    LOCK_UNTRACKED,
    MISSING_LOCK,
    NON_PORTABLE_PATH,
    TWO_TOOLS_LOCKS,
)
from release_assistant.core.rules.rule import Rule
from release_assistant.core.support.lazy_regex import LazyPattern

#: Lock file name -> (tool, command that writes it).
LOCK_FILES: dict[str, tuple[str, str]] = {
    "uv.lock": ("uv", "uv lock"),
    "poetry.lock": ("Poetry", "poetry lock"),
    "pdm.lock": ("PDM", "pdm lock"),
}

#: ``[tool.uv]`` keys that describe the project rather than how to resolve it (uv's "project
#: metadata" settings, minus ``index`` and ``managed``): with one of them the lock carries
#: decisions others need, so it belongs in the repository. The other keys (``exclude-newer``,
#: ``resolution``, ``index``...) are resolver settings, as meaningful without a lock.
UV_PROJECT_SETTINGS = frozenset(
    {
        "workspace",
        "sources",
        "package",
        "dev-dependencies",
        "default-groups",
        "dependency-groups",
        "constraint-dependencies",
        "override-dependencies",
        "build-constraint-dependencies",
        "exclude-dependencies",
        "conflicts",
        "environments",
        "required-environments",
    }
)

_USERINFO = LazyPattern(r"^[a-zA-Z][a-zA-Z0-9+.-]*://([^/@\s]+)@")
_WINDOWS_ABSOLUTE = LazyPattern(r"^(?:[A-Za-z]:[\\/]|\\\\)")
#: What any reported value needs, searched for with a pattern that starts with a literal (a
#: fast scan even over a 25 MB lock): a quoted string that starts absolute (``"/``,
#: ``"C:\\``, ``"\\\\``) or with ``file:``, and, for a path outside the repository, ``..``.
_QUOTED_ABSOLUTE = re.compile(r'"(?:/|file:|[A-Za-z]:[\\/]|\\\\)')
_PARENT = re.compile(r"\.\.")


def git_states(
    root: Path, names: Iterable[str], started: StartedGit | None = None
) -> dict[str, str] | None:
    """``ignored``/``untracked``/``tracked`` for each existing lock; ``None`` outside git.

    ``started`` (from :func:`~release_assistant.core.lockfiles.start_git_states`) is that
    query already running, used when it asks about the same locks; otherwise git runs here.
    """
    names = list(names)
    args = git_status_args(names)
    output = started.output() if started is not None else None  # reaped either way
    if started is None or started.args != tuple(args):
        output = run_git(root, args)
    if output is None or not output.ok:
        return None
    states = dict.fromkeys(names, "tracked")
    for entry in output.stdout.decode("utf-8", "replace").split("\0"):
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        name = path.rsplit("/", 1)[-1]
        if name not in states:
            continue
        if code == "!!":
            states[name] = "ignored"
        elif code == "??":
            states[name] = "untracked"
    return states


def relies_on_lock(name: str, pyproject: Mapping[str, Any] | None) -> bool:
    """Whether the project needs ``name`` committed for others to reproduce its environment.

    A Poetry or PDM lock always; a ``uv.lock`` when ``[tool.uv]`` has a project setting
    (:data:`UV_PROJECT_SETTINGS`). A library that uses uv only with resolver settings (or none)
    and keeps ``uv.lock`` out of git does so on purpose.
    """
    if name != "uv.lock":
        return True
    tool = (pyproject or {}).get("tool")
    uv = tool.get("uv") if isinstance(tool, Mapping) else None
    return isinstance(uv, Mapping) and any(key in UV_PROJECT_SETTINGS for key in uv)


def deliberately_ignored(
    states: Mapping[str, str] | None, pyproject: Mapping[str, Any] | None
) -> set[str]:
    """The locks git ignores in a project that does not rely on them (not checked further)."""
    return {
        name
        for name, state in (states or {}).items()
        if state == "ignored" and not relies_on_lock(name, pyproject)
    }


def git_findings(
    present: Iterable[str],
    states: Mapping[str, str] | None,
    pyproject: Mapping[str, Any] | None = None,
) -> list[Finding]:
    """A warning for each lock git does not track, or ignores though the project relies on it.

    ``states`` comes from :func:`git_states` (``None`` outside git).
    """
    findings: list[Finding] = []
    for name in present:
        state = (states or {}).get(name)
        if state == "ignored" and not relies_on_lock(name, pyproject):
            continue
        if state == "ignored":
            findings.append(
                Finding(
                    LOCK_IGNORED_BY_GIT.code,
                    f"{name} is ignored by git, so CI and other maintainers never see it, "
                    "though the project's settings rely on it",
                    Severity.WARNING,
                    name,
                    None,
                    f"remove the ignore rule (`git check-ignore -v {name}` names it) and "
                    f"`git add {name}`",
                )
            )
        elif state == "untracked":
            findings.append(
                Finding(
                    LOCK_UNTRACKED.code,
                    f"{name} is not tracked by git",
                    Severity.WARNING,
                    name,
                    None,
                    f"`git add {name}` and commit it",
                )
            )
    return findings


def configured_tools(pyproject: Mapping[str, Any] | None) -> set[str]:
    """Lock files whose tool the project configures for locking (``uv.lock`` for project
    settings in ``[tool.uv]``, ``poetry.lock`` for Poetry dependencies...)."""
    wanted: set[str] = set()
    data = pyproject or {}
    tool = data.get("tool", {})
    tool = tool if isinstance(tool, Mapping) else {}
    backend = str((data.get("build-system", {}) or {}).get("build-backend", ""))
    # Resolver settings alone (in [tool.uv] or uv.toml) serve uv pip, uv tool and a library's
    # own cooldown as well as a lock: only project settings make a missing uv.lock an omission.
    if relies_on_lock("uv.lock", data):
        wanted.add("uv.lock")
    poetry = tool.get("poetry")
    if isinstance(poetry, Mapping):
        declares = any(poetry.get(key) for key in ("dependencies", "group", "dev-dependencies"))
        if declares or (backend.startswith("poetry") and data.get("project")):
            wanted.add("poetry.lock")
    if "pdm" in tool and isinstance(tool["pdm"], Mapping):
        pdm = tool["pdm"]
        if pdm.get("dev-dependencies") or pdm.get("source") or pdm.get("resolution"):
            wanted.add("pdm.lock")
    return wanted


def missing_lock_findings(wanted: Iterable[str], present: Iterable[str]) -> list[Finding]:
    """A warning for each configured tool without its lock file."""
    present = set(present)
    findings = []
    for name in sorted(set(wanted) - present):
        tool, command = LOCK_FILES[name]
        findings.append(
            Finding(
                MISSING_LOCK.code,
                f"pyproject.toml configures {tool} but there is no {name}, so installs are not "
                "reproducible",
                Severity.WARNING,
                "pyproject.toml",
                None,
                f"run `{command}` and commit {name} (or ignore {MISSING_LOCK.code} for a library "
                "that does not pin)",
            )
        )
    return findings


def side_by_side_findings(present: list[str]) -> list[Finding]:
    """Two tools' locks in one project: at most one of them is what gets installed."""
    if len(present) < 2:
        return []
    names = " and ".join(present)
    return [
        Finding(
            TWO_TOOLS_LOCKS.code,
            f"{names} sit side by side; only one tool's lock is used, the other drifts",
            Severity.WARNING,
            present[1],
            None,
            "delete the lock of the tool the project no longer uses",
        )
    ]


def nonportable_findings(text: str, name: str, root: Path) -> list[Finding]:
    """Absolute paths, paths outside the repository, and credentials in URLs."""
    # A value reported below starts right after a quote, absolute or as a file URL, or holds
    # `..` (a relative path can only leave the repository that way), or a URL holds `@`.
    # Without any of them nothing is reported: skip the six searches of the whole text.
    if "@" not in text and _PARENT.search(text) is None and _QUOTED_ABSOLUTE.search(text) is None:
        return []
    lines = LineIndex(text)
    findings: list[Finding] = []
    reported: set[str] = set()
    resolved_root = os.path.normpath(root.resolve())
    command = LOCK_FILES[name][1]
    for offset, value in _path_values(text):
        if value in reported:
            continue
        reason = None
        if value.startswith("/") or _WINDOWS_ABSOLUTE.match(value):
            reason = "an absolute path"
        else:
            target = os.path.normpath(os.path.join(resolved_root, value))
            if target != resolved_root and not target.startswith(resolved_root + os.sep):
                reason = "a path outside the repository"
        if reason is None:
            continue
        reported.add(value)
        findings.append(
            Finding(
                NON_PORTABLE_PATH.code,
                f"{name} refers to {reason} (`{value}`), which does not exist on other machines "
                "or in CI",
                Severity.WARNING,
                name,
                lines.line(offset),
                "use a path inside the repository (relative), a git or index source, "
                f"and regenerate with `{command}`",
            )
        )
    for offset, url in _url_values(text):
        if url.startswith("file:"):
            key = url.split("?", 1)[0]
            if key in reported:
                continue
            reported.add(key)
            findings.append(
                Finding(
                    NON_PORTABLE_PATH.code,
                    f"{name} refers to a local file URL (`{key}`), which does not exist on other "
                    "machines or in CI",
                    Severity.WARNING,
                    name,
                    lines.line(offset),
                    f"use a remote git URL or an index, and regenerate with `{command}`",
                )
            )
            continue
        userinfo = _USERINFO.match(url)
        if userinfo is None or userinfo.group(1) == "git":
            continue
        host = url[userinfo.end() :].split("/", 1)[0]
        if host in reported:
            continue
        reported.add(host)
        findings.append(
            Finding(
                CREDENTIALS_IN_LOCK_URL.code,
                f"{name} contains credentials in a URL for `{host}`; anyone who can read the "
                "repository can use them",
                Severity.WARNING,
                name,
                lines.line(offset),
                "remove the credentials (use keyring or environment variables such as "
                "UV_INDEX_<NAME>_PASSWORD), rotate them, and regenerate the lock",
            )
        )
    return findings


def _path_values(text: str) -> list[tuple[int, str]]:
    """``(offset, value)`` of every ``editable|directory|virtual|path = "..."`` in ``text``."""
    values = []
    for key in ('editable = "', 'directory = "', 'virtual = "', 'path = "'):
        position = text.find(key)
        while position >= 0:
            start = position + len(key)
            end = text.find('"', start)
            before = text[position - 1] if position else " "
            if end < 0:
                break
            if not (before.isalnum() or before in "-_"):
                values.append((position, text[start:end]))
            position = text.find(key, end)
    return values


def _url_values(text: str) -> list[tuple[int, str]]:
    """Quoted URLs that carry a ``user@`` part or a ``file:`` scheme.

    Only these can be non-portable or leak a secret, and both are rare, so the scan looks for
    ``@`` and ``"file:`` instead of visiting every wheel URL of a large lock.
    """
    values = []
    position = text.find('"file:')
    while position >= 0:
        end = text.find('"', position + 1)
        if end < 0:
            break
        values.append((position, text[position + 1 : end]))
        position = text.find('"file:', end)
    position = text.find("@")
    while position >= 0:
        start = text.rfind('"', 0, position)
        end = text.find('"', position)
        if start < 0 or end < 0:
            break
        candidate = text[start + 1 : end]
        if "\n" not in candidate and _USERINFO.match(candidate):
            values.append((start, candidate))
        position = text.find("@", end)
    return values


#: A ``[[package]]`` entry whose first keys are ``name`` and ``version`` (pdm, Poetry).
PACKAGE_ENTRY = re.compile(
    r'^\[\[package\]\]\nname = "(?P<name>[^"\n]*)"\nversion = "(?P<version>[^"\n]*)"',
    re.MULTILINE,
)


def duplicate_name_versions(
    text: str,
    name: str,
    command: str,
    identity: Callable[[str, int, int], tuple[str, ...]] | None = None,
    rule: Rule = DUPLICATE_PACKAGE,
    consequence: str = "",
) -> list[Finding]:
    """Packages listed twice with the same name and version (``pdm.lock``, ``poetry.lock``).

    ``identity(text, start, end)`` adds what else tells two entries apart, read from the
    entry's own text (Poetry: its ``[package.source]``; PDM: requested extras, URL or path,
    editable). ``rule`` is the rule: RA515 where the tool refuses the lock, RA521 where it
    keeps one entry silently. ``consequence`` ends the message (what the tool does).
    """
    from release_assistant.core.lockfiles.pep508.names import canonical_name

    matches = list(PACKAGE_ENTRY.finditer(text))
    seen: dict[tuple[str, ...], int] = {}
    findings = []
    for index, match in enumerate(matches):
        key: tuple[str, ...] = (canonical_name(match["name"]), match["version"])
        if identity is not None:
            end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
            key += identity(text, match.end(), end)
        line = line_of_offset(text, match.start())
        if key in seen:
            findings.append(
                Finding(
                    rule.code,
                    f"`{match['name']} {match['version']}` is listed twice "
                    f"(first at line {seen[key]}){consequence}",
                    Severity.ERROR if rule is DUPLICATE_PACKAGE else Severity.WARNING,
                    name,
                    line,
                    f"regenerate the lock: `{command}`",
                )
            )
        else:
            seen[key] = line
    return findings
