"""What in CI installs from the lock, and what it does when the lock is stale.

A stale lock breaks a release only when something on the release or CI path refuses it. The
tools differ (each claim is held against the real tool in
``tests/test_lock_consequence_tools.py``):

- refuses a stale lock: ``uv sync``/``uv run``/``uv export`` with ``--locked`` (or
  ``UV_LOCKED``), ``uv lock --check`` (and ``--locked``), ``poetry install``, ``poetry sync``,
  ``poetry check --lock``, ``pdm install --check``, ``pdm lock --check``;
- installs the lock as it is without checking it: ``--frozen`` (or ``UV_FROZEN``) for uv,
  ``pdm install --frozen-lockfile``, ``pdm sync``;
- relocks and carries on: a plain ``uv sync``, ``uv run``, ``uv export``, ``pdm install``.

The places read are every workflow of the git root's ``.github/workflows`` (their ``run:``
scripts, the repository scripts, ``make`` targets and composite actions those run, one level
deep, with the
``env:`` of workflow, job and step), and the project's own ``.pre-commit-config.yaml``: a lock
hook there (``check-lock-file``, uv's ``uv-lock``, ``pdm-lock-check``, ``poetry-lock``,
``poetry-check --lock``, or a local hook running one of the commands above) fails the commit on
a stale lock, because pre-commit fails a hook that rewrites a file.
"""

from __future__ import annotations

import enum
import os
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

#: The lock each tool reads.
TOOL_OF_LOCK: dict[str, str] = {"uv.lock": "uv", "poetry.lock": "poetry", "pdm.lock": "pdm"}


class Effect(str, enum.Enum):
    """What a command does when the lock is stale."""

    REFUSES = "refuses a stale lock"
    AS_IS = "installs the lock as it is without checking it"
    RELOCKS = "relocks and carries on"


@dataclass(frozen=True, slots=True)
class LockUse:
    """One command (or pre-commit hook) that reads a tool's lock, and where it is written.

    ``directory`` is where the tool looks for its project (the step's ``working-directory``,
    a ``cd``, ``--directory``/``--project``), relative to the git root, ``""`` for the root.
    """

    tool: str
    command: str
    effect: Effect
    path: str
    line: int | None = None
    directory: str = ""
    #: The variable that decided the effect (``UV_LOCKED=1``), when an option did not.
    setting: str | None = None

    @property
    def where(self) -> str:
        """``path:line`` for messages."""
        return self.path if self.line is None else f"{self.path}:{self.line}"

    @property
    def shown(self) -> str:
        """The command as messages show it: quoted, with the variable that decided it and
        where it is, e.g. `uv sync` with UV_LOCKED=1 (.github/workflows/ci.yml:12)."""
        quoted = self.command if self.command.startswith("pre-commit") else f"`{self.command}`"
        setting = f" with {self.setting}" if self.setting else ""
        return f"{quoted}{setting} ({self.where})"


@dataclass(frozen=True, slots=True)
class Consequence:
    """Every use of a lock found in CI and pre-commit, and the files that could not be read.

    ``root`` is the git root the uses' directories are relative to.
    """

    root: str = ""
    uses: tuple[LockUse, ...] = ()
    #: Workflow, action or pre-commit files that exist but could not be read, with why.
    unread: tuple[str, ...] = ()

    def uses_of(self, lock: str) -> list[LockUse]:
        """The uses that read ``lock`` (a path relative to the git root, ``libs/x/uv.lock``):
        run with ``lock``'s tool in its directory or below, where it is the nearest such lock
        (the tools look for their project upwards)."""
        tool = TOOL_OF_LOCK.get(posixpath.basename(lock))
        lock_dir = posixpath.dirname(lock)
        return [
            use
            for use in self.uses
            if use.tool == tool and self._nearest_lock_dir(use.directory, lock) == lock_dir
        ]

    def refusing(self, lock: str) -> LockUse | None:
        """The first use that fails on ``lock`` when it is stale, if any."""
        return next((u for u in self.uses_of(lock) if u.effect is Effect.REFUSES), None)

    def lenient(self, lock: str) -> list[LockUse]:
        """The uses of ``lock`` that do not fail when it is stale."""
        return [u for u in self.uses_of(lock) if u.effect is not Effect.REFUSES]

    def _nearest_lock_dir(self, directory: str, lock: str) -> str | None:
        name = posixpath.basename(lock)
        current = directory
        while True:
            candidate = posixpath.join(current, name) if current else name
            if candidate == lock or os.path.isfile(os.path.join(self.root, candidate)):
                return current
            if not current:
                return None
            current = posixpath.dirname(current)


