"""Demo supervision: a unit's head contact, the day's reminders, a chasing notice with its answer, and the CPPCC
session's replies reviewed, with one reply waiting for the supervising office. Through the services, "back then"."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from engage.accounts import services as accounts
from engage.accounts.models import Department, User
from engage.core.calendar_days import load_work_calendar
from engage.core.timeutil import china_date
from engage.extensions import db
from engage.proposals import rules as case_rules
from engage.proposals.handling.services import ReplyFields
from engage.proposals.models import Proposal, ProposalSession
from engage.proposals.supervision import chasing, reminders, review
from engage.proposals.supervision.models import ReplyDraft


def load(*, admin: User, supervisor: User, departments: dict[str, Department], staff: dict[str, User],
         now: datetime, proposals_session: str) -> None:
    """Only flushes."""
    first = next(iter(departments.values()))
    accounts.set_head_contact(first, name="王主任", email="head@example.gov.cn", phone="13900009999", actor=admin,
                              now=now)
    reminders.send_reminders(now=now, calendar=load_work_calendar())
    overdue = db.session.scalars(select(Proposal).where(Proposal.status.in_(case_rules.OPEN_STATUSES),
                                                        Proposal.due_on < china_date(now))
                                 .order_by(Proposal.due_on)).first()
    if overdue is not None:
        notice = chasing.send_chasing_notice(overdue, "该件已逾期，请于3个工作日内报送办理进度和答复时间。",
                                             actor=supervisor, now=now - timedelta(days=2))[0]
        lead = next(u for u in staff.values() if u.department_id == notice.department_id)
        chasing.answer_chasing_notice(notice, "已与代表电话沟通，正在会同相关部门研究，月底前正式答复。",
                                      actor=lead, now=now - timedelta(days=1))
    session = db.session.scalar(select(ProposalSession).where(ProposalSession.name == proposals_session))
    session.review_required = True
    waiting = db.session.scalars(select(Proposal).where(Proposal.session_id == session.id,
                                                        Proposal.status == case_rules.IN_PROGRESS)
                                 .order_by(Proposal.id)).first()
    if waiting is not None and db.session.scalar(select(ReplyDraft.id)) is None:
        lead = next(u for u in staff.values() if u.department_id == waiting.lead_unit_id)
        review.submit_reply(waiting, ReplyFields(body="经研究，已将该事项列入明年重点工作，分步推进。",
                                                 replied_on=china_date(now), outcome="B"),
                            actor=lead, now=now, config=current_app.config)
    db.session.flush()
