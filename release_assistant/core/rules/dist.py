"""The rules of the `dist` check: one entry per finding code (RA9xx)."""

from __future__ import annotations

from release_assistant.core.findings import Severity
from release_assistant.core.rules.rule import Rule

INVALID_FILENAME = Rule(
    "RA901",
    "Not a valid distribution file name",
    "A file in dist/ is neither a valid wheel name ({name}-{version}(-{build})?-{python}-"
    "{abi}-{platform}.whl) nor a valid sdist name ({name}-{version}.tar.gz), or is an "
    "archive kind the index no longer accepts (.zip, .egg, .exe): the upload of dist/ "
    "is refused.",
    "Remove the file from dist/ and rebuild: `release-assistant build` (or `python -m build`).",
)

UNNORMALIZED_FILENAME = Rule(
    "RA902",
    "Distribution file name not normalized",
    "Warning: the file name is valid but its project name is not normalized (PEP 625 for "
    "sdists: lower case, runs of `-_.` as one `_`; the same for wheels). Old backends "
    "write such names; the index warns about them and tools may not find the file.",
    "Build with a current backend (hatchling, setuptools >= 69.3, flit, pdm-backend, "
    "poetry-core >= 2), which writes normalized names.",
    severity=Severity.WARNING,
)

OTHER_VERSION_FILE = Rule(
    "RA903",
    "A file of another version in dist/",
    "dist/ holds a distribution of another version than the one under release. The "
    "publish step uploads every file in dist/, so the upload fails with 'File already "
    "exists' for an old version (or publishes a version nobody meant to release).",
    "Remove the old files, or rebuild dist/ clean: `release-assistant build`.",
)

OTHER_PROJECT_FILE = Rule(
    "RA904",
    "A file of another project in dist/",
    "dist/ holds a distribution whose name is not the project's (pyproject.toml "
    "[project].name, normalized): the upload would fail, or publish under a name this "
    "trusted publisher is not registered for.",
    "Remove the file from dist/ (`release-assistant build` rebuilds it clean).",
)

MISSING_SDIST_OR_WHEEL = Rule(
    "RA905",
    "No sdist or no wheel for this version",
    "dist/ has no source distribution or no wheel of the version under release: users "
    "get no wheel to install quickly, or no sdist to build from and to audit.",
    "Build both: `release-assistant build` (runs `python -m build`, which builds an "
    "sdist and a wheel from it).",
)

SEVERAL_SDISTS = Rule(
    "RA906",
    "More than one sdist for this version",
    "dist/ holds two or more sdists of the version under release (e.g. one with a "
    "normalized name and one without); the index accepts one sdist per release, so the "
    "second upload fails.",
    "Keep one (the normalized name), or rebuild dist/ clean: `release-assistant build`.",
)

INVALID_METADATA = Rule(
    "RA907",
    "Core metadata missing or invalid",
    "The wheel's *.dist-info/METADATA or the sdist's PKG-INFO is missing, unreadable, or "
    "fails packaging's core-metadata validation (a bad version, name, Requires-Dist, "
    "content type, or a field the metadata version does not allow): the index refuses "
    "the upload.",
    "Fix the metadata in pyproject.toml [project] (or the build backend's settings) and "
    "rebuild; the finding names each invalid field.",
)

METADATA_MISMATCH = Rule(
    "RA908",
    "Metadata name or version differs",
    "The name or version in the distribution's core metadata is not the project's, the "
    "file name's, or the version under release: the files were built from another "
    "commit or another project, and the index would file them under what the metadata "
    "says.",
    "Rebuild from the commit being tagged: `release-assistant build`.",
)

DESCRIPTION_WITHOUT_CONTENT_TYPE = Rule(
    "RA909",
    "Long description without a content type",
    "Warning: the metadata has a long description (the README) but no "
    "Description-Content-Type, so the index renders it as reStructuredText; a Markdown "
    "README then shows as plain text, and one that is not valid reStructuredText makes "
    "the upload fail.",
    'Set `readme = "README.md"` in [project] (the content type follows the file\'s '
    'suffix), or `readme = {file = "README.txt", content-type = "text/markdown"}`.',
    severity=Severity.WARNING,
)

DISTRIBUTIONS_FOUND = Rule(
    "RA910",
    "Distributions found",
    "Info: how many sdists and wheels of the version under release dist/ holds.",
    "Nothing to fix.",
    severity=Severity.INFO,
)

DESCRIPTION_DOES_NOT_RENDER = Rule(
    "RA911",
    "Long description does not render",
    "The long description (the README in the metadata) is reStructuredText, declared "
    "so or by default without Description-Content-Type, and it does not render: the "
    "index renders it with readme_renderer (the library behind `twine check`) on "
    "upload and rejects a description that fails, so the release would not publish.",
    "Fix the markup at the line the finding names (`python -m readme_renderer README.rst` "
    "shows the same warnings), or declare the format it is written in, e.g. "
    '`readme = {file = "README.md", content-type = "text/markdown"}`; then rebuild.',
)

RULES: tuple[Rule, ...] = (
    INVALID_FILENAME,
    UNNORMALIZED_FILENAME,
    OTHER_VERSION_FILE,
    OTHER_PROJECT_FILE,
    MISSING_SDIST_OR_WHEEL,
    SEVERAL_SDISTS,
    INVALID_METADATA,
    METADATA_MISMATCH,
    DESCRIPTION_WITHOUT_CONTENT_TYPE,
    DISTRIBUTIONS_FOUND,
    DESCRIPTION_DOES_NOT_RENDER,
)
