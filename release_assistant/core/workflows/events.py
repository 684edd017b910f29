"""When a job runs: the events that start a workflow, and what its ``if:`` conditions allow.

The trigger rules of the ``workflow`` check ask concrete questions: *can* the publish job run
on a push to ``main``? on a pull request? on a release that was only edited? A condition such
as ``startsWith(github.ref, 'refs/tags/')`` answers them, but only if it is read the way
GitHub reads it. This module turns each trigger under ``on:`` into :class:`Scenario` values
(one per kind of run the trigger can start: a tag push and a branch push for an unfiltered
``push``, one per activity type for ``release`` and ``pull_request``) and evaluates job and
step conditions in each, with GitHub's expression rules (case-insensitive string
comparison, ``&&``/``||`` returning operands, implicit ``success()`` over ``needs``).

The evaluator is three-valued: what a scenario does not fix (``needs.*.outputs``, ``inputs``,
``vars``, the exact tag name) is :data:`UNKNOWN`, and anything depending on it stays unknown.
Findings are raised only on a *definite* answer: a job that provably runs on every branch
push, or a token upload that provably never runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from release_assistant.core.workflows.workflow import Job, Trigger, Workflow
from release_assistant.core.workflows.yaml_nodes import YamlList, YamlMap


class _Unknown:
    """A value the scenario does not determine."""

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:  # pragma: no cover - guards against accidental truth tests
        raise TypeError("UNKNOWN has no truth value; use truthy()")


#: What an expression evaluates to when the scenario does not determine it.
UNKNOWN: Any = _Unknown()


@dataclass(frozen=True, slots=True)
class _Prefixed:
    """A string known only by its start (``github.ref`` of a tag push: ``refs/tags/...``)."""

    prefix: str


@dataclass(frozen=True, slots=True)
class _Anything:
    """A value equal to every literal it is compared with (``github.repository_owner``).

    Conditions such as ``github.repository_owner == 'pallets'`` keep forks from publishing;
    the check looks at the repository being released, where they hold.
    """


#: Kinds of runs a scenario stands for.
RELEASE = "release"  # a published release, a tag push, a merged pull request
MANUAL = "manual"  # workflow_dispatch, repository_dispatch: a maintainer asks for it
BRANCH = "branch"  # a branch push, a schedule, a merge queue: ordinary development
PULL_REQUEST = "pull_request"  # code nobody merged yet
RELEASE_EDIT = "release_edit"  # a release edited, deleted, unpublished: no new version
DANGEROUS = "dangerous"  # events outsiders can cause, run with the repository's secrets
CALLED = "called"  # workflow_call: the caller's event, unknown here

#: Events that run with the base repository's secrets on what outsiders can cause.
DANGEROUS_EVENTS = frozenset(
    {
        "pull_request_target",
        "workflow_run",
        "issue_comment",
        "issues",
        "discussion",
        "discussion_comment",
        "fork",
        "watch",
        # Anyone can review a pull request (a fork's included) and comment on the review.
        "pull_request_review",
        "pull_request_review_comment",
    }
)
_MANUAL_EVENTS = frozenset({"workflow_dispatch", "repository_dispatch"})
_RELEASE_TYPES_ALL = (
    "published",
    "unpublished",
    "created",
    "edited",
    "deleted",
    "prereleased",
    "released",
)
#: Release activity types that announce a new version (``created`` fires with ``published``
#: when a release is published without being a draft first).
RELEASE_PUBLISHING_TYPES = frozenset({"published", "released", "prereleased", "created"})
_PULL_REQUEST_TYPES_DEFAULT = ("opened", "synchronize", "reopened")


@dataclass(frozen=True, slots=True)
class Scenario:
    """One kind of run a trigger starts: the event, the ref kind and the activity type."""

    event: str
    kind: str
    trigger: Trigger
    ref_type: str | None = None
    action: str | None = None
    merged: bool | None = None

    @property
    def label(self) -> str:
        """How messages name the scenario (``a push to a branch``)."""
        if self.event == "push":
            return "a tag push" if self.ref_type == "tag" else "a push to a branch"
        if self.event == "pull_request" and self.action == "closed":
            return "a merged pull request" if self.merged else "a pull request closed unmerged"
        if self.action:
            return f"'{self.event}' ({self.action})"
        return f"'{self.event}'"


def _types(config: Any) -> list[str] | None:
    value = config.get("types") if isinstance(config, YamlMap) else None
    if isinstance(value, YamlList):
        return [str(item) for item in value]
    if isinstance(value, str):
        return [value]
    return None


def scenarios(workflow: Workflow) -> list[Scenario]:
    """Every kind of run the workflow's triggers can start."""
    found: list[Scenario] = []
    for event, trigger in workflow.triggers.items():
        found.extend(_trigger_scenarios(event, trigger))
    return found


