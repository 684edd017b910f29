"""All-or-nothing writes across a ``kill -9``: the journal of ``write_all`` and its recovery.

Every test kills a real process at a chosen point (``os._exit``/``SIGKILL`` in a subprocess,
so nothing of the killed process's cleanup runs), then checks that recovery leaves every file
either all old or all new, and no temporary file, backup or journal behind.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from release_assistant.cli import main
from release_assistant.core.release.files import (
    JOURNAL_IN_GIT_DIR,
    JOURNAL_IN_ROOT,
    FileEdit,
    WriteFailed,
    describe_interrupted_write,
    journal_location,
    recover_interrupted_write,
    write_all,
)
from release_assistant.core.support.textfiles import FileProblem
from tests.conftest import RepoFactory, git, write_files

OLD = {
    "pyproject.toml": b'[project]\nname = "demo-pkg"\nversion = "0.1.1"\n',
    "CHANGELOG.md": b"# Changelog\r\n\r\n## [Unreleased]\r\n\r\n- A thing.\r\n",
    "src/demo_pkg/__init__.py": b'__version__ = "0.1.1"\n',
}
NEW = {
    "pyproject.toml": b'[project]\nname = "demo-pkg"\nversion = "0.1.2"\n',
    "CHANGELOG.md": b"# Changelog\r\n\r\n## [Unreleased]\r\n\r\n## [0.1.2]\r\n\r\n- A thing.\r\n",
    "src/demo_pkg/__init__.py": b'__version__ = "0.1.2"\n',
    "docs/NEW.txt": b"a file the write creates\n",
}

#: A child process: write NEW over OLD under argv[1], dying (exit 137, no cleanup at all)
#: when ``_after_replace`` is called with argv[2].
KILLED_WRITER = """
import os, sys
from release_assistant.core.release.files import FileEdit, write_all
root, kill_at = sys.argv[1], int(sys.argv[2])
edits = []
for relpath, data in json.loads(sys.argv[3]).items():
    path = os.path.join(root, relpath)
    original = open(path, "rb").read() if os.path.exists(path) else None
    edits.append(FileEdit(path, relpath, None if original is None else "", data, original))
def die(replaced):
    if replaced == kill_at:
        os._exit(137)
