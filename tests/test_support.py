"""The shared test helpers themselves: one build per run, fixture files, finding codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from release_assistant.core.findings import CheckResult, Finding, Severity, Status
from tests.support import (
    GOOD,
    build_once,
    code_set,
    codes,
    distinct_codes,
    problem_codes,
    run_shared_dir,
    workflow_fixture,
)


def test_build_once_builds_once_and_again_after_a_failed_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    builds: list[Path] = []

    def build(target: Path) -> None:
        builds.append(target)
        (target / "built").write_text(str(len(builds)), encoding="utf-8")

    def broken(target: Path) -> None:
        (target / "half").write_text("", encoding="utf-8")
        raise RuntimeError("the build failed")

    with pytest.raises(RuntimeError):
        build_once(tmp_path_factory, "support-test-build", broken)
    first = build_once(tmp_path_factory, "support-test-build", build)
    again = build_once(tmp_path_factory, "support-test-build", build)
    assert first == again == run_shared_dir(tmp_path_factory) / "support-test-build"
    assert len(builds) == 1
    assert sorted(path.name for path in first.iterdir()) == ["built"]  # the half build is gone


def test_run_shared_dir_is_above_a_workers_own_directory(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path_factory.getbasetemp()
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    assert run_shared_dir(tmp_path_factory) == base
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    assert run_shared_dir(tmp_path_factory) == base.parent


def test_a_workflow_fixture_with_a_placeholder_left_fails() -> None:
    with pytest.raises(AssertionError, match=r"seed-release\.yml: no value for @PYPI_PROJECT_URL@"):
        workflow_fixture("seed-release", TESTPYPI_PROJECT_URL="x", TESTPYPI_UPLOAD_URL="y")
    assert re.search(r"@[A-Z_]+@", GOOD) is None


def finding(code: str, severity: Severity) -> Finding:
    return Finding(code=code, severity=severity, message="m")


def test_the_code_helpers_each_keep_their_own_shape() -> None:
    result = CheckResult(
        id="demo",
        title="Demo",
        status=Status.FAIL,
        findings=(
            finding("RA2", Severity.ERROR),
            finding("RA1", Severity.INFO),
            finding("RA2", Severity.WARNING),
        ),
    )
    assert codes(result) == ["RA2", "RA1", "RA2"]
    assert problem_codes(result) == ["RA2", "RA2"]
    assert code_set(result) == {"RA1", "RA2"}
    assert code_set(result, Severity.WARNING) == {"RA2"}
    assert distinct_codes(result) == ["RA1", "RA2"]
