"""Inline suppressions: ``# release-assistant: ignore[CODE]`` on the line a finding names."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from pydantic_sarif.model import StaticAnalysisResultsFormatSarifVersion210JsonSchema as Sarif
from ruamel.yaml import YAML

from release_assistant.cli.main import main
from release_assistant.core.context import RepoContext
from release_assistant.core.engine import run_check, spec_for
from release_assistant.core.findings import CheckResult, Severity, Status
from release_assistant.core.support.toml_lines import tomllib
from release_assistant.core.suppressions import suppressions_in, toml_comments, yaml_comments
from tests.conftest import REPO_ROOT, SEED_PYPROJECT, RepoFactory, minimal_pyproject
from tests.support import GOOD, RELEASE, line_of, mutate


def _load_yaml(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


#: GOOD without environments: RA623 (a warning) on each publish job's line.
NO_ENVIRONMENT = re.sub(r"    environment:\n      name: \w+\n      url: .*\n", "", GOOD)
IGNORE = "# release-assistant: ignore"


def workflow_result(make_repo: RepoFactory, text: str) -> CheckResult:
    body = textwrap.dedent(text).lstrip("\n")
    root = make_repo({"pyproject.toml": SEED_PYPROJECT, RELEASE: body})
    return run_check(spec_for("workflow"), RepoContext.load(root))


def located(result: CheckResult, code: str) -> list[int | None]:
    return [f.line for f in result.findings if f.code == code]


# --- reading comments -----------------------------------------------------------------------

TRICKY_YAML = """\
on: push  # first
jobs:
  a:
    steps:
      - run: |  # on the indicator line
          echo "# shell, not YAML"
          echo hi # still shell
        # after the block
      - run: "echo '#x' # inside quotes"  # after quotes
      - run: >-
          folded # text
      - run: a#b
