"""Creating the annotated release tag and pushing exactly that tag, through GitPython.

Tag names reach git only after :func:`~release_assistant.core.git.refnames.validated_tag_name`
and always after ``--``, or inside a full ``refs/tags/NAME`` refspec, so no user string is
ever read as an option. Signing never prompts: git runs with no terminal input, and a
signature that does not come within :data:`SIGN_TIMEOUT` seconds counts as failed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import TYPE_CHECKING

from release_assistant.core.git import GitProblem
from release_assistant.core.git.refnames import validated_tag_name
from release_assistant.core.git.repository import execute_git, open_repository
from release_assistant.core.git.state import NETWORK_TIMEOUT, REMOTE, remote_ref
from release_assistant.core.support.textfiles import StrPath

if TYPE_CHECKING:
    import git

#: Seconds ``git tag -s`` may take (gpg asking for a passphrase would otherwise hang).
SIGN_TIMEOUT = 30.0
#: Seconds a push may take.
PUSH_TIMEOUT = 60.0


def _git(repo: git.Repo, *args: str, timeout: float | None = None) -> tuple[int, str, str]:
    """Run ``git ARGS`` through GitPython in ``repo`` (see :func:`execute_git`)."""
    return execute_git(repo, *args, timeout=timeout)


def signing_configured(start: StrPath) -> bool:
    """True when git config asks for signed tags (``tag.gpgSign = true``)."""
    repo = open_repository(start)
    try:
        code, out, _ = _git(repo, "config", "--bool", "--get", "tag.gpgSign")
    finally:
        repo.close()
    return code == 0 and out.strip() == "true"


def create_tag(start: StrPath, name: str, commit: str, message: str, *, sign: bool) -> None:
    """Create the annotated tag ``name`` on ``commit`` with ``message`` kept verbatim
    (``### Added`` lines are notes, not comments); :class:`GitProblem` when git refuses."""
    short = validated_tag_name(name)
    repo = open_repository(start)
    fd, notes = tempfile.mkstemp(prefix="release-notes-", suffix=".txt")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(message if message.strip() else f"Release {short}\n")
        args = ["tag", "-a", "--cleanup=whitespace", f"--file={notes}"]
        if sign:
            args.append("--sign")  # uses user.signingkey, else the committer's key
        code, _, err = _git(repo, *args, "--", short, commit, timeout=SIGN_TIMEOUT)
    finally:
        repo.close()
        with contextlib.suppress(OSError):
            os.unlink(notes)
    if code != 0:
        detail = _last_line(err) or f"exit code {code}"
        if sign and (code < 0 or "sign" in err.lower() or "gpg" in err.lower()):
            raise GitProblem(
                f"signing tag {short} failed: {detail} (no key for user.signingkey, or gpg "
                f"wanted a passphrase; nothing was created)"
            )
        raise GitProblem(f"git tag {short} failed: {detail}")


def push_tag(start: StrPath, name: str) -> None:
    """Push exactly ``refs/tags/NAME`` to ``origin``; :class:`GitProblem` on rejection or a
    network failure (the local tag stays)."""
    short = validated_tag_name(name)
    ref = f"refs/tags/{short}"
    repo = open_repository(start)
    try:
        code, _, err = _git(
            repo, "push", "--porcelain", REMOTE, f"{ref}:{ref}", timeout=PUSH_TIMEOUT
        )
    finally:
        repo.close()
    if code != 0:
        reasons = [line.strip() for line in err.splitlines() if line.strip()]
        rejected = any("rejected" in line or "declined" in line for line in reasons)
        detail = "; ".join(reasons[-3:]) or f"exit code {code}"
        what = "origin rejected the push" if rejected else "the push failed"
        raise GitProblem(f"{what}: {detail}")


def upstream_moved(start: StrPath, branch: str, expected: str) -> str | None:
    """Why the release branch on ``origin`` is not at ``expected`` any more, or ``None``.

    Asked right before pushing: the checks judged ``expected`` as the tip of the branch.
    """
    remote = remote_ref(start, f"refs/heads/{branch}", timeout=NETWORK_TIMEOUT)
    if remote.exists is None:
        return remote.reason
    if not remote.exists:
        return f"{REMOTE} has no branch {branch!r} any more"
    if remote.commit != expected:
        return (
            f"{REMOTE}/{branch} moved to {(remote.commit or '?')[:12]} since the checks ran "
            f"(they judged {expected[:12]})"
        )
    return None


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""
