"""The parity gate (the seed's ``validate_parity_artifacts.py``), one module per concern.

``validate`` runs the rule families (``lock``, ``runs``, ``crosscheck``, ``aggregate``) over a
``state``; ``result`` holds the inputs, the verdict and the summary JSON; ``fields`` the typed
readers; ``verdict`` and ``artifacts`` the artifacts' dataclasses (validated and published by
pydantic in :mod:`release_assistant.core.gates.models`, off the hook path).
"""
