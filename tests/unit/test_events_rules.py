"""Rules of events: seats, the window, the waitlist, state changes, phone and ID checks, masking."""

from datetime import UTC, datetime, time, timedelta, timezone

import pytest

from engage.core.errors import InvalidTransition
from engage.events import rules

OPENS = datetime(2026, 8, 1, 1, 0, tzinfo=UTC)
CLOSES = datetime(2026, 8, 10, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(("capacity", "taken", "left"), [(50, 0, 50), (50, 49, 1), (50, 50, 0), (50, 51, 0)])
def test_seats_left(capacity, taken, left):
    assert rules.seats_left(capacity, taken) == left


def test_seats_count_people_in_seat_holding_sign_ups():
    sign_ups = [("confirmed", 3), ("pending", 2), ("waitlisted", 4), ("cancelled", 5), ("rejected", 1),
                ("attended", 1), ("no_show", 2)]
    assert rules.seats_taken(sign_ups) == 3 + 2 + 1 + 2


@pytest.mark.parametrize(("party", "free", "approval", "waitlist", "expected"), [
    (2, 3, False, True, "confirmed"),
    (3, 3, False, True, "confirmed"),
    (4, 3, False, True, "waitlisted"),
    (3, 3, True, True, "pending"),
    (4, 3, True, True, "waitlisted"),
    (1, 0, False, False, None),
])
def test_initial_status(party, free, approval, waitlist, expected):
    assert rules.initial_status(party, free, requires_approval=approval, waitlist_enabled=waitlist) == expected


def test_promotion_is_first_come_first_served():
    assert rules.promotions([(1, 1), (2, 1), (3, 1)], 2) == [1, 2]


def test_promotion_skips_a_party_that_does_not_fit_and_never_splits_it():
    assert rules.promotions([(1, 3), (2, 1), (3, 2), (4, 1)], 2) == [2, 4]


def test_promotion_with_no_free_seats_promotes_nobody():
    assert rules.promotions([(1, 1)], 0) == []


@pytest.mark.parametrize(("now", "state"), [
    (OPENS - timedelta(seconds=1), rules.NOT_YET_OPEN),
    (OPENS, rules.OPEN),
    (CLOSES - timedelta(seconds=1), rules.OPEN),
    (CLOSES, rules.CLOSED),
    (CLOSES + timedelta(seconds=1), rules.CLOSED),
])
def test_registration_window_edges(now, state):
    assert rules.registration_window_state(OPENS, CLOSES, now) == state


@pytest.mark.parametrize(("status", "refusal"), [("published", None), ("cancelled", "cancelled"), ("draft", "draft")])
def test_sign_up_refusal_by_event_status(status, refusal):
    assert rules.sign_up_refusal(status, OPENS, CLOSES, OPENS + timedelta(days=1)) == refusal


ALLOWED = sorted(rules.TRANSITIONS.items())


@pytest.mark.parametrize(("key", "after"), ALLOWED)
def test_allowed_transitions(key, after):
    assert rules.next_status(*key) == after


ACTIONS = (rules.APPROVE, rules.REJECT, rules.CANCEL, rules.PROMOTE, rules.PROMOTE_FOR_REVIEW, rules.CHECK_IN,
           rules.MARK_NO_SHOW)
FORBIDDEN = [(s, a) for s in rules.REGISTRATION_STATUSES for a in ACTIONS if (s, a) not in rules.TRANSITIONS]


@pytest.mark.parametrize(("status", "action"), FORBIDDEN)
def test_forbidden_transitions(status, action):
    assert not rules.can_change(status, action)
    with pytest.raises(InvalidTransition):
        rules.next_status(status, action)


def test_cancelled_and_rejected_are_final():
    assert not any(s in (rules.CANCELLED, rules.REJECTED) for s, _ in rules.TRANSITIONS)


STARTS = datetime(2026, 8, 10, 1, 30, tzinfo=UTC)
BEFORE = STARTS - timedelta(seconds=1)


@pytest.mark.parametrize(("status", "now", "by_organiser", "may"), [
    ("confirmed", BEFORE, False, True), ("pending", BEFORE, False, True), ("waitlisted", BEFORE, False, True),
    ("confirmed", STARTS, False, False),  # exactly at the start the citizen can no longer cancel
    ("waitlisted", STARTS + timedelta(days=1), False, False),
    ("confirmed", STARTS, True, True),  # the organiser still can
    ("attended", BEFORE, True, False), ("no_show", STARTS, True, False), ("cancelled", BEFORE, False, False),
    ("rejected", BEFORE, True, False),
])
def test_can_cancel(status, now, by_organiser, may):
    assert rules.can_cancel(status, STARTS, now, by_organiser=by_organiser) is may


@pytest.mark.parametrize(("typed", "phone"), [
    ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"), ("138-1234-5678", "13812345678"),
    ("+8613812345678", "13812345678"), ("008613812345678", "13812345678"), ("8613812345678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"), ("13８1234５678", "13812345678"),
    ("＋８６ １３８－１２３４－５６７８", "13812345678"), ("（138）12345678", "13812345678"),
])
def test_normalize_phone(typed, phone):
    assert rules.normalize_phone(typed) == phone


@pytest.mark.parametrize(("phone", "valid"), [
    ("13812345678", True), ("19912345678", True), ("12812345678", False), ("1381234567", False),
    ("138123456789", False), ("02812345678", False), ("1381234567a", False), ("", False),
    ("13٨12345678", False),  # an Arabic-Indic digit: a digit to ``\d``, not to a phone number
])
def test_is_valid_mobile(phone, valid):
    assert rules.is_valid_mobile(phone) is valid


@pytest.mark.parametrize(("number", "valid"), [
    ("11010519491231002X", True),  # the GB 11643 example number
    ("440524188001010014", True),
    ("11010519491231002x".upper(), True),
    ("110105194912310021", False),  # wrong check digit
    ("11010519491331002X", False),  # month 13
    ("11010519490230002X", False),  # 30 February
    ("11010519491231002", False),  # 17 characters
    ("1101051949123100X2", False),
])
def test_is_valid_id_number(number, valid):
    assert rules.is_valid_id_number(number) is valid


@pytest.mark.parametrize(("typed", "number"), [
    ("11010519491231002x", "11010519491231002X"), (" 110105 19491231 002X ", "11010519491231002X"),
    ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
])
def test_normalize_id_number(typed, number):
    assert rules.normalize_id_number(typed) == number


def test_id_number_with_other_scripts_digits_is_invalid():
    assert not rules.is_valid_id_number("11010519491231002X".replace("4", "٤"))


def test_check_digit_10_is_x():
    assert rules.id_check_digit("11010519491231002") == "X"


def test_mask_phone():
    assert rules.mask_phone("13812345678") == "138****5678"


def test_mask_id_number_hides_the_birth_date():
    masked = rules.mask_id_number("11010519491231002X")
    assert masked == "110***********002X"
    assert "1949" not in masked


def test_mask_empty_id_number():
    assert rules.mask_id_number("") == ""


def test_cancel_token_is_stored_only_as_hash():
    token = rules.cancel_token("secret", "ABCD2345")
    stored = rules.token_hash(token)
    assert token not in stored
    assert rules.is_token_match(token, stored)
    assert not rules.is_token_match(token + "x", stored)
    assert not rules.is_token_match("", stored)


def test_confirmation_codes_avoid_ambiguous_characters():
    code = rules.new_confirmation_code()
    assert len(code) == rules.CODE_LENGTH
    assert not set(code) & set("01IO")


def test_normalize_code():
    assert rules.normalize_code(" abcd-efgh ") == "ABCDEFGH"


def test_normalize_code_typed_full_width():
    assert rules.normalize_code("ａｂｃｄ－ｅｆｇ２") == "ABCDEFG2"


def test_cancel_token_depends_on_the_secret_and_the_code():
    token = rules.cancel_token("secret", "ABCD2345")
    assert token == rules.cancel_token("secret", "ABCD2345")
    assert token != rules.cancel_token("other secret", "ABCD2345")
    assert token != rules.cancel_token("secret", "ABCD2346")
    assert len(token) == 22


@pytest.mark.parametrize(("waitlist", "chosen", "skipped"), [
    ([(1, 3), (2, 1)], [2], [1]),             # the party of 3 did not fit, the one behind it did
    ([(1, 1), (2, 3)], [1], []),              # nobody behind the party of 3 was promoted: not skipped
    ([(1, 3), (2, 3), (3, 1), (4, 1)], [3], [1, 2]),
    ([(1, 2)], [], []),
])
def test_skipped_parties_are_those_passed_over(waitlist, chosen, skipped):
    assert rules.skipped_parties(waitlist, chosen) == skipped


CHINA = timezone(timedelta(hours=8))


@pytest.mark.parametrize(("now_china", "due"), [
    (datetime(2026, 8, 4, 8, 59, 59, tzinfo=CHINA), False),   # a second before 09:00 the day before
    (datetime(2026, 8, 4, 9, 0, tzinfo=CHINA), True),          # exactly at 09:00 the day before
    (datetime(2026, 8, 5, 13, 59, tzinfo=CHINA), True),        # still before the start
    (datetime(2026, 8, 5, 14, 0, tzinfo=CHINA), False),        # the event has begun
])
def test_a_reminder_is_due_from_nine_the_day_before_until_the_start(now_china, due):
    starts_at = datetime(2026, 8, 5, 14, 0, tzinfo=CHINA).astimezone(UTC)
    assert rules.is_reminder_due(starts_at, 1, time(9, 0), now_china.astimezone(UTC)) is due


def test_the_reminder_day_is_counted_in_china_time():
    # 00:30 on 5 August in China is still 4 August in UTC: the reminder is due on the 4th at 09:00 China time.
    starts_at = datetime(2026, 8, 5, 0, 30, tzinfo=CHINA).astimezone(UTC)
    assert rules.reminder_due_at(starts_at, 1, time(9, 0)) == datetime(2026, 8, 4, 1, 0, tzinfo=UTC)
