"""Administrators decide on identities on their pages: approve a first sign-in, create its account, refuse, map."""

import pytest

from engage.accounts.models import User
from engage.core.models import AuditEvent
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.identities import rules, services
from engage.identities.models import Identity, IdentityStatus

ISSUER = "https://id.example.gov.cn"


@pytest.fixture
def waiting(app):
    """A first sign-in waiting for approval, as the sign-in leaves it."""
    person = rules.Person(subject="sub-42", name="王小明", email="staff@example.gov.cn", phone="13812345678")
    with pytest.raises(services.AwaitingApproval):
        services.sign_in_staff(ISSUER, person, now=utcnow())
    db.session.commit()
    return db.session.scalar(db.select(Identity))


@pytest.fixture
def as_admin(en_client, auth, admin):
    auth.login(admin.email)
    return en_client


def test_the_list_shows_waiting_identities(as_admin, waiting):
    page = as_admin.get("/admin/identities/").get_data(as_text=True)
    assert "王小明" in page and "Waiting for approval" in page


def test_the_identity_page_suggests_the_account_with_the_same_verified_address(as_admin, waiting, staff):
    page = as_admin.get(f"/admin/identities/{waiting.id}").get_data(as_text=True)
    assert "staff@example.gov.cn" in page and "Check that it is the same person" in page


def test_linking_to_an_existing_account(as_admin, waiting, staff, admin):
    answer = as_admin.post(f"/admin/identities/{waiting.id}/link", data={"link-user_email": staff.email})
    assert answer.status_code == 302
    db.session.refresh(waiting)
    assert waiting.status == IdentityStatus.LINKED and waiting.user_id == staff.id
    assert waiting.decided_by_id == admin.id
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "identity.linked"))
    assert services.sign_in_staff(ISSUER, rules.Person("sub-42", "王小明", None, None), now=utcnow()) == staff


def test_linking_to_an_unknown_address_is_told(as_admin, waiting):
    answer = as_admin.post(f"/admin/identities/{waiting.id}/link", data={"link-user_email": "nobody@example.cn"})
    assert answer.status_code == 422
    assert "No account has this e-mail address." in answer.get_data(as_text=True)
    db.session.refresh(waiting)
    assert waiting.status == IdentityStatus.PENDING


def test_approving_with_a_new_account(as_admin, waiting, department):
    answer = as_admin.post(f"/admin/identities/{waiting.id}/new-account", data={
        "new-email": "wang@example.gov.cn", "new-name": "王小明", "new-role": "department_staff",
        "new-department_id": str(department.id)})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    user = db.session.scalar(db.select(User).where(User.email == "wang@example.gov.cn"))
    db.session.refresh(waiting)
    assert waiting.user_id == user.id and user.department_id == department.id


def test_a_new_account_for_department_staff_needs_a_department(as_admin, waiting):
    answer = as_admin.post(f"/admin/identities/{waiting.id}/new-account", data={
        "new-email": "wang@example.gov.cn", "new-name": "王小明", "new-role": "department_staff"})
    assert answer.status_code == 422
    assert "Department staff must belong to a department." in answer.get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.email == "wang@example.gov.cn")) is None


def test_refusing_an_identity(as_admin, waiting):
    assert as_admin.post(f"/admin/identities/{waiting.id}/reject").status_code == 302
    db.session.refresh(waiting)
    assert waiting.status == IdentityStatus.REJECTED
    with pytest.raises(services.IdentityRefused):
        services.sign_in_staff(ISSUER, rules.Person("sub-42", "王小明", None, None), now=utcnow())


def test_refusing_twice_is_told_not_an_error(as_admin, waiting):
    as_admin.post(f"/admin/identities/{waiting.id}/reject")
    answer = as_admin.post(f"/admin/identities/{waiting.id}/reject", follow_redirects=True)
    assert "This identity is already refused." in answer.get_data(as_text=True)


def test_refusing_a_linked_identity_ends_its_accounts_sessions(app, waiting, staff, admin):
    services.link_identity(waiting, staff, actor=admin, now=utcnow())
    generation = staff.session_generation
    services.reject_identity(waiting, actor=admin, now=utcnow())
    assert staff.session_generation == generation + 1 and waiting.user_id is None


def test_mapping_an_identity_before_it_signs_in(as_admin, staff):
    answer = as_admin.post("/admin/identities/map", data={"issuer": ISSUER, "subject": "future-1",
                                                          "user_email": staff.email})
    assert answer.status_code == 302
    identity = services.find_identity(ISSUER, "future-1")
    assert identity.status == IdentityStatus.LINKED and identity.user_id == staff.id


def test_mapping_needs_every_field(as_admin):
    answer = as_admin.post("/admin/identities/map", data={"issuer": ISSUER, "subject": "", "user_email": ""})
    assert answer.status_code == 422


def test_only_administrators_see_the_pages(en_client, auth, staff, waiting):
    assert en_client.get("/admin/identities/").status_code == 302
    auth.login(staff.email)
    assert en_client.get("/admin/identities/").status_code == 403
    assert en_client.post(f"/admin/identities/{waiting.id}/reject").status_code == 403


def test_the_pages_are_in_chinese_by_default(client, auth, admin, waiting):
    auth.login(admin.email)
    page = client.get("/admin/identities/").get_data(as_text=True)
    assert "统一身份认证" in page and "等待审核" in page
