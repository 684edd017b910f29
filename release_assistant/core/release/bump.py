"""``bump``: the next version (PEP 440), and the plan that writes it everywhere it is kept.

The version is written to ``[project].version`` or ``[tool.poetry].version`` with
:mod:`tomlkit` (comments and layout kept), to ``setup.cfg``'s ``[metadata] version``, to the
file a dynamic version is read from, to every ``version_files`` entry and the package's
discovered ``__version__``, and to the changelog, in its own dialect
(:mod:`release_assistant.core.changelog.writer`): the pending notes become the release's,
dated today, with an empty ``Unreleased`` kept on top where the file has one; compare links
are updated. A towncrier project gets ``towncrier build --version X.Y.Z --yes`` instead.
A version computed from git tags (setuptools-scm, hatch-vcs) has no file to edit: only the
changelog moves, and the tag sets the version. A version whose tag exists already (or that
the caller's ``taken`` says the index has) is refused, naming the next free one.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from packaging.version import Version

from release_assistant.core.project.tags import format_tag, resolve_tag_format
from release_assistant.core.project.version_files import find_version_in_text, parse_version
from release_assistant.core.release.files import FileEdit, write_all
from release_assistant.core.release.plan import Action, ActionFailed, Plan
from release_assistant.core.support.confined import is_inside, resolve_inside, setting_name
from release_assistant.core.support.errors import InputError, StepFailed
from release_assistant.core.support.textfiles import FileProblem, decode_text, read_bytes
from release_assistant.core.support.user_regex import PatternProblem

if TYPE_CHECKING:
    from release_assistant.core.context import RepoContext

#: The named bumps ``release-assistant bump`` accepts (besides an explicit version).
BUMP_CHOICES: tuple[str, ...] = ("major", "minor", "patch", "pre", "post", "dev")


class BumpError(StepFailed):
    """The bump cannot be planned; ``str()`` is one line saying why and what to do."""


class UnknownBump(InputError):
    """The bump asked for is neither a part name nor a PEP 440 version: a usage error."""


def next_version(current: Version, choice: str) -> Version:
    """The version after ``current`` for ``choice`` (a :data:`BUMP_CHOICES` name or a version).

    ``major``/``minor``/``patch`` drop pre/post/dev suffixes, and on a pre-release of
    ``X.Y.Z`` (or a dev release) the part that is already bumped is only finalized
    (``1.3.0rc1`` → ``patch`` → ``1.3.0``); ``pre`` counts a pre-release up
    (``1.2.4rc1`` → ``1.2.4rc2``) or starts ``rc1`` of the next patch; ``post`` and ``dev``
    count their segment up. An explicit version must be greater than ``current``.
    """
    major, minor, patch = [*current.release, 0, 0][:3]
    unstable = current.is_prerelease
    if choice == "major":
        bumped = major if unstable and minor == patch == 0 else major + 1
        return Version(f"{bumped}.0.0")
    if choice == "minor":
        bumped = minor if unstable and patch == 0 else minor + 1
        return Version(f"{major}.{bumped}.0")
    if choice == "patch":
        return Version(f"{major}.{minor}.{patch if unstable else patch + 1}")
    if choice == "pre":
        if current.pre is not None:
            phase, number = current.pre
            if current.dev is not None:  # 1.2.4rc1.dev3 -> 1.2.4rc1
                return Version(f"{major}.{minor}.{patch}{phase}{number}")
            return Version(f"{major}.{minor}.{patch}{phase}{number + 1}")
        base = patch if current.dev is not None else patch + 1
        return Version(f"{major}.{minor}.{base}rc1")
    if choice == "post":
        return Version(f"{current.base_version}{_pre(current)}.post{(current.post or 0) + 1}")
    if choice == "dev":
        if current.dev is not None:
            return Version(f"{str(current).rsplit('.dev', 1)[0]}.dev{current.dev + 1}")
        return Version(f"{major}.{minor}.{patch + 1}.dev1")
    wanted = parse_version(choice.removeprefix("v").removeprefix("V"))
    if wanted is None:
        raise UnknownBump(
            f"{choice!r} is neither {', '.join(BUMP_CHOICES)} nor a PEP 440 version like 1.2.3"
        )
    if wanted <= current:
        raise BumpError(f"{wanted} is not greater than the current version {current}")
    return wanted


def _pre(version: Version) -> str:
    return "" if version.pre is None else f"{version.pre[0]}{version.pre[1]}"


def choices(current: Version) -> list[tuple[str, Version]]:
    """Every named bump with the version it gives, for the CLI's help and the walkthrough."""
    return [(name, next_version(current, name)) for name in BUMP_CHOICES]


