"""The outbox against real servers: an SMTP server and an SMS platform stand-in, with the real job queue."""

import socket
from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage import jobs
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.notifications import services
from engage.notifications.models import DeliveryAttempt, MessageStatus, OutboxMessage, Suppression
from tests.fixtures.messaging import run_queued_jobs

pytestmark = pytest.mark.usefixtures("test_message_templates")


def _queue(channel="email", recipient="zhang@example.cn", **options):
    message = services.queue_message(channel=channel, recipient=recipient, template="test_notice",
                                     params={"code": "AB12CD"}, **options)
    db.session.commit()
    return message


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
    assert services.deliver(message.id, now=row.next_try_at + timedelta(seconds=1)) == MessageStatus.SENT
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
    assert services.deliver(message.id, now=row.next_try_at) == MessageStatus.SENT
    assert len(smtp.to("zhang@example.cn")) == 1


def test_after_the_last_try_the_message_fails(messaging, app):
    _, gateway = messaging
    gateway.answers = [(500, {"error": "down"})] * 5
    message = _queue(channel="sms", recipient="13812345678")
    now = utcnow()
    for _ in range(5):
        services.deliver(message.id, now=now)
        now += timedelta(hours=1)
    row = db.session.get(OutboxMessage, message.id)
    assert row.status == MessageStatus.FAILED and row.attempts == app.config["OUTBOX_MAX_ATTEMPTS"]
    assert gateway.received == []


def test_a_row_is_sent_once_however_often_its_job_runs(messaging):
    smtp, _ = messaging
    message = _queue()
    assert services.deliver(message.id) == MessageStatus.SENT
    assert services.deliver(message.id) is None
    run_queued_jobs()
    assert len(smtp.messages) == 1


def test_the_sweeper_takes_up_a_row_a_killed_consumer_left_in_sending(messaging, app):
    smtp, _ = messaging
    message = _queue()
    jobs.huey.flush()  # the job is gone with the consumer that held it
    assert services.claim(message.id, utcnow())
    long_ago = utcnow() - timedelta(seconds=app.config["OUTBOX_STALE_SECONDS"] + 1)
    db.session.execute(sa.update(OutboxMessage).values(claimed_at=long_ago))
    db.session.commit()
    assert services.enqueue(services.sweep()) is None
    run_queued_jobs()
    row = db.session.get(OutboxMessage, message.id)
    assert row.status == MessageStatus.SENT and row.attempts == 2
    assert "stopped" in row.attempt_history[0].detail
    assert len(smtp.messages) == 1


def test_the_sweeper_leaves_a_fresh_claim_alone(messaging):
    message = _queue()
    assert services.claim(message.id, utcnow())
    assert services.sweep() == []
    assert _status(message.id) == MessageStatus.SENDING


def test_the_sweeper_enqueues_a_row_whose_job_was_lost(messaging, app):
    smtp, _ = messaging
    message = _queue()
    jobs.huey.flush()  # as if the queue had been unreachable at the commit
    assert services.sweep() == []  # not yet: its job may just be slow to start
    later = utcnow() + timedelta(seconds=app.config["OUTBOX_LOST_JOB_SECONDS"] + 1)
    assert services.sweep(now=later) == [message.id]
    services.enqueue([message.id])
    run_queued_jobs()
    assert len(smtp.messages) == 1


def test_an_unreachable_queue_at_commit_loses_nothing(messaging, monkeypatch):
    from engage.notifications import jobs as outbox_jobs

    def down(*args, **kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr(outbox_jobs.deliver_message, "__call__", down, raising=False)
    monkeypatch.setattr(outbox_jobs, "deliver_message", down)
    message = _queue()
    assert _status(message.id) == MessageStatus.QUEUED  # committed although the queue refused the job


def test_messages_over_the_hourly_limit_are_withheld_with_the_reason(messaging, app):
    app.config["OUTBOX_LIMITS"] = {**app.config["OUTBOX_LIMITS"], "sms": {"hour": 2, "day": 10}}
    first, second, third = (_queue(channel="sms", recipient="13812345678") for _ in range(3))
    assert third.status == MessageStatus.WITHHELD and third.last_error == "hour"
    assert [a.outcome for a in third.attempt_history] == ["withheld"]
    other = _queue(channel="sms", recipient="13900001111")
    assert other.status == MessageStatus.QUEUED
    run_queued_jobs()
    _, gateway = messaging
    assert {s["to"] for s in gateway.unique} == {"13812345678", "13900001111"}
    assert len(gateway.unique) == 3


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
    assert later.status == MessageStatus.WITHHELD and later.last_error == "unsubscribed"
    assert _queue(transactional=True).status == MessageStatus.QUEUED  # a receipt still goes


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
    assert services.deliver(first.id) == MessageStatus.SENT
    assert _status(first.id) == MessageStatus.SENT
