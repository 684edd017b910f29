"""Release gates over JSON artifacts (the built-in one is the seed's ``parity`` gate).

Validation (``parity``, ``jsondoc``) is standard library only, because the
``check-parity-artifacts`` pre-commit hook runs it. The pydantic models of the artifacts
(``models``) and the generator (``parity_generate``) are imported only by the CLI.
"""
