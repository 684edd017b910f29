"""``uv.lock`` against ``pyproject.toml``: the verdict of ``uv lock --check``, offline.

uv re-uses a lock when its recorded inputs still match the workspace (``ValidatedLock::validate``
then ``Lock::satisfies`` in uv's sources). This package compares the same inputs:

1. resolver settings: ``[options]`` (resolution and pre-release mode, fork strategy,
   ``exclude-newer`` and ``exclude-newer-span``, :mod:`..exclude_newer`; a changed
   ``exclude-newer-package`` is only a warning), ``supported-markers``/``required-markers``
   against ``tool.uv.environments``/``required-environments``, ``conflicts``, and the indexes
   the lock's registry packages come from when the project configures indexes;
2. ``requires-python``: the lock's bounds against the intersection of the members';
3. ``[manifest]``: ``members`` (empty for a lone root project), ``constraints``,
   ``overrides``, ``build-constraints``, ``excludes``, ``dependency-metadata``, and a
   non-project root's ``dependency-groups``;
4. per workspace member: ``virtual`` exactly when it is not a package, editable unless a
   member requires it with ``editable = false``;
5. per source-tree package (members and local path dependencies): the static version
   (PEP 440 equal, absent when dynamic), ``provides-extras`` as a set, ``requires-dist`` as a
   set (dependencies plus optional dependencies with ``extra == '<name>'`` added to their
   marker, after ``tool.uv.sources``), ``requires-dev`` (dependency groups with
   ``include-group`` expanded, legacy ``tool.uv.dev-dependencies`` in ``dev``, each
   requirement with its groups' ``tool.uv.dependency-groups`` requires-python as a marker),
   and, from lock revision 5, ``[package.group-requires-python]``.

Requirements are compared as uv compares them: PEP 503 names, sorted extras, sources as
absolute paths or credential-free URLs as written; specifier sets by the versions they admit,
and markers semantically within the lock's ``requires-python``, in uv's marker model
(:mod:`..pep508`).

Only the lock's header and its source-tree ``[[package]]`` blocks are TOML-parsed. A lock in
uv's own form is indexed by one regular-expression pass (:func:`.scan.canonical_index`: the
package identities for duplicates, registry URLs, where each block starts); any other form
takes the general path, which screens every line first. Plain requirement strings and
markers are compared in ``packaging``'s spelling without importing it (:mod:`..pep508.plain`).
``benchmarks/lock_speed.py`` times the hook against ``uv lock --check --offline`` from the
real 690 KB lock to 20,000 packages; ``tests/test_lock_uv_slices.py`` holds the slicing to
``tomllib``.

Modules (each imports only those listed before it):

- :mod:`.model`: the lock's packages, requirements (``Req``), projects, the findings so far;
- :mod:`.scan`: the lock's header and ``[[package]]`` index without parsing it all; duplicates;
- :mod:`.sources`: URLs and paths as uv records them (credentials stripped, normalized);
- :mod:`.workspace`: the root's settings (``tool.uv``, ``uv.toml``) and its members;
- :mod:`.lowering`: a project's requirements with ``tool.uv.sources`` applied, as uv lowers them;
- :mod:`.compare`: one lock against one workspace: requirement sets under uv's equality;
- :mod:`.settings`: item 1; :mod:`.manifest`: items 2 to 4; :mod:`.packages`: item 5.

:func:`check`, below, is the entry point the ``lock`` check calls: it scans the lock, reads the
workspace, then runs the families in the order above. It lives here rather than in a module of
its own because every module costs a hook run ~0.1 ms to import (measured with
``python -X importtime``).
"""

from __future__ import annotations

from collections.abc import Mapping

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.lockfiles.files import RepoFiles
from release_assistant.core.lockfiles.pyproject_shape import UV, pyproject_problem
from release_assistant.core.lockfiles.uv import manifest, packages, settings
from release_assistant.core.lockfiles.uv.compare import Comparison
from release_assistant.core.lockfiles.uv.lock_entries import LOCK, LockedPackage, Project
from release_assistant.core.lockfiles.uv.scan import duplicate_findings, scan
from release_assistant.core.lockfiles.uv.workspace import Workspace
from release_assistant.core.rules.lock import NOT_VERIFIABLE_STATICALLY, REFUSED_PYPROJECT_VALUES


def check(
    files: RepoFiles,
    text: str,
    environ: Mapping[str, str],
    canonical: list[LockedPackage] | None = None,
    *,
    indexed: bool = False,
) -> list[Finding]:
    """Every reason ``uv lock --check`` would reject ``text`` for the workspace in ``files``.

    With ``indexed``, ``canonical`` is :func:`.scan.canonical_index` of ``text``, already
    computed by the caller.
    """
    scanned = scan(text, canonical, indexed=indexed)
    if isinstance(scanned, Finding):
        return [scanned]
    findings = duplicate_findings(scanned)
    root_doc = files.toml("pyproject.toml")
    if root_doc is None:
        findings.append(
            Finding(
                NOT_VERIFIABLE_STATICALLY.code,
                "uv.lock has no pyproject.toml beside it to compare with",
                Severity.WARNING,
                LOCK,
                None,
                "run `uv lock --check` where the workspace root is",
            )
        )
        return findings
    workspace = Workspace(files, Project(".", root_doc, True), environ)
    workspace.discover_members()
    refused = _refused_member(workspace)
    if refused is not None:
        findings.append(refused)  # uv refuses the workspace: nothing to compare
        return findings
    comparison = Comparison(workspace, scanned)
    settings.check(comparison)
    manifest.check_requires_python(comparison)
    manifest.check_manifest(comparison)
    manifest.check_members(comparison)
    packages.check_source_trees(comparison)
    findings.extend(workspace.report.findings)
    return findings


def _refused_member(workspace: Workspace) -> Finding | None:
    """RA522 for the first workspace member whose ``pyproject.toml`` uv would refuse (the
    root's is judged by the ``lock`` check before this runs)."""
    for member in workspace.members.values():
        if member.directory == ".":
            continue
        problem = pyproject_problem(member.document, UV)
        if problem is not None:
            line, message = problem
            return Finding(
                REFUSED_PYPROJECT_VALUES.code,
                f"{member.pyproject_path} cannot be read by uv: {message}",
                Severity.ERROR,
                member.pyproject_path,
                line,
                "fix the value, then run `uv lock` (it refuses the file as it is)",
            )
    return None
