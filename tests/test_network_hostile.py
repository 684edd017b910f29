"""Hostile servers: every network answer is bounded in size and time, and stays on its host.

Real loopback servers started here answer as an attacker (or a broken proxy) would: 50 MB
of JSON with no length, a length that lies, one byte every half second, a redirect to
another host, a job log full of terminal escape sequences. The real clients
(:func:`open_url` and the GitHub and index clients) and the real CLI (``check --only ci``,
``watch``) must give one clear error within their budget, never read the answer whole.
"""

from __future__ import annotations

import contextlib
import threading
import time
import tracemalloc
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from release_assistant.cli import main
from release_assistant.core.github.api import (
    API_URL_VARIABLE,
    MAX_ANSWER_BYTES,
    ApiProblem,
    GitHubApi,
    open_url,
)
from release_assistant.core.publisher.index_api import IndexApi
from release_assistant.core.support.terminal import safe_terminal_text
from release_assistant.core.urls import INDEX_API_URL_VARIABLE
from tests.conftest import git, write_files
from tests.github_support import (
    TOKEN,
    Answer,
    FakeGitHub,
    github_repo,
    head,
    run_job,
    run_jobs,
    serve_github,
    workflow_run,
    workflow_runs,
)

HUGE = 50 << 20
Behaviour = Callable[[BaseHTTPRequestHandler], None]


