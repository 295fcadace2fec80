"""What an inspection flags (政府网站检查指标), as plain rules over dates. No Flask, no database."""

from datetime import date, datetime, timedelta

REPORT_MISSING = "report_missing"  # consultation closed N days ago, no published feedback report
INTERPRETATION_LATE = "interpretation_late"  # decision's interpretation past its deadline, not yet published
DECISION_NOT_LINKED = "decision_not_linked"  # feedback report published M days ago, decision not linked
REPLY_OVERDUE = "reply_overdue"  # a proposal case's reply past its due date
# a proposal session still being handled whose handling figures were last published M days ago (or never, M days
# after its first assignment): the supervising office's, not a department's
FIGURES_STALE = "figures_stale"
KINDS = (REPORT_MISSING, INTERPRETATION_LATE, DECISION_NOT_LINKED, REPLY_OVERDUE, FIGURES_STALE)


def is_report_overdue(closes_at: datetime, has_report: bool, now: datetime, days: int) -> bool:
    """A consultation closed more than ``days`` days before ``now`` without a published feedback report."""
    return not has_report and closes_at <= now - timedelta(days=days)


def is_decision_link_overdue(first_report_at: datetime | None, has_decision: bool, now: datetime,
                             days: int) -> bool:
    """A feedback report out for more than ``days`` days while the consultation's decision is not linked."""
    return not has_decision and first_report_at is not None and first_report_at <= now - timedelta(days=days)


def is_interpretation_late(interpretation_due_on: date, interpreted_on: date | None, today: date) -> bool:
    """Still no interpretation after the day it was due (a late one already published cannot be fixed)."""
    return interpreted_on is None and today > interpretation_due_on


def figures_due_on(latest_published_on: date | None, first_assigned_on: date | None, days: int) -> date | None:
    """The last day a session's handling figures may go without being published (again): ``days`` after the
    latest publication, or after the first assignment when they were never published; None before any."""
    start = latest_published_on or first_assigned_on
    return None if start is None else start + timedelta(days=days)


def is_figures_publication_stale(latest_published_on: date | None, first_assigned_on: date | None,
                                 has_open_cases: bool, today: date, days: int) -> bool:
    """Published figures older than ``days`` days (or none that long after the first assignment), while the
    session still has cases being handled: once every case is answered the last statement stands."""
    due = figures_due_on(latest_published_on, first_assigned_on, days)
    return has_open_cases and due is not None and today > due


def days_late(since: date, today: date) -> int:
    return max((today - since).days, 0)
