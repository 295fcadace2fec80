"""Sign-up services: seats, waitlist and its promotion, duplicates, refusals, lookup, cancel, history."""

from datetime import timedelta

import pytest

from engage.core.errors import CapacityReached, InvalidTransition, NotFound, RuleViolation, ValidationFailed
from engage.events.models import EventStatus, RegistrationStatus
from engage.events.registrations import services
from engage.events.registrations.services import DuplicateSignUp, SignUpClosed, SignUpInput
from engage.extensions import db
from tests.fixtures.events import make_event


def sign_up(event, phone_suffix: int, party_size=1, now=None, **fields):
    data = SignUpInput(name=fields.pop("name", "张三"), phone=f"138{phone_suffix:08d}", party_size=party_size,
                       **fields)
    registration, token = services.register(event.id, data, now=now or services_now())
    db.session.commit()
    return registration, token


def services_now():
    from engage.core.timeutil import utcnow

    return utcnow()


@pytest.fixture
def small_event(campaign, department):
    return make_event(campaign, department, capacity=3, max_party_size=3)


def test_sign_up_is_confirmed_with_a_code_and_takes_seats(open_event):
    registration, token = sign_up(open_event, 1, party_size=2)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert len(registration.code) == 8 and token
    assert open_event.seats_taken == 2 and open_event.seats_left == 48
    assert registration.number == 1


def test_full_event_waitlists_in_order(small_event):
    sign_up(small_event, 1, party_size=3)
    second, _ = sign_up(small_event, 2)
    third, _ = sign_up(small_event, 3)
    assert second.status == third.status == RegistrationStatus.WAITLISTED
    assert services.waitlist_position(second) == 1
    assert services.waitlist_position(third) == 2
    assert small_event.seats_taken == 3


def test_no_waitlist_refuses_when_full(campaign, department):
    event = make_event(campaign, department, capacity=1, waitlist_enabled=False)
    sign_up(event, 1)
    with pytest.raises(CapacityReached):
        sign_up(event, 2)


def test_cancel_promotes_first_come_first_served_skipping_a_party_that_does_not_fit(small_event):
    first, first_token = sign_up(small_event, 1, party_size=2)
    sign_up(small_event, 2, party_size=1)
    big, _ = sign_up(small_event, 3, party_size=3)
    small, _ = sign_up(small_event, 4, party_size=2)
    services.cancel(first, now=services_now())
    db.session.commit()
    assert big.status == RegistrationStatus.WAITLISTED
    assert small.status == RegistrationStatus.CONFIRMED
    assert small_event.seats_taken == 3
    assert services.waitlist_position(big) == 1


def test_promoted_sign_up_shows_confirmed_in_lookup(small_event):
    first, _ = sign_up(small_event, 1, party_size=3)
    waiting, _ = sign_up(small_event, 2)
    services.cancel(first, now=services_now())
    db.session.commit()
    found = services.find_by_phone(waiting.code.lower(), "138 0000 0002")
    assert found.status == RegistrationStatus.CONFIRMED
    assert [c.action for c in found.changes] == ["sign_up", "promote"]


def test_second_active_sign_up_with_the_same_phone_is_refused(open_event):
    sign_up(open_event, 1)
    with pytest.raises(DuplicateSignUp):
        sign_up(open_event, 1)


def test_same_phone_typed_in_full_width_digits_is_a_duplicate(open_event):
    sign_up(open_event, 1)
    typed = "13800000001".translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    with pytest.raises(DuplicateSignUp):
        services.register(open_event.id, SignUpInput(name="张三", phone=typed, party_size=1), now=services_now())


def test_same_phone_may_sign_up_again_after_cancelling(open_event):
    first, _ = sign_up(open_event, 1)
    services.cancel(first, now=services_now())
    db.session.commit()
    again, _ = sign_up(open_event, 1)
    assert again.status == RegistrationStatus.CONFIRMED


