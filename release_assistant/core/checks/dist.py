"""``dist``: the files in ``dist/`` are what the index will accept for exactly this release.

Codes: RA901 a file name that is no valid wheel or sdist name (the index refuses it); RA902
a name that is valid but not normalized (PEP 625 / the wheel spec; warning); RA903 a file of
another version (the publish action uploads all of ``dist/``: the classic "File already
exists" failure); RA904 a file of another project; RA905 no sdist or no wheel for this
version; RA906 more than one sdist for this version (the index takes one per release);
RA907 core metadata (the wheel's ``METADATA``, the sdist's ``PKG-INFO``) missing or invalid
(``packaging.metadata.Metadata.from_email(..., validate=True)``); RA908 the metadata's name
or version differ from the project and the file name; RA909 a long description without
``Description-Content-Type`` (the index renders it as reStructuredText, and refuses an upload
whose description does not render; warning); RA910 what was found (info); RA911 a
reStructuredText long description that does not render (rendered as the index renders it on
upload, with ``readme_renderer``, imported only when there are built files to judge).

``skip`` when there is no ``dist/``: in the trusted-publishing model the build happens in CI.
Archives are read in memory, member by member, never extracted; metadata larger than
:data:`MAX_METADATA` bytes is refused unread.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from release_assistant.core.check_table import DIST
from release_assistant.core.collector import FindingCollector
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Severity
from release_assistant.core.rules.dist import (
    DESCRIPTION_DOES_NOT_RENDER,
    DESCRIPTION_WITHOUT_CONTENT_TYPE,
    DISTRIBUTIONS_FOUND,
    INVALID_FILENAME,
    INVALID_METADATA,
    METADATA_MISMATCH,
    MISSING_SDIST_OR_WHEEL,
    OTHER_PROJECT_FILE,
    OTHER_VERSION_FILE,
    SEVERAL_SDISTS,
    UNNORMALIZED_FILENAME,
)
from release_assistant.core.support.errors import InputError

if TYPE_CHECKING:
    from packaging.version import Version

ID = DIST.id
TITLE = DIST.title
DIST_DIR = "dist"
#: Core metadata is a few kilobytes plus the README; anything larger is not metadata.
MAX_METADATA = 16 * 1024 * 1024
SDIST_SUFFIX = ".tar.gz"
WHEEL_SUFFIX = ".whl"
#: Other archive kinds the index no longer accepts (or never did) but a build could leave.
OTHER_ARCHIVES = (".zip", ".egg", ".exe", ".msi", ".tar.bz2", ".tgz")


@dataclass(frozen=True, slots=True)
class DistFile:
    """One distribution in ``dist/``: its file name, kind, and what the name says."""

    filename: str
    kind: str  # "sdist" or "wheel"
    name: str  # canonical project name
    version: Version


def run(ctx: RepoContext) -> CheckResult:
    """Judge the distributions in ``dist/`` against the version under release."""
    out = FindingCollector(ID, TITLE)
    directory = ctx.path(DIST_DIR)
    if not os.path.isdir(directory):
        return out.result(
            skip_reason="no dist/: nothing was built here (the release workflow builds in CI; "
            "`release-assistant build` builds and checks locally)"
        )
    files = _parse_names(out, sorted(os.listdir(directory)))
    if not files:
        if not out.findings:
            return out.result(skip_reason="dist/ holds no wheel or sdist")
        return out.result()
    from packaging.utils import canonicalize_name

    project = _project_name(ctx)
    wanted_name = canonicalize_name(project) if project else None
    version = ctx.release.version
    if version is None:
        versions = sorted({f.version for f in files})
        version = versions[-1] if len(versions) == 1 else None
        if version is None:
            out.add(
                OTHER_VERSION_FILE,
                f"dist/ holds files of {len(versions)} versions ("
                + ", ".join(str(v) for v in versions)
                + ") and the version under release is unknown",
                path=DIST_DIR,
                hint="remove the old files (release-assistant build rebuilds dist/ clean)",
            )
            return out.result()
    current: list[DistFile] = []
    for dist in files:
        if wanted_name is not None and dist.name != wanted_name:
            out.add(
                OTHER_PROJECT_FILE,
                f"{dist.filename} is a distribution of {dist.name!r}, not of {wanted_name!r}",
                path=f"{DIST_DIR}/{dist.filename}",
                hint=f"remove it: rm {DIST_DIR}/{dist.filename}",
            )
        elif dist.version != version:
            out.add(
                OTHER_VERSION_FILE,
                f"{dist.filename} is version {dist.version}, not {version}: uploading dist/ "
                "would fail with 'File already exists' (or publish the wrong version)",
                path=f"{DIST_DIR}/{dist.filename}",
                hint=f"remove it (rm {DIST_DIR}/{dist.filename}), or rebuild with "
                "release-assistant build",
            )
        else:
            current.append(dist)
    sdists = [d for d in current if d.kind == "sdist"]
    wheels = [d for d in current if d.kind == "wheel"]
    if len(sdists) > 1:
        out.add(
            SEVERAL_SDISTS,
            f"{len(sdists)} sdists for {version}: "
            + ", ".join(d.filename for d in sdists)
            + " (the index accepts one per release)",
            path=DIST_DIR,
            hint="keep the one with the normalized name; release-assistant build rebuilds clean",
        )
    missing = [kind for kind, found in (("sdist", sdists), ("wheel", wheels)) if not found]
    if missing:
        out.add(
            MISSING_SDIST_OR_WHEEL,
            f"no {' and no '.join(missing)} for {version} in dist/",
            path=DIST_DIR,
            hint="build both: python -m build (or release-assistant build)",
        )
    for dist in current:
        _check_metadata(ctx, out, dist, wanted_name, version)
    out.add(
        DISTRIBUTIONS_FOUND,
        f"dist/ holds {len(sdists)} sdist(s) and {len(wheels)} wheel(s) of "
        f"{wanted_name or 'the project'} {version}",
        severity=Severity.INFO,
    )
    return out.result()


def _project_name(ctx: RepoContext) -> str | None:
    if ctx.pyproject is None:
        return None
    data = ctx.pyproject.data
    for table in (data.get("project"), data.get("tool", {}).get("poetry")):
        if isinstance(table, dict) and isinstance(table.get("name"), str):
            name: str = table["name"]
            return name
    return None


def _parse_names(out: FindingCollector, names: list[str]) -> list[DistFile]:
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    files: list[DistFile] = []
    for filename in names:
        where = f"{DIST_DIR}/{filename}"
        if filename.startswith("."):
            continue  # .gitignore (hatch writes one); the publish action uploads no dotfile
        lowered = filename.lower()
        try:
            if lowered.endswith(WHEEL_SUFFIX):
                name, version, _, _ = parse_wheel_filename(filename)
                files.append(DistFile(filename, "wheel", name, version))
                expected = _normalized_wheel_prefix(name, filename)
            elif lowered.endswith(SDIST_SUFFIX):
                name, version = parse_sdist_filename(filename)
                files.append(DistFile(filename, "sdist", name, version))
                expected = f"{name.replace('-', '_')}-{version}{SDIST_SUFFIX}"
            else:
                if lowered.endswith(OTHER_ARCHIVES):
                    out.add(
                        INVALID_FILENAME,
                        f"{filename} is not a wheel or a .tar.gz sdist: the index refuses it",
                        path=where,
                        hint=f"remove it: rm {where}",
                    )
                continue
        except (InvalidWheelFilename, InvalidSdistFilename) as error:
            out.add(
                INVALID_FILENAME, f"{filename}: {error}", path=where, hint=f"remove it: rm {where}"
            )
            continue
        if not filename.startswith(expected):
            out.warn(
                UNNORMALIZED_FILENAME,
                f"{filename} is not a normalized name (expected {expected}...)",
                path=where,
                hint="build with a current backend (hatchling, setuptools >= 69.3, flit, "
                "pdm-backend, poetry-core >= 2), which writes normalized names",
            )
    return files


def _normalized_wheel_prefix(name: str, filename: str) -> str:
    """``{name}-{version}-`` as the wheel spec writes it: the name with ``_`` for runs of
    ``-_.``, lower case, and the version as the file name has it, normalized."""
    from packaging.version import Version

    version = Version(filename.split("-")[1])
    return f"{re.sub(r'[-_.]+', '_', name).lower()}-{version}-"


def _check_metadata(
    ctx: RepoContext,
    out: FindingCollector,
    dist: DistFile,
    wanted_name: str | None,
    version: Version,
) -> None:
    from packaging.metadata import ExceptionGroup, Metadata
    from packaging.utils import canonicalize_name

    where = f"{DIST_DIR}/{dist.filename}"
    path = ctx.path(where)
    member = "METADATA" if dist.kind == "wheel" else "PKG-INFO"
    try:
        raw = _read_wheel_metadata(path) if dist.kind == "wheel" else _read_sdist_metadata(path)
    except _Unreadable as problem:
        out.add(
            INVALID_METADATA,
            f"{dist.filename}: {problem}",
            path=where,
            hint="rebuild it: python -m build",
        )
        return
    try:
        metadata = Metadata.from_email(raw, validate=True)
    except ExceptionGroup as group:
        reasons = "; ".join(str(error) for error in group.exceptions)
        out.add(
            INVALID_METADATA,
            f"{dist.filename}: invalid core metadata in {member}: {reasons}",
            path=where,
            hint="fix [project] in pyproject.toml (or the backend's settings) and rebuild",
        )
        return
    except ValueError as error:
        out.add(INVALID_METADATA, f"{dist.filename}: {member}: {error}", path=where)
        return
    name = canonicalize_name(metadata.name)
    differences = []
    if name != dist.name:
        differences.append(f"name {metadata.name!r} (the file name says {dist.name!r})")
    elif wanted_name is not None and name != wanted_name:
        differences.append(f"name {metadata.name!r} (pyproject.toml says {wanted_name!r})")
    if metadata.version != version:
        differences.append(f"version {metadata.version} (under release: {version})")
    if differences:
        out.add(
            METADATA_MISMATCH,
            f"{dist.filename}: {member} says " + " and ".join(differences),
            path=where,
            hint="rebuild from the tagged commit: release-assistant build",
        )
    _check_description(out, dist, metadata.description, metadata.description_content_type)
    if (metadata.description or "").strip() and metadata.description_content_type is None:
        out.warn(
            DESCRIPTION_WITHOUT_CONTENT_TYPE,
            f"{dist.filename}: a long description without Description-Content-Type: the index "
            "renders it as reStructuredText",
            path=where,
            hint='set readme = "README.md" in [project] (the content type follows the '
            "suffix), or readme = {file = ..., content-type = ...}",
        )


def _check_description(
    out: FindingCollector, dist: DistFile, description: str | None, content_type: str | None
) -> None:
    """RA911 when the long description is reStructuredText that does not render.

    The index renders the description on upload and rejects one that fails; only
    reStructuredText can fail (``text/x-rst``, or no content type, which defaults to it):
    Markdown and plain text always render.
    """
    text = description or ""
    if not text.strip() or text.rstrip() == "UNKNOWN":
        return
    kind = (content_type or "text/x-rst").split(";", 1)[0].strip().lower()
    if kind != "text/x-rst":
        return
    import io

    try:
        from readme_renderer.rst import render
    except ImportError:  # a dependency; a broken install is no reason to fail the release
        return
    warnings = io.StringIO()
    if render(text, stream=warnings) is not None:
        return
    line, reason = _first_render_problem(warnings.getvalue())
    declared = "declared text/x-rst" if content_type else "reStructuredText by default"
    where = f"line {line} of the description" if line else "the description"
    out.add(
        DESCRIPTION_DOES_NOT_RENDER,
        f"{dist.filename}: the long description ({declared}) does not render, so the index "
        f"rejects the upload: {where}: {reason}",
        path=f"{DIST_DIR}/{dist.filename}",
        hint="fix the README's markup (python -m readme_renderer README.rst shows the same "
        "warnings) or declare its real content type, then rebuild",
    )


def _first_render_problem(report: str) -> tuple[int | None, str]:
    """The line and text of docutils' first warning (``<string>:3: (WARNING/2) ...``)."""
    for text in report.splitlines():
        found = re.match(r"<string>:(\d+): \((?:WARNING|ERROR|SEVERE)/\d\) (.+)", text)
        if found:
            return int(found.group(1)), found.group(2).strip()
    first = next((text.strip() for text in report.splitlines() if text.strip()), "")
    return None, first or "docutils reported an error"


