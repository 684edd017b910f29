"""``benchmarks/corpus.py --replay``: the newest release checked at its tag, in a clone.

The replay must judge the release that happened (the newest tag of the format the project
uses, by PEP 440), never touch the checkout it was given, and list every error with its
code. The corpus list holds names only.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import RepoFactory, minimal_pyproject

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_benchmark", BENCHMARKS / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def git(root: Path, *args: str, day: str = "2026-01-01") -> str:
    stamp = f"{day}T12:00:00+00:00"
    environ = {**os.environ, "GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_DATE": stamp}
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=environ
    ).stdout.strip()


def commit(root: Path, files: dict[str, str], message: str, day: str) -> None:
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, day=day)


CHANGELOG = "# Changelog\n\n## 1.10.0 (2026-02-01)\n\n- A fix.\n\n## 1.9.0 (2026-01-01)\n\n- x\n"


def test_the_newest_release_is_replayed_in_a_clone(
    make_repo: RepoFactory, corpus: ModuleType
) -> None:
    root = make_repo(
        {"pyproject.toml": minimal_pyproject("demo", "1.9.0"), "CHANGELOG.md": CHANGELOG}
    )
    git(root, "tag", "v1.9.0")
    # An alpha of 2.0 tagged long ago, then years of 1.x: not the newest release.
    git(root, "tag", "-a", "-m", "alpha", "v2.0.0a1", day="2026-01-02")
    commit(root, {"pyproject.toml": minimal_pyproject("demo", "1.10.0")}, "1.10.0", "2026-02-01")
    git(root, "tag", "-a", "-m", "1.10.0", "v1.10.0", day="2026-02-01")
    git(root, "tag", "docs-v9.0.0")  # another family: not the project's tag format
    # After the release, work goes on: a version whose section is not written yet, and a
    # development tag that marks where it starts (no release).
    commit(root, {"pyproject.toml": minimal_pyproject("demo", "1.11.0")}, "1.11.0", "2026-02-02")
    git(root, "tag", "-a", "-m", "dev", "v1.11.0.dev0", day="2026-02-02")
    head, status = git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain")

    # 1.10.0 sorts above 1.9.0 by PEP 440, not as text.
    assert corpus.newest_release_tag(root) == "v1.10.0"
    # A pre-release tagged after the final release is the newest.
    git(root, "tag", "-a", "-m", "rc", "v1.11.0rc1", day="2026-02-03")
    assert corpus.newest_release_tag(root) == "v1.11.0rc1"
    git(root, "tag", "-d", "v1.11.0rc1")
    tag, code, report, _, _ = corpus.replay_one(root, "version,changelog")
    assert (tag, code, report["tag"], report["version"]) == ("v1.10.0", 0, "v1.10.0", "1.10.0")
    assert corpus.error_findings(report) == []
    # The checkout given is as it was.
    assert (git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain")) == (head, status)


def test_every_error_of_the_replayed_release_is_listed(
    make_repo: RepoFactory, corpus: ModuleType
) -> None:
    root = make_repo(
        {"pyproject.toml": minimal_pyproject("demo", "1.9.0"), "CHANGELOG.md": CHANGELOG}
    )
    # A tag that disagrees with the version it tags, and names a version with no section.
    git(root, "tag", "1.11.0")
    _, code, report, _, _ = corpus.replay_one(root, "version")
    assert code == 1
    assert [error[0] for error in corpus.error_findings(report)] == ["RA303", "RA308"]


def test_a_checkout_without_version_tags_has_no_row(
    make_repo: RepoFactory, corpus: ModuleType
) -> None:
    root = make_repo({"pyproject.toml": minimal_pyproject("demo", "1.0.0")})
    assert corpus.replay_one(root, None)[:3] == (None, 1, None)


def test_the_corpus_lists_names_only(corpus: ModuleType, tmp_path: Path) -> None:
    names = corpus.corpus_names(BENCHMARKS / "corpus.txt")
    assert len(names) >= 60
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[A-Za-z0-9][\w.-]*/[\w.-]+", name) for name in names)
    # Checkouts are found by name, a bare mirror's `repo` folder included.
    (tmp_path / "pallets+click" / "repo").mkdir(parents=True)
    (tmp_path / "pallets+flask").mkdir()
    found, missing = corpus.find_checkouts(["pallets/click", "pallets/flask", "a/b"], tmp_path)
    assert found == [tmp_path / "pallets+click" / "repo", tmp_path / "pallets+flask"]
    assert missing == ["a/b"]
