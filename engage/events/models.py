"""Open-government events: campaigns, events, sign-ups (registrations) and every change of a sign-up's state."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import Department, User
from engage.core.columns import UTCDateTime, str_enum
from engage.core.enums import LabelledStrEnum
from engage.events import organiser_rules, rules
from engage.extensions import db


class CampaignStatus(LabelledStrEnum):
    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Published")


class EventKind(LabelledStrEnum):
    INSTITUTION_VISIT = "institution_visit", _l("Visit to a government office")  # 机关开放参观
    SERVICE_SITE_VISIT = "service_site_visit", _l("Visit to a public service site")  # 公共服务场所参观
    ONLINE_BROADCAST = "online_broadcast", _l("Online broadcast")  # 云直播
    FORUM = "forum", _l("Forum")  # 座谈会
    MEETING_OBSERVATION = "meeting_observation", _l("Observing a government meeting")  # 列席政府会议


class EventStatus(LabelledStrEnum):
    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Published")
    CANCELLED = "cancelled", _l("Cancelled")


class RegistrationStatus(LabelledStrEnum):
    PENDING = rules.PENDING, _l("Awaiting approval")
    CONFIRMED = rules.CONFIRMED, _l("Confirmed")
    WAITLISTED = rules.WAITLISTED, _l("On the waitlist")
    CANCELLED = rules.CANCELLED, _l("Cancelled")
    REJECTED = rules.REJECTED, _l("Not approved")
    ATTENDED = rules.ATTENDED, _l("Attended")
    NO_SHOW = rules.NO_SHOW, _l("Did not attend")


class AccessFeature(LabelledStrEnum):
    """What a venue offers visitors with a disability; each is a boolean column of ``Event``."""

    STEP_FREE_ACCESS = "step_free_access", _l("Step-free access (ramp or lift, no steps)")
    HEARING_LOOP = "hearing_loop", _l("Hearing loop for hearing aids")
    ACCESSIBLE_TOILET = "accessible_toilet", _l("Accessible toilet")
    SIGN_LANGUAGE = "sign_language", _l("Sign language interpretation")


class Campaign(db.Model):
    """A group of events under one name, e.g. 2026年政府开放月."""

    __tablename__ = "event_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[CampaignStatus] = mapped_column(
        str_enum(CampaignStatus, "campaign_status"), default=CampaignStatus.DRAFT
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    events: Mapped[list["Event"]] = relationship(back_populates="campaign", order_by="Event.starts_at")
    created_by: Mapped[User | None] = relationship()

    def __repr__(self):
        return f"<Campaign {self.id} {self.status}>"


class Event(db.Model):
    """One event with limited seats that citizens sign up for."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_campaign_start", "campaign_id", "starts_at"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("event_campaigns.id"))
    #: the host (主办) department
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind, "event_kind"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: address and meeting point; empty for online events
    venue: Mapped[str] = mapped_column(String(300), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    # Access to the venue, as the organiser states it: False means "not stated", never "not there".
    step_free_access: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    hearing_loop: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    accessible_toilet: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    sign_language: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    #: anything else a visitor with a disability should know (a lift, seats kept near the front, a helper)
    accessibility_notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registration_opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: seats, counted in people
    capacity: Mapped[int]
    #: the most people one sign-up may bring, the person signing up included
    max_party_size: Mapped[int] = mapped_column(default=1)
    #: the venue's security needs each visitor's resident ID number
    requires_id_number: Mapped[bool] = mapped_column(default=False)
    #: sign-ups wait as ``pending`` (holding their seats) until the organiser approves them
    requires_approval: Mapped[bool] = mapped_column(default=False)
    waitlist_enabled: Mapped[bool] = mapped_column(default=True)
    status: Mapped[EventStatus] = mapped_column(str_enum(EventStatus, "event_status"), default=EventStatus.DRAFT)
    cancellation_reason: Mapped[str] = mapped_column(Text, default="")
    #: people in seat-holding sign-ups (rules.SEAT_HOLDING); changed only under the event's row lock, so pages
    #: read it instead of counting rows and it can never pass the capacity
    seats_taken: Mapped[int] = mapped_column(default=0, server_default="0")
    #: the last sign-up number handed out; numbers give the first-come order of the waitlist
    last_sign_up_number: Mapped[int] = mapped_column(default=0, server_default="0")
    #: raised by every change the public can see (seats, publishing); cached pages are keyed on it
    public_version: Mapped[int] = mapped_column(default=0, server_default="0")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    campaign: Mapped[Campaign] = relationship(back_populates="events")
    department: Mapped[Department] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship()

    @property
    def seats_left(self) -> int:
        return rules.seats_left(self.capacity, self.seats_taken)

    @property
    def accessibility(self) -> list:
        """The access features stated for the venue, labelled, in a fixed order."""
        return [feature for feature in AccessFeature if getattr(self, feature.value)]

    @property
    def is_online(self) -> bool:
        return self.kind == EventKind.ONLINE_BROADCAST

    def sign_up_refusal(self, now: datetime) -> str | None:
        return rules.sign_up_refusal(self.status, self.registration_opens_at, self.registration_closes_at, now)

    def is_taking_sign_ups(self, now: datetime) -> bool:
        return self.sign_up_refusal(now) is None

    @property
    def is_editable(self) -> bool:
        return organiser_rules.is_editable(self.status)

    def is_over(self, now: datetime) -> bool:
        return organiser_rules.is_over(self.ends_at, now)

    def may_mark_no_shows(self, now: datetime) -> bool:
        return organiser_rules.may_mark_no_shows(self.starts_at, now)

    def __repr__(self):
        return f"<Event {self.id} {self.status} {self.seats_taken}/{self.capacity}>"


class Registration(db.Model):
    """A sign-up (报名) for one event by one person, possibly bringing others (the party)."""

    __tablename__ = "event_registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "number"),
        # One active sign-up per phone per event, enforced by the database so that two simultaneous requests
        # cannot both pass the check: ``active_phone`` is NULL once the sign-up is no longer active.
        UniqueConstraint("event_id", "active_phone", name="uq_event_registrations_active_phone"),
        Index("ix_event_registrations_listing", "event_id", "status", "number"),
        Index("ix_event_registrations_phone", "phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    #: the order of sign-up within the event (1, 2, ...): first come, first served
    number: Mapped[int]
    #: the confirmation code people show at check-in and use to look up their sign-up
    code: Mapped[str] = mapped_column(String(16), unique=True)
    #: sha256 of the private cancel token; the token itself is only ever shown to the citizen
    cancel_token_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20))
    #: the phone while the sign-up is active (rules.ACTIVE), otherwise NULL; see the unique constraint
    active_phone: Mapped[str | None] = mapped_column(String(20))
    #: only when the event requires it; listings and exports show it masked
    id_number: Mapped[str] = mapped_column(String(18), default="")
    party_size: Mapped[int] = mapped_column(default=1)
    status: Mapped[RegistrationStatus] = mapped_column(str_enum(RegistrationStatus, "registration_status"))
    #: the organiser's reason when rejecting, shown to the citizen
    status_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the language the citizen signed up in: messages sent later (promotion, reminders) go out in it
    language: Mapped[str] = mapped_column(String(8), default="zh", server_default="zh")
    #: when the reminder before the event was queued; set once, so nobody is reminded twice
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when the questionnaire link was queued; set once, like ``reminded_at``
    questionnaire_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the last time seats came free that were too few for this party and went to a smaller one behind it;
    #: shown, with ``passed_over_seats``, on the sign-up's page while it waits
    passed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: how many seats were free then
    passed_over_seats: Mapped[int | None]

    event: Mapped[Event] = relationship()
    checked_in_by: Mapped[User | None] = relationship()
    changes: Mapped[list["RegistrationChange"]] = relationship(
        order_by="RegistrationChange.id", back_populates="registration", cascade="all, delete-orphan"
    )

    #: the place in line this sign-up was given when it was made, read under the event's lock (not stored: the
    #: answer to the sign-up and its SMS tell the same number without counting the line twice)
    position_when_signed_up = None

    @property
    def masked_phone(self) -> str:
        return rules.mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return rules.mask_id_number(self.id_number)

    @property
    def is_active(self) -> bool:
        return rules.is_active(self.status)

    @property
    def holds_seats(self) -> bool:
        return rules.holds_seats(self.status)

    def can_change(self, action: str) -> bool:
        return rules.can_change(self.status, action)

    def can_cancel(self, now: datetime) -> bool:
        """Whether the citizen can still cancel (organisers go through ``rules.can_cancel`` directly)."""
        return rules.can_cancel(self.status, self.event.starts_at, now)

    def __repr__(self):
        return f"<Registration {self.code} {self.status} x{self.party_size}>"


class RegistrationChange(db.Model):
    """One change of a sign-up's status: when, by whom (None for the citizen or the system), and why."""

    __tablename__ = "event_registration_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("event_registrations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: None for the first status a sign-up gets
    from_status: Mapped[RegistrationStatus | None] = mapped_column(
        str_enum(RegistrationStatus, "registration_change_from")
    )
    to_status: Mapped[RegistrationStatus] = mapped_column(str_enum(RegistrationStatus, "registration_change_to"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the action as in rules.TRANSITIONS (``sign_up`` for the first), e.g. ``promote``
    action: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")

    registration: Mapped[Registration] = relationship(back_populates="changes")
    actor: Mapped[User | None] = relationship()
