"""The administrators' outbox page: filters, counts, one message's history, retry and withhold. Admins only."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.notifications import services
from engage.notifications.models import DeliveryAttempt, MessageStatus, OutboxMessage
from tests import factories
from tests.fixtures.messaging import run_queued_jobs

pytestmark = pytest.mark.usefixtures("test_message_templates")


def _queue(channel, recipient, **options):
    message_id = services.queue_message(channel=channel, recipient=recipient, template="test_notice",
                                     params={"code": "AB12CD"}, **options)
    db.session.commit()
    return db.session.get(OutboxMessage, message_id)


@pytest.fixture
def outbox(messaging, app):
    """One message in each of: sent (e-mail), failed (SMS refused), withheld (over an hourly limit of none),
    queued."""
    _smtp, gateway = messaging
    sent = _queue("email", "zhang.san@example.cn")
    gateway.answers = [(400, {"error": "号码不存在"})]
    failed = _queue("sms", "13800000000")
    run_queued_jobs()
    app.config["OUTBOX_LIMITS"] = {**app.config["OUTBOX_LIMITS"], "sms": {"hour": 0, "day": 10}}
    withheld = _queue("sms", "13800000000")
    run_queued_jobs()
    queued = _queue("sms", "13912345678")
    return {"sent": sent.id, "failed": failed.id, "withheld": withheld.id, "queued": queued.id}


@pytest.fixture
def as_admin(en_client, auth, admin):
    auth.login(admin.email)
    return en_client


def _status(message_id) -> MessageStatus:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id).status


PAGES = [("GET", "/admin/outbox/"), ("GET", "/admin/outbox/{id}"), ("POST", "/admin/outbox/{id}/retry"),
         ("POST", "/admin/outbox/{id}/withhold")]


@pytest.mark.parametrize("role", ["department_staff", "organiser", "supervisor"])
def test_the_outbox_is_forbidden_to_staff_who_are_not_administrators(client, auth, department, outbox, role):
    user = factories.make_user(f"{role}@example.gov.cn", role=role, department=department)
    auth.login(user.email)
    statuses = {(method, path): client.open(path.format(id=outbox["failed"]), method=method).status_code
                for method, path in PAGES}
    assert statuses == {page: 403 for page in PAGES}
    assert _status(outbox["failed"]) == MessageStatus.FAILED


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_the_outbox_sends_anonymous_visitors_to_log_in(client, outbox, method, path):
    response = client.open(path.format(id=outbox["queued"]), method=method)
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/login?next=")
    assert _status(outbox["queued"]) == MessageStatus.QUEUED


def test_administrators_see_every_message_with_counts_per_status(as_admin, outbox):
    page = as_admin.get("/admin/outbox/")
    assert page.status_code == 200
    text = page.text
    assert "4 messages found" in text
    for label, number in [("All", 4), ("Sent", 1), ("Failed", 1), ("Withheld", 1), ("Queued", 1),
                          ("Awaiting retry", 0)]:
        assert f"{label} ({number})" in text
    # administrators see contacts in full
    assert "zhang.san@example.cn" in text and "13912345678" in text
    assert "HTTP 400: 号码不存在" in text
    assert "More messages to this contact within an hour than the limit allows" in text
    assert 'href="/admin/outbox/"' in as_admin.get("/admin/").text


@pytest.mark.parametrize(("query", "expected"), [
    ("status=failed", {"failed"}),
    ("channel=email", {"sent"}),
    ("channel=sms&status=withheld", {"withheld"}),
    ("recipient=1391", {"queued"}),
    ("template=test_notice", {"sent", "failed", "withheld", "queued"}),
])
def test_filters_narrow_the_list(as_admin, outbox, query, expected):
    text = as_admin.get(f"/admin/outbox/?{query}").text
    shown = {name for name, message_id in outbox.items() if f'href="/admin/outbox/{message_id}"' in text}
    assert shown == expected


def test_counts_follow_the_other_filters_but_not_the_status(as_admin, outbox):
    text = as_admin.get("/admin/outbox/?status=failed&channel=sms").text
    assert "All (3)" in text and "Failed (1)" in text and "Sent (0)" in text and "Queued (1)" in text


def test_the_date_range_is_read_in_china_time(as_admin, outbox):
    today = (utcnow() + timedelta(hours=8)).date()
    assert "4 messages found" in as_admin.get(f"/admin/outbox/?created_from={today}&created_to={today}").text
    yesterday = today - timedelta(days=1)
    assert "No message matches." in as_admin.get(f"/admin/outbox/?created_to={yesterday}").text
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == outbox["sent"])
                       .values(created_at=utcnow() - timedelta(days=3)))
    db.session.commit()
    text = as_admin.get(f"/admin/outbox/?created_to={yesterday}").text
    assert "1 message found" in text


@pytest.mark.parametrize(("query", "message"), [
    ("created_from=2026-13-45", "Not a valid date: write it as 2026-03-01."),
    ("created_from=2026-03-02&created_to=2026-03-01", "The end date must not be before the start date."),
    ("status=lost", "Not a valid choice"),
])
def test_bad_filters_are_explained_not_a_server_error(as_admin, outbox, query, message):
    page = as_admin.get(f"/admin/outbox/?{query}")
    assert page.status_code == 422 and message in page.text


def test_the_list_is_paginated(as_admin, outbox, monkeypatch):
    from engage.notifications import admin_services

    monkeypatch.setattr(admin_services, "PER_PAGE", 3)
    first = as_admin.get("/admin/outbox/").text
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = as_admin.get("/admin/outbox/?page=2").text
    assert f'href="/admin/outbox/{outbox["sent"]}"' in second  # the oldest comes last


def test_one_message_shows_its_text_and_history(as_admin, outbox):
    page = as_admin.get(f"/admin/outbox/{outbox['failed']}")
    assert page.status_code == 200
    assert "13800000000" in page.text and "Your sign-up AB12CD" in page.text
    assert "Failed for good" in page.text and "HTTP 400: 号码不存在" in page.text
    assert "Send again" in page.text and "Withhold" not in page.text.split("<h2>")[0].split("</dl>")[1]


def test_an_administrator_retries_a_failed_message_and_it_is_sent(as_admin, outbox, admin, messaging):
    _smtp, gateway = messaging
    response = as_admin.post(f"/admin/outbox/{outbox['failed']}/retry", follow_redirects=True)
    assert "The message will be sent again." in response.text
    assert "Sent again by staff" in response.text and admin.name in response.text
    run_queued_jobs()
    assert _status(outbox["failed"]) == MessageStatus.SENT
    assert len(gateway.to("13800000000")) == 1


def test_an_administrator_withholds_a_waiting_message(as_admin, outbox, admin, messaging):
    _smtp, gateway = messaging
    response = as_admin.post(f"/admin/outbox/{outbox['queued']}/withhold", follow_redirects=True)
    assert "The message has been withheld." in response.text and "Withheld by staff" in response.text
    run_queued_jobs()
    assert _status(outbox["queued"]) == MessageStatus.WITHHELD and gateway.to("13912345678") == []
    [attempt] = db.session.get(OutboxMessage, outbox["queued"]).attempt_history
    assert attempt.actor_id == admin.id


@pytest.mark.parametrize(("action", "which", "message"), [
    ("retry", "sent", "Only a failed or withheld message can be sent again."),
    ("retry", "queued", "Only a failed or withheld message can be sent again."),
    ("withhold", "sent", "Only a message still waiting to be sent can be withheld."),
    ("withhold", "failed", "Only a message still waiting to be sent can be withheld."),
])
def test_a_refused_action_is_explained_and_changes_nothing(as_admin, outbox, action, which, message):
    before = _status(outbox[which])
    response = as_admin.post(f"/admin/outbox/{outbox[which]}/{action}")
    assert response.status_code == 409 and message in response.text
    assert _status(outbox[which]) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeliveryAttempt)
                             .where(DeliveryAttempt.actor_id.is_not(None))) == 0


def test_an_unknown_message_is_not_found(as_admin, outbox):
    assert as_admin.get("/admin/outbox/99999").status_code == 404
    assert as_admin.post("/admin/outbox/99999/retry").status_code == 404


def test_the_page_reads_in_chinese(client, auth, admin, outbox):
    auth.login(admin.email)
    text = client.get("/admin/outbox/").text
    assert "发件箱" in text and "发送失败" in text
