"""The ``workflow`` check's analysis, one module per rule family; each docstring lists its codes.

(Named ``analysis`` rather than ``rules`` so that "rules" means one thing in this code base:
the rule registry, ``core/rules/``, where every code's text and severity are declared.)

:mod:`.analyse` runs them over one workflow (``state`` is what they share: the findings,
once each). The families: :mod:`.choice` (which workflow publishes), :mod:`.structure`
(what GitHub rejects or reads differently), :mod:`.triggers`, :mod:`.reusable`,
:mod:`.tokens` (token against trusted publishing), :mod:`.publish_jobs` (validation first,
an environment), :mod:`.environments` (an environment name that can be empty),
:mod:`.handover` (build to publish: artifacts, ``needs``), :mod:`.indexes` (where an upload
goes), :mod:`.permissions` (``id-token``), :mod:`.checkout` (credential-keeping checkouts),
:mod:`.pinning` (action references, and third-party code beside the OIDC token, pinned or
not). Each code's severity, cause and fix live in the rule registry,
``core/rules/workflow.py``.
"""