x: 'a # b' # single
y: [a, "b # c"] # flow
"""


def test_yaml_comments_are_the_scanners_not_every_hash() -> None:
    comments = yaml_comments(TRICKY_YAML)
    assert comments == {
        1: " first",
        5: " on the indicator line",
        8: " after the block",
        9: " after quotes",
        13: " single",
        14: " flow",
    }


TRICKY_TOML = '''\
a = "x # y" # one
b = 'q#' #two
c = """
# inside
"""  # three
d = \'\'\'
#inside\'\'\'\'#four
e=1#five
'''


def test_toml_comments_skip_all_four_string_forms() -> None:
    assert toml_comments(TRICKY_TOML) == {1: " one", 2: "two", 5: " three", 7: "four", 8: "five"}


def _strip(text: str, comments: dict[int, str]) -> str:
    lines = text.split("\n")
    for number, comment in comments.items():
        line = lines[number - 1]
        lines[number - 1] = line[: len(line) - len(comment) - 1]
    return "\n".join(lines)


def _corpus(pattern: str) -> list[Path]:
    return sorted(REPO_ROOT.glob(pattern))


@pytest.mark.parametrize(
    "path", _corpus(".github/workflows/*.yml") + _corpus(".pre-commit-*.yaml"), ids=str
)
def test_removing_the_yaml_comments_found_changes_nothing(path: Path) -> None:
    # The differential oracle: what yaml_comments calls a comment, ruamel.yaml's loader ignores.
    text = path.read_text(encoding="utf-8")
    comments = yaml_comments(text)
    assert comments is not None
    assert _load_yaml(_strip(text, comments)) == _load_yaml(text)
    assert _load_yaml(_strip(TRICKY_YAML, yaml_comments(TRICKY_YAML) or {})) == (
        _load_yaml(TRICKY_YAML)
    )


@pytest.mark.parametrize("text", [TRICKY_TOML, (REPO_ROOT / "pyproject.toml").read_text()])
def test_removing_the_toml_comments_found_changes_nothing(text: str) -> None:
    comments = toml_comments(text)
    assert comments
    assert tomllib.loads(_strip(text, comments)) == tomllib.loads(text)


def test_marker_forms() -> None:
    text = (
        "a: 1  # release-assistant: ignore[RA623, ra631]\nb: 2 # Release-Assistant:ignore[RA610]\n"
    )
    found = suppressions_in(text, "x.yml")
    assert {line: s.codes for line, s in found.items()} == {
        1: ("RA623", "RA631"),
        2: ("RA610",),
    }
    assert suppressions_in(text, "x.md") == {}  # only formats we can tokenize
    assert suppressions_in("a: b: c\n# release-assistant: ignore[RA1]\n", "x.yml") == {}


# --- the engine -----------------------------------------------------------------------------


def test_a_comment_on_the_findings_line_suppresses_it_there_only(make_repo: RepoFactory) -> None:
    plain = workflow_result(make_repo, NO_ENVIRONMENT)
    assert plain.status is Status.WARN
    first, second = located(plain, "RA623")
    text = mutate(NO_ENVIRONMENT, "  publish-pypi:\n", f"  publish-pypi:  {IGNORE}[RA623]\n")
    result = workflow_result(make_repo, text)
    assert located(result, "RA623") == [second]  # the other job's finding still counts
    [silenced] = result.suppressed
    assert (silenced.code, silenced.line) == ("RA623", first)
    assert silenced.severity is Severity.WARNING


def test_all_findings_suppressed_the_check_passes(make_repo: RepoFactory) -> None:
    text = mutate(NO_ENVIRONMENT, "  publish-pypi:\n", f"  publish-pypi:  {IGNORE}[RA631,RA623]\n")
    text = mutate(text, "  publish-testpypi:\n", f"  publish-testpypi:  {IGNORE}[RA623]\n")
    result = workflow_result(make_repo, text)
    assert result.status is Status.PASS, result.findings
    assert len(result.suppressed) == 2
    # RA631 has no finding on that line: said, as information only.
    [unused] = [f for f in result.findings if f.code == "RA003"]
    assert (unused.severity, unused.line) == (Severity.INFO, line_of(text, "publish-pypi:"))


def test_the_line_above_does_not_suppress(make_repo: RepoFactory) -> None:
    text = mutate(NO_ENVIRONMENT, "  publish-pypi:\n", f"  {IGNORE}[RA623]\n  publish-pypi:\n")
    result = workflow_result(make_repo, text)
    assert len(located(result, "RA623")) == 2
    assert not result.suppressed
    assert [f.code for f in result.findings if f.code.startswith("RA00")] == ["RA003"]


def test_a_marker_inside_a_string_is_no_comment(make_repo: RepoFactory) -> None:
    text = mutate(
        NO_ENVIRONMENT,
        "  publish-pypi:\n",
        '  publish-pypi:\n    env: {NOTE: "# release-assistant: ignore[RA623]"}\n',
    )
    result = workflow_result(make_repo, text)
    assert len(located(result, "RA623")) == 2
    assert not result.suppressed


def test_an_unknown_code_is_a_warning(make_repo: RepoFactory) -> None:
    text = mutate(GOOD, "  build:\n", f"  build:  {IGNORE}[RA699, template-injection]\n")
    result = workflow_result(make_repo, text)
    unknown = [f for f in result.findings if f.code == "RA002"]
    at = line_of(text, "build:")
    assert [(f.severity, f.line) for f in unknown] == [(Severity.WARNING, at)] * 2
    assert "'RA699'" in unknown[0].message and "'template-injection'" in unknown[1].message
    assert result.status is Status.WARN


def test_another_checks_code_is_left_to_that_check(make_repo: RepoFactory) -> None:
    # RA714 belongs to the publisher check: the workflow check neither uses nor judges it.
    text = mutate(GOOD, "  build:\n", f"  build:  {IGNORE}[RA714]\n")
    result = workflow_result(make_repo, text)
    assert result.status is Status.PASS
    assert not [f for f in result.findings if f.code.startswith("RA00")]


def test_config_ignore_and_severity_still_apply(make_repo: RepoFactory) -> None:
    text = mutate(NO_ENVIRONMENT, "  publish-pypi:\n", f"  publish-pypi:  {IGNORE}[RA623]\n")
    body = textwrap.dedent(text).lstrip("\n")
    config = '\n[tool.release-assistant.severity]\nRA623 = "error"\n'
    root = make_repo({"pyproject.toml": SEED_PYPROJECT + config, RELEASE: body})
    result = run_check(spec_for("workflow"), RepoContext.load(root))
    assert result.status is Status.FAIL  # the other job's RA623, now an error
    [silenced] = result.suppressed
    assert silenced.severity is Severity.ERROR  # reported as it would weigh


def test_pyproject_findings_can_be_suppressed(make_repo: RepoFactory) -> None:
    pyproject = minimal_pyproject("demo", "1.0.0")
    marked = pyproject.replace('version = "1.0.0"', f'version = "1.0.0"  {IGNORE}[RA303]')
    assert marked != pyproject
    for text, blocked in ((pyproject, True), (marked, False)):
        root = make_repo({"pyproject.toml": text})
        ctx = RepoContext.load(root, tag="v2.0.0")
        result = run_check(spec_for("version"), ctx)
        assert ("RA303" in {f.code for f in result.findings}) is blocked
        assert ("RA303" in {f.code for f in result.suppressed}) is not blocked


# --- the reports ----------------------------------------------------------------------------


def test_reports_list_suppressed_findings(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    text = mutate(NO_ENVIRONMENT, "  publish-pypi:\n", f"  publish-pypi:  {IGNORE}[RA623]\n")
    root = make_repo(
        {"pyproject.toml": SEED_PYPROJECT, RELEASE: textwrap.dedent(text).lstrip("\n")}
    )
    base = ["check", "--repo", str(root), "--only", "workflow"]
    assert main(base) == 0
    out = capsys.readouterr().out
    assert "(1 suppressed)" in out and "1 suppressed ·" in out
    assert out.count("RA623") == 1  # the suppressed one is not printed as a finding

    assert main([*base, "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)["checks"][0]["findings"]
    assert [(f["code"], f["suppressed"]) for f in findings if f["code"] == "RA623"] == [
        ("RA623", False),
        ("RA623", True),
    ]

    assert main([*base, "--format", "sarif"]) == 0
    log = json.loads(capsys.readouterr().out)
    Sarif.model_validate(log)
    results = [r for r in log["runs"][0]["results"] if r["ruleId"] == "RA623"]
    assert [r.get("suppressions") for r in results] == [None, [{"kind": "inSource"}]]

    assert main([*base, "--format", "github"]) == 0
    assert capsys.readouterr().out.count("RA623") == 1


# --- unknown codes of any shape -----------------------------------------------------------


@pytest.mark.parametrize("code", ["RA199", "RA6O1", "RA0623", "RA-623", "ra 623"])
def test_an_unknown_code_of_any_shape_is_reported_in_a_workflow(
    make_repo: RepoFactory, code: str
) -> None:
    """``RA199`` has the shape of the git check's codes, which never reads a workflow."""
    text = mutate(GOOD, "  build:\n", f"  build:  {IGNORE}[{code}]\n")
    result = workflow_result(make_repo, text)
    [unknown] = [f for f in result.findings if f.code == "RA002"]
    assert unknown.line == line_of(text, "build:") and code.upper() in unknown.message.upper()
    assert result.status is Status.WARN