@pytest.mark.parametrize(("field", "values"), [
    ("phone", {"phone": "12345"}),
    ("party_size", {"party_size": 4}),
    ("party_size", {"party_size": 0}),
    ("name", {"name": " "}),
])
def test_invalid_input_is_refused_per_field(open_event, field, values):
    data = SignUpInput(name="张三", phone="13800000001", party_size=1)
    for key, value in values.items():
        setattr(data, key, value)
    with pytest.raises(ValidationFailed) as caught:
        services.register(open_event.id, data, now=services_now())
    assert field in caught.value.errors


def test_id_number_is_required_and_checked_where_the_venue_needs_it(campaign, department):
    event = make_event(campaign, department, requires_id_number=True)
    with pytest.raises(ValidationFailed) as caught:
        sign_up(event, 1, id_number="110105194912310021")
    assert "id_number" in caught.value.errors
    registration, _ = sign_up(event, 1, id_number="11010519491231002x")
    assert registration.id_number == "11010519491231002X"
    assert registration.masked_id_number == "110***********002X"


def test_id_number_is_not_kept_where_not_needed(open_event):
    registration, _ = sign_up(open_event, 1, id_number="11010519491231002X")
    assert registration.id_number == ""


@pytest.mark.parametrize("shift", [timedelta(days=-2), timedelta(days=20)])
def test_sign_up_outside_the_window_is_refused(open_event, shift):
    with pytest.raises(SignUpClosed):
        sign_up(open_event, 1, now=services_now() + shift)


def test_cancelled_event_refuses_sign_ups(open_event):
    open_event.status = EventStatus.CANCELLED
    db.session.commit()
    with pytest.raises(SignUpClosed, match="cancelled|取消"):
        sign_up(open_event, 1)


def test_draft_event_does_not_exist_for_the_public(campaign, department):
    event = make_event(campaign, department, status=EventStatus.DRAFT)
    with pytest.raises(NotFound):
        sign_up(event, 1)


def test_pending_holds_seats_so_approval_cannot_overbook(campaign, department, organiser):
    event = make_event(campaign, department, capacity=2, requires_approval=True)
    first, _ = sign_up(event, 1, party_size=2)
    second, _ = sign_up(event, 2)
    assert first.status == RegistrationStatus.PENDING and second.status == RegistrationStatus.WAITLISTED
    services.approve(first, actor=organiser, now=services_now())
    assert first.status == RegistrationStatus.CONFIRMED and event.seats_taken == 2


def test_rejecting_frees_seats_for_the_waitlist_as_pending(campaign, department, organiser):
    event = make_event(campaign, department, capacity=1, requires_approval=True)
    first, _ = sign_up(event, 1)
    second, _ = sign_up(event, 2)
    with pytest.raises(ValidationFailed):
        services.reject(first, "", actor=organiser, now=services_now())
    services.reject(first, "名额已满", actor=organiser, now=services_now())
    assert first.status == RegistrationStatus.REJECTED and first.status_reason == "名额已满"
    assert second.status == RegistrationStatus.PENDING and event.seats_taken == 1


def test_cancel_by_token_lookup(open_event):
    registration, token = sign_up(open_event, 1)
    assert services.find_by_token(registration.code, token) == registration
    with pytest.raises(NotFound):
        services.find_by_token(registration.code, "wrong")


def test_lookup_needs_the_matching_phone(open_event):
    registration, _ = sign_up(open_event, 1)
    with pytest.raises(NotFound):
        services.find_by_phone(registration.code, "13800000002")


def test_cancelling_twice_is_refused(open_event):
    registration, _ = sign_up(open_event, 1)
    services.cancel(registration, now=services_now())
    with pytest.raises(InvalidTransition):
        services.cancel(registration, now=services_now())


def test_citizen_cannot_cancel_after_the_event_started(open_event):
    registration, _ = sign_up(open_event, 1)
    with pytest.raises(RuleViolation):
        services.cancel(registration, now=open_event.starts_at + timedelta(minutes=1))


