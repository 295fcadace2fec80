"""The one way a page shows a refused service call: its messages next to the form's fields, the rest flashed."""

from flask import flash, g

from engage.core.errors import DomainError, ValidationFailed


def show_refusal(error: DomainError, form=None, *, rename: dict | None = None, fallback: str | None = None,
                 keep_general: bool = False) -> None:
    """Put a refused service call's messages on ``form`` and mark the request as refused.

    ``rename`` maps a service's field names to the form's; a message for no field of the form goes to the
    ``fallback`` field if given, else (with ``keep_general``) to the form's own errors, which its template shows
    by its button, else to an error flash. Marking the request is what makes the request hook roll back
    whatever the service flushed before it refused, even when the page answers with a redirect.
    """
    g.service_refused = True
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
    return g.get("service_refused", False)
