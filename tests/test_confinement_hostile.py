"""Every path from configuration or a project file stays inside the work tree (issue 24).

For each setting that names a file, a hostile value: ``../outside``, an absolute path, a
link inside the tree that leads out, ``/proc/self/environ`` (every environment variable),
a FIFO and a directory. ``bump --yes`` must leave the outside file's bytes as they were,
refuse with one line naming the setting (exit 2 for a configured path, 1 for a path a
project file names), and never print the outside file or the environment; ``check``, the
pre-commit hooks and the context the walkthrough loads must give the same verdict.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from release_assistant.cli.main import main
from tests.conftest import REPO_ROOT, git, minimal_pyproject

OUTSIDE_MARKER = "OUTSIDE-THE-REPOSITORY-7f3a9c"
ENV_CANARY = "ENVIRON-CANARY-2b8e51"
CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n- A fix.\n\n## [1.0.0] - 2026-01-02\n\n- First.\n"
#: What the outside file holds: a version assignment, a changelog, a publishing workflow,
#: and a JSON artifact would all read it as theirs if it were followed.
OUTSIDE_TEXT = (
    f"# {OUTSIDE_MARKER}\n__version__ = '1.0.0'\nversion = '1.0.0'\n"
    "## [Unreleased]\n\n- outside notes\n\n## [1.0.0] - 2026-01-01\n"
)
SHAPES = ("dotdot", "absolute", "symlink", "environ", "fifo", "directory")
#: Shapes that lead out of the work tree (the others are inside it, but no regular file).
OUTSIDE_SHAPES = ("dotdot", "absolute", "symlink", "environ")
HAS_PROC = os.path.exists("/proc/self/environ")


def _project(tmp_path: Path) -> tuple[Path, Path]:
    """A committed project (version 1.0.0, a changelog, ``__version__``) and, beside it, a
    file outside the work tree."""
    root = tmp_path / "repo"
    (root / "src" / "demo").mkdir(parents=True)
    (root / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    (root / "src" / "demo" / "__init__.py").write_text('__version__ = "1.0.0"\n', "utf-8")
    (root / "pyproject.toml").write_text(minimal_pyproject("demo", "1.0.0"), encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text(OUTSIDE_TEXT, encoding="utf-8")
    return root, outside


def _commit(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")


def _hostile_path(root: Path, outside: Path, shape: str) -> str:
    """The value a setting gets for ``shape`` (creating the link, FIFO or directory)."""
    if shape == "dotdot":
        return "../outside.txt"
    if shape == "absolute":
        return str(outside)
    if shape == "symlink":
        (root / "linked.txt").symlink_to(outside)
        return "linked.txt"
    if shape == "environ":
        return "/proc/self/environ"
    if shape == "fifo":
        os.mkfifo(root / "pipe.txt")
        return "pipe.txt"
    (root / "adir").mkdir()
    (root / "adir" / "keep").write_text("x", encoding="utf-8")
    return "adir"


def _append(root: Path, text: str) -> None:
    with (root / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write(text)


def _run(root: Path, *args: str, environ: bool = False) -> tuple[int, str]:
    """``release-assistant ARGS --repo ROOT``: in this process, or (``environ``) in a fresh
    one whose environment holds a canary, so that ``/proc/self/environ`` would show it."""
    argv = [*args, "--repo", str(root)]
    if environ:
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PLANTED_CANARY": ENV_CANARY}
        done = subprocess.run(
            [sys.executable, "-m", "release_assistant", *argv],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        return done.returncode, done.stdout + done.stderr
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue() + err.getvalue()


def _assert_nothing_leaked(output: str) -> None:
    assert OUTSIDE_MARKER not in output, output
    assert ENV_CANARY not in output, output
    assert "outside notes" not in output, output
    assert "Traceback" not in output and "internal error" not in output, output


# --- settings of [tool.release-assistant]: refused with the configuration -----------------

#: setting -> (how to configure a path, the name the refusal gives it).
CONFIGURED: dict[str, tuple[Callable[[str], str], str]] = {
    "version_files": (
        lambda p: f'\n[tool.release-assistant]\nversion_files = ["{p}"]\n',
        "[tool.release-assistant] version_files",
    ),
    "changelog": (
        lambda p: f'\n[tool.release-assistant]\nchangelog = "{p}"\n',
        "[tool.release-assistant] changelog",
    ),
    "workflow": (
        lambda p: f'\n[tool.release-assistant]\nworkflow = "{p}"\n',
        "[tool.release-assistant] workflow",
    ),
    "gates.parity.runs": (
        lambda p: (
            "\n[tool.release-assistant.gates.parity]\n"
            f'runs = ["{p}"]\naggregate = "agg.json"\nlock = "lock.json"\n'
        ),
        "[tool.release-assistant] gates.parity.runs",
    ),
    "gates.parity.aggregate": (
        lambda p: (
            "\n[tool.release-assistant.gates.parity]\n"
            f'runs = ["run.json"]\naggregate = "{p}"\nlock = "lock.json"\n'
        ),
        "[tool.release-assistant] gates.parity.aggregate",
    ),
    "gates.parity.lock": (
        lambda p: (
            "\n[tool.release-assistant.gates.parity]\n"
            f'runs = ["run.json"]\naggregate = "agg.json"\nlock = "{p}"\n'
        ),
        "[tool.release-assistant] gates.parity.lock",
    ),
}


@pytest.mark.parametrize("shape", OUTSIDE_SHAPES)
@pytest.mark.parametrize("setting", sorted(CONFIGURED))
def test_a_configured_path_outside_is_one_configuration_error_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, shape: str
) -> None:
    if shape == "environ" and not HAS_PROC:
        pytest.skip("needs /proc")
    root, outside = _project(tmp_path)
    configure, name = CONFIGURED[setting]
    _append(root, configure(_hostile_path(root, outside, shape)))
    _commit(root)
    before = outside.read_bytes()
    environ = shape == "environ"

    code, bumped = _run(root, "bump", "patch", "--yes", environ=environ)
    assert outside.read_bytes() == before
    _assert_nothing_leaked(bumped)
    assert code == 2, bumped
    assert bumped.count("\n") == 1, bumped
    assert name in bumped and "points outside the repository" in bumped, bumped
    assert git(root, "status", "--porcelain") == ""  # nothing inside changed either

    code, checked = _run(root, "check", environ=environ)
    _assert_nothing_leaked(checked)
    assert (code, checked) == (2, bumped), "check and bump give different verdicts"

    # The pre-commit hooks and the context the walkthrough loads: the same line.
    from release_assistant.core.context import RepoContext
    from release_assistant.core.project.config import ConfigError
    from release_assistant.hooks import check_changelog_version, check_release_workflow

    with pytest.raises(ConfigError) as refused:
        RepoContext.load(root)
    assert refused.value.message in bumped
    monkeypatch.chdir(root)
    for hook in (check_changelog_version.main, check_release_workflow.main):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            assert hook([]) == 2
        assert refused.value.message in err.getvalue(), err.getvalue()
        _assert_nothing_leaked(out.getvalue() + err.getvalue())
    assert outside.read_bytes() == before


@pytest.mark.parametrize("shape", ["fifo", "directory"])
@pytest.mark.parametrize("setting", ["version_files", "changelog"])
def test_a_configured_file_that_is_no_regular_file_is_refused_by_name(
    tmp_path: Path, setting: str, shape: str
) -> None:
    """Inside the tree, but a FIFO or a directory: never read (no hang), never written."""
    root, _ = _project(tmp_path)
    configure, _ = CONFIGURED[setting]
    relpath = _hostile_path(root, tmp_path / "unused", shape)
    _append(root, configure(relpath))
    _commit(root)
    code, bumped = _run(root, "bump", "patch", "--yes")
    assert code == 1, bumped
    assert f"refused: {relpath}: is a" in bumped, bumped
    assert git(root, "status", "--porcelain") == ""
    code, checked = _run(root, "check", "--only", "version,changelog")
    assert code == 1 and relpath in checked, checked


@pytest.mark.parametrize("shape", ["fifo", "directory"])
@pytest.mark.parametrize("setting", ["workflow", "gates.parity.lock"])
def test_a_workflow_or_artifact_that_is_no_regular_file_fails_check_and_bump_ignores_it(
    tmp_path: Path, setting: str, shape: str
) -> None:
    """``bump`` never reads the workflow or the artifacts; ``check`` names the file."""
    root, _ = _project(tmp_path)
    configure, _ = CONFIGURED[setting]
    relpath = _hostile_path(root, tmp_path / "unused", shape)
    _append(root, configure(relpath))
    _commit(root)
    code, checked = _run(root, "check", "--only", "workflow,gates")
    assert code == 1 and relpath in checked, checked
    code, bumped = _run(root, "bump", "patch", "--yes")
    assert code == 0, bumped
    assert (root / relpath).is_dir() if shape == "directory" else (root / relpath).is_fifo()


# --- paths that project files name: refused by whatever reads them ------------------------


def _hatch_path(root: Path, relpath: str) -> None:
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    text = text.replace('version = "1.0.0"\n', 'dynamic = ["version"]\n')
    (root / "pyproject.toml").write_text(
        text + f'\n[tool.hatch.version]\npath = "{relpath}"\n', encoding="utf-8"
    )


def _setuptools_file(root: Path, relpath: str) -> None:
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    text = text.replace('version = "1.0.0"\n', 'dynamic = ["version"]\n')
    text = text.replace('"hatchling"', '"setuptools"').replace(
        "hatchling.build", "setuptools.build_meta"
    )
    (root / "pyproject.toml").write_text(
        text + f'\n[tool.setuptools.dynamic]\nversion = {{ file = "{relpath}" }}\n',
        encoding="utf-8",
    )


def _setup_cfg_file(root: Path, relpath: str) -> None:
    _setuptools_file(root, "VERSION")
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    text = text.split("\n[tool.setuptools.dynamic]")[0]
    (root / "pyproject.toml").write_text(text, encoding="utf-8")
    (root / "setup.cfg").write_text(
        f"[metadata]\nname = demo\nversion = file: {relpath}\n", encoding="utf-8"
    )


def _towncrier_filename(root: Path, relpath: str) -> None:
    (root / "CHANGELOG.md").unlink()
    _append(root, f'\n[tool.towncrier]\nfilename = "{relpath}"\n')


#: project setting -> (how to set a path, the name the refusal gives it).
PROJECT: dict[str, tuple[Callable[[Path, str], None], str]] = {
    "hatch version path": (_hatch_path, "[tool.hatch.version] path"),
    "setuptools dynamic file": (_setuptools_file, "[tool.setuptools.dynamic] version.file"),
    "setup.cfg file:": (_setup_cfg_file, "setup.cfg [metadata] version = file:"),
    "towncrier filename": (_towncrier_filename, "[tool.towncrier] filename"),
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("setting", sorted(PROJECT))
def test_a_path_a_project_file_names_is_refused_by_check_and_bump(
    tmp_path: Path, setting: str, shape: str
) -> None:
    if shape == "environ" and not HAS_PROC:
        pytest.skip("needs /proc")
    if setting == "towncrier filename" and shape in ("fifo", "directory"):
        pytest.skip("towncrier's filename counts only when it names a regular file")
    root, outside = _project(tmp_path)
    configure, name = PROJECT[setting]
    configure(root, _hostile_path(root, outside, shape))
    _commit(root)
    before = outside.read_bytes()
    environ = shape == "environ"

    code, bumped = _run(root, "bump", "patch", "--yes", environ=environ)
    assert outside.read_bytes() == before
    _assert_nothing_leaked(bumped)
    assert code == 1, bumped
    assert bumped.count("\n") == 1 and "refused:" in bumped, bumped
    if shape in OUTSIDE_SHAPES:
        assert f"{name} = " in bumped and "points outside the repository" in bumped, bumped
    assert git(root, "status", "--porcelain") == ""

    code, checked = _run(root, "check", "--only", "version,changelog", environ=environ)
    _assert_nothing_leaked(checked)
    assert code == 1, checked
    if shape in OUTSIDE_SHAPES:
        assert f"{name} = " in checked and "points outside the repository" in checked, checked


@pytest.mark.parametrize("form", ["dotdot", "absolute"])
def test_workspace_members_outside_the_repository_are_never_read(tmp_path: Path, form: str) -> None:
    root, outside = _project(tmp_path)
    sibling = tmp_path / "sibling"
    sibling.mkdir()
    (sibling / "pyproject.toml").write_text(minimal_pyproject("sibling", "9.9.9"), encoding="utf-8")
    pattern = "../*" if form == "dotdot" else f"{tmp_path}/*"
    text = minimal_pyproject("demo", "1.0.0").split("[project]")[0]
    (root / "pyproject.toml").write_text(
        text + f'\n[tool.uv.workspace]\nmembers = ["{pattern}"]\n', encoding="utf-8"
    )
    _commit(root)
    before = (sibling / "pyproject.toml").read_bytes()
    refusal = f"[tool.uv.workspace] members = '{pattern}' points outside the repository"
    code, bumped = _run(root, "bump", "patch", "--yes")
    assert code == 1, bumped
    assert refusal in bumped and "9.9.9" not in bumped, bumped
    code, checked = _run(root, "check", "--only", "version")
    assert code == 1 and refusal in checked and "9.9.9" not in checked, checked
    # The lock check reads the members too: refused (a warning: uv decides), no crash.
    (root / "pyproject.toml").write_text(
        minimal_pyproject("demo", "1.0.0") + f'\n[tool.uv.workspace]\nmembers = ["{pattern}"]\n',
        encoding="utf-8",
    )
    (root / "uv.lock").write_text(
        'version = 1\nrevision = 3\nrequires-python = ">=3.10"\n\n[[package]]\n'
        'name = "demo"\nversion = "1.0.0"\nsource = { editable = "." }\n',
        encoding="utf-8",
    )
    code, checked = _run(root, "check", "--only", "lock")
    assert "RA509" in checked and refusal in checked, checked
    assert "could not run" not in checked and "9.9.9" not in checked, checked
    assert (sibling / "pyproject.toml").read_bytes() == before
    assert outside.read_bytes().decode("utf-8") == OUTSIDE_TEXT


# --- files found by looking: a link out of the tree is never followed ---------------------


def test_a_changelog_found_by_name_that_links_out_is_refused(tmp_path: Path) -> None:
    root, outside = _project(tmp_path)
    (root / "CHANGELOG.md").unlink()
    (root / "CHANGELOG.md").symlink_to(outside)
    _commit(root)
    code, bumped = _run(root, "bump", "patch", "--yes")
    assert code == 1 and "the changelog = 'CHANGELOG.md' points outside" in bumped, bumped
    _assert_nothing_leaked(bumped)
    code, checked = _run(root, "check", "--only", "changelog,version")
    assert code == 1 and "points outside the repository" in checked, checked
    _assert_nothing_leaked(checked)
    assert outside.read_text(encoding="utf-8") == OUTSIDE_TEXT


def test_a_version_module_that_links_out_is_neither_read_nor_bumped(tmp_path: Path) -> None:
    """The package's ``__init__.py`` is only looked for: a link out is no version file, for
    ``check`` as for ``bump`` (which bumps the rest and leaves the link alone)."""
    root, outside = _project(tmp_path)
    init = root / "src" / "demo" / "__init__.py"
    init.unlink()
    init.symlink_to(outside)
    _commit(root)
    code, bumped = _run(root, "bump", "patch", "--yes")
    assert code == 0, bumped
    _assert_nothing_leaked(bumped)
    assert init.is_symlink() and outside.read_text(encoding="utf-8") == OUTSIDE_TEXT
    assert 'version = "1.0.1"' in (root / "pyproject.toml").read_text(encoding="utf-8")


def test_a_release_workflow_that_links_out_gives_no_publisher_identity(tmp_path: Path) -> None:
    """A publishing workflow outside the tree, linked in: not read, so the identity the
    user is shown (``setup``, the ``publisher`` check) never comes from it."""
    root, _ = _project(tmp_path)
    _commit(root)
    from release_assistant.core.support.toml_lines import load_toml
    from release_assistant.core.workflows.template import plan_init

    plan = plan_init(root, ".github/workflows/release.yml", load_toml(root / "pyproject.toml"))
    elsewhere = tmp_path / "elsewhere.yml"
    leaked = plan.text.replace("name: pypi", "name: leaked-env").replace(
        "name: testpypi", "name: leaked-env"
    )
    assert leaked.count("leaked-env") >= 1
    elsewhere.write_text(leaked, encoding="utf-8")
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "release.yml").symlink_to(elsewhere)
    git(root, "remote", "add", "origin", "https://github.com/octo/demo.git")
    code, checked = _run(root, "check", "--only", "workflow,publisher")
    assert code == 1, checked
    assert "(a link out of the work tree) points outside the repository" in checked, checked
    _assert_nothing_leaked(checked)
    assert "leaked-env" not in checked
    code, shown = _run(root, "setup", "--format", "json")
    _assert_nothing_leaked(shown)
    assert code == 0 and "leaked-env" not in shown, shown


# --- workflow init: never writes outside --------------------------------------------------


@pytest.mark.parametrize("shape", ["dotdot", "absolute", "symlink", "symlinked-dir"])
def test_workflow_init_never_writes_outside(tmp_path: Path, shape: str) -> None:
    root, outside = _project(tmp_path)
    target_dir = tmp_path / "elsewhere"
    target_dir.mkdir()
    if shape == "symlinked-dir":
        (root / ".github").mkdir()
        (root / ".github" / "workflows").symlink_to(target_dir)
    else:
        value = {
            "dotdot": "../elsewhere/release.yml",
            "absolute": str(target_dir / "release.yml"),
            "symlink": "linked.yml",
        }[shape]
        if shape == "symlink":
            (root / "linked.yml").symlink_to(target_dir / "release.yml")
        _append(root, f'\n[tool.release-assistant]\nworkflow = "{value}"\n')
    _commit(root)
    code, output = _run(root, "workflow", "init", "--force")
    assert code == 2, output
    assert output.count("\n") == 1 and "points outside the repository" in output, output
    assert list(target_dir.iterdir()) == []
    assert outside.read_text(encoding="utf-8") == OUTSIDE_TEXT


@pytest.mark.parametrize("shape", ["fifo", "directory"])
def test_workflow_init_replaces_only_a_regular_file(tmp_path: Path, shape: str) -> None:
    root, _ = _project(tmp_path)
    relpath = _hostile_path(root, tmp_path / "unused", shape)
    _append(root, f'\n[tool.release-assistant]\nworkflow = "{relpath}"\n')
    _commit(root)
    code, output = _run(root, "workflow", "init", "--force")
    assert code == 2 and relpath in output, output
    assert (root / relpath).is_dir() if shape == "directory" else (root / relpath).is_fifo()


# --- what bump writes: plain text files inside the tree, through their links --------------


def test_bump_edits_the_target_of_a_link_inside_the_tree_and_keeps_the_link(
    tmp_path: Path,
) -> None:
    root, _ = _project(tmp_path)
    (root / "src" / "demo" / "_version.py").write_text('__version__ = "1.0.0"\n', "utf-8")
    (root / "VERSION.py").symlink_to("src/demo/_version.py")
    _append(root, '\n[tool.release-assistant]\nversion_files = ["VERSION.py"]\n')
    _commit(root)
    code, bumped = _run(root, "bump", "patch", "--yes")
    assert code == 0, bumped
    assert (root / "VERSION.py").is_symlink()
    assert (root / "src/demo/_version.py").read_text("utf-8") == '__version__ = "1.0.1"\n'


def test_bump_refuses_a_file_that_is_no_plain_text(tmp_path: Path) -> None:
    """NUL bytes (what ``/proc/self/environ`` is made of) are never shown in a diff."""
    root, _ = _project(tmp_path)
    (root / "src" / "demo" / "_version.py").write_bytes(
        b'__version__ = "1.0.0"\nSECRET=' + ENV_CANARY.encode() + b"\x00OTHER=x\x00\n"
    )
    _append(root, '\n[tool.release-assistant]\nversion_files = ["src/demo/_version.py"]\n')
    _commit(root)
    code, bumped = _run(root, "bump", "patch", "--yes")
    assert code == 1 and "holds NUL bytes: not a plain text file" in bumped, bumped
    _assert_nothing_leaked(bumped)
    assert git(root, "status", "--porcelain") == ""


def test_note_generator_discovery_reads_no_file_out_of_the_work_tree(tmp_path: Path) -> None:
    """scriv's and reno's markers are read from the project's own files: a `setup.cfg` that
    links out of the work tree is not read, so it cannot make the tool take scriv's
    fragments (or quote anything from outside)."""
    from release_assistant.core.changelog.discovery import find_note_generator

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "setup.cfg").write_text("[scriv]\nfragment_directory = notes\n", encoding="utf-8")
    root = tmp_path / "work"
    (root / "notes").mkdir(parents=True)
    (root / "setup.cfg").symlink_to(outside / "setup.cfg")
    assert find_note_generator(str(root), None) is None

    (root / "setup.cfg").unlink()
    (root / "setup.cfg").write_text("[scriv]\nfragment_directory = notes\n", encoding="utf-8")
    found = find_note_generator(str(root), None)
    assert found is not None and (found.tool, found.directory) == ("scriv", "notes")
