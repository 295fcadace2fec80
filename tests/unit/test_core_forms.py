"""The one helper that shows a refused service call on a form."""

from flask import get_flashed_messages
from wtforms import Form, StringField

from engage.core.errors import NotFound, RuleViolation, ValidationFailed
from engage.core.forms import show_refusal, was_refused


class NameForm(Form):
    name = StringField()
    reason = StringField()


def test_field_messages_go_next_to_fields_renamed_and_the_rest_is_flashed(app):
    with app.test_request_context("/"):
        form = NameForm()
        show_refusal(ValidationFailed({"name": ["too long"], "change_reason": ["give one"], "other": ["odd"]}), form,
                     rename={"change_reason": "reason"})
        assert form.name.errors == ["too long"]
        assert form.reason.errors == ["give one"]
        assert get_flashed_messages(with_categories=True) == [("error", "odd")]
        assert was_refused()


def test_a_message_for_no_field_goes_to_the_fallback_or_the_forms_own_errors(app):
    with app.test_request_context("/"):
        form = NameForm()
        show_refusal(NotFound("no such receipt"), form, fallback="name")
        show_refusal(RuleViolation("closed"), form, keep_general=True)
        assert form.name.errors == ["no such receipt"]
        assert form.form_errors == ["closed"]
        assert get_flashed_messages() == []


def test_without_a_form_everything_is_flashed_and_an_untouched_request_is_not_refused(app):
    with app.test_request_context("/"):
        assert not was_refused()
        show_refusal(RuleViolation("closed", field="name"))
        assert get_flashed_messages() == ["closed"]
