"""``release-assistant workflow init``: write a release workflow that passes the check."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from release_assistant.cli.common import add_repo_argument, finish_interrupted_write, repo_root
from release_assistant.core.support.errors import ExitCode, UsageError


def register(subparsers: Any) -> None:
    """Add the ``workflow`` command and its ``init`` sub-command."""
    parser = subparsers.add_parser(
        "workflow",
        help="write the trusted-publishing release workflow (workflow init)",
        description="Manage the release workflow.",
    )
    actions = parser.add_subparsers(dest="workflow_command", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help="write .github/workflows/release.yml (or the configured workflow)",
        description="Write a release workflow that follows the trusted-publishing model: a "
        "published release runs verify -> build (uploads dist/) -> publish-testpypi -> "
        "publish-pypi, each publish job with its environment and job-level id-token: write. "
        "Refuses to overwrite an existing file without --force.",
    )
    add_repo_argument(init)
    init.add_argument("--force", action="store_true", help="overwrite an existing workflow")
    init.add_argument(
        "--python",
        metavar="X.Y",
        help="Python version for the jobs (default: the newest that requires-python admits)",
    )
    init.add_argument(
        "--no-testpypi",
        action="store_true",
        help="publish to PyPI only (default: TestPyPI first; pre-releases stop there)",
    )
    init.add_argument(
        "--no-environment-url",
        action="store_true",
        help="do not link the environments to the project's page on the index",
    )
    init.add_argument(
        "--verify-job",
        action="store_true",
        help="check the release in the verify job with release-assistant's GitHub Action "
        "(one `uses:` step: annotations and the report in the job summary) instead of a "
        "`pip install` + `release-assistant report` step",
    )
    init.add_argument(
        "--action-ref",
        metavar="REF",
        help="with --verify-job: the action's commit SHA to pin it to (default: the tag of "
        "this release-assistant's version, which the workflow check asks you to pin)",
    )
    init.add_argument(
        "--dry-run", action="store_true", help="print the workflow instead of writing it"
    )
    init.set_defaults(handler=run_init)


def run_init(args: argparse.Namespace) -> int:
    """Render the workflow for the project and write it (or print it with ``--dry-run``)."""
    from release_assistant.core.project.config import load_config
    from release_assistant.core.workflows.template import (
        is_action_ref,
        is_python_version,
        plan_init,
        write_plan,
    )

    root = repo_root(args)
    finish_interrupted_write(root, report_only=args.dry_run)
    if args.python is not None and not is_python_version(args.python):
        raise UsageError(f"--python {args.python!r}: expected a version like 3.12")
    if args.action_ref is not None:
        if not args.verify_job:
            raise UsageError("--action-ref is for the action step: add --verify-job")
        if not is_action_ref(args.action_ref):
            raise UsageError(f"--action-ref {args.action_ref!r}: expected a commit SHA or a tag")
    loaded = load_config(root)
    config = loaded.config
    plan = plan_init(
        root,
        config.workflow,
        loaded.pyproject,
        python=args.python,
        pypi_environment=config.publisher.environment,
        testpypi_environment=config.publisher.testpypi_environment,
        testpypi=not args.no_testpypi,
        environment_urls=not args.no_environment_url,
        verify_action=args.verify_job,
        action_ref=args.action_ref,
    )
    if args.dry_run:
        sys.stdout.write(plan.text)
        if plan.exists and not args.force:
            print(
                f"note: {plan.relpath} exists; `workflow init --force` would overwrite it",
                file=sys.stderr,
            )
        return ExitCode.OK
    try:
        write_plan(plan, force=args.force)  # TemplateError: the user's input (2)
    except OSError as error:
        raise UsageError(f"{plan.relpath}: cannot write: {error.strerror or error}") from None
    verb = "overwrote" if plan.exists else "wrote"
    print(f"{verb} {plan.relpath}")
    print(
        "next: `release-assistant setup` lists what to register on PyPI and TestPyPI; "
        "`release-assistant check --only workflow,publisher` verifies it"
    )
    return ExitCode.OK
