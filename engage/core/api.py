"""What every domain's JSON API shares: the Bearer token scheme, JSON-only bodies, staff endpoints, paging."""

from collections.abc import Callable
from functools import wraps
from http import HTTPStatus

from flask import current_app, request
from flask_babel import gettext as _
from flask_smorest import Blueprint
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from engage.core.error_handlers import error_response
from engage.extensions import api

TOKEN_SCHEME = "bearerAuth"
STAFF_ONLY = {"security": [{TOKEN_SCHEME: []}]}
_STAFF_TOKEN_CHECK = "engage.staff_token_check"


def use_staff_token_check(app, has_staff_token: Callable[[], bool]) -> None:
    """Say how a staff endpoint knows its caller: core knows no accounts, the accounts domain plugs this in."""
    app.extensions[_STAFF_TOKEN_CHECK] = has_staff_token


def api_blueprint(name: str, import_name: str, url_prefix: str, description: str) -> Blueprint:
    """A blueprint under /api/v1 that takes only JSON bodies and knows the token scheme."""
    bp = Blueprint(name, import_name, url_prefix=url_prefix, description=description)
    bp.record_once(_declare_token_scheme)
    bp.before_request(_require_json_body)
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


def staff_endpoint(bp: Blueprint, *error_statuses: int):
    """Require a staff API token (checked before the body is read) and document 401, 403 and ``error_statuses``."""

    def decorate(view):
        view = _staff_token_required(view)
        for status in (401, 403, *error_statuses):
            view = bp.alt_response(status, response=HTTPStatus(status).name)(view)
        return bp.doc(**STAFF_ONLY)(view)

    return decorate


def _staff_token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        # A missing check is a set-up mistake; refusing everyone is safer than letting everyone in.
        has_staff_token = current_app.extensions.get(_STAFF_TOKEN_CHECK)
        if has_staff_token is None or not has_staff_token():
            raise Unauthorized(www_authenticate=WWWAuthenticate("bearer"))
        return view(*args, **kwargs)

    return wrapper


def page_args(args: dict) -> dict:
    return {"page": args["page"], "per_page": args["per_page"]}
