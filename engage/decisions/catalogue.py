"""Annual catalogue of major administrative decisions (重大行政决策事项目录): keeping entries, with reasons.

Every change the public should be able to follow (added, changed, postponed, dropped, restored) is stored as a
``CatalogueChange`` with its reason; progress (the consultation, the deliberation) fills the entry in as it comes.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from engage.accounts.models import Department, Role
from engage.accounts.permissions import is_admin
from engage.consultations.models import Consultation, Stage
from engage.core import audit
from engage.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from engage.decisions import permissions, rules, timing
from engage.decisions.dashboard import with_published_report
from engage.decisions.models import CatalogueChange, CatalogueEntry, ChangeKind, Decision, EntryStatus
from engage.decisions.timing import PlannedTiming
from engage.extensions import db
from engage.regions import services as regions

#: the years a catalogue can be kept for, around today's
YEAR_RANGE = range(2000, 2100)
REASON_REQUIRED = _l("Give the reason for this change; it is published with the catalogue.")


@dataclass
class EntryFields:
    """What staff type for an entry."""

    name: str
    planned: PlannedTiming
    consultation_id: int | None = None


# ---- reading -------------------------------------------------------------------------------------------


def _in_region(region) -> list:
    """Each level keeps its own catalogue; a region's list holds its departments' entries and those below it."""
    return [] if region is None else [CatalogueEntry.department_id.in_(regions.departments_under(region))]


def catalogue_years(region=None) -> list[tuple[int, int]]:
    """(year, number of entries) for every year that has a catalogue, newest first."""
    rows = db.session.execute(
        select(CatalogueEntry.year, func.count()).where(*_in_region(region))
        .group_by(CatalogueEntry.year).order_by(CatalogueEntry.year.desc())
    )
    return [tuple(row) for row in rows]


def entries_of_year(year: int, *, department_id: int | None = None, by_timing: bool = False,
                    region=None) -> list[CatalogueEntry]:
    """A year's entries in the order they were listed (or by planned timing, the earliest first), with their
    changes and linked consultations loaded."""
    statement = (
        select(CatalogueEntry).where(CatalogueEntry.year == year, *_in_region(region))
        .options(selectinload(CatalogueEntry.changes), selectinload(CatalogueEntry.consultation))
        .order_by(CatalogueEntry.id)
    )
    if department_id is not None:
        statement = statement.where(CatalogueEntry.department_id == department_id)
    entries = db.session.scalars(statement).all()
    # A year holds tens of entries: sorting them here keeps one ordering rule for the page and the API.
    return sorted(entries, key=lambda e: e.planned.sort_key()) if by_timing else entries


@dataclass
class EntryProgress:
    """How far one entry has come, as the public may see it: only published consultations are linked."""

    entry: CatalogueEntry
    consultation: Consultation | None
    has_report: bool
    decision: Decision | None


def year_progress(year: int, *, by_timing: bool = False, region=None) -> list[EntryProgress]:
    """A year's entries with their public consultation, whether its report is out, and its decision."""
    entries = entries_of_year(year, by_timing=by_timing, region=region)
    public = {e.consultation_id: e.consultation for e in entries if is_public_consultation(e.consultation)}
    reported = with_published_report(list(public))
    decisions = {d.consultation_id: d for d in db.session.scalars(
        select(Decision).where(Decision.consultation_id.in_(list(public))))} if public else {}
    return [EntryProgress(e, public.get(e.consultation_id), e.consultation_id in reported,
                          decisions.get(e.consultation_id)) for e in entries]


def get_entry_for_staff(entry_id: int, actor) -> CatalogueEntry:
    entry = db.session.get(CatalogueEntry, entry_id)
    if entry is None:
        raise NotFound()
    if not permissions.can_manage_entry(actor, entry.department_id):
        raise NotAllowed()
    return entry


def linkable_consultations(department_ids: list[int]) -> list[Consultation]:
    """The departments' published consultations an entry can point to, newest first."""
    return db.session.scalars(
        select(Consultation)
        .where(Consultation.department_id.in_(department_ids), Consultation.stage != Stage.DRAFT)
        .order_by(Consultation.opens_at.desc(), Consultation.id.desc())
    ).all()


def is_public_consultation(consultation: Consultation | None) -> bool:
    return consultation is not None and consultation.stage != Stage.DRAFT


# ---- changing ------------------------------------------------------------------------------------------


def _check_fields(fields: EntryFields, department_id: int) -> dict:
    errors: dict = {}
    fields.name = fields.name.strip()
    if not fields.name:
        errors["name"] = [_l("Enter the name of the decision.")]
    errors.update(_timing_errors(fields.planned))
    if fields.consultation_id is not None:
        consultation = db.session.get(Consultation, fields.consultation_id)
        if consultation is None or consultation.department_id != department_id or consultation.stage == Stage.DRAFT:
            errors["consultation_id"] = [_l("Choose a published consultation of the entry's department.")]
    return errors


def _timing_errors(planned: PlannedTiming) -> dict:
    wrong = timing.problem(planned, YEAR_RANGE)
    return {f"planned_{wrong[0]}": [wrong[1]]} if wrong else {}


def _log(entry: CatalogueEntry, change: ChangeKind, reason: str, *, actor, now: datetime) -> None:
    entry.changes.append(CatalogueChange(change=change, reason=reason, planned=entry.planned,
                                         planned_timing=entry.planned_timing, created_at=now, actor_id=actor.id))
    entry.updated_at = now
    db.session.flush()
    audit.record(f"catalogue_entry.{change}", entry, actor=actor, now=now, reason=reason,
                 planned=_audit_timing(entry), status=str(entry.status))


