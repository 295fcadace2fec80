"""Public pages of proposal handling: the searchable list, a case with its timeline, the handling figures."""

from flask import Blueprint, current_app, redirect, render_template, request, send_from_directory, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from engage.core import page_cache
from engage.core.charts import bar_chart
from engage.core.exports import xlsx_response
from engage.core.http_cache import public
from engage.core.timeutil import china_date, utcnow
from engage.proposals import public_services, rules, stats
from engage.proposals.figures_table import percent, stats_table, unit_label
from engage.proposals.forms import CaseFilterForm, StatsForm
from engage.proposals.models import ProposalKind
from engage.proposals.publication import services as publication

bp = Blueprint("proposals", __name__, url_prefix="/proposals")


@bp.app_template_global()
def proposal_status_label(status) -> str:
    return rules.ProposalStatus.label_of(status)


@bp.app_template_global()
def proposal_kind_label(kind) -> str:
    return ProposalKind.label_of(kind)


@bp.app_template_global()
def proposal_satisfaction_label(satisfaction) -> str:
    return rules.Satisfaction.label_of(satisfaction)


@bp.app_template_global()
def proposal_outcome_label(kind, code) -> str:
    return rules.outcome_label(current_app.config["PROPOSAL_OUTCOME_CLASSES"], str(kind), code, str(get_locale()))


@bp.get("/")
@public
def index():
    """Every case, filtered by kind, session, unit, status, outcome class and search text."""
    today = china_date(utcnow())
    if not page_cache.is_cacheable():
        return _render_index(today)
    # Kept for anonymous visitors until any case changes or the day turns (the overdue marks move with it).
    version = page_cache.remembered("proposals:list", public_services.list_version)
    return page_cache.serve((version, today.isoformat()), lambda: _render_index(today))


def _render_index(today) -> str:
    form = CaseFilterForm(request.args)
    form.set_choices(public_services.sessions(), public_services.handling_units(),
                     current_app.config["PROPOSAL_OUTCOME_CLASSES"], str(get_locale()))
    page = public_services.list_cases(form.filters(), page=request.args.get("page", 1, type=int) or 1)
    return render_template("proposals/index.html", form=form, page=page, today=today)


@bp.get("/<int:proposal_id>")
@public
def case(proposal_id: int):
    """A case: who proposed it, who handles it, its timeline and its published reply."""
    found = public_services.get_case(proposal_id)
    today = china_date(utcnow())
    return render_template("proposals/case.html", case=found, proposal=found.proposal, today=today,
                           days_overdue=public_services.days_overdue(found.proposal, today))


@bp.get("/replies/<int:reply_id>.pdf")
@public
def reply_pdf(reply_id: int):
    """The signed reply as PDF, for a published reply only."""
    reply = public_services.get_published_reply(reply_id)
    response = send_from_directory(current_app.config["UPLOAD_FOLDER"], reply.pdf_stored_name,
                                   mimetype="application/pdf", as_attachment=True,
                                   download_name=reply.pdf_filename or "reply.pdf")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/stats", endpoint="stats")  # the function name keeps clear of the module ``stats``
@public
def stats_page():
    """Per-unit handling figures of a session, drawn as charts with the full table."""
    form = _stats_form()
    if form is None:
        return render_template("proposals/stats.html", form=None, figures=None)
    today = china_date(utcnow())
    if not page_cache.is_cacheable():
        return _render_stats(form, today)
    # The whole page is kept for anonymous visitors until a case of the session changes, a publication of its
    # figures is added (the latest is shown beside the live figures) or the day turns.
    session_id, kind = form.session.data, form.chosen_kind()
    version = page_cache.remembered(f"proposals:figures:{session_id}:{kind}",
                                    lambda: (stats.figures_version(session_id, kind),
                                             publication.latest_id(session_id)))
    return page_cache.serve((version, today.isoformat()), lambda: _render_stats(form, today))


def _render_stats(form: StatsForm, today) -> str:
    figures = stats.session_figures(form.session.data, today, form.chosen_kind())
    columns = stats.outcome_columns(figures.kinds, current_app.config["PROPOSAL_OUTCOME_CLASSES"], str(get_locale()))
    header, rows = stats_table(figures, columns)
    # On the page an outcome column is headed by its code (A, B, ...) and the labels are listed above the table:
    # a long label would make a narrow column and a tall header on a phone.
    return render_template("proposals/stats.html", form=form, figures=figures, charts=_charts(figures, columns),
                           table_header=header, table_rows=rows, outcome_columns=columns,
                           outcome_codes={label: code for code, label in columns}, session_name=_session_name(form),
                           today=today, publications=publication.publications_of(form.session.data))


@bp.get("/stats.xlsx")
@public
def stats_xlsx():
    """The same figures as a spreadsheet: one row per unit, then the totals."""
    form = _stats_form()
    if form is None:
        return redirect(url_for(".stats"))
    figures = stats.session_figures(form.session.data, china_date(utcnow()), form.chosen_kind())
    columns = stats.outcome_columns(figures.kinds, current_app.config["PROPOSAL_OUTCOME_CLASSES"], str(get_locale()))
    header, rows = stats_table(figures, columns, for_spreadsheet=True)
    filename = _("Handling figures %(session)s.xlsx", session=_session_name(form))
    return xlsx_response(filename, [(_("Handling figures"), header, rows)])


def _stats_form() -> StatsForm | None:
    """The chosen session (the latest when none or an unknown one is asked for) and kind; None before any."""
    sessions = public_services.sessions()
    if not sessions:
        return None
    form = StatsForm(request.args)
    form.set_choices(sessions)
    if form.session.data not in {s.id for s in sessions}:
        form.session.data = sessions[0].id
    return form


def _session_name(form: StatsForm) -> str:
    return dict(form.session.choices)[form.session.data]


def _charts(figures, columns) -> list:
    units = figures.units
    return [
        bar_chart(_("Cases assigned per lead unit"), [(unit_label(f), f.assigned) for f in units],
                  value_heading=_("Cases")),
        # Rates only for units that have something to rate: "0 %" would wrongly read as a poor result.
        bar_chart(_("Replied on time, per unit"), [(unit_label(f), f.on_time_rate) for f in units if f.replied],
                  value_heading=_("Share of replies on time"), maximum=1, formatter=percent),
        bar_chart(_("Overdue now, per unit"), [(unit_label(f), f.overdue) for f in units],
                  value_heading=_("Cases overdue")),
        bar_chart(_("Satisfaction rate, per unit"), [(unit_label(f), f.satisfaction_rate) for f in units if f.rated],
                  value_heading=_("Satisfied or basically satisfied"), maximum=1, formatter=percent),
        bar_chart(_("Outcome classes of the replies"), [(label, figures.total.outcomes.get(code, 0))
                                                        for code, label in columns],
                  value_heading=_("Cases")),
    ]