class _Unreadable(InputError):
    """The archive or its metadata cannot be read; ``str()`` says why."""


def _read_wheel_metadata(path: str) -> bytes:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            found = [
                info
                for info in archive.infolist()
                if re.fullmatch(r"[^/]+\.dist-info/METADATA", info.filename)
            ]
            if len(found) != 1:
                raise _Unreadable(f"{len(found)} *.dist-info/METADATA files (a wheel has one)")
            if found[0].file_size > MAX_METADATA:
                raise _Unreadable("METADATA is too large to be core metadata")
            return archive.read(found[0])
    except (OSError, zipfile.BadZipFile, EOFError) as error:
        raise _Unreadable(f"not a readable zip archive ({error})") from None


def _read_sdist_metadata(path: str) -> bytes:
    import tarfile

    try:
        with tarfile.open(path, "r:gz") as archive:
            for info in archive:
                parts = info.name.split("/")
                if len(parts) == 2 and parts[1] == "PKG-INFO" and info.isfile():
                    if info.size > MAX_METADATA:
                        raise _Unreadable("PKG-INFO is too large to be core metadata")
                    handle = archive.extractfile(info)
                    if handle is None:
                        break
                    return handle.read()
    except (OSError, tarfile.TarError, EOFError) as error:
        raise _Unreadable(f"not a readable .tar.gz archive ({error})") from None
    raise _Unreadable("no PKG-INFO in the archive's top directory")
