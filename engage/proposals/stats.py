"""Handling figures of a session, per unit and in total: what supervising offices and the public are shown.

Each figure is counted by the database (GROUP BY with conditional sums, read from covering indexes), never by
looping over cases in Python: a session of 20,000 cases costs four aggregate queries, and their result is kept
in the cache until a case of the session changes or the day turns (``figures_version``).

What the figures mean:
- *assigned*: cases the unit leads (主办); a case with two lead units counts for each. *co-handled*: cases it
  helps with as co-unit (协办). The totals count each case once.
- *replied*: cases that have had a reply (a reopened case keeps counting: it was replied to);
  *on time*: whose latest reply came by the due date then in force; *late* the others.
- *overdue now*: still owed a reply (assigned, in progress or re-handling) and past the due date ``today``.
- *satisfaction rate*: of all proposers' ratings in every round, the share satisfied or basically satisfied
  (each co-signer rates separately, and an unsatisfied first round still counts against the unit).
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Index, case, func, select

from engage.accounts.models import Department
from engage.extensions import cache, db
from engage.proposals import rules
from engage.proposals.models import Proposal, ProposalKind, ProposalStatus, ProposalUnit, Rating, UnitRole

_OPEN = [ProposalStatus(status) for status in rules.OPEN_STATUSES]

# Covering indexes for the figures (migration 5c1f0e7a9b21): SQLite and PostgreSQL answer every query below
# from them alone, without reading the wide case rows (title, body). Declared here, beside the queries they
# serve, on tables of engage/proposals/models.py.
Index("ix_proposals_figures", Proposal.session_id, Proposal.kind, Proposal.outcome, Proposal.status,
      Proposal.due_on, Proposal.replied_on, Proposal.replied_on_time, Proposal.assigned_on, Proposal.updated_at)
Index("ix_proposal_units_case_role", ProposalUnit.proposal_id, ProposalUnit.role, ProposalUnit.department_id)
Index("ix_proposal_ratings_case", Rating.proposal_id, Rating.satisfaction)


@dataclass
class Figures:
    """The figures of one unit (``unit_id``), or of the whole session (``unit_id`` None)."""

    unit_id: int | None = None
    assigned: int = 0
    co_handled: int = 0
    replied: int = 0
    on_time: int = 0
    overdue: int = 0
    #: outcome class code -> cases whose latest reply has it
    outcomes: dict[str, int] = field(default_factory=dict)
    #: satisfaction value -> ratings
    ratings: dict[str, int] = field(default_factory=dict)
    #: the unit itself, attached after the figures are counted (or read from the cache)
    unit: Department | None = None

    @property
    def late(self) -> int:
        return self.replied - self.on_time

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def satisfaction_rate(self) -> float | None:
        return rules.satisfaction_rate(self.ratings.get(rules.SATISFIED, 0),
                                       self.ratings.get(rules.BASICALLY_SATISFIED, 0), self.rated)

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.replied if self.replied else None

    def add_cases(self, row, *, counts_as_assigned: bool = True) -> None:
        """Add one GROUP BY row (cases of one outcome class) to these figures."""
        if counts_as_assigned:
            self.assigned += row.assigned
        self.replied += row.replied
        self.on_time += row.on_time
        self.overdue += row.overdue
        if row.outcome is not None:
            self.outcomes[row.outcome] = self.outcomes.get(row.outcome, 0) + row.cases


@dataclass
class SessionFigures:
    session_id: int
    kind: str | None
    #: per unit, most cases first
    units: list[Figures]
    total: Figures
    #: the kinds of case in the figures (decides which outcome classes apply)
    kinds: list[str]
    #: what the figures were counted from: they are the same as long as this is (see ``figures_version``)
    version: tuple = ()


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _case_filter(session_id: int, kind: str | None) -> list:
    found = [Proposal.session_id == session_id]
    if kind:
        found.append(Proposal.kind == ProposalKind(kind))
    return found


def _case_columns(today: date) -> list:
    """Per-case sums, all read from the covering index ``ix_proposals_figures`` (never the wide case rows)."""
    return [
        func.count().label("cases"),
        _count(Proposal.assigned_on.is_not(None)).label("assigned"),
        _count(Proposal.replied_on.is_not(None)).label("replied"),
        _count(Proposal.replied_on_time.is_(True)).label("on_time"),
        _count(Proposal.status.in_(_OPEN) & (Proposal.due_on < today)).label("overdue"),
    ]


def figures_version(session_id: int, kind: str | None = None) -> tuple:
    """What the figures depend on, in one index-only query: every service that changes a case (status, units,
    reply, rating, due date) stamps its ``updated_at``, and imports add cases, which changes the count."""
    latest, cases = db.session.execute(
        select(func.max(Proposal.updated_at), func.count()).where(*_case_filter(session_id, kind))
    ).one()
    return (latest.isoformat() if latest else None, cases)


def session_figures(session_id: int, today: date, kind: str | None = None) -> SessionFigures:
    """The figures of a session (only ``kind`` when given) on the day ``today`` (China date).

    Counted once per change of the session's cases and per day (``overdue now`` moves with the day), then
    kept in the cache: a session of 20,000 cases is not recounted for every visitor.
    """
    version = figures_version(session_id, kind)
    key = f"proposal-figures:{session_id}:{kind}:{today.isoformat()}:{version}"
    figures = cache.get(key)
    if figures is None:
        figures = count_figures(session_id, today, kind)
        figures.version = version
        cache.set(key, figures)
    _attach_units(figures)
    return figures


def count_figures(session_id: int, today: date, kind: str | None = None) -> SessionFigures:
    """Count the figures in the database: four GROUP BY queries, whatever the number of cases."""
    where = _case_filter(session_id, kind)
    units = _unit_figures(where, today)
    total = _total_figures(where, today)
    kinds = sorted(str(k) for k in db.session.scalars(select(Proposal.kind).where(*where).distinct()))
    return SessionFigures(session_id=session_id, kind=kind, units=list(units.values()), total=total, kinds=kinds)


def _attach_units(figures: SessionFigures) -> None:
    departments = {d.id: d for d in db.session.scalars(
        select(Department).where(Department.id.in_([f.unit_id for f in figures.units])))}
    for unit_figures in figures.units:
        unit_figures.unit = departments[unit_figures.unit_id]
    figures.units.sort(key=lambda f: (-f.assigned, -f.co_handled, f.unit.name))


def _unit_figures(where: list, today: date) -> dict[int, Figures]:
    rows = db.session.execute(
        select(ProposalUnit.department_id, ProposalUnit.role, Proposal.outcome, *_case_columns(today))
        .join(ProposalUnit, ProposalUnit.proposal_id == Proposal.id).where(*where)
        .group_by(ProposalUnit.department_id, ProposalUnit.role, Proposal.outcome)
    ).all()
    figures: dict[int, Figures] = {}
    for row in rows:
        unit = figures.setdefault(row.department_id, Figures(unit_id=row.department_id))
        if row.role == UnitRole.LEAD:
            unit.add_cases(row, counts_as_assigned=False)
            unit.assigned += row.cases
        else:
            unit.co_handled += row.cases
    rating_rows = db.session.execute(
        select(ProposalUnit.department_id, Rating.satisfaction, func.count())
        .select_from(Rating).join(Proposal, Proposal.id == Rating.proposal_id)
        .join(ProposalUnit, (ProposalUnit.proposal_id == Proposal.id) & (ProposalUnit.role == UnitRole.LEAD))
        .where(*where).group_by(ProposalUnit.department_id, Rating.satisfaction)
    ).all()
    for unit_id, satisfaction, count in rating_rows:
        figures[unit_id].ratings[satisfaction.value] = count
    return figures


def _total_figures(where: list, today: date) -> Figures:
    total = Figures()
    for row in db.session.execute(select(Proposal.outcome, *_case_columns(today)).where(*where)
                                  .group_by(Proposal.outcome)):
        total.add_cases(row)
    total.ratings = {satisfaction.value: count for satisfaction, count in db.session.execute(
        select(Rating.satisfaction, func.count()).join(Proposal, Proposal.id == Rating.proposal_id)
        .where(*where).group_by(Rating.satisfaction)
    )}
    return total


def outcome_columns(kinds: list[str], outcome_classes: dict[str, list[dict]], locale: str) -> list[tuple[str, str]]:
    """(code, label) of the outcome classes that apply; a session holding both kinds shows both labels."""
    kinds = kinds or list(rules.KINDS)
    codes = list(dict.fromkeys(code for kind in kinds for code in rules.outcome_codes(outcome_classes, kind)))
    return [(code, " / ".join(dict.fromkeys(rules.outcome_label(outcome_classes, kind, code, locale)
                                            for kind in kinds if code in rules.outcome_codes(outcome_classes, kind))))
            for code in codes]