write_all(edits, _after_replace=die)
"""


def layout(tmp_path: Path, in_git: bool) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    if in_git:
        git(root, "init", "-q", "-b", "main")
    for relpath, data in OLD.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_bytes(data)
    (root / "docs").mkdir()
    return root


def files(root: Path) -> dict[str, bytes]:
    """Every file of the project (not of .git), by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def leftovers(root: Path) -> list[str]:
    """Temporary files, backups and journals anywhere under ``root`` (``.git`` included)."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.name.endswith((".tmp", ".bak")) or "journal" in p.name
    )


def kill_writer(root: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    texts = {relpath: data.decode() for relpath, data in NEW.items()}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import json\n" + KILLED_WRITER,
            str(root),
            str(kill_at),
            json.dumps(texts),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "no-git"])
@pytest.mark.parametrize("kill_at", range(len(NEW) + 1))
def test_a_kill_after_any_replace_is_rolled_back_to_the_old_files(
    tmp_path: Path, in_git: bool, kill_at: int
) -> None:
    root = layout(tmp_path, in_git)
    done = kill_writer(root, kill_at)
    assert done.returncode == 137, done.stderr
    journal, _ = journal_location(str(root))
    assert os.path.isfile(journal)
    assert journal.endswith(f".git/{JOURNAL_IN_GIT_DIR}" if in_git else f"/{JOURNAL_IN_ROOT}")
    half = files(root)
    # The kill left the half-written state the journal exists for (at kill_at 1..3).
    replaced = [p for p in NEW if half.get(p) == NEW[p]]
    assert len(replaced) == kill_at
    pending = describe_interrupted_write(str(root))
    assert pending is not None and "the next bump, ship or workflow init rolls it back" in pending
    assert files(root) == half  # describing changed nothing

    message = recover_interrupted_write(str(root))

    assert message is not None
    assert message.startswith(
        "rolled back an interrupted write of pyproject.toml, CHANGELOG.md, "
        "src/demo_pkg/__init__.py, docs/NEW.txt: "
    )
    put_back = ", ".join(list(NEW)[: min(kill_at, 3)])
    if kill_at == 0:
        assert message.endswith(": no file had been replaced yet")
    else:
        assert f": put the old {put_back} back" in message
    assert message.endswith("; removed the new docs/NEW.txt") == (kill_at == 4)
    assert files(root) == OLD
    assert leftovers(root) == []
    assert recover_interrupted_write(str(root)) is None  # nothing left to do
    assert describe_interrupted_write(str(root)) is None


def test_an_uninterrupted_write_leaves_only_the_new_files(tmp_path: Path) -> None:
    root = layout(tmp_path, in_git=True)
    calls: list[int] = []
    write_all(edits(root), _after_replace=calls.append)
    assert calls == [0, 1, 2, 3, 4]
    assert files(root) == NEW
    assert leftovers(root) == []


def edits(root: Path) -> list[FileEdit]:
    out = []
    for relpath, data in NEW.items():
        path = root / relpath
        original = path.read_bytes() if path.exists() else None
        out.append(
            FileEdit(str(path), relpath, None if original is None else "", data.decode(), original)
        )
    return out


def test_a_kill_while_recovering_is_finished_by_the_next_recovery(tmp_path: Path) -> None:
    """Recovery is idempotent: killed after its first restore, the next run completes it."""
    root = layout(tmp_path, in_git=True)
    assert kill_writer(root, len(NEW)).returncode == 137
    recoverer = (
        "import os, sys\n"
        "from release_assistant.core.release import files\n"
        "real = os.replace\n"
        "def replace_once(src, dst):\n"
        "    real(src, dst)\n"
        "    os._exit(137)\n"
        "os.replace = replace_once\n"
        "files.recover_interrupted_write(sys.argv[1])\n"
    )
    done = subprocess.run([sys.executable, "-c", recoverer, str(root)], check=False)
    assert done.returncode == 137
    assert files(root) != OLD  # one file restored, the others still new
    assert (recover_interrupted_write(str(root)) or "").startswith("rolled back")
    assert files(root) == OLD and leftovers(root) == []


def test_a_write_interrupted_after_the_commit_point_keeps_the_new_files(tmp_path: Path) -> None:
    """Killed after every replace and the ``done`` journal: the backups go, the files stay."""
    root = layout(tmp_path, in_git=True)
    script = (
        "import os, sys, json\n"
        "from release_assistant.core.release import files\n"
        "real = files._write_journal\n"
        "def journal(path, state, entries):\n"
        "    real(path, state, entries)\n"
        "    if state == 'done':\n"
        "        os._exit(137)\n"
        "files._write_journal = journal\n"
        + KILLED_WRITER.replace("write_all(edits", "files.write_all(edits")
    )
    texts = {relpath: data.decode() for relpath, data in NEW.items()}
    done = subprocess.run(
        [sys.executable, "-c", script, str(root), "-1", json.dumps(texts)], check=False
    )
    assert done.returncode == 137
    assert any(name.endswith(".bak") for name in leftovers(root))
    message = recover_interrupted_write(str(root)) or ""
    assert message.endswith(": every file had been replaced; removed its leftover backups")
    assert message.startswith("finished an interrupted write of pyproject.toml, CHANGELOG.md")
    assert files(root) == NEW and leftovers(root) == []


def test_a_file_edited_after_the_kill_is_left_as_found_and_named(tmp_path: Path) -> None:
    root = layout(tmp_path, in_git=True)
    assert kill_writer(root, 2).returncode == 137
    (root / "pyproject.toml").write_text("# edited by hand after the kill\n", encoding="utf-8")
    message = recover_interrupted_write(str(root)) or ""
    assert message.endswith(
        ": put the old CHANGELOG.md back; left pyproject.toml (changed since) as found"
    )
    assert (root / "pyproject.toml").read_text() == "# edited by hand after the kill\n"
    assert files(root) == OLD | {"pyproject.toml": b"# edited by hand after the kill\n"}
    assert leftovers(root) == []


def test_a_leftover_journal_makes_write_all_roll_back_and_refuse(tmp_path: Path) -> None:
    """A caller that did not recover first (the walkthrough) gets the rollback and a refusal:
    its plan was made from the half-written files."""
    root = layout(tmp_path, in_git=True)
    assert kill_writer(root, 1).returncode == 137
    with pytest.raises(
        WriteFailed, match=r"^rolled back an interrupted write of .*; plan the change again$"
    ):
        write_all(edits(root))
    assert files(root) == OLD and leftovers(root) == []


def test_a_journal_naming_paths_outside_the_tree_is_refused_untouched(tmp_path: Path) -> None:
    """A planted journal (outside git, a tarball can carry one) cannot move files around."""
    root = layout(tmp_path, in_git=False)
    outside = tmp_path / "victim.txt"
    outside.write_text("keep me\n", encoding="utf-8")
    journal = root / JOURNAL_IN_ROOT
    journal.write_text(
        json.dumps(
            {
                "format": 1,
                "state": "committing",
                "files": [
                    {
                        "path": "../victim.txt",
                        "temp": "../.victim.txt.ra-0.tmp",
                        "backup": None,
                        "old_sha256": None,
                        "new_sha256": "0" * 64,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(FileProblem, match="not a path inside the repository"):
        recover_interrupted_write(str(root))
    assert outside.read_text() == "keep me\n" and journal.exists()
    assert "not a path inside the repository" in (describe_interrupted_write(str(root)) or "")


def test_a_linked_work_tree_keeps_its_journal_in_its_own_git_dir(
    make_repo: RepoFactory, tmp_path: Path
) -> None:
    repo = make_repo({"README.md": "x\n"})
    git(repo, "worktree", "add", "-q", str(tmp_path / "linked"), "-b", "other")
    journal, base = journal_location(str(tmp_path / "linked"))
    assert base == os.path.realpath(tmp_path / "linked")
    assert Path(journal).parent == (repo / ".git" / "worktrees" / "linked").resolve()


# --- the real command, killed with SIGKILL at every step that changes a file -------------

PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "demo-pkg"
version = "0.1.1"
"""

