"""Entry point: parse arguments, dispatch to a command module, map errors to exit codes.

The exit code of an error comes from its family alone
(:func:`~release_assistant.core.support.errors.exit_code_for`): the commands raise, they do
not decide; a bug of ours is one line, with its traceback in a file.

Each command lives in its own module exposing ``register(subparsers)``, which adds its
parser and sets ``handler`` to a function ``(args) -> int``. Command modules import the core
lazily inside their handlers, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn, TextIO

from release_assistant import __version__
from release_assistant.core.support.errors import ExitCode, StepFailed, exit_code_for

#: Command modules, in the order ``--help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "release_assistant.cli.check_cmd",
    "release_assistant.cli.ship_cmd",
    "release_assistant.cli.bump_cmd",
    "release_assistant.cli.tag_cmd",
    "release_assistant.cli.release_cmd",
    "release_assistant.cli.watch_cmd",
    "release_assistant.cli.build_cmd",
    "release_assistant.cli.schema_cmd",
    "release_assistant.cli.tui_cmd",
    "release_assistant.cli.workflow_cmd",
    "release_assistant.cli.explain_cmd",
    "release_assistant.cli.setup_cmd",
    "release_assistant.cli.gate_cmd",
    "release_assistant.cli.report_cmd",
    "release_assistant.cli.completion_cmd",
)


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line (and exit code 2), not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The full parser with every command registered."""
    parser = OneLineParser(
        prog="release-assistant",
        description="Checks, hooks and a guided walkthrough for safe PyPI releases "
        "with Trusted Publishing. Without a command, starts the interactive walkthrough.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=OneLineParser
    )
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code; never lets a traceback reach the user."""
    if sys.stdin is None:
        # A closed standard input (`0<&-`): read as an empty one, so that a question is
        # refused as on any input that is no terminal, in one line.
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 (for the whole run)
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    if words and words[0].startswith("-") and words[0] not in ("-h", "--help", "--version"):
        # `release-assistant --repo DIR` is the walkthrough with its options.
        words = ["tui", *words]
    args = parser.parse_args(words)
    handler = getattr(args, "handler", None)
    if handler is None:
        if args.command is None and "release_assistant.cli.tui_cmd" in COMMAND_MODULES:
            args = parser.parse_args(["tui"])
            handler = args.handler
        else:
            parser.print_help()
            return ExitCode.USAGE
    if args.command in (None, "tui"):
        return _run(handler, args)
    # Everything the other commands print passes the redaction (no credential on a terminal
    # or in a CI log); the walkthrough draws through Textual's driver and redacts its data.
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = RedactingStream(sys.stdout), RedactingStream(sys.stderr)
    try:
        return _run(handler, args)
    finally:
        sys.stdout, sys.stderr = saved


class RedactingStream:
    """A text stream that masks credentials (:func:`core.redact.redact`) in what it writes."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from release_assistant.core.redact import redact

        self._stream.write(redact(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _run(handler: Any, args: argparse.Namespace) -> int:
    try:
        code: int = handler(args)
        return code
    except BrokenPipeError:
        # The reader went away (`release-assistant explain --list | head`): not an error of
        # ours. Point stdout at /dev/null so the interpreter's final flush stays quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.BROKEN_PIPE
    except KeyboardInterrupt:
        print(
            "release-assistant: interrupted; nothing was changed after this point", file=sys.stderr
        )
        return ExitCode.INTERRUPTED
    except Exception as error:
        exit_code = exit_code_for(error)
        if exit_code is ExitCode.INTERNAL:
            if os.environ.get("RELEASE_ASSISTANT_DEBUG"):
                raise
            from release_assistant.core.report.crash import report_crash

            print(report_crash(error, getattr(args, "repo", None)).line, file=sys.stderr)
        else:
            what = "refused" if isinstance(error, StepFailed) else "error"
            print(f"release-assistant: {what}: {error}", file=sys.stderr)
        return exit_code
