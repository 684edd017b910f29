"""Coverage-guided fuzzing of what ``bump`` writes and what the network sends (atheris).

Two targets, in the style of ``fuzz_checks.py``:

``changelog-writer``
    The fuzzer's bytes are a changelog, decoded as ``bump`` decodes one. It is parsed as
    Markdown, as reStructuredText and by guess, and each reading is released as 1.3.0 (the
    version a pending section names in the seeds) and as 1.4.0 (a rename) by
    :func:`~release_assistant.core.changelog.writer.release_unreleased`. A finding is an
    exception (the writer's refusal is a ``WriteProblem`` result, not an exception), a
    ``ReleasedText`` whose text, parsed again the same way, has no section for the new
    version (the writer wrote what the reader cannot read), or a call over
    ``--per-input-seconds``. One known, open class (a guessed dialect that flips after the
    write) is counted and reported on stderr (``known finding: ...``) instead.

``http``
    A loopback server answers every request with the fuzzer's bytes as the raw HTTP answer
    (status line, headers, body), then closes the connection. Input that starts with ``~``
    is sent without the ``~`` and the connection is held open (a stalled server); with
    ``!``, it is sent a byte at a time, slowly (a trickling one). ``open_url`` (a small byte
    cap), ``GitHubApi.get``, ``GitHubApi.get_pages`` (which follows ``Link`` headers) and
    ``IndexApi.get_json`` each read it within ``--deadline`` seconds (a slow server meets
    one of them, within ``--slow-deadline``). A finding is an
    exception other than ``ApiProblem`` and ``urllib.error.HTTPError``, or a call that
    outlasts its deadline by more than ``--grace`` seconds.

    pip install atheris
    python fuzz/fuzz_release.py --target changelog-writer -max_total_time=120
    python fuzz/fuzz_release.py --target all-for 120     # both targets, 120 s each

Crashing inputs are written to ``fuzz/crashes/<target>/`` by ``all-for`` (else where
libFuzzer's ``-artifact_prefix`` says); add each as a regression test.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from fuzz_checks import FuzzFinding, run_all

TARGETS = ("changelog-writer", "http")

# --- changelog-writer -------------------------------------------------------------------

#: One changelog per dialect the writer imitates; the fuzzer mutates from these.
CHANGELOG_SEEDS: dict[str, str] = {
    "keep-a-changelog": """\
# Changelog

Every notable change is listed here; the format follows Keep a Changelog.

## [Unreleased]

### Added
- A flag that skips the slow checks.

## [1.2.3] - 2026-01-02

### Fixed
- Blank lines no longer stop the reader.

## [1.2.2] - 2025-11-20

### Changed
- Each message names its file.

[Unreleased]: https://example.invalid/o/fuzzed/compare/v1.2.3...HEAD
[1.2.3]: https://example.invalid/o/fuzzed/compare/v1.2.2...v1.2.3
[1.2.2]: https://example.invalid/o/fuzzed/releases/tag/v1.2.2
""",
    "version-heading": """\
## Version 1.3.0

Unreleased

-   The config file may be given as a path.

## Version 1.2.3

Released 2026-01-02

-   Blank lines no longer stop the reader.

## Version 1.2.2

Released 2025-11-20

-   Each message names its file.
""",
    "rst-underline": """\
=======
Changes
=======

Unreleased
----------

* A flag that skips the slow checks.

Version 1.2.3
-------------

Released on January 2nd, 2026

* Blank lines no longer stop the reader.

Version 1.2.2
-------------

Released on November 20th, 2025

* Each message names its file.
""",
    "version-date": """\
# Release notes

1.3.0 (unreleased)
~~~~~~~~~~~~~~~~~~

- The config file may be given as a path.

1.2.3 (Jan 2, 2026)
~~~~~~~~~~~~~~~~~~~

- Blank lines no longer stop the reader.

1.2.2 (Nov 20, 2025)
~~~~~~~~~~~~~~~~~~~~

