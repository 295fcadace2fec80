"""Public consultation pages: the list, a consultation with its comments, sending a comment, receipts."""

from flask import Blueprint, current_app, redirect, render_template, request, send_from_directory, url_for
from flask_babel import get_locale

from engage.consultations import campaigns, comment_services, rules, services
from engage.consultations.forms import CommentFilterForm, CommentForm, ConsultationFilterForm, ReceiptLookupForm
from engage.consultations.limits import limit_comments
from engage.core import page_cache
from engage.core.errors import NotFound, PeriodClosed, ValidationFailed
from engage.core.forms import ask_to_confirm, blank_form, lacks_valid_token, show_refusal
from engage.core.http_cache import public
from engage.core.pagination import cursors_from
from engage.core.timeutil import china_date, utcnow
from engage.extensions import csrf
from engage.feedback import services as feedback_services

bp = Blueprint("consultations", __name__, url_prefix="/consultations")

#: One bucket per address for comments sent by the page and by the API, so neither is a way around the other.



@bp.app_template_global()
def consultation_status_label(status: str) -> str:
    """The words for a public status, for badges on any page."""
    return rules.ConsultationStatus.label_of(status)


@bp.get("/")
@public
def index():
    """Consultations the public can see, filtered by status, department and search text."""
    form = ConsultationFilterForm(request.args)
    form.set_choices(services.active_departments(), str(get_locale()))
    page = services.list_public(
        utcnow(), status=form.chosen_status(), department_id=form.chosen_department(),
        q=(form.q.data or "")[:100], page=request.args.get("page", 1, type=int),
    )
    return render_template("consultations/index.html", form=form, page=page)


@bp.get("/<int:consultation_id>")
@public
def detail(consultation_id: int):
    """A consultation: its draft by article, its documents, the comment form and the published comments."""
    if not page_cache.is_cacheable():
        return _detail_page(*_fresh_detail(consultation_id))
    stage, opens_at, closes_at, version = page_cache.remembered(
        f"consultation:{consultation_id}", lambda: services.public_page_state(consultation_id)
    )
    now = utcnow()
    # The status and the day are part of the key: the page shows them, and the days left, from the clock.
    depends_on = (version, rules.public_status(stage, opens_at, closes_at, now), china_date(now).isoformat())
    return page_cache.serve(depends_on, lambda: _detail_page(*_fresh_detail(consultation_id))[0])


def _fresh_detail(consultation_id: int):
    consultation = services.get_public(consultation_id)
    # Without the visitor's tokens: the page's script fetches them, or the first POST asks to confirm.
    form = blank_form(CommentForm)
    form.set_articles(consultation.articles)
    chosen = _chosen_article(consultation)
    if chosen:
        form.article.data = str(chosen.number)
    return consultation, form


@bp.post("/<int:consultation_id>/comments")
@csrf.exempt  # the form checks its token itself, so that one sent without it can be shown back to confirm
@limit_comments
def submit_comment(consultation_id: int):
    """Record a comment and show its receipt (Post/Redirect/Get); a retry of the same form stores nothing new."""
    consultation = services.get_public(consultation_id)
    form = CommentForm()
    form.set_articles(consultation.articles)
    if not form.validate_on_submit():
        if lacks_valid_token(form):
            ask_to_confirm(form)
            if not form.submission_token.data:
                form.new_token()
            return _detail_page(consultation, form, status=400, confirm=True)
        return _detail_page(consultation, form, status=422)
    try:
        comment, _created = comment_services.submit_comment(consultation.id, _comment_input(form), now=utcnow())
    except ValidationFailed as error:
        show_refusal(error, form, fallback="body")
        return _detail_page(consultation, form, status=422)
    except PeriodClosed as error:
        # Show the refusal where the form was, with the text they typed so it is not lost.
        return _detail_page(consultation, form, status=409, refusal=error.message, unsent=form.body.data)
    return redirect(url_for(".receipt", receipt_number=comment.receipt_number), code=303)


@bp.get("/receipts/<receipt_number>")
def receipt(receipt_number: str):
    """The receipt of a comment just sent: the number to keep and what happens next."""
    comment = comment_services.find_by_receipt(receipt_number)
    return render_template("consultations/receipt.html", comment=comment,
                           group=feedback_services.published_group_of(comment))


@bp.get("/receipt")
def receipt_lookup():
    """Find one's comment by its receipt number: its text, status and the reason when not published."""
    form = ReceiptLookupForm(request.args)
    if "receipt_number" not in request.args:
        return render_template("consultations/receipt_lookup.html", form=form, comment=None)
    if not form.validate():
        return render_template("consultations/receipt_lookup.html", form=form, comment=None), 422
    try:
        comment = comment_services.find_by_receipt(form.receipt_number.data)
    except NotFound as error:
        show_refusal(error, form, fallback="receipt_number")
        return render_template("consultations/receipt_lookup.html", form=form, comment=None), 404
    return render_template("consultations/receipt_lookup.html", form=form, comment=comment,
                           group=feedback_services.published_group_of(comment))


@bp.get("/attachments/<int:attachment_id>")
@public
def attachment(attachment_id: int):
    """Download a published consultation's attachment under the name it was uploaded with."""
    stored = services.get_public_attachment(attachment_id)
    response = send_from_directory(
        current_app.config["UPLOAD_FOLDER"], stored.stored_name, mimetype=stored.content_type,
        as_attachment=True, download_name=stored.original_name,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _chosen_article(consultation):
    number = request.args.get("article", type=int)
    return next((a for a in consultation.articles if a.number == number), None)


def _detail_page(consultation, form: CommentForm, *, status: int = 200, **extra):
    now = utcnow()
    chosen = _chosen_article(consultation)
    comment_filter = CommentFilterForm(request.args)
    comment_filter.set_articles(consultation.articles, consultation.published_comment_count)
    if comment_filter.q.data:
        comment_filter.q.validate(comment_filter)
    comments = comment_services.list_published_comments(
        consultation, per_page=current_app.config["COMMENTS_PER_PAGE"], article_id=chosen.id if chosen else None,
        q=comment_filter.search_text(), **cursors_from(request.args),
    )
    public_status = consultation.status(now)
    days_left = rules.days_left(consultation.closes_at, now) if public_status == rules.OPEN else None
    return render_template(
        "consultations/detail.html", consultation=consultation, status=public_status, days_left=days_left,
        form=form, comments=comments, comment_article=chosen, comment_filter=comment_filter,
        **extra,
    ), status


def _comment_input(form: CommentForm) -> comment_services.CommentInput:
    return comment_services.CommentInput(
        body=form.body.data, article_number=form.article_number(), display_name=form.name.data or "",
        contact=form.contact.data or "", consent=form.consent.data, idempotency_key=form.submission_token.data or None,
        send_receipt=form.send_receipt.data, source_key=campaigns.request_source_key(),
    )
