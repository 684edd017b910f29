"""The rules of the `version` check: one entry per finding code."""

from __future__ import annotations

from release_assistant.core.findings import Severity
from release_assistant.core.rules.model import Rule

RULES: tuple[Rule, ...] = (
    Rule(
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
    Rule(
        "RA302",
        "Project version is not a valid PEP 440 version",
        "The declared version cannot be parsed as a PEP 440 version; build tools reject it and "
        "the index refuses the upload.",
        "Write the version as X.Y.Z, optionally with a pre-release (1.2.3rc1), post-release "
        "(1.2.3.post1) or dev (1.2.3.dev1) suffix.",
    ),
    Rule(
        "RA303",
        "Tag and project version disagree",
        "The release tag names one version and the project metadata (or its version file) "
        "another; the distributions would be built and published under the metadata's "
        "version, not the tag's.",
        "Set the version the finding names in the file it names (for instance\n"
        'version = "X.Y.Z" under [project]) and commit, or tag the version the project '
        "declares (`git tag vX.Y.Z` with your tag_format).",
    ),
    Rule(
        "RA304",
        "Tag names no version",
        "After removing the tag_format prefix and suffix (or as a bare tag) the tag is not a "
        "PEP 440 version, so the version under release is unknown.",
        'Tag as tag_format says, e.g. `git tag v1.2.3` for the default "v{version}", and pass '
        "it with --tag.",
    ),
    Rule(
        "RA305",
        "Tag does not follow tag_format",
        "Warning: the tag is a bare version (1.2.3 or v1.2.3) but not the configured "
        "tag_format, so release workflows that match tags by pattern may not fire and the "
        "tags become inconsistent.",
        "Tag as the finding's expected name, or set the pattern you use:\n"
        'tag_format = "v{version}" in [tool.release-assistant].',
        severity=Severity.WARNING,
    ),
    Rule(
        "RA306",
        "A version file disagrees",
        "A file listed in version_files (such as __init__.py) assigns a different version than "
        "the one under release, so the installed package would report the wrong "
        "__version__.",
        'Set the assignment on the named line to the release version (__version__ = "X.Y.Z").',
    ),
    Rule(
        "RA307",
        "Version file unreadable or without a version",
        "A file listed in version_files cannot be read (missing, not UTF-8), or neither its "
        'pattern nor the default (__version__/VERSION/version = "...") finds a version in it, '
        "so it cannot be checked.",
        "Fix the path in version_files under [tool.release-assistant], add\n"
        '__version__ = "X.Y.Z" to the file, or give the entry a pattern:\n'
        'version_files = [{ path = "...", pattern = "..." }] (a regex with a version group).',
    ),
    Rule(
        "RA308",
        "No changelog section for the version",
        "The changelog has no '## [X.Y.Z]' heading for the version under release, so the "
        "release ships without notes.",
        "Rename the heading '## [Unreleased]' to '## [X.Y.Z] - YYYY-MM-DD' (the release day) "
        "and add a new empty '## [Unreleased]' above it, or add a dated section for the "
        "version with its notes.",
    ),
    Rule(
        "RA309",
        "Version comes from git tags and no tag was given",
        "Warning: the version is computed from the git tag at build time (setuptools-scm, "
        "hatch-vcs, PDM scm); without --tag there is no version to compare, so the version "
        "and changelog checks cannot verify anything.",
        "Pass the release tag: `release-assistant check --tag vX.Y.Z`.",
        severity=Severity.WARNING,
    ),
    Rule(
        "RA320",
        "[project] breaks the packaging specification",
        "A field of [project] in pyproject.toml is not what the specification allows: a name "
        "that is not a valid project name, a version that is not PEP 440, a requirement "
        "that is not PEP 508, dependencies written as a string, a field both dynamic and "
        "static, a license that is not an SPDX expression. The build backend rejects such a "
        "project, in the release workflow, after the tag exists.",
        "Fix the key the finding names (`release-assistant check --only version` shows each "
        "one with its line); `python -m build` locally shows the backend's own error.",
    ),
)
