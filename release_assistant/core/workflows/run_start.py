"""How the publishing run starts: the tag push, a published GitHub release, or a dispatch.

After the tag is pushed, the next step depends on the publishing workflow's trigger, and the
wrong one does harm: advising ``release`` for a workflow that the tag push already started,
and that creates its own GitHub release (``gh release create``), makes two releases collide.
:func:`publish_trigger` reads the workflow PyPI will see
(:attr:`~release_assistant.core.workflows.discovery.Discovery.primary`) and decides, from
the events that can run its upload (``if:`` conditions read as GitHub reads them,
:mod:`~release_assistant.core.workflows.events`):

- ``tag-push``: ``push: tags`` whose filter matches the tag (GitHub's filter patterns:
  ``*``, ``**``, ``?``, ``+``, ``[...]``, ``!`` to exclude); the push itself started the run;
- ``release``: ``release`` with a type that announces a version (``published``,
  ``released``, ``prereleased``, ``created``); publishing the GitHub release starts it;
- ``dispatch``: ``workflow_dispatch``; the run must be asked for, on the tag;
- ``unknown``: no publishing workflow, or none of those events runs its upload.

When several apply, what fires on the tag push wins (it has already happened), then the
release, then the dispatch. ``creates_release`` says the workflow creates the GitHub release
itself (``gh release create``, ``softprops/action-gh-release``, ``ncipollo/release-action``,
``actions/create-release``, ``createRelease`` through ``actions/github-script``, a ``POST``
to the releases API): then the tool must never create a second one. So does another
workflow that the tag push starts and that creates the release a ``release``-triggered
publishing workflow runs on (``release_by``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

from release_assistant.core.workflows.events import RELEASE_PUBLISHING_TYPES, Scenario
from release_assistant.core.workflows.uploads import PYPI, TESTPYPI, UNKNOWN_INDEX
from release_assistant.core.workflows.uploads.shell import commands, script_of
from release_assistant.core.workflows.yaml_nodes import YamlList, YamlMap

if TYPE_CHECKING:
    from release_assistant.core.workflows.discovery import AnalysedWorkflow, Discovery
    from release_assistant.core.workflows.workflow import Job, Step

TriggerKind = Literal["tag-push", "release", "dispatch", "unknown"]

#: Actions that create a GitHub release (lower-case ``owner/repo``).
RELEASE_ACTIONS = (
    "softprops/action-gh-release",
    "ncipollo/release-action",
    "actions/create-release",
    "marvinpinto/action-automatic-releases",
    "taiki-e/create-gh-release-action",
    "elgohr/github-release-action",
    "svenstaro/upload-release-action",
    "meedamian/github-release",
    "mikepenz/action-gh-release",
    "ghalactic/github-release-from-tag",
    "comnoco/create-release-action",
)
_GH_RELEASE_CREATE = re.compile(r"\b(?:gh|hub)\s+release\s+create\b")
_CREATE_RELEASE_CALL = re.compile(r"\bcreateRelease\s*\(")
#: A request to the releases collection itself (not ``/releases/123/assets``).
_RELEASES_ENDPOINT = re.compile(r"/releases(?![/\w-])")
_POST = re.compile(
    r"(?:-X\s*|--request[\s=]+|--method[\s=]+)POST\b|\s(?:-d|--data\S*|-f|-F|--field|"
    r"--raw-field|--input)[\s=]",
    re.IGNORECASE,
)
_HTTP_CLIENTS = re.compile(r"\b(?:curl|wget|gh\s+api|http|https|xh)\b")


@dataclass(frozen=True, slots=True)
class PublishTrigger:
    """How the publishing run starts, and what the workflow does about the GitHub release.

    ``workflow`` is the publishing workflow's path from the repository root (``None``
    when there is none); ``detail`` is one line for a plan or a "next:" hint;
    ``required_inputs`` names the ``workflow_dispatch`` inputs that are required and have
    no default (a dispatch must give them). ``creates_release``: the GitHub release is made
    by a workflow (this one, or ``release_by``), so the tool must never make one.
    """

    kind: TriggerKind
    workflow: str | None
    creates_release: bool
    detail: str
    required_inputs: tuple[str, ...] = ()
    #: The workflow that creates the GitHub release on its own, when it is another one than
    #: ``workflow`` (a tag-push workflow making the release a ``release``-triggered publishing
    #: workflow waits for).
    release_by: str | None = None

    @property
    def file_name(self) -> str | None:
        """The workflow's file name (``release.yml``): how the Actions API and pages name it."""
        return PurePosixPath(self.workflow).name if self.workflow else None


