"""GitHub Actions workflows, loaded safely and with line numbers.

:func:`parse_yaml` builds mappings and sequences as :class:`YamlMap` and :class:`YamlList`,
which remember the line of every key, value and item, so each finding can point at the line
to edit. GitHub reads workflows as YAML 1.2, and so does :func:`parse_yaml`, with two readers
that give identical results:

* the fast path, :func:`~.yaml_lite.read_block_yaml`: standard library
  only, for the block-style YAML workflows are written in (block mappings and sequences,
  comments, one-line plain and quoted scalars, ``|``/``>`` block scalars, one-line flow lists);
* the reference, :mod:`release_assistant.core.workflows.yaml_loader`: ruamel.yaml's safe YAML 1.2
  parser, imported only when the fast reader returns ``None``.

The fast reader returns ``None`` for anything it is not certain to read exactly as ruamel.yaml
does (anchors, tags, multi-line scalars, floats, dates, odd indentation, invalid YAML...), so
the result is always ruamel.yaml's, and importing it (about 35 ms) is paid only by files that
need it. Invalid files always reach ruamel.yaml, which names the error; so do texts YAML 1.1
and 1.2 readers would read differently (U+2028, U+2029, U+0085), which are refused.

The model (:class:`Workflow`, :class:`Job`, :class:`Step`, ...) is a read-only view over the
parsed document that understands the shapes GitHub accepts (``needs: build`` or a list,
``environment: pypi`` or a mapping, ``permissions: write-all`` or a mapping, ``on: push``, a
list or a mapping). It never raises on odd shapes: it records a :attr:`Workflow.problems`
entry (line, message) and carries on.

Imports stay light (the standard library; ruamel.yaml only on the fallback path): the
``check-release-workflow`` pre-commit hook goes through this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from release_assistant.core.support.lazy_regex import LazyPattern
from release_assistant.core.support.textfiles import read_text
from release_assistant.core.workflows.yaml_nodes import ParsedYaml, WorkflowError, YamlList, YamlMap

#: The action that publishes with trusted publishing.
PUBLISH_ACTION = "pypa/gh-action-pypi-publish"

#: The top-level keys GitHub accepts in a workflow file (any other makes it reject the file).
TOP_LEVEL_KEYS = (
    "name",
    "run-name",
    "on",
    "permissions",
    "env",
    "defaults",
    "concurrency",
    "jobs",
)

#: Where GitHub looks for workflows.
WORKFLOWS_DIR = ".github/workflows"


def parse_yaml(text: str, relpath: str) -> ParsedYaml:
    """Parse one YAML document safely; :class:`WorkflowError` names the line of a syntax error.

    The standard-library reader answers for the YAML workflows are usually written in;
    ruamel.yaml (YAML 1.2) is imported only for the rest (and for every invalid file, to
    describe the error).
    """
    from release_assistant.core.workflows.yaml_lite import read_block_yaml

    parsed = read_block_yaml(text)
    if parsed is not None:
        return parsed
    from release_assistant.core.workflows.yaml_loader import load_yaml

    return load_yaml(text, relpath)


# ---------------------------------------------------------------------------------------------
# The model


def _text(value: Any) -> str | None:
    """A scalar as text (GitHub reads numbers and booleans in text fields as their text)."""
    if value is None or isinstance(value, (YamlMap, YamlList, dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _map(value: Any) -> YamlMap:
    return value if isinstance(value, YamlMap) else YamlMap()


@dataclass(slots=True)
class Permissions:
    """A ``permissions:`` block: ``read-all``/``write-all``/``{}`` or scope -> level."""

    line: int
    everything: str | None = None
    scopes: Mapping[str, str] = field(default_factory=dict)
    scope_lines: Mapping[str, int] = field(default_factory=dict)

    def grants(self, scope: str, level: str = "write") -> bool:
        """True when ``scope`` gets ``level`` (``write-all`` grants every scope)."""
        if self.everything == "write-all":
            return True
        if self.everything == "read-all":
            return level == "read"
        granted = self.scopes.get(scope)
        if granted is None:
            return False
        return granted == "write" or (level == "read" and granted == "read")

    def line_for(self, scope: str) -> int:
        """The line granting ``scope`` (or of the block itself)."""
        return self.scope_lines.get(scope, self.line)


def _permissions(owner: YamlMap, key: str, problems: list[tuple[int, str]]) -> Permissions | None:
    if key not in owner:
        return None
    value = owner[key]
    line = owner.line_of(key)
    if isinstance(value, YamlMap):
        scopes = {str(k): (_text(v) or "") for k, v in value.items()}
        lines = {str(k): value.line_of(k) for k in value}
        return Permissions(line, None, scopes, lines)
    text = _text(value)
    if text in ("read-all", "write-all"):
        return Permissions(line, text)
    if value is None:
        return Permissions(line, None)
    problems.append((line, f"permissions: {text!r} is not read-all, write-all or a mapping"))
    return Permissions(line, None)


@dataclass(slots=True)
class Step:
    """One step of a job."""

    index: int
    line: int
    id: str | None
    name: str | None
    uses: str | None
    uses_line: int
    run: str | None
    run_line: int
    inputs: YamlMap
    env: YamlMap
    raw: YamlMap

    @property
    def action(self) -> str | None:
        """``owner/repo[/path]`` of ``uses``, lower-cased, without the ``@ref``."""
        if self.uses is None:
            return None
        return self.uses.split("@", 1)[0].strip().lower()

    @property
    def ref(self) -> str | None:
        """The ``@ref`` of ``uses`` (``None`` when there is none)."""
        if self.uses is None or "@" not in self.uses:
            return None
        return self.uses.split("@", 1)[1].strip()

    def uses_action(self, action: str) -> bool:
        """True when the step runs ``action`` (``owner/repo``, any ref, any sub-path).

        Compared as a reader sees it: ignoring case (GitHub does), through look-alike
        letters (a Cyrillic ``\\u0430`` is an ``a`` to a reviewer; the ``workflow`` check reports
        such names) and for a Docker image of the action (``docker://…/owner/repo:tag``).
        """
        mine = self.action
        if mine is None:
            return False
        wanted = action.lower()
        mine = ascii_skeleton(docker_repository(mine) or mine)
        return mine == wanted or mine.startswith(wanted + "/")

    def input(self, *names: str) -> tuple[str | None, int]:
        """The first of ``names`` set under ``with:`` as text, and its line.

        Input names are compared ignoring case, as GitHub does (``Password:`` is
        ``password:`` to the action).
        """
        key = self.input_key(*names)
        if key is None:
            return None, self.line
        return _text(self.inputs[key]), self.inputs.value_line(key)

    def input_key(self, *names: str) -> Any:
        """The key under ``with:`` spelling one of ``names`` (any case), or ``None``."""
        wanted = [name.lower() for name in names]
        for name in wanted:
            for key in self.inputs:
                if isinstance(key, str) and key.lower() == name:
                    return key
        return None

    def has_input(self, *names: str) -> bool:
        """True when any of ``names`` is set under ``with:`` (any case)."""
        return self.input_key(*names) is not None

    @property
    def condition(self) -> str | None:
        """The step's ``if:`` condition as text."""
        return _text(self.raw.get("if"))

    @property
    def label(self) -> str:
        """How messages name the step."""
        if self.name:
            return f"step {self.name!r}"
        if self.uses:
            return f"step {self.uses!r}"
        return f"step {self.index + 1}"


#: Letters of other scripts that look like ASCII letters (Cyrillic, Greek, Latin
#: extensions); NFKC already folds fullwidth and other compatibility forms.
_LOOKALIKES = str.maketrans(
    {
        "\u0430": "a", "\u0432": "b", "\u0441": "c", "\u0501": "d", "\u0435": "e",
        "\u0451": "e", "\u04bb": "h", "\u0456": "i", "\u0457": "i", "\u0458": "j",
        "\u043a": "k", "\u04cf": "l", "\u043c": "m", "\u043d": "h", "\u043e": "o",
        "\u0440": "p", "\u051b": "q", "\u0433": "r", "\u0455": "s", "\u0442": "t",
        "\u0443": "y", "\u0475": "v", "\u051d": "w", "\u0445": "x", "\u0261": "g",
        "\u0131": "i", "\u0269": "i", "\u029f": "l", "\u0578": "n", "\u057d": "u",
        "\u03b1": "a", "\u03b2": "b", "\u03b5": "e", "\u03b7": "n", "\u03b9": "i",
        "\u03ba": "k", "\u03bd": "v", "\u03bf": "o", "\u03c1": "p", "\u03c4": "t",
        "\u03c5": "u", "\u03c7": "x", "\u03b3": "y", "\u03c9": "w", "\u0461": "w",
        "\u0251": "a", "\u0185": "b", "\u1d05": "d", "\u2010": "-", "\u2011": "-",
        "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2044": "/",
        "\u2215": "/", "\u2216": "/", "\uff0f": "/", "\uff20": "@", "\u2024": ".",
        "\u3002": ".",
    }
)  # fmt: skip


def ascii_skeleton(text: str) -> str:
    """``text`` as a reader sees it: compatibility forms folded (NFKC), look-alike letters of
    other scripts replaced by the ASCII letters they imitate, lower-cased."""
    import unicodedata

    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).lower().translate(_LOOKALIKES)


