"""Following: double opt-in by e-mail, an SMS code, messages at once or in a daily digest (China time)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from engage import domain_events
from engage.core.errors import RuleViolation, ValidationFailed
from engage.domain_events import timed
from engage.domain_events.models import DomainEvent, EventType
from engage.extensions import db
from engage.notifications.models import MessageStatus, OutboxMessage
from engage.subscriptions import digests, services
from engage.subscriptions.models import Digest, Frequency, Subscription, SubscriptionStatus
from tests import factories
from tests.fixtures.events import make_event
from tests.fixtures.proposals import reply_to

EMAIL = "li.ming@example.cn"
PHONE = "13912345678"


def _messages(template: str, recipient: str | None = None) -> list[OutboxMessage]:
    statement = sa.select(OutboxMessage).where(OutboxMessage.template == template).order_by(OutboxMessage.id)
    if recipient:
        statement = statement.where(OutboxMessage.recipient == recipient)
    return db.session.scalars(statement).all()


def _confirm_token(message: OutboxMessage) -> str:
    return re.search(r"/follow/confirm/(\S+)", message.body_text).group(1)


def _follow_by_email(kind: str, target_id: int, *, frequency="immediate", now: datetime,
                     contact=EMAIL) -> Subscription:
    services.request_follow(kind, target_id, contact, frequency, language="zh", now=now)
    db.session.commit()
    token = _confirm_token(_messages("follow_confirm", contact)[-1])
    subscription = services.confirm_link(token, now=now + timedelta(minutes=5))
    db.session.commit()
    return subscription


@pytest.fixture
def draft(app, department, staff, now):
    """A consultation published to open in three days (scheduled, not yet open)."""
    return factories.make_consultation(department, staff, opens_at=now + timedelta(days=3),
                                       closes_at=now + timedelta(days=40))


def test_an_email_follow_waits_for_its_link_and_nothing_else_is_sent_before(draft, now):
    services.request_follow("consultation", draft.id, "Li.Ming@Example.cn", "immediate", language="zh", now=now)
    db.session.commit()
    [confirmation] = _messages("follow_confirm")
    assert confirmation.recipient == EMAIL and confirmation.transactional
    subscription = db.session.scalar(sa.select(Subscription))
    assert subscription.status == SubscriptionStatus.PENDING
    token = _confirm_token(confirmation)
    with pytest.raises(RuleViolation):
        services.confirm_link(token.split(".")[0] + ".wrong", now=now)
    services.confirm_link(token, now=now + timedelta(hours=1))
    assert subscription.status == SubscriptionStatus.ACTIVE and subscription.secret_hash == ""
    # the link opened a second time says it is done, and changes nothing
    assert services.confirm_link(token, now=now + timedelta(hours=2)).confirmed_at == now + timedelta(hours=1)


def test_an_email_link_expires(draft, now, app):
    services.request_follow("consultation", draft.id, EMAIL, "immediate", language="zh", now=now)
    token = _confirm_token(_messages("follow_confirm")[0])
    later = now + timedelta(hours=app.config["SUBSCRIPTION_CONFIRM_HOURS"], seconds=1)
    with pytest.raises(RuleViolation):
        services.confirm_link(token, now=later)


def test_an_sms_follow_is_confirmed_by_the_code_and_wrong_codes_run_out(draft, now, app):
    services.request_follow("consultation", draft.id, "+86 139 1234 5678", "daily", language="en", now=now)
    [sms] = _messages("follow_code")
    assert sms.recipient == PHONE and "Your code" in sms.body_text
    code = sms.params["code"]
    subscription = db.session.scalar(sa.select(Subscription))
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ValidationFailed):
        services.confirm_code(subscription, wrong, now=now)
    services.confirm_code(subscription, code, now=now)
    assert subscription.status == SubscriptionStatus.ACTIVE and subscription.frequency == Frequency.DAILY

    services.request_follow("consultation", draft.id, "13800001111", "daily", language="zh", now=now)
    other = db.session.scalars(sa.select(Subscription).order_by(Subscription.id.desc())).first()
    for _try in range(app.config["SUBSCRIPTION_CODE_ATTEMPTS"] - 1):
        with pytest.raises(ValidationFailed):
            services.confirm_code(other, wrong, now=now)
    with pytest.raises(RuleViolation):
        services.confirm_code(other, wrong, now=now)
    right = _messages("follow_code", "13800001111")[0].params["code"]
    with pytest.raises(RuleViolation):  # too many wrong codes: the right one comes too late
        services.confirm_code(other, right, now=now)


def test_asking_again_answers_the_same_and_only_the_newest_request_confirms(draft, now):
    first = _follow_by_email("consultation", draft.id, now=now)
    again = services.request_follow("consultation", draft.id, EMAIL, "daily", language="zh", now=now)
    unknown = services.request_follow("consultation", draft.id, "new@example.cn", "daily", language="zh", now=now)
    assert again.channel == unknown.channel  # the page cannot tell a known contact from a new one
    assert len(_messages("follow_confirm", EMAIL)) == 2
    services.confirm_link(_confirm_token(_messages("follow_confirm", EMAIL)[-1]), now=now)
    [live] = services.subscriptions_of("email", EMAIL)
    assert live.frequency == Frequency.DAILY and live.id != first.id  # the frequency chosen last holds


def test_nothing_unpublished_can_be_followed(app, department, staff, now):
    hidden = factories.make_consultation(department, staff, publish=False)
    with pytest.raises(ValidationFailed):
        services.request_follow("consultation", hidden.id, EMAIL, "immediate", language="zh", now=now)
    with pytest.raises(ValidationFailed):
        services.request_follow("nonsense", 1, EMAIL, "immediate", language="zh", now=now)
    with pytest.raises(ValidationFailed):
        services.request_follow("consultation", hidden.id, "010-12345678", "immediate", language="zh", now=now)


def test_an_opening_by_the_clock_tells_immediate_followers_once(draft, now, department):
    _follow_by_email("consultation", draft.id, now=now)
    _follow_by_email("department", department.id, now=now)  # the same person, two ways
    _follow_by_email("department", department.id, now=now, contact="wang@example.cn")
    assert timed.notice_timed_events(now + timedelta(days=2)) == 0  # not yet open
    opened_at = now + timedelta(days=3, minutes=1)
    assert timed.notice_timed_events(opened_at) == 1
    assert timed.notice_timed_events(opened_at + timedelta(minutes=1)) == 0  # once, however often it runs
    db.session.commit()
    updates = _messages("follow_update")
    assert sorted(m.recipient for m in updates) == [EMAIL, "wang@example.cn"]
    assert all(not m.transactional and m.status == MessageStatus.QUEUED for m in updates)
    mine = next(m for m in updates if m.recipient == EMAIL)
    assert draft.title in mine.subject and "/follow/mine/" in mine.body_text and "/unsubscribe/" in mine.body_text


def _event_at(name: EventType, subject, when: datetime):
    return domain_events.emit(name, subject, now=when)


def _china(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


@pytest.mark.parametrize("day", [
    (2026, 10, 1),   # National Day: a holiday, the digest still goes out (it is not a working-day matter)
    (2026, 10, 10),  # a Saturday that is a make-up working day (调休)
    (2026, 12, 31),  # the year's last day: the window crosses into the new year
])
def test_a_daily_digest_covers_the_window_across_midnight_once(draft, app, now, day):
    app.config["SUBSCRIPTION_DIGEST_TIME"] = "08:00"
    _follow_by_email("consultation", draft.id, frequency="daily", now=now)
    digest_day = datetime(*day, tzinfo=UTC).date()
    previous_evening = _china(*day, 8) - timedelta(hours=9)   # 23:00 the day before, China time
    after_midnight = _china(*day, 0, 30)
    just_after = _china(*day, 8, 1)
    _event_at(EventType.FEEDBACK_PUBLISHED, draft, previous_evening)
    _event_at(EventType.DECISION_PUBLISHED, draft, after_midnight)
    _event_at(EventType.DECISION_PUBLISHED, draft, just_after)  # belongs to the next day's digest
    db.session.commit()
    assert digests.send_due_digests(_china(*day, 7, 59)) == 0  # not yet its time
    assert digests.send_due_digests(_china(*day, 8, 10)) == 1
    assert digests.send_due_digests(_china(*day, 8, 20)) == 0  # run twice: still one
    db.session.commit()
    [message] = _messages("follow_digest")
    assert message.params["count"] == 2 and message.params["day"] == digest_day.isoformat()
    assert "反馈" in message.body_text and "决策" in message.body_text
    assert not _messages("follow_update")  # a daily follower gets no message at once
    assert db.session.scalar(sa.select(Digest.item_count)) == 2
    following = (datetime(*day, tzinfo=UTC) + timedelta(days=1)).timetuple()[:3]
    assert digests.send_due_digests(_china(*following, 8, 0)) == 1
    assert _messages("follow_digest")[-1].params["count"] == 1


def test_switching_from_immediate_to_daily(draft, now, app):
    app.config["SUBSCRIPTION_DIGEST_TIME"] = "08:00"
    subscription = _follow_by_email("consultation", draft.id, now=now)
    _event_at(EventType.FEEDBACK_PUBLISHED, draft, _china(2026, 5, 13, 10))
    assert len(_messages("follow_update")) == 1
    services.change_frequency(subscription.channel, EMAIL, subscription.id, "daily", now=now)
    _event_at(EventType.DECISION_PUBLISHED, draft, _china(2026, 5, 13, 11))
    assert len(_messages("follow_update")) == 1  # not at once any more
    assert digests.send_due_digests(_china(2026, 5, 14, 8, 5)) == 1
    [digest] = _messages("follow_digest")
    assert digest.params["count"] == 1 and digest.params["items"][0]["event"] == "consultation.decision_published"


def test_ending_stops_messages_and_other_events_are_not_told(draft, now):
    subscription = _follow_by_email("consultation", draft.id, now=now)
    _event_at(EventType.CONSULTATION_CLOSED, draft, now)  # for webhooks only
    assert not _messages("follow_update")
    services.end(subscription.channel, EMAIL, subscription.id, now=now)
    _event_at(EventType.FEEDBACK_PUBLISHED, draft, now)
    assert not _messages("follow_update")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DomainEvent)) == 2


def test_a_campaign_follower_hears_when_an_event_opens_for_sign_up(app, campaign, department, now):
    _follow_by_email("campaign", campaign.id, now=now)
    event = make_event(campaign, department, title="走进市政务服务中心", opens_at=now + timedelta(days=2))
    assert timed.notice_timed_events(now) == 0
    assert timed.notice_timed_events(now + timedelta(days=2, minutes=1)) == 1
    [update] = _messages("follow_update")
    assert update.params["event"] == "event.registration_opened" and event.title in update.subject


def test_a_case_follower_hears_of_the_reply(assigned_case, staff, now):
    _follow_by_email("proposal", assigned_case.id, now=now)
    reply_to(assigned_case, staff)
    [update] = _messages("follow_update")
    assert update.params["event"] == "proposal.replied" and assigned_case.title in update.subject
    assert update.params["url"].endswith(f"/proposals/{assigned_case.id}")
