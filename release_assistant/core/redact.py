"""The last pass over everything the tool prints or writes: no credential leaves the machine.

Findings quote files, remotes and workflow lines, and any of them can hold a secret (an
``origin`` URL with a token in it, a token pasted into a workflow). Every output channel —
the CLI's stdout and stderr, the hooks' lines, the report files, the walkthrough — sends its
text through :func:`redact`, which replaces:

- the user-info part of any URL (``https://user:TOKEN@host/`` → ``https://***@host/``);
- GitHub tokens (``ghp_``/``gho_``/``ghu_``/``ghs_``/``ghr_`` and ``github_pat_``) and
  package-index API tokens (``pypi-`` macaroons) by their shape;
- the value of every environment variable whose name says it is a credential (``*TOKEN*``,
  ``*SECRET*``, ``*PASSWORD*``, ``*_KEY``, ...), wherever it appears.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from release_assistant.core.support.lazy_regex import LazyPattern

MASK = "***"

_URL_USERINFO = LazyPattern(r"(?i)\b([a-z][a-z0-9+.-]*://)[^\s/@]+@")
_TOKEN_SHAPES = re.compile(
    r"\bgh[pousr]_[A-Za-z0-9]{20,255}\b"
    r"|\bgithub_pat_[A-Za-z0-9_]{20,255}\b"
    r"|\bpypi-[A-Za-z0-9_-]{16,}"
)
_SECRET_NAME = re.compile(
    r"(?i)(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|PRIVATE_?KEY|_KEY$|_PAT$)"
)
#: Shorter values are too likely to be ordinary words ("true", "main") to mask everywhere.
_MIN_SECRET_LENGTH = 8


def secret_values(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Values of credential-named environment variables, longest first."""
    env = os.environ if environ is None else environ
    values = {
        value
        for name, value in env.items()
        if _SECRET_NAME.search(name) and len(value) >= _MIN_SECRET_LENGTH
    }
    return tuple(sorted(values, key=len, reverse=True))


def redact(text: str, environ: Mapping[str, str] | None = None) -> str:
    """``text`` with URL credentials, token shapes and credential env values masked."""
    for value in secret_values(environ):
        if value in text:
            text = text.replace(value, MASK)
    if "@" in text:
        text = _URL_USERINFO.sub(rf"\1{MASK}@", text)
    return _TOKEN_SHAPES.sub(MASK, text)


def strip_userinfo(url: str) -> str:
    """``url`` without ``user:password@`` (for showing a remote)."""
    return _URL_USERINFO.sub(r"\1", url)
