"""``dist`` and ``build``: real distributions built with ``python -m build --no-isolation``
(hatchling, no network), and hand-made broken ones."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from release_assistant.cli import main
from release_assistant.core.context import RepoContext
from release_assistant.core.engine import known_check_ids, run_check, spec_for
from release_assistant.core.findings import CheckResult, Status
from tests.conftest import minimal_pyproject, write_files
from tests.support import codes

NAME = "tiny-pkg"
README = "# tiny-pkg\n\nA tiny package for the dist check.\n"

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None, reason="the projects are built from real files"
)


def project(root: Path, version: str) -> Path:
    """A hatchling project ``tiny-pkg`` at ``version`` with a Markdown README."""
    pyproject = minimal_pyproject(NAME, version).replace(
        'requires-python = ">=3.10"', 'requires-python = ">=3.10"\nreadme = "README.md"'
    )
    write_files(
        root,
        {
            "pyproject.toml": pyproject,
            "README.md": README,
            "tiny_pkg/__init__.py": f'__version__ = "{version}"\n',
        },
    )
    return root


def build(root: Path) -> list[Path]:
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", "dist", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return sorted((root / "dist").iterdir())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The real sdist and wheel of tiny-pkg 1.0.0 and 0.9.0, built once."""
    out = {}
    for version in ("1.0.0", "0.9.0"):
        root = project(tmp_path_factory.mktemp(f"build-{version}"), version)
        out[version] = [p for p in build(root) if not p.name.startswith(".")]
    return out


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return project(tmp_path / "repo", "1.0.0")


def put(repo: Path, *files: Path) -> None:
    (repo / "dist").mkdir(exist_ok=True)
    for path in files:
        shutil.copy(path, repo / "dist" / path.name)


def dist(repo: Path) -> CheckResult:
    return run_check(spec_for("dist"), RepoContext.load(repo, environ={}))


def wheel(repo: Path, filename: str, metadata: str) -> None:
    """A hand-made wheel holding only ``*.dist-info/METADATA``."""
    (repo / "dist").mkdir(exist_ok=True)
    prefix = "-".join(filename.split("-")[:2])
    with zipfile.ZipFile(repo / "dist" / filename, "w") as archive:
        archive.writestr(f"{prefix}.dist-info/METADATA", metadata)


def sdist(repo: Path, filename: str, metadata: str) -> None:
    """A hand-made sdist holding only ``{name}-{version}/PKG-INFO``."""
    (repo / "dist").mkdir(exist_ok=True)
    top = filename.removesuffix(".tar.gz")
    data = metadata.encode("utf-8")
    with tarfile.open(repo / "dist" / filename, "w:gz") as archive:
        info = tarfile.TarInfo(f"{top}/PKG-INFO")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))


def metadata(version: str = "1.0.0", extra: str = "", body: str = "") -> str:
    return f"Metadata-Version: 2.1\nName: tiny-pkg\nVersion: {version}\n{extra}\n{body}"


def test_dist_runs_last() -> None:
    assert known_check_ids()[-1] == "dist"


def test_no_dist_directory_is_a_skip_with_the_reason(repo: Path) -> None:
    result = dist(repo)
    assert result.status is Status.SKIP and "no dist/" in (result.reason or "")


def test_a_fresh_build_passes(repo: Path, built: dict[str, list[Path]]) -> None:
    put(repo, *built["1.0.0"])
    result = dist(repo)
    assert result.status is Status.PASS, result
    assert codes(result) == ["RA910"]
    assert "1 sdist(s) and 1 wheel(s) of tiny-pkg 1.0.0" in result.findings[0].message


def test_files_of_another_version_fail(repo: Path, built: dict[str, list[Path]]) -> None:
    put(repo, *built["1.0.0"], *built["0.9.0"])
    result = dist(repo)
    assert result.status is Status.FAIL
    assert codes(result) == ["RA903", "RA903", "RA910"]
    assert "File already exists" in result.findings[0].message
    assert {f.path for f in result.findings[:2]} == {f"dist/{p.name}" for p in built["0.9.0"]}


def test_only_an_old_version_fails_and_misses_both(
    repo: Path, built: dict[str, list[Path]]
) -> None:
    put(repo, *built["0.9.0"])
    assert codes(dist(repo)) == ["RA903", "RA903", "RA905", "RA910"]


def test_two_sdists_fail_and_the_unnormalized_name_warns(
    repo: Path, built: dict[str, list[Path]]
) -> None:
    put(repo, *built["1.0.0"])
    (sdist_file,) = [p for p in built["1.0.0"] if p.name.endswith(".tar.gz")]
    assert sdist_file.name == "tiny_pkg-1.0.0.tar.gz"  # hatchling writes PEP 625 names
    shutil.copy(sdist_file, repo / "dist" / "Tiny.Pkg-1.0.0.tar.gz")
    result = dist(repo)
    assert result.status is Status.FAIL
    assert codes(result) == ["RA902", "RA906", "RA910"]
    assert "expected tiny_pkg-1.0.0.tar.gz" in result.findings[0].message


