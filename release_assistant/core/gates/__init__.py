"""Release gates over JSON artifacts (the built-in one is the seed's ``parity`` gate).

Validation (``parity``, ``jsondoc``) is standard library only, because the
``check-parity-artifacts`` pre-commit hook runs it. The artifacts are standard dataclasses
(``parity.artifacts``, ``parity.result``); pydantic validates them and publishes their JSON
Schemas (``models``), and the generator (``parity_generate``) uses it: both are imported only
off the hook path (the CLI, the report).
"""
