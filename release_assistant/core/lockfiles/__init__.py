"""Lock files (``uv.lock``, ``poetry.lock``, ``pdm.lock``): parse only what is needed, decide
whether each is in sync with ``pyproject.toml`` the way its tool decides, offline.

Modules:

- :mod:`.pep508`: names, specifiers and markers on ``packaging``'s public API (a package, one
  module per concern; the marker modules load only when a marker needs them), compared the
  way uv compares them (specifier sets by admitted versions, markers in uv's marker model),
  ``requires-python`` bounds;
- :mod:`.exclude_newer`: uv's ``exclude-newer`` values (instants, dates, durations);
- :mod:`.text`: conflict markers, cheap TOML sanity, slices and line numbers;
- :mod:`.uv`: ``uv.lock`` against the workspace, as ``uv lock --check`` decides (a package;
  its entry is ``uv.check``);
- :mod:`.poetry`: ``poetry.lock`` ``content-hash`` (Poetry 1.x and 2.x);
- :mod:`.pdm`: ``pdm.lock`` ``content_hash``;
- :mod:`.generic`: git state, missing or duplicated locks, non-portable sources.

Nothing here imports pydantic, GitPython or a UI: the ``check-lock-file`` pre-commit hook runs
this code on every commit.
"""
