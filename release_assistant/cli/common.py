"""Helpers shared by command modules: repository and context loading, output streams."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from release_assistant.core.support.errors import UsageError

if TYPE_CHECKING:
    from release_assistant.core.report.run_report import Report


def add_repo_argument(parser: argparse.ArgumentParser) -> None:
    """``--repo DIR`` (default: the current directory)."""
    parser.add_argument(
        "--repo",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="repository to check (default: current directory)",
    )


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """``--tag``, ``--only``, ``--skip`` and ``--strict``: what :func:`run_selected_checks`
    reads."""
    parser.add_argument(
        "--tag", help="tag under release, e.g. v1.2.3 (default: the tag for the project's version)"
    )
    parser.add_argument(
        "--only", action="append", metavar="ID[,ID...]", help="run only these checks"
    )
    parser.add_argument(
        "--skip", action="append", metavar="ID[,ID...]", help="do not run these checks"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="warnings block too: a blocking check that warns counts as failed (exit 1)",
    )
    parser.add_argument(
        "--package",
        metavar="NAME",
        help="in a repository of several packages (a monorepo or a workspace), the package "
        "to check: its distribution name or its folder (workflows are still read from the "
        "repository's root)",
    )


def repo_root(args: argparse.Namespace) -> Path:
    """The project of the ``--repo`` directory, validated.

    A directory inside a git repository resolves to its project (the nearest
    ``pyproject.toml`` up to the repository's root, else that root), so commands run in
    ``src/`` work on the whole project.
    """
    from release_assistant.core.git.repository import find_project_root

    root: Path = args.repo
    if not root.exists():
        raise UsageError(f"--repo {root}: no such directory")
    if not root.is_dir():
        raise UsageError(f"--repo {root}: not a directory")
    project = Path(find_project_root(root))
    package: str | None = getattr(args, "package", None)
    return project if package is None else package_root(project, package)


def package_root(project: Path, wanted: str) -> Path:
    """The folder of the package ``wanted`` (distribution name or folder) of the repository
    holding ``project``: the workspace's members, or the packages in the usual folders.

    Raises :class:`UsageError` naming the packages there are when none is ``wanted``.
    """
    from release_assistant.core.context import find_git_root
    from release_assistant.core.project.packages import find_packages, pick_package
    from release_assistant.core.support.errors import LocatedError
    from release_assistant.core.support.toml_lines import load_toml

    top = find_git_root(str(project))
    pyproject_path = Path(top) / "pyproject.toml"
    data = None
    if pyproject_path.is_file():
        try:
            data = load_toml(pyproject_path).data
        except LocatedError as error:
            raise UsageError(str(error)) from None
    packages = find_packages(top, data)
    chosen = pick_package(packages, wanted)
    if chosen is None:
        known = ", ".join(f"{p.name} ({p.directory}/)" for p in packages) or "none found"
        raise UsageError(f"--package {wanted!r}: no such package in {top} (packages: {known})")
    return Path(top) / chosen.directory


def tagged_package_root(root: Path, tag: str) -> Path:
    """``root``, or the package below it that ``tag`` names (``core-v2.1.0`` for
    ``pydantic-core`` in the repository of ``pydantic``; said on stderr): the release of a
    package of a monorepo is judged on that package."""
    from release_assistant.core.context import RepoContext, find_git_root
    from release_assistant.core.project.names import project_name
    from release_assistant.core.project.packages import find_packages, package_for_tag

    if find_git_root(str(root)) != str(root.resolve()):
        return root
    ctx = RepoContext.load(root)
    data = ctx.pyproject.data if ctx.pyproject is not None else None
    packages = find_packages(ctx.root_dir, data)
    found = package_for_tag(packages, tag, project_name(data, ctx.root_dir))
    if found is None:
        return root
    package, _ = found
    print(
        f"release-assistant: note: tag {tag} names {package.name} ({package.directory}/): "
        "checking that package",
        file=sys.stderr,
    )
    return root / package.directory


def published_package_root(root: Path) -> Path:
    """``root``, or, when it is the root of a repository of several packages, the one package
    there is or the one package its publishing workflows build (said on stderr)."""
    from release_assistant.core.context import RepoContext, find_git_root
    from release_assistant.core.project.packages import (
        built_packages,
        find_packages,
        is_monorepo_root,
    )

    if find_git_root(str(root)) != str(root.resolve()):
        return root
    ctx = RepoContext.load(root)
    data = ctx.pyproject.data if ctx.pyproject is not None else None
    if not is_monorepo_root(data):
        return root
    if data is None and any((root / name).is_file() for name in ("setup.py", "setup.cfg")):
        return root  # a project of the setup.py days, not a monorepo
    packages = find_packages(ctx.root_dir, data)
    why = "the only package of the repository"
    if len(packages) > 1:
        packages = built_packages(packages, ctx.workflows.publishing)
        why = "the package the publishing workflows build"
    if len(packages) != 1:
        return root
    (package,) = packages
    print(
        f"release-assistant: note: checking {package.name} ({package.directory}/), {why}; "
        "--package NAME checks another",
        file=sys.stderr,
    )
    return root / package.directory


def finish_interrupted_write(root: Path, *, report_only: bool = False) -> None:
    """Roll back a multi-file write a kill interrupted (``bump``, ``ship``), or with
    ``report_only`` (``check``, ``--dry-run``) only say it is pending: one line on stderr."""
    from release_assistant.core.release.files import (
        describe_interrupted_write,
        recover_interrupted_write,
    )

    recover = describe_interrupted_write if report_only else recover_interrupted_write
    if (done := recover(str(root))) is not None:
        print(f"release-assistant: note: {done}", file=sys.stderr)


def split_ids(values: list[str] | None) -> list[str]:
    """``--only a,b --only c`` -> ``["a", "b", "c"]``."""
    ids: list[str] = []
    for value in values or []:
        ids.extend(part.strip() for part in value.split(",") if part.strip())
    return ids


def validated_tag(tag: str | None) -> str | None:
    """``--tag`` checked against git's ref-name rules before anything reaches git, and
    returned as the short name (``refs/tags/`` removed): the one value every check reads."""
    from release_assistant.core.git.refnames import tag_name_problem

    if tag is None:
        return None
    if (problem := tag_name_problem(tag)) is not None:
        raise UsageError(f"--tag {tag!r}: {problem}")
    return tag.removeprefix("refs/tags/")


def run_selected_checks(args: argparse.Namespace) -> Report:
    """Run the checks chosen by ``--repo``, ``--tag``, ``--only`` and ``--skip``.

    Shared by ``check`` and ``report``, so both validate the same way and report the same
    results.
    """
    from release_assistant.core.context import RepoContext
    from release_assistant.core.engine import known_check_ids, run_checks, select_checks
    from release_assistant.core.git.readonly import head_commit
    from release_assistant.core.report.run_report import build_report

    root = repo_root(args)
    tag = validated_tag(args.tag)
    if getattr(args, "package", None) is None:
        root = tagged_package_root(root, tag) if tag else published_package_root(root)
    finish_interrupted_write(root, report_only=True)
    try:
        specs = select_checks(split_ids(args.only), split_ids(args.skip))
    except KeyError as unknown:
        raise UsageError(
            f"unknown check id {unknown.args[0]!r} (known: {', '.join(known_check_ids())})"
        ) from None
    ctx = RepoContext.load(root, tag=tag)
    results = run_checks(ctx, specs)
    return build_report(
        root,
        ctx.release.tag,
        ctx.release.version_text,
        results,
        git_commit=head_commit(root),
        strict=getattr(args, "strict", False),
    )
