"""The ``release-assistant`` command line: a thin adapter over ``release_assistant.core``."""

from release_assistant.cli.main import main

__all__ = ["main"]