def _trigger_scenarios(event: str, trigger: Trigger) -> Iterator[Scenario]:
    config = trigger.config
    if event == "release":
        for action in _types(config) or _RELEASE_TYPES_ALL:
            kind = RELEASE if action in RELEASE_PUBLISHING_TYPES else RELEASE_EDIT
            yield Scenario(event, kind, trigger, "tag", action)
    elif event == "push":
        keys = set(config) if isinstance(config, YamlMap) else set()
        tags = bool(keys & {"tags", "tags-ignore"})
        branches = bool(keys & {"branches", "branches-ignore"})
        if tags or not branches:
            yield Scenario(event, RELEASE, trigger, "tag")
        if branches or not tags:
            yield Scenario(event, BRANCH, trigger, "branch")
    elif event == "pull_request":
        for action in _types(config) or _PULL_REQUEST_TYPES_DEFAULT:
            if action == "closed":
                yield Scenario(event, RELEASE, trigger, "branch", action, merged=True)
                yield Scenario(event, PULL_REQUEST, trigger, "branch", action, merged=False)
            else:
                yield Scenario(event, PULL_REQUEST, trigger, "branch", action, merged=False)
    elif event in _MANUAL_EVENTS:
        yield Scenario(event, MANUAL, trigger)
    elif event in DANGEROUS_EVENTS:
        yield Scenario(event, DANGEROUS, trigger, "branch", merged=False)
    elif event == "workflow_call":
        yield Scenario(event, CALLED, trigger)
    else:  # schedule, merge_group, pull_request_review, ...: development events
        yield Scenario(event, BRANCH, trigger, "branch")


# ---------------------------------------------------------------------------------------------
# Expressions

_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)|'(?P<str>(?:[^']|'')*)'|(?P<op>==|!=|<=|>=|&&|\|\||[!<>()\[\],.*])"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*))"
)
_STATUS_FUNCTIONS = re.compile(r"\b(?:always|failure|cancelled)\s*\(", re.IGNORECASE)
_WRAPPED = re.compile(r"^\s*\$\{\{(?P<body>.*)\}\}\s*$", re.DOTALL)


class _Tokens:
    def __init__(self, text: str) -> None:
        self.items: list[tuple[str, str]] = []
        position = 0
        text = text.rstrip()
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise ValueError(f"cannot read {text[position:]!r}")
            position = match.end()
            kind = match.lastgroup or ""
            self.items.append((kind, match.group(kind)))
        self.index = 0

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.index] if self.index < len(self.items) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ValueError("unexpected end of expression")
        self.index += 1
        return token

    def accept(self, op: str) -> bool:
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] == op:
            self.index += 1
            return True
        return False


def truthy(value: Any) -> Any:
    """GitHub's truthiness: ``True``/``False``, or :data:`UNKNOWN`."""
    if value is UNKNOWN or isinstance(value, (_Prefixed, _Anything)):
        return UNKNOWN if value is UNKNOWN else True
    return value not in (None, False, 0, "") and value == value  # NaN is falsy