def docker_repository(uses: str) -> str | None:
    """``owner/repo`` of a ``docker://[registry/]owner/repo[:tag][@digest]`` reference
    (lower-cased), or ``None`` for anything else."""
    text = uses.strip().lower()
    if not text.startswith("docker://"):
        return None
    image = text[len("docker://") :].split("@", 1)[0]
    parts = image.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]  # the registry host
    if parts:
        parts[-1] = parts[-1].split(":", 1)[0]  # the tag
    return "/".join(parts)


@dataclass(slots=True)
class Environment:
    """A job's deployment ``environment`` (name, and the line that sets it)."""

    name: str
    line: int
    url: str | None = None

    @property
    def is_expression(self) -> bool:
        """True when the name is computed at run time (``${{ ... }}``)."""
        return "${{" in self.name


@dataclass(slots=True)
class Job:
    """One job: its dependencies, permissions, environment and steps."""

    id: str
    line: int
    name: str | None
    needs: tuple[str, ...]
    needs_line: int
    permissions: Permissions | None
    environment: Environment | None
    environment_missing_line: int
    uses: str | None
    uses_line: int
    inputs: YamlMap
    steps: tuple[Step, ...]
    condition: str | None
    matrix_line: int | None
    raw: YamlMap
    env: YamlMap = field(default_factory=YamlMap)

    @property
    def label(self) -> str:
        """How messages name the job."""
        return f"job {self.id!r}"

    def steps_using(self, action: str) -> list[Step]:
        """The steps that run ``action``."""
        return [step for step in self.steps if step.uses_action(action)]

    @property
    def publish_steps(self) -> list[Step]:
        """Steps that run ``pypa/gh-action-pypi-publish``."""
        return self.steps_using(PUBLISH_ACTION)

    @property
    def local_workflow(self) -> str | None:
        """The repository path of the reusable workflow this job calls from this repository.

        ``uses: ./.github/workflows/x.yml`` and the self-repository form
        ``uses: $/.github/workflows/x.yml`` both name a file of this repository (at the
        commit that runs); ``owner/repo/...@ref`` names another repository's file (``None``).
        """
        if not self.uses:
            return None
        target = self.uses.strip()
        for prefix in ("./", "$/"):
            if target.startswith(prefix):
                return target[len(prefix) :].split("@", 1)[0]
        return None


