"""Linear work on large inputs: the changelog lookup, bump's changelog writer, dense ``needs``.

Each test times the same operation on an input and on one four times its size (best of
several runs, the garbage collector off, as the hooks run) and asserts a ratio: linear work
grows about 4x, quadratic work 16x, and the bound of 8x leaves room for a noisy machine while
still failing the quadratic code these tests were written against. ``benchmarks/scale.py``
prints the whole curve (4 to 50 MB changelogs, 20,000-package locks, 3,000-job workflows).
"""

from __future__ import annotations

import datetime as dt
import gc
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.version import Version

from release_assistant.core.changelog.parser import parse_changelog
from release_assistant.core.changelog.writer import ReleasedText, release_unreleased
from release_assistant.core.workflows.workflow import parse_workflow
from release_assistant.core.workflows.yaml_lite import read_block_yaml
from tests.test_yaml_lite import assert_agrees

LINEAR_BOUND = 8.0  # for 4x the input: linear ~4x, quadratic ~16x
RELEASE = ".github/workflows/release.yml"


def best_time(work: Callable[[], object], runs: int = 3) -> float:
    """The fastest of ``runs`` timings of ``work`` (the collector off while timing)."""
    timings = []
    gc.disable()
    try:
        for _ in range(runs):
            started = time.perf_counter()
            work()
            timings.append(time.perf_counter() - started)
    finally:
        gc.enable()
    return min(timings)


def changelog(sections: int) -> str:
    """``sections`` releases ``1.N.0`` (one major version: no filter helps), newest first,
    under a pending ``Unreleased`` section."""
    parts = ["# Changelog\n", "## [Unreleased]\n\n### Added\n\n- Pending.\n"]
    for number in range(sections, 0, -1):
        parts.append(
            f"## [1.{number}.0] - 2020-01-01\n\n### Added\n\n- Change {number}.\n"
            "- Another change, with `code` and a [link](https://example.invalid).\n"
        )
    return "\n".join(parts)


def test_a_version_without_a_section_is_looked_up_in_linear_time() -> None:
    """The state right after a bump: the project version has no section. Each lookup used to
    count lines from the top for every heading of the same major version."""
    missing = Version("1.999999.0")

    def lookup(text: str) -> Callable[[], object]:
        def work() -> object:
            return parse_changelog(text).find(missing)

        return work

    small, large = changelog(5_000), changelog(20_000)
    assert parse_changelog(large).find(missing) is None
    assert parse_changelog(large).find(Version("1.20000")) is not None  # a present one
    assert best_time(lookup(large)) < LINEAR_BOUND * best_time(lookup(small))


def test_a_release_heading_one_level_deeper_is_still_found() -> None:
    """The search at any level skips the level already parsed, not the others."""
    text = changelog(200).replace("## [1.150.0]", "### [1.150.0]")
    found = parse_changelog(text).find(Version("1.150.0"))
    assert found is not None and found.version_text == "1.150.0"
    assert found.line == text[: text.index("### [1.150.0]")].count("\n") + 1


def test_bumps_changelog_writer_works_in_linear_time() -> None:
    new = Version("1.999999.0")
    today = dt.date(2026, 12, 8)

    def release(text: str) -> Callable[[], object]:
        def work() -> object:
            written = release_unreleased(text, parse_changelog(text), new, today, new_tag="v1")
            assert isinstance(written, ReleasedText)
            return written

        return work

    small, large = changelog(5_000), changelog(20_000)
    written = release(large)()
    assert isinstance(written, ReleasedText) and "## [1.999999.0] - 2026-12-08" in written.text
    assert best_time(release(large)) < LINEAR_BOUND * best_time(release(small))


def one_job_needing(count: int) -> str:
    """A workflow whose one job needs ``count`` others (that it does not define: the list
    is what is measured), in one flow sequence."""
    needs = ", ".join(f"j{index}" for index in range(count))
    return (
        "on: push\njobs:\n  last:\n    runs-on: ubuntu-latest\n"
        f"    needs: [{needs}]\n    steps:\n      - run: echo hi\n"
    )


def test_a_long_needs_list_is_read_in_linear_time() -> None:
    """The flow sequence used to be cut after every item: quadratic in the line's length."""
    small, large = one_job_needing(20_000), one_job_needing(80_000)
    workflow = parse_workflow(large, Path(RELEASE), RELEASE)
    assert len(workflow.jobs["last"].needs) == 80_000

    def read(text: str) -> Callable[[], object]:
        return lambda: parse_workflow(text, Path(RELEASE), RELEASE)

    assert best_time(read(large), runs=2) < LINEAR_BOUND * best_time(read(small), runs=2)


