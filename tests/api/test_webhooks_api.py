"""The webhooks API: administrators register, change and read hooks and their deliveries."""

import pytest

from tests import factories


def test_an_administrator_registers_a_hook_and_reads_its_deliveries(client, admin_token, department, staff):
    made = client.post("/api/v1/webhooks", json={"name": "政务服务平台", "url": "http://127.0.0.1:9/hook",
                                                 "event_types": ["consultation.opened"]}, headers=admin_token)
    assert made.status_code == 201
    hook = made.get_json()
    assert hook["is_active"] is True and len(hook["secret"]) >= 32 and hook["event_types"] == ["consultation.opened"]
    factories.make_consultation(department, staff)
    deliveries = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=admin_token).get_json()
    assert deliveries["total"] == 1
    [delivery] = deliveries["items"]
    assert delivery["event"] == "consultation.opened" and delivery["status"] == "queued"
    changed = client.patch(f"/api/v1/webhooks/{hook['id']}", json={"is_active": False}, headers=admin_token)
    assert changed.status_code == 200 and changed.get_json()["is_active"] is False
    assert changed.get_json()["secret"] == hook["secret"]  # not sent: kept


@pytest.mark.parametrize("body, field", [
    ({"name": "x", "url": "ftp://example.cn/h", "event_types": ["event.published"]}, "url"),
    ({"name": "x", "url": "https://example.cn/h", "event_types": []}, "event_types"),
    ({"name": "x", "url": "https://example.cn/h", "event_types": ["no.such"]}, "event_types"),
    ({"name": "x", "url": "https://example.cn/h", "event_types": ["event.published"], "secret": "short"}, "secret"),
])
def test_a_bad_hook_is_refused_with_the_field(client, admin_token, body, field):
    answer = client.post("/api/v1/webhooks", json=body, headers=admin_token)
    assert answer.status_code == 422 and field in answer.get_json()["errors"]


def test_staff_who_are_not_administrators_get_403(client, staff_token):
    assert client.get("/api/v1/webhooks", headers=staff_token).status_code == 403


def test_without_a_token_401(client):
    assert client.get("/api/v1/webhooks").status_code == 401
