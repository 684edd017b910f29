"""Fix texts that several rules share."""

from __future__ import annotations

ID_TOKEN = "Give the publish job (only it) the permission:\n  permissions:\n    id-token: write"
PUBLISHER_FIX = (
    "Compare the values `release-assistant setup` prints with the publisher registered on the\n"
    "index (project > Settings > Publishing, or the pending publisher on your account page).\n"
    "Owner, repository, workflow file name and environment must match exactly; fix the\n"
    "registration or the workflow, then re-run the failed job."
)
