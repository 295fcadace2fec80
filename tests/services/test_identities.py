"""Unified sign-in services: a sign-in used once, within its time; which identities sign in as whom."""

from datetime import timedelta

import pytest

from engage.accounts import services as accounts
from engage.core.errors import NotAllowed
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.identities import client, rules, services
from engage.identities.models import IdentityStatus, SignInPurpose, SignInRequest

ISSUER = "https://id.example.gov.cn"


def _start(state: str, now):
    authorization = {"state": state, "nonce": "n-" + state, "code_verifier": "v" * 48}
    return services.start_sign_in(authorization, purpose=SignInPurpose.STAFF, redirect_uri="http://x/cb",
                                  next_path="/account/messages", now=now)


def test_a_sign_in_is_taken_once(app, now):
    started = _start("s1", now)
    taken = services.take_sign_in_request("s1", started_here=[started.state_hash], now=now)
    assert taken.nonce == "n-s1" and taken.next_path == "/account/messages"
    with pytest.raises(client.ReplayedOrUnknownState):
        services.take_sign_in_request("s1", started_here=[started.state_hash], now=now)


def test_a_state_this_browser_did_not_start_is_refused_and_used_up(app, now):
    _start("s2", now)
    with pytest.raises(client.ReplayedOrUnknownState):
        services.take_sign_in_request("s2", started_here=[], now=now)
    assert db.session.scalar(db.select(db.func.count()).select_from(SignInRequest)) == 0


@pytest.mark.parametrize(("late", "refused"), [(timedelta(0), False), (rules.REQUEST_LIFETIME, False),
                                               (rules.REQUEST_LIFETIME + timedelta(seconds=1), True)])
def test_a_sign_in_must_come_back_within_ten_minutes(app, now, late, refused):
    started = _start("s3", now)
    if refused:
        with pytest.raises(services.SignInTookTooLong):
            services.take_sign_in_request("s3", started_here=[started.state_hash], now=now + late)
    else:
        services.take_sign_in_request("s3", started_here=[started.state_hash], now=now + late)


def test_starting_a_sign_in_clears_the_abandoned_ones(app, now):
    _start("old", now - rules.REQUEST_LIFETIME - timedelta(minutes=1))
    _start("new", now)
    assert db.session.scalars(db.select(SignInRequest.nonce)).all() == ["n-new"]


def test_a_deactivated_account_does_not_sign_in(app, staff, admin, now):
    services.map_identity(issuer=ISSUER, subject="s", user=staff, actor=admin, now=now)
    accounts.update_user(staff, email=staff.email, name=staff.name, role=staff.role,
                         department_id=staff.department_id, is_active=False, actor=admin, now=now)
    with pytest.raises(services.AccountInactive):
        services.sign_in_staff(ISSUER, rules.Person("s", "", None, None), now=now)


def test_the_issuer_is_the_same_with_or_without_a_trailing_slash(app, staff, admin, now):
    services.map_identity(issuer=ISSUER + "/", subject="s", user=staff, actor=admin, now=now)
    assert services.sign_in_staff(ISSUER, rules.Person("s", "", None, None), now=now) == staff


def test_the_same_subject_of_another_issuer_is_another_identity(app, staff, admin, now):
    services.map_identity(issuer=ISSUER, subject="s", user=staff, actor=admin, now=now)
    with pytest.raises(services.AwaitingApproval):
        services.sign_in_staff("https://other.example.cn", rules.Person("s", "", None, None), now=now)


def test_mapping_overrides_an_earlier_refusal(app, staff, admin, now):
    with pytest.raises(services.AwaitingApproval):
        services.sign_in_staff(ISSUER, rules.Person("s", "", None, None), now=now)
    services.reject_identity(services.find_identity(ISSUER, "s"), actor=admin, now=now)
    identity = services.map_identity(issuer=ISSUER, subject="s", user=staff, actor=admin, now=now)
    assert identity.status == IdentityStatus.LINKED


def test_only_administrators_decide(app, staff, admin, now):
    with pytest.raises(services.AwaitingApproval):
        services.sign_in_staff(ISSUER, rules.Person("s", "", None, None), now=utcnow())
    identity = services.find_identity(ISSUER, "s")
    for decide in (lambda: services.link_identity(identity, staff, actor=staff, now=now),
                   lambda: services.reject_identity(identity, actor=staff, now=now),
                   lambda: services.map_identity(issuer=ISSUER, subject="t", user=staff, actor=staff, now=now)):
        with pytest.raises(NotAllowed):
            decide()
