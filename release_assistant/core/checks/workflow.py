"""``workflow``: the release workflow follows the trusted-publishing model.

The model: a published GitHub release (or a tag push) starts the workflow; validation (tests,
metadata checks) runs first; a dedicated build job builds ``dist/`` once and uploads it; each
publish job ``needs`` the build, downloads the same artifact into ``dist/``, has
``id-token: write`` at job level and a deployment ``environment``, and runs
``pypa/gh-action-pypi-publish`` without any token (TestPyPI with ``repository-url`` set to the
test index's legacy upload URL).

Checked: the configured workflow (``workflow``, default ``.github/workflows/release.yml``) and
every other workflow in ``.github/workflows`` that uses ``pypa/gh-action-pypi-publish``.

Codes: RA601 release workflow not found, RA602 workflow unreadable or invalid (YAML syntax,
not a mapping, repeated keys, unknown ``needs``, ``uses`` without ``@ref``), RA603 the release
workflow does not publish with ``pypa/gh-action-pypi-publish``, RA604 no trigger is a
published release or a tag push, RA605 ``release`` trigger not limited to
``types: [published]``, RA606 dangerous trigger (``pull_request_target``, ``workflow_run``)
on a publishing workflow, RA607 another trigger (branch push, pull request, schedule) runs the
publish job unguarded, RA608 publishing from a reusable workflow (``workflow_call``, or a
publish job that calls one), RA610 no job builds the distributions, RA611 publish step in the
build job, RA612 build job is a matrix uploading one artifact name, RA613 no validation before
the build, RA614 publish job does not ``needs`` the build job, RA615 build job does not upload
``dist/``, RA616 publish job does not download the distributions into ``dist/``, RA617
artifact names of upload and download differ, RA620 publish job lacks ``id-token: write``,
RA621 ``id-token: write`` granted at workflow level, RA622 ``id-token: write`` on a job that
does not publish (warning), RA623 publish job without ``environment``, RA624 TestPyPI publish
without the test index's ``repository-url``, RA625 PyPI publish pointing at the test index,
RA626 token publishing (``password``/``user`` inputs, index-token secrets), RA630 checkout
keeps credentials (``persist-credentials`` not false) in a build or publish job (warning),
RA631 third-party action not pinned to a commit SHA (warning), RA632 publish action on its
retired ``master`` branch (warning).

Run ``release-assistant explain CODE`` for the cause and fix of each.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from pathlib import Path

from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, FindingCollector
from release_assistant.core.textfiles import FileProblem, read_text
from release_assistant.core.workflows import (
    PUBLISH_ACTION,
    Job,
    Step,
    Workflow,
    WorkflowError,
    YamlList,
    YamlMap,
    load_workflow,
    mentions_publish_action,
    parse_workflow,
    publish_target,
    repository_url,
    workflow_files,
)

ID = "workflow"
TITLE = "Trusted-publishing workflow"

CHECKOUT = "actions/checkout"
UPLOAD = "actions/upload-artifact"
DOWNLOAD = "actions/download-artifact"
#: Actions that build (and, for the first, inspect and upload) distributions themselves.
HYNEK = "hynek/build-and-inspect-python-package"
BUILD_ACTIONS = (HYNEK, "pypa/cibuildwheel", "pyo3/maturin-action")
HYNEK_ARTIFACT = "Packages"

_BUILD_RUN = re.compile(
    r"\bpython(?:3(?:\.\d+)?)?\s+-m\s+build\b|\bpyproject-build\b|\buv\s+build\b"
    r"|\bhatch\s+build\b|\bpoetry\s+build\b|\bpdm\s+build\b|\bflit\s+build\b"
    r"|\bpipx\s+run\s+build\b|\bsetup\.py\s+(?:sdist|bdist_wheel)\b"
    r"|\bmaturin\s+(?:build|sdist)\b|\bcibuildwheel\b"
)
_VALIDATE_RUN = re.compile(
    r"\bpytest\b|\btox\b|\bnox\b|-m\s+unittest\b|\bhatch\s+test\b|\bmake\s+(?:test|check)\b"
    r"|\btwine\s+check\b|\bcheck-wheel-contents\b|\bvalidate-pyproject\b"
    r"|\brelease-assistant\s+check\b|\bpre-commit\s+run\b|\bcheck-manifest\b|\.ci/run\b"
)
_METADATA_RUN = re.compile(r"\btwine\s+check\b|\bcheck-wheel-contents\b")
_RUN_PUBLISH = re.compile(
    r"\btwine\s+upload\b|\buv\s+publish\b|\bpoetry\s+publish\b|\bflit\s+publish\b"
    r"|\bhatch\s+publish\b|\bpdm\s+publish\b"
)
_TOKEN_SECRET = re.compile(
    r"secrets\.(\w*(?:pypi|twine|publish_token|upload_token)\w*)", re.IGNORECASE
)
_TOKEN_ENV = re.compile(
    r"^(?:TWINE_PASSWORD|TWINE_USERNAME|UV_PUBLISH_TOKEN|UV_PUBLISH_PASSWORD|"
    r"POETRY_PYPI_TOKEN_\w+|POETRY_HTTP_BASIC_\w+_PASSWORD|FLIT_PASSWORD|"
    r"PDM_PUBLISH_PASSWORD|HATCH_INDEX_AUTH)$",
    re.IGNORECASE,
)
_SHA = re.compile(r"^[0-9a-f]{40}$")
_TAG_GUARD_HINT = "if: github.event_name == 'release' || startsWith(github.ref, 'refs/tags/')"
#: Triggers that only a maintainer starts by hand: they never publish by surprise.
_MANUAL_TRIGGERS = frozenset({"workflow_dispatch"})
_DANGEROUS_TRIGGERS = frozenset({"pull_request_target", "workflow_run"})


def run(ctx: RepoContext) -> CheckResult:
    """Check the configured release workflow and every other workflow that publishes."""
    out = FindingCollector(ID, TITLE)
    configured = ctx.config.workflow
    configured_path = ctx.root / configured
    others = [
        path
        for path in workflow_files(ctx.root)
        if path.resolve() != configured_path.resolve() and _publishes(path)
    ]
    if configured_path.is_file():
        workflow = _load(configured_path, configured, out)
        if workflow is not None:
            publishes = check_workflow(workflow, ctx, out, required=not others)
            if not publishes and others:
                names = ", ".join(ctx.relative(path) for path in others)
                out.warn(
                    "RA603",
                    f"release workflow {configured} does not publish; publishing happens in "
                    f"{names}",
                    path=configured,
                    line=workflow.jobs_line or 1,
                    hint=f'set workflow = "{ctx.relative(others[0])}" in [tool.release-assistant]',
                )
    elif others:
        names = ", ".join(ctx.relative(path) for path in others)
        out.warn(
            "RA601",
            f"configured release workflow {configured} not found; publishing happens in {names}",
            path=configured,
            hint=f'set workflow = "{ctx.relative(others[0])}" in [tool.release-assistant]',
        )
    else:
        out.add(
            "RA601",
            f"release workflow {configured} not found",
            path=configured,
            hint="run `release-assistant workflow init` to write one, or set workflow = "
            '"<path>" in [tool.release-assistant]',
        )
    for path in others:
        workflow = _load(path, ctx.relative(path), out)
        if workflow is not None:
            check_workflow(workflow, ctx, out, required=False)
    return out.result()


def _publishes(path: Path) -> bool:
    try:
        return mentions_publish_action(read_text(path))
    except FileProblem:
        return True  # unreadable: load it properly so the problem is reported


def _load(path: Path, relpath: str, out: FindingCollector) -> Workflow | None:
    try:
        return load_workflow(path, relpath)
    except FileProblem as problem:
        out.add(
            "RA602",
            f"cannot read the workflow: {problem.message}",
            path=relpath,
            line=problem.line,
            hint="save the file as UTF-8 text",
        )
    except WorkflowError as error:
        out.add(
            "RA602",
            error.message,
            path=relpath,
            line=error.line or 1,
            hint="fix the YAML at this line (GitHub rejects the whole workflow)",
        )
    return None


def check_text(text: str, relpath: str, ctx: RepoContext) -> CheckResult:
    """Check one workflow given as text (for hooks and tests that have no file on disk)."""
    out = FindingCollector(ID, TITLE)
    try:
        workflow = parse_workflow(text, ctx.root / relpath, relpath)
    except WorkflowError as error:
        out.add("RA602", error.message, path=relpath, line=error.line or 1)
        return out.result()
    check_workflow(workflow, ctx, out, required=True)
    return out.result()


def check_workflow(
    workflow: Workflow, ctx: RepoContext, out: FindingCollector, *, required: bool
) -> bool:
    """Report every departure of ``workflow`` from the trusted-publishing model.

    ``required``: publishing nothing is itself a finding (RA603). Returns whether the
    workflow publishes at all (directly or through a reusable workflow).
    """
    local = FindingCollector(out.check_id, out.title)
    publishes = _Analysis(workflow, ctx, local).run(required=required)
    # Reported in file order, so the text output reads top to bottom like the workflow.
    out.findings.extend(sorted(local.findings, key=lambda finding: finding.line or 0))
    return publishes


class _Analysis:
    """One workflow's findings; methods each cover one part of the model."""

    def __init__(self, workflow: Workflow, ctx: RepoContext, out: FindingCollector) -> None:
        self.wf = workflow
        self.ctx = ctx
        self.out = out
        self.path = workflow.relpath
        self.reusable_publishers = self._reusable_publish_jobs()
        self.publish_jobs = workflow.publish_jobs
        self.build_jobs = [job for job in workflow.jobs.values() if _build_steps(job)]

    def add(self, code: str, message: str, line: int | None, hint: str) -> None:
        self.out.add(code, message, path=self.path, line=line, hint=hint)

    def warn(self, code: str, message: str, line: int | None, hint: str) -> None:
        self.out.warn(code, message, path=self.path, line=line, hint=hint)

    def run(self, *, required: bool) -> bool:
        self.structure()
        self.pinning()
        if not self.publish_jobs and not self.reusable_publishers:
            if required:
                self.no_publisher()
            return False
        self.triggers()
        self.reusable()
        self.tokens()
        if self.publish_jobs:
            self.build()
            for job in self.publish_jobs:
                self.publish_job(job)
        self.permissions()
        self.credentials()
        return True

    # -- structure ---------------------------------------------------------------------------

    def structure(self) -> None:
        for line, message in self.wf.problems:
            self.add("RA602", message, line, "fix this line: GitHub rejects the whole workflow")
        for job in self.wf.jobs.values():
            uses = [(step.uses, step.uses_line) for step in job.steps if step.uses]
            if job.uses:
                uses.append((job.uses, job.uses_line))
            for value, line in uses:
                if value and "@" not in value and not value.startswith(("./", "docker://")):
                    self.add(
                        "RA602",
                        f"'uses: {value}' has no @ref ({job.label})",
                        line,
                        f"write 'uses: {value}@<commit SHA or tag>'",
                    )

    def no_publisher(self) -> None:
        for job in self.wf.jobs.values():
            for step in job.steps:
                found = _RUN_PUBLISH.search(step.run or "")
                if found:
                    line = step.run_line + (step.run or "")[: found.start()].count("\n")
                    self.add(
                        "RA603",
                        f"{job.label} publishes with `{found.group(0)}` instead of "
                        f"{PUBLISH_ACTION} (trusted publishing)",
                        line,
                        f"replace the step with 'uses: {PUBLISH_ACTION}@release/v1' in a "
                        "publish job with 'id-token: write'",
                    )
                    return
        self.add(
            "RA603",
            f"no job publishes with {PUBLISH_ACTION}",
            self.wf.jobs_line or 1,
            "add publish jobs (see `release-assistant workflow init`)",
        )

    # -- triggers ----------------------------------------------------------------------------

    def triggers(self) -> None:
        triggers = self.wf.triggers
        on_line = self.wf.on_line or 1
        releasing = False
        for event, trigger in triggers.items():
            if event == "release":
                releasing = True
                self.release_trigger(trigger.config, trigger.line)
            elif event == "push":
                config = trigger.config if isinstance(trigger.config, YamlMap) else YamlMap()
                if "tags" in config or "tags-ignore" in config:
                    releasing = True
                if set(config) & {"tags", "tags-ignore"} and not (
                    set(config) & {"branches", "branches-ignore"}
                ):
                    continue
                self.unguarded(event, trigger.line, "every push to a branch")
            elif event in _DANGEROUS_TRIGGERS:
                self.add(
                    "RA606",
                    f"'{event}' trigger on a publishing workflow: it runs with write access "
                    "on events that untrusted contributors can cause",
                    trigger.line,
                    f"remove '{event}' from this workflow; publish only from "
                    "'release: types: [published]'",
                )
            elif event == "workflow_call":
                continue  # RA608
            elif event not in _MANUAL_TRIGGERS:
                self.unguarded(event, trigger.line, f"every '{event}' event")
        if not releasing:
            self.add(
                "RA604",
                "no trigger is a published release or a tag push, so publishing is not tied "
                "to a release",
                on_line,
                "use 'on: {release: {types: [published]}}' (or 'push: {tags: [\"v*\"]}')",
            )

    def release_trigger(self, config: object, line: int) -> None:
        types_value = config.get("types") if isinstance(config, YamlMap) else None
        if isinstance(types_value, YamlList):
            types = [str(item) for item in types_value]
        elif isinstance(types_value, str):
            types = [types_value]
        else:
            types = []
        fix = "write 'release: {types: [published]}'"
        if not types:
            self.add(
                "RA605",
                "'release' trigger without 'types: [published]' runs the publish on every "
                "release activity (created, edited, deleted, ...)",
                line,
                fix,
            )
        elif "published" not in types:
            self.add(
                "RA605",
                f"'release' trigger types {types} do not include 'published'",
                line,
                fix,
            )
        elif len(set(types)) > 1:
            extra = sorted(set(types) - {"published"})
            self.warn(
                "RA605",
                f"'release' trigger also fires on {extra}: the publish runs more than once",
                line,
                fix,
            )

    def unguarded(self, event: str, line: int, what: str) -> None:
        for job in self.publish_jobs:
            guarded = job.condition or all(step.raw.get("if") for step in job.publish_steps)
            if not guarded:
                self.add(
                    "RA607",
                    f"'{event}' trigger runs {job.label} (publish) on {what}",
                    line,
                    f"drop the '{event}' trigger, or add '{_TAG_GUARD_HINT}' to {job.label}",
                )
                return

    # -- reusable workflows ------------------------------------------------------------------

    def _reusable_publish_jobs(self) -> list[Job]:
        found: list[Job] = []
        for job in self.wf.jobs.values():
            if not job.uses:
                continue
            target = job.uses.split("@", 1)[0]
            if target.startswith("./"):
                called = self.ctx.root / target[2:]
                try:
                    publishes = mentions_publish_action(read_text(called))
                except FileProblem:
                    publishes = False
            else:
                words = f"{job.id} {job.name or ''} {target}".lower()
                grants = job.permissions is not None and job.permissions.grants("id-token")
                publishes = grants or any(w in words for w in ("publish", "pypi"))
            if publishes:
                found.append(job)
        return found

    def reusable(self) -> None:
        hint = (
            "move the build and publish jobs into this workflow file itself and register "
            "that file on PyPI; trusted publishing does not support reusable workflows"
        )
        call = self.wf.triggers.get("workflow_call")
        if call is not None and self.publish_jobs:
            self.add(
                "RA608",
                f"{PUBLISH_ACTION} runs in a reusable workflow ('workflow_call'); PyPI does "
                "not accept trusted publishing from reusable workflows",
                call.line,
                hint,
            )
        for job in self.reusable_publishers:
            self.add(
                "RA608",
                f"{job.label} publishes by calling the reusable workflow {job.uses}; PyPI "
                "does not accept trusted publishing from reusable workflows",
                job.uses_line,
                hint,
            )

    # -- tokens ------------------------------------------------------------------------------

    def tokens(self) -> None:
        reported: set[int] = set()
        fix = (
            "delete the token input/secret and use trusted publishing: 'id-token: write' on the "
            "publish job, then delete the API token on the index"
        )
        for job in self.publish_jobs:
            for step in job.publish_steps:
                for name in ("password", "user"):
                    if name in step.inputs:
                        line = step.inputs.line_of(name)
                        reported.add(line)
                        self.add(
                            "RA626",
                            f"{job.label} passes '{name}:' to {PUBLISH_ACTION}: token "
                            "publishing instead of trusted publishing (OIDC)",
                            line,
                            fix,
                        )
        for value, line, path in self.wf.scalars():
            if line in reported:
                continue
            key = path[-1] if path else None
            secret = _TOKEN_SECRET.search(value)
            if isinstance(key, str) and _TOKEN_ENV.match(key) and secret is None:
                reported.add(line)
                self.add(
                    "RA626",
                    f"'{key}' supplies an index token: token publishing instead of trusted "
                    "publishing (OIDC)",
                    line,
                    fix,
                )
            elif secret is not None:
                offset = value[: secret.start()].count("\n")
                if line + offset in reported:
                    continue
                reported.add(line + offset)
                self.add(
                    "RA626",
                    f"secret {secret.group(1)!r} looks like an index API token: token "
                    "publishing instead of trusted publishing (OIDC)",
                    line + offset,
                    fix,
                )

    # -- build and hand-over ----------------------------------------------------------------

    def build(self) -> None:
        if not self.build_jobs:
            first = self.publish_jobs[0]
            self.add(
                "RA610",
                "no dedicated build job: no job builds the distributions "
                "(python -m build, uv build, ...)",
                first.publish_steps[0].line,
                "add a 'build' job that runs 'python -m build' and uploads dist/ with "
                f"{UPLOAD}; make the publish jobs 'needs: [build]'",
            )
            return
        feeding = {needed for job in self.publish_jobs for needed in self.wf.needs_closure(job.id)}
        for job in self.build_jobs:
            if feeding and job.id not in feeding and not job.publish_steps:
                continue  # a build that feeds no publish job (e.g. a CI smoke build)
            self.build_job(job)

    def build_job(self, job: Job) -> None:
        build_step = _build_steps(job)[0]
        uploads = _uploads(job)
        if job.publish_steps:
            self.add(
                "RA611",
                f"{job.label} both builds and publishes: the build then runs with the "
                "publishing token's permissions",
                job.publish_steps[0].line,
                "split it: a 'build' job that uploads dist/, and a publish job that "
                "'needs: [build]', downloads dist/ and publishes",
            )
        elif not uploads:
            self.add(
                "RA615",
                f"{job.label} builds the distributions but does not upload dist/",
                build_step.line,
                f"add a step 'uses: {UPLOAD}@v4' with 'name: python-package-distributions' "
                "and 'path: dist/' after the build",
            )
        if job.matrix_line is not None and any("${{" not in name for name, _ in uploads):
            self.add(
                "RA612",
                f"{job.label} builds in a matrix and uploads one artifact name from every "
                "matrix run (the build is not a dedicated job; the uploads collide)",
                job.matrix_line,
                "build once in a job without a matrix, or include ${{ matrix.* }} in the "
                "artifact name and download with 'pattern:' and 'merge-multiple: true'",
            )
        if not self._validated(job, build_step):
            self.add(
                "RA613",
                f"nothing validates the project before {job.label} builds it (no tests or "
                "metadata check run first)",
                job.line,
                f"add a 'verify' job that runs the tests and make {job.label} 'needs: [verify]'",
            )

    def _validated(self, job: Job, build_step: Step) -> bool:
        for needed in self.wf.needs_closure(job.id):
            other = self.wf.jobs.get(needed)
            if other is not None and (other.uses or any(_validates(s) for s in other.steps)):
                return True
        for step in job.steps:
            if step.index < build_step.index and _validates(step):
                return True
            if _METADATA_RUN.search(step.run or "") or step.uses_action(HYNEK):
                return True
        return False

    def publish_job(self, job: Job) -> None:
        closure = self.wf.needs_closure(job.id)
        builders = [b for b in self.build_jobs if b.id != job.id]
        if job in self.build_jobs:
            pass  # RA611, reported with the build job
        elif builders and not any(b.id in closure for b in builders):
            names = ", ".join(repr(b.id) for b in builders)
            self.add(
                "RA614",
                f"publish {job.label} does not 'needs:' the build job ({names}), so it can "
                "start before dist/ exists",
                job.needs_line,
                f"add 'needs: [{builders[0].id}]' to {job.label}",
            )
        if job not in self.build_jobs and builders:
            self.hand_over(job, [b for b in builders if b.id in closure] or builders)
        self.target(job)
        if job.environment is None:
            self.add(
                "RA623",
                f"publish {job.label} has no 'environment'",
                job.environment_missing_line,
                f"add 'environment: {publish_target(job)}' to {job.label} (the same name you "
                "register on the index) and protect it with required reviewers",
            )

    def hand_over(self, job: Job, builders: list[Job]) -> None:
        publish = job.publish_steps[0]
        packages_dir, _ = publish.input("packages-dir", "packages_dir")
        wanted_dir = _norm_dir(packages_dir or "dist")
        downloads = [s for s in job.steps if s.uses_action(DOWNLOAD) and s.index < publish.index]
        if not downloads:
            self.add(
                "RA616",
                f"publish {job.label} does not download the distributions before publishing",
                publish.line,
                f"add a step 'uses: {DOWNLOAD}@v4' with the build's artifact name and "
                f"'path: {wanted_dir}/' before the publish step",
            )
            return
        uploads = [upload for builder in builders for upload in _uploads(builder)]
        upload_names = [name for name, _ in uploads]
        for download in downloads:
            name, name_line = download.input("name")
            pattern, _ = download.input("pattern")
            merge, _ = download.input("merge-multiple")
            path, path_line = download.input("path")
            if _norm_dir(path or ".") != wanted_dir:
                where = f"{path!r}" if path else "the workspace root"
                self.add(
                    "RA616",
                    f"publish {job.label} downloads the distributions into "
                    f"{where}, but the publish step reads {wanted_dir}/",
                    path_line if path else download.line,
                    f"set 'path: {wanted_dir}/' on the download step",
                )
            dynamic = any("${{" in up for up in upload_names) or (name and "${{" in name)
            if not upload_names or dynamic:
                continue
            if name is None and (merge or "").lower() != "true":
                self.add(
                    "RA617",
                    f"publish {job.label} downloads every artifact without 'name:', each into "
                    "its own sub-directory, so the publish step finds no distributions",
                    download.line,
                    f"set 'name: {upload_names[0]}' on the download step",
                )
            elif name is not None and name not in upload_names:
                self.add(
                    "RA617",
                    f"publish {job.label} downloads artifact {name!r}, but the build uploads "
                    f"{', '.join(repr(n) for n in upload_names)}",
                    name_line,
                    f"use the same name on both sides: 'name: {upload_names[0]}'",
                )
            elif name is None and pattern is not None and not _matches(pattern, upload_names):
                self.add(
                    "RA617",
                    f"download pattern {pattern!r} matches none of the uploaded artifacts "
                    f"({', '.join(repr(n) for n in upload_names)})",
                    download.line,
                    f"set 'name: {upload_names[0]}' on the download step",
                )

    def target(self, job: Job) -> None:
        from release_assistant.core.urls import (
            TESTPYPI_LEGACY_UPLOAD_URL,
            is_test_index_url,
            same_upload_url,
        )

        target = publish_target(job)
        for step in job.publish_steps:
            url, line = repository_url(step)
            if target == "testpypi" and not (
                url and same_upload_url(url, TESTPYPI_LEGACY_UPLOAD_URL)
            ):
                what = f"'repository-url: {url}'" if url else "no 'repository-url'"
                self.add(
                    "RA624",
                    f"TestPyPI publish {job.label} has {what}, so it uploads to the wrong index",
                    line,
                    f"set 'repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}' under 'with:'",
                )
            elif target == "pypi" and url and is_test_index_url(url):
                self.add(
                    "RA625",
                    f"PyPI publish {job.label} points 'repository-url' at the test index",
                    line,
                    "remove 'repository-url' from this PyPI publish step (or rename the job "
                    "and environment to 'testpypi' if it is the test upload)",
                )
            if (step.ref or "").lower() in ("master", "main"):
                self.warn(
                    "RA632",
                    f"{PUBLISH_ACTION}@{step.ref} is the action's retired branch",
                    step.uses_line,
                    f"use 'uses: {PUBLISH_ACTION}@release/v1' (or a commit SHA)",
                )

    # -- permissions ---------------------------------------------------------------------------

    def permissions(self) -> None:
        top = self.wf.permissions
        top_grants = top is not None and top.grants("id-token")
        if top is not None and top_grants:
            what = "write-all" if top.everything == "write-all" else "'id-token: write'"
            self.add(
                "RA621",
                f"{what} is granted at workflow level, so every job (tests, build) can mint "
                "an OIDC token for the index",
                top.line_for("id-token"),
                "set 'permissions: {}' (or 'contents: read') at workflow level and "
                "'permissions: {id-token: write}' only on the publish jobs",
            )
        publishers = {job.id for job in [*self.publish_jobs, *self.reusable_publishers]}
        for job in self.publish_jobs:
            perms = job.permissions
            if perms is None and top_grants:
                continue  # works; RA621 asks to move it to the job
            if perms is None or not perms.grants("id-token"):
                self.add(
                    "RA620",
                    f"publish {job.label} lacks 'id-token: write', so it cannot get the OIDC "
                    "token trusted publishing needs",
                    perms.line if perms is not None else job.line,
                    f"add 'permissions: {{id-token: write}}' to {job.label}",
                )
        for job in self.wf.jobs.values():
            perms = job.permissions
            if job.id in publishers or perms is None or not perms.grants("id-token"):
                continue
            self.warn(
                "RA622",
                f"{job.label} gets 'id-token: write' but does not publish",
                perms.line_for("id-token"),
                f"remove 'id-token: write' from {job.label}",
            )

    # -- credentials and pinning --------------------------------------------------------------

    def credentials(self) -> None:
        jobs = {job.id: job for job in [*self.build_jobs, *self.publish_jobs]}
        for job in jobs.values():
            for step in job.steps_using(CHECKOUT):
                value, line = step.input("persist-credentials")
                if (value or "").lower() != "false":
                    self.warn(
                        "RA630",
                        f"{step.label} in {job.label} leaves the GitHub token in .git/config "
                        "for every later step",
                        line if value is not None else step.line,
                        "add 'with: {persist-credentials: false}' to the checkout step",
                    )

    def pinning(self) -> None:
        rules = self.ctx.config.workflow_rules
        if not rules.require_pinned_actions:
            return
        exempt = {owner.lower() for owner in rules.unpinned_allowed_owners}
        for job in self.wf.jobs.values():
            refs = [(step.uses, step.uses_line) for step in job.steps]
            refs.append((job.uses, job.uses_line))
            for uses, line in refs:
                if not uses or uses.startswith("./") or "@" not in uses:
                    continue
                if uses.startswith("docker://"):
                    if "@sha256:" not in uses:
                        self.warn(
                            "RA631",
                            f"'{uses}' is not pinned to an image digest",
                            line,
                            "pin it: 'docker://image@sha256:<digest>'",
                        )
                    continue
                action, ref = uses.split("@", 1)
                owner = action.split("/", 1)[0].lower()
                if owner in exempt or _SHA.match(ref.strip()):
                    continue
                self.warn(
                    "RA631",
                    f"third-party action '{uses}' is not pinned to a commit SHA "
                    "(a moved tag runs different code in your release)",
                    line,
                    f"pin it: 'uses: {action}@<40-hex commit SHA>  # {ref}' (or allow the "
                    "owner in [tool.release-assistant.workflow_rules] unpinned_allowed_owners)",
                )