CHANGELOG = """\
# Changelog

## [Unreleased]

- A new thing.

## [0.1.1] - 2026-03-20

- Fixed.
"""

#: ``release-assistant bump patch --yes`` that SIGKILLs itself right before its N-th call that
#: changes a file under the repository (os.open with O_CREAT, os.replace, os.link,
#: os.unlink); with N = 0 it runs through and prints how many such calls it made.
KILLED_BUMP = """
import os, signal, sys
root, kill_at = os.path.realpath(sys.argv[1]), int(sys.argv[2])
count = 0
def counted(function, creates_only=False):
    def wrapper(*args, **kwargs):
        global count
        path = os.fspath(args[0])
        changes = not creates_only or args[1] & os.O_CREAT
        if changes and os.path.realpath(path).startswith(root + os.sep):
            count += 1
            if count == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
        return function(*args, **kwargs)
    return wrapper
os.open = counted(os.open, creates_only=True)
for name in ("replace", "link", "unlink"):
    setattr(os, name, counted(getattr(os, name)))
from release_assistant.cli import main
code = main(["bump", "patch", "--yes", "--repo", root])
print(f"calls={count}", file=sys.stderr)
sys.exit(code)
"""


def killed_bump(root: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", KILLED_BUMP, str(root), str(kill_at)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_bump_killed_at_every_step_leaves_the_old_or_the_new_release(
    make_repo: RepoFactory, tmp_path: Path
) -> None:
    template = make_repo({"pyproject.toml": PYPROJECT, "CHANGELOG.md": CHANGELOG})
    old = files(template)
    full = killed_bump(template, 0)
    assert full.returncode == 0, full.stderr
    new = files(template)
    assert (
        '"0.1.2"' in new["pyproject.toml"].decode() and "## [0.1.2]" in new["CHANGELOG.md"].decode()
    )
    total = int(full.stderr.rsplit("calls=", 1)[1])
    assert total >= 8  # journal x3, 2 temps, 2 backups, 2 replaces, cleanup
    outcomes = []
    messages: set[str] = set()
    for kill_at in range(1, total + 1):
        root = make_repo({"pyproject.toml": PYPROJECT, "CHANGELOG.md": CHANGELOG})
        done = killed_bump(root, kill_at)
        assert done.returncode == -signal.SIGKILL, (kill_at, done.stderr)
        # The next writing command recovers first: run a dry run (reports) and then recover
        # the way `bump` does, through the CLI.
        assert main(["bump", "patch", "--dry-run", "--repo", str(root)]) == 0
        message = recover_interrupted_write(str(root))
        assert message is None or message.startswith(
            (
                "rolled back an interrupted write of pyproject.toml, CHANGELOG.md: ",
                "finished an interrupted write of pyproject.toml, CHANGELOG.md: ",
                "removed the journal of a write interrupted before it changed any file",
            )
        ), (kill_at, message)
        after = files(root)
        assert after in (old, new), (kill_at, message)
        assert leftovers(root) == [], (kill_at, message)
        outcomes.append("old" if after == old else "new")
        messages.add((message or "").split(": ")[-1])
    # Rolled back until the commit point, kept after it; never anything in between.
    assert outcomes == sorted(outcomes, key=lambda o: o == "new")
    assert outcomes[0] == "old" and outcomes[-1] == "new"
    assert {
        "",  # killed before the journal existed, or after it was deleted
        "no file had been replaced yet",
        "put the old pyproject.toml back",
        "put the old pyproject.toml, CHANGELOG.md back",
        "every file had been replaced; removed its leftover backups",
    } <= messages


