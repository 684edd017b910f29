"""A loopback stand-in for GitHub's REST API, and repositories whose origin is on GitHub.

The server is :mod:`http.server` in a thread on 127.0.0.1. It serves the answers a test
sets, shaped as GitHub documents them (check runs, combined status, releases), pages a
listing with ``Link: rel="next"`` as GitHub does, and records every request (method, path,
headers, body), so a test can assert what reached "GitHub" and what did not.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.conftest import git
from tests.git_support import make_origin_repo

#: A token of GitHub's shape; redaction and the "never printed" assertions look for it.
TOKEN = "ghp_" + "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8"
GITHUB_URL = "https://github.com/o/r.git"


class Answer:
    """One canned answer: a status, a JSON body (or raw bytes), extra headers."""

    def __init__(
        self, body: Any = None, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        self.status = status
        self.body = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        self.headers = headers or {}


class InTurn:
    """Answers given in turn, one per request; the last one repeats (a run that progresses
    from queued to completed between polls)."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)

    def next(self) -> Answer:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


class FakeGitHub:
    """The answers by method and path; a list of answers is a paginated listing."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Answer | list[Answer] | InTurn] = {}
        self.requests: list[dict[str, Any]] = []
        self.url = ""

    def route(self, method: str, path: str, answer: Answer | list[Answer] | InTurn) -> None:
        """Answer ``METHOD path`` (path without the query) with ``answer``."""
        self.routes[(method, path)] = answer

    def ci(self, sha: str, runs: list[dict[str, Any]], statuses: list[dict[str, Any]]) -> None:
        """Check runs and statuses of ``sha`` in repository ``o/r``, one page each."""
        base = f"/repos/o/r/commits/{sha}"
        self.route("GET", f"{base}/check-runs", Answer(check_runs(runs)))
        self.route("GET", f"{base}/status", Answer(combined_status(sha, statuses)))

    def handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        self.requests.append(
            {
                "method": method,
                "path": parts.path,
                "query": parse_qs(parts.query),
                "headers": dict(handler.headers.items()),
                "body": json.loads(body) if body else None,
            }
        )
        answer = self.routes.get((method, parts.path))
        if isinstance(answer, InTurn):
            answer = answer.next()
        headers: dict[str, str] = {}
        if isinstance(answer, list):
            page = int(parse_qs(parts.query).get("page", ["1"])[0])
            if page < len(answer):
                link = f"{self.url}{parts.path}?per_page=100&page={page + 1}"
                headers["Link"] = f'<{link}>; rel="next", <{self.url}{parts.path}>; rel="first"'
            answer = answer[page - 1]
        if answer is None:
            answer = Answer({"message": "Not Found"}, 404)
        handler.send_response(answer.status)
        for name, value in {
            "Content-Type": "application/json",
            **headers,
            **answer.headers,
        }.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(answer.body)))
        handler.end_headers()
        handler.wfile.write(answer.body)


def check_run(
    name: str, status: str = "completed", conclusion: str | None = "success"
) -> dict[str, Any]:
    """One check run as ``GET .../check-runs`` lists it."""
    number = abs(hash(name)) % 10_000
    return {
        "id": number,
        "name": name,
        "head_sha": "0" * 40,
        "status": status,
        "conclusion": conclusion if status == "completed" else None,
        "html_url": f"https://github.com/o/r/actions/runs/{number}/job/{number + 1}",
        "details_url": f"https://github.com/o/r/actions/runs/{number}/job/{number + 1}",
        "app": {"slug": "github-actions"},
    }


def commit_status(context: str, state: str, description: str = "") -> dict[str, Any]:
    """One entry of the combined status's ``statuses``."""
    return {
        "context": context,
        "state": state,
        "description": description,
        "target_url": f"https://ci.example.invalid/{context}",
    }


