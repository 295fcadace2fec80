"""Reply review (审核): in a session that asks for it, a lead unit's reply waits for the supervising office.

The reply is held as a ``ReplyDraft``, not as the case's reply, so nothing of it reaches the public or the
proposer until it is approved. The supervisor may first ask the co-units to sign it off (会签); then approves
it (it becomes the case's reply, published and sent to the proposers as any reply is) or returns it with a
reason (the lead unit replies again). Every step is on the case's timeline.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage.core.errors import NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.core.timeutil import china_date
from engage.extensions import db
from engage.proposals import permissions as case_permissions
from engage.proposals.handling import services as handling
from engage.proposals.handling.services import ReplyFields
from engage.proposals.models import Proposal, Reply, UnitRole
from engage.proposals.supervision import notices, permissions
from engage.proposals.supervision.models import (
    NoticeKind,
    ReplyDraft,
    ReplySignoff,
    ReviewState,
    StepKind,
    SupervisionStep,
)


@dataclass
class _StoredPdf:
    stored_name: str
    size: int
    content_type: str = "application/pdf"


def is_review_required(proposal: Proposal) -> bool:
    return bool(proposal.session.review_required)


def open_draft(proposal: Proposal) -> ReplyDraft | None:
    """The reply of the current round waiting for review, if any."""
    return db.session.scalar(select(ReplyDraft).where(
        ReplyDraft.proposal_id == proposal.id, ReplyDraft.state.in_([ReviewState.SIGNOFF, ReviewState.PENDING])))


def drafts_of(proposal: Proposal) -> list[ReplyDraft]:
    return list(db.session.scalars(select(ReplyDraft).where(ReplyDraft.proposal_id == proposal.id)
                                   .order_by(ReplyDraft.id)))


def get_draft(draft_id: int, proposal: Proposal | None = None) -> ReplyDraft:
    draft = db.session.get(ReplyDraft, draft_id)
    if draft is None or (proposal is not None and draft.proposal_id != proposal.id):
        raise NotFound()
    return draft


def _step(draft: ReplyDraft, kind: StepKind, *, actor, now: datetime, text: str = "", department_id=None) -> None:
    db.session.add(SupervisionStep(proposal_id=draft.proposal_id, round_number=draft.round_number, kind=kind,
                                   department_id=department_id, text=text, actor_id=getattr(actor, "id", None),
                                   at=now))


def submit_reply(proposal: Proposal, fields: ReplyFields, *, actor, now: datetime, config, pdf=None,
                 pdf_filename: str = "") -> Reply | ReplyDraft:
    """The lead unit's reply: recorded at once (``Reply``), or held for review (``ReplyDraft``) where the session
    asks for review. Checked exactly as a reply is.

    :raises RuleViolation: a reply of this round is already waiting for review
    """
    if not is_review_required(proposal):
        return handling.record_reply(proposal, fields, actor=actor, now=now, config=config, pdf=pdf,
                                     pdf_filename=pdf_filename)
    if not case_permissions.can_reply(actor, proposal):
        raise NotAllowed()
    handling.require_open(proposal)
    if open_draft(proposal) is not None:
        raise RuleViolation(_l("A reply to this case is already waiting for the supervising office's review."))
    started_on = proposal.rounds[-1].started_on if proposal.rounds else proposal.assigned_on
    problems = handling.reply_problems(fields, proposal.kind, china_date(now), config, started_on)
    if problems:
        raise ValidationFailed(problems)
    stored = handling.store_reply_pdf(pdf, pdf_filename, config) if pdf is not None else None
    handling.start_if_waiting(proposal, actor, now)
    draft = ReplyDraft(
        proposal_id=proposal.id, round_number=proposal.round_number, state=ReviewState.PENDING,
        body=fields.body.strip(), replied_on=fields.replied_on, outcome=fields.outcome,
        is_published=fields.is_published, unpublished_reason="" if fields.is_published else
        fields.unpublished_reason.strip(), author_id=actor.id, submitted_at=now,
        pdf_stored_name=stored.stored_name if stored else None, pdf_filename=pdf_filename if stored else "",
        pdf_size=stored.size if stored else 0,
    )
    db.session.add(draft)
    db.session.flush()
    _step(draft, StepKind.SUBMITTED_FOR_REVIEW, actor=actor, now=now, department_id=actor.department_id)
    return draft


def _require_reviewer(actor) -> None:
    if not permissions.can_review(actor):
        raise NotAllowed()


def _require_state(draft: ReplyDraft, *states: ReviewState) -> None:
    if draft.state not in states:
        raise RuleViolation(_l("This reply is no longer waiting for that step (now: %(state)s).",
                               state=ReviewState.label_of(draft.state)))


def request_signoff(draft: ReplyDraft, *, actor, now: datetime) -> list[ReplySignoff]:
    """Ask every co-unit of the case to sign the reply off (会签) before it is decided.

    :raises RuleViolation: the case has no co-units, or the reply is not waiting for the supervisor
    """
    _require_reviewer(actor)
    _require_state(draft, ReviewState.PENDING)
    proposal = draft.proposal
    co_units = [unit.department_id for unit in proposal.units if unit.role == UnitRole.CO]
    if not co_units:
        raise RuleViolation(_l("This case has no co-units to sign the reply off."))
    signed = {s.department_id for s in draft.signoffs}
    asked = [ReplySignoff(department_id=unit_id, requested_at=now) for unit_id in co_units if unit_id not in signed]
    draft.signoffs.extend(asked)
    draft.state = ReviewState.SIGNOFF
    _step(draft, StepKind.SIGNOFF_REQUESTED, actor=actor, now=now)
    db.session.flush()
    notices.tell(proposal, NoticeKind.SIGNOFF_REQUESTED, [s.department_id for s in asked], now=now)
    return asked


def sign_off(draft: ReplyDraft, note: str, *, actor, now: datetime) -> ReplySignoff:
    """A co-unit signs the reply off; when the last one has, the reply waits for the supervisor again."""
    _require_state(draft, ReviewState.SIGNOFF)
    waiting = next((s for s in draft.signoffs if s.signed_at is None
                    and permissions.acts_for_unit(actor, s.department_id)), None)
    if waiting is None:
        raise NotAllowed()
    waiting.signed_at, waiting.signed_by_id, waiting.note = now, actor.id, (note or "").strip()[:2000]
    _step(draft, StepKind.SIGNED_OFF, actor=actor, now=now, text=waiting.note, department_id=waiting.department_id)
    if all(s.signed_at is not None for s in draft.signoffs):
        draft.state = ReviewState.PENDING
    db.session.flush()
    return waiting


def approve(draft: ReplyDraft, *, actor, now: datetime, config) -> Reply:
    """The reply becomes the case's reply, in its author's name: published and sent to the proposers.

    :raises RuleViolation: co-units have not all signed off, or it was decided already
    """
    _require_reviewer(actor)
    if draft.state == ReviewState.SIGNOFF:
        raise RuleViolation(_l("Co-units have not all signed the reply off yet."))
    _require_state(draft, ReviewState.PENDING)
    fields = ReplyFields(body=draft.body, replied_on=draft.replied_on, outcome=draft.outcome,
                         is_published=draft.is_published, unpublished_reason=draft.unpublished_reason)
    stored = _StoredPdf(draft.pdf_stored_name, draft.pdf_size) if draft.pdf_stored_name else None
    reply = handling.record_reply(draft.proposal, fields, actor=draft.author, now=now, config=config,
                                  pdf_filename=draft.pdf_filename, stored_pdf=stored)
    draft.state, draft.decided_by_id, draft.decided_at, draft.reply_id = ReviewState.APPROVED, actor.id, now, reply.id
    _step(draft, StepKind.APPROVED, actor=actor, now=now)
    db.session.flush()
    return reply


def return_reply(draft: ReplyDraft, reason: str, *, actor, now: datetime) -> ReplyDraft:
    """Send the reply back to the lead unit with the reason; the unit replies again.

    :raises ValidationFailed: no reason
    """
    _require_reviewer(actor)
    _require_state(draft, ReviewState.PENDING, ReviewState.SIGNOFF)
    if not (reason or "").strip():
        raise ValidationFailed({"reason": [_l("Tell the unit what to change in the reply.")]})
    draft.state, draft.return_reason = ReviewState.RETURNED, reason.strip()[:2000]
    draft.decided_by_id, draft.decided_at = actor.id, now
    _step(draft, StepKind.RETURNED, actor=actor, now=now, text=draft.return_reason)
    db.session.flush()
    leads = [unit.department_id for unit in draft.proposal.units if unit.role == UnitRole.LEAD]
    notices.tell(draft.proposal, NoticeKind.REPLY_RETURNED, leads, now=now, detail=draft.return_reason)
    return draft


def waiting_for_review(limit: int = 500) -> list[ReplyDraft]:
    """Replies under review, the oldest first (the supervisor's queue)."""
    return list(db.session.scalars(select(ReplyDraft).where(
        ReplyDraft.state.in_([ReviewState.SIGNOFF, ReviewState.PENDING])).order_by(ReplyDraft.submitted_at)
        .limit(limit)))
