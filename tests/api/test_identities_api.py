"""The identities API: an administrator's token lists, approves, refuses and maps identities."""

import pytest

from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.identities import rules, services
from engage.identities.models import Identity

ISSUER = "https://id.example.gov.cn"


@pytest.fixture
def waiting(app):
    with pytest.raises(services.AwaitingApproval):
        services.sign_in_staff(ISSUER, rules.Person("sub-7", "李四", "li@example.gov.cn", None), now=utcnow())
    db.session.commit()
    return db.session.scalar(db.select(Identity))


def test_the_waiting_identities_are_listed(client, admin_token, waiting):
    answer = client.get("/api/v1/identities?status=pending", headers=admin_token)
    assert answer.status_code == 200
    assert [item["subject"] for item in answer.json["items"]] == ["sub-7"]
    assert answer.json["items"][0]["email"] == "li@example.gov.cn"


def test_approving_links_to_an_existing_account(client, admin_token, waiting, staff):
    answer = client.post(f"/api/v1/identities/{waiting.id}/approval", json={"user_id": staff.id},
                         headers=admin_token)
    assert answer.status_code == 200 and answer.json["status"] == "linked" and answer.json["user_id"] == staff.id


def test_approving_with_a_new_account(client, admin_token, waiting):
    answer = client.post(f"/api/v1/identities/{waiting.id}/approval", headers=admin_token, json={
        "new_account": {"email": "li@example.gov.cn", "name": "李四", "role": "organiser"}})
    assert answer.status_code == 200, answer.json
    assert services.find_account(answer.json["user_id"]).email == "li@example.gov.cn"


@pytest.mark.parametrize("body", [{}, {"user_id": 1, "new_account": {"email": "a@b.cn", "name": "a",
                                                                     "role": "organiser"}}])
def test_approving_takes_one_way_exactly(client, admin_token, waiting, body):
    answer = client.post(f"/api/v1/identities/{waiting.id}/approval", json=body, headers=admin_token)
    assert answer.status_code == 422 and "user_id" in answer.json["errors"]


def test_approving_with_an_unknown_account_is_422(client, admin_token, waiting):
    answer = client.post(f"/api/v1/identities/{waiting.id}/approval", json={"user_id": 999}, headers=admin_token)
    assert answer.status_code == 422 and "user_id" in answer.json["errors"]


def test_a_bad_new_address_is_422(client, admin_token, waiting):
    answer = client.post(f"/api/v1/identities/{waiting.id}/approval", headers=admin_token, json={
        "new_account": {"email": "not an address", "name": "李四", "role": "organiser"}})
    assert answer.status_code == 422 and "email" in answer.json["errors"]


def test_refusing_then_refusing_again_is_409(client, admin_token, waiting):
    assert client.post(f"/api/v1/identities/{waiting.id}/refusal", headers=admin_token).json["status"] == "rejected"
    assert client.post(f"/api/v1/identities/{waiting.id}/refusal", headers=admin_token).status_code == 409


def test_mapping_ahead_of_the_first_sign_in(client, admin_token, staff):
    answer = client.post("/api/v1/identities", headers=admin_token,
                         json={"issuer": ISSUER, "subject": "future", "user_id": staff.id})
    assert answer.status_code == 201 and answer.json["status"] == "linked"
    assert client.get(f"/api/v1/identities/{answer.json['id']}", headers=admin_token).json["subject"] == "future"


def test_staff_tokens_are_refused(client, staff_token, waiting):
    assert client.get("/api/v1/identities", headers=staff_token).status_code == 403


def test_an_unknown_identity_is_404(client, admin_token):
    assert client.get("/api/v1/identities/999", headers=admin_token).status_code == 404
