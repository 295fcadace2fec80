"""Planned timings: the old words read, checked, ordered and worded in each language."""

import pytest

from engage.decisions.timing import PlannedTiming, describe, from_part, parse, part_choices, problem

YEARS = range(2000, 2100)


@pytest.mark.parametrize(("words", "read"), [
    ("2026年第二季度", PlannedTiming(2026, quarter=2)),
    ("2026年第2季度", PlannedTiming(2026, quarter=2)),
    ("2026 年 第 一 季度", PlannedTiming(2026, quarter=1)),
    ("第四季度", PlannedTiming(2025, quarter=4)),
    ("三季度", PlannedTiming(2025, quarter=3)),
    ("2026年3月", PlannedTiming(2026, month=3)),
    ("2026年十二月", PlannedTiming(2026, month=12)),
    ("十一月份", PlannedTiming(2025, month=11)),
    ("Q2 2026", PlannedTiming(2026, quarter=2)),
    ("2026 q3", PlannedTiming(2026, quarter=3)),
    ("2026-03", PlannedTiming(2026, month=3)),
    ("　2026年4月　", PlannedTiming(2026, month=4)),
])
def test_old_words_that_are_read(words, read):
    assert parse(words, 2025) == read


@pytest.mark.parametrize("words", ["2026年", "2026年上半年", "年底前", "第五季度", "13月", "2026-13", "Q5 2026", "",
                                   "尽快"])
def test_old_words_that_are_kept_as_typed(words):
    assert parse(words, 2025) is None


@pytest.mark.parametrize(("timing", "zh", "en"), [
    (PlannedTiming(2026, quarter=2), "2026年第二季度", "Q2 2026"),
    (PlannedTiming(2026, month=3), "2026年3月", "March 2026"),
    (PlannedTiming(2027, month=12), "2027年12月", "December 2027"),
])
def test_a_timing_is_worded_in_the_visitors_language(timing, zh, en):
    assert describe(timing, "zh") == zh and describe(timing, "en") == en


def test_words_not_read_are_shown_as_typed():
    assert describe(PlannedTiming(), "en", "2026年上半年") == "2026年上半年"


@pytest.mark.parametrize(("timing", "field"), [
    (PlannedTiming(), "year"), (PlannedTiming(1999, quarter=1), "year"), (PlannedTiming(2100, month=1), "year"),
    (PlannedTiming(2026), "part"), (PlannedTiming(2026, quarter=0), "part"), (PlannedTiming(2026, quarter=5), "part"),
    (PlannedTiming(2026, month=0), "part"), (PlannedTiming(2026, month=13), "part"),
    (PlannedTiming(2026, quarter=1, month=1), "part"),
])
def test_a_timing_needs_a_year_in_range_and_one_quarter_or_month(timing, field):
    assert problem(timing, YEARS)[0] == field


@pytest.mark.parametrize("timing", [PlannedTiming(2000, quarter=1), PlannedTiming(2099, month=12),
                                    PlannedTiming(2026, quarter=4), PlannedTiming(2026, month=1)])
def test_good_timings_pass(timing):
    assert problem(timing, YEARS) is None


def test_timings_sort_by_when_they_end_a_month_before_its_quarter_words_last():
    timings = [PlannedTiming(), PlannedTiming(2027, month=1), PlannedTiming(2026, quarter=2),
               PlannedTiming(2026, month=6), PlannedTiming(2026, month=5), PlannedTiming(2026, quarter=1)]
    assert sorted(timings, key=PlannedTiming.sort_key) == [
        PlannedTiming(2026, quarter=1), PlannedTiming(2026, month=5), PlannedTiming(2026, month=6),
        PlannedTiming(2026, quarter=2), PlannedTiming(2027, month=1), PlannedTiming()]


@pytest.mark.parametrize(("part", "timing"), [
    ("q3", PlannedTiming(2026, quarter=3)), ("m11", PlannedTiming(2026, month=11)), ("q9", PlannedTiming(2026)),
    ("", PlannedTiming(2026)), ("x1", PlannedTiming(2026)),
])
def test_a_form_part_code_becomes_a_timing_and_back(part, timing):
    assert from_part(2026, part) == timing
    if timing.quarter or timing.month:
        assert timing.part == part


def test_the_choices_name_four_quarters_and_twelve_months_in_each_language():
    zh, en = dict(part_choices("zh")), dict(part_choices("en"))
    assert len(zh) == len(en) == 16
    assert zh["q2"] == "第二季度" and en["m3"] == "March"
