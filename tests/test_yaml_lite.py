"""The standard-library YAML reader: ``None`` or exactly ruamel.yaml's result, for every input.

Each text of the corpus (the generated workflows, every workflow text the other tests use,
this repository's workflows, realistic hand-written workflows, tricky snippets, seeded
mutations of them, generated block scalars and Hypothesis-generated workflows) is read by
:func:`read_block_yaml` and by the YAML 1.2 loader over ruamel.yaml
(:mod:`~release_assistant.core.workflows.yaml_loader`). Whenever the fast reader answers,
its answer must equal ruamel.yaml's in data, types and every line map. Typical workflows
must take the fast path, and the workflow hook must run without importing ruamel.yaml (nor
PyYAML) at all.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import itertools
import random
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from release_assistant.core.support.toml_lines import load_toml
from release_assistant.core.workflows import yaml_loader
from release_assistant.core.workflows.template import TemplateOptions, plan_init, render_workflow
from release_assistant.core.workflows.workflow import parse_yaml
from release_assistant.core.workflows.yaml_lite import read_block_yaml
from release_assistant.core.workflows.yaml_nodes import ParsedYaml, WorkflowError, YamlList, YamlMap
from tests.conftest import (
    PUBLISH_STEP,
    PUBLISH_STEP_WITH_TOKEN,
    REPO_ROOT,
    RepoFactory,
    edit_pypi_job,
    run_isolated,
)

# -- the reference: ruamel.yaml, YAML 1.2 ---------------------------------------------------

#: An outcome of the reference loader: the parsed document, or the text of its error.
Outcome = ParsedYaml | str


def reference_outcome(text: str) -> Outcome:
    """What the ruamel.yaml loader makes of ``text``."""
    try:
        return yaml_loader.load_yaml(text, "x.yml")
    except WorkflowError as exc:
        return str(exc)


def same_node(fast: Any, slow: Any, path: str = "$") -> None:
    """Assert that two parsed trees are equal in values, types, order and every line map."""
    assert type(fast) is type(slow), f"{path}: {type(fast)} != {type(slow)}"
    if isinstance(slow, YamlMap):
        assert fast.line == slow.line, f"{path}: line"
        assert [(k, type(k)) for k in fast] == [(k, type(k)) for k in slow], f"{path}: keys"
        assert fast.key_lines == slow.key_lines, f"{path}: key_lines"
        assert fast.value_lines == slow.value_lines, f"{path}: value_lines"
        for key in slow:
            same_node(fast[key], slow[key], f"{path}.{key}")
    elif isinstance(slow, YamlList):
        assert fast.line == slow.line, f"{path}: line"
        assert fast.item_lines == slow.item_lines, f"{path}: item_lines"
        assert len(fast) == len(slow), f"{path}: length"
        for index, (mine, theirs) in enumerate(zip(fast, slow, strict=True)):
            same_node(mine, theirs, f"{path}[{index}]")
    else:
        assert fast == slow, f"{path}: {fast!r} != {slow!r}"


def assert_agrees(text: str) -> ParsedYaml | None:
    """The differential rule: ``read_block_yaml(text)`` is ``None`` or ruamel.yaml's result."""
    fast = read_block_yaml(text)
    if fast is None:
        return None
    outcome = reference_outcome(text)
    assert isinstance(outcome, ParsedYaml), f"ruamel.yaml rejects what the reader read: {outcome}"
    same_node(fast.data, outcome.data)
    assert fast.duplicate_keys == outcome.duplicate_keys
    pairs = zip(fast.duplicate_keys, outcome.duplicate_keys, strict=True)
    assert all(type(mine[0]) is type(theirs[0]) for mine, theirs in pairs)
    return fast


# -- the corpus ----------------------------------------------------------------------------------


