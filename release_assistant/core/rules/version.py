"""The rules of the `version` check: one entry per finding code.

Errors are disagreements that publish the wrong thing (tag, metadata, version files and the
changelog naming different versions, a tag spelt off its format); what was read and how is
information, and a version the tool cannot read is a skip, not a finding.
"""

from __future__ import annotations

from release_assistant.core.findings import Severity
from release_assistant.core.rules.rule import Rule

NO_PROJECT_VERSION = Rule(
    "RA301",
    "No project version found",
    "The project declares no version: pyproject.toml has neither [project].version nor "
    "'version' in [project].dynamic (nor [tool.poetry].version, nor setup.cfg "
    "[metadata] version), or the source it names (hatch path, setuptools attr/file, PDM "
    "file, flit __version__) is missing, so the build itself would fail. A version the "
    "tool cannot read without building (maturin's Cargo.toml, a build-backend plugin, "
    "setup.py) is not this finding: the check skips, saying why.",
    'Set version = "X.Y.Z" under [project], or list "version" in [project].dynamic and '
    "configure a source (hatch path/vcs, setuptools attr/file/scm, pdm file/scm, "
    'flit), with the file it names holding __version__ = "X.Y.Z".',
)

INVALID_PROJECT_VERSION = Rule(
    "RA302",
    "Project version is not a valid PEP 440 version",
    "The declared version cannot be parsed as a PEP 440 version; build tools reject it and "
    "the index refuses the upload.",
    "Write the version as X.Y.Z, optionally with a pre-release (1.2.3rc1), post-release "
    "(1.2.3.post1) or dev (1.2.3.dev1) suffix.",
)

TAG_VERSION_MISMATCH = Rule(
    "RA303",
    "Tag and project version disagree",
    "The release tag names one version and the project metadata (or its version file) "
    "another; the distributions would be built and published under the metadata's "
    "version, not the tag's.",
    "Set the version the finding names in the file it names (for instance\n"
    'version = "X.Y.Z" under [project]) and commit, or tag the version the project '
    "declares (`git tag vX.Y.Z` with your tag_format). When a release bot writes the "
    "version after the tag (a workflow the tag starts bumps it and commits), this is a "
    "note, not an error (RA321).",
    contextual=True,
)

TAG_WITHOUT_VERSION = Rule(
    "RA304",
    "Tag names no version",
    "After removing the tag_format prefix and suffix (or as a bare tag) the tag is not a "
    "PEP 440 version, so the version under release is unknown.",
    'Tag as tag_format says, e.g. `git tag v1.2.3` for the default "v{version}", and pass '
    "it with --tag.",
)

TAG_FORMAT_MISMATCH = Rule(
    "RA305",
    "Tag does not follow the tag format",
    "Warning: the tag is a bare version (1.2.3 or v1.2.3) but not in the tag format "
    "configured (tag_format) or followed by the repository's existing tags, so release "
    "workflows that match tags by pattern may not fire and the tags become "
    "inconsistent. A repository's first version tag sets its format.",
    "Tag as the finding's expected name, or set the pattern you use:\n"
    'tag_format = "v{version}" in [tool.release-assistant].',
    severity=Severity.WARNING,
)

VERSION_FILE_DISAGREES = Rule(
    "RA306",
    "A version file disagrees",
    "A file listed in version_files, or (without version_files) the package's own "
    "__version__ assignment found in __init__.py, __about__.py, _version.py, version.py "
    "or __version__.py, says a different version than the one under release, so the "
    "installed package would report the wrong __version__.",
    'Set the assignment on the named line to the release version (__version__ = "X.Y.Z").',
)

VERSION_FILE_UNREADABLE = Rule(
    "RA307",
    "Version file unreadable or without a version",
    "A file listed in version_files cannot be read (missing, not UTF-8), or neither its "
    'pattern nor the default (__version__/VERSION/version = "...") finds a version in it, '
    "or its pattern does not finish within a second (catastrophic backtracking), so it "
    "cannot be checked.",
    "Fix the path in version_files under [tool.release-assistant], add\n"
    '__version__ = "X.Y.Z" to the file, or give the entry a pattern:\n'
    'version_files = [{ path = "...", pattern = "..." }] (a regex with a version group).',
)

