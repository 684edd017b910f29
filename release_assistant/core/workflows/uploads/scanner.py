"""The scanner: what one job does with distributions, as a :class:`JobScan`.

It walks the job's steps (and the composite actions of this repository they run, one level
deep) and records the uploads (:mod:`.steps`), the builds, the validations, the artifacts
uploaded and the downloads. :func:`scan_job` and :func:`scan_workflow` are the entry points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from release_assistant.core.workflows.model import PUBLISH_ACTION, Job, Step, Workflow
from release_assistant.core.workflows.uploads.commands import Command, commands, script_of
from release_assistant.core.workflows.uploads.composite import (
    CompositeAction,
    UnreadableAction,
    composite_action,
)
from release_assistant.core.workflows.uploads.credentials import Credential
from release_assistant.core.workflows.uploads.steps import Upload, UploadReader
from release_assistant.core.workflows.uploads.tools import (
    BUILD_ACTIONS,
    DOWNLOAD_ARTIFACT,
    HYNEK,
    HYNEK_ARTIFACT,
    MATURIN_ACTION,
    PUBLISH_COMMAND,
    UPLOAD_ARTIFACT,
)

_BUILD_COMMAND = re.compile(
    r"(?:^|\s)-m\s+build\b|\bpyproject-build\b|\buv\s+build\b"
    r"|\bhatch\s+build\b|\bpoetry\s+build\b|\bpdm\s+build\b|\bflit\s+build\b"
    r"|\bpipx\s+run\s+build\b|\buvx\s+(?:--from\s+\S+\s+)?(?:pyproject-)?build\b"
    r"|\bsetup\.py\s+(?:-q\s+)?(?:sdist|bdist_wheel)\b"
    r"|\bmaturin\s+(?:build|sdist)\b|\bcibuildwheel\b"
)
#: What inspects without building (``cibuildwheel --print-build-identifiers`` lists a matrix).
_NOT_A_BUILD = re.compile(r"--print-build-identifiers\b")
_VALIDATE_COMMAND = re.compile(
    r"\bpytest\b|\btox\b|\bnox\b|-m\s+unittest\b|\bhatch\s+test\b|\bmake\s+(?:test|check)\b"
    r"|\btwine\s+check\b|\bcheck-wheel-contents\b|\bvalidate-pyproject\b"
    r"|\brelease-assistant\s+(?:check|report)\b|\bpre-commit\s+run\b|\bcheck-manifest\b|\.ci/run\b"
    r"|\bpyroma\b|\babi3audit\b|\bcargo\s+(?:test|nextest)\b"
)
_VALIDATE_ACTIONS = (HYNEK, "re-actors/alls-green")
#: ``uv publish --dry-run``, ``poetry publish --dry-run``: rehearsals, not uploads.
_DRY_RUN = re.compile(r"\s--dry-run\b")


@dataclass(slots=True)
class JobScan:
    """What one job does with distributions."""

    job: Job
    uploads: list[Upload] = field(default_factory=list)
    #: Steps that build distributions, with the command (or action) that does.
    builds: list[tuple[Step, str]] = field(default_factory=list)
    #: Steps that test or check the project (or its distributions).
    validations: list[Step] = field(default_factory=list)
    #: ``(artifact name, line, path)`` of every upload of distributions as an artifact.
    artifacts: list[tuple[str, int, str]] = field(default_factory=list)
    #: ``(position, step)`` of every artifact download (see :attr:`Upload.position`).
    downloads: list[tuple[int, Step]] = field(default_factory=list)
    #: ``(step, action file, why)`` of every composite action of this repository a step
    #: runs that could not be read: what it does (an upload too) is unknown.
    unreadable_actions: list[tuple[Step, str, str]] = field(default_factory=list)

    def downloads_before(self, position: int) -> list[Step]:
        """The download steps that run before ``position``."""
        return [step for at, step in self.downloads if at < position]

    def built_before(self, step: Step) -> bool:
        """True when a step of this job builds before ``step``."""
        return any(build.index < step.index for build, _ in self.builds)

    def validated_before(self, step: Step) -> bool:
        """True when a step of this job tests or checks before ``step``."""
        return any(check.index < step.index for check in self.validations)


class _Scanner(UploadReader):
    """Reads one job's steps (and the repository scripts and composite actions they run)."""

    def composite(self, step: Step) -> CompositeAction | None:
        """The composite action of this repository ``step`` runs (``uses: ./path``).

        Raises :class:`UnreadableAction` when its file cannot be read or parsed. Inside a
        composite action, none: one level is followed.
        """
        if self.outer is not None:
            return None
        return composite_action(step, self.root)

    def step_commands(self, step: Step) -> list[Command]:
        if step.run is None:
            return []
        found = list(commands(self.resolve(step.run), step.run_line))
        for command in list(found):
            script = script_of(command.text, self.root)
            if script is None:
                continue
            relpath, text = script
            found.extend(commands(text, command.line, relpath))
        return found

    def scan(self) -> JobScan:
        result = JobScan(self.job)
        for step in self.job.steps:
            self.scan_step(step, result)
        return result

    def scan_composite(self, step: Step, action: CompositeAction, result: JobScan) -> None:
        """What the composite action's steps do, as done by ``step`` (its calling step)."""
        inner = _Scanner(self.workflow, self.job, self.root, step, action.inputs)
        found = JobScan(self.job)
        for inner_step in action.steps:
            inner.scan_step(inner_step, found)
        where = f" (in {action.relpath})"
        for upload in found.uploads:
            upload.step = step
            upload.line = upload.index_line = step.line
            upload.script = upload.script or action.relpath
            upload.credentials = tuple(
                Credential(c.name, step.line, c.source, c.text) for c in upload.credentials
            )
            result.uploads.append(upload)
        for _, how in found.builds[:1]:
            result.builds.append((step, how + where))
        if found.validations:
            result.validations.append(step)
        result.artifacts.extend((name, step.line, path) for name, _, path in found.artifacts)
        result.downloads.extend(
            (at, replace(download, line=step.line)) for at, download in found.downloads
        )

    def scan_step(self, step: Step, result: JobScan) -> None:
        try:
            action = self.composite(step)
        except UnreadableAction as unreadable:
            result.unreadable_actions.append((step, unreadable.relpath, unreadable.reason))
            return
        if action is not None:
            self.scan_composite(step, action, result)
            return
        if step.uses_action(DOWNLOAD_ARTIFACT):
            result.downloads.append((self.position(step), step))
        if step.uses_action(PUBLISH_ACTION):
            result.uploads.append(self.action_upload(step))
        elif step.uses_action(MATURIN_ACTION):
            given, _ = step.input("command")
            verb = (given or "build").strip().lower()
            if verb in ("upload", "publish"):
                args, _ = step.input("args")
                line = step.inputs.value_line(step.input_key("command"))
                text = f"maturin {verb} {args or ''}"
                result.uploads.append(self.command_upload(step, "maturin", text, line, None))
                if verb == "publish":
                    result.builds.append((step, f"{step.uses} (command: publish)"))
            else:
                result.builds.append((step, str(step.uses)))
        elif any(step.uses_action(action) for action in BUILD_ACTIONS):
            result.builds.append((step, str(step.uses)))
        else:
            third_party = self.third_party_upload(step)
            if third_party is not None:
                result.uploads.append(third_party)
        if any(step.uses_action(action) for action in _VALIDATE_ACTIONS):
            result.validations.append(step)
        if step.uses_action(HYNEK):
            suffix, _ = step.input("upload-name-suffix")
            result.artifacts.append((HYNEK_ARTIFACT + (suffix or ""), step.line, "dist"))
        elif step.uses_action(UPLOAD_ARTIFACT):
            path, _ = step.input("path")
            if path is not None and _holds_distributions(path):
                name, line = step.input("name")
                result.artifacts.append((name or "artifact", line, path))
        built = validated = False
        before = len(result.uploads)
        found_commands = self.step_commands(step)
        for command in found_commands:
            match = PUBLISH_COMMAND.search(command.text)
            if match is not None and not _DRY_RUN.search(command.text):
                tool = match.lastgroup or ""
                result.uploads.append(
                    self.command_upload(
                        step, tool, command.text[match.start() :], command.line, command.script
                    )
                )
            if (
                not built
                and _BUILD_COMMAND.search(command.text)
                and not _NOT_A_BUILD.search(command.text)
            ):
                built = True
                where = f" (in {command.script})" if command.script else ""
                found = _BUILD_COMMAND.search(command.text)
                result.builds.append((step, f"{found.group(0) if found else ''}{where}"))
            if not validated and _VALIDATE_COMMAND.search(command.text):
                validated = True
                result.validations.append(step)
        if len(result.uploads) == before and found_commands:
            opaque = self.opaque_upload(step, found_commands[-1])
            if opaque is not None:
                result.uploads.append(opaque)


def _holds_distributions(path: str) -> bool:
    lowered = path.lower()
    return any(part in lowered for part in ("dist", "wheelhouse", ".whl", ".tar.gz", "wheels"))


def scan_job(workflow: Workflow, job: Job, root: str) -> JobScan:
    """Builds, checks and uploads of ``job`` (following the repository scripts it runs)."""
    return _Scanner(workflow, job, root).scan()


def scan_workflow(workflow: Workflow, root: str) -> dict[str, JobScan]:
    """:func:`scan_job` for every job of ``workflow``."""
    return {job_id: scan_job(workflow, job, root) for job_id, job in workflow.jobs.items()}


#: Cheap pre-filter on a workflow's text: words without which it cannot publish (an upload
#: command, a reusable workflow of this repository, or a repository script it could run).
MIGHT_PUBLISH = re.compile(
    r"gh-action-pypi-publish|publish|upload|twine|maturin|release|deploy"
    r"|\buses:\s*['\"]?[.$]/|(?:^|[\s'\"])(?:\./|(?:scripts?|bin|tools?|ci|\.ci|\.github)/)\S",
    re.IGNORECASE | re.MULTILINE,
)
