"""The outbox against real servers: an SMTP server and an SMS platform stand-in, with the real job queue."""

import socket
from collections import Counter
from datetime import timedelta
from unittest.mock import patch

import pytest
import sqlalchemy as sa

from engage import jobs
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.notifications import delivery, services
from engage.notifications import jobs as outbox_jobs
from engage.notifications.models import Channel, DeliveryAttempt, MessageStatus, OutboxMessage, Suppression
from tests.fixtures.messaging import run_queued_jobs

pytestmark = pytest.mark.usefixtures("test_message_templates")


def _queue(channel="email", recipient="zhang@example.cn", **options):
    message_id = services.queue_message(channel=channel, recipient=recipient, template="test_notice",
                                     params={"code": "AB12CD"}, **options)
    db.session.commit()
    return db.session.get(OutboxMessage, message_id)


def _status(message_id) -> MessageStatus:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id).status


def test_an_email_is_sent_after_the_commit_with_its_message_id(messaging):
    smtp, _ = messaging
    message = _queue()
    assert jobs.huey.pending_count() == 1
    run_queued_jobs()
    [received] = smtp.to("zhang@example.cn")
    assert received["Subject"] == "Notice AB12CD"
    assert received["Message-ID"] == f"<{message.idempotency_key}@localhost>"
    assert "List-Unsubscribe" not in received  # a transactional message
    assert received.get_body(("plain",)).get_content().startswith("Code AB12CD.")
    assert "<strong>AB12CD</strong>" in received.get_body(("html",)).get_content()
    assert _status(message.id) == MessageStatus.SENT


def test_a_rollback_sends_nothing(messaging):
    smtp, _ = messaging
    services.queue_message(channel="email", recipient="zhang@example.cn", template="test_notice", params={})
    db.session.rollback()
    assert run_queued_jobs() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    assert smtp.messages == []


def test_an_sms_follows_the_platform_contract(messaging, app):
    _, gateway = messaging
    message = _queue(channel="sms", recipient="+86 138 1234 5678")
    run_queued_jobs()
    [sms] = gateway.received
    assert sms["id"] == message.idempotency_key
    assert sms["to"] == "13812345678"
    assert sms["text"].startswith(f"【{app.config['SMS_SIGNATURE']}】")
    assert sms["text"].endswith(app.config["PUBLIC_URL"] + "/events/lookup")
    assert sms["template"] == "test_notice" and sms["params"] == {"code": "AB12CD"}
    assert _status(message.id) == MessageStatus.SENT


def test_a_platform_outage_is_retried_until_it_is_back(messaging):
    _, gateway = messaging
    gateway.answers = [(503, {"error": "busy"})]
    message = _queue(channel="sms", recipient="13812345678")
    run_queued_jobs()  # the first try fails; the retry is scheduled, not due yet
    assert _status(message.id) == MessageStatus.RETRYING
    row = db.session.get(OutboxMessage, message.id)
    assert row.last_error == "HTTP 503: busy" and row.attempts == 1
    assert delivery.deliver(message.id, now=row.next_try_at + timedelta(seconds=1)) == MessageStatus.SENT
    assert len(gateway.to("13812345678")) == 1
    assert [a.outcome for a in row.attempt_history] == ["retrying", "sent"]


def test_a_number_the_platform_refuses_fails_with_its_reason(messaging):
    _, gateway = messaging
    gateway.answers = [(400, {"error": "号码不存在"})]
    message = _queue(channel="sms", recipient="13800000000")
    run_queued_jobs()
    row = db.session.get(OutboxMessage, message.id)
    assert row.status == MessageStatus.FAILED and row.last_error == "HTTP 400: 号码不存在"