def check_runs(runs: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    """A page of ``GET /repos/{o}/{r}/commits/{sha}/check-runs``."""
    return {"total_count": len(runs) if total is None else total, "check_runs": runs}


def combined_status(sha: str, statuses: list[dict[str, Any]]) -> dict[str, Any]:
    """``GET /repos/{o}/{r}/commits/{sha}/status``."""
    states = {s["state"] for s in statuses}
    state = "failure" if states & {"failure", "error"} else "pending" if states else "success"
    if states == {"success"}:
        state = "success"
    return {"state": state, "sha": sha, "total_count": len(statuses), "statuses": statuses}


@contextlib.contextmanager
def serve_github() -> Iterator[FakeGitHub]:
    """A running fake GitHub API on 127.0.0.1; ``.url`` is its base URL."""
    fake = FakeGitHub()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.handle(self, "GET")

        def do_POST(self) -> None:
            fake.handle(self, "POST")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """The base URL of a server that accepts connections and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # connections complete in the backlog; nothing ever reads them
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def workflow_run(
    run_id: int,
    status: str = "completed",
    conclusion: str | None = "success",
    *,
    sha: str = "0" * 40,
    branch: str = "v0.1.1",
    event: str = "release",
    path: str = ".github/workflows/release.yml",
    created_at: str = "2026-03-20T10:00:00Z",
) -> dict[str, Any]:
    """One run as ``GET /repos/{o}/{r}/actions/runs`` lists it (the fields watch reads, and
    a few it does not, as GitHub sends them)."""
    return {
        "id": run_id,
        "name": "Release",
        "node_id": f"WFR_{run_id}",
        "head_branch": branch,
        "head_sha": sha,
        "path": path,
        "display_title": branch,
        "run_number": run_id % 1000,
        "event": event,
        "status": status,
        "conclusion": conclusion if status == "completed" else None,
        "workflow_id": 42,
        "run_attempt": 1,
        "html_url": f"https://github.com/o/r/actions/runs/{run_id}",
        "created_at": created_at,
        "updated_at": created_at,
    }


def workflow_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """A page of ``GET /repos/{o}/{r}/actions/runs``."""
    return {"total_count": len(runs), "workflow_runs": runs}


def run_job(
    job_id: int, name: str, status: str = "completed", conclusion: str | None = "success"
) -> dict[str, Any]:
    """One job as ``GET /repos/{o}/{r}/actions/runs/{id}/jobs`` lists it."""
    return {
        "id": job_id,
        "run_id": 1,
        "name": name,
        "status": status,
        "conclusion": conclusion if status == "completed" else None,
        "html_url": f"https://github.com/o/r/actions/runs/1/job/{job_id}",
        "steps": [],
    }


def run_jobs(jobs: list[dict[str, Any]]) -> dict[str, Any]:
    """A page of ``GET /repos/{o}/{r}/actions/runs/{id}/jobs``."""
    return {"total_count": len(jobs), "jobs": jobs}


def release_files(project: str, version: str, filenames: list[str]) -> dict[str, Any]:
    """The index's ``/pypi/{project}/{version}/json``: ``info`` and the ``urls`` list."""
    return {
        "info": {"name": project, "version": version},
        "last_serial": 1,
        "urls": [
            {
                "filename": name,
                "packagetype": "sdist" if name.endswith(".tar.gz") else "bdist_wheel",
                "python_version": "source" if name.endswith(".tar.gz") else "py3",
                "url": f"https://files.example.invalid/{name}",
                "digests": {"sha256": "0" * 64},
                "yanked": False,
                "yanked_reason": None,
            }
            for name in filenames
        ],
        "vulnerabilities": [],
    }


def provenance(repository: str = "o/r", workflow: str = "release.yml") -> dict[str, Any]:
    """The integrity API's ``/integrity/{project}/{version}/{file}/provenance`` (PEP 740)."""
    return {
        "version": 1,
        "attestation_bundles": [
            {
                "publisher": {
                    "kind": "GitHub",
                    "repository": repository,
                    "workflow": workflow,
                    "environment": "pypi",
                },
                "attestations": [{"version": 1, "verification_material": {}, "envelope": {}}],
            }
        ],
    }


def github_repo(tmp_path: Path, files: dict[str, str | bytes] | None = None) -> tuple[Path, Path]:
    """A work repository whose ``origin`` is ``https://github.com/o/r.git`` by its URL (the
    identity the code derives) while every fetch and push goes to a bare repository
    (``url.<bare>.insteadOf``)."""
    work, bare = make_origin_repo(tmp_path, files, workflow=True)
    git(work, "remote", "set-url", "origin", GITHUB_URL)
    git(work, "config", f"url.{bare}.insteadOf", GITHUB_URL)
    return work, bare


def head(root: Path) -> str:
    """The full hash of HEAD."""
    return git(root, "rev-parse", "HEAD").strip()
