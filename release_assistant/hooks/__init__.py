"""Pre-commit hook entry points: thin adapters that run one core check and print findings.

Each hook is its own module with ``main(argv) -> int`` (see ``.pre-commit-hooks.yaml``).
A hook run is dominated by interpreter start-up, so nothing here imports the TUI, GitPython
or pydantic; ``tests/test_import_hygiene.py`` holds that line.
"""
