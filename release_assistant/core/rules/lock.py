"""The rules of the `lock` check: one entry per finding code."""

from __future__ import annotations

from release_assistant.core.findings import Severity
from release_assistant.core.rules.rule import Rule

#: How much a stale lock weighs, said in the cause of every stale-lock rule.
STALE_WEIGHT = (
    " An error when the release or CI path fails on a stale lock (a workflow runs `uv sync "
    "--locked`, `uv run --locked`, `uv lock --check`, `poetry install`, `poetry check --lock`, "
    "`pdm install --check` or `pdm lock --check`, or pre-commit has a lock hook); otherwise a "
    "warning that says what CI does instead (`--frozen` installs the lock as it is without "
    "checking it, a plain `uv sync` relocks). The check-lock-file hook always fails on it."
)

CONFLICT_MARKERS = Rule(
    "RA501",
    "Merge-conflict markers in a lock file",
    "The lock still holds <<<<<<< / ======= / >>>>>>> lines from a merge; the tool "
    "cannot read it, so installs and CI fail.",
    "Take either side (`git checkout --theirs uv.lock`) and regenerate the lock with its "
    "tool: `uv lock`, `poetry lock` or `pdm lock`. Never merge lock files by hand.",
)

UNREADABLE_LOCK = Rule(
    "RA502",
    "Lock file cannot be read",
    "The lock is not valid TOML, not UTF-8, or an entry is malformed (for uv.lock also a "
    "[[package]] entry that cannot be parsed, or a missing or invalid requires-python); "
    "the tool cannot read it either.",
    "Regenerate it: `uv lock`, `poetry lock` or `pdm lock`, and commit the result.",
)

UNKNOWN_LOCK_VERSION = Rule(
    "RA503",
    "Unknown lock format version",
    "Warning: the lock's format version (uv.lock version, poetry.lock lock-version, "
    "pdm.lock lock_version) is one this check does not know, so it cannot tell whether "
    "the lock is in sync.",
    "Verify it with the tool that wrote it: `uv lock --check`, `poetry check --lock` or "
    "`pdm lock --check`.",
    severity=Severity.WARNING,
)

STALE_DEPENDENCY = Rule(
    "RA504",
    "Lock dependencies differ from pyproject.toml",
    "A dependency, extra, dependency group or [manifest] entry (constraints, overrides, "
    "excludes, dependency-metadata) in pyproject.toml differs from what uv.lock was "
    "resolved with; `uv lock --check` fails and `uv sync --locked` refuses to install."
    + STALE_WEIGHT,
    "Run `uv lock` and commit the updated uv.lock.",
    contextual=True,
)

STALE_REQUIRES_PYTHON = Rule(
    "RA505",
    "Lock requires-python differs",
    "uv.lock was resolved for a different requires-python than the project (or the "
    "workspace members together) now declares, so uv considers it stale." + STALE_WEIGHT,
    "Run `uv lock` and commit the updated uv.lock.",
    contextual=True,
)

STALE_PROJECT_VERSION = Rule(
    "RA506",
    "Locked project version differs",
    "uv.lock records a different version for a workspace project than its pyproject.toml "
    "declares, or the version changed between static and dynamic; a version bump without "
    "relocking is the usual cause." + STALE_WEIGHT,
    "Run `uv lock` after bumping the version and commit uv.lock with it.",
    contextual=True,
)

STALE_WORKSPACE_MEMBERS = Rule(
    "RA507",
    "Workspace members changed since the lock",
    "A workspace member was added or removed, is missing from uv.lock, or changed between "
    "package and virtual (tool.uv.package, [build-system]) or editable and non-editable."
    + STALE_WEIGHT,
    "Run `uv lock` and commit the updated uv.lock.",
    contextual=True,
)

