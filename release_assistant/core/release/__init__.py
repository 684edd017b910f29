"""The release itself: plans of actions (bump, tag, push, publish) and the GitHub API.

Every command that changes something first builds a :class:`~.plan.Plan`; the CLI prints it
(``--dry-run`` stops there), asks, and runs it; the walkthrough shows the same plan in its
confirmation dialog. Nothing here prints or exits.
"""

from __future__ import annotations
