"""The rules of the `git` check: one entry per finding code (RA1xx)."""

from __future__ import annotations

from release_assistant.core.findings import Severity
from release_assistant.core.rules.rule import Rule

NOT_ON_RELEASE_BRANCH = Rule(
    "RA101",
    "Not on the release branch",
    "HEAD is on another branch than the release branch (main_branch in "
    "[tool.release-assistant], by default the branch origin/HEAD names), so the tag "
    "would release a commit the release branch may never contain.",
    "Switch to the release branch and update it: `git switch main && git pull "
    "--ff-only`, or set main_branch in [tool.release-assistant] if you release from "
    "another branch.",
)

DETACHED_HEAD = Rule(
    "RA102",
    "Detached HEAD",
    "HEAD is not on a branch, so there is no branch the tagged commit is known to be on, "
    "and no upstream to compare with.",
    "Check out the release branch: `git switch main`.",
)

UNCOMMITTED_CHANGES = Rule(
    "RA103",
    "Uncommitted changes",
    "Tracked files differ from HEAD (staged or not): the tag names HEAD, so what the "
    "checks judged on disk is not what would be released.",
    "Commit the changes (`git commit -a`), or set them aside with `git stash`.",
)

UNTRACKED_FILES = Rule(
    "RA104",
    "Untracked files",
    "Warning: files git does not track sit in the work tree; a build from this "
    "directory could pick them up, the CI build from the tag will not.",
    "Commit them, add them to .gitignore, or remove them (`git clean -n` lists them).",
    severity=Severity.WARNING,
)

NO_UPSTREAM = Rule(
    "RA105",
    "No upstream to compare with",
    "Warning: there is no 'origin' remote, the branch tracks no remote branch, or the "
    "remote could not be asked; whether HEAD is pushed, and whether the tag exists on "
    "the remote, is unknown.",
    "Add the remote and push the branch with tracking: `git remote add origin URL` "
    "and `git push -u origin main`; when offline, check again once connected.",
    severity=Severity.WARNING,
)

UNPUSHED_COMMITS = Rule(
    "RA106",
    "Commits not pushed",
    "HEAD is ahead of its upstream: the tag would name a commit the remote (and the "
    "release workflow) does not have yet.",
    "Push the branch first: `git push`.",
)

UNPULLED_COMMITS = Rule(
    "RA107",
    "Upstream has commits not pulled",
    "The upstream branch is ahead of HEAD: the release would miss commits that are "
    "already on the release branch.",
    "Update the branch: `git pull --ff-only` (then run the checks again).",
)

SHALLOW_CLONE = Rule(
    "RA108",
    "Shallow clone",
    "The repository is a shallow clone: history-based answers (ahead/behind, tags, "
    "versions computed from tags) are incomplete.",
    "Fetch the whole history: `git fetch --unshallow`.",
)

TAG_EXISTS_LOCALLY = Rule(
    "RA109",
    "Tag already exists locally",
    "A local tag with the release tag's name points at another commit; creating the tag "
    "would fail, and pushing it would release that other commit.",
    "If the version was already released, bump it (`release-assistant bump patch`); if "
    "the local tag is a mistake, delete it: `git tag -d vX.Y.Z`.",
)

TAG_EXISTS_ON_ORIGIN = Rule(
    "RA110",
    "Tag already exists on origin",
    "origin already has a tag with the release tag's name at another commit: the version "
    "was released (or reserved) before, and the push would be rejected.",
    "Bump the version (`release-assistant bump patch`); a published tag should not be moved.",
)

NO_COMMITS_YET = Rule(
    "RA111",
    "No commits yet",
    "The repository has no commit, so there is nothing to tag.",
    "Commit the project first: `git add -A && git commit`.",
)

TAG_ALREADY_ON_HEAD = Rule(
    "RA112",
    "Tag already points at this commit",
    "Info: the release tag exists and names HEAD, so this run verifies a release that was "
    "already tagged (as the release workflow does).",
    "Nothing to fix; `release-assistant release` publishes the GitHub release for it.",
    severity=Severity.INFO,
)

VERSION_ALREADY_TAGGED = Rule(
    "RA113",
    "The version is already tagged (between releases)",
    "Without a tag to release (`check` with no `--tag`), the project's version already "
    "has its tag at an older commit: it was released, and the next release needs a new "
    "version. Only when a release is being made (`--tag`, `tag`, the walkthrough) is "
    "this an error (RA109/RA110).",
    "Bump before releasing: `release-assistant bump patch` (or minor, major).",
    severity=Severity.INFO,
)

RULES: tuple[Rule, ...] = (
    NOT_ON_RELEASE_BRANCH,
    DETACHED_HEAD,
    UNCOMMITTED_CHANGES,
    UNTRACKED_FILES,
    NO_UPSTREAM,
    UNPUSHED_COMMITS,
    UNPULLED_COMMITS,
    SHALLOW_CLONE,
    TAG_EXISTS_LOCALLY,
    TAG_EXISTS_ON_ORIGIN,
    NO_COMMITS_YET,
    TAG_ALREADY_ON_HEAD,
    VERSION_ALREADY_TAGGED,
)
