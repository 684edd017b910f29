"""A small GitHub REST client over :mod:`urllib.request`, for the ``ci`` check and ``release``.

Standard library only (no new dependency): the tool makes a handful of requests per run.
Every request shares one deadline, so a black-holed network costs at most the configured
``ci.timeout_seconds`` in total, never that per request. Failures are one
:class:`ApiProblem` with a ``kind`` the callers turn into verdicts; nothing here prints.

Where the token goes is decided here, once (:func:`api_target`): the token is sent only to
the API of the host ``origin`` points at (``api.github.com`` for ``github.com``,
``https://HOST/api/v3`` or ``api.HOST`` for GitHub Enterprise), or to the URL in
``RELEASE_ASSISTANT_GITHUB_API_URL``, which only the user's environment can set. A
``ci.api_url`` in a cloned repository's ``pyproject.toml`` cannot send the user's token
elsewhere. The token travels in an unredirected header, so a redirect never carries it,
and it is never part of a message.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

if TYPE_CHECKING:
    import urllib.request

#: Environment variables a token is read from, in order (``gh`` uses the same names).
TOKEN_VARIABLES = ("GH_TOKEN", "GITHUB_TOKEN")
#: The user's own override of the API base URL (trusted: only the environment sets it).
API_URL_VARIABLE = "RELEASE_ASSISTANT_GITHUB_API_URL"
DEFAULT_API_URL = "https://api.github.com"
#: Pages followed at most for one listing (100 items each): a runaway ``Link`` chain stops.
MAX_PAGES = 20
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class ApiProblem(Exception):
    """A request did not give a usable answer.

    ``kind`` is one of ``offline`` (no connection, DNS failure), ``timeout``, ``auth`` (401),
    ``forbidden`` (403), ``rate-limited`` (403/429 with the limit exhausted), ``not-found``
    (404), ``unprocessable`` (422), ``http`` (another status), ``malformed`` (not the JSON
    GitHub documents). ``str()`` is one line, without the token.
    """

    def __init__(self, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status


@dataclass(frozen=True, slots=True)
class ApiTarget:
    """Where to ask: the API base URL and whether the token may be sent there.

    ``refusal`` says why the token would not be sent (``None`` when it may be).
    """

    base_url: str
    refusal: str | None = None


def token_from(environ: Mapping[str, str]) -> str | None:
    """The GitHub token of the environment (``GH_TOKEN``, else ``GITHUB_TOKEN``)."""
    for name in TOKEN_VARIABLES:
        value = environ.get(name, "").strip()
        if value:
            return value
    return None


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def api_target(configured_url: str, repo_host: str, environ: Mapping[str, str]) -> ApiTarget:
    """The API base URL for a repository on ``repo_host``, and whether the token may go there.

    ``configured_url`` is ``ci.api_url``; its default on a GitHub Enterprise host becomes
    ``https://HOST/api/v3``. The environment override wins and is always trusted.
    """
    override = environ.get(API_URL_VARIABLE, "").strip()
    if override:
        return ApiTarget(override.rstrip("/"))
    url = configured_url.strip().rstrip("/") or DEFAULT_API_URL
    if url == DEFAULT_API_URL and repo_host != "github.com":
        url = f"https://{repo_host}/api/v3"
    host = _host(url)
    allowed = {"api.github.com"} if repo_host == "github.com" else {repo_host, f"api.{repo_host}"}
    if host not in allowed or urlsplit(url).scheme != "https":
        return ApiTarget(
            url,
            refusal=f"ci.api_url {url!r} is not the https API of {repo_host}, where origin "
            f"is: the token is not sent there (set {API_URL_VARIABLE} to use it anyway)",
        )
    return ApiTarget(url)


class GitHubApi:
    """Requests to one API base URL with one token, all within one deadline.

    ``timeout`` is the total number of seconds every request of this client together may
    take; it starts with the first request.
    """

    def __init__(self, base_url: str, token: str, timeout: float = 3.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.timeout = timeout
        self._deadline: float | None = None

    def __repr__(self) -> str:  # never the token
        return f"GitHubApi({self.base_url!r})"

    def _remaining(self) -> float:
        now = time.monotonic()
        if self._deadline is None:
            self._deadline = now + self.timeout
        remaining = self._deadline - now
        if remaining <= 0:
            raise ApiProblem("timeout", f"no answer from {self.host} within {self.timeout:g} s")
        return remaining

    @property
    def host(self) -> str:
        """The API's host, for messages."""
        return _host(self.base_url) or self.base_url

    def fresh_deadline(self) -> None:
        """Start a new deadline with the next request: a long watch polls for minutes, each
        poll bounded by ``timeout`` on its own."""
        self._deadline = None

    def _open(
        self, method: str, path: str, payload: Mapping[str, Any] | None, limit: int | None
    ) -> tuple[bytes, Mapping[str, str], str]:
        """The raw body (at most ``limit`` bytes, the tail kept), the response headers and
        the URL asked."""
        import urllib.error
        import urllib.request

        url = path if "://" in path else f"{self.base_url}{path}"
        if _host(url) != _host(self.base_url):
            # A ``Link`` header pointing elsewhere would otherwise receive the token.
            raise ApiProblem("malformed", f"{self.host} pointed at another host: {_host(url)}")
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/vnd.github+json")
        request.add_header("X-GitHub-Api-Version", "2022-11-28")
        request.add_header("User-Agent", "release-assistant")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        # Unredirected: urllib copies ordinary headers onto a redirect, to any host.
        request.add_unredirected_header("Authorization", f"Bearer {self._token}")
        try:
            body, headers = open_url(
                request,
                self.host,
                self._remaining(),
                lambda response: _read_tail(response, limit),
                budget=self.timeout,
            )
        except urllib.error.HTTPError as error:
            error_headers = {k.lower(): v for k, v in (error.headers or {}).items()}
            raise _http_problem(error.code, _error_message(error), error_headers) from None
        return body, headers, url

    def request(
        self, method: str, path: str, payload: Mapping[str, Any] | None = None
    ) -> tuple[Any, Mapping[str, str]]:
        """``METHOD base_url+path`` (``path`` may be a full URL on the same host); the
        decoded JSON and the response headers (lower-case names)."""
        body, headers, url = self._open(method, path, payload, None)
        try:
            return json.loads(body.decode("utf-8")), headers
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ApiProblem(
                "malformed", f"{self.host} answered {method} {_path_of(url)} with no JSON"
            ) from None

    def get_text(self, path: str, limit: int = 1 << 20) -> str:
        """``GET path`` as text (a job's log: GitHub redirects it to a storage host, which
        gets no token); only the last ``limit`` bytes are kept."""
        body, _, _ = self._open("GET", path, None, limit)
        return body.decode("utf-8", errors="replace")

    def get(self, path: str, **params: str | int) -> Any:
        """``GET path?params``: the decoded JSON."""
        query = f"?{urlencode(params)}" if params else ""
        return self.request("GET", f"{path}{query}")[0]

    def get_pages(self, path: str, key: str, **params: str | int) -> tuple[list[Any], Any]:
        """Every item of the list ``key`` of a paginated listing (``per_page=100``, following
        ``Link: rel="next"``), and the first page's object."""
        query = urlencode({**params, "per_page": 100})
        url: str | None = f"{path}?{query}"
        items: list[Any] = []
        first: Any = None
        for _ in range(MAX_PAGES):
            if url is None:
                break
            page, headers = self.request("GET", url)
            if not isinstance(page, dict) or not isinstance(page.get(key), list):
                raise ApiProblem(
                    "malformed", f"{self.host}: the answer to {_path_of(url)} has no {key!r} list"
                )
            first = page if first is None else first
            items.extend(page[key])
            url = _next_link(headers.get("link", ""))
        return items, first

    def post(self, path: str, payload: Mapping[str, Any]) -> Any:
        """``POST path`` with a JSON body: the decoded JSON answer."""
        return self.request("POST", path, payload)[0]


