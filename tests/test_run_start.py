"""How the publishing run starts (issue 22, item 8): the workflow's trigger read, the dispatch
planned against a loopback GitHub, and the "next:" line ``tag --push`` prints by trigger.

Every workflow here is a real file in a real repository, found by the same discovery the
checks use; the tag tests run the real CLI against a bare origin.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from release_assistant.cli import main
from release_assistant.core.context import RepoContext
from release_assistant.core.github.api import API_URL_VARIABLE
from release_assistant.core.release.plan import execute
from release_assistant.core.release.start_run import DispatchRefused, plan_dispatch
from release_assistant.core.workflows.run_start import (
    PublishTrigger,
    _filter_regex,
    _tag_matches,
    publish_trigger,
)
from release_assistant.core.workflows.yaml_nodes import YamlList, YamlMap
from tests.conftest import SEED_PYPROJECT, RepoFactory, git
from tests.github_support import TOKEN, Answer, github_repo, serve_github

WORKFLOW = ".github/workflows/release.yml"

BUILD_AND_PUBLISH = """
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: |
          python -m pip install build
          python -m build
      - uses: actions/upload-artifact@v4
        with:
          name: dist
          path: dist/
  publish:
    needs: [build]
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: dist
          path: dist/
      - uses: pypa/gh-action-pypi-publish@release/v1
