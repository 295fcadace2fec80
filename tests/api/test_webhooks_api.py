"""The webhooks API: administrators register, change and read hooks and their deliveries."""

import pytest

from engage.accounts import services as accounts
from engage.core.timeutil import utcnow
from engage.extensions import db
from tests import factories


def _token(user) -> dict:
    _record, token = accounts.create_api_token(user, name="webhooks", now=utcnow())
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def as_admin(admin) -> dict:
    return _token(admin)


def test_an_administrator_registers_a_hook_and_reads_its_deliveries(client, as_admin, department, staff):
    made = client.post("/api/v1/webhooks", json={"name": "政务服务平台", "url": "http://127.0.0.1:9/hook",
                                                 "event_types": ["consultation.opened"]}, headers=as_admin)
    assert made.status_code == 201
    hook = made.get_json()
    assert hook["is_active"] is True and len(hook["secret"]) >= 32 and hook["event_types"] == ["consultation.opened"]
    factories.make_consultation(department, staff)
    deliveries = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=as_admin).get_json()
    assert deliveries["total"] == 1
    [delivery] = deliveries["items"]
    assert delivery["event"] == "consultation.opened" and delivery["status"] == "queued"
    changed = client.patch(f"/api/v1/webhooks/{hook['id']}", json={"is_active": False}, headers=as_admin)
    assert changed.status_code == 200 and changed.get_json()["is_active"] is False
    assert changed.get_json()["secret"] == hook["secret"]  # not sent: kept


@pytest.mark.parametrize("body, field", [
    ({"name": "x", "url": "ftp://example.cn/h", "event_types": ["event.published"]}, "url"),
    ({"name": "x", "url": "https://example.cn/h", "event_types": []}, "event_types"),
    ({"name": "x", "url": "https://example.cn/h", "event_types": ["no.such"]}, "event_types"),
    ({"name": "x", "url": "https://example.cn/h", "event_types": ["event.published"], "secret": "short"}, "secret"),
])
def test_a_bad_hook_is_refused_with_the_field(client, as_admin, body, field):
    answer = client.post("/api/v1/webhooks", json=body, headers=as_admin)
    assert answer.status_code == 422 and field in answer.get_json()["errors"]


def test_staff_who_are_not_administrators_get_403(client, staff):
    assert client.get("/api/v1/webhooks", headers=_token(staff)).status_code == 403


def test_without_a_token_401(client):
    assert client.get("/api/v1/webhooks").status_code == 401
