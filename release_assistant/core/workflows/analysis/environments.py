"""A publish job's ``environment`` computed at run time: RA644.

The index checks the OIDC token's ``environment`` claim against the one name the trusted
publisher was registered with. ``environment: ${{ inputs.env }}`` is empty when a published
release (or a tag push) runs the job, because only a dispatch or a call fills ``inputs``;
``${{ matrix.env }}`` is empty in a matrix combination without ``env``. An empty name is no
environment: the token has no environment claim and the environment's protection rules do
not apply.

A warning, even when the name is provably empty: a publisher registered without an
environment accepts such a run, and the workflow alone cannot tell which was registered.
Where ``[tool.release-assistant.publisher]`` says which, the ``publisher`` check asks
:func:`empty_environment` and reports a name provably empty on the release as RA706/RA707,
an error. Only what the expression is made of is judged: a literal fallback
(``inputs.env || 'pypi'``) is never empty, and values the workflow does not show
(``vars``, ``needs.*.outputs``, a matrix from ``fromJSON``) give no finding.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.rules.workflow import ENVIRONMENT_CAN_BE_EMPTY
from release_assistant.core.support.lazy_regex import LazyPattern
from release_assistant.core.workflows.analysis.indexes import target
from release_assistant.core.workflows.analysis.state import WorkflowFindings
from release_assistant.core.workflows.events import CALLED, RELEASE, RunAnalysis, Scenario
from release_assistant.core.workflows.uploads import Upload
from release_assistant.core.workflows.workflow import Environment, Job, Workflow
from release_assistant.core.workflows.yaml_nodes import YamlList, YamlMap

#: What one operand of the expression can be, in one kind of run.
EMPTY = "empty"  # provably empty
MAYBE = "maybe"  # empty unless whoever starts the run supplies it
FILLED = "filled"  # never empty
OPAQUE = "opaque"  # made of values the workflow does not show

_WHOLE_EXPRESSION = LazyPattern(r"^\s*\$\{\{(?P<body>.*)\}\}\s*$", re.DOTALL)
_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_INPUT = LazyPattern(
    rf"^(?P<event>github\s*\.\s*event\s*\.\s*)?inputs\s*(?:\.\s*(?P<dotted>{_NAME})"
    r"|\[\s*'(?P<quoted>[^']*)'\s*\])$",
    re.IGNORECASE,
)
_MATRIX = LazyPattern(
    rf"^matrix\s*(?:\.\s*(?P<dotted>{_NAME})|\[\s*'(?P<quoted>[^']*)'\s*\])$", re.IGNORECASE
)
_LITERAL = LazyPattern(r"^'(?P<text>(?:[^']|'')*)'$")
#: Matrix combinations worth listing; a bigger matrix (or a hostile one) is not judged.
_MAX_COMBINATIONS = 256


@dataclass(frozen=True, slots=True)
class Emptiness:
    """Whether the environment name can be empty, and the run (or row) that shows it."""

    state: str
    where: str
    #: Proven empty in a run a published release or a tag push starts, in which the job
    #: and an upload step of it certainly run.
    on_release: bool = False


def check_environment_expression(state: WorkflowFindings, job: Job, uploads: list[Upload]) -> None:
    """RA644: the publish ``job``'s environment name is an expression that can be empty."""
    env = job.environment
    if env is None or not env.is_expression:
        return
    found = empty_environment(state.wf, state.runs, job, uploads)
    if found is None:
        return
    proven = "is empty" if found.state == EMPTY else "can be empty"
    state.emit(
        Finding(
            ENVIRONMENT_CAN_BE_EMPTY.code,
            f"the environment of publish {job.label}, {_shorten(env.name.strip())!r}, {proven} "
            f"{found.where}: the OIDC token then names no environment, so a trusted "
            "publisher registered for one rejects the upload, and the environment's "
            "protection rules do not apply",
            Severity.WARNING,
            state.path,
            env.line,
            f"give the expression the name registered on the index as its fallback, "
            f"${{{{ {_shorten(_body(env))} || '{target(uploads[0])}' }}}}, or write the name "
            "literally",
        )
    )


def _shorten(text: str) -> str:
    """At most 80 characters of ``text``: a message quotes the expression, not a book."""
    return text if len(text) <= 80 else text[:77] + "..."


def _body(env: Environment) -> str:
    match = _WHOLE_EXPRESSION.match(env.name)
    return match.group("body").strip() if match else env.name


