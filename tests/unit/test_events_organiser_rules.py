"""The organiser's rules as plain functions: event details, seats that cannot be taken away, attendance,
questionnaires, and who organises what."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from engage.events import opinion_rules, organiser_rules, permissions

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


def test_attendance_counts_people_and_sign_ups():
    figures = organiser_rules.attendance([("attended", 3, 5), ("no_show", 1, 3), ("cancelled", 2, 2)])
    assert figures.registered_sign_ups == 6 and figures.registered_people == 10
    assert figures.people["confirmed"] == 0
    assert figures.attendance_rate == pytest.approx(5 / 8)


def test_attendance_rate_unknown_before_anyone_came():
    assert organiser_rules.attendance([("confirmed", 2, 3)]).attendance_rate is None


# ---- questionnaires ------------------------------------------------------------------------------------


def test_choices_are_cleaned():
    assert opinion_rules.clean_choices([" 网站 ", "", "微信", "网站"]) == ("网站", "微信")


@pytest.mark.parametrize(("choices", "ok"), [((), False), (("a",), False), (("a", "b"), True),
                                             (tuple("abcdefghij"), True), (tuple("abcdefghijk"), False)])
def test_single_choice_needs_two_to_ten_options(choices, ok):
    problems = opinion_rules.question_problems(opinion_rules.QuestionSpec("single_choice", "哪一项", choices))
    assert ("choices" not in problems) == ok


def test_only_single_choice_has_options():
    assert "choices" in opinion_rules.question_problems(opinion_rules.QuestionSpec("rating", "评价", ("a", "b")))


@pytest.mark.parametrize(("value", "ok"), [(0, False), (1, True), (5, True), (6, False), ("5", False), (True, False),
                                           (None, True)])
def test_rating_answers(value, ok):
    assert (opinion_rules.item_problem("rating", (), False, value) is None) == ok


def test_required_question_needs_an_answer():
    assert opinion_rules.item_problem("free_text", (), True, "") is not None
    assert opinion_rules.item_problem("free_text", (), False, "") is None


def test_choice_must_be_one_of_the_options():
    assert opinion_rules.item_problem("single_choice", ("甲", "乙"), False, "丙") is not None
    assert opinion_rules.item_problem("single_choice", ("甲", "乙"), False, "乙") is None


def test_opinion_length_boundary():
    limit = opinion_rules.OPINION_MAX_LENGTH
    assert opinion_rules.item_problem("free_text", (), False, "字" * limit) is None
    assert opinion_rules.item_problem("free_text", (), False, "字" * (limit + 1)) is not None


@pytest.mark.parametrize(("status", "is_open", "may"), [("attended", True, True), ("confirmed", True, True),
                                                        ("no_show", True, False), ("cancelled", True, False),
                                                        ("attended", False, False)])
def test_who_may_give_an_opinion(status, is_open, may):
    assert opinion_rules.may_give_opinion(status, is_open) == may


def test_figures():
    assert opinion_rules.average_rating([5, 4, 4]) == 4.3
    assert opinion_rules.average_rating([]) is None
    assert opinion_rules.choice_counts(("甲", "乙"), ["乙", "乙"]) == [("甲", 0), ("乙", 2)]
    assert opinion_rules.rating_distribution([5, 5, 1]) == [(5, 2), (4, 0), (3, 0), (2, 0), (1, 1)]


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
