"""Whole public pages cached for anonymous visitors, and the validators (ETag, Last-Modified) that go with them.

A consultation page is read far more often than it changes, and rendering it (articles, comments, the comment
form) costs twenty times a bare request. The HTML is cached under a key that names everything it depends on
(the address, the language, the record's ``public_version``, the status and the day), so an entry is never
stale: a change makes a new key and old entries age out. The page holds nothing of one visitor's own: the
comment form's tokens come from ``/form-tokens`` (docs/HTTP_CACHING.md), so a proxy may keep the page too.

The key is also the page's ETag: a reader who already has this version is answered 304 before anything is
looked up or rendered, by any worker, whether or not it has the page in its own cache.

Entries are kept as UTF-8 bytes, ready to send: a long Chinese page would otherwise be decoded from the cache
and encoded again on every request, a cost that grows with the page.
"""

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Response, current_app, request, session
from flask_babel import get_locale

from engage.core import http_cache
from engage.extensions import cache


def is_cacheable() -> bool:
    """Only what every anonymous visitor sees alike: no logged-in navigation, no one-off messages.

    A login puts ``_user_id`` in the session (Engage issues no remember-me cookies), so the session tells
    without loading the user; a session that strong protection is about to clear only errs towards rendering.
    """
    return request.method in ("GET", "HEAD") and "_user_id" not in session and "_flashes" not in session


def serve(depends_on: tuple, render: Callable[[], str]) -> Response:
    """The page for this request from the cache (or 304), rendering it with ``render`` when it is not there yet."""
    digest = hashlib.sha256(repr((request.full_path, str(get_locale()), depends_on)).encode()).hexdigest()
    etag = digest[:32]
    if etag in request.if_none_match:
        return http_cache.not_modified(etag)
    key = f"page:{digest}"
    entry = cache.get(key)
    if entry is None:
        # Seconds are all Last-Modified can say; the rendering time is what this worker knows of the version.
        entry = (render().encode(), datetime.now(UTC).replace(microsecond=0))
        cache.set(key, entry)
    html, rendered_at = entry
    response = current_app.response_class(html, mimetype="text/html")
    response.set_etag(etag)
    response.last_modified = rendered_at
    return response


def remembered(key: str, compute: Callable[[], tuple]) -> tuple:
    """``compute()``, remembered by this worker for PAGE_CACHE_STATE_SECONDS.

    A popular page is asked for hundreds of times a second; its cache key's inputs need not come from the
    database each time. A change shows within that many seconds (0 asks every time).
    """
    seconds = current_app.config["PAGE_CACHE_STATE_SECONDS"]
    if not seconds:
        return compute()
    value = cache.get(f"state:{key}")
    if value is None:
        value = compute()
        cache.set(f"state:{key}", value, timeout=seconds)
    return value
