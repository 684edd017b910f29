"""Release bots: a workflow that bumps the version and writes the changelog in CI, then
commits.

Found in the workflows of the git root: the python-semantic-release, release-please and
commitizen actions, or a ``run:`` that bumps the version (``semantic-release version``,
``cz bump``, ``bump-my-version bump``, ``bumpversion``, ``hatch version``, ``poetry version``,
``uv version``, ``pdm bump``) or builds the changelog (``towncrier build``) and, in the same job,
commits and pushes (``git commit`` ... ``git push``).

What matters to the checks is *when* the bot writes: a bot run by the tag itself (``push:
tags``, ``release``) writes the version and the changelog after the tag exists, so the tagged
commit still holds the previous ones; a bot that tags its own commit (the usual way of the
actions above) makes the tag agree by construction.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

#: Actions that bump the version, write the changelog, commit, and tag their commit.
BOT_ACTIONS: dict[str, str] = {
    "python-semantic-release/python-semantic-release": "python-semantic-release",
    "googleapis/release-please-action": "release-please",
    "google-github-actions/release-please-action": "release-please",
    "commitizen-tools/commitizen-action": "commitizen",
}

_BUMP = re.compile(
    r"\bsemantic-release\s+(?:\S+\s+)*?(?:version|publish)\b|\bcz\s+bump\b"
    r"|\bbump-my-version\s+bump\b|\bbump2?version\s+\w|\bhatch\s+version\s+[^-\s]"
    r"|\bpoetry\s+version\s+[^-\s]|\buv\s+version\s+(?:--bump\b|[^-\s])|\bpdm\s+bump\b"
    r"|\btowncrier\s+build\b"
)
_COMMIT = re.compile(r"\bgit\s+(?:\S+\s+)*?commit\b")
_PUSH = re.compile(r"\bgit\s+(?:\S+\s+)*?push\b")


@dataclass(frozen=True, slots=True)
class ReleaseBot:
    """A workflow that writes the version and the changelog in CI and commits them."""

    tool: str
    workflow: str
    line: int
    #: The tag starts the bot (``push: tags`` or ``release``): it writes after the tag, so the
    #: tagged commit holds the previous version and changelog.
    after_tag: bool

    def describe(self) -> str:
        """The bot in words, for messages."""
        when = (
            "after the tag (the tag starts it), so the tagged commit holds the previous ones"
            if self.after_tag
            else "and tags the commit it makes"
        )
        return (
            f"{self.tool} in {self.workflow}:{self.line} bumps the version and writes the "
            f"changelog in CI, commits them {when}"
        )


def _started_by_tag(triggers: dict[str, object]) -> bool:
    from release_assistant.core.workflows.workflow import Trigger
    from release_assistant.core.workflows.yaml_nodes import YamlMap

    for name, trigger in triggers.items():
        if name == "release":
            return True
        config = trigger.config if isinstance(trigger, Trigger) else None
        if name == "push" and isinstance(config, YamlMap) and config.get("tags") is not None:
            return True
    return False


def find_release_bot(git_root: str) -> ReleaseBot | None:
    """The release bot of the repository at ``git_root``, if a workflow is one (the first by
    file name); unreadable workflows are skipped (the ``workflow`` check reports them)."""
    from release_assistant.core.support.textfiles import FileProblem
    from release_assistant.core.workflows.uploads.shell import commands
    from release_assistant.core.workflows.workflow import load_workflow, workflow_files
    from release_assistant.core.workflows.yaml_nodes import WorkflowError

    root = Path(os.path.realpath(git_root))
    for path in workflow_files(root):
        relpath = path.relative_to(root).as_posix()
        try:
            workflow = load_workflow(path, relpath)
        except (FileProblem, WorkflowError):
            continue
        after_tag = _started_by_tag(dict(workflow.triggers))
        for job in workflow.jobs.values():
            bump: tuple[str, int] | None = None
            committed = pushed = False
            for step in job.steps:
                tool = next((t for a, t in BOT_ACTIONS.items() if step.uses_action(a)), None)
                if tool is not None:
                    return ReleaseBot(tool, relpath, step.line, after_tag)
                if step.run is None:
                    continue
                for command in commands(step.run, step.run_line):
                    found = _BUMP.search(command.text)
                    if found is not None and bump is None:
                        bump = (found.group(0).split()[0], command.line)
                    committed = committed or _COMMIT.search(command.text) is not None
                    pushed = pushed or _PUSH.search(command.text) is not None
            if bump is not None and committed and pushed:
                return ReleaseBot(bump[0], relpath, bump[1], after_tag)
    return None
