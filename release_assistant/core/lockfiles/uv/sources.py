"""Sources as uv records them: URLs without credentials or fragments, git references as
parameters, local paths absolute (in requirements) or root-relative (in package sources).

Pure functions, no findings; :func:`describe_source` and :func:`redact` make them readable
in messages.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from release_assistant.core.lockfiles.files import relative_posix
from release_assistant.core.lockfiles.uv.lock_entries import PATH_KINDS


def describe_source(source: tuple[str, ...], root: Path) -> str:
    """`` @ editable packages/x`` style text for a lowered source (empty for the registry)."""
    kind = source[0]
    if kind in PATH_KINDS:
        return f" @ {kind} {relative_posix(root, Path(source[1]))}"
    if kind == "git":
        query = f"?{source[2]}" if len(source) > 2 and source[2] else ""
        return f" @ git {source[1]}{query}"
    if kind == "url":
        return f" @ {source[1]}"
    if kind == "registry" and len(source) > 1 and source[1]:
        return f" (index {source[1]})"
    return ""


def url_source(url: str, base: Path) -> tuple[str, ...]:
    """The source of a PEP 508 direct reference (``name @ url``)."""
    if url.startswith("git+"):
        base_url, params = split_git_pep508(url[4:])
        return ("git", base_url, join_params(params))
    if url.startswith("file:"):
        from urllib.request import url2pathname

        path = Path(url2pathname(urlsplit(url).path))
        target = path if path.is_absolute() else base / path
        kind = "directory" if target.is_dir() or not target.suffix else "path"
        return (kind, os.path.normpath(target))
    parts = urlsplit(url)
    subdirectory = dict(parse_qsl(parts.fragment)).get("subdirectory", "")
    return ("url", strip_url(url, keep_query=True), subdirectory)


def split_git(url: str) -> tuple[str, dict[str, str]]:
    """A lock's git URL (``https://host/repo?tag=v1#sha``) as base URL and parameters."""
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    return strip_url(urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))), params


def split_git_pep508(url: str) -> tuple[str, dict[str, str]]:
    """``https://host/repo@ref#subdirectory=x`` as base URL and parameters."""
    parts = urlsplit(url)
    path = parts.path
    params: dict[str, str] = {}
    if "@" in path.rsplit("/", 1)[-1]:
        path, ref = path.rsplit("@", 1)
        params["rev"] = ref
    fragment = dict(parse_qsl(parts.fragment))
    if fragment.get("subdirectory"):
        params["subdirectory"] = fragment["subdirectory"]
    return strip_url(urlunsplit((parts.scheme, parts.netloc, path, "", ""))), params


def join_params(params: Mapping[str, str]) -> str:
    """Source parameters (``rev``, ``subdirectory``...) as one sorted query string."""
    return "&".join(f"{key}={value}" for key, value in sorted(params.items()))


def strip_url(url: str, keep_query: bool = False) -> str:
    """A URL without credentials, fragment (and query), with a lower-case host."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    netloc = host.lower() + (f":{parts.port}" if parts.port else "")
    query = parts.query if keep_query else ""
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, query, ""))


def normal_url(url: str) -> str:
    """An index URL as uv compares it."""
    # uv compares index URLs as written (minus credentials): a trailing slash counts.
    return strip_url(url, keep_query=True)


def redact(url: str) -> str:
    """``url`` with its credentials shown as ``***`` (for messages)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, "***@" + netloc, parts.path, parts.query, parts.fragment))


def normal_relpath(value: str) -> str | None:
    """A lock's relative source path as a root-relative POSIX path; ``None`` outside the root."""
    if not value or value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", value):
        return None
    normal = os.path.normpath(value.replace("\\", "/"))
    if normal == ".." or normal.startswith("../"):
        return None
    return PurePosixPath(normal).as_posix()
