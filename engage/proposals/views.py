"""Public pages of proposal handling: the searchable list, a case with its timeline, the handling figures."""

from dataclasses import replace

from flask import Blueprint, current_app, redirect, render_template, request, send_from_directory, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from engage.core import page_cache
from engage.core.charts import bar_chart
from engage.core.exports import xlsx_response
from engage.core.http_cache import public
from engage.core.timeutil import china_date, utcnow
from engage.proposals import public_services, rules, stats
from engage.proposals.forms import CaseFilterForm, StatsForm
from engage.proposals.models import ProposalKind
from engage.regions import services as regions

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
    locale = str(get_locale())
    region = regions.region_filter(request.args.get("region"))
    form.set_choices(public_services.sessions(region), public_services.handling_units(region),
                     current_app.config["PROPOSAL_OUTCOME_CLASSES"], locale, regions.indented_choices(locale))
    filters = replace(form.filters(), region=region)
    page = public_services.list_cases(filters, page=request.args.get("page", 1, type=int) or 1)
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
    # The whole page is kept for anonymous visitors until a case of the session changes or the day turns.
    session_id, kind = form.session.data, form.chosen_kind()
    version = page_cache.remembered(f"proposals:figures:{session_id}:{kind}",
                                    lambda: stats.figures_version(session_id, kind))
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
                           today=today)


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


def _percent(value) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def _unit_label(figures) -> str:
    return figures.unit.display_name(str(get_locale()))


def _charts(figures, columns) -> list:
    units = figures.units
    return [
        bar_chart(_("Cases assigned per lead unit"), [(_unit_label(f), f.assigned) for f in units],
                  value_heading=_("Cases")),
        # Rates only for units that have something to rate: "0 %" would wrongly read as a poor result.
        bar_chart(_("Replied on time, per unit"), [(_unit_label(f), f.on_time_rate) for f in units if f.replied],
                  value_heading=_("Share of replies on time"), maximum=1, formatter=_percent),
        bar_chart(_("Overdue now, per unit"), [(_unit_label(f), f.overdue) for f in units],
                  value_heading=_("Cases overdue")),
        bar_chart(_("Satisfaction rate, per unit"), [(_unit_label(f), f.satisfaction_rate) for f in units if f.rated],
                  value_heading=_("Satisfied or basically satisfied"), maximum=1, formatter=_percent),
        bar_chart(_("Outcome classes of the replies"), [(label, figures.total.outcomes.get(code, 0))
                                                        for code, label in columns],
                  value_heading=_("Cases")),
    ]


def stats_table(figures, columns, *, for_spreadsheet: bool = False) -> tuple[list, list]:
    """The header and rows of the figures table: the page and the spreadsheet show the same figures.

    The spreadsheet gets the satisfaction rate as a number of percent (so offices can compute with it), the page
    as text with its sign.
    """
    rate_heading = _("Satisfaction rate (%)") if for_spreadsheet else _("Satisfaction rate")
    header = [_("Unit"), _("Assigned (lead)"), _("Co-handled"), _("Replied"), _("Replied on time"),
              _("Replied late"), _("Overdue now"), *[label for _code, label in columns], _("Ratings"), rate_heading]
    rate = _percent_number if for_spreadsheet else _percent
    rows = [_row(_unit_label(f), f, columns, rate) for f in figures.units]
    rows.append(_row(_("All units (each case once)"), figures.total, columns, rate))
    return header, rows


def _percent_number(value) -> float | None:
    return None if value is None else round(value * 100, 1)


def _row(label, f, columns, rate) -> list:
    return [label, f.assigned, f.co_handled if f.unit else "", f.replied, f.on_time, f.late, f.overdue,
            *[f.outcomes.get(code, 0) for code, _label in columns], f.rated, rate(f.satisfaction_rate)]
