"""The daily digest: one message per contact per China day, listing what happened since the day before.

Run as often as wanted: the digest row of a (contact, day) is written with the message, so a second run that day
finds it and sends nothing, and the items it listed are marked with it.
"""

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from engage.core.timeutil import to_china
from engage.domain_events.models import DomainEvent
from engage.extensions import db
from engage.notifications import services as outbox
from engage.subscriptions import rules, services
from engage.subscriptions.models import Digest, DigestItem, Subscription, SubscriptionStatus

TEMPLATE = "follow_digest"


def send_due_digests(now: datetime) -> int:
    """Send today's digests if their time has come; returns how many were sent."""
    due = rules.due_digest(now, rules.digest_time(current_app.config["SUBSCRIPTION_DIGEST_TIME"]))
    if due is None:
        return 0
    day, cutoff = due
    waiting = db.session.execute(
        sa.select(DigestItem, Subscription, DomainEvent)
        .join(Subscription, DigestItem.subscription_id == Subscription.id)
        .join(DomainEvent, DigestItem.event_id == DomainEvent.id)
        .where(DigestItem.digest_id.is_(None), DigestItem.created_at <= cutoff,
               Subscription.status == SubscriptionStatus.ACTIVE)
        .order_by(DomainEvent.occurred_at, DomainEvent.id)).all()
    per_contact: dict[tuple, list] = defaultdict(list)
    for item, subscription, event in waiting:
        per_contact[(subscription.channel, subscription.contact)].append((item, subscription, event))
    sent = 0
    for (channel, contact), rows in per_contact.items():
        sent += _send_one(channel, contact, rows, day, now)
    return sent


def _send_one(channel, contact: str, rows: list, day, now: datetime) -> int:
    contact_hash = rules.hashed(f"{channel}:{contact}")
    exists = sa.exists().where(Digest.channel == channel, Digest.contact_hash == contact_hash, Digest.day == day)
    if db.session.scalar(sa.select(exists)):
        return 0  # today's went out already; what came after it waits for tomorrow's
    events, seen = [], set()
    for _item, _subscription, event in rows:
        if event.id not in seen:
            seen.add(event.id)
            events.append(event)
    digest = Digest(channel=channel, contact_hash=contact_hash, day=day, created_at=now, item_count=len(events))
    db.session.add(digest)
    db.session.flush()
    db.session.execute(sa.update(DigestItem).where(DigestItem.id.in_([item.id for item, _s, _e in rows]))
                       .values(digest_id=digest.id).execution_options(synchronize_session=False))
    language = rows[-1][1].language
    params = {"day": day.isoformat(), "count": len(events),
              "items": [{"event": event.name, "title": services.title_of(event), "url": services.url_of(event),
                         "at": f"{to_china(event.occurred_at):%m-%d %H:%M}"} for event in events],
              "manage_url": services.manage_url(channel, contact)}
    outbox.queue_message(channel=channel.value, recipient=contact, template=TEMPLATE, params=params,
                         language=language, about=digest, transactional=False, now=now)
    return 1
