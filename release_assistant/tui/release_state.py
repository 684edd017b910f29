"""The release steps' logic: where each stands, what is enabled, what comes next (no Textual).

Everything here is computed from state, never from what the last action said:

- :class:`ReleaseFacts` is what git (the tag, locally and on origin), the configuration
  (the pre-release commands) and the release page say now; the walkthrough reads them again
  after every run of the checks, and on launch.
- :class:`Memory` is the little the session itself knows: the version it bumped to, whether
  it published the GitHub release, how the watch ended.
- :func:`release_rows` gives the bump, commands, tag, push, publish and watch rows' views,
  :func:`enabled` which keys apply, :func:`status_line` the status line with its "next"
  hint, and :func:`tag_blockers` what keeps the tag from being made.

The release procedure's order is core's (:mod:`release_assistant.core.release.ship`):
checks, bump (with relock and release commit), pre-release commands, build, tag,
verification, push, then the publishing run (the GitHub release) and the watch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from release_assistant.tui.step_list import RowView, State, Step, StepKind, check_steps


@dataclass(frozen=True, slots=True)
class ReleaseFacts:
    """What the release steps show, read from the repository: the version, the tag, where
    the tag is (locally, on origin), the pre-release commands, the release page."""

    version: str | None
    tag: str | None
    tag_commit: str | None  # the local tag's commit, when it exists
    head: str | None
    publish_url: str | None
    publish_problem: str | None
    #: Origin has the tag (``None``: could not ask; ``origin_problem`` says why).
    tag_on_origin: bool | None = None
    origin_problem: str | None = None
    #: How many pre-release commands are configured (``None``: not known).
    commands: int | None = None
    #: A GitHub token is set: the walkthrough publishes and watches itself.
    token: bool = False
    #: Pushing the tag starts the publishing run (its workflow runs on the tag push, or
    #: makes the GitHub release itself): nothing to publish by hand.
    push_starts_run: bool = False
    #: How the publishing run starts, in one line (core's trigger detail).
    run_start: str = ""
    #: The page of the tag's published GitHub release, when GitHub said it exists (asked
    #: on launch with a token, once origin has the tag).
    release_url: str | None = None
    #: Why GitHub could not be asked about the release, when it was asked and failed.
    release_problem: str | None = None

    @property
    def tag_at_head(self) -> bool:
        """The tag exists and names HEAD (tagged in this release)."""
        return self.tag_commit is not None and self.tag_commit == self.head

    @property
    def bump_needed(self) -> bool:
        """The tag exists on another commit and is not the one just made: this version is
        released, bump it."""
        return self.tag_commit is not None and self.tag_commit != self.head

    @property
    def release_published(self) -> bool:
        """GitHub said the tag's release exists (read from the API, not remembered)."""
        return self.release_url is not None

    @property
    def tag_label(self) -> str:
        """The tag's name, or "the tag" when there is none."""
        return self.tag or "the tag"


@dataclass(slots=True)
class Memory:
    """What the session itself did, for the rows git cannot tell about."""

    #: The version the bump step wrote (the bump row passes while the files say it).
    bumped_to: str | None = None
    #: The GitHub release was published here (the API answered, or ship started the run).
    published: bool = False
    #: How the watch ended: ``None`` not yet, else whether the files arrived.
    watched: bool | None = None
    #: The watch is running.
    watching: bool = False
    #: Why the checks cannot run at all (a malformed configuration), if so.
    problem: str | None = None


#: The actions whose key is greyed out unless :func:`enabled` says otherwise.
GATED_ACTIONS = frozenset({"tag", "push", "watch", "publish", "rerun_failed"})


def is_settled(step: Step) -> bool:
    """The step has a verdict (neither pending nor running)."""
    return step.state not in (State.PENDING, State.RUNNING)


def tag_blockers(steps: Sequence[Step], facts: ReleaseFacts | None = None) -> list[str]:
    """Why the tag cannot be made yet: one short phrase per step in the way.

    Empty when every check has run and none blocks the release, and the pre-release
    commands (when any are configured) and the local build passed.
    """
    reasons = []
    for step in check_steps(steps):
        if not is_settled(step) or step.result is None:
            reasons.append(f"{step.id} (not run yet)")
        elif step.result.blocks_release:
            reasons.append(f"{step.id} ({step.result.status.value})")
    # The pre-release commands and the local build are blocking steps too: a tag made
    # before they ran would name a commit nobody built or tested here.
    for step in steps:
        if step.kind not in (StepKind.COMMANDS, StepKind.BUILD):
            continue
        if step.kind is StepKind.COMMANDS and facts is not None and facts.commands == 0:
            continue  # nothing configured: nothing to wait for
        if step.state in (State.FAIL, State.ERROR):
            reasons.append(f"{step.id} (failed)")
        elif not is_settled(step):
            reasons.append(f"{step.id} (not run yet)")
    return reasons


