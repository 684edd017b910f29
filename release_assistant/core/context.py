"""The repository under release, as every check sees it."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from release_assistant.core.config import Config, load_config
from release_assistant.core.records import field, record
from release_assistant.core.toml_lines import TomlDocument

if TYPE_CHECKING:
    from release_assistant.core.versioning import ReleaseTarget


@record
class RepoContext:
    """Inputs shared by all checks: where the repo is, its config, and what is being released.

    ``tag`` is the tag under release as the user gave it (``None``: release the project's
    version). ``today`` and ``environ`` are injectable so checks stay pure and testable.
    """

    root: Path
    config: Config = field(default_factory=Config)
    pyproject: TomlDocument | None = None
    tag: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    @classmethod
    def load(
        cls,
        root: Path,
        tag: str | None = None,
        today: dt.date | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> RepoContext:
        """Build a context for ``root``, reading its configuration.

        Raises :class:`~release_assistant.core.config.ConfigError` on malformed configuration.
        """
        root = root.resolve()
        loaded = load_config(root)
        return cls(
            root=root,
            config=loaded.config,
            pyproject=loaded.pyproject,
            tag=tag,
            today=today or dt.date.today(),
            environ=dict(os.environ) if environ is None else environ,
        )

    @cached_property
    def release(self) -> ReleaseTarget:
        """The version and tag under release, resolved once and shared by all checks."""
        from release_assistant.core.versioning import resolve_release_target

        return resolve_release_target(self)

    def relative(self, path: Path) -> str:
        """``path`` relative to the repository root when inside it, for messages."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
