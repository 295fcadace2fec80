"""Public forms: filtering the list of consultations, sending a comment, looking up a receipt."""

import uuid

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SearchField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from engage.consultations import rules
from engage.core.forms import FlaskForm, Form, strip_control_characters

#: names every purpose the contact is used for (``engage.consultations.messages`` and the messages of the
#: feedback report and the decision): nothing else may be sent to it
CONSENT_TEXT = _l(
    "I agree that my contact details are kept only so that the department can tell me about my comment on this "
    "consultation: the receipt if I ask for it, why it was not published if so, the answer to it and the final "
    "decision. They are never shown publicly."
)


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class ConsultationFilterForm(Form):
    """The GET form above the list; no CSRF token, since it changes nothing."""

    q = SearchField(_l("Search titles and summaries"), [Optional(), Length(max=100)],
                    filters=[strip_control_characters])
    status = SelectField(_l("Status"), [Optional()], choices=[])
    department = SelectField(_l("Department"), [Optional()], choices=[], coerce=_int_or_none)
    region = SelectField(_l("Region (with the regions below it)"), [Optional()], choices=[])

    def set_choices(self, departments, locale: str, regions=()) -> None:
        self.status.choices = [("", _l("Any status"))] + [(s.value, s.label) for s in rules.PUBLIC_STATUSES]
        self.region.choices = [("", _l("All regions"))] + list(regions)
        self.department.choices = [("", _l("All departments"))] + [
            (d.id, d.display_name(locale)) for d in departments
        ]

    def chosen_status(self) -> str | None:
        return self.status.data if self.status.data in rules.PUBLIC_STATUSES else None

    def chosen_department(self) -> int | None:
        valid = {value for value, _label in self.department.choices if value != ""}
        return self.department.data if self.department.data in valid else None


class CommentFilterForm(Form):
    """The GET form above the published comments: one article and/or words they contain."""

    # Ids of their own: the comment form on the same page has an "article" field too.
    article = SelectField(_l("Article"), [Optional()], choices=[], id="filter-article")
    q = SearchField(
        _l("Words in the comment"),
        [Optional(), Length(min=rules.COMMENT_SEARCH_MIN_LENGTH, max=rules.COMMENT_SEARCH_MAX_LENGTH,
                            message=_l("Enter between %(min)d and %(max)d characters to search for."))],
        filters=[strip_control_characters, lambda text: text.strip() if text else text], id="filter-q",
        description=_l("Finds comments that contain these characters exactly as typed, e.g. 垃圾 finds "
                       "“生活垃圾分类”. Enter at least two characters."),
    )

    def set_articles(self, articles, total: int) -> None:
        """Every article with its number of published comments, so a reader sees where the discussion is."""
        self.article.choices = [("", _l("All comments (%(n)d)", n=total))] + [
            (str(a.number), f"{a.label} ({a.published_comment_count})") for a in articles
        ]

    def search_text(self) -> str | None:
        """The words to search for, or None when there are none or they were refused."""
        return self.q.data or None if not self.q.errors else None


class CommentForm(FlaskForm):
    """A citizen's comment on the whole draft or on one article."""

    article = SelectField(_l("Your comment is about"), [Optional()], choices=[])
    body = TextAreaField(
        _l("Your comment"),
        [DataRequired(_l("Please write your comment.")),
         Length(max=rules.COMMENT_MAX_LENGTH,
                message=_l("A comment can have at most %(max)d characters."))],
    )
    name = StringField(_l("Name to show (optional)"), [Optional(), Length(max=50)])
    contact = StringField(_l("Phone or e-mail (optional, never shown)"), [Optional(), Length(max=254)])
    consent = BooleanField(CONSENT_TEXT)
    send_receipt = BooleanField(_l("Also send the receipt number to this mobile number or e-mail address"))
    #: one-time token made when the form is shown: a double click or retry finds the first comment
    submission_token = HiddenField(validators=[Optional(), Length(max=100)])

    def set_articles(self, articles) -> None:
        self.article.choices = [("", _l("The whole draft"))] + [
            (str(a.number), f"{a.label} {_excerpt(a.body)}") for a in articles
        ]

    def new_token(self) -> None:
        self.submission_token.data = uuid.uuid4().hex

    def article_number(self) -> int | None:
        return _int_or_none(self.article.data)


def _excerpt(text: str, length: int = 18) -> str:
    first_line = text.split("\n", 1)[0]
    return first_line if len(first_line) <= length else f"{first_line[:length]}…"


class ReceiptLookupForm(Form):
    """Looking up one's comment by its receipt number; a GET form, so bookmarks and the back button work."""

    receipt_number = StringField(
        _l("Receipt number"), [DataRequired(_l("Enter the receipt number you were given.")), Length(max=40)],
        filters=[strip_control_characters],
    )
