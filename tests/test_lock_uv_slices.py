"""The hand-made reading of ``uv.lock`` (:mod:`release_assistant.core.lockfiles.uv.scan`)
against ``tomllib``, on locks the real uv writes at test time, on the real 690 KB lock of the
benchmarks and on hostile ones.

The scan indexes a lock in uv's own form with one regular expression (one block per
``[[package]]``) and TOML-parses only the header and the blocks it needs. These tests hold it
to ``tomllib``: every block it cuts out parses on its own to the entry the whole file holds
at that place, with the name, version and source the index recorded; and on any lock, the
one-pass path and the general path give the same result (the same index or the same
finding).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest

from release_assistant.core.lockfiles.text import CONFLICT_MARKER, conflict_marker_lines
from release_assistant.core.lockfiles.uv.lock_entries import ScannedLock
from release_assistant.core.support.toml_lines import tomllib
from tests.lock_support import Tools, lock_tools, run_tool, write_tree

__all__ = ["lock_tools"]

scan_module = importlib.import_module("release_assistant.core.lockfiles.uv.scan")
REAL_LOCK = Path(__file__).resolve().parent.parent / "benchmarks/fixtures/uv-large/uv.lock"

BUILD = '\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
#: A workspace with every kind of source-tree entry uv writes: the root (editable), a member,
#: a virtual member, a path dependency outside the members; registry packages with markers,
#: extras and several versions; optional dependencies and dependency groups.
WORKSPACE = {
    "pyproject.toml": """
[project]
name = "root-app"
version = "1.0"
requires-python = ">=3.9"
dependencies = [
    "alpha>=1.0,<3",
    "beta; python_version >= '3.10'",
    "eta[fast]",
    "member-lib",
    "vendored",
]

[project.optional-dependencies]
cli = ["zeta"]
slow = ["gamma<0.2 ; sys_platform == 'win32'", "gamma>=0.2 ; sys_platform != 'win32'"]

[dependency-groups]
dev = ["delta", {include-group = "lint"}]
lint = ["epsilon"]

[tool.uv.workspace]
members = ["packages/*"]

[tool.uv.sources]
member-lib = { workspace = true }
vendored = { path = "vendor/vendored" }
"""
    + BUILD,
    "packages/member-lib/pyproject.toml": """
[project]
name = "member-lib"
version = "0.3"
requires-python = ">=3.9"
dependencies = ["gamma"]
"""
    + BUILD,
    "packages/tools/pyproject.toml": """
[project]
name = "tools"
version = "0.1"
requires-python = ">=3.9"
dependencies = ["delta"]

[tool.uv]
package = false
""",
    "vendor/vendored/pyproject.toml": """
[project]
name = "vendored"
version = "2.0"
requires-python = ">=3.8"
dependencies = ["alpha"]
"""
    + BUILD,
}


@pytest.fixture(scope="module")
def generated_lock(lock_tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The lock the real uv writes for :data:`WORKSPACE` against the local index."""
    root = tmp_path_factory.mktemp("uv-slices")
    write_tree(root, WORKSPACE)
    done = run_tool(lock_tools, root, "uv", "lock", "--default-index", lock_tools.index_url)
    assert done.returncode == 0, done.stderr
    return (root / "uv.lock").read_text(encoding="utf-8")


def general_scan(text: str, monkeypatch: pytest.MonkeyPatch) -> object:
    """:func:`scan` with the one-pass path turned off."""
    with monkeypatch.context() as patch:
        patch.setattr(scan_module, "_canonical_packages", lambda text, start: None)
        return scan_module.scan(text)


