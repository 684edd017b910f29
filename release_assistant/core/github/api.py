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

Every answer is bounded (:func:`open_url`, the one HTTP opener of the tool): a total
deadline however slowly the bytes come, a cap on the bytes read (a bigger answer is an
error, never read into memory), and redirects only to the same host.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from io import RawIOBase
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from release_assistant.core.support.errors import StepFailed
from release_assistant.core.support.terminal import safe_terminal_text

if TYPE_CHECKING:
    import urllib.request

#: Environment variables a token is read from, in order (``gh`` uses the same names).
TOKEN_VARIABLES = ("GH_TOKEN", "GITHUB_TOKEN")
#: The user's own override of the API base URL (trusted: only the environment sets it).
API_URL_VARIABLE = "RELEASE_ASSISTANT_GITHUB_API_URL"
DEFAULT_API_URL = "https://api.github.com"
#: Pages followed at most for one listing (100 items each): a runaway ``Link`` chain stops.
MAX_PAGES = 20
#: Bytes read at most from one answer unless the caller allows more (a page of 100 check
#: runs or 50 workflow runs is well under a megabyte).
MAX_ANSWER_BYTES = 8 << 20
#: Bytes read at most of a job's log (only its tail is kept in memory).
MAX_LOG_BYTES = 64 << 20
#: Bytes read at most of an error answer's body (its ``message``).
MAX_ERROR_BYTES = 64 << 10
#: Redirects followed at most for one request.
MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 64 * 1024
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class ApiProblem(StepFailed):
    """A request did not give a usable answer.

    ``kind`` is one of ``offline`` (no connection, DNS failure), ``timeout``, ``auth`` (401),
    ``forbidden`` (403), ``rate-limited`` (403/429 with the limit exhausted), ``not-found``
    (404), ``unprocessable`` (422), ``http`` (another status), ``malformed`` (not the JSON
    GitHub documents), ``too-large`` (an answer over its byte cap), ``redirect`` (a
    redirect to another host, or too many). ``str()`` is one line, without the token, and
    with every terminal control character of a quoted answer made visible.
    """

    def __init__(self, kind: str, message: str, status: int | None = None) -> None:
        message = safe_terminal_text(message)
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
        self,
        method: str,
        path: str,
        payload: Mapping[str, Any] | None,
        tail: int | None = None,
        max_bytes: int = MAX_ANSWER_BYTES,
    ) -> tuple[bytes, Mapping[str, str], str]:
        """The raw body (with ``tail``, only its last ``tail`` bytes), the response headers
        and the URL asked. At most ``max_bytes`` are read; with ``tail`` (a job log), the
        redirect to GitHub's log storage on another host is followed (without the token)."""
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
        # Unredirected: open_url never carries it onto a redirect, to any host.
        request.add_unredirected_header("Authorization", f"Bearer {self._token}")
        try:
            body, headers = open_url(
                request,
                self.host,
                self._remaining(),
                None if tail is None else lambda body: body.tail(tail),
                budget=self.timeout,
                max_bytes=max_bytes,
                other_hosts=tail is not None,
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
        body, headers, url = self._open(method, path, payload)
        try:
            return json.loads(body.decode("utf-8")), headers
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ApiProblem(
                "malformed", f"{self.host} answered {method} {_path_of(url)} with no JSON"
            ) from None

    def get_text(self, path: str, limit: int = 1 << 20, max_bytes: int = MAX_LOG_BYTES) -> str:
        """``GET path`` as text (a job's log: GitHub redirects it to a storage host, which
        gets no token); only the last ``limit`` bytes are kept, of at most ``max_bytes``."""
        body, _, _ = self._open("GET", path, None, tail=limit, max_bytes=max_bytes)
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
    read: Callable[[ResponseBody], bytes] | None = None,
    *,
    budget: float | None = None,
    max_bytes: int = MAX_ANSWER_BYTES,
    other_hosts: bool = False,
) -> tuple[bytes, dict[str, str]]:
    """Send ``request`` (never through a proxy to loopback) and ``read`` the answer (by
    default all of it): the body and the headers (lower-case names).

    Everything is bounded. ``timeout`` is the total time for the whole exchange: connecting,
    every redirect, the headers and every chunk of the body, however slowly the bytes come
    (each socket read waits only what is left). At most ``max_bytes`` of the body are read:
    a longer answer (announced or not) is :class:`ApiProblem` ``too-large``. A redirect is
    followed only to the same host (``other_hosts``: to any https host, for a job log's
    storage), never to plain http from https, and never with the ``Authorization`` header.

    An HTTP error status propagates as :class:`urllib.error.HTTPError`, for the caller to
    judge (each API means something else by it; its body reads within the same deadline);
    a connection that fails or times out is :class:`ApiProblem` (``offline``, ``timeout``)
    naming ``host`` (and ``budget``, the time the caller allowed in all, when ``timeout`` is
    what is left of it). Shared by the GitHub and package-index clients.
    """
    import http.client
    import urllib.error

    allowed = timeout if budget is None else budget
    deadline = time.monotonic() + timeout
    reader = read or ResponseBody.read
    current = request
    try:
        for _ in range(MAX_REDIRECTS + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            try:
                response = _opener(current.full_url, deadline).open(current, timeout=remaining)
            except urllib.error.HTTPError as error:
                location = error.headers.get("Location") if error.headers else None
                if error.code not in _REDIRECTS or not location:
                    raise
                error.close()
                current = _redirected(current, location, host, error.code, other_hosts)
                host = _host(current.full_url) or host  # a log's storage answers from here on
                continue
            with response:
                body = reader(ResponseBody(response, host, max_bytes))
                headers = {k.lower(): v for k, v in response.headers.items()}
            return body, headers
    except (ApiProblem, urllib.error.HTTPError):
        raise
    except TimeoutError:
        raise ApiProblem("timeout", f"no answer from {host} within {allowed:g} s") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise ApiProblem("timeout", f"no answer from {host} within {allowed:g} s") from None
        raise ApiProblem("offline", f"cannot reach {host}: {error.reason}") from None
    except http.client.HTTPException as error:  # a cut-short body, a bad status line
        what = type(error).__name__
        raise ApiProblem("offline", f"{host} sent a broken answer ({what})") from None
    except (OSError, ValueError) as error:  # reset connections
        raise ApiProblem("offline", f"cannot reach {host}: {error}") from None
    raise ApiProblem("redirect", f"{host} redirected more than {MAX_REDIRECTS} times")


class ResponseBody:
    """The body of one answer, read in chunks within its byte cap.

    ``read`` and ``tail`` never hold more than the cap (or the tail) in memory; the deadline
    is enforced below, on every socket read of the response.
    """

    def __init__(self, response: Any, host: str, max_bytes: int) -> None:
        self._response = response
        self._host = host
        self._max_bytes = max_bytes
        self._total = 0
        announced = response.headers.get("Content-Length") if response.headers else None
        # Checked early to spare the download; not trusted: the count below is what holds.
        if announced and announced.strip().isdigit() and int(announced) > max_bytes:
            raise self._too_large()

    def _too_large(self) -> ApiProblem:
        return ApiProblem("too-large", f"{self._host} sent more than {_megabytes(self._max_bytes)}")

    def _chunk(self, size: int) -> bytes:
        chunk: bytes = self._response.read1(size)
        self._total += len(chunk)
        if self._total > self._max_bytes:
            raise self._too_large()
        return chunk

    def read(self, amount: int = -1) -> bytes:
        """Up to ``amount`` bytes (all that is left with ``-1``), within the cap."""
        chunks: list[bytes] = []
        got = 0
        while amount < 0 or got < amount:
            chunk = self._chunk(_CHUNK if amount < 0 else min(_CHUNK, amount - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def tail(self, limit: int) -> bytes:
        """The last ``limit`` bytes of the body (all of it read, within the cap)."""
        kept = b""
        while chunk := self._chunk(_CHUNK):
            kept = (kept + chunk)[-limit:]
        return kept


def _megabytes(count: int) -> str:
    return f"{count / (1 << 20):g} MB"


def _redirected(
    request: urllib.request.Request, location: str, host: str, code: int, other_hosts: bool
) -> urllib.request.Request:
    """The request ``location`` points at, or :class:`ApiProblem` ``redirect`` when it
    leaves the host (or https). Ordinary headers go along; ``Authorization`` never does."""
    import urllib.request
    from urllib.parse import urljoin

    target = urljoin(request.full_url, location)
    old, new = urlsplit(request.full_url), urlsplit(target)
    same_host = (new.hostname or "").lower() == (old.hostname or "").lower()
    if not same_host and not other_hosts:
        elsewhere = _host(target) or repr(target)
        raise ApiProblem("redirect", f"{host} redirected to another host: {elsewhere}")
    secure = new.scheme == "https"
    # Plain http only where the request was plain http to the same loopback host (tests).
    loopback = new.scheme == old.scheme == "http" and (new.hostname or "") in _LOOPBACK
    if not secure and not loopback:
        raise ApiProblem(
            "redirect", f"{host} redirected to a plain {new.scheme or 'unknown'} URL: refused"
        )
    method = request.get_method()
    keep_body = code in (307, 308)
    if not keep_body and method not in ("GET", "HEAD"):
        method = "GET"
    headers = {
        name: value
        for name, value in request.header_items()
        if name.lower() not in ("authorization", "cookie", "host")
        and (keep_body or name.lower() not in ("content-type", "content-length"))
    }
    return urllib.request.Request(
        target, data=request.data if keep_body else None, headers=headers, method=method
    )


def _opener(url: str, deadline: float) -> urllib.request.OpenerDirector:
    """An opener whose every socket read waits only until ``deadline`` and that follows no
    redirect itself (:func:`open_url` judges each one)."""
    import http.client
    import io
    import urllib.request

    class Response(http.client.HTTPResponse):
        def __init__(self, sock: Any, *args: Any, **kwargs: Any) -> None:
            super().__init__(sock, *args, **kwargs)
            self.fp = io.BufferedReader(_DeadlineReader(sock, self.fp, deadline))

    def connect_within(address: tuple[str, int], *args: Any, **kwargs: Any) -> Any:
        return _connect_within(address, deadline)

    class Connection(http.client.HTTPConnection):
        response_class = Response

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = connect_within

    class SecureConnection(http.client.HTTPSConnection):
        response_class = Response

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = connect_within

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Connection, req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(SecureConnection, req, context=self._context)  # type: ignore[attr-defined]

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any) -> None:
            return None

    handlers: list[urllib.request.BaseHandler] = [Handler(), SecureHandler(), NoRedirect()]
    if _host(url) in _LOOPBACK:
        handlers.append(urllib.request.ProxyHandler({}))  # a proxy cannot reach loopback
    return urllib.request.build_opener(*handlers)


def _connect_within(address: tuple[str, int], deadline: float) -> Any:
    """A TCP connection to ``address`` made before ``deadline``, its name lookup included
    (``getaddrinfo`` has no timeout of its own: a black-holed resolver would otherwise
    hold the request for as long as the system's resolver retries)."""
    import socket
    import threading

    host, port = address
    found: list[Any] = []
    failed: list[OSError] = []

    def look_up() -> None:
        try:
            found.extend(socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM))
        except OSError as error:
            failed.append(error)

    lookup = threading.Thread(target=look_up, name="release-assistant-dns", daemon=True)
    lookup.start()
    lookup.join(max(0.0, deadline - time.monotonic()))
    if lookup.is_alive():
        raise TimeoutError("the name lookup did not finish in time")
    if failed:
        raise failed[0]
    last: OSError = OSError(f"no address for {host}")
    for family, kind, protocol, _, where in found:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the deadline passed")
        sock = socket.socket(family, kind, protocol)
        try:
            sock.settimeout(remaining)
            sock.connect(where)
        except OSError as error:
            sock.close()
            last = error
            continue
        return sock
    raise last


class _DeadlineReader(RawIOBase):
    """A response's socket stream whose every read waits at most until ``deadline``: a
    server trickling one byte a second cannot stretch a request past its time."""

    def __init__(self, sock: Any, stream: Any, deadline: float) -> None:
        super().__init__()
        self._sock = sock
        self._stream = stream  # the response's own stream: it keeps the socket open
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the deadline passed")
        self._sock.settimeout(remaining)
        count: int | None = self._stream.raw.readinto(buffer)
        return count

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
        super().close()


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
        payload = json.loads(error.read(MAX_ERROR_BYTES).decode("utf-8"))
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
