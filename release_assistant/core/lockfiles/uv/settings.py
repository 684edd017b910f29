"""The resolver settings a ``uv.lock`` records against the project's: ``[options]``
(resolution and pre-release mode, fork strategy, ``exclude-newer``, per-package cutoffs),
``supported-markers``/``required-markers`` against ``tool.uv.environments``/
``required-environments``, ``conflicts``, and the indexes registry packages come from.

Settings come from ``tool.uv`` (with ``uv.toml`` on top) and uv's environment variables.
Emits RA508 (the lock was resolved with other settings) and RA509 (cannot decide; a changed
``exclude-newer-package`` always is, see :func:`_check_exclude_newer_packages`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from release_assistant.core.lockfiles.pep508 import Undecidable
from release_assistant.core.lockfiles.pep508.names import canonical_name
from release_assistant.core.lockfiles.text import line_of_offset
from release_assistant.core.lockfiles.uv.compare import Comparison
from release_assistant.core.lockfiles.uv.sources import normal_url, redact
from release_assistant.core.rules.lock import STALE_RESOLVER_SETTINGS

_DEFAULTS = {
    "resolution-mode": "highest",
    "prerelease-mode": "if-necessary-or-explicit",
    "fork-strategy": "requires-python",
}
_SETTING_KEYS = {
    "resolution-mode": ("resolution", "UV_RESOLUTION"),
    "prerelease-mode": ("prerelease", "UV_PRERELEASE"),
    "fork-strategy": ("fork-strategy", "UV_FORK_STRATEGY"),
}


def check(c: Comparison) -> None:
    """Resolver settings, environments, conflicts and indexes against the lock's header."""
    options = c.lock.options
    for lock_key, (setting, variable) in _SETTING_KEYS.items():
        wanted = c.environ.get(variable) or c.settings.get(setting)
        expected = str(wanted) if wanted is not None else _DEFAULTS[lock_key]
        actual = str(options.get(lock_key, _DEFAULTS[lock_key]))
        if expected != actual:
            c.report.stale(
                STALE_RESOLVER_SETTINGS,
                f"uv.lock was resolved with {lock_key} `{actual}`, the project now asks "
                f"for `{expected}` ({_where(setting, variable)})",
                c.header_line(lock_key),
            )
    _check_exclude_newer(c, options)
    _check_environments(c, "environments", "supported-markers")
    _check_environments(c, "required-environments", "required-markers")
    _check_conflicts(c)
    _check_indexes(c)


def _check_exclude_newer(c: Comparison, options: Mapping[str, Any]) -> None:
    """``exclude-newer`` (and per package) against the lock's ``[options]``.

    A duration is recorded as ``exclude-newer-span`` beside a placeholder timestamp; it
    matches a setting with the same duration field by field (:mod:`..exclude_newer`).
    """
    line = c.header_line("exclude-newer")
    wanted = c.environ.get("UV_EXCLUDE_NEWER") or c.settings.get("exclude-newer")
    timestamp = options.get("exclude-newer")
    span = options.get("exclude-newer-span")
    difference = _cutoff_difference(
        "exclude-newer",
        None if wanted is None else str(wanted),
        None if timestamp is None and span is None else f"{span or timestamp}",
        (_text(timestamp), _text(span)),
    )
    if difference is not None:
        message, decided = difference
        if decided:
            c.report.stale(STALE_RESOLVER_SETTINGS, message, line)
        else:
            c.report.unsure(message, line)
    _check_exclude_newer_packages(c, options, line)


