"""Stored times are aware UTC; people read and type China time."""

from datetime import UTC, date, datetime

import pytest

from engage.core.columns import UTCDateTime
from engage.core.timeutil import china_date, end_of_china_day, from_china


def test_typed_china_time_becomes_utc():
    assert from_china(datetime(2026, 10, 1, 8, 0)) == datetime(2026, 10, 1, 0, 0, tzinfo=UTC)


def test_china_date_rolls_over_at_china_midnight():
    assert china_date(datetime(2026, 9, 30, 16, 0, tzinfo=UTC)) == date(2026, 10, 1)
    assert china_date(datetime(2026, 9, 30, 15, 59, tzinfo=UTC)) == date(2026, 9, 30)


def test_end_of_china_day_is_one_second_before_china_midnight():
    assert end_of_china_day(date(2026, 10, 1)) == datetime(2026, 10, 1, 15, 59, 59, tzinfo=UTC)


class _Dialect:
    def __init__(self, name):
        self.name = name


def test_naive_datetime_is_refused_by_the_column_type():
    with pytest.raises(ValueError):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1), _Dialect("sqlite"))


def test_sqlite_round_trip_keeps_utc():
    column = UTCDateTime()
    stored = column.process_bind_param(from_china(datetime(2026, 1, 1, 9, 0)), _Dialect("sqlite"))
    assert stored.tzinfo is None
    assert column.process_result_value(stored, _Dialect("sqlite")) == datetime(2026, 1, 1, 1, 0, tzinfo=UTC)
