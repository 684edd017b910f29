"""Run ``release-assistant check --format json`` over checked-out repositories; print a table.

The precision benchmark: our fixtures are ours, users' repositories are not. Point it at
clones of real projects (never commit them) and read every ``fail``: would the maintainer
agree? Each row shows the exit code, every check's status, and the finding codes by
severity (``RA504x3`` = three findings of RA504); ``--details`` prints each blocking finding
below its row, so a wrong verdict can be judged without re-running.

    python benchmarks/corpus.py DIR [DIR ...] [--only workflow,publisher] [--tag-from-version]
        [--details] [--json OUT]

``--tag-from-version`` passes ``--tag`` = the project's own version (as ``check`` without a
tag would derive it) to exercise the release path. Exit code 0 when every run produced a
report (a crash or a usage error is exit 1), whatever the verdicts: the table is the result.

``--replay`` judges the last release that really happened: for each checkout (a work tree or
a bare mirror) it finds the newest release tag (the highest PEP 440 version among the tags
of the tag format ``check`` infers), clones the checkout into a temporary folder (the given
one is never touched), checks the tag out there and runs ``check --tag <tag> --skip git,ci
--format json``; every error is listed with its code. That release reached the index, so
each error it shows is a claim to judge by hand: a true finding about that release, or a
false one (a bug).

    python benchmarks/corpus.py --replay DIR [DIR ...] [--json OUT]
    python benchmarks/corpus.py --replay --corpus benchmarks/corpus.txt --checkouts DIR

The projects the corpus is judged on are listed, by name only (``OWNER/NAME``), in
``benchmarks/corpus.txt``; their files are never committed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

STATUS_MARK = {"pass": "ok", "fail": "FAIL", "warn": "warn", "skip": "-", "error": "ERR"}


#: Where a replay asks the index whether the version exists: a loopback port nothing listens
#: on. The replayed version is on the index by definition (RA716 would be a tautology), and a
#: corpus run sends nothing to the real index.
UNREACHABLE_INDEX = "http://127.0.0.1:9"


def run_one(
    repo: Path,
    only: str | None,
    tag: str | None,
    skip: str | None = None,
    index_url: str | None = None,
) -> tuple[int, dict[str, object] | None, str, float]:
    """One ``check --format json`` run: exit code, parsed report (or ``None``), stderr, seconds.

    ``index_url`` overrides the index API the ``publisher`` check asks."""
    command = [sys.executable, "-m", "release_assistant", "check", "--repo", str(repo)]
    command += ["--format", "json"]
    if only:
        command += ["--only", only]
    if skip:
        command += ["--skip", skip]
    if tag:
        command += ["--tag", tag]
    environ = dict(os.environ)
    if index_url is not None:
        environ["RELEASE_ASSISTANT_INDEX_API_URL"] = index_url
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, timeout=300, env=environ)
    elapsed = time.perf_counter() - started
    try:
        report = json.loads(completed.stdout) if completed.stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    return completed.returncode, report, completed.stderr.strip(), elapsed


def codes_summary(report: dict[str, object]) -> str:
    """``RA504x3(e) RA631(w)``: finding codes with counts, error/warning/info marked."""
    counts: Counter[tuple[str, str]] = Counter()
    checks = report.get("checks", [])
    assert isinstance(checks, list)
    for check in checks:
        for finding in check["findings"]:
            counts[(finding["code"], finding["severity"][0])] += 1
    return " ".join(
        f"{code}{'x' + str(n) if n > 1 else ''}({sev})" for (code, sev), n in sorted(counts.items())
    )


def statuses(report: dict[str, object]) -> str:
    """``version:ok changelog:FAIL ...`` for the checks that ran."""
    checks = report.get("checks", [])
    assert isinstance(checks, list)
    return " ".join(f"{c['id']}:{STATUS_MARK.get(c['status'], c['status'])}" for c in checks)


def blocking_details(report: dict[str, object]) -> list[str]:
    """Each error finding of a failed check: ``check CODE path:line message``."""
    lines = []
    checks = report.get("checks", [])
    assert isinstance(checks, list)
    for check in checks:
        for finding in check["findings"]:
            if finding["severity"] != "error":
                continue
            where = finding.get("path") or ""
            if finding.get("line"):
                where += f":{finding['line']}"
            lines.append(f"    {check['id']} {finding['code']} {where} {finding['message'][:160]}")
    return lines


def project_version(repo: Path) -> str | None:
    """The version ``check`` derives without a tag (from a quick ``--only version`` run)."""
    _, report, _, _ = run_one(repo, "version", None)
    version = report.get("version") if report else None
    return version if isinstance(version, str) else None


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(cwd), "-c", "core.fsmonitor=false", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def _project_names(repo: Path) -> list[str]:
    """The distribution name in the checkout's root ``pyproject.toml`` (for the tag format
    of a repository that tags several packages: ``hatch-v1.2.3``)."""
    from release_assistant.core.support.toml_lines import tomllib

    shown = _git(repo, "show", "HEAD:pyproject.toml")
    if shown.returncode != 0:
        return []
    try:
        name = tomllib.loads(shown.stdout).get("project", {}).get("name")
    except tomllib.TOMLDecodeError:
        return []
    return [re.sub(r"[-_.]+", "-", name.lower())] if isinstance(name, str) else []


def _names_the_package(tag_format: str, name: str) -> bool:
    """The format's prefix is the name and a separator (``name-v``, ``name==``, ``name@``),
    or names no package at all (``v``)."""
    prefix = re.sub(r"[-_.]+", "-", tag_format.partition("{version}")[0].lower())
    if not prefix.startswith(name):
        return True
    return prefix[len(name) :] in ("-", "-v", "==", "@", "/", "/v", "@v")


def newest_release_tag(repo: Path) -> str | None:
    """The tag of the newest release in ``repo``: among the tags of the format ``check``
    infers (``v{version}``, ``{version}``, ``name-v{version}``), the highest PEP 440 final
    release, or a higher pre-release tagged after it (an old ``4.0.0a1`` tag left above
    years of 3.x releases is not the newest release). Development tags (``9.2.0.dev0``,
    which mark where development starts) are no releases. ``None``: no tag names one."""
    from release_assistant.core.project.tags import infer_tag_format, tag_pattern
    from release_assistant.core.project.version_files import parse_version

    listed = _git(
        repo, "for-each-ref", "--format=%(refname:short) %(creatordate:unix)", "refs/tags"
    )
    dated: dict[str, int] = {}
    for line in listed.stdout.splitlines() if listed.returncode == 0 else []:
        tag, _, stamp = line.rpartition(" ")
        dated[tag] = int(stamp) if stamp.isdigit() else 0
    names = _project_names(repo)
    inferred = infer_tag_format(dated, names)
    if inferred is not None and names and not _names_the_package(inferred.format, names[0]):
        # `jupyterlab-example-terminal@{version}` only starts with the name: another package.
        inferred = infer_tag_format(dated)
    if inferred is None:
        return None
    pattern = tag_pattern(inferred.format)
    versions = []
    for tag in dated:
        match = pattern.match(tag)
        version = parse_version(match.group("version")) if match else None
        if version is not None and not version.is_devrelease:
            versions.append((version, tag))
    if not versions:
        return None
    finals = [entry for entry in versions if not entry[0].is_prerelease]
    if not finals:
        return max(versions)[1]
    final_version, final_tag = max(finals)
    later = [
        entry
        for entry in versions
        if entry[0] > final_version and dated[entry[1]] >= dated[final_tag]
    ]
    return max(later)[1] if later else final_tag


def replay_one(
    repo: Path, only: str | None
) -> tuple[str | None, int, dict[str, object] | None, str, float]:
    """Check the newest release of ``repo`` at its tag, in a temporary clone: the tag, then
    what :func:`run_one` returns (exit code 1 and the reason when there is nothing to run)."""
    tag = newest_release_tag(repo)
    if tag is None:
        return None, 1, None, "no tag names a version", 0.0
    with tempfile.TemporaryDirectory(prefix="corpus-replay-") as folder:
        clone = Path(folder) / repo.name
        cloned = subprocess.run(
            ["git", "clone", "-q", "--no-checkout", str(repo), str(clone)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if cloned.returncode != 0:
            return tag, 1, None, f"clone failed: {cloned.stderr.strip()[:200]}", 0.0
        checked_out = _git(clone, "checkout", "-q", "--detach", f"refs/tags/{tag}")
        if checked_out.returncode != 0:
            return tag, 1, None, f"checkout failed: {checked_out.stderr.strip()[:200]}", 0.0
        code, report, stderr, elapsed = run_one(
            clone, only, tag, skip="git,ci", index_url=UNREACHABLE_INDEX
        )
    return tag, code, report, stderr, elapsed


def error_findings(report: dict[str, object]) -> list[tuple[str, str, str]]:
    """Every error of the report: ``(code, where, message)``."""
    found = []
    checks = report.get("checks", [])
    assert isinstance(checks, list)
    for check in checks:
        for finding in check["findings"]:
            if finding["severity"] != "error":
                continue
            where = finding.get("path") or ""
            if finding.get("line"):
                where += f":{finding['line']}"
            found.append((finding["code"], where, finding["message"]))
    return found


def display_name(repo: Path) -> str:
    """The checkout's name; for a mirror laid out ``OWNER+NAME/repo``, ``OWNER+NAME``."""
    return repo.parent.name if repo.name == "repo" else repo.name


