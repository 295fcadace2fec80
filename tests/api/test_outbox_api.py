"""The outbox through the staff API: administrators' tokens only; filters, counts, history, retry, withhold."""

import pytest

from engage.extensions import db
from engage.notifications import services
from engage.notifications.models import MessageStatus, OutboxMessage
from tests import factories
from tests.api.conftest import _token_for
from tests.fixtures.messaging import run_queued_jobs

pytestmark = pytest.mark.usefixtures("test_message_templates")


def _queue(channel, recipient):
    message_id = services.queue_message(channel=channel, recipient=recipient, template="test_notice",
                                     params={"code": "AB12CD"})
    db.session.commit()
    return message_id


@pytest.fixture
def outbox(messaging):
    _smtp, gateway = messaging
    sent = _queue("email", "zhang.san@example.cn")
    gateway.answers = [(400, {"error": "号码不存在"})]
    failed = _queue("sms", "13800000000")
    run_queued_jobs()
    queued = _queue("sms", "13912345678")
    return {"sent": sent, "failed": failed, "queued": queued}


@pytest.fixture
def admin_token(admin) -> dict:
    return _token_for(admin)


def _status(message_id) -> MessageStatus:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id).status


CALLS = [("get", "/api/v1/outbox/messages"), ("get", "/api/v1/outbox/messages/{id}"),
         ("post", "/api/v1/outbox/messages/{id}/retry"), ("post", "/api/v1/outbox/messages/{id}/withhold")]


@pytest.mark.parametrize(("method", "path"), CALLS)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}])
def test_without_a_valid_token_the_outbox_is_401(client, outbox, method, path, headers):
    response = getattr(client, method)(path.format(id=outbox["failed"]), headers=headers)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].lower().startswith("bearer")


@pytest.mark.parametrize(("method", "path"), CALLS)
@pytest.mark.parametrize("role", ["department_staff", "organiser", "supervisor"])
def test_tokens_of_staff_who_are_not_administrators_get_403(client, department, outbox, method, path, role):
    token = _token_for(factories.make_user(f"{role}@example.gov.cn", role=role, department=department))
    response = getattr(client, method)(path.format(id=outbox["failed"]), headers=token)
    assert response.status_code == 403 and response.json["code"] == 403
    assert _status(outbox["failed"]) == MessageStatus.FAILED


def test_the_list_with_counts_per_status(client, admin_token, outbox):
    body = client.get("/api/v1/outbox/messages", headers=admin_token).json
    assert body["total"] == 3 and [m["id"] for m in body["items"]] == [outbox["queued"], outbox["failed"],
                                                                         outbox["sent"]]
    assert body["counts"] == {"queued": 1, "sending": 0, "sent": 1, "retrying": 0, "failed": 1, "withheld": 0}
    failed = body["items"][1]
    assert failed["recipient"] == "13800000000" and failed["last_error"] == "HTTP 400: 号码不存在"
    assert failed["channel"] == "sms" and failed["status"] == "failed" and failed["attempts"] == 1


@pytest.mark.parametrize(("query", "expected", "total_counted"), [
    ("status=failed", ["failed"], 3),
    ("channel=sms", ["queued", "failed"], 2),
    ("channel=sms&status=queued", ["queued"], 2),
    ("recipient=zhang", ["sent"], 1),
    ("template=other", [], 0),
    ("created_from=2000-01-01&created_to=2000-01-31", [], 0),
])
def test_filters(client, admin_token, outbox, query, expected, total_counted):
    body = client.get(f"/api/v1/outbox/messages?{query}", headers=admin_token).json
    assert [m["id"] for m in body["items"]] == [outbox[name] for name in expected]
    assert sum(body["counts"].values()) == total_counted


@pytest.mark.parametrize(("query", "field"), [("status=lost", "status"), ("channel=fax", "channel"),
                                               ("created_from=yesterday", "created_from"),
                                               ("per_page=1000", "per_page"),
                                               ("created_from=2026-03-02&created_to=2026-03-01", "created_to")])
def test_bad_filters_are_422_with_the_field(client, admin_token, outbox, query, field):
    response = client.get(f"/api/v1/outbox/messages?{query}", headers=admin_token)
    assert response.status_code == 422 and field in response.json["errors"]


def test_one_message_with_its_history(client, admin_token, outbox):
    body = client.get(f"/api/v1/outbox/messages/{outbox['failed']}", headers=admin_token).json
    assert body["body_text"].endswith("/events/lookup") and "AB12CD" in body["body_text"]
    assert [(h["outcome"], h["detail"], h["actor"]) for h in body["history"]] == [
        ("failed", "HTTP 400: 号码不存在", None)]


def test_retry_then_the_message_is_sent_and_the_retry_is_recorded(client, admin_token, admin, outbox, messaging):
    _smtp, gateway = messaging
    response = client.post(f"/api/v1/outbox/messages/{outbox['failed']}/retry", headers=admin_token)
    assert response.status_code == 200 and response.json["status"] == "queued" and response.json["attempts"] == 0
    assert response.json["history"][-1]["outcome"] == "retried"
    assert response.json["history"][-1]["actor"] == {"id": admin.id, "name": admin.name}
    run_queued_jobs()
    assert _status(outbox["failed"]) == MessageStatus.SENT and len(gateway.to("13800000000")) == 1


def test_withhold_keeps_a_waiting_message_from_being_sent(client, admin_token, outbox, messaging):
    _smtp, gateway = messaging
    response = client.post(f"/api/v1/outbox/messages/{outbox['queued']}/withhold", headers=admin_token)
    assert response.status_code == 200
    assert response.json["status"] == "withheld" and response.json["last_error"] == "staff"
    assert response.json["reason"] == "已由工作人员暂停发送"  # in the default language, zh
    run_queued_jobs()
    assert _status(outbox["queued"]) == MessageStatus.WITHHELD and gateway.to("13912345678") == []


@pytest.mark.parametrize(("action", "which"), [("retry", "sent"), ("retry", "queued"), ("withhold", "sent"),
                                               ("withhold", "failed")])
def test_an_action_the_status_does_not_allow_is_409(client, admin_token, outbox, action, which):
    before = _status(outbox[which])
    response = client.post(f"/api/v1/outbox/messages/{outbox[which]}/{action}", headers=admin_token)
    assert response.status_code == 409 and response.json["message"]
    assert _status(outbox[which]) == before


def test_an_unknown_message_is_404(client, admin_token, outbox):
    assert client.get("/api/v1/outbox/messages/99999", headers=admin_token).status_code == 404
    assert client.post("/api/v1/outbox/messages/99999/withhold", headers=admin_token).status_code == 404


def test_the_openapi_document_describes_the_outbox(client):
    spec = client.get("/api/v1/openapi.json").json
    listing = spec["paths"]["/api/v1/outbox/messages"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"status", "channel", "template", "created_from",
                                                          "created_to", "recipient", "page", "per_page"}
    assert {"200", "401", "403", "422"} <= set(listing["responses"])
    retry = spec["paths"]["/api/v1/outbox/messages/{message_id}/retry"]["post"]
    assert {"200", "401", "403", "404", "409"} <= set(retry["responses"])
    assert retry["security"] == [{"bearerAuth": []}]
    schemas = spec["components"]["schemas"]
    assert "history" in schemas["MessageDetailOut"]["properties"]
    assert "counts" in schemas["MessagePageOut"]["properties"]
