"""The consumer's side of the outbox: claim due rows in batches, check limits, send, record how each went.

A delivery run (``jobs.deliver_due_messages``) takes up to ``DELIVERY_BATCH`` due rows in one statement (a
compare-and-set on their status; on PostgreSQL the rows another run holds are skipped), so two consumers never
send one row. It then reads the per-recipient limits and unsubscriptions for the whole batch in a few grouped
queries, sends each row, and writes every outcome in one transaction. The job carries no ids: the rows are the
queue. That keeps a consumer's cost per message a fraction of a web request's, which matters when consumers share
machines with the web workers during a sign-up rush.

Web processes ask for a run after a commit that queued rows (``request_run``), at most once per
``OUTBOX_DELIVERY_REQUEST_SECONDS``; a commit inside that window is covered by one run asked for at the window's
end. A row is still never lost if that request fails: the sweeper finds due rows every minute.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from engage.core.engine import write_transactions
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.notifications import rules
from engage.notifications.channels import DeliveryFailure, TemporaryFailure, channel_for
from engage.notifications.models import Channel, DeliveryAttempt, MessageStatus, OutboxMessage, Suppression

log = logging.getLogger(__name__)

#: rows one claim takes: large enough that a claim and an outcome write serve many messages, small enough that a
#: consumer killed mid-batch leaves few rows for the sweeper (the provider drops their repeats by key)
DELIVERY_BATCH = 20
#: delivery runs a large batch of rows (``bulk``) is handed to, so that several consumer workers share it
PARALLEL_RUNS = 4


# ---- asking for a run --------------------------------------------------------------------------------------


class RunRequests:
    """Asks the queue for a delivery run at most once per ``window`` seconds in this process.

    The first request of a window enqueues a run at once; later ones in that window leave one run scheduled for
    the window's end, which starts after their commits and so sees their rows.
    """

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.last_at = -math.inf
        self.trailing_at = -math.inf
        self.lock = threading.Lock()

    def request(self, window: float) -> float | None:
        """Ask for a run; returns its delay (0 for at once), or None when a run already covers this moment."""
        now = self.clock()
        with self.lock:
            if now - self.last_at >= window:
                self.last_at, delay = now, 0.0
            elif self.trailing_at <= self.last_at:
                self.trailing_at = self.last_at + window
                delay = self.trailing_at - now
            else:
                return None
        request_run(delay)
        return delay


requests = RunRequests()


def request_run(delay: float = 0.0, runs: int = 1) -> bool:
    """Enqueue ``runs`` delivery runs; False when the queue is unreachable (the sweeper then finds the rows)."""
    from engage.notifications import jobs

    try:
        for _ in range(runs):
            if delay > 0:
                jobs.deliver_due_messages.schedule(delay=delay)
            else:
                jobs.deliver_due_messages()
    except Exception:  # the queue's storage is down: the rows wait for the sweeper
        log.warning("could not ask the queue for a delivery run; the sweeper will", exc_info=True)
        return False
    return True


def after_queueing(count: int) -> None:
    """A transaction that queued ``count`` rows has committed: have them delivered."""
    if count > DELIVERY_BATCH:
        request_run(runs=min(PARALLEL_RUNS, math.ceil(count / DELIVERY_BATCH)))
    else:
        requests.request(current_app.config["OUTBOX_DELIVERY_REQUEST_SECONDS"])


# ---- claiming ----------------------------------------------------------------------------------------------


def _due(now: datetime):
    return sa.and_(OutboxMessage.status.in_(rules.CLAIMABLE),
                   sa.or_(OutboxMessage.next_try_at.is_(None), OutboxMessage.next_try_at <= now))


def _take(where, now: datetime) -> list[int]:
    with write_transactions():  # SQLite: take the write lock before reading which rows are due
        taken = list(db.session.scalars(
            sa.update(OutboxMessage).where(where)
            .values(status=MessageStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        ))
        db.session.commit()
    return taken


def claim(message_id: int, now: datetime) -> bool:
    """Take one due row for sending, so that no other consumer sends it."""
    return _take(sa.and_(OutboxMessage.id == message_id, _due(now)), now) == [message_id]


def claim_due(now: datetime, limit: int = DELIVERY_BATCH) -> list[int]:
    """Take up to ``limit`` due rows, oldest due first; on PostgreSQL rows another consumer is taking are skipped."""
    due = (sa.select(OutboxMessage.id).where(_due(now))
           .order_by(OutboxMessage.next_try_at, OutboxMessage.id).limit(limit))
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    return _take(OutboxMessage.id.in_(due.scalar_subquery()), now)


# ---- delivering --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    message_id: int
    status: MessageStatus
    detail: str = ""
    next_try_at: datetime | None = None


def deliver(message_id: int, now: datetime | None = None) -> MessageStatus | None:
    """Send one row if it is due and nobody else has it; returns its new status, or None if not taken."""
    now = now or utcnow()
    if not claim(message_id, now):
        return None
    [outcome] = deliver_claimed([message_id], now)
    return outcome.status


def deliver_due(now: datetime | None = None, limit: int = DELIVERY_BATCH) -> list[Outcome]:
    """Claim a batch of due rows and deliver it; an empty list when nothing was due."""
    now = now or utcnow()
    ids = claim_due(now, limit)
    return deliver_claimed(ids, now) if ids else []


def deliver_claimed(ids: list[int], now: datetime) -> list[Outcome]:
    """Send rows this consumer has claimed, then record every outcome in one transaction."""
    config = current_app.config
    messages = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id.in_(ids))
                                  .order_by(OutboxMessage.id).execution_options(populate_existing=True)).all()
    reasons = withholding_reasons(messages, now)
    senders: dict[Channel, object] = {}
    try:
        outcomes = _send_each(messages, reasons, senders, config)
    finally:
        for sender in senders.values():
            if hasattr(sender, "close"):  # a kept-alive connection to the provider
                sender.close()
    # The sends ran in a read transaction that other consumers' commits have made stale by now: SQLite refuses to
    # turn such a read into a write ("database is locked", at once). The outcomes are written in a new transaction
    # that takes the write lock first; the read wrote nothing, so ending it loses nothing.
    db.session.rollback()
    record(outcomes, utcnow())
    return outcomes


def _send_each(messages: list[OutboxMessage], reasons: dict[int, str], senders: dict, config) -> list[Outcome]:
    from engage.notifications.services import unsubscribe_url

    outcomes = []
    for message in messages:
        if message.id in reasons:
            outcomes.append(Outcome(message.id, MessageStatus.WITHHELD, reasons[message.id]))
            continue
        try:
            if message.channel not in senders:
                senders[message.channel] = channel_for(message.channel, config)
            receipt = senders[message.channel].send(
                message, unsubscribe_url="" if message.transactional else unsubscribe_url(message.channel,
                                                                                          message.recipient))
        except DeliveryFailure as refused:
            outcomes.append(_failed(message, refused, utcnow(), config["OUTBOX_MAX_ATTEMPTS"]))
        except Exception as error:  # a fault of ours or of a library: retried like an outage, and logged
            log.exception("delivering outbox message %s", message.id)
            outcomes.append(_failed(message, TemporaryFailure(f"{type(error).__name__}: {error}"), utcnow(),
                                    config["OUTBOX_MAX_ATTEMPTS"]))
        else:
            # a sender may return a short receipt (a webhook receiver's answer), kept in the row's history
            outcomes.append(Outcome(message.id, MessageStatus.SENT, (receipt or "")[:2000]))
    return outcomes


def _failed(message: OutboxMessage, failure: DeliveryFailure, now: datetime, max_attempts: int) -> Outcome:
    status = MessageStatus(rules.status_after_failure(message.attempts, max_attempts, failure.permanent))
    next_try = now + rules.retry_delay(message.attempts) if status == MessageStatus.RETRYING else None
    return Outcome(message.id, status, str(failure)[:2000], next_try)


def record(outcomes: list[Outcome], now: datetime) -> None:
    """Write what became of each row, and its history entry, in one transaction."""
    if not outcomes:
        return
    with write_transactions():
        db.session.execute(sa.update(OutboxMessage), [
            {"id": o.message_id, "status": o.status, "next_try_at": o.next_try_at,
             "sent_at": now if o.status == MessageStatus.SENT else None,
             "last_error": "" if o.status == MessageStatus.SENT else o.detail}
            for o in outcomes
        ])
        db.session.execute(sa.insert(DeliveryAttempt), [
            {"message_id": o.message_id, "at": now, "outcome": o.status, "detail": o.detail, "actor_id": None}
            for o in outcomes
        ])
        db.session.commit()


def withholding_reasons(messages: list[OutboxMessage], now: datetime) -> dict[int, str]:
    """Why a claimed row must not go out now: its contact unsubscribed, or has had its hour's or day's share.

    The limits count the rows to that contact already being sent or sent, by when they were claimed (the batch's
    own rows excluded: they are counted here in order), so they count what the platform really got. Rows staff
    sent again (``limits_waived``) are not held back, but they count.
    """
    if not messages:
        return {}
    limits = current_app.config["OUTBOX_LIMITS"]
    hour_ago, day_ago = now - timedelta(hours=1), now - timedelta(days=1)
    batch_ids = [m.id for m in messages]
    hour, day, suppressed = Counter(), Counter(), set()
    for channel in {m.channel for m in messages}:
        recipients = sorted({m.recipient for m in messages if m.channel == channel})
        counted = db.session.execute(
            sa.select(OutboxMessage.recipient, sa.func.count().filter(OutboxMessage.claimed_at >= hour_ago),
                      sa.func.count())
            .where(OutboxMessage.channel == channel, OutboxMessage.recipient.in_(recipients),
                   OutboxMessage.status.in_((MessageStatus.SENDING, MessageStatus.SENT)),
                   OutboxMessage.claimed_at >= day_ago, OutboxMessage.id.not_in(batch_ids))
            .group_by(OutboxMessage.recipient))
        for recipient, last_hour, last_day in counted:
            hour[channel, recipient], day[channel, recipient] = last_hour, last_day
        optional = sorted({m.recipient for m in messages if m.channel == channel and not m.transactional})
        if optional:
            suppressed.update((channel, recipient) for recipient in db.session.scalars(
                sa.select(Suppression.recipient).where(Suppression.channel == channel,
                                                       Suppression.recipient.in_(optional))))
    reasons = {}
    for message in messages:
        contact = (message.channel, message.recipient)
        if message.limits_waived:
            reason = None
        elif not message.transactional and contact in suppressed:
            reason = "unsubscribed"
        else:
            reason = rules.over_limit(hour[contact], day[contact], limits[message.channel.value])
        if reason:
            reasons[message.id] = reason
        else:
            hour[contact] += 1
            day[contact] += 1
    return reasons


# ---- the sweeper -------------------------------------------------------------------------------------------


def sweep(now: datetime | None = None, batch: int = 1000) -> int:
    """Take up rows a killed consumer left in 'sending'; returns how many rows are due and waiting for a run.

    A due row is left waiting when its run was never asked for (the queue was unreachable at the commit) or
    was lost with a consumer's queue; the caller then asks for a run.
    """
    now = now or utcnow()
    config = current_app.config
    stale_before = now - timedelta(seconds=config["OUTBOX_STALE_SECONDS"])
    with write_transactions():  # on SQLite, reading the rows and changing them must not be split by another writer
        abandoned = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.status == MessageStatus.SENDING,
                                           OutboxMessage.claimed_at < stale_before)
            .order_by(OutboxMessage.id).limit(batch).with_for_update(skip_locked=True)
        ).all()
        failure = TemporaryFailure("the consumer sending it stopped before it finished")
        retried = 0
        for message in abandoned:
            outcome = _failed(message, failure, now, config["OUTBOX_MAX_ATTEMPTS"])
            message.status, message.last_error = outcome.status, outcome.detail
            message.next_try_at = now if outcome.status == MessageStatus.RETRYING else None
            message.attempt_history.append(DeliveryAttempt(at=now, outcome=outcome.status, detail=outcome.detail))
            retried += outcome.status == MessageStatus.RETRYING
        db.session.commit()
    lost_before = now - timedelta(seconds=config["OUTBOX_LOST_JOB_SECONDS"])
    waiting = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.status.in_(rules.CLAIMABLE), OutboxMessage.next_try_at <= lost_before))
    return waiting + retried
