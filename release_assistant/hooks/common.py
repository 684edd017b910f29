"""What every hook shares: arguments, loading the repository, running checks, printing.

Output follows pre-commit's convention: one ``path:line: CODE message`` line per finding,
with the fix on an indented line below; nothing at all when the check passes (warnings are
printed but do not fail). Exit codes: ``0`` nothing blocks the commit, ``1`` a blocking check
failed, ``2`` usage or configuration error (one line on stderr, never a traceback), ``3`` our
own bug (one line asking for a report; the traceback is kept in a file), as
:func:`~release_assistant.core.support.errors.exit_code_for` maps every error.

A hook run should cost little more than starting Python, so this module imports only the
standard library at import time; the core is imported by :func:`run_hook`, with the garbage
collector paused (see there), and argparse only for ``--help`` and unusual arguments.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NoReturn

from release_assistant.core.support.errors import (
    ExitCode,
    LocatedError,
    StepFailed,
    UsageError,
    exit_code_for,
)

if TYPE_CHECKING:
    import argparse

    from release_assistant.core.findings import CheckResult, Finding
    from release_assistant.core.support.textfiles import StrPath


def build_parser(hook_id: str, description: str) -> argparse.ArgumentParser:
    """The arguments every hook takes: the file names pre-commit passes, and ``--repo``.

    Usage errors raise :class:`UsageError` (one line, exit 2) instead of a usage dump.
    """
    import argparse

    class OneLineParser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            raise UsageError(f"{message} (see --help)")

    parser = OneLineParser(prog=hook_id, description=description)
    parser.add_argument(
        "filenames",
        nargs="*",
        help="files pre-commit passes; accepted and ignored, because the hook checks the "
        "repository as a whole (the manifest sets pass_filenames: false)",
    )
    parser.add_argument(
        "--repo",
        default=".",
        metavar="DIR",
        help="the project root holding pyproject.toml (default: the current directory, "
        "which pre-commit sets to the repository root)",
    )
    return parser


def parse_repo(hook_id: str, description: str, argv: Sequence[str]) -> str:
    """The ``--repo`` directory from the hook's arguments.

    The forms pre-commit and people use (no arguments, file names, ``--repo DIR`` or
    ``--repo=DIR`` once) are read by :func:`simple_repo` and argparse is not even imported:
    on this path it would cost about as much as the check itself. Anything else (``--help``,
    an unknown or abbreviated option, ``--``) goes to argparse, for its answer or its error.
    """
    repo = simple_repo(argv)
    if repo is not None:
        return repo
    parsed: str = build_parser(hook_id, description).parse_args(argv).repo
    return parsed


def simple_repo(argv: Sequence[str]) -> str | None:
    """The ``--repo`` value argparse would give for ``argv`` when ``argv`` holds only file
    names (in one run, before or after the option, as argparse wants them) and at most one
    ``--repo DIR`` / ``--repo=DIR`` (``"."`` without it); ``None`` for anything else, left
    to argparse (a value starting with ``-`` too, which argparse reads as an option)."""
    repo: str | None = None
    names_before = False  # file names before --repo: argparse then refuses any after it
    index = 0
    while index < len(argv):
        arg = argv[index]
        if not arg.startswith("-"):
            if repo is None:
                names_before = True
            elif names_before:
                return None
        elif repo is not None:
            return None
        elif arg.startswith("--repo="):
            repo = arg.removeprefix("--repo=")
        elif arg == "--repo" and index + 1 < len(argv) and not argv[index + 1].startswith("-"):
            index += 1
            repo = argv[index]
        else:
            return None
        index += 1
    return "." if repo is None else repo


def run_hook(
    hook_id: str,
    description: str,
    checks: Iterable[str],
    argv: Sequence[str] | None = None,
    quick: Callable[[str], bool] | None = None,
) -> int:
    """Run ``checks`` (check ids) for one hook, print the findings, and return the exit code.

    Each check runs as its hook variant (``hook_variant`` in the check table). ``quick``, when
    given, is asked first (with the repository directory) whether the hook has nothing to
    report, without loading the repository's context: ``True`` ends the run with exit 0 and
    no output; ``False`` or an exception takes the full path, which gives the verdict.

    The garbage collector is paused for the run: a hook process lives for one commit and
    makes few reference cycles, so collections triggered by the allocations of importing
    the core are pure cost (about a tenth of a hook's wall time). It is re-enabled before
    returning, for callers that run a hook in-process (they pass ``argv``). Run as a program
    (``argv`` is ``None``), the interpreter exits next, and its final collection would walk
    every object the run made (a quarter of the run on a 10,000-section changelog):
    ``gc.freeze()`` lets it skip them, since nothing is left to collect.
    """
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        arguments = sys.argv[1:] if argv is None else argv
        return _run_hook(hook_id, description, checks, arguments, quick)
    finally:
        if argv is None:
            gc.freeze()
        if collecting:
            gc.enable()


def _run_hook(
    hook_id: str,
    description: str,
    checks: Iterable[str],
    argv: Sequence[str],
    quick: Callable[[str], bool] | None = None,
) -> int:
    repo: str | None = None
    try:
        repo = parse_repo(hook_id, description, argv)
        if not os.path.isdir(repo):
            raise UsageError(f"--repo {repo!r}: not a directory")
        if quick is not None and _passes_quickly(quick, repo):
            return ExitCode.OK
        results = run_checks(repo, checks)
        shown = render(results)
        if shown:  # nothing to mask in silence: a passing hook never loads core.redact
            from release_assistant.core.redact import redact

            sys.stdout.write(redact(shown))
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except Exception as error:  # never a traceback on a commit
        return _fail(hook_id, error, repo if repo is not None and os.path.isdir(repo) else None)
    return ExitCode.FAILED if any(result.blocks_release for result in results) else ExitCode.OK


def _passes_quickly(quick: Callable[[str], bool], repo: str) -> bool:
    """``quick(repo)``; ``False`` when it raises: the full run that follows reports the
    problem (a malformed file, a bug) with its one line and exit code."""
    try:
        return quick(repo)
    except Exception:  # reported by the full run, not here
        return False


def run_checks(root: StrPath, checks: Iterable[str]) -> list[CheckResult]:
    """Load the repository at ``root`` and run each check (its hook variant) through the engine.

    Going through :func:`~release_assistant.core.engine.run_check` keeps the config
    switches (``enabled``, ``blocking``), ``ignore`` and the turning of a crash into an
    ``error`` result exactly as ``release-assistant check`` has them. Raises
    :class:`UsageError` for malformed configuration, an unknown check or one no hook runs.
    """
    from release_assistant.core.context import RepoContext, relative_path
    from release_assistant.core.engine import run_check, spec_for

    try:
        ctx = RepoContext.load(root)
    except LocatedError as error:
        where = relative_path(error.path or "", os.path.realpath(root))
        if error.line is not None:
            where = f"{where}:{error.line}"
        raise UsageError(f"{where}: {error.message}") from None
    results = []
    for check_id in checks:
        try:
            spec = spec_for(check_id).for_hook()
        except LookupError:  # KeyError too: a check this version does not have
            raise UsageError(
                f"this release-assistant has no {check_id!r} check; use a newer rev"
            ) from None
        results.append(run_check(spec, ctx))
    from release_assistant.core.suppressions import one_judgement_per_comment

    return one_judgement_per_comment(results)


def render(results: Iterable[CheckResult]) -> str:
    """Findings as pre-commit style lines; empty when every check passed or was skipped."""
    from release_assistant.core.findings import Status

    lines: list[str] = []
    for result in results:
        if result.status in (Status.PASS, Status.SKIP):
            continue
        for finding in result.findings:
            lines.append(format_finding(finding))
            if finding.hint:
                lines.append(f"    fix: {finding.hint}")
        if result.status is Status.ERROR and not result.findings:
            lines.append(f"{result.id}: the check could not run: {result.reason}")
        if result.status is Status.FAIL and not result.blocking:
            lines.append(f"({result.id} is non-blocking in [tool.release-assistant]: not failing)")
    return "".join(f"{line}\n" for line in lines)


def format_finding(finding: Finding) -> str:
    """``path:line: CODE message``; warnings and notes say so after the code."""
    from release_assistant.core.findings import Severity

    where = finding.location()
    prefix = f"{where}: " if where else ""
    severity = "" if finding.severity is Severity.ERROR else f"[{finding.severity.value}] "
    return f"{prefix}{finding.code} {severity}{finding.message}"


def _fail(hook_id: str, error: Exception, repo: str | None) -> int:
    """Print the one line for ``error`` and return its exit code; a bug of ours keeps its
    traceback in a file (under ``repo``'s state directory when there is one)."""
    from release_assistant.core.redact import redact

    exit_code = exit_code_for(error)
    if exit_code is ExitCode.INTERNAL:
        if os.environ.get("RELEASE_ASSISTANT_DEBUG"):
            raise error
        from release_assistant.core.report.crash import report_crash

        line = report_crash(error, repo).line
    else:
        line = f"{'refused' if isinstance(error, StepFailed) else 'error'}: {error}"
    print(redact(f"{hook_id}: {line}"), file=sys.stderr)
    return exit_code
