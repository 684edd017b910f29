"""What a job does with distributions: builds them, checks them, uploads them, and how.

Every way a GitHub Actions job publishes to an index is an :class:`Upload`: the
``pypa/gh-action-pypi-publish`` action, ``PyO3/maturin-action`` with ``command: upload``,
the other publishing actions the tool knows by their inputs (``casperdcl/deploy-pypi``,
...: :data:`~.tools.PUBLISHING_ACTIONS`, with the inputs that gate their upload), and the
``uv publish``, ``twine upload``, ``pdm publish``, ``poetry publish``, ``hatch publish``,
``flit publish`` and ``maturin upload|publish`` commands, written in a ``run:`` script or
in what it runs: repository scripts, followed transitively (shell to Python to the commands
Python runs, a ``make`` target; :mod:`.commands`), and composite actions of this repository,
nested. An upload a script runs only under its own condition decides for itself when it
runs.

What the scan cannot see into (another repository's action or reusable workflow, a task
runner, a script that is not there) is recorded where it might publish
(``JobScan.unread``): claims that something is absent are not certain while it exists. A
job that holds ``id-token: write``, names the index and runs such a step is taken to
publish (an *inferred* upload, whose details are not checked).

Trusted publishing or token publishing is decided by the credentials actually passed, not
by the tool: a ``password:`` input, ``TWINE_PASSWORD``, ``UV_PUBLISH_TOKEN``,
``POETRY_PYPI_TOKEN_*``, ``PDM_PUBLISH_PASSWORD``, ``FLIT_PASSWORD``, ``MATURIN_PYPI_TOKEN``
(or the matching command-line option) filled from a secret or a literal is a token; one
filled from a step's output was minted during the run (by exchanging the OIDC token).
Without any, the action, ``uv publish``, ``twine upload`` (6.1 and later), ``pdm publish``
and ``maturin upload`` use trusted publishing themselves; ``poetry``, ``hatch`` and ``flit``
cannot, and have nothing to upload with.

The index an upload aims at comes from its URL or repository name (``repository-url``,
``--publish-url``, ``-r testpypi``, ``TWINE_REPOSITORY_URL``, ...): ``pypi``, ``testpypi``,
``other`` (a private index: credential rules do not apply) or ``unknown`` (computed at run
time).

The modules, one per seam: :mod:`.tools` (the upload tools' table, the actions, the
indexes), :mod:`.commands` (reading shell and the repository scripts it runs),
:mod:`.credentials`, :mod:`.composite` (composite actions of this repository), :mod:`.steps`
(the :class:`Upload` each kind of publishing step makes) and :mod:`.scanner` (a job's
:class:`JobScan`). The entry points are imported from here.
"""

from __future__ import annotations

from release_assistant.core.workflows.uploads.credentials import Credential, source_of
from release_assistant.core.workflows.uploads.scanner import (
    MIGHT_PUBLISH,
    JobScan,
    infer_uploads,
    scan_job,
    scan_workflow,
)
from release_assistant.core.workflows.uploads.shell import Command, commands
from release_assistant.core.workflows.uploads.steps import Upload
from release_assistant.core.workflows.uploads.tools import (
    OTHER,
    PUBLISH_COMMAND,
    PYPI,
    TESTPYPI,
    UNKNOWN_INDEX,
    index_of_name,
    index_of_url,
)

__all__ = [
    "MIGHT_PUBLISH",
    "OTHER",
    "PUBLISH_COMMAND",
    "PYPI",
    "TESTPYPI",
    "UNKNOWN_INDEX",
    "Command",
    "Credential",
    "JobScan",
    "Upload",
    "commands",
    "index_of_name",
    "index_of_url",
    "infer_uploads",
    "scan_job",
    "scan_workflow",
    "source_of",
]
