"""Is the version under release already on the package index? Asked before the tag.

A version the index already has cannot be uploaded again: the upload fails with "File already
exists", or, with ``skip-existing: true`` in the publish step, uploads nothing and the run
still goes green. So the question is asked before anything is tagged, through the index's
public JSON API (no credential), within a small budget (:data:`INDEX_TIMEOUT`, every request
together): an index that cannot be reached is an ``unknown`` verdict with the reason, never a
wait and never a failure.

Two requests at most. The release's own page (``/pypi/{project}/{version}/json``) answers
for the version: the index resolves it by PEP 440 equality (asked for ``1.0``, it finds
``1.0.0``), and the answer's spelling is compared again here. When it is not there, the
project's page (``/pypi/{project}/json``) tells a new project (404: the first upload creates
it, which trusted publishing allows only through a *pending* publisher) from a version not
uploaded yet; its list of releases, when it is small enough to read within the budget, is
searched too, by PEP 440 equality, for a mirror that resolves versions literally.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from release_assistant.core.github.api import ApiProblem
from release_assistant.core.publisher.index_api import IndexApi
from release_assistant.core.urls import project_json_url, release_json_url, url_host

_Answer = TypeVar("_Answer")

#: Seconds every request of the question may take together (someone is about to tag).
INDEX_TIMEOUT = 3.0
#: Bytes of a project's page read at most for its list of releases (a long-lived project's
#: page lists every file of every release: megabytes; only the status is needed then).
PROJECT_PAGE_LIMIT = 1 << 20

IndexState = Literal["taken", "free", "new-project", "unknown"]


@dataclass(frozen=True, slots=True)
class IndexVerdict:
    """What the index says about one version of one project.

    ``state``: ``taken`` (the index has the version, spelt ``on_index`` there), ``free``
    (the project exists, the version does not), ``new-project`` (the index has no such
    project: the first upload creates it), ``unknown`` (no usable answer within the budget;
    ``reason`` says why). ``reason`` is one line for a message; ``index_host`` names the
    index asked.
    """

    state: IndexState
    reason: str
    index_host: str
    on_index: str | None = None


def version_on_index(
    base_url: str, project: str, version: Version, timeout: float = INDEX_TIMEOUT
) -> IndexVerdict:
    """Ask the index's JSON API at ``base_url`` whether it has ``project`` ``version``.

    Never raises for what the network does, and returns within about ``timeout`` seconds
    even when name resolution hangs (which no socket timeout bounds): the requests run in a
    worker thread that is abandoned, not waited for, once the budget is spent.
    """
    host = url_host(base_url) or base_url

    def ask() -> IndexVerdict:
        try:
            return _ask(base_url, project, version, timeout)
        except ApiProblem as problem:
            return _unanswered(problem, host, timeout)

    answer = _within(timeout, ask, "index-question")
    if answer is not None:
        return answer
    return IndexVerdict("unknown", f"no answer from {host} within {timeout:g} s", host)


def _within(timeout: float, question: Callable[[], _Answer], thread_name: str) -> _Answer | None:
    """``question()``'s answer, or ``None`` when it has none within about ``timeout`` seconds.

    The question runs in a worker thread that is abandoned, not waited for, once the budget
    is spent: the sockets time out first, and this also bounds name resolution, which no
    socket timeout does.
    """
    answer: list[_Answer] = []
    worker = threading.Thread(
        target=lambda: answer.append(question()), name=thread_name, daemon=True
    )
    worker.start()
    worker.join(timeout + 0.25)
    return answer[0] if answer else None


def _ask(base_url: str, project: str, version: Version, timeout: float) -> IndexVerdict:
    deadline = time.monotonic() + timeout
    name = canonicalize_name(project)
    api = IndexApi(base_url, timeout)
    host = url_host(base_url) or api.host
    page = api.get_json(release_json_url(base_url, name, str(version)))
    if page is not None:
        spelt = _info_version(page)
        if spelt is None or _same(spelt, version):
            return IndexVerdict(
                "taken",
                f"{host} already has {project} {spelt or version}",
                host,
                spelt or str(version),
            )
    api.timeout = max(deadline - time.monotonic(), 0.1)
    try:
        exists, listing = api.probe_json(project_json_url(base_url, name), PROJECT_PAGE_LIMIT)
    except ApiProblem as problem:
        if problem.kind != "malformed":
            raise
        exists, listing = True, None  # a page that is there, whatever it holds
    if not exists:
        return IndexVerdict(
            "new-project",
            f"{host} has no project {project}: the first upload creates it",
            host,
        )
    for spelt in _release_versions(listing):
        if _same(spelt, version):
            return IndexVerdict("taken", f"{host} already has {project} {spelt}", host, spelt)
    return IndexVerdict("free", f"{host} has {project}, but not {version} yet", host)


def _unanswered(problem: ApiProblem, host: str, timeout: float) -> IndexVerdict:
    if problem.kind == "timeout":
        return IndexVerdict("unknown", f"no answer from {host} within {timeout:g} s", host)
    return IndexVerdict("unknown", str(problem), host)


def _info_version(page: Any) -> str | None:
    info = page.get("info") if isinstance(page, dict) else None
    spelt = info.get("version") if isinstance(info, dict) else None
    return spelt if isinstance(spelt, str) else None


def _release_versions(listing: Any) -> list[str]:
    releases = listing.get("releases") if isinstance(listing, dict) else None
    return [key for key in releases if isinstance(key, str)] if isinstance(releases, dict) else []


def _same(spelt: str, version: Version) -> bool:
    """PEP 440 equality (``1.0 == 1.0.0``); a spelling that is no version compares by text."""
    try:
        return Version(spelt) == version
    except InvalidVersion:
        return spelt.strip() == str(version)


ProjectState = Literal["exists", "new-project", "unknown"]


@dataclass(frozen=True, slots=True)
class ProjectVerdict:
    """Whether the index has a project at all: ``exists`` (a publisher is added under the
    project's Settings > Publishing), ``new-project`` (only a *pending* publisher can create
    it), ``unknown`` (no usable answer; ``reason`` says why). ``reason`` is one line naming
    the index asked (``index_host``)."""

    state: ProjectState
    reason: str
    index_host: str


def project_on_index(base_url: str, project: str, timeout: float = INDEX_TIMEOUT) -> ProjectVerdict:
    """Ask the index's JSON API at ``base_url`` whether ``project`` exists (one request, its
    status only; never raises for what the network does, returns within about ``timeout``)."""
    host = url_host(base_url) or base_url
    name = canonicalize_name(project)

    def ask() -> ProjectVerdict:
        try:
            exists, _ = IndexApi(base_url, timeout).probe_json(project_json_url(base_url, name), 0)
        except ApiProblem as problem:
            if problem.kind != "malformed":  # an empty page that is there is still there
                return ProjectVerdict("unknown", _unanswered(problem, host, timeout).reason, host)
            exists = True
        if exists:
            return ProjectVerdict("exists", f"{host} has the project {name}", host)
        return ProjectVerdict(
            "new-project", f"{host} has no project {name} yet (its page is 404)", host
        )

    answer = _within(timeout, ask, "index-project-question")
    if answer is not None:
        return answer
    return ProjectVerdict("unknown", f"no answer from {host} within {timeout:g} s", host)
