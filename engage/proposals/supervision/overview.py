"""Where every unit stands: overdue and due-soon cases, replies under review, ratings outstanding.

Counted in a few grouped queries over all cases, for the digests (100 units over 20,000 cases in well under a
second) and the 督办 dashboard alike.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from engage.extensions import db
from engage.proposals import rules as case_rules
from engage.proposals.models import Proposal, ProposalStatus, ProposalUnit, UnitRole
from engage.proposals.supervision import rules
from engage.proposals.supervision.models import ReplyDraft, ReviewState

#: cases listed by name in a unit's digest (the rest are counted)
LISTED_CASES = 20


@dataclass
class UnitOverview:
    unit_id: int
    overdue: int = 0
    due_soon: int = 0
    review: int = 0
    ratings: int = 0
    #: overdue cases by band of lateness (index in ``rules.OVERDUE_BANDS``)
    overdue_bands: list[int] = field(default_factory=lambda: [0] * len(rules.OVERDUE_BANDS))
    #: the most urgent cases: (due_on, proposal id, number, title)
    cases: list[tuple] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.review or self.ratings)


def unit_overviews(today: date, within_days: int, unit_ids=None, session_ids=None) -> dict[int, UnitOverview]:
    """Every lead unit's overview (only ``unit_ids`` when given; only cases of ``session_ids`` when given)."""
    overviews: dict[int, UnitOverview] = {}

    def of(unit_id: int) -> UnitOverview:
        return overviews.setdefault(unit_id, UnitOverview(unit_id))

    lead = (ProposalUnit.proposal_id == Proposal.id) & (ProposalUnit.role == UnitRole.LEAD)
    scope = [ProposalUnit.department_id.in_(unit_ids)] if unit_ids is not None else []
    if session_ids is not None:
        scope.append(Proposal.session_id.in_(session_ids))
    owed = db.session.execute(
        select(ProposalUnit.department_id, Proposal.id, Proposal.number, Proposal.title, Proposal.due_on)
        .join(ProposalUnit, lead).where(Proposal.status.in_(case_rules.OPEN_STATUSES), *scope,
                                        Proposal.due_on <= date.fromordinal(today.toordinal() + within_days))
        .order_by(Proposal.due_on, Proposal.id))
    for row in owed:
        overview = of(row.department_id)
        if row.due_on < today:
            overview.overdue += 1
            overview.overdue_bands[rules.overdue_band(rules.days_overdue(row.due_on, today))] += 1
        else:
            overview.due_soon += 1
        if len(overview.cases) < LISTED_CASES:
            overview.cases.append((row.due_on, row.id, row.number, row.title))
    for unit_id, count in db.session.execute(
            select(ProposalUnit.department_id, func.count()).join(Proposal, lead)
            .where(Proposal.status == ProposalStatus.REPLIED, *scope).group_by(ProposalUnit.department_id)):
        of(unit_id).ratings = count
    for unit_id, count in db.session.execute(
            select(ProposalUnit.department_id, func.count()).join(Proposal, lead)
            .join(ReplyDraft, ReplyDraft.proposal_id == Proposal.id)
            .where(ReplyDraft.state.in_([ReviewState.SIGNOFF, ReviewState.PENDING]), *scope)
            .group_by(ProposalUnit.department_id)):
        of(unit_id).review = count
    return overviews


def totals(overviews) -> dict[str, int]:
    values = list(overviews)
    return {name: sum(getattr(o, name) for o in values) for name in ("overdue", "due_soon", "review", "ratings")}


def units_by_attention(overviews: dict[int, UnitOverview]) -> list[UnitOverview]:
    """Units with something to say, the most overdue first."""
    return sorted((o for o in overviews.values() if not o.is_empty), key=lambda o: (-o.overdue, -o.due_soon,
                                                                                     o.unit_id))