def replay_main(repos: list[Path], only: str | None, json_out: Path | None) -> int:
    """``--replay``: one row per checkout (its newest release tag, exit code, error codes),
    every error below its row."""
    collected: dict[str, object] = {}
    broken = blocked = 0
    width = max(len(display_name(repo)) for repo in repos)
    print(f"{'repository':<{width}}  {'tag':<14} exit  {'time':>6}  errors")
    for repo in repos:
        name = display_name(repo)
        tag, code, report, stderr, elapsed = replay_one(repo, only)
        if report is None:
            broken += 1
            print(
                f"{name:<{width}}  {tag or '-':<14} {code:>4}  {elapsed:5.2f}s  no report: "
                f"{stderr[:200]}"
            )
            continue
        collected[os.fspath(repo)] = {"tag": tag, "report": report}
        errors = error_findings(report)
        blocked += not report.get("ok")
        codes = Counter(code for code, _, _ in errors)
        summary = " ".join(f"{c}{'x' + str(n) if n > 1 else ''}" for c, n in sorted(codes.items()))
        print(f"{name:<{width}}  {tag:<14} {code:>4}  {elapsed:5.2f}s  {summary or '-'}")
        for error_code, where, message in errors:
            print(f"    {error_code} {where} {message[:200]}")
    print(f"\n{len(collected)} releases replayed, {blocked} blocked, {broken} without a report")
    if json_out:
        json_out.write_text(json.dumps(collected, indent=2) + "\n", encoding="utf-8")
    return 1 if broken else 0


