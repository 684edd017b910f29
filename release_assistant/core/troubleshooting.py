"""Cause and fix for each trusted-publishing failure, by finding code or by symptom.

``release-assistant explain CODE`` prints an entry; the walkthrough shows the same text next
to a finding. Entries cover every code a check can emit: the engine (RA001), ``version``
(RA3xx), ``changelog`` (RA4xx), ``lock`` (RA5xx), ``workflow`` (RA6xx), ``publisher`` (RA7xx)
and the parity gate (RA8xx, with a generic RA8xx entry for gate codes without a specific one),
and the errors the publish step itself prints at release time (``invalid-publisher``, a missing
OIDC permission, no distributions found), so a maintainer holding a failed run's log can look
them up too. ``tests/test_explain_coverage.py`` fails when a new code has no entry.
"""

from __future__ import annotations

import re
import textwrap

from release_assistant.core.records import record
from release_assistant.core.urls import (
    PYPI_PENDING_PUBLISHER_URL,
    TESTPYPI_LEGACY_UPLOAD_URL,
    TROUBLESHOOTING_DOCS_URL,
    TRUSTED_PUBLISHING_DOCS_URL,
)


@record(frozen=True)
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
    # -- engine (RA0xx) ---------------------------------------------------------------------
    Entry(
        "RA001",
        "A check could not run",
        "The check stopped on a file it could not read (not UTF-8, malformed TOML, missing) or "
        "on an internal error, so it has no verdict. An errored check blocks the release like "
        "a failed one: nothing it should have verified was verified.",
        "Fix the file and line the finding names, then re-run\n"
        "`release-assistant check --only <check>`. If the message names an exception type "
        "rather than a file, report it as a bug.",
    ),
    # -- version (RA3xx) --------------------------------------------------------------------
    Entry(
        "RA301",
        "No project version found",
        "pyproject.toml is missing, declares no version ([project].version, "
        "[tool.poetry].version or 'version' in [project].dynamic), or the dynamic source it "
        "names (hatch path, setuptools attr/file, PDM file, flit __version__) cannot be read, "
        "so there is nothing to compare the tag with.",
        'Set version = "X.Y.Z" under [project], or list "version" in [project].dynamic and '
        "configure a supported source (hatch path/vcs, setuptools attr/file/scm, pdm file/scm, "
        'flit), with the file it names holding __version__ = "X.Y.Z".',
    ),
    Entry(
        "RA302",
        "Project version is not a valid PEP 440 version",
        "The declared version cannot be parsed as a PEP 440 version; build tools reject it and "
        "the index refuses the upload.",
        "Write the version as X.Y.Z, optionally with a pre-release (1.2.3rc1), post-release "
        "(1.2.3.post1) or dev (1.2.3.dev1) suffix.",
    ),
    Entry(
        "RA303",
        "Tag and project version disagree",
        "The release tag names one version and the project metadata (or its version file) "
        "another; the distributions would be built and published under the metadata's "
        "version, not the tag's.",
        "Set the version the finding names in the file it names (for instance\n"
        'version = "X.Y.Z" under [project]) and commit, or tag the version the project '
        "declares (`git tag vX.Y.Z` with your tag_format).",
    ),
    Entry(
        "RA304",
        "Tag names no version",
        "After removing the tag_format prefix and suffix (or as a bare tag) the tag is not a "
        "PEP 440 version, so the version under release is unknown.",
        'Tag as tag_format says, e.g. `git tag v1.2.3` for the default "v{version}", and pass '
        "it with --tag.",
    ),
    Entry(
        "RA305",
        "Tag does not follow tag_format",
        "Warning: the tag is a bare version (1.2.3 or v1.2.3) but not the configured "
        "tag_format, so release workflows that match tags by pattern may not fire and the "
        "tags become inconsistent.",
        "Tag as the finding's expected name, or set the pattern you use:\n"
        'tag_format = "v{version}" in [tool.release-assistant].',
    ),
    Entry(
        "RA306",
        "A version file disagrees",
        "A file listed in version_files (such as __init__.py) assigns a different version than "
        "the one under release, so the installed package would report the wrong "
        "__version__.",
        'Set the assignment on the named line to the release version (__version__ = "X.Y.Z").',
    ),
    Entry(
        "RA307",
        "Version file unreadable or without a version",
        "A file listed in version_files cannot be read (missing, not UTF-8), or neither its "
        'pattern nor the default (__version__/VERSION/version = "...") finds a version in it, '
        "so it cannot be checked.",
        "Fix the path in version_files under [tool.release-assistant], add\n"
        '__version__ = "X.Y.Z" to the file, or give the entry a pattern:\n'
        'version_files = [{ path = "...", pattern = "..." }] (a regex with a version group).',
    ),
    Entry(
        "RA308",
        "No changelog section for the version",
        "The changelog has no '## [X.Y.Z]' heading for the version under release, so the "
        "release ships without notes.",
        "Rename the heading '## [Unreleased]' to '## [X.Y.Z] - YYYY-MM-DD' (the release day) "
        "and add a new empty '## [Unreleased]' above it, or add a dated section for the "
        "version with its notes.",
    ),
    Entry(
        "RA309",
        "Version comes from git tags and no tag was given",
        "Warning: the version is computed from the git tag at build time (setuptools-scm, "
        "hatch-vcs, PDM scm); without --tag there is no version to compare, so the version "
        "and changelog checks cannot verify anything.",
        "Pass the release tag: `release-assistant check --tag vX.Y.Z`.",
    ),
    # -- changelog (RA4xx) ------------------------------------------------------------------
    Entry(
        "RA401",
        "Changelog not found",
        "The configured changelog (default CHANGELOG.md) does not exist, so the release has "
        "no notes to check or publish.",
        "Create CHANGELOG.md with a '## [Unreleased]' section (Keep a Changelog format), or "
        'point at yours: changelog = "<file>" in [tool.release-assistant].',
    ),
    Entry(
        "RA402",
        "Changelog heading version is not PEP 440",
        "A release heading's version cannot be parsed as a PEP 440 version, so it cannot be "
        "matched with a release or ordered.",
        "Write the heading as '## [X.Y.Z] - YYYY-MM-DD' with a version like 1.2.3, 1.2.3rc1 "
        "or 1.2.3.post1.",
    ),
    Entry(
        "RA403",
        "Version appears twice in the changelog",
        "Two release sections have the same version (often after a merge), so it is "
        "ambiguous which notes belong to the release.",
        "Merge the two sections into one and delete the duplicate heading.",
    ),
    Entry(
        "RA404",
        "Changelog versions are out of order",
        "Release sections must be newest first (strictly descending versions); a section "
        "below an older one is usually a misplaced paste or a mis-typed version.",
        "Move the section to its place, newest release at the top (below Unreleased), or "
        "fix the mis-typed version.",
    ),
    Entry(
        "RA405",
        "Changelog date is not an ISO date",
        "The date after a heading is not YYYY-MM-DD or not a real calendar day (2026-02-30), "
        "so readers and tools cannot tell when it was released.",
        "Write the heading as '## [X.Y.Z] - YYYY-MM-DD', e.g. 2026-01-31.",
    ),
    Entry(
        "RA406",
        "Changelog date in the future",
        "A release date is later than today; usually a typo in the year or month, or a "
        "section dated ahead of the actual release.",
        "Set the date to the day of the release (today's date for the version being released).",
    ),
    Entry(
        "RA407",
        "The release's changelog section is empty",
        "The section for the version being released has no notes (only blank lines, "
        "sub-headings or links), so the release says nothing about what changed.",
        "Write the release notes under the heading (e.g. '### Added', '### Fixed' with "
        "bullets), or move them there from Unreleased.",
    ),
    Entry(
        "RA408",
        "An older changelog section is empty",
        "Warning: a section for a version other than the one being released has no notes.",
        "Add what changed in that version, or remove the empty section.",
    ),
    Entry(
        "RA409",
        "'Unreleased' section misplaced or repeated",
        "There is more than one '## [Unreleased]' section, or it sits below released "
        "versions; notes collected there are then missed at release time.",
        "Keep one '## [Unreleased]' section at the top, above every release, and merge the "
        "others into it.",
    ),
    Entry(
        "RA410",
        "Changelog heading without a link definition",
        "Warning: the changelog defines links for some versions, but this bracketed heading "
        "has no '[label]: URL' definition and no inline link, so it renders as plain text.",
        "Add '[X.Y.Z]: <compare URL>' with the other link definitions at the bottom.",
    ),
    Entry(
        "RA411",
        "Changelog link definition without a heading",
        "Warning: a version link definition at the bottom matches no heading, usually left "
        "over after a heading was renamed or removed.",
        "Remove the definition, or add (or rename) the section it belongs to.",
    ),
    Entry(
        "RA412",
        "The release's changelog section has no date",
        "The section for the version being released has no release date.",
        "Write the heading as '## [X.Y.Z] - YYYY-MM-DD' with the release day.",
    ),
    Entry(
        "RA413",
        "No release headings in the changelog",
        "Warning: the changelog has neither an Unreleased section nor any '## [X.Y.Z] - "
        "YYYY-MM-DD' heading, so no version's notes can be found (often a different heading "
        "style, such as '# 1.2.3' or 'Version 1.2.3').",
        "Start with '## [Unreleased]' and add notes under it; rename existing headings to "
        "'## [X.Y.Z] - YYYY-MM-DD'.",
    ),
    Entry(
        "RA414",
        "'Unreleased' still holds notes at release time",
        "Warning: while releasing a version, the Unreleased section still has notes; if they "
        "ship in this release they are missing from its section.",
        "Move the notes under '## [X.Y.Z] - YYYY-MM-DD' if they ship now, leaving "
        "'## [Unreleased]' empty; keep them only if they are for a later release.",
    ),
    # -- lock (RA5xx) -----------------------------------------------------------------------
    Entry(
        "RA501",
        "Merge-conflict markers in a lock file",
        "The lock still holds <<<<<<< / ======= / >>>>>>> lines from a merge; the tool "
        "cannot read it, so installs and CI fail.",
        "Take either side (`git checkout --theirs uv.lock`) and regenerate the lock with its "
        "tool: `uv lock`, `poetry lock` or `pdm lock`. Never merge lock files by hand.",
    ),
    Entry(
        "RA502",
        "Lock file cannot be read",
        "The lock is not valid TOML, not UTF-8, or an entry is malformed (for uv.lock also a "
        "[[package]] entry that cannot be parsed, or a missing or invalid requires-python); "
        "the tool cannot read it either.",
        "Regenerate it: `uv lock`, `poetry lock` or `pdm lock`, and commit the result.",
    ),
    Entry(
        "RA503",
        "Unknown lock format version",
        "Warning: the lock's format version (uv.lock version, poetry.lock lock-version, "
        "pdm.lock lock_version) is one this check does not know, so it cannot tell whether "
        "the lock is in sync.",
        "Verify it with the tool that wrote it: `uv lock --check`, `poetry check --lock` or "
        "`pdm lock --check`.",
    ),
    Entry(
        "RA504",
        "Lock dependencies differ from pyproject.toml",
        "A dependency, extra, dependency group or [manifest] entry (constraints, overrides, "
        "excludes, dependency-metadata) in pyproject.toml differs from what uv.lock was "
        "resolved with; `uv lock --check` fails and `uv sync --locked` refuses to install.",
        "Run `uv lock` and commit the updated uv.lock.",
    ),
    Entry(
        "RA505",
        "Lock requires-python differs",
        "uv.lock was resolved for a different requires-python than the project (or the "
        "workspace members together) now declares, so uv considers it stale.",
        "Run `uv lock` and commit the updated uv.lock.",
    ),
    Entry(
        "RA506",
        "Locked project version differs",
        "uv.lock records a different version for a workspace project than its pyproject.toml "
        "declares, or the version changed between static and dynamic; a version bump without "
        "relocking is the usual cause.",
        "Run `uv lock` after bumping the version and commit uv.lock with it.",
    ),
    Entry(
        "RA507",
        "Workspace members changed since the lock",
        "A workspace member was added or removed, is missing from uv.lock, or changed between "
        "package and virtual (tool.uv.package, [build-system]) or editable and non-editable.",
        "Run `uv lock` and commit the updated uv.lock.",
    ),
    Entry(
        "RA508",
        "Resolver settings differ from the lock",
        "uv.lock was resolved with different settings than the project now sets (resolution, "
        "prerelease, fork-strategy, exclude-newer, environments, required-environments, "
        "conflicts, or an index the project no longer configures), from pyproject.toml, "
        "uv.toml or UV_* variables.",
        "Run `uv lock` and commit the updated uv.lock (or restore the setting the lock was "
        "made with).",
    ),
    Entry(
        "RA509",
        "Lock cannot be verified statically",
        "Warning: deciding would need the tool itself (dynamic dependencies that require a "
        "build, an unreadable workspace member, a path outside the repository, a pyproject "
        "without [project] for PDM, or a hash formula of an older tool version). It is not "
        "reported stale, but it is not verified either.",
        "Let the tool decide: `uv lock --check`, `poetry check --lock` or `pdm lock --check`; "
        "relock if it says so.",
    ),
    Entry(
        "RA510",
        "poetry.lock is stale (content-hash)",
        "The content-hash in poetry.lock does not match the dependency sections of "
        "pyproject.toml (or is missing, or [metadata] is missing); `poetry check --lock` "
        "fails and `poetry install` refuses to use the lock.",
        "Run `poetry lock` and commit the updated poetry.lock.",
    ),
    Entry(
        "RA511",
        "pdm.lock is stale (content_hash)",
        "The content_hash in pdm.lock does not match the dependencies, dependency groups, "
        "requires-python, tool.pdm.source or tool.pdm.resolution of pyproject.toml (or it is "
        "missing, [metadata] is missing, or lock_inputs is configured but not recorded).",
        "Run `pdm lock` and commit the updated pdm.lock.",
    ),
    Entry(
        "RA512",
        "pdm.lock uses lock_inputs",
        "Warning: the lock records lock_inputs (PDM 2.28.1+), which PDM validates instead of "
        "the content hash; this check does not recompute them.",
        "Verify it with `pdm lock --check`.",
    ),
    Entry(
        "RA513",
        "Lock file ignored by git",
        "Warning: a .gitignore rule excludes the lock, so CI and other maintainers never see "
        "it and resolve their own versions.",
        "Find the rule with `git check-ignore -v uv.lock` (or poetry.lock, pdm.lock), remove "
        "it, then `git add` the lock and commit.",
    ),
    Entry(
        "RA514",
        "Lock file not tracked by git",
        "Warning: the lock exists in the work tree but was never committed, so the release "
        "is built from a resolution nobody else has.",
        "`git add uv.lock` (or poetry.lock, pdm.lock) and commit it.",
    ),
    Entry(
        "RA515",
        "Duplicate package entries in a lock",
        "The same package (and version, or source) is listed twice, typically after a merge "
        "that combined both sides; uv refuses such a lock.",
        "Regenerate the lock: `uv lock`, `poetry lock` or `pdm lock`.",
    ),
    Entry(
        "RA516",
        "Published package depends on a local path",
        "Warning: a package that is built and published depends on another package through a "
        "local path source; the built wheel only names the dependency, so users get it from "
        "the index (a different version, or none at all).",
        "Publish the dependency and depend on a released version, or make it a member of the "
        "workspace; then run `uv lock`.",
    ),
    Entry(
        "RA517",
        "Non-portable path in a lock",
        "Warning: the lock refers to an absolute path, a path outside the repository or a "
        "file:// URL, which does not exist on other machines or in CI.",
        "Use a relative path inside the repository, a git or index source, and regenerate "
        "the lock (`uv lock`, `poetry lock` or `pdm lock`).",
    ),
    Entry(
        "RA518",
        "Credentials in a lock URL",
        "Warning: a URL in the lock carries a user name or password; anyone who can read "
        "the repository can use them.",
        "Remove the credentials from the index URL (use keyring or environment variables such "
        "as UV_INDEX_<NAME>_PASSWORD), rotate them, and regenerate the lock.",
    ),
    Entry(
        "RA519",
        "Locks of two tools side by side",
        "Warning: more than one of uv.lock, poetry.lock and pdm.lock exists; only one tool's "
        "lock is used and the other drifts out of date.",
        "Delete the lock of the tool the project no longer uses (`git rm <lock>`).",
    ),
    Entry(
        "RA520",
        "Tool configured but its lock is missing",
        "Warning: pyproject.toml configures uv, Poetry or PDM (or uv.toml exists) but the "
        "tool's lock file is absent, so installs are not reproducible.",
        "Run `uv lock`, `poetry lock` or `pdm lock` and commit the lock; for a library that "
        'deliberately does not pin, add "RA520" to ignore in [tool.release-assistant].',
    ),
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
    # -- gates: parity (RA8xx) --------------------------------------------------------------
    Entry(
        "RA801",
        "Parity gate inputs not configured",
        "The parity gate is configured but lacks its aggregate or its upstream lock, has "
        "neither runs nor required suites (so it would check nothing), or max_missing_pairs "
        "is negative.",
        "Complete [tool.release-assistant.gates.parity]: runs, aggregate, lock, "
        "required_suites and max_missing_pairs >= 0 (or pass --run, --aggregate, --lock, "
        "--required-suite, --max-missing-pairs to `release-assistant gate parity`).",
    ),
    Entry(
        "RA802",
        "Upstream lock file missing",
        "The upstream lock that pins each suite's upstream repository and commit does not "
        "exist, so no run can be tied to the upstream it was measured against.",
        "Commit the upstream lock at the configured path, or point gates.parity.lock (or "
        "--lock) at it.",
    ),
    Entry(
        "RA803",
        "Parity artifact unreadable or malformed",
        "A run, the aggregate or the upstream lock is not valid JSON, not UTF-8, not a JSON "
        "object at the top level, or has a field of the wrong type, so the gate cannot "
        "evaluate it.",
        "Fix the JSON at the line named, or regenerate the artifacts with\n"
        "`release-assistant gate parity run ...` and `release-assistant gate parity "
        "aggregate ...` rather than editing them by hand.",
    ),
    Entry(
        "RA804",
        "Run artifact missing",
        "A configured run artifact file does not exist.",
        "Generate it (`release-assistant gate parity run ... --output <file>`) or fix the path "
        "in gates.parity.runs (or --run).",
    ),
    Entry(
        "RA805",
        "Run artifact lacks suite.suite_id",
        "The run has no 'suite' object, or its suite.suite_id is missing, empty or not a "
        "string, so the gate cannot tell which suite it measured.",
        'Regenerate the run; it must carry {"suite": {"suite_id": "<suite id>"}}.',
    ),
    Entry(
        "RA806",
        "Two runs for the same suite",
        "Two run artifacts name the same suite_id; the gate would not know which result counts.",
        "Pass exactly one run per suite: remove the duplicate from gates.parity.runs (or --run).",
    ),
    Entry(
        "RA807",
        "Run fails non-inferiority",
        "A run's stats.pass_non_inferiority is not true (or 'stats' is missing): the candidate "
        "is measurably worse than upstream on that suite. The gate cannot be waived by "
        "editing the file.",
        "Fix the regression, re-run the suite and regenerate the run with\n"
        "`release-assistant gate parity run ...`.",
    ),
    Entry(
        "RA808",
        "Too many missing (task, seed) pairs",
        "A run's counts.upstream_only + counts.worldflux_only (or candidate_only) exceeds "
        "max_missing_pairs, or the counts are malformed; the comparison rests on too few "
        "matched pairs.",
        "Evaluate the missing pairs on both sides (see the run's 'missing' lists) and "
        "regenerate the run, or raise max_missing_pairs deliberately.",
    ),
    Entry(
        "RA809",
        "Run without evaluation_manifest",
        "The run has no evaluation_manifest object, so what was evaluated (tasks, seeds, "
        "settings) is not recorded.",
        "Regenerate the run with `release-assistant gate parity run ...`.",
    ),
    Entry(
        "RA810",
        "Run without artifact_integrity",
        "The run has no artifact_integrity object, so its inputs cannot be traced or verified.",
        "Regenerate the run with `release-assistant gate parity run ...`.",
    ),
    Entry(
        "RA811",
        "Suite absent from the upstream lock",
        "The run's suite has no pin in the upstream lock, so the upstream it was compared "
        "with is not fixed.",
        'Pin it in the upstream lock: "suites": {"<suite_id>": {"repo": "...", "commit": '
        '"<sha>"}}.',
    ),
    Entry(
        "RA812",
        "Upstream commit metadata missing",
        "The run's sources.upstream.commit or the lock's commit for the suite is missing (or "
        "not a string), so the run cannot be matched with the pinned upstream.",
        "Record the upstream commit the scores were produced at: regenerate the run, and pin "
        "the commit in the upstream lock.",
    ),
    Entry(
        "RA813",
        "Upstream commit differs from the lock",
        "The run's sources.upstream.commit is not the commit the upstream lock pins for the "
        "suite, so the run measured a different upstream.",
        "Re-run the suite against the locked commit, or update the pin in the upstream lock if "
        "the new upstream commit is intended.",
    ),
    Entry(
        "RA814",
        "Run not produced against the locked upstream",
        "The run's suite_lock_ref is missing or its matches_lock is not true: the run was "
        "produced against a different upstream than the lock pins.",
        "Re-run the suite against the locked commit and regenerate the run.",
    ),
    Entry(
        "RA815",
        "Required suite without a run",
        "A suite listed in required_suites has no run artifact among the configured runs.",
        "Generate its run (`release-assistant gate parity run ...`) and add it to "
        "gates.parity.runs (or pass it with --run).",
    ),
    Entry(
        "RA816",
        "Aggregate artifact missing",
        "The configured aggregate file does not exist.",
        "Generate it: `release-assistant gate parity aggregate --run ... --output <file>`.",
    ),
    Entry(
        "RA817",
        "Aggregate does not report all suites passing",
        "The aggregate's all_suites_pass is false, missing or not a boolean (or no readable "
        "aggregate exists).",
        "Fix the failing suite, re-run it, then regenerate the aggregate with\n"
        "`release-assistant gate parity aggregate ...`.",
    ),
    Entry(
        "RA818",
        "Aggregate lacks a required suite",
        "The aggregate has no row for a suite listed in required_suites.",
        "Regenerate the aggregate from every suite's run:\n"
        "`release-assistant gate parity aggregate --run ... --output <file>`.",
    ),
    Entry(
        "RA819",
        "Aggregate row fails non-inferiority",
        "A suite's row in the aggregate has pass_non_inferiority missing or false, or its "
        "ci_upper_ratio exceeds margin_ratio: the candidate is measurably worse than upstream "
        "on that suite.",
        "Fix the regression, re-run the suite and regenerate the aggregate.",
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

#: Gate codes without a specific entry fall back to ``RA8xx``.
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
