"""Forms of the staff pages: registering, importing, assigning, handling, replying and rating cases."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from engage.core.forms import FlaskForm
from engage.proposals import rules
from engage.proposals.models import NoteKind, ProposalKind
from engage.proposals.services import CaseFields, ProposerFields

KIND_CHOICES = [SelectChoice(*choice) for choice in ProposalKind.choices()]
SATISFACTION_CHOICES = [SelectChoice(*choice) for choice in rules.Satisfaction.choices()]
PUBLISH_CHOICES = [SelectChoice("yes", _l("Publish the reply")), SelectChoice("no", _l("Do not publish it"))]
NOTE_CHOICES = [SelectChoice(*choice) for choice in NoteKind.choices()]


class CaseForm(FlaskForm):
    """One case as the congress or CPPCC office sent it."""

    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, validators=[InputRequired()])
    session = StringField(_l("Session"), validators=[DataRequired(), Length(max=100)],
                          render_kw={"list": "known-sessions", "autocomplete": "off"})
    number = StringField(_l("Case number"), validators=[DataRequired(), Length(max=30)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    category = StringField(_l("Category"), validators=[Length(max=100)])
    body = TextAreaField(_l("Text"), validators=[Length(max=50000)], render_kw={"rows": 8})
    lead_proposer = StringField(_l("Lead proposer"), validators=[DataRequired(), Length(max=100)])
    affiliation = StringField(_l("Delegation or sector"), validators=[Length(max=100)])
    phone = StringField(_l("Phone (not published)"), validators=[Length(max=40)])
    email = StringField(_l("E-mail (not published)"), validators=[Optional(), Email(), Length(max=254)])
    address = StringField(_l("Address (not published)"), validators=[Length(max=300)])
    co_signers = TextAreaField(_l("Co-signers"), validators=[Length(max=5000)], render_kw={"rows": 3})

    def case_fields(self) -> CaseFields:
        lead = ProposerFields(name=self.lead_proposer.data or "", affiliation=self.affiliation.data or "",
                              phone=self.phone.data or "", email=self.email.data or "",
                              address=self.address.data or "")
        co_signers = [ProposerFields(name=line.strip()) for line in (self.co_signers.data or "").splitlines()
                      if line.strip()]
        return CaseFields(kind=self.kind.data, session_name=self.session.data or "", number=self.number.data or "",
                          title=self.title.data or "", body=self.body.data or "", category=self.category.data or "",
                          proposers=[lead, *co_signers])


class ImportForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, validators=[InputRequired()])
    session = StringField(_l("Session"), validators=[DataRequired(), Length(max=100)],
                          render_kw={"list": "known-sessions", "autocomplete": "off"})
    file = FileField(_l("List (CSV or XLSX)"), validators=[FileRequired(_l("Choose the file to import."))])


class UnitsForm(FlaskForm):
    """Lead unit(s) and co-units; the choices are the active departments."""

    lead_units = SelectMultipleField(_l("Lead unit(s)"), coerce=int, validators=[DataRequired()],
                                     render_kw={"size": 6})
    co_units = SelectMultipleField(_l("Co-units"), coerce=int, validators=[Optional()], render_kw={"size": 6})

    def set_unit_choices(self, units, label):
        choices = [SelectChoice(unit.id, label(unit)) for unit in units]
        self.lead_units.choices = choices
        self.co_units.choices = choices
        return self


class AssignForm(UnitsForm):
    assigned_on = DateField(_l("Assignment date"), validators=[InputRequired()])


class ReassignForm(UnitsForm):
    reassign_reason = TextAreaField(_l("Reason for reassigning"), validators=[DataRequired(), Length(max=2000)])


class ExtendForm(FlaskForm):
    due_on = DateField(_l("New due date"), validators=[InputRequired()])
    extension_reason = TextAreaField(_l("Why more time is needed"), validators=[DataRequired(), Length(max=2000)])


class ObjectionForm(FlaskForm):
    reason = TextAreaField(_l("Why the case is not your unit's business"),
                           validators=[DataRequired(), Length(max=2000)])
    suggested_unit = SelectField(_l("Unit that should handle it (optional)"), coerce=int, validators=[Optional()])


class DismissObjectionForm(FlaskForm):
    note = TextAreaField(_l("Why the assignment stands"), validators=[DataRequired(), Length(max=2000)])


class OpinionForm(FlaskForm):
    opinion = TextAreaField(_l("Co-unit opinion"), validators=[DataRequired(), Length(max=20000)],
                         render_kw={"rows": 6})


class NoteForm(FlaskForm):
    kind = RadioField(_l("Kind of record"), choices=NOTE_CHOICES, default=NoteKind.PROGRESS.value,
                      validators=[InputRequired()])
    happened_on = DateField(_l("Date"), validators=[InputRequired()])
    contact_method = StringField(_l("How the proposer was contacted (visit, phone, meeting...)"),
                                 validators=[Length(max=40)])
    note_text = TextAreaField(_l("What happened"), validators=[DataRequired(), Length(max=20000)],
                              render_kw={"rows": 4})


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Full text of the reply"), validators=[DataRequired(), Length(max=20000)],
                         render_kw={"rows": 14})
    replied_on = DateField(_l("Date of the reply"), validators=[InputRequired()])
    outcome = RadioField(_l("Outcome class"), validators=[InputRequired(_l("Choose the outcome class."))])
    publish = RadioField(_l("Publication"), choices=PUBLISH_CHOICES, default="yes", validators=[InputRequired()])
    unpublished_reason = TextAreaField(_l("Why it is not published"), validators=[Length(max=2000)])
    pdf = FileField(_l("Signed reply as PDF (optional)"))


class RatingForm(FlaskForm):
    proposer = SelectField(_l("Proposer"), coerce=int, validators=[InputRequired()])
    satisfaction = RadioField(_l("Rating"), choices=SATISFACTION_CHOICES,
                              validators=[InputRequired(_l("Choose satisfied, basically satisfied or unsatisfied."))])
    comments = TextAreaField(_l("Comments"), validators=[Length(max=5000)])


class ProposerRatingForm(FlaskForm):
    """The proposer's own rating, through the private link."""

    satisfaction = RadioField(_l("How satisfied are you with the handling?"), choices=SATISFACTION_CHOICES,
                              validators=[InputRequired(_l("Choose satisfied, basically satisfied or unsatisfied."))])
    comments = TextAreaField(_l("Comments"), validators=[Length(max=5000)], render_kw={"rows": 5})