@dataclass(slots=True)
class Trigger:
    """One event under ``on:`` and its configuration (``None`` when it has none)."""

    event: str
    line: int
    config: Any


@dataclass(slots=True)
class Workflow:
    """A parsed workflow file."""

    path: Path
    relpath: str
    data: YamlMap
    name: str | None = None
    on_line: int | None = None
    triggers: dict[str, Trigger] = field(default_factory=dict)
    permissions: Permissions | None = None
    jobs: dict[str, Job] = field(default_factory=dict)
    jobs_line: int | None = None
    env: YamlMap = field(default_factory=YamlMap)
    #: Structural problems GitHub would reject: ``(line, message)``.
    problems: list[tuple[int, str]] = field(default_factory=list)
    #: Job ids spelled alike but for letter case: ``(id, first id, line)``.
    case_clashes: list[tuple[str, str, int]] = field(default_factory=list)
    #: Lines of YAML merge keys (``<<:``), which GitHub does not expand.
    merge_keys: list[int] = field(default_factory=list)
    #: Lines of YAML 1.1 value keys (``=:``), plain text to GitHub's YAML 1.2 reader.
    value_keys: list[int] = field(default_factory=list)
    #: Visits made computing the ``needs`` closures (a job or an edge each; see
    #: :meth:`needs_closure`).
    closure_steps: int = field(default=0, compare=False, repr=False)
    _closure_bits: dict[str, int] | None = field(default=None, compare=False, repr=False)
    _job_order: list[str] = field(default_factory=list, compare=False, repr=False)

    @property
    def file_name(self) -> str:
        """The workflow's file name, as the trusted-publisher form wants it (``release.yml``)."""
        return self.path.name

    def needs_closure(self, job_id: str) -> set[str]:
        """Every job ``job_id`` waits for, directly or through others.

        The closures of all jobs are computed once per workflow, each job and each ``needs``
        edge visited once (:attr:`closure_steps` counts the visits), as bit sets: a workflow of
        1,600 jobs with dense ``needs`` stays well under a second however many publish jobs
        ask.
        """
        if self._closure_bits is None:
            self._closure_bits = self._all_closures()
        bits = self._closure_bits.get(job_id, 0)
        names = self._job_order
        found: set[str] = set()
        while bits:
            low = bits & -bits
            found.add(names[low.bit_length() - 1])
            bits ^= low
        return found

    def _all_closures(self) -> dict[str, int]:
        """Job id -> the bit set of the jobs it waits for (bit ``i``: ``_job_order[i]``)."""
        self._job_order = list(self.jobs)
        index = {job_id: position for position, job_id in enumerate(self._job_order)}
        closures: dict[str, int] = {}
        for root in self._job_order:
            if root in closures:
                continue
            # Iterative depth-first search: a chain of 1,600 jobs must not hit the recursion
            # limit. A `needs` cycle (GitHub rejects it) ends where it closes.
            stack: list[tuple[str, int]] = [(root, 0)]
            closures[root] = 0
            self.closure_steps += 1
            while stack:
                job_id, position = stack[-1]
                needs = self.jobs[job_id].needs
                if position < len(needs):
                    stack[-1] = (job_id, position + 1)
                    needed = needs[position]
                    self.closure_steps += 1
                    if needed in index and needed not in closures:
                        closures[needed] = 0
                        self.closure_steps += 1
                        stack.append((needed, 0))
                    continue
                stack.pop()
                bits = 0
                for needed in needs:
                    if needed in index:
                        bits |= (1 << index[needed]) | closures[needed]
                closures[job_id] = bits
        return closures

    def scalars(self) -> Iterator[tuple[str, int, tuple[Any, ...]]]:
        """Every text value in the document with its line and key path (for secret scans).

        A node reached again through a YAML alias is walked once: aliases can make a small
        file describe an exponentially large (or recursive) tree.
        """
        yield from _walk(self.data, (), set())


