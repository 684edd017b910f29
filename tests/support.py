"""Helpers shared by the test modules: work done once per run, finding codes, timing.

Fixtures live in ``tests/conftest.py``; this module holds plain functions, so a test module
imports exactly what it uses.
"""

from __future__ import annotations

import difflib
import gc
import json
import os
import re
import shutil
import textwrap
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Protocol, TypeVar

import pytest
from filelock import FileLock

from release_assistant.core.findings import CheckResult, Severity
from release_assistant.core.urls import TESTPYPI_LEGACY_UPLOAD_URL, project_url

DATA = Path(__file__).resolve().parent / "data"
InputT = TypeVar("InputT")

# --- work done once per test run, whatever the number of xdist workers


def run_shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory shared by every process of this test run, and by no other run.

    Under pytest-xdist each worker's base temporary directory (``pytest-N/popen-gwK``) is one
    level below the run's (``pytest-N``); without xdist the run has one process and its own
    base directory is the run's.
    """
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def build_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """``run_shared_dir / name``, filled by ``build`` once for the whole run.

    The first worker to get here builds under a file lock; the others wait for the lock and
    find the directory done. A build that failed half-way is thrown away and done again.
    """
    shared = run_shared_dir(tmp_path_factory)
    target = shared / name
    done = shared / f"{name}.done"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            build(target)
            done.touch()
    return target


# --- finding codes, in the shapes the tests compare


class HasCode(Protocol):
    """Anything reported under a rule code: a finding, a gate's failure."""

    @property
    def code(self) -> str: ...


def finding_codes(findings: Iterable[HasCode]) -> list[str]:
    """The codes of ``findings``, in the order reported (repeats kept)."""
    return [finding.code for finding in findings]


def codes(result: CheckResult) -> list[str]:
    """The codes of every finding of a check, in the order reported (repeats kept)."""
    return finding_codes(result.findings)


def problem_codes(result: CheckResult) -> list[str]:
    """The codes of a check's problems, in order: its notes on what was read left out."""
    return finding_codes(f for f in result.findings if f.severity is not Severity.INFO)


def code_set(result: CheckResult, severity: Severity | None = None) -> set[str]:
    """The distinct codes of a check's findings, only those of ``severity`` when given."""
    return {f.code for f in result.findings if severity is None or f.severity is severity}


def distinct_codes(result: CheckResult) -> list[str]:
    """The distinct codes of a check's findings, sorted: order and repeats ignored."""
    return sorted(code_set(result))


# --- workflow fixtures (tests/data/workflows/)

#: Where the seed project's release workflow lives in a repository.
RELEASE = ".github/workflows/release.yml"


def fill_placeholders(text: str, where: str, **values: str) -> str:
    """``text`` with its ``@KEY@`` placeholders filled from ``values``; a placeholder left
    without a value fails the test, naming ``where`` the text came from."""
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    left = re.findall(r"@[A-Z_]+@", text)
    assert not left, f"{where}: no value for {', '.join(sorted(set(left)))}"
    return text


def workflow_fixture(name: str, **values: str) -> str:
    """``tests/data/workflows/<name>.yml`` with its ``@KEY@`` placeholders filled from
    ``values``; a placeholder left without a value fails the test."""
    text = (DATA / "workflows" / f"{name}.yml").read_text(encoding="utf-8")
    return fill_placeholders(text, f"{name}.yml", **values)


def seed_urls() -> dict[str, str]:
    """The values of the seed project's ``@KEY@`` placeholders: its index URLs, built by
    ``core/urls.py`` (fixtures never spell an index's host)."""
    return {
        "PYPI_PROJECT_URL": project_url("seed-package"),
        "TESTPYPI_PROJECT_URL": project_url("seed-package", test_index=True),
        "TESTPYPI_UPLOAD_URL": TESTPYPI_LEGACY_UPLOAD_URL,
    }


