"""Public feedback pages: a consultation's report with its revision history, and its downloads."""

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from engage.consultations import services as consultation_services
from engage.core import exports, page_cache
from engage.core.answers import AnswerOutcome
from engage.core.errors import NotFound
from engage.core.http_cache import public
from engage.feedback import presentation, services

bp = Blueprint("feedback", __name__, url_prefix="/consultations")

GROUPS_PER_PAGE = presentation.GROUPS_PER_PAGE


@bp.app_template_global()
def answer_outcome_label(value: str) -> str:
    """An outcome's label in the current language; messages keep only the value in their parameters."""
    return AnswerOutcome.label_of(value)


@bp.app_template_global()
def describe_feedback_change(change: dict) -> str:
    return presentation.describe_change(change)


@bp.get("/<int:consultation_id>/feedback")
@public
def report(consultation_id: int):
    """The current feedback report, its chart and the full revision history (cached per public version)."""
    if not page_cache.is_cacheable():
        return _render_report(consultation_id)
    _stage, _opens, _closes, version = page_cache.remembered(
        f"consultation:{consultation_id}", lambda: consultation_services.public_page_state(consultation_id)
    )
    return page_cache.serve(("feedback", version), lambda: _render_report(consultation_id))


def _render_report(consultation_id: int) -> str:
    consultation = services.get_public_consultation(consultation_id)
    revisions = services.list_revisions(consultation.id)
    current = revisions[0] if revisions else None
    view = presentation.ReportView(current.content) if current else None
    groups = view.groups_page(request.args.get("page", 1, type=int) or 1, GROUPS_PER_PAGE) if view else None
    return render_template("feedback/report.html", consultation=consultation, revision=current,
                           revisions=revisions, view=view, groups=groups)


@bp.get("/<int:consultation_id>/feedback.csv")
@public
def report_csv(consultation_id: int):
    """The published report as CSV: counts and opinion groups with their answers, no personal data."""
    consultation, revision = _published(consultation_id)
    return exports.csv_response(
        presentation.download_name(consultation, revision, "csv"), *presentation.report_table(revision.content)
    )


@bp.get("/<int:consultation_id>/feedback.xlsx")
@public
def report_xlsx(consultation_id: int):
    """The published report as an Excel workbook: a sheet of counts and one of opinion groups."""
    consultation, revision = _published(consultation_id)
    return exports.xlsx_response(presentation.download_name(consultation, revision, "xlsx"), [
        (_("Counts"), *presentation.counts_table(revision.content)),
        (_("Opinion groups"), *presentation.groups_table(revision.content)),
    ])


def _published(consultation_id: int):
    consultation = services.get_public_consultation(consultation_id)
    revision = services.current_revision(consultation.id)
    if revision is None:
        raise NotFound(_("No feedback report has been published for this consultation yet."))
    return consultation, revision
