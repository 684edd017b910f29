"""Composite actions of this repository (``uses: ./path``): their file, steps and inputs.

The scanner reads a composite action's steps as done by the workflow step that runs it,
with its ``${{ inputs.x }}`` filled in as called (or from the action's defaults).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from release_assistant.core.support.confined import is_inside
from release_assistant.core.support.errors import InputError
from release_assistant.core.support.textfiles import FileProblem, read_text
from release_assistant.core.workflows.uploads.tools import scalar_text
from release_assistant.core.workflows.workflow import Step


class UnreadableAction(InputError):
    """A composite action's file that cannot be read; ``args``: its path and why."""

    def __init__(self, relpath: str, reason: str) -> None:
        super().__init__(relpath, reason)
        self.relpath = relpath
        self.reason = reason


@dataclass(frozen=True, slots=True)
class CompositeAction:
    """A composite action of this repository a step runs: its file, steps and inputs."""

    relpath: str
    steps: tuple[Step, ...]
    #: Input name (lower case) -> the value the step passes, or the action's default.
    inputs: Mapping[str, str]


def composite_action(step: Step, root: str) -> CompositeAction | None:
    """The composite action of this repository ``step`` runs (``uses: ./path``).

    Raises :class:`UnreadableAction` when its file cannot be read or parsed.
    """
    from release_assistant.core.workflows.workflow import parse_steps, parse_yaml
    from release_assistant.core.workflows.yaml_nodes import WorkflowError, YamlMap

    uses = (step.uses or "").strip()
    if not uses.startswith(("./", "$/")):
        return None
    target = uses[2:].split("@", 1)[0].rstrip("/")
    if target.startswith(".github/workflows/"):
        return None
    root = os.path.realpath(root)
    for name in ("action.yml", "action.yaml"):
        path = os.path.realpath(os.path.join(root, target, name))
        if is_inside(root, path) and os.path.isfile(path):
            break
    else:
        return None
    relpath = os.path.relpath(path, root).replace(os.sep, "/")
    try:
        data = parse_yaml(read_text(path), relpath).data
    except (FileProblem, WorkflowError) as problem:
        raise UnreadableAction(relpath, str(problem)) from None
    runs = data.get("runs") if isinstance(data, YamlMap) else None
    if not isinstance(runs, YamlMap) or scalar_text(runs.get("using")) != "composite":
        return None
    inputs: dict[str, str] = {}
    declared = data.get("inputs")
    if isinstance(declared, YamlMap):
        for key, spec in declared.items():
            default = scalar_text(spec.get("default")) if isinstance(spec, YamlMap) else None
            given, _ = step.input(str(key))
            inputs[str(key).lower()] = given if given is not None else (default or "")
    return CompositeAction(relpath, parse_steps(runs, []), inputs)
