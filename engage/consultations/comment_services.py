"""Comment use cases: citizens' comments, receipts, moderation and its history.

Like every service, each takes the acting user (where there is one) and ``now`` explicitly.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from engage.accounts import permissions
from engage.consultations import campaigns, messages, rules
from engage.consultations.models import Article, Comment, CommentStatus, Consultation, Stage
from engage.core import audit
from engage.core.contacts import reachable
from engage.core.errors import NotAllowed, NotFound, PeriodClosed, ValidationFailed
from engage.core.models import AuditEvent
from engage.core.pagination import CursorPage, Page, cursor_page, paginate
from engage.core.queries import contains_text
from engage.extensions import db
from engage.notifications import services as outbox

# ---- comments ------------------------------------------------------------------------------------------


@dataclass
class CommentInput:
    body: str
    article_number: int | None = None
    display_name: str = ""
    contact: str = ""
    consent: bool = False
    idempotency_key: str | None = None
    #: send the receipt number to the contact as well
    send_receipt: bool = False
    #: where it came from (``campaigns.source_key`` of the client's address), to count a campaign's sources
    source_key: str = ""


def validate_comment(data: CommentInput, consultation: Consultation) -> tuple[dict, Article | None]:
    """Domain checks of a comment; returns per-field errors and the article it concerns."""
    errors: dict = {}
    body = data.body.strip()
    if not body:
        errors["body"] = [_l("Please write your comment.")]
    elif len(body) > rules.COMMENT_MAX_LENGTH:
        errors["body"] = [_l("A comment can have at most %(n)d characters.", n=rules.COMMENT_MAX_LENGTH)]
    if len(data.display_name.strip()) > 50:
        errors["name"] = [_l("The name can have at most %(n)d characters.", n=50)]
    contact = data.contact.strip()
    if contact and not rules.is_valid_contact(contact):
        errors["contact"] = [_l("Enter a mobile or landline number, or an e-mail address.")]
    elif contact and not data.consent:
        errors["consent"] = [_l("Agree to the use of your contact details, or leave them out.")]
    if data.send_receipt and not contact:
        errors["send_receipt"] = [_l("Give a mobile number or an e-mail address to get the receipt there.")]
    elif data.send_receipt and "contact" not in errors and reachable(contact) is None:
        errors["send_receipt"] = [_l("The receipt can be sent to a mobile number or an e-mail address, not to a "
                                     "landline.")]
    article = None
    if data.article_number is not None:
        article = db.session.scalar(
            select(Article).where(Article.consultation_id == consultation.id, Article.number == data.article_number)
        )
        if article is None:
            errors["article"] = [_l("This draft has no such article.")]
    return errors, article


def submit_comment(consultation_id: int, data: CommentInput, *, now: datetime) -> tuple[Comment, bool]:
    """Record a citizen's comment while the period is open; returns it and whether it is new.

    A repeated submission with the same idempotency key returns the first comment instead of storing a
    second one (double clicks, retries after a lost answer).
    """
    # Only the consultation row: a submission needs its period and moderation mode, not its articles.
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or consultation.stage == Stage.DRAFT:
        raise NotFound()
    if data.idempotency_key:
        earlier = find_by_idempotency_key(consultation.id, data.idempotency_key)
        if earlier is not None:
            return earlier, False
    if not consultation.is_open(now):
        raise PeriodClosed(_comment_period_message(consultation, now))
    errors, article = validate_comment(data, consultation)
    if errors:
        raise ValidationFailed(errors)
    status = CommentStatus(rules.initial_comment_status(consultation.moderation))
    comment = Comment(
        consultation_id=consultation.id,
        article_id=article.id if article else None,
        body=data.body.strip(),
        display_name=data.display_name.strip(),
        contact=data.contact.strip() if data.consent else "",
        consented_at=now if data.consent and data.contact.strip() else None,
        language=outbox.current_language(),
        receipt_number=rules.new_receipt_number(),
        status=status,
        created_at=now,
        idempotency_key=data.idempotency_key,
        text_fingerprint=campaigns.fingerprint(data.body.strip()),
        source_key=data.source_key,
    )
    if data.idempotency_key:
        earlier = _store_unless_key_taken(comment)
        if earlier is not None:
            return earlier, False
    else:
        db.session.add(comment)
        db.session.flush()
    _count_comment(consultation.id, published=status == CommentStatus.PUBLISHED)
    if status == CommentStatus.PUBLISHED:
        count_published_on_articles({comment.article_id: 1})
    if data.send_receipt:
        messages.tell_receipt(comment, consultation, now=now)
    return comment, True


def _store_unless_key_taken(comment: Comment) -> Comment | None:
    """Store ``comment``; when a concurrent request stored one with the same key first, return that one."""
    try:
        # A savepoint, so that losing the race leaves the request's transaction usable (PostgreSQL).
        with db.session.begin_nested():
            db.session.add(comment)
            db.session.flush()
    except IntegrityError:
        earlier = find_by_idempotency_key(comment.consultation_id, comment.idempotency_key)
        if earlier is None:
            raise
        return earlier
    return None


def _comment_period_message(consultation: Consultation, now: datetime):
    if consultation.status(now) == rules.SCHEDULED:
        return _l("The comment period has not started yet.")
    return _l("The comment period has ended; comments are no longer accepted.")


def _count_comment(consultation_id: int, *, published: bool) -> None:
    # One UPDATE with arithmetic in the database: concurrent submissions never lose a count.
    values = {"comment_count": Consultation.comment_count + 1}
    if published:
        values["published_comment_count"] = Consultation.published_comment_count + 1
        values["public_version"] = Consultation.public_version + 1
    db.session.execute(update(Consultation).where(Consultation.id == consultation_id).values(**values))


def count_published_on_articles(changes: dict[int | None, int]) -> None:
    """Move the articles' kept counts of published comments by ``changes`` (article id: +n/-n; None is ignored)."""
    for article_id, change in changes.items():
        if article_id is not None and change:
            db.session.execute(update(Article).where(Article.id == article_id)
                               .values(published_comment_count=Article.published_comment_count + change))


