"""How the distributions reach the upload: RA610, RA611, RA612, RA614, RA615, RA616, RA617.

The model: a build job builds once and uploads the distributions as an artifact; each
publish job ``needs`` it and downloads that artifact into the directory it uploads from.
Flagged: a job that builds and publishes (RA611, a warning); a publish job with no
recognizable build or download (RA610 when other steps might build, RA616 when none can);
a download into another directory than the upload reads (RA616) or that nests artifacts in
sub-directories (RA617); a download of a name nobody uploads (RA617) or that the build never
uploads (RA615); a publish job that does not ``needs`` its build (RA614); a matrix build
whose runs upload one artifact name (RA612).

An artifact counts as uploaded under its name whatever its path looks like, and inside
composite actions of this repository. A claim that nobody uploads a name is an error only
when every step of the workflow was read: another repository's action, or a composite
action that cannot be read, may upload it, and the claim is then RA646, a warning.
"""

from __future__ import annotations

import fnmatch
import re

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.rules.workflow import (
    ARTIFACT_NAMES_DIFFER,
    BUILD_DOES_NOT_UPLOAD_DIST,
    MATRIX_BUILD,
    NO_BUILD_BEFORE_UPLOAD,
    PUBLISH_DOES_NOT_DOWNLOAD_DIST,
    PUBLISH_DOES_NOT_WAIT_FOR_BUILD,
    PUBLISH_IN_BUILD_JOB,
    UNREADABLE_STEP,
)
from release_assistant.core.workflows.analysis.checkout import CHECKOUT, check_checkouts
from release_assistant.core.workflows.analysis.state import WorkflowFindings
from release_assistant.core.workflows.uploads import Upload
from release_assistant.core.workflows.uploads.tools import UPLOAD_ARTIFACT
from release_assistant.core.workflows.workflow import PUBLISH_ACTION, Job, Step

UPLOAD = UPLOAD_ARTIFACT
DOWNLOAD = "actions/download-artifact"

#: Job id -> its distribution artifacts ``(name, line, path)`` (``None``: unknown, as for
#: another repository's reusable workflow).
Artifacts = dict[str, list[tuple[str, int, str]] | None]

_NEEDS_JOB = re.compile(r"\bneeds\.([A-Za-z_][A-Za-z0-9_-]*)\.")
#: Steps that neither build nor fetch distributions (so a publish job with only these has
#: nothing to upload).
_INERT_ACTIONS = (
    CHECKOUT,
    "actions/setup-python",
    "astral-sh/setup-uv",
    "actions/cache",
    "actions/create-github-app-token",
)


