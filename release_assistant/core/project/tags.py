"""How tags are spelt: the tag format in use, and the version a tag names.

``tag_format`` configured, else inferred from the repository's tags (``1.2.3``,
``v1.2.3``, ``name-v1.2.3``), else ``v{version}``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from packaging.version import Version

from release_assistant.core.project.names import project_name
from release_assistant.core.project.version_files import parse_version

#: The default tag format, used when nothing is configured and there are no version tags.
DEFAULT_TAG_FORMAT = "v{version}"
# A tag prefix that names no package: `v1.2.3`, `release-1.2.3`, `1.2.3`.
_GENERIC_PREFIX = re.compile(r"^(?:[vV]|version[-_]?v?|release[-_]?v?|rel[-_]?v?|ver[-_]?)?$")
# A tag as a prefix (no digit) and the version text after it.
_TAG_SPLIT = re.compile(r"^(?P<prefix>\D*)(?P<version>\d\S*)$")


@dataclass(slots=True)
class TagFormat:
    """The tag format in use: ``format`` (``v{version}``), why, and how sure it is.

    ``source`` is ``configured``, ``inferred`` (from ``tags`` version tags of the
    repository, ``example`` the newest) or ``default`` (no version tags yet).
    """

    format: str
    source: str
    tags: int = 0
    example: str | None = None
    #: The repository's tags of this format spell some versions other than PEP 440's
    #: normal form (``v2024.01.05``): its own convention, not a slip.
    padded: bool = False

    def describe(self) -> str:
        """The format and where it came from, in words."""
        if self.source == "configured":
            return f"tag format {self.format!r} (configured)"
        if self.source == "inferred":
            return (
                f"tag format {self.format!r} inferred from {self.tags} version tag"
                f"{'s' if self.tags != 1 else ''} (highest {self.example})"
            )
        return f"tag format {self.format!r} (the default: the repository has no version tags)"


def infer_tag_format(tags: Iterable[str], names: Sequence[str] = ()) -> TagFormat | None:
    """The format the repository's version tags follow now (``None``: no tag names a
    version).

    A tag is a prefix without digits and a PEP 440 version (``v1.2.3``, ``name-v1.2.3``,
    ``1.2.3``). Prefixes that start with one of ``names`` (the distribution's name, in a
    repository that publishes several) win; otherwise only prefixes that name nothing
    (``v``, ``release-``, none) count, unless there are no others. Among those, the prefix
    most of the five newest versions use: projects change style (``1.2.3`` for years, then
    ``v1.3.0``), and the newest tags show the current one.
    """
    families: dict[str, list[tuple[Version, str]]] = {}
    for tag in tags:
        match = _TAG_SPLIT.match(tag)
        if match is None:
            continue
        version = parse_version(match.group("version"))
        if version is None:
            continue
        families.setdefault(match.group("prefix"), []).append((version, tag))
    if not families:
        return None
    named = [prefix for prefix in families if any(prefix_names(prefix, n) for n in names if n)]
    generic = [prefix for prefix in families if _GENERIC_PREFIX.match(prefix)]
    pool = named or generic or list(families)
    newest = sorted(
        ((version, tag, prefix) for prefix in pool for version, tag in families[prefix]),
        reverse=True,
    )[:5]
    votes: dict[str, int] = {}
    for _, _, prefix in newest:
        votes[prefix] = votes.get(prefix, 0) + 1
    best = max(votes, key=lambda prefix: (votes[prefix], len(families[prefix])))
    example = max(families[best])[1]
    padded = any(tag[len(best) :] != str(version) for version, tag in families[best])
    return TagFormat(f"{best}{{version}}", "inferred", len(families[best]), example, padded)


#: What separates a package's name from the version in a tag: ``name-v1.2.3``,
#: ``name==1.2.3``, ``name/v1.2.3``, ``name@1.2.3``, ``name_1.2.3``.
_NAME_SEPARATORS = "-_.=/@ "


def prefix_names(prefix: str, name: str) -> bool:
    """True when a tag's ``prefix`` (the text before its version) names the distribution
    ``name`` and nothing more: ``name-v``, ``name==``, ``name/v``, ``name-`` (any spelling
    PEP 503 folds together), but not ``name-extra-v`` (another package's)."""
    folded = re.sub(r"[-_.]+", "-", prefix.lower())
    wanted = re.sub(r"[-_.]+", "-", name.lower())
    if not folded.startswith(wanted):
        return False
    rest = folded[len(wanted) :]
    if not rest or rest[0] not in _NAME_SEPARATORS:
        return False
    return _GENERIC_PREFIX.match(rest.lstrip(_NAME_SEPARATORS)) is not None


def tag_prefix(tag: str) -> str | None:
    """The text of ``tag`` before its version (``name-v`` of ``name-v1.2.3``); ``None`` when
    it names no version."""
    match = _TAG_SPLIT.match(tag.removeprefix("refs/tags/"))
    if match is None or parse_version(match.group("version")) is None:
        return None
    return match.group("prefix")


def tag_spellings(name: str, root_name: str | None) -> list[str]:
    """How tags may name the package ``name`` of the repository of ``root_name``: its name,
    and its name without the root project's (``core`` for ``pydantic-core`` beside
    ``pydantic``)."""
    spellings = [name]
    key = _normalized(name)
    root_key = _normalized(root_name) if root_name else None
    if root_key and key != root_key and key.startswith(root_key + "-"):
        spellings.append(key[len(root_key) + 1 :])
    return spellings


def root_project_name(git_root: str, root_dir: str) -> str | None:
    """The name of the project at the git root, when ``root_dir`` is a package below it."""
    if os.path.realpath(git_root) == os.path.realpath(root_dir):
        return None
    from release_assistant.core.support.textfiles import FileProblem
    from release_assistant.core.support.toml_lines import load_toml

    try:
        data = load_toml(os.path.join(git_root, "pyproject.toml")).data
    except FileProblem:
        return None
    return project_name(data, git_root)


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def repository_tags(root: str) -> list[str]:
    """The names of the repository's tags (none outside a repository)."""
    from release_assistant.core.git.readonly import run_git  # git runs only when a tag is judged

    output = run_git(root, ["tag", "--list"])
    return output.text().split() if output is not None and output.ok else []


def resolve_tag_format(
    configured: str | None, root_dir: str, git_root: str, pyproject: dict[str, Any] | None
) -> TagFormat:
    """The tag format of the project at ``root_dir`` (in the work tree at ``git_root``, with
    the parsed ``pyproject`` table): the ``configured`` one, else inferred from the
    repository's tags, else the default."""
    if configured is not None:
        return TagFormat(configured, "configured")
    tags = repository_tags(root_dir)
    name = project_name(pyproject, root_dir)
    names: list[str] = []
    if name:
        names = tag_spellings(name, root_project_name(git_root, root_dir))
    inferred = infer_tag_format(tags, names)
    return inferred if inferred is not None else TagFormat(DEFAULT_TAG_FORMAT, "default")


def tag_pattern(tag_format: str) -> re.Pattern[str]:
    """Regex matching tags made by ``tag_format`` (``v{version}`` -> ``^v(?P<version>.+)$``)."""
    prefix, _, suffix = tag_format.partition("{version}")
    return re.compile(f"^{re.escape(prefix)}(?P<version>.+?){re.escape(suffix)}$")


def format_tag(tag_format: str, version: str) -> str:
    """The tag name for ``version`` under ``tag_format``."""
    return tag_format.replace("{version}", version)


@dataclass(slots=True)
class TagVersion:
    """What a tag names: the version text, and whether it followed the format.

    ``follows_format`` is ``False`` for a tag read as a bare version (``1.2.3`` or
    ``v1.2.3``); ``case_only`` when the tag follows the format but for the letter case of
    its prefix or suffix (``V1.2.3`` for ``v{version}``).
    """

    tag: str
    version_text: str
    follows_format: bool
    case_only: bool = False


def version_from_tag(tag: str, tag_format: str) -> TagVersion:
    """Extract the version text from ``tag`` (``refs/tags/`` prefix accepted).

    A tag that does not follow ``tag_format`` is still read when it is a bare version
    (``1.2.3`` or ``v1.2.3``), flagged ``follows_format=False``.
    """
    name = tag.removeprefix("refs/tags/")
    if tag_format.startswith("{") and name[:1] in "vV":
        return TagVersion(name, name, False)  # `v1.2.3` is another format than `{version}`
    match = tag_pattern(tag_format).match(name)
    if match:
        return TagVersion(name, match.group("version"), True)
    loose = re.compile(tag_pattern(tag_format).pattern, re.IGNORECASE).match(name)
    if loose:
        return TagVersion(name, loose.group("version"), True, case_only=True)
    return TagVersion(name, name, False)