def test_bump_rolls_back_a_killed_bump_then_bumps_once(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """Re-running the killed command does what it would have done: 0.1.1 -> 0.1.2, not 0.1.3."""
    template = make_repo({"pyproject.toml": PYPROJECT, "CHANGELOG.md": CHANGELOG})
    total = int(killed_bump(template, 0).stderr.rsplit("calls=", 1)[1])
    # Find the kill that leaves pyproject.toml bumped and the changelog not (the state the
    # hostile review found): right before the second file's replace.
    for kill_at in range(1, total + 1):
        root = make_repo({"pyproject.toml": PYPROJECT, "CHANGELOG.md": CHANGELOG})
        done = killed_bump(root, kill_at)
        half = files(root)
        if b'"0.1.2"' in half["pyproject.toml"] and b"## [0.1.2]" not in half["CHANGELOG.md"]:
            break
    else:
        pytest.fail("no kill point left pyproject.toml bumped and the changelog not")
    assert done.returncode == -signal.SIGKILL
    assert main(["check", "--only", "version", "--repo", str(root)]) in (0, 1)
    _, err = capsys.readouterr()
    assert "release-assistant: note: a write of pyproject.toml, CHANGELOG.md was interrupted" in err
    assert main(["bump", "patch", "--yes", "--repo", str(root)]) == 0
    _, err = capsys.readouterr()
    assert (
        "release-assistant: note: rolled back an interrupted write of pyproject.toml, "
        "CHANGELOG.md: put the old pyproject.toml back\n"
    ) in err
    after = files(root)
    assert '"0.1.2"' in after["pyproject.toml"].decode()
    assert "## [0.1.2]" in after["CHANGELOG.md"].decode() and "0.1.3" not in str(after)
    assert leftovers(root) == []


def test_workflow_init_rolls_back_a_killed_write_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = layout(tmp_path, in_git=True)
    write_files(root, {"pyproject.toml": PYPROJECT})
    assert kill_writer(root, 1).returncode == 137
    main(["workflow", "init", "--repo", str(root)])
    _, err = capsys.readouterr()
    assert "release-assistant: note: rolled back an interrupted write" in err
    assert leftovers(root) == []
    assert (root / "pyproject.toml").read_text() == PYPROJECT


# --- a journal is input too: whatever it says, recovery stays inside the tree ------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=16),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)
_PATHS = st.sampled_from(
    [
        "pyproject.toml",
        "src/x.py",
        "../victim.txt",
        "/tmp/victim",
        "a/../../victim.txt",
        ".",
        "",
        "src",
        "link/victim.txt",
        "pyproject.toml\0",
    ]
)
_NAMES = st.sampled_from(
    [
        ".pyproject.toml.ra-1.tmp",
        ".pyproject.toml.ra-1.bak",
        "../.victim.txt.ra-1.tmp",
        ".x.py.ra-1.tmp",
        "src/.x.py.ra-1.bak",
        "victim.txt",
        None,
    ]
)
_ENTRY = st.fixed_dictionaries(
    {
        "path": _PATHS | _JSON,
        "temp": _NAMES | _JSON,
        "backup": _NAMES | _JSON,
        "old_sha256": st.sampled_from([None, "0" * 64, "OLD"]) | _JSON,
        "new_sha256": st.sampled_from(["0" * 64, "NEW"]) | _JSON,
    }
)


def _consistent(path: str, backed_up: bool, old: str | None, new: str) -> dict[str, str | None]:
    """An entry shaped as ``write_all`` writes it, for any path (outside ones included)."""
    directory, name = os.path.split(path)
    return {
        "path": path,
        "temp": os.path.join(directory, f".{name}.ra-1.tmp"),
        "backup": os.path.join(directory, f".{name}.ra-1.bak") if backed_up else None,
        "old_sha256": old if backed_up else None,
        "new_sha256": new,
    }


_CONSISTENT = st.builds(
    _consistent,
    _PATHS,
    st.booleans(),
    st.sampled_from(["OLD", "0" * 64]),
    st.sampled_from(["NEW", "OUTSIDE", "0" * 64]),
)
_STATES = st.sampled_from(["staging", "committing", "done"])
_JOURNAL = st.fixed_dictionaries(
    {
        "format": st.just(1) | st.sampled_from([2, "1", None]),
        "state": _STATES | _STATES | _JSON,
        "files": st.lists(_CONSISTENT | _CONSISTENT | _ENTRY | _JSON, min_size=1, max_size=3)
        | _JSON,
    }
)


@settings(max_examples=500, deadline=None)
@given(journal=st.one_of(_JOURNAL, _JOURNAL, _JOURNAL, _JSON, st.binary(max_size=64)))
def test_any_journal_is_recovered_or_refused_in_one_line_never_outside_the_tree(
    journal: object,
) -> None:
    import hashlib
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        top = Path(scratch)
        root = top / "project"
        (root / "src").mkdir(parents=True)
        victim = top / "victim.txt"
        victim.write_text("outside\n", encoding="utf-8")
        (root / "link").symlink_to(top)
        (root / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
        digest = hashlib.sha256(b"[project]\n").hexdigest()
        outside = hashlib.sha256(b"outside\n").hexdigest()
        text = "" if isinstance(journal, bytes) else json.dumps(journal)
        text = text.replace("OLD", digest).replace("NEW", digest)
        text = text.replace("OUTSIDE", outside)
        for name in (".victim.txt.ra-1.bak", "src/.x.py.ra-1.bak", ".pyproject.toml.ra-1.bak"):
            (top if name.startswith(".victim") else root).joinpath(name).write_text("bak\n")
        raw = journal if isinstance(journal, bytes) else text.encode()
        (root / JOURNAL_IN_ROOT).write_bytes(raw)
        (top / ".victim.txt.ra-1.tmp").write_text("outside temp\n", encoding="utf-8")
        described = describe_interrupted_write(str(root))
        assert described is not None and "\n" not in described
        try:
            message = recover_interrupted_write(str(root))
        except FileProblem as problem:
            assert str(problem).startswith(str(root / JOURNAL_IN_ROOT))
            assert "\n" not in str(problem)
        else:
            assert message is not None and "\n" not in message
            assert not (root / JOURNAL_IN_ROOT).exists()
        assert victim.read_text(encoding="utf-8") == "outside\n"
        assert (top / ".victim.txt.ra-1.tmp").exists()
        assert sorted(p.name for p in top.iterdir()) == [
            ".victim.txt.ra-1.bak",
            ".victim.txt.ra-1.tmp",
            "project",
            "victim.txt",
        ]


def test_a_journal_that_cannot_be_written_is_one_line_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The git directory refuses the journal (a read-only mount as root sees it: EROFS)."""
    root = layout(tmp_path, in_git=True)
    real_open = os.open

    def read_only_git_dir(path: str, flags: int, mode: int = 0o777) -> int:
        if JOURNAL_IN_GIT_DIR in os.fspath(path) and flags & os.O_CREAT:
            raise OSError(30, "Read-only file system")
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", read_only_git_dir)
    with pytest.raises(WriteFailed) as failure:
        write_all(edits(root))
    assert str(failure.value) == f".git/{JOURNAL_IN_GIT_DIR}: cannot write: Read-only file system"
    monkeypatch.undo()
    assert files(root) == OLD and leftovers(root) == []


def test_without_hard_links_the_backup_is_a_copy_with_the_files_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system without hard links (FAT, some shares) the rollback still works."""
    root = layout(tmp_path, in_git=False)
    (root / "pyproject.toml").chmod(0o640)

    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(1, "Operation not permitted")

    real_replace = os.replace

    def full_disk_on_the_changelog(src: str, dst: str) -> None:
        if dst.endswith("CHANGELOG.md") and ".ra-" in src:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(os, "replace", full_disk_on_the_changelog)
    with pytest.raises(
        WriteFailed, match=r"^CHANGELOG\.md: cannot write: No space left on device$"
    ):
        write_all(edits(root))
    monkeypatch.undo()
    assert files(root) == OLD and leftovers(root) == []
    assert (root / "pyproject.toml").stat().st_mode & 0o777 == 0o640
