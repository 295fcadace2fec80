"""Rules of proposal handling: due dates, the objection window, the status life cycle. No Flask, no database."""

import calendar as month_calendar
from datetime import date

from flask_babel import lazy_gettext as _l

from engage.core.enums import LabelledStrEnum
from engage.core.errors import InvalidTransition
from engage.core.workdays import WorkCalendar, add_working_days

# Kinds (stored values).
SUGGESTION, PROPOSAL = "suggestion", "proposal"
KINDS = (SUGGESTION, PROPOSAL)



class ProposalStatus(LabelledStrEnum):
    """A case's status, in life-cycle order."""

    REGISTERED = "registered", _l("Registered")  # 已登记
    ASSIGNED = "assigned", _l("Assigned")  # 已交办
    IN_PROGRESS = "in_progress", _l("In progress")  # 办理中
    REPLIED = "replied", _l("Replied")  # 已答复
    RATED = "rated", _l("Rated")  # 已评价
    REOPENED = "reopened", _l("Re-handling")  # 重新办理


REGISTERED, ASSIGNED, IN_PROGRESS = ProposalStatus.REGISTERED, ProposalStatus.ASSIGNED, ProposalStatus.IN_PROGRESS
REPLIED, RATED, REOPENED = ProposalStatus.REPLIED, ProposalStatus.RATED, ProposalStatus.REOPENED
STATUSES = tuple(ProposalStatus)
#: statuses in which a unit still owes a reply: the due date counts and the case can be overdue
OPEN_STATUSES = frozenset({ASSIGNED, IN_PROGRESS, REOPENED})

# Actions that change the status.
ASSIGN, REASSIGN, START, REPLY, RATE, REOPEN = "assign", "reassign", "start", "reply", "rate", "reopen"

#: (status, action) -> new status. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (REGISTERED, ASSIGN): ASSIGNED,
    # The supervising office moves a case to other units after an objection (or its own second thoughts).
    (ASSIGNED, REASSIGN): ASSIGNED,
    (IN_PROGRESS, REASSIGN): ASSIGNED,
    (REOPENED, REASSIGN): REOPENED,
    (ASSIGNED, START): IN_PROGRESS,
    (REOPENED, START): IN_PROGRESS,
    (IN_PROGRESS, REPLY): REPLIED,
    (REPLIED, RATE): RATED,
    # Re-handling (重新办理) follows an unsatisfied rating.
    (REPLIED, REOPEN): REOPENED,
    (RATED, REOPEN): REOPENED,
}

#: statuses in which a handling unit may object to being assigned the case: a new assignment, not yet replied
OBJECTABLE_STATUSES = frozenset({ASSIGNED, IN_PROGRESS})

#: every status pair that some action allows
ALLOWED_CHANGES = frozenset((current, new) for (current, _action), new in TRANSITIONS.items())

ACTION_LABELS = {
    ASSIGN: _l("assign"),
    REASSIGN: _l("reassign"),
    START: _l("start handling"),
    REPLY: _l("reply"),
    RATE: _l("rate"),
    REOPEN: _l("reopen"),
}



