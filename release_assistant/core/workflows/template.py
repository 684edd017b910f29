"""The release workflow ``release-assistant workflow init`` writes.

It follows the trusted-publishing model the ``workflow`` check enforces::

    release published -> verify (tests, metadata, `release-assistant report` for the tag, the
    verification report kept as an artifact) -> build (uploads dist/)
                      -> publish-testpypi (environment testpypi) -> publish-pypi (environment pypi)

A GitHub *pre-release* stops after TestPyPI, which makes the first-time test release easy.

Each publish job has ``id-token: write`` at job level only, downloads the exact ``dist/`` the
build job uploaded and runs ``pypa/gh-action-pypi-publish`` without any token. PyPI waits for
TestPyPI, so every release is a test upload first. The text is parameterized from the project:
the Python version from ``requires-python``, ``uv build`` when ``uv.lock`` exists (else
``python -m build``), and pytest when a ``tests/`` directory exists.

With ``verify_action`` the verify job checks the release with release-assistant's own GitHub
Action (:data:`ACTION`, the ``uses:`` line the README documents), for the release's tag, and
keeps the report the action writes; ``build`` needs ``verify``, so nothing is built or
published unless the check passed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from release_assistant.core.support.errors import InputError
from release_assistant.core.support.toml_lines import TomlDocument

#: CPython versions the generated workflow prefers, newest first. The newest release is left
#: out on purpose: dependencies often lack wheels for it in its first months.
PYTHON_VERSIONS: tuple[str, ...] = ("3.13", "3.12", "3.11", "3.10", "3.9", "3.8")
#: Taken only when ``requires-python`` admits none of the preferred ones (e.g. ``>=3.14``).
NEWER_PYTHON_VERSIONS: tuple[str, ...] = ("3.14", "3.15", "3.16")
DEFAULT_PYTHON = "3.12"
ARTIFACT_NAME = "python-package-distributions"
TEST_EXTRAS: tuple[str, ...] = ("test", "tests", "testing", "dev")
#: This project's GitHub Action (``action.yml`` at its repository's root), as the README's
#: "Use it in your release workflow" section spells its ``uses:`` line.
ACTION = "OWNER/release-assistant"
#: The project whose own workflow runs the action from its checkout (``uses: ./``).
THIS_PROJECT = "release-assistant"
#: Where the action writes the verification report on the runner.
ACTION_REPORT_DIR = "${{ runner.temp }}/release-assistant"
_PYTHON_VERSION = re.compile(r"^3\.\d{1,2}$")
#: A ref as ``uses:`` takes it after the ``@``: a commit SHA, a tag or a branch.
_ACTION_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")


class TemplateError(InputError):
    """The workflow cannot be written (e.g. it exists and ``force`` was not given)."""


@dataclass(frozen=True, slots=True)
class TemplateOptions:
    """Everything the generated workflow depends on."""

    project: str | None
    python_version: str
    use_uv: bool
    run_tests: bool
    test_extra: str | None
    workflow_file: str = "release.yml"
    pypi_environment: str = "pypi"
    testpypi_environment: str = "testpypi"
    #: Upload to TestPyPI first (and stop there for GitHub pre-releases).
    testpypi: bool = True
    #: Link each environment to the project's page on the index (``environment.url``).
    environment_urls: bool = True
    #: The verify job checks the release with release-assistant's GitHub Action
    #: (:data:`ACTION`) instead of installing and running the tool in a ``run:`` step.
    verify_action: bool = False
    #: The action's ref: a commit SHA pins it; default the tag of the running version.
    action_ref: str | None = None


def action_uses(options: TemplateOptions) -> str:
    """The ``uses:`` value of the verify job's action step.

    This project's own workflow runs the action of the checked-out tag (``./``); any other
    project names :data:`ACTION` at ``action_ref``, by default the tag of the release-assistant
    that writes the workflow (which the ``workflow`` check asks to pin to its commit, RA631).
    """
    if options.project == THIS_PROJECT:
        return "./"
    from release_assistant import __version__

    return f"{ACTION}@{options.action_ref or 'v' + __version__}"


def is_python_version(text: str) -> bool:
    """True for ``3.12``-style versions (what ``actions/setup-python`` takes)."""
    return bool(_PYTHON_VERSION.match(text))


def is_action_ref(text: str) -> bool:
    """True for a ref ``uses:`` can name after the ``@`` (a commit SHA, a tag, a branch)."""
    return bool(_ACTION_REF.match(text)) and ".." not in text


def python_version_for(requires_python: str | None) -> str:
    """The newest of :data:`PYTHON_VERSIONS` that ``requires-python`` admits.

    A specifier that admits none of them gets the oldest newer release it admits; no (valid)
    specifier, or one that admits nothing known, gets :data:`DEFAULT_PYTHON`.
    """
    if not requires_python:
        return DEFAULT_PYTHON
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        spec = SpecifierSet(requires_python)
    except InvalidSpecifier:
        return DEFAULT_PYTHON
    for version in (*PYTHON_VERSIONS, *NEWER_PYTHON_VERSIONS):
        if spec.contains(f"{version}.0", prereleases=True) or spec.contains(version):
            return version
    return DEFAULT_PYTHON


def options_for(
    root: Path,
    pyproject: TomlDocument | None,
    *,
    python: str | None = None,
    workflow_file: str = "release.yml",
    pypi_environment: str | None = None,
    testpypi_environment: str | None = None,
    testpypi: bool = True,
    environment_urls: bool = True,
    verify_action: bool = False,
    action_ref: str | None = None,
) -> TemplateOptions:
    """Derive the template's parameters from the project at ``root``."""
    project: dict[str, Any] = {}
    if pyproject is not None and isinstance(pyproject.data.get("project"), dict):
        project = pyproject.data["project"]
    name = project.get("name") if isinstance(project.get("name"), str) else None
    requires = project.get("requires-python")
    extras = project.get("optional-dependencies")
    test_extra = None
    if isinstance(extras, dict):
        test_extra = next((extra for extra in TEST_EXTRAS if extra in extras), None)
    return TemplateOptions(
        project=name,
        python_version=python
        or python_version_for(requires if isinstance(requires, str) else None),
        use_uv=(root / "uv.lock").is_file(),
        run_tests=(root / "tests").is_dir(),
        test_extra=test_extra,
        workflow_file=workflow_file,
        pypi_environment=pypi_environment or "pypi",
        testpypi_environment=testpypi_environment or "testpypi",
        testpypi=testpypi,
        environment_urls=environment_urls,
        verify_action=verify_action,
        action_ref=action_ref,
    )


