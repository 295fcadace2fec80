"""Following: asking to follow, confirming (an e-mail link or an SMS code), changing or ending, and telling
followers when something happens to what they follow.

Every request gets the same answer whether or not the contact already follows the thing: a confirmation goes
out each time, and confirming what is already followed just keeps it (with the frequency chosen last).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from engage.core.contacts import reachable
from engage.core.errors import NotFound, RuleViolation, ValidationFailed
from engage.core.links import public_url
from engage.domain_events import describe
from engage.domain_events.models import DomainEvent
from engage.extensions import db
from engage.notifications import bulk
from engage.notifications import services as outbox
from engage.notifications.models import Suppression
from engage.subscriptions import rules, targets
from engage.subscriptions.models import (
    ContactChannel,
    DigestItem,
    Frequency,
    Subscription,
    SubscriptionStatus,
    TargetKind,
)

BAD_CONTACT = _l("Enter a mainland mobile phone number or an e-mail address.")
GONE = _l("This link or code has expired or was already used. Ask to follow again from the page.")
UPDATE_TEMPLATE = "follow_update"


@dataclass(frozen=True)
class FollowRequest:
    """What the page needs after a request: where the confirmation went, and the SMS code page's ticket."""

    channel: ContactChannel
    ticket: str


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"engage-subscriptions-{purpose}")


# ---- asking and confirming -----------------------------------------------------------------------------------


def request_follow(kind: str, target_id: int, contact_text: str, frequency: str, *, language: str,
                   now: datetime) -> FollowRequest:
    """Record a follow waiting for confirmation and send the confirmation (a link by e-mail, a code by SMS).

    :raises ValidationFailed: nothing public to follow there, a contact that takes no messages, an unknown frequency
    """
    target = targets.find_public(kind, target_id)
    if target is None:
        raise ValidationFailed({"target": [_l("There is nothing to follow here.")]})
    contact = reachable(contact_text)
    if contact is None:
        raise ValidationFailed({"contact": [BAD_CONTACT]})
    if frequency not in {member.value for member in Frequency}:
        raise ValidationFailed({"frequency": [_l("Choose how often you would like to hear.")]})
    channel, address = ContactChannel(contact[0]), contact[1]
    _end_pending(channel, address, target, now)
    config = current_app.config
    if channel == ContactChannel.EMAIL:
        secret, confirm_by = secrets.token_urlsafe(24), now + timedelta(hours=config["SUBSCRIPTION_CONFIRM_HOURS"])
    else:
        secret = f"{secrets.randbelow(10 ** rules.CODE_LENGTH):0{rules.CODE_LENGTH}d}"
        confirm_by = now + timedelta(minutes=config["SUBSCRIPTION_CODE_MINUTES"])
    subscription = Subscription(
        target_kind=target.kind, target_id=target.id, target_title=target.title[:300], channel=channel,
        contact=address, language=language, frequency=Frequency(frequency), status=SubscriptionStatus.PENDING,
        secret_hash=rules.hashed(secret), code_attempts=0, confirm_by=confirm_by, created_at=now)
    db.session.add(subscription)
    db.session.flush()
    params = {"title": target.title, "kind": str(target.kind), "frequency": str(frequency)}
    if channel == ContactChannel.EMAIL:
        params["confirm_url"] = public_url("subscriptions.confirm", token=f"{subscription.id}.{secret}")
        params["hours"] = config["SUBSCRIPTION_CONFIRM_HOURS"]
        template = "follow_confirm"
    else:
        params["code"], params["minutes"] = secret, config["SUBSCRIPTION_CODE_MINUTES"]
        template = "follow_code"
    outbox.queue_message(channel=channel.value, recipient=address, template=template, params=params,
                         language=language, about=subscription, transactional=True, now=now)
    return FollowRequest(channel=channel, ticket=_serializer("code").dumps(subscription.id))


def _end_pending(channel: ContactChannel, address: str, target: targets.Target, now: datetime) -> None:
    """An earlier request for the same follow is replaced: only the newest link or code confirms."""
    db.session.execute(
        sa.update(Subscription)
        .where(Subscription.channel == channel, Subscription.contact == address,
               Subscription.target_kind == target.kind, Subscription.target_id == target.id,
               Subscription.status == SubscriptionStatus.PENDING)
        .values(status=SubscriptionStatus.ENDED, ended_at=now, secret_hash="")
        .execution_options(synchronize_session=False))