def template_texts() -> list[str]:
    """Every workflow ``workflow init`` can write (each option of the template, combined)."""
    texts = []
    for project, python, use_uv, run_tests, extra, testpypi, urls, names in itertools.product(
        (None, "demo-pkg"),
        ("3.12", "3.9"),
        (False, True),
        (False, True),
        (None, "test"),
        (True, False),
        (True, False),
        (("pypi", "testpypi", "release.yml"), ("production", "staging", "publish.yaml")),
    ):
        options = TemplateOptions(
            project=project,
            python_version=python,
            use_uv=use_uv,
            run_tests=run_tests,
            test_extra=extra,
            workflow_file=names[2],
            pypi_environment=names[0],
            testpypi_environment=names[1],
            testpypi=testpypi,
            environment_urls=urls,
        )
        texts.append(render_workflow(options))
    return sorted(set(texts))


#: Test modules whose workflow texts (constants and ``mutate(...)`` results) join the corpus.
WORKFLOW_TEST_MODULES = (
    "tests.test_workflow_check",
    "tests.test_publisher",
    "tests.test_workflow_init",
    "tests.test_hooks",
)


def _mentions_mutate(node: ast.AST) -> bool:
    return any(
        isinstance(child, ast.Call)
        and isinstance(child.func, ast.Name)
        and child.func.id == "mutate"
        for child in ast.walk(node)
    )


def existing_test_texts() -> list[str]:
    """The YAML texts the workflow tests use, evaluated from their source.

    String constants and f-strings are evaluated in the module's namespace; in each test
    function, assignments built with ``mutate(...)`` are replayed in order, so chains like
    ``text = mutate(text, ...)`` give the exact texts those tests check.
    """
    found: set[str] = set()

    def keep(value: object) -> None:
        if isinstance(value, str) and ":" in value and len(value) > 3:
            found.add(value)
            found.add(textwrap.dedent(value).lstrip("\n"))

    for name in WORKFLOW_TEST_MODULES:
        module = importlib.import_module(name)
        namespace = vars(module)
        tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Constant, ast.JoinedStr)):
                # An f-string over a test's local names cannot be evaluated here: skipped.
                with contextlib.suppress(Exception):
                    keep(eval(compile(ast.Expression(node), name, "eval"), dict(namespace)))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            local: dict[str, Any] = {}
            for statement in function.body:
                if not _mentions_mutate(statement):
                    continue
                # A statement that needs a fixture or a loop variable is skipped.
                with contextlib.suppress(Exception):
                    if isinstance(statement, ast.Assign):
                        exec(compile(ast.Module([statement], []), name, "exec"), namespace, local)
                        for target in statement.targets:
                            if isinstance(target, ast.Name):
                                keep(local.get(target.id))
                    for call in ast.walk(statement):
                        if isinstance(call, ast.Call) and _mentions_mutate(call):
                            expression = ast.Expression(call)
                            keep(eval(compile(expression, name, "eval"), namespace, local))
    return sorted(found)


def repository_workflows() -> list[str]:
    directory = REPO_ROOT / ".github" / "workflows"
    return [path.read_text(encoding="utf-8") for path in sorted(directory.glob("*.y*ml"))]


