"""Outbox rules: back-off, SMS length, limits, masking."""

from datetime import datetime, timedelta

import pytest

from engage.notifications import rules


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 10), (2, 30), (3, 90), (4, 270), (5, 810), (6, 900)])
def test_retries_back_off_up_to_fifteen_minutes(attempts, seconds):
    assert rules.retry_delay(attempts) == timedelta(seconds=seconds)


def test_a_permanent_failure_or_the_last_try_fails_the_message():
    assert rules.status_after_failure(1, 5, permanent=False) == "retrying"
    assert rules.status_after_failure(1, 5, permanent=True) == "failed"
    assert rules.status_after_failure(5, 5, permanent=False) == "failed"


@pytest.mark.parametrize(("length", "segments"), [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3)])
def test_sms_segments(length, segments):
    assert rules.sms_segments("字" * length) == segments


def test_a_short_sms_is_left_alone():
    assert rules.fit_sms("【政民互动】您好") == "【政民互动】您好"


def test_a_long_sms_is_cut_to_three_segments_keeping_its_link_whole():
    link = "https://engage.example.gov.cn/events/lookup"
    fitted = rules.fit_sms("【政民互动】" + "很长的活动名称" * 40 + "，查看：" + link)
    assert len(fitted) == rules.sms_max_length()
    assert rules.sms_segments(fitted) == 3
    assert fitted.endswith("… " + link)


def test_a_long_sms_without_a_link_is_cut_with_an_ellipsis():
    fitted = rules.fit_sms("长" * 500)
    assert len(fitted) == rules.sms_max_length() and fitted.endswith("…")


def test_limits_per_hour_then_per_day():
    limits = {"hour": 5, "day": 10}
    assert rules.over_limit(4, 9, limits) is None
    assert rules.over_limit(5, 5, limits) == "hour"
    assert rules.over_limit(1, 10, limits) == "day"


def test_a_claim_goes_stale_after_the_configured_time():
    now = datetime(2026, 12, 2, 12, 0)
    assert rules.is_stale_claim(now - timedelta(seconds=301), now, 300)
    assert not rules.is_stale_claim(now - timedelta(seconds=10), now, 300)


@pytest.mark.parametrize(("contact", "masked"), [
    ("13812345678", "138****5678"), ("zhang@example.cn", "z***@example.cn"), ("123", "****"),
])
def test_contacts_are_masked(contact, masked):
    assert rules.mask_contact(contact) == masked