def _checkout() -> list[str]:
    return [
        "      - uses: actions/checkout@v4",
        "        with:",
        "          # The token would stay in .git/config for every later step.",
        "          persist-credentials: false",
    ]


def _setup_python(version: str) -> list[str]:
    return [
        "      - uses: actions/setup-python@v5",
        "        with:",
        f'          python-version: "{version}"',
    ]


def _block(name: str, commands: list[str]) -> list[str]:
    if len(commands) == 1:
        return [f"      - name: {name}", f"        run: {commands[0]}"]
    return [f"      - name: {name}", "        run: |", *(f"          {c}" for c in commands)]


def _verify_steps(options: TemplateOptions) -> list[str]:
    steps = [*_checkout(), *_setup_python(options.python_version)]
    if options.run_tests:
        if options.use_uv:
            steps += _block("Install uv", ["python -m pip install uv"])
            steps += _block("Run the tests", ["uv run --locked --with pytest python -m pytest -q"])
        else:
            target = f'".[{options.test_extra}]"' if options.test_extra else "."
            steps += _block("Install", [f"python -m pip install {target} pytest"])
            steps += _block("Run the tests", ["python -m pytest -q"])
    steps += _block(
        "Validate the pyproject.toml metadata",
        ["python -m pip install validate-pyproject", "validate-pyproject pyproject.toml"],
    )
    # The release run checks the release too: tag, version, changelog, lock, workflow and
    # the configured gates, with the verification report kept beside the run. The tag
    # reaches the shell through `env`, never `${{ }}` inside `run:` (template injection);
    # `git` is skipped because the run checks out the tag (a detached HEAD by design).
    if options.verify_action:
        uses = action_uses(options)
        steps += [
            "      - name: Check the release (release-assistant action)",
            "        # The release's tag; the Markdown report goes to the job summary.",
        ]
        if uses == "./":
            # zizmor suggests the newer `$/` spelling; `./` runs on every GitHub version.
            steps += [
                "        # The action of the checked-out tag (`./` runs on every GitHub).",
                "        uses: ./  # zizmor: ignore[self-repository]",
            ]
        else:
            steps.append(f"        uses: {uses}")
        steps += [
            "        with:",
            "          tag: ${{ github.event.release.tag_name }}",
            "          args: --skip git",
        ]
        report = f"{ACTION_REPORT_DIR}/verification-report.*"
    else:
        installer = "." if options.project == THIS_PROJECT else THIS_PROJECT
        steps += [
            "      - name: Check the release (release-assistant)",
            "        env:",
            "          TAG: ${{ github.event.release.tag_name }}",
            "        run: |",
            f"          python -m pip install {installer}",
            '          release-assistant report --skip git --tag "$TAG" \\',
            "            --output-json verification-report.json --output-md verification-report.md",
        ]
        report = "verification-report.*"
    steps += [
        "      - name: Keep the verification report",
        "        if: always()",
        "        uses: actions/upload-artifact@v4",
        "        with:",
        "          name: verification-report",
        f"          path: {report}",
    ]
    return steps


