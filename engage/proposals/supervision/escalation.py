"""Escalation (升级督办): a case overdue by more than the configured days is reported to its unit's head contact.

Once per round and unit: the escalation notice carries a dedupe key like the reminders. The unit's staff get
the notice too (so they know their head was told), and the step appears on the case's timeline.
"""

from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from engage.accounts.models import Department
from engage.core.contacts import email_address, mobile_number
from engage.core.timeutil import china_date
from engage.extensions import db
from engage.notifications import bulk
from engage.proposals.supervision import notices
from engage.proposals.supervision.models import NoticeKind, StepKind, SupervisionStep, UnitNotice

TEMPLATE = "supervision_escalation"


def head_contacts(department: Department) -> list[tuple[str, str]]:
    """Where the head contact's messages go: their mobile number and their e-mail address, as given."""
    contacts = [("sms", mobile_number(department.head_contact_phone)),
                ("email", email_address(department.head_contact_email))]
    return [(channel, recipient) for channel, recipient in contacts if recipient]


def escalate(cases: list[tuple[int, int, date, int]], *, now: datetime, dedupe_key: str) -> list[UnitNotice]:
    """Escalate each (case id, round, due date, unit id); returns the units' notices (not yet added)."""
    if not cases:
        return []
    units = {d.id: d for d in db.session.scalars(select(Department).where(
        Department.id.in_({unit_id for *_rest, unit_id in cases})))}
    labels = notices.case_labels(case[0] for case in cases)
    language = current_app.config["BABEL_DEFAULT_LOCALE"]
    made, batch = [], []
    for proposal_id, round_number, due_on, unit_id in cases:
        unit = units[unit_id]
        days = (china_date(now) - due_on).days
        made.append(UnitNotice(proposal_id=proposal_id, round_number=round_number, department_id=unit_id,
                               kind=NoticeKind.ESCALATED, step=0, dedupe_key=dedupe_key, due_on=due_on,
                               detail=unit.head_contact_name, created_at=now))
        db.session.add(SupervisionStep(proposal_id=proposal_id, round_number=round_number, kind=StepKind.ESCALATED,
                                       department_id=unit_id, text=unit.head_contact_name, at=now))
        number, title = labels.get(proposal_id, ("", ""))
        params = {"head": unit.head_contact_name, "unit": unit.name, "proposal_id": proposal_id, "number": number,
                  "title": title, "due_on": due_on.isoformat(), "days": days}
        batch += [(channel, bulk.Addressed(recipient=recipient, language=language, params=params,
                                           about_type="proposals", about_id=proposal_id))
                  for channel, recipient in head_contacts(unit)]
    if batch:
        bulk.queue_to_contacts(batch, template=TEMPLATE, transactional=True, now=now)
    return made
