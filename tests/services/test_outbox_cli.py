"""Operator commands: flask outbox sweep and flask outbox status."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage import jobs
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.notifications import delivery, services
from engage.notifications.models import MessageStatus, OutboxMessage
from tests.fixtures.messaging import run_queued_jobs

pytestmark = pytest.mark.usefixtures("test_message_templates")


@pytest.fixture
def cli(app):
    """Run a command as an operator would: in a thread of its own, outside the test's session."""
    runner = app.test_cli_runner()

    def invoke(*args):
        db.session.commit()
        with ThreadPoolExecutor(max_workers=1) as pool:
            result = pool.submit(runner.invoke, args=list(args)).result()
        db.session.rollback()
        return result

    return invoke


def _queue(channel="sms", recipient="13812345678"):
    message_id = services.queue_message(channel=channel, recipient=recipient, template="test_notice",
                                     params={"code": "AB12CD"})
    db.session.commit()
    return db.session.get(OutboxMessage, message_id)


def test_sweep_takes_up_a_row_a_killed_consumer_left_in_sending(cli, messaging, app):
    _smtp, gateway = messaging
    message = _queue()
    jobs.huey.flush()  # the job went with the consumer
    assert delivery.claim(message.id, utcnow())
    long_ago = utcnow() - timedelta(seconds=app.config["OUTBOX_STALE_SECONDS"] + 1)
    db.session.execute(sa.update(OutboxMessage).values(claimed_at=long_ago))
    db.session.commit()
    result = cli("outbox", "sweep")
    assert result.exit_code == 0 and result.output == "waiting: 1\n"
    run_queued_jobs()
    assert db.session.get(OutboxMessage, message.id).status == MessageStatus.SENT
    assert len(gateway.to("13812345678")) == 1


def test_sweep_with_nothing_abandoned_enqueues_nothing(cli, messaging):
    _queue()
    assert cli("outbox", "sweep").output == "waiting: 0\n"


def test_status_counts_and_lists_failures_with_contacts_masked(cli, messaging):
    _smtp, gateway = messaging
    gateway.answers = [(400, {"error": "号码不存在"})]
    _queue(recipient="13800000000")
    run_queued_jobs()
    _queue(channel="email", recipient="zhang.san@example.cn")
    output = cli("outbox", "status").output
    lines = output.splitlines()
    assert "queued: 1" in lines and "failed: 1" in lines and "sent: 0" in lines
    assert any(line.startswith("oldest waiting: ") for line in lines)
    assert "138****0000 test_notice: HTTP 400: 号码不存在" in output
    assert "13800000000" not in output