def seed_release_workflow() -> str:
    """The seed project's release workflow, which passes the workflow check clean.

    It starts with a blank line, as the inline string it replaces did: text written with
    ``write_files`` loses it, and ``line_of`` counts lines of the file as written.
    """
    return "\n" + workflow_fixture("seed-release", **seed_urls())


#: The seed's shape: verify -> build -> publish-pypi / publish-testpypi, with environments.
GOOD = seed_release_workflow()


def mutate(text: str, old: str, new: str, count: int = 1) -> str:
    """Replace ``old`` (which must occur exactly ``count`` times) with ``new``."""
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the ``nth`` occurrence of ``needle`` in the file as written."""
    body = textwrap.dedent(text).lstrip("\n")
    position = -1
    for _ in range(nth):
        position = body.index(needle, position + 1)
    return body[:position].count("\n") + 1


# --- time: ratios against a baseline timed in the same test


def best_times(
    subject: Callable[[], object],
    baseline: Callable[[], object],
    *,
    rounds: int = 5,
    within: float | None = None,
    max_rounds: int = 25,
) -> tuple[float, float]:
    """The least CPU time ``subject`` and ``baseline`` took, timed in alternation.

    CPU time (``time.process_time``: this process's, not the wall clock's) leaves out the
    time slices another process gets, so a second pytest-xdist worker or any other program
    competing for the cores does not count; what competition still changes (caches, clock
    speed) changes both alike because the two alternate, and the minimum over rounds keeps
    the least disturbed run of each. With ``within``, rounds go on (up to ``max_rounds``)
    while ``subject`` still takes more than ``within`` times ``baseline``: a noisy moment
    gets more samples before a verdict, while code that really is slower never gets under
    the bound. The collector is off while timing, as the hooks run (hooks/common.run_hook):
    its passes grow with the objects alive, not with the work measured. Work done in other
    processes (a ``git`` the subject starts) is not counted either.
    """
    best_subject = best_baseline = float("inf")
    gc.disable()
    try:
        for done in range(1, max_rounds + 1):
            for work, is_subject in ((baseline, False), (subject, True)):
                started = time.process_time()
                work()
                elapsed = time.process_time() - started
                if is_subject:
                    best_subject = min(best_subject, elapsed)
                else:
                    best_baseline = min(best_baseline, elapsed)
            if done >= rounds and (within is None or best_subject < within * best_baseline):
                break
    finally:
        gc.enable()
    return best_subject, best_baseline


def assert_linear(
    work: Callable[[InputT], object],
    small: InputT,
    large: InputT,
    *,
    factor: int,
    bound: float,
    rounds: int = 3,
    max_rounds: int = 12,
) -> None:
    """``work(large)``, on ``factor`` times the input of ``small``, takes less than ``bound``
    times ``factor`` runs of ``work(small)``.

    Linear work comes out near 1x and quadratic work near ``factor``x. The baseline is
    ``factor`` runs, not one, so that both timings last about as long and are disturbed
    alike; a plain large/small ratio of wall-clock times read 35x for linear work under
    ``pytest -n 2`` (and 21x on a quiet machine, against a limit of 25x).
    """

    def baseline() -> None:
        for _ in range(factor):
            work(small)

    slow, fast = best_times(
        lambda: work(large), baseline, rounds=rounds, within=bound, max_rounds=max_rounds
    )
    assert slow < bound * fast, (
        f"{factor}x the input took {slow / fast:.2f}x {factor} runs of the small one "
        f"(linear ~1x, quadratic ~{factor}x; bound {bound}x)"
    )


# --- golden outputs (tests/data/golden/)

#: Set to 1 to rewrite the golden files from the current output instead of comparing.
UPDATE_GOLDEN = "UPDATE_GOLDEN"

GOLDEN = DATA / "golden"

#: Parts of a ``check`` output that change from run to run, and what stands in for them.
_VOLATILE: tuple[tuple[re.Pattern[str], str], ...] = (
    # the tool's own version: the text header, the report, SARIF's driver
    (re.compile(r"\b(release-assistant )\d+\.\d+\S*"), r"\1<version>"),
    (re.compile(r'("tool_version": )"[^"]*"'), r'\1"<version>"'),
    (re.compile(r'("semanticVersion": )"[^"]*"'), r'\1"<version>"'),
    (re.compile(r'("name": "release-assistant",\s*"version": )"[^"]*"'), r'\1"<version>"'),
    # timings: the text's and Markdown's "  29 ms" column, the report's duration_ms
    (re.compile(r" *\d+(?:\.\d+)? ms\b"), " <n> ms"),
    (re.compile(r'("duration_ms": )[\d.]+'), r'\1"<n>"'),
    (
        re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})"),
        "<timestamp>",
    ),
    (re.compile(r"\b[0-9a-f]{40}\b"), "<commit>"),
    (re.compile(r"\b[0-9a-f]{32}\b"), "<run-id>"),
)


def _sarif_rules_in_use(output: str) -> str:
    """A SARIF log whose rule catalog keeps only the rules its results name.

    The full catalog lists every rule of the tool: a golden file holding it would change with
    each rule added anywhere. Each result's ``ruleIndex`` is checked against the full catalog,
    then renumbered into the kept one.
    """
    log = json.loads(output)
    for run in log["runs"]:
        catalog = run["tool"]["driver"]["rules"]
        used = sorted({result["ruleId"] for result in run["results"]})
        kept = [rule for rule in catalog if rule["id"] in used]
        position = {rule["id"]: index for index, rule in enumerate(kept)}
        for result in run["results"]:
            assert catalog[result["ruleIndex"]]["id"] == result["ruleId"], result
            result["ruleIndex"] = position[result["ruleId"]]
        run["tool"]["driver"]["rules"] = kept
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def normalize_check_output(output: str, output_format: str, repo: Path) -> str:
    """``check``'s output with what changes between runs replaced by placeholders.

    The repository's path becomes ``<repo>``; the tool's version, timings, timestamps, today,
    commit hashes and run ids their ``<...>`` names; a SARIF log keeps only the rules its
    results use. One function for every format, so the golden files agree on the names.
    """
    if output_format == "sarif":
        output = _sarif_rules_in_use(output)
    for path in sorted({str(repo.resolve()), str(repo)}, key=len, reverse=True):
        output = output.replace(path, "<repo>")
    # an index URL the output repeats goes back to the fixture's placeholder (no host spelt)
    for key, url in sorted(seed_urls().items(), key=lambda item: len(item[1]), reverse=True):
        output = output.replace(url, f"@{key}@")
    for pattern, placeholder in _VOLATILE:
        output = pattern.sub(placeholder, output)
    # today's date, which a fix proposes for a new changelog section (local and UTC),
    # once the timestamps that start with it are replaced
    for today in {date.today().isoformat(), datetime.now(timezone.utc).date().isoformat()}:
        output = output.replace(today, "<today>")
    return output


def golden_case_files(case: str) -> dict[str, str]:
    """The files of ``tests/data/golden/<case>/`` a test repository is built from (relative
    path -> text, placeholders filled), without the golden outputs ``expected.*``."""
    root = GOLDEN / case
    return {
        path.relative_to(root).as_posix(): fill_placeholders(
            path.read_text(encoding="utf-8"), f"golden/{case}/{path.name}", **seed_urls()
        )
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.startswith("expected.")
    }


def assert_golden(actual: str, golden: Path) -> None:
    """``actual`` equals the golden file; with ``UPDATE_GOLDEN=1``, rewrite it instead."""
    if os.environ.get(UPDATE_GOLDEN) == "1":
        golden.write_text(actual, encoding="utf-8")
        return
    assert golden.is_file(), f"{golden} is missing: run with {UPDATE_GOLDEN}=1 to write it"
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{golden.relative_to(DATA.parent.parent)} differs from the output "
        f"(run with {UPDATE_GOLDEN}=1 to accept the change):\n"
        + "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                "expected",
                "actual",
            )
        )
    )