def _check_exclude_newer_packages(
    c: Comparison, options: Mapping[str, Any], line: int | None
) -> None:
    """``exclude-newer-package``: differences are reported, but as undecidable.

    uv 0.13 stops at the first package whose cutoff "changed", and a duration's cutoff
    always has (it follows the clock), so a real change after it goes unseen; and it
    accepts some changes of a package's fixed date (checked in the tests). Whether uv
    re-resolves depends on its hash-map order: only uv can tell.
    """
    wanted_packages = _wanted_package_cutoffs(c)
    raw = options.get("exclude-newer-package", {})
    locked_packages = {
        canonical_name(str(name)): value
        for name, value in (raw.items() if isinstance(raw, dict) else [])
    }
    differences = []
    for name in sorted(set(wanted_packages) | set(locked_packages)):
        value = locked_packages.get(name)
        setting = wanted_packages.get(name)
        label = f"exclude-newer-package `{name}`"
        if setting is False or value is False:
            if setting is not value:
                now = "disabled" if setting is False else f"`{setting}`"
                was = "disabled" if value is False else f"`{value}`"
                differences.append(f"{label} was {was}, is now {now}")
            continue
        if isinstance(value, dict):
            timestamp, span = _text(value.get("timestamp")), _text(value.get("span"))
        else:
            timestamp, span = _text(value), None
        difference = _cutoff_difference(
            label, None if setting is None else str(setting), span or timestamp, (timestamp, span)
        )
        if difference is not None:
            differences.append(difference[0])
    if differences:
        # Searched only now: on a large lock without differences, a search of the whole text
        # is a sizeable part of the check.
        table = c.lock.text.find("\n[options.exclude-newer-package]\n")
        if table >= 0:
            line = line_of_offset(c.lock.text, table + 1)
        c.report.unsure(
            "; ".join(differences) + ". uv may or may not re-resolve for this: it stops "
            "at the first package whose cutoff moved, and a duration's always has",
            line,
        )


def _wanted_package_cutoffs(c: Comparison) -> dict[str, str | bool]:
    """``exclude-newer-package`` from the settings, ``UV_EXCLUDE_NEWER_PACKAGE`` on top."""
    wanted: dict[str, str | bool] = {}
    raw = c.settings.get("exclude-newer-package", {})
    for name, value in raw.items() if isinstance(raw, dict) else []:
        wanted[canonical_name(str(name))] = False if value is False else str(value)
    for item in c.environ.get("UV_EXCLUDE_NEWER_PACKAGE", "").split():
        name, _, value = item.partition("=")
        wanted[canonical_name(name)] = False if value == "false" else value
    return wanted


def _check_environments(c: Comparison, setting: str, lock_key: str) -> None:
    raw = c.settings.get(setting, [])
    wanted = [raw] if isinstance(raw, str) else [str(item) for item in raw or []]
    locked_raw = c.lock.header.get(lock_key, [])
    locked = [str(item) for item in locked_raw] if isinstance(locked_raw, list) else []
    message = (
        f"uv.lock was resolved for {lock_key} {locked or '(none)'}, tool.uv.{setting} "
        f"is now {wanted or '(none)'}"
    )
    if len(wanted) != len(locked):
        c.report.stale(STALE_RESOLVER_SETTINGS, message, c.header_line(lock_key))
        return
    for expected, actual in zip(wanted, locked, strict=True):
        from release_assistant.core.lockfiles.pep508.plain import same_conjunction

        if same_conjunction(expected, actual):
            continue  # settled without importing the marker algebra
        from release_assistant.core.lockfiles.pep508.equivalence import markers_equivalent
        from release_assistant.core.lockfiles.pep508.markers import parse_marker

        try:
            same = markers_equivalent(parse_marker(expected), parse_marker(actual), c.bounds)
        except (ValueError, Undecidable):
            same = None
        if same is None:
            c.report.unsure(f"cannot compare {setting} marker `{expected}`")
        elif not same:
            c.report.stale(STALE_RESOLVER_SETTINGS, message, c.header_line(lock_key))
            return


def _check_conflicts(c: Comparison) -> None:
    wanted: set[frozenset[tuple[str, str, str]]] = set()
    for member in c.workspace.all_projects():
        for group in member.tool_uv.get("conflicts", []) or []:
            items = set()
            for item in group if isinstance(group, list) else []:
                if not isinstance(item, dict):
                    continue
                package = canonical_name(str(item.get("package", member.name or "")))
                for kind in ("extra", "group"):
                    if kind in item:
                        items.add((package, kind, canonical_name(str(item[kind]))))
                if "extra" not in item and "group" not in item:
                    items.add((package, "package", package))
            wanted.add(frozenset(items))
    locked: set[frozenset[tuple[str, str, str]]] = set()
    for group in c.lock.header.get("conflicts", []) or []:
        items = set()
        for item in group if isinstance(group, list) else []:
            if not isinstance(item, dict):
                continue
            package = canonical_name(str(item.get("package", "")))
            for kind in ("extra", "group"):
                if kind in item:
                    items.add((package, kind, canonical_name(str(item[kind]))))
            if "extra" not in item and "group" not in item:
                items.add((package, "package", package))
        locked.add(frozenset(items))
    if wanted != locked:
        c.report.stale(
            STALE_RESOLVER_SETTINGS,
            "the declared conflicts (tool.uv.conflicts) differ from the ones uv.lock was "
            "resolved with",
            c.header_line("conflicts"),
        )