def _build_steps(options: TemplateOptions) -> list[str]:
    steps = [*_checkout(), *_setup_python(options.python_version)]
    if options.use_uv:
        build = ["python -m pip install uv", "uv build"]
    else:
        build = ["python -m pip install build", "python -m build"]
    steps += _block("Build the sdist and the wheel", build)
    steps += _block(
        "Check the distributions' metadata",
        ["python -m pip install twine", "python -m twine check --strict dist/*"],
    )
    steps += [
        "      - name: Upload dist/",
        "        uses: actions/upload-artifact@v4",
        "        with:",
        f"          name: {ARTIFACT_NAME}",
        "          path: dist/",
        "          if-no-files-found: error",
    ]
    return steps


def _publish_job(
    options: TemplateOptions, *, job_id: str, title: str, test_index: bool, needs: str
) -> list[str]:
    from release_assistant.core.urls import TESTPYPI_LEGACY_UPLOAD_URL, project_url

    environment = options.testpypi_environment if test_index else options.pypi_environment
    lines = [f"  {job_id}:", f"    name: {title}", f"    needs: {needs}"]
    if not test_index and options.testpypi:
        lines += [
            "    # A GitHub pre-release is a test release: it stops after TestPyPI.",
            "    if: ${{ !github.event.release.prerelease }}",
        ]
    lines += [
        "    runs-on: ubuntu-latest",
        "    environment:",
        f"      name: {environment}",
    ]
    if options.project and options.environment_urls:
        lines.append(f"      url: {project_url(options.project, test_index=test_index)}")
    lines += [
        "    permissions:",
        "      # Only this job may mint the OIDC token the index trusts.",
        "      id-token: write",
        "    steps:",
        "      - name: Download dist/",
        "        uses: actions/download-artifact@v4",
        "        with:",
        f"          name: {ARTIFACT_NAME}",
        "          path: dist/",
        f"      - name: {title}",
        "        uses: pypa/gh-action-pypi-publish@release/v1",
    ]
    if test_index:
        lines += [
            "        with:",
            f"          repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}",
            "          # Re-running the workflow must not fail on files uploaded before.",
            "          skip-existing: true",
        ]
    return lines