CI_MATRIX = """\
# Continuous integration: every supported Python on three systems.
name: CI

on:
  push:
    branches: [main, "release/**"]
    tags: ['v*']
    paths-ignore:
      - "docs/**"
      - '*.md'
  pull_request:
  workflow_dispatch:
    inputs:
      debug:
        description: "Run with tmate"  # a quoted value, then a comment
        required: false
        default: false
        type: boolean

concurrency:
  group: ${{ github.workflow }}-${{ github.ref }}
  cancel-in-progress: true

env:
  FORCE_COLOR: 1
  PIP_DISABLE_PIP_VERSION_CHECK: "1"
  EMPTY:

jobs:
  test:
    name: ${{ matrix.os }} / py${{ matrix.python-version }}
    runs-on: ${{ matrix.os }}
    timeout-minutes: 30
    if: github.event_name != 'pull_request' || !github.event.pull_request.draft
    strategy:
      fail-fast: false
      matrix:
        os: [ubuntu-latest, macos-latest, windows-latest]
        python-version: ["3.9", "3.10", "3.11", "3.12", "3.13"]
        include:
          - os: ubuntu-latest
            python-version: "3.14"
            experimental: true
        exclude:
        - os: macos-latest
          python-version: "3.9"
    continue-on-error: ${{ matrix.experimental == true }}
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2
        with:
          fetch-depth: 0
          persist-credentials: false

      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python-version }}
          allow-prereleases: true
          cache: pip
          cache-dependency-path: |
            requirements/*.txt
            pyproject.toml

      # Comments between steps, at any indentation.
        # even this one
      - name: Install
        run: >-
          python -m pip install
          --upgrade
          -e ".[test]"

      - name: Test
        shell: bash
        env:
          COVERAGE_FILE: .coverage.${{ matrix.os }}
        run: |
          set -euo pipefail
          # not a YAML comment: part of the script
          python -m pytest -q \\
            --cov --cov-report=xml

          echo "done: ${{ job.status }}"

      - name: Upload coverage
        if: always() && matrix.os == 'ubuntu-latest'
        uses: actions/upload-artifact@v4
        with:
          name: coverage-${{ matrix.python-version }}
          path: ./coverage.xml
          retention-days: 5
          if-no-files-found: ignore

  lint:
    runs-on: ubuntu-latest
    steps:
    - uses: actions/checkout@v4
    - run: pipx run ruff check .
    - run: 'echo "quoted: with a colon"'
    - run: "echo \\"escaped\\" \\\\ done"
"""

RELEASE_WITH_HYNEK = """\
name: Build & release

on:
  release:
    types:
      - published
  push:
    tags: ["*"]

permissions: {}

jobs:
  build:
    name: Build & verify package
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - uses: hynek/build-and-inspect-python-package@v2
        id: baipp
    outputs:
      python-versions: ${{ steps.baipp.outputs.supported_python_classifiers_json_array }}

  publish:
    name: Publish to the index
    needs: build
    if: github.repository_owner == 'octo-org' && github.event.action == 'published'
    runs-on: ubuntu-latest
    environment:
      name: pypi
      url: https://example.invalid/project/demo/${{ github.ref_name }}
    permissions:
      id-token: write
      attestations: write
    steps:
      - name: Download packages built by build-and-inspect-python-package
        uses: actions/download-artifact@v4
        with:
          name: Packages
          path: dist

      - name: Upload package to the index
        uses: pypa/gh-action-pypi-publish@release/v1
        with:
          attestations: true
          verbose: TRUE
          print-hash: False
"""

DOCS_AND_SCHEDULE = """\
"on":
  schedule:
    - cron: '30 5 * * 1-5'   # weekdays
    - cron: "0 0 1 * *"
  workflow_call:
    inputs:
      ref:
        type: string
        required: false
    secrets: {}

defaults:
  run:
    shell: bash
    working-directory: ./docs

jobs:
  docs:
    runs-on: ubuntu-22.04
    container:
      image: ghcr.io/example/builder:latest
      options: --user 1001
    services:
      redis:
        image: redis
        ports:
          - "6379:6379"
    steps:
    - name: Checkout
      uses: actions/checkout@v4
    - name: Build
      run: |+
        make html

    - name: Notes
      run: >
        folded text
        joined by spaces

        and a paragraph
          kept more indented
        end
    - name: Strip
      run: |-
          deeper indentation
            more
    - run: echo ~ null Null
    - run: ''
    - run: ""
    -
      name: empty item first line
    - name: ~
      id: null
      with:
        a: NULL
        b: -1
        c: 0
        d: 12345
        e: -x
        f: --flag=value
        g: y
        h: n
        i: yes
        j: Off
        k: oN
        l: tRUE
        m: 'on'
        n: a:b
        o: http://example.invalid:8080/path?q=1#frag
        p: 'it''s'
        q: "tab\\there"
        r: [a b, 'c d', "e", 1, true, ~]
        s: []
        t: { }
"""

REALISTIC = {
    "ci_matrix": CI_MATRIX,
    "release_hynek": RELEASE_WITH_HYNEK,
    "docs_schedule": DOCS_AND_SCHEDULE,
}

