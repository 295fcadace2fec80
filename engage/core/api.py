"""What every domain's JSON API shares: the Bearer token scheme, JSON-only bodies, staff endpoints, paging."""

from collections.abc import Callable
from http import HTTPStatus

from flask import current_app, request
from flask_babel import gettext as _
from flask_smorest import Blueprint
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from engage.core.error_handlers import error_response
from engage.extensions import api, db

TOKEN_SCHEME = "bearerAuth"
STAFF_ONLY = {"security": [{TOKEN_SCHEME: []}]}
_STAFF_TOKEN_CHECK = "engage.staff_token_check"
_STAFF_AUTHORISE = "_engage_staff_authorise"


def use_staff_token_check(app, has_staff_token: Callable[[], bool]) -> None:
    """Say how a staff endpoint knows its caller: core knows no accounts, the accounts domain plugs this in."""
    app.extensions[_STAFF_TOKEN_CHECK] = has_staff_token


class ApiBlueprint(Blueprint):
    """flask-smorest's Blueprint, documenting the answers ``_require_json_body`` gives before any view runs."""

    def arguments(self, schema, *, location="json", **kwargs):
        """``Blueprint.arguments``; a JSON body also documents 400 (not JSON) and 415 (not sent as JSON)."""
        document_arguments = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return document_arguments

        def decorate(view):
            view = document_arguments(view)
            for status in (400, 415):
                view = self.alt_response(status, response=HTTPStatus(status).name)(view)
            return view

        return decorate


def api_blueprint(name: str, import_name: str, url_prefix: str, description: str) -> Blueprint:
    """A blueprint under /api/v1 that takes only JSON bodies, checks its staff endpoints and knows the token scheme."""
    bp = ApiBlueprint(name, import_name, url_prefix=url_prefix, description=description)
    bp.record_once(_declare_token_scheme)
    bp.before_request(_check_request)
    return bp


def _declare_token_scheme(_state) -> None:
    if TOKEN_SCHEME not in api.spec.components.security_schemes:
        api.spec.components.security_scheme(
            TOKEN_SCHEME,
            {"type": "http", "scheme": "bearer",
             "description": "A personal API token, created by staff on their account page."},
        )


def _require_json_body():
    # Without this a form-encoded body would only show up as "body: required", which hides the real mistake.
    has_body = request.content_length or request.headers.get("Transfer-Encoding")
    if request.method not in ("POST", "PATCH", "PUT") or not has_body:
        return None
    if not request.is_json:
        return error_response(415, _("Send the request body as JSON (Content-Type: application/json)."))
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        # Python's parser gives up on deep nesting ("[" 50,000 times) with RecursionError, not a ValueError.
        return error_response(400, _("The request body is not valid JSON: it is nested too deeply."))
    if body is None:
        return error_response(400, _("The request body is not valid JSON."))
    return None


def staff_endpoint(bp: Blueprint, *error_statuses: int, authorise: Callable[..., object]):
    """Make a view staff-only and document 401, 403 and ``error_statuses``.

    ``authorise`` takes the path's values (``consultation_id=...``) and raises ``NotAllowed`` (403) or
    ``NotFound`` (404) for a caller who may not use the endpoint on that record. The blueprint's request hook runs
    it after the token check and before anything the caller sent is read, so a wrong role is told 403 whatever
    its body, wherever this decorator sits among the others.
    """
    if _check_request not in bp.before_request_funcs.get(None, []):
        raise RuntimeError(f"{bp.name} is not an api_blueprint: its staff endpoints would not be checked")

    def decorate(view):
        # Every decorator around the view copies its attributes (functools.wraps), so the routed view keeps it.
        setattr(view, _STAFF_AUTHORISE, authorise)
        for status in (401, 403, *error_statuses):
            view = bp.alt_response(status, response=HTTPStatus(status).name)(view)
        return bp.doc(**STAFF_ONLY)(view)

    return decorate


def is_staff_view(view) -> bool:
    return getattr(view, _STAFF_AUTHORISE, None) is not None


def _check_request():
    """Before the view and its argument parsing: who is calling, may they, then whether the body is JSON."""
    authorise = getattr(current_app.view_functions.get(request.endpoint), _STAFF_AUTHORISE, None)
    if authorise is not None:
        # A missing check is a set-up mistake; refusing everyone is safer than letting everyone in.
        has_staff_token = current_app.extensions.get(_STAFF_TOKEN_CHECK)
        if has_staff_token is None or not has_staff_token():
            raise Unauthorized(www_authenticate=WWWAuthenticate("bearer"))
        authorise(**(request.view_args or {}))
        # The view reads the records again, some under a row lock: they must come from the database then,
        # not from what authorise() loaded before the lock was taken.
        db.session.expire_all()
    return _require_json_body()


def page_args(args: dict) -> dict:
    return {"page": args["page"], "per_page": args["per_page"]}


def cursor_args(args: dict) -> dict:
    return {"per_page": args["per_page"], "after": args.get("after"), "before": args.get("before")}
