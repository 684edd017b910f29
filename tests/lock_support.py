"""Shared machinery for the lock tests: a local package index and the real lock tools.

The lock tests compare our verdict with the tools' own (``uv lock --check``, ``poetry check
--lock``, ``pdm lock --check``) on locks the tools write at test time. To keep that hermetic and
fast, the packages come from a PEP 503 index built here from tiny hand-made wheels and served
over HTTP on 127.0.0.1 for the whole session; the tools never contact a real registry. Each
tool gets its own cache directory for the session, and each base lock is generated once.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from release_assistant.core.checks.lock import check
from release_assistant.core.findings import CheckResult, Finding, Status

#: The index: name -> [(version, [Requires-Dist, ...])]. All pure-Python, dependency-light.
PACKAGES: dict[str, list[tuple[str, list[str]]]] = {
    "alpha": [("1.0", []), ("1.5", []), ("2.0", [])],
    "beta": [("1.0", []), ("2.0", ["alpha>=1.0"])],
    "gamma": [("0.1", []), ("0.2", [])],
    "delta": [("3.0", [])],
    "epsilon": [("1.0", [])],
    "zeta": [("0.5", [])],
    # An extra, so a lock can hold one package plain and once with extras requested.
    "eta": [("1.0", ["alpha>=1.0; extra == 'fast'"])],
}


def _wheel(name: str, version: str, requires: list[str]) -> bytes:
    """A minimal valid wheel for ``name`` ``version``."""
    dist_info = f"{name}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += "".join(f"Requires-Dist: {req}\n" for req in requires)
    extras = sorted(
        {req.split("extra == '")[1].split("'")[0] for req in requires if "extra ==" in req}
    )
    metadata += "".join(f"Provides-Extra: {extra}\n" for extra in extras)
    files = {
        f"{name}/__init__.py": f'__version__ = "{version}"\n',
        f"{dist_info}/METADATA": metadata,
        f"{dist_info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: lock-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    record = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in files.items():
            data = text.encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{path},sha256={digest.decode()},{len(data)}")
            archive.writestr(path, data)
        record.append(f"{dist_info}/RECORD,,")
        archive.writestr(f"{dist_info}/RECORD", "\n".join(record) + "\n")
    return buffer.getvalue()


def build_index(root: Path) -> None:
    """Write ``root/simple/<name>/index.html`` and ``root/files/*.whl`` for :data:`PACKAGES`."""
    files = root / "files"
    files.mkdir(parents=True)
    links = []
    for name, releases in PACKAGES.items():
        anchors = []
        for version, requires in releases:
            filename = f"{name}-{version}-py3-none-any.whl"
            data = _wheel(name, version, requires)
            (files / filename).write_bytes(data)
            sha = hashlib.sha256(data).hexdigest()
            anchors.append(f'<a href="../../files/{filename}#sha256={sha}">{filename}</a><br>')
        page = root / "simple" / name
        page.mkdir(parents=True)
        (page / "index.html").write_text(
            "<!DOCTYPE html><html><body>\n" + "\n".join(anchors) + "\n</body></html>\n"
        )
        links.append(f'<a href="{name}/">{name}</a><br>')
    (root / "simple" / "index.html").write_text(
        "<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n"
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@dataclass(frozen=True)
class Tools:
    """The session's index URL and the environment every tool runs with."""

    index_url: str
    env: dict[str, str]
    cache: Path


@pytest.fixture(scope="session")
def lock_tools(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tools]:
    """Serve the local index for the session; give the tools isolated caches and config."""
    for tool in ("uv", "poetry", "pdm"):
        if shutil.which(tool) is None:
            pytest.fail(f"`{tool}` is not on PATH; install the dev extra (pip install -e '.[dev]')")
    base = tmp_path_factory.mktemp("lock-index")
    build_index(base)

    def handler(*args: object, **kwargs: object) -> _QuietHandler:
        return _QuietHandler(*args, directory=str(base), **kwargs)  # type: ignore[arg-type]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/simple"
    cache = tmp_path_factory.mktemp("lock-caches")
    home = tmp_path_factory.mktemp("lock-home")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("UV_", "POETRY_", "PDM_", "PIP_", "VIRTUAL_ENV"))
    }
    env.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(cache / "xdg"),
            "UV_CACHE_DIR": str(cache / "uv"),
            "UV_PYTHON": sys.executable,
            "UV_PYTHON_DOWNLOADS": "never",
            "UV_NO_PROGRESS": "1",
            "POETRY_CACHE_DIR": str(cache / "poetry"),
            "POETRY_CONFIG_DIR": str(home / "poetry-config"),
            "POETRY_DATA_DIR": str(home / "poetry-data"),
            "POETRY_VIRTUALENVS_CREATE": "false",
            "POETRY_NO_INTERACTION": "1",
            "PDM_CACHE_DIR": str(cache / "pdm"),
            "PDM_HOME": str(home / "pdm"),
            "PDM_CONFIG_FILE": str(home / "pdm-config.toml"),
            "PDM_PYPI_URL": url,
            "PDM_PYTHON": sys.executable,
            "PDM_USE_VENV": "false",
            "PDM_CHECK_UPDATE": "false",
            "PDM_NON_INTERACTIVE": "1",
            "NO_COLOR": "1",
        }
    )
    try:
        yield Tools(url, env, cache)
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()


def run_tool(tools: Tools, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a lock tool in ``cwd`` with the session environment."""
    return subprocess.run(
        list(args), cwd=cwd, env=tools.env, capture_output=True, text=True, check=False, timeout=300
    )


def write_tree(root: Path, files: dict[str, str]) -> None:
    """Write ``files`` (relative path -> text) under ``root``."""
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def copy_project(base: Path, target: Path) -> Path:
    """A fresh copy of a locked base project to mutate."""
    shutil.copytree(base, target, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must occur) by ``new`` in ``path``."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def our_verdict(root: Path) -> tuple[str, CheckResult]:
    """``fail`` when the lock check fails, else ``pass`` (warnings do not block)."""
    result = check(root, environ={})
    return ("fail" if result.status is Status.FAIL else "pass"), result


def assert_same_verdict(
    root: Path, mutate: Callable[[Path], None], tool_verdict: Callable[[Path], str], hint: str
) -> Finding | None:
    """Apply ``mutate``, then our verdict must be the tool's; a failure is one finding with
    ``hint`` (returned, for the caller's own assertions)."""
    mutate(root)
    expected = tool_verdict(root)
    ours, result = our_verdict(root)
    assert ours == expected, [finding.as_line() for finding in result.findings]
    if expected != "fail":
        return None
    (finding,) = result.findings
    assert finding.hint == hint
    return finding


Mutation = Callable[[Path], None]
