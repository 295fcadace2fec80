"""Registering and assigning cases. Each use case takes the acting user and ``now``; none reads the request."""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from engage.accounts.models import Department
from engage.core import audit
from engage.core.engine import lock_row
from engage.core.errors import NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.core.timeutil import china_date
from engage.core.workdays import WorkCalendar
from engage.extensions import db
from engage.proposals import permissions, rules
from engage.proposals.models import (
    HandlingRound,
    Objection,
    ObjectionState,
    Proposal,
    ProposalKind,
    ProposalSession,
    ProposalStatus,
    ProposalUnit,
    Proposer,
    StatusChange,
    UnitRole,
)
from engage.proposals.supervision import notices as unit_notices
from engage.regions import services as regions

TITLE_MAX, NUMBER_MAX, NAME_MAX = 300, 30, 100


@dataclass
class ProposerFields:
    name: str
    affiliation: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass
class CaseFields:
    kind: str
    session_name: str
    number: str
    title: str
    body: str = ""
    category: str = ""
    #: the lead proposer first, then co-signers
    proposers: list[ProposerFields] = field(default_factory=list)


# ---- reading -------------------------------------------------------------------------------------------


def get_case(proposal_id: int, *, lock: bool = False) -> Proposal:
    """The case; ``lock`` holds its row until commit, so two changes of one case (two replies, two ratings)
    run one after the other and the second sees the first."""
    statement = select(Proposal).where(Proposal.id == proposal_id)
    if lock:
        # The session is joined in by an outer join, which PostgreSQL cannot lock: the case's row is enough.
        statement = lock_row(statement.options(lazyload(Proposal.session)))
    proposal = db.session.scalar(statement)
    if proposal is None:
        raise NotFound()
    return proposal


def get_for_staff(proposal_id: int, actor, *, lock: bool = False) -> Proposal:
    """A case the actor may see on the staff side: supervisors see all, units only their own."""
    proposal = get_case(proposal_id, lock=lock)
    if not permissions.can_view_staff_side(actor, proposal):
        raise NotAllowed()
    return proposal


def active_units() -> list[Department]:
    return list(db.session.scalars(select(Department).where(Department.is_active).order_by(Department.name)))


def sessions() -> list[ProposalSession]:
    return list(db.session.scalars(select(ProposalSession).order_by(ProposalSession.id.desc())))


def session_named(name: str, now: datetime, *, region=None) -> ProposalSession:
    """The session of that name, created on first use (sessions arrive with their lists) in ``region``."""
    name = name.strip()
    found = db.session.scalar(select(ProposalSession).where(ProposalSession.name == name))
    if found is None:
        found = ProposalSession(name=name, created_at=now)
        found.region = region
        db.session.add(found)
        db.session.flush()
    return found


def region_for_new_sessions(actor):
    """A scoped office registers the sessions of its own level; otherwise the first root holds them."""
    scoped = getattr(actor, "scope_region", None) if actor is not None else None
    return scoped or regions.root_for_new_records()


def number_taken(session_id: int | None, kind: str, number: str) -> bool:
    if session_id is None:
        return False
    return bool(db.session.scalar(
        select(func.count()).select_from(Proposal)
        .where(Proposal.session_id == session_id, Proposal.kind == kind, Proposal.number == number)
    ))


# ---- status --------------------------------------------------------------------------------------------


def change_status(proposal: Proposal, action: str, *, actor, now: datetime, reason: str = "") -> None:
    """Move the case by ``action`` through the transition table, keeping who, when and why."""
    new_status = ProposalStatus(rules.next_status(proposal.status, action))
    db.session.add(StatusChange(
        proposal=proposal, from_status=proposal.status, to_status=new_status, action=action,
        round_number=proposal.round_number, reason=reason, actor_id=getattr(actor, "id", None), changed_at=now,
    ))
    proposal.status = new_status
    proposal.updated_at = now


# ---- registering ---------------------------------------------------------------------------------------


