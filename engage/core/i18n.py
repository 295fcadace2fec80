"""Choosing the interface language: the visitor's choice, else the browser's, else Simplified Chinese."""

from flask import current_app, g, has_request_context, request

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    if not has_request_context():
        # Command-line commands have no visitor: they speak the configured default language.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def forget_chosen_locale() -> None:
    """Each request chooses its language afresh: flask-babel keeps the choice on ``g``, and an application
    context that outlives one request (tests, a job rendering a message first) must not hand it to the next."""
    g.pop("_flask_babel", None)
