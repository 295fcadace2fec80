"""Staff feedback pages: the work view, opinion groups, offline opinions, the report and its publishing."""

from dataclasses import dataclass

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from engage.consultations.models import Channel, CommentStatus
from engage.core.answers import AnswerOutcome
from engage.core.errors import NotFound, RuleViolation, ValidationFailed
from engage.core.forms import show_refusal
from engage.core.pagination import CursorPage, cursors_from
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.feedback import answer_services, downloads, grouping_runs, offline_services, services
from engage.feedback import jobs as feedback_jobs
from engage.feedback.exports import services as exports
from engage.feedback.forms import (
    BulkForm,
    ExplanationForm,
    GroupAnswerForm,
    GroupSelectionForm,
    OfflineOpinionForm,
    PublishForm,
    RenameForm,
    WorkFilterForm,
)
from engage.feedback.models import GroupKind, GroupStatus
from engage.feedback.presentation import ReportView
from engage.feedback.search import index as search_index

bp = Blueprint("feedback_staff", __name__, url_prefix="/staff/consultations/<int:consultation_id>/feedback")


@bp.before_request
@login_required
def require_login():
    """Every staff page needs a logged-in user."""


def _consultation(consultation_id: int):
    return services.staff_consultation(consultation_id, current_user)


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


# ---- the work view -------------------------------------------------------------------------------------


def _filters(form: WorkFilterForm) -> answer_services.CommentFilter:
    article = form.article.data
    return answer_services.CommentFilter(
        article_id=int(article) if article and article.isdigit() else None,
        answered=form.answered.data or None, text=(form.q.data or "")[:100], group_id=form.group.data,
        ungrouped=bool(form.ungrouped.data), channel=Channel(form.channel.data) if form.channel.data else None,
        status=CommentStatus(form.status.data) if form.status.data else None,
        outcome=AnswerOutcome(form.outcome.data) if form.outcome.data else None,
        received_from=form.received_from.data, received_to=form.received_to.data, sort=form.sort.data or "oldest",
    )


@bp.get("/")
def work(consultation_id: int):
    """The comments to answer: search them by words, filter by article, answer, channel, status, date or group,
    oldest or newest first; select many and act on them."""
    consultation = _consultation(consultation_id)
    return _render_work(consultation, BulkForm(formdata=None))


def _render_work(consultation, bulk_form, status: int = 200):
    filter_form = WorkFilterForm(request.args)
    filter_form.set_articles(consultation.articles)
    # Filters that do not hold (an old bookmark, a number cut short) are shown with their errors and left out, as
    # the other pages' filters are.
    filters = _filters(filter_form) if filter_form.validate() else answer_services.CommentFilter()
    try:
        page = answer_services.list_comments(consultation, filters, actor=current_user, **cursors_from(request.args))
    except ValidationFailed as error:  # no word to search for: nothing is found, rather than every comment
        filter_form.q.errors = list(error.errors.get("q", [])) or [error.message]
        page = CursorPage([], 50, 0, None, None)
    group = answer_services.get_group(consultation, filters.group_id) if filters.group_id else None
    return render_template(
        "feedback/staff/work.html", consultation=consultation, page=page, filter_form=filter_form, form=bulk_form,
        group=group, unanswered=services.unanswered_count(consultation.id),
        published=services.current_revision(consultation.id),
        waiting_for_index=search_index.pending_count(consultation.id) if filters.text else 0,
        index_delay=current_app.config["COMMENT_SEARCH_INDEX_SECONDS"],
    ), status


@bp.post("/")
def act(consultation_id: int):
    """Answer, clear, group, ungroup or split off the selected comments."""
    consultation = _consultation(consultation_id)
    form = BulkForm()
    if not form.validate():
        return _render_work(consultation, form, status=422)
    try:
        message = _bulk_action(consultation, form)
    except (ValidationFailed, RuleViolation, NotFound) as error:
        show_refusal(error, form)
        return _render_work(consultation, form, status=422)
    flash(message, "success")
    return redirect(url_for(".work", consultation_id=consultation.id, **request.args.to_dict()))


