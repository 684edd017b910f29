"""Headless core: pure functions over a repository on disk, returning typed results.

Nothing in this package prints, exits, or imports a UI; the CLI, the pre-commit hooks and
the Textual app are adapters over it.
"""