class Hostile:
    """A loopback server answering every request with one behaviour; it records the path
    and headers of each request, and its trickles stop when the test ends."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.requests: list[dict[str, Any]] = []
        self.stop = threading.Event()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        self.requests.append({"path": handler.path, "headers": dict(handler.headers.items())})
        with contextlib.suppress(OSError):  # the client hung up: it was right to
            self.behaviour(handler)


@contextlib.contextmanager
def serve(behaviour: Behaviour) -> Iterator[Hostile]:
    """A running :class:`Hostile` server on 127.0.0.1."""
    hostile = Hostile(behaviour)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hostile.handle(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hostile.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hostile
    finally:
        hostile.stop.set()
        server.shutdown()
        server.server_close()


def stream_json(total: int, length: str | None = None, chunked: bool = False) -> Behaviour:
    """``total`` bytes of one JSON list, sent as fast as the client reads them."""

    def behaviour(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if length is not None:
            handler.send_header("Content-Length", length)
        if chunked:
            handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        block = b"0," * (32 << 10)
        sent = 0
        handler.wfile.write(b"1\r\n[\r\n" if chunked else b"[")
        while sent < total:
            if chunked:
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
            else:
                handler.wfile.write(block)
            sent += len(block)
        handler.wfile.write(b"0]" if not chunked else b"2\r\n0]\r\n0\r\n\r\n")

    return behaviour


def trickle(stop: Callable[[], threading.Event], headers_too: bool) -> Behaviour:
    """One byte every half second: of the body, or from the status line on."""

    def behaviour(handler: BaseHTTPRequestHandler) -> None:
        body = b'{"total_count": 0, "check_runs": []}'
        answer = b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n"
        answer += b"Content-Length: %d\r\n\r\n" % len(body)
        if not headers_too:
            handler.wfile.write(answer)
        for byte in answer + body if headers_too else body:
            if stop().wait(0.5):
                return
            handler.wfile.write(bytes([byte]))

    return behaviour


def redirect(location: Callable[[], str]) -> Behaviour:
    def behaviour(handler: BaseHTTPRequestHandler) -> None:
        if handler.path.startswith("/landed"):
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", "2")
            handler.end_headers()
            handler.wfile.write(b"{}")
            return
        handler.send_response(302)
        handler.send_header("Location", location())
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return behaviour


def fetch(url: str, timeout: float = 5.0, **options: Any) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, method="GET")
    request.add_unredirected_header("Authorization", f"Bearer {TOKEN}")
    return open_url(request, "127.0.0.1", timeout, **options)


def problem_of(call: Callable[[], object]) -> tuple[ApiProblem, float]:
    """The :class:`ApiProblem` ``call`` raises, and how long it took to raise it."""
    started = time.monotonic()
    with pytest.raises(ApiProblem) as raised:
        call()
    return raised.value, time.monotonic() - started


# --- size --------------------------------------------------------------------------------


@pytest.mark.parametrize("chunked", [False, True], ids=["no-length", "chunked"])
def test_fifty_megabytes_of_json_are_refused_at_the_cap_in_little_memory(chunked: bool) -> None:
    with serve(stream_json(HUGE, chunked=chunked)) as server:
        tracemalloc.start()
        try:
            problem, elapsed = problem_of(lambda: fetch(f"{server.url}/huge"))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert problem.kind == "too-large"
    assert str(problem) == "127.0.0.1 sent more than 8 MB"
    assert peak < 3 * MAX_ANSWER_BYTES  # the cap's worth of chunks, not 50 MB
    assert elapsed < 5


def test_an_announced_huge_length_is_refused_before_reading() -> None:
    with serve(stream_json(HUGE, length=str(3 << 30))) as server:
        problem, elapsed = problem_of(lambda: fetch(f"{server.url}/huge"))
    assert problem.kind == "too-large" and "sent more than 8 MB" in str(problem)
    assert elapsed < 1


def test_a_small_lying_length_reads_no_more_than_it_says() -> None:
    """Content-Length: 10 before 50 MB: ten bytes are read, and they are not JSON."""
    with serve(stream_json(HUGE, length="10")) as server:
        api = GitHubApi(server.url, TOKEN, timeout=5)
        problem, elapsed = problem_of(lambda: api.get("/repos/o/r"))
    assert problem.kind == "malformed" and elapsed < 2


def test_the_cap_is_per_call() -> None:
    with serve(stream_json(1 << 20)) as server:
        problem, _ = problem_of(lambda: fetch(f"{server.url}/x", max_bytes=1000))
        assert str(problem) == "127.0.0.1 sent more than 0.000953674 MB"
        body, _ = fetch(f"{server.url}/x", max_bytes=2 << 20)
    assert len(body) > 1 << 20


def test_a_huge_job_log_keeps_only_its_tail_and_has_a_cap_too() -> None:
    with serve(stream_json(4 << 20)) as server:
        api = GitHubApi(server.url, TOKEN, timeout=10)
        assert api.get_text("/log", limit=100) == "0," * 49 + "0]"
        problem, _ = problem_of(lambda: api.get_text("/log", limit=100, max_bytes=1 << 20))
    assert problem.kind == "too-large"


def test_the_index_client_is_capped_too() -> None:
    with serve(stream_json(HUGE)) as server:
        problem, elapsed = problem_of(lambda: IndexApi(server.url).get_json(f"{server.url}/x"))
    assert problem.kind == "too-large" and elapsed < 5


# --- time --------------------------------------------------------------------------------


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "status-line"])
def test_a_trickle_cannot_stretch_a_request_past_its_deadline(headers_too: bool) -> None:
    holder: list[Hostile] = []
    with serve(trickle(lambda: holder[0].stop, headers_too)) as server:
        holder.append(server)
        api = GitHubApi(server.url, TOKEN, timeout=1.5)
        problem, elapsed = problem_of(lambda: api.get("/repos/o/r"))
    assert problem.kind == "timeout"
    assert str(problem) == "no answer from 127.0.0.1 within 1.5 s"
    assert elapsed < 1.5 + 0.7


def test_the_deadline_is_shared_by_every_request_of_a_client() -> None:
    holder: list[Hostile] = []
    with serve(trickle(lambda: holder[0].stop, headers_too=False)) as server:
        holder.append(server)
        api = GitHubApi(server.url, TOKEN, timeout=2)
        started = time.monotonic()
        for _ in range(3):
            with pytest.raises(ApiProblem):
                api.get("/repos/o/r")
    assert time.monotonic() - started < 2 + 0.7


def test_a_name_lookup_that_hangs_is_within_the_deadline_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """getaddrinfo has no timeout; a resolver that never answers (simulated: the one
    stand-in in this file, as no test can own the system's resolver) costs the budget."""
    import socket

    real = socket.getaddrinfo

    def black_holed(host: Any, *args: Any, **kwargs: Any) -> Any:
        if str(host).endswith(".invalid"):
            time.sleep(5)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", black_holed)
    for variable in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    api = GitHubApi("http://api.slow.invalid", TOKEN, timeout=1)
    problem, elapsed = problem_of(lambda: api.get("/repos/o/r"))
    assert problem.kind == "timeout" and elapsed < 1.5


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    work = github_repo(tmp_path)[0]
    write_files(
        work,
        {
            "pyproject.toml": (work / "pyproject.toml").read_text(encoding="utf-8")
            + "\n[tool.release-assistant.ci]\ntimeout_seconds = 2\n"
        },
    )
    return work


def check_ci(
    repo: Path, url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, float]:
    monkeypatch.setenv(API_URL_VARIABLE, url)
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    started = time.monotonic()
    code = main(["check", "--only", "ci", "--repo", str(repo)])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert TOKEN not in out + err
    return code, out + err, elapsed


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "status-line"])
def test_check_ci_against_a_trickle_is_a_skip_within_its_budget(
    repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    headers_too: bool,
) -> None:
    holder: list[Hostile] = []
    with serve(trickle(lambda: holder[0].stop, headers_too)) as server:
        holder.append(server)
        code, output, elapsed = check_ci(repo, server.url, monkeypatch, capsys)
    assert code == 0
    assert "no answer from 127.0.0.1 within 2 s" in output
    assert elapsed < 4