def test_an_unknown_code_of_another_family_is_reported_in_pyproject(
    make_repo: RepoFactory,
) -> None:
    pyproject = minimal_pyproject("demo", "1.0.0")
    marked = pyproject.replace('version = "1.0.0"', f'version = "1.0.0"  {IGNORE}[RA199]')
    root = make_repo({"pyproject.toml": marked})
    result = run_check(spec_for("version"), RepoContext.load(root, tag="v2.0.0"))
    assert {f.code for f in result.findings} >= {"RA303", "RA002"}


def test_an_unknown_code_is_reported_once_per_run(
    make_repo: RepoFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two checks read the same line (the version finding's): one RA002, not two."""
    from release_assistant.core.findings import Finding
    from release_assistant.core.suppressions import one_judgement_per_comment

    pyproject = minimal_pyproject("demo", "1.0.0")
    marked = pyproject.replace('version = "1.0.0"', f'version = "1.0.0"  {IGNORE}[RA199]')
    root = make_repo({"pyproject.toml": marked})
    main(["check", "--repo", str(root), "--tag", "v2.0.0", "--format", "json"])
    checks = json.loads(capsys.readouterr().out)["checks"]
    reported = [c["id"] for c in checks for f in c["findings"] if f["code"] == "RA002"]
    assert len(reported) == 1, reported

    unknown = Finding("RA002", "suppression names 'x'", Severity.WARNING, "a.toml", 3)
    first = CheckResult("one", "One", Status.WARN, (unknown,))
    owner = CheckResult("two", "Two", Status.WARN, (unknown,), sources=("a.toml",))
    kept = one_judgement_per_comment([first, owner])
    assert kept[0].findings == () and kept[0].status is Status.PASS
    assert kept[1] == owner
