"""Release bots: a workflow that bumps the version and writes the changelog in CI and commits.
The release is judged the way the bot makes it, and said so (RA321)."""

from __future__ import annotations

import pytest

from release_assistant.core.context import RepoContext
from release_assistant.core.engine import run_checks, select_checks
from release_assistant.core.findings import Severity, Status
from release_assistant.core.workflows.release_bot import find_release_bot
from tests.conftest import RepoFactory

SHA = "0123456789abcdef0123456789abcdef01234567"

PYPROJECT = '[project]\nname = "kettle"\nversion = "1.0.0"\nrequires-python = ">=3.9"\n'
CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-01-02\n\n- Boil.\n"

#: The tag starts it; it writes the tag's version and the changelog, then commits to main.
BUMP_AFTER_TAG = """\
name: release
on:
  push:
    tags: ["v*"]
jobs:
  bump:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@SHA
      - run: |
          pipx run bump-my-version bump --new-version "${GITHUB_REF_NAME#v}"
          pipx run towncrier build --yes --version "${GITHUB_REF_NAME#v}"
          git commit -am "Release ${GITHUB_REF_NAME}"
          git push origin HEAD:main
""".replace("SHA", SHA)


def _steps_workflow(on: str, steps: str) -> str:
    return f"on: {on}\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n{steps}"


def _version(ctx: RepoContext) -> tuple[Status, dict[str, Severity]]:
    (result,) = run_checks(ctx, select_checks(["version"], []))
    return result.status, {f.code: f.severity for f in result.findings}


def test_a_bot_the_tag_starts_is_not_asked_for_what_it_writes_after_the_tag(
    make_repo: RepoFactory,
) -> None:
    root = make_repo(
        {
            "pyproject.toml": PYPROJECT,
            "CHANGELOG.md": CHANGELOG,
            ".github/workflows/release.yml": BUMP_AFTER_TAG,
        }
    )
    bot = find_release_bot(str(root))
    assert bot is not None and bot.after_tag and bot.workflow == ".github/workflows/release.yml"
    status, codes = _version(RepoContext.load(root, tag="v1.1.0"))
    assert codes["RA321"] is Severity.INFO
    assert codes["RA303"] is Severity.INFO  # 1.0.0 in pyproject: the bot writes 1.1.0
    assert codes["RA308"] is Severity.INFO  # no 1.1.0 section yet: the bot writes it
    assert status is not Status.FAIL


def test_without_the_bot_the_same_tag_is_an_error(make_repo: RepoFactory) -> None:
    root = make_repo({"pyproject.toml": PYPROJECT, "CHANGELOG.md": CHANGELOG})
    assert find_release_bot(str(root)) is None
    status, codes = _version(RepoContext.load(root, tag="v1.1.0"))
    assert status is Status.FAIL
    assert codes["RA303"] is Severity.ERROR and "RA321" not in codes


def test_a_bot_that_tags_its_own_commit_is_said_but_the_tag_must_agree(
    make_repo: RepoFactory,
) -> None:
    steps = f"      - uses: python-semantic-release/python-semantic-release@{SHA}\n"
    root = make_repo(
        {
            "pyproject.toml": PYPROJECT,
            "CHANGELOG.md": CHANGELOG,
            ".github/workflows/release.yml": _steps_workflow("{push: {branches: [main]}}", steps),
        }
    )
    bot = find_release_bot(str(root))
    assert bot is not None and (bot.tool, bot.after_tag) == ("python-semantic-release", False)
    status, codes = _version(RepoContext.load(root, tag="v1.0.0"))
    assert status is Status.PASS and codes["RA321"] is Severity.INFO
    status, codes = _version(RepoContext.load(root, tag="v1.1.0"))
    assert status is Status.FAIL and codes["RA303"] is Severity.ERROR


@pytest.mark.parametrize(
    ("on", "steps", "tool"),
    [
        ("[push]", f"      - uses: googleapis/release-please-action@{SHA}\n", "release-please"),
        ("[push]", f"      - uses: commitizen-tools/commitizen-action@{SHA}\n", "commitizen"),
        (
            "[workflow_dispatch]",
            "      - run: uv version --bump minor\n      - run: git commit -am bump && git push\n",
            "uv",
        ),
        ("[push]", "      - run: uv version --bump minor\n", None),  # nothing committed
        ("[push]", "      - run: git commit -am x && git push\n", None),  # nothing bumped
        (
            "[push]",
            "      - run: uv version --short\n      - run: git commit -am x && git push\n",
            None,
        ),
    ],
)
def test_what_makes_a_workflow_a_release_bot(
    make_repo: RepoFactory, on: str, steps: str, tool: str | None
) -> None:
    root = make_repo({".github/workflows/bot.yml": _steps_workflow(on, steps)})
    bot = find_release_bot(str(root))
    assert (bot.tool if bot else None) == tool
