"""Golden outputs of ``release-assistant check``: each fixture repository of
``tests/data/golden/<case>/`` in every output format, compared byte for byte after
``normalize_check_output``. ``UPDATE_GOLDEN=1`` rewrites the golden files (see the README there).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from release_assistant.cli import main
from release_assistant.core.urls import INDEX_API_URL_VARIABLE
from tests.conftest import RepoFactory
from tests.support import GOLDEN, assert_golden, golden_case_files, normalize_check_output

#: A loopback port nothing listens on: the index question, if asked, never leaves the machine.
UNREACHABLE_INDEX = "http://127.0.0.1:9"

#: Each case: the tag under release and the exit code ``check`` gives.
CASES: dict[str, tuple[str, int]] = {
    "seed": ("v0.1.1", 0),
    "token-publish": ("v0.1.1", 1),
    "stale-changelog": ("v0.1.2", 1),
}

#: ``check --format`` choices; "markdown" is the ``--report-dir`` report's .md file.
FORMATS = ("text", "json", "sarif", "github", "markdown")


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_check_output_matches_golden(
    case: str,
    output_format: str,
    make_repo: RepoFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(INDEX_API_URL_VARIABLE, UNREACHABLE_INDEX)
    monkeypatch.setenv("NO_COLOR", "1")
    repo = make_repo(dict(golden_case_files(case)), name="repo")
    tag, exit_code = CASES[case]
    argv = ["check", "--repo", str(repo), "--tag", tag, "--skip", "ci", "--color", "never"]
    report_dir = tmp_path / "report"
    if output_format == "markdown":
        argv += ["--format", "text", "--report-dir", str(report_dir)]
    else:
        argv += ["--format", output_format]

    code = main(argv)
    captured = capsys.readouterr()

    assert code == exit_code, captured.out + captured.err
    assert captured.err == ""
    if output_format == "markdown":
        output = (report_dir / "verification-report.md").read_text(encoding="utf-8")
    else:
        output = captured.out
    actual = normalize_check_output(output, output_format, repo)
    assert_golden(actual, GOLDEN / case / f"expected.{output_format}")


def test_golden_files_are_all_compared() -> None:
    """Every golden file belongs to a case and a format above: none is left unchecked."""
    expected = {f"{case}/expected.{fmt}" for case in CASES for fmt in FORMATS}
    present = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.glob("*/expected.*")}
    assert present == expected
