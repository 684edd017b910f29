"""The repository under release, as every check sees it."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from release_assistant.core.project.config import Config, load_config
from release_assistant.core.support.textfiles import StrPath
from release_assistant.core.support.toml_lines import TomlDocument

if TYPE_CHECKING:
    from pathlib import Path

    from release_assistant.core.changelog.discovery import ChangelogFile, Fragments
    from release_assistant.core.changelog.parser import Changelog
    from release_assistant.core.project.release_target import ReleaseTarget
    from release_assistant.core.project.tags import TagFormat
    from release_assistant.core.workflows.discovery import Discovery
    from release_assistant.core.workflows.identity import DerivedIdentity, OriginRemote
    from release_assistant.core.workflows.release_bot import ReleaseBot


@dataclass
class RepoContext:
    """Inputs shared by all checks: where the repo is, its config, and what is being released.

    ``root_dir`` is the repository root as an absolute path string; :attr:`root` is the same
    as a :class:`~pathlib.Path`, made on first use, because the ``check-changelog-version``
    hook's checks use :mod:`os.path` and so never import :mod:`pathlib`. ``tag`` is the tag
    under release as the user gave it (``None``: no tag given; the checks then judge the
    repository between releases). ``releasing`` says a release is being made; ``None``
    means "when a tag is given" (the walkthrough's release step sets it). ``today`` and
    ``environ`` are injectable so checks stay pure and testable.
    """

    root_dir: str
    config: Config = field(default_factory=Config)
    pyproject: TomlDocument | None = None
    tag: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    releasing: bool | None = None
    #: The ids of the checks this run executes (set by ``engine.run_checks``): a check leaves
    #: to another what that one reports, so one cause is one finding.
    checks_running: frozenset[str] = frozenset()

    @classmethod
    def load(
        cls,
        root: StrPath,
        tag: str | None = None,
        today: dt.date | None = None,
        environ: Mapping[str, str] | None = None,
        releasing: bool | None = None,
    ) -> RepoContext:
        """Build a context for ``root``, reading its configuration.

        Raises :class:`~release_assistant.core.config.ConfigError` on malformed configuration.
        """
        root_dir = os.path.realpath(root)
        loaded = load_config(root_dir)
        return cls(
            root_dir=root_dir,
            config=loaded.config,
            pyproject=loaded.pyproject,
            tag=tag,
            today=today or dt.date.today(),
            environ=dict(os.environ) if environ is None else environ,
            releasing=releasing,
        )

    @property
    def is_releasing(self) -> bool:
        """True when a release is being made: a tag was given, or ``releasing`` says so.

        Only then must the release's own changelog section be final (dated, not marked
        unreleased) and ``Unreleased`` emptied; between releases those are work in progress.
        """
        return self.tag is not None if self.releasing is None else self.releasing

    @cached_property
    def root(self) -> Path:
        """The repository root as a :class:`~pathlib.Path`."""
        from pathlib import Path

        return Path(self.root_dir)

    @cached_property
    def git_root(self) -> str:
        """The top of the git work tree holding :attr:`root_dir` (its nearest ancestor, itself
        included, with a ``.git`` entry); :attr:`root_dir` when it is in no repository.

        A package of a monorepo (``--repo libs/x``) is released by the workflows of the
        repository, which GitHub reads from the top only. Found on disk, without a git call.
        """
        return find_git_root(self.root_dir)

    def read_text(self, path: StrPath, setting: str | None = None) -> str:
        """The text of ``path`` (absolute, or relative to the root), read from disk once per
        run: workflow discovery screens a file and then parses it, and the suppression
        comments are read from the files the findings name.

        Only a regular file inside the work tree is read (symlinks followed; ``setting``
        names where the path came from, for the refusal). Raises
        :class:`~release_assistant.core.support.textfiles.FileProblem` as
        :func:`~release_assistant.core.support.textfiles.read_text` does, and
        :class:`~release_assistant.core.support.confined.OutsideRepository`.
        """
        from release_assistant.core.support.confined import read_text_inside

        key = os.path.join(self.root_dir, os.fspath(path))
        cache: dict[str, str] = self.__dict__.setdefault("_texts", {})
        if key not in cache:
            cache[key] = read_text_inside(self.git_root, key, setting)
        return cache[key]

    def path(self, relpath: str) -> str:
        """The absolute path of ``relpath`` (a root-relative path from the config)."""
        return os.path.join(self.root_dir, relpath)

    def inside(self, relpath: StrPath, setting: str | None, verb: str = "read") -> str:
        """The real path of ``relpath`` (from ``setting``), which must lie in the work tree:
        :func:`~release_assistant.core.support.confined.resolve_inside`, the one rule every
        path from configuration or a project file goes through."""
        from release_assistant.core.support.confined import resolve_inside

        return resolve_inside(self.git_root, os.path.join(self.root_dir, relpath), setting, verb)

    @property
    def changelog_setting(self) -> str:
        """Where the changelog's path comes from, as messages name it."""
        found = self.changelog_file
        if found.configured:
            return "[tool.release-assistant] changelog"
        if found.reason == "towncrier's filename":
            return "[tool.towncrier] filename"
        return "the changelog"

    @cached_property
    def workflows(self) -> Discovery:
        """Every publishing workflow, found and parsed once for all the checks of a run
        (the ``workflow`` and ``publisher`` checks both read them)."""
        from release_assistant.core.workflows.discovery import discover

        return discover(
            self.root_dir,
            self.git_root,
            workflow_setting=self.config.workflow,
            publisher_workflow=self.config.publisher.workflow,
            pyproject=self.pyproject.data if self.pyproject is not None else None,
            read_text=self.read_text,
        )

    @cached_property
    def release_bot(self) -> ReleaseBot | None:
        """The workflow that bumps the version and writes the changelog in CI, if any (read
        from the git root once per run)."""
        from release_assistant.core.workflows.release_bot import find_release_bot

        return find_release_bot(self.git_root)

    @cached_property
    def towncrier(self) -> dict[str, Any] | None:
        """``[tool.towncrier]`` (from ``towncrier.toml`` or ``pyproject.toml``), if any."""
        from release_assistant.core.changelog.discovery import towncrier_table

        return towncrier_table(self.root_dir, self.pyproject.data if self.pyproject else None)

    @cached_property
    def changelog_file(self) -> ChangelogFile:
        """The changelog in use: configured, or discovered (towncrier's ``filename``, the
        usual names at the root, then under ``docs/``); see
        :mod:`~release_assistant.core.changelog.discovery`."""
        from release_assistant.core.changelog.discovery import (
            ChangelogFile,
            discover_changelog,
            towncrier_table,
        )

        found = discover_changelog(
            self.root_dir,
            self.config.changelog,
            self.towncrier,
            self._names_a_release,
        )
        if found.relpath is not None or self.git_root == self.root_dir:
            return found
        # A package of a monorepo without a changelog of its own: the repository's, if any,
        # when the root is no package itself (beside a root project, the root's changelog is
        # that project's: pydantic's HISTORY.md says nothing of pydantic-core).
        top = self.git_root
        from release_assistant.core.project.packages import is_monorepo_root
        from release_assistant.core.support.textfiles import FileProblem
        from release_assistant.core.support.toml_lines import load_toml

        top_data = None
        if os.path.isfile(os.path.join(top, "pyproject.toml")):
            try:
                top_data = load_toml(os.path.join(top, "pyproject.toml")).data
            except FileProblem:
                return found
        if not is_monorepo_root(top_data):
            return found

        def outer(relpath: str) -> str:
            return relative_path(os.path.join(top, relpath), self.root_dir, outside=True)

        shared = discover_changelog(
            top,
            None,
            towncrier_table(top, top_data),
            lambda relpath: bool(self._parsed(outer(relpath)).releases),
        )
        if shared.relpath is None:
            return found
        return ChangelogFile(
            outer(shared.relpath), f"{shared.reason} of the repository (the package has none)"
        )

    @cached_property
    def changelog(self) -> Changelog | None:
        """The parsed changelog (:attr:`changelog_file`), read once for all the checks of a
        run.

        ``None`` when there is no such file; raises
        :class:`~release_assistant.core.support.textfiles.FileProblem` when it cannot be read.
        """
        relpath = self.changelog_file.relpath
        if relpath is None:
            return None
        # Refused before anything else when it leaves the work tree, even when missing there.
        if not os.path.isfile(self.inside(relpath, self.changelog_setting)):
            return None
        return self._parsed(relpath, self.changelog_setting)

    def _parsed(self, relpath: str, setting: str = "the changelog") -> Changelog:
        from release_assistant.core.changelog.parser import parse_changelog, syntax_of
        from release_assistant.core.support.confined import read_text_inside

        cache: dict[str, Changelog] = self.__dict__.setdefault("_changelogs", {})
        if relpath not in cache:
            # Relative to the project, confined to the work tree: a package of a monorepo
            # may keep its notes in the repository's changelog (``../../CHANGELOG.md``).
            text = read_text_inside(self.git_root, os.path.join(self.root_dir, relpath), setting)
            cache[relpath] = parse_changelog(text, syntax_of(relpath))
        return cache[relpath]

    def _names_a_release(self, relpath: str) -> bool:
        """Whether a discovered changelog candidate holds a release heading (one that
        cannot be read, or leaves the work tree, holds none)."""
        from release_assistant.core.support.textfiles import FileProblem

        try:
            return bool(self._parsed(relpath).releases)
        except FileProblem:
            return False

    @cached_property
    def fragments(self) -> Fragments | None:
        """Towncrier-style fragments waiting for the next release, when the project has a
        fragment directory."""
        from release_assistant.core.changelog.discovery import find_fragments

        return find_fragments(self.root_dir, self.towncrier, self.changelog_file.relpath)

    @cached_property
    def origin(self) -> OriginRemote:
        """The ``origin`` remote (one git call per run) and whether it is a repository on the
        configured GitHub host; the checks, the release and ``watch`` all read it here."""
        from release_assistant.core.workflows.identity import origin_remote

        return origin_remote(self.root, self.config.publisher.github_host)

    @cached_property
    def identity(self) -> DerivedIdentity:
        """The trusted-publisher identity the repository presents, derived once per run."""
        from release_assistant.core.workflows.identity import derive_identity

        return derive_identity(self.origin, self.workflows, self.config.workflow, self.pyproject)

    @cached_property
    def tag_format(self) -> TagFormat:
        """The tag format: configured, else inferred from the repository's tags, else
        ``v{version}``. Reads the tags (one git call) on first use only."""
        from release_assistant.core.project.tags import resolve_tag_format

        return resolve_tag_format(
            self.config.tag_format,
            self.root_dir,
            self.git_root,
            self.pyproject.data if self.pyproject is not None else None,
        )

    @cached_property
    def release(self) -> ReleaseTarget:
        """The version and tag under release, resolved once and shared by all checks."""
        from release_assistant.core.project.release_target import resolve_release_target

        return resolve_release_target(
            self.root_dir, self.git_root, self.pyproject, self.tag, lambda: self.tag_format
        )

    def relative(self, path: StrPath) -> str:
        """``path`` relative to the repository root when inside it, for messages."""
        return relative_path(path, self.root_dir)


def relative_path(path: StrPath, root: str, *, outside: bool = False) -> str:
    """An absolute ``path`` inside the absolute ``root`` as a POSIX-style relative path, for
    messages; any other path as given (with ``outside``, relative too: ``../CHANGELOG.md``)."""
    text = os.fspath(path)
    if not os.path.isabs(text):
        return text
    try:
        relative = os.path.relpath(text, root)
    except ValueError:  # another drive, on Windows
        return text
    if not outside and (relative == os.pardir or relative.startswith(os.pardir + os.sep)):
        return text
    return relative.replace(os.sep, "/")


def find_git_root(directory: str) -> str:
    """The nearest of ``directory`` and its ancestors that holds ``.git`` (a directory, or the
    file of a linked work tree or submodule); ``directory`` itself when none does."""
    current = os.path.realpath(directory)
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return os.path.realpath(directory)
        current = parent
