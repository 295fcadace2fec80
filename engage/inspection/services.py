"""The self-check list of a department (or of all): every finding with what it is about and where to fix it."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import case, func, select

from engage.accounts.models import Department
from engage.accounts.permissions import is_admin, is_staff
from engage.consultations.models import Consultation, Stage
from engage.core.errors import NotAllowed
from engage.core.timeutil import china_date
from engage.decisions.models import Decision
from engage.decisions.rules import closing_day
from engage.extensions import db
from engage.feedback.models import FeedbackRevision
from engage.inspection import rules
from engage.proposals import rules as case_rules
from engage.proposals.models import Proposal, ProposalSession, ProposalUnit, UnitRole
from engage.proposals.permissions import is_supervisor
from engage.proposals.publication import services as publication

#: the ``department_id`` of findings that fall to the supervising office (the proposal office), not a department
OFFICE = None


@dataclass(frozen=True)
class Finding:
    kind: str
    #: the department to fix it, or ``OFFICE``
    department_id: int | None
    title: str
    #: the day the obligation fell due, and how many days late it is
    since: date
    days_late: int
    #: (endpoint, url values) of the page that fixes it
    fix: tuple[str, dict]


def can_self_check(user, department_id: int | None = None) -> bool:
    """Department staff for their department; supervisors for the supervising office's (and their department's,
    if they have one); administrators for every department and the office."""
    if is_admin(user):
        return True
    own = department_id is None or department_id == user.department_id
    return is_staff(user) and own and (user.department_id is not None or is_supervisor(user))


def findings(*, now: datetime, department_id: int | None = None) -> list[Finding]:
    """Everything an inspection would flag as of ``now``, the longest late first: one department's, or every
    department's and the supervising office's."""
    config = current_app.config
    today = china_date(now)
    found = (_reports_missing(now, today, config["INSPECTION_REPORT_DAYS"], department_id)
             + _decisions_not_linked(now, today, config["INSPECTION_DECISION_DAYS"], department_id)
             + _interpretations_late(today, department_id) + _replies_overdue(today, department_id))
    if department_id is None:
        found += office_findings(today=today)
    return _in_order(found)


def office_findings(*, today: date) -> list[Finding]:
    """What an inspection would flag of the supervising office: sessions whose published figures are stale."""
    return _in_order(_figures_stale(today, current_app.config["INSPECTION_FIGURES_DAYS"]))


def _in_order(found: list[Finding]) -> list[Finding]:
    return sorted(found, key=lambda f: (-f.days_late, f.kind, f.title))


def findings_for(actor, *, now: datetime, department_id: int | None = None) -> list[Finding]:
    """The self-check list ``actor`` may see.

    :raises NotAllowed: department staff asking for another department, or anyone not staff
    """
    if not can_self_check(actor, department_id):
        raise NotAllowed()
    if is_admin(actor):
        return findings(now=now, department_id=department_id)
    own = findings(now=now, department_id=actor.department_id) if actor.department_id is not None else []
    return _in_order(own + office_findings(today=china_date(now))) if is_supervisor(actor) else own


def _scope(statement, column, department_id):
    return statement if department_id is None else statement.where(column == department_id)


def _reports_missing(now, today, days, department_id) -> list[Finding]:
    reported = select(FeedbackRevision.consultation_id).distinct()
    rows = db.session.execute(_scope(
        select(Consultation.id, Consultation.title, Consultation.department_id, Consultation.closes_at)
        .where(Consultation.stage != Stage.DRAFT, Consultation.closes_at.is_not(None),
               Consultation.closes_at <= now - timedelta(days=days), Consultation.id.not_in(reported)),
        Consultation.department_id, department_id))
    out = []
    for row in rows:
        due = closing_day(row.closes_at) + timedelta(days=days)
        out.append(Finding(rules.REPORT_MISSING, row.department_id, row.title, due, rules.days_late(due, today),
                           ("feedback_staff.report", {"consultation_id": row.id})))
    return out


def _decisions_not_linked(now, today, days, department_id) -> list[Finding]:
    first_report = (select(FeedbackRevision.consultation_id, func.min(FeedbackRevision.published_at).label("at"))
                    .group_by(FeedbackRevision.consultation_id).subquery())
    decided = select(Decision.consultation_id)
    rows = db.session.execute(_scope(
        select(Consultation.id, Consultation.title, Consultation.department_id, first_report.c.at)
        .join(first_report, first_report.c.consultation_id == Consultation.id)
        .where(first_report.c.at <= now - timedelta(days=days), Consultation.id.not_in(decided)),
        Consultation.department_id, department_id))
    out = []
    for row in rows:
        due = china_date(row.at) + timedelta(days=days)
        out.append(Finding(rules.DECISION_NOT_LINKED, row.department_id, row.title, due,
                           rules.days_late(due, today), ("decisions_staff.decision", {"consultation_id": row.id})))
    return out


def _interpretations_late(today, department_id) -> list[Finding]:
    rows = db.session.execute(_scope(
        select(Decision.consultation_id, Decision.title, Decision.interpretation_due_on, Consultation.department_id)
        .join(Consultation, Consultation.id == Decision.consultation_id)
        .where(Decision.interpreted_on.is_(None), Decision.interpretation_due_on < today),
        Consultation.department_id, department_id))
    return [Finding(rules.INTERPRETATION_LATE, row.department_id, row.title, row.interpretation_due_on,
                    rules.days_late(row.interpretation_due_on, today),
                    ("decisions_staff.decision", {"consultation_id": row.consultation_id})) for row in rows]


def _replies_overdue(today, department_id) -> list[Finding]:
    rows = db.session.execute(_scope(
        select(Proposal.id, Proposal.number, Proposal.title, Proposal.due_on, ProposalUnit.department_id)
        .join(ProposalUnit, (ProposalUnit.proposal_id == Proposal.id) & (ProposalUnit.role == UnitRole.LEAD))
        .where(Proposal.status.in_(case_rules.OPEN_STATUSES), Proposal.due_on < today),
        ProposalUnit.department_id, department_id))
    return [Finding(rules.REPLY_OVERDUE, row.department_id, f"{row.number} {row.title}", row.due_on,
                    rules.days_late(row.due_on, today),
                    ("proposals_staff.cases.case", {"proposal_id": row.id})) for row in rows]


def _figures_stale(today: date, days: int) -> list[Finding]:
    is_open = Proposal.status.in_([case_rules.ProposalStatus(s) for s in case_rules.OPEN_STATUSES])
    rows = db.session.execute(
        select(Proposal.session_id, ProposalSession.name, func.min(Proposal.assigned_on).label("first_assigned"),
               func.sum(case((is_open, 1), else_=0)).label("open_cases"))
        .join(ProposalSession, ProposalSession.id == Proposal.session_id)
        .group_by(Proposal.session_id, ProposalSession.name))
    published = publication.latest_dates()
    out = []
    for row in rows:
        latest = published.get(row.session_id)
        if rules.is_figures_publication_stale(latest, row.first_assigned, row.open_cases > 0, today, days):
            due = rules.figures_due_on(latest, row.first_assigned, days)
            out.append(Finding(rules.FIGURES_STALE, OFFICE, row.name, due, rules.days_late(due, today),
                               ("proposals_staff.figures.page", {"session": row.session_id})))
    return out


def departments_with(found: list[Finding]) -> list[tuple[Department | None, list[Finding]]]:
    """The findings grouped by department, the supervising office's (``None``) first, then departments by name."""
    units = {d.id: d for d in db.session.scalars(select(Department).where(
        Department.id.in_({f.department_id for f in found if f.department_id is not OFFICE})))}
    grouped: dict[int | None, list[Finding]] = {}
    for finding in found:
        grouped.setdefault(finding.department_id, []).append(finding)
    office = [(None, grouped.pop(OFFICE))] if OFFICE in grouped else []
    return office + sorted(((units[unit_id], items) for unit_id, items in grouped.items()),
                           key=lambda pair: pair[0].name)