def _walk(
    node: Any, path: tuple[Any, ...], seen: set[int]
) -> Iterator[tuple[str, int, tuple[Any, ...]]]:
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, YamlMap):
        for key, value in node.items():
            if isinstance(value, (YamlMap, YamlList)):
                yield from _walk(value, (*path, key), seen)
            elif isinstance(value, str):
                yield value, node.value_line(key), (*path, key)
    elif isinstance(node, YamlList):
        for index, value in enumerate(node):
            if isinstance(value, (YamlMap, YamlList)):
                yield from _walk(value, (*path, index), seen)
            elif isinstance(value, str):
                yield value, node.line_at(index), (*path, index)


def _triggers(data: YamlMap, problems: list[tuple[int, str]]) -> dict[str, Trigger]:
    value = data.get("on")
    line = data.line_of("on")
    if isinstance(value, str):
        return {value: Trigger(value, line, None)}
    if isinstance(value, YamlList):
        triggers: dict[str, Trigger] = {}
        for index, item in enumerate(value):
            text = _text(item)
            if text:
                triggers[text] = Trigger(text, value.line_at(index), None)
        return triggers
    if isinstance(value, YamlMap):
        return {str(k): Trigger(str(k), value.line_of(k), value[k]) for k in value}
    problems.append((line, "'on:' must name the events that start the workflow"))
    return {}


