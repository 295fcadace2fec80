"""Consultation use cases. Each takes the acting user and ``now`` explicitly; none reads the request."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from engage.accounts import permissions
from engage.accounts.models import Department
from engage.consultations import attachments, rules
from engage.consultations.models import (
    Article,
    Attachment,
    Comment,
    CommentStatus,
    Consultation,
    ConsultationKind,
    ModerationMode,
    Stage,
)
from engage.core import audit
from engage.core.db import contains_text
from engage.core.errors import InvalidTransition, NotAllowed, NotFound, PeriodClosed, ValidationFailed
from engage.core.models import AuditEvent
from engage.core.pagination import Page, paginate
from engage.core.workdays import WorkCalendar
from engage.extensions import db


def status_filter(status: str, now: datetime):
    """The SQL condition for one public status; the period's timing is compared with ``now``."""
    published = Consultation.stage == Stage.PUBLISHED
    return {
        rules.SCHEDULED: and_(published, Consultation.opens_at > now),
        rules.OPEN: and_(published, Consultation.opens_at <= now, Consultation.closes_at > now),
        rules.CLOSED: and_(published, Consultation.closes_at <= now),
        rules.FEEDBACK_PUBLISHED: Consultation.stage == Stage.FEEDBACK_PUBLISHED,
        rules.DECIDED: Consultation.stage == Stage.DECIDED,
    }[status]


# ---- reading -------------------------------------------------------------------------------------------


def list_public(
    now: datetime, *, status: str | None = None, department_id: int | None = None, q: str | None = None,
    page: int = 1, per_page: int = 20,
) -> Page:
    """Consultations the public may see (never drafts), newest period first."""
    statement = select(Consultation).where(Consultation.stage != Stage.DRAFT)
    if status:
        statement = statement.where(status_filter(status, now))
    if department_id:
        statement = statement.where(Consultation.department_id == department_id)
    if q and q.strip():
        statement = statement.where(contains_text([Consultation.title, Consultation.summary], q))
    statement = statement.order_by(Consultation.opens_at.desc(), Consultation.id.desc())
    return paginate(db.session, statement, page, per_page)


def get_public(consultation_id: int) -> Consultation:
    """A consultation the public may see; drafts do not exist for the public."""
    consultation = db.session.get(
        Consultation, consultation_id, options=[selectinload(Consultation.articles),
                                                selectinload(Consultation.attachments)]
    )
    if consultation is None or consultation.stage == Stage.DRAFT:
        raise NotFound()
    return consultation


def get_for_staff(consultation_id: int, actor) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        raise NotFound()
    if not permissions.can_view_staff_side(actor, consultation):
        raise NotAllowed()
    return consultation


def list_for_staff(actor, *, page: int = 1, per_page: int = 20) -> Page:
    """The consultations of the departments ``actor`` acts for, drafts included."""
    statement = select(Consultation).order_by(Consultation.updated_at.desc(), Consultation.id.desc())
    if not permissions.is_admin(actor):
        if not permissions.can_create_consultation(actor):
            raise NotAllowed()
        statement = statement.where(Consultation.department_id == actor.department_id)
    return paginate(db.session, statement, page, per_page)


def active_departments() -> list[Department]:
    return db.session.scalars(select(Department).where(Department.is_active).order_by(Department.name)).all()


# ---- drafting and publishing ---------------------------------------------------------------------------


@dataclass
class DraftFields:
    """What staff type into a consultation. Times are aware UTC."""

    title: str
    kind: ConsultationKind
    summary: str = ""
    draft_text: str = ""
    basis: str = ""
    explanation: str = ""
    contact_channels: str = ""
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    short_period_reason: str = ""
    moderation: ModerationMode = ModerationMode.IMMEDIATE


def create_draft(fields: DraftFields, *, department_id: int, actor, now: datetime) -> Consultation:
    """Create a consultation in the draft stage for ``department_id``."""
    if not permissions.acts_for_department(actor, department_id):
        raise NotAllowed()
    if db.session.get(Department, department_id) is None:
        raise ValidationFailed({"department_id": [_l("Unknown department.")]})
    consultation = Consultation(department_id=department_id, created_at=now, created_by_id=actor.id)
    _apply_fields(consultation, fields, now)
    db.session.add(consultation)
    db.session.flush()
    audit.record("consultation.created", consultation, actor=actor, now=now)
    return consultation


