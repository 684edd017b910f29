"""Which workflows publish, and which one PyPI will see.

Discovery comes before complaint: the publishing workflow is whichever workflow uploads
distributions, by any method (:mod:`~release_assistant.core.workflows.uploads`), not a file
name. Every workflow in ``.github/workflows`` whose text could publish is read; a job that
calls a reusable workflow of this repository (``uses: ./.github/workflows/x.yml`` or
``uses: $/.github/workflows/x.yml``) is followed into that file.

The identity PyPI checks names the *top-level* workflow of the run: for an upload inside a
reusable workflow, the caller's file. :func:`discover` picks the workflow the trusted
publisher is derived from (the configured one when it publishes, otherwise the one that
uploads to PyPI, preferring trusted publishing and a release trigger) and says why.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from release_assistant.core.support.confined import resolve_inside
from release_assistant.core.support.textfiles import FileProblem
from release_assistant.core.workflows.events import MANUAL, RELEASE, RunAnalysis
from release_assistant.core.workflows.uploads import (
    MIGHT_PUBLISH,
    OTHER,
    PUBLISH_COMMAND,
    PYPI,
    TESTPYPI,
    UNKNOWN_INDEX,
    JobScan,
    Upload,
    infer_uploads,
    scan_workflow,
)
from release_assistant.core.workflows.uploads.scanner import unread_weight
from release_assistant.core.workflows.workflow import (
    PUBLISH_ACTION,
    Job,
    Step,
    Workflow,
    parse_workflow,
    workflow_files,
)
from release_assistant.core.workflows.yaml_nodes import WorkflowError

#: How deep calls into reusable workflows of this repository are followed.
_MAX_CALL_DEPTH = 4


class AnalysedWorkflow:
    """One workflow file with what its jobs build and upload.

    A plain class, compared by identity: workflows that call each other refer to each
    other (``calls``, ``callers``).
    """

    def __init__(self, workflow: Workflow, scans: dict[str, JobScan], runs: RunAnalysis) -> None:
        self.workflow = workflow
        self.scans = scans
        self.runs = runs
        #: Job id -> the reusable workflow of this repository it calls.
        self.calls: dict[str, AnalysedWorkflow] = {}
        #: ``(caller, job)`` for each job of another workflow here that calls this one.
        self.callers: list[tuple[AnalysedWorkflow, Job]] = []

    def __repr__(self) -> str:
        return f"AnalysedWorkflow({self.relpath!r})"

    @property
    def relpath(self) -> str:
        """The file, relative to the repository root."""
        return self.workflow.relpath

    @property
    def uploads(self) -> list[Upload]:
        """Every upload in this file's own jobs, in job order."""
        return [upload for scan in self.scans.values() for upload in scan.uploads]

    def all_uploads(self, seen: frozenset[int] = frozenset()) -> list[Upload]:
        """Uploads of this file and of the reusable workflows it calls."""
        if id(self) in seen:
            return []
        found = list(self.uploads)
        for callee in self.calls.values():
            found.extend(callee.all_uploads(seen | {id(self)}))
        return found

    @property
    def publishes(self) -> bool:
        """True when it uploads anywhere, itself or through a reusable workflow it calls."""
        return bool(self.all_uploads())

    def publishes_to(self, *indexes: str) -> bool:
        """True when an upload (its own or a callee's) aims at one of ``indexes``."""
        return any(upload.index in indexes for upload in self.all_uploads())

    @property
    def reusable_only(self) -> bool:
        """True when only other workflows start it (``workflow_call`` and nothing else)."""
        return set(self.workflow.triggers) == {"workflow_call"}

    @property
    def is_callee(self) -> bool:
        """True when a workflow of this repository calls it and nothing else starts it."""
        return bool(self.callers) and self.reusable_only

    def publishing_calls(self, *indexes: str) -> list[tuple[Job, AnalysedWorkflow]]:
        """``(job, callee)`` for each job here that calls a reusable workflow uploading there."""
        return [
            (self.workflow.jobs[job_id], callee)
            for job_id, callee in self.calls.items()
            if job_id in self.workflow.jobs and callee.publishes_to(*indexes)
        ]


