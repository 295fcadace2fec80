"""The organiser's use cases: campaigns, events (create, edit, publish, cancel), the registration list and figures.

Each takes the acting user and ``now`` explicitly, enforces the permissions of ``engage.events.permissions``
by raising NotAllowed, and only flushes: the request commits. Sign-up state changes (approve, reject, check
in, no-shows) are in ``engage.events.registrations.services``, shared with the citizens' side.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, or_, select, update

from engage import domain_events
from engage.accounts.models import Department
from engage.core import audit
from engage.core.errors import InvalidTransition, NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.core.pagination import Page, paginate
from engage.core.queries import contains_text, escape_like
from engage.core.templating import china_time
from engage.domain_events.models import EventType
from engage.events import organiser_rules, permissions, rules
from engage.events.models import Campaign, CampaignStatus, Event, EventStatus, Registration, RegistrationChange
from engage.events.registrations import messages, services
from engage.extensions import db

# ---- campaigns -----------------------------------------------------------------------------------------


def list_campaigns(actor) -> list[Campaign]:
    """Every campaign, newest first: organisers place events in them, office organisers manage them."""
    if not permissions.can_organise(actor):
        raise NotAllowed()
    return db.session.scalars(select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id.desc())).all()


def get_campaign(campaign_id: int, actor) -> Campaign:
    if not permissions.can_organise(actor):
        raise NotAllowed()
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound()
    return campaign


def save_campaign(campaign: Campaign | None, values: dict, *, actor, now: datetime) -> Campaign:
    """Create a campaign (as a draft) or change one.

    :param values: ``title`` and ``description``, already stripped.
    """
    if not permissions.can_manage_campaigns(actor):
        raise NotAllowed()
    if not values.get("title"):
        raise ValidationFailed({"title": [_l("Give the campaign a title.")]})
    created = campaign is None
    if created:
        campaign = Campaign(created_at=now, created_by_id=actor.id, status=CampaignStatus.DRAFT)
        db.session.add(campaign)
    campaign.title, campaign.description, campaign.updated_at = values["title"], values.get("description", ""), now
    db.session.flush()
    audit.record("campaign.created" if created else "campaign.updated", campaign, actor=actor, now=now)
    _touch_events(campaign)
    return campaign


def publish_campaign(campaign: Campaign, *, actor, now: datetime) -> Campaign:
    """Show the campaign page to the public (its published events appear on it)."""
    if not permissions.can_manage_campaigns(actor):
        raise NotAllowed()
    if not organiser_rules.is_publishable(campaign.status):
        raise InvalidTransition(_l("The campaign is already published."))
    campaign.status, campaign.updated_at = CampaignStatus.PUBLISHED, now
    audit.record("campaign.published", campaign, actor=actor, now=now)
    _touch_events(campaign)
    db.session.flush()
    return campaign


def _touch_events(campaign: Campaign) -> None:
    # Event pages show the campaign's title: cached copies must not outlive a change to it.
    for event in campaign.events:
        event.public_version += 1


# ---- events --------------------------------------------------------------------------------------------


def host_departments(actor) -> list[Department]:
    """The active departments ``actor`` may host events for, by name."""
    statement = select(Department).where(Department.is_active).order_by(Department.name)
    limited_to = permissions.organised_department_id(actor)
    if limited_to is not None:
        statement = statement.where(Department.id == limited_to)
    return db.session.scalars(statement).all()


def list_events(actor, *, campaign_id: int | None = None, page: int = 1, per_page: int = 20) -> Page:
    """The events ``actor`` organises, latest first; an organiser of a department sees only its events."""
    if not permissions.can_organise(actor):
        raise NotAllowed()
    statement = select(Event).order_by(Event.starts_at.desc(), Event.id.desc())
    limited_to = permissions.organised_department_id(actor)
    if limited_to is not None:
        statement = statement.where(Event.department_id == limited_to)
    if campaign_id:
        statement = statement.where(Event.campaign_id == campaign_id)
    return paginate(db.session, statement, page, per_page)


def get_event(event_id: int, actor) -> Event:
    """An event the actor manages (NotFound for unknown ids, NotAllowed for another department's)."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed()
    return event


def _check_values(values: dict, actor) -> None:
    problems = organiser_rules.event_problems(values)
    if not permissions.can_host_for(actor, values.get("department_id")):
        problems.setdefault("department_id", []).append(_l("You may only organise events of your department."))
    if db.session.get(Campaign, values.get("campaign_id") or 0) is None:
        problems.setdefault("campaign_id", []).append(_l("Choose a campaign."))
    if problems:
        raise ValidationFailed(problems)


def create_event(values: dict, *, actor, now: datetime) -> Event:
    """Save a new event as a draft.

    :param values: the columns of ``staff_forms.EVENT_FIELD_NAMES``; times aware UTC.
    """
    if not permissions.can_organise(actor):
        raise NotAllowed()
    _check_values(values, actor)
    event = Event(**values, status=EventStatus.DRAFT, created_at=now, updated_at=now, created_by_id=actor.id)
    db.session.add(event)
    db.session.flush()
    audit.record("event.created", event, actor=actor, now=now)
    return event


def update_event(event: Event, values: dict, *, actor, now: datetime) -> Event:
    """Change an event's details; seats held by sign-ups cannot be taken away, added seats go to the waitlist.

    :param values: as for ``create_event``.
    """
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed()
    if not event.is_editable:
        raise InvalidTransition(_l("A cancelled event can no longer be changed."))
    _check_values(values, actor)
    event = services.locked_event(event.id)
    problem = organiser_rules.capacity_problem(values["capacity"], event.seats_taken)
    if problem:
        raise ValidationFailed({"capacity": [problem]})
    changed = sorted(name for name, value in values.items() if getattr(event, name) != value)
    grew = values["capacity"] > event.capacity
    for name, value in values.items():
        setattr(event, name, value)
    event.updated_at, event.public_version = now, event.public_version + 1
    db.session.flush()
    if grew and event.status == EventStatus.PUBLISHED:
        services.promote_waitlist(event, actor=actor, now=now)
    if event.status == EventStatus.PUBLISHED and set(changed) & organiser_rules.NOTIFIED_CHANGES:
        messages.tell_event_changed(event, [(row.id, row.phone, row.language) for row in _active_sign_ups(event)],
                                    now=now)
    audit.record("event.updated", event, actor=actor, now=now, fields=changed)
    _announce_changes(event, changed, now)
    return event


def _announce_changes(event: Event, changed: list[str], now: datetime) -> None:
    """A published event's changes are news to other systems (webhooks); a draft's are not."""
    if event.status == EventStatus.PUBLISHED and changed:
        domain_events.emit(EventType.EVENT_CHANGED, event, now=now, fields=changed)


def update_accessibility(event: Event, values: dict, *, actor, now: datetime) -> Event:
    """Change only what an event states about access to its venue (the organiser API's narrow edit).

    :param values: some of ``staff_forms.ACCESS_FIELD_NAMES``: the booleans, and ``accessibility_notes`` stripped.
    """
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed()
    if not event.is_editable:
        raise InvalidTransition(_l("A cancelled event can no longer be changed."))
    problems = organiser_rules.accessibility_problems(values)
    if problems:
        raise ValidationFailed(problems)
    changed = sorted(name for name, value in values.items() if getattr(event, name) != value)
    for name, value in values.items():
        setattr(event, name, value)
    if changed:
        event.updated_at, event.public_version = now, event.public_version + 1
        audit.record("event.updated", event, actor=actor, now=now, fields=changed)
    db.session.flush()
    _announce_changes(event, changed, now)
    return event


def publish_problems(event: Event, now: datetime) -> dict[str, list]:
    """What stops a draft event from being published now, by field (shown on its overview before trying)."""
    values = {name: getattr(event, name) for name in organiser_rules.PUBLISH_FIELDS}
    problems = organiser_rules.publish_problems(values, now)
    if event.campaign.status != CampaignStatus.PUBLISHED:
        problems.setdefault("campaign_id", []).append(_l("Publish the campaign first."))
    return problems


def publish_event(event: Event, *, actor, now: datetime) -> Event:
    """Make a draft event public; its sign-up follows the registration window from then on."""
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed()
    if not organiser_rules.is_publishable(event.status):
        raise InvalidTransition(_l("Only a draft event can be published."))
    problems = publish_problems(event, now)
    if problems:
        raise ValidationFailed(problems)
    event.status, event.published_at, event.updated_at = EventStatus.PUBLISHED, now, now
    event.public_version += 1
    audit.record("event.published", event, actor=actor, now=now)
    db.session.flush()
    domain_events.emit(EventType.EVENT_PUBLISHED, event, now=now)
    return event


#: the sign-ups an event's cancellation cancels, and that hear of changes to it
CANCELLABLE = (rules.PENDING, rules.CONFIRMED, rules.WAITLISTED)


def cancel_event(event: Event, reason: str, *, actor, now: datetime) -> int:
    """Cancel an event and every active sign-up with it; returns how many sign-ups were cancelled.

    Each sign-up records the change with the reason, so the citizen's lookup shows that the event is off.
    """
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_l("Give the reason: everyone who signed up will see it.")]})
    event = services.locked_event(event.id)
    if event.status == EventStatus.CANCELLED:
        raise InvalidTransition(_l("The event is already cancelled."))
    if event.is_over(now):
        raise InvalidTransition(_l("The event is over: it can no longer be cancelled."))
    active = _active_sign_ups(event)
    # Set-based: an event may have thousands of sign-ups, and the organiser waits for this page.
    db.session.execute(
        update(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(CANCELLABLE))
        .values(status=rules.CANCELLED, active_phone=None, updated_at=now, status_reason=reason)
        .execution_options(synchronize_session=False))
    if active:
        db.session.execute(insert(RegistrationChange), [
            dict(registration_id=row.id, created_at=now, from_status=row.status, to_status=rules.CANCELLED,
                 actor_id=actor.id, action=rules.CANCEL, reason=reason) for row in active])
    event.seats_taken -= rules.seats_taken((row.status, row.party_size) for row in active)
    event.status, event.cancellation_reason = EventStatus.CANCELLED, reason
    event.updated_at, event.public_version = now, event.public_version + 1
    audit.record("event.cancelled", event, actor=actor, now=now, reason=reason, sign_ups=len(active))
    db.session.flush()
    messages.tell_event_cancelled(event, [(row.id, row.phone, row.language) for row in active], now=now)
    domain_events.emit(EventType.EVENT_CANCELLED, event, now=now, reason=reason)
    # Sign-ups loaded earlier in this session must not show their old status.
    db.session.expire_all()
    return len(active)


