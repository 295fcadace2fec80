"""Following through the pages: the public form stays cacheable, every answer is the same, one-click unsubscribe."""

import re

import pytest
import sqlalchemy as sa

from engage import domain_events
from engage.core.timeutil import utcnow
from engage.domain_events.models import EventType
from engage.extensions import db
from engage.notifications.models import OutboxMessage, Suppression
from engage.subscriptions import services
from engage.subscriptions.models import Frequency, Subscription, SubscriptionStatus

EMAIL = "li.ming@example.cn"


def _follow(client, target, contact=EMAIL, frequency="immediate", **environ):
    return client.post("/follow/", data={"target": target, "contact": contact, "frequency": frequency},
                       environ_base=environ)


def _last(template: str) -> OutboxMessage:
    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.template == template)
                              .order_by(OutboxMessage.id.desc())).first()


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_the_consultation_page_carries_the_follow_form_and_stays_public(client, open_consultation):
    page = client.get(f"/consultations/{open_consultation.id}")
    html = page.get_data(as_text=True)
    assert page.headers["Cache-Control"].startswith("public") and "Set-Cookie" not in page.headers
    assert 'action="/follow/"' in html and f'value="consultation:{open_consultation.id}"' in html
    assert f'value="department:{open_consultation.department_id}"' in html
    assert 'name="csrf_token"' not in html.split('class="follow-form"')[1].split("</form>")[0]


def test_following_by_email_confirms_with_a_button_and_lands_on_my_subscriptions(client, open_consultation):
    answer = _follow(client, f"consultation:{open_consultation.id}")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/follow/sent")
    link = re.search(r"(https?://\S+/follow/confirm/\S+)", _last("follow_confirm").body_text).group(1)
    opened = client.get(_path(link))  # a mail scanner opening the link confirms nothing
    assert opened.status_code == 200 and db.session.scalar(sa.select(Subscription.status)) == "pending"
    confirmed = client.post(_path(link))
    assert confirmed.status_code == 303 and "/follow/mine/" in confirmed.headers["Location"]
    mine = client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert open_consultation.title in mine and "l***@example.cn" in mine
    assert db.session.scalar(sa.select(Subscription.status)) == SubscriptionStatus.ACTIVE


def test_following_by_phone_goes_to_the_code_page(client, open_consultation):
    answer = _follow(client, f"consultation:{open_consultation.id}", contact="139 1234 5678")
    assert answer.status_code == 303 and "/follow/code/" in answer.headers["Location"]
    code_page = answer.headers["Location"]
    wrong = client.post(code_page, data={"code": "12"})
    assert wrong.status_code == 422
    code = _last("follow_code").params["code"]
    done = client.post(code_page, data={"code": code})
    assert done.status_code == 303 and "/follow/mine/" in done.headers["Location"]


def test_the_answer_is_the_same_whether_or_not_the_contact_already_follows(client, open_consultation):
    target = f"consultation:{open_consultation.id}"
    first = _follow(client, target)
    link = re.search(r"/follow/confirm/(\S+)", _last("follow_confirm").body_text).group(0)
    client.post(link)
    known, unknown = _follow(client, target), _follow(client, target, contact="new@example.cn")
    assert (first.status_code, first.headers["Location"]) == (known.status_code, known.headers["Location"]) == (
        unknown.status_code, unknown.headers["Location"])


@pytest.mark.parametrize("data, field", [
    ({"contact": "010-12345678"}, "contact"),
    ({"contact": ""}, "contact"),
    ({"target": "consultation:999999"}, "target"),
    ({"target": "nonsense"}, "target"),
    ({"frequency": "hourly"}, "frequency"),
])
def test_bad_requests_come_back_with_a_message(client, open_consultation, data, field):
    form = {"target": f"consultation:{open_consultation.id}", "contact": EMAIL, "frequency": "daily", **data}
    answer = client.post("/follow/", data=form)
    assert answer.status_code == 422
    assert "error-summary" in answer.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Subscription)) == 0


def test_requests_are_limited_per_contact_whoever_asks(client, app, open_consultation):
    app.config["RATELIMIT_SUBSCRIPTIONS_PER_CONTACT"] = "2 per hour"
    target = f"consultation:{open_consultation.id}"
    statuses = [_follow(client, target, contact=typed, REMOTE_ADDR=address).status_code
                for typed, address in [(EMAIL, "10.0.0.1"), (EMAIL.upper(), "10.0.0.2"), (EMAIL, "10.0.0.3")]]
    assert statuses == [303, 303, 429]
    assert _follow(client, target, contact="other@example.cn").status_code == 303


def _active_follow(consultation, frequency="immediate"):
    now = utcnow()
    services.request_follow("consultation", consultation.id, EMAIL, frequency, language="zh", now=now)
    token = re.search(r"/follow/confirm/(\S+)", _last("follow_confirm").body_text).group(1)
    subscription = services.confirm_link(token, now=now)
    db.session.commit()
    return subscription


def test_one_click_unsubscribe_from_an_update_ends_every_follow_without_login(client, open_consultation):
    _active_follow(open_consultation)
    domain_events.emit(EventType.FEEDBACK_PUBLISHED, open_consultation, now=utcnow())
    db.session.commit()
    update = _last("follow_update")
    unsubscribe = re.search(r"(https?://\S+/unsubscribe/\S+)", update.body_text).group(1)
    assert client.post(_path(unsubscribe)).status_code == 200  # what a mail program's one click does
    db.session.expire_all()
    assert db.session.scalar(sa.select(Subscription.status)) == SubscriptionStatus.ENDED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Suppression)) == 1
    # following again (double opt-in once more) lifts the unsubscribe for these messages
    _active_follow(open_consultation)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Suppression)) == 0


def test_my_subscriptions_changes_frequency_and_ends(client, open_consultation):
    subscription = _active_follow(open_consultation)
    page = "/follow/mine/" + services.manage_token("email", EMAIL)
    assert client.post(page, data={"f-subscription_id": subscription.id, "f-frequency": "daily"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Subscription, subscription.id).frequency == Frequency.DAILY
    assert client.post(page, data={"e-subscription_id": ""}).status_code == 303  # stop following everything
    db.session.expire_all()
    assert db.session.get(Subscription, subscription.id).status == SubscriptionStatus.ENDED
    assert "/follow/mine/" in _path(services.manage_url("email", EMAIL))
    assert client.get("/follow/mine/forged-token").status_code == 404


@pytest.mark.parametrize("token", ["99999999999999999999.secret", "abc.def", "1", "1."])
def test_a_confirm_link_that_was_not_made_by_us_is_not_found(client, token):
    assert client.post(f"/follow/confirm/{token}").status_code == 404