@dataclass(slots=True)
class Discovery:
    """Every publishing workflow of a repository, and the one PyPI's identity comes from."""

    #: The ``workflow`` setting when the user wrote it in ``[tool.release-assistant]``.
    configured: str | None
    #: The setting in effect (the default ``.github/workflows/release.yml`` when unset).
    setting: str
    #: The configured file when it exists and loads, publishing or not.
    configured_workflow: AnalysedWorkflow | None = None
    #: Every workflow that uploads, directly or through a reusable workflow (callees too).
    publishing: list[AnalysedWorkflow] = field(default_factory=list)
    #: Files that could publish but cannot be read: ``(relpath, error)``.
    errors: list[tuple[str, FileProblem | WorkflowError]] = field(default_factory=list)
    #: The workflow PyPI will see, and why it was chosen.
    primary: AnalysedWorkflow | None = None
    reason: str = ""
    #: How many workflow files were looked at.
    scanned: int = 0
    #: ``(workflow, job, step, what, why)`` for every step of a workflow read here that the
    #: scan could not see into where it might publish (see ``JobScan.unread``): a claim
    #: that nothing publishes is not certain while there are any.
    unread: list[tuple[AnalysedWorkflow, Job, Step, str, str]] = field(default_factory=list)

    @property
    def analysed(self) -> list[AnalysedWorkflow]:
        """The files the ``workflow`` check reports on: the configured one, then publishers."""
        found: list[AnalysedWorkflow] = []
        if self.configured_workflow is not None:
            found.append(self.configured_workflow)
        found.extend(aw for aw in self.publishing if aw is not self.configured_workflow)
        return found

    @property
    def top_level(self) -> list[AnalysedWorkflow]:
        """Publishing workflows an event starts (not only called by another one here)."""
        return [aw for aw in self.publishing if not aw.is_callee]


#: The setting that names the release workflow, as messages name it.
WORKFLOW_SETTING = "[tool.release-assistant] workflow"


def configured_workflow_setting(pyproject: dict[str, Any] | None) -> str | None:
    """``workflow`` as written in ``[tool.release-assistant]`` of the parsed ``pyproject``
    (``None`` when not written)."""
    if pyproject is None:
        return None
    table = pyproject.get("tool", {}).get("release-assistant", {})
    value = table.get("workflow") if isinstance(table, dict) else None
    return value if isinstance(value, str) else None


class _Loader:
    def __init__(
        self, git_root: str, read_text: Callable[[str], str], discovery: Discovery
    ) -> None:
        self.git_root = git_root
        self.read_text = read_text
        self.discovery = discovery
        self.loaded: dict[str, AnalysedWorkflow | None] = {}

    def load(self, path: str, *, report: bool, depth: int = 0) -> AnalysedWorkflow | None:
        key = os.path.normcase(os.path.realpath(path))
        if key in self.loaded:
            return self.loaded[key]
        self.loaded[key] = None  # a call cycle stops here
        relpath = _relative(path, self.git_root)
        from pathlib import Path

        try:
            workflow = parse_workflow(self.read_text(path), Path(path), relpath)
        except (FileProblem, WorkflowError) as error:
            if report:
                self.discovery.errors.append((relpath, error))
            return None
        analysed = AnalysedWorkflow(
            workflow, scan_workflow(workflow, self.git_root), RunAnalysis(workflow)
        )
        self.loaded[key] = analysed
        if depth < _MAX_CALL_DEPTH:
            for job in workflow.jobs.values():
                target = job.local_workflow
                if target is None:
                    continue
                callee = self.load(
                    os.path.join(self.git_root, target), report=True, depth=depth + 1
                )
                if callee is not None:
                    analysed.calls[job.id] = callee
                    callee.callers.append((analysed, job))
        return analysed


def _relative(path: str, root: str) -> str:
    """``path`` relative to the git ``root`` (POSIX-style) when inside it, else as given."""
    relative = os.path.relpath(path, root) if os.path.isabs(path) else path
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return path
    return relative.replace(os.sep, "/")


def _strongly_publishes(text: str) -> bool:
    return PUBLISH_ACTION in text.lower() or PUBLISH_COMMAND.search(text) is not None


