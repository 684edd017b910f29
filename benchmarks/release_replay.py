"""Replay a release on real projects: ``ship patch --yes`` against a bare origin and loopback
APIs, then judge the end state.

For each checkout (a work tree or a bare mirror), the script clones it into a temporary
folder, makes a bare ``origin`` whose URL reads as the project's GitHub repository (fetches
and pushes go to the bare copy through ``url.<bare>.insteadOf``), starts one loopback server
standing in for the GitHub API and the package index (the index knows the project's last
version only, GitHub accepts a release), runs the real ``release-assistant ship patch
--yes``, and then checks:

* ``ship``: its exit code, and the first line of its failure when it refused;
* ``commit``: origin's branch tip is the release commit (``Release X.Y.Z``);
* ``tag``: origin has the annotated tag at that commit;
* ``check``: ``check --tag <tag> --skip git,ci`` passes on the result;
* ``undo``: after a refusal, the work repository is exactly as before (the rollback).

A refusal that offers the next free version (the patch version is tagged already) is
followed, as a maintainer would: ``ship <that version>``.

    python benchmarks/release_replay.py DIR [DIR ...] [--no-build-isolation] [--json OUT]
        [--github OWNER/NAME ...] [--without-pre-commit]

``--with-notes`` first lands a note under the ``Unreleased`` heading of a Markdown changelog
at the root (adding the heading when there is none), as a maintainer does before releasing.
``--without-pre-commit`` first lands a commit on origin that removes
``.pre-commit-config.yaml``: its hooks' environments are cloned from their repositories, which
a machine without network cannot reach (the row says so).

Nothing of the projects is kept: the temporary folders are removed. Exit code 0 when every
project produced a row.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

IDENTITY = {
    "GIT_AUTHOR_NAME": "Replay",
    "GIT_AUTHOR_EMAIL": "replay@example.invalid",
    "GIT_COMMITTER_NAME": "Replay",
    "GIT_COMMITTER_EMAIL": "replay@example.invalid",
}


class _Handler(BaseHTTPRequestHandler):
    """GitHub: every GET is 404 except what the release needs; POST creates a release.
    The index: a project that has every version but the next one (404 for a version)."""

    def _answer(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer(404, {"message": "Not Found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self._answer(201, {"html_url": "https://github.invalid/release"})

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextlib.contextmanager
def loopback() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def git(cwd: Path, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def github_slug(source: Path, given: str | None) -> str:
    if given:
        return given
    name = source.name if source.name != "repo" else source.parent.name
    return name.replace("+", "/", 1) if "+" in name else f"owner/{name}"


def snapshot(work: Path, env: dict[str, str]) -> tuple[str, ...]:
    return (
        git(work, "rev-parse", "HEAD", env=env),
        git(
            work,
            "for-each-ref",
            "--format=%(refname) %(objectname)",
            "refs/heads",
            "refs/tags",
            env=env,
        ),
        git(work, "status", "--porcelain", "--untracked-files=no", env=env),
    )


MARKDOWN_CHANGELOGS = ("CHANGELOG.md", "CHANGES.md", "HISTORY.md", "NEWS.md")


def add_notes(work: Path) -> bool:
    """Write one note under a Markdown changelog's ``Unreleased`` heading (adding the heading
    above the first release when there is none), as a maintainer does before a release.
    False when there is no Markdown changelog at the root (the row says so)."""
    for name in MARKDOWN_CHANGELOGS:
        path = work / name
        if not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        note = ["", "- A change made for the replay.", ""]
        for index, line in enumerate(lines):
            if line.startswith("#") and "unreleased" in line.lower():
                lines[index + 1 : index + 1] = note
                break
        else:
            first = next((i for i, line in enumerate(lines) if line.startswith("## ")), None)
            if first is None:
                return False
            level = lines[first].split(" ", 1)[0]
            lines[first:first] = [f"{level} Unreleased", *note]
        path.write_text("\n".join(lines), encoding="utf-8")
        return True
    return False


def replay(
    source: Path,
    slug: str,
    isolation: bool,
    api: str,
    without_pre_commit: bool = False,
    with_notes: bool = False,
) -> dict[str, Any]:
    row: dict[str, Any] = {"project": slug}
    with tempfile.TemporaryDirectory(prefix="replay-") as folder:
        tmp = Path(folder)
        env = {
            **os.environ,
            **IDENTITY,
            "HOME": str(tmp / "home"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "RELEASE_ASSISTANT_GITHUB_API_URL": api,
            "RELEASE_ASSISTANT_INDEX_API_URL": api,
            "RELEASE_ASSISTANT_ZIZMOR": "off",
            "GH_TOKEN": "",
            "GITHUB_TOKEN": "",
        }
        (tmp / "home").mkdir()
        bare = tmp / "origin.git"
        git(tmp, "clone", "-q", "--bare", str(source), str(bare), env=env)
        work = tmp / "work"
        git(tmp, "clone", "-q", str(bare), str(work), env=env)
        url = f"https://github.com/{slug}.git"
        git(work, "remote", "set-url", "origin", url, env=env)
        git(work, "config", f"url.{bare}.insteadOf", url, env=env)
        git(work, "fetch", "-q", "origin", env=env)
        branch = git(work, "symbolic-ref", "--short", "HEAD", env=env).strip()
        if without_pre_commit and (work / ".pre-commit-config.yaml").exists():
            git(work, "rm", "-q", ".pre-commit-config.yaml", env=env)
            git(work, "commit", "-qm", "replay: no pre-commit (offline)", env=env)
            git(work, "push", "-q", "origin", branch, env=env)
            row["project"] += " (no pre-commit)"
        if with_notes and add_notes(work):
            git(work, "commit", "-qam", "replay: release notes", env=env)
            git(work, "push", "-q", "origin", branch, env=env)
            row["project"] += " (+notes)"
        before = snapshot(work, env)
        command = [sys.executable, "-m", "release_assistant", "ship", "patch", "--yes"]
        if not isolation:
            command.append("--no-build-isolation")
        started = time.perf_counter()
        done = subprocess.run(
            [*command, "--repo", str(work)],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        free = re.search(r"the next free version is (\S+): release-assistant ship", done.stderr)
        if done.returncode != 0 and free:
            # As a maintainer would: take the version the refusal offers.
            row["project"] += f" (ship {free.group(1)})"
            command[command.index("patch")] = free.group(1)
            done = subprocess.run(
                [*command, "--repo", str(work)],
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
        row["seconds"] = round(time.perf_counter() - started, 1)
        row["ship"] = done.returncode
        failure = [
            line for line in done.stderr.splitlines() if line.startswith("release-assistant:")
        ]
        row["why"] = failure[0].removeprefix("release-assistant: ")[:160] if failure else ""
        tag_line = re.search(r"^released (\S+)$", done.stdout, re.M)
        if done.returncode == 0 and tag_line:
            tag = tag_line.group(1)
            row["tag_name"] = tag
            tip = git(bare, "rev-parse", f"refs/heads/{branch}", env=env).strip()
            subject = git(bare, "log", "-1", "--format=%s", tip, env=env).strip()
            row["commit"] = subject.startswith("Release ")
            kind = git(bare, "cat-file", "-t", f"refs/tags/{tag}", env=env).strip()
            at = git(bare, "rev-parse", f"refs/tags/{tag}^{{commit}}", env=env).strip()
            row["tag"] = kind == "tag" and at == tip
            check = subprocess.run(
                [sys.executable, "-m", "release_assistant", "check", "--tag", tag,
                 "--skip", "git,ci", "--repo", str(work)],
                env=env, capture_output=True, text=True, timeout=300, check=False,
            )  # fmt: skip
            row["check"] = check.returncode == 0
        else:
            row["undo"] = snapshot(work, env) == before
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--no-build-isolation", action="store_true")
    parser.add_argument("--github", action="append", default=[], help="OWNER/NAME per DIR")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--without-pre-commit", action="store_true")
    parser.add_argument("--with-notes", action="store_true")
    args = parser.parse_args()
    rows = []
    with loopback() as api:
        for index, source in enumerate(args.dirs):
            slug = github_slug(source, args.github[index] if index < len(args.github) else None)
            try:
                isolation = not args.no_build_isolation
                rows.append(
                    replay(source, slug, isolation, api, args.without_pre_commit, args.with_notes)
                )
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                rows.append({"project": slug, "ship": None, "why": f"replay broke: {error}"})
            row = rows[-1]
            marks = " ".join(
                f"{key}={'yes' if row[key] else 'NO'}"
                for key in ("commit", "tag", "check", "undo")
                if key in row
            )
            print(
                f"{row['project']:<32} ship={row['ship']} {row.get('seconds', '-')}s {marks}"
                f"{'  ' + row['why'] if row.get('why') else ''}",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