@dataclass(frozen=True, slots=True)
class CommandUse:
    """What one command does with a lock: the tool, the effect, and the project directory it
    names (``--directory``, ``--project``), if any."""

    tool: str
    effect: Effect
    directory: str | None = None
    #: The variable that decided the effect (``UV_LOCKED=1``), when an option did not.
    setting: str | None = None


_TRUE = frozenset({"1", "true", "yes", "on", "t", "y"})

#: Options of uv (global, and of ``run``) that take a value as the next word.
_UV_VALUE_OPTIONS = frozenset(
    {
        "--directory", "--project", "--python", "-p", "--cache-dir", "--config-file",
        "--color", "--with", "--with-editable", "--with-requirements", "--extra", "--group",
        "--only-group", "--no-group", "--no-extra", "--package", "--env-file", "--index",
        "--default-index", "--index-url", "-i", "--extra-index-url", "--find-links", "-f",
        "--resolution", "--prerelease", "--exclude-newer", "--refresh-package",
        "--reinstall-package", "--upgrade-package", "-P", "--python-platform", "--link-mode",
        "--keyring-provider", "--index-strategy", "--config-setting", "-C",
        "--no-binary-package", "--no-build-package", "--fork-strategy", "--output-file", "-o",
        "--format", "--emit-index-url", "--no-emit-package", "--prune", "--script",
    }
)  # fmt: skip
_POETRY_VALUE_OPTIONS = frozenset({"-C", "--directory", "-P", "--project"})
_PDM_VALUE_OPTIONS = frozenset({"-p", "--project", "-G", "--group", "-L", "--lockfile"})

#: uv subcommands that read ``uv.lock`` (``uv lock`` writes it).
_UV_LOCK_READERS = frozenset({"sync", "run", "export", "lock"})


def _truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() in _TRUE


def _options(words: list[str], value_options: frozenset[str]) -> tuple[list[str], dict[str, str]]:
    """The positional words and the options (``--name`` -> value, ``""`` for a flag)."""
    positional: list[str] = []
    options: dict[str, str] = {}
    index = 0
    while index < len(words):
        word = words[index]
        if word.startswith("-") and word != "-":
            name, eq, value = word.partition("=")
            if not eq and name in value_options and index + 1 < len(words):
                value = words[index + 1]
                index += 1
            options.setdefault(name, value)
        else:
            positional.append(word)
        index += 1
    return positional, options


