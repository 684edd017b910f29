"""One scanned lock against one workspace: the state every family of checks shares, and
requirement sets compared under uv's equality (name, extras and source as written; specifier
sets and markers by what they admit, within the lock's ``requires-python``).

Emits RA504 (a requirement added, removed or changed), RA502 (an invalid ``requires-python``
in the lock) and RA509 (a comparison this check cannot decide).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from release_assistant.core.lockfiles.pep508 import Undecidable
from release_assistant.core.lockfiles.pep508.names import canonical_name
from release_assistant.core.lockfiles.pep508.specifiers import specifier_key, specifiers_equivalent
from release_assistant.core.lockfiles.text import line_of_offset
from release_assistant.core.lockfiles.uv.lock_entries import (
    PATH_KINDS,
    LockedPackage,
    Project,
    Req,
    ScannedLock,
)
from release_assistant.core.lockfiles.uv.lowering import Lowering
from release_assistant.core.lockfiles.uv.sources import (
    join_params,
    normal_url,
    split_git,
    strip_url,
)
from release_assistant.core.lockfiles.uv.workspace import Workspace
from release_assistant.core.rules.lock import STALE_DEPENDENCY, UNREADABLE_LOCK

if TYPE_CHECKING:
    from release_assistant.core.lockfiles.pep508.bounds import PythonBounds


class Comparison:
    """One scanned lock and the workspace it was made for, as the checks compare them."""

    def __init__(self, workspace: Workspace, lock: ScannedLock) -> None:
        self.workspace = workspace
        self.lock = lock
        # The workspace's parts every check reads, by their short names.
        self.files = workspace.files
        self.root = workspace.root
        self.environ = workspace.environ
        self.report = workspace.report
        self.settings = workspace.settings
        self.members = workspace.members
        self._bounds: PythonBounds | None = None
        self._bounds_read = False
        self.by_name: dict[str, list[LockedPackage]] = {}
        self._lowerings: dict[str, Lowering] = {}
        for package in lock.packages:
            self.by_name.setdefault(package.name, []).append(package)

    @property
    def bounds(self) -> PythonBounds | None:
        """The lock's ``requires-python`` bounds, read on first use.

        Most comparisons are settled by identical text, and parsing a specifier set imports
        ``packaging.specifiers`` (with ``packaging.tags``): a lock with nothing to compare
        semantically never pays for it.
        """
        if not self._bounds_read:
            self._bounds_read = True
            self._bounds = self._lock_bounds()
        return self._bounds

    def _lock_bounds(self) -> PythonBounds | None:
        text = self.lock.header.get("requires-python")
        if not isinstance(text, str):
            return None
        from release_assistant.core.lockfiles.pep508.bounds import PythonBounds

        try:
            return PythonBounds.from_specifiers([text])
        except ValueError:
            self.report.stale(
                UNREADABLE_LOCK, f"uv.lock has an invalid requires-python {text!r}", 1
            )
            return None

    def lowering(self, project: Project) -> Lowering:
        """The (cached) lowering of ``project``'s requirements."""
        key = f"{project.directory}:{project.is_member}"
        if key not in self._lowerings:
            self._lowerings[key] = Lowering(self.workspace, project)
        return self._lowerings[key]

    def header_line(self, key: str) -> int | None:
        """The line of ``key`` in the lock's header, if it is there."""
        text = self.lock.text
        end = self.lock.packages[0].start if self.lock.packages else len(text)
        match = re.search(rf"^{re.escape(key)}\s*=", text[:end], re.MULTILINE)
        if match is None:
            return None
        return line_of_offset(text, match.start())

    def locked_list(self, entries: Any, label: str) -> list[Req]:
        """The lock's requirement tables as :class:`Req`; unreadable ones are reported."""
        result = []
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or "name" not in entry:
                continue
            try:
                result.append(locked_requirement(entry, self.files.root))
            except (ValueError, Undecidable) as exc:
                self.report.unsure(f"uv.lock entry for {label} cannot be read: {exc}")
        return result

    def compare_sets(
        self,
        expected: Sequence[Req],
        actual: Sequence[Req],
        where: str,
        locked_where: str,
        line: int | None,
        lenient: bool = False,
    ) -> None:
        """Report how ``expected`` (pyproject) and ``actual`` (the lock) differ, as RA504."""
        missing, extra, unsure = _difference(expected, actual, lambda: self.bounds)
        for req in unsure:
            self.report.unsure(
                f"cannot compare `{req.display}` for {where} with uv.lock (its marker or "
                "specifier is outside what this check models)",
                line,
            )
        if not missing and not extra:
            return
        if lenient:
            self.report.unsure(
                f"the requirements of {where} differ from uv.lock, but its version is dynamic "
                "and it refers to its own extras, which uv flattens when it builds it",
                line,
            )
            return
        extra_by_name: dict[str, list[Req]] = {}
        for req in extra:
            extra_by_name.setdefault(req.name, []).append(req)
        for req in missing:
            previous = extra_by_name.pop(req.name, None)
            origin = f" ({req.origin})" if req.origin else ""
            if previous:
                recorded = ", ".join(f"`{old.display}`" for old in previous)
                self.report.stale(
                    STALE_DEPENDENCY,
                    f"`{req.name}` changed for {where}: pyproject declares `{req.display}`"
                    f"{origin}, {locked_where} records {recorded}",
                    line,
                )
            else:
                self.report.stale(
                    STALE_DEPENDENCY,
                    f"{where} adds `{req.display}`{origin}; {locked_where} has no such requirement",
                    line,
                )
        for reqs in extra_by_name.values():
            for req in reqs:
                self.report.stale(
                    STALE_DEPENDENCY,
                    f"{locked_where} still records `{req.display}` for {where}, which pyproject "
                    "no longer declares",
                    line,
                )


