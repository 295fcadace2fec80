"""Figures rolled up by region: a region's own level and each region right below it, each with its whole subtree.

Each query groups by a small key (the proposal session, the department) and reads covering indexes; the rows are
then folded into the regions in Python, which is cheap because a tree has hundreds of regions while the cases it
counts are tens of thousands. Nothing is looped over per case.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import case, func, select

from engage.consultations.models import Consultation, Stage
from engage.extensions import db
from engage.proposals import rules as proposal_rules
from engage.proposals.models import Proposal, ProposalStatus
from engage.regions import rules
from engage.regions.models import Region, department_regions, session_regions
from engage.regions.services import children_of

_OPEN_CASES = [ProposalStatus(status) for status in proposal_rules.OPEN_STATUSES]


@dataclass
class RegionFigures:
    """What one region (with everything below it) shows; ``region`` None for the total."""

    region: Region | None
    #: True for the row of the region's own level (its records, not those below)
    own_level: bool = False
    cases: int = 0
    replied: int = 0
    on_time: int = 0
    overdue: int = 0
    consultations: int = 0
    open_consultations: int = 0
    comments: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.replied if self.replied else None

    def add(self, other: "RegionFigures") -> None:
        for name in ("cases", "replied", "on_time", "overdue", "consultations", "open_consultations", "comments"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class RollUp:
    region: Region
    #: the region's own level first, then each region right below it (with its subtree)
    rows: list[RegionFigures] = field(default_factory=list)
    total: RegionFigures = field(default_factory=lambda: RegionFigures(None))


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _bucket_of(path: str, region: Region, buckets: dict[str, RegionFigures]) -> RegionFigures | None:
    """The row a record of the region at ``path`` counts in: the own level, or the child whose subtree holds it."""
    if path == region.path:
        return buckets[region.path]
    ids = rules.ids_on_path(path)
    depth = rules.depth_of(region.path) + 1
    child_path = "/" + "/".join(str(i) for i in ids[:depth + 1]) + "/"
    return buckets.get(child_path)


def roll_up(region: Region, today: date, now: datetime) -> RollUp:
    """Proposal handling and consultation figures of ``region``, by its own level and each region below it."""
    children = children_of(region, active_only=False)
    buckets = {region.path: RegionFigures(region, own_level=True)}
    buckets.update({child.path: RegionFigures(child) for child in children})
    for path, figures in _case_rows(region, today):
        bucket = _bucket_of(path, region, buckets)
        if bucket is not None:
            bucket.add(figures)
    for path, figures in _consultation_rows(region, now):
        bucket = _bucket_of(path, region, buckets)
        if bucket is not None:
            bucket.add(figures)
    result = RollUp(region, rows=[buckets[region.path], *(buckets[child.path] for child in children)])
    for row in result.rows:
        result.total.add(row)
    return result


def _case_rows(region: Region, today: date):
    """(path of the session's region, figures) per session under ``region``: one GROUP BY on the figures index."""
    statement = (
        select(Region.path, func.count().label("cases"),
               _count(Proposal.replied_on.is_not(None)).label("replied"),
               _count(Proposal.replied_on_time.is_(True)).label("on_time"),
               _count(Proposal.status.in_(_OPEN_CASES) & (Proposal.due_on < today)).label("overdue"))
        .select_from(Proposal)
        .join(session_regions, session_regions.c.session_id == Proposal.session_id)
        .join(Region, Region.id == session_regions.c.region_id)
        .where(Region.path.startswith(region.path, autoescape=True))
        .group_by(Region.path)
    )
    for row in db.session.execute(statement):
        yield row.path, RegionFigures(None, cases=row.cases, replied=row.replied, on_time=row.on_time,
                                      overdue=row.overdue)


def _consultation_rows(region: Region, now: datetime):
    """(path of the department's region, figures) of the public consultations under ``region``."""
    is_open = (Consultation.stage == Stage.PUBLISHED) & (Consultation.opens_at <= now) & (Consultation.closes_at > now)
    statement = (
        select(Region.path, func.count().label("consultations"), _count(is_open).label("open"),
               func.coalesce(func.sum(Consultation.published_comment_count), 0).label("comments"))
        .select_from(Consultation)
        .join(department_regions, department_regions.c.department_id == Consultation.department_id)
        .join(Region, Region.id == department_regions.c.region_id)
        .where(Consultation.stage != Stage.DRAFT, Region.path.startswith(region.path, autoescape=True))
        .group_by(Region.path)
    )
    for row in db.session.execute(statement):
        yield row.path, RegionFigures(None, consultations=row.consultations, open_consultations=row.open,
                                      comments=row.comments)
