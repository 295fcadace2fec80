"""The organiser's rules as plain functions: event details, seats that cannot be taken away, attendance
and who organises what."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from engage.events import organiser_rules, permissions

T0 = datetime(2026, 8, 10, 1, 30, tzinfo=UTC)


def _values(**changes):
    values = {"kind": "forum", "venue": "会议室", "online_link": "", "starts_at": T0,
              "ends_at": T0 + timedelta(hours=2),
              "registration_opens_at": T0 - timedelta(days=10), "registration_closes_at": T0 - timedelta(days=1),
              "capacity": 30, "max_party_size": 2}
    values.update(changes)
    return values


def test_sound_event_has_no_problems():
    assert organiser_rules.event_problems(_values()) == {}


@pytest.mark.parametrize(("changes", "field"), [
    ({"ends_at": T0}, "ends_at"),
    ({"ends_at": T0 - timedelta(seconds=1)}, "ends_at"),
    ({"registration_closes_at": T0 - timedelta(days=10)}, "registration_closes_at"),
    ({"registration_closes_at": T0 + timedelta(seconds=1)}, "registration_closes_at"),
    ({"venue": ""}, "venue"),
    ({"kind": "online_broadcast", "venue": ""}, "online_link"),
    ({"capacity": 0}, "capacity"),
    ({"max_party_size": 31}, "max_party_size"),
    ({"max_party_size": 0}, "max_party_size"),
])
def test_event_problems(changes, field):
    assert field in organiser_rules.event_problems(_values(**changes))


def test_sign_up_may_close_exactly_when_the_event_starts():
    assert organiser_rules.event_problems(_values(registration_closes_at=T0)) == {}


def test_online_broadcast_needs_no_venue():
    assert organiser_rules.event_problems(_values(kind="online_broadcast", venue="", online_link="https://x.cn")) == {}


@pytest.mark.parametrize(("capacity", "refused"), [(9, True), (10, False), (11, False)])
def test_seats_held_cannot_be_taken_away(capacity, refused):
    assert (organiser_rules.capacity_problem(capacity, seats_taken=10) is not None) == refused


@pytest.mark.parametrize(("now", "refused"), [(T0 + timedelta(hours=2), True), (T0 + timedelta(hours=2, seconds=-1),
                                                                                  False)])
def test_an_event_that_is_over_cannot_be_published(now, refused):
    assert ("ends_at" in organiser_rules.publish_problems(_values(), now)) == refused


@pytest.mark.parametrize(("status", "editable"), [("draft", True), ("published", True), ("cancelled", False)])
def test_only_a_cancelled_event_is_frozen(status, editable):
    assert organiser_rules.is_editable(status) is editable


def test_attendance_counts_people_and_sign_ups():
    figures = organiser_rules.attendance([("attended", 3, 5), ("no_show", 1, 3), ("cancelled", 2, 2)])
    assert figures.registered_sign_ups == 6 and figures.registered_people == 10
    assert figures.people["confirmed"] == 0
    assert figures.attendance_rate == pytest.approx(5 / 8)


def test_attendance_rate_unknown_before_anyone_came():
    assert organiser_rules.attendance([("confirmed", 2, 3)]).attendance_rate is None


# ---- permissions ---------------------------------------------------------------------------------------


def _user(role, department_id=None, active=True):
    return SimpleNamespace(role=role, department_id=department_id, is_active=active, is_authenticated=True)


@pytest.mark.parametrize(("user", "own", "other", "campaigns"), [
    (_user("admin"), True, True, True),
    (_user("organiser"), True, True, True),
    (_user("organiser", 1), True, False, False),
    (_user("organiser", 1, active=False), False, False, False),
    (_user("department_staff", 1), False, False, False),
    (_user("supervisor"), False, False, False),
])
def test_who_organises_what(user, own, other, campaigns):
    assert permissions.can_manage_event(user, SimpleNamespace(department_id=1)) == own
    assert permissions.can_manage_event(user, SimpleNamespace(department_id=2)) == other
    assert permissions.can_manage_campaigns(user) == campaigns


@pytest.mark.parametrize(("status", "publishable"), [("draft", True), ("published", False), ("cancelled", False)])
def test_only_a_draft_is_publishable(status, publishable):
    assert organiser_rules.is_publishable(status) is publishable