def _check_indexes(c: Comparison) -> None:
    """Registry URLs in the lock must still be configured, when indexes are configured."""
    configured: list[str] = []
    replaces_default = False
    for project in c.workspace.all_projects():
        settings = c.settings if project is c.root else project.tool_uv
        for entry in settings.get("index", []) or []:
            if isinstance(entry, dict) and isinstance(entry.get("url"), str):
                configured.append(entry["url"])
                replaces_default = replaces_default or entry.get("default") is True
    for key in ("index-url", "extra-index-url", "find-links"):
        value = c.settings.get(key)
        values = [value] if isinstance(value, str) else list(value or [])
        configured.extend(str(item) for item in values)
        replaces_default = replaces_default or (key == "index-url" and bool(values))
    for variable in ("UV_INDEX", "UV_EXTRA_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX_URL"):
        for item in c.environ.get(variable, "").split():
            configured.append(item.split("=", 1)[1] if "=" in item else item)
            replaces_default = replaces_default or variable in (
                "UV_DEFAULT_INDEX",
                "UV_INDEX_URL",
            )
    if not configured or c.settings.get("no-index") is True:
        return
    allowed = {normal_url(url) for url in configured}
    if not replaces_default:
        from release_assistant.core.urls import PYPI_HOST

        allowed.add(normal_url(f"https://{PYPI_HOST}/simple"))
    checked: set[str] = set()
    for package in c.lock.packages:
        if package.kind != "registry" or package.value in checked:
            continue
        checked.add(package.value)
        if "://" not in package.value or normal_url(package.value) in allowed:
            continue
        c.report.stale(
            STALE_RESOLVER_SETTINGS,
            f"uv.lock takes `{package.name}` from the index `{redact(package.value)}`, "
            "which the project no longer configures",
            package.line,
        )


def _where(setting: str, variable: str) -> str:
    return f"tool.uv.{setting} or {variable}"


def _cutoff_difference(
    label: str,
    wanted: str | None,
    locked_text: str | None,
    locked_parts: tuple[str | None, str | None],
) -> tuple[str, bool] | None:
    """How an ``exclude-newer`` setting differs from the lock's (``locked_parts``: its
    timestamp and span), and whether that is decided (``False``: the values cannot be
    compared); ``None`` when they agree. :mod:`..exclude_newer` is imported only when both
    sides have a value."""
    if wanted is None and locked_text is None:
        return None
    if wanted is None or locked_text is None:
        state = "without" if locked_text is None else f"with {label} `{locked_text}`"
        now = "sets" if wanted is not None else "no longer sets"
        shown = f" `{wanted}`" if wanted is not None else ""
        return f"uv.lock was resolved {state}; the project {now} {label}{shown}", True
    from release_assistant.core.lockfiles import exclude_newer

    setting = exclude_newer.parse_setting(wanted)
    locked = exclude_newer.parse_locked(*locked_parts)
    if setting is None or locked is None:
        return f"{label} `{wanted}` cannot be compared with the lock's `{locked_text}`", False
    if setting.span is not None and any(setting.span[:2]):
        return f"{label} `{wanted}` uses years or months, which uv refuses (use days)", False
    if exclude_newer.same(setting, locked):
        return None
    detail = ""
    if setting.moving != locked.moving:
        now = "a duration" if setting.moving else "a fixed date"
        was = "a duration" if locked.moving else "a fixed date"
        detail = f" ({now} now, {was} in the lock)"
    return (
        f"uv.lock was resolved with {label} `{locked_text}`, the project now sets "
        f"`{wanted}`{detail}",
        True,
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