def _uv_use(words: list[str], env: Mapping[str, str]) -> CommandUse | None:
    index = 0
    while index < len(words) and words[index].startswith("-"):
        index += 2 if words[index] in _UV_VALUE_OPTIONS else 1
    if index >= len(words) or words[index] not in _UV_LOCK_READERS:
        return None
    subcommand = words[index]
    own = words[index + 1 :]
    if subcommand == "run":
        # The command `uv run` runs starts at its first positional word: the rest is not uv's.
        cut = 0
        while cut < len(own) and own[cut].startswith("-") and own[cut] != "--":
            cut += 2 if own[cut] in _UV_VALUE_OPTIONS else 1
        own = own[:cut]
    _, options = _options([*words[:index], *own], _UV_VALUE_OPTIONS)
    directory = options.get("--directory") or options.get("--project")
    if options.keys() & {"--no-project", "--script", "--no-sync", "--isolated"}:
        # Runs outside the project, without syncing, or (`--isolated`) resolves afresh in a
        # throwaway environment without reading or writing the lock.
        return None
    if subcommand == "run" and _truthy(env.get("UV_NO_SYNC")):
        return None
    if "--locked" in options or "--check" in options:
        return CommandUse("uv", Effect.REFUSES, directory)
    if subcommand == "lock":
        return None  # `uv lock` writes the lock: it is how a lock is made, not read
    if "--frozen" in options:
        return CommandUse("uv", Effect.AS_IS, directory)
    for name, effect in (("UV_LOCKED", Effect.REFUSES), ("UV_FROZEN", Effect.AS_IS)):
        if _truthy(env.get(name)):
            return CommandUse("uv", effect, directory, f"{name}={env[name]}")
    return CommandUse("uv", Effect.RELOCKS, directory)


def _poetry_use(words: list[str]) -> CommandUse | None:
    positional, options = _options(words, _POETRY_VALUE_OPTIONS)
    if not positional:
        return None
    subcommand = positional[0]
    directory = options.get("--directory") or options.get("-C")
    directory = directory or options.get("--project") or options.get("-P")
    if subcommand in ("install", "sync"):
        return CommandUse("poetry", Effect.REFUSES, directory)
    if subcommand == "check" and "--lock" in options:
        return CommandUse("poetry", Effect.REFUSES, directory)
    if subcommand == "lock" and "--check" in options:
        # Poetry 1.x; 2.x has no such option and fails all the same.
        return CommandUse("poetry", Effect.REFUSES, directory)
    return None


def _pdm_use(words: list[str]) -> CommandUse | None:
    positional, options = _options(words, _PDM_VALUE_OPTIONS)
    if not positional:
        return None
    subcommand = positional[0]
    directory = options.get("--project") or options.get("-p")
    if "-g" in options or "--global" in options:
        return None
    if subcommand == "lock":
        return CommandUse("pdm", Effect.REFUSES, directory) if "--check" in options else None
    if subcommand == "install":
        if "--check" in options:
            return CommandUse("pdm", Effect.REFUSES, directory)
        if options.keys() & {"--frozen-lockfile", "--no-lock"}:
            return CommandUse("pdm", Effect.AS_IS, directory)
        return CommandUse("pdm", Effect.RELOCKS, directory)
    if subcommand == "sync":
        return CommandUse("pdm", Effect.AS_IS, directory)
    return None


_RUNNERS = frozenset({"pipx", "uvx"})


def read_command(command: str, env: Mapping[str, str] | None = None) -> CommandUse | None:
    """What ``command`` (one simple shell command, as a workflow's ``run:`` holds it) does
    with a lock under the environment ``env``; ``None`` when it does not read one."""
    from release_assistant.core.workflows.uploads.shell import shell_words

    words = shell_words(command)
    environment = dict(env or {})
    while words and "=" in words[0] and not words[0].startswith(("-", "/", ".")):
        name, _, value = words[0].partition("=")
        environment[name] = value  # `UV_LOCKED=1 uv sync`
        words = words[1:]
    if words[:1] == ["env"]:
        return read_command(" ".join(_quote(w) for w in words[1:]), environment)
    if words and words[0] in ("python", "python3") and words[1:2] == ["-m"]:
        words = words[2:]  # `python -m pdm install`
    elif words and words[0] in _RUNNERS:
        words = [w for w in words[1:] if w != "run"]  # `pipx run poetry install`
    if not words:
        return None
    tool = os.path.basename(words[0])
    if tool == "uv":
        return _uv_use(words[1:], environment)
    if tool == "poetry":
        return _poetry_use(words[1:])
    if tool == "pdm":
        return _pdm_use(words[1:])
    return None