def _bulk_action(consultation, form: BulkForm) -> str:
    ids, now, action = form.comment_ids.data, utcnow(), form.action.data
    if action == "answer":
        done = answer_services.answer_comments(consultation, ids, form.outcome.data, form.reason.data or "",
                                               actor=current_user, now=now)
        return ngettext("%(num)d comment answered.", "%(num)d comments answered.", len(done))
    if action == "clear":
        answer_services.clear_answers(consultation, ids, actor=current_user, now=now)
        return _("Their own answers were removed; their groups' answers apply.")
    if action == "ungroup":
        answer_services.remove_from_group(consultation, ids, actor=current_user, now=now)
        return _("The selected comments were taken out of their groups.")
    if action == "split":
        group = answer_services.get_group(consultation, request.args.get("group", 0, type=int))
        new = answer_services.split_group(group, ids, form.title.data or "", actor=current_user, now=now)
        return _("Group “%(title)s” made of the selected comments.", title=new.title)
    new = answer_services.create_group(consultation, ids, form.title.data or "", actor=current_user, now=now)
    return _("Group “%(title)s” made of the selected comments.", title=new.title)


# ---- opinion groups ------------------------------------------------------------------------------------


@bp.get("/groups")
def groups(consultation_id: int):
    """Proposed and accepted opinion groups, largest first, with their answers."""
    return _render_groups(_consultation(consultation_id))


@dataclass
class FailedChange:
    """A group's answer or new name that was refused: shown again as typed, with the errors by its fields."""

    group_id: int
    action: str
    form: GroupAnswerForm | RenameForm


def _render_groups(consultation, failed: FailedChange | None = None):
    status = request.args.get("status")
    chosen = GroupStatus(status) if status in GroupStatus._value2member_map_ else None
    page = answer_services.list_groups(consultation, status=chosen, page=_page(), per_page=20)
    run = grouping_runs.latest_run(consultation.id)
    return render_template(
        "feedback/staff/groups.html", consultation=consultation, page=page, chosen=chosen, run=run,
        run_error=grouping_runs.error_message(run) if run else "",
        selection_form=GroupSelectionForm(formdata=None), blank_answer_form=GroupAnswerForm(formdata=None),
        rename_form=RenameForm(formdata=None), failed=failed,
    ), 422 if failed else 200


@bp.post("/groups/proposals")
def propose(consultation_id: int):
    """Start the search for identical and near-identical comments; the job queue does it, the page shows how far."""
    return _start_run(consultation_id, GroupKind.COPIES)


@bp.post("/groups/themes")
def propose_themes(consultation_id: int):
    """Start the search for comments making the same point in other words (themes), on the job queue."""
    return _start_run(consultation_id, GroupKind.THEME)


def _start_run(consultation_id: int, kind: GroupKind):
    consultation = _consultation(consultation_id)
    try:
        run = grouping_runs.request_run(consultation, actor=current_user, now=utcnow(), kind=kind)
    except RuleViolation as error:
        flash(error.message, "warning")
        return redirect(url_for(".groups", consultation_id=consultation.id))
    # A consumer reads the run from the database: it must be committed before it is queued.
    db.session.commit()
    feedback_jobs.enqueue(run.id)
    flash(_("The search for similar comments has started. Its proposals show here when it is done."), "success")
    return redirect(url_for(".groups", consultation_id=consultation.id))


@bp.post("/groups/selection")
def select_groups(consultation_id: int):
    """Accept or merge the selected groups."""
    consultation = _consultation(consultation_id)
    form = GroupSelectionForm()
    try:
        if not form.validate():
            raise ValidationFailed(form.errors)
        if form.action.data == "accept":
            count = answer_services.accept_groups(consultation, form.group_ids.data, actor=current_user, now=utcnow())
            flash(ngettext("%(num)d group accepted.", "%(num)d groups accepted.", count), "success")
        else:
            into = form.into.data or min(form.group_ids.data)
            merged = answer_services.merge_groups(consultation, form.group_ids.data, into_id=into,
                                                  actor=current_user, now=utcnow())
            flash(_("Groups merged into “%(title)s”.", title=merged.title), "success")
    except (ValidationFailed, RuleViolation, NotFound) as error:
        show_refusal(error)
    return redirect(url_for(".groups", consultation_id=consultation.id, **request.args.to_dict()))