def test_check_ci_against_fifty_megabytes_warns_quickly(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(stream_json(HUGE)) as server:
        code, output, elapsed = check_ci(repo, server.url, monkeypatch, capsys)
    assert "RA207" in output and "127.0.0.1 sent more than 8 MB" in output
    assert code == 0 and elapsed < 5


# --- redirects ---------------------------------------------------------------------------


def test_a_redirect_to_another_host_is_refused_and_never_reached() -> None:
    holder: list[Hostile] = []
    # localhost is the same machine under another name: another host to the client.
    with serve(redirect(lambda: f"http://localhost:{holder[0].port}/landed")) as server:
        holder.append(server)
        problem, _ = problem_of(lambda: fetch(f"{server.url}/start"))
        api_problem, _ = problem_of(lambda: GitHubApi(server.url, TOKEN).get("/repos/o/r"))
    assert problem.kind == "redirect"
    assert str(problem) == "127.0.0.1 redirected to another host: localhost"
    assert api_problem.kind == "redirect"
    assert [request["path"] for request in server.requests] == ["/start", "/repos/o/r"]


def test_a_redirect_on_the_same_host_is_followed_without_the_token() -> None:
    holder: list[Hostile] = []
    with serve(redirect(lambda: f"{holder[0].url}/landed")) as server:
        holder.append(server)
        assert GitHubApi(server.url, TOKEN).get("/repos/o/r") == {}
    first, landed = server.requests
    assert first["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert landed["path"] == "/landed" and "Authorization" not in landed["headers"]


def test_a_job_log_follows_its_redirect_to_the_storage_host_without_the_token() -> None:
    """GitHub answers a log request with a redirect to its storage, on another host."""
    holder: list[Hostile] = []
    with serve(redirect(lambda: f"http://localhost:{holder[0].port}/landed")) as server:
        holder.append(server)
        assert GitHubApi(server.url, TOKEN).get_text("/log") == "{}"
    asked, landed = server.requests
    assert asked["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert landed["headers"]["Host"] == f"localhost:{server.port}"
    assert "Authorization" not in landed["headers"]


def test_a_redirect_loop_stops() -> None:
    holder: list[Hostile] = []
    with serve(redirect(lambda: f"{holder[0].url}/again")) as server:
        holder.append(server)
        problem, _ = problem_of(lambda: fetch(f"{server.url}/start"))
    assert problem.kind == "redirect" and "more than 5 times" in str(problem)
    assert len(server.requests) == 6


def test_a_redirect_to_plain_http_elsewhere_is_refused_even_for_a_job_log() -> None:
    with serve(redirect(lambda: "http://storage.example.invalid/log.txt")) as server:
        problem, _ = problem_of(lambda: GitHubApi(server.url, TOKEN).get_text("/log"))
    assert problem.kind == "redirect" and "plain http URL" in str(problem)


# --- terminal text -----------------------------------------------------------------------


def test_safe_terminal_text_shows_controls_and_keeps_lines() -> None:
    text = "a\tb\r\nc\x1b]0;title\x07d\x1b[2J\re\x9b\u202ef\x00\x7f\n"
    assert (
        safe_terminal_text(text)
        == "a\tb\nc\\x1b]0;title\\x07d\\x1b[2J\\x0de\\x9b\\u202ef\\x00\\x7f\n"
    )
    assert safe_terminal_text("plain ✔ text") == "plain ✔ text"


def test_an_api_error_message_cannot_drive_the_terminal() -> None:
    github: FakeGitHub
    with serve_github() as github:
        github.route("GET", "/repos/o/r", Answer({"message": "no\x1b[2J\x1b]0;pwned\x07"}, 500))
        problem, _ = problem_of(lambda: GitHubApi(github.url, TOKEN).get("/repos/o/r"))
    assert "\x1b" not in str(problem) and "\x07" not in str(problem)
    assert "no\\x1b[2J\\x1b]0;pwned\\x07" in str(problem)


def test_watch_events_carry_no_control_characters_to_any_adapter() -> None:
    """The walkthrough shows the summary and progress lines as they are: both are safe."""
    from release_assistant.core.release.watch import Progress, WatchResult

    assert Progress("job \x1b]0;t\x07").message == "job \\x1b]0;t\\x07"
    assert WatchResult(False, "run", "ended: a\x1b[2J").summary == "ended: a\\x1b[2J"


def test_watch_prints_a_job_logs_escape_sequences_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work, _ = github_repo(tmp_path)
    git(work, "tag", "-a", "v0.1.1", "-m", "v0.1.1")
    runs = "/repos/o/r/actions/runs"
    with serve_github() as github, serve_github() as index:
        monkeypatch.setenv(API_URL_VARIABLE, github.url)
        monkeypatch.setenv(INDEX_API_URL_VARIABLE, index.url)
        monkeypatch.setenv("GH_TOKEN", TOKEN)
        run = workflow_run(7, conclusion="failure", sha=head(work))
        github.route("GET", runs, Answer(workflow_runs([run])))
        jobs = [run_job(14, "Publish to PyPI\x1b[2J", conclusion="failure")]
        github.route("GET", f"{runs}/7/jobs", Answer(run_jobs(jobs)))
        log = "Run upload\n\x1b]0;title\x07owned\n\x1b[2Jcleared\n\x1b[31mred\x1b[0m\n"
        github.route("GET", "/repos/o/r/actions/jobs/14/logs", Answer(log.encode()))
        assert main(["watch", "--repo", str(work)]) == 1
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "  | \\x1b]0;title\\x07owned" in out
    assert "  | \\x1b[2Jcleared" in out
    assert "job Publish to PyPI\\x1b[2J (failure)" in out


# --- deadlines per command step ----------------------------------------------------------


def test_release_publishes_after_a_confirmation_slower_than_its_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The deadline bounds the requests, not the time the maintainer reads the plan."""
    import release_assistant.cli.confirm as confirm
    import release_assistant.core.release.github as release_github

    work, _ = github_repo(tmp_path)
    git(work, "tag", "-a", "v0.1.1", "-m", "v0.1.1")
    git(work, "push", "-q", "origin", "refs/tags/v0.1.1")

    def slow_yes(*args: object) -> bool:
        time.sleep(0.6)
        return True

    monkeypatch.setattr(release_github, "RELEASE_TIMEOUT", 0.4)
    monkeypatch.setattr(confirm, "confirmed", slow_yes)
    with serve_github() as github:
        monkeypatch.setenv(API_URL_VARIABLE, github.url)
        monkeypatch.setenv("GH_TOKEN", TOKEN)
        github.route("GET", "/repos/o/r/releases", Answer([]))
        created = {"html_url": "https://github.com/o/r/releases/tag/v0.1.1\x1b]0;t\x07"}
        github.route("POST", "/repos/o/r/releases", Answer(created, 201))
        assert main(["release", "--repo", str(work)]) == 0
    out, _ = capsys.readouterr()
    assert "created the GitHub release v0.1.1: " in out
    assert "releases/tag/v0.1.1\\x1b]0;t\\x07" in out and "\x1b" not in out


# --- any answer at all ---------------------------------------------------------------------


class RawServer:
    """A loopback TCP server that answers each request with the bytes set last, then
    hangs up: status lines, headers and bodies no HTTP server would send."""

    def __init__(self) -> None:
        import socket

        self.answer = b""
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed: the test is over
                return
            with connection, contextlib.suppress(OSError):
                connection.settimeout(2)
                received = b""
                while b"\r\n\r\n" not in received:
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    received += chunk
                connection.sendall(self.answer)


_HEADER = st.sampled_from(
    [
        b"Content-Length: 5",
        b"Content-Length: 99999999999999999999",
        b"Content-Length: -1",
        b"Content-Length: x",
        b"Transfer-Encoding: chunked",
        b"Location: http://localhost/elsewhere",
        b"Location: /same",
        b"Location: \x1b]0;t\x07",
        b"Content-Type: application/json",
        b"X: " + b"y" * 70000,
    ]
)
_STATUS = st.sampled_from(
    [
        b"HTTP/1.1 200 OK",
        b"HTTP/1.0 302 Found",
        b"HTTP/1.1 404 Nope",
        b"HTTP/1.1 500 X",
        b"HTTP/1.1 abc",
        b"HTTP/9 200 OK",
        b"",
        b"garbage",
    ]
)
_ANSWERS = st.one_of(
    st.builds(
        lambda status, headers, body: status + b"\r\n" + b"\r\n".join(headers) + b"\r\n\r\n" + body,
        _STATUS,
        st.lists(_HEADER | st.binary(max_size=40), max_size=4),
        st.binary(max_size=200) | st.just(b'{"message": "\x1b[2J"}') | st.just(b"5\r\n[1,2]\r\nzz"),
    ),
    st.binary(max_size=300),
)


@pytest.fixture(scope="module")
def raw_server() -> Iterator[RawServer]:
    server = RawServer()
    yield server
    server.listener.close()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answer=_ANSWERS)
def test_any_answer_is_a_result_or_one_api_problem(raw_server: RawServer, answer: bytes) -> None:
    raw_server.answer = answer
    api = GitHubApi(raw_server.url, TOKEN, timeout=3)
    started = time.monotonic()
    try:
        api.get("/x")
    except ApiProblem as problem:
        assert "\n" not in str(problem) and "\x1b" not in str(problem)
        assert TOKEN not in str(problem)
    assert time.monotonic() - started < 3.5


@given(st.text())
def test_safe_terminal_text_leaves_no_control_but_newline_and_tab(text: str) -> None:
    shown = safe_terminal_text(text)
    assert not [c for c in shown if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F]
    assert "\u202e" not in shown


def test_open_url_is_the_only_way_out() -> None:
    """No module but the one opener's can open a connection: every request is bounded."""
    import re

    import release_assistant

    opening = re.compile(
        r"urlopen|build_opener|OpenerDirector|http\.client|HTTPConnection|\bimport socket\b"
        r"|\bimport (requests|httpx|aiohttp|urllib3)\b|create_connection"
    )
    package = Path(release_assistant.__file__).parent
    opener = package / "core" / "github" / "api.py"
    assert opening.search(opener.read_text(encoding="utf-8"))  # the pattern finds an opener
    offenders = [
        str(path.relative_to(package))
        for path in sorted(package.rglob("*.py"))
        if path != opener and opening.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_watch_and_release_against_fifty_megabytes_stop_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The 3 GB answer that once ended both in MemoryError, at 50 MB."""
    work, _ = github_repo(tmp_path)
    git(work, "tag", "-a", "v0.1.1", "-m", "v0.1.1")
    git(work, "push", "-q", "origin", "refs/tags/v0.1.1")
    with serve(stream_json(HUGE)) as server:
        monkeypatch.setenv(API_URL_VARIABLE, server.url)
        monkeypatch.setenv(INDEX_API_URL_VARIABLE, server.url)
        monkeypatch.setenv("GH_TOKEN", TOKEN)
        started = time.monotonic()
        assert main(["watch", "--repo", str(work)]) == 1
        watched = capsys.readouterr().out
        assert main(["release", "--yes", "--repo", str(work)]) == 1
        released = capsys.readouterr().err
        elapsed = time.monotonic() - started
    assert "✘ cannot ask GitHub about the run: 127.0.0.1 sent more than 8 MB" in watched
    assert "cannot ask GitHub about v0.1.1: 127.0.0.1 sent more than 8 MB" in released
    assert elapsed < 10