def update_draft(consultation: Consultation, fields: DraftFields, *, actor, now: datetime,
                 department_id: int | None = None) -> Consultation:
    """Change a consultation that is still a draft; once published its text is what people commented on.

    ``department_id`` moves the draft to another department, for those who act for both.
    """
    if not permissions.can_edit_consultation(actor, consultation):
        raise NotAllowed()
    if consultation.stage != Stage.DRAFT:
        raise InvalidTransition(_l("A published consultation can no longer be edited."))
    if department_id is not None and department_id != consultation.department_id:
        if not permissions.acts_for_department(actor, department_id):
            raise NotAllowed()
        if db.session.get(Department, department_id) is None:
            raise ValidationFailed({"department_id": [_l("Unknown department.")]})
        consultation.department_id = department_id
    _apply_fields(consultation, fields, now)
    db.session.flush()
    audit.record("consultation.updated", consultation, actor=actor, now=now)
    return consultation


def _apply_fields(consultation: Consultation, fields: DraftFields, now: datetime) -> None:
    if fields.opens_at and fields.closes_at and fields.closes_at <= fields.opens_at:
        raise ValidationFailed({"closes_at": [_l("The period must close after it opens.")]})
    for name, value in vars(fields).items():
        setattr(consultation, name, value)
    consultation.updated_at = now
    preamble, parsed = rules.split_articles(fields.draft_text)
    consultation.preamble = preamble
    # Replace the articles wholesale: their numbers come from the text, which may have been renumbered.
    consultation.articles.clear()
    db.session.flush()
    consultation.articles.extend(
        Article(number=p.number, label=p.label, chapter=p.chapter, body=p.body, position=i)
        for i, p in enumerate(parsed)
    )


def minimum_period(kind: ConsultationKind, config: dict) -> rules.MinimumPeriod:
    setting = config["CONSULTATION_MIN_PERIODS"][str(kind)]
    return rules.MinimumPeriod(length=setting["length"], unit=setting["unit"])


def publish(consultation: Consultation, *, actor, now: datetime, config: dict, calendar: WorkCalendar):
    """Publish a draft. Its period must be complete and long enough, or carry a reason for being short.

    A period whose opening time has passed opens at once.
    """
    if not permissions.can_publish(actor, consultation):
        raise NotAllowed()
    if consultation.stage != Stage.DRAFT:
        raise InvalidTransition(_l("This consultation is already published."))
    errors = _publish_problems(consultation, now, config, calendar)
    if errors:
        raise ValidationFailed(errors, message=_l("The consultation cannot be published yet."))
    consultation.opens_at = max(consultation.opens_at, now)
    consultation.stage = Stage.PUBLISHED
    consultation.published_at = now
    consultation.updated_at = now
    db.session.flush()
    audit.record("consultation.published", consultation, actor=actor, now=now)
    return consultation


def publish_problems(consultation: Consultation, *, now: datetime, config: dict, calendar: WorkCalendar) -> dict:
    """What would stop ``publish`` right now, per field, so a preview can list it before anyone clicks."""
    return _publish_problems(consultation, now, config, calendar)


def _publish_problems(consultation: Consultation, now: datetime, config: dict, calendar: WorkCalendar) -> dict:
    errors: dict = {}
    if not consultation.draft_text.strip():
        errors["draft_text"] = [_l("The draft text is required before publishing.")]
    if consultation.opens_at is None:
        errors["opens_at"] = [_l("Set when the comment period opens.")]
    if consultation.closes_at is None:
        errors["closes_at"] = [_l("Set when the comment period closes.")]
    if errors:
        return errors
    opens_at = max(consultation.opens_at, now)
    if consultation.closes_at <= now:
        return {"closes_at": [_l("The closing time has already passed; choose a later one.")]}
    if consultation.closes_at <= opens_at:
        return {"closes_at": [_l("The period must close after it opens.")]}
    minimum = minimum_period(consultation.kind, config)
    if rules.is_period_too_short(opens_at, consultation.closes_at, minimum, calendar) and not (
        consultation.short_period_reason.strip()
    ):
        message = (
            _l("For this kind of document the period must be at least %(n)d working days; give a reason to "
               "publish a shorter one.", n=minimum.length)
            if minimum.unit == "working_days"
            else _l("For this kind of document the period must be at least %(n)d days; give a reason to "
                    "publish a shorter one.", n=minimum.length)
        )
        errors["short_period_reason"] = [message]
    return errors


def add_attachment(consultation: Consultation, stream, filename: str, *, actor, now: datetime, folder: str,
                   max_bytes: int) -> Attachment:
    """Attach a file to a draft, after checking its type by content and its size."""
    if not permissions.can_edit_consultation(actor, consultation):
        raise NotAllowed()
    if consultation.stage != Stage.DRAFT:
        raise InvalidTransition(_l("A published consultation can no longer be edited."))
    stored = attachments.store_upload(stream, filename, folder, max_bytes)
    attachment = Attachment(
        consultation_id=consultation.id, original_name=filename[-255:], stored_name=stored.stored_name,
        content_type=stored.content_type, size=stored.size, uploaded_at=now, uploaded_by_id=actor.id,
    )
    db.session.add(attachment)
    db.session.flush()
    audit.record("attachment.added", consultation, actor=actor, now=now, name=attachment.original_name)
    return attachment


