"""The pre-commit hooks' entry points, called in-process: ``main([...])`` on real repositories.

Each case is a table row: the files of a repository, the expected exit code and the exact
output (``path:line: CODE message`` lines with their fixes), as pre-commit-hooks tests theirs.
``test_hooks_precommit.py`` runs the same hooks through real pre-commit.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from release_assistant.core.engine import known_check_ids
from release_assistant.core.support.toml_lines import load_toml
from release_assistant.core.workflows.template import plan_init
from release_assistant.hooks import (
    check_changelog_version,
    check_lock_file,
    check_parity_artifacts,
    check_release_workflow,
)
from release_assistant.hooks.common import render
from tests.conftest import (
    PUBLISH_STEP,
    PUBLISH_STEP_WITH_TOKEN,
    RepoFactory,
    edit_pypi_job,
    git,
)
from tests.parity_fixtures import generated_set

Main = Callable[[list[str] | None], int]

HOOK_MAINS: dict[str, Main] = {
    "check-changelog-version": check_changelog_version.main,
    "check-lock-file": check_lock_file.main,
    "check-release-workflow": check_release_workflow.main,
    "check-parity-artifacts": check_parity_artifacts.main,
}

needs_lock_check = pytest.mark.skipif(
    "lock" not in known_check_ids(), reason="the lock check (issue 3) has not landed yet"
)


def pyproject(version: str = "1.2.0", extra: str = "") -> str:
    return (
        '[project]\nname = "demo"\n'
        f'version = "{version}"\nrequires-python = ">=3.10"\ndependencies = []\n{extra}'
    )


CHANGELOG_RELEASED = """\
# Changelog

## [Unreleased]

## [1.2.0] - 2026-01-10

### Added

- Something.

## [1.1.0] - 2025-12-01

- Earlier.
"""

CHANGELOG_ONLY_OLD = """\
# Changelog

## [1.1.0] - 2025-12-01

- Earlier.
"""

CHANGELOG_UNRELEASED_NOTES = """\
# Changelog

## [Unreleased]

- Work in progress.

## [1.1.0] - 2025-12-01

- Earlier.
"""

CHANGELOG_OUT_OF_ORDER = """\
# Changelog

## [Unreleased]

## [1.1.0] - 2025-12-01

- Earlier.

## [1.2.0] - 2026-01-10

- Later, but listed below.
"""

CHANGELOG_EMPTY_UNDATED = """\
# Changelog

## [1.2.0]

## [1.1.0] - 2025-12-01