- Each message names its file.
""",
}
#: The versions each reading is released as: the one the pending sections name, and another.
NEW_VERSIONS = ("1.3.0", "1.4.0")
SYNTAXES = ("markdown", "rst", "auto")
TODAY = dt.date(2026, 12, 8)
#: Findings already reported (a test marks each): counted, not stopped at.
KNOWN: Counter[str] = Counter()


def _known(what: str) -> None:
    """Count a known finding; say so at the first and at every tenfold (libFuzzer ends the
    process without running exit handlers, so the count is told as it grows)."""
    KNOWN[what] += 1
    count = KNOWN[what]
    if count == 10 ** (len(str(count)) - 1):
        print(f"known finding: {what}: {count} inputs so far", file=sys.stderr, flush=True)


def changelog_writer_input(per_input_seconds: float) -> Callable[[bytes], None]:
    """The one-input function of the ``changelog-writer`` target."""
    from packaging.version import Version

    from release_assistant.core.changelog.parser import parse_changelog
    from release_assistant.core.changelog.writer import ReleasedText, release_unreleased
    from release_assistant.core.support.textfiles import FileProblem, decode_text

    versions = [Version(text) for text in NEW_VERSIONS]

    def one_input(data: bytes) -> None:
        if b"\x00" in data:  # bump refuses such a file before writing
            return
        try:
            text = decode_text(data, "CHANGELOG")
        except FileProblem:
            return
        started = time.monotonic()
        for syntax in SYNTAXES:
            changelog = parse_changelog(text, syntax)
            for new in versions:
                written = release_unreleased(text, changelog, new, TODAY, new_tag=f"v{new}")
                if not isinstance(written, ReleasedText):
                    continue  # a WriteProblem: the writer's own refusal
                again = parse_changelog(written.text, syntax)
                if again.find(new) is not None:
                    continue
                if again.syntax != changelog.syntax:
                    # Known, open: the guess turned to the other dialect (see
                    # tests/test_changelog_writer_fuzzed.py); counted, not stopped at.
                    _known("guessed dialect flipped")
                    continue
                raise FuzzFinding(
                    f"{syntax}: released as {new}, but the text written has no section "
                    f"for {new} when read again (notes: {written.notes})"
                )
        elapsed = time.monotonic() - started
        if elapsed > per_input_seconds:
            raise FuzzFinding(f"changelog-writer: {elapsed:.1f} s on one input ({len(data)} bytes)")

    return one_input


# --- http -------------------------------------------------------------------------------


def _response(status: str, headers: list[str], body: bytes) -> bytes:
    lines = [status, *headers, f"Content-Length: {len(body)}", "", ""]
    return "\r\n".join(lines).encode("ascii") + body


_JSON = "Content-Type: application/json; charset=utf-8"
#: Answers the readers meet: JSON, an error with a message, a redirect, pages, chunks.
HTTP_SEEDS: dict[str, bytes] = {
    "ok": _response("HTTP/1.1 200 OK", [_JSON], b'{"items": [{"id": 1}], "total_count": 1}'),
    "error": _response(
        "HTTP/1.1 403 Forbidden",
        [_JSON, "X-RateLimit-Remaining: 0"],
        b'{"message": "API rate limit exceeded"}',
    ),
    "not-found": _response("HTTP/1.1 404 Not Found", [_JSON], b'{"message": "Not Found"}'),
    "redirect": _response("HTTP/1.1 302 Found", ["Location: /elsewhere?page=2"], b""),
    "pages": _response(
        "HTTP/1.1 200 OK",
        [_JSON, 'Link: </items?page=2>; rel="next", </items?page=9>; rel="last"'],
        b'{"items": [1, 2, 3]}',
    ),
    "chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n" + _JSON.encode() + b"\r\n\r\n"
    b'7\r\n{"items\r\nA\r\n": [true]}\r\n0\r\n\r\n',
    "unframed": b"HTTP/1.0 200 OK\r\n" + _JSON.encode() + b'\r\n\r\n{"items": []}',
    "stalled": b'~HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{"items": ',
    "trickled": b'!HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n{"items": []}',
}
#: Bytes the raw ``open_url`` call reads at most: small, so the cap is reached often.
SMALL_CAP = 256


class AnsweringServer:
    """A loopback TCP server that answers each request with ``self.answer`` verbatim.

    ``hold``: the connection stays open after the answer until the client closes it (or
    ``hold_seconds`` pass); ``trickle``: the answer is sent a byte every ``trickle_seconds``.
    """

    def __init__(self, hold_seconds: float, trickle_seconds: float) -> None:
        self.answer = b""
        self.hold = False
        self.trickle = False
        self.hold_seconds = hold_seconds
        self.trickle_seconds = trickle_seconds
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=16)
        self.port: int = self._listener.getsockname()[1]
        threading.Thread(target=self._serve, name="fuzz-http", daemon=True).start()

    def _serve(self) -> None:
        while True:
            connection, _ = self._listener.accept()
            # OSError: the client gave up (its cap, its deadline), as it may.
            with connection, contextlib.suppress(OSError):
                self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        connection.settimeout(self.hold_seconds)
        request = b""
        while b"\r\n\r\n" not in request and len(request) < 65536:
            chunk = connection.recv(4096)
            if not chunk:
                return
            request += chunk
        answer, hold, trickle = self.answer, self.hold, self.trickle
        if trickle:
            for index in range(len(answer)):
                connection.sendall(answer[index : index + 1])
                time.sleep(self.trickle_seconds)
        else:
            connection.sendall(answer)
        if hold:
            ends = time.monotonic() + self.hold_seconds
            while time.monotonic() < ends and connection.recv(4096):
                pass
        connection.shutdown(socket.SHUT_WR)


def http_input(deadline: float, grace: float, slow_deadline: float) -> Callable[[bytes], None]:
    """The one-input function of the ``http`` target."""
    import urllib.error
    import urllib.request

    from release_assistant.core.github.api import ApiProblem, GitHubApi, open_url
    from release_assistant.core.publisher.index_api import IndexApi

    server = AnsweringServer(hold_seconds=deadline + grace + 1.0, trickle_seconds=slow_deadline / 8)
    base = f"http://127.0.0.1:{server.port}"

    def raw(seconds: float) -> object:
        request = urllib.request.Request(f"{base}/raw", method="GET")
        return open_url(request, "127.0.0.1", seconds, max_bytes=SMALL_CAP)

    def get(seconds: float) -> object:
        return GitHubApi(base, "token", seconds).get("/repos/o/r", page=1)

    def get_pages(seconds: float) -> object:
        return GitHubApi(base, "token", seconds).get_pages("/items", "items")

    def get_json(seconds: float) -> object:
        return IndexApi(base, seconds).get_json(f"{base}/pypi/x/json")

    calls: list[tuple[str, Callable[[float], object]]] = [
        ("open_url", raw),
        ("GitHubApi.get", get),
        ("GitHubApi.get_pages", get_pages),
        ("IndexApi.get_json", get_json),
    ]

    def one_input(data: bytes) -> None:
        server.hold = data[:1] == b"~"
        server.trickle = data[:1] == b"!"
        slow = server.hold or server.trickle
        server.answer = data[1:] if slow else data
        # A stalled or trickling server costs a whole deadline per call: one call (chosen
        # by the input) meets it, with a shorter deadline, so the fuzzer keeps its pace.
        chosen = [calls[len(data) % len(calls)]] if slow else calls
        seconds = slow_deadline if slow else deadline
        for name, call in chosen:
            started = time.monotonic()
            try:
                call(seconds)
            except (ApiProblem, urllib.error.HTTPError):
                pass
            except Exception as error:
                raise FuzzFinding(f"{name}: {type(error).__name__}: {error}") from error
            elapsed = time.monotonic() - started
            if elapsed > seconds + grace:
                raise FuzzFinding(
                    f"{name}: {elapsed:.2f} s for a {seconds:g} s deadline ({len(data)} bytes)"
                )

    return one_input


# --- the harness ------------------------------------------------------------------------


def seeds_for(target: str) -> dict[str, bytes]:
    """The seed corpus of ``target``, by name."""
    if target == "changelog-writer":
        return {name: text.encode("utf-8") for name, text in CHANGELOG_SEEDS.items()}
    return dict(HTTP_SEEDS)


def one_input_for(target: str, args: argparse.Namespace) -> Callable[[bytes], None]:
    """The function libFuzzer calls with each input of ``target``."""
    if target == "changelog-writer":
        return changelog_writer_input(args.per_input_seconds)
    return http_input(args.deadline, args.grace, args.slow_deadline)


def main() -> int:
    """Parse the harness's own options, then hand the rest to libFuzzer."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--target", required=True, choices=[*TARGETS, "all-for"])
    parser.add_argument("seconds", nargs="?", type=int, default=60)
    parser.add_argument("--per-input-seconds", type=float, default=5.0)
    parser.add_argument("--deadline", type=float, default=1.0, help="seconds per HTTP call")
    parser.add_argument("--grace", type=float, default=0.5, help="seconds a call may overrun")
    parser.add_argument(
        "--slow-deadline", type=float, default=0.2, help="seconds per call to a slow server"
    )
    args, libfuzzer_args = parser.parse_known_args()
    if args.target == "all-for":
        return run_all(args.seconds, __file__, TARGETS)
    return fuzz(args.target, args, libfuzzer_args)


def fuzz(target: str, args: argparse.Namespace, libfuzzer_args: list[str]) -> int:
    """Run one target under atheris until libFuzzer stops."""
    import atheris

    # The HTTP readers are mostly the standard library's: instrumented too, so the fuzzer
    # sees which status lines, headers and framings are new to http.client and email.
    stdlib = ["http", "email", "urllib"] if target == "http" else []
    with atheris.instrument_imports(include=["release_assistant", *stdlib]):
        import importlib
        import pkgutil

        import release_assistant.core as core

        for module in pkgutil.walk_packages(core.__path__, "release_assistant.core."):
            importlib.import_module(module.name)
        for name in ("http.client", "email.parser", "urllib.request", "urllib.error"):
            if target == "http":
                importlib.import_module(name)
    one_input = one_input_for(target, args)
    seeds = Path(tempfile.mkdtemp(prefix="ra-fuzz-seeds-"))
    for name, data in seeds_for(target).items():
        (seeds / name).write_bytes(data)
    if not any(arg.startswith("-timeout=") for arg in libfuzzer_args):
        libfuzzer_args.append("-timeout=30")  # a hang the per-input clock cannot see
    atheris.Setup([sys.argv[0], *libfuzzer_args, str(seeds)], one_input)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