def _quote(word: str) -> str:
    import shlex

    return shlex.quote(word)


def command_effect(command: str, env: Mapping[str, str] | None = None) -> Effect | None:
    """What ``command`` does with a stale lock under ``env`` (``None``: it reads no lock)."""
    found = read_command(command, env)
    return None if found is None else found.effect


def _join(directory: str, path: str | None) -> str:
    """``path`` (relative, or ``None``) taken from ``directory``, normalised, relative to the
    git root (``""`` for the root itself; a path that leaves the root stays at the root)."""
    if not path:
        return directory
    if "$" in path or path.startswith(("/", "~")):
        return directory  # not knowable from the file: the project's own directory
    joined = posixpath.normpath(posixpath.join(directory, path))
    return "" if joined in (".", "") or joined.startswith("..") else joined


@dataclass(slots=True)
class _Reader:
    root: str
    uses: list[LockUse] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)

    def add(self, use: LockUse) -> None:
        if use not in self.uses:
            self.uses.append(use)

    def add_script(
        self,
        text: str,
        line: int,
        path: str,
        env: Mapping[str, str],
        directory: str = "",
        depth: int = 0,
    ) -> None:
        from release_assistant.core.workflows.uploads.shell import (
            commands,
            script_of,
            shell_words,
        )

        for command in commands(text, line):
            words = shell_words(command.text)
            if words[:1] in (["cd"], ["pushd"]):
                directory = _join(directory, words[1] if len(words) > 1 else None)
                continue
            found = read_command(command.text, env)
            if found is not None:
                where = command.line if command.script is None else command.script_line
                self.add(
                    LockUse(
                        found.tool,
                        command.text,
                        found.effect,
                        command.script or path,
                        where,
                        _join(directory, found.directory),
                        found.setting,
                    )
                )
                continue
            if depth > 0:
                continue
            if words[:1] == ["make"]:
                self.add_make(words[1:], path, env, directory)
                continue
            script = script_of(command.text, self.root)
            if script is not None and not script[0].endswith(".py"):
                self.add_script(script[1], 1, script[0], env, directory, depth + 1)

    def add_make(self, args: list[str], path: str, env: Mapping[str, str], directory: str) -> None:
        """The recipes ``make args`` runs (and their prerequisites'), from the Makefile of
        ``directory`` (or ``-C``), as one more level of scripts."""
        folder, makefile, wanted = directory, "Makefile", []
        index = 0
        while index < len(args):
            word = args[index]
            if word in ("-C", "--directory", "-f", "--file") and index + 1 < len(args):
                if word in ("-C", "--directory"):
                    folder = _join(folder, args[index + 1])
                else:
                    makefile = args[index + 1]
                index += 2
                continue
            if not word.startswith("-") and "=" not in word:
                wanted.append(word)
            index += 1
        relpath = posixpath.normpath(posixpath.join(folder, makefile))
        if relpath.startswith(".."):
            return
        full = os.path.join(self.root, relpath)
        if not os.path.isfile(full) or os.path.getsize(full) > _MAX_MAKEFILE_BYTES:
            return
        from release_assistant.core.support.textfiles import FileProblem, read_text

        try:
            rules = _make_rules(read_text(full))
        except FileProblem:
            return
        if not wanted:
            wanted = [name for name in rules if not name.startswith(".")][:1]
        seen: set[str] = set()
        while wanted and len(seen) < _MAX_MAKE_TARGETS:
            target = wanted.pop(0)
            if target in seen or target not in rules:
                continue
            seen.add(target)
            prerequisites, recipes = rules[target]
            wanted.extend(prerequisites)
            for line, recipe in recipes:
                self.add_script(recipe, line, relpath, env, folder, depth=1)


#: Largest Makefile read, and how many of its targets one ``make`` is followed through.
_MAX_MAKEFILE_BYTES = 256 * 1024
_MAX_MAKE_TARGETS = 20
_MAKE_RULE = re.compile(r"^(?P<targets>[^\s:=#][^:=#]*?)\s*::?(?!=)(?P<prerequisites>[^=;#]*)")


