"""Which contact was typed, how it is rate-limited, and how many codes one message lists."""

import pytest

from engage.lostcodes import rules


@pytest.mark.parametrize(("typed", "expected"), [
    ("13812345678", ("sms", "13812345678")),
    ("+86 138-1234-5678", ("sms", "13812345678")),
    ("0086 13812345678", ("sms", "13812345678")),
    ("１３８１２３４５６７８", ("sms", "13812345678")),  # full-width digits from a Chinese input method
    (" Zhang@Example.CN ", ("email", "zhang@example.cn")),
    ("0571-87001234", None),  # a landline takes no SMS
    ("1381234567", None),  # ten digits
    ("12812345678", None),  # no mobile starts 12
    ("zhang@example", None),
    ("zhang at example.cn", None),
    ("", None),
])
def test_a_contact_is_a_mobile_number_or_an_email_address(typed, expected):
    contact = rules.parse_contact(typed)
    assert (contact and (contact.channel, contact.address)) == expected or (contact is None and expected is None)


def test_every_way_of_typing_a_contact_counts_against_one_limit():
    assert rules.contact_key("+86 138 1234 5678") == rules.contact_key("13812345678") == "sms:13812345678"
    assert rules.contact_key("A@B.CN") == rules.contact_key("a@b.cn")


@pytest.mark.parametrize(("comments", "sign_ups", "cap", "expected"), [
    (0, 0, 3, (0, 0)),
    (5, 0, 3, (3, 0)),
    (0, 5, 3, (0, 3)),
    (1, 1, 3, (1, 1)),
    (5, 5, 3, (1, 2)),  # sign-ups first when the cap is odd
    (1, 5, 3, (1, 2)),
    (5, 1, 3, (2, 1)),
    (2, 1, 3, (2, 1)),
    (30, 30, 20, (10, 10)),
])
def test_one_message_lists_at_most_the_cap_shared_between_kinds(comments, sign_ups, cap, expected):
    shown = rules.items_per_kind(comments, sign_ups, cap)
    assert shown == expected and sum(shown) <= cap