def assert_slices_match_tomllib(text: str) -> None:
    """Every block the one-pass index cuts parses to the whole file's entry at its place."""
    start = scan_module._first_package_start(text)
    packages = scan_module._canonical_packages(text, start)
    assert packages is not None, "a lock uv wrote must take the one-pass path"
    whole = tomllib.loads(text)
    assert len(packages) == len(whole["package"])
    assert tomllib.loads(text[:start]) == {k: v for k, v in whole.items() if k != "package"}
    position = start
    for package, entry in zip(packages, whole["package"], strict=True):
        assert package.start == position  # contiguous: nothing between blocks is skipped
        position = package.end
        sliced: dict[str, Any] = tomllib.loads(text[package.start : package.end])
        assert sliced == {"package": [entry]}
        assert package.name == entry["name"]
        assert package.version == entry.get("version")
        assert {package.kind: package.value} == entry["source"]
        assert package.line == text.count("\n", 0, package.start) + 1
    assert position == len(text)


def test_generated_lock_slices_match_tomllib(generated_lock: str) -> None:
    assert '{ editable = "."' in generated_lock  # the root project
    assert '{ virtual = "packages/tools" }' in generated_lock
    assert '{ directory = "vendor/vendored" }' in generated_lock
    assert "[package.metadata.requires-dev]" in generated_lock
    assert "[package.optional-dependencies]" in generated_lock
    assert_slices_match_tomllib(generated_lock)


def test_real_lock_slices_match_tomllib() -> None:
    text = REAL_LOCK.read_text(encoding="utf-8")
    assert text.count("\n[[package]]\n") > 400
    assert_slices_match_tomllib(text)


