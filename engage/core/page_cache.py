"""Whole public pages cached for anonymous visitors, with each visitor's own tokens filled in on the way out.

A consultation page is read far more often than it changes, and rendering it (articles, comments, the comment
form) costs twenty times a bare request. The HTML is cached under a key that names everything it depends on
(the address, the language, the record's ``public_version``, the status and the day), so an entry is never
stale: a change makes a new key and old entries age out. The two per-visitor values in a form, the CSRF token
and the one-time submission token, are cached as slots and filled in for each answer.

Entries are kept as UTF-8 bytes, ready to send: a long Chinese page would otherwise be decoded from the cache
and encoded again on every request, a cost that grows with the page.
"""

import hashlib
import uuid
from collections.abc import Callable

from flask import current_app, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from engage.extensions import cache

CSRF_SLOT = b"__ENGAGE_CSRF_TOKEN__"
FORM_TOKEN_SLOT = b"__ENGAGE_FORM_TOKEN__"


def is_cacheable() -> bool:
    """Only what every anonymous visitor sees alike: no logged-in navigation, no one-off messages.

    A login puts ``_user_id`` in the session (Engage issues no remember-me cookies), so the session tells
    without loading the user; a session that strong protection is about to clear only errs towards rendering.
    """
    return request.method in ("GET", "HEAD") and "_user_id" not in session and "_flashes" not in session


def serve(depends_on: tuple, render: Callable[[], str]) -> bytes:
    """The page for this request (UTF-8) from the cache, rendering it with ``render`` when it is not there yet."""
    key = "page:" + hashlib.sha256(repr((request.full_path, str(get_locale()), depends_on)).encode()).hexdigest()
    entry = cache.get(key)
    if entry is None:
        html = render().encode()
        # Which slots the page has is noted once, rather than looked for through the whole page on every request.
        entry = (html, CSRF_SLOT in html, FORM_TOKEN_SLOT in html)
        cache.set(key, entry)
    html, has_csrf_slot, has_form_token_slot = entry
    if has_csrf_slot:
        html = html.replace(CSRF_SLOT, generate_csrf().encode())
    if has_form_token_slot:
        html = html.replace(FORM_TOKEN_SLOT, uuid.uuid4().hex.encode())
    return html


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


def leave_slots(form) -> None:
    """Make ``form`` render slots instead of this visitor's tokens, for a page that is going into the cache."""
    if "csrf_token" in form:
        form.csrf_token.current_token = CSRF_SLOT.decode()
    if "submission_token" in form:
        form.submission_token.data = FORM_TOKEN_SLOT.decode()
