"""Rules of a comment period, without an app or a database."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from engage.consultations import rules
from engage.core.timeutil import CHINA_TZ
from engage.core.workdays import WorkCalendar

OPENS = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in China
CLOSES = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)  # 17:00 in China
SECOND = timedelta(seconds=1)


def china(*args) -> datetime:
    return datetime(*args, tzinfo=CHINA_TZ)


# ---- public status -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (OPENS - SECOND, rules.SCHEDULED),
        (OPENS, rules.OPEN),
        (CLOSES - SECOND, rules.OPEN),
        (CLOSES, rules.CLOSED),
        (CLOSES + SECOND, rules.CLOSED),
    ],
    ids=["one second before open", "exactly at open", "one second before close", "exactly at close",
         "one second after close"],
)
def test_public_status_follows_the_period(now, expected):
    assert rules.public_status("published", OPENS, CLOSES, now) == expected


@pytest.mark.parametrize("stage", ["draft", "feedback_published", "decided"])
def test_public_status_of_other_stages_ignores_the_clock(stage):
    assert rules.public_status(stage, OPENS, CLOSES, OPENS + SECOND) == stage


def test_public_status_of_a_draft_without_period_is_draft():
    assert rules.public_status("draft", None, None, OPENS) == rules.DRAFT


@pytest.mark.parametrize(
    ("now", "expected"), [(OPENS - SECOND, False), (OPENS, True), (CLOSES - SECOND, True), (CLOSES, False)]
)
def test_comment_period_open_from_opening_inclusive_to_closing_exclusive(now, expected):
    assert rules.is_comment_period_open(OPENS, CLOSES, now) is expected


# ---- articles ------------------------------------------------------------------------------------------


def test_split_articles_keeps_preamble_and_chapters():
    text = ("某某办法（征求意见稿）\n第一章 总则\n第一条 为了规范管理，制定本办法。\n第二条 本办法适用于全市。\n"
            "第二章 附则\n第三条 本办法自公布之日起施行。")
    preamble, articles = rules.split_articles(text)
    assert preamble == "某某办法（征求意见稿）"
    assert [(a.number, a.label, a.chapter) for a in articles] == [
        (1, "第一条", "第一章 总则"), (2, "第二条", ""), (3, "第三条", "第二章 附则"),
    ]
    assert articles[0].body == "为了规范管理，制定本办法。"


def test_split_articles_reads_large_chinese_numerals():
    text = "\n".join(f"第{numeral}条 内容{numeral}" for numeral in ["九", "十", "十一", "二十一", "一百", "一百零二"])
    assert [a.number for a in rules.split_articles(text)[1]] == [9, 10, 11, 21, 100, 102]


def test_split_articles_reads_arabic_numerals():
    _, articles = rules.split_articles("第1条 甲\n第2条 乙\n第10条 丙")
    assert [(a.number, a.label) for a in articles] == [(1, "第1条"), (2, "第2条"), (10, "第10条")]


def test_split_articles_keeps_continuation_lines_in_their_article():
    _, articles = rules.split_articles("第一条 有下列情形之一的：\n（一）甲；\n（二）乙。\n第二条 其他。")
    assert articles[0].body == "有下列情形之一的：\n（一）甲；\n（二）乙。"
    assert len(articles) == 2


def test_split_articles_leaves_quoted_earlier_article_inside_the_current_one():
    # A line opening with an earlier article's number quotes that article; it is not a new one.
    text = "第一条 总则。\n第二条 罚则。\n第三条 违反本办法的：\n第一条规定的情形，从轻处理。\n第四条 施行日期。"
    _, articles = rules.split_articles(text)
    assert [a.number for a in articles] == [1, 2, 3, 4]
    assert "第一条规定的情形" in articles[2].body


def test_split_articles_without_articles_is_all_preamble():
    assert rules.split_articles("只有一段说明文字。\n第二段。") == ("只有一段说明文字。\n第二段。", [])


def test_split_articles_accepts_windows_line_ends_and_full_width_spaces():
    _, articles = rules.split_articles("第一条　甲。\r\n第二条　乙。\r\n")
    assert [(a.number, a.body) for a in articles] == [(1, "甲。"), (2, "乙。")]


# ---- minimum periods -----------------------------------------------------------------------------------

THIRTY_DAYS = rules.MinimumPeriod(30, "days")
SEVEN_WORKING_DAYS = rules.MinimumPeriod(7, "working_days")


def test_earliest_close_after_thirty_days_is_the_end_of_the_thirtieth_day():
    assert rules.earliest_close(china(2026, 3, 2, 9, 0), THIRTY_DAYS, WorkCalendar()) == china(2026, 4, 1, 23, 59, 59)


@pytest.mark.parametrize(
    ("closes_at", "too_short"),
    [
        (china(2026, 4, 1, 0, 0), False),  # any time on the last required day is enough
        (china(2026, 4, 1, 17, 0), False),
        (china(2026, 3, 31, 23, 59, 59), True),  # one day less
        (china(2026, 3, 31, 17, 0), True),
    ],
)
def test_thirty_day_minimum_boundaries(closes_at, too_short):
    assert rules.is_period_too_short(china(2026, 3, 2, 9, 0), closes_at, THIRTY_DAYS, WorkCalendar()) is too_short


def test_seven_working_days_across_national_day_count_the_make_up_saturday():
    # 2026 National Day: Oct 1-7 off; Sat Oct 10 is a make-up working day. Opening Sep 30, the working days
    # are Oct 8, 9, 10 (Sat), 12, 13, 14, 15.
    opens = china(2026, 9, 30, 10, 0)
    assert rules.earliest_close(opens, SEVEN_WORKING_DAYS, WorkCalendar()) == china(2026, 10, 15, 23, 59, 59)


@pytest.mark.parametrize(
    ("closes_at", "too_short"),
    [
        (china(2026, 10, 15, 17, 0), False),
        (china(2026, 10, 14, 23, 59), True),
        (china(2026, 10, 9, 17, 0), True),  # what Monday-to-Friday counting would wrongly accept
    ],
)
def test_seven_working_day_minimum_boundaries_across_a_holiday(closes_at, too_short):
    opens = china(2026, 9, 30, 10, 0)
    assert rules.is_period_too_short(opens, closes_at, SEVEN_WORKING_DAYS, WorkCalendar()) is too_short


def test_working_day_minimum_uses_administrator_overrides():
    # An administrator marks Oct 15 as a day off (e.g. a local holiday): the period must run one day longer.
    calendar = WorkCalendar({datetime(2026, 10, 15).date(): False})
    assert rules.earliest_close(china(2026, 9, 30, 10, 0), SEVEN_WORKING_DAYS, calendar) == china(
        2026, 10, 16, 23, 59, 59
    )


def test_opening_late_in_the_evening_counts_from_the_china_date():
    # 23:30 on Mar 2 in China is still Mar 2 there (15:30 UTC): the UTC date must not be used.
    opens = china(2026, 3, 2, 23, 30)
    assert rules.earliest_close(opens, THIRTY_DAYS, WorkCalendar()) == china(2026, 4, 1, 23, 59, 59)


# ---- receipts and contacts -----------------------------------------------------------------------------


def test_receipt_number_format_avoids_confusable_characters():
    numbers = {rules.new_receipt_number() for _ in range(200)}
    assert len(numbers) == 200
    pattern = re.compile(r"^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{4}-"
                         r"[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{4}$")
    assert all(pattern.match(number) for number in numbers)


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("K7M2-9XQP-4HTA", "K7M2-9XQP-4HTA"),
        ("k7m2-9xqp-4hta", "K7M2-9XQP-4HTA"),
        ("k7m2 9xqp 4hta", "K7M2-9XQP-4HTA"),
        ("K7M29XQP4HTA", "K7M2-9XQP-4HTA"),
        (" K7M2—9XQP—4HTA ", "K7M2-9XQP-4HTA"),
        ("K7M2-9XQP", "K7M29XQP"),  # too short: left as typed (upper case), so it is simply not found
    ],
)
def test_receipt_number_normalisation(typed, normalised):
    assert rules.normalise_receipt_number(typed) == normalised


@pytest.mark.parametrize(
    "contact",
    ["13812345678", "+8613812345678", "+86 138 1234 5678", "86-13812345678", "010-12345678", "0755-1234567",
     "someone@example.com", "张三@例子.中国"],
)
def test_valid_contacts(contact):
    assert rules.is_valid_contact(contact)


@pytest.mark.parametrize(
    "contact", ["", "12345", "1381234567", "138123456789", "12812345678", "someone@", "someone@example", "@x.cn"]
)
def test_invalid_contacts(contact):
    assert not rules.is_valid_contact(contact)


@pytest.mark.parametrize(("mode", "status"), [("immediate", "published"), ("review", "pending")])
def test_initial_comment_status_follows_moderation_mode(mode, status):
    assert rules.initial_comment_status(mode) == status