def find_by_idempotency_key(consultation_id: int, key: str) -> Comment | None:
    return db.session.scalar(
        select(Comment).where(Comment.consultation_id == consultation_id, Comment.idempotency_key == key)
    )


def find_by_receipt(receipt_number: str) -> Comment:
    comment = db.session.scalar(
        select(Comment).where(Comment.receipt_number == rules.normalise_receipt_number(receipt_number))
    )
    if comment is None:
        raise NotFound(_l("No comment has this receipt number. Please check it and try again."))
    return comment


def list_published_comments(consultation: Consultation, *, per_page: int = 20, article_id: int | None = None,
                            q: str | None = None, after: int | None = None, before: int | None = None) -> CursorPage:
    """Published comments, newest first, on one article and/or containing ``q``; a page continues ``after`` the
    cursor of the one before it (or goes back ``before`` one), so the 20,000th page costs what the first does.

    Unless searched, the total comes from a kept counter, not a COUNT of all rows. ``q`` is matched as a substring,
    since Chinese has no spaces to split words on; the form and the API ask for at least
    ``rules.COMMENT_SEARCH_MIN_LENGTH`` characters.
    """
    statement = select(Comment).where(Comment.consultation_id == consultation.id,
                                      Comment.status == CommentStatus.PUBLISHED)
    total = consultation.published_comment_count
    if article_id is not None:
        statement = statement.where(Comment.article_id == article_id)
        total = next((a.published_comment_count for a in consultation.articles if a.id == article_id), None)
    if q and q.strip():
        statement = statement.where(contains_text([Comment.body], q))
        total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    return cursor_page(db.session, statement, Comment.id, descending=True, per_page=per_page, after=after,
                       before=before, total=total)


# ---- moderation ----------------------------------------------------------------------------------------