def case_problems(fields: CaseFields) -> dict[str, list]:
    """What is wrong with a case's fields by themselves (the duplicate number is checked against the database)."""
    problems: dict[str, list] = {}
    if fields.kind not in rules.KINDS:
        problems["kind"] = [_l("Choose whether it is a deputy's suggestion or a member's proposal.")]
    if not fields.session_name.strip():
        problems["session"] = [_l("Give the session.")]
    if not fields.number.strip():
        problems["number"] = [_l("Give the case number.")]
    elif len(fields.number.strip()) > NUMBER_MAX:
        problems["number"] = [_l("The number may be at most %(max)d characters.", max=NUMBER_MAX)]
    if not fields.title.strip():
        problems["title"] = [_l("Give the title.")]
    elif len(fields.title.strip()) > TITLE_MAX:
        problems["title"] = [_l("The title may be at most %(max)d characters.", max=TITLE_MAX)]
    if not fields.proposers or not fields.proposers[0].name.strip():
        problems["proposers"] = [_l("Give the lead proposer.")]
    elif any(len(p.name) > NAME_MAX for p in fields.proposers):
        problems["proposers"] = [_l("A name may be at most %(max)d characters.", max=NAME_MAX)]
    return problems


def register_case(fields: CaseFields, *, actor, now: datetime, import_job_id: int | None = None) -> Proposal:
    """Register one case (已登记).

    :param fields: the case as the congress or CPPCC office sent it
    :param actor: a supervisor (or administrator)
    :raises NotAllowed: for anyone else
    :raises ValidationFailed: missing fields, or a number the session already has for this kind
    """
    if actor is not None and not permissions.can_register(actor):
        raise NotAllowed()
    problems = case_problems(fields)
    if problems:
        raise ValidationFailed(problems)
    session = session_named(fields.session_name, now, region=region_for_new_sessions(actor))
    if actor is not None and not permissions.can_register(actor, session):
        raise NotAllowed()
    number = fields.number.strip()
    if number_taken(session.id, fields.kind, number):
        raise ValidationFailed({"number": [_l("Number %(number)s is already registered in this session.",
                                              number=number)]})
    proposal = _new_case(fields, session, number, actor, now, import_job_id)
    db.session.add(proposal)
    db.session.flush()
    db.session.add(StatusChange(proposal=proposal, from_status=None, to_status=ProposalStatus.REGISTERED,
                                action="register", actor_id=getattr(actor, "id", None), changed_at=now))
    return proposal


def _new_case(fields: CaseFields, session, number: str, actor, now: datetime, import_job_id) -> Proposal:
    proposers = [
        Proposer(name=p.name.strip(), affiliation=p.affiliation.strip(), phone=p.phone.strip(),
                 email=p.email.strip(), address=p.address.strip(), is_lead=(index == 0), position=index)
        for index, p in enumerate(fields.proposers) if p.name.strip()
    ]
    return Proposal(
        kind=ProposalKind(fields.kind), session=session, number=number, title=fields.title.strip(),
        body=fields.body.strip(), category=fields.category.strip(), status=ProposalStatus.REGISTERED,
        lead_proposer_name=proposers[0].name, proposers=proposers, created_at=now, updated_at=now,
        created_by_id=getattr(actor, "id", None), import_job_id=import_job_id, round_number=1,
    )


# ---- assigning -----------------------------------------------------------------------------------------


def unit_problems(lead_ids: list[int], co_ids: list[int], session=None) -> dict[str, list]:
    """What is wrong with the units chosen; given the session, its units come from its region or below."""
    problems: dict[str, list] = {}
    if not lead_ids:
        problems["lead_units"] = [_l("Choose at least one lead unit.")]
    if set(lead_ids) & set(co_ids):
        problems["co_units"] = [_l("A unit cannot be lead unit and co-unit of the same case.")]
    known = {d.id for d in active_units()}
    if any(unit_id not in known for unit_id in [*lead_ids, *co_ids]):
        problems.setdefault("lead_units", []).append(_l("Choose units from the list."))
    region = getattr(session, "region", None)
    if region is not None and not problems:
        inside = set(db.session.scalars(regions.departments_under(region).where(
            regions.department_regions.c.department_id.in_([*lead_ids, *co_ids]))))
        if (set(lead_ids) | set(co_ids)) - inside:
            problems.setdefault("lead_units", []).append(_l(
                "A case of %(region)s is handled by units of %(region)s or of a region below it.",
                region=region.name))
    return problems