def test_no_wheel_fails(repo: Path, built: dict[str, list[Path]]) -> None:
    put(repo, *[p for p in built["1.0.0"] if p.name.endswith(".tar.gz")])
    result = dist(repo)
    assert codes(result) == ["RA905", "RA910"] and "no wheel" in result.findings[0].message


def test_another_projects_file_fails(repo: Path, built: dict[str, list[Path]]) -> None:
    put(repo, *built["1.0.0"])
    wheel(repo, "other_pkg-1.0.0-py3-none-any.whl", metadata().replace("tiny-pkg", "other-pkg"))
    assert codes(dist(repo)) == ["RA904", "RA910"]


@pytest.mark.parametrize(
    "filename", ["tiny_pkg-1.0.0.zip", "tiny_pkg.whl", "tiny_pkg-1.0.0-py3.whl"]
)
def test_a_file_the_index_refuses_fails(
    repo: Path, built: dict[str, list[Path]], filename: str
) -> None:
    put(repo, *built["1.0.0"])
    (repo / "dist" / filename).write_bytes(b"x")
    result = dist(repo)
    assert codes(result) == ["RA901", "RA910"], result


def test_invalid_core_metadata_fails_with_each_reason(repo: Path) -> None:
    wheel(
        repo,
        "tiny_pkg-1.0.0-py3-none-any.whl",
        metadata(extra="Requires-Dist: not a valid requirement !!"),
    )
    sdist(repo, "tiny_pkg-1.0.0.tar.gz", metadata(extra="License-Expression: MIT"))
    result = dist(repo)
    assert result.status is Status.FAIL
    assert codes(result) == ["RA907", "RA907", "RA910"]
    messages = " ".join(f.message for f in result.findings)
    assert "invalid core metadata in METADATA" in messages and "requires-dist" in messages
    assert "invalid core metadata in PKG-INFO" in messages and "license-expression" in messages


def test_metadata_of_another_version_fails(repo: Path) -> None:
    wheel(repo, "tiny_pkg-1.0.0-py3-none-any.whl", metadata("0.9.0"))
    sdist(repo, "tiny_pkg-1.0.0.tar.gz", metadata())
    result = dist(repo)
    assert codes(result) == ["RA908", "RA910"]
    assert "version 0.9.0 (under release: 1.0.0)" in result.findings[0].message


def test_a_long_description_without_content_type_warns(repo: Path) -> None:
    wheel(repo, "tiny_pkg-1.0.0-py3-none-any.whl", metadata(body="# Tiny\n\nMarkdown.\n"))
    sdist(
        repo,
        "tiny_pkg-1.0.0.tar.gz",
        metadata(extra="Description-Content-Type: text/markdown", body="# Tiny\n"),
    )
    result = dist(repo)
    assert (result.status, codes(result)) == (Status.WARN, ["RA909", "RA910"])
    assert result.findings[0].path == "dist/tiny_pkg-1.0.0-py3-none-any.whl"


def test_a_broken_archive_fails_without_a_traceback(repo: Path) -> None:
    (repo / "dist").mkdir()
    (repo / "dist" / "tiny_pkg-1.0.0-py3-none-any.whl").write_bytes(b"not a zip")
    sdist(repo, "tiny_pkg-1.0.0.tar.gz", "")
    (repo / "dist" / "tiny_pkg-1.0.0.tar.gz").write_bytes(b"\x1f\x8b broken")
    result = dist(repo)
    assert codes(result) == ["RA907", "RA907", "RA910"]
    assert "not a readable zip archive" in result.findings[0].message
    assert "not a readable .tar.gz archive" in result.findings[1].message


def test_build_rebuilds_dist_clean_and_checks_it(
    repo: Path, built: dict[str, list[Path]], capsys: pytest.CaptureFixture[str]
) -> None:
    put(repo, *built["0.9.0"])
    (repo / "dist" / "notes.txt").write_text("stale", encoding="utf-8")
    assert main(["build", "--no-isolation", "--yes", "--repo", str(repo)]) == 0
    out, _ = capsys.readouterr()
    names = sorted(p.name for p in (repo / "dist").iterdir() if not p.name.startswith("."))
    assert names == ["tiny_pkg-1.0.0-py3-none-any.whl", "tiny_pkg-1.0.0.tar.gz"]
    assert "! rm dist/notes.txt dist/tiny_pkg-0.9.0-py3-none-any.whl" in out
    assert "! python -m build --outdir dist --no-isolation ." in out
    assert "removed 3 old file(s) from dist/" in out
    assert "1 sdist(s) and 1 wheel(s) of tiny-pkg 1.0.0" in out


