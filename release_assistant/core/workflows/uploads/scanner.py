"""The scanner: what one job does with distributions, as a :class:`JobScan`.

It walks the job's steps (and the composite actions of this repository they run,
:data:`MAX_COMPOSITE_DEPTH` deep, and the repository scripts, :mod:`.commands`) and records
the uploads (:mod:`.steps`), the builds, the validations, the artifacts uploaded and the
downloads, and what it could not see into (:attr:`JobScan.unread`): another repository's
action, a script it cannot follow. A job that holds ``id-token: write``, names the index
(its environment, an index URL) and runs such a step, with no upload seen, is taken to
publish there (an *inferred* upload). :func:`scan_job` and :func:`scan_workflow` are the
entry points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from release_assistant.core.support.lazy_regex import LazyPattern
from release_assistant.core.workflows.uploads.composite import (
    CompositeAction,
    UnreadableAction,
    composite_action,
)
from release_assistant.core.workflows.uploads.credentials import Credential, source_of
from release_assistant.core.workflows.uploads.shell import Command, Opaque, commands, follow
from release_assistant.core.workflows.uploads.steps import (
    DECIDED_INSIDE,
    NOT_AN_UPLOAD,
    PUBLISH_WORDS,
    Upload,
    UploadReader,
)
from release_assistant.core.workflows.uploads.tools import (
    ALL_CREDENTIAL_ENV,
    BUILD_ACTIONS,
    DOWNLOAD_ARTIFACT,
    HYNEK,
    HYNEK_ARTIFACT,
    MATURIN_ACTIONS,
    PUBLISH_COMMAND,
    PUBLISHING_ACTIONS,
    PYPI,
    TESTPYPI,
    TOOL_INSTALLERS,
    UNKNOWN_INDEX,
    UPLOAD_ARTIFACT,
    index_in_words,
    index_of_url,
    scalar_text,
)
from release_assistant.core.workflows.workflow import PUBLISH_ACTION, Job, Step, Workflow

#: How many composite actions deep a step is followed (an action that runs an action...).
MAX_COMPOSITE_DEPTH = 3
#: ``NAME=value`` (or ``export NAME=value``, or a line ``echo "NAME=value" >> $GITHUB_ENV``)
#: for an upload tool's credential variable, in a ``run:`` script.
_CREDENTIAL_ASSIGNMENT = re.compile(
    r"(?:^|[\s;&|\"'])(?P<name>"
    + "|".join(p.replace("*", r"\w+") for p in ALL_CREDENTIAL_ENV)
    + r")=(?P<value>\$\{\{.*?\}\}|\$\(|`|\"[^\"]*\"|'[^']*'|\S+)",
    re.IGNORECASE,
)
#: Other repositories' actions that install, cache, log in or report: they upload no
#: distributions as artifacts.
_NO_ARTIFACTS = LazyPattern(
    r"setup-|install-|toolchain|cache|checkout|codecov|coverage|free-disk|swap|login|auth"
    r"|credentials|alls-green|tmate|slack|notify|labeler|stale|comment|pre-commit"
    r"|rust-cache|sccache|dispatch",
    re.IGNORECASE,
)
_GITHUB_ENV = re.compile(r">>?\s*\"?\$\{?GITHUB_ENV\b", re.IGNORECASE)

#: The interpreter word before ``-m build`` is part of the match, so messages quote the
#: command as written (``python -m build``, not `` -m build``).
_BUILD_COMMAND = re.compile(
    r"(?:^|(?<=\s))(?:\S+\s+)?-m\s+build\b|\bpyproject-build\b|\buv\s+build\b"
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
    #: Names of artifacts uploaded that do not look like distributions (a name is a name:
    #: a download of it is not "of an artifact nobody uploads").
    other_artifacts: list[str] = field(default_factory=list)
    #: ``(step, what, why)`` of what the scan could not see into in a job that might
    #: publish (it holds ``id-token: write``, or its names speak of releasing): another
    #: repository's action, a script or task runner it cannot follow. Absence rules
    #: (nothing publishes, no credential) cannot be sure while these exist.
    unread: list[tuple[Step, str, str]] = field(default_factory=list)
    #: ``(step, action)`` of another repository's actions the job runs that could upload
    #: artifacts (the scan does not read them).
    foreign_actions: list[tuple[Step, str]] = field(default_factory=list)

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

    depth = 0

    def composite(self, step: Step) -> CompositeAction | None:
        """The composite action of this repository ``step`` runs (``uses: ./path``).

        Raises :class:`UnreadableAction` when its file cannot be read or parsed. Followed
        :data:`MAX_COMPOSITE_DEPTH` deep.
        """
        if self.depth >= MAX_COMPOSITE_DEPTH:
            return None
        return composite_action(step, self.root)

    def step_commands(self, step: Step) -> tuple[list[Command], list[Opaque]]:
        if step.run is None:
            return [], []
        return follow(list(commands(self.resolve(step.run), step.run_line)), self.root)

    def scan(self) -> JobScan:
        result = JobScan(self.job)
        for step in self.job.steps:
            self.scan_step(step, result)
        if any(not upload.opaque for upload in result.uploads):
            # The job's (or workflow's) index token is for the upload seen: the other steps
            # only inherit it, they do not upload with it.
            result.uploads = [
                upload
                for upload in result.uploads
                if not upload.opaque
                or upload.inferred
                or any(_in_env(upload.step, c.name) for c in upload.credentials)
            ]
        self.infer_upload(result)
        return result

    def publish_context(self, step: Step) -> bool:
        """Could ``step`` publish: its job holds ``id-token: write``, or its names (the
        step's, the job's, the action's) speak of releasing."""
        if self.holds_id_token():
            return True
        words = " ".join(
            part
            for part in (
                step.name,
                step.uses,
                self.job.id,
                self.job.name,
                (self.outer.name if self.outer else None),
            )
            if part
        )
        return PUBLISH_WORDS.search(words) is not None

    def holds_id_token(self) -> bool:
        grants = self.job.permissions or self.workflow.permissions
        return grants is not None and grants.grants("id-token")

    def index_named(self) -> tuple[str, str] | None:
        """``(index, what names it)`` when the job names an index: its environment (name or
        URL), or an index URL in its env."""
        environment = self.job.environment
        if environment is not None:
            named = index_in_words(environment.name)
            if named is not None:
                return named, f"its environment {environment.name!r}"
            if environment.url and index_of_url(environment.url) in (PYPI, TESTPYPI):
                return index_of_url(environment.url), f"its environment URL {environment.url}"
        for level in (self.job.env, self.workflow.env):
            for key, value in level.items():
                text = scalar_text(value) or ""
                if "://" in text and index_of_url(text) in (PYPI, TESTPYPI):
                    return index_of_url(text), f"'{key}'"
        return None

    def infer_upload(self, result: JobScan) -> None:
        """An inferred upload for a job that holds ``id-token: write``, names the index and
        runs a step the scan cannot see into, when no upload of it is seen."""
        if result.uploads or not result.unread or not self.holds_id_token():
            return
        named = self.index_named()
        if named is None:
            return
        index, why = named
        step, what, _ = result.unread[-1]
        result.uploads.append(
            Upload(
                job=self.job,
                step=step,
                tool=what,
                oidc=True,
                line=step.line,
                index=index,
                index_text=None,
                index_line=step.line,
                position=self.position(step),
                opaque=True,
                inferred=True,
                unread=f"{what}; {why} names the index",
            )
        )

    def scan_composite(self, step: Step, action: CompositeAction, result: JobScan) -> None:
        """What the composite action's steps do, as done by ``step`` (its calling step)."""
        outer = self.outer or step
        inputs = {name: self.resolve(value) for name, value in action.inputs.items()}
        inner = _Scanner(self.workflow, self.job, self.root, outer, inputs)
        inner.depth = self.depth + 1
        found = JobScan(self.job)
        for inner_step in action.steps:
            inner.scan_step(inner_step, found)
        where = f" (in {action.relpath})"
        for upload in found.uploads:
            condition = upload.step.condition
            if condition and upload.step is not step:
                upload.gates = (*upload.gates, inner.resolve_condition(condition))
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
        result.other_artifacts.extend(found.other_artifacts)
        result.downloads.extend(
            (at, replace(download, line=step.line)) for at, download in found.downloads
        )
        result.unreadable_actions.extend(found.unreadable_actions)
        result.unread.extend((step, f"{what}{where}", why) for _, what, why in found.unread)
        result.foreign_actions.extend((step, action) for _, action in found.foreign_actions)

    def scan_step(self, step: Step, result: JobScan) -> None:
        try:
            action = self.composite(step)
        except UnreadableAction as unreadable:
            result.unreadable_actions.append((step, unreadable.relpath, unreadable.reason))
            result.unread.append(
                (step, unreadable.relpath, f"it cannot be read ({unreadable.reason})")
            )
            return
        if action is not None:
            self.scan_composite(step, action, result)
            return
        if step.uses_action(DOWNLOAD_ARTIFACT):
            result.downloads.append((self.position(step), step))
        uploads_before = len(result.uploads)
        if step.uses_action(PUBLISH_ACTION):
            result.uploads.append(self.action_upload(step))
        elif any(step.uses_action(name) for name in MATURIN_ACTIONS):
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
                if third_party.builds:
                    result.builds.append((step, str(step.uses)))
        if any(step.uses_action(action) for action in _VALIDATE_ACTIONS):
            result.validations.append(step)
        if step.uses_action(HYNEK):
            suffix, _ = step.input("upload-name-suffix")
            result.artifacts.append((HYNEK_ARTIFACT + (suffix or ""), step.line, "dist"))
        elif step.uses_action(UPLOAD_ARTIFACT):
            path, _ = step.input("path")
            name, line = step.input("name")
            name = self.resolve(name) if name else name
            if path is not None and _holds_distributions(self.resolve(path)):
                result.artifacts.append((name or "artifact", line, self.resolve(path)))
            else:
                result.other_artifacts.append(name or "artifact")
        self.note_foreign_action(step, result, len(result.uploads) > uploads_before)
        built = validated = False
        before = len(result.uploads)
        found_commands, opaque = self.step_commands(step)
        exported = self.exported_credentials(step)
        for command in found_commands:
            match = PUBLISH_COMMAND.search(command.text)
            if match is not None and not _DRY_RUN.search(command.text):
                tool = match.lastgroup or ""
                upload = self.command_upload(
                    step, tool, command.text[match.start() :], command.line, command.script
                )
                if not upload.credentials and exported:
                    upload.credentials = exported
                if command.conditional:  # the script decides when it uploads
                    upload.gates = (*upload.gates, DECIDED_INSIDE)
                result.uploads.append(upload)
            if (
                not built
                and _BUILD_COMMAND.search(command.text)
                and not _NOT_A_BUILD.search(command.text)
            ):
                built = True
                where = f" (in {command.script})" if command.script else ""
                found = _BUILD_COMMAND.search(command.text)
                result.builds.append((step, f"{found.group(0).strip() if found else ''}{where}"))
            if not validated and _VALIDATE_COMMAND.search(command.text):
                validated = True
                result.validations.append(step)
        if len(result.uploads) == before and found_commands:
            opaque_upload = self.opaque_upload(step, found_commands[-1])
            if opaque_upload is not None:
                result.uploads.append(opaque_upload)
        if len(result.uploads) == before and self.publish_context(step):
            for unread in opaque:
                where = f" (in {unread.command.script})" if unread.command.script else ""
                result.unread.append((step, f"{unread.what}{where}", unread.why))

    def note_foreign_action(self, step: Step, result: JobScan, uploads: bool) -> None:
        """Record another repository's action: it could upload artifacts, and, unread, an
        upload to the index when nothing says it does something else."""
        action = step.action or ""
        if not action or action.startswith(("./", "$/", "actions/", "github/")):
            return
        if step.uses_action(PUBLISH_ACTION) or any(
            step.uses_action(known) for known in (*BUILD_ACTIONS, *MATURIN_ACTIONS)
        ):
            return
        if not _NO_ARTIFACTS.search(action) and not any(
            step.uses_action(name) for name in (*TOOL_INSTALLERS, *PUBLISHING_ACTIONS)
        ):
            result.foreign_actions.append((step, action))
        if uploads or any(step.uses_action(name) for name in PUBLISHING_ACTIONS):
            return
        if any(step.uses_action(name) for name in TOOL_INSTALLERS) or NOT_AN_UPLOAD.search(action):
            return
        if self.publish_context(step):
            result.unread.append(
                (step, f"the action {action}", "it is another repository's action")
            )

    def exported_credentials(self, step: Step) -> tuple[Credential, ...]:
        """Index credentials a ``run:`` script sets for the upload tools: in this step
        (``export UV_PUBLISH_TOKEN=...``), or written to ``$GITHUB_ENV`` by an earlier step
        of the job."""
        found: list[Credential] = []
        steps = [s for s in self.job.steps if s.index < step.index] if self.outer is None else []
        for source_step in (*steps, step):
            text = source_step.run or ""
            for offset, line_text in enumerate(text.split("\n")):
                if source_step is not step and not _GITHUB_ENV.search(line_text):
                    continue
                for match in _CREDENTIAL_ASSIGNMENT.finditer(line_text):
                    value = match.group("value").strip("\"'")
                    if value.startswith(("$(", "`")):
                        source: str | None = "minted"
                    else:
                        source = source_of(self.resolve(value), self.env(source_step))
                    if source is not None:
                        line = source_step.run_line + offset
                        found.append(Credential(match.group("name"), line, source, value))
        return tuple(found)


def _holds_distributions(path: str) -> bool:
    lowered = path.lower()
    return any(part in lowered for part in ("dist", "wheelhouse", ".whl", ".tar.gz", "wheels"))


def scan_job(workflow: Workflow, job: Job, root: str) -> JobScan:
    """Builds, checks and uploads of ``job`` (following the repository scripts it runs)."""
    return _Scanner(workflow, job, root).scan()


def _in_env(step: Step, name: str) -> bool:
    return any(isinstance(key, str) and key.lower() == name.lower() for key in step.env)


def unread_weight(step: Step, what: str) -> int:
    """How likely an unread step is the upload (higher first): an index-token secret in
    its env or inputs, then words of releasing in its name or command."""
    texts = " ".join(str(value) for level in (step.env, step.inputs) for value in level.values())
    weight = 0
    if re.search(r"secrets\.\w*(?:pypi|twine|publish)", texts, re.IGNORECASE):
        weight += 2
    if PUBLISH_WORDS.search(f"{step.name or ''} {what}"):
        weight += 1
    return weight


def infer_uploads(workflow: Workflow, scans: dict[str, JobScan]) -> None:
    """Take the first step of each job that the scan could not see into as that job's
    upload (an inferred one): for the workflow the user configured as the release
    workflow, in which no upload is visible."""
    for job_id, scan in scans.items():
        if scan.uploads or not scan.unread:
            continue
        step, what, _ = scan.unread[0]
        job = workflow.jobs[job_id]
        named = index_in_words(job.environment.name) if job.environment else None
        scan.uploads.append(
            Upload(
                job=job,
                step=step,
                tool=what,
                oidc=True,
                line=step.line,
                index=named or UNKNOWN_INDEX,
                index_text=None,
                index_line=step.line,
                position=step.index * 1000,
                opaque=True,
                inferred=True,
                unread=f"{what}; the workflow is the one [tool.release-assistant] names",
            )
        )


def scan_workflow(workflow: Workflow, root: str) -> dict[str, JobScan]:
    """:func:`scan_job` for every job of ``workflow`` (:func:`scan_remote_call` for a job
    that calls another repository's reusable workflow)."""
    return {
        job_id: scan_remote_call(workflow, job)
        if job.uses and job.local_workflow is None
        else scan_job(workflow, job, root)
        for job_id, job in workflow.jobs.items()
    }


def scan_remote_call(workflow: Workflow, job: Job) -> JobScan:
    """A job that calls another repository's reusable workflow: unread where it might
    publish (it grants ``id-token: write``, or its names speak of releasing), and an
    inferred upload when it also names the index."""
    from release_assistant.core.workflows.yaml_nodes import YamlMap

    result = JobScan(job)
    grants = job.permissions or workflow.permissions
    id_token = grants is not None and grants.grants("id-token")
    words = " ".join(
        [job.id, job.name or "", job.uses or ""]
        + [str(value) for value in job.inputs.values() if isinstance(value, (str, bool))]
    )
    if not id_token and PUBLISH_WORDS.search(words) is None:
        return result
    call = Step(
        index=0,
        line=job.uses_line,
        id=None,
        name=None,
        uses=job.uses,
        uses_line=job.uses_line,
        run=None,
        run_line=job.uses_line,
        inputs=job.inputs,
        env=YamlMap(),
        raw=YamlMap(),
    )
    what = f"the reusable workflow {job.uses}"
    result.unread.append((call, what, "it is another repository's workflow"))
    index = index_in_words(words)
    if id_token and index is not None:
        result.uploads.append(
            Upload(
                job=job,
                step=call,
                tool=what,
                oidc=True,
                line=job.uses_line,
                index=index,
                index_text=None,
                index_line=job.uses_line,
                opaque=True,
                inferred=True,
                unread=f"{what}; its names speak of {index}",
            )
        )
    return result


#: Cheap pre-filter on a workflow's text: words without which it cannot publish (an upload
#: command, a reusable workflow of this repository, or a repository script it could run).
MIGHT_PUBLISH = LazyPattern(
    r"gh-action-pypi-publish|publish|upload|twine|maturin|release|deploy|pypi|id-token"
    r"|\buses:\s*['\"]?[.$]/|(?:^|[\s'\"])(?:\./|(?:scripts?|bin|tools?|ci|\.ci|\.github)/)\S",
    re.IGNORECASE | re.MULTILINE,
)