class _Evaluator:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario

    def run(self, text: str) -> Any:
        tokens = _Tokens(text)
        value = self.or_(tokens)
        if tokens.peek() is not None:
            raise ValueError("trailing tokens")
        return value

    def or_(self, tokens: _Tokens) -> Any:
        value = self.and_(tokens)
        while tokens.accept("||"):
            right = self.and_(tokens)
            left_truth = truthy(value)
            if left_truth is True:
                continue
            if left_truth is False:
                value = right
            elif truthy(right) is True:
                value = True
            else:
                value = UNKNOWN
        return value

    def and_(self, tokens: _Tokens) -> Any:
        value = self.not_(tokens)
        while tokens.accept("&&"):
            right = self.not_(tokens)
            left_truth = truthy(value)
            if left_truth is False:
                continue
            if left_truth is True:
                value = right
            elif truthy(right) is False:
                value = False
            else:
                value = UNKNOWN
        return value

    def not_(self, tokens: _Tokens) -> Any:
        if tokens.accept("!"):
            truth = truthy(self.not_(tokens))
            return UNKNOWN if truth is UNKNOWN else not truth
        return self.compare(tokens)

    def compare(self, tokens: _Tokens) -> Any:
        left = self.primary(tokens)
        token = tokens.peek()
        if (
            token is not None
            and token[0] == "op"
            and token[1] in ("==", "!=", "<", ">", "<=", ">=")
        ):
            tokens.take()
            right = self.primary(tokens)
            if token[1] in ("==", "!="):
                equal = _equal(left, right)
                if equal is UNKNOWN:
                    return UNKNOWN
                return equal if token[1] == "==" else not equal
            return UNKNOWN
        return left

    def primary(self, tokens: _Tokens) -> Any:
        kind, text = tokens.take()
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind == "str":
            return text.replace("''", "'")
        if kind == "op" and text == "(":
            value = self.or_(tokens)
            if not tokens.accept(")"):
                raise ValueError("unclosed (")
            return value
        if kind != "name":
            raise ValueError(f"unexpected {text!r}")
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        if lowered == "null":
            return None
        if tokens.accept("("):
            args: list[Any] = []
            if not tokens.accept(")"):
                args.append(self.or_(tokens))
                while tokens.accept(","):
                    args.append(self.or_(tokens))
                if not tokens.accept(")"):
                    raise ValueError("unclosed call")
            return _call(lowered, args)
        path = [lowered]
        while True:
            if tokens.accept("."):
                nxt = tokens.take()
                path.append("*" if nxt == ("op", "*") else nxt[1].lower())
            elif tokens.accept("["):
                index = self.or_(tokens)
                if not tokens.accept("]"):
                    raise ValueError("unclosed [")
                path.append(index.lower() if isinstance(index, str) else "?")
            else:
                break
        return self.lookup(path)

    def lookup(self, path: list[str]) -> Any:
        scenario = self.scenario
        if scenario.kind == CALLED:
            return UNKNOWN
        if path[0] != "github" or len(path) < 2:
            return UNKNOWN
        key = ".".join(path[1:])
        if key == "event_name":
            return scenario.event
        if key == "event.ref" and scenario.event == "push":
            key = "ref"  # a push event's payload carries the same ref
        if key == "ref":
            if scenario.ref_type == "tag":
                return _Prefixed("refs/tags/")
            if scenario.event == "pull_request":
                return _Prefixed("refs/pull/")
            if scenario.ref_type == "branch":
                return _Prefixed("refs/heads/")
            return UNKNOWN
        if key == "ref_type":
            return scenario.ref_type or UNKNOWN
        if key == "event.action":
            return scenario.action if scenario.action is not None else _no_action(scenario)
        if key == "event.pull_request.merged":
            return scenario.merged if scenario.event == "pull_request" else None
        if key in ("repository", "repository_owner", "event.repository.full_name"):
            return _Anything()
        return UNKNOWN


def _no_action(scenario: Scenario) -> Any:
    # Events without activity types have no `action` in their payload.
    return None if scenario.event in ("push", "workflow_dispatch", "schedule") else UNKNOWN


def _equal(left: Any, right: Any) -> Any:
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if isinstance(left, _Anything) or isinstance(right, _Anything):
        return True
    if isinstance(right, _Prefixed):
        left, right = right, left
    if isinstance(left, _Prefixed):
        if isinstance(right, str) and not right.lower().startswith(left.prefix):
            return False
        return UNKNOWN
    if isinstance(left, str) and isinstance(right, str):
        return left.lower() == right.lower()  # GitHub compares strings ignoring case
    if left is None or right is None:
        return left is right  # null equals only null (an absent `action` is not 'published')
    if isinstance(left, str) != isinstance(right, str):
        return UNKNOWN  # GitHub coerces text to numbers here: not worth guessing
    return left == right


