"""What the public sees of campaigns and events: lists, the agenda by day, filters. Reads only."""

from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import groupby

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from engage.accounts.models import Department
from engage.core.errors import NotFound
from engage.core.pagination import Page, paginate
from engage.core.queries import contains_text
from engage.core.timeutil import china_date
from engage.events.models import Campaign, CampaignStatus, Event, EventStatus
from engage.extensions import db
from engage.regions import services as regions

PUBLIC_EVENT_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


@dataclass
class EventFilters:
    campaign_id: int | None = None
    kind: str | None = None
    department_id: int | None = None
    seats_left_only: bool = False
    #: only events that have not ended by then
    upcoming_at: datetime | None = None
    #: only events whose sign-up has not closed by then (it may open later)
    sign_up_open_at: datetime | None = None
    #: only events that had ended by then, latest first
    past_at: datetime | None = None
    #: words searched for in the title, description and venue
    q: str | None = None
    #: only events hosted by departments of this region or a region below it
    region: object | None = None


def list_public_campaigns(region=None) -> list[Campaign]:
    """Published campaigns, newest first; given a region, those with an event hosted in it or below it."""
    statement = select(Campaign).where(Campaign.status == CampaignStatus.PUBLISHED).order_by(Campaign.id.desc())
    if region is not None:
        statement = statement.where(Campaign.id.in_(
            select(Event.campaign_id).where(Event.department_id.in_(regions.departments_under(region)),
                                            Event.status.in_(PUBLIC_EVENT_STATUSES))))
    return db.session.scalars(statement).all()


def get_public_campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.status != CampaignStatus.PUBLISHED:
        raise NotFound(_l("There is no such campaign."))
    return campaign


def public_events_statement(filters: EventFilters):
    """Public events (published or cancelled, in a published campaign) by start time, filtered.

    Past events (``past_at``) come latest first: who looks back wants the last ones.
    """
    statement = (
        select(Event).join(Campaign)
        .where(Event.status.in_(PUBLIC_EVENT_STATUSES), Campaign.status == CampaignStatus.PUBLISHED)
    )
    if filters.past_at is not None:
        statement = statement.where(Event.ends_at <= filters.past_at).order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        statement = statement.order_by(Event.starts_at, Event.id)
    if filters.q and filters.q.strip():
        statement = statement.where(contains_text([Event.title, Event.description, Event.venue], filters.q))
    if filters.campaign_id is not None:
        statement = statement.where(Event.campaign_id == filters.campaign_id)
    if filters.kind:
        statement = statement.where(Event.kind == filters.kind)
    if filters.department_id is not None:
        statement = statement.where(Event.department_id == filters.department_id)
    if filters.region is not None:
        statement = statement.where(Event.department_id.in_(regions.departments_under(filters.region)))
    if filters.seats_left_only:
        # The kept counter, not a count of sign-ups: this filter stays one indexed scan.
        statement = statement.where(Event.seats_taken < Event.capacity, Event.status == EventStatus.PUBLISHED)
    if filters.upcoming_at is not None:
        statement = statement.where(Event.ends_at > filters.upcoming_at)
    if filters.sign_up_open_at is not None:
        statement = statement.where(Event.registration_closes_at > filters.sign_up_open_at)
    return statement


def list_public_events(filters: EventFilters, *, page: int = 1, per_page: int = 20) -> Page:
    return paginate(db.session, public_events_statement(filters), page, per_page)


def public_events_state(now: datetime) -> tuple:
    """What a cached list of public events depends on at ``now``, in one query.

    Seats taken and every edit raise ``public_version``; the last end and sign-up opening or closing already
    passed name the moment an event last left the list or changed its sign-up state by itself.
    """
    passed = [func.max(case((column <= now, column)))
              for column in (Event.ends_at, Event.registration_opens_at, Event.registration_closes_at)]
    row = db.session.execute(
        select(func.count(Event.id), func.sum(Event.public_version), func.max(Event.updated_at), *passed)
        .where(Event.status.in_(PUBLIC_EVENT_STATUSES))
    ).one()
    return tuple(row)


def agenda(filters: EventFilters) -> list[tuple[date, list[Event]]]:
    """The events grouped by their day in China, in order: the campaign page's agenda."""
    events = db.session.scalars(public_events_statement(filters)).all()
    return [(day, list(group)) for day, group in groupby(events, key=lambda e: china_date(e.starts_at))]


def upcoming_and_past(filters: EventFilters, now: datetime) -> tuple[list[tuple[date, list[Event]]], list[Event]]:
    """A campaign page: the agenda of events not yet over, and apart from it the ones that are, latest first."""
    upcoming = agenda(replace(filters, upcoming_at=now, past_at=None))
    if filters.seats_left_only:
        return upcoming, []  # an event that is over has no seat to take
    past = db.session.scalars(public_events_statement(replace(filters, upcoming_at=None, past_at=now))).all()
    return upcoming, list(past)


def host_departments(campaign_id: int | None = None) -> list[Department]:
    """Departments hosting public events (of one campaign), for the filter."""
    hosting = select(Event.department_id).where(Event.status.in_(PUBLIC_EVENT_STATUSES))
    if campaign_id is not None:
        hosting = hosting.where(Event.campaign_id == campaign_id)
    return db.session.scalars(select(Department).where(Department.id.in_(hosting)).order_by(Department.id)).all()


def get_public_event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or event.status not in PUBLIC_EVENT_STATUSES or event.campaign.status != CampaignStatus.PUBLISHED:
        raise NotFound(_l("There is no such event."))
    return event