def test_an_address_the_mail_server_refuses_fails_with_its_reason(messaging):
    smtp, _ = messaging
    smtp.refuse["nobody@example.cn"] = "550 5.1.1 No such mailbox"
    message = _queue(recipient="nobody@example.cn")
    run_queued_jobs()
    row = db.session.get(OutboxMessage, message.id)
    assert row.status == MessageStatus.FAILED
    assert row.last_error.startswith("SMTP 550") and "No such mailbox" in row.last_error


def test_a_mail_server_that_is_down_leaves_the_message_waiting(messaging, app):
    smtp, _ = messaging
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed_port = unused.getsockname()[1]
    real_port = app.extensions["mailman"].port
    app.extensions["mailman"].port = closed_port
    message = _queue()
    run_queued_jobs()
    row = db.session.get(OutboxMessage, message.id)
    assert row.status == MessageStatus.RETRYING and "Connection" in row.last_error
    app.extensions["mailman"].port = real_port
    assert delivery.deliver(message.id, now=row.next_try_at) == MessageStatus.SENT
    assert len(smtp.to("zhang@example.cn")) == 1


def test_after_the_last_try_the_message_fails(messaging, app):
    _, gateway = messaging
    gateway.answers = [(500, {"error": "down"})] * 5
    message = _queue(channel="sms", recipient="13812345678")
    now = utcnow()
    for _ in range(5):
        delivery.deliver(message.id, now=now)
        now += timedelta(hours=1)
    row = db.session.get(OutboxMessage, message.id)
    assert row.status == MessageStatus.FAILED and row.attempts == app.config["OUTBOX_MAX_ATTEMPTS"]
    assert gateway.received == []


def test_a_row_is_sent_once_however_often_its_job_runs(messaging):
    smtp, _ = messaging
    message = _queue()
    assert delivery.deliver(message.id) == MessageStatus.SENT
    assert delivery.deliver(message.id) is None
    run_queued_jobs()
    assert len(smtp.messages) == 1


def test_the_sweeper_takes_up_a_row_a_killed_consumer_left_in_sending(messaging, app):
    smtp, _ = messaging
    message = _queue()
    jobs.huey.flush()  # the run is gone with the consumer that held it
    assert delivery.claim(message.id, utcnow())
    long_ago = utcnow() - timedelta(seconds=app.config["OUTBOX_STALE_SECONDS"] + 1)
    db.session.execute(sa.update(OutboxMessage).values(claimed_at=long_ago))
    db.session.commit()
    outbox_jobs.sweep_outbox.call_local()
    assert run_queued_jobs() == 1
    row = db.session.get(OutboxMessage, message.id)
    assert row.status == MessageStatus.SENT and row.attempts == 2
    assert "stopped" in row.attempt_history[0].detail
    assert len(smtp.messages) == 1


def test_the_sweeper_leaves_a_fresh_claim_alone(messaging):
    message = _queue()
    assert delivery.claim(message.id, utcnow())
    assert delivery.sweep() == 0
    assert _status(message.id) == MessageStatus.SENDING


def test_the_sweeper_asks_for_a_run_for_a_row_whose_run_was_lost(messaging, app):
    smtp, _ = messaging
    message = _queue()
    jobs.huey.flush()  # as if the queue had been unreachable at the commit
    assert delivery.sweep() == 0  # not yet: its run may just be slow to start
    later = utcnow() + timedelta(seconds=app.config["OUTBOX_LOST_JOB_SECONDS"] + 1)
    assert delivery.sweep(now=later) == 1
    delivery.request_run()
    run_queued_jobs()
    assert len(smtp.messages) == 1
    assert _status(message.id) == MessageStatus.SENT


