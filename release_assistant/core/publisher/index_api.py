"""Read-only requests to the package index's JSON and integrity APIs (``watch``).

Standard library only, like :mod:`~release_assistant.core.github.api`: no credential is ever
sent (the index's read APIs are public). Failures are :class:`ApiProblem` with the same
``kind`` values, so callers treat both services alike; a 404 is an answer here (``None``),
because "not there yet" is exactly what ``watch`` waits out.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from release_assistant.core.github.api import ApiProblem, open_url

#: Bytes read at most from one answer (a release's JSON is a few kilobytes).
MAX_ANSWER = 8 << 20


class IndexApi:
    """GET JSON from one index API base URL; ``timeout`` seconds in all per request, at
    most :data:`MAX_ANSWER` bytes per answer."""

    def __init__(self, base_url: str, timeout: float = 15.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    @property
    def host(self) -> str:
        """The index's host, for messages."""
        try:
            return urlsplit(self.base_url).hostname or self.base_url
        except ValueError:
            return self.base_url

    def get_json(self, url: str) -> Any | None:
        """The decoded JSON at ``url``; ``None`` when the index answers 404."""
        body = self._fetch(url, MAX_ANSWER)
        if body is None:
            return None
        if len(body) > MAX_ANSWER:
            raise ApiProblem("malformed", f"{self.host}: the answer is over {MAX_ANSWER} bytes")
        return self._decode(body)

    def probe_json(self, url: str, limit: int) -> tuple[bool, Any | None]:
        """Whether the index has ``url`` (``False`` on 404), and its decoded JSON when the
        answer fits in ``limit`` bytes (else ``None``, read no further).

        For questions the status alone answers, with the body as a bonus: a project's page
        lists every release with its files, megabytes for a long-lived project, and reading
        that would cost the time budget of a pre-release check.
        """
        body = self._fetch(url, limit)
        if body is None:
            return False, None
        if len(body) > limit:
            return True, None
        return True, self._decode(body)

    def _fetch(self, url: str, limit: int) -> bytes | None:
        """At most ``limit + 1`` bytes of the answer at ``url``; ``None`` on 404."""
        import urllib.error
        import urllib.request

        request = urllib.request.Request(url, method="GET")
        request.add_header("Accept", "application/json")
        request.add_header("User-Agent", "release-assistant")
        try:
            body, _ = open_url(
                request, self.host, self.timeout, lambda response: response.read(limit + 1)
            )
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            kind = "rate-limited" if error.code == 429 else "http"
            raise ApiProblem(kind, f"{self.host} answered {error.code}", error.code) from None
        return body

    def _decode(self, body: bytes) -> Any:
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ApiProblem("malformed", f"{self.host} answered with no JSON") from None
