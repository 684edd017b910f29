"""Cause and fix for each trusted-publishing failure, by finding code or by symptom.

``release-assistant explain CODE`` prints an entry; the walkthrough shows the same text next
to a finding. Entries cover every ``workflow`` (RA6xx) and ``publisher`` (RA7xx) code, one
generic entry per gate code (RA8xx) unless a specific one exists, and the errors the publish
step itself prints at release time (``invalid-publisher``, a missing OIDC permission, no
distributions found), so a maintainer holding a failed run's log can look them up too.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from release_assistant.core.urls import (
    PYPI_PENDING_PUBLISHER_URL,
    TESTPYPI_LEGACY_UPLOAD_URL,
    TROUBLESHOOTING_DOCS_URL,
    TRUSTED_PUBLISHING_DOCS_URL,
)


@dataclass(frozen=True)
class Entry:
    """One troubleshooting entry."""

    key: str
    title: str
    cause: str
    fix: str
    docs: str | None = None
    aliases: tuple[str, ...] = ()

    def as_text(self, asked: str | None = None) -> str:
        """The entry as plain text for a terminal, headed by the code that was ``asked``."""
        key = asked.upper() if asked and self.key.endswith("xx") else self.key
        lines = [f"{key}: {self.title}", "", "Cause:", _fill(self.cause), "", "Fix:"]
        # Fix text keeps its line breaks (YAML snippets); only long prose lines are wrapped.
        lines += [
            _fill(line) if not line.startswith(" ") else f"  {line}"
            for line in self.fix.split("\n")
        ]
        if self.docs:
            lines += ["", f"More: {self.docs}"]
        return "\n".join(lines) + "\n"


def _fill(text: str) -> str:
    return textwrap.fill(
        text, width=88, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False
    )


_ID_TOKEN = "Give the publish job (only it) the permission:\n  permissions:\n    id-token: write"
_PUBLISHER_FIX = (
    "Compare the values `release-assistant setup` prints with the publisher registered on the\n"
    "index (project > Settings > Publishing, or the pending publisher on your account page).\n"
    "Owner, repository, workflow file name and environment must match exactly; fix the\n"
    "registration or the workflow, then re-run the failed job."
)

ENTRIES: tuple[Entry, ...] = (
    # -- workflow (RA6xx) -------------------------------------------------------------------
    Entry(
        "RA601",
        "Release workflow not found",
        "The configured workflow file (default .github/workflows/release.yml) does not exist, "
        "so nothing publishes the release, or publishing happens in a different file than the "
        "configuration says.",
        "Run `release-assistant workflow init` to write one, or set\n"
        'workflow = ".github/workflows/<file>.yml" in [tool.release-assistant].',
    ),
    Entry(
        "RA602",
        "Workflow file is invalid",
        "The file is not valid YAML, not a mapping, repeats a key, needs an unknown job or has "
        "'uses:' without '@ref'. GitHub rejects the whole workflow, so the release never runs.",
        "Fix the line the finding names. Indentation errors and an unclosed [ or { are the "
        "usual causes.",
    ),
    Entry(
        "RA603",
        "The release workflow does not publish with the trusted-publishing action",
        "No job runs pypa/gh-action-pypi-publish (or the upload is done with twine/uv/poetry "
        "publish in a run step, usually with an API token).",
        "Add publish jobs that run `uses: pypa/gh-action-pypi-publish@release/v1` with\n"
        "'id-token: write' (see `release-assistant workflow init`).",
        TRUSTED_PUBLISHING_DOCS_URL,
    ),
    Entry(
        "RA604",
        "Publishing is not tied to a release",
        "No trigger is a published GitHub release or a tag push, so the publish runs on events "
        "that do not mean 'release this version'.",
        "on:\n  release:\n    types: [published]",
    ),
    Entry(
        "RA605",
        "Release trigger fires on the wrong activity types",
        "'release' without 'types' fires on created, edited, published, deleted, ...; the "
        "publish then runs several times (and fails on files that already exist) or on a "
        "draft.",
        "on:\n  release:\n    types: [published]",
    ),
    Entry(
        "RA606",
        "Dangerous trigger on a publishing workflow",
        "pull_request_target and workflow_run run with the base repository's secrets and "
        "permissions on events that outside contributors can cause; in a workflow that can "
        "mint a publishing token they allow a pull request to publish.",
        "Remove the trigger from the publishing workflow; keep such automation in a separate "
        "workflow without id-token: write.",
    ),
    Entry(
        "RA607",
        "Another trigger runs the publish job",
        "A branch push, pull request or schedule also starts the workflow, and the publish job "
        "has no condition, so it tries to publish on every such event.",
        "Drop the trigger, or guard the publish jobs:\n"
        "  if: github.event_name == 'release' || startsWith(github.ref, 'refs/tags/')",
    ),
    Entry(
        "RA608",
        "Publishing from a reusable workflow",
        "The publish step runs in a workflow started by workflow_call (or the publish job "
        "calls one). PyPI's trusted publishing does not support reusable workflows: the token "
        "names the calling workflow, and the upload fails with invalid-publisher.",
        "Put the build and publish jobs in the top-level workflow file and register that "
        "file's name on the index.",
        TROUBLESHOOTING_DOCS_URL,
    ),
    Entry(
        "RA610",
        "No dedicated build job",
        "No job builds the distributions, so the publish job has nothing to upload (or builds "
        "them itself, with publishing permissions).",
        "Add a 'build' job that runs `python -m build` (or `uv build`) and uploads dist/ with\n"
        "actions/upload-artifact; make every publish job `needs: [build]`.",
    ),
    Entry(
        "RA611",
        "Publish step in the build job",
        "The job that builds also publishes: the build (and every build dependency it "
        "installs) runs in a job that can mint a publishing token.",
        "Split it: the build job uploads dist/; a separate publish job with id-token: write "
        "downloads it and publishes.",
    ),
    Entry(
        "RA612",
        "Build job runs as a matrix",
        "Every matrix run uploads an artifact of the same name; actions/upload-artifact v4 "
        "rejects the second upload, and different runs may build different files.",
        "Build the sdist and the pure wheel once in a job without a matrix, or include\n"
        "${{ matrix.* }} in the artifact name and download with pattern + merge-multiple: true.",
    ),
    Entry(
        "RA613",
        "Nothing validates before the build",
        "No tests or metadata checks run before the distributions are built and published, "
        "so a broken release reaches the index.",
        "Add a 'verify' job (tests, `twine check --strict`, validate-pyproject) and make the "
        "build job `needs: [verify]`.",
    ),
    Entry(
        "RA614",
        "Publish job does not wait for the build",
        "Without needs: [build] the publish job starts at the same time as the build, before "
        "the artifact exists.",
        "Add `needs: [build]` to the publish job.",
    ),
    Entry(
        "RA615",
        "Build does not upload dist/",
        "The publish job runs on a fresh runner; it only gets the distributions the build job "
        "uploads as an artifact.",
        "After the build step:\n"
        "  - uses: actions/upload-artifact@v4\n"
        "    with:\n      name: python-package-distributions\n      path: dist/",
    ),
    Entry(
        "RA616",
        "Publish job does not download dist/",
        "pypa/gh-action-pypi-publish uploads what is in dist/ (its packages-dir). Without a "
        "download into that directory it fails with 'No dists found'.",
        "Before the publish step:\n"
        "  - uses: actions/download-artifact@v4\n"
        "    with:\n      name: python-package-distributions\n      path: dist/",
        aliases=("no-dists", "no-dists-found", "artifact", "artifacts"),
    ),
    Entry(
        "RA617",
        "Artifact names do not match",
        "The publish job downloads an artifact name the build never uploaded, or downloads all "
        "artifacts without a name (each then lands in its own sub-directory of dist/), so the "
        "publish step finds no distributions.",
        "Use the same `name:` on upload-artifact and download-artifact.",
    ),
    Entry(
        "RA620",
        "Publish job lacks id-token: write",
        "Trusted publishing exchanges a GitHub OIDC token for an upload token; a job can only "
        "request it with id-token: write. The publish step fails with 'Trusted publishing "
        "exchange failure' about missing or insufficient OIDC token permissions.",
        _ID_TOKEN,
        TROUBLESHOOTING_DOCS_URL,
        aliases=("oidc", "oidc-permission", "id-token", "missing-id-token"),
    ),
    Entry(
        "RA621",
        "id-token: write granted to the whole workflow",
        "At workflow level the permission reaches every job: tests and build steps (and every "
        "package they install) could mint a publishing token.",
        "Set `permissions: {}` or `contents: read` at workflow level and grant id-token: write "
        "only in the publish jobs.",
    ),
    Entry(
        "RA622",
        "id-token: write on a job that does not publish",
        "Only jobs that publish need to mint an OIDC token; any other job holding the "
        "permission widens what a compromised step can do.",
        "Remove id-token: write from that job.",
    ),
    Entry(
        "RA623",
        "Publish job without an environment",
        "A deployment environment lets GitHub require a reviewer before the upload, and it is "
        "part of the identity the index checks; a publisher registered with an environment "
        "rejects runs without it.",
        "Add `environment: pypi` (or testpypi) to the publish job, create the environment in "
        "the repository settings and register the same name on the index.",
    ),
    Entry(
        "RA624",
        "TestPyPI publish without the test index's upload URL",
        "Without repository-url the action uploads to the production index; a wrong URL (for "
        "instance the /simple/ index) fails.",
        f"with:\n  repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}",
    ),
    Entry(
        "RA625",
        "PyPI publish points at the test index",
        "The job named for PyPI uploads to TestPyPI, so the real release never appears.",
        "Remove repository-url from the PyPI publish step (or rename the job and environment "
        "if it is the test upload).",
    ),
    Entry(
        "RA626",
        "Token publishing instead of trusted publishing",
        "The workflow passes an API token (password:, user: __token__, TWINE_PASSWORD, a "
        "*PYPI*TOKEN secret). Long-lived tokens leak; trusted publishing needs none.",
        "Delete the password/user inputs and token variables, give the publish job id-token: "
        "write, register the trusted publisher, then revoke the token on the index.",
        TRUSTED_PUBLISHING_DOCS_URL,
    ),
    Entry(
        "RA630",
        "Checkout keeps the GitHub token on disk",
        "actions/checkout writes the job's GITHUB_TOKEN into .git/config unless "
        "persist-credentials is false; every later step, including build backends and "
        "their plugins, can read it.",
        "- uses: actions/checkout@v4\n  with:\n    persist-credentials: false",
    ),
    Entry(
        "RA631",
        "Action not pinned to a commit",
        "A tag or branch can be moved to different code after you reviewed it; a release "
        "workflow then runs code nobody reviewed with publishing permissions.",
        "Pin third-party actions to a full commit SHA with the tag as a comment:\n"
        "  uses: owner/action@<40-hex SHA>  # v1.2.3\n"
        "Tune with [tool.release-assistant.workflow_rules] require_pinned_actions and "
        "unpinned_allowed_owners.",
    ),
    Entry(
        "RA632",
        "Publish action on its retired branch",
        "pypa/gh-action-pypi-publish's master branch is no longer updated.",
        "uses: pypa/gh-action-pypi-publish@release/v1",
    ),
    # -- publisher (RA7xx) ------------------------------------------------------------------
    Entry(
        "RA701",
        "No origin remote",
        "Without an origin remote the owner and repository PyPI will see cannot be derived.",
        "git remote add origin https://github.com/OWNER/REPOSITORY.git",
    ),
    Entry(
        "RA702",
        "Origin is not a repository on the GitHub host",
        "The origin remote points at another host (or is a local path), so the owner and "
        "repository cannot be derived for GitHub.",
        "Point origin at the GitHub repository that runs the workflow, or set github_host in "
        "[tool.release-assistant.publisher] for GitHub Enterprise.",
    ),
    Entry(
        "RA703",
        "Publisher not recognized: owner",
        "The owner registered on the index (as recorded in [tool.release-assistant.publisher]) "
        "differs from the repository's owner; the upload fails with invalid-publisher.",
        _PUBLISHER_FIX,
        TROUBLESHOOTING_DOCS_URL,
    ),
    Entry(
        "RA704",
        "Publisher not recognized: repository",
        "The repository name registered on the index differs from the repository that runs the "
        "workflow (renamed or forked repositories are the usual cause).",
        _PUBLISHER_FIX,
        TROUBLESHOOTING_DOCS_URL,
    ),
    Entry(
        "RA705",
        "Publisher not recognized: workflow",
        "The index compares the workflow's file name (release.yml, not a path and not the "
        "workflow's display name) with the registered one.",
        _PUBLISHER_FIX,
        TROUBLESHOOTING_DOCS_URL,
    ),
    Entry(
        "RA706",
        "Publisher not recognized: environment (PyPI)",
        "A publisher registered with an environment accepts only jobs that run in exactly that "
        "environment.",
        _PUBLISHER_FIX,
        TROUBLESHOOTING_DOCS_URL,
    ),
    Entry(
        "RA707",
        "Publisher not recognized: environment (TestPyPI)",
        "The TestPyPI publisher is registered with a different environment than the TestPyPI "
        "publish job uses.",
        _PUBLISHER_FIX,
        TROUBLESHOOTING_DOCS_URL,
    ),
    Entry(
        "RA708",
        "Publisher registered for another project",
        "The recorded project differs from [project].name; the publisher must be added to the "
        "project being uploaded.",
        "Register the publisher for the project named in pyproject.toml and set project to it.",
    ),
    Entry(
        "RA709",
        "No publishing workflow to derive the identity from",
        "The workflow file and the environments are read from the job that runs "
        "pypa/gh-action-pypi-publish; there is none.",
        "Run `release-assistant workflow init`.",
    ),
    Entry(
        "RA710",
        "Environment computed at run time",
        "An environment name like ${{ ... }} is only known when the workflow runs, so it "
        "cannot be compared with the registered one.",
        "Write the environment name literally in the publish job.",
    ),
    Entry(
        "RA711",
        "No project name",
        "pyproject.toml has no [project].name, so the project to register is unknown.",
        'Add name = "<project>" under [project].',
    ),
    Entry(
        "RA712",
        "The identity PyPI will see",
        "Informational: the owner, repository, workflow file and environments derived from "
        "this repository.",
        "Register exactly these values; `release-assistant setup` prints them with the form's "
        "address.",
        PYPI_PENDING_PUBLISHER_URL,
    ),
    Entry(
        "RA713",
        "Owner or repository differs only in letter case",
        "GitHub treats names case-insensitively, but what you type on the index should be "
        "spelled as GitHub shows it.",
        "Copy the owner and repository from the repository's GitHub page.",
    ),
    # -- gates (RA8xx), generic ---------------------------------------------------------------
    Entry(
        "RA8xx",
        "A release gate failed",
        "A configured gate ([tool.release-assistant.gates]) found its artifacts missing, "
        "malformed or failing their thresholds (for the parity gate: missing runs, failed "
        "non-inferiority, too many missing pairs, a lock mismatch).",
        "Read the finding's message and file; regenerate or fix the artifact, or run the gate "
        "alone: `release-assistant check --only gates`.",
        aliases=("gates", "gate"),
    ),
    # -- symptoms seen in a failed publish run ---------------------------------------------------
    Entry(
        "invalid-publisher",
        "Valid token, but no corresponding publisher",
        "The index got a valid GitHub OIDC token, but no registered trusted publisher matches "
        "its owner, repository, workflow file name and environment (a typo, a renamed "
        "repository or workflow, a missing or extra environment, a reusable workflow, or the "
        "publisher registered on the other index).",
        _PUBLISHER_FIX + "\nRun `release-assistant check --only workflow,publisher` first.",
        TROUBLESHOOTING_DOCS_URL,
        aliases=("publisher-not-recognized", "not-recognized"),
    ),
)

#: Specific gate entries may be added here by the gates check; others use ``RA8xx``.
_BY_KEY: dict[str, Entry] = {}
for _entry in ENTRIES:
    _BY_KEY[_entry.key.lower()] = _entry
    for _alias in _entry.aliases:
        _BY_KEY[_alias.lower()] = _entry

_GENERIC = re.compile(r"^ra(\d)\d\d$")


def explain(key: str) -> Entry | None:
    """The entry for a code (``RA604``), a gate code (``RA8xx`` fallback) or a symptom name."""
    wanted = key.strip().lower()
    entry = _BY_KEY.get(wanted)
    if entry is not None:
        return entry
    match = _GENERIC.match(wanted)
    if match is not None:
        return _BY_KEY.get(f"ra{match.group(1)}xx")
    return None


def known_keys() -> list[str]:
    """Every key ``explain`` accepts directly (codes and symptom names, no aliases)."""
    return [entry.key for entry in ENTRIES]
