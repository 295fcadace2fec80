"""Forms of the staff feedback pages. They check shape only; the services apply the answer rules."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from engage.consultations.models import Channel, CommentStatus
from engage.consultations.rules import COMMENT_MAX_LENGTH
from engage.core.answers import REASON_MAX_LENGTH, AnswerOutcome
from engage.core.forms import FlaskForm, strip_control_characters
from engage.core.inputs import DB_INT_MAX

OUTCOME_CHOICES = [SelectChoice(outcome.value, outcome.label) for outcome in AnswerOutcome]
ANSWERED_CHOICES = [SelectChoice("", _l("All")), SelectChoice("unanswered", _l("Not yet answered")),
                    SelectChoice("answered", _l("Answered"))]
OFFLINE_CHANNELS = [SelectChoice(channel.value, channel.label) for channel in Channel if channel != Channel.ONLINE]
CHANNEL_CHOICES = [SelectChoice("", _l("Any channel"))] + [SelectChoice(c.value, c.label) for c in Channel]
#: the statuses of comments to answer (feedback.services.ANSWERABLE)
STATUS_CHOICES = [SelectChoice("", _l("Any status")), SelectChoice(CommentStatus.PUBLISHED.value, _l("Published")),
                  SelectChoice(CommentStatus.RECORDED.value, _l("Offline, not published"))]
OUTCOME_FILTER_CHOICES = [SelectChoice("", _l("Any answer"))] + OUTCOME_CHOICES
SORT_CHOICES = [SelectChoice("oldest", _l("Oldest first")), SelectChoice("newest", _l("Newest first"))]
BULK_ACTIONS = ("answer", "clear", "group", "ungroup", "split")


class WorkFilterForm(FlaskForm):
    """The work view's filters, read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("Words"), validators=[Optional(), Length(max=100)], filters=[strip_control_characters])
    article = SelectField(_l("Article"), choices=[], validate_choice=False, validators=[Optional()])
    answered = SelectField(_l("Answer"), choices=ANSWERED_CHOICES, validators=[Optional()])
    # Its own id: the bulk answer form on the same page has an "outcome" field too.
    outcome = SelectField(_l("Outcome"), choices=OUTCOME_FILTER_CHOICES, validators=[Optional()],
                          id="filter-outcome")
    channel = SelectField(_l("Received by"), choices=CHANNEL_CHOICES, validators=[Optional()])
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, validators=[Optional()])
    received_from = DateField(_l("Received from"), validators=[Optional()])
    received_to = DateField(_l("Received until"), validators=[Optional()])
    group = IntegerField(_l("Group number"), validators=[Optional(), NumberRange(min=1, max=DB_INT_MAX)])
    ungrouped = BooleanField(_l("Only comments in no group"))
    sort = SelectField(_l("Order"), choices=SORT_CHOICES, validators=[Optional()])

    def validate_received_to(self, field) -> None:
        if field.data and self.received_from.data and field.data < self.received_from.data:
            raise ValidationError(_l("The last day comes before the first."))

    def set_articles(self, articles) -> None:
        self.article.choices = [SelectChoice("", _l("Any article")), SelectChoice("0", _l("The whole draft"))] + [
            SelectChoice(str(article.id), article.label) for article in articles
        ]


class _AnswerFields:
    outcome = RadioField(_l("Answer"), choices=OUTCOME_CHOICES, validators=[Optional()])
    reason = TextAreaField(_l("Reason or explanation (published with the answer)"),
                           validators=[Length(max=REASON_MAX_LENGTH)])


class BulkForm(_AnswerFields, FlaskForm):
    """One action on many selected comments: answer them, clear their answers, group, ungroup or split off."""

    comment_ids = SelectMultipleField(_l("Selected comments"), coerce=int, validate_choice=False,
                                      validators=[DataRequired(_l("Select at least one comment."))])
    action = StringField(validators=[AnyOf(BULK_ACTIONS, message=_l("Choose what to do with the selection."))])
    title = StringField(_l("Name of the new group"), validators=[Length(max=200)])


class GroupAnswerForm(_AnswerFields, FlaskForm):
    """Answer one opinion group."""


class RenameForm(FlaskForm):
    title = StringField(_l("Name of the group"), validators=[DataRequired(_l("Give the group a name.")),
                                                             Length(max=200)])


class GroupSelectionForm(FlaskForm):
    """Accept or merge several groups at once."""

    group_ids = SelectMultipleField(_l("Selected groups"), coerce=int, validate_choice=False,
                                    validators=[DataRequired(_l("Select at least one group."))])
    action = StringField(validators=[AnyOf(("accept", "merge"), message=_l("Choose accept or merge."))])
    into = IntegerField(_l("Merge into"), validators=[Optional()])


class OfflineOpinionForm(FlaskForm):
    """An opinion that reached the department by phone, letter, e-mail or at a forum."""

    channel = SelectField(_l("Received by"), choices=OFFLINE_CHANNELS, validators=[InputRequired()])
    received_on = DateField(_l("Received on"), validators=[InputRequired(_l("Give the day it was received."))])
    display_name = StringField(_l("Name of the person or organisation (optional)"), validators=[Length(max=50)])
    article = SelectField(_l("Article"), choices=[], validate_choice=False, validators=[Optional()])
    body = TextAreaField(_l("The opinion"), validators=[DataRequired(_l("Write down the opinion.")),
                                                        Length(max=COMMENT_MAX_LENGTH)], render_kw={"rows": 6})
    publish = BooleanField(_l("Also publish it on the consultation page as a comment"))

    def set_articles(self, articles) -> None:
        self.article.choices = [SelectChoice("", _l("The whole draft"))] + [
            SelectChoice(str(a.number), a.label) for a in articles
        ]


class ExplanationForm(FlaskForm):
    explanation = TextAreaField(_l("Overall explanation"), validators=[Length(max=20000)], render_kw={"rows": 8})


class PublishForm(FlaskForm):
    reason = TextAreaField(_l("Reason for the correction"), validators=[Length(max=5000)])
