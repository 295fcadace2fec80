"""Chasing notices (催办通知): the supervising office presses a unit on a case; the unit answers."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

from engage.core import audit
from engage.core.errors import NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.extensions import db
from engage.proposals import rules as case_rules
from engage.proposals.models import Proposal, UnitRole
from engage.proposals.supervision import notices, permissions
from engage.proposals.supervision.models import NoticeKind, StepKind, SupervisionStep

TEXT_MAX = 2000


def _text_problems(field: str, text: str, required) -> dict[str, list]:
    text = (text or "").strip()
    if not text:
        return {field: [required]}
    if len(text) > TEXT_MAX:
        return {field: [_l("The text may be at most %(max)d characters.", max=TEXT_MAX)]}
    return {}


def send_chasing_notice(proposal: Proposal, text: str, *, actor, now: datetime) -> list[SupervisionStep]:
    """Send a chasing notice to the case's lead unit(s), on the case's timeline; returns one step per unit.

    :raises NotAllowed: unless the actor is a supervisor
    :raises ValidationFailed: no text, or too long
    :raises RuleViolation: the case is not waiting for a reply
    """
    if not permissions.can_chase(actor, proposal):
        raise NotAllowed()
    problems = _text_problems("text", text, _l("Write what the unit must do and by when."))
    if problems:
        raise ValidationFailed(problems)
    if proposal.status not in case_rules.OPEN_STATUSES:
        raise RuleViolation(_l("Only a case still waiting for its reply can be chased."))
    text = text.strip()
    units = [unit.department_id for unit in proposal.units if unit.role == UnitRole.LEAD]
    steps = [SupervisionStep(proposal_id=proposal.id, round_number=proposal.round_number, kind=StepKind.CHASED,
                             department_id=unit_id, text=text, actor_id=actor.id, at=now) for unit_id in units]
    db.session.add_all(steps)
    notices.tell(proposal, NoticeKind.CHASED, units, now=now, detail=text)
    audit.record("proposal.chased", proposal, actor=actor, now=now, text=text)
    db.session.flush()
    return steps


def get_chasing_notice(step_id: int) -> SupervisionStep:
    step = db.session.get(SupervisionStep, step_id)
    if step is None or step.kind != StepKind.CHASED:
        raise NotFound()
    return step


def answer_of(step: SupervisionStep) -> SupervisionStep | None:
    return db.session.scalar(select(SupervisionStep).where(SupervisionStep.answers_id == step.id))


def answer_chasing_notice(step: SupervisionStep, text: str, *, actor, now: datetime) -> SupervisionStep:
    """The chased unit answers (what it has done, when the reply comes); once per notice.

    :raises NotAllowed: the actor is not staff of the chased unit
    :raises RuleViolation: already answered
    """
    if not permissions.acts_for_unit(actor, step.department_id):
        raise NotAllowed()
    problems = _text_problems("text", text, _l("Write your answer to the supervising office."))
    if problems:
        raise ValidationFailed(problems)
    if answer_of(step) is not None:
        raise RuleViolation(_l("This chasing notice has already been answered."))
    answer = SupervisionStep(proposal_id=step.proposal_id, round_number=step.round_number,
                             kind=StepKind.CHASE_ANSWERED, department_id=step.department_id, text=text.strip(),
                             answers_id=step.id, actor_id=actor.id, at=now)
    db.session.add(answer)
    db.session.flush()
    return answer


def chasing_notices(proposal_id: int | None = None, *, since: datetime | None = None, limit: int = 200) -> list:
    """(notice, answer or None) pairs, the newest first: of one case, or of every case since a moment."""
    answer = aliased(SupervisionStep)
    statement = (select(SupervisionStep, answer)
                 .outerjoin(answer, answer.answers_id == SupervisionStep.id)
                 .where(SupervisionStep.kind == StepKind.CHASED)
                 .order_by(SupervisionStep.at.desc(), SupervisionStep.id.desc()).limit(limit))
    if proposal_id is not None:
        statement = statement.where(SupervisionStep.proposal_id == proposal_id)
    if since is not None:
        statement = statement.where(SupervisionStep.at >= since)
    return [tuple(row) for row in db.session.execute(statement)]


def steps_of(proposal_id: int) -> list[SupervisionStep]:
    return list(db.session.scalars(select(SupervisionStep).where(SupervisionStep.proposal_id == proposal_id)
                                   .order_by(SupervisionStep.at, SupervisionStep.id)))
