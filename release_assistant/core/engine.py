"""The engine that runs the checks of :mod:`~release_assistant.core.check_table`.

Each check lives in its own module under ``release_assistant.core.checks`` and exposes
``run(ctx) -> CheckResult`` (and the hook variant the table names, if any). Modules are
imported only when their check runs, so a hook that needs one check never pays for the others.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterable
from dataclasses import replace

from release_assistant.core.check_table import REGISTRY as REGISTRY
from release_assistant.core.check_table import CheckSpec as CheckSpec
from release_assistant.core.check_table import known_check_ids as known_check_ids
from release_assistant.core.check_table import spec_for as spec_for
from release_assistant.core.context import RepoContext
from release_assistant.core.findings import CheckResult, Finding, Severity, Status, status_of
from release_assistant.core.rules.engine import CHECK_COULD_NOT_RUN
from release_assistant.core.support.textfiles import FileProblem


def load_check(spec: CheckSpec) -> Callable[[RepoContext], CheckResult]:
    """Import the check's module and return its ``entry`` function (``run``, or the hook's)."""
    module = importlib.import_module(spec.module)
    check: Callable[[RepoContext], CheckResult] = getattr(module, spec.entry)
    return check


def select_checks(
    only: Iterable[str] | None = None, skip: Iterable[str] | None = None
) -> list[CheckSpec]:
    """The checks to run for ``--only``/``--skip``; ``KeyError`` names an unknown id."""
    only_ids = list(only or [])
    skip_ids = set(skip or [])
    for check_id in [*only_ids, *skip_ids]:
        spec_for(check_id)
    chosen = [spec for spec in REGISTRY if not only_ids or spec.id in only_ids]
    return [spec for spec in chosen if spec.id not in skip_ids]


def run_check(spec: CheckSpec, ctx: RepoContext) -> CheckResult:
    """Run one check, honouring config switches and ``ignore``; never raises.

    A check that raises is reported as ``error`` with the exception's message, so one broken
    check cannot hide the verdicts of the others.
    """
    settings = ctx.config.settings_for(spec.id)
    if not settings.enabled:
        return CheckResult(
            spec.id,
            spec.title,
            Status.SKIP,
            blocking=settings.blocking,
            reason=f"disabled in config ([tool.release-assistant.checks.{spec.id}])",
        )
    started = time.perf_counter()
    try:
        result = load_check(spec)(ctx)
    except FileProblem as problem:
        result = _error_result(spec, str(problem), problem.path, problem.line)
    except Exception as exc:  # a check's bug must not end the run
        result = _error_result(spec, f"{type(exc).__name__}: {exc}", None, None)
    elapsed_ms = (time.perf_counter() - started) * 1000
    result = _redacted(_apply_rules(_apply_suppressions(result, ctx), ctx), ctx)
    return result.with_timing(round(elapsed_ms, 2), settings.blocking)


def run_checks(ctx: RepoContext, specs: Iterable[CheckSpec]) -> list[CheckResult]:
    """Run ``specs`` in order and return every result."""
    from release_assistant.core.suppressions import one_judgement_per_comment

    specs = list(specs)
    ctx.checks_running = frozenset(spec.id for spec in specs)
    return one_judgement_per_comment([run_check(spec, ctx) for spec in specs])


def _error_result(spec: CheckSpec, message: str, path: str | None, line: int | None) -> CheckResult:
    finding = Finding(
        CHECK_COULD_NOT_RUN.code,
        f"the check could not run: {message}",
        path=path,
        line=line,
        hint="fix the file named above, or report a bug if the message is unclear",
    )
    return CheckResult(spec.id, spec.title, Status.ERROR, (finding,), reason=message)


def _redacted(result: CheckResult, ctx: RepoContext) -> CheckResult:
    """The result with every credential masked in its texts (see :mod:`core.redact`)."""
    if not result.findings and not result.suppressed and result.reason is None:
        return result  # no text to mask: core.redact need not even be imported
    from release_assistant.core.redact import redact

    def clean(text: str | None) -> str | None:
        return None if text is None else redact(text, ctx.environ)

    def cleaned(found: tuple[Finding, ...]) -> tuple[Finding, ...]:
        return tuple(
            replace(f, message=clean(f.message) or "", hint=clean(f.hint), path=clean(f.path))
            for f in found
        )

    findings = cleaned(result.findings)
    suppressed = cleaned(result.suppressed)
    reason = clean(result.reason)
    if (findings, suppressed, reason) == (result.findings, result.suppressed, result.reason):
        return result
    return replace(result, findings=findings, suppressed=suppressed, reason=reason)


def _apply_suppressions(result: CheckResult, ctx: RepoContext) -> CheckResult:
    """Findings silenced by ``# release-assistant: ignore[CODE]`` moved to ``suppressed``.

    Comments naming unknown codes (``RA002``) or silencing nothing (``RA003``) are judged
    here too (see :mod:`release_assistant.core.suppressions`). An errored or skipped check
    is left alone: without its verdict no comment can be judged.
    """
    if result.status in (Status.ERROR, Status.SKIP):
        return result
    from release_assistant.core.suppressions import apply_suppressions

    kept, suppressed, judged = apply_suppressions(
        result.id, result.findings, result.sources, ctx.root_dir, ctx.read_text
    )
    if not suppressed and not judged:
        return result
    from release_assistant.core.rules import apply_rules

    findings = (*kept, *apply_rules(judged))
    return replace(
        result,
        findings=findings,
        suppressed=(*result.suppressed, *suppressed),
        status=status_of(findings),
    )


def _apply_rules(result: CheckResult, ctx: RepoContext) -> CheckResult:
    """Severities from the rule registry and the config's overrides, ``ignore`` applied.

    The status is derived again from the findings, so a code configured as ``warning``
    no longer fails its check, and one configured as ``error`` does.
    """
    if not (result.findings or result.suppressed) or result.status is Status.ERROR:
        return result
    from release_assistant.core.rules import apply_rules

    ignored = frozenset(ctx.config.ignore)
    overrides = {code: Severity(level) for code, level in ctx.config.severity.items()}
    kept = apply_rules((f for f in result.findings if f.code not in ignored), overrides)
    # Suppressed findings keep the severity they would have had, for the JSON report.
    silenced = apply_rules((f for f in result.suppressed if f.code not in ignored), overrides)
    if kept == result.findings and silenced == result.suppressed:
        return result
    status = result.status if result.status is Status.SKIP and not kept else status_of(kept)
    return replace(result, findings=kept, suppressed=silenced, status=status)