#: Odd corners; the reader may refuse any of them, but what it reads must be ruamel.yaml's.
TRICKY = [
    "",
    "\n\n",
    "# only a comment\n",
    "a: 1",
    "a:",
    "a:\n",
    "a: |",
    "a: |\n",
    "a: |\n  x",
    "a: |+\n\n\n",
    "a: |+\n  x\n\n",
    "a: |-\n  x\n\n",
    "a: >\n  x\n\n  y\n",
    "a: >\n  x\n   y\n  z\n",
    "a: >-\n\n  x\n",
    "a: |\n\n  x\n",
    "a: |\n  \n  x\n",
    "a: |\n    \n  x\n",
    "a: |\n  x\n   \n  y\n",
    "a: |\n  x\n      \n",
    "a: |\n  x\n b: 1\n",
    "a: |\n  x\n# c\nb: 1\n",
    "a: |\n  # x\nb: 1\n",
    "a: | # comment\n  x\n",
    "a: |#x\n  x\n",
    "a: |2\n   x\n",
    "a: |1-\n  x\n",
    "- |\n x\n- >\n y\n",
    "a:\n  |\n   x\n",
    "a:\n  - b\n  -\n  - - c\n    - d\n  - e: f\n    g: h\n",
    "a:\n- b\n- c\nd: e\n",
    "- a:\n  - b\n- c\n",
    "a:\n- b\n c\n",
    "a: b\n  c\n",
    "a: b\n\n  c\n",
    "a: b\n  # c\n",
    "a:\n  b\nc: d\n",
    "a:\n  b\n  c\n",
    "a: b\n b: c\n",
    "a:\n    b: 1\n  c: 2\n",
    "  a: 1\n  b: 2\n",
    "  a: 1\nb: 2\n",
    "a: 1\n---\nb: 2\n",
    "--- \na: 1\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: 1\n...\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "? a\n: b\n",
    "a: {b: c}\n",
    "a: {type: string, required: false}\n",
    "ports:\n  - 6379:6379\n",
    "a: {}\nb: { }\nc: []\nd: [ ]\n",
    "a: [b, c,]\n",
    "a: [b,, c]\n",
    "a: [b\n  , c]\n",
    "a: [[b]]\n",
    "a: [b: c]\n",
    "a: [-b, +c]\n",
    "a: ['b', \"c\" , d ]   # tail\n",
    "a: [b]c\n",
    'a: "b"c\n',
    'a: "b"#c\n',
    "a: 'b'#c\n",
    'a: "b\\x41"\n',
    'a: "b\\u0041"\n',
    'a: "b\\\n  c"\n',
    'a: "b\n  c"\n',
    "a: 'b\n  c'\n",
    'a: "\\/\\n\\t\\\\\\""\n',
    "a: 'x''y'''\n",
    "a: b: c\n",
    "a: - b\n",
    "a:b\n",
    "a :b\n",
    "a : b\n",
    '"a" : b\n',
    "'a': b\n\"c\": d\n",
    "a: b # c # d\n",
    "a: b#c\n",
    "a#b: c\n",
    "a: b\na: c\na: d\n",
    "1: a\ntrue: b\n1: c\n",
    "~: a\nnull: b\n",
    "on: a\n'on': b\nyes: c\nno: d\n",
    "a: 1.5\n",
    "a: 3.x\n",
    "a: 0x1F\n",
    "a: 0o17\n",
    "a: 017\n",
    "a: 1_000\n",
    "a: 1:30\n",
    "a: 2024-01-01\n",
    "a: .inf\n",
    "a: -.5\n",
    "a: +1\n",
    "a: -0\n",
    "a: 123456789012345678901234567890\n",
    "<<: {}\n",
    "a: =\n",
    "a: ./dist\n",
    "a: ...\n",
    "a: ---\n",
    "a: -\n",
    "a: - \n",
    "-\n-\n",
    "- # comment\n- x\n",
    "-x: y\n",
    "- -x\n",
    "a: @b\n",
    "a: `b`\n",
    "a: %b\n",
    "a: ?b\n",
    "a: :b\n",
    "a:\tb\n",
    "a: b\t\n",
    "\ta: b\n",
    "a: b\r\nc: d\r\n",
    "a: b\rc: d\n",
    "\ufeffa: b\n",
    "a: b\ufeff\n",
    "a: b\x85c\n",
    "a: b\u2028c\n",
    "a: b\x00\n",
    "a: caf\u00e9 \u2603 \U0001f600\n",
    "a: \u00a0b\n",
    "b\n",
    "'just a string'\n",
    "[a, b]\n",
    "{}\n",
    "- a\nb: c\n",
    "a: 1\n- b\n",
    "a:\n  b:\n    c:\n      d:\n        e: 1\n",
    "x" * 1100 + ": y\n",
    "a: " + "[" * 5 + "]" * 5 + "\n",
]


