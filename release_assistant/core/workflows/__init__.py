"""GitHub workflows: read as GitHub reads them, modelled, and the identity PyPI will see."""