def assign(proposal: Proposal, lead_ids: list[int], co_ids: list[int], *, assigned_on: date, actor, now: datetime,
           config) -> Proposal:
    """Assign a registered case (交办) to its lead unit(s) and co-units; the due date is computed.

    :param assigned_on: the assignment date (交办日期); the due date counts from it
    :param config: the app configuration (PROPOSAL_DUE_MONTHS, PROPOSAL_CO_OPINION_MONTHS)
    :raises NotAllowed: unless the actor is a supervisor
    :raises ValidationFailed: no lead unit, unknown units, a unit in both roles, an assignment date in the future
    :raises InvalidTransition: the case is not registered
    """
    if actor is not None and not permissions.can_assign(actor, proposal):
        raise NotAllowed()
    problems = unit_problems(lead_ids, co_ids, proposal.session)
    if assigned_on > china_date(now):
        problems["assigned_on"] = [_l("The assignment date cannot be in the future.")]
    if problems:
        raise ValidationFailed(problems)
    change_status(proposal, rules.ASSIGN, actor=actor, now=now)
    due_on = rules.due_date(assigned_on, proposal.kind, config["PROPOSAL_DUE_MONTHS"])
    proposal.assigned_on, proposal.due_on = assigned_on, due_on
    _set_units(proposal, lead_ids, co_ids, assigned_on, config)
    db.session.add(HandlingRound(proposal=proposal, number=1, started_on=assigned_on, due_on=due_on))
    db.session.flush()
    unit_notices.tell_assignment(proposal, now=now)
    return proposal


def _set_units(proposal: Proposal, lead_ids: list[int], co_ids: list[int], assigned_on: date, config) -> None:
    opinion_due = rules.add_months(assigned_on, config["PROPOSAL_CO_OPINION_MONTHS"])
    wanted = [(unit_id, UnitRole.LEAD) for unit_id in dict.fromkeys(lead_ids)]
    wanted += [(unit_id, UnitRole.CO) for unit_id in dict.fromkeys(co_ids)]
    proposal.units.clear()
    db.session.flush()  # the unique (case, unit) pair must be free before a unit comes back in another role
    for unit_id, role in wanted:
        proposal.units.append(ProposalUnit(
            department_id=unit_id, role=role, assigned_on=assigned_on,
            opinion_due_on=opinion_due if role == UnitRole.CO else None,
        ))
    proposal.lead_unit_id = wanted[0][0]


def reassign(proposal: Proposal, lead_ids: list[int], co_ids: list[int], *, reason: str, actor, now: datetime,
             config) -> Proposal:
    """Give the case to other units (after an objection); their time counts from today.

    Pending objections of units that no longer handle the case are upheld; those of units that keep it stay
    pending for the supervisor to dismiss.

    :raises ValidationFailed: as for ``assign``, and when no reason is given
    """
    if actor is not None and not permissions.can_assign(actor, proposal):
        raise NotAllowed()
    problems = unit_problems(lead_ids, co_ids, proposal.session)
    if not (reason or "").strip():
        problems["reason"] = [_l("Say why the case is reassigned.")]
    if problems:
        raise ValidationFailed(problems)
    change_status(proposal, rules.REASSIGN, actor=actor, now=now, reason=reason.strip())
    today = china_date(now)
    # The public timeline still dates the first assignment by the date this replaces (kept in the audit record).
    first_assigned_on = proposal.assigned_on if proposal.round_number == 1 else None
    if proposal.round_number == 1:
        proposal.assigned_on = today
        proposal.due_on = rules.due_date(today, proposal.kind, config["PROPOSAL_DUE_MONTHS"])
        proposal.extension_reason = ""
        current = proposal.rounds[-1]
        current.started_on, current.due_on, current.extension_reason = today, proposal.due_on, ""
    _set_units(proposal, lead_ids, co_ids, today, config)
    _settle_objections(proposal, set(lead_ids) | set(co_ids), actor, now, reason.strip())
    audit.record("proposal.reassigned", proposal, actor=actor, now=now, reason=reason.strip(),
                 lead_units=lead_ids, co_units=co_ids,
                 assigned_on_before=first_assigned_on.isoformat() if first_assigned_on else None)
    db.session.flush()
    unit_notices.tell_assignment(proposal, now=now)
    return proposal


def _settle_objections(proposal: Proposal, remaining_units: set[int], actor, now: datetime, note: str) -> None:
    for objection in pending_objections(proposal):
        if objection.department_id not in remaining_units:
            objection.state = ObjectionState.UPHELD
            objection.decided_by_id = getattr(actor, "id", None)
            objection.decided_at, objection.decision_note = now, note
            unit_notices.tell_objection_decided(objection, now=now)


