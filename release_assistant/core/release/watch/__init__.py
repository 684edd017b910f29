"""``watch``: follow a release from its workflow run to the files on the index.

After the GitHub release is published, :func:`watch` finds the workflow run the tag started
(GitHub Actions API: the runs of the tag's commit, on the tag, of the publishing workflow),
follows it with growing pauses and a bound on the total time, and then asks the index's JSON
API whether this version is there with one sdist and the wheels expected, and its integrity
API for the files' attestations. A failed run yields the failing jobs' log tails, matched
against the known publish errors of :mod:`~release_assistant.core.rules.publish_errors`.

Nothing here prints or sleeps: :func:`watch` is a generator of :class:`Progress` lines,
:class:`Wait` requests (the caller sleeps, or stops: Ctrl-C, a cancelled worker) and one
final :class:`WatchResult`. The clock is a parameter, so tests run without waiting.

The modules, one per seam: :mod:`.target` (the models, the target and the files expected
on the index), :mod:`.run` (the generator and its watcher over the Actions API) and
:mod:`.index` (the index's files and attestations judged, the outcome's lines). The entry
points are imported from here.
"""

from __future__ import annotations

from release_assistant.core.release.watch.index import result_lines
from release_assistant.core.release.watch.run import watch
from release_assistant.core.release.watch.target import (
    Event,
    ExpectedFiles,
    FailedJob,
    IndexFile,
    Limits,
    Progress,
    Wait,
    WatchRefused,
    WatchResult,
    WatchTarget,
    prepare_watch,
    watch_target,
)

__all__ = [
    "Event",
    "ExpectedFiles",
    "FailedJob",
    "IndexFile",
    "Limits",
    "Progress",
    "Wait",
    "WatchRefused",
    "WatchResult",
    "WatchTarget",
    "prepare_watch",
    "result_lines",
    "watch",
    "watch_target",
]
