"""The index's answer judged: the release's files against the expectation, their
attestations' publisher, and the watch's outcome as plain lines (:func:`result_lines`).
"""

from __future__ import annotations

from typing import Any

from release_assistant.core.release.watch.target import (
    ExpectedFiles,
    IndexFile,
    WatchResult,
    WatchTarget,
)


def judge_files(page: Any, expected: ExpectedFiles) -> tuple[list[IndexFile], list[str], list[str]]:
    """The release's files on the index, what is wrong with them, and notes."""
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    urls = page.get("urls") if isinstance(page, dict) else None
    files = [
        IndexFile(str(entry.get("filename")), str(entry.get("packagetype")))
        for entry in (urls if isinstance(urls, list) else [])
        if isinstance(entry, dict) and isinstance(entry.get("filename"), str)
    ]
    problems: list[str] = []
    notes: list[str] = [f"expected {expected.describe()}"]
    yanked = [
        str(entry.get("filename"))
        for entry in (urls if isinstance(urls, list) else [])
        if isinstance(entry, dict) and entry.get("yanked")
    ]
    if yanked:
        problems.append(f"yanked: {', '.join(yanked)}")
    sdists = [f.filename for f in files if f.packagetype == "sdist"]
    wheels = [f.filename for f in files if f.packagetype == "bdist_wheel"]
    if len(sdists) != 1:
        problems.append("no sdist" if not sdists else f"{len(sdists)} sdists: {', '.join(sdists)}")
    if expected.wheels:
        missing = sorted(set(expected.wheels) - set(wheels))
        extra = sorted(set(wheels) - set(expected.wheels))
        if missing:
            problems.append(f"missing wheel(s): {', '.join(missing)}")
        if extra:
            notes.append(f"wheels not in dist/ here (built by CI): {', '.join(extra)}")
    elif not wheels:
        problems.append("no wheel")
    elif expected.pure:
        impure = []
        for wheel in wheels:
            try:
                tags = parse_wheel_filename(wheel)[3]
            except InvalidWheelFilename:
                impure.append(wheel)
                continue
            if not all(tag.abi == "none" and tag.platform == "any" for tag in tags):
                impure.append(wheel)
        if impure:
            problems.append(f"not a pure-Python wheel as expected: {', '.join(impure)}")
        elif len(wheels) > 1:
            notes.append(f"{len(wheels)} pure-Python wheels: {', '.join(wheels)}")
    return files, problems, notes


def publisher_of(answer: Any) -> str | None:
    """``kind owner/repo workflow (environment)`` of a provenance answer's first bundle;
    ``None`` when there is none (404, or no bundle)."""
    bundles = answer.get("attestation_bundles") if isinstance(answer, dict) else None
    if not isinstance(bundles, list) or not bundles:
        return None
    publisher = bundles[0].get("publisher") if isinstance(bundles[0], dict) else None
    if not isinstance(publisher, dict):
        return ""
    parts = [
        str(publisher.get(key)) for key in ("kind", "repository", "workflow") if publisher.get(key)
    ]
    if publisher.get("environment"):
        parts.append(f"(environment {publisher['environment']})")
    return " ".join(parts)


def attestation_problems(files: list[IndexFile], target: WatchTarget) -> list[str]:
    """A file attested by another repository than the one released from is a problem."""
    slug = f"{target.owner}/{target.repository}".lower()
    return [
        f"{file.filename} is attested by {file.attested_by}, not by {slug}"
        for file in files
        if file.attested_by
        and len(file.attested_by.split()) > 1
        and file.attested_by.split()[1].lower() != slug
    ]


def attestation_notes(files: list[IndexFile]) -> list[str]:
    """How many files carry attestations, by whom."""
    attested = [file for file in files if file.attested_by is not None]
    if not files:
        return []
    if not attested:
        return [
            "no attestations published (pypa/gh-action-pypi-publish >= 1.11 attests with "
            "trusted publishing by default)"
        ]
    publishers = sorted({file.attested_by or "an unnamed publisher" for file in attested})
    return [f"attestations: {len(attested)} of {len(files)} file(s), by {'; '.join(publishers)}"]


def result_lines(result: WatchResult) -> list[str]:
    """The outcome as plain lines (the CLI prints them, the walkthrough shows them): the
    verdict, each failed job's log tail, the fix of each known publish error from the rule
    registry, the files with their attestations, the notes. Every line is safe to print:
    the remote text in it (log lines, job names, file names) has its terminal control
    characters made visible."""
    from release_assistant.core.rules import explain
    from release_assistant.core.support.terminal import safe_terminal_text

    lines = [("✔ " if result.ok else "✘ ") + result.summary]
    for job in result.failed_jobs:
        lines.append(f"job {job.name} ({job.conclusion})" + (f": {job.url}" if job.url else ""))
        if job.log_problem:
            lines.append(f"  {job.log_problem}")
        if job.log_tail:
            lines.append(f"  last {len(job.log_tail)} line(s) of its log:")
            lines += [f"  | {line}" for line in job.log_tail]
    for code in result.symptoms:
        rule = explain(code)
        if rule is None:
            continue
        lines += ["", f"known publish error {code}: {rule.title}", "fix:"]
        lines += [f"  {line}" for line in rule.fix.splitlines()]
        more = f"more: release-assistant explain {code}"
        lines.append(f"{more} · {rule.docs}" if rule.docs else more)
    if result.failed_jobs and not result.symptoms:
        lines.append(
            "no known publish error in the log (release-assistant explain --list names them)"
        )
    for file in result.files:
        attested = (
            "no attestation"
            if file.attested_by is None
            else f"attested by {file.attested_by or 'an unnamed publisher'}"
        )
        lines.append(f"  {file.packagetype:<11} {file.filename}  ({attested})")
    lines += [f"note: {note}" for note in result.notes]
    if result.run_url and not result.ok:
        lines.append(f"run: {result.run_url}")
    return [safe_terminal_text(line) for line in lines]
