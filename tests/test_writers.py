"""Files the tool writes: mode from the umask, no temporary left behind, reports as a pair."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from release_assistant.cli.main import main
from release_assistant.core.support.textfiles import write_text_atomic, write_texts_atomic
from tests.conftest import minimal_pyproject


@pytest.fixture
def umask_027() -> object:
    previous = os.umask(0o027)
    yield
    os.umask(previous)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask_027")
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path: Path) -> None:
    target = tmp_path / "new.txt"
    write_text_atomic(target, "x\n")
    assert mode_of(target) == 0o640  # 0o666 & ~0o027, not a temporary file's 0o600


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "kept.sh"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o755)
    write_text_atomic(target, "new\n")
    assert (target.read_text(encoding="utf-8"), mode_of(target)) == ("new\n", 0o755)


def test_temporaries_a_killed_write_left_are_removed_by_the_next(tmp_path: Path) -> None:
    target = tmp_path / "verification-report.json"
    leftover = tmp_path / ".verification-report.json.k3j2l1.tmp"
    leftover.write_text("{half", encoding="utf-8")
    unrelated = tmp_path / ".other.json.abc.tmp"
    unrelated.write_text("keep", encoding="utf-8")
    write_text_atomic(target, "{}\n")
    assert not leftover.exists()
    assert unrelated.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".other.json.abc.tmp",
        "verification-report.json",
    ]


def test_a_failed_pair_write_changes_neither_file(tmp_path: Path) -> None:
    first = tmp_path / "a.json"
    first.write_text("old\n", encoding="utf-8")
    missing_dir = tmp_path / "nowhere" / "b.md"
    with pytest.raises(OSError):
        write_texts_atomic([(first, "new\n"), (missing_dir, "new\n")])
    assert first.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def _project(tmp_path: Path) -> Path:
    repo = tmp_path / "proj"
    repo.mkdir()
    (repo / "pyproject.toml").write_text(minimal_pyproject("proj", "1.0.0"), encoding="utf-8")
    return repo


def test_the_report_pair_carries_one_run_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _project(tmp_path)
    out = tmp_path / "out"
    code = main(["check", "--repo", str(repo), "--only", "version", "--report-dir", str(out)])
    capsys.readouterr()
    assert code in (0, 1)
    report = json.loads((out / "verification-report.json").read_text(encoding="utf-8"))
    markdown = (out / "verification-report.md").read_text(encoding="utf-8")
    assert len(report["run_id"]) == 32
    assert f"run {report['run_id']}" in markdown


def test_report_dir_with_missing_parents_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _project(tmp_path)
    target = tmp_path / "typo" / "deeper" / "reports"
    code = main(["check", "--repo", str(repo), "--only", "version", "--report-dir", str(target)])
    _, err = capsys.readouterr()
    assert code == 2
    assert "does not exist" in err and err.count("\n") == 1
    assert not (tmp_path / "typo").exists()


# --- reading: only regular files, bounded while reading --------------------------------


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    from release_assistant.core.support.textfiles import FileProblem, read_text

    fifo = tmp_path / "VERSION"
    os.mkfifo(fifo)
    with pytest.raises(FileProblem, match="FIFO"):
        read_text(fifo)


def test_a_device_is_refused(tmp_path: Path) -> None:
    from release_assistant.core.support.textfiles import FileProblem, read_text

    with pytest.raises(FileProblem, match="character device"):
        read_text("/dev/zero")


def test_the_size_cap_holds_for_files_that_report_size_zero(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``/proc`` files stat as empty; the cap counts what is read."""
    from release_assistant.core.support import textfiles

    monkeypatch.setattr(textfiles, "MAX_TEXT_BYTES", 16)
    if not os.path.exists("/proc/self/status"):
        pytest.skip("needs /proc")
    with pytest.raises(textfiles.FileProblem, match="too large"):
        textfiles.read_bytes("/proc/self/status")


@pytest.mark.parametrize(
    ("relpath", "inside"),
    [("a/b.txt", True), ("../x", False), ("link-out", False), ("link-in", True)],
)
def test_resolve_inside_follows_symlinks(tmp_path: Path, relpath: str, inside: bool) -> None:
    from release_assistant.core.support.confined import resolve_inside
    from release_assistant.core.support.textfiles import FileProblem

    root = tmp_path / "repo"
    (root / "a").mkdir(parents=True)
    (root / "a" / "b.txt").write_text("x", encoding="utf-8")
    (root / "link-out").symlink_to("/proc/self/environ")
    (root / "link-in").symlink_to(root / "a" / "b.txt")
    if inside:
        assert resolve_inside(root, relpath, "version_files").startswith(str(root.resolve()))
    else:
        with pytest.raises(FileProblem, match="points outside the repository"):
            resolve_inside(root, relpath, "version_files")


# --- a real kill during a write, and writes outside the repository ----------------------

_SLOW_WRITER = """
import sys
from pathlib import Path
from release_assistant.core.support.textfiles import write_texts_atomic
out = Path(sys.argv[1])
big = "x" * (64 * 1024 * 1024)
write_texts_atomic([(out / "verification-report.json", big), (out / "verification-report.md", big)])
"""


def test_a_kill_9_mid_write_leaves_no_report_and_the_next_run_sweeps_its_temporary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import signal
    import subprocess
    import sys
    import time

    repo = _project(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    writer = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(out)],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    deadline = time.monotonic() + 30
    while not any(p.name.endswith(".tmp") for p in out.iterdir()):
        assert writer.poll() is None, "the writer finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    leftovers = [p.name for p in out.iterdir()]
    assert leftovers and all(name.endswith(".tmp") for name in leftovers), leftovers
    code = main(["check", "--repo", str(repo), "--only", "version", "--report-dir", str(out)])
    capsys.readouterr()
    assert code in (0, 1)
    assert sorted(p.name for p in out.iterdir()) == [
        "verification-report.json",
        "verification-report.md",
    ]


@pytest.mark.parametrize("how", ["config-path", "symlinked-workflows-dir"])
def test_workflow_init_never_writes_outside_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    repo = _project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    if how == "config-path":
        with (repo / "pyproject.toml").open("a", encoding="utf-8") as handle:
            handle.write('\n[tool.release-assistant]\nworkflow = "../outside/x.yml"\n')
    else:
        (repo / ".github").mkdir()
        (repo / ".github" / "workflows").symlink_to(outside)
    code = main(["workflow", "init", "--repo", str(repo)])
    _, err = capsys.readouterr()
    assert code == 2
    assert "points outside the repository" in err and err.count("\n") == 1
    assert list(outside.iterdir()) == []
