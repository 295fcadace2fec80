"""The department dashboard: what is waiting on a department's consultations (answers, reports, interpretations)."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from engage.accounts.models import Role
from engage.accounts.permissions import is_admin
from engage.consultations.models import Consultation, Stage
from engage.core.errors import NotAllowed
from engage.core.timeutil import china_date
from engage.decisions import permissions, rules
from engage.decisions.models import Decision
from engage.extensions import db
from engage.feedback.models import FeedbackRevision
from engage.feedback.services import unanswered_counts
from engage.regions import services as regions


@dataclass
class WaitingInterpretation:
    decision: Decision
    state: str  # rules.DUE or rules.LATE


@dataclass
class Dashboard:
    #: (consultation, unanswered comments), consultations still collecting or awaiting their report
    unanswered: list[tuple[Consultation, int]] = field(default_factory=list)
    #: consultations whose period has ended without a published feedback report
    reports_missing: list[Consultation] = field(default_factory=list)
    #: decisions whose interpretation is due or late, the most urgent first
    interpretations: list[WaitingInterpretation] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.unanswered or self.reports_missing or self.interpretations)


def _scoped(statement, actor):
    """Department staff see their department; administrators every department, a region's its subtree."""
    if is_admin(actor):
        return statement
    scope = getattr(actor, "scope_region", None)
    if actor.role == Role.ADMIN and scope is not None:
        return statement.where(Consultation.department_id.in_(regions.departments_under(scope)))
    return statement.where(Consultation.department_id == actor.department_id)


def with_published_report(consultation_ids: list[int]) -> set[int]:
    """Which of these consultations have a published feedback report (at least one revision)."""
    if not consultation_ids:
        return set()
    return set(db.session.scalars(
        select(FeedbackRevision.consultation_id).where(FeedbackRevision.consultation_id.in_(consultation_ids))
        .distinct()
    ))


def department_dashboard(actor, *, now: datetime) -> Dashboard:
    """What the departments ``actor`` acts for still owe the public, as of ``now``."""
    if not permissions.can_see_dashboard(actor):
        raise NotAllowed()
    started = db.session.scalars(_scoped(
        select(Consultation).where(Consultation.stage != Stage.DRAFT, Consultation.opens_at <= now)
        .order_by(Consultation.closes_at, Consultation.id), actor)).all()
    reported = with_published_report([c.id for c in started])
    # A decision may be linked before the report is out; the report is still owed.
    awaiting = [c for c in started if c.id not in reported]
    counts = unanswered_counts([c.id for c in awaiting])
    board = Dashboard(
        unanswered=[(c, counts[c.id]) for c in awaiting if counts.get(c.id)],
        reports_missing=[c for c in awaiting if c.closes_at <= now],
    )
    today = china_date(now)
    decisions = db.session.scalars(_scoped(
        select(Decision).join(Decision.consultation).where(Decision.interpreted_on.is_(None))
        .order_by(Decision.interpretation_due_on, Decision.id), actor)).all()
    for decision in decisions:
        state = decision.interpretation_state(today)
        if rules.needs_attention(state):
            board.interpretations.append(WaitingInterpretation(decision, state))
    return board