def discover(
    root_dir: str,
    git_root: str,
    *,
    workflow_setting: str,
    publisher_workflow: str | None,
    pyproject: dict[str, Any] | None,
    read_text: Callable[[str], str],
) -> Discovery:
    """Find every publishing workflow of the repository holding the project at ``root_dir``.

    The workflows are read from ``git_root``, the top of the work tree, where GitHub reads
    them, whichever package of a monorepo ``root_dir`` is; paths are relative to it.
    ``workflow_setting`` is the configured (or default) release workflow, relative to
    ``root_dir`` or ``git_root``; ``publisher_workflow`` the workflow
    ``[tool.release-assistant.publisher]`` names; ``pyproject`` the parsed table (to tell a
    written setting from the default); ``read_text`` reads a file (absolute path), raising
    :class:`~release_assistant.core.support.textfiles.FileProblem`.
    """
    from pathlib import Path

    configured = configured_workflow_setting(pyproject)
    discovery = Discovery(configured=configured, setting=workflow_setting)
    loader = _Loader(git_root, read_text, discovery)
    files = [str(path) for path in workflow_files(Path(git_root))]
    discovery.scanned = len(files)
    setting_file = os.path.join(root_dir, workflow_setting)
    if not os.path.isfile(setting_file):
        setting_file = os.path.join(git_root, workflow_setting)
    try:
        # A setting that leaves the work tree is refused, never read (nor its identity shown).
        setting_path: str | None = os.path.normcase(
            resolve_inside(git_root, setting_file, WORKFLOW_SETTING)
        )
    except FileProblem as outside:
        if configured is not None:  # the default's file is listed, and refused, below
            discovery.errors.append((workflow_setting, outside))
        setting_path = None
    if (
        setting_path is not None
        and os.path.isfile(setting_path)
        and not any(os.path.normcase(os.path.realpath(path)) == setting_path for path in files)
    ):
        files.insert(0, setting_file)  # configured outside .github/workflows
    candidates: list[AnalysedWorkflow] = []
    for path in files:
        is_setting = os.path.normcase(os.path.realpath(path)) == setting_path
        try:
            text = read_text(path)
        except FileProblem as problem:
            discovery.errors.append((_relative(path, git_root), problem))
            continue
        if not is_setting and MIGHT_PUBLISH.search(text) is None:
            continue
        analysed = loader.load(path, report=is_setting or _strongly_publishes(text))
        if analysed is None:
            continue
        if is_setting:
            discovery.configured_workflow = analysed
        candidates.append(analysed)
    seen: set[int] = set()
    configured_by_user = discovery.configured_workflow if configured else None
    for analysed in [*candidates, *(aw for aw in loader.loaded.values() if aw is not None)]:
        if id(analysed) in seen:
            continue
        seen.add(id(analysed))
        for job_id, scan in analysed.scans.items():
            for step, what, why in scan.unread:
                discovery.unread.append((analysed, analysed.workflow.jobs[job_id], step, what, why))
        if analysed is configured_by_user and not analysed.publishes:
            # The user named this file as the release workflow: a step it cannot read is
            # taken to be its upload.
            infer_uploads(analysed.workflow, analysed.scans)
        if analysed.publishes:
            discovery.publishing.append(analysed)
    # The likeliest upload first: the one a finding names.
    discovery.unread.sort(key=lambda item: -unread_weight(item[2], item[3]))
    discovery.publishing.sort(key=lambda aw: aw.relpath)
    _choose_primary(publisher_workflow, discovery)
    return discovery


def _trusted(upload: Upload) -> bool:
    return upload.token is None


def _released(aw: AnalysedWorkflow) -> bool:
    return any(s.kind in (RELEASE, MANUAL) for s in aw.runs.scenarios)


def _choose_primary(wanted: str | None, discovery: Discovery) -> None:
    top = discovery.top_level
    to_pypi = [aw for aw in top if aw.publishes_to(PYPI, UNKNOWN_INDEX)]
    pool = to_pypi or [aw for aw in top if aw.publishes_to(TESTPYPI)]
    if not pool:
        return
    if wanted:
        name = wanted.replace("\\", "/").rsplit("/", 1)[-1]
        for aw in pool:
            if aw.workflow.file_name == name:
                discovery.primary = aw
                discovery.reason = "it is the workflow [tool.release-assistant.publisher] names"
                return
    configured = discovery.configured_workflow
    if configured is not None and configured in pool:
        discovery.primary = configured
        discovery.reason = (
            "it is the configured release workflow"
            if discovery.configured
            else "it is the default release workflow"
        )
        return
    where = "PyPI" if to_pypi else "TestPyPI"
    if len(pool) == 1:
        discovery.primary = pool[0]
        discovery.reason = f"it is the only workflow that uploads to {where}"
        return

    def rank(aw: AnalysedWorkflow) -> tuple[bool, bool, str]:
        uploads = [u for u in aw.all_uploads() if u.index != OTHER]
        return (not all(_trusted(u) for u in uploads), not _released(aw), aw.relpath)

    pool = sorted(pool, key=rank)
    discovery.primary = pool[0]
    best = rank(pool[0])
    why = []
    if not best[0] and rank(pool[1])[0]:
        why.append("it publishes without a stored token")
    if not best[1] and rank(pool[1])[1]:
        why.append("a release starts it")
    discovery.reason = (
        " and ".join(why) if why else "it comes first by file name (the others are reported too)"
    )


def uploads_summary(aw: AnalysedWorkflow) -> str:
    """``PyPI (job 'publish', uv publish)``-style description of where a workflow uploads."""
    parts: list[str] = []
    for upload in aw.all_uploads():
        index = {PYPI: "PyPI", TESTPYPI: "TestPyPI", OTHER: "another index"}.get(
            upload.index, "an index named at run time"
        )
        tool = upload.tool if upload.tool != PUBLISH_ACTION else "the publish action"
        text = f"{index} in job {upload.job.id!r} with {tool}"
        if text not in parts:
            parts.append(text)
    return "; ".join(parts)


__all__ = [
    "AnalysedWorkflow",
    "Discovery",
    "configured_workflow_setting",
    "discover",
    "uploads_summary",
]
