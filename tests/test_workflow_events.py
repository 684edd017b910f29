"""When a job runs: trigger scenarios and ``if:`` conditions read as GitHub reads them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from release_assistant.core.workflows.events import (
    BRANCH,
    DANGEROUS,
    MANUAL,
    PULL_REQUEST,
    RELEASE,
    RELEASE_EDIT,
    UNKNOWN,
    RunAnalysis,
    Scenario,
    evaluate,
    scenarios,
)
from release_assistant.core.workflows.workflow import Trigger, Workflow, parse_workflow


def workflow(text: str) -> Workflow:
    return parse_workflow(textwrap.dedent(text).lstrip("\n"), Path("w.yml"), "w.yml")


def kinds(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(s.kind, s.ref_type, s.action) for s in scenarios(workflow(text))]


TRIGGER = Trigger("push", 1, None)
TAG_PUSH = Scenario("push", RELEASE, TRIGGER, "tag")
BRANCH_PUSH = Scenario("push", BRANCH, TRIGGER, "branch")
PUBLISHED = Scenario("release", RELEASE, TRIGGER, "tag", "published")
EDITED = Scenario("release", RELEASE_EDIT, TRIGGER, "tag", "edited")
OPENED = Scenario("pull_request", PULL_REQUEST, TRIGGER, "branch", "opened", merged=False)
MERGED = Scenario("pull_request", RELEASE, TRIGGER, "branch", "closed", merged=True)
DISPATCH = Scenario("workflow_dispatch", MANUAL, TRIGGER)


def test_an_unfiltered_push_is_a_tag_push_and_a_branch_push() -> None:
    assert kinds("on: push\njobs: {}\n") == [(RELEASE, "tag", None), (BRANCH, "branch", None)]
    assert kinds("on:\n  push:\n    tags: ['v*']\njobs: {}\n") == [(RELEASE, "tag", None)]
    assert kinds("on:\n  push:\n    branches: [main]\njobs: {}\n") == [(BRANCH, "branch", None)]
    both = "on:\n  push:\n    branches: [main]\n    tags: ['*']\njobs: {}\n"
    assert kinds(both) == [(RELEASE, "tag", None), (BRANCH, "branch", None)]


def test_release_types_and_pull_request_types() -> None:
    found = kinds("on:\n  release:\njobs: {}\n")
    assert (RELEASE, "tag", "published") in found and (RELEASE_EDIT, "tag", "edited") in found
    assert kinds("on:\n  release:\n    types: [published]\njobs: {}\n") == [
        (RELEASE, "tag", "published")
    ]
    closed = kinds("on:\n  pull_request:\n    types: [closed]\njobs: {}\n")
    assert closed == [(RELEASE, "branch", "closed"), (PULL_REQUEST, "branch", "closed")]
    assert kinds("on: [workflow_dispatch, pull_request_target]\njobs: {}\n") == [
        (MANUAL, None, None),
        (DANGEROUS, "branch", None),
    ]


@pytest.mark.parametrize(
    ("condition", "scenario", "expected"),
    [
        (None, BRANCH_PUSH, True),
        ("startsWith(github.ref, 'refs/tags/')", TAG_PUSH, True),
        ("startsWith(github.ref, 'refs/tags/')", BRANCH_PUSH, False),
        ("${{ startsWith(github.ref, 'refs/tags/v') }}", TAG_PUSH, UNKNOWN),
        ("startsWith(github.ref, 'refs/tags/')", DISPATCH, UNKNOWN),
        ("github.ref_type == 'tag'", TAG_PUSH, True),
        ("startsWith(github.event.ref, 'refs/tags')", BRANCH_PUSH, False),
        ("github.ref_type == 'tag'", BRANCH_PUSH, False),
        ("github.event_name == 'push' && github.ref == 'refs/heads/main'", BRANCH_PUSH, UNKNOWN),
        ("github.event_name == 'push' && github.ref == 'refs/heads/main'", TAG_PUSH, False),
        ("github.event_name == 'release'", BRANCH_PUSH, False),
        ("GITHUB.EVENT_NAME == 'RELEASE'", PUBLISHED, True),  # case-insensitive
        ("github.event.action == 'published'", PUBLISHED, True),
        ("github.event.action == 'published'", EDITED, False),
        ("github.event.action == 'published'", BRANCH_PUSH, False),
        ("github.event.pull_request.merged == true", MERGED, True),
        ("github.event.pull_request.merged == true", OPENED, False),
        ("github.event.pull_request.merged", OPENED, False),
        ("github.repository_owner == 'octo-org' && github.ref_type == 'tag'", TAG_PUSH, True),
        ("github.repository == 'octo-org/demo'", BRANCH_PUSH, True),
        ("needs.setup.outputs.release == 'true'", TAG_PUSH, UNKNOWN),
        ("fromJSON(needs.setup.outputs.release)", TAG_PUSH, UNKNOWN),
        ("fromJSON('true')", BRANCH_PUSH, True),
        ("!startsWith(github.ref, 'refs/tags/')", BRANCH_PUSH, True),
        ("always() && startsWith(github.ref, 'refs/tags/')", BRANCH_PUSH, False),
        ("failure()", TAG_PUSH, UNKNOWN),
        ("contains(github.ref, 'refs/tags')", TAG_PUSH, True),
        ("contains(github.ref, 'refs/tags/')", BRANCH_PUSH, False),
        ("contains(github.ref, 'release')", BRANCH_PUSH, UNKNOWN),
        ("false", TAG_PUSH, False),
        ("inputs.publish || startsWith(github.ref, 'refs/tags/')", TAG_PUSH, True),
        ("inputs.publish || startsWith(github.ref, 'refs/tags/')", BRANCH_PUSH, UNKNOWN),
        ("vars.X == 'a' && github.event_name == 'schedule'", BRANCH_PUSH, False),
        ("${{ a }} && ${{ b }}", TAG_PUSH, UNKNOWN),  # text around expressions
        ("this is (not an expression", TAG_PUSH, UNKNOWN),
    ],
)
def test_conditions(condition: str | None, scenario: Scenario, expected: object) -> None:
    assert evaluate(condition, scenario) is expected


def test_a_skipped_dependency_skips_the_job_unless_it_checks_status() -> None:
    wf = workflow(
        """
        on: push
        jobs:
          gate:
            if: startsWith(github.ref, 'refs/tags/')
            runs-on: x
            steps: [{run: echo}]
          publish:
            needs: gate
            runs-on: x
            steps: [{run: echo}]
          always:
            needs: gate
            if: always()
            runs-on: x
            steps: [{run: echo}]
        """
    )
    runs = RunAnalysis(wf)
    tag, branch = runs.scenarios
    assert runs.job_runs(wf.jobs["publish"], tag) is True
    assert runs.job_runs(wf.jobs["publish"], branch) is False
    assert runs.job_runs(wf.jobs["always"], branch) is True
    assert not runs.never_runs(wf.jobs["publish"])


def test_a_job_guarded_on_tags_never_runs_in_a_branch_only_workflow() -> None:
    wf = workflow(
        """
        on:
          push:
            branches: [main]
        jobs:
          old-upload:
            if: startsWith(github.ref, 'refs/tags')
            runs-on: x
            steps: [{run: echo}]
        """
    )
    runs = RunAnalysis(wf)
    assert runs.never_runs(wf.jobs["old-upload"])
    assert runs.never_runs(wf.jobs["old-upload"], "github.event_name == 'push'")


def test_a_needs_cycle_stays_unknown() -> None:
    wf = workflow(
        """
        on: push
        jobs:
          a: {needs: b, runs-on: x, steps: [{run: echo}]}
          b: {needs: a, runs-on: x, steps: [{run: echo}]}
        """
    )
    runs = RunAnalysis(wf)
    assert runs.job_runs(wf.jobs["a"], runs.scenarios[0]) is UNKNOWN