def test_an_unreachable_queue_at_commit_loses_nothing(messaging, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr(outbox_jobs, "deliver_due_messages", down)
    message = _queue()
    assert _status(message.id) == MessageStatus.QUEUED  # committed although the queue refused the run
    assert run_queued_jobs() == 0


def test_one_run_delivers_every_due_row_in_batches_and_retries_only_the_failures(messaging, app):
    smtp, gateway = messaging
    gateway.answers = [(200, {})] * 3 + [(503, {"error": "busy"})] + [(200, {})] * 200
    messages = [services.queue_message(channel="sms", recipient=f"1380000{n:04d}", template="test_notice",
                                       params={"code": str(n)}) for n in range(120)]
    db.session.commit()
    jobs.huey.flush()
    outbox_jobs.deliver_due_messages.call_local()
    statuses = Counter(_status(message_id) for message_id in messages)
    assert statuses == Counter({MessageStatus.SENT: 119, MessageStatus.RETRYING: 1})
    assert len(gateway.unique) == 119
    # a batch's messages share one connection (one more after the refusal closed it)
    assert gateway.connections <= 120 / delivery.DELIVERY_BATCH + 1
    [retry_run] = jobs.huey.pending()  # the retry's run, for when it falls due
    assert retry_run.eta > utcnow().replace(tzinfo=None)


def test_a_commit_in_the_window_of_an_earlier_request_is_covered_by_one_run_at_its_end():
    clock = iter([0.0, 0.1, 0.2, 0.6, 1.7]).__next__
    requests = delivery.RunRequests(clock=clock)
    asked = []
    with patch.object(delivery, "request_run", lambda delay=0.0, runs=1: asked.append(round(delay, 2))):
        assert [requests.request(1.0) for _ in range(5)] == [0.0, 0.9, None, None, 0.0]
    assert asked == [0.0, 0.9, 0.0]


def test_messages_over_the_hourly_limit_are_withheld_at_delivery_with_the_reason(messaging, app):
    app.config["OUTBOX_LIMITS"] = {**app.config["OUTBOX_LIMITS"], "sms": {"hour": 2, "day": 10}}
    first, second, third = (_queue(channel="sms", recipient="13812345678") for _ in range(3))
    other = _queue(channel="sms", recipient="13900001111")
    assert {_status(m.id) for m in (first, second, third, other)} == {MessageStatus.QUEUED}
    run_queued_jobs()
    _, gateway = messaging
    assert {s["to"] for s in gateway.unique} == {"13812345678", "13900001111"}
    assert len(gateway.unique) == 3
    assert [_status(m.id) for m in (first, second, third, other)] == ["sent", "sent", "withheld", "sent"]
    third = db.session.get(OutboxMessage, third.id)
    assert third.last_error == "hour" and [a.outcome for a in third.attempt_history] == ["withheld"]


def test_the_daily_limit_counts_what_was_sent_not_what_was_withheld(messaging, app):
    app.config["OUTBOX_LIMITS"] = {**app.config["OUTBOX_LIMITS"], "sms": {"hour": 10, "day": 3}}
    now = utcnow()
    earlier = [_queue(channel="sms", recipient="13812345678", now=now - timedelta(hours=5)) for _ in range(2)]
    run_queued_jobs()
    assert [_status(m.id) for m in earlier] == ["sent", "sent"]
    # sent two hours before: within the day, outside the hour
    db.session.execute(sa.update(OutboxMessage).values(claimed_at=now - timedelta(hours=2)))
    db.session.commit()
    later = [_queue(channel="sms", recipient="13812345678") for _ in range(3)]
    run_queued_jobs()
    assert [_status(m.id) for m in later] == ["sent", "withheld", "withheld"]
    assert {db.session.get(OutboxMessage, m.id).last_error for m in later[1:]} == {"day"}


def test_staff_sending_a_withheld_message_again_waives_the_limit(messaging, app, admin):
    app.config["OUTBOX_LIMITS"] = {**app.config["OUTBOX_LIMITS"], "sms": {"hour": 1, "day": 10}}
    first, second = (_queue(channel="sms", recipient="13812345678") for _ in range(2))
    run_queued_jobs()
    assert _status(second.id) == MessageStatus.WITHHELD
    services.retry(db.session.get(OutboxMessage, second.id), actor=admin, now=utcnow())
    db.session.commit()
    run_queued_jobs()
    assert _status(second.id) == MessageStatus.SENT
    _, gateway = messaging
    assert len(gateway.unique) == 2


def test_a_non_transactional_message_carries_one_click_unsubscribe(messaging, client):
    smtp, _ = messaging
    _queue(transactional=False)
    run_queued_jobs()
    [received] = smtp.messages
    link = received["List-Unsubscribe"].strip().strip("<>")
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in received.get_body(("plain",)).get_content()
    path = link.split("127.0.0.1:5000", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "z***@example.cn" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Suppression)) == 0
    # what a mail program's one-click button sends (RFC 8058)
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert client.post(path).status_code == 200  # twice is the same as once
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Suppression)) == 1
    later = _queue(transactional=False)
    receipt = _queue(transactional=True)
    run_queued_jobs()
    assert _status(later.id) == MessageStatus.WITHHELD
    assert db.session.get(OutboxMessage, later.id).last_error == "unsubscribed"
    assert _status(receipt.id) == MessageStatus.SENT  # a receipt still goes
    assert len(smtp.messages) == 2


