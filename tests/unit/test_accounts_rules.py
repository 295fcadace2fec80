"""Login lockout rules."""

from datetime import UTC, datetime, timedelta

import pytest

from engage.accounts import rules

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
LOCKOUT = timedelta(minutes=15)


@pytest.mark.parametrize(
    ("locked_until", "expected"),
    [
        (None, False),
        (NOW - timedelta(seconds=1), False),
        (NOW, False),
        (NOW + timedelta(seconds=1), True),
    ],
)
def test_is_locked_until_the_moment_the_lock_ends(locked_until, expected):
    assert rules.is_locked(locked_until, NOW) is expected


@pytest.mark.parametrize(("failures", "locks"), [(4, False), (5, True), (6, True)])
def test_lock_after_failure_locks_at_the_limit(failures, locks):
    locked_until = rules.lock_after_failure(failures, 5, LOCKOUT, NOW)
    assert locked_until == (NOW + LOCKOUT if locks else None)