def _call(name: str, args: list[Any]) -> Any:
    if name in ("always", "success"):
        return True
    if name in ("failure", "cancelled"):
        return UNKNOWN
    if name in ("startswith", "endswith", "contains") and len(args) == 2:
        return _string_test(name, args[0], args[1])
    if name == "fromjson" and len(args) == 1 and isinstance(args[0], str):
        lowered = args[0].strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
    return UNKNOWN


def _string_test(name: str, haystack: Any, needle: Any) -> Any:
    if haystack is UNKNOWN or needle is UNKNOWN or not isinstance(needle, str):
        return UNKNOWN
    needle = needle.lower()
    if isinstance(haystack, _Prefixed):
        prefix = haystack.prefix
        if name == "startswith":
            if prefix.startswith(needle):
                return True
            return UNKNOWN if needle.startswith(prefix) else False
        if name == "contains":
            if needle in prefix:
                return True
            if needle.startswith("refs/") and not needle.startswith(prefix):
                return False  # a ref prefix such as 'refs/tags/' sits at the start, or nowhere
        return UNKNOWN
    if isinstance(haystack, str):
        text = haystack.lower()
        if name == "startswith":
            return text.startswith(needle)
        if name == "endswith":
            return text.endswith(needle)
        return needle in text
    return UNKNOWN


def evaluate(condition: str | None, scenario: Scenario) -> Any:
    """The truth of an ``if:`` condition in ``scenario``: ``True``, ``False`` or UNKNOWN.

    No condition is ``True``. A condition the evaluator cannot read is UNKNOWN, so an odd
    expression never produces a finding.
    """
    if condition is None:
        return True
    text = condition.strip()
    wrapped = _WRAPPED.match(text)
    if wrapped is not None:
        text = wrapped.group("body")
    if "${{" in text:
        return UNKNOWN  # text around an expression: GitHub reads a non-empty string
    try:
        return truthy(_Evaluator(scenario).run(text))
    except (ValueError, RecursionError):
        return UNKNOWN


def checks_status(condition: str | None) -> bool:
    """True when the condition calls ``always()``/``failure()``/``cancelled()``.

    Such a job runs even when a job it ``needs`` was skipped; any other job is skipped then.
    """
    return condition is not None and _STATUS_FUNCTIONS.search(condition) is not None


class RunAnalysis:
    """Whether each job of one workflow can run in each scenario (memoized)."""

    def __init__(self, workflow: Workflow) -> None:
        self.workflow = workflow
        self.scenarios = scenarios(workflow)
        self._memo: dict[tuple[str, int], Any] = {}

    def job_runs(self, job: Job, scenario: Scenario) -> Any:
        """``True``, ``False`` or UNKNOWN: can ``job`` run in ``scenario``?"""
        key = (job.id, id(scenario))
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = UNKNOWN  # a `needs` cycle (GitHub rejects it) stays unknown
        result = evaluate(job.condition, scenario)
        if result is not False and not checks_status(job.condition):
            for needed in job.needs:
                other = self.workflow.jobs.get(needed)
                if other is None:
                    continue
                upstream = self.job_runs(other, scenario)
                if upstream is False:
                    result = False
                    break
                if upstream is UNKNOWN:
                    result = UNKNOWN
        self._memo[key] = result
        return result

    def step_runs(self, job: Job, condition: str | None, scenario: Scenario) -> Any:
        """Can a step of ``job`` with ``condition`` run in ``scenario``?"""
        runs = self.job_runs(job, scenario)
        if runs is False:
            return False
        step = evaluate(condition, scenario)
        if step is False:
            return False
        return True if runs is True and step is True else UNKNOWN

    def never_runs(self, job: Job, condition: str | None = None) -> bool:
        """True when no trigger of the workflow can run the job (or step) at all."""
        if not self.scenarios:
            return False
        return all(self.step_runs(job, condition, s) is False for s in self.scenarios)
