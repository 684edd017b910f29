"""zizmor's security audits of the publishing workflows, folded into the ``workflow`` check.

zizmor (the GitHub Actions security linter) finds what our structural rules do not look
for: template injection, cache poisoning in a release workflow, secrets in container
credentials, ``GITHUB_ENV`` writes, and more. It is an optional extra
(``pip install 'release-assistant[audit]'``); when its executable is on ``PATH`` or beside
the running Python, the check runs it **offline** (``--offline``, no GitHub token in its
environment, a timeout) on the workflows that publish, and reports each of its findings as
``RA690`` with zizmor's audit id kept (``external_id = "zizmor/template-injection"``, and in
the message), its file and line, and a severity mapped by :func:`severity_for`.

Severity: our precision rule keeps ``error`` for a concrete way the release publishes the
wrong thing or leaks a credential. zizmor rates how bad (``severity``) and how sure
(``confidence``) it is for any workflow, not for the release path: it rates
``${{ github.ref_name }}`` in a ``run:`` of a tag-push workflow high/high (measured on
pdm's release workflow), yet only maintainers can push that tag. In a workflow our trigger
rules pass, the events that run it need write access (a release, a tag push, a manual
run), and where outsiders can fire it ``RA606``/``RA607`` already are the errors. So a
zizmor finding is an ``error`` only when it is a credential written into the workflow
(``hardcoded-container-credentials``); other high and medium findings (template
injection, cache poisoning, ...) are hardening: ``warning``; low and informational ones:
``info``.

No duplicates: zizmor audits that one of our rules owns are dropped, because ours already
reports them with the precision (and the configuration) of this tool: ``unpinned-uses``
(``RA631``, which honours ``unpinned_allowed_owners``), ``artipacked`` (``RA630``),
``dangerous-triggers`` (``RA606``), ``use-trusted-publishing`` (``RA626``). An
``excessive-permissions`` finding on a line where we report ``RA621``/``RA622`` is dropped
too.

Without zizmor: one ``RA691`` info line says how to get the audits. zizmor failing, timing
out or printing something that is not its JSON: one ``RA692`` warning naming zizmor; never
a crash. ``RELEASE_ASSISTANT_ZIZMOR`` picks the executable (a path), or turns the audits
off without a word (``off``).

Cost: zizmor starts in about 60 ms for one workflow (measured: 57-82 ms on the development
machine, where the whole ``check-release-workflow`` hook takes 70 ms), so the pre-commit
hook does not run it (``workflow.run_without_audits``); ``check``, ``report`` and the
walkthrough do.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.rules.workflow import (
    CHECKOUT_PERSISTS_TOKEN,
    DANGEROUS_TRIGGER,
    ID_TOKEN_ON_NON_PUBLISHING_JOB,
    TOKEN_PUBLISHING,
    UNPINNED_ACTION,
    WORKFLOW_WIDE_ID_TOKEN,
    ZIZMOR_DID_NOT_RUN,
    ZIZMOR_FAILED,
    ZIZMOR_FINDING,
)
from release_assistant.core.support.errors import StepFailed

#: Seconds zizmor may take before it is given up on (offline it needs well under one).
TIMEOUT_S = 30.0
#: The most workflow text zizmor is given in one run. Its memory grows with the text (3.4 GB
#: on a 29 MB workflow of 3,000 densely needing jobs) and real workflows are a few KB: a
#: larger set is not audited (RA692), so the check stays bounded.
MAX_AUDITED_BYTES = 2 * 1024 * 1024
ENV_VAR = "RELEASE_ASSISTANT_ZIZMOR"
INSTALL_HINT = "pip install 'release-assistant[audit]'"

#: zizmor audits one of our rules already reports: ``ident -> our code``.
COVERED: Mapping[str, str] = {
    "unpinned-uses": UNPINNED_ACTION.code,
    "artipacked": CHECKOUT_PERSISTS_TOKEN.code,
    "dangerous-triggers": DANGEROUS_TRIGGER.code,
    "use-trusted-publishing": TOKEN_PUBLISHING.code,
}
#: zizmor audits dropped only where one of ours points at the same line.
SAME_LINE: Mapping[str, tuple[str, ...]] = {
    "excessive-permissions": (WORKFLOW_WIDE_ID_TOKEN.code, ID_TOKEN_ON_NON_PUBLISHING_JOB.code)
}
#: Environment variables zizmor would read a GitHub token from: never handed to it.
_TOKEN_VARS = ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")
_OFF = ("off", "none", "0", "false", "no")


class ZizmorProblem(StepFailed):
    """zizmor could not audit: it failed, timed out, or printed no JSON we can read."""


def find_zizmor(environ: Mapping[str, str], executable: str = sys.executable) -> str | None:
    """The zizmor executable: ``$RELEASE_ASSISTANT_ZIZMOR``, on ``PATH``, or beside Python.

    ``None`` when there is none, or when ``RELEASE_ASSISTANT_ZIZMOR=off``. A
    ``RELEASE_ASSISTANT_ZIZMOR`` path is returned as given (a missing one fails when run,
    and is reported as such, rather than silently skipping the audits it asked for).
    """
    chosen = environ.get(ENV_VAR, "").strip()
    if chosen:
        return None if chosen.lower() in _OFF else chosen
    found = shutil.which("zizmor", path=environ.get("PATH", ""))
    if found:
        return found
    beside = os.path.join(os.path.dirname(executable), "zizmor")
    for candidate in (beside, beside + ".exe"):
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def run_zizmor(
    zizmor: str,
    root: str,
    relpaths: Sequence[str],
    environ: Mapping[str, str],
    timeout: float = TIMEOUT_S,
) -> list[dict[str, Any]]:
    """zizmor's JSON findings for ``relpaths`` (relative to ``root``), run offline.

    A file that starts with a UTF-8 byte order mark (GitHub reads it; zizmor 1.32 takes the
    mark for a second YAML document and skips the file) is given to zizmor on stdin without
    the mark, and its findings are put back on its path. Raises :class:`ZizmorProblem` with
    one line saying what went wrong.
    """
    total = sum(_size(os.path.join(root, relpath)) for relpath in relpaths)
    if total > MAX_AUDITED_BYTES:
        raise ZizmorProblem(
            f"zizmor was not run: the workflows hold {total / 1_000_000:.1f} MB, over the "
            f"{MAX_AUDITED_BYTES // (1024 * 1024)} MiB it is given (its memory grows with them)"
        )
    env = {key: value for key, value in environ.items() if key not in _TOKEN_VARS}
    env.update({"NO_COLOR": "1", "RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"})
    plain: list[str] = []
    marked: list[tuple[str, bytes]] = []
    for relpath in relpaths:
        data = _bom_stripped(os.path.join(root, relpath))
        if data is None:
            plain.append(relpath)
        else:
            marked.append((relpath, data))
    found = _invoke(zizmor, root, plain, env, timeout) if plain else []
    for relpath, data in marked:
        for entry in _invoke(zizmor, root, ["-"], env, timeout, data):
            for location in entry.get("locations") or []:
                symbolic = location.get("symbolic") if isinstance(location, dict) else None
                if isinstance(symbolic, dict):
                    symbolic["key"] = {"Local": {"verbatim_path": relpath}}
            found.append(entry)
    return found


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # zizmor reports it; the workflow check already did


def _bom_stripped(path: str) -> bytes | None:
    """The file's bytes without its UTF-8 byte order mark; ``None`` when it has none."""
    from release_assistant.core.support.textfiles import FileProblem, read_bytes

    try:
        data = read_bytes(path, "a workflow")
    except FileProblem:
        return None  # zizmor reports it; the workflow check already did
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else None


