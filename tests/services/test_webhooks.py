"""Webhooks against a real receiver: signed deliveries through the outbox, retried until accepted, logged."""

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.core.errors import NotAllowed, ValidationFailed
from engage.core.timeutil import utcnow
from engage.domain_events import timed
from engage.domain_events.models import EventType
from engage.events import organiser_services
from engage.events.models import EventStatus
from engage.extensions import db
from engage.notifications import delivery as outbox
from engage.notifications.models import Channel, MessageStatus, OutboxMessage
from engage.webhooks import services, signing
from engage.webhooks.services import HookFields
from tests import factories
from tests.fixtures.events import make_event
from tests.fixtures.messaging import run_queued_jobs

SECRET = "s3cret-shared-with-the-receiver"


def _hook(admin, url, types=(EventType.CONSULTATION_OPENED,), **changes):
    hook = services.save_hook(None, HookFields(name="市政务服务平台", url=url, secret=SECRET,
                                               event_types=[str(t) for t in types], **changes),
                              actor=admin, now=utcnow())
    db.session.commit()
    return hook


def _deliveries() -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.channel == Channel.WEBHOOK)
                              .order_by(OutboxMessage.id)).all()


def test_a_published_consultation_reaches_the_receiver_signed(app, admin, department, staff, webhook_receiver):
    webhook_receiver.secret = SECRET
    hook = _hook(admin, webhook_receiver.url)
    consultation = factories.make_consultation(department, staff)
    run_queued_jobs()
    [(delivery_id, received)] = webhook_receiver.accepted.items()
    assert webhook_receiver.bad_signatures == 0
    assert received["event"] == "consultation.opened"
    body = received["body"]
    assert body["type"] == "consultation.opened" and body["data"]["consultation"]["id"] == consultation.id
    assert body["data"]["consultation"]["department"]["name"] == department.name
    assert body["data"]["consultation"]["url"].endswith(f"/consultations/{consultation.id}")
    [row] = _deliveries()
    assert row.idempotency_key == delivery_id and row.status == MessageStatus.SENT
    assert row.about_id == hook.id and services.last_answer(row) == "HTTP 200: ok"


def test_a_receiver_can_verify_the_signature_and_rejects_a_forged_one():
    body = json.dumps({"id": 1, "type": "event.published"}).encode()
    header = signing.signature_header(SECRET, 1767225600, body)
    assert header.startswith("t=1767225600,v1=") and len(header.split("v1=")[1]) == 64
    assert signing.is_valid(header, SECRET, body, now=1767225600 + 60)
    assert not signing.is_valid(header, "another secret", body, now=1767225600)
    assert not signing.is_valid(header, SECRET, body + b" ", now=1767225600)
    assert not signing.is_valid(header, SECRET, body, now=1767225600 + 3600)  # too old: a replay
    assert not signing.is_valid("v1=abc", SECRET, body, now=1767225600)


def test_a_receiver_failing_three_times_gets_the_delivery_once(app, admin, department, staff, webhook_receiver):
    webhook_receiver.secret = SECRET
    webhook_receiver.answers = [(500, "database down"), (503, "busy"), (502, "bad gateway")]
    _hook(admin, webhook_receiver.url)
    factories.make_consultation(department, staff)
    run_queued_jobs()  # the first try
    for _retry in range(3):
        [row] = _deliveries()
        assert outbox.deliver(row.id, now=row.next_try_at + timedelta(seconds=1)) is not None
    [row] = _deliveries()
    assert row.status == MessageStatus.SENT and row.attempts == 4
    assert [a.outcome for a in row.attempt_history] == ["retrying", "retrying", "retrying", "sent"]
    assert row.attempt_history[0].detail == "HTTP 500: database down"
    assert webhook_receiver.tries == 4 and len(webhook_receiver.accepted) == 1
    assert outbox.deliver(row.id, now=utcnow() + timedelta(hours=1)) is None  # sent: never again


def test_only_active_hooks_for_the_event_type_get_it(app, admin, department, staff, campaign, webhook_receiver):
    webhook_receiver.secret = SECRET
    _hook(admin, webhook_receiver.url, types=(EventType.EVENT_PUBLISHED, EventType.EVENT_CANCELLED))
    _hook(admin, webhook_receiver.url + "/off", types=(EventType.EVENT_PUBLISHED,), is_active=False)
    factories.make_consultation(department, staff)  # consultation.opened: nobody asked for it
    assert _deliveries() == []
    event = make_event(campaign, department, status=EventStatus.DRAFT)
    organiser_services.publish_event(event, actor=admin, now=utcnow())
    db.session.commit()
    [row] = _deliveries()
    assert row.subject == "event.published"


def test_hooks_are_for_administrators_and_checked(app, admin, staff):
    with pytest.raises(NotAllowed):
        services.save_hook(None, HookFields(name="x", url="https://example.cn/h", event_types=["event.published"]),
                           actor=staff, now=utcnow())
    with pytest.raises(ValidationFailed) as refused:
        services.save_hook(None, HookFields(name="", url="ftp://example.cn", event_types=["nope"], secret="short"),
                           actor=admin, now=utcnow())
    assert set(refused.value.errors) == {"name", "url", "event_types", "secret"}
    made = services.save_hook(None, HookFields(name="x", url="https://example.cn/h",
                                               event_types=["event.published"]), actor=admin, now=utcnow())
    assert len(made.secret) >= 32  # made for them, long enough not to be guessed


def test_a_period_ending_by_the_clock_is_delivered_as_closed(app, admin, department, staff, webhook_receiver, now):
    webhook_receiver.secret = SECRET
    _hook(admin, webhook_receiver.url, types=(EventType.CONSULTATION_CLOSED,))
    consultation = factories.make_consultation(department, staff, closes_at=now + timedelta(days=31))
    assert timed.notice_timed_events(now) == 0  # it opened when published (an event no hook wants)
    closed_at = consultation.closes_at + timedelta(minutes=1)
    assert timed.notice_timed_events(closed_at) == 1
    db.session.commit()
    [row] = _deliveries()
    assert outbox.deliver(row.id, now=closed_at) == MessageStatus.SENT  # the clock of the test, a month on
    [received] = webhook_receiver.accepted.values()
    assert received["body"]["type"] == "consultation.closed"


def test_a_published_event_changed_or_cancelled_is_delivered_with_what_changed(app, admin, campaign, department,
                                                                               webhook_receiver):
    webhook_receiver.secret = SECRET
    _hook(admin, webhook_receiver.url, types=(EventType.EVENT_CHANGED, EventType.EVENT_CANCELLED))
    event = make_event(campaign, department)
    organiser_services.update_accessibility(event, {"step_free_access": True}, actor=admin, now=utcnow())
    organiser_services.update_accessibility(event, {"step_free_access": True}, actor=admin, now=utcnow())  # same
    organiser_services.cancel_event(event, "场馆临时检修", actor=admin, now=utcnow())
    db.session.commit()
    run_queued_jobs()
    bodies = sorted((r["body"]["type"], r["body"]["data"].get("details")) for r in webhook_receiver.accepted.values())
    assert bodies == [("event.cancelled", {"reason": "场馆临时检修"}),
                      ("event.changed", {"fields": ["step_free_access"]})]
