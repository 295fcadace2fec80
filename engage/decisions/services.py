"""Decision use cases: linking a consultation's final decision and its interpretation. Actor and ``now`` explicit."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage import domain_events
from engage.consultations.models import Consultation, Stage
from engage.core import audit
from engage.core import uploads as attachments
from engage.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from engage.core.timeutil import china_date
from engage.core.workdays import WorkCalendar
from engage.decisions import messages, permissions, rules
from engage.decisions.models import Decision, DecisionFile
from engage.domain_events.models import EventType
from engage.extensions import db


@dataclass
class Upload:
    """A file as it arrives: its stream and the name the uploader gave it."""

    stream: BinaryIO
    filename: str


@dataclass
class FileStore:
    """Where uploads go and how large they may be (from the configuration)."""

    folder: str
    max_bytes: int


@dataclass
class DecisionFields:
    title: str
    document_number: str
    published_on: date | None
    url: str = ""


@dataclass
class InterpretationFields:
    interpreted_on: date | None
    title: str = ""
    url: str = ""


def decision_of(consultation_id: int) -> Decision | None:
    return db.session.scalar(select(Decision).where(Decision.consultation_id == consultation_id))


def get_public_file(file_id: int) -> DecisionFile:
    """A decision or interpretation document; it is public once linked to a published consultation."""
    stored = db.session.get(DecisionFile, file_id)
    linked = stored and db.session.scalar(
        select(Consultation.stage).join(Decision, Decision.consultation_id == Consultation.id)
        .where((Decision.file_id == file_id) | (Decision.interpretation_file_id == file_id))
    )
    if not linked or linked == Stage.DRAFT:
        raise NotFound()
    return stored


def _store(upload: Upload | None, store: FileStore, *, actor, now: datetime) -> DecisionFile | None:
    if upload is None or not upload.filename:
        return None
    saved = attachments.store_upload(upload.stream, upload.filename, store.folder, store.max_bytes)
    stored = DecisionFile(original_name=upload.filename[-255:], stored_name=saved.stored_name,
                          content_type=saved.content_type, size=saved.size, uploaded_at=now, uploaded_by_id=actor.id)
    db.session.add(stored)
    db.session.flush()
    return stored


def _check_web_address(url: str, field: str, errors: dict) -> None:
    if url and not rules.is_web_address(url):
        errors.setdefault(field, []).append(_l("Enter a full web address starting with http:// or https://."))


def _check_decision(fields: DecisionFields, has_file: bool, today: date, consultation: Consultation,
                    decision: Decision | None) -> dict:
    errors: dict = {}
    if not fields.title.strip():
        errors["title"] = [_l("Enter the title of the decision.")]
    if not fields.document_number.strip():
        errors["document_number"] = [_l("Enter the document number (文号).")]
    if fields.published_on is None:
        errors["published_on"] = [_l("Enter the publication date.")]
    elif fields.published_on > today:
        errors["published_on"] = [_l("The publication date cannot be in the future.")]
    else:
        _check_decision_date(fields.published_on, consultation, decision, errors)
    _check_web_address(fields.url, "url", errors)
    if not fields.url and not has_file:
        errors.setdefault("url", []).append(_l("Upload the document or give the address where it is published."))
    return errors


def _check_decision_date(published_on: date, consultation: Consultation, decision: Decision | None,
                         errors: dict) -> None:
    closed_on = rules.closing_day(consultation.closes_at)
    if not rules.is_decision_date_allowed(published_on, closed_on):
        errors["published_on"] = [_l("The decision cannot be published before its comment period closed "
                                     "(%(day)s).", day=closed_on.isoformat())]
    elif decision is not None and decision.interpreted_on is not None and not rules.is_interpretation_date_allowed(
            decision.interpreted_on, published_on):
        errors["published_on"] = [_l("The interpretation is dated %(day)s: the decision cannot come after it. "
                                     "Correct the interpretation's date first.",
                                     day=decision.interpreted_on.isoformat())]


def link_decision(consultation: Consultation, fields: DecisionFields, upload: Upload | None, *, actor, now: datetime,
                  working_days: int, calendar: WorkCalendar, store: FileStore) -> Decision:
    """Link (or correct) the final decision of ``consultation``; the consultation becomes decided.

    The publication date may not be earlier than the day the comment period closed, nor (on a correction) later
    than an interpretation already linked. The interpretation deadline is counted from the decision's publication
    date in working days; a corrected date moves it. The file is stored only once everything else is valid, so
    a refused form leaves nothing.
    """
    if not permissions.can_link_decision(actor, consultation):
        raise NotAllowed()
    if not rules.can_link_decision(consultation.status(now)):
        raise InvalidTransition(_l("A decision can be linked once the comment period has ended."))
    decision = decision_of(consultation.id)
    has_file = bool(upload and upload.filename) or bool(decision and decision.file_id)
    fields.url = fields.url.strip()
    errors = _check_decision(fields, has_file, china_date(now), consultation, decision)
    if errors:
        raise ValidationFailed(errors)
    stored = _store(upload, store, actor=actor, now=now)
    first_link = decision is None
    if decision is None:
        decision = Decision(consultation_id=consultation.id, created_at=now, created_by_id=actor.id)
        db.session.add(decision)
    decision.title, decision.document_number = fields.title.strip(), fields.document_number.strip()
    decision.published_on, decision.url = fields.published_on, fields.url
    decision.file = stored or decision.file
    decision.interpretation_due_on = rules.interpretation_deadline(fields.published_on, working_days, calendar)
    decision.updated_at = now
    consultation.stage = Stage.DECIDED
    consultation.updated_at = now
    consultation.public_version += 1
    db.session.flush()
    audit.record("decision.linked", consultation, actor=actor, now=now, title=decision.title,
                 document_number=decision.document_number, published_on=decision.published_on.isoformat(),
                 interpretation_due_on=decision.interpretation_due_on.isoformat())
    if first_link:
        messages.tell_commenters(consultation, decision, now=now)
    domain_events.emit(EventType.DECISION_PUBLISHED, consultation, now=now, correction=not first_link,
                       decision_title=decision.title, document_number=decision.document_number,
                       published_on=decision.published_on)
    return decision


def _check_interpretation(decision: Decision, fields: InterpretationFields, has_file: bool, today: date) -> dict:
    errors: dict = {}
    if fields.interpreted_on is None:
        errors["interpreted_on"] = [_l("Enter the publication date of the interpretation.")]
    elif fields.interpreted_on > today:
        errors["interpreted_on"] = [_l("The publication date cannot be in the future.")]
    elif not rules.is_interpretation_date_allowed(fields.interpreted_on, decision.published_on):
        errors["interpreted_on"] = [_l("The interpretation cannot come before the decision (%(day)s).",
                                       day=decision.published_on.isoformat())]
    _check_web_address(fields.url, "interpretation_url", errors)
    if not fields.url and not has_file:
        errors.setdefault("interpretation_url", []).append(
            _l("Upload the interpretation or give the address where it is published."))
    return errors


def record_interpretation(decision: Decision, fields: InterpretationFields, upload: Upload | None, *, actor,
                          now: datetime, store: FileStore) -> Decision:
    """Link (or correct) the policy interpretation (政策解读) of a decision."""
    consultation = decision.consultation
    if not permissions.can_link_decision(actor, consultation):
        raise NotAllowed()
    fields.url = fields.url.strip()
    has_file = bool(upload and upload.filename) or bool(decision.interpretation_file_id)
    errors = _check_interpretation(decision, fields, has_file, china_date(now))
    if errors:
        raise ValidationFailed(errors)
    stored = _store(upload, store, actor=actor, now=now)
    decision.interpretation_title = fields.title.strip()
    decision.interpretation_url = fields.url
    decision.interpreted_on = fields.interpreted_on
    decision.interpretation_file = stored or decision.interpretation_file
    decision.updated_at = now
    consultation.public_version += 1
    db.session.flush()
    audit.record("interpretation.linked", consultation, actor=actor, now=now,
                 interpreted_on=fields.interpreted_on.isoformat(),
                 on_time=decision.interpretation_state(china_date(now)) == rules.ON_TIME)
    return decision