def publish_trigger(
    workflows: Discovery, tag: str | None = None, root: str | None = None
) -> PublishTrigger:
    """How the run of the publishing workflow in ``workflows`` starts for ``tag`` (any tag
    when ``None``). ``root`` (the repository root) lets repository scripts the workflow
    runs be read for ``gh release create``."""
    primary = workflows.primary
    if primary is None:
        return PublishTrigger(
            "unknown",
            None,
            False,
            "no workflow uploads to PyPI here: start the publishing run by hand",
        )
    name = tag.removeprefix("refs/tags/") if tag else None
    units = _upload_units(primary)
    tag_pushes: list[Scenario] = []
    excluded: list[Scenario] = []
    releases: list[Scenario] = []
    dispatches: list[Scenario] = []
    for scenario in primary.runs.scenarios:
        if not any(_may_run(primary, job, condition, scenario) for job, condition in units):
            continue
        if scenario.event == "push" and scenario.ref_type == "tag":
            matched = name is None or _tag_matches(scenario.trigger.config, name)
            (tag_pushes if matched else excluded).append(scenario)
        elif scenario.event == "release" and scenario.action in RELEASE_PUBLISHING_TYPES:
            releases.append(scenario)
        elif scenario.event == "workflow_dispatch":
            dispatches.append(scenario)
    relpath = primary.relpath
    if tag_pushes:
        creates = _creates_release(primary, tag_pushes, root)
        what = f"the push of {name}" if name else "a tag push"
        detail = f"{what} starts {relpath} (on: push: tags)"
        if creates:
            detail += ", which creates the GitHub release itself"
            return PublishTrigger("tag-push", relpath, True, detail)
        maker = _other_release_maker(primary, name, root)
        if maker is not None:
            detail += f"; {maker} creates the GitHub release"
        return PublishTrigger("tag-push", relpath, maker is not None, detail, release_by=maker)
    if releases:
        types = sorted({s.action for s in releases if s.action})
        on = f"{relpath} (on: release: {', '.join(types)})"
        maker = _other_release_maker(primary, name, root)
        if maker is not None:
            what = f"the push of {name}" if name else "a tag push"
            return PublishTrigger(
                "release",
                relpath,
                True,
                f"{what} starts {maker}, which creates the GitHub release that starts {on}",
                release_by=maker,
            )
        return PublishTrigger(
            "release", relpath, False, f"publishing the GitHub release starts {on}"
        )
    not_matched = ""
    if excluded:
        not_matched = f"; its tag filter does not match {name}"
    if dispatches:
        creates = _creates_release(primary, dispatches, root)
        required = _required_inputs(dispatches[0].trigger.config)
        on = f" on {name}" if name else " on the tag"
        detail = f"{relpath} runs when dispatched{on} (on: workflow_dispatch){not_matched}"
        if creates:
            detail += "; it creates the GitHub release itself"
        if required:
            detail += f"; required inputs: {', '.join(required)}"
        return PublishTrigger("dispatch", relpath, creates, detail, required)
    events = ", ".join(sorted(primary.workflow.triggers)) or "no event"
    return PublishTrigger(
        "unknown",
        relpath,
        _creates_release(primary, excluded, root) if excluded else False,
        f"{relpath} publishes on {events}: neither a tag push, a published release nor a "
        f"dispatch runs its upload{not_matched}",
    )


# --- which runs upload ---------------------------------------------------------------------


def _upload_units(aw: AnalysedWorkflow) -> list[tuple[Job, str | None]]:
    """``(job, step condition)`` of each upload to PyPI (else TestPyPI) in the workflow, and
    of each job calling a reusable workflow that uploads there."""
    for indexes in ((PYPI, UNKNOWN_INDEX), (TESTPYPI,)):
        units: list[tuple[Job, str | None]] = [
            (upload.job, upload.step.condition) for upload in aw.uploads if upload.index in indexes
        ]
        units += [(job, None) for job, _ in aw.publishing_calls(*indexes)]
        if units:
            return units
    return []


def _may_run(aw: AnalysedWorkflow, job: Job, condition: str | None, scenario: Scenario) -> bool:
    return aw.runs.step_runs(job, condition, scenario) is not False


# --- GitHub's filter patterns ----------------------------------------------------------------


def _patterns(value: Any) -> list[str] | None:
    if isinstance(value, YamlList):
        return [str(item) for item in value]
    if isinstance(value, str):
        return [value]
    return None


def _tag_matches(config: Any, tag: str) -> bool:
    """Does a ``push`` trigger with ``config`` fire for the push of ``tag``?"""
    if not isinstance(config, YamlMap):
        return True  # `on: push` (or `on: [push]`): every tag
    included = _patterns(config.get("tags"))
    ignored = _patterns(config.get("tags-ignore"))
    if included is not None:
        return _filtered(included, tag)
    if ignored is not None:
        return not any(_filter_regex(pattern).fullmatch(tag) for pattern in ignored)
    # Only branch filters: the workflow does not run for tags (events.py yields no tag
    # scenario then); no filter at all: every tag.
    return not ({"branches", "branches-ignore"} & set(config))


def _filtered(patterns: list[str], tag: str) -> bool:
    """GitHub's rule: the last pattern that matches decides (``!`` excludes)."""
    verdict = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        if _filter_regex(pattern[1:] if negated else pattern).fullmatch(tag):
            verdict = not negated
    return verdict


