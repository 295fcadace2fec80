"""What every answer tells caches: who may keep it, for how long, and how to ask whether it changed.

Public pages and public API answers are the same for every anonymous visitor (their forms' tokens come from
``/form-tokens``), so a shared cache in front of Engage (docs/HTTP_CACHING.md) may keep them for a few seconds
and serve a stale copy while it fetches the next. Everything else is ``private, no-store``: staff pages, forms
with tokens, receipts, sign-up look-ups. Only views marked with ``public`` can be public, and even they answer
privately when the answer is not the anonymous one: a logged-in visitor, a flashed message, a cookie being set,
an Authorization header, an error.
"""

from datetime import UTC, datetime

from flask import Flask, Response, current_app, request, session
from flask.sessions import SecureCookieSessionInterface

from engage.extensions import cache

_PUBLIC = "_engage_public"
PRIVATE = "private, no-store"


def public(view):
    """Mark a view whose anonymous answer every visitor shares, so caches may keep it."""
    # Decorators around the view copy its attributes (functools.wraps), so the routed view keeps the mark.
    setattr(view, _PUBLIC, True)
    return view


def not_modified(etag: str) -> Response:
    """A 304 for a reader who has this version; ``register``'s hook adds the headers a 200 would have had."""
    response = current_app.response_class(status=304)
    response.set_etag(etag)
    return response


def _is_public_view() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, _PUBLIC, False)


def _sets_cookie(response: Response) -> bool:
    # Flask writes the session cookie after these hooks run: ask whether it is going to, as save_session does.
    if "Set-Cookie" in response.headers:
        return True
    refresh = session.permanent and current_app.config["SESSION_REFRESH_EACH_REQUEST"]
    return session.modified or bool(session and refresh)


def _is_anonymous_answer(response: Response) -> bool:
    return (request.method in ("GET", "HEAD") and response.status_code in (200, 304)
            and "Authorization" not in request.headers and "_user_id" not in session
            and "_flashes" not in session and not _sets_cookie(response))


def public_cache_control() -> str:
    config = current_app.config
    return (f"public, max-age={config['HTTP_CACHE_MAX_AGE']}, "
            f"stale-while-revalidate={config['HTTP_CACHE_STALE_SECONDS']}")


def _first_seen(etag: str) -> datetime:
    """When this worker first answered this body: what it can honestly call the last modification."""
    key = f"seen:{etag}"
    seen = cache.get(key)
    if seen is None:
        seen = datetime.now(UTC).replace(microsecond=0)
        cache.set(key, seen)
    return seen


def _add_validators(response: Response) -> None:
    if not response.get_etag()[0]:
        response.add_etag()
    if response.last_modified is None and response.status_code == 200:
        response.last_modified = _first_seen(response.get_etag()[0])


def _make_public(response: Response, *, by_language: bool) -> Response:
    if not (response.cache_control.public and response.cache_control.max_age):
        response.headers["Cache-Control"] = public_cache_control()
    if by_language and request.args.get("lang") not in current_app.config["LANGUAGES"]:
        # The cookie ``lang`` (Vary: Cookie, which reading the session adds) comes first, then Accept-Language.
        response.vary.add("Accept-Language")
    if response.direct_passthrough or response.is_streamed:
        return response  # files: send_file gave them validators of their own and answered conditionally
    _add_validators(response)
    return response.make_conditional(request)


def apply_policy(response: Response) -> Response:
    """Public caching for a marked view's anonymous answer, ``private, no-store`` for every other answer."""
    if request.endpoint == "static":
        shared = request.method in ("GET", "HEAD") and response.status_code in (200, 206, 304)
        return _make_public(response, by_language=False) if shared else response
    if _is_public_view() and _is_anonymous_answer(response):
        return _make_public(response, by_language=True)
    response.headers["Cache-Control"] = PRIVATE
    return response


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that static files leave the session alone.

    Request hooks look at the session for every request; Flask then adds ``Vary: Cookie``, and a shared cache
    would keep one copy of a stylesheet per visitor although a file is the same whatever the cookie.
    """

    def save_session(self, app, session, response) -> None:
        if request.endpoint == "static" and not session.modified:
            return
        super().save_session(app, session, response)


def register(app: Flask) -> None:
    app.session_interface = _SessionInterface()
    app.after_request(apply_policy)
