"""Personal data that expires: erased once its purpose is over, counted per kind, public records left whole."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from engage.consultations.models import Comment
from engage.core.workdays import WorkCalendar
from engage.decisions import services as decisions
from engage.decisions.services import DecisionFields, FileStore
from engage.events.models import Registration
from engage.extensions import db
from engage.notifications import services as outbox
from engage.notifications.models import MessageStatus, OutboxMessage
from engage.privacy import services
from engage.privacy.models import ErasedKind, Erasure
from engage.subscriptions import services as subscriptions
from engage.subscriptions.models import Subscription, SubscriptionStatus
from tests import factories
from tests.fixtures.events import make_event, sign_up

#: the consultation's period, the decision's day, the event's day: all in 2025, erasure clocks run from there
OPENED, CLOSED = datetime(2025, 8, 1, tzinfo=UTC), datetime(2025, 9, 1, tzinfo=UTC)
DECIDED_ON = date(2025, 9, 30)
EVENT_STARTS = datetime(2025, 9, 20, 1, 0, tzinfo=UTC)


@pytest.fixture
def decided(app, department, staff, tmp_path):
    consultation = factories.make_consultation(department, staff, opens_at=OPENED,
                                               closes_at=datetime.now(UTC) + timedelta(days=1))
    with_contact = factories.make_comment(consultation, "建议增加投放点。", contact="13812345678", consent=True,
                                          display_name="老王")
    anonymous = factories.make_comment(consultation, "同意。")
    with_contact.source_key = "0f1e2d3c4b5a6978"  # a keyed hash of where it came from (suspected campaigns)
    consultation.closes_at = CLOSED
    decisions.link_decision(consultation, DecisionFields(title="管理办法", document_number="临府规〔2025〕5号",
                                                         published_on=DECIDED_ON, url="https://www.example.gov.cn/5"),
                            None, actor=staff, now=datetime(2025, 10, 1, tzinfo=UTC), working_days=3,
                            calendar=WorkCalendar(), store=FileStore(folder=str(tmp_path), max_bytes=1024))
    db.session.commit()
    return consultation, with_contact, anonymous


@pytest.fixture
def past_sign_up(app, campaign, department):
    event = make_event(campaign, department, starts_at=EVENT_STARTS, opens_at=EVENT_STARTS - timedelta(days=20),
                       closes_at=EVENT_STARTS - timedelta(days=1), requires_id_number=True)
    registration = sign_up(event, id_number="11010519491231002X", now=EVENT_STARTS - timedelta(days=5))
    db.session.commit()
    return event, registration


def _erase(now):
    counts = services.erase_expired(now)
    db.session.commit()
    db.session.expire_all()
    return counts


def test_a_commenters_contact_goes_180_days_after_the_decision_and_the_comment_stays(decided):
    consultation, with_contact, anonymous = decided
    day_before = datetime(2026, 3, 28, 15, 0, tzinfo=UTC)  # 29 March in China: 180 days after 30 September
    assert _erase(day_before - timedelta(days=1)) == {}
    assert _erase(day_before + timedelta(days=1)) == {ErasedKind.COMMENT_CONTACT: 1}
    comment = db.session.get(Comment, with_contact.id)
    assert comment.contact == "" and comment.source_key == ""
    assert comment.body == "建议增加投放点。" and comment.display_name == "老王"
    assert comment.receipt_number == with_contact.receipt_number
    assert consultation.comment_count == 2
    assert _erase(day_before + timedelta(days=2)) == {}  # nothing left to erase: nothing counted twice


def test_a_sign_up_loses_name_phone_and_id_number_90_days_after_the_event(past_sign_up, app):
    event, registration = past_sign_up
    ended = event.ends_at
    assert _erase(ended + timedelta(days=89)) == {}
    assert _erase(ended + timedelta(days=90, minutes=1)) == {ErasedKind.SIGN_UP: 1}
    kept = db.session.get(Registration, registration.id)
    assert (kept.name, kept.phone, kept.id_number, kept.active_phone) == ("", "", "", None)
    assert kept.status == registration.status and kept.party_size == 1 and kept.code == registration.code
    assert db.session.get(type(event), event.id).seats_taken == 1  # the event's counts stay


def test_the_periods_are_configurable(past_sign_up, app):
    event, _registration = past_sign_up
    app.config["RETENTION_SIGN_UP_DAYS"] = 10
    assert _erase(event.ends_at + timedelta(days=11)) == {ErasedKind.SIGN_UP: 1}


def test_an_ended_subscription_and_an_unconfirmed_request_lose_their_contact(app, open_consultation, now):
    subscriptions.request_follow("consultation", open_consultation.id, "a@example.cn", "daily", language="zh",
                                 now=now)
    subscriptions.request_follow("consultation", open_consultation.id, "13812345678", "daily", language="zh",
                                 now=now)
    active = db.session.scalars(sa.select(Subscription).order_by(Subscription.id)).first()
    active.status = SubscriptionStatus.ACTIVE
    db.session.commit()
    assert _erase(now) == {}
    subscriptions.end_all("email", "a@example.cn", now=now)
    later = now + timedelta(hours=1)  # the SMS code has expired by then
    assert _erase(later) == {ErasedKind.SUBSCRIPTION_CONTACT: 2}
    assert db.session.scalars(sa.select(Subscription.contact)).all() == ["", ""]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Subscription).where(
        Subscription.status == SubscriptionStatus.ENDED)) == 2


def _queued(**fields) -> OutboxMessage:
    return db.session.get(OutboxMessage, outbox.queue_message(**fields))


def test_old_message_texts_go_the_row_and_its_status_stay(app, test_message_templates, now):
    old = _queued(channel="sms", recipient="13812345678", template="test_notice",
                  params={"code": "AB12CD"}, now=now - timedelta(days=181))
    waiting = _queued(channel="sms", recipient="13812345679", template="test_notice",
                      params={"code": "EF34GH"}, now=now - timedelta(days=181))
    recent = _queued(channel="sms", recipient="13812345670", template="test_notice",
                     params={"code": "IJ56KL"}, now=now - timedelta(days=10))
    old.status = recent.status = MessageStatus.SENT
    old.attempts = 2
    db.session.commit()
    assert _erase(now) == {ErasedKind.MESSAGE_BODY: 1}
    erased = db.session.get(OutboxMessage, old.id)
    assert (erased.body_text, erased.params, erased.recipient) == ("", {}, "138****5678")
    assert erased.status == MessageStatus.SENT and erased.attempts == 2
    assert "EF34GH" in db.session.get(OutboxMessage, waiting.id).body_text  # not yet delivered: kept
    assert "IJ56KL" in db.session.get(OutboxMessage, recent.id).body_text


def test_each_run_is_logged_as_counts_and_the_page_shows_them(client, auth, admin, past_sign_up, decided):
    event, _registration = past_sign_up
    _erase(datetime(2026, 6, 1, tzinfo=UTC))
    rows = db.session.execute(sa.select(Erasure.kind, Erasure.count).order_by(Erasure.kind)).all()
    assert sorted((str(kind), count) for kind, count in rows) == [("comment_contact", 1), ("sign_up", 1)]
    auth.login(admin.email)
    page = client.get("/admin/erasures/", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "90" in html and "180" in html
    assert html.count("<td>1</td>") == 2
