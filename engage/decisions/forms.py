"""Forms of the staff pages: a consultation's decision and interpretation, catalogue entries and their changes."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from engage.core.forms import FlaskForm
from engage.core.templating import department_name
from engage.decisions import timing
from engage.decisions.catalogue import YEAR_RANGE, EntryFields
from engage.decisions.models import ChangeKind
from engage.decisions.services import DecisionFields, InterpretationFields
from engage.decisions.timing import PlannedTiming

FILE_HINT = _l("PDF, DOCX, XLSX, PNG or JPEG. Give a file, a web address, or both.")


def _text(field) -> str:
    return (field.data or "").strip()


class DecisionForm(FlaskForm):
    """The final decision: title, document number (文号), publication date, and the document itself."""

    title = StringField(_l("Title of the decision"), validators=[DataRequired(), Length(max=200)])
    document_number = StringField(_l("Document number (文号)"), validators=[DataRequired(), Length(max=100)])
    published_on = DateField(_l("Publication date"), validators=[InputRequired()])
    url = StringField(_l("Web address of the published decision"), validators=[Length(max=500)],
                      render_kw={"inputmode": "url", "autocomplete": "url"})
    file = FileField(_l("Decision document"))

    def fields(self) -> DecisionFields:
        return DecisionFields(title=_text(self.title), document_number=_text(self.document_number),
                              published_on=self.published_on.data, url=_text(self.url))


class InterpretationForm(FlaskForm):
    """The policy interpretation (政策解读) of the decision."""

    interpretation_title = StringField(_l("Title of the interpretation"), validators=[Length(max=200)])
    interpreted_on = DateField(_l("Publication date of the interpretation"), validators=[InputRequired()])
    interpretation_url = StringField(_l("Web address of the interpretation"), validators=[Length(max=500)],
                                     render_kw={"inputmode": "url", "autocomplete": "url"})
    interpretation_file = FileField(_l("Interpretation document"))

    def fields(self) -> InterpretationFields:
        return InterpretationFields(interpreted_on=self.interpreted_on.data, title=_text(self.interpretation_title),
                                    url=_text(self.interpretation_url))


class EntryForm(FlaskForm):
    """A catalogue entry. The reason is required for a new entry and for a new name or planned timing."""

    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(YEAR_RANGE[0], YEAR_RANGE[-1])])
    department = SelectField(_l("Department"), coerce=int, validators=[InputRequired()])
    name = StringField(_l("Name of the decision"), validators=[DataRequired(), Length(max=200)])
    planned_year = IntegerField(_l("Planned year"), validators=[InputRequired(),
                                                              NumberRange(YEAR_RANGE[0], YEAR_RANGE[-1])])
    # Optional here: the service says what is missing, in words that name the quarter or month.
    planned_part = SelectField(_l("Planned quarter or month"), validators=[Optional()])
    consultation = SelectField(_l("Consultation on the draft"), coerce=lambda v: int(v) if v else None,
                               validate_choice=False, validators=[Optional()])
    reason = TextAreaField(_l("Reason for the change"), validators=[Length(max=2000)], render_kw={"rows": 3})

    def set_consultations(self, consultations, *, with_department: bool = False) -> None:
        self.consultation.choices = [SelectChoice("", _l("None yet"))] + [
            SelectChoice(c.id, f"{c.title} · {department_name(c.department)}" if with_department else c.title)
            for c in consultations
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.planned_part.choices = _part_choices()

    def show_timing(self, planned: PlannedTiming) -> None:
        self.planned_year.data, self.planned_part.data = planned.year, planned.part

    def fields(self) -> EntryFields:
        return EntryFields(name=_text(self.name), planned=timing.from_part(self.planned_year.data,
                                                                           self.planned_part.data or ""),
                           consultation_id=self.consultation.data or None)


def _part_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose…"))] + [SelectChoice(code, label)
                                                 for code, label in timing.part_choices(str(get_locale()))]


STATUS_CHANGE_CHOICES = [
    SelectChoice(ChangeKind.POSTPONED.value, _l("Postpone")),
    SelectChoice(ChangeKind.DROPPED.value, _l("Drop from the catalogue")),
    SelectChoice(ChangeKind.RESTORED.value, _l("Restore to the catalogue")),
]


class StatusChangeForm(FlaskForm):
    """Postpone, drop or restore an entry, with the reason the public reads."""

    change = RadioField(_l("Change"), choices=STATUS_CHANGE_CHOICES, validators=[InputRequired()])
    new_year = IntegerField(_l("New planned year (when postponing)"), validators=[Optional()])
    new_part = SelectField(_l("New planned quarter or month (when postponing)"), validators=[Optional()])
    change_reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 3})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_part.choices = _part_choices()

    def allow(self, changes) -> None:
        self.change.choices = [c for c in STATUS_CHANGE_CHOICES if c.value in changes]

    def new_timing(self) -> PlannedTiming:
        return timing.from_part(self.new_year.data, self.new_part.data or "")


class DeliberationForm(FlaskForm):
    """The deliberation (集体讨论决定): meeting, date and outcome."""

    meeting = StringField(_l("Meeting"), validators=[DataRequired(), Length(max=200)],
                          description=_l("e.g. 市政府第12次常务会议"))
    deliberated_on = DateField(_l("Date of the meeting"), validators=[InputRequired()])
    deliberation_outcome = TextAreaField(_l("Outcome"), validators=[DataRequired(), Length(max=5000)],
                                         render_kw={"rows": 3})
