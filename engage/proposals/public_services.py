"""What the public sees of proposal handling: the searchable list of cases and one case with its timeline.

Deputies' and members' contact details (phone, e-mail, address) live on ``Proposer`` for the handling units
only; nothing here reads them, and the public schemas and templates never name them. A reply that was not
published shows only that it was given, when, and why it is not published: not its text, not its outcome.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Index, and_, func, select
from sqlalchemy.orm import selectinload

from engage.accounts.models import Department
from engage.core.errors import NotFound
from engage.core.models import AuditEvent
from engage.core.pagination import Page, paginate
from engage.core.queries import contains_text
from engage.core.timeutil import to_china
from engage.extensions import db
from engage.proposals import rules
from engage.proposals.models import (
    Proposal,
    ProposalKind,
    ProposalSession,
    ProposalStatus,
    ProposalUnit,
    Reply,
)
from engage.regions import services as regions

QUERY_MAX = 100

# For ``list_version``: the latest change to any case, read from the end of an index (migration 0b7d2e4c6a13).
Index("ix_proposals_updated_at", Proposal.updated_at)


@dataclass
class CaseFilters:
    """The public list's filters; ``None`` (or empty) means "any"."""

    kind: str | None = None
    session_id: int | None = None
    unit_id: int | None = None
    status: str | None = None
    outcome: str | None = None
    q: str | None = None
    #: only cases of sessions held at this region or a region below it
    region: object | None = None

    def conditions(self) -> list:
        """The SQL conditions, each on columns of ``proposals`` or an indexed lookup, so no row is loaded twice."""
        found = []
        if self.kind:
            found.append(Proposal.kind == ProposalKind(self.kind))
        if self.session_id:
            found.append(Proposal.session_id == self.session_id)
        if self.region is not None:
            found.append(Proposal.session_id.in_(regions.sessions_under(self.region)))
        if self.status:
            found.append(Proposal.status == ProposalStatus(self.status))
        if self.outcome:
            # An unpublished reply's outcome class is not public: filtering by it must not reveal it.
            found.append(and_(Proposal.outcome == self.outcome, Proposal.reply_published.is_(True)))
        if self.unit_id:
            found.append(Proposal.id.in_(
                select(ProposalUnit.proposal_id).where(ProposalUnit.department_id == self.unit_id)
            ))
        if self.q and self.q.strip():
            found.append(contains_text(
                [Proposal.title, Proposal.number, Proposal.lead_proposer_name, Proposal.category], self.q[:QUERY_MAX]
            ))
        return found


def list_cases(filters: CaseFilters, *, page: int = 1, per_page: int = 20) -> Page:
    """Cases matching ``filters``: latest session first, suggestions before proposals, newest number first."""
    statement = (
        select(Proposal).where(*filters.conditions())
        .options(selectinload(Proposal.units))
        # One direction throughout, so the unique (session, kind, number) index gives the order without a sort.
        .order_by(Proposal.session_id.desc(), Proposal.kind.desc(), Proposal.number.desc())
    )
    return paginate(db.session, statement, page, per_page)


def list_version() -> tuple:
    """What every public list page depends on, in two index lookups: every service that changes a case stamps
    its ``updated_at``, and new cases change the count. (Renaming a unit shows once cached pages age out.)"""
    latest = db.session.scalar(select(func.max(Proposal.updated_at)))
    cases = db.session.scalar(select(func.count()).select_from(Proposal))
    return (latest.isoformat() if latest else None, cases)


def latest_published_replies(limit: int, region=None) -> list[Proposal]:
    """Cases whose reply is published, the most recently replied first (the home page's list); ``region``: of
    sessions held there or below."""
    statement = (
        select(Proposal).where(Proposal.reply_published.is_(True), Proposal.replied_on.is_not(None),
                               *([Proposal.session_id.in_(regions.sessions_under(region))] if region else []))
        .options(selectinload(Proposal.lead_unit))
        .order_by(Proposal.replied_on.desc(), Proposal.id.desc()).limit(limit)
    )
    return list(db.session.scalars(statement))


def sessions(region=None) -> list[ProposalSession]:
    """Every session, newest first (for the filter and the statistics page); given a region, those held at it or
    below it."""
    statement = select(ProposalSession).order_by(ProposalSession.id.desc())
    if region is not None:
        statement = statement.where(ProposalSession.id.in_(regions.sessions_under(region)))
    return list(db.session.scalars(statement))


def latest_session() -> ProposalSession | None:
    return db.session.scalar(select(ProposalSession).order_by(ProposalSession.id.desc()).limit(1))


def get_session(session_id: int) -> ProposalSession:
    found = db.session.get(ProposalSession, session_id)
    if found is None:
        raise NotFound()
    return found


def handling_units(region=None) -> list[Department]:
    """Units that have been given at least one case, by name (a filter of every department would be noise);
    given a region, its units and those below it."""
    assigned = select(ProposalUnit.department_id).distinct()
    statement = select(Department).where(Department.id.in_(assigned)).order_by(Department.name)
    if region is not None:
        statement = statement.where(Department.id.in_(regions.departments_under(region)))
    return list(db.session.scalars(statement))