def _active_sign_ups(event: Event):
    """``(id, status, party_size, phone, language)`` of the sign-ups still coming or waiting, in sign-up order."""
    return db.session.execute(
        select(Registration.id, Registration.status, Registration.party_size, Registration.phone,
               Registration.language)
        .where(Registration.event_id == event.id, Registration.status.in_(CANCELLABLE))
        .order_by(Registration.number)).all()


# ---- the registration list and the figures -------------------------------------------------------------


def registrations_statement(event: Event, *, q: str = "", status: str | None = None):
    """The sign-ups of ``event`` in sign-up order, found by name, phone (any part) or code."""
    statement = select(Registration).where(Registration.event_id == event.id).order_by(Registration.number)
    if status:
        statement = statement.where(Registration.status == status)
    q = (q or "").strip()
    if q:
        code = rules.normalize_code(q)
        statement = statement.where(or_(
            contains_text([Registration.name], q),
            Registration.phone.like(f"%{escape_like(rules.normalize_phone(q))}%", escape="\\"),
            Registration.code == code,
        ))
    return statement


def list_registrations(event: Event, actor, *, q: str = "", status: str | None = None, page: int = 1,
                       per_page: int = 50) -> Page:
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed()
    return paginate(db.session, registrations_statement(event, q=q, status=status), page, per_page)


