"""Whole public pages cached for anonymous visitors, and the validators (ETag, Last-Modified) that go with them.

A consultation page is read far more often than it changes, and rendering it (articles, comments, the comment
form) costs twenty times a bare request. The HTML is cached under a key that names everything it depends on
(the address, the language, the record's ``public_version``, the status and the day), so an entry is never
stale: a change makes a new key and old entries age out. The page holds nothing of one visitor's own: the
comment form's tokens come from ``/form-tokens`` (docs/HTTP_CACHING.md), so a proxy may keep the page too.

The key is also the page's ETag: a reader who already has this version is answered 304 before anything is
looked up or rendered, by any worker, whether or not it has the page in its own cache. For as long as the
page's state is trusted (PAGE_CACHE_STATE_SECONDS), the same question from the same kind of visitor is then
answered by ``NotModifiedReplay`` in front of Flask, with the headers Flask gave: that is most of a reader's
revisits, and what a proxy's revalidation asks.

Entries are kept as UTF-8 bytes, ready to send: a long Chinese page would otherwise be decoded from the cache
and encoded again on every request, a cost that grows with the page.
"""

import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, Response, current_app, has_request_context, request, session
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
        if _STATE_UNTIL in request.environ:
            request.environ[_REPLAYABLE] = etag
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
    entry = cache.get(f"state:{key}")
    if entry is None:
        # Wall-clock time: with a shared cache (Redis) another process may have read it.
        entry = (compute(), time.time() + seconds)
        cache.set(f"state:{key}", entry, timeout=seconds)
    value, trusted_until = entry
    if has_request_context():
        request.environ[_STATE_UNTIL] = min(trusted_until, request.environ.get(_STATE_UNTIL, trusted_until))
    return value


#: until when the state this request's page was keyed on is trusted (the earliest of the states it read)
_STATE_UNTIL = "engage.page_state_until"
#: the ETag of a 304 that ``NotModifiedReplay`` may give again until then
_REPLAYABLE = "engage.replayable_304"


class NotModifiedReplay:
    """WSGI middleware: the 304 Flask just gave, given again to the same question while the page state holds.

    The question is the address, the cookies, Accept-Language and the scheme: everything the language, the
    login and the headers of the answer come from. Only anonymous questions (no session cookie, no
    Authorization) are answered here, and only with a public 304 Flask gave itself, so nothing is answered
    that Flask would not have answered the same way within PAGE_CACHE_STATE_SECONDS.
    """

    def __init__(self, wsgi_app, session_cookie: str, limit: int = 4096):
        self.wsgi_app, self._session_cookie, self._limit = wsgi_app, f"{session_cookie}=", limit
        self._answers: dict[tuple, tuple] = {}

    def _question(self, environ) -> tuple | None:
        if (environ["REQUEST_METHOD"] not in ("GET", "HEAD") or "HTTP_IF_NONE_MATCH" not in environ
                or "HTTP_AUTHORIZATION" in environ or self._session_cookie in environ.get("HTTP_COOKIE", "")):
            return None
        return (environ.get("PATH_INFO"), environ.get("QUERY_STRING"), environ.get("HTTP_COOKIE"),
                environ.get("HTTP_ACCEPT_LANGUAGE"), environ["wsgi.url_scheme"],
                environ.get("HTTP_X_FORWARDED_PROTO"))

    def __call__(self, environ, start_response):
        question = self._question(environ)
        if question is None:
            return self.wsgi_app(environ, start_response)
        answer = self._answers.get(question)
        if answer and answer[0] > time.time() and f'"{answer[1]}"' in environ["HTTP_IF_NONE_MATCH"]:
            start_response("304 NOT MODIFIED", answer[2])
            return []
        seen = {}

        def remember_start(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, remember_start)
        self._remember(question, environ, seen)
        return body

    def _remember(self, question: tuple, environ, seen: dict) -> None:
        etag = environ.get(_REPLAYABLE)
        if not etag or not seen.get("status", "").startswith("304"):
            return
        headers = seen["headers"]
        names = {name.lower(): value for name, value in headers}
        if "set-cookie" in names or not names.get("cache-control", "").startswith("public"):
            return
        if len(self._answers) >= self._limit:
            self._answers.clear()  # visitors' cookie strings vary without end; a clean start costs one request each
        self._answers[question] = (environ[_STATE_UNTIL], etag, list(headers))


def register(app: Flask) -> None:
    app.wsgi_app = NotModifiedReplay(app.wsgi_app, app.config["SESSION_COOKIE_NAME"])
