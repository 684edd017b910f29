"""``release-assistant ship``: the whole release on real repositories with a bare origin.

Each test makes a work repository whose origin is a bare repository in ``tmp_path``, runs the
real command, and then looks at both repositories: what origin holds (branch, annotated
tag), and, after an injected failure, that the work repository is exactly as it was.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from release_assistant.cli.main import main
from tests.conftest import SEED_PYPROJECT, git, minimal_pyproject, write_files
from tests.git_support import make_origin_repo, other_clone
from tests.github_support import (
    TOKEN,
    Answer,
    FakeGitHub,
    github_repo,
    release_files,
    serve_github,
)

CHANGELOG_WITH_NOTES = """\
# Changelog

## [Unreleased]

### Fixed

- The widget no longer drops the last line.

## [0.1.1] - 2026-03-20

### Fixed

- The parity gate now reads the upstream lock.
"""


def project_files(pyproject: str = SEED_PYPROJECT) -> dict[str, str | bytes]:
    return {
        "pyproject.toml": pyproject,
        "CHANGELOG.md": CHANGELOG_WITH_NOTES,
        ".gitignore": "dist/\n",
        "seed_package/__init__.py": '"""Seed."""\n',
    }


def released_repo(
    tmp_path: Path, files: dict[str, str | bytes] | None = None, tag: str | None = "v0.1.1"
) -> tuple[Path, Path]:
    """A project whose last release is tagged, with notes under Unreleased, on origin."""
    work, bare = make_origin_repo(tmp_path, files or project_files(), workflow=True)
    if tag is not None:
        git(work, "tag", "-a", tag, "-m", f"seed-package {tag}")
        git(work, "push", "-q", "origin", f"refs/tags/{tag}")
    return work, bare


def ship(work: Path, *args: str) -> int:
    return main(["ship", *args, "--no-build-isolation", "--repo", str(work)])


def snapshot(work: Path) -> dict[str, str]:
    """Everything a rollback must restore: HEAD, branch tip, tags, the tree, the index."""
    return {
        "head": git(work, "rev-parse", "HEAD"),
        "refs": git(work, "for-each-ref", "--format=%(refname) %(objectname)"),
        "status": git(work, "status", "--porcelain", "--untracked-files=all"),
        "tree": git(work, "ls-files", "-s"),
        "diff": git(work, "diff", "HEAD"),
    }


def origin_refs(bare: Path) -> str:
    return git(bare, "for-each-ref", "--format=%(refname) %(objectname)")


def test_ship_patch_releases_commit_and_tag_to_origin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work, bare = released_repo(tmp_path)
    start = git(work, "rev-parse", "HEAD").strip()

    assert ship(work, "patch", "--yes") == 0

    out = capsys.readouterr().out
    release = git(bare, "rev-parse", "refs/heads/main").strip()
    assert git(bare, "rev-parse", "refs/heads/main^").strip() == start
    assert git(bare, "log", "-1", "--format=%s", "main").strip() == "Release 0.1.2"
    changed = git(bare, "diff", "--name-only", f"{start}", "main").split()
    assert sorted(changed) == ["CHANGELOG.md", "pyproject.toml"]
    pyproject = git(bare, "show", "main:pyproject.toml")
    assert 'version = "0.1.2"' in pyproject
    changelog = git(bare, "show", "main:CHANGELOG.md")
    assert "## [0.1.2] - " in changelog
    assert changelog.index("## [Unreleased]") < changelog.index("## [0.1.2]")
    assert changelog.index("## [0.1.2]") < changelog.index("drops the last line")
    # The annotated tag on origin names the release commit; its message leads with the
    # project and version, then the notes.
    assert git(bare, "cat-file", "-t", "refs/tags/v0.1.2").strip() == "tag"
    assert git(bare, "rev-parse", "refs/tags/v0.1.2^{commit}").strip() == release
    message = git(bare, "tag", "-l", "--format=%(contents)", "v0.1.2")
    assert message.splitlines()[0] == "seed-package 0.1.2"
    assert "drops the last line" in message
    # The work repository is clean and in step with origin.
    assert git(work, "status", "--porcelain", "--untracked-files=no") == ""
    assert git(work, "rev-parse", "HEAD").strip() == release
    # The verification report names the release commit.
    report = work / ".git" / "release-assistant" / "verification-report.json"
    assert release in report.read_text(encoding="utf-8")
    assert "release-assistant watch v0.1.2" in out
    # Tagging the same version again is refused by the checks: the release happened.
    assert main(["check", "--tag", "v0.1.2", "--repo", str(work), "--skip", "ci,git"]) == 0


def test_ship_from_a_dev_version_releases_the_final_version(tmp_path: Path) -> None:
    files = project_files(minimal_pyproject("seed-package", "0.2.0.dev0"))
    work, bare = released_repo(tmp_path, files)

    assert ship(work, "patch", "--yes") == 0

    assert 'version = "0.2.0"' in git(bare, "show", "main:pyproject.toml")
    assert (
        git(bare, "rev-parse", "refs/tags/v0.2.0^{commit}").strip()
        == git(bare, "rev-parse", "main").strip()
    )


def test_dry_run_and_no_terminal_change_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    work, bare = released_repo(tmp_path)
    before, before_origin = snapshot(work), origin_refs(bare)

    assert ship(work, "patch", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "! git push --atomic origin refs/heads/main refs/tags/v0.1.2" in out
    assert "$ git fetch origin" in out
    assert '+version = "0.1.2"' in out

    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert ship(work, "patch") == 1
    assert "no terminal to confirm on" in capsys.readouterr().err
    assert snapshot(work) == before
    assert origin_refs(bare) == before_origin


def test_other_modified_files_are_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work, bare = released_repo(tmp_path)
    write_files(work, {"seed_package/__init__.py": '"""Seed, edited."""\n'})
    before, before_origin = snapshot(work), origin_refs(bare)

    assert ship(work, "patch", "--yes") == 1

    assert "already modified (seed_package/__init__.py)" in capsys.readouterr().err
    assert snapshot(work) == before
    assert origin_refs(bare) == before_origin


def test_a_rejecting_commit_hook_rolls_everything_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work, bare = released_repo(tmp_path)
    hook = work / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'lint says no' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    before, before_origin = snapshot(work), origin_refs(bare)

    assert ship(work, "patch", "--yes") == 1

    err = capsys.readouterr().err
    assert "git commit refused the release commit" in err
    assert "lint says no" in err
    assert "rolled back, nothing reached origin" in err
    assert "restored the files the bump wrote" in err
    assert snapshot(work) == before
    assert origin_refs(bare) == before_origin


def test_a_rejected_push_rolls_back_the_commit_and_the_tag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work, bare = released_repo(tmp_path)
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected branch' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    before, before_origin = snapshot(work), origin_refs(bare)

    assert ship(work, "patch", "--yes") == 1

    err = capsys.readouterr().err
    assert "origin rejected the push" in err
    assert "deleted the local tag v0.1.2" in err
    assert "removed the release commit" in err
    assert snapshot(work) == before
    assert origin_refs(bare) == before_origin


def test_origin_moving_during_the_release_is_caught_before_the_tag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work, bare = released_repo(tmp_path)
    collaborator = tmp_path / "other"
    # A pre-release command that lands a collaborator's commit on origin while the release
    # runs: the push guard after the checks must see it.
    script = tmp_path / "collaborator.py"
    script.write_text(
        "import pathlib, subprocess\n"
        f"root = pathlib.Path({str(collaborator)!r})\n"
        "(root / 'NOTES.txt').write_text('x')\n"
        "subprocess.run(['git', 'add', 'NOTES.txt'], cwd=root, check=True)\n"
        "subprocess.run(['git', 'commit', '-qm', 'concurrent'], cwd=root, check=True)\n"
        "subprocess.run(['git', 'push', '-q', 'origin', 'main'], cwd=root, check=True)\n",
        encoding="utf-8",
    )
    pyproject = SEED_PYPROJECT + (
        f'\n[tool.release-assistant]\ncommands = ["{sys.executable} {script}"]\n'
    )
    write_files(work, {"pyproject.toml": pyproject})
    git(work, "commit", "-qam", "configure the release command")
    git(work, "push", "-q", "origin", "main")
    other_clone(tmp_path, bare)
    before = snapshot(work)

    assert ship(work, "patch", "--yes") == 1

    err = capsys.readouterr().err
    assert "origin/main moved to" in err, err
    assert "rolled back" in err
    after = snapshot(work)
    assert after["head"] == before["head"]
    assert after["status"] == before["status"]
    assert after["tree"] == before["tree"]
    assert "refs/tags/v0.1.2" not in after["refs"]
    assert "refs/tags/v0.1.2" not in origin_refs(bare)


def test_a_failing_pre_release_command_blocks_and_rolls_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = f'{sys.executable} -c \\"raise SystemExit(3)\\"'
    pyproject = SEED_PYPROJECT + f'\n[tool.release-assistant]\ncommands = ["{command}"]\n'
    files = project_files(pyproject)
    work, bare = released_repo(tmp_path, files)
    before, before_origin = snapshot(work), origin_refs(bare)

    assert ship(work, "patch", "--yes") == 1

    assert "failed (exit code 3)" in capsys.readouterr().err
    assert snapshot(work) == before
    assert origin_refs(bare) == before_origin


def test_a_missing_pre_release_tool_is_a_failure_that_names_the_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = SEED_PYPROJECT + '\n[tool.release-assistant]\ncommands = ["no-such-tool-xyz run"]\n'
    work, _ = released_repo(tmp_path, project_files(pyproject))
    before = snapshot(work)

    assert ship(work, "patch", "--yes") == 1

    assert "no-such-tool-xyz is not installed" in capsys.readouterr().err
    assert snapshot(work) == before


def test_a_taken_tag_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work, _ = released_repo(tmp_path)
    git(work, "tag", "v0.1.2")
    before = snapshot(work)

    assert ship(work, "patch", "--yes") == 1

    assert "v0.1.2" in capsys.readouterr().err
    assert snapshot(work) == before


def test_commit_gpgsign_without_a_key_fails_fast_and_rolls_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    work, bare = released_repo(tmp_path)
    gnupg = tmp_path / "gnupg"
    gnupg.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(gnupg))
    git(work, "config", "commit.gpgSign", "true")
    git(work, "config", "user.signingkey", "0xDEADBEEFDEADBEEF")
    before, before_origin = snapshot(work), origin_refs(bare)
    started = time.monotonic()

    assert ship(work, "patch", "--yes") == 1

    assert time.monotonic() - started < 60
    err = capsys.readouterr().err
    assert "git commit refused the release commit" in err
    assert snapshot(work) == before
    assert origin_refs(bare) == before_origin


def test_a_version_the_build_backend_computes_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = (
        '[build-system]\nrequires = ["meson-python"]\nbuild-backend = "mesonpy"\n\n'
        '[project]\nname = "seed-package"\ndynamic = ["version"]\n'
    )
    work, _ = released_repo(tmp_path, project_files(pyproject))
    before = snapshot(work)

    assert ship(work, "patch", "--yes") == 1

    err = capsys.readouterr().err
    assert "cannot bump: the build backend mesonpy computes the version" in err
    assert "Traceback" not in err and "internal error" not in err
    assert snapshot(work) == before


def uv_env(tmp_path: Path) -> dict[str, str]:
    """uv from the venv, offline, with a cache of its own."""
    import os

    bin_dir = os.path.dirname(sys.executable)
    return {
        **os.environ,
        "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")]),
        "UV_CACHE_DIR": str(tmp_path / "uv-cache"),
        "UV_OFFLINE": "1",
        "UV_NO_PROGRESS": "1",
    }


def test_ship_relocks_uv_lock_with_the_new_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    env = uv_env(tmp_path)
    for key in ("PATH", "UV_CACHE_DIR", "UV_OFFLINE"):
        monkeypatch.setenv(key, env[key])
    seed = tmp_path / "seed"
    write_files(seed, project_files())
    subprocess.run(["uv", "lock", "--offline"], cwd=seed, env=env, check=True)
    files = {**project_files(), "uv.lock": (seed / "uv.lock").read_text(encoding="utf-8")}
    work, bare = released_repo(tmp_path, files)

    assert ship(work, "patch", "--yes") == 0

    changed = git(bare, "diff", "--name-only", "main^", "main").split()
    assert sorted(changed) == ["CHANGELOG.md", "pyproject.toml", "uv.lock"]
    lock = git(bare, "show", "main:uv.lock")
    assert 'name = "seed-package"\nversion = "0.1.2"' in lock
    clone = other_clone(tmp_path, bare, "checked")
    check = subprocess.run(
        ["uv", "lock", "--check", "--offline"], cwd=clone, env=env, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


def test_a_relock_whose_tool_is_missing_blocks_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os
    import shutil
    import subprocess

    env = uv_env(tmp_path)
    seed = tmp_path / "seed"
    write_files(seed, project_files())
    subprocess.run(["uv", "lock", "--offline"], cwd=seed, env=env, check=True)
    files = {**project_files(), "uv.lock": (seed / "uv.lock").read_text(encoding="utf-8")}
    work, bare = released_repo(tmp_path, files)
    git_only = tmp_path / "git-only"
    git_only.mkdir()
    git_path = shutil.which("git")
    assert git_path is not None
    os.symlink(git_path, git_only / "git")
    monkeypatch.setenv("PATH", str(git_only))
    before, before_origin = snapshot(work), origin_refs(bare)

    assert ship(work, "patch", "--yes") == 1

    err = capsys.readouterr().err
    assert "uv.lock must be relocked but uv is not on PATH" in err
    assert "uv lock --offline || uv lock" in err
    assert snapshot(work) == before
    assert origin_refs(bare) == before_origin


# --- starting the publishing run ------------------------------------------------------------


def tag_push_workflow(work: Path, *, creates_release: bool) -> None:
    """Turn the seed's release-triggered workflow into one the tag push starts (and that
    makes the GitHub release itself with ``gh release create`` when asked)."""
    path = work / ".github" / "workflows" / "release.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  release:\n    types: [published]\n", "  push:\n    tags: ['v*']\n")
    text = text.replace("${{ github.event.release.tag_name }}", "${{ github.ref_name }}")
    text = text.replace("    if: ${{ !github.event.release.prerelease }}\n", "")
    if creates_release:
        text += (
            "\n  github-release:\n    needs: [publish-pypi]\n    runs-on: ubuntu-latest\n"
            "    permissions:\n      contents: write\n    steps:\n"
            '      - run: gh release create "$TAG" --verify-tag\n'
            "        env:\n          TAG: ${{ github.ref_name }}\n"
            "          GH_TOKEN: ${{ github.token }}\n"
        )
    path.write_text(text, encoding="utf-8")
    git(work, "commit", "-qam", "publish on the tag push")
    git(work, "push", "-q", "origin", "main")


@pytest.fixture
def fake_apis(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    """One loopback server standing in for GitHub's API and the index's."""
    with serve_github() as fake:
        monkeypatch.setenv("RELEASE_ASSISTANT_GITHUB_API_URL", fake.url)
        monkeypatch.setenv("RELEASE_ASSISTANT_INDEX_API_URL", fake.url)
        yield fake


def posted_releases(fake: FakeGitHub) -> list[dict[str, Any]]:
    return [r for r in fake.requests if r["method"] == "POST" and r["path"].endswith("/releases")]


def test_a_release_triggered_workflow_gets_exactly_one_github_release(
    tmp_path: Path, fake_apis: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    fake_apis.route("GET", "/repos/o/r/releases", Answer([]))
    fake_apis.route("POST", "/repos/o/r/releases", Answer({"html_url": "https://x.invalid/r"}, 201))
    work, _ = github_repo(tmp_path, project_files())
    git(work, "tag", "-a", "v0.1.1", "-m", "seed-package 0.1.1")
    git(work, "push", "-q", "origin", "refs/tags/v0.1.1")

    assert ship(work, "patch", "--yes") == 0

    releases = posted_releases(fake_apis)
    assert len(releases) == 1
    assert releases[0]["body"]["tag_name"] == "v0.1.2"
    assert "drops the last line" in releases[0]["body"]["body"]
    # The index was asked about the new version before anything was written.
    assert any(r["path"].startswith("/pypi/seed-package") for r in fake_apis.requests)


def test_without_a_token_the_release_form_is_the_next_step(
    tmp_path: Path, fake_apis: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    work, _ = github_repo(tmp_path, project_files())

    assert ship(work, "patch", "--yes") == 0

    out = capsys.readouterr().out
    assert "next: publish the GitHub release (no GH_TOKEN)" in out
    assert "/o/r/releases/new?tag=v0.1.2" in out
    assert posted_releases(fake_apis) == []


@pytest.mark.parametrize("creates_release", [False, True])
def test_a_tag_push_workflow_creates_no_github_release(
    tmp_path: Path,
    fake_apis: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    creates_release: bool,
) -> None:
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    work, bare = github_repo(tmp_path, project_files())
    tag_push_workflow(work, creates_release=creates_release)

    assert ship(work, "patch", "--yes") == 0

    assert posted_releases(fake_apis) == []
    assert "the tag push starts .github/workflows/release.yml" in capsys.readouterr().out
    assert git(bare, "rev-parse", "refs/tags/v0.1.2^{commit}") == git(bare, "rev-parse", "main")


def test_a_version_the_index_already_has_is_refused_before_anything_is_written(
    tmp_path: Path, fake_apis: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_apis.route(
        "GET",
        "/pypi/seed-package/0.1.2/json",
        Answer(release_files("seed-package", "0.1.2", ["seed_package-0.1.2.tar.gz"])),
    )
    work, bare = github_repo(tmp_path, project_files())
    before, before_origin = snapshot(work), origin_refs(bare)

    assert ship(work, "patch", "--yes") == 1

    err = capsys.readouterr().err
    assert "0.1.2 is taken" in err and "already has seed-package 0.1.2" in err
    assert "the next free version is 0.1.3: release-assistant ship 0.1.3" in err
    assert snapshot(work) == before
    assert origin_refs(bare) == before_origin


def test_release_refuses_a_second_github_release_for_a_workflow_that_makes_its_own(
    tmp_path: Path,
    fake_apis: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    work, _ = github_repo(tmp_path, project_files())
    tag_push_workflow(work, creates_release=True)
    git(work, "tag", "-a", "v0.1.1", "-m", "seed-package 0.1.1")
    git(work, "push", "-q", "origin", "refs/tags/v0.1.1")

    assert main(["release", "v0.1.1", "--yes", "--repo", str(work)]) == 1

    err = capsys.readouterr().err
    assert "creates the GitHub release of v0.1.1 itself" in err
    assert "release-assistant watch v0.1.1" in err
    assert posted_releases(fake_apis) == []


def test_ship_after_a_killed_bump_rolls_it_back_then_releases_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import signal

    from tests.test_write_journal import killed_bump

    work, bare = released_repo(tmp_path)
    for kill_at in range(1, 40):
        done = killed_bump(work, kill_at)
        if b'"0.1.2"' in (work / "pyproject.toml").read_bytes():
            break
        git(work, "checkout", "-q", "--", ".")
    assert done.returncode == -signal.SIGKILL
    assert "## [0.1.2]" not in (work / "CHANGELOG.md").read_text(encoding="utf-8")

    assert ship(work, "patch", "--yes") == 0

    assert "rolled back an interrupted write" in capsys.readouterr().err
    assert 'version = "0.1.2"' in git(bare, "show", "main:pyproject.toml")
    assert git(bare, "log", "-1", "--format=%s", "main").strip() == "Release 0.1.2"


@pytest.mark.parametrize(
    ("changelog", "message"),
    [
        (
            "# Changelog\n\n## [0.1.1] - 2026-03-20\n\n- Fixed.\n",
            "CHANGELOG.md has no notes for 0.1.2: write them under an Unreleased heading",
        ),
        (
            "# Changelog\n\n## [Unreleased]\n\n## [0.1.1] - 2026-03-20\n\n- Fixed.\n",
            "the notes for 0.1.2 in CHANGELOG.md are empty",
        ),
    ],
)
def test_a_release_without_notes_is_refused_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], changelog: str, message: str
) -> None:
    work, bare = released_repo(tmp_path, {**project_files(), "CHANGELOG.md": changelog})
    before, before_origin = snapshot(work), origin_refs(bare)

    assert ship(work, "patch", "--dry-run") == 1

    assert message in capsys.readouterr().err
    assert snapshot(work) == before
    assert origin_refs(bare) == before_origin


def test_a_changelog_that_is_a_link_gets_its_notes_released(tmp_path: Path) -> None:
    import os

    files = project_files()
    notes = files.pop("CHANGELOG.md")
    work, bare = released_repo(tmp_path, {**files, "docs/release-notes.md": notes})
    os.symlink("docs/release-notes.md", work / "CHANGELOG.md")
    git(work, "add", "CHANGELOG.md")
    git(work, "commit", "-qm", "link the changelog")
    git(work, "push", "-q", "origin", "main")

    assert ship(work, "patch", "--yes") == 0

    assert "## [0.1.2] - " in git(bare, "show", "main:docs/release-notes.md")
    assert git(bare, "cat-file", "-p", "main:CHANGELOG.md").strip() == "docs/release-notes.md"


def test_a_version_from_git_tags_without_a_changelog_bumps_from_the_latest_tag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = (
        '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\n'
        'build-backend = "hatchling.build"\n\n'
        '[project]\nname = "seed-package"\ndynamic = ["version"]\n\n'
        '[tool.hatch.version]\nsource = "vcs"\n'
    )
    files = project_files(pyproject)
    del files["CHANGELOG.md"]  # the notes are generated elsewhere (reno, the release page)
    work, _ = released_repo(tmp_path, files, tag="v1.4.0")
    git(work, "tag", "-a", "v1.3.9", "HEAD", "-m", "an older release")

    assert ship(work, "patch", "--dry-run") == 0

    assert "ship 1.4.0 -> 1.4.1 (v1.4.1)" in capsys.readouterr().out


def test_watch_after_the_release_says_why_it_cannot_follow_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work, bare = released_repo(tmp_path)

    assert ship(work, "patch", "--yes", "--watch") == 1

    captured = capsys.readouterr()
    assert "released v0.1.2" in captured.out
    assert "next: start the publishing run" in captured.out
    assert "released v0.1.2, but cannot follow its run: origin is not a repository" in captured.err
    assert git(bare, "rev-parse", "refs/tags/v0.1.2^{commit}") == git(bare, "rev-parse", "main")