def test_a_message_queued_before_its_contact_unsubscribed_is_not_sent(messaging):
    smtp, _ = messaging
    notice = _queue(transactional=False)
    services.suppress(Channel.EMAIL, "zhang@example.cn", now=utcnow())
    db.session.commit()
    run_queued_jobs()
    assert _status(notice.id) == MessageStatus.WITHHELD and smtp.messages == []


def test_an_unsubscribe_link_not_made_by_us_is_not_found(client):
    assert client.get("/unsubscribe/not-a-token").status_code == 404
    assert client.post("/unsubscribe/WyJlbWFpbCIsImFAYi5jIl0.forged").status_code == 404


def test_staff_retry_a_failed_message_and_withhold_a_waiting_one(messaging, admin):
    _, gateway = messaging
    gateway.answers = [(400, {"error": "黑名单号码"})]
    failed = _queue(channel="sms", recipient="13812345678")
    run_queued_jobs()
    assert _status(failed.id) == MessageStatus.FAILED
    services.retry(db.session.get(OutboxMessage, failed.id), actor=admin, now=utcnow())
    db.session.commit()
    run_queued_jobs()
    assert _status(failed.id) == MessageStatus.SENT
    waiting = _queue(channel="sms", recipient="13900001111")
    services.withhold(db.session.get(OutboxMessage, waiting.id), actor=admin, now=utcnow())
    db.session.commit()
    run_queued_jobs()
    assert _status(waiting.id) == MessageStatus.WITHHELD
    assert gateway.to("13900001111") == []
    actors = db.session.scalars(sa.select(DeliveryAttempt.actor_id).where(DeliveryAttempt.actor_id.is_not(None)))
    assert set(actors) == {admin.id}


def test_a_write_by_another_consumer_during_the_send_does_not_lock_the_outcome_out(messaging, monkeypatch):
    # On SQLite a read transaction made stale by another connection's commit cannot become a write: the outcome
    # of a send that took a while, while other consumers committed, used to fail with "database is locked".
    from engage.notifications.channels import sms

    first, other = _queue(channel="sms", recipient="13812345678"), _queue(channel="sms", recipient="13900001111")
    real_send = sms.GatewaySms.send

    def send_while_another_consumer_commits(self, message, unsubscribe_url=""):
        with db.engine.connect() as elsewhere:
            elsewhere.execute(sa.update(OutboxMessage).where(OutboxMessage.id == other.id)
                              .values(claimed_at=utcnow()))
            elsewhere.commit()
        real_send(self, message, unsubscribe_url)

    monkeypatch.setattr(sms.GatewaySms, "send", send_while_another_consumer_commits)
    assert delivery.deliver(first.id) == MessageStatus.SENT
    assert _status(first.id) == MessageStatus.SENT