STALE_RESOLVER_SETTINGS = Rule(
    "RA508",
    "Resolver settings differ from the lock",
    "uv.lock was resolved with different settings than the project now sets (resolution, "
    "prerelease, fork-strategy, exclude-newer, environments, required-environments, "
    "conflicts, or an index the project no longer configures), from pyproject.toml, "
    "uv.toml or UV_* variables." + STALE_WEIGHT,
    "Run `uv lock` and commit the updated uv.lock (or restore the setting the lock was made with).",
    contextual=True,
)

NOT_VERIFIABLE_STATICALLY = Rule(
    "RA509",
    "Lock cannot be verified statically",
    "Warning: deciding would need the tool itself (dynamic dependencies that require a "
    "build, an unreadable workspace member, a path outside the repository, a pyproject "
    "without [project] for PDM, or a hash formula of an older tool version). It is not "
    "reported stale, but it is not verified either.",
    "Let the tool decide: `uv lock --check`, `poetry check --lock` or `pdm lock --check`; "
    "relock if it says so.",
    severity=Severity.WARNING,
)

STALE_POETRY_HASH = Rule(
    "RA510",
    "poetry.lock is stale (content-hash)",
    "The content-hash in poetry.lock does not match the dependency sections of "
    "pyproject.toml (or is missing, or [metadata] is missing); `poetry check --lock` "
    "fails and `poetry install` refuses to use the lock." + STALE_WEIGHT,
    "Run `poetry lock` and commit the updated poetry.lock.",
    contextual=True,
)

STALE_PDM_HASH = Rule(
    "RA511",
    "pdm.lock is stale (content_hash)",
    "The content_hash in pdm.lock does not match the dependencies, dependency groups, "
    "requires-python, tool.pdm.source or tool.pdm.resolution of pyproject.toml (or it is "
    "missing, [metadata] is missing, or lock_inputs is configured but not recorded)."
    + STALE_WEIGHT,
    "Run `pdm lock` and commit the updated pdm.lock.",
    contextual=True,
)

PDM_LOCK_INPUTS = Rule(
    "RA512",
    "pdm.lock uses lock_inputs",
    "Warning: the lock records lock_inputs (PDM 2.28.1+), which PDM validates instead of "
    "the content hash; this check does not recompute them.",
    "Verify it with `pdm lock --check`.",
    severity=Severity.WARNING,
)

LOCK_IGNORED_BY_GIT = Rule(
    "RA513",
    "Lock file ignored by git",
    "Warning: a .gitignore rule excludes the lock, so CI and other maintainers never see "
    "it and resolve their own versions.",
    "Find the rule with `git check-ignore -v uv.lock` (or poetry.lock, pdm.lock), remove "
    "it, then `git add` the lock and commit.",
    severity=Severity.WARNING,
)

LOCK_UNTRACKED = Rule(
    "RA514",
    "Lock file not tracked by git",
    "Warning: the lock exists in the work tree but was never committed, so the release "
    "is built from a resolution nobody else has.",
    "`git add uv.lock` (or poetry.lock, pdm.lock) and commit it.",
    severity=Severity.WARNING,
)

DUPLICATE_PACKAGE = Rule(
    "RA515",
    "Duplicate package entries in a lock",
    "The same package (and version, or source) is listed twice in uv.lock or poetry.lock, "
    "typically after a merge that combined both sides; uv refuses such a lock, and "
    "Poetry installs whichever entry it meets.",
    "Regenerate the lock: `uv lock` or `poetry lock`.",
)

LOCAL_PATH_DEPENDENCY = Rule(
    "RA516",
    "Published package depends on a local path",
    "Warning: a package that is built and published depends on another package through a "
    "local path source; the built wheel only names the dependency, so users get it from "
    "the index (a different version, or none at all).",
    "Publish the dependency and depend on a released version, or make it a member of the "
    "workspace; then run `uv lock`.",
    severity=Severity.WARNING,
)

