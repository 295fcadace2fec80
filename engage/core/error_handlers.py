"""One mapping from errors to answers: JSON under /api/, a page everywhere else."""

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from engage.core.errors import DomainError, ValidationFailed
from engage.core.forms import was_refused
from engage.extensions import db

log = logging.getLogger(__name__)

# Werkzeug's own descriptions are English only; these are what people read instead.
HTTP_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please authenticate first."),
    403: _l("You are not allowed to do this."),
    404: _l("The page or record you asked for does not exist."),
    405: _l("This method is not allowed here."),
    409: _l("This cannot be done at the moment."),
    413: _l("The file or request is too large."),
    415: _l("This content type is not supported."),
    422: _l("Some of the information you entered is not valid."),
    429: _l("Too many requests. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. Please try again later."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message, errors: dict | None = None) -> Response:
    if wants_json():
        body = {"code": status, "message": str(message)}
        if errors:
            body["errors"] = errors
        return make_response(jsonify(body), status)
    return make_response(render_template("errors/error.html", status=status, message=message, errors=errors), status)


def too_many_requests(error, message) -> Response:
    """A 429 in the visitor's language that says why, keeping the limiter's headers (Retry-After...)."""
    response = error_response(429, message)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def flatten_webargs_messages(messages: dict) -> dict:
    """webargs nests field errors under their location ({"json": {...}}); clients want the fields."""
    flat: dict = {}
    for location_errors in messages.values():
        if isinstance(location_errors, dict):
            flat.update(location_errors)
    # marshmallow keeps a lazily translated message as it is instead of in a list; clients get lists of text.
    return {field: errors if isinstance(errors, list | dict) else [str(errors)] for field, errors in flat.items()}


def handle_domain_error(error: DomainError):
    db.session.rollback()
    errors = error.errors if isinstance(error, ValidationFailed) else None
    if errors is None and error.field:
        errors = {error.field: [str(error.message)]}
    return error_response(error.status_code, error.message, errors)


def handle_csrf_error(error: CSRFError):
    message = _("The form has expired or was sent from elsewhere. Please reload the page and try again.")
    return error_response(400, message)


def handle_http_exception(error: HTTPException):
    db.session.rollback()
    status = error.code or 500
    errors = None
    data = getattr(error, "data", None)
    if isinstance(data, dict) and "messages" in data:
        errors = flatten_webargs_messages(data["messages"])
    message = HTTP_MESSAGES.get(status, error.description)
    response = error_response(status, message, errors)
    # Keep what the exception tells the client beyond its body: Allow on 405, Retry-After on 429.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_unexpected(error: Exception):
    log.exception("Unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    return error_response(500, HTTP_MESSAGES[500])


def register(app: Flask) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)

    @app.after_request
    def commit_successful_request(response):
        # Services only flush; a request that ended well commits once, anything else is rolled back. This is the
        # only rollback a page needs: one that showed a refused service call (``show_refusal``) did not end well,
        # even when it answers with a redirect, so nothing the service flushed before refusing is kept.
        if not db.session.registry.has():
            return response  # the request never used the database (a cached page, a static file)
        if response.status_code < 400 and not was_refused():
            db.session.commit()
        else:
            db.session.rollback()
        return response