def empty_environment(
    workflow: Workflow, runs: RunAnalysis, job: Job, uploads: list[Upload]
) -> Emptiness | None:
    """Whether the environment name of ``job`` (of ``workflow``) can be empty in a run in
    which one of its ``uploads`` can run: the most telling such run (proven empty first, a
    release first), or ``None`` when it is never empty or the workflow does not show."""
    env = job.environment
    if env is None or not env.is_expression:
        return None
    match = _WHOLE_EXPRESSION.match(env.name)
    if match is None or "${{" in match.group("body"):
        return None  # literal text around the expression: never empty
    operands = _alternatives(match.group("body"))
    if operands is None:
        return None
    matrix: dict[str, Emptiness] = {}  # the same in every run: expanded once per key
    candidates: list[Emptiness] = []
    for scenario in runs.scenarios:
        uploading = [runs.step_runs(job, u.step.condition, scenario) for u in uploads]
        if all(runs_ is False for runs_ in uploading):
            continue  # no upload in this run: its environment does not matter here
        found = _combine([_operand(workflow, job, text, scenario, matrix) for text in operands])
        if found is None or found.state not in (EMPTY, MAYBE):
            continue
        if not any(runs_ is True for runs_ in uploading):
            found = Emptiness(MAYBE, found.where)
        elif found.state == EMPTY and scenario.kind == RELEASE:
            found = Emptiness(EMPTY, found.where, on_release=True)
        candidates.append(found)
    if not candidates:
        return None
    return min(candidates, key=lambda found: (found.state != EMPTY, not found.on_release))


def _alternatives(body: str) -> list[str] | None:
    """The operands of a top-level ``a || b || c`` (one, without ``||``); ``None`` when the
    quotes or brackets do not close."""
    operands: list[str] = []
    depth = 0
    quoted = False
    start = 0
    index = 0
    while index < len(body):
        char = body[index]
        if quoted:
            quoted = char != "'"  # a doubled '' closes and reopens
        elif char == "'":
            quoted = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0 and body.startswith("||", index):
            operands.append(body[start:index].strip())
            index += 2
            start = index
            continue
        index += 1
    if quoted or depth != 0:
        return None
    operands.append(body[start:].strip())
    return operands


def _combine(found: list[Emptiness]) -> Emptiness | None:
    """``a || b``: filled when one operand is, empty when all are."""
    states = {item.state for item in found}
    if FILLED in states or OPAQUE in states or not found:
        return None
    if states == {EMPTY}:
        return found[0]
    return next(item for item in found if item.state == MAYBE)


def _operand(
    workflow: Workflow, job: Job, text: str, scenario: Scenario, matrix: dict[str, Emptiness]
) -> Emptiness:
    literal = _LITERAL.match(text)
    if literal is not None:
        return Emptiness(FILLED if literal.group("text").strip() else EMPTY, "")
    match = _INPUT.match(text)
    if match is not None:
        name = match.group("dotted") or match.group("quoted") or ""
        return _input(workflow, name, bool(match.group("event")), scenario)
    match = _MATRIX.match(text)
    if match is not None:
        key = match.group("dotted") or match.group("quoted") or ""
        if key not in matrix:
            matrix[key] = _matrix(job, key)
        return matrix[key]
    return Emptiness(OPAQUE, "")


def _input(workflow: Workflow, name: str, from_event: bool, scenario: Scenario) -> Emptiness:
    """``inputs.<name>`` (``github.event.inputs.<name>``) in the runs ``scenario`` stands for."""
    if scenario.kind == CALLED:
        if from_event:
            return Emptiness(OPAQUE, "")  # the caller's event, not known here
        return _declared(workflow, "workflow_call", name, "when a workflow calls it")
    if scenario.event == "workflow_dispatch":
        return _declared(workflow, "workflow_dispatch", name, "on a manual dispatch")
    # No other event fills `inputs` (a repository_dispatch carries `client_payload`).
    return Emptiness(
        EMPTY, f"when {scenario.label} runs it (only a dispatch or a call fills inputs)"
    )