NON_PORTABLE_PATH = Rule(
    "RA517",
    "Non-portable path in a lock",
    "Warning: the lock refers to an absolute path, a path outside the repository or a "
    "file:// URL, which does not exist on other machines or in CI.",
    "Use a relative path inside the repository, a git or index source, and regenerate "
    "the lock (`uv lock`, `poetry lock` or `pdm lock`).",
    severity=Severity.WARNING,
)

CREDENTIALS_IN_LOCK_URL = Rule(
    "RA518",
    "Credentials in a lock URL",
    "Warning: a URL in the lock carries a user name or password; anyone who can read "
    "the repository can use them.",
    "Remove the credentials from the index URL (use keyring or environment variables such "
    "as UV_INDEX_<NAME>_PASSWORD), rotate them, and regenerate the lock.",
    severity=Severity.WARNING,
)

TWO_TOOLS_LOCKS = Rule(
    "RA519",
    "Locks of two tools side by side",
    "Warning: more than one of uv.lock, poetry.lock and pdm.lock exists; only one tool's "
    "lock is used and the other drifts out of date.",
    "Delete the lock of the tool the project no longer uses (`git rm <lock>`).",
    severity=Severity.WARNING,
)

MISSING_LOCK = Rule(
    "RA520",
    "Tool configured but its lock is missing",
    "Warning: pyproject.toml configures uv, Poetry or PDM (or uv.toml exists) but the "
    "tool's lock file is absent, so installs are not reproducible.",
    "Run `uv lock`, `poetry lock` or `pdm lock` and commit the lock; for a library that "
    'deliberately does not pin, add "RA520" to ignore in [tool.release-assistant].',
    severity=Severity.WARNING,
)

PDM_IGNORED_DUPLICATE = Rule(
    "RA521",
    "Duplicate entry that pdm ignores",
    "pdm.lock lists the same package entry twice (same name, version, requested extras, "
    "URL or path); `pdm lock --check` accepts it and PDM silently keeps the last one, so "
    "the lock works, but a merge left it untidy and the first entry is dead text. Entries "
    "that differ in extras (`coverage` and `coverage[toml]`) are distinct and fine.",
    "Regenerate the lock: `pdm lock`.",
    severity=Severity.WARNING,
)

REFUSED_PYPROJECT_VALUES = Rule(
    "RA522",
    "pyproject.toml holds values the lock tool refuses",
    "A part of pyproject.toml that uv, Poetry or PDM reads to lock has a value of the "
    'wrong type (`dependencies = "requests"`, `dependencies = [1]`, `[tool.uv] sources = '
    "3`, `tool = 3`) or a number too large for it; the tool refuses the file "
    '(`uv lock --check`: "Failed to parse: pyproject.toml"), so the lock cannot be '
    "checked or regenerated.",
    "Fix the value on the line named (the tool's documentation gives its type), then run "
    "`uv lock --check`, `poetry check --lock` or `pdm lock --check`.",
)

RULES: tuple[Rule, ...] = (
    CONFLICT_MARKERS,
    UNREADABLE_LOCK,
    UNKNOWN_LOCK_VERSION,
    STALE_DEPENDENCY,
    STALE_REQUIRES_PYTHON,
    STALE_PROJECT_VERSION,
    STALE_WORKSPACE_MEMBERS,
    STALE_RESOLVER_SETTINGS,
    NOT_VERIFIABLE_STATICALLY,
    STALE_POETRY_HASH,
    STALE_PDM_HASH,
    PDM_LOCK_INPUTS,
    LOCK_IGNORED_BY_GIT,
    LOCK_UNTRACKED,
    DUPLICATE_PACKAGE,
    LOCAL_PATH_DEPENDENCY,
    NON_PORTABLE_PATH,
    CREDENTIALS_IN_LOCK_URL,
    TWO_TOOLS_LOCKS,
    MISSING_LOCK,
    PDM_IGNORED_DUPLICATE,
    REFUSED_PYPROJECT_VALUES,
)
