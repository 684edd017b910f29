"""The check table: every check declared once, with its id, title, module and hook variant.

The engine runs the checks in this order, the config accepts these ids, the rule registry
has one module per id, and a pre-commit hook names its check by id and runs the check's
``hook_variant``. Modules are named, not imported: a check's module is imported only when it
runs, so a hook that needs one check never pays for the others.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """One check: its stable id, its title, the module that implements it.

    ``blocking`` is whether its failure stops a release when the configuration does not say
    (``[tool.release-assistant.checks.<id>] blocking``). ``hook_variant`` names the function
    of ``module`` a pre-commit hook runs instead of ``run`` (``None``: no hook runs the
    check); ``entry`` is the function the engine calls (:meth:`for_hook` switches it).
    """

    id: str
    title: str
    module: str
    blocking: bool = True
    hook_variant: str | None = None
    entry: str = "run"

    def for_hook(self) -> CheckSpec:
        """This check as its pre-commit hook runs it; ``LookupError`` when no hook does."""
        if self.hook_variant is None:
            raise LookupError(f"no hook runs the {self.id!r} check")
        return replace(self, entry=self.hook_variant)


GIT = CheckSpec("git", "Git state of the release commit", "release_assistant.core.checks.git")
CI = CheckSpec("ci", "CI is green on the release commit", "release_assistant.core.checks.ci")
VERSION = CheckSpec("version", "Version metadata agrees", "release_assistant.core.checks.version")
#: The hook judges the commit being made (``run_commit``): style problems print, only a
#: broken release section blocks.
CHANGELOG = CheckSpec(
    "changelog",
    "Changelog structure",
    "release_assistant.core.checks.changelog",
    hook_variant="run_commit",
)
#: The hook gives the lock tools' own verdict (``run_strict``): every stale lock is an error.
LOCK = CheckSpec(
    "lock", "Lock files in sync", "release_assistant.core.checks.lock", hook_variant="run_strict"
)
#: The hook runs without zizmor's audits (``run_without_audits``): a commit never waits on them.
WORKFLOW = CheckSpec(
    "workflow",
    "Trusted-publishing workflow",
    "release_assistant.core.checks.workflow",
    hook_variant="run_without_audits",
)
PUBLISHER = CheckSpec(
    "publisher", "Trusted publisher identity", "release_assistant.core.checks.publisher"
)
GATES = CheckSpec(
    "gates", "Release gates pass", "release_assistant.core.checks.gates", hook_variant="run"
)
DIST = CheckSpec("dist", "Built distributions", "release_assistant.core.checks.dist")

#: The checks, in the order a release walks through them.
REGISTRY: tuple[CheckSpec, ...] = (
    GIT,
    CI,
    VERSION,
    CHANGELOG,
    LOCK,
    WORKFLOW,
    PUBLISHER,
    GATES,
    DIST,
)


def known_check_ids() -> tuple[str, ...]:
    """Ids of the checks, in run order."""
    return tuple(spec.id for spec in REGISTRY)


def spec_for(check_id: str) -> CheckSpec:
    """The check with this id; ``KeyError`` when there is none."""
    for spec in REGISTRY:
        if spec.id == check_id:
            return spec
    raise KeyError(check_id)
