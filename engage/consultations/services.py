"""Consultation use cases. Each takes the acting user and ``now`` explicitly; none reads the request."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from engage import domain_events
from engage.accounts import permissions
from engage.accounts.models import Department, Role
from engage.consultations import rules
from engage.consultations.models import (
    Article,
    Attachment,
    Consultation,
    ConsultationKind,
    ModerationMode,
    Stage,
)
from engage.core import audit
from engage.core import uploads as attachments
from engage.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from engage.core.pagination import Page, paginate
from engage.core.queries import contains_text
from engage.core.workdays import WorkCalendar
from engage.domain_events.models import EventType
from engage.extensions import db
from engage.regions import services as regions


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
    page: int = 1, per_page: int = 20, region=None,
) -> Page:
    """Consultations the public may see (never drafts), newest period first; ``region`` with the ones below."""
    statement = select(Consultation).where(Consultation.stage != Stage.DRAFT)
    if region is not None:
        statement = statement.where(Consultation.department_id.in_(regions.departments_under(region)))
    if status:
        statement = statement.where(status_filter(status, now))
    if department_id:
        statement = statement.where(Consultation.department_id == department_id)
    if q and q.strip():
        statement = statement.where(contains_text([Consultation.title, Consultation.summary], q))
    statement = statement.order_by(Consultation.opens_at.desc(), Consultation.id.desc())
    return paginate(db.session, statement, page, per_page)


def public_list_state(now: datetime) -> tuple:
    """What a cached list of public consultations depends on at ``now``, in one query.

    Edits and new comments raise ``public_version``; the last opening and closing already passed name the
    moment a consultation last changed status by itself, so a list keyed on them moves with the clock.
    """
    row = db.session.execute(
        select(func.count(Consultation.id), func.sum(Consultation.public_version), func.max(Consultation.updated_at),
               func.max(case((Consultation.opens_at <= now, Consultation.opens_at))),
               func.max(case((Consultation.closes_at <= now, Consultation.closes_at))))
        .where(Consultation.stage != Stage.DRAFT)
    ).one()
    return tuple(row)


def get_public(consultation_id: int) -> Consultation:
    """A consultation the public may see; drafts do not exist for the public."""
    consultation = db.session.get(
        Consultation, consultation_id, options=[selectinload(Consultation.articles),
                                                selectinload(Consultation.attachments)]
    )
    if consultation is None or consultation.stage == Stage.DRAFT:
        raise NotFound()
    return consultation


def public_page_state(consultation_id: int) -> tuple:
    """What a cached public page of the consultation depends on, read with one small query instead of loading it.

    Returns (stage, opens_at, closes_at, public_version); NotFound for drafts and unknown ids.
    """
    # Plain table columns (a Core select): this runs for every view of a cached page, and skips the ORM's cost.
    table = Consultation.__table__
    row = db.session.execute(
        select(table.c.stage, table.c.opens_at, table.c.closes_at, table.c.public_version)
        .where(table.c.id == consultation_id)
    ).one_or_none()
    if row is None or row.stage == Stage.DRAFT:
        raise NotFound()
    return tuple(row)


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
        statement = statement.where(_staff_departments(actor))
    return paginate(db.session, statement, page, per_page)


def _staff_departments(actor):
    """A region's administrator lists its whole subtree (lower levels read-only); staff their department."""
    region = getattr(actor, "scope_region", None)
    if actor.role == Role.ADMIN and region is not None:
        return Consultation.department_id.in_(regions.departments_under(region))
    return Consultation.department_id == actor.department_id


def active_departments(region=None) -> list[Department]:
    """Active departments by name; given a region, those of it and below it."""
    statement = select(Department).where(Department.is_active).order_by(Department.name)
    if region is not None:
        statement = statement.where(Department.id.in_(regions.departments_under(region)))
    return db.session.scalars(statement).all()


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
    errors = publish_problems(consultation, now=now, config=config, calendar=calendar)
    if errors:
        raise ValidationFailed(errors, message=_l("The consultation cannot be published yet."))
    consultation.opens_at = max(consultation.opens_at, now)
    consultation.stage = Stage.PUBLISHED
    consultation.published_at = now
    consultation.updated_at = now
    consultation.public_version += 1
    db.session.flush()
    audit.record("consultation.published", consultation, actor=actor, now=now)
    if consultation.is_open(now):
        domain_events.emit(EventType.CONSULTATION_OPENED, consultation, now=now)
    return consultation


def publish_problems(consultation: Consultation, *, now: datetime, config: dict, calendar: WorkCalendar) -> dict:
    """What would stop ``publish`` right now, per field, so a preview can list it before anyone clicks."""
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


def get_attachment_of(consultation: Consultation, attachment_id: int) -> Attachment:
    """An attachment of ``consultation`` (staff read drafts too); NotFound when it belongs to another one."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.consultation_id != consultation.id:
        raise NotFound()
    return attachment


def get_public_attachment(attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.consultation.stage == Stage.DRAFT:
        raise NotFound()
    return attachment