- Earlier.
"""


def run_in(root: Path, hook: Main, *args: str) -> int:
    return hook(["--repo", str(root), *args])


@pytest.mark.parametrize(
    ("files", "retval", "output"),
    [
        pytest.param(
            {"pyproject.toml": pyproject(), "CHANGELOG.md": CHANGELOG_RELEASED},
            0,
            "",
            id="version-has-a-dated-section",
        ),
        pytest.param(
            {"pyproject.toml": pyproject(), "CHANGELOG.md": CHANGELOG_UNRELEASED_NOTES},
            0,
            "",
            id="unreleased-collects-the-notes",
        ),
        pytest.param(
            {"pyproject.toml": pyproject(), "CHANGELOG.md": CHANGELOG_ONLY_OLD},
            1,
            "CHANGELOG.md: RA308 no changelog section for version 1.2.0\n"
            "    fix: add '## [1.2.0] - {today}' with the release notes\n",
            id="version-bumped-without-changelog",
        ),
        pytest.param(
            {"pyproject.toml": pyproject(), "CHANGELOG.md": CHANGELOG_OUT_OF_ORDER},
            0,
            # Order is style: a warning, printed, that does not block the commit.
            "CHANGELOG.md:9: RA404 [warning] version 1.2.0 is listed below 1.1.0 (line 5); "
            "newest releases go first\n"
            "    fix: reorder the sections, newest first (by version, or by release date)\n",
            id="structure-out-of-order",
        ),
        pytest.param(
            {"pyproject.toml": pyproject(), "CHANGELOG.md": CHANGELOG_EMPTY_UNDATED},
            0,
            # Between releases the version's section may be work in progress: undated is
            # fine, and no notes yet is only worth a warning.
            "CHANGELOG.md:3: RA408 [warning] section for 1.2.0 has no notes\n"
            "    fix: add what changed, or remove it\n",
            id="current-section-empty-and-undated",
        ),
        pytest.param(
            {"pyproject.toml": pyproject()},
            0,
            "RA415 [warning] no changelog found (looked for towncrier's filename, then "
            "CHANGELOG, CHANGES, HISTORY, NEWS or RELEASE-NOTES (.md, .rst, .txt) at the root "
            "and under docs/)\n"
            "    fix: create CHANGELOG.md with a '## [Unreleased]' section "
            '(https://keepachangelog.com), or set changelog = "<file>" in '
            "[tool.release-assistant]\n",
            id="no-changelog",
        ),
        pytest.param(
            {
                "pyproject.toml": pyproject(),
                "CHANGES.rst": "1.2.0 (2026-01-10)\n==================\n\n- Notes.\n",
            },
            0,
            "",
            id="changes-rst-is-found",
        ),
        pytest.param(
            {
                "pyproject.toml": pyproject(
                    extra='\n[tool.release-assistant]\nchangelog = "NOTES.md"\n'
                ),
            },
            1,
            "NOTES.md: RA401 the configured changelog NOTES.md does not exist\n"
            "    fix: create NOTES.md, or fix changelog in [tool.release-assistant]\n",
            id="configured-changelog-missing",
        ),
        pytest.param(
            {
                "pyproject.toml": pyproject(
                    extra='\n[tool.release-assistant]\nversion_files = ["src/demo/__init__.py"]\n'
                ),
                "src/demo/__init__.py": '"""Demo."""\n\n__version__ = "1.1.0"\n',
                "CHANGELOG.md": CHANGELOG_RELEASED,
            },
            1,
            "src/demo/__init__.py:3: RA306 says version 1.1.0, but the release is 1.2.0\n"
            '    fix: set it to "1.2.0"\n',
            id="version-file-drift",
        ),
        pytest.param(
            {
                "pyproject.toml": pyproject(
                    extra='\n[tool.release-assistant]\nignore = ["RA308"]\n'
                ),
                "CHANGELOG.md": CHANGELOG_ONLY_OLD,
            },
            0,
            "",
            id="ignored-code",
        ),
        pytest.param(
            {
                "pyproject.toml": pyproject(
                    extra="\n[tool.release-assistant.checks.changelog]\nblocking = false\n"
                ),
                "CHANGELOG.md": CHANGELOG_ONLY_OLD,
            },
            0,
            "CHANGELOG.md: RA308 no changelog section for version 1.2.0\n"
            "    fix: add '## [1.2.0] - {today}' with the release notes\n"
            "(changelog is non-blocking in [tool.release-assistant]: not failing)\n",
            id="non-blocking",
        ),
        pytest.param(
            {
                "pyproject.toml": pyproject(
                    extra="\n[tool.release-assistant.checks.changelog]\nenabled = false\n"
                ),
                "CHANGELOG.md": CHANGELOG_ONLY_OLD,
            },
            0,
            "",
            id="disabled",
        ),
        pytest.param(
            {
                "pyproject.toml": pyproject(
                    extra="\n[tool.release-assistant.checks.version]\nenabled = false\n"
                ),
                "CHANGELOG.md": CHANGELOG_ONLY_OLD,
            },
            0,
            "",
            id="version-part-disabled",
        ),
        pytest.param(
            {
                "pyproject.toml": pyproject(),
                "CHANGELOG.md": CHANGELOG_RELEASED + "\n[1.1.0]: https://example.invalid/1.1.0\n",
            },
            0,
            # One problem repeated is one finding with a count (the rule collapses).
            "CHANGELOG.md:3: RA410 [warning] heading [Unreleased] has no link definition "
            "(2 times; also at line 5)\n"
            "    fix: add '[Unreleased]: <compare URL>' at the bottom\n",
            id="warnings-print-but-pass",
        ),
    ],
)
def test_check_changelog_version(
    make_repo: RepoFactory,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str | bytes],
    retval: int,
    output: str,
) -> None:
    import datetime as dt

    root = make_repo(files)
    assert run_in(root, check_changelog_version.main) == retval
    captured = capsys.readouterr()
    assert captured.out == output.format(today=dt.date.today().isoformat())
    assert captured.err == ""


def test_crlf_bom_changelog_and_dynamic_vcs_version_pass(make_repo: RepoFactory) -> None:
    vcs = (
        '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\nbuild-backend = "hatchling.build"\n'
        '[project]\nname = "demo"\ndynamic = ["version"]\n[tool.hatch.version]\nsource = "vcs"\n'
    )
    changelog = b"\xef\xbb\xbf" + CHANGELOG_UNRELEASED_NOTES.replace("\n", "\r\n").encode()
    root = make_repo({"pyproject.toml": vcs, "CHANGELOG.md": changelog})
    assert run_in(root, check_changelog_version.main) == 0


def test_filenames_are_accepted_and_the_default_repo_is_the_working_directory(
    make_repo: RepoFactory, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"pyproject.toml": pyproject(), "CHANGELOG.md": CHANGELOG_ONLY_OLD})
    monkeypatch.chdir(root)
    assert check_changelog_version.main(["pyproject.toml", "CHANGELOG.md"]) == 1
    assert capsys.readouterr().out.startswith("CHANGELOG.md: RA308 ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "check-changelog-version: error: unrecognized arguments: --bogus"),
        (["--repo", "does-not-exist"], "--repo 'does-not-exist': not a directory"),
    ],
)
def test_usage_errors_are_one_line_exit_2(
    make_repo: RepoFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(make_repo({"pyproject.toml": pyproject()}))
    assert check_changelog_version.main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err
    assert captured.err.count("\n") == 1


@pytest.mark.parametrize("hook_id", sorted(HOOK_MAINS))
@pytest.mark.parametrize(
    ("pyproject_text", "message"),
    [
        # At the end of the document: Python 3.11's tomllib gives no line, tomli (3.10) does.
        ('[project]\nname = "demo"\nversion = [\n', r"pyproject\.toml(:4)?: invalid TOML"),
        ('[project]\nname = "demo\nversion = "1.0"\n', r"pyproject\.toml:2: invalid TOML"),
        (
            '[project]\nname = "demo"\nversion = "1.0"\n[tool.release-assistant]\ntag_fromat = 1\n',
            re.escape(
                "pyproject.toml:5: [tool.release-assistant] tag_fromat: unknown key 'tag_fromat'"
            ),
        ),
    ],
)
def test_configuration_errors_are_one_line_exit_2(
    make_repo: RepoFactory,
    capsys: pytest.CaptureFixture[str],
    hook_id: str,
    pyproject_text: str,
    message: str,
) -> None:
    root = make_repo({"pyproject.toml": pyproject_text})
    assert run_in(root, HOOK_MAINS[hook_id]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{hook_id}: error: ")
    assert re.search(message, captured.err), captured.err
    assert captured.err.count("\n") == 1


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        check_release_workflow.main(["--help"])
    assert exited.value.code == 0
    assert "--repo DIR" in capsys.readouterr().out


def test_render_is_silent_on_success() -> None:
    assert render([]) == ""


# --- check-release-workflow -------------------------------------------------------------

RELEASE = ".github/workflows/release.yml"


def workflow_repo(make_repo: RepoFactory, edit: Callable[[str], str] = lambda t: t) -> Path:
    """A project with the workflow ``release-assistant workflow init`` writes, edited."""
    root = make_repo({"pyproject.toml": pyproject()}, commit=False)
    plan = plan_init(root, RELEASE, load_toml(root / "pyproject.toml"))
    plan.path.parent.mkdir(parents=True)
    plan.path.write_text(edit(plan.text), encoding="utf-8")
    return root


def line_of(root: Path, needle: str, after: int = 0) -> int:
    """The first line below line ``after`` of the workflow that contains ``needle``."""
    lines = (root / RELEASE).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if n > after and needle in line)


def test_check_release_workflow_passes_on_the_generated_workflow(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_in(workflow_repo(make_repo), check_release_workflow.main) == 0
    assert capsys.readouterr().out == ""


def test_check_release_workflow_reports_a_token_and_a_missing_id_token(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    def break_it(text: str) -> str:
        # The PyPI job gets a token; the TestPyPI job loses its OIDC permission.
        text = edit_pypi_job(text, (PUBLISH_STEP, PUBLISH_STEP_WITH_TOKEN))
        head, sep, tail = text.partition("  publish-testpypi:")
        return head + sep + tail.replace("      id-token: write", "      contents: read", 1)

    root = workflow_repo(make_repo, break_it)
    assert run_in(root, check_release_workflow.main) == 1
    out = capsys.readouterr().out
    assert f"{RELEASE}:{line_of(root, 'password:')}: RA626 " in out
    job = line_of(root, "publish-testpypi:")
    assert f"{RELEASE}:{line_of(root, 'permissions:', after=job)}: RA620 " in out
    assert all(line.startswith((f"{RELEASE}:", "    fix: ")) for line in out.splitlines())


def test_check_release_workflow_missing_workflow(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"pyproject.toml": pyproject()})
    assert run_in(root, check_release_workflow.main) == 1
    assert capsys.readouterr().out.startswith(f"{RELEASE}: RA601 ")


# --- check-parity-artifacts -------------------------------------------------------------


def test_check_parity_artifacts_skips_silently_without_gates(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"pyproject.toml": pyproject()})
    assert run_in(root, check_parity_artifacts.main) == 0
    assert capsys.readouterr().out == ""


def test_check_parity_artifacts_pass_and_fail(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({}, commit=False)
    artifacts = generated_set(root)
    (root / "pyproject.toml").write_text(pyproject(extra=artifacts.config_toml()), encoding="utf-8")
    assert run_in(root, check_parity_artifacts.main) == 0
    assert capsys.readouterr().out == ""

    aggregate = json.loads(artifacts.aggregate.read_text(encoding="utf-8"))
    aggregate["all_suites_pass"] = False
    artifacts.aggregate.write_text(json.dumps(aggregate, indent=2) + "\n", encoding="utf-8")
    relpath = artifacts.aggregate.relative_to(root).as_posix()
    line = next(
        number
        for number, text in enumerate(artifacts.aggregate.read_text().splitlines(), 1)
        if '"all_suites_pass"' in text
    )
    assert run_in(root, check_parity_artifacts.main) == 1
    out = capsys.readouterr().out
    assert f"{relpath}:{line}: RA817 " in out


# --- check-lock-file --------------------------------------------------------------------


@needs_lock_check
def test_check_lock_file_stale_uv_lock(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str], uv_locked_repo: Path
) -> None:
    root = uv_locked_repo
    assert run_in(root, check_lock_file.main) == 0
    assert capsys.readouterr().out == ""
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    (root / "pyproject.toml").write_text(
        text.replace("dependencies = []", 'dependencies = ["attrs>=23"]'), encoding="utf-8"
    )
    assert run_in(root, check_lock_file.main) == 1
    out = capsys.readouterr().out
    assert out.startswith(("uv.lock:", "pyproject.toml:")), out
    assert " RA5" in out


@needs_lock_check
def test_check_lock_file_conflict_markers(
    uv_locked_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = uv_locked_repo / "uv.lock"
    lines = lock.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1:1] = ["<<<<<<< HEAD\n", "=======\n", ">>>>>>> branch\n"]
    lock.write_text("".join(lines), encoding="utf-8")
    assert run_in(uv_locked_repo, check_lock_file.main) == 1
    assert "uv.lock:2: RA5" in capsys.readouterr().out


@pytest.fixture
def uv_locked_repo(make_repo: RepoFactory) -> Path:
    """A dependency-free project with a real ``uv.lock`` made by ``uv lock --offline``."""
    import shutil
    import subprocess
    import sys

    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    if not os.path.exists(uv):
        pytest.skip("uv is not installed")
    build = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    root = make_repo({"pyproject.toml": build + pyproject()}, commit=False)
    (root / "src" / "demo").mkdir(parents=True)
    (root / "src" / "demo" / "__init__.py").write_text('"""Demo."""\n', encoding="utf-8")
    done = subprocess.run(
        [uv, "lock", "--offline", "--quiet"], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    git(root, "add", "-A")  # an untracked lock is a warning of its own (RA514)
    return root


def test_every_hook_module_is_a_script() -> None:
    """``python -m release_assistant.hooks.<name>`` works: each ends in ``raise SystemExit``."""
    for hook_id, hook_main in HOOK_MAINS.items():
        source = Path(hook_main.__code__.co_filename).read_text(encoding="utf-8")
        assert 'if __name__ == "__main__":\n    raise SystemExit(main())' in source, hook_id
        assert source.count("def main(argv: Sequence[str] | None = None)") == 1