def test_build_dry_run_and_no_terminal_change_nothing(
    repo: Path, built: dict[str, list[Path]], capsys: pytest.CaptureFixture[str]
) -> None:
    put(repo, *built["0.9.0"])
    before = sorted(p.name for p in (repo / "dist").iterdir())
    assert main(["build", "--dry-run", "--repo", str(repo)]) == 0
    assert main(["build", "--repo", str(repo)]) == 1
    _, err = capsys.readouterr()
    assert "pass --yes" in err
    assert sorted(p.name for p in (repo / "dist").iterdir()) == before


def test_a_failing_build_fails_with_the_frontends_reason(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (repo / "pyproject.toml").read_text(encoding="utf-8")
    (repo / "pyproject.toml").write_text(
        text.replace('version = "1.0.0"', 'version = "not a version"'), encoding="utf-8"
    )
    assert main(["build", "--no-isolation", "--yes", "--repo", str(repo)]) == 1
    _, err = capsys.readouterr()
    assert "python -m build failed" in err and "Traceback (most recent" not in err.splitlines()[0]


BROKEN_RST = "tiny-pkg\n========\n\nSee `the docs <https://example.invalid/docs>`_ and `broken\n"


def test_a_real_build_with_a_broken_rst_readme_fails(tmp_path: Path) -> None:
    """hatchling builds it happily; the index would reject the upload (``twine check`` too)."""
    root = project(tmp_path / "repo", "1.0.0")
    (root / "README.md").unlink()
    (root / "README.rst").write_text(BROKEN_RST, encoding="utf-8")
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    (root / "pyproject.toml").write_text(
        text.replace('readme = "README.md"', 'readme = "README.rst"'), encoding="utf-8"
    )
    build(root)
    result = dist(root)
    assert result.status is Status.FAIL
    assert codes(result) == ["RA911", "RA911", "RA910"]
    first = result.findings[0]
    assert first.path == "dist/tiny_pkg-1.0.0-py3-none-any.whl"
    assert "(declared text/x-rst) does not render" in first.message
    assert "line 4 of the description" in first.message
    assert "start-string without end-string" in first.message


def test_a_broken_rst_description_without_content_type_fails_and_warns(repo: Path) -> None:
    wheel(repo, "tiny_pkg-1.0.0-py3-none-any.whl", metadata(body=BROKEN_RST))
    sdist(repo, "tiny_pkg-1.0.0.tar.gz", metadata(body="Fine *rst*.\n"))
    result = dist(repo)
    assert result.status is Status.FAIL
    assert codes(result) == ["RA911", "RA909", "RA909", "RA910"]
    assert "reStructuredText by default" in result.findings[0].message


def test_markdown_and_plain_text_descriptions_are_not_rendered_as_rst(repo: Path) -> None:
    """The same text that breaks as rst passes when declared Markdown or plain text."""
    wheel(
        repo,
        "tiny_pkg-1.0.0-py3-none-any.whl",
        metadata(extra="Description-Content-Type: text/markdown; charset=UTF-8", body=BROKEN_RST),
    )
    sdist(
        repo,
        "tiny_pkg-1.0.0.tar.gz",
        metadata(extra="Description-Content-Type: text/plain", body=BROKEN_RST),
    )
    result = dist(repo)
    assert (result.status, codes(result)) == (Status.PASS, ["RA910"])


def test_a_real_build_with_a_markdown_readme_passes(
    repo: Path, built: dict[str, list[Path]]
) -> None:
    """The built wheel says ``text/markdown``: nothing to render, the check passes."""
    put(repo, *built["1.0.0"])
    (wheel_file,) = [p for p in built["1.0.0"] if p.name.endswith(".whl")]
    with zipfile.ZipFile(wheel_file) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        assert "Description-Content-Type: text/markdown" in archive.read(name).decode()
    assert codes(dist(repo)) == ["RA910"]


def test_readme_renderer_is_imported_only_when_dist_holds_built_files(
    repo: Path, built: dict[str, list[Path]]
) -> None:
    """Importing readme_renderer.rst (docutils) takes about 80 ms: only a description to render
    pays it."""
    probe = (
        "import sys\n"
        "from release_assistant.core.context import RepoContext\n"
        "from release_assistant.core.engine import run_check, spec_for\n"
        "run_check(spec_for('dist'), RepoContext.load(sys.argv[1], environ={}))\n"
        "print('readme_renderer' in sys.modules)\n"
    )

    def imported() -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe, str(repo)], capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    assert imported() == "False"
    sdist(repo, "tiny_pkg-1.0.0.tar.gz", metadata(body="Some *rst*.\n"))
    assert imported() == "True"