class Satisfaction(LabelledStrEnum):
    """A proposer's rating of the reply (满意 / 基本满意 / 不满意)."""

    SATISFIED = "satisfied", _l("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _l("Basically satisfied")
    UNSATISFIED = "unsatisfied", _l("Unsatisfied")


SATISFIED, BASICALLY_SATISFIED, UNSATISFIED = Satisfaction
SATISFACTIONS = tuple(Satisfaction)


def next_status(current: str, action: str) -> str:
    """The status ``action`` leads to from ``current``; ``InvalidTransition`` (with a clear message) if none."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise InvalidTransition(
            _l(
                "A case that is “%(status)s” cannot be changed by “%(action)s”.",
                status=ProposalStatus.label_of(current),
                action=ACTION_LABELS.get(action, action),
            )
        ) from None


def can_change(current: str, action: str) -> bool:
    """Whether ``action`` is allowed from ``current``: what the case page offers is what the services accept."""
    return (current, action) in TRANSITIONS


def is_objection_open(status: str, today: date, deadline: date | None) -> bool:
    """Whether a unit may still object to its assignment: to a new one, until the deadline day inclusive."""
    return status in OBJECTABLE_STATUSES and deadline is not None and today <= deadline


def is_allowed_change(current: str, new: str) -> bool:
    return (current, new) in ALLOWED_CHANGES


def add_months(start: date, months: int) -> date:
    """The same day ``months`` calendar months later, clamped to the month's end (31 Jan + 3 = 30 Apr)."""
    if months < 0:
        raise ValueError("months must not be negative")
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = month_calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def due_date(assigned_on: date, kind: str, due_months: dict[str, int]) -> date:
    """When the reply is due: ``due_months[kind]`` calendar months after assignment (3 by default, law)."""
    return add_months(assigned_on, due_months[kind])


def latest_extended_due_date(assigned_on: date, max_months: int) -> date:
    """The latest due date an extension may set: 6 months after assignment by default (law)."""
    return add_months(assigned_on, max_months)


def extension_problems(assigned_on: date, current_due: date, new_due: date | None, reason: str,
                       max_months: int) -> dict[str, list]:
    """What is wrong with an extension, by field; empty when it may be granted."""
    problems: dict[str, list] = {}
    latest = latest_extended_due_date(assigned_on, max_months)
    if new_due is None:
        problems["due_on"] = [_l("Give the new due date.")]
    elif new_due <= current_due:
        problems["due_on"] = [_l("The new due date must be later than the current one.")]
    elif new_due > latest:
        problems["due_on"] = [_l("A reply is due within %(months)d months of assignment at the latest.",
                                 months=max_months)]
    if not (reason or "").strip():
        problems["reason"] = [_l("Explain why the reply needs more time: an extension needs a reason.")]
    return problems


def reopened_due_date(reopened_on: date, reopen_months: int) -> date:
    """The due date of a re-handling round (1 month after reopening by default)."""
    return add_months(reopened_on, reopen_months)


def objection_deadline(assigned_on: date, working_days: int, work_calendar: WorkCalendar) -> date:
    """The last day a unit may object to an assignment (5 working days after it by default)."""
    return add_working_days(assigned_on, working_days, work_calendar)


def may_object(assigned_on: date, today: date, working_days: int, work_calendar: WorkCalendar) -> bool:
    return today <= objection_deadline(assigned_on, working_days, work_calendar)


def public_step_day(action: str, changed_on: date, assigned_on: date | None) -> date | None:
    """The day the public timeline gives a status step, when it is not the day the step was recorded.

    The assignment is dated by its assignment date (交办日期), which an import or a late entry records after
    the fact; a case cannot be registered after it was assigned, so its registration is dated no later.
    """
    if assigned_on is None:
        return None
    if action == ASSIGN:
        return assigned_on
    if action == "register" and changed_on > assigned_on:
        return assigned_on
    return None


def is_overdue(status: str, due_on: date | None, today: date) -> bool:
    """A case still owed a reply whose due date has passed."""
    return status in OPEN_STATUSES and due_on is not None and today > due_on


def is_due_soon(status: str, due_on: date | None, today: date, within_days: int) -> bool:
    """Still owed a reply and due within ``within_days`` days (today included), not yet overdue."""
    return status in OPEN_STATUSES and due_on is not None and 0 <= (due_on - today).days <= within_days


def days_until(due_on: date, today: date) -> int:
    """Days left until the due date; negative when overdue."""
    return (due_on - today).days


def is_on_time(replied_on: date, due_on: date) -> bool:
    return replied_on <= due_on


def round_satisfaction(ratings: list[str]) -> str | None:
    """The case's satisfaction for a round: the least satisfied of its proposers' ratings (None if none yet)."""
    if not ratings:
        return None
    return max(ratings, key=SATISFACTIONS.index)


def satisfaction_rate(satisfied: int, basically: int, total: int) -> float | None:
    """Share of ratings that are satisfied or basically satisfied (None when there are none)."""
    return (satisfied + basically) / total if total else None


def outcome_codes(outcome_classes: dict[str, list[dict]], kind: str) -> list[str]:
    return [entry["code"] for entry in outcome_classes[kind]]


def outcome_label(outcome_classes: dict[str, list[dict]], kind: str, code: str | None, locale: str = "zh") -> str:
    """The label of an outcome class in the interface language; the code itself if no longer configured."""
    for entry in outcome_classes.get(kind, []):
        if entry["code"] == code:
            if locale == "en" and entry.get("label_en"):
                return f"{code} {entry['label_en']}"
            return f"{code} {entry['label']}"
    return code or ""
