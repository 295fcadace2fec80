"""Outbox rules: retry back-off, failure status, SMS segments, per-recipient limits, masking."""

from datetime import UTC, datetime, timedelta

import pytest

from engage.notifications import rules


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 10), (2, 30), (3, 90), (4, 270), (5, 810), (6, 900), (9, 900)])
def test_retry_delay_backs_off_up_to_fifteen_minutes(attempts, seconds):
    assert rules.retry_delay(attempts) == timedelta(seconds=seconds)


@pytest.mark.parametrize(("attempts", "permanent", "status"),
                         [(1, False, "retrying"), (4, False, "retrying"), (5, False, "failed"), (1, True, "failed")])
def test_status_after_failure(attempts, permanent, status):
    assert rules.status_after_failure(attempts, 5, permanent) == status


@pytest.mark.parametrize(("length", "segments"), [(70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)])
def test_sms_segments(length, segments):
    assert rules.sms_segments("字" * length) == segments


def test_sms_max_length_is_three_joined_segments():
    assert rules.sms_segments("字" * rules.sms_max_length()) == rules.SMS_MAX_SEGMENTS


@pytest.mark.parametrize(("hour", "day", "passed"), [(4, 9, None), (5, 5, "hour"), (0, 10, "day")])
def test_over_limit(hour, day, passed):
    assert rules.over_limit(hour, day, {"hour": 5, "day": 10}) == passed


def test_stale_claim_boundary():
    now = datetime(2026, 12, 2, tzinfo=UTC)
    assert rules.is_stale_claim(now - timedelta(seconds=300), now, 300) is True
    assert rules.is_stale_claim(now - timedelta(seconds=299), now, 300) is False


@pytest.mark.parametrize(("contact", "masked"),
                         [("13812345678", "138****5678"), ("zhang@example.cn", "z***@example.cn"), ("123", "****")])
def test_mask_contact(contact, masked):
    assert rules.mask_contact(contact) == masked