def pending_for_ticket(ticket: str) -> Subscription:
    """The follow an SMS code page is about.

    :raises NotFound: a ticket that was not made by us
    """
    try:
        subscription_id = _serializer("code").loads(ticket)
    except BadSignature as error:
        raise NotFound() from error
    subscription = db.session.get(Subscription, subscription_id)
    if subscription is None:
        raise NotFound()
    return subscription


def confirm_link(token: str, *, now: datetime) -> Subscription:
    """Confirm an e-mail follow with the secret its link carries.

    :raises NotFound: a malformed token
    :raises RuleViolation: used, replaced or expired
    """
    subscription_id, _, secret = token.partition(".")
    # at most 9 digits: a longer number is no row's id, and would overflow PostgreSQL's integer
    is_id = subscription_id.isdigit() and len(subscription_id) <= 9
    subscription = db.session.get(Subscription, int(subscription_id)) if is_id else None
    if subscription is None or not secret:
        raise NotFound()
    if (subscription.status == SubscriptionStatus.ACTIVE and not subscription.secret_hash
            and subscription.confirmed_at is not None):
        return subscription  # the link opened twice: it is confirmed already
    if (subscription.status != SubscriptionStatus.PENDING or rules.is_expired(subscription.confirm_by, now)
            or not secrets.compare_digest(subscription.secret_hash, rules.hashed(secret))):
        raise RuleViolation(GONE)
    return _activate(subscription, now)


def confirm_code(subscription: Subscription, code: str, *, now: datetime) -> Subscription:
    """Confirm an SMS follow with the code typed back.

    :raises ValidationFailed: a wrong code (with the tries left)
    :raises RuleViolation: expired, replaced, or too many wrong codes
    """
    allowed = current_app.config["SUBSCRIPTION_CODE_ATTEMPTS"]
    if (subscription.status != SubscriptionStatus.PENDING or rules.is_expired(subscription.confirm_by, now)
            or not rules.code_attempts_left(subscription.code_attempts, allowed)):
        raise RuleViolation(GONE)
    typed = "".join(ch for ch in (code or "") if ch.isdigit())
    if not secrets.compare_digest(subscription.secret_hash, rules.hashed(typed)):
        subscription.code_attempts += 1
        db.session.flush()
        left = rules.code_attempts_left(subscription.code_attempts, allowed)
        if not left:
            raise RuleViolation(GONE)
        raise ValidationFailed({"code": [_l("That is not the code we sent. %(n)d tries left.", n=left)]})
    return _activate(subscription, now)


def _activate(subscription: Subscription, now: datetime) -> Subscription:
    """The follow starts; one that already followed the same thing ends (the frequency chosen last holds)."""
    for earlier in _live(subscription.channel, subscription.contact):
        if (earlier.id != subscription.id and earlier.target_kind == subscription.target_kind
                and earlier.target_id == subscription.target_id):
            _end(earlier, now)
    subscription.status, subscription.confirmed_at, subscription.secret_hash = SubscriptionStatus.ACTIVE, now, ""
    # Confirming is asking again for these messages, after an unsubscribe from every message once.
    db.session.execute(sa.delete(Suppression).where(Suppression.channel == subscription.channel.value,
                                                    Suppression.recipient == subscription.contact))
    db.session.flush()
    return subscription


# ---- "my subscriptions" ----------------------------------------------------------------------------------------


def manage_token(channel: str, contact: str) -> str:
    return _serializer("mine").dumps([str(channel), contact])


def manage_url(channel: str, contact: str) -> str:
    return public_url("subscriptions.mine", token=manage_token(channel, contact))


def contact_of(token: str) -> tuple[ContactChannel, str]:
    """The contact a "my subscriptions" link was made for.

    :raises NotFound: a link not made by us
    """
    try:
        channel, contact = _serializer("mine").loads(token)
        return ContactChannel(channel), contact
    except (BadSignature, ValueError, TypeError) as error:
        raise NotFound() from error


def _live(channel: ContactChannel, contact: str) -> list[Subscription]:
    return db.session.scalars(
        sa.select(Subscription).where(Subscription.channel == channel, Subscription.contact == contact,
                                      Subscription.status == SubscriptionStatus.ACTIVE)
        .order_by(Subscription.id)).all()


