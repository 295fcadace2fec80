"""What every page form shares: the bases that refuse unstorable input, and the one way to show a refused call.

Every form derives from ``Form`` (GET filters, no CSRF token) or ``FlaskForm`` (everything that changes
something) below, so every text field refuses control characters and every whole-number field refuses
numbers the database cannot hold, without each form repeating it.
"""

from flask import flash, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm as _FlaskForm
from flask_wtf.csrf import CSRFError
from wtforms import Form as _Form
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import ValidationError

from engage.core.errors import DomainError, ValidationFailed
from engage.core.inputs import has_refused_characters, is_db_integer, without_refused_characters

SINGLE_LINE_REFUSED = _l("Line breaks, tabs and invisible control characters are not allowed here; they were "
                         "removed. Check the field and send it again.")
MULTILINE_REFUSED = _l("Invisible control characters were removed from this text. Check it and send it again.")
NUMBER_OUT_OF_RANGE = _l("This number is out of range.")


def strip_control_characters(value):
    """A field filter for searches and look-ups: what cannot be stored cannot be found either, so it is dropped."""
    return without_refused_characters(value) if isinstance(value, str) else value


def _refuse_control_characters(multiline: bool):
    def check(form, field):
        if isinstance(field.data, str) and has_refused_characters(field.data, multiline=multiline):
            # The form is shown again with the text: never with the raw characters in the page.
            field.data = without_refused_characters(field.data, multiline=multiline)
            raise ValidationError(MULTILINE_REFUSED if multiline else SINGLE_LINE_REFUSED)

    return check


def _refuse_numbers_too_large(form, field):
    if isinstance(field.data, int) and not is_db_integer(field.data):
        raise ValidationError(NUMBER_OUT_OF_RANGE)


class _StoredInputMeta:
    """Adds the checks to each field as the form is built (WTForms combines this with the base form's Meta)."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        # A new list: the validators given in the class body are shared by every instance of the form.
        if isinstance(field, StringField):
            field.validators = [*field.validators, _refuse_control_characters(isinstance(field, TextAreaField))]
        elif isinstance(field, IntegerField):
            field.validators = [*field.validators, _refuse_numbers_too_large]
        return field


class Form(_Form):
    Meta = _StoredInputMeta


class FlaskForm(_FlaskForm):
    Meta = _StoredInputMeta


def blank_form(form_class, **kwargs):
    """The form as a public page shows it: the same for every visitor, without a CSRF token of theirs.

    Building a FlaskForm makes this visitor's CSRF token, and with it a session cookie, which would keep a shared
    cache from keeping the page. The page's script asks ``/form-tokens`` for them (docs/HTTP_CACHING.md).
    """
    return form_class(meta={"csrf": False}, **kwargs)


def lacks_valid_token(form) -> bool:
    """Whether a submitted form came without a valid CSRF token (a browser without JavaScript sends none)."""
    return bool(form.meta.csrf and form.csrf_token.errors)


def is_cross_site() -> bool:
    """Whether the browser says the request came from another site: Fetch Metadata, else the Origin header."""
    site = request.headers.get("Sec-Fetch-Site")
    if site:
        return site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return bool(origin) and origin != request.host_url.rstrip("/")


def ask_to_confirm(form) -> None:
    """Make a form that came without a valid token ready to be shown again, with this visitor's token, to send.

    Nothing was done with what it carried. A form that the browser says came from another site is not even
    shown back, since that site could put its own words in the visitor's form: it is refused outright.
    """
    if is_cross_site():
        raise CSRFError()
    # Building the form for this POST made this visitor's token (and session): the field renders it.
    form.csrf_token.errors = []


# Kept on the request itself rather than on ``g``, which outlives one request when an app context is already pushed.
REFUSED = "engage.service_refused"


def show_refusal(error: DomainError, form=None, *, rename: dict | None = None, fallback: str | None = None,
                 keep_general: bool = False) -> None:
    """Put a refused service call's messages on ``form`` and mark the request as refused.

    ``rename`` maps a service's field names to the form's; a message for no field of the form goes to the
    ``fallback`` field if given, else (with ``keep_general``) to the form's own errors, which its template shows
    by its button, else to an error flash. Marking the request is what makes the request hook roll back
    whatever the service flushed before it refused, even when the page answers with a redirect.
    """
    request.environ[REFUSED] = True
    errors = error.errors if isinstance(error, ValidationFailed) else {error.field or "": [error.message]}
    for name, messages in errors.items():
        texts = [str(message) for message in messages]
        name = (rename or {}).get(name, name)
        field = form._fields.get(name) if form is not None and name != "csrf_token" else None
        if field is None and fallback is not None:
            field = form._fields[fallback]
        if field is not None:
            field.errors = [*field.errors, *texts]
        elif keep_general and form is not None:
            form.form_errors.extend(texts)
        else:
            for text in texts:
                flash(text, "error")


def was_refused() -> bool:
    """Whether a page showed a refused service call during this request (then nothing it flushed is kept)."""
    return request.environ.get(REFUSED, False)
