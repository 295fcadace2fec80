"""The self-check rule on published handling figures: plain dates, no app."""

from datetime import date

import pytest

from engage.inspection import rules

DAYS = 90
PUBLISHED = date(2026, 3, 10)
ASSIGNED = date(2026, 2, 1)


@pytest.mark.parametrize(("latest", "first_assigned", "today", "stale"), [
    (PUBLISHED, ASSIGNED, date(2026, 6, 8), False),  # exactly 90 days after the publication: not older yet
    (PUBLISHED, ASSIGNED, date(2026, 6, 9), True),  # 91 days
    (None, ASSIGNED, date(2026, 5, 2), False),  # never published, 90 days after the first assignment
    (None, ASSIGNED, date(2026, 5, 3), True),
    (None, None, date(2027, 1, 1), False),  # nothing assigned: no figures owed yet
    # a publication resets the clock even when the first assignment is long past
    (date(2026, 6, 1), ASSIGNED, date(2026, 6, 9), False),
])
def test_published_figures_older_than_the_limit_are_stale(latest, first_assigned, today, stale):
    assert rules.is_figures_publication_stale(latest, first_assigned, True, today, DAYS) is stale


def test_a_session_with_no_case_being_handled_is_never_flagged():
    assert not rules.is_figures_publication_stale(PUBLISHED, ASSIGNED, False, date(2027, 12, 1), DAYS)
    assert not rules.is_figures_publication_stale(None, ASSIGNED, False, date(2027, 12, 1), DAYS)


def test_the_figures_fall_due_the_limit_after_the_latest_publication_or_the_first_assignment():
    assert rules.figures_due_on(PUBLISHED, ASSIGNED, DAYS) == date(2026, 6, 8)
    assert rules.figures_due_on(None, ASSIGNED, DAYS) == date(2026, 5, 2)
    assert rules.figures_due_on(None, None, DAYS) is None
    assert rules.days_late(rules.figures_due_on(PUBLISHED, ASSIGNED, DAYS), date(2026, 6, 11)) == 3