@dataclass(slots=True)
class BumpPlan:
    """A planned bump: the versions, the file edits, and the plan that writes them.

    ``steps`` run before the edits are written: a tool that writes the notes itself
    (``towncrier build``), so that when it fails or is missing nothing has been written;
    ``step_paths`` are the root-relative files they change (the news file, the fragments).
    """

    current: Version
    new: Version
    edits: tuple[FileEdit, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    steps: tuple[Action, ...] = field(default_factory=tuple)
    step_paths: tuple[str, ...] = field(default_factory=tuple)

    @property
    def changed_paths(self) -> tuple[str, ...]:
        """Every root-relative file the plan changes: the edits, then the steps' files (the
        release commit holds exactly these)."""
        edited = tuple(edit.relpath for edit in self.edits)
        return edited + tuple(path for path in self.step_paths if path not in edited)

    def plan(self) -> Plan:
        """The plan: the ``steps``, then one step that writes every edited file at once
        (all or nothing)."""
        edits = list(self.edits)
        names = ", ".join(edit.relpath for edit in edits)
        # A step before the writes (towncrier) has changed files of its own by then.
        before = "; ".join(
            f"`{step.description}` had run: `git status` shows what it changed"
            for step in self.steps
        )

        def write() -> str:
            from release_assistant.core.release.files import WriteFailed

            try:
                write_all(edits)
            except WriteFailed as failure:
                unchanged = "no version file was changed" if before else "no file was changed"
                raise ActionFailed(
                    f"{failure}; {unchanged}" + (f"; {before}" if before else "")
                ) from None
            return f"version {self.current} -> {self.new}: wrote {names}"

        writes = (Action(f"write {names} (all or nothing)", True, write),) if edits else ()
        actions = (*self.steps, *writes)
        return Plan(
            f"bump {self.current} -> {self.new}",
            actions,
            diffs=tuple(edit.diff() for edit in edits),
            notes=self.notes,
        )


def plan_bump(
    ctx: RepoContext,
    choice: str,
    *,
    taken: Callable[[Version], str | None] | None = None,
    command: str = "bump",
) -> BumpPlan:
    """Plan the bump of ``ctx``'s project by ``choice``; :class:`BumpError` when it cannot be.

    A version whose tag exists already is refused, naming the next free version; so is one
    ``taken`` says is taken (it returns why, e.g. "the index already has 8.5.1", or
    ``None``): the release procedure passes the package index's answer. ``command`` is the
    command a refusal advises running again (``ship`` names itself). Reads the files, changes
    nothing.
    """
    try:
        return _plan_bump(ctx, choice, taken, command)
    except FileProblem as problem:
        # A file the bump must read is unreadable or lies outside the work tree: the
        # bump is refused (exit 1), naming the file and the setting, like `check`.
        raise BumpError(str(problem)) from None


def _plan_bump(
    ctx: RepoContext, choice: str, taken: Callable[[Version], str | None] | None, command: str
) -> BumpPlan:
    files = _Files(ctx.root_dir, _path_settings(ctx))
    notes: list[str] = []
    current, current_text, setup_cfg = _current_version(ctx, files, notes)
    source = ctx.release.source
    new = next_version(current, choice)
    _refuse_taken(ctx, choice, new, taken, command)

    if setup_cfg is not None:
        files.replace_on_line("setup.cfg", setup_cfg[1], current_text, str(new))
    elif source is not None and not source.from_vcs:
        _bump_source(files, source.description, source.path, source.line, current_text, str(new))
        _bump_version_files(ctx, files, current, str(new), notes)
    towncrier = _towncrier_step(ctx, new, notes)
    if towncrier is None:
        _bump_changelog(ctx, files, current, new, notes)
        return BumpPlan(current, new, tuple(files.edits()), tuple(notes))
    step, paths = towncrier
    return BumpPlan(current, new, tuple(files.edits()), tuple(notes), (step,), paths)


#: How many versions past a taken one are tried for a free one.
_FREE_SEARCH = 100


def _refuse_taken(
    ctx: RepoContext,
    choice: str,
    new: Version,
    taken: Callable[[Version], str | None] | None,
    command: str,
) -> None:
    """:class:`BumpError` when ``new`` is tagged already or ``taken``, naming the next free
    version: the same bump again (``patch`` past an explicit version)."""
    tag_format = tag_format_in_use(ctx)

    def why(version: Version) -> str | None:
        tag = format_tag(tag_format, str(version))
        if _tag_exists(ctx.root_dir, tag):
            return f"{version} is already tagged ({tag})"
        reason = taken(version) if taken is not None else None
        return f"{version} is taken: {reason}" if reason else None

    reason = why(new)
    if reason is None:
        return
    step = choice if choice in BUMP_CHOICES else "patch"
    candidate = new
    for _ in range(_FREE_SEARCH):
        candidate = next_version(candidate, step)
        if why(candidate) is None:
            raise BumpError(
                f"{reason}; the next free version is {candidate}: "
                f"release-assistant {command} {candidate}"
            )
    raise BumpError(f"{reason}, and so are the next {_FREE_SEARCH} versions: pick one by hand")


def tag_format_in_use(ctx: RepoContext) -> str:
    """The tag format of ``ctx``'s project, read afresh (not :attr:`RepoContext.tag_format`,
    cached when the context was made): configured, inferred from the tags, or the default."""
    data = ctx.pyproject.data if ctx.pyproject is not None else None
    return resolve_tag_format(ctx.config.tag_format, ctx.root_dir, ctx.git_root, data).format


def _tag_exists(root: str, tag: str) -> bool:
    """True when ``tag`` exists locally, or as a fetched remote-tracking tag
    (``refs/remotes/<remote>/tags/<tag>``, where a repository fetches tags so)."""
    from release_assistant.core.git.readonly import run_git
    from release_assistant.core.git.refnames import tag_name_problem

    if tag_name_problem(tag) is not None:
        return False  # the tag command refuses the name itself
    # Both patterns start with "refs/", so git never reads them as options.
    output = run_git(
        root,
        ["for-each-ref", "--format=%(refname)", f"refs/tags/{tag}", f"refs/remotes/*/tags/{tag}"],
    )
    if output is None or not output.ok:
        return False  # no repository (or no git): nothing is tagged
    # for-each-ref also matches a pattern as a prefix up to a slash (refs/tags/v1/x).
    return any(
        name == f"refs/tags/{tag}"
        or (name.startswith("refs/remotes/") and name.endswith(f"/tags/{tag}"))
        for name in output.text().splitlines()
    )


def _current_version(
    ctx: RepoContext, files: _Files, notes: list[str]
) -> tuple[Version, str, tuple[str, int] | None]:
    """The version to bump from, as written, and ``setup.cfg``'s (value, line) when it is
    kept there; :class:`BumpError` when there is none."""
    target = ctx.release
    source = target.source
    setup_cfg = None
    if source is None:
        setup_cfg = _setup_cfg_version(files)
        if setup_cfg is None:
            reason = target.findings[0].message if target.findings else "no version found"
            raise BumpError(f"cannot bump: {reason}")
    if setup_cfg is not None:
        current_text = setup_cfg[0]
    elif source is not None and source.from_vcs:
        current_text = _latest_released(ctx)
        notes.append(
            f"the version comes from the {source.description}: no file holds it, so only the "
            "changelog changes; the tag sets the version"
        )
    elif source is not None and source.value is not None:
        current_text = source.value
    else:
        unread = (source.unread if source is not None else None) or "no version found"
        raise BumpError(
            f"cannot bump: {unread}; change the version where it is kept, then release it "
            "with its tag (release-assistant tag --push)"
        )
    current = parse_version(current_text)
    if current is None:
        raise BumpError(f"the current version {current_text!r} is not a PEP 440 version")
    return current, current_text, setup_cfg


def _path_settings(ctx: RepoContext) -> dict[str, str]:
    """Each path the configuration or the project names, with the setting that names it."""
    settings = {entry.path: setting_name("version_files") for entry in ctx.config.version_files}
    source = ctx.release.source
    if source is not None and source.path is not None:
        settings.setdefault(source.path, f"the version source ({source.description})")
    changelog = ctx.changelog_file.relpath
    if changelog is not None:
        settings[changelog] = ctx.changelog_setting
    return settings


def _latest_released(ctx: RepoContext) -> str:
    changelog = ctx.changelog
    # A section still marked pending (`## 1.3.0 (unreleased)`) is the release being made.
    releases = changelog.releases if changelog else []
    versions = [s.version for s in releases if s.version and not s.is_pending]
    if not versions:
        # No changelog release to read (reno's notes, no changelog): the tags are the
        # releases of a version computed from them.
        versions = _tagged_versions(ctx)
    if not versions:
        raise BumpError(
            "the version comes from git tags and the changelog names no release yet: "
            "pass the version to release, e.g. `release-assistant bump 0.1.0`"
        )
    return str(max(versions))


def _tagged_versions(ctx: RepoContext) -> list[Version]:
    """The final and pre-release versions the repository's tags name (in its tag format)."""
    from release_assistant.core.project.tags import repository_tags, tag_pattern

    pattern = tag_pattern(tag_format_in_use(ctx))
    found = []
    for tag in repository_tags(ctx.root_dir):
        match = pattern.match(tag)
        version = parse_version(match.group("version")) if match else None
        if version is not None and not version.is_devrelease:
            found.append(version)
    return found


class _Files:
    """The files a bump reads and edits, each read once and edited in memory.

    Every path is confined to the work tree (symlinks followed) and must be a regular UTF-8
    text file (:mod:`~release_assistant.core.support.confined`): nothing outside it is read,
    shown in a diff, or written. ``settings`` names where each configured path comes from.
    """

    def __init__(self, root: str, settings: dict[str, str] | None = None) -> None:
        self.root = root
        self.settings = settings or {}
        self._texts: dict[str, tuple[str, bytes, str]] = {}
        self._new: dict[str, str] = {}
        self._real: dict[str, str] = {}

    def _inside(self, relpath: str) -> str:
        """The real path of ``relpath``; :class:`BumpError` naming the setting outside."""
        if relpath not in self._real:
            try:
                self._real[relpath] = resolve_inside(
                    self.root, relpath, self.settings.get(relpath), "read or written"
                )
            except FileProblem as problem:
                raise BumpError(problem.message) from None
        return self._real[relpath]

    def read(self, relpath: str) -> str:
        if relpath in self._new:
            return self._new[relpath]
        path = self._inside(relpath)
        try:
            data = read_bytes(path)  # regular files only: no FIFO, device or directory
        except FileProblem as problem:
            raise BumpError(f"{relpath}: {problem.message}") from None
        try:
            if b"\x00" in data:  # never shown in a diff: it is no plain text file
                raise FileProblem(relpath, "holds NUL bytes: not a plain text file")
            text = decode_text(data, relpath)
        except FileProblem as problem:
            raise BumpError(str(problem)) from None
        newline = "\r\n" if b"\r\n" in data else "\n"
        self._texts[relpath] = (text, data, newline)
        self._new[relpath] = text
        return text

    def exists(self, relpath: str) -> bool:
        path = os.path.join(self.root, relpath)
        # Anything under a configured name counts (and is then refused by name when read);
        # a file only looked for (the package's __version__) counts when it is a regular
        # file inside the tree, as the version check counts it.
        if relpath in self.settings:
            return os.path.lexists(path)
        return is_inside(self.root, path) and os.path.isfile(path)

    def write(self, relpath: str, text: str) -> None:
        self.read(relpath)
        self._new[relpath] = text

    def replace_on_line(self, relpath: str, line: int | None, old: str, new: str) -> None:
        text = self.read(relpath)
        lines = text.split("\n")
        index = (line or 0) - 1
        if not 0 <= index < len(lines) or old not in lines[index]:
            found = [i for i, text_line in enumerate(lines) if old in text_line]
            if not found:
                raise BumpError(f"{relpath}: cannot find version {old!r} to replace")
            index = found[0]
        lines[index] = lines[index].replace(old, new, 1)
        self.write(relpath, "\n".join(lines))

    def edits(self) -> list[FileEdit]:
        out = []
        for relpath, new in self._new.items():
            old, data, newline = self._texts[relpath]
            if new != old:
                # The real path: a link inside the tree keeps pointing at the edited file.
                out.append(FileEdit(self._inside(relpath), relpath, old, new, data, newline))
        return out


def _bump_source(
    files: _Files,
    description: str,
    relpath: str | None,
    line: int | None,
    old: str,
    new: str,
) -> None:
    if relpath == "pyproject.toml" and "[project].version" in description:
        _set_toml_version(files, ("project", "version"), new)
    elif relpath == "pyproject.toml" and "[tool.poetry].version" in description:
        _set_toml_version(files, ("tool", "poetry", "version"), new)
    elif relpath is not None:
        files.replace_on_line(relpath, line, old, new)
    else:
        raise BumpError(f"cannot tell which file holds the version ({description})")


def _set_toml_version(files: _Files, key: tuple[str, ...], new: str) -> None:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    text = files.read("pyproject.toml")
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise BumpError(f"pyproject.toml: {exc}") from None
    table: tomlkit.items.Item | tomlkit.TOMLDocument = document
    for part in key[:-1]:
        table = table[part]  # type: ignore[index]
    old = table[key[-1]]  # type: ignore[index]
    value = tomlkit.string(new)
    # Keep the comment and the spacing around the old value: only the version changes.
    if hasattr(old, "trivia"):
        value.trivia.indent = old.trivia.indent
        value.trivia.comment_ws = old.trivia.comment_ws
        value.trivia.comment = old.trivia.comment
        value.trivia.trail = old.trivia.trail
    table[key[-1]] = value  # type: ignore[index]
    files.write("pyproject.toml", tomlkit.dumps(document))


_SETUP_CFG_VERSION = re.compile(r"^version\s*=\s*(?P<version>\S+)\s*$")


def _setup_cfg_version(files: _Files) -> tuple[str, int] | None:
    """``[metadata] version`` of ``setup.cfg``: (value, line), or ``None``."""
    if not files.exists("setup.cfg"):
        return None
    section = ""
    for number, text in enumerate(files.read("setup.cfg").split("\n"), start=1):
        stripped = text.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
            continue
        match = _SETUP_CFG_VERSION.match(stripped)
        if (
            section == "metadata"
            and match
            and not match.group("version").startswith(("attr:", "file:"))
        ):
            return match.group("version"), number
    return None


def _bump_version_files(
    ctx: RepoContext, files: _Files, current: Version, new: str, notes: list[str]
) -> None:
    entries = [(entry.path, entry.pattern) for entry in ctx.config.version_files]
    if not entries:
        discovered = _discovered_version_file(ctx, files, current)
        if discovered is not None:
            entries = [(discovered, None)]
            notes.append(f"{discovered} repeats the version in __version__: it is bumped too")
    for relpath, pattern in entries:
        text = files.read(relpath)
        try:
            found = find_version_in_text(text, pattern, "version_files pattern")
        except PatternProblem as problem:
            raise BumpError(f"{relpath}: {problem}") from None
        if found is None:
            raise BumpError(f"{relpath}: no version assignment found (version_files)")
        value, line = found
        if value == new:
            continue
        files.replace_on_line(relpath, line, value, new)


_DUNDER_VERSION = r"(?m)^__version__\s*=\s*['\"](?P<version>[^'\"]+)['\"]"


def _discovered_version_file(ctx: RepoContext, files: _Files, current: Version) -> str | None:
    """The package's ``__init__.py``/``_version.py``/``__about__.py`` that assigns the
    current version to ``__version__``, when there is exactly such a file."""
    data = ctx.pyproject.data if ctx.pyproject is not None else {}
    project = data.get("project") or data.get("tool", {}).get("poetry") or {}
    name = project.get("name") if isinstance(project, dict) else None
    if not isinstance(name, str):
        return None
    package = re.sub(r"[-_.]+", "_", name).lower()
    for base in (package, f"src/{package}"):
        for module in ("__init__.py", "_version.py", "__about__.py", "version.py"):
            relpath = f"{base}/{module}"
            if not files.exists(relpath):
                continue
            found = find_version_in_text(files.read(relpath), _DUNDER_VERSION)
            if found is not None and parse_version(found[0]) == current:
                return relpath
    return None


def _bump_changelog(
    ctx: RepoContext, files: _Files, current: Version, new: Version, notes: list[str]
) -> None:
    """Release the changelog's pending notes as ``new``, in the file's own dialect
    (:func:`~release_assistant.core.changelog.writer.release_unreleased`)."""
    relpath = ctx.changelog_file.relpath
    if relpath is None or not files.exists(relpath):
        where = relpath or "changelog (none found: set changelog in [tool.release-assistant])"
        notes.append(f"no {where}: no changelog section is written")
        return
    from release_assistant.core.changelog.parser import parse_changelog, syntax_of
    from release_assistant.core.changelog.writer import WriteProblem, release_unreleased

    linked = _link_target(ctx.root_dir, relpath)
    if linked is not None:
        # Replacing the link would cut it from the file it shows (uvicorn's CHANGELOG.md
        # links docs/release-notes.md): the notes are written into that file.
        notes.append(f"{relpath} links to {linked}: the release is written there")
        relpath = linked
    text = files.read(relpath)
    changelog = parse_changelog(text, syntax_of(relpath))
    new_tag = format_tag(tag_format_in_use(ctx), str(new))
    written = release_unreleased(text, changelog, new, ctx.today, new_tag=new_tag)
    if isinstance(written, WriteProblem):
        notes.append(f"{relpath}: {written.message}")
        return
    notes.extend(f"{relpath}: {note}" for note in written.notes)
    files.write(relpath, written.text)


def _link_target(root: str, relpath: str) -> str | None:
    """The root-relative file a symbolic link at ``relpath`` leads to, when it stays inside
    ``root``; ``None`` for a regular file (or a link leading out, which writing refuses)."""
    path = os.path.join(root, relpath)
    if not os.path.islink(path):
        return None
    real_root = os.path.realpath(root)
    target = os.path.realpath(path)
    if not target.startswith(real_root + os.sep) or not os.path.isfile(target):
        return None
    return os.path.relpath(target, real_root).replace(os.sep, "/")


#: The command that writes a towncrier project's notes into its changelog.
TOWNCRIER = "towncrier"
#: Seconds ``towncrier build`` may take (it renders a template and runs ``git rm``).
TOWNCRIER_TIMEOUT = 120.0


def towncrier_command(new: Version) -> str:
    """The exact command that releases a towncrier project's fragments as ``new``."""
    return f"{TOWNCRIER} build --version {new} --yes"


def _towncrier_step(
    ctx: RepoContext, new: Version, notes: list[str]
) -> tuple[Action, tuple[str, ...]] | None:
    """The ``towncrier build`` step when ``[tool.towncrier]`` is configured, and the files
    it changes (its news file, the fragments it removes); ``None``: not a towncrier project,
    or its changelog already has the release's section.

    towncrier writes the notes in the project's own template and removes the fragments;
    when it is not on ``PATH`` the step names the command and blocks the bump before
    anything is written.
    """
    if ctx.towncrier is None:
        return None
    relpath = ctx.changelog_file.relpath or "the changelog"
    changelog = ctx.changelog
    if changelog is not None and changelog.find(new) is not None:
        notes.append(f"{relpath}: a section for {new} exists already: towncrier is not run")
        return None
    command = towncrier_command(new)
    fragments = ctx.fragments
    if fragments is None or not fragments.count:
        notes.append(
            f"towncrier finds no fragments: {relpath} gets a {new} section saying "
            "'No significant changes.'"
        )
    executable = shutil.which(TOWNCRIER, path=ctx.environ.get("PATH"))
    if executable is None:
        notes.append(
            f"towncrier is not on PATH: install it (pip install towncrier), or run "
            f"`{command}` yourself and bump again"
        )
    root = ctx.root_dir

    def build() -> str:
        found = shutil.which(TOWNCRIER, path=ctx.environ.get("PATH"))
        if found is None:
            raise ActionFailed(
                f"towncrier is not on PATH, so `{command}` cannot run; install it "
                "(pip install towncrier) and bump again; nothing was changed",
                recovery=(command,),
            )
        return _run_towncrier(found, new, root, relpath)

    filename = ctx.towncrier.get("filename", "NEWS.rst")
    news = filename.replace(os.sep, "/").removeprefix("./") if isinstance(filename, str) else None
    paths = [news] if news else []
    if fragments is not None:
        paths += [f"{fragments.directory}/{name}" for name in fragments.names]
    return Action(command, True, build), tuple(paths)


def _run_towncrier(executable: str, new: Version, root: str, relpath: str) -> str:
    import shlex

    from release_assistant.core.release.pre_release_commands import run_command

    printed: list[str] = []
    command = shlex.join([executable, "build", "--version", str(new), "--yes"])
    code = run_command(command, root, printed.append, timeout=TOWNCRIER_TIMEOUT)
    if code != 0:
        tail = " | ".join(line.strip() for line in printed[-4:] if line.strip())
        what = "did not finish" if code is None else f"failed (exit code {code})"
        raise ActionFailed(
            f"{towncrier_command(new)} {what}: {tail}; the version was not written",
            recovery=(towncrier_command(new),),
        )
    return f"towncrier wrote the notes for {new} into {relpath}"


def bump_menu(ctx: RepoContext) -> tuple[Version, list[tuple[str, Version]]]:
    """The current version and every named bump with the version it gives.

    The walkthrough's bump menu; the current version is found exactly as :func:`plan_bump`
    finds it (pyproject, setup.cfg, or the changelog for a version from git tags).
    :class:`BumpError` when there is no version to bump.
    """
    current = _current_version(ctx, _Files(ctx.root_dir), [])[0]
    return current, choices(current)
