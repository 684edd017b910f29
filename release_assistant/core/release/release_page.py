"""The GitHub "new release" page, prefilled: where a maintainer publishes the release.

Publishing the GitHub release is what triggers a trusted-publishing workflow. Until the
``release`` command publishes it through the API, the walkthrough shows this address: it opens
the form with the tag, the title and the notes already filled in.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

#: Longer notes are cut: browsers and GitHub refuse very long addresses (~8 kB is safe).
MAX_BODY_CHARS = 6000


def new_release_url(
    host: str, owner: str, repository: str, tag: str, notes: str, *, prerelease: bool = False
) -> str:
    """``https://HOST/OWNER/REPO/releases/new?tag=…&title=…&body=…`` for ``tag``.

    The notes become the release body (cut at :data:`MAX_BODY_CHARS`, with a line saying so);
    ``prerelease`` ticks "Set as a pre-release".
    """
    body = notes.strip()
    if len(body) > MAX_BODY_CHARS:
        body = body[:MAX_BODY_CHARS].rstrip() + "\n\n(cut: paste the rest from the changelog)"
    query = {"tag": tag, "title": tag, "body": body}
    if prerelease:
        query["prerelease"] = "1"
    path = f"{quote(owner, safe='')}/{quote(repository, safe='')}"
    return f"https://{host}/{path}/releases/new?{urlencode(query, quote_via=quote)}"