@bp.post("/groups/<int:group_id>/<any(answer, rename, dissolve):action>")
def change_group(consultation_id: int, group_id: int, action: str):
    """Answer, rename or dissolve one group."""
    consultation = _consultation(consultation_id)
    group = answer_services.get_group(consultation, group_id)
    if action == "dissolve":
        try:
            answer_services.dissolve_group(group, actor=current_user, now=utcnow())
            flash(_("Group dissolved; its comments are single comments again."), "success")
        except (RuleViolation, NotFound) as error:
            show_refusal(error)
        return redirect(url_for(".groups", consultation_id=consultation.id, **request.args.to_dict()))
    form = GroupAnswerForm() if action == "answer" else RenameForm()
    try:
        if not form.validate():
            raise ValidationFailed({})
        flash(_change_group(group, form), "success")
    except (ValidationFailed, RuleViolation, NotFound) as error:
        show_refusal(error, form)
        return _render_groups(consultation, FailedChange(group.id, action, form))
    return redirect(url_for(".groups", consultation_id=consultation.id, **request.args.to_dict(),
                            _anchor=f"group-{group_id}"))


def _change_group(group, form: GroupAnswerForm | RenameForm) -> str:
    if isinstance(form, GroupAnswerForm):
        answer_services.answer_group(group, form.outcome.data, form.reason.data or "", actor=current_user,
                                     now=utcnow())
        return _("Answer to “%(title)s” saved.", title=group.title)
    answer_services.rename_group(group, form.title.data or "", actor=current_user, now=utcnow())
    return _("Group renamed.")


# ---- offline opinions ----------------------------------------------------------------------------------


@bp.route("/offline", methods=["GET", "POST"])
def offline(consultation_id: int):
    """Enter an opinion received by phone, letter, e-mail or at a forum."""
    consultation = _consultation(consultation_id)
    form = OfflineOpinionForm()
    form.set_articles(consultation.articles)
    if form.validate_on_submit():
        try:
            comment = offline_services.add_offline_opinion(consultation, offline_services.OfflineOpinion(
                body=form.body.data, channel=form.channel.data, received_on=form.received_on.data,
                display_name=form.display_name.data or "", publish=form.publish.data,
                article_number=int(form.article.data) if form.article.data else None,
            ), actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, fallback="body")
        else:
            flash(_("Offline opinion recorded with receipt number %(receipt)s.", receipt=comment.receipt_number),
                  "success")
            return redirect(url_for(".offline", consultation_id=consultation.id))
    status = 422 if form.is_submitted() else 200
    return render_template("feedback/staff/offline.html", consultation=consultation, form=form), status


# ---- the report ----------------------------------------------------------------------------------------


@bp.route("/report", methods=["GET", "POST"])
def report(consultation_id: int):
    """Draft the overall explanation and see the report as it would be published."""
    consultation = _consultation(consultation_id)
    form = ExplanationForm(obj=services.find_report(consultation.id))
    if form.validate_on_submit():
        services.save_explanation(consultation, form.explanation.data or "", actor=current_user, now=utcnow())
        flash(_("Explanation saved."), "success")
        return redirect(url_for(".report", consultation_id=consultation.id))
    return _render_report(consultation, form, PublishForm(formdata=None), 422 if form.is_submitted() else 200)


def _render_report(consultation, form: ExplanationForm, publish_form: PublishForm, status: int):
    report = services.find_report(consultation.id)
    content = services.draft_content(consultation, report.explanation if report else "")
    return render_template(
        "feedback/staff/report.html", consultation=consultation, form=form, publish_form=publish_form,
        view=ReportView(content), unanswered=content["unanswered"],
        published=services.current_revision(consultation.id), now=utcnow(),
    ), status


@bp.post("/publish")
def publish(consultation_id: int):
    """Publish the report, or a correction with its reason."""
    consultation = _consultation(consultation_id)
    form = PublishForm()
    try:
        if not form.validate():
            raise ValidationFailed({})
        revision = services.publish(consultation, reason=form.reason.data or "", actor=current_user, now=utcnow())
    except (ValidationFailed, RuleViolation) as error:
        show_refusal(error, form, keep_general=True)
        return _render_report(consultation, ExplanationForm(obj=services.find_report(consultation.id)), form,
                              error.status_code)
    flash(_("Revision %(number)d of the feedback report is published.", number=revision.number), "success")
    return redirect(url_for("feedback.report", consultation_id=consultation.id))


@bp.get("/comments.<any(csv, xlsx):extension>")
def download_comments(consultation_id: int, extension: str):
    """All comments with contact details, for the department's own follow-up; each download is audited."""
    consultation = _consultation(consultation_id)
    if not exports.is_direct(consultation):  # too many to write before gunicorn stops the request
        return redirect(url_for("feedback_exports.index", consultation_id=consultation.id, format=extension))
    return downloads.comments_with_contacts(consultation, extension, actor=current_user, now=utcnow())