def parse_steps(job: YamlMap, problems: list[tuple[int, str]]) -> tuple[Step, ...]:
    """The ``steps:`` of a job (or of a composite action's ``runs:``); odd shapes go to
    ``problems``."""
    return _steps(job, problems)


def _steps(job: YamlMap, problems: list[tuple[int, str]]) -> tuple[Step, ...]:
    value = job.get("steps")
    if value is None:
        return ()
    if not isinstance(value, YamlList):
        problems.append((job.line_of("steps"), "'steps:' must be a list"))
        return ()
    steps: list[Step] = []
    for index, raw in enumerate(value):
        line = value.line_at(index)
        if not isinstance(raw, YamlMap):
            problems.append((line, f"step {index + 1} must be a mapping"))
            continue
        steps.append(
            Step(
                index=index,
                line=line,
                id=_text(raw.get("id")),
                name=_text(raw.get("name")),
                uses=_text(raw.get("uses")),
                uses_line=raw.value_line("uses"),
                run=_text(raw.get("run")),
                run_line=raw.value_line("run"),
                inputs=_map(raw.get("with")),
                env=_map(raw.get("env")),
                raw=raw,
            )
        )
    return tuple(steps)


def _environment(job: YamlMap) -> Environment | None:
    value = job.get("environment")
    if value is None:
        return None
    line = job.value_line("environment")
    # A blank name ('' or spaces) is no environment to GitHub, nor to PyPI's identity check.
    if isinstance(value, YamlMap):
        name = _text(value.get("name"))
        if name is None or not name.strip():
            return None
        return Environment(name, value.value_line("name"), _text(value.get("url")))
    name = _text(value)
    return Environment(name, line) if name and name.strip() else None


def _needs(job: YamlMap) -> tuple[str, ...]:
    value = job.get("needs")
    if isinstance(value, YamlList):
        return tuple(text for text in (_text(item) for item in value) if text)
    text = _text(value)
    return (text,) if text else ()


def _job(job_id: str, line: int, raw: YamlMap, problems: list[tuple[int, str]]) -> Job:
    strategy = raw.get("strategy")
    matrix_line = (
        strategy.line_of("matrix")
        if isinstance(strategy, YamlMap) and strategy.get("matrix") is not None
        else None
    )
    return Job(
        id=job_id,
        line=line,
        name=_text(raw.get("name")),
        needs=_needs(raw),
        needs_line=raw.line_of("needs", line),
        permissions=_permissions(raw, "permissions", problems),
        environment=_environment(raw),
        environment_missing_line=line,
        uses=_text(raw.get("uses")),
        uses_line=raw.value_line("uses"),
        inputs=_map(raw.get("with")),
        steps=_steps(raw, problems),
        condition=_text(raw.get("if")),
        matrix_line=matrix_line,
        raw=raw,
        env=_map(raw.get("env")),
    )


