"""The data: the upload tools, the actions, and the indexes an upload aims at.

The table of upload commands (``uv publish``, ``twine upload``, ``pdm``, ``poetry``,
``hatch`` and ``flit publish``, ``maturin upload``): the options that take a value, a
credential, an index URL or an index name, and the environment variables each reads. Also
the actions that build, upload or download distributions, and how an index URL or name
becomes ``pypi``, ``testpypi``, ``other`` or ``unknown``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from release_assistant.core.support.lazy_regex import LazyPattern

#: Indexes an upload can aim at.
PYPI = "pypi"
TESTPYPI = "testpypi"
OTHER = "other"
UNKNOWN_INDEX = "unknown"

MATURIN_ACTION = "pyo3/maturin-action"
DOWNLOAD_ARTIFACT = "actions/download-artifact"
HYNEK = "hynek/build-and-inspect-python-package"
CIBUILDWHEEL = "pypa/cibuildwheel"
UPLOAD_ARTIFACT = "actions/upload-artifact"
#: Actions that build distributions (the maturin action also uploads: see ``command``).
BUILD_ACTIONS = (HYNEK, CIBUILDWHEEL, MATURIN_ACTION, "messense/maturin-action")
HYNEK_ARTIFACT = "Packages"

#: Actions of other repositories known to upload to the index (release tools).
KNOWN_PUBLISHING_ACTIONS = ("jupyter-server/jupyter_releaser/.github/actions/finalize-release",)


@dataclass(frozen=True, slots=True)
class PublishingAction:
    """Another repository's action that uploads to an index, read by its inputs.

    ``oidc``: it uses trusted publishing itself when given no credential. ``gates``: inputs
    that decide whether it uploads at all (``upload: ${{ startsWith(github.ref, ...) }}``);
    ``dry_runs``: inputs that stop the upload when true. ``decides_itself``: it uploads only
    when it finds a new version (its own gate, which no input shows).
    """

    name: str
    oidc: bool
    credentials: tuple[str, ...]
    urls: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    gates: tuple[str, ...] = ()
    dry_runs: tuple[str, ...] = ()
    files: str | None = None
    #: Inputs that make it build first (any value but ``false`` or empty), or ``True``
    #: when it always builds.
    builds: tuple[str, ...] | bool = ()
    decides_itself: bool = False


#: Publishing actions maintainers use beside ``pypa/gh-action-pypi-publish`` (lower case).
PUBLISHING_ACTIONS: dict[str, PublishingAction] = {
    action.name: action
    for action in (
        # Uploads with twine; without `password` it exchanges the OIDC token itself.
        PublishingAction(
            "casperdcl/deploy-pypi",
            oidc=True,
            credentials=("password",),
            urls=("url",),
            gates=("upload",),
            files="dist_dir",
            builds=("build", "setup", "pip"),
        ),
        # Builds and publishes with a token only, and only when the version is new.
        PublishingAction(
            "etils-actions/pypi-auto-publish",
            oidc=False,
            credentials=("pypi-token",),
            builds=True,
            decides_itself=True,
        ),
        PublishingAction(
            "etils-actions/pypi-build-publish",
            oidc=False,
            credentials=("pypi-token",),
            builds=True,
        ),
        # `poetry build` and `poetry publish` in a container: a token or a password.
        PublishingAction(
            "jrubics/poetry-publish",
            oidc=False,
            credentials=("pypi_token", "repository_password"),
            urls=("repository_url",),
            names=("repository_name",),
            builds=True,
        ),
        PublishingAction(
            "code-specialist/pypi-poetry-publish",
            oidc=False,
            credentials=("pypi_token", "pypi-token"),
            urls=("pypi_repository_url", "repository_url"),
            names=("pypi_repository_name", "repository_name"),
            builds=True,
        ),
    )
}
#: Actions that install an upload tool (the upload is a command in a later step).
TOOL_INSTALLERS = (
    "astral-sh/setup-uv",
    "pdm-project/setup-pdm",
    "snok/install-poetry",
    "abatilo/actions-poetry",
    "eifinger/setup-rye",
    "yezz123/setup-uv",
)
#: The maturin action under its former owner.
MATURIN_ACTIONS = ("pyo3/maturin-action", "messense/maturin-action")


@dataclass(frozen=True, slots=True)
class Tool:
    """How one upload command takes its index, its credentials and its files."""

    name: str
    oidc: bool
    value_options: frozenset[str]
    credential_options: frozenset[str]
    url_options: frozenset[str]
    name_options: frozenset[str]
    credential_env: tuple[str, ...]
    url_env: tuple[str, ...]
    name_env: tuple[str, ...]
    default_files: tuple[str, ...]


def _tool(
    name: str,
    *,
    oidc: bool,
    values: str = "",
    credentials: str = "",
    urls: str = "",
    names: str = "",
    credential_env: tuple[str, ...] = (),
    url_env: tuple[str, ...] = (),
    name_env: tuple[str, ...] = (),
    files: tuple[str, ...] = ("dist",),
) -> Tool:
    split = frozenset(credentials.split()) | frozenset(urls.split()) | frozenset(names.split())
    return Tool(
        name,
        oidc,
        frozenset(values.split()) | split,
        frozenset(credentials.split()),
        frozenset(urls.split()),
        frozenset(names.split()),
        credential_env,
        url_env,
        name_env,
        files,
    )


#: The upload tools, by the :data:`PUBLISH_COMMAND` group that finds their command.
TOOLS: dict[str, Tool] = {
    "uv": _tool(
        "uv publish",
        oidc=True,
        values="-u --username --trusted-publishing --keyring-provider --check-url --cache-dir "
        "--directory --project --config-file --python --allow-insecure-host --color",
        credentials="-t --token -p --password",
        urls="--publish-url",
        names="--index",
        credential_env=("UV_PUBLISH_TOKEN", "UV_PUBLISH_PASSWORD"),
        url_env=("UV_PUBLISH_URL",),
        name_env=("UV_PUBLISH_INDEX",),
        files=("dist",),
    ),
    "twine": _tool(
        "twine upload",
        oidc=True,
        values="-u --username -c --comment -i --identity --sign-with --client-cert --cert "
        "--config-file",
        credentials="-p --password",
        urls="--repository-url",
        names="-r --repository",
        credential_env=("TWINE_PASSWORD",),
        url_env=("TWINE_REPOSITORY_URL",),
        name_env=("TWINE_REPOSITORY",),
        files=(),
    ),
    "pdm": _tool(
        "pdm publish",
        oidc=True,
        values="-u --username -i --identity -c --comment --ca-certs -p --project",
        credentials="-P --password",
        names="-r --repository",
        credential_env=("PDM_PUBLISH_PASSWORD",),
        name_env=("PDM_PUBLISH_REPO",),
    ),
    "poetry": _tool(
        "poetry publish",
        oidc=False,
        values="-u --username --cert --client-cert --dist-dir -C --directory -P --project",
        credentials="-p --password",
        names="-r --repository",
        credential_env=("POETRY_PYPI_TOKEN_*", "POETRY_HTTP_BASIC_*_PASSWORD"),
    ),
    "hatch": _tool(
        "hatch publish",
        oidc=False,
        values="-u --user --ca-cert --client-cert --client-key -o --option",
        credentials="-a --auth",
        names="-r --repo",
        credential_env=("HATCH_INDEX_AUTH",),
        name_env=("HATCH_INDEX_REPO",),
    ),
    "flit": _tool(
        "flit publish",
        oidc=False,
        values="--pypirc --format",
        names="--repository",
        credential_env=("FLIT_PASSWORD",),
        url_env=("FLIT_INDEX_URL",),
    ),
    "maturin": _tool(
        "maturin upload",
        oidc=True,
        values="-u --username -m --manifest-path -i --interpreter --target -F --features "
        "--compatibility --profile -o --out",
        credentials="-p --password",
        urls="--repository-url",
        names="-r --repository",
        credential_env=("MATURIN_PYPI_TOKEN", "MATURIN_PASSWORD"),
        url_env=("MATURIN_REPOSITORY_URL",),
        name_env=("MATURIN_REPOSITORY",),
        files=(),
    ),
}
#: Every tool's variables, for a step whose tool is not visible (``tox -e release``).
ALL_CREDENTIAL_ENV = tuple(p for tool in TOOLS.values() for p in tool.credential_env)
ALL_URL_ENV = tuple(p for tool in TOOLS.values() for p in tool.url_env)
ALL_NAME_ENV = tuple(p for tool in TOOLS.values() for p in tool.name_env)

#: The upload commands of the tools in ``TOOLS`` (group name: the tool).
PUBLISH_COMMAND = re.compile(
    r"(?P<twine>\btwine\s+upload)\b|(?P<uv>\buv\s+publish)\b|(?P<pdm>\bpdm\s+publish)\b"
    r"|(?P<poetry>\bpoetry\s+publish)\b|(?P<hatch>\bhatch\s+publish)\b"
    r"|(?P<flit>\bflit\s+publish)\b|(?P<maturin>\bmaturin\s+(?:upload|publish))\b"
)


def scalar_text(value: Any) -> str | None:
    """A YAML scalar as text (``true``/``false`` for booleans); ``None`` for a map or list."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def env_matching(env: Mapping[Any, Any], pattern: str) -> Iterator[tuple[str, str]]:
    """``(name, value)`` of each variable in ``env`` matching ``pattern`` (``*`` wildcard)."""
    if not env:
        return  # most steps set no variable: nothing to compile the pattern for
    regex = re.compile("^" + ".*".join(map(re.escape, pattern.split("*"))) + "$", re.IGNORECASE)
    for key, value in env.items():
        text = scalar_text(value)
        if isinstance(key, str) and regex.match(key) and text is not None:
            yield key, text