def dense_needs(jobs: int) -> str:
    """``jobs`` jobs, each needing every earlier one (the densest ``needs``)."""
    lines = ["on: push", "jobs:"]
    for index in range(jobs):
        lines += [f"  j{index}:", "    runs-on: ubuntu-latest"]
        if index:
            lines.append(f"    needs: [{', '.join(f'j{other}' for other in range(index))}]")
        lines += ["    steps:", "      - run: echo hi"]
    return "\n".join(lines) + "\n"


def test_dense_needs_are_held_in_bounded_memory() -> None:
    """Every mention of a job id in ``needs`` is the one string, not a copy: a 3,000-job
    workflow of 4.5 million edges peaked at 1.9 GB. Measured: ~49 bytes an edge, 181 before."""
    jobs = 600
    edges = jobs * (jobs - 1) // 2
    text = dense_needs(jobs)
    tracemalloc.start()
    try:
        workflow = parse_workflow(text, Path(RELEASE), RELEASE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert workflow.needs_closure(f"j{jobs - 1}") == {f"j{index}" for index in range(jobs - 1)}
    assert peak / edges < 100, f"{peak / edges:.0f} bytes an edge"


@pytest.mark.parametrize(
    "items",
    [
        "a, b, c",
        "a,b ,  c  ",
        " a ",
        "1, true, null, x, 007",
        "a b, c-d, e.f, g/h",
        "a, 'bb', \"cc\"",  # quoted: the item-by-item reading
        "a, , b",  # an empty item: left to ruamel.yaml
        "a, b,",
        "-a, b",
        "a, b # c",
        "a\tb, c",
    ],
)
def test_a_flow_sequence_read_in_one_split_is_what_ruamel_reads(items: str) -> None:
    """The split of a plain flow sequence at its commas gives ruamel.yaml's answer, or
    leaves the document to it; each distinct item is one object however often it occurs."""
    text = f"jobs:\n  a:\n    needs: [{items}]\n  b:\n    needs: [{items}]\n"
    assert_agrees(text)
    fast = read_block_yaml(text)
    if fast is not None and "'" not in items and '"' not in items:
        first, second = fast.data["jobs"]["a"]["needs"], fast.data["jobs"]["b"]["needs"]
        assert all(one is other for one, other in zip(first, second, strict=True))


def test_the_lines_of_many_dependencies_are_found_in_linear_time() -> None:
    """The lock check names each dependency's line in pyproject.toml; each was searched for
    from the top of the file (a 20,000-package lock took 5.5 s there, 0.2 s now)."""
    from release_assistant.core.lockfiles.uv.lock_entries import Project
    from release_assistant.core.support.toml_lines import parse_toml

    def project(count: int) -> tuple[Project, list[str]]:
        names = [f"pkg{index:05d}>=1" for index in range(count)]
        text = (
            '[project]\nname = "bench"\nversion = "1.0.0"\ndependencies = [\n'
            + "".join(f'    "{name}",\n' for name in names)
            + "]\n"
        )
        return Project(".", parse_toml(text, "pyproject.toml"), True), names

    def lookups(count: int) -> Callable[[], object]:
        def work() -> object:
            found, names = project(count)
            return [found.line_of_text(name) for name in names]

        return work

    found, names = project(100)
    assert [found.line_of_text(name) for name in names[:3]] == [5, 6, 7]
    assert found.line_of_text("pkg00099>=1") == 104
    assert found.line_of_text("absent") is None
    assert best_time(lookups(20_000), runs=2) < LINEAR_BOUND * best_time(lookups(5_000), runs=2)


def test_zizmor_is_not_given_workflows_larger_than_its_bound(tmp_path: Path) -> None:
    """zizmor's memory grows with the workflow (3.4 GB on a 29 MB dense one): a set over
    the bound is not audited (RA692), and the executable is never started."""
    from release_assistant.core.workflows import zizmor

    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "release.yml").write_text(dense_needs(900), encoding="utf-8")
    assert (workflows / "release.yml").stat().st_size > zizmor.MAX_AUDITED_BYTES
    never_run = str(tmp_path / "no-such-zizmor")  # starting it would fail another way
    findings = zizmor.audit(never_run, str(tmp_path), [f"{RELEASE}"], {}, [])
    assert [finding.code for finding in findings] == ["RA692"]
    assert "zizmor was not run: the workflows hold" in findings[0].message