NO_CHANGELOG_SECTION = Rule(
    "RA308",
    "No changelog section for the version",
    "The changelog has no section for the version: at release time (a tag given) the "
    "release would ship without notes; between releases, nothing collects notes for "
    "the project's version either (no Unreleased section, no section marked "
    "unreleased, no towncrier fragment directory). A development version (X.Y.Z.devN) "
    "needs no section until it is released, and a pre-release may use the section of "
    "its final version.",
    "Rename the Unreleased heading to the version with the release day (Keep a "
    "Changelog: '## [X.Y.Z] - YYYY-MM-DD', and add a new empty '## [Unreleased]' above "
    "it), run `towncrier build --version X.Y.Z` for towncrier projects, or add a "
    "section for the version with its notes. When a release bot writes the changelog "
    "after the tag, this is a note, not an error (RA321).",
    contextual=True,
)

DYNAMIC_VERSION_WITHOUT_TAG = Rule(
    "RA309",
    "Version comes from git tags and no tag was given (no longer reported)",
    "Info: earlier versions warned here. A version computed from the git tag at build "
    "time (setuptools-scm, hatch-vcs, PDM scm) cannot be compared without a tag, so the "
    "version check now skips, giving this as its reason.",
    "Pass the release tag: `release-assistant check --tag vX.Y.Z`.",
    severity=Severity.INFO,
)

TAG_NOT_CANONICAL = Rule(
    "RA310",
    "Tag is not the version's canonical spelling",
    "The tag names the version being released, but is not spelt as the tag format "
    "spells it (v0.1.1.0 or v00.1.1 for 0.1.1, V0.1.1 for the format v{version}). A tag "
    "is permanent, and release workflows and tools that compare the tag with the "
    'version as text (for instance `test "${GITHUB_REF_NAME#v}" = "$VERSION"`) '
    "reject it.",
    "Delete the tag if it was created (`git tag -d <tag>`) and tag the canonical "
    "spelling the finding names, e.g. `git tag v0.1.1`.",
)

TAG_FORMAT_IN_USE = Rule(
    "RA311",
    "Tag format in use",
    "Info: the tag format the tag was judged against: configured (tag_format), "
    "inferred from the repository's version tags (1.2.3, v1.2.3, name-v1.2.3), or the "
    "default v{version} when there are none.",
    'To use another format, set it: tag_format = "v{version}" in [tool.release-assistant].',
    severity=Severity.INFO,
)

VERSION_SOURCE = Rule(
    "RA312",
    "Where the version was read",
    "Info: the project version and the file it was read from ([project].version, "
    "[tool.poetry].version, setup.cfg, a __version__ assignment), and whether it is a "
    "development version (X.Y.Z.devN, which needs no changelog section before release).",
    "Nothing to fix; version_files in [tool.release-assistant] lists more files to cross-check.",
    severity=Severity.INFO,
)

RELEASED_VERSION_WITHOUT_SECTION = Rule(
    "RA313",
    "A released version has no changelog section",
    "Between releases (no tag given), the project's current version already has its tag: "
    "it was released without notes in the changelog. Nothing breaks for the next release, "
    "whose own section is required when it is made (RA308), but readers of the changelog "
    "miss what that release changed.",
    "Add the notes for that version to the changelog; a project whose release notes live "
    'elsewhere (GitHub releases) can set ignore = ["RA313"].',
    severity=Severity.WARNING,
)

CHANGELOG_UNREADABLE_FOR_VERSION = Rule(
    "RA314",
    "Changelog missing or unreadable for the version check",
    "The version check looks for the release's section in the changelog, but the "
    "configured changelog does not exist, or the changelog cannot be read (not UTF-8, a "
    "directory, a FIFO). The version check names it itself, so that running it alone "
    "(--only version) never reports a release ready over a changelog nobody read.",
    "Create the changelog (CHANGELOG.md with a section for the release), make it a "
    'readable UTF-8 file, or set changelog = "<file>" in [tool.release-assistant].',
)

NO_CHANGELOG_NOTES_UNCHECKED = Rule(
    "RA315",
    "No changelog: the release notes are not checked",
    "No changelog was found, so the version check cannot confirm that the version has "
    "release notes. Information only: projects that keep their notes elsewhere (GitHub "
    "releases) publish fine without one, and the changelog check already warns (RA415); "
    "the version check says it too, so that running it alone (--only version) does not "
    "pass silently over the missing notes.",
    'Create CHANGELOG.md with a section for the release, or set changelog = "<file>" '
    'in [tool.release-assistant]; if notes live elsewhere, ignore = ["RA315"].',
    severity=Severity.INFO,
)