def _invoke(
    zizmor: str,
    root: str,
    inputs: Sequence[str],
    env: Mapping[str, str],
    timeout: float,
    stdin: bytes | None = None,
) -> list[dict[str, Any]]:
    command = [
        zizmor,
        "--offline",
        "--format",
        "json",
        "--no-progress",
        "--color",
        "never",
        "--no-exit-codes",
        "--",  # the paths below are never options
        *inputs,
    ]
    try:
        done = subprocess.run(
            command,
            cwd=root,
            env=dict(env),
            input=stdin if stdin is not None else b"",
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ZizmorProblem(f"zizmor did not finish within {timeout:g} s") from None
    except OSError as exc:
        raise ZizmorProblem(f"zizmor could not be started ({zizmor}): {exc.strerror}") from None
    if done.returncode != 0:
        raise ZizmorProblem(
            f"zizmor failed (exit code {done.returncode}): {_complaint(done.stderr)}"
        )
    try:
        parsed = json.loads(done.stdout.decode("utf-8", "replace"))
    except ValueError:
        raise ZizmorProblem("zizmor printed something that is not JSON") from None
    if not isinstance(parsed, list) or not all(isinstance(item, dict) for item in parsed):
        raise ZizmorProblem("zizmor printed JSON that is not a list of findings")
    return parsed


def _complaint(stderr: bytes) -> str:
    """zizmor's own words: its first line that is not a progress or log line."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    meant = [
        line
        for line in lines
        if line and not line.startswith(("INFO", "DEBUG", "TRACE", "WARN", "Stack backtrace"))
    ]
    text = "; ".join(meant[:2]) if meant else "no message"
    return text if len(text) <= 300 else text[:297] + "..."


#: zizmor audits whose high-severity finding is a credential leaked by the file itself.
CREDENTIAL_LEAKS = frozenset({"hardcoded-container-credentials"})


def severity_for(ident: str, severity: str) -> Severity:
    """Our severity for a zizmor finding of audit ``ident`` rated ``severity`` by zizmor.

    zizmor's confidence is not used: it is about the expression, not about who can start
    the run (see the module docstring).
    """
    level = severity.lower()
    if ident in CREDENTIAL_LEAKS and level == "high":
        return Severity.ERROR
    if level in ("high", "medium"):
        return Severity.WARNING
    return Severity.INFO


def _primary(entry: Mapping[str, Any]) -> tuple[str, int, str] | None:
    """``(path, line, annotation)`` of a zizmor finding's primary location."""
    locations = entry.get("locations")
    if not isinstance(locations, list):
        return None
    for location in locations:
        symbolic = location.get("symbolic", {}) if isinstance(location, dict) else {}
        if symbolic.get("kind") != "Primary":
            continue
        key = symbolic.get("key", {})
        local = key.get("Local", {}) if isinstance(key, dict) else {}
        path = local.get("verbatim_path") or local.get("given_path")
        point = location.get("concrete", {}).get("location", {}).get("start_point", {})
        row = point.get("row")
        if not isinstance(path, str) or not isinstance(row, int):
            return None
        return path, row + 1, str(symbolic.get("annotation") or "")
    return None


def fold(entries: Iterable[Mapping[str, Any]], root: str, ours: Sequence[Finding]) -> list[Finding]:
    """zizmor's findings as ``RA690`` findings: mapped, located, without duplicates."""
    ours_at = {(f.path, f.line, f.code) for f in ours}
    seen: set[tuple[str, int, str]] = set()
    out: list[Finding] = []
    for entry in entries:
        ident = entry.get("ident")
        if not isinstance(ident, str) or entry.get("ignored") is True or ident in COVERED:
            continue
        where = _primary(entry)
        if where is None:
            continue
        path, line, annotation = where
        path = _relative(path, root)
        if any((path, line, code) in ours_at for code in SAME_LINE.get(ident, ())):
            continue
        if (path, line, ident) in seen:
            continue
        seen.add((path, line, ident))
        determinations = entry.get("determinations", {})
        severity = severity_for(ident, str(determinations.get("severity", "")))
        description = str(entry.get("desc") or ident)
        message = f"zizmor/{ident}: {description}" + (f" ({annotation})" if annotation else "")
        out.append(
            Finding(
                ZIZMOR_FINDING.code,
                message,
                severity,
                path,
                line,
                _hint(entry, ident),
                external_id=f"zizmor/{ident}",
            )
        )
    return _one_per_audit(out)


def _one_per_audit(findings: list[Finding]) -> list[Finding]:
    """One finding per file, audit and severity, with the count and the other lines.

    One root cause, one finding: 22 caching steps in one release workflow are one
    cache-poisoning problem (measured on pydantic-core's workflows).
    """
    groups: dict[tuple[str | None, str | None, Severity], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.path, finding.external_id, finding.severity), []).append(finding)
    out: list[Finding] = []
    for group in groups.values():
        first = group[0]
        if len(group) > 1:
            lines = sorted({f.line for f in group[1:] if f.line is not None} - {first.line})
            shown = ", ".join(map(str, lines[:10])) + (", ..." if len(lines) > 10 else "")
            also = f"; also at line{'s' if len(lines) > 1 else ''} {shown}" if lines else ""
            first = replace(first, message=f"{first.message} ({len(group)} times{also})")
        out.append(first)
    return out


