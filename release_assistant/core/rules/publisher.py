"""The rules of the `publisher` check: one entry per finding code."""

from __future__ import annotations

from release_assistant.core.findings import Severity
from release_assistant.core.rules.rule import Rule
from release_assistant.core.rules.texts import PUBLISHER_FIX
from release_assistant.core.urls import PYPI_PENDING_PUBLISHER_URL, TROUBLESHOOTING_DOCS_URL

NO_ORIGIN = Rule(
    "RA701",
    "No origin remote",
    "Without an origin remote the owner and repository PyPI will see cannot be derived.",
    "git remote add origin https://github.com/OWNER/REPOSITORY.git",
    severity=Severity.WARNING,
)

ORIGIN_NOT_ON_GITHUB = Rule(
    "RA702",
    "Origin is not a repository on the GitHub host",
    "The origin remote points at another host (or is a local path), so the owner and "
    "repository cannot be derived for GitHub.",
    "Point origin at the GitHub repository that runs the workflow, or set github_host in "
    "[tool.release-assistant.publisher] for GitHub Enterprise.",
    severity=Severity.WARNING,
)

OWNER_NOT_RECOGNIZED = Rule(
    "RA703",
    "Publisher not recognized: owner",
    "The owner registered on the index (as recorded in [tool.release-assistant.publisher]) "
    "differs from the repository's owner; the upload fails with invalid-publisher.",
    PUBLISHER_FIX,
    TROUBLESHOOTING_DOCS_URL,
)

REPOSITORY_NOT_RECOGNIZED = Rule(
    "RA704",
    "Publisher not recognized: repository",
    "The repository name registered on the index differs from the repository that runs the "
    "workflow (renamed or forked repositories are the usual cause).",
    PUBLISHER_FIX,
    TROUBLESHOOTING_DOCS_URL,
)

WORKFLOW_NOT_RECOGNIZED = Rule(
    "RA705",
    "Publisher not recognized: workflow",
    "The index compares the workflow's file name (release.yml, not a path and not the "
    "workflow's display name) with the registered one.",
    PUBLISHER_FIX,
    TROUBLESHOOTING_DOCS_URL,
)

ENVIRONMENT_NOT_RECOGNIZED = Rule(
    "RA706",
    "Publisher not recognized: environment (PyPI)",
    "A publisher registered with an environment accepts only jobs that run in exactly that "
    "environment.",
    PUBLISHER_FIX,
    TROUBLESHOOTING_DOCS_URL,
)

TEST_ENVIRONMENT_NOT_RECOGNIZED = Rule(
    "RA707",
    "Publisher not recognized: environment (TestPyPI)",
    "The TestPyPI publisher is registered with a different environment than the TestPyPI "
    "publish job uses.",
    PUBLISHER_FIX,
    TROUBLESHOOTING_DOCS_URL,
)

PUBLISHER_FOR_OTHER_PROJECT = Rule(
    "RA708",
    "Publisher registered for another project",
    "The recorded project differs from [project].name; the publisher must be added to the "
    "project being uploaded.",
    "Register the publisher for the project named in pyproject.toml and set project to it.",
)

NO_WORKFLOW_FOR_IDENTITY = Rule(
    "RA709",
    "No publishing workflow to derive the identity from",
    "The workflow file and the environments are read from the workflow that uploads to "
    "PyPI (with pypa/gh-action-pypi-publish, uv publish, twine upload, ...); no workflow "
    "does.",
    "Run `release-assistant workflow init`.",
    severity=Severity.WARNING,
)

RUNTIME_ENVIRONMENT = Rule(
    "RA710",
    "Environment computed at run time",
    "An environment name like ${{ ... }} is only known when the workflow runs, so it "
    "cannot be compared with the registered one.",
    "Write the environment name literally in the publish job.",
    severity=Severity.WARNING,
)

NO_PROJECT_NAME = Rule(
    "RA711",
    "No project name",
    "pyproject.toml has no [project].name (nor [tool.poetry].name), so the project to "
    "register is unknown.",
    'Add name = "<project>" under [project].',
    severity=Severity.WARNING,
)

