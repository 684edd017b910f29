"""The repository under release, through GitPython: discovery, state, tags, push.

Nothing here is imported by the pre-commit hooks (they use the light
:mod:`release_assistant.core.git.readonly`); GitPython is imported by the modules of this package.
Every function returns typed results or raises :class:`GitProblem` with a one-line message;
none prints.
"""

from __future__ import annotations

from release_assistant.core.support.errors import StepFailed


class GitProblem(StepFailed):
    """A git operation could not be done; ``str()`` is one line that says why."""
