"""What is due: a unit's queue of cases, and the daily report of what is due soon or overdue per unit."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from engage.accounts.models import Department
from engage.core.pagination import paginate
from engage.core.queries import contains_text
from engage.extensions import db
from engage.proposals import permissions, rules
from engage.proposals.models import (
    CoUnitOpinion,
    Objection,
    ObjectionState,
    Proposal,
    ProposalStatus,
    ProposalUnit,
    UnitRole,
)
from engage.regions import services as regions

OPEN = [ProposalStatus(s) for s in rules.OPEN_STATUSES]


@dataclass
class UnitQueue:
    overdue: list[Proposal] = field(default_factory=list)
    due_soon: list[Proposal] = field(default_factory=list)
    #: cases the unit leads whose co-units have not all sent their opinion this round
    waiting_for_opinions: list[Proposal] = field(default_factory=list)
    #: cases where the unit is co-unit and still owes its opinion
    opinion_owed: list[Proposal] = field(default_factory=list)
    #: every open case of the unit, soonest due first
    open_cases: list[Proposal] = field(default_factory=list)


def unit_queue(department_id: int, today: date, due_soon_days: int) -> UnitQueue:
    """The unit's open cases sorted into what needs attention."""
    cases = db.session.scalars(
        select(Proposal).join(ProposalUnit, ProposalUnit.proposal_id == Proposal.id)
        .where(ProposalUnit.department_id == department_id, Proposal.status.in_(OPEN))
        .options(selectinload(Proposal.units)).order_by(Proposal.due_on, Proposal.id)
    ).all()
    sent = _opinions_sent([c.id for c in cases])
    queue = UnitQueue(open_cases=list(cases))
    for case in cases:
        role = next(u.role for u in case.units if u.department_id == department_id)
        owed = {u.department_id for u in case.co_units} - sent.get((case.id, case.round_number), set())
        if role == UnitRole.CO:
            if department_id in owed:
                queue.opinion_owed.append(case)
            continue
        if rules.is_overdue(case.status, case.due_on, today):
            queue.overdue.append(case)
        elif rules.is_due_soon(case.status, case.due_on, today, due_soon_days):
            queue.due_soon.append(case)
        if owed:
            queue.waiting_for_opinions.append(case)
    return queue


def _opinions_sent(case_ids: list[int]) -> dict[tuple[int, int], set[int]]:
    sent: dict[tuple[int, int], set[int]] = defaultdict(set)
    if not case_ids:
        return sent
    rows = db.session.execute(
        select(CoUnitOpinion.proposal_id, CoUnitOpinion.round_number, CoUnitOpinion.department_id)
        .where(CoUnitOpinion.proposal_id.in_(case_ids))
    )
    for proposal_id, round_number, department_id in rows:
        sent[(proposal_id, round_number)].add(department_id)
    return sent


@dataclass
class DueLine:
    unit: Department
    overdue: list[Proposal] = field(default_factory=list)
    due_soon: list[Proposal] = field(default_factory=list)


def due_report(today: date, within_days: int) -> list[DueLine]:
    """Per lead unit: the cases overdue and those due within ``within_days`` days, for the reminder job."""
    rows = db.session.execute(
        select(ProposalUnit.department_id, Proposal)
        .join(Proposal, ProposalUnit.proposal_id == Proposal.id)
        .where(ProposalUnit.role == UnitRole.LEAD, Proposal.status.in_(OPEN),
               Proposal.due_on <= today + timedelta(days=within_days))
        .order_by(Proposal.due_on, Proposal.id)
    ).all()
    lines: dict[int, DueLine] = {}
    for department_id, case in rows:
        if department_id not in lines:
            lines[department_id] = DueLine(unit=db.session.get(Department, department_id))
        target = lines[department_id].overdue if case.due_on < today else lines[department_id].due_soon
        target.append(case)
    return sorted(lines.values(), key=lambda line: line.unit.name)


@dataclass
class StaffFilters:
    session_id: int | None = None
    kind: str | None = None
    status: str | None = None
    unit_id: int | None = None
    overdue_only: bool = False
    q: str = ""


def list_for_staff(actor, filters: StaffFilters, today: date, *, page: int = 1, per_page: int = 30):
    """Cases for the staff list: supervisors see every case (a region's office those of its region and below),
    a unit only those it handles."""
    statement = select(Proposal)
    scope = getattr(actor, "scope_region", None)
    if permissions.is_supervisor(actor) and scope is not None:
        statement = statement.where(Proposal.session_id.in_(regions.sessions_under(scope)))
    unit_id = filters.unit_id if permissions.is_supervisor(actor) else actor.department_id
    if unit_id:
        statement = statement.where(Proposal.id.in_(
            select(ProposalUnit.proposal_id).where(ProposalUnit.department_id == unit_id)))
    if filters.session_id:
        statement = statement.where(Proposal.session_id == filters.session_id)
    if filters.kind in rules.KINDS:
        statement = statement.where(Proposal.kind == filters.kind)
    if filters.status in rules.STATUSES:
        statement = statement.where(Proposal.status == filters.status)
    if filters.overdue_only:
        statement = statement.where(Proposal.status.in_(OPEN), Proposal.due_on < today)
    if filters.q.strip():
        statement = statement.where(contains_text([Proposal.title, Proposal.number, Proposal.lead_proposer_name],
                                                  filters.q))
    statement = statement.order_by(Proposal.session_id.desc(), Proposal.kind, Proposal.number)
    return paginate(db.session, statement, page, per_page)


def pending_objections_all(region=None) -> list:
    """Objections waiting for the supervising office, oldest first (given a region, of its sessions and below)."""
    statement = select(Objection).where(Objection.state == ObjectionState.PENDING).order_by(Objection.raised_at)
    if region is not None:
        statement = statement.where(Objection.proposal_id.in_(
            select(Proposal.id).where(Proposal.session_id.in_(regions.sessions_under(region)))))
    return list(db.session.scalars(statement))