def _make_rules(text: str) -> dict[str, tuple[list[str], list[tuple[int, str]]]]:
    """A Makefile's rules: target -> (prerequisites, [(line, recipe line)]); recipe lines
    lose their ``@``, ``-`` and ``+`` prefixes."""
    rules: dict[str, tuple[list[str], list[tuple[int, str]]]] = {}
    current: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("\t"):
            recipe = line.strip().lstrip("@-+").strip()
            for target in current:
                rules[target][1].append((number, recipe))
            continue
        match = _MAKE_RULE.match(line)
        if match is None:
            if line.strip() and not line.startswith((" ", "#")):
                current = []
            continue
        current = match.group("targets").split()
        for target in current:
            rules.setdefault(target, ([], []))[0].extend(match.group("prerequisites").split())
    return rules


def _env_of(*maps: object) -> dict[str, str]:
    from release_assistant.core.workflows.uploads.tools import scalar_text
    from release_assistant.core.workflows.yaml_nodes import YamlMap

    merged: dict[str, str] = {}
    for mapping in maps:
        if isinstance(mapping, YamlMap):
            for key, value in mapping.items():
                text = scalar_text(value)
                if text is not None:
                    merged[str(key)] = text
    return merged


def _working_directory(*owners: object) -> str | None:
    """The ``working-directory`` of a step, else of ``defaults.run`` of its job or workflow."""
    from release_assistant.core.workflows.uploads.tools import scalar_text
    from release_assistant.core.workflows.yaml_nodes import YamlMap

    step, *others = owners
    if isinstance(step, YamlMap) and step.get("working-directory") is not None:
        return scalar_text(step.get("working-directory"))
    for owner in others:
        defaults = owner.get("defaults") if isinstance(owner, YamlMap) else None
        run = defaults.get("run") if isinstance(defaults, YamlMap) else None
        if isinstance(run, YamlMap) and run.get("working-directory") is not None:
            return scalar_text(run.get("working-directory"))
    return None


#: What a workflow that runs a lock tool (or a script or action that may) contains somewhere;
#: the others are not parsed.
_MIGHT_USE_A_LOCK = re.compile(
    r"\buv\b.*\b(?:sync|run|export|lock)\b|\bpoetry\b|\bpdm\b|UV_(?:LOCKED|FROZEN)"
    r"|\.sh\b|\bscripts?/|\./[\w.-]+/|\bmake\b"
)


def _workflow_uses(reader: _Reader) -> None:
    from pathlib import Path

    from release_assistant.core.support.textfiles import FileProblem, read_text
    from release_assistant.core.workflows.uploads.composite import (
        UnreadableAction,
        composite_action,
    )
    from release_assistant.core.workflows.workflow import parse_workflow, workflow_files
    from release_assistant.core.workflows.yaml_nodes import WorkflowError

    root = Path(reader.root)
    for path in workflow_files(root):
        relpath = path.relative_to(root).as_posix()
        try:
            text = read_text(path)
            if _MIGHT_USE_A_LOCK.search(text) is None:
                continue  # a test matrix of 300 kB need not be parsed to find no `uv sync`
            workflow = parse_workflow(text, path, relpath)
        except (FileProblem, WorkflowError) as problem:
            reader.unread.append(f"{relpath} ({problem})")
            continue
        for job in workflow.jobs.values():
            for step in job.steps:
                env = _env_of(workflow.env, job.env, step.env)
                directory = _join("", _working_directory(step.raw, job.raw, workflow.data))
                if step.run is not None:
                    reader.add_script(step.run, step.run_line, relpath, env, directory)
                    continue
                try:
                    action = composite_action(step, reader.root)
                except UnreadableAction as problem:
                    reader.unread.append(f"{problem.relpath} ({problem.reason})")
                    continue
                if action is None:
                    continue
                for inner in action.steps:
                    if inner.run is not None:
                        inner_dir = _join(directory, _working_directory(inner.raw))
                        inner_env = {**env, **_env_of(inner.env)}
                        reader.add_script(
                            inner.run, inner.run_line, action.relpath, inner_env, inner_dir
                        )


