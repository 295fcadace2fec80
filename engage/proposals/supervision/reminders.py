"""Reminders before and after a reply's due date, and escalation to the unit's head: the periodic run.

Each reminder is a notice with a ``dedupe_key`` unique per case round and unit (``due_soon:7``, ``overdue:2``),
so a run that is repeated, or two runs at once (the second fails on the unique key and rolls back), never
sends one twice. Only flushes; the periodic task commits.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from engage.core.timeutil import china_date
from engage.core.workdays import WorkCalendar
from engage.extensions import db
from engage.proposals import rules as case_rules
from engage.proposals.models import CoUnitOpinion, Proposal, ProposalUnit, UnitRole
from engage.proposals.supervision import escalation, notices
from engage.proposals.supervision import rules as supervision_rules
from engage.proposals.supervision.models import NoticeKind, UnitNotice

KIND_OF = {supervision_rules.DUE_SOON: NoticeKind.DUE_SOON, supervision_rules.DUE_TODAY: NoticeKind.DUE_TODAY,
           supervision_rules.OVERDUE: NoticeKind.OVERDUE}
ESCALATION_KEY = "escalated:0"
#: a co-unit's opinion reminders are 'opinion requested' notices again, told apart by this key's prefix
OPINION_KEY = "opinion"


def open_cases_due_by(latest_due) -> list:
    """(id, round_number, due_on, lead unit ids) of every case still owed a reply and due by ``latest_due``."""
    rows = db.session.execute(
        select(Proposal.id, Proposal.round_number, Proposal.due_on, ProposalUnit.department_id)
        .join(ProposalUnit, ProposalUnit.proposal_id == Proposal.id)
        .where(Proposal.status.in_(case_rules.OPEN_STATUSES), Proposal.due_on <= latest_due,
               ProposalUnit.role == UnitRole.LEAD)
    ).all()
    cases: dict[int, list] = {}
    for row in rows:
        cases.setdefault(row.id, [row.id, row.round_number, row.due_on, []])[3].append(row.department_id)
    return list(cases.values())


def recorded_keys(proposal_ids: list[int]) -> set[tuple]:
    keys = set()
    for start in range(0, len(proposal_ids), 500):
        chunk = proposal_ids[start:start + 500]
        keys.update(tuple(row) for row in db.session.execute(
            select(UnitNotice.proposal_id, UnitNotice.round_number, UnitNotice.department_id, UnitNotice.dedupe_key)
            .where(UnitNotice.proposal_id.in_(chunk), UnitNotice.dedupe_key.is_not(None))))
    return keys


def send_reminders(*, now: datetime, calendar: WorkCalendar) -> list[UnitNotice]:
    """Record (and deliver to those who want them at once) the reminders due at ``now``; returns the new ones."""
    config = current_app.config
    today = china_date(now)
    if not calendar.is_working_day(today):
        return []
    steps = list(config["PROPOSAL_REMINDER_DAYS"])
    # A step's day moves earlier over a long holiday: look a month beyond the earliest step.
    cases = open_cases_due_by(today + timedelta(days=max(steps, default=0) + 31))
    known = recorded_keys([case[0] for case in cases])
    new, to_escalate = [], []
    for proposal_id, round_number, due_on, unit_ids in cases:
        due = supervision_rules.reminder_due(due_on, today, steps, calendar)
        if due is not None:
            key = supervision_rules.dedupe_key(*due)
            new += [UnitNotice(proposal_id=proposal_id, round_number=round_number, department_id=unit_id,
                               kind=KIND_OF[due[0]], step=due[1], dedupe_key=key, due_on=due_on, created_at=now)
                    for unit_id in unit_ids if (proposal_id, round_number, unit_id, key) not in known]
        if supervision_rules.is_escalation_due(due_on, today, config["PROPOSAL_ESCALATION_DAYS"], calendar):
            to_escalate += [(proposal_id, round_number, due_on, unit_id) for unit_id in unit_ids
                            if (proposal_id, round_number, unit_id, ESCALATION_KEY) not in known]
    new += escalation.escalate(to_escalate, now=now, dedupe_key=ESCALATION_KEY)
    new += opinion_reminders(today, config["PROPOSAL_OPINION_REMINDER_DAYS"], calendar, now=now)
    db.session.add_all(new)
    db.session.flush()
    notices.deliver_now(new, now=now)
    return new


def co_units_owing_an_opinion(latest_due) -> list:
    """(case id, round, opinion due date, co-unit id) of every open case whose co-unit has sent no opinion in
    this round, due by ``latest_due``."""
    sent = (select(CoUnitOpinion.id).where(CoUnitOpinion.proposal_id == Proposal.id,
                                           CoUnitOpinion.department_id == ProposalUnit.department_id,
                                           CoUnitOpinion.round_number == Proposal.round_number).exists())
    return db.session.execute(
        select(Proposal.id, Proposal.round_number, ProposalUnit.opinion_due_on, ProposalUnit.department_id)
        .join(ProposalUnit, ProposalUnit.proposal_id == Proposal.id)
        .where(Proposal.status.in_(case_rules.OPEN_STATUSES), ProposalUnit.role == UnitRole.CO,
               ProposalUnit.opinion_due_on <= latest_due, ~sent)
    ).all()


def opinion_reminders(today, steps: list[int], calendar: WorkCalendar, *, now: datetime) -> list[UnitNotice]:
    """Co-units reminded before their opinion is due and on the day; none once it is late (the lead unit replies
    without it, and the dashboard shows it)."""
    owing = co_units_owing_an_opinion(today + timedelta(days=max(steps, default=0) + 31))
    known = recorded_keys(sorted({row.id for row in owing}))
    made = []
    for proposal_id, round_number, due_on, unit_id in owing:
        due = supervision_rules.reminder_due(due_on, today, steps, calendar)
        if due is None or due[0] == supervision_rules.OVERDUE:
            continue
        key = f"{OPINION_KEY}:{due[1]}"
        if (proposal_id, round_number, unit_id, key) not in known:
            made.append(UnitNotice(proposal_id=proposal_id, round_number=round_number, department_id=unit_id,
                                   kind=NoticeKind.OPINION_REQUESTED, step=due[1], dedupe_key=key, due_on=due_on,
                                   created_at=now))
    return made


def reminders_by_unit(since: datetime) -> dict[int, int]:
    """How many reminders each unit was sent since ``since`` (for the dashboard)."""
    counts: dict[int, int] = defaultdict(int)
    rows = db.session.execute(select(UnitNotice.department_id).where(
        UnitNotice.created_at >= since, UnitNotice.kind.in_(list(KIND_OF.values()))))
    for row in rows:
        counts[row.department_id] += 1
    return counts