def test_one_pass_and_general_scan_agree_on_real_locks(
    generated_lock: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for text in (generated_lock, REAL_LOCK.read_text(encoding="utf-8")):
        fast = scan_module.scan(text)
        assert isinstance(fast, ScannedLock)
        general = general_scan(text, monkeypatch)
        assert isinstance(general, ScannedLock)
        assert (fast.header, fast.packages) == (general.header, general.packages)


def _hostile(text: str) -> dict[str, str]:
    """Edits of a valid lock no uv writes: each must leave the verdict of the general path."""
    first = text.index('\n[[package]]\nname = "') + 1
    second = text.index("\n[[package]]\n", first) + 1
    head_end = text.index("\n", text.index("source = ", first)) + 1
    return {
        "comment in a block": text[:head_end] + "# a comment\n" + text[head_end:],
        "comment between blocks": text[:second] + "# between\n" + text[second:],
        "CRLF": text.replace("\n", "\r\n"),
        "multi-line string hiding a block": text[:head_end]
        + 'description = """\n[[package]]\nname = "ghost"\nversion = "1"\n"""\n'
        + text[head_end:],
        "multi-line literal string": text[:head_end]
        + "notes = '''\n\n[[package]]\n'''\n"
        + text[head_end:],
        "multi-line string in the header": 'note = """\n[[package]]\n"""\n' + text,
        "escaped name": text[:first] + text[first:].replace('name = "', 'name = "\\u0061', 1),
        "name not in normal form": text[:first] + text[first:].replace('name = "', 'name = "X_', 1),
        "wrong type: version": text[:first]
        + text[first:].replace('version = "', "version = 1 #", 1),
        "wrong type: dependencies": text[:head_end] + 'dependencies = "x"\n' + text[head_end:],
        "a stray line": text[:second] + "oops\n" + text[second:],
        "a string sub-table": text[:second].rstrip("\n")
        + '\n\n[package.group-requires-python]\ndev = ">=3.12"\n\n'
        + text[second:],
        "duplicate block": text + "\n" + text[first:second].rstrip("\n") + "\n",
        "no blank line between blocks": text[: second - 1] + text[second:],
        "trailing text": text + "tail = 1\n",
    }


@pytest.mark.parametrize("source", ["generated", "real"])
def test_hostile_locks_take_the_general_path_or_agree(
    source: str, generated_lock: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = generated_lock if source == "generated" else REAL_LOCK.read_text(encoding="utf-8")
    declined = []
    for name, hostile in _hostile(text).items():
        fast = scan_module.scan(hostile)
        general = general_scan(hostile, monkeypatch)
        if isinstance(fast, ScannedLock):
            assert isinstance(general, ScannedLock), name
            assert (fast.header, fast.packages) == (general.header, general.packages), name
        else:
            assert fast == general, name
        start = scan_module._first_package_start(hostile)
        if scan_module._canonical_packages(hostile, start) is None:
            declined.append(name)
        else:  # what the one-pass path accepts, tomllib must read the same way
            assert_slices_match_tomllib(hostile)
    # Only well-formed blocks are still in uv's own form.
    accepted = set(_hostile(text)) - set(declined)
    assert accepted == {"duplicate block", "no blank line between blocks"}


@pytest.mark.parametrize(
    "text",
    [
        "<<<<<<< HEAD\nversion = 1\n",
        "version = 1\n=======\n",
        "version = 1\n>>>>>>> branch\nx = 1\n",
        "a = 1\n||||||| base\n",
        "a = 1\n=======",
        "a = 1\n======= \n",
        "a = 1\n========\n",
        "a = 1\n=======\r\n",
        "a = 1\n  =======\n",
        'a = "======="\n',
        "a = 1\r\n<<<<<<< x\r\n",
        "",
    ],
)
def test_conflict_marker_screen_agrees_with_the_line_regex(text: str) -> None:
    expected = [text.count("\n", 0, m.start()) + 1 for m in CONFLICT_MARKER.finditer(text)]
    assert conflict_marker_lines(text) == expected


NONPORTABLE_VALUES = [
    'source = { editable = "/home/me/lib" }',
    'source = { directory = "../outside" }',
    'source = { path = "vendor/../../up.whl" }',
    'source = { virtual = "C:\\\\work\\\\lib" }',
    'source = { editable = "C:/work/lib" }',
    'source = { path = "\\\\\\\\server\\\\share\\\\x.whl" }',
    'source = { directory = "packages/inside/../still-inside" }',
    'source = { url = "file:///tmp/x.whl" }',
    'source = { registry = "https://user:secret@example.invalid/simple" }',
    'source = { git = "ssh://git@example.invalid/repo.git" }',
    'source = { editable = "sub/dir" }',
    'sdist = { url = "https://example.invalid/a..b.tar.gz" }',
]


@pytest.mark.parametrize("line", NONPORTABLE_VALUES)
def test_nonportable_screen_keeps_every_finding(
    line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from release_assistant.core.lockfiles import generic

    text = f'version = 1\n\n[[package]]\nname = "x"\nversion = "1"\n{line}\n'
    screened = generic.nonportable_findings(text, "uv.lock", tmp_path)
    with monkeypatch.context() as patch:  # the screen always passes: the full search decides
        patch.setattr(generic, "_PARENT", re.compile(""))
        unscreened = generic.nonportable_findings(text, "uv.lock", tmp_path)
    assert screened == unscreened
    portable = ('editable = "sub/dir"', "still-inside", "a..b", "git@")
    assert bool(screened) == (not any(part in line for part in portable))


@pytest.mark.parametrize("where", ["header", "block", "both"])
def test_conflict_markers_are_found_in_the_header_and_in_blocks(
    where: str, generated_lock: str, tmp_path: Path
) -> None:
    from release_assistant.core.checks.lock import check

    text = generated_lock
    if where in ("header", "both"):
        text = text.replace("\n", "\n<<<<<<< ours\n", 1)  # after the first line
    if where in ("block", "both"):
        second = text.index("\n[[package]]\n", text.index("\n[[package]]\n") + 1) + 1
        text = text[:second] + "=======\n" + text[second:]
    write_tree(tmp_path, {**WORKSPACE, "uv.lock": text})
    expected = [text.count("\n", 0, m.start()) + 1 for m in CONFLICT_MARKER.finditer(text)]
    assert len(expected) == (2 if where == "both" else 1)
    found = [f.line for f in check(tmp_path).findings if f.code == "RA501"]
    assert found == expected