def mutations(texts: list[str], count: int, seed: int) -> list[str]:
    """Seeded small edits that often break the YAML or wander out of the subset."""
    rng = random.Random(seed)
    pieces = [":", ": ", "- ", " ", "  ", "#", " #", "'", '"', "|", ">", "[", "]", "{", "}"]
    pieces += ["&a ", "*a", "!", "?", "%", "\n", "\n  ", "\t", "0", "1.5", "~", "\\", ","]
    mutants = []
    for _ in range(count):
        lines = rng.choice(texts).split("\n")
        for _ in range(rng.randint(1, 3)):
            index = rng.randrange(len(lines))
            line = lines[index]
            action = rng.randrange(6)
            spot = rng.randint(0, len(line))
            if action == 0:
                lines[index] = line[:spot] + rng.choice(pieces) + line[spot:]
            elif action == 1 and line:
                lines[index] = line[:spot] + line[spot + 1 :]
            elif action == 2:
                lines[index] = " " * rng.randint(0, 3) + line.lstrip(" ")
            elif action == 3:
                lines.insert(index, line)
            elif action == 4:
                other = rng.randrange(len(lines))
                lines[index], lines[other] = lines[other], lines[index]
            else:
                del lines[index : index + rng.randint(1, 4)]
                if not lines:
                    lines = [""]
        mutants.append("\n".join(lines))
    return mutants