def moderation_queue(consultation: Consultation, *, actor, status: CommentStatus = CommentStatus.PENDING,
                     per_page: int = 50, after: int | None = None, before: int | None = None) -> CursorPage:
    """Comments of one moderation status, oldest first, for the department's staff, a page at a time by cursor."""
    if not permissions.can_moderate(actor, consultation):
        raise NotAllowed()
    statement = select(Comment).where(Comment.consultation_id == consultation.id, Comment.status == status)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    return cursor_page(db.session, statement, Comment.id, per_page=per_page, after=after, before=before, total=total)


def pending_count(consultation: Consultation) -> int:
    return db.session.scalar(
        select(func.count()).where(Comment.consultation_id == consultation.id,
                                   Comment.status == CommentStatus.PENDING)
    )


def pending_counts(consultation_ids: list[int]) -> dict[int, int]:
    """Comments awaiting review per consultation, for a list page: one grouped query, not one per row."""
    if not consultation_ids:
        return {}
    rows = db.session.execute(
        select(Comment.consultation_id, func.count())
        .where(Comment.consultation_id.in_(consultation_ids), Comment.status == CommentStatus.PENDING)
        .group_by(Comment.consultation_id)
    )
    return dict(rows.all())


def staff_history(consultation: Consultation, *, actor, page: int = 1, per_page: int = 50) -> Page:
    """The audit events of a consultation and of its comments' moderation, oldest first."""
    if not permissions.can_view_staff_side(actor, consultation):
        raise NotAllowed()
    comment_ids = select(Comment.id).where(Comment.consultation_id == consultation.id)
    statement = (
        select(AuditEvent)
        .where(or_(
            and_(AuditEvent.subject_type == Consultation.__tablename__, AuditEvent.subject_id == consultation.id),
            and_(AuditEvent.subject_type == Comment.__tablename__, AuditEvent.subject_id.in_(comment_ids)),
        ))
        .order_by(AuditEvent.created_at, AuditEvent.id)
    )
    return paginate(db.session, statement, page, per_page)


def receipt_numbers(comment_ids: list[int]) -> dict[int, str]:
    """Receipt numbers by comment id, to name the comments in a history page."""
    if not comment_ids:
        return {}
    return dict(db.session.execute(select(Comment.id, Comment.receipt_number).where(Comment.id.in_(comment_ids))).all())


def moderate(consultation: Consultation, comment_ids: list[int], *, approve: bool, reason: str = "", actor,
             now: datetime) -> list[Comment]:
    """Approve or reject comments of one consultation; a rejection needs a reason its authors will see.

    Comments are never deleted: a rejected comment is only hidden from the public.
    """
    if not permissions.can_moderate(actor, consultation):
        raise NotAllowed()
    if not approve and not reason.strip():
        raise ValidationFailed({"reason": [_l("Give the reason for not publishing, so the author knows why.")]})
    comments = db.session.scalars(
        select(Comment).where(Comment.consultation_id == consultation.id, Comment.id.in_(comment_ids))
    ).all()
    if len(comments) != len(set(comment_ids)):
        raise NotFound(_l("Some of the selected comments do not belong to this consultation."))
    new_status = CommentStatus.PUBLISHED if approve else CommentStatus.REJECTED
    change = 0
    by_article: dict[int | None, int] = {}
    for comment in comments:
        if comment.status == new_status:
            continue
        delta = _published_delta(comment.status, new_status)
        change += delta
        by_article[comment.article_id] = by_article.get(comment.article_id, 0) + delta
        comment.status = new_status
        comment.rejection_reason = "" if approve else reason.strip()
        comment.moderated_at = now
        comment.moderated_by_id = actor.id
        audit.record(f"comment.{new_status}", comment, actor=actor, now=now, reason=comment.rejection_reason)
        if not approve:
            messages.tell_not_published(comment, consultation, now=now)
    if change:
        db.session.execute(
            update(Consultation).where(Consultation.id == consultation.id)
            .values(published_comment_count=Consultation.published_comment_count + change,
                    public_version=Consultation.public_version + 1)
        )
        count_published_on_articles(by_article)
    db.session.flush()
    return list(comments)


def _published_delta(old: CommentStatus, new: CommentStatus) -> int:
    return (new == CommentStatus.PUBLISHED) - (old == CommentStatus.PUBLISHED)