def locked_requirement(entry: Mapping[str, Any], root: Path) -> Req:
    """A requirement table of the lock as a :class:`Req` (paths made absolute)."""
    name = canonical_name(str(entry["name"]))
    extras = tuple(sorted(canonical_name(str(extra)) for extra in entry.get("extras", [])))
    marker_text = entry.get("marker")
    marker = None
    if marker_text:
        from release_assistant.core.lockfiles.pep508.markers import parse_marker

        marker = parse_marker(str(marker_text))
    specifier = str(entry.get("specifier", ""))
    specifier_key(specifier)  # uv cannot read an invalid one: ValueError, reported
    index = normal_url(str(entry["index"])) if "index" in entry else ""
    source: tuple[str, ...] = ("registry", index)
    described = ""
    for kind in PATH_KINDS:
        if kind in entry:
            path = os.path.normpath(os.path.join(root.resolve(), str(entry[kind])))
            source = (kind, path)
            described = f" @ {kind} {entry[kind]}"
            break
    else:
        if "git" in entry:
            base, params = split_git(str(entry["git"]))
            if entry.get("subdirectory"):
                params["subdirectory"] = str(entry["subdirectory"])
            source = ("git", base, join_params(params))
            described = f" @ git {entry['git']}"
        elif "url" in entry:
            source = (
                "url",
                strip_url(str(entry["url"]), keep_query=True),
                str(entry.get("subdirectory") or ""),
            )
            described = f" @ {entry['url']}"
        elif "index" in entry:
            described = f" (index {entry['index']})"
    extras_text = f"[{','.join(extras)}]" if extras else ""
    spec_text = str(entry.get("specifier", ""))
    display = f"{name}{extras_text}{spec_text}{described}"
    if marker_text:
        display += f"; {marker_text}"
    return Req(name, extras, specifier, source, marker, display)


def _difference(
    expected: Sequence[Req],
    actual: Sequence[Req],
    bounds: Callable[[], PythonBounds | None],
) -> tuple[list[Req], list[Req], list[Req]]:
    """Set difference under uv's requirement equality: (missing, extra, undecidable).

    Name, extras and source must be equal; specifier sets and markers are compared
    semantically (:func:`specifiers_equivalent`, :func:`.equivalence.markers_equivalent`).
    """
    actual_by_key: dict[Any, list[Req]] = {}
    for req in actual:
        actual_by_key.setdefault(req.key, []).append(req)
    expected_by_key: dict[Any, list[Req]] = {}
    for req in expected:
        expected_by_key.setdefault(req.key, []).append(req)
    missing: list[Req] = []
    extra: list[Req] = []
    unsure: list[Req] = []
    for reqs, others, sink in (
        (expected, actual_by_key, missing),
        (actual, expected_by_key, extra),
    ):
        for req in reqs:
            candidates = others.get(req.key, [])
            verdicts = [_same_requirement(req, other, bounds) for other in candidates]
            if any(verdict is True for verdict in verdicts):
                continue
            if any(verdict is None for verdict in verdicts):
                if sink is missing:
                    unsure.append(req)
                continue
            sink.append(req)
    return missing, extra, unsure


def _same_requirement(
    first: Req, second: Req, bounds: Callable[[], PythonBounds | None]
) -> bool | None:
    """Equal (``True``), different (``False``) or undecidable (``None``) for uv."""
    if first.specifier != second.specifier:
        try:
            same_versions = specifiers_equivalent(first.specifier, second.specifier)
        except ValueError:
            return None
        if same_versions is not True:
            return same_versions
    marker, other = first.marker, second.marker
    if (marker.text if marker else "") == (other.text if other else ""):
        return True  # settled without reading the lock's requires-python
    from release_assistant.core.lockfiles.pep508.equivalence import markers_equivalent

    return markers_equivalent(marker, other, bounds())