def corpus_names(path: Path) -> list[str]:
    """The ``OWNER/NAME`` entries of a corpus list (``#`` starts a comment)."""
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            names.append(entry)
    return names


def find_checkouts(names: list[str], folder: Path) -> tuple[list[Path], list[str]]:
    """Each name's checkout in ``folder`` (``OWNER+NAME``, or ``OWNER+NAME/repo`` for a bare
    mirror), and the names without one."""
    found: list[Path] = []
    missing: list[str] = []
    for name in names:
        base = folder / name.replace("/", "+")
        candidate = base / "repo" if (base / "repo").is_dir() else base
        if candidate.is_dir():
            found.append(candidate)
        else:
            missing.append(name)
    return found, missing


def main(argv: Sequence[str] | None = None) -> int:
    """Run the corpus and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repos", nargs="*", type=Path, help="checked-out repositories")
    parser.add_argument("--corpus", type=Path, help="a list of OWNER/NAME (benchmarks/corpus.txt)")
    parser.add_argument("--checkouts", type=Path, help="where the --corpus checkouts are")
    parser.add_argument("--only", help="comma-separated check ids (default: all)")
    parser.add_argument("--tag-from-version", action="store_true")
    parser.add_argument(
        "--replay", action="store_true", help="check each checkout's newest release at its tag"
    )
    parser.add_argument("--details", action="store_true", help="print every blocking finding")
    parser.add_argument("--json", type=Path, help="also write every report to this file")
    args = parser.parse_args(argv)
    if args.corpus is not None:
        if args.checkouts is None:
            parser.error("--corpus needs --checkouts DIR")
        found, missing = find_checkouts(corpus_names(args.corpus), args.checkouts)
        args.repos = [*args.repos, *found]
        if missing:
            print(f"not checked out ({len(missing)}): {' '.join(missing)}\n")
    if not args.repos:
        parser.error("no repositories: give DIR... or --corpus FILE --checkouts DIR")
    if args.replay:
        return replay_main(args.repos, args.only, args.json)

    rows = []
    collected: dict[str, object] = {}
    broken = 0
    width = max(len(repo.name) for repo in args.repos)
    print(f"{'repository':<{width}}  exit  {'time':>6}  statuses | codes")
    for repo in args.repos:
        tag = None
        if args.tag_from_version:
            version = project_version(repo)
            tag = version and f"v{version}"
        code, report, stderr, elapsed = run_one(repo, args.only, tag)
        if report is None:
            broken += 1
            line = f"{repo.name:<{width}}  {code:>4}  {elapsed:5.2f}s  no report: {stderr[:200]}"
            print(line)
            continue
        collected[os.fspath(repo)] = report
        line = (
            f"{repo.name:<{width}}  {code:>4}  {elapsed:5.2f}s  {statuses(report)} | "
            f"{codes_summary(report)}"
        )
        print(line)
        rows.append(line)
        if args.details:
            for detail in blocking_details(report):
                print(detail)
    blocked = sum(1 for r in collected.values() if isinstance(r, dict) and not r.get("ok"))
    print(f"\n{len(collected)} reports, {blocked} say 'release blocked', {broken} without a report")
    if args.json:
        args.json.write_text(json.dumps(collected, indent=2) + "\n", encoding="utf-8")
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