# ---- one case ------------------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    """One dated line of a case's public history."""

    #: when it happened (a moment for recorded changes, a day for replies)
    at: datetime | date
    #: "status" (assigned, reassigned, handling started) | "round" (re-handling began) | "reply" | "rating"
    kind: str
    round_number: int
    status: str | None = None
    #: what changed the status: register, assign, reassign, start
    action: str = ""
    due_on: date | None = None
    satisfaction: str | None = None
    #: the proposer who rated (names are public; contact details and rating comments are not)
    proposer_name: str = ""
    reply: Reply | None = None


@dataclass
class PublicCase:
    proposal: Proposal
    timeline: list[TimelineEntry] = field(default_factory=list)

    @property
    def replies(self) -> list[Reply]:
        return list(self.proposal.replies)

    @property
    def published_reply(self) -> Reply | None:
        """The newest published reply, the one the page shows in full."""
        published = [reply for reply in self.proposal.replies if reply.is_published]
        return published[-1] if published else None

    def __getattr__(self, name):
        # The case's own fields read through, so the API's schema describes one object, not two nested ones.
        if name == "proposal":
            raise AttributeError(name)
        return getattr(self.proposal, name)


def get_case(proposal_id: int) -> PublicCase:
    """A case with its history, loaded in a fixed number of queries whatever the number of rounds."""
    proposal = db.session.get(
        Proposal, proposal_id,
        options=[selectinload(Proposal.units), selectinload(Proposal.proposers), selectinload(Proposal.rounds),
                 selectinload(Proposal.replies), selectinload(Proposal.ratings),
                 selectinload(Proposal.status_changes)],
    )
    if proposal is None:
        raise NotFound()
    return PublicCase(proposal=proposal, timeline=timeline(proposal))


#: status changes shown as they are; a reply, a rating and a reopening get lines of their own with more detail
_SHOWN_ACTIONS = {"register", rules.ASSIGN, rules.REASSIGN, rules.START}


def timeline(proposal: Proposal) -> list[TimelineEntry]:
    """Assignment, handling, replies, ratings and re-handling rounds, in the order they happened."""
    # Reasons are left out: a reopening's reason quotes the proposer's own comments on the rating form.
    assigned_on = first_assignment_day(proposal)
    entries = [TimelineEntry(at=_step_moment(change, assigned_on), kind="status", round_number=change.round_number,
                             status=change.to_status.value, action=change.action)
               for change in proposal.status_changes if change.action in _SHOWN_ACTIONS]
    entries += [TimelineEntry(at=round_.started_on, kind="round", round_number=round_.number, due_on=round_.due_on)
                for round_ in proposal.rounds if round_.number > 1]
    entries += [TimelineEntry(at=reply.replied_on, kind="reply", round_number=reply.round_number, reply=reply)
                for reply in proposal.replies]
    entries += [TimelineEntry(at=rating.rated_at, kind="rating", round_number=rating.round_number,
                              satisfaction=rating.satisfaction.value, proposer_name=rating.proposer.name)
                for rating in proposal.ratings]
    return sorted(entries, key=_entry_order)


def _step_moment(change, assigned_on: date | None) -> datetime | date:
    # The staff history keeps when the step was recorded (changed_at); the public sees when it happened.
    return rules.public_step_day(change.action, to_china(change.changed_at).date(), assigned_on) or change.changed_at


def first_assignment_day(proposal: Proposal) -> date | None:
    """The assignment date (交办日期) of the case's first assignment.

    A reassignment in the first round moves the case's own date to the day of the reassignment; the date it
    replaced is kept in the reassignment's audit record (None for a reassignment recorded before that).
    """
    if proposal.assigned_on is None:
        return None
    if not any(c.action == rules.REASSIGN and c.round_number == 1 for c in proposal.status_changes):
        return proposal.assigned_on
    detail = db.session.scalar(
        select(AuditEvent.detail)
        .where(AuditEvent.subject_type == Proposal.__tablename__, AuditEvent.subject_id == proposal.id,
               AuditEvent.action == "proposal.reassigned")
        .order_by(AuditEvent.created_at, AuditEvent.id).limit(1)
    ) or {}
    earlier = detail.get("assigned_on_before")
    return date.fromisoformat(earlier) if earlier else None


_KIND_ORDER = {"round": 0, "status": 1, "reply": 2, "rating": 3}


def _entry_order(entry: TimelineEntry):
    # Replies and rounds carry a day, changes a moment: order by round, then day, then the life-cycle order.
    day = to_china(entry.at).date() if isinstance(entry.at, datetime) else entry.at
    moment = entry.at.timestamp() if isinstance(entry.at, datetime) else 0.0
    return (entry.round_number, day, _KIND_ORDER[entry.kind], moment)


def get_published_reply(reply_id: int) -> Reply:
    """A published reply with a PDF attached; NotFound for anything else (unpublished replies stay private)."""
    reply = db.session.get(Reply, reply_id)
    if reply is None or not reply.is_published or not reply.pdf_stored_name:
        raise NotFound()
    return reply


def days_overdue(proposal: Proposal, today: date) -> int:
    """How many days past its due date a case still owed a reply is (0 when it is not overdue)."""
    if not rules.is_overdue(proposal.status, proposal.due_on, today):
        return 0
    return -rules.days_until(proposal.due_on, today)
