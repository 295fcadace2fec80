"""Forms of the supervision pages: the chasing notice and its answer, the review's decisions."""

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from engage.core.forms import FlaskForm


class ChaseForm(FlaskForm):
    chase_text = TextAreaField(_l("Text of the chasing notice"), validators=[DataRequired(), Length(max=2000)],
                               render_kw={"rows": 4})


class ChaseAnswerForm(FlaskForm):
    answer_text = TextAreaField(_l("Your answer to the supervising office"),
                                validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 3})


class ReturnReplyForm(FlaskForm):
    return_reason = TextAreaField(_l("Why the reply is returned"), validators=[DataRequired(), Length(max=2000)],
                                  render_kw={"rows": 3})


class SignOffForm(FlaskForm):
    signoff_note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)],
                                 render_kw={"rows": 2})


class ConfirmForm(FlaskForm):
    """A button that only needs its CSRF token (approve, ask for sign-off)."""