def test_check_in_once_and_refusals(open_event, organiser, campaign, department):
    registration, _ = sign_up(open_event, 1, party_size=2)
    checked = services.check_in(open_event, registration.code, actor=organiser, now=open_event.starts_at)
    assert checked.status == RegistrationStatus.ATTENDED and checked.checked_in_at is not None
    with pytest.raises(RuleViolation, match="Already|已"):
        services.check_in(open_event, registration.code, actor=organiser, now=open_event.starts_at)
    other = make_event(campaign, department, title="另一场")
    with pytest.raises(RuleViolation, match="another|其他|另"):
        services.check_in(other, registration.code, actor=organiser, now=open_event.starts_at)
    with pytest.raises(NotFound):
        services.check_in(open_event, "ZZZZZZZZ", actor=organiser, now=open_event.starts_at)


def test_cancelled_sign_up_cannot_check_in(open_event, organiser):
    registration, _ = sign_up(open_event, 1)
    services.cancel(registration, now=services_now())
    with pytest.raises(RuleViolation):
        services.check_in(open_event, registration.code, actor=organiser, now=open_event.starts_at)


def test_mark_no_shows_after_start(open_event, organiser):
    came, _ = sign_up(open_event, 1)
    stayed_away, _ = sign_up(open_event, 2, party_size=2)
    services.check_in(open_event, came.code, actor=organiser, now=open_event.starts_at)
    with pytest.raises(RuleViolation):
        services.mark_no_shows(open_event, actor=organiser, now=services_now())
    assert services.mark_no_shows(open_event, actor=organiser, now=open_event.ends_at) == 1
    assert stayed_away.status == RegistrationStatus.NO_SHOW
    assert stayed_away.changes[-1].actor_id == organiser.id


def test_history_keeps_every_change_with_time_actor_and_reason(campaign, department, organiser):
    event = make_event(campaign, department, requires_approval=True)
    registration, _ = sign_up(event, 1)
    services.reject(registration, "资料不全", actor=organiser, now=services_now())
    changes = registration.changes
    assert [(c.from_status, c.to_status) for c in changes] == [(None, "pending"), ("pending", "rejected")]
    assert changes[1].reason == "资料不全" and changes[1].actor_id == organiser.id and changes[1].created_at


def test_sign_up_releases_the_event_lock_before_the_disk_flush_and_then_waits_for_it(open_event, is_postgres):
    from sqlalchemy import text

    from engage.events.registrations import durability

    services.register(open_event.id, SignUpInput(name="张三", phone="13800000001"), now=services_now())
    if is_postgres:
        assert db.session.scalar(text("SHOW synchronous_commit")) == "off"
        assert db.session.info[durability._PENDING_FLUSH] is True
    db.session.commit()
    assert durability._PENDING_FLUSH not in db.session.info
    if is_postgres:  # the setting was for that one transaction only
        assert db.session.scalar(text("SHOW synchronous_commit")) == "on"


def test_an_event_for_single_people_says_so_when_a_party_is_sent(app, open_event, now):
    open_event.max_party_size = 1
    db.session.flush()
    with pytest.raises(ValidationFailed) as refused:
        services.register(open_event.id, SignUpInput("王阿姨", "13812345678", 2), now=now)
    assert [str(m) for m in refused.value.errors["party_size"]] == ["每次报名仅限1人。"]


def test_a_sign_up_is_found_only_under_its_own_event(open_event, campaign, department):
    registration, _ = sign_up(open_event, 1)
    other_event = make_event(campaign, department, title="另一场活动")
    assert services.registration_of(open_event, registration.id) is registration
    with pytest.raises(NotFound):
        services.registration_of(other_event, registration.id)
    with pytest.raises(NotFound):
        services.registration_of(open_event, registration.id + 1000)
