"""Pages of the figures' publication: the supervising office's page to publish, the public statements."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from engage.core.errors import NotAllowed, RuleViolation, ValidationFailed
from engage.core.forms import show_refusal
from engage.core.http_cache import public
from engage.core.timeutil import china_date, utcnow
from engage.proposals import services as case_services
from engage.proposals import stats
from engage.proposals.figures_table import stats_table
from engage.proposals.publication import services
from engage.proposals.publication.forms import PublishFiguresForm
from engage.proposals.publication.permissions import can_publish_figures

#: nested in the staff area (``staff_area``), which requires a login and gives the /staff/proposals prefix
staff_bp = Blueprint("figures", __name__)
bp = Blueprint("proposal_figures", __name__, url_prefix="/proposals/stats/publications")


@bp.app_template_global()
def published_totals(publication) -> stats.Figures:
    """The totals of a publication, as figures (with their rates) for the templates."""
    return services.published_figures(publication).total


def _require_publisher() -> None:
    if not can_publish_figures(current_user):
        raise NotAllowed()


@staff_bp.get("/figures")
def page():
    """A session's live figures, the form to publish them, and every publication so far."""
    _require_publisher()
    sessions = case_services.sessions()
    chosen = request.args.get("session", type=int)
    session = next((s for s in sessions if s.id == chosen), sessions[0] if sessions else None)
    return _render(session, sessions, PublishFiguresForm(formdata=None))


@staff_bp.post("/figures/<int:session_id>/publications")
def publish(session_id: int):
    """Publish the session's figures as they are now."""
    _require_publisher()
    session = services.get_session(session_id)
    form = PublishFiguresForm()
    if form.validate_on_submit():
        try:
            publication = services.publish_figures(session, form.note.data, actor=current_user, now=utcnow())
        except (ValidationFailed, RuleViolation) as error:
            show_refusal(error, form, keep_general=True)
        else:
            flash(_("The handling figures of %(session)s are published, dated %(day)s.", session=session.name,
                    day=publication.published_on.isoformat()), "success")
            return redirect(url_for(".page", session=session.id))
    return _render(session, case_services.sessions(), form, status=422)


def _render(session, sessions, form, status: int = 200):
    figures = stats.session_figures(session.id, china_date(utcnow())) if session else None
    return render_template("proposals/publication/staff.html", session=session, sessions=sessions, form=form,
                           figures=figures, publications=services.publications_of(session.id) if session else []), \
        status


@bp.get("/<int:publication_id>")
@public
def publication(publication_id: int):
    """One publication of a session's handling figures, in full, as it was published."""
    found = services.get_publication(publication_id)
    figures = services.published_figures(found)
    columns = stats.outcome_columns(figures.kinds, current_app.config["PROPOSAL_OUTCOME_CLASSES"], str(get_locale()))
    header, rows = stats_table(figures, columns)
    header[6] = _("Overdue that day")  # counted on the day of publication, not today
    return render_template("proposals/publication/publication.html", publication=found, figures=figures,
                           table_header=header, table_rows=rows, outcome_columns=columns,
                           outcome_codes={label: code for code, label in columns},
                           others=[p for p in services.publications_of(found.session_id) if p.id != found.id])