def index_of_url(url: str) -> str:
    """``pypi``, ``testpypi``, ``other`` or ``unknown`` for an upload URL."""
    from release_assistant.core.urls import is_production_index_url, is_test_index_url, url_host

    text = url.strip().strip("\"'")
    host = url_host(text)
    if not host or "${{" in host or "$" in host:
        return UNKNOWN_INDEX
    if is_test_index_url(text):
        return TESTPYPI
    if is_production_index_url(text):
        return PYPI
    return OTHER


def index_of_name(name: str) -> str:
    """The index a repository name (``-r testpypi``) or URL stands for."""
    text = name.strip().strip("\"'")
    if "://" in text:
        return index_of_url(text)
    if "${{" in text or text.startswith("$"):
        return UNKNOWN_INDEX
    from release_assistant.core.urls import PYPI_HOST, TESTPYPI_HOST

    lowered = text.lower()
    if lowered in ("pypi", "main", PYPI_HOST, "default"):
        return PYPI
    if lowered in ("testpypi", "test", "test-pypi", "test_pypi", "pypitest", TESTPYPI_HOST):
        return TESTPYPI
    return OTHER


_TEST_INDEX_WORDS = LazyPattern(r"test[-_ .]?pypi|pypi[-_ .]?test", re.IGNORECASE)
_INDEX_WORD = re.compile(r"pypi", re.IGNORECASE)


def index_in_words(text: str) -> str | None:
    """The index a name speaks of (``testpypi``, ``pypi``), or ``None``: for an
    environment, a job or a step name."""
    if _TEST_INDEX_WORDS.search(text):
        return TESTPYPI
    if _INDEX_WORD.search(text):
        return PYPI
    return None