def _filter_regex(pattern: str) -> re.Pattern[str]:
    """A GitHub filter pattern as a regular expression: ``*`` any characters but ``/``,
    ``**`` any characters, ``?`` and ``+`` zero-or-one and one-or-more of what precedes,
    ``[...]`` a character class, ``\\`` escapes the next character."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            if pattern.startswith("**", index):
                out.append(".*")
                index += 2
                continue
            out.append("[^/]*")
        elif char in "?+" and out:
            out.append(char)
        elif char == "[":
            end = pattern.find("]", index + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                out.append("[" + pattern[index + 1 : end].replace("\\", "\\\\") + "]")
                index = end
        elif char == "\\" and index + 1 < len(pattern):
            index += 1
            out.append(re.escape(pattern[index]))
        else:
            out.append(re.escape(char))
        index += 1
    try:
        return re.compile("".join(out))
    except re.error:
        return re.compile(re.escape(pattern))


# --- does the workflow create the GitHub release? ------------------------------------------


def _other_release_maker(
    primary: AnalysedWorkflow, tag: str | None, root: str | None
) -> str | None:
    """Another workflow of the repository that a push of ``tag`` starts and that creates
    the GitHub release (the one a ``release``-triggered publishing workflow then runs on)."""
    if root is None:
        return None
    from pathlib import Path

    from release_assistant.core.support.textfiles import FileProblem
    from release_assistant.core.workflows.discovery import AnalysedWorkflow
    from release_assistant.core.workflows.events import RunAnalysis
    from release_assistant.core.workflows.workflow import load_workflow, workflow_files
    from release_assistant.core.workflows.yaml_nodes import WorkflowError

    for path in workflow_files(Path(root)):
        relpath = path.relative_to(root).as_posix()
        if relpath == primary.relpath:
            continue
        try:
            workflow = load_workflow(path, relpath)
        except (FileProblem, WorkflowError):
            continue  # the workflow check reports unreadable files
        other = AnalysedWorkflow(workflow, {}, RunAnalysis(workflow))
        pushes = [
            scenario
            for scenario in other.runs.scenarios
            if scenario.event == "push"
            and scenario.ref_type == "tag"
            and (tag is None or _tag_matches(scenario.trigger.config, tag))
        ]
        if pushes and _creates_release(other, pushes, root):
            return relpath
    return None


def _creates_release(aw: AnalysedWorkflow, scenarios: list[Scenario], root: str | None) -> bool:
    """True when a step that creates a GitHub release can run in one of ``scenarios``
    (in the workflow, or in a reusable workflow of the repository that a running job
    calls)."""
    for job in aw.workflow.jobs.values():
        callee = aw.calls.get(job.id)
        for scenario in scenarios:
            if callee is not None:
                if aw.runs.job_runs(job, scenario) is not False and _any_release_step(callee, root):
                    return True
                continue
            for step in job.steps:
                if _may_run(aw, job, step.condition, scenario) and _creates(step, root):
                    return True
    return False


def _any_release_step(aw: AnalysedWorkflow, root: str | None, depth: int = 0) -> bool:
    if depth > 4:
        return False
    for job in aw.workflow.jobs.values():
        callee = aw.calls.get(job.id)
        if callee is not None and _any_release_step(callee, root, depth + 1):
            return True
        if any(_creates(step, root) for step in job.steps):
            return True
    return False


def _creates(step: Step, root: str | None) -> bool:
    """Does this step create a GitHub release?"""
    if any(step.uses_action(action) for action in RELEASE_ACTIONS):
        return True
    if step.uses_action("actions/github-script"):
        script, _ = step.input("script")
        return bool(script and _CREATE_RELEASE_CALL.search(script))
    if not step.run:
        return False
    for command in commands(step.run, step.run_line):
        if _creating_command(command.text):
            return True
        found = script_of(command.text, root) if root else None
        if found is not None and any(
            _creating_command(line.text) for line in commands(found[1], 1, found[0])
        ):
            return True
    return False


def _creating_command(text: str) -> bool:
    if _GH_RELEASE_CREATE.search(text) or _CREATE_RELEASE_CALL.search(text):
        return True
    return bool(
        _RELEASES_ENDPOINT.search(text) and _HTTP_CLIENTS.search(text) and _POST.search(text)
    )


def _required_inputs(config: Any) -> tuple[str, ...]:
    """The ``workflow_dispatch`` inputs a dispatch must give (required, no default)."""
    inputs = config.get("inputs") if isinstance(config, YamlMap) else None
    if not isinstance(inputs, YamlMap):
        return ()
    required: list[str] = []
    for name, spec in inputs.items():
        if not isinstance(spec, YamlMap):
            continue
        if spec.get("required") in (True, "true") and spec.get("default") in (None, ""):
            required.append(str(name))
    return tuple(required)


__all__ = ["RELEASE_ACTIONS", "PublishTrigger", "TriggerKind", "publish_trigger"]