class HandOver:
    """The hand-over rules of one workflow; its artifacts are computed once, on demand,
    because every publish job asks and a workflow can have many."""

    def __init__(self, state: WorkflowFindings) -> None:
        self.state = state
        self.aw = state.aw
        self.wf = state.wf
        #: One finding for a missing upload, not one per publish job that downloads it.
        self.missing_artifacts: set[str] = set()
        #: A reusable workflow sees the artifacts of the caller's other jobs too.
        self.external = "workflow_call" in self.wf.triggers
        self._artifact_map: Artifacts | None = None
        self._views: tuple[list[str], dict[str, list[tuple[str, int, str]]], bool] | None = None

    def check(self, job: Job, uploads: list[Upload]) -> list[Job]:
        """Check how the distributions reach the upload; returns the jobs that build them."""
        scan = self.aw.scans[job.id]
        first = min(uploads, key=lambda u: u.position)
        if any(u.builds for u in uploads) or any(
            build.index <= first.step.index for build, _ in scan.builds
        ):
            what = next((how for build, how in scan.builds), first.label)
            self.state.emit(
                Finding(
                    PUBLISH_IN_BUILD_JOB.code,
                    f"{job.label} both builds ({what}) and publishes: the build then runs "
                    "with the permission to publish",
                    Severity.WARNING,
                    self.state.path,
                    first.line,
                    "split it: a 'build' job that uploads the distributions as an artifact, "
                    "and a publish job that 'needs' it, downloads them and publishes",
                )
            )
            return [job]
        downloads = scan.downloads_before(first.position)
        if not downloads:
            self._no_download(job, first)
            return []
        producers: list[Job] = []
        artifacts = self._artifacts()
        for upload in uploads:
            self._download_dir(job, upload, scan.downloads_before(upload.position), artifacts)
        for download in downloads:
            producers.extend(
                p for p in self._download_source(job, download, artifacts) if p not in producers
            )
        return producers

    def check_build_job(self, job: Job, publisher: Job) -> None:
        """RA612 (and RA630) for a job that builds what ``publisher`` uploads."""
        if job is publisher or job.uses:
            return
        artifacts = self.aw.scans[job.id].artifacts
        if job.matrix_line is not None and any("${{" not in name for name, _, _ in artifacts):
            self.state.emit(
                Finding(
                    MATRIX_BUILD.code,
                    f"{job.label} builds in a matrix and uploads one artifact name from every "
                    "matrix run (the uploads collide)",
                    Severity.WARNING,
                    self.state.path,
                    job.matrix_line,
                    "build once in a job without a matrix, or include ${{ matrix.* }} in the "
                    "artifact name and download with 'pattern:' and 'merge-multiple: true'",
                )
            )
        check_checkouts(self.state, job)

    def _no_download(self, job: Job, first: Upload) -> None:
        unknown = [
            s
            for s in job.steps
            if s.index < first.step.index
            and (s.run or (s.uses and not any(s.uses_action(a) for a in _INERT_ACTIONS)))
        ]
        if unknown:
            self.state.emit(
                Finding(
                    NO_BUILD_BEFORE_UPLOAD.code,
                    f"no step of {job.label} recognizably builds or downloads the "
                    f"distributions before {first.label} uploads them",
                    Severity.WARNING,
                    self.state.path,
                    first.line,
                    "build in a dedicated 'build' job that uploads the distributions with "
                    f"{UPLOAD}, and download them in {job.label}",
                )
            )
            return
        self.state.add(
            PUBLISH_DOES_NOT_DOWNLOAD_DIST,
            f"publish {job.label} has no distributions: nothing builds or downloads them "
            f"before {first.label}",
            first.line,
            f"add a step 'uses: {DOWNLOAD}@v4' with the build's artifact name and "
            f"'path: {wanted_dir(first) or 'dist'}/' before the upload",
        )

    def _download_dir(
        self, job: Job, upload: Upload, relevant: list[Step], artifacts: Artifacts
    ) -> None:
        """Does a download put the distributions where ``upload`` reads them?"""
        wanted = wanted_dir(upload)
        if wanted is None or not relevant:
            return
        landing: set[str] = set()
        for download in relevant:
            dirs = self._landing_dirs(download, artifacts)
            if dirs is None or wanted in dirs:
                return  # computed at run time, or right
            landing |= dirs
        download = relevant[-1]
        path, path_line = download.input("path")
        base = norm_dir(path or ".")
        if base == wanted and not _merged_into_path(download):
            self.state.add(
                ARTIFACT_NAMES_DIFFER,
                f"publish {job.label} downloads several artifacts without 'name:' or "
                "'merge-multiple: true', so each lands in its own sub-directory of "
                f"{wanted}/ and {upload.label} finds no distributions there",
                download.line,
                "set 'name:' to the build's artifact name (or add 'merge-multiple: true') on "
                "the download step",
            )
            return
        where = ", ".join(f"{d}/" for d in sorted(landing)) or "the workspace root"
        self.state.add(
            PUBLISH_DOES_NOT_DOWNLOAD_DIST,
            f"publish {job.label} downloads the distributions into {where}, but "
            f"{upload.label} uploads from {wanted}/",
            path_line if path else download.line,
            f"set 'path: {wanted}/' on the download step",
        )

    def _landing_dirs(self, download: Step, artifacts: Artifacts) -> set[str] | None:
        """Where the files of ``download`` land (``None``: not knowable here)."""
        path, _ = download.input("path")
        base = norm_dir(path or ".")
        if "$" in base:
            return None
        if _merged_into_path(download):
            return {base}
        # Each artifact in its own directory, named after it.
        pattern, _ = download.input("pattern")
        if pattern is not None and "${{" in pattern:
            return None
        names: set[str] = set()
        for arts in artifacts.values():
            if arts is None:
                return None
            for name, _, _ in arts:
                if "${{" in name:
                    return None
                if pattern is None or fnmatch.fnmatchcase(name, pattern):
                    names.add(name)
        return {norm_dir(f"{base}/{name}") for name in names}

    def _artifacts(self) -> Artifacts:
        """Job id -> its distribution artifacts (``None``: a reusable workflow, unknown)."""
        if self._artifact_map is None:
            self._artifact_map = self._find_artifacts()
        return self._artifact_map

    def _artifact_views(
        self,
    ) -> tuple[list[str], dict[str, list[tuple[str, int, str]]], bool]:
        """Jobs whose artifacts are unknown, the static artifact names, and whether any
        name is computed at run time (once per workflow, like :meth:`_artifacts`)."""
        if self._views is None:
            artifacts = self._artifacts()
            unknown = [job_id for job_id, arts in artifacts.items() if arts is None]
            static = {
                job_id: [a for a in arts if "${{" not in a[0]]
                for job_id, arts in artifacts.items()
                if arts is not None
            }
            dynamic = any("${{" in a[0] for arts in artifacts.values() if arts for a in arts)
            self._views = (unknown, static, dynamic)
        return self._views

    def _find_artifacts(self) -> Artifacts:
        found: Artifacts = {}
        for job_id, job in self.wf.jobs.items():
            if job.uses:
                callee = self.aw.calls.get(job_id)
                found[job_id] = (
                    [a for scan in callee.scans.values() for a in scan.artifacts]
                    if callee is not None
                    else None
                )
                if callee is not None and any("${{" in a[0] for a in found[job_id] or []):
                    found[job_id] = None
            else:
                scan = self.aw.scans[job_id]
                # Any artifact of that name is an upload of it, whatever its path says.
                found[job_id] = [
                    *scan.artifacts,
                    *((name, job.line, "") for name in scan.other_artifacts),
                ]
        return found

    def _download_source(self, job: Job, download: Step, artifacts: Artifacts) -> list[Job]:
        """The jobs that upload what ``download`` fetches (checks names and ``needs``)."""
        wf = self.wf
        if download.has_input("run-id", "github-token", "repository"):
            return []  # from another workflow run: nothing here to compare
        name, name_line = download.input("name")
        pattern, _ = download.input("pattern")
        ids, _ = download.input("artifact-ids")
        closure = wf.needs_closure(job.id)
        unknown, static, dynamic = self._artifact_views()
        if ids is not None:
            producers = [wf.jobs[j] for j in _NEEDS_JOB.findall(ids) if j in wf.jobs]
        elif name is not None and "${{" not in name:
            producers = [
                wf.jobs[j] for j, arts in static.items() if any(a[0] == name for a in arts)
            ]
            if not producers and not unknown and not dynamic and not self.external:
                self._no_producer(job, name_line, f"artifact {name!r}", static)
                return []
            if producers and not any(
                a[0] == name and a[2] for arts in static.values() for a in arts
            ):
                return []  # uploaded, but not distributions (documentation, reports)
        elif name is None and pattern is not None and "${{" not in pattern:
            producers = [
                wf.jobs[j]
                for j, arts in static.items()
                if any(fnmatch.fnmatchcase(a[0], pattern) for a in arts)
            ]
            if not producers and not unknown and not dynamic and not self.external:
                self._no_producer(job, download.line, f"pattern {pattern!r}", static)
                return []
        elif name is None and pattern is None:  # every artifact: the jobs that build
            producers = [wf.jobs[j] for j, arts in static.items() if any(a[2] for a in arts)]
        else:
            producers = []
        if not producers:
            producers = [
                wf.jobs[j]
                for j in closure
                if j in wf.jobs
                and (
                    any(a[2] for a in static.get(j, [])) or j in unknown or self.aw.scans[j].builds
                )
            ]
            if not producers and not closure and not self.external:
                self.state.add(
                    PUBLISH_DOES_NOT_WAIT_FOR_BUILD,
                    f"publish {job.label} needs no job, so it can start before the "
                    "distributions it downloads exist",
                    job.needs_line,
                    f"add 'needs: [build]' to {job.label} (the job that uploads them)",
                )
            return producers
        missing = [p for p in producers if p.id not in closure]
        if missing and len(missing) == len(producers):
            names = ", ".join(repr(p.id) for p in missing)
            self.state.add(
                PUBLISH_DOES_NOT_WAIT_FOR_BUILD,
                f"publish {job.label} does not 'needs:' the job that uploads its "
                f"distributions ({names}), so it can start before they exist",
                job.needs_line,
                f"add 'needs: [{missing[0].id}]' to {job.label}",
            )
        return producers

    def _no_producer(
        self, job: Job, line: int, what: str, static: dict[str, list[tuple[str, int, str]]]
    ) -> None:
        if what in self.missing_artifacts:
            return  # one finding for the missing upload, not one per publish job
        self.missing_artifacts.add(what)
        scans = self.aw.scans
        unseen = [
            (self.wf.jobs[job_id], step, action)
            for job_id, scan in scans.items()
            for step, action in [
                *scan.foreign_actions,
                *((step, relpath) for step, relpath, _ in scan.unreadable_actions),
            ]
        ]
        if unseen:
            other, step, action = unseen[0]
            more = f" (and {len(unseen) - 1} more)" if len(unseen) > 1 else ""
            self.state.emit(
                Finding(
                    UNREADABLE_STEP.code,
                    f"publish {job.label} downloads {what}, which no step the tool can read "
                    f"uploads ({BUILD_DOES_NOT_UPLOAD_DIST.code}/{ARTIFACT_NAMES_DIFFER.code} "
                    f"unconfirmed): {action} ({step.label} of "
                    f"{other.label}){more} is not read and may upload it",
                    Severity.WARNING,
                    self.state.path,
                    line,
                    "if that action uploads the artifact, nothing is wrong: put "
                    f"'# release-assistant: ignore[{UNREADABLE_STEP.code}]' on this line; "
                    f"otherwise upload the distributions with {UPLOAD} under the name the "
                    "download asks for",
                )
            )
            return
        builders = [
            self.wf.jobs[j]
            for j in self.wf.needs_closure(job.id) | set(self.wf.jobs)
            if j in scans and scans[j].builds and not static.get(j)
        ]
        if builders:
            builder = sorted(builders, key=lambda b: b.line)[0]
            step, _ = scans[builder.id].builds[0]
            self.state.add(
                BUILD_DOES_NOT_UPLOAD_DIST,
                f"{builder.label} builds the distributions but does not upload them, so "
                f"{job.label} downloads nothing",
                step.line,
                f"add a step 'uses: {UPLOAD}@v4' with 'name: python-package-distributions' "
                "and 'path: dist/' after the build",
            )
            return
        uploaded = sorted({a[0] for arts in static.values() for a in arts})
        listed = ", ".join(repr(n) for n in uploaded) if uploaded else "nothing"
        self.state.add(
            ARTIFACT_NAMES_DIFFER,
            f"publish {job.label} downloads {what}, but the jobs of this workflow upload {listed}",
            line,
            f"use the same name on both sides: 'name: {uploaded[0]}'"
            if uploaded
            else f"upload the distributions with {UPLOAD} in the build job",
        )


def _merged_into_path(download: Step) -> bool:
    merge, _ = download.input("merge-multiple")
    name, _ = download.input("name")
    ids, _ = download.input("artifact-ids")
    return name is not None or ids is not None or (merge or "").strip().lower() == "true"


def wanted_dir(upload: Upload) -> str | None:
    """The directory an upload reads (``None`` when it is computed at run time)."""
    files = upload.files or ("dist",)
    first = files[0]
    if "$" in first:
        return None
    if upload.tool == PUBLISH_ACTION or (
        not any(ch in first for ch in "*?[") and "." not in first.rsplit("/", 1)[-1]
    ):
        return norm_dir(first)
    head = first.rsplit("/", 1)[0] if "/" in first else "."
    return norm_dir(head)


def norm_dir(path: str) -> str:
    """``path`` as a directory relative to the workspace, without ``./`` or a final ``/``."""
    text = path.strip()
    for prefix in ("${{ github.workspace }}/", "${{github.workspace}}/", "$GITHUB_WORKSPACE/"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    while text.startswith("./"):
        text = text[2:]
    text = text.rstrip("/")
    return text or "."
