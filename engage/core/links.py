"""Absolute links for messages: built on ``PUBLIC_URL``, the address citizens reach, in a job or a request alike.

A request may come in through an intranet name or a proxy; a message must carry the public address, and a
background job has no request at all, so links in messages never come from ``url_for(..., _external=True)``.
"""

from urllib.parse import urlsplit

from flask import current_app


def public_url(endpoint: str, **values) -> str:
    parts = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path.rstrip("/") or "/",
                                       url_scheme=parts.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)