def open_url(
    request: urllib.request.Request,
    host: str,
    timeout: float,
    read: Callable[[Any], bytes],
    *,
    budget: float | None = None,
) -> tuple[bytes, dict[str, str]]:
    """Send ``request`` (never through a proxy to loopback) and ``read`` the answer: the body
    and the headers (lower-case names).

    An HTTP error status propagates as :class:`urllib.error.HTTPError`, for the caller to
    judge (each API means something else by it); a connection that fails or times out is
    :class:`ApiProblem` (``offline``, ``timeout``) naming ``host`` (and ``budget``, the time
    the caller allowed in all, when ``timeout`` is what is left of it). Shared by the GitHub
    and package-index clients.
    """
    allowed = timeout if budget is None else budget
    import urllib.error
    import urllib.request

    handlers: list[urllib.request.BaseHandler] = []
    if _host(request.full_url) in _LOOPBACK:
        handlers.append(urllib.request.ProxyHandler({}))  # a proxy cannot reach loopback
    try:
        with urllib.request.build_opener(*handlers).open(request, timeout=timeout) as response:
            body = read(response)
            headers = {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError:
        raise
    except TimeoutError:
        raise ApiProblem("timeout", f"no answer from {host} within {allowed:g} s") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise ApiProblem("timeout", f"no answer from {host} within {allowed:g} s") from None
        raise ApiProblem("offline", f"cannot reach {host}: {error.reason}") from None
    except (OSError, ValueError) as error:  # reset connections, bad status lines
        raise ApiProblem("offline", f"cannot reach {host}: {error}") from None
    return body, headers


def _read_tail(response: Any, limit: int | None) -> bytes:
    """The body, or with ``limit`` its last ``limit`` bytes (read in chunks, so a huge log
    never sits in memory whole)."""
    if limit is None:
        data: bytes = response.read()
        return data
    kept = b""
    while chunk := response.read(64 * 1024):
        kept = (kept + chunk)[-limit:]
    return kept


def _path_of(url: str) -> str:
    return urlsplit(url).path or url


def _next_link(header: str) -> str | None:
    """The ``rel="next"`` URL of an RFC 8288 ``Link`` header, as GitHub sends it."""
    for part in header.split(","):
        target, _, rest = part.partition(";")
        if 'rel="next"' in rest.replace(" ", ""):
            return target.strip().strip("<>")
    return None


def _error_message(error: Any) -> str:
    try:
        payload = json.loads(error.read().decode("utf-8"))
    except Exception:  # an HTML error page, a closed body: the status says enough
        return ""
    message = payload.get("message") if isinstance(payload, dict) else None
    return message if isinstance(message, str) else ""


def _http_problem(status: int, message: str, headers: Mapping[str, str]) -> ApiProblem:
    said = f" ({message})" if message else ""
    if status == 401:
        return ApiProblem("auth", f"GitHub refused the token: 401{said}", status)
    if status in (403, 429) and (
        headers.get("x-ratelimit-remaining") == "0" or "rate limit" in message.lower()
    ):
        return ApiProblem("rate-limited", f"GitHub's API rate limit is exhausted{said}", status)
    if status == 403:
        return ApiProblem("forbidden", f"GitHub refused the request: 403{said}", status)
    if status == 404:
        return ApiProblem("not-found", f"GitHub answered 404{said}", status)
    if status == 422:
        return ApiProblem("unprocessable", f"GitHub answered 422{said}", status)
    return ApiProblem("http", f"GitHub answered {status}{said}", status)