def _audit_timing(entry: CatalogueEntry) -> dict:
    planned = entry.planned
    return {"year": planned.year, "quarter": planned.quarter, "month": planned.month, "text": entry.planned_timing}


def add_entry(year: int, department_id: int, fields: EntryFields, reason: str, *, actor, now: datetime):
    """Add a decision to ``year``'s catalogue for ``department_id``, with the reason it is listed."""
    if not permissions.can_manage_entry(actor, department_id):
        raise NotAllowed()
    errors = _check_fields(fields, department_id)
    if year not in YEAR_RANGE:
        errors["year"] = [_l("Enter a year between %(first)d and %(last)d.", first=YEAR_RANGE[0], last=YEAR_RANGE[-1])]
    if db.session.get(Department, department_id) is None:
        errors["department_id"] = [_l("Unknown department.")]
    if not reason.strip():
        errors["reason"] = [REASON_REQUIRED]
    if errors:
        raise ValidationFailed(errors)
    entry = CatalogueEntry(year=year, department_id=department_id, name=fields.name,
                           planned=fields.planned, planned_timing="", consultation_id=fields.consultation_id,
                           status=EntryStatus.LISTED, created_at=now, updated_at=now)
    db.session.add(entry)
    _log(entry, ChangeKind.ADDED, reason.strip(), actor=actor, now=now)
    return entry


def update_entry(entry: CatalogueEntry, fields: EntryFields, reason: str, *, actor, now: datetime):
    """Change an entry. A new name or planned timing is a published change and needs a reason;
    linking the consultation is progress and does not."""
    if not permissions.can_manage_entry(actor, entry.department_id):
        raise NotAllowed()
    errors = _check_fields(fields, entry.department_id)
    amended = (fields.name, fields.planned) != (entry.name, entry.planned)
    if amended and not reason.strip():
        errors["reason"] = [REASON_REQUIRED]
    if errors:
        raise ValidationFailed(errors)
    if fields.consultation_id != entry.consultation_id:
        audit.record("catalogue_entry.consultation_linked", entry, actor=actor, now=now,
                     consultation_id=fields.consultation_id)
    if fields.planned != entry.planned:
        entry.planned, entry.planned_timing = fields.planned, ""  # the old words, if any, are replaced
    entry.name, entry.consultation_id = fields.name, fields.consultation_id
    entry.updated_at = now
    if amended:
        _log(entry, ChangeKind.AMENDED, reason.strip(), actor=actor, now=now)
    db.session.flush()
    return entry


def change_status(entry: CatalogueEntry, change: ChangeKind, reason: str, *, actor, now: datetime,
                  planned: PlannedTiming | None = None) -> CatalogueEntry:
    """Postpone (to ``planned``), drop or restore an entry, with the reason the public will read."""
    if not permissions.can_manage_entry(actor, entry.department_id):
        raise NotAllowed()
    if change not in (ChangeKind.POSTPONED, ChangeKind.DROPPED, ChangeKind.RESTORED) or not rules.can_change_entry(
        entry.status, change
    ):
        raise InvalidTransition()
    errors: dict = {}
    if not reason.strip():
        errors["reason"] = [REASON_REQUIRED]
    if change == ChangeKind.POSTPONED:
        errors.update(_timing_errors(planned or PlannedTiming()))
    if errors:
        raise ValidationFailed(errors)
    if change == ChangeKind.POSTPONED:
        entry.planned, entry.planned_timing = planned, ""
    entry.status = EntryStatus(rules.next_status(entry.status, change))
    _log(entry, change, reason.strip(), actor=actor, now=now)
    return entry


def record_deliberation(entry: CatalogueEntry, *, meeting: str, deliberated_on: date | None, outcome: str, actor,
                        now: datetime) -> CatalogueEntry:
    """Record the deliberation (集体讨论决定): the meeting, its date and its outcome."""
    if not permissions.can_manage_entry(actor, entry.department_id):
        raise NotAllowed()
    errors: dict = {}
    if not meeting.strip():
        errors["meeting"] = [_l("Enter the meeting that deliberated the decision.")]
    if deliberated_on is None:
        errors["deliberated_on"] = [_l("Enter the date of the meeting.")]
    if not outcome.strip():
        errors["deliberation_outcome"] = [_l("Enter the outcome of the deliberation.")]
    if errors:
        raise ValidationFailed(errors)
    entry.meeting, entry.deliberated_on, entry.deliberation_outcome = meeting.strip(), deliberated_on, outcome.strip()
    entry.updated_at = now
    db.session.flush()
    audit.record("catalogue_entry.deliberated", entry, actor=actor, now=now, meeting=entry.meeting,
                 deliberated_on=deliberated_on.isoformat(), outcome=entry.deliberation_outcome)
    return entry


def staff_departments(actor) -> list[Department]:
    """The departments ``actor`` keeps entries for."""
    statement = select(Department).where(Department.is_active).order_by(Department.name)
    scope = getattr(actor, "scope_region", None)
    if scope is not None and actor.role == Role.ADMIN:
        # A region's administrator keeps its own level's catalogue; the levels below keep theirs.
        statement = statement.where(Department.id.in_(regions.departments_of_level(scope)))
    elif not is_admin(actor):
        statement = statement.where(Department.id == actor.department_id)
    return db.session.scalars(statement).all()