def _hint(entry: Mapping[str, Any], ident: str) -> str:
    fixes = entry.get("fixes")
    titles = [
        str(fix["title"]) for fix in fixes or [] if isinstance(fix, dict) and fix.get("title")
    ]
    first = f"{titles[0]}; " if titles else ""
    url = entry.get("url")
    more = f"see {url}; " if isinstance(url, str) and url.startswith("https://") else ""
    return f"{first}{more}or silence it on that line: # zizmor: ignore[{ident}]"


def _relative(path: str, root: str) -> str:
    if os.path.isabs(path):
        path = os.path.relpath(path, root)
    return path.replace(os.sep, "/").removeprefix("./")


def audit(
    zizmor: str | None,
    root: str,
    relpaths: Sequence[str],
    environ: Mapping[str, str],
    ours: Sequence[Finding],
    timeout: float = TIMEOUT_S,
) -> list[Finding]:
    """Everything the audits add to the ``workflow`` check; never raises.

    ``zizmor`` is the executable (:func:`find_zizmor`), ``None`` when it is not installed.
    """
    if not relpaths:
        return []
    if zizmor is None:
        if environ.get(ENV_VAR, "").strip().lower() in _OFF:
            return []  # turned off on purpose: nothing to say
        return [
            Finding(
                ZIZMOR_DID_NOT_RUN.code,
                "zizmor's security audits did not run: zizmor is not installed",
                Severity.INFO,
                hint=f"{INSTALL_HINT} (or pipx install zizmor) to audit the publishing workflows",
            )
        ]
    try:
        entries = run_zizmor(zizmor, root, relpaths, environ, timeout)
    except ZizmorProblem as problem:
        return [
            Finding(
                ZIZMOR_FAILED.code,
                f"{problem}; the publishing workflows were not audited",
                Severity.WARNING,
                hint=f"run `zizmor --offline {' '.join(relpaths)}` to see why, or upgrade it "
                f"({INSTALL_HINT} --upgrade); {ENV_VAR}=off turns the audits off",
            )
        ]
    try:
        return fold(entries, root, ours)
    except (AttributeError, TypeError, ValueError):  # JSON of a shape we do not know
        return [
            Finding(
                ZIZMOR_FAILED.code,
                "zizmor printed findings in a shape this release-assistant does not read; "
                "the publishing workflows were not audited",
                Severity.WARNING,
                hint=f"upgrade release-assistant, or set {ENV_VAR}=off",
            )
        ]
