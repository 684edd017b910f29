"""The README's "Run the checks as a job in your release workflow" stays valid: its job,
added to the workflow ``workflow init`` writes (and needed by the publish jobs), passes our own
``workflow`` check with no new finding, and its command line is one our CLI accepts."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from release_assistant.cli.main import build_parser, main
from release_assistant.core.context import RepoContext
from release_assistant.core.engine import run_check, spec_for
from release_assistant.core.findings import Severity
from release_assistant.core.workflows.workflow import parse_yaml
from tests.github_support import github_repo

README = Path(__file__).resolve().parent.parent / "README.md"
SECTION = "## Run the checks as a job in your release workflow"
WORKFLOW = ".github/workflows/release.yml"


def section_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    assert SECTION in text
    body = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```yaml\n(.*?)```", body, flags=re.DOTALL)


def findings(root: Path) -> tuple[list[str], set[str]]:
    result = run_check(spec_for("workflow"), RepoContext.load(root))
    errors = [f"{f.code}: {f.message}" for f in result.findings if f.severity is Severity.ERROR]
    warnings = {f.code for f in result.findings if f.severity is Severity.WARNING}
    return errors, warnings


def test_the_readme_job_passes_the_workflow_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    job, needs = section_blocks()
    parsed = parse_yaml("jobs:\n" + job, "README.md").data
    (job_id,) = parsed["jobs"]
    steps = parsed["jobs"][job_id]["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    assert any(str(s.get("uses", "")).startswith("actions/setup-python@") for s in steps)
    runs = [s["run"] for s in steps if "run" in s]
    assert any("pip install release-assistant" in r for r in runs)
    (command,) = [r for r in runs if r.startswith("release-assistant check")]
    assert "--format github" in command and "--strict" in command
    # Our own parser accepts exactly that command line.
    args = build_parser().parse_args(shlex.split(command.replace('"$TAG"', "v0.1.1"))[1:])
    assert (args.command, args.format, args.strict) == ("check", "github", True)
    assert job_id in parse_yaml(needs.strip(), "README.md").data["needs"]

    root, _ = github_repo(tmp_path)
    baseline_errors, baseline_warnings = findings(root)
    assert baseline_errors == []
    path = root / WORKFLOW
    template = path.read_text(encoding="utf-8")
    # The TestPyPI job needs the build; the PyPI job needs the build and the TestPyPI job.
    assert template.count("    needs: [build]\n") == 1
    assert template.count("    needs: [build, publish-testpypi]\n") == 1
    edited = (
        template.replace("jobs:\n", "jobs:\n" + job, 1)
        .replace("    needs: [build]\n", needs.lstrip("\n"), 1)
        .replace(
            "    needs: [build, publish-testpypi]\n",
            f"    needs: [build, publish-testpypi, {job_id}]\n",
            1,
        )
    )
    path.write_text(edited, encoding="utf-8")
    errors, warnings = findings(root)
    assert errors == []
    assert warnings <= baseline_warnings
    assert job_id in RepoContext.load(root).workflows.primary.workflow.jobs  # type: ignore[union-attr]
    # And the command passes on a release that is in order (as the run would see it).
    for name in ("GH_TOKEN", "GITHUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    code = main([*shlex.split(command.replace('"$TAG"', "v0.1.1"))[1:], "--repo", str(root)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "::error" not in out