def subscriptions_of(channel: ContactChannel, contact: str) -> list[Subscription]:
    """What a contact follows now."""
    return _live(channel, contact)


def _owned(channel: ContactChannel, contact: str, subscription_id: int) -> Subscription:
    for subscription in _live(channel, contact):
        if subscription.id == subscription_id:
            return subscription
    raise NotFound()


def change_frequency(channel: ContactChannel, contact: str, subscription_id: int, frequency: str, *,
                     now: datetime) -> Subscription:
    """From one message each time to a daily digest, or back; what waits for a digest still goes in it."""
    if frequency not in {member.value for member in Frequency}:
        raise ValidationFailed({"frequency": [_l("Choose how often you would like to hear.")]})
    subscription = _owned(channel, contact, subscription_id)
    subscription.frequency = Frequency(frequency)
    db.session.flush()
    return subscription


def end(channel: ContactChannel, contact: str, subscription_id: int, *, now: datetime) -> None:
    _end(_owned(channel, contact, subscription_id), now)
    db.session.flush()


def end_all(channel: ContactChannel | str, contact: str, *, now: datetime) -> int:
    """Stop following everything (the one-click unsubscribe of every message does this); returns how many."""
    live = _live(ContactChannel(str(channel)), contact)
    for subscription in live:
        _end(subscription, now)
    db.session.flush()
    return len(live)


def _end(subscription: Subscription, now: datetime) -> None:
    # The contact itself is erased by engage/privacy's next run, which logs it with the other erasures.
    subscription.status, subscription.ended_at = SubscriptionStatus.ENDED, now


# ---- telling followers -------------------------------------------------------------------------------------------


def title_of(event: DomainEvent) -> str:
    item = next(iter(value for key, value in event.data.items() if key != "details"))
    return item.get("title", "")


def url_of(event: DomainEvent) -> str:
    item = next(iter(value for key, value in event.data.items() if key != "details"))
    return item.get("url", "")


def on_domain_event(event: DomainEvent, subject) -> None:
    """Tell everyone following what the event concerns: at once, or in the next daily digest.

    A contact following the thing in two ways (a consultation and its department) hears of it once.
    """
    if event.name not in rules.TOLD_EVENTS:
        return
    pairs = describe.follow_targets(event.subject_type, event.data)
    followers = db.session.scalars(
        sa.select(Subscription).where(
            Subscription.status == SubscriptionStatus.ACTIVE,
            sa.or_(*(sa.and_(Subscription.target_kind == TargetKind(kind), Subscription.target_id == target_id)
                     for kind, target_id in pairs)))
        .order_by(Subscription.frequency.desc(), Subscription.id)).all()  # 'immediate' before 'daily'
    immediate: dict[tuple, Subscription] = {}
    daily: dict[tuple, Subscription] = {}
    for subscription in followers:
        key = (subscription.channel, subscription.contact)
        if subscription.frequency == Frequency.IMMEDIATE:
            immediate.setdefault(key, subscription)
        elif key not in immediate:
            daily.setdefault(key, subscription)
    _tell_at_once(event, list(immediate.values()))
    if daily:
        db.session.execute(sa.insert(DigestItem), [
            dict(subscription_id=subscription.id, event_id=event.id, created_at=event.occurred_at)
            for subscription in daily.values()])


def _tell_at_once(event: DomainEvent, subscriptions: list[Subscription]) -> None:
    if not subscriptions:
        return
    common = {"event": event.name, "title": title_of(event), "url": url_of(event)}
    bulk.queue_to_contacts([
        (subscription.channel.value, bulk.Addressed(
            recipient=subscription.contact, language=subscription.language,
            params={**common, "manage_url": manage_url(subscription.channel, subscription.contact)},
            about_type=Subscription.__tablename__, about_id=subscription.id))
        for subscription in subscriptions], template=UPDATE_TEMPLATE, transactional=False, now=event.occurred_at)


def on_contact_unsubscribed(sender, *, channel, recipient: str, now: datetime) -> None:
    """The one-click unsubscribe of a message ends every follow of that contact too."""
    if str(channel) in {member.value for member in ContactChannel}:
        end_all(str(channel), recipient, now=now)