def attendance(event: Event) -> organiser_rules.Attendance:
    """The event's sign-ups and people by status."""
    rows = db.session.execute(
        select(Registration.status, func.count(), func.sum(Registration.party_size))
        .where(Registration.event_id == event.id).group_by(Registration.status)
    ).all()
    return organiser_rules.attendance(rows)


def check_in_candidate(event: Event, code: str, actor) -> Registration:
    """The sign-up a code names, shown to the organiser before confirming; refused as ``services.check_in`` would.

    :raises NotFound: no sign-up has this code
    :raises RuleViolation: the code is for another event, already used, or not (or no longer) confirmed
    """
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed()
    registration = services.find_by_code(code)
    if registration is None:
        raise NotFound(_l("No sign-up has the code %(code)s.", code=rules.normalize_code(code)))
    if registration.event_id != event.id:
        raise RuleViolation(_l("This code is for another event: %(title)s.", title=registration.event.title))
    if registration.status == rules.ATTENDED:
        raise RuleViolation(_l("Already checked in at %(time)s.",
                               time=china_time(registration.checked_in_at, "short")))
    if not rules.can_change(registration.status, rules.CHECK_IN):
        raise RuleViolation(_l("This sign-up cannot be checked in: it is “%(status)s”.",
                               status=registration.status.label))
    return registration


def pending_counts(event_ids: list[int]) -> dict[int, int]:
    """How many sign-ups await the organiser's approval, per event (events without any are left out)."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(Registration.event_id, func.count()).where(Registration.event_id.in_(event_ids),
                                                          Registration.status == rules.PENDING)
        .group_by(Registration.event_id)
    ).all()
    return dict(rows)
