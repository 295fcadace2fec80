"""Forms of event opinions: the organiser's questions and answers, and the attendee's questionnaire."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from engage.core.answers import AnswerOutcome
from engage.core.forms import FlaskForm
from engage.events.opinions import rules as opinion_rules
from engage.events.opinions.models import QuestionKind


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Kind of question"), validators=[InputRequired()],
                       choices=[SelectChoice(*choice) for choice in QuestionKind.choices()])
    text = StringField(_l("Question"), validators=[DataRequired(), Length(max=opinion_rules.QUESTION_MAX_LENGTH)])
    choices = TextAreaField(_l("Options (single choice only), one a line"), validators=[Length(max=3000)])
    is_required = BooleanField(_l("An answer is required"))

    def spec(self) -> opinion_rules.QuestionSpec:
        choices = opinion_rules.clean_choices((self.choices.data or "").splitlines())
        return opinion_rules.QuestionSpec(kind=self.kind.data, text=self.text.data.strip(),
                                          choices=choices if self.kind.data == QuestionKind.SINGLE_CHOICE else (),
                                          is_required=self.is_required.data)


class AnswerForm(FlaskForm):
    """The organiser's answer to one opinion or to a group of similar opinions.

    Which opinions and which outcome are checked by the service with the summary and the reason, so that every
    problem shows at once.
    """

    item_ids = SelectMultipleField(_l("Opinions answered"), coerce=int, validate_choice=False)
    summary = TextAreaField(_l("The opinion in a sentence (published)"), validators=[Length(max=2000)])
    outcome = RadioField(_l("How it was handled"), validate_choice=False,
                         choices=[SelectChoice(*choice) for choice in AnswerOutcome.choices()])
    reason = TextAreaField(_l("Reason or what will be done (published)"), validators=[Length(max=5000)])


class IntroductionForm(FlaskForm):
    introduction = TextAreaField(_l("Introduction shown above the questions"), validators=[Length(max=2000)])


class FeedbackForm(FlaskForm):
    summary = TextAreaField(_l("Closing words on the feedback page"), validators=[Optional(), Length(max=5000)])


def response_form(questions, formdata=None) -> FlaskForm:
    """A form with one field per question: ratings and options as radio buttons, opinions as text areas."""

    class ResponseForm(FlaskForm):
        pass

    for question in questions:
        name = f"question-{question.id}"
        if question.kind == QuestionKind.RATING:
            choices = [SelectChoice(score, str(score)) for score in range(opinion_rules.RATING_MAX,
                                                                          opinion_rules.RATING_MIN - 1, -1)]
            field = RadioField(question.text, choices=choices, coerce=int, validators=[Optional()])
        elif question.kind == QuestionKind.SINGLE_CHOICE:
            field = RadioField(question.text, choices=[SelectChoice(c, c) for c in question.choices],
                               validators=[Optional()], validate_choice=False)
        else:
            field = TextAreaField(question.text, validators=[Length(max=opinion_rules.OPINION_MAX_LENGTH)])
        setattr(ResponseForm, name, field)
    return ResponseForm(formdata=formdata) if formdata is not None else ResponseForm()


def response_values(form, questions) -> dict[int, object]:
    """{question id: value} from a filled response form, for the service to check."""
    return {q.id: form[f"question-{q.id}"].data for q in questions}