def _build_steps(job: Job) -> list[Step]:
    return [
        step
        for step in job.steps
        if _BUILD_RUN.search(step.run or "") or any(step.uses_action(a) for a in BUILD_ACTIONS)
    ]


def _validates(step: Step) -> bool:
    return bool(_VALIDATE_RUN.search(step.run or "")) or step.uses_action(HYNEK)


def _uploads(job: Job) -> list[tuple[str, int]]:
    """``(artifact name, line)`` of every upload of the distributions in ``job``."""
    found: list[tuple[str, int]] = []
    for step in job.steps:
        if step.uses_action(HYNEK):
            suffix, _ = step.input("upload-name-suffix")
            found.append((HYNEK_ARTIFACT + (suffix or ""), step.line))
        elif step.uses_action(UPLOAD):
            path, _ = step.input("path")
            if path is None or "dist" not in path:
                continue
            name, line = step.input("name")
            found.append((name or "artifact", line))
    return found


def _matches(pattern: str, names: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for name in names)


def _norm_dir(path: str) -> str:
    text = path.strip()
    for prefix in ("${{ github.workspace }}/", "${{github.workspace}}/", "$GITHUB_WORKSPACE/"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    while text.startswith("./"):
        text = text[2:]
    text = text.rstrip("/")
    return text or "."


def publishing_workflows(ctx: RepoContext) -> Iterable[Path]:
    """The configured workflow (when it exists) and every other workflow that publishes."""
    configured = ctx.root / ctx.config.workflow
    if configured.is_file():
        yield configured
    for path in workflow_files(ctx.root):
        if path.resolve() != configured.resolve() and _publishes(path):
            yield path