#: Pre-commit hooks (by id) that fail a commit on a stale lock, and the tool whose lock they
#: check (``None``: every tool's, as our own hook does).
_LOCK_HOOKS: dict[str, str | None] = {
    "check-lock-file": None,
    "ra-check-lock-file": None,
    "uv-lock": "uv",
    "pdm-lock-check": "pdm",
    "poetry-lock": "poetry",
}


def _precommit_uses(reader: _Reader) -> None:
    from release_assistant.core.support.textfiles import FileProblem, read_text
    from release_assistant.core.workflows.uploads.tools import scalar_text
    from release_assistant.core.workflows.workflow import parse_yaml
    from release_assistant.core.workflows.yaml_nodes import WorkflowError, YamlList, YamlMap

    relpath = ".pre-commit-config.yaml"
    path = os.path.join(reader.root, relpath)
    if not os.path.isfile(path):
        return
    try:
        data = parse_yaml(read_text(path), relpath).data
    except (FileProblem, WorkflowError) as problem:
        reader.unread.append(f"{relpath} ({problem})")
        return
    repos = data.get("repos") if isinstance(data, YamlMap) else None
    if not isinstance(repos, YamlList):
        return
    for repo in repos:
        hooks = repo.get("hooks") if isinstance(repo, YamlMap) else None
        if not isinstance(hooks, YamlList):
            continue
        for hook in hooks:
            if not isinstance(hook, YamlMap) or _manual_only(hook.get("stages")):
                continue
            hook_id = scalar_text(hook.get("id")) or ""
            line = hook.line_of("id")
            args = hook.get("args")
            arg_words = [scalar_text(a) or "" for a in args] if isinstance(args, YamlList) else []
            for tool in _hook_tools(hook_id, arg_words):
                reader.add(
                    LockUse(tool, f"pre-commit hook {hook_id}", Effect.REFUSES, relpath, line)
                )
            entry = scalar_text(hook.get("entry"))
            if not entry or hook_id in _LOCK_HOOKS:
                continue
            found = read_command(" ".join([entry, *arg_words]))
            if found is None and entry.split()[:2] == ["uv", "lock"]:
                found = CommandUse("uv", Effect.RELOCKS)
            if found is not None:
                # A hook that rewrites a stale lock fails the commit: pre-commit fails every
                # hook that changes a file.
                reader.add(
                    LockUse(
                        found.tool,
                        f"pre-commit hook {hook_id} (`{entry}`)",
                        Effect.REFUSES,
                        relpath,
                        line,
                        _join("", found.directory),
                    )
                )


def _hook_tools(hook_id: str, args: list[str]) -> Iterable[str]:
    if hook_id in _LOCK_HOOKS:
        tool = _LOCK_HOOKS[hook_id]
        return ("uv", "poetry", "pdm") if tool is None else (tool,)
    if hook_id == "poetry-check" and "--lock" in args:
        return ("poetry",)
    return ()


def _manual_only(stages: object) -> bool:
    from release_assistant.core.workflows.uploads.tools import scalar_text
    from release_assistant.core.workflows.yaml_nodes import YamlList

    if not isinstance(stages, YamlList) or not stages:
        return False
    return all(scalar_text(stage) == "manual" for stage in stages)


def lock_consequence(git_root: str) -> Consequence:
    """Every use of a lock in the workflows and the pre-commit configuration at ``git_root``."""
    reader = _Reader(os.path.realpath(git_root))
    _workflow_uses(reader)
    _precommit_uses(reader)
    return Consequence(reader.root, tuple(reader.uses), tuple(reader.unread))
