"""Credentials: what an upload is given, where its value comes from, and who stores one.

A value from a secret or a literal is a stored token; one from a step's output was minted
during the run. :data:`STORES_CREDENTIAL` and :func:`sets_up_credentials` find the steps
that leave a credential for later steps (a tool's configuration, ``.pypirc``, the keyring,
``$GITHUB_ENV``, an OIDC exchange).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from release_assistant.core.support.lazy_regex import LazyPattern
from release_assistant.core.workflows.uploads.tools import env_matching
from release_assistant.core.workflows.workflow import Step

_STEP_OUTPUT = LazyPattern(r"\b(?:steps|needs)\.", re.IGNORECASE)
#: A secret reference, ``secrets.NAME`` or the index form ``secrets['NAME']``; the name is
#: group 1 (GitHub compares secret names ignoring case).
_SECRET = LazyPattern(r"\bsecrets\s*(?:\.\s*|\[\s*['\"])([A-Za-z0-9_-]+)", re.IGNORECASE)
_SHELL_VARIABLE = LazyPattern(r"^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$")


@dataclass(frozen=True, slots=True)
class Credential:
    """A credential passed to an upload: where, and where its value comes from.

    ``source``: ``secret`` (a repository secret), ``literal`` (written in the file),
    ``expression`` (another ``${{ }}`` value), ``minted`` (a step output: exchanged during
    the run) or ``github-token`` (the job's own token, for GitHub's package registry).
    """

    name: str
    line: int
    source: str
    text: str

    @property
    def is_token(self) -> bool:
        """True for a stored credential (a long-lived token), not one minted by the run."""
        return self.source in ("secret", "literal", "expression")


def source_of(value: str, env: Mapping[Any, Any] | None = None) -> str | None:
    """Where a credential's value comes from (see :class:`Credential`); ``None``: empty."""
    text = value.strip().strip("\"'")
    if not text:
        return None
    secret = _SECRET.search(text)
    if secret is not None:
        return "github-token" if secret.group(1).lower() == "github_token" else "secret"
    if "${{" in text:
        if re.search(r"\bgithub\.token\b", text):
            return "github-token"
        return "minted" if _STEP_OUTPUT.search(text) else "expression"
    variable = _SHELL_VARIABLE.match(text)
    if variable is not None:
        if env is not None:
            for _, found in env_matching(env, variable.group(1)):
                return source_of(found)
        return "minted"  # set by the script itself
    return "literal"


_CREDENTIAL_SETUP = LazyPattern(
    r"mint-token|oidc|github_env|\.pypirc|poetry\s+config\s+(?:pypi-token|http-basic)"
    r"|keyring\s+set|hatch\s+config\s+set\s+publish",
    re.IGNORECASE,
)


#: Steps that store an index credential where an upload tool reads it (the tools' own
#: configuration, ``.pypirc``, the keyring, or a credential variable exported to later steps).
STORES_CREDENTIAL = re.compile(
    r"\.pypirc|poetry\s+config\s+(?:pypi-token|http-basic)|keyring\s+set"
    r"|hatch\s+config\s+set\s+publish"
    r"|(?:TWINE_PASSWORD|UV_PUBLISH_TOKEN|UV_PUBLISH_PASSWORD|POETRY_PYPI_TOKEN_\w+"
    r"|PDM_PUBLISH_PASSWORD|FLIT_PASSWORD|MATURIN_PYPI_TOKEN|HATCH_INDEX_AUTH)=",
    re.IGNORECASE,
)


def sets_up_credentials(step: Step) -> bool:
    """Could this step leave an index credential for later steps?

    It mints one (an OIDC exchange, a token action), exports one (``$GITHUB_ENV``) or stores
    one in a tool's configuration (``poetry config pypi-token``, ``.pypirc``, keyring).
    """
    if _CREDENTIAL_SETUP.search(step.run or ""):
        return True
    action = step.action or ""
    return bool(action) and ("token" in action or "oidc" in action or "mint" in action)