def _testpypi_job(options: TemplateOptions) -> list[str]:
    if not options.testpypi:
        return []
    job = _publish_job(
        options,
        job_id="publish-testpypi",
        title="Publish to TestPyPI",
        test_index=True,
        needs="[build]",
    )
    return [*job, ""]


def render_workflow(options: TemplateOptions) -> str:
    """The workflow text for ``options`` (valid YAML that passes the ``workflow`` check)."""
    header = [
        "# Written by `release-assistant workflow init`; edit freely, then run",
        "# `release-assistant check --only workflow,publisher` to keep it on the model.",
        "#",
        *(
            [
                "# Publishing a GitHub release runs: verify -> build -> publish-testpypi -> "
                "publish-pypi;",
                "# a GitHub pre-release stops after TestPyPI (a test release).",
            ]
            if options.testpypi
            else ["# Publishing a GitHub release runs: verify -> build -> publish-pypi."]
        ),
        "# No API token is stored anywhere: each publish job gets a short-lived OIDC token",
        "# (id-token: write) that the index accepts for the trusted publisher registered there",
        f"# (owner, repository, workflow file {options.workflow_file!r}, environment).",
        "# `release-assistant setup` lists the exact values to register.",
        "name: Release",
        "",
        "on:",
        "  release:",
        "    types: [published]",
        "",
        "permissions:",
        "  contents: read",
        "",
        "jobs:",
        "  verify:",
        "    name: Tests and metadata",
        "    runs-on: ubuntu-latest",
        "    steps:",
        *_verify_steps(options),
        "",
        "  build:",
        "    name: Build distributions",
        "    needs: [verify]",
        "    runs-on: ubuntu-latest",
        "    steps:",
        *_build_steps(options),
        "",
        *_testpypi_job(options),
        *_publish_job(
            options,
            job_id="publish-pypi",
            title="Publish to PyPI",
            test_index=False,
            needs="[build, publish-testpypi]" if options.testpypi else "[build]",
        ),
    ]
    return "\n".join(header) + "\n"


@dataclass(frozen=True, slots=True)
class InitPlan:
    """What ``workflow init`` will write, and where."""

    path: Path
    relpath: str
    text: str
    exists: bool


def plan_init(
    root: Path,
    relpath: str,
    pyproject: TomlDocument | None,
    *,
    python: str | None = None,
    pypi_environment: str | None = None,
    testpypi_environment: str | None = None,
    testpypi: bool = True,
    environment_urls: bool = True,
    verify_action: bool = False,
    action_ref: str | None = None,
) -> InitPlan:
    """Render the workflow for the project at ``root`` without writing anything.

    The target is confined to the work tree (symlinks followed): a ``workflow`` setting or a
    ``.github/workflows`` that leads out of it is refused with
    :class:`~release_assistant.core.support.confined.OutsideRepository`, so ``init`` never
    writes outside the repository.
    """
    from release_assistant.core.support.confined import resolve_inside

    path = Path(resolve_inside(root, relpath, "[tool.release-assistant] workflow", "written"))
    options = options_for(
        root,
        pyproject,
        python=python,
        workflow_file=Path(relpath).name,
        pypi_environment=pypi_environment,
        testpypi_environment=testpypi_environment,
        testpypi=testpypi,
        environment_urls=environment_urls,
        verify_action=verify_action,
        action_ref=action_ref,
    )
    return InitPlan(path, relpath, render_workflow(options), path.exists())


def write_plan(plan: InitPlan, *, force: bool = False) -> None:
    """Write the planned workflow atomically; refuses to replace a file unless ``force``."""
    from release_assistant.core.support.textfiles import write_text_atomic

    if plan.path.exists() and not force:
        raise TemplateError(f"{plan.relpath} already exists; pass --force to overwrite it")
    if plan.path.is_dir():
        raise TemplateError(f"{plan.relpath} is a directory")
    if plan.path.exists() and not plan.path.is_file():
        raise TemplateError(f"{plan.relpath} is not a regular file, so it is not replaced")
    plan.path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(plan.path, plan.text)