def _declared(workflow: Workflow, event: str, name: str, where: str) -> Emptiness:
    """An input of ``event`` as its declaration under ``on.<event>.inputs`` makes it."""
    trigger = workflow.triggers.get(event)
    config = trigger.config if trigger is not None else None
    inputs = config.get("inputs") if isinstance(config, YamlMap) else None
    if inputs is not None and not isinstance(inputs, YamlMap):
        return Emptiness(OPAQUE, "")
    declared = next(
        (value for key, value in (inputs or {}).items() if str(key).lower() == name.lower()),
        None,
    )
    if declared is None:
        return Emptiness(EMPTY, f"{where} (it declares no input {name!r})")
    if not isinstance(declared, YamlMap):
        return Emptiness(OPAQUE, "")
    if _text(declared.get("required")) == "true":
        return Emptiness(FILLED, "")
    default = declared.get("default")
    if default is not None and (_text(default) or "").strip():
        return Emptiness(FILLED, "")
    if _text(declared.get("type")) == "choice":
        return Emptiness(FILLED, "")  # GitHub offers the options only, the first preselected
    return Emptiness(MAYBE, f"{where} without input {name!r} (it is optional, with no default)")


def _text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value).strip().lower()
    return None


def _matrix(job: Job, key: str) -> Emptiness:
    """``matrix.<key>``: empty in a combination that lacks ``key`` (GitHub's include rules)."""
    strategy = job.raw.get("strategy")
    matrix = strategy.get("matrix") if isinstance(strategy, YamlMap) else None
    if not isinstance(matrix, YamlMap):
        return Emptiness(OPAQUE, "")  # none, or computed (fromJSON)
    combinations = _combinations(matrix)
    if combinations is None:
        return Emptiness(OPAQUE, "")
    wanted = key.lower()
    for combination, where in combinations:
        value = next((v for k, v in combination.items() if k.lower() == wanted), None)
        if value is None or (isinstance(value, str) and not value.strip()):
            return Emptiness(EMPTY, f"in the matrix combination {where}, which has no {key!r}")
        if isinstance(value, str) and "${{" in value:
            return Emptiness(OPAQUE, "")
    return Emptiness(FILLED, "")


def _combinations(matrix: YamlMap) -> list[tuple[dict[str, Any], str]] | None:
    """The matrix's combinations, each with how a message names it, as GitHub expands them:
    the product of the dimensions, less ``exclude``; each ``include`` row extends every
    combination whose original values it does not change, or else is a combination of its
    own. ``None`` when a part is computed or the product is too big to list."""
    dimensions: dict[str, list[Any]] = {}
    for key, values in matrix.items():
        if key in ("include", "exclude"):
            continue
        if not isinstance(values, YamlList):
            return None  # an expression (fromJSON) or a malformed dimension
        dimensions[str(key)] = list(values)
    size = 1
    for values in dimensions.values():
        size *= len(values)
        if size > _MAX_COMBINATIONS:
            return None
    rows: dict[str, list[tuple[YamlMap, int]]] = {}
    for part in ("include", "exclude"):
        value = matrix.get(part)
        if value is None:
            rows[part] = []
            continue
        if not isinstance(value, YamlList) or not all(isinstance(v, YamlMap) for v in value):
            return None
        if len(value) > _MAX_COMBINATIONS:
            return None
        rows[part] = [(row, value.line_at(index)) for index, row in enumerate(value)]
    originals: list[dict[str, Any]] = []
    if dimensions:
        for values in itertools.product(*dimensions.values()):
            combination = dict(zip(dimensions, values, strict=True))
            if not any(
                all(combination.get(str(k)) == v for k, v in row.items())
                for row, _ in rows["exclude"]
            ):
                originals.append(combination)
    extended = [dict(combination) for combination in originals]
    added: list[tuple[dict[str, Any], str]] = []
    for row, line in rows["include"]:
        matched = False
        for combination, original in zip(extended, originals, strict=True):
            if all(original.get(str(k)) == v for k, v in row.items() if str(k) in dimensions):
                combination.update({str(k): v for k, v in row.items()})
                matched = True
        if not matched:
            # Later rows extend only the original combinations, never this one.
            added.append(
                ({str(k): v for k, v in row.items()}, f"of the include row at line {line}")
            )
            if len(added) > _MAX_COMBINATIONS:
                return None
    named = [
        (combination, _describe(original))
        for combination, original in zip(extended, originals, strict=True)
    ]
    return named + added


def _describe(combination: dict[str, Any]) -> str:
    """``{python: 3.12, os: linux}``, for the message."""
    parts = [
        f"{key}: {value}"
        for key, value in combination.items()
        if isinstance(value, (str, int, float))
    ]
    return "{" + ", ".join(parts) + "}"