def extend(proposal: Proposal, new_due: date | None, *, reason: str, actor, now: datetime, config) -> Proposal:
    """Give the reply more time, up to 6 months after assignment (law) or after a reopening, with the reason.

    :raises ValidationFailed: no reason, a date not later than the current one or beyond the limit
    :raises RuleViolation: the case is not waiting for a reply
    """
    if actor is not None and not permissions.can_assign(actor, proposal):
        raise NotAllowed()
    if proposal.status not in rules.OPEN_STATUSES:
        raise RuleViolation(_l("Only a case still waiting for its reply can be given more time."))
    # A re-handling round is held to the same limit, counted from its own start.
    current = proposal.rounds[-1]
    problems = rules.extension_problems(current.started_on, proposal.due_on, new_due, reason,
                                        config["PROPOSAL_MAX_EXTENDED_MONTHS"])
    if problems:
        raise ValidationFailed(problems)
    audit.record("proposal.extended", proposal, actor=actor, now=now, reason=reason.strip(),
                 old_due=proposal.due_on.isoformat(), new_due=new_due.isoformat())
    proposal.due_on = current.due_on = new_due
    proposal.extension_reason = current.extension_reason = reason.strip()
    proposal.updated_at = now
    db.session.flush()
    return proposal


# ---- objections ----------------------------------------------------------------------------------------


def pending_objections(proposal: Proposal) -> list[Objection]:
    return list(db.session.scalars(
        select(Objection).where(Objection.proposal_id == proposal.id, Objection.state == ObjectionState.PENDING)
        .order_by(Objection.id)
    ))


def objections_of(proposal: Proposal) -> list[Objection]:
    statement = select(Objection).where(Objection.proposal_id == proposal.id).order_by(Objection.id)
    return list(db.session.scalars(statement))


def objection_deadline(proposal: Proposal, department_id: int, config, calendar: WorkCalendar) -> date | None:
    unit = next((u for u in proposal.units if u.department_id == department_id), None)
    if unit is None:
        return None
    return rules.objection_deadline(unit.assigned_on, config["PROPOSAL_OBJECTION_WORKING_DAYS"], calendar)


def raise_objection(proposal: Proposal, reason: str, *, actor, now: datetime, config, calendar: WorkCalendar,
                    suggested_department_id: int | None = None) -> Objection:
    """A unit objects to being assigned the case, within the configured working days of its assignment.

    :raises NotAllowed: the actor's unit does not handle the case
    :raises PeriodClosed-like RuleViolation: the objection window has passed, or an objection is pending
    """
    if not permissions.can_object(actor, proposal):
        raise NotAllowed()
    if not (reason or "").strip():
        raise ValidationFailed({"reason": [_l("Say why the case is not your unit's business.")]})
    deadline = objection_deadline(proposal, actor.department_id, config, calendar)
    if not proposal.is_objectable:
        raise RuleViolation(_l("Objections are possible only to a new assignment."))
    if not rules.is_objection_open(proposal.status, china_date(now), deadline):
        raise RuleViolation(_l("Objections had to be made by %(day)s (%(n)d working days after assignment).",
                               day=deadline.isoformat(), n=config["PROPOSAL_OBJECTION_WORKING_DAYS"]))
    if any(o.department_id == actor.department_id for o in pending_objections(proposal)):
        raise RuleViolation(_l("Your unit's objection is already waiting for the supervising office."))
    objection = Objection(proposal_id=proposal.id, department_id=actor.department_id, reason=reason.strip(),
                          suggested_department_id=suggested_department_id, raised_by_id=actor.id, raised_at=now)
    db.session.add(objection)
    db.session.flush()
    audit.record("proposal.objection_raised", proposal, actor=actor, now=now, reason=reason.strip())
    return objection


def get_objection(objection_id: int) -> Objection:
    """An objection by its id.

    :raises NotFound: there is no such objection
    """
    objection = db.session.get(Objection, objection_id)
    if objection is None:
        raise NotFound()
    return objection


def dismiss_objection(objection: Objection, note: str, *, actor, now: datetime) -> Objection:
    """The supervising office keeps the assignment; the unit handles the case after all."""
    if not permissions.can_assign(actor, objection.proposal):
        raise NotAllowed()
    if objection.state != ObjectionState.PENDING:
        raise RuleViolation(_l("This objection has already been decided."))
    if not (note or "").strip():
        raise ValidationFailed({"note": [_l("Tell the unit why the assignment stands.")]})
    objection.state = ObjectionState.DISMISSED
    objection.decided_by_id, objection.decided_at, objection.decision_note = actor.id, now, note.strip()
    audit.record("proposal.objection_dismissed", objection.proposal, actor=actor, now=now, note=note.strip())
    db.session.flush()
    unit_notices.tell_objection_decided(objection, now=now)
    return objection