def remove_attachment(attachment: Attachment, *, actor, now: datetime, folder: str) -> None:
    consultation = attachment.consultation
    if not permissions.can_edit_consultation(actor, consultation):
        raise NotAllowed()
    if consultation.stage != Stage.DRAFT:
        raise InvalidTransition(_l("A published consultation can no longer be edited."))
    audit.record("attachment.removed", consultation, actor=actor, now=now, name=attachment.original_name)
    db.session.delete(attachment)
    db.session.flush()
    attachments.delete_stored(folder, attachment.stored_name)


def get_public_attachment(attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.consultation.stage == Stage.DRAFT:
        raise NotFound()
    return attachment


# ---- comments ------------------------------------------------------------------------------------------


@dataclass
class CommentInput:
    body: str
    article_number: int | None = None
    display_name: str = ""
    contact: str = ""
    consent: bool = False
    idempotency_key: str | None = None


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
    article = None
    if data.article_number is not None:
        article = next((a for a in consultation.articles if a.number == data.article_number), None)
        if article is None:
            errors["article"] = [_l("This draft has no such article.")]
    return errors, article


def submit_comment(consultation_id: int, data: CommentInput, *, now: datetime) -> tuple[Comment, bool]:
    """Record a citizen's comment while the period is open; returns it and whether it is new.

    A repeated submission with the same idempotency key returns the first comment instead of storing a
    second one (double clicks, retries after a lost answer).
    """
    consultation = get_public(consultation_id)
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
        receipt_number=rules.new_receipt_number(),
        status=status,
        created_at=now,
        idempotency_key=data.idempotency_key,
    )
    try:
        with db.session.begin_nested():
            db.session.add(comment)
            db.session.flush()
    except IntegrityError:
        # Another request with the same key won the race; answer with its comment.
        earlier = find_by_idempotency_key(consultation.id, data.idempotency_key) if data.idempotency_key else None
        if earlier is None:
            raise
        return earlier, False
    _count_comment(consultation.id, published=status == CommentStatus.PUBLISHED)
    return comment, True


def _comment_period_message(consultation: Consultation, now: datetime):
    if consultation.status(now) == rules.SCHEDULED:
        return _l("The comment period has not started yet.")
    return _l("The comment period has ended; comments are no longer accepted.")


def _count_comment(consultation_id: int, *, published: bool) -> None:
    # One UPDATE with arithmetic in the database: concurrent submissions never lose a count.
    values = {"comment_count": Consultation.comment_count + 1}
    if published:
        values["published_comment_count"] = Consultation.published_comment_count + 1
    db.session.execute(update(Consultation).where(Consultation.id == consultation_id).values(**values))


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


def list_published_comments(consultation: Consultation, *, page: int = 1, per_page: int = 20,
                            article_id: int | None = None) -> Page:
    """Published comments, newest first. The total comes from the kept counter, not a COUNT of all rows."""
    statement = (
        select(Comment)
        .where(Comment.consultation_id == consultation.id, Comment.status == CommentStatus.PUBLISHED)
        .order_by(Comment.id.desc())
    )
    if article_id is not None:
        return paginate(db.session, statement.where(Comment.article_id == article_id), page, per_page)
    return paginate(db.session, statement, page, per_page, total=consultation.published_comment_count)


# ---- moderation ----------------------------------------------------------------------------------------


def moderation_queue(consultation: Consultation, *, actor, status: CommentStatus = CommentStatus.PENDING,
                     page: int = 1, per_page: int = 50) -> Page:
    """Comments of one moderation status, oldest first, for the department's staff."""
    if not permissions.can_moderate(actor, consultation):
        raise NotAllowed()
    statement = (
        select(Comment)
        .where(Comment.consultation_id == consultation.id, Comment.status == status)
        .order_by(Comment.id)
    )
    return paginate(db.session, statement, page, per_page)


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
    for comment in comments:
        if comment.status == new_status:
            continue
        change += _published_delta(comment.status, new_status)
        comment.status = new_status
        comment.rejection_reason = "" if approve else reason.strip()
        comment.moderated_at = now
        comment.moderated_by_id = actor.id
        audit.record(f"comment.{new_status}", comment, actor=actor, now=now, reason=comment.rejection_reason)
    if change:
        db.session.execute(
            update(Consultation).where(Consultation.id == consultation.id)
            .values(published_comment_count=Consultation.published_comment_count + change)
        )
    db.session.flush()
    return list(comments)


def _published_delta(old: CommentStatus, new: CommentStatus) -> int:
    return (new == CommentStatus.PUBLISHED) - (old == CommentStatus.PUBLISHED)