def build_workflow(parsed: ParsedYaml, path: Path, relpath: str) -> Workflow:
    """The model of a parsed workflow; :class:`WorkflowError` when it is not a workflow."""
    data = parsed.data
    if not isinstance(data, YamlMap):
        line = getattr(data, "line", 1) if data is not None else 1
        raise WorkflowError(relpath, "not a workflow: the file must be a YAML mapping", line)
    workflow = Workflow(path=path, relpath=relpath, data=data)
    problems = workflow.problems
    for key, line, first in parsed.duplicate_keys:
        problems.append((line, f"key {key!r} is repeated (first at line {first})"))
    workflow.name = _text(data.get("name"))
    if "on" not in data:
        problems.append((data.line, "no 'on:' section: GitHub never starts this workflow"))
    else:
        workflow.on_line = data.line_of("on")
        workflow.triggers = _triggers(data, problems)
    workflow.permissions = _permissions(data, "permissions", problems)
    workflow.env = _map(data.get("env"))
    special = sorted(_special_keys(data, set()))
    workflow.merge_keys = [line for line, key in special if key == "<<"]
    workflow.value_keys = [line for line, key in special if key == "="]
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problems.append(
                (
                    data.line_of(key),
                    f"unknown top-level key {key!r}: GitHub rejects the workflow (it allows "
                    f"{', '.join(TOP_LEVEL_KEYS)})",
                )
            )
    jobs = data.get("jobs")
    if not isinstance(jobs, YamlMap):
        problems.append((data.line_of("jobs"), "no 'jobs:' mapping"))
        return workflow
    workflow.jobs_line = data.line_of("jobs")
    folded: dict[str, str] = {}
    for job_id, raw in jobs.items():
        line = jobs.line_of(job_id)
        if not isinstance(raw, YamlMap):
            problems.append((line, f"job {job_id!r} must be a mapping"))
            continue
        spelled = folded.setdefault(str(job_id).lower(), str(job_id))
        if spelled != str(job_id):
            workflow.case_clashes.append((str(job_id), spelled, line))
        workflow.jobs[str(job_id)] = _job(str(job_id), line, raw, problems)
    for job in workflow.jobs.values():
        for needed in job.needs:
            if needed not in workflow.jobs:
                problems.append((job.needs_line, f"{job.label} needs unknown job {needed!r}"))
    return workflow


def _special_keys(node: Any, seen: set[int]) -> Iterator[tuple[int, str]]:
    """``(line, key)`` of every ``<<`` (merge) and ``=`` (value) key: YAML 1.1 only."""
    # Iterative: a document nested thousands deep must not exhaust the recursion limit.
    pending = [node]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, YamlMap):
            for key, value in current.items():
                if key in ("<<", "="):
                    yield current.line_of(key), key
                pending.append(value)
        elif isinstance(current, YamlList):
            pending.extend(current)


def parse_workflow(text: str, path: Path, relpath: str) -> Workflow:
    """Parse workflow ``text`` read from ``path``."""
    return build_workflow(parse_yaml(text, relpath), path, relpath)


def load_workflow(path: Path, relpath: str) -> Workflow:
    """Read and parse a workflow file.

    Raises :class:`~release_assistant.core.support.textfiles.FileProblem` when it cannot be read and
    :class:`WorkflowError` when it is not valid YAML or not a mapping.
    """
    return parse_workflow(read_text(path), path, relpath)


def workflow_files(root: Path) -> list[Path]:
    """Every ``*.yml``/``*.yaml`` file in ``.github/workflows``, sorted."""
    directory = root / WORKFLOWS_DIR
    if not directory.is_dir():
        return []
    return sorted(
        path for path in directory.iterdir() if path.suffix in (".yml", ".yaml") and path.is_file()
    )


_TEST_INDEX_WORDS = LazyPattern(r"test[-_ .]?pypi", re.IGNORECASE)
_INDEX_WORD = re.compile(r"pypi", re.IGNORECASE)


def repository_url(step: Step) -> tuple[str | None, int]:
    """The publish step's ``repository-url`` (or the deprecated ``repository_url``) and line."""
    return step.input("repository-url", "repository_url")


def publish_target(job: Job) -> str:
    """Which index a publish job means to upload to: ``"testpypi"`` or ``"pypi"``.

    The job's id, name and environment say what it is for (``publish-testpypi``,
    ``environment: testpypi``); a job whose names say nothing is judged by the
    ``repository-url`` it passes to the publish action.
    """
    from release_assistant.core.urls import is_test_index_url

    words = " ".join(
        part for part in (job.id, job.name, job.environment and job.environment.name) if part
    )
    if _TEST_INDEX_WORDS.search(words):
        return "testpypi"
    if _INDEX_WORD.search(words):
        return "pypi"
    for step in job.publish_steps:
        url, _ = repository_url(step)
        if url and is_test_index_url(url):
            return "testpypi"
    return "pypi"