def blocked_checks(steps: Sequence[Step]) -> list[str]:
    """The ids of the checks whose latest result blocks the release."""
    return [step.id for step in check_steps(steps) if step.blocks_release]


def enabled(action: str, steps: Sequence[Step], facts: ReleaseFacts | None, memory: Memory) -> bool:
    """Whether the key of ``action`` applies now."""
    if action == "tag":
        return memory.problem is None and not tag_blockers(steps, facts)
    if action == "push":
        return facts is not None and facts.tag_at_head and facts.tag_on_origin is not True
    if action == "watch":
        return facts is not None and facts.tag_on_origin is True and not memory.watching
    if action == "publish":
        return (
            facts is not None
            and facts.tag_on_origin is True
            and not facts.push_starts_run
            and not facts.release_published
            and not memory.published
        )
    if action == "rerun_failed":
        return any(
            step.result is not None and step.state in (State.FAIL, State.ERROR)
            for step in check_steps(steps)
        )
    return True


def release_rows(steps: Sequence[Step], facts: ReleaseFacts, memory: Memory) -> dict[str, RowView]:
    """What the bump, commands, tag, push, publish and watch rows show now, from the facts
    and the session's memory (a row missing from the result keeps what it shows: a running
    step, a failed push with its retry, a finished watch)."""
    by_id = {step.id: step for step in steps}
    tag = facts.tag_label
    rows: dict[str, RowView] = {}
    rows["bump"] = _bump_row(facts, memory)
    if facts.commands == 0:
        rows["commands"] = (
            State.SKIP,
            "Nothing to run: no [tool.release-assistant] commands and no .pre-commit-config.yaml.",
            (),
        )
    blockers = tag_blockers(steps, facts)
    if facts.tag_at_head:
        rows["tag"] = (State.PASS, f"{tag} names HEAD.", ())
    elif blockers:
        rows["tag"] = (
            State.PENDING,
            f"Waiting for: {', '.join(blockers)}.",
            (
                "t is enabled once every blocking check, the pre-release commands and the "
                "local build pass.",
            ),
        )
    else:
        rows["tag"] = (
            State.PENDING,
            f"Ready: press t to create the annotated tag {tag}.",
            ("Its message is the changelog section of this version.",),
        )
    push = by_id.get("push")
    if facts.tag_on_origin and not facts.bump_needed:
        rows["push"] = (State.PASS, f"{tag} is on origin.", ())
    elif push is None or push.state is not State.FAIL:  # a failed push keeps its retry
        if facts.tag_at_head:
            note = f"Press p to push {tag} to origin."
            if facts.tag_on_origin is None and facts.origin_problem:
                note += f" (Cannot tell whether origin has it: {facts.origin_problem}.)"
            rows["push"] = (State.PENDING, note, ())
        else:
            rows["push"] = (State.PENDING, "After the tag is created.", ())
    if not memory.published:  # once published here, it keeps the links publishing gave
        rows["publish"] = _publish_row(facts, memory)
    watch = _watch_row(facts, memory)
    if watch is not None:
        rows["watch"] = watch
    return rows


def _bump_row(facts: ReleaseFacts, memory: Memory) -> RowView:
    tag = facts.tag_label
    if facts.bump_needed:
        return (
            State.PENDING,
            f"{tag} already exists on another commit: this version is released.",
            (
                "Press b to choose the next version, or S to release it in one go "
                "(bump, commit, tag, push).",
            ),
        )
    if memory.bumped_to is not None and memory.bumped_to == facts.version:
        then = " Commit the files, then tag." if facts.tag_commit is None else ""
        return (
            State.PASS,
            f"Bumped to {facts.version}.{then}",
            ("b bumps again (major, minor, patch, pre, post, dev, or a version).",),
        )
    if facts.tag_commit is not None:
        return (State.SKIP, f"{tag} is this version's tag: no bump needed.", ())
    return (
        State.SKIP,
        f"{tag} is not tagged yet: no bump needed.",
        ("b bumps anyway (major, minor, patch, pre, post, dev, or a version).",),
    )


def _publish_row(facts: ReleaseFacts, memory: Memory) -> RowView:
    if memory.watched:  # the files arrived: the release that started the run is out
        return (State.PASS, f"The GitHub release of {facts.tag_label} is published.", ())
    if facts.release_url is not None:  # GitHub said so, in this session or before it
        return (
            State.PASS,
            f"The GitHub release of {facts.tag_label} exists.",
            (facts.release_url,),
        )
    if facts.push_starts_run:
        if facts.tag_on_origin and not facts.bump_needed:
            return (
                State.PASS,
                f"The push of {facts.tag_label} started the run.",
                (facts.run_start,),
            )
        return (
            State.SKIP,
            f"Nothing to publish by hand: pushing {facts.tag_label} starts the run.",
            (facts.run_start,),
        )
    if facts.publish_url is None:
        return (State.PENDING, f"No release page: {facts.publish_problem}", ())
    if not facts.tag_on_origin:
        return (
            State.PENDING,
            f"After {facts.tag_label} is on origin: publishing the GitHub release starts "
            "the release workflow.",
            (),
        )
    how = (
        "Enter publishes it here (GH_TOKEN is set)."
        if facts.token
        else "Enter copies this address: open it, check the notes, press Publish:"
    )
    unknown = (
        (f"(Cannot tell whether it exists already: {facts.release_problem}.)",)
        if facts.release_problem
        else ()
    )
    return (
        State.PENDING,
        f"Publishing the GitHub release starts the release workflow. {how}",
        (facts.publish_url, *unknown),
    )


