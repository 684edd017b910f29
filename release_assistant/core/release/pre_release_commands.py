"""The pre-release commands the walkthrough runs, their output streamed line by line.

They are the configured ``[tool.release-assistant] commands`` (e.g. ``"nox -s docs"``) and,
when the repository has a ``.pre-commit-config.yaml``, its own hooks over every file
(``pre-commit run --all-files``). Each command is split as a shell would split it
(:func:`shlex.split`) but run without a shell, in the repository root, with no input; its
standard output and error arrive as one stream through ``on_line``.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import threading
from collections.abc import Callable

from release_assistant.core.context import RepoContext

PRE_COMMIT = "pre-commit run --all-files"
#: A release check that runs longer than this is stuck (a prompt, a server): it is stopped.
TIMEOUT_SECONDS = 1800.0


def release_commands(ctx: RepoContext) -> list[str]:
    """The commands to run before tagging, in order: configured ones, then pre-commit."""
    commands = list(ctx.config.commands)
    if os.path.isfile(ctx.path(".pre-commit-config.yaml")) and PRE_COMMIT not in commands:
        commands.append(PRE_COMMIT)
    return commands


def run_command(
    command: str,
    cwd: str,
    on_line: Callable[[str], None],
    *,
    timeout: float = TIMEOUT_SECONDS,
    environ: dict[str, str] | None = None,
) -> int | None:
    """Run ``command``, calling ``on_line`` for each line it prints; its exit code.

    ``None`` when it could not start (the reason is the last line passed to ``on_line``) or
    was stopped after ``timeout`` seconds.
    """
    try:
        args = shlex.split(command)
    except ValueError as error:
        on_line(f"cannot read the command {command!r}: {error}")
        return None
    if not args:
        return 0
    try:
        process = subprocess.Popen(
            args,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            env=environ,
        )
    except OSError as error:
        on_line(f"cannot start {args[0]!r}: {error.strerror or error}")
        return None
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        process.kill()

    timer = threading.Timer(timeout, stop)
    timer.start()
    try:
        assert process.stdout is not None
        for line in process.stdout:
            on_line(line.rstrip("\n"))
        code = process.wait()
    finally:
        timer.cancel()
    if timed_out.is_set():
        on_line(f"stopped after {timeout:.0f} s")
        return None
    return code