"""

ON_TAG_PUSH = 'on:\n  push:\n    tags: ["v*"]\n'
ON_RELEASE = "on:\n  release:\n    types: [published]\n"
ON_DISPATCH = "on:\n  workflow_dispatch:\n"


def workflow(on: str, extra_jobs: str = "", publish_if: str | None = None) -> str:
    body = BUILD_AND_PUBLISH
    if publish_if is not None:
        body = body.replace("    needs: [build]\n", f"    needs: [build]\n    if: {publish_if}\n")
    return f"name: Release\n{on}permissions:\n  contents: read\n{body}{extra_jobs}"


def github_release_job(steps: str) -> str:
    """A job after the publish job that makes the GitHub release with ``steps``."""
    return (
        "  github-release:\n    needs: [publish]\n    runs-on: ubuntu-latest\n"
        "    permissions:\n      contents: write\n    steps:\n" + steps
    )


GH_RELEASE_CREATE = github_release_job(
    "      - env:\n          GH_TOKEN: ${{ github.token }}\n"
    '        run: gh release create "$GITHUB_REF_NAME" --repo "$GITHUB_REPOSITORY" '
    "--generate-notes\n"
)
SOFTPROPS = github_release_job("      - uses: softprops/action-gh-release@v2\n")
CURL_POST = github_release_job(
    "      - run: |\n"
    '          curl -sS -X POST -H "Authorization: Bearer $TOKEN" \\\n'
    "            https://api.github.com/repos/o/r/releases \\\n"
    '            -d "{\\"tag_name\\": \\"$GITHUB_REF_NAME\\"}"\n'
)
GITHUB_SCRIPT = github_release_job(
    "      - uses: actions/github-script@v7\n        with:\n          script: |\n"
    "            await github.rest.repos.createRelease({owner: context.repo.owner,\n"
    "              repo: context.repo.repo, tag_name: context.ref})\n"
)
ASSETS_ONLY = github_release_job(
    '      - run: gh release upload "$GITHUB_REF_NAME" dist/*\n'
    "      - run: curl -sS https://api.github.com/repos/o/r/releases/latest\n"
)


def trigger_of(
    make_repo: RepoFactory, text: str | None, tag: str | None = "v1.2.3"
) -> PublishTrigger:
    files: dict[str, str | bytes] = {"pyproject.toml": SEED_PYPROJECT}
    if text is not None:
        files[WORKFLOW] = text
    root = make_repo(files, commit=False)
    ctx = RepoContext.load(root)
    return publish_trigger(ctx.workflows, tag, ctx.root_dir)


def repo_with_workflow(tmp_path: Path, text: str | None) -> tuple[Path, Path]:
    """The seed project on github.com/o/r (a bare origin behind it) whose publishing workflow
    is ``text`` (none at all for ``None``), committed and pushed."""
    work, bare = github_repo(tmp_path)
    if text is None:
        git(work, "rm", "-q", WORKFLOW)
    else:
        (work / WORKFLOW).write_text(text, encoding="utf-8")
        git(work, "add", WORKFLOW)
    git(work, "commit", "-q", "-m", "the workflow under test")
    git(work, "push", "-q")
    return work, bare


# --- the kinds -------------------------------------------------------------------------------


def test_a_tag_push_workflow_is_started_by_the_push(make_repo: RepoFactory) -> None:
    trigger = trigger_of(make_repo, workflow(ON_TAG_PUSH))
    assert trigger == PublishTrigger(
        "tag-push",
        WORKFLOW,
        False,
        f"the push of v1.2.3 starts {WORKFLOW} (on: push: tags)",
    )
    assert trigger.file_name == "release.yml"


def test_a_release_workflow_waits_for_the_github_release(make_repo: RepoFactory) -> None:
    trigger = trigger_of(make_repo, workflow(ON_RELEASE))
    assert (trigger.kind, trigger.workflow, trigger.creates_release) == ("release", WORKFLOW, False)
    assert (
        trigger.detail
        == f"publishing the GitHub release starts {WORKFLOW} (on: release: published)"
    )


def test_a_dispatch_only_workflow_must_be_dispatched(make_repo: RepoFactory) -> None:
    trigger = trigger_of(make_repo, workflow(ON_DISPATCH))
    assert (trigger.kind, trigger.creates_release, trigger.required_inputs) == (
        "dispatch",
        False,
        (),
    )
    assert trigger.detail == f"{WORKFLOW} runs when dispatched on v1.2.3 (on: workflow_dispatch)"


def test_required_dispatch_inputs_without_default_are_named(make_repo: RepoFactory) -> None:
    on = (
        "on:\n  workflow_dispatch:\n    inputs:\n"
        "      target:\n        required: true\n"
        "      dry-run:\n        required: true\n        default: 'false'\n"
        "      note:\n        required: false\n"
    )
    trigger = trigger_of(make_repo, workflow(on))
    assert trigger.required_inputs == ("target",)
    assert trigger.detail.endswith("; required inputs: target")


@pytest.mark.parametrize(
    "jobs",
    [GH_RELEASE_CREATE, SOFTPROPS, CURL_POST, GITHUB_SCRIPT],
    ids=["gh", "softprops", "curl", "script"],
)
def test_a_workflow_that_creates_its_own_release_is_a_tag_push_that_creates_it(
    make_repo: RepoFactory, jobs: str
) -> None:
    trigger = trigger_of(make_repo, workflow(ON_TAG_PUSH, jobs))
    assert (trigger.kind, trigger.creates_release) == ("tag-push", True)
    assert trigger.detail.endswith(", which creates the GitHub release itself")


def test_uploading_assets_or_reading_releases_creates_none(make_repo: RepoFactory) -> None:
    assert trigger_of(make_repo, workflow(ON_TAG_PUSH, ASSETS_ONLY)).creates_release is False


def test_a_release_step_that_never_runs_on_the_tag_push_creates_none(
    make_repo: RepoFactory,
) -> None:
    on = 'on:\n  push:\n    tags: ["v*"]\n  workflow_dispatch:\n'
    jobs = GH_RELEASE_CREATE.replace(
        "    needs: [publish]\n",
        "    needs: [publish]\n    if: github.event_name == 'workflow_dispatch'\n",
    )
    trigger = trigger_of(make_repo, workflow(on, jobs))
    assert (trigger.kind, trigger.creates_release) == ("tag-push", False)


def test_a_release_triggered_workflow_never_counts_as_creating_the_release(
    make_repo: RepoFactory,
) -> None:
    # softprops on a release event attaches files to the release that started the run.
    trigger = trigger_of(make_repo, workflow(ON_RELEASE, SOFTPROPS))
    assert (trigger.kind, trigger.creates_release) == ("release", False)


def test_the_release_script_in_the_repository_is_read(make_repo: RepoFactory) -> None:
    files: dict[str, str | bytes] = {
        "pyproject.toml": SEED_PYPROJECT,
        WORKFLOW: workflow(
            ON_TAG_PUSH, github_release_job("      - run: ./scripts/github-release.sh\n")
        ),
        "scripts/github-release.sh": (
            '#!/bin/sh\ngh release create "$GITHUB_REF_NAME" --notes-file notes.md\n'
        ),
    }
    root = make_repo(files, commit=False)
    ctx = RepoContext.load(root)
    assert publish_trigger(ctx.workflows, "v1.2.3", ctx.root_dir).creates_release is True
    assert publish_trigger(ctx.workflows, "v1.2.3").creates_release is False  # no root: unread


CREATE_RELEASE_ON_TAG = (
    'name: GitHub release\non:\n  push:\n    tags: ["v*"]\npermissions:\n  contents: write\n'
    "jobs:\n" + GH_RELEASE_CREATE.replace("    needs: [publish]\n", "")
)


def test_another_workflow_making_the_release_on_the_tag_push_is_named(
    make_repo: RepoFactory,
) -> None:
    files: dict[str, str | bytes] = {
        "pyproject.toml": SEED_PYPROJECT,
        WORKFLOW: workflow(ON_RELEASE),
        ".github/workflows/github-release.yml": CREATE_RELEASE_ON_TAG,
    }
    ctx = RepoContext.load(make_repo(files, commit=False))
    trigger = publish_trigger(ctx.workflows, "v1.2.3", ctx.root_dir)
    assert (trigger.kind, trigger.creates_release, trigger.release_by) == (
        "release",
        True,
        ".github/workflows/github-release.yml",
    )
    assert trigger.detail == (
        "the push of v1.2.3 starts .github/workflows/github-release.yml, which creates the "
        f"GitHub release that starts {WORKFLOW} (on: release: published)"
    )
    # A tag its filter does not match makes no release: the maintainer publishes it.
    other = publish_trigger(ctx.workflows, "1.2.3", ctx.root_dir)
    assert (other.kind, other.creates_release, other.release_by) == ("release", False, None)


def test_a_tag_push_workflow_with_another_making_the_release(make_repo: RepoFactory) -> None:
    files: dict[str, str | bytes] = {
        "pyproject.toml": SEED_PYPROJECT,
        WORKFLOW: workflow(ON_TAG_PUSH),
        ".github/workflows/github-release.yml": CREATE_RELEASE_ON_TAG,
    }
    ctx = RepoContext.load(make_repo(files, commit=False))
    trigger = publish_trigger(ctx.workflows, "v1.2.3", ctx.root_dir)
    assert (trigger.kind, trigger.creates_release, trigger.release_by) == (
        "tag-push",
        True,
        ".github/workflows/github-release.yml",
    )
    assert trigger.detail.endswith(
        "; .github/workflows/github-release.yml creates the GitHub release"
    )


def test_the_tag_push_wins_over_release_and_dispatch(make_repo: RepoFactory) -> None:
    on = (
        'on:\n  workflow_dispatch:\n  release:\n    types: [published]\n  push:\n    tags: ["v*"]\n'
    )
    assert trigger_of(make_repo, workflow(on)).kind == "tag-push"
    on_both = "on:\n  workflow_dispatch:\n  release:\n    types: [published]\n"
    assert trigger_of(make_repo, workflow(on_both)).kind == "release"


def test_a_tag_push_that_does_not_run_the_upload_does_not_count(make_repo: RepoFactory) -> None:
    on = 'on:\n  push:\n    tags: ["v*"]\n  release:\n    types: [published]\n'
    trigger = trigger_of(make_repo, workflow(on, publish_if="github.event_name == 'release'"))
    assert trigger.kind == "release"


def test_a_tag_filter_that_excludes_the_tag_falls_back_to_the_dispatch(
    make_repo: RepoFactory,
) -> None:
    on = 'on:\n  push:\n    tags: ["release-*"]\n  workflow_dispatch:\n'
    trigger = trigger_of(make_repo, workflow(on))
    assert trigger.kind == "dispatch"
    assert "its tag filter does not match v1.2.3" in trigger.detail
    # Without a tag to compare, any tag push counts.
    assert trigger_of(make_repo, workflow(on), tag=None).kind == "tag-push"


def test_a_workflow_no_release_event_runs_is_unknown(make_repo: RepoFactory) -> None:
    trigger = trigger_of(make_repo, workflow("on:\n  push:\n    branches: [main]\n"))
    assert (trigger.kind, trigger.workflow) == ("unknown", WORKFLOW)
    assert "neither a tag push, a published release nor a dispatch" in trigger.detail


def test_no_publishing_workflow_is_unknown(make_repo: RepoFactory) -> None:
    trigger = trigger_of(make_repo, None)
    assert (trigger.kind, trigger.workflow, trigger.creates_release) == ("unknown", None, False)
    assert "no workflow uploads to PyPI" in trigger.detail


# --- GitHub's filter patterns ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "tag", "matches"),
    [
        ("v*", "v1.2.3", True),
        ("v*", "1.2.3", False),
        ("v*", "v1/2", False),  # `*` stops at `/`
        ("**", "release/v1", True),
        ("v[0-9]+.[0-9]+.[0-9]+", "v1.22.3", True),
        ("v[0-9]+.[0-9]+.[0-9]+", "v1.2", False),
        ("v[0-9]+.[0-9]+.[0-9]+", "v1x2.3", False),  # `.` is a literal dot
        ("v1.?0", "v1.0", True),
        ("v1.?0", "v10", True),
        ("*.*.*", "1.2.3", True),
        ("\\*", "*", True),
        ("[unclosed", "[unclosed", True),
    ],
)
def test_filter_patterns_read_as_github_reads_them(pattern: str, tag: str, matches: bool) -> None:
    assert (_filter_regex(pattern).fullmatch(tag) is not None) is matches


def _config(**filters: list[str]) -> YamlMap:
    config = YamlMap()
    for key, patterns in filters.items():
        value = YamlList()
        value.extend(patterns)
        config[key.replace("_", "-")] = value
    return config


@pytest.mark.parametrize(
    ("config", "tag", "fires"),
    [
        (None, "v1", True),
        (_config(tags=["v*", "!v*-rc*"]), "v1.0", True),
        (_config(tags=["v*", "!v*-rc*"]), "v1.0-rc1", False),
        (_config(tags=["!v*-rc*", "v*"]), "v1.0-rc1", True),  # the last match decides
        (_config(tags_ignore=["*-rc*"]), "v1.0-rc1", False),
        (_config(tags_ignore=["*-rc*"]), "v1.0", True),
        (_config(branches=["main"]), "v1.0", False),
    ],
)
def test_tag_filters_fire_as_github_fires_them(
    config: YamlMap | None, tag: str, fires: bool
) -> None:
    assert _tag_matches(config, tag) is fires


# --- the dispatch ----------------------------------------------------------------------------

DISPATCHES = "/repos/o/r/actions/workflows/release.yml/dispatches"


@pytest.fixture
def dispatched_repo(tmp_path: Path) -> Path:
    work, _ = repo_with_workflow(tmp_path, workflow(ON_DISPATCH))
    return work


def dispatch_trigger(root: Path) -> tuple[RepoContext, PublishTrigger]:
    ctx = RepoContext.load(root, tag="v0.1.1")
    return ctx, publish_trigger(ctx.workflows, "v0.1.1", ctx.root_dir)


def test_the_dispatch_reaches_github_with_the_tag_as_ref(
    dispatched_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve_github() as github:
        monkeypatch.setenv(API_URL_VARIABLE, github.url)
        github.route("POST", DISPATCHES, Answer(b"", 204))
        ctx, trigger = dispatch_trigger(dispatched_repo)
        plan = plan_dispatch(ctx, trigger, "v0.1.1", TOKEN)
        assert [action.shown() for action in plan.actions] == [f"! POST {DISPATCHES} (ref=v0.1.1)"]
        assert github.requests == []  # planning sends nothing
        execution = execute(plan)
    assert execution.ok, execution.error
    assert execution.done[0].result == (
        "dispatched release.yml on v0.1.1: its run appears on "
        "https://github.com/o/r/actions/workflows/release.yml"
    )
    [request] = github.requests
    assert (request["method"], request["path"], request["body"]) == (
        "POST",
        DISPATCHES,
        {"ref": "v0.1.1"},
    )
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"


def test_a_refused_dispatch_fails_the_step_with_the_way_by_hand(
    dispatched_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve_github() as github:
        monkeypatch.setenv(API_URL_VARIABLE, github.url)
        github.route(
            "POST",
            DISPATCHES,
            Answer({"message": "Workflow does not have 'workflow_dispatch' trigger"}, 422),
        )
        ctx, trigger = dispatch_trigger(dispatched_repo)
        execution = execute(plan_dispatch(ctx, trigger, "v0.1.1", TOKEN))
    assert not execution.ok
    assert "GitHub did not start release.yml: GitHub answered 422" in (execution.error or "")
    assert any("gh workflow run release.yml --ref v0.1.1" in line for line in execution.recovery)


def test_without_a_token_the_plan_is_the_workflow_page(dispatched_repo: Path) -> None:
    ctx, trigger = dispatch_trigger(dispatched_repo)
    plan = plan_dispatch(ctx, trigger, "v0.1.1", None)
    assert plan.actions == () and not plan.changes_anything
    assert plan.notes == (
        "no GH_TOKEN or GITHUB_TOKEN in the environment",
        "run it by hand: https://github.com/o/r/actions/workflows/release.yml (Run workflow, "
        "use the workflow from tag v0.1.1), or: gh workflow run release.yml --ref v0.1.1",
    )


def test_a_dispatch_needing_inputs_is_left_to_a_person(tmp_path: Path) -> None:
    on = "on:\n  workflow_dispatch:\n    inputs:\n      target:\n        required: true\n"
    work, _ = repo_with_workflow(tmp_path, workflow(on))
    ctx, trigger = dispatch_trigger(work)
    plan = plan_dispatch(ctx, trigger, "v0.1.1", TOKEN)
    assert plan.actions == ()
    assert plan.notes[0] == "the dispatch needs values for target"


def test_only_a_dispatch_workflow_is_dispatched(tmp_path: Path) -> None:
    work, _ = github_repo(tmp_path)  # release: published
    ctx, trigger = dispatch_trigger(work)
    with pytest.raises(DispatchRefused, match="not started by a dispatch"):
        plan_dispatch(ctx, trigger, "v0.1.1", TOKEN)


# --- the next step after `tag --push` --------------------------------------------------------


def tag_and_push(tmp_path: Path, text: str | None, capsys: pytest.CaptureFixture[str]) -> str:
    work, bare = repo_with_workflow(tmp_path, text)
    capsys.readouterr()
    code = main(["tag", "--push", "--yes", "--repo", str(work)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert git(bare, "tag").split() == ["v0.1.1"]
    [line] = [line for line in out.splitlines() if line.startswith("next:")]
    return line


def test_after_the_push_a_tag_push_workflow_is_watched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = tag_and_push(tmp_path, workflow(ON_TAG_PUSH), capsys)
    assert line == f"next: the tag push started {WORKFLOW}: release-assistant watch v0.1.1"


def test_after_the_push_a_workflow_that_makes_its_release_is_never_sent_to_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = tag_and_push(tmp_path, workflow(ON_TAG_PUSH, GH_RELEASE_CREATE), capsys)
    assert "release-assistant release" not in line
    assert line == (
        f"next: the tag push started {WORKFLOW} (it creates the GitHub release itself: do not "
        "create another): release-assistant watch v0.1.1"
    )


def test_after_the_push_a_release_workflow_gets_the_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = tag_and_push(tmp_path, workflow(ON_RELEASE), capsys)
    assert line == (
        "next: `release-assistant release v0.1.1` publishes the GitHub release, which starts "
        f"{WORKFLOW}; then release-assistant watch v0.1.1"
    )


def test_after_the_push_a_dispatch_workflow_is_dispatched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = tag_and_push(tmp_path, workflow(ON_DISPATCH), capsys)
    assert line == (
        f"next: dispatch {WORKFLOW} on v0.1.1: gh workflow run release.yml --ref v0.1.1 (or Run "
        "workflow on https://github.com/o/r/actions/workflows/release.yml); then "
        "release-assistant watch v0.1.1."
    )


def test_after_the_push_a_release_made_by_another_workflow_is_watched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work, _ = repo_with_workflow(tmp_path, workflow(ON_RELEASE))
    (work / ".github/workflows/github-release.yml").write_text(CREATE_RELEASE_ON_TAG, "utf-8")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "the release is made on the tag push")
    git(work, "push", "-q")
    capsys.readouterr()
    assert main(["tag", "--push", "--yes", "--repo", str(work)]) == 0, capsys.readouterr().err
    [line] = [line for line in capsys.readouterr().out.splitlines() if line.startswith("next:")]
    assert line == (
        "next: the tag push started .github/workflows/github-release.yml, which creates the "
        f"GitHub release that starts {WORKFLOW} (do not create another): release-assistant "
        "watch v0.1.1"
    )
