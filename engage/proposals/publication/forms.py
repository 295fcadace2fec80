"""The form the supervising office publishes a session's figures with."""

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from engage.core.forms import FlaskForm
from engage.proposals.publication.services import NOTE_MAX


class PublishFiguresForm(FlaskForm):
    note = TextAreaField(_l("Summary of the handling (optional)"), validators=[Optional(), Length(max=NOTE_MAX)],
                         description=_l("Shown above the figures, e.g. how many cases were solved and what is "
                                        "still being worked on."), render_kw={"rows": 5})