def block_scalars(count: int, seed: int) -> list[str]:
    """Seeded ``|``/``>`` scalars in every context, with blank, deeper and shallower lines."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        col = rng.choice([0, 2, 4])
        header = rng.choice(["|", "|-", "|+", ">", ">-", ">+", "| # c", "|  "])
        opening, base = rng.choice(
            [
                ([f"{' ' * col}k: {header}"], col),
                ([f"{' ' * col}- {header}"], col),
                ([f"{' ' * col}- k: {header}"], col + 2),
                ([f"{' ' * col}k:", f"{' ' * (col + 2)}{header}"], col),
            ]
        )
        lines = list(opening)
        indent = base + rng.choice([1, 2, 4])
        for _ in range(rng.randint(0, 6)):
            spaces = rng.choice([indent, indent, indent + 2, rng.randint(0, indent + 2)])
            lines.append(" " * spaces + rng.choice(["text", "a b", "# x", "- y", "k: v", "", ""]))
        if rng.random() < 0.5:
            lines.append(" " * base + rng.choice(["n: 1", "- m", "# end"]))
        texts.append("\n".join(lines) + rng.choice(["\n", "", "\n\n", "\n   "]))
    return texts


# -- the differential tests -------------------------------------------------------------------


def test_every_generated_workflow_takes_the_fast_path_and_agrees() -> None:
    texts = template_texts()
    assert len(texts) >= 50  # the options really vary the text
    for text in texts:
        assert assert_agrees(text) is not None, text


def test_existing_workflow_test_texts_agree() -> None:
    texts = existing_test_texts()
    assert len(texts) > 60, "the harvest from the workflow tests found too little"
    read = [text for text in texts if assert_agrees(text) is not None]
    # Most of those texts are the seed workflow and its edits: the fast path reads them.
    assert len(read) > len(texts) // 2


def test_repository_workflows_take_the_fast_path() -> None:
    texts = repository_workflows()
    assert texts
    for text in texts:
        assert assert_agrees(text) is not None


@pytest.mark.parametrize("name", sorted(REALISTIC))
def test_realistic_workflows_take_the_fast_path(name: str) -> None:
    text = REALISTIC[name]
    parsed = assert_agrees(text)
    assert parsed is not None
    # Line endings and a trailing-newline-free file read the same way.
    assert assert_agrees(text.replace("\n", "\r\n")) is not None
    assert assert_agrees(text.rstrip("\n")) is not None


def test_realistic_values() -> None:
    ci = read_block_yaml(CI_MATRIX)
    assert ci is not None
    data = ci.data
    assert list(data["on"]) == ["push", "pull_request", "workflow_dispatch"]
    assert data["on"]["pull_request"] is None
    assert data["on"].value_line("pull_request") == data["on"].line_of("pull_request")
    assert data["on"]["workflow_dispatch"]["inputs"]["debug"]["default"] is False
    assert data["env"] == {"FORCE_COLOR": 1, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "EMPTY": None}
    steps = data["jobs"]["test"]["steps"]
    assert steps[2]["run"] == 'python -m pip install --upgrade -e ".[test]"'
    assert steps[3]["run"].startswith("set -euo pipefail\n# not a YAML comment")
    assert steps[3]["run"].endswith('\n\necho "done: ${{ job.status }}"\n')
    assert data["jobs"]["lint"]["steps"][3]["run"] == 'echo "escaped" \\ done'
    docs = read_block_yaml(DOCS_AND_SCHEDULE)
    assert docs is not None
    inputs = docs.data["jobs"]["docs"]["steps"][-1]["with"]
    assert [inputs[k] for k in "abcdefghijklm"] == [
        None, -1, 0, 12345, "-x", "--flag=value", "y", "n", "yes", "Off", "oN", "tRUE", "on",
    ]  # fmt: skip
    assert inputs["r"] == ["a b", "c d", "e", 1, True, None]


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_tricky_snippets_agree(text: str) -> None:
    assert_agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: 1\n---\nb: 2\n",
        "? a\n: b\n",
        "a: {b: c}\n",
        "a: b\n  c\n",
        "a: 'b\n  c'\n",
        "a: 1.5\n",
        "a: 2024-01-01\n",
        "a: 0x1F\n",
        "a:\tb\n",
        "<<: {}\n",
        "a: [b\n  , c]\n",
        "a: b: c\n",
    ],
)
def test_outside_the_subset_falls_back(text: str) -> None:
    assert read_block_yaml(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "a: |\n  x\n\n  y\n",
        "a: >-\n  x\n  y\n",
        'a: [main, "v*"]\nb: {}\nc: []\n',
        "on:\n  push:\n    branches:\n    - main\n",
        'a: \'x\' # c\nb: "y\\"z"\n',
        "- a: 1\n  b:\n  - c\n",
    ],
)
def test_inside_the_subset_is_read(text: str) -> None:
    assert assert_agrees(text) is not None


def test_mutations_agree() -> None:
    seeds = [*template_texts()[:4], *REALISTIC.values(), *TRICKY]
    read = 0
    for text in mutations(seeds, 1500, seed=20240601):
        read += assert_agrees(text) is not None
    assert read > 100  # many mutants stay inside the subset and are compared


def test_generated_block_scalars_agree() -> None:
    read = sum(assert_agrees(text) is not None for text in block_scalars(2000, seed=7))
    assert read > 500


def test_parse_yaml_reports_ruamel_errors() -> None:
    with pytest.raises(WorkflowError) as raised:
        parse_yaml("on:\n  release:\n    types: [published\njobs: {}\n", "x.yml")
    assert raised.value.line == 4
    assert "invalid YAML" in raised.value.message


def test_parse_yaml_uses_the_fallback_for_anchors() -> None:
    parsed = parse_yaml("a: &x [1]\nb: *x\n", "x.yml")
    assert parsed.data["b"] is parsed.data["a"]
    assert parsed.data.key_lines == {"a": 1, "b": 2}
    # An alias is the anchored node itself, so its value line is the anchor's.
    assert parsed.data.value_lines == {"a": 1, "b": 1}


# -- Hypothesis: generated workflows ---------------------------------------------------------

#: Plain words of workflows, YAML 1.1 booleans, numbers, null spellings and odd corners.
_WORDS = st.sampled_from(
    [
        "push", "release", "ubuntu-latest", "main", "v*", "published",
        "pypa/gh-action-pypi-publish@release/v1", "on", "yes", "No", "off", "TRUE", "false",
        "null", "~", "0", "17", "-3", "017", "0o17", "0x1F", "1.5", "1e3", ".inf",
        "2024-01-01", "<<", "=", "a b", "x:y", "a #b", "${{ secrets.X }}", "it's", "-", "?",
        "@x", "`x`", "%x", "!x", "&x", "*x", "|", ">", "é", "\\u00e9",
    ]
)  # fmt: skip
_KEYS = st.sampled_from(
    ["name", "on", "jobs", "build", "steps", "uses", "with", "run", "env", "needs", "if",
     "permissions", "id-token", "PASSWORD", "password", "true", "1", "<<", "=", "a b", "k"]
)  # fmt: skip


def _scalar_text(draw: st.DrawFn) -> str:
    word = draw(_WORDS)
    style = draw(st.sampled_from(["plain", "single", "double", "flow"]))
    if style == "single":
        return "'" + word.replace("'", "''") + "'"
    if style == "double":
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == "flow":
        items = draw(st.lists(_WORDS, max_size=3))
        return "[" + ", ".join(items) + "]"
    return word


@st.composite
def _block(draw: st.DrawFn, indent: int, depth: int) -> list[str]:
    """Lines of a block mapping or sequence at ``indent``."""
    pad = " " * indent
    lines: list[str] = []
    sequence = depth > 0 and draw(st.booleans())
    for _ in range(draw(st.integers(1, 3))):
        head = f"{pad}- " if sequence else f"{pad}{draw(_KEYS)}:"
        kind = draw(st.sampled_from(["scalar", "scalar", "nested", "block", "empty", "comment"]))
        if kind == "nested" and depth < 3:
            step = draw(st.sampled_from([2, 4]))
            if sequence:
                lines.append(f"{pad}-")
            else:
                lines.append(head)
            lines.extend(draw(_block(indent + step, depth + 1)))
        elif kind == "block":
            header = draw(st.sampled_from(["|", "|-", "|+", ">", ">-"]))
            lines.append(f"{head} {header}".replace(":  ", ": ").replace("-  ", "- "))
            for _ in range(draw(st.integers(0, 3))):
                extra = draw(st.sampled_from(["", "  "]))
                lines.append(pad + "  " + extra + draw(_WORDS) if draw(st.booleans()) else "")
        elif kind == "empty":
            lines.append(head.rstrip())
        elif kind == "comment":
            lines.append(f"{head} {_scalar_text(draw)} # note".replace(":  ", ": "))
            lines.append(f"{pad}# a comment line")
        else:
            lines.append(f"{head} {_scalar_text(draw)}".replace(":  ", ": "))
    return lines


@st.composite
def generated_workflows(draw: st.DrawFn) -> str:
    lines = draw(_block(0, 0))
    ending = draw(st.sampled_from(["\n", "", "\n\n", "\r\n"]))
    return ending.join(lines) + ending if ending != "\r\n" else "\r\n".join(lines) + "\r\n"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_workflows())
def test_hypothesis_generated_workflows_agree(text: str) -> None:
    assert_agrees(text)


def test_hypothesis_generator_reaches_the_fast_path() -> None:
    """The generator is no use if the fast reader refuses everything it makes."""
    read = 0

    @settings(max_examples=200, deadline=None, database=None, derandomize=True)
    @given(generated_workflows())
    def count(text: str) -> None:
        nonlocal read
        read += assert_agrees(text) is not None

    count()
    assert read > 40


#: Hand-picked workflows where YAML 1.1 and 1.2 readers part: each either falls back or reads
#: exactly what ruamel.yaml reads.
HOSTILE = [
    "on: push\njobs: {}\n",
    "on:\n  release:\n    types: [published]\n# comment\u2028pull_request_target:\njobs: {}\n",
    "on: push\n<<: {a: 1}\n",
    "on: push\n=: x\n",
    "on: push\non: release\n",
    "on: yes\nname: off\n",
    "on: push\nversion: 017\n",
    'jobs:\n  a:\n    steps:\n    - uses: "pypa/gh-action-pypi-publish\\u0040release/v1"\n',
    "jobs:\n  a:\n    steps:\n    - uses: pypa/gh-action-pypi-publish@release/v1\n"
    "      with:\n        PASSWORD: x\n",
    "%YAML 1.1\n---\non: yes\n",
    'a: "\\x41\\u2028"\n',
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_snippets_agree_or_fall_back(text: str) -> None:
    assert_agrees(text)


def test_yaml_1_1_booleans_and_octals_read_as_yaml_1_2() -> None:
    parsed = parse_yaml("on: yes\nname: off\nv: 017\nw: 0o17\n'x': 1\n", "x.yml")
    assert parsed.data == {"on": "yes", "name": "off", "v": 17, "w": 15, "x": 1}
    # A %YAML 1.1 directive does not switch the reader to YAML 1.1 (GitHub reads 1.2).
    directive = parse_yaml("%YAML 1.1\n---\non: yes\n", "x.yml").data
    assert directive == {"on": "yes"}


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_line_breaks_of_yaml_1_1_are_refused_with_their_line(char: str) -> None:
    text = f"on:\n  release:\n# note{char}pull_request_target:\njobs: {{}}\n"
    assert read_block_yaml(text) is None
    with pytest.raises(WorkflowError) as raised:
        parse_yaml(text, "x.yml")
    assert raised.value.line == 3
    assert raised.value.rule.code == "RA640"


# -- the hook, in a fresh interpreter ---------------------------------------------------------

PYPROJECT = '[project]\nname = "demo"\nversion = "1.0.0"\nrequires-python = ">=3.10"\n'
RELEASE = ".github/workflows/release.yml"
HOOK_RUN = """
import sys
from release_assistant.hooks.check_release_workflow import main
code = main([])
loaded = any(name in sys.modules for name in ("yaml", "ruamel", "ruamel.yaml"))
import json
print(json.dumps({"code": code, "yaml": loaded}))
"""


def run_hook(root: Path) -> tuple[dict[str, Any], str]:
    return run_isolated(HOOK_RUN, root)


def template_repo(make_repo: RepoFactory, edit: Any = None) -> Path:
    root = make_repo({"pyproject.toml": PYPROJECT}, commit=False)
    plan = plan_init(root, RELEASE, load_toml(root / "pyproject.toml"))
    plan.path.parent.mkdir(parents=True)
    plan.path.write_text(edit(plan.text) if edit else plan.text, encoding="utf-8")
    return root


def test_the_hook_never_imports_a_yaml_library_for_the_template(make_repo: RepoFactory) -> None:
    result, output = run_hook(template_repo(make_repo))
    assert result == {"code": 0, "yaml": False}, output


def test_the_hook_falls_back_to_ruamel_for_an_anchor(make_repo: RepoFactory) -> None:
    def anchored(text: str) -> str:
        # The runner is shared through an anchor, and the PyPI job gets a token.
        text = text.replace("runs-on: ubuntu-latest", "runs-on: &runner ubuntu-latest", 1)
        return edit_pypi_job(
            text,
            ("runs-on: ubuntu-latest", "runs-on: *runner"),
            (PUBLISH_STEP, PUBLISH_STEP_WITH_TOKEN),
        )

    root = template_repo(make_repo, anchored)
    text = (root / RELEASE).read_text(encoding="utf-8")
    assert read_block_yaml(text) is None
    password_line = next(
        number for number, line in enumerate(text.splitlines(), 1) if "password:" in line
    )
    result, output = run_hook(root)
    assert result == {"code": 1, "yaml": True}, output
    assert f"{RELEASE}:{password_line}: RA626 " in output
    assert "RA602" not in output  # the anchor itself is fine: ruamel.yaml read it