CHANGELOG_NOT_UNDERSTOOD = Rule(
    "RA316",
    "The changelog was not understood well enough to say the version has no section",
    "Warning: the version has no section the tool could read, but it could not read "
    "the whole changelog: no release heading at all (a dialect it does not read), or a "
    "line that names the version in a form it did not read as a heading. A claim of "
    "absence is made only over input the tool understood, so this is a warning that "
    "names what it could not read, not RA308.",
    "Write the release headings in a form the tool reads ('## 1.2.3 - 2026-01-31', "
    "'1.2.3 (2026-01-31)' underlined, a release directive '.. changelog:: 1.2.3'), or "
    'point it at the file that holds the notes: changelog = "<file>" in '
    '[tool.release-assistant]; if the notes are right, ignore = ["RA316"].',
    severity=Severity.WARNING,
)

GENERATED_RELEASE_NOTES = Rule(
    "RA317",
    "The release's notes are generated by a tool",
    "The changelog has no section for the version, but a tool whose configuration is "
    "in the repository writes the notes from files of its own: towncrier fragments, "
    "changie's or scriv's fragments (a warning at release time: they are not yet in "
    "the changelog, which is fine when the release workflow or the documentation "
    "build writes them), or reno's notes, which reno assigns to releases from the git "
    "history (information).",
    "Build the notes before tagging (`towncrier build --version X.Y.Z`, `changie "
    "batch`, `scriv collect`) if the release is not meant to do it; reno needs nothing.",
    contextual=True,
)

INVALID_PROJECT_TABLE = Rule(
    "RA320",
    "[project] breaks the packaging specification",
    "A field of [project] in pyproject.toml is not what the specification allows: a name "
    "that is not a valid project name, a version that is not PEP 440, a requirement "
    "that is not PEP 508, dependencies written as a string, a field both dynamic and "
    "static, a license that is not an SPDX expression. The build backend rejects such a "
    "project, in the release workflow, after the tag exists.",
    "Fix the key the finding names (`release-assistant check --only version` shows each "
    "one with its line); `python -m build` locally shows the backend's own error.",
)

BOT_RELEASE = Rule(
    "RA321",
    "The release is made by a bot",
    "Information: a workflow bumps the version and writes the changelog in CI and "
    "commits them (python-semantic-release, release-please, commitizen, or a `run:` that "
    "bumps the version or runs `towncrier build`, then `git commit` and `git push`). The "
    "checks judge the release the way the bot makes it: when the tag starts the bot, the "
    "tagged commit still holds the previous version and changelog, so the version and "
    "section the bot writes after the tag are not demanded there (RA303 and RA308 become "
    "notes).",
    "Nothing to do. To release by hand instead, remove the bot's workflow (or its bump "
    "and commit steps).",
    severity=Severity.INFO,
)

RULES: tuple[Rule, ...] = (
    NO_PROJECT_VERSION,
    INVALID_PROJECT_VERSION,
    TAG_VERSION_MISMATCH,
    TAG_WITHOUT_VERSION,
    TAG_FORMAT_MISMATCH,
    VERSION_FILE_DISAGREES,
    VERSION_FILE_UNREADABLE,
    NO_CHANGELOG_SECTION,
    DYNAMIC_VERSION_WITHOUT_TAG,
    TAG_NOT_CANONICAL,
    TAG_FORMAT_IN_USE,
    VERSION_SOURCE,
    RELEASED_VERSION_WITHOUT_SECTION,
    CHANGELOG_UNREADABLE_FOR_VERSION,
    NO_CHANGELOG_NOTES_UNCHECKED,
    CHANGELOG_NOT_UNDERSTOOD,
    GENERATED_RELEASE_NOTES,
    INVALID_PROJECT_TABLE,
    BOT_RELEASE,
)

#: Rules no finding site emits, and why (tests/test_explain_coverage.py holds the others to
#: an emit site): a retired code keeps its entry so `explain` still answers old reports.
NOT_EMITTED: dict[Rule, str] = {
    DYNAMIC_VERSION_WITHOUT_TAG: "retired: the version check now skips with this reason",
}
