"""``python -m release_assistant`` runs the CLI."""

from release_assistant.cli import main

raise SystemExit(main())
