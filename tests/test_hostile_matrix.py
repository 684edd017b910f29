"""The hostile matrix: every file the tool reads by every shape of bad input.

A valid project (version, changelog, version file, release workflow, parity gate, a lock) is
built once per case; one file is then replaced by a hostile variant and ``release-assistant
check`` runs in-process under an alarm. Whatever the variant, the run ends (no hang), exits
0, 1 or 2, never shows a traceback or an internal error, never quotes a file outside the
repository, and when it fails it names the file. The 50 MB variant is a sparse file, so the
matrix stays fast (well under a minute for all cases on two cores).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import pytest

from release_assistant.cli.main import main
from release_assistant.core.lockfiles import pdm, poetry
from release_assistant.core.support.toml_lines import load_toml
from release_assistant.core.workflows.template import plan_init
from tests.conftest import git, minimal_pyproject
from tests.parity_fixtures import generated_set

OUTSIDE_MARKER = "OUTSIDE-THE-REPOSITORY-d41d8cd9"
CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-01-02\n\n- First release.\n"
UV_LOCK = (
    'version = 1\nrevision = 3\nrequires-python = ">=3.10"\n\n'
    '[[package]]\nname = "demo"\nversion = "1.0.0"\nsource = { editable = "." }\n'
)
POETRY_LOCK = '[metadata]\nlock-version = "2.1"\npython-versions = ">=3.10"\ncontent-hash = "x"\n'
PDM_LOCK = '[metadata]\ngroups = ["default"]\nstrategy = []\nlock_version = "4.5.0"\n'

#: The file under test -> its kind (how its "deep", "wrong type" and "duplicate" look).
TARGETS: dict[str, str] = {
    "pyproject.toml": "toml",
    "CHANGELOG.md": "markdown",
    "uv.lock": "toml",
    "poetry.lock": "toml",
    "pdm.lock": "toml",
    ".github/workflows/release.yml": "yaml",
    "reports/parity/aggregate.json": "json",
    "src/demo/__init__.py": "python",
}

DEEP = 100_000
SHAPES: dict[str, dict[str, bytes]] = {
    "toml": {
        "deep": b"x = " + b"[" * DEEP + b"]" * DEEP + b"\n",
        "wrong-type": b"tool = 3\nproject = []\nversion = {}\npackage = 3\nmetadata = 1\n",
        "duplicate-keys": b'[project]\nname = "a"\nname = "b"\n',
    },
    "yaml": {
        "deep": b"on: " + b"[" * DEEP + b"]" * DEEP + b"\n",
        "wrong-type": b"on: 3\njobs: [1, 2]\n",
        "duplicate-keys": b"on: push\non: release\njobs: {}\n",
    },
    "json": {
        "deep": b"[" * DEEP + b"]" * DEEP,
        "wrong-type": b'{"all_suites_pass": "yes", "suites": 3, "rows": {"a": []}}',
        "duplicate-keys": b'{"all_suites_pass": false, "all_suites_pass": true}',
    },
    "markdown": {
        "deep": b"# Changelog\n\n" + b"> " * DEEP + b"## [1.0.0] - 2026-01-02\n",
        "wrong-type": b"# Changelog\n\n## [one point oh] - yesterday\n",
        "duplicate-keys": b"# Changelog\n\n## [1.0.0] - 2026-01-02\n\n## [1.0.0] - 2026-01-02\n",
    },
    "python": {
        "deep": b"__version__ = " + b"(" * DEEP + b'"1.0.0"' + b")" * DEEP + b"\n",
        "wrong-type": b"__version__ = 3\n",
        "duplicate-keys": b'__version__ = "1.0.0"\n__version__ = "2.0.0"\n',
    },
}
VARIANTS = (
    "empty",
    "nul",
    "invalid-utf8",
    "bom",
    "crlf",
    "lone-cr",
    "50mb",
    "deep",
    "fifo",
    "dev-zero",
    "directory",
    "symlink-out",
    "wrong-type",
    "duplicate-keys",
)
ALARM_SECONDS = 20
#: Variants that are never a pass: nothing can read them as the file they stand for.
MUST_FAIL: dict[str, tuple[str, ...]] = {
    "any": ("fifo", "dev-zero", "directory", "invalid-utf8", "50mb"),
    "toml": ("nul", "lone-cr", "deep", "wrong-type", "duplicate-keys"),
    "json": ("empty", "nul", "deep", "wrong-type", "duplicate-keys"),
    "yaml": ("empty", "deep", "wrong-type", "duplicate-keys"),
    "python": ("empty", "wrong-type"),
}


def _base(root: Path, lock: str) -> None:
    """A project on which the checks below pass, so a failure is the variant's doing; it
    has one lock (two side by side would be a finding of their own)."""
    files = {
        "CHANGELOG.md": CHANGELOG,
        "src/demo/__init__.py": '__version__ = "1.0.0"\n',
    }
    for relpath, text in files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(text, encoding="utf-8")
    artifacts = generated_set(root)
    (root / "pyproject.toml").write_text(
        minimal_pyproject("demo", "1.0.0")
        + '\n[tool.release-assistant]\nversion_files = ["src/demo/__init__.py"]\n'
        + artifacts.config_toml(),
        encoding="utf-8",
    )
    document = load_toml(root / "pyproject.toml")
    # The workflow `workflow init` writes for this project: the model the checks hold to.
    plan = plan_init(root, ".github/workflows/release.yml", document)
    plan.path.parent.mkdir(parents=True, exist_ok=True)
    plan.path.write_text(plan.text, encoding="utf-8")
    data = document.data
    locks = {
        "uv.lock": UV_LOCK,
        "poetry.lock": POETRY_LOCK.replace('"x"', f'"{poetry.content_hash(data)}"'),
        "pdm.lock": PDM_LOCK + f'content_hash = "sha256:{pdm.content_hash(data)}"\n',
    }
    (root / lock).write_text(locks[lock], encoding="utf-8")


def _mutate(root: Path, relpath: str, variant: str, outside: Path) -> None:
    target = root / relpath
    good = target.read_bytes()
    target.unlink()
    kind = TARGETS[relpath]
    writers: dict[str, Callable[[], object]] = {
        "empty": lambda: target.write_bytes(b""),
        "nul": lambda: target.write_bytes(
            good[: len(good) // 2] + b"\x00" + good[len(good) // 2 :]
        ),
        "invalid-utf8": lambda: target.write_bytes(good + b"\n\xff\xfe\xc3(\n"),
        "bom": lambda: target.write_bytes(b"\xef\xbb\xbf" + good),
        "crlf": lambda: target.write_bytes(good.replace(b"\n", b"\r\n")),
        "lone-cr": lambda: target.write_bytes(good.replace(b"\n", b"\r")),
        "50mb": lambda: _sparse(target, good, 50 * 1024 * 1024),
        "fifo": lambda: os.mkfifo(target),
        "dev-zero": lambda: target.symlink_to("/dev/zero"),
        "directory": lambda: target.mkdir(),
        "symlink-out": lambda: target.symlink_to(outside),
    }
    if variant in writers:
        writers[variant]()
    else:
        target.write_bytes(SHAPES[kind][variant])


def _sparse(target: Path, good: bytes, size: int) -> None:
    with target.open("wb") as handle:
        handle.write(good)
        handle.truncate(size)  # a hole: no 50 MB are written


class _Hang(Exception):
    pass


@contextlib.contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def ring(signum: int, frame: FrameType | None) -> None:
        raise _Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _run(root: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _alarm(ALARM_SECONDS):
        code = main(
            [
                "check",
                "--repo",
                str(root),
                "--tag",
                "v1.0.0",
                "--only",
                "version,changelog,lock,workflow,gates",
            ]
        )
    return code, out.getvalue() + err.getvalue()


def _project(tmp_path: Path, lock: str) -> tuple[Path, Path]:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    _base(root, lock)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    outside = tmp_path / "outside.txt"
    outside.write_text(f"{OUTSIDE_MARKER}\n__version__ = '{OUTSIDE_MARKER}'\n", encoding="utf-8")
    return root, outside


FORBIDDEN_OUTPUT = ("Traceback", "internal error", "RecursionError", "could not run: ValueError")


@pytest.mark.parametrize("lock", ["uv.lock", "poetry.lock", "pdm.lock"])
def test_the_base_project_passes(tmp_path: Path, lock: str) -> None:
    root, _ = _project(tmp_path, lock)
    code, output = _run(root)
    assert code == 0, output


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("relpath", sorted(TARGETS))
def test_hostile_input_is_named_never_a_crash_or_a_hang(
    tmp_path: Path, relpath: str, variant: str
) -> None:
    root, outside = _project(tmp_path, relpath if relpath.endswith(".lock") else "uv.lock")
    _mutate(root, relpath, variant, outside)
    code, output = _run(root)
    assert code in (0, 1, 2), output
    for forbidden in FORBIDDEN_OUTPUT:
        assert forbidden not in output, output
    assert OUTSIDE_MARKER not in output
    if code == 2:
        assert output.count("\n") == 1, output
    if code != 0:
        assert Path(relpath).name in output, output
    if variant in MUST_FAIL.get(TARGETS[relpath], ()) + MUST_FAIL["any"]:
        assert code != 0, f"{variant} {relpath} passed:\n{output}"


#: The variants that lead out of the work tree or are no regular file: what `bump` must
#: neither follow, quote, nor write through.
BUMP_VARIANTS = ("symlink-out", "fifo", "dev-zero", "directory")


@pytest.mark.parametrize("variant", BUMP_VARIANTS)
@pytest.mark.parametrize("relpath", sorted(TARGETS))
def test_bump_never_writes_or_quotes_through_a_hostile_file(
    tmp_path: Path, relpath: str, variant: str
) -> None:
    """``bump patch --yes`` over the same variants: it ends, the file outside keeps its
    bytes, nothing of it is shown, and a refusal is one line naming the file."""
    root, outside = _project(tmp_path, relpath if relpath.endswith(".lock") else "uv.lock")
    _mutate(root, relpath, variant, outside)
    before = outside.read_bytes()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _alarm(ALARM_SECONDS):
        code = main(["bump", "patch", "--yes", "--repo", str(root)])
    output = out.getvalue() + err.getvalue()
    assert outside.read_bytes() == before
    assert code in (0, 1, 2), output
    for forbidden in FORBIDDEN_OUTPUT:
        assert forbidden not in output, output
    assert OUTSIDE_MARKER not in output
    if code == 2:
        assert output.count("\n") == 1, output
    target = root / relpath
    if variant == "symlink-out" or variant == "dev-zero":
        assert target.is_symlink(), "the link was replaced by a file"
    elif variant == "fifo":
        assert target.is_fifo()
    else:
        assert target.is_dir()
    # Files bump edits are refused by name. (A changelog that is no regular file is not
    # found at all, so the bump writes no section, and says so.)
    edited = ("src/demo/__init__.py", "pyproject.toml")
    if relpath in edited or (relpath == "CHANGELOG.md" and variant == "symlink-out"):
        assert code != 0 and Path(relpath).name in output, output
