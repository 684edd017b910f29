"""Where an upload goes, and whether that is where its job says: RA624, RA625.

An upload's URL decides where it goes (:func:`target`); the names of its step, job and
environment say what it is meant for (:func:`intent`). A TestPyPI job that uploads to the
production index (RA624) and a PyPI job pointed at the test index (RA625) are errors. Each
upload of a job is judged by itself: in a job with a TestPyPI step and a PyPI step, the
job's names decide for neither.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from release_assistant.core.rules.workflow import REAL_INDEX_POINTS_AT_TEST, TEST_INDEX_WITHOUT_URL
from release_assistant.core.workflows.analysis.state import WorkflowFindings
from release_assistant.core.workflows.uploads import OTHER, PYPI, TESTPYPI, Upload
from release_assistant.core.workflows.workflow import PUBLISH_ACTION, Job

_TEST_INDEX_WORDS = re.compile(r"test[-_ .]?pypi", re.IGNORECASE)
_INDEX_WORD = re.compile(r"pypi", re.IGNORECASE)


def intent(upload: Upload, siblings: Sequence[Upload] = ()) -> str | None:
    """What the names say an upload is for (``testpypi``/``pypi``): the step's name first
    (one job may upload to both), then the job's id, name and environment.

    The job's names speak for one upload only: not when ``siblings`` (the job's uploads)
    aim at different indexes (a TestPyPI step, then a PyPI step), nor when they name both
    indexes (``publish-testpypi-and-pypi``).
    """
    step_words = upload.step.name or ""
    if _TEST_INDEX_WORDS.search(step_words):
        return TESTPYPI
    if _INDEX_WORD.search(step_words):
        return PYPI
    job = upload.job
    words = " ".join(
        part for part in (job.id, job.name, job.environment and job.environment.name) if part
    )
    explicit = {u.index for u in siblings if u.job is job and u.index_text}
    if len({u.index for u in siblings if u.job is job} | explicit) > 1:
        return None
    if _TEST_INDEX_WORDS.search(words):
        if _INDEX_WORD.search(_TEST_INDEX_WORDS.sub(" ", words)):
            return None  # both indexes named
        return TESTPYPI
    if _INDEX_WORD.search(words):
        return PYPI
    return None


def target(upload: Upload) -> str:
    """Where an upload really goes: its URL decides, the job's names only when it has none."""
    if upload.index in (PYPI, TESTPYPI, OTHER):
        return upload.index
    return intent(upload) or PYPI


def check_index(state: WorkflowFindings, job: Job, upload: Upload) -> None:
    """RA624/RA625: the index ``upload`` reaches against the one its names intend."""
    from release_assistant.core.urls import TESTPYPI_LEGACY_UPLOAD_URL, same_upload_url

    said = intent(upload, [u for u in state.uploads if u.job is job])
    url = upload.index_text
    if said == TESTPYPI and upload.index == PYPI:
        what = f"'{url}'" if url else "no index URL"
        state.add(
            TEST_INDEX_WITHOUT_URL,
            f"TestPyPI publish {job.label} has {what}, so {upload.label} uploads to the "
            "production index",
            upload.index_line,
            f"set 'repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}' under 'with:' (or the "
            "upload command's index URL option)",
        )
    elif (
        said == TESTPYPI
        and upload.tool == PUBLISH_ACTION
        and upload.index == TESTPYPI
        and url
        and not same_upload_url(url, TESTPYPI_LEGACY_UPLOAD_URL)
    ):
        state.add(
            TEST_INDEX_WITHOUT_URL,
            f"TestPyPI publish {job.label} has 'repository-url: {url}', which is not the "
            "test index's upload endpoint",
            upload.index_line,
            f"set 'repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}' under 'with:'",
        )
    elif said == PYPI and upload.index == TESTPYPI:
        state.add(
            REAL_INDEX_POINTS_AT_TEST,
            f"PyPI publish {job.label} points {upload.label} at the test index",
            upload.index_line,
            "remove the test index URL from this PyPI upload (or rename the job and "
            "environment to 'testpypi' if it is the test upload)",
        )