def _watch_row(facts: ReleaseFacts, memory: Memory) -> RowView | None:
    if memory.watching or memory.watched is not None:
        return None  # the watch's own progress and outcome stay
    if not facts.tag_on_origin:
        return (
            State.PENDING,
            f"After {facts.tag_label} is on origin and its publishing run started: Enter "
            "follows the run to the files on PyPI (needs GH_TOKEN or GITHUB_TOKEN).",
            (),
        )
    if memory.published or facts.release_published:
        return (
            State.PENDING,
            f"Next: {facts.tag_label} is on origin and its publishing run is started. Enter "
            "follows the run to the files on PyPI (needs GH_TOKEN or GITHUB_TOKEN).",
            (),
        )
    return (
        State.PENDING,
        f"{facts.tag_label} is on origin: Enter follows its publishing run to the files on "
        "PyPI (needs GH_TOKEN or GITHUB_TOKEN).",
        (),
    )


def status_line(
    steps: Sequence[Step], facts: ReleaseFacts | None, memory: Memory
) -> tuple[str, str]:
    """The status line's class (``-ok``, ``-blocked``, ``-running`` or empty) and text, with
    the one "next" hint that applies now."""
    if memory.problem is not None:
        return "-blocked", f"✘ Cannot run the checks: {memory.problem}"
    checks = check_steps(steps)
    running = [step for step in steps if step.state is State.RUNNING]
    if running:
        done = sum(1 for s in checks if s.result is not None and s.state is not State.RUNNING)
        return "-running", f"Running {running[0].label}… ({done} of {len(checks)} checks done)"
    if facts is None:
        return "", "Starting: the checks run next."
    what = f"version {facts.version}" if facts.version else "this project"
    tag = facts.tag_label
    if memory.watched:
        return "-ok", f"✔ {what} is released: its files are on the index."
    if memory.watched is False:
        return "-blocked", "✘ The release did not arrive: the watch row says why."
    blocked = blocked_checks(steps)
    if facts.bump_needed:
        text = f"{tag} is on an earlier commit: S releases the next version (b only bumps)."
        return "", text + (f" Failing now: {', '.join(blocked)}." if blocked else "")
    if facts.tag_on_origin and facts.tag_commit is not None:
        if memory.published or facts.release_published or facts.push_starts_run:
            # One row at 80 columns for a usual version (tests/test_tui_steps.py).
            if memory.published or facts.release_published:
                return "-ok", f"✔ {tag} is published: next, enter on watch follows its run."
            return (
                "-ok",
                f"✔ {tag} is on origin and started the run: next, enter on watch follows it.",
            )
        if facts.publish_url is None:
            return (
                "-ok",
                f"✔ {tag} is on origin: next, start the publishing run ({facts.run_start}).",
            )
        return "-ok", f"✔ {tag} is on origin: next, publish the GitHub release (publish row)."
    if blocked:
        return "-blocked", (
            f"✘ Release of {what} blocked by: {', '.join(blocked)}. "
            "Select a step for its fix; f re-runs the failed checks."
        )
    if facts.tag_at_head:
        return "-ok", f"✔ {tag} names HEAD: press p to push it to origin."
    blockers = tag_blockers(steps, facts)
    if blockers:
        if any(s.result is None for s in checks):
            return "", "Run every check (r) before tagging."
        # One row at 80 columns: the status line must not wrap.
        not_run = " (not run yet)"
        if all(blocker.endswith(not_run) for blocker in blockers):
            steps_to_run = ", ".join(blocker.removesuffix(not_run) for blocker in blockers)
            return "", f"Before tagging, run {steps_to_run}: select it, press enter."
        return "", "Before tagging: " + ", ".join(blockers) + ". Select it, press enter."
    if facts.version and _is_development(facts.version):
        # A .dev version is the state between releases; tagging it is rarely meant.
        return "", f"{facts.version} is a development version: b bumps it (t tags it as it is)."
    # One row at 80 columns for a usual version, over the tag dialog too.
    return "-ok", f"✔ Ready to release {what}: nothing blocks it. Press t to tag {tag}."


def _is_development(version: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(version).is_devrelease
    except InvalidVersion:
        return False