PUBLISHER_IDENTITY = Rule(
    "RA712",
    "The identity PyPI will see",
    "Informational: the owner, repository, workflow file and environments derived from "
    "this repository.",
    "Register exactly these values; `release-assistant setup` prints them with the form's address.",
    PYPI_PENDING_PUBLISHER_URL,
    severity=Severity.INFO,
)

CASE_ONLY_DIFFERENCE = Rule(
    "RA713",
    "Owner or repository differs only in letter case",
    "GitHub treats names case-insensitively, but what you type on the index should be "
    "spelled as GitHub shows it.",
    "Copy the owner and repository from the repository's GitHub page.",
    severity=Severity.WARNING,
)

OIDC_CLAIMS = Rule(
    "RA714",
    "The claims PyPI will compare",
    "Info: the OIDC token GitHub gives the PyPI publish job carries claims — repository, "
    "repository_owner, job_workflow_ref (owner/repo/.github/workflows/FILE@REF), ref, "
    "environment and sub (repo:OWNER/REPO:environment:ENV). PyPI accepts the upload only "
    "when they match the registered trusted publisher; a mismatch is the "
    "invalid-publisher error, after the tag is pushed.",
    "Register exactly these values (`release-assistant setup` lists them), or record "
    "them in [tool.release-assistant.publisher] so `check` compares them.",
    severity=Severity.INFO,
)

REFUSED_FORM_VALUE = Rule(
    "RA715",
    "A value PyPI's publisher form refuses",
    "PyPI's form for a GitHub trusted publisher accepts an owner of letters, digits and "
    "'-' (not first), a repository of letters, digits, '-', '_' and '.', a workflow file "
    "name (no directory) ending in .yml or .yaml, and an environment of at most 255 "
    "characters without control characters, quotes, backticks, ',', ';' or '\\'. A "
    "value outside these rules cannot be registered, so the publish cannot succeed.",
    "Correct the value the finding names, in [tool.release-assistant.publisher] or in the "
    "workflow (an environment is renamed in the workflow and on GitHub).",
)

VERSION_ALREADY_ON_INDEX = Rule(
    "RA716",
    "The version is already on the index",
    "The index already has a release of this version (compared by PEP 440: 1.0 and "
    '1.0.0 are one version). Its files cannot be replaced: the upload fails with "File '
    'already exists", or, with skip-existing: true in the publish step, uploads nothing '
    "while the run goes green, so the tag would announce files that were never built "
    "from it.",
    "Release the next version instead: release-assistant bump patch (or the part that "
    "fits), then tag that. A yanked release still holds its version.",
)

NEW_PROJECT = Rule(
    "RA717",
    "A new project on the index",
    "Info: the index has no project of this name yet; the first upload creates it. With "
    "trusted publishing that works only through a pending publisher, registered on your "
    "account's publishing page before the first run (a project's own publisher page "
    "exists only once the project does).",
    "Run `release-assistant setup`: it lists the values for the pending-publisher form "
    "and the page to enter them on.",
    PYPI_PENDING_PUBLISHER_URL,
    severity=Severity.INFO,
)

INDEX_NOT_ASKED = Rule(
    "RA718",
    "The index was not asked about the version",
    "Info: whether the index already has the version is asked through its JSON API "
    "within 3 seconds; offline, or with the index slow or answering an error, the "
    "question stays open (the check is not failed for what the network does).",
    "Run the check again online before tagging; or look the version up on the "
    "project's page on the index.",
    severity=Severity.INFO,
)

RULES: tuple[Rule, ...] = (
    NO_ORIGIN,
    ORIGIN_NOT_ON_GITHUB,
    OWNER_NOT_RECOGNIZED,
    REPOSITORY_NOT_RECOGNIZED,
    WORKFLOW_NOT_RECOGNIZED,
    ENVIRONMENT_NOT_RECOGNIZED,
    TEST_ENVIRONMENT_NOT_RECOGNIZED,
    PUBLISHER_FOR_OTHER_PROJECT,
    NO_WORKFLOW_FOR_IDENTITY,
    RUNTIME_ENVIRONMENT,
    NO_PROJECT_NAME,
    PUBLISHER_IDENTITY,
    CASE_ONLY_DIFFERENCE,
    OIDC_CLAIMS,
    REFUSED_FORM_VALUE,
    VERSION_ALREADY_ON_INDEX,
    NEW_PROJECT,
    INDEX_NOT_ASKED,
)
