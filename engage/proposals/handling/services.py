"""Handling a case: co-unit opinions, progress and contact notes, the reply, ratings and re-handling."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage import domain_events
from engage.core import uploads as attachments
from engage.core.errors import NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.core.timeutil import china_date
from engage.domain_events.models import EventType
from engage.extensions import db
from engage.proposals import permissions, rules
from engage.proposals.handling import messages
from engage.proposals.handling.messages import hash_token
from engage.proposals.models import (
    CoUnitOpinion,
    HandlingNote,
    HandlingRound,
    NoteKind,
    Proposal,
    ProposalStatus,
    Proposer,
    Rating,
    Reply,
    Satisfaction,
)
from engage.proposals.services import change_status

TEXT_MAX = 20000


def require_open(proposal: Proposal) -> None:
    if proposal.status not in rules.OPEN_STATUSES:
        raise RuleViolation(_l("This case is not waiting for handling (status: %(status)s).",
                               status=rules.ProposalStatus.label_of(proposal.status)))


def _text_problems(name: str, text: str, required_message) -> dict[str, list]:
    if not (text or "").strip():
        return {name: [required_message]}
    if len(text) > TEXT_MAX:
        return {name: [_l("The text may be at most %(max)d characters.", max=TEXT_MAX)]}
    return {}


def start_if_waiting(proposal: Proposal, actor, now: datetime) -> None:
    """The lead unit's first step on an assigned (or reopened) case puts it in progress."""
    if proposal.status in (ProposalStatus.ASSIGNED, ProposalStatus.REOPENED):
        change_status(proposal, rules.START, actor=actor, now=now)


# ---- co-unit opinions and notes ------------------------------------------------------------------------


def submit_opinion(proposal: Proposal, body: str, *, actor, now: datetime) -> CoUnitOpinion:
    """A co-unit sends its opinion to the lead unit (协办意见).

    :raises NotAllowed: the actor's unit is not a co-unit of the case
    """
    if not permissions.can_submit_opinion(actor, proposal):
        raise NotAllowed()
    require_open(proposal)
    problems = _text_problems("body", body, _l("Write the opinion."))
    if problems:
        raise ValidationFailed(problems)
    opinion = CoUnitOpinion(proposal_id=proposal.id, department_id=actor.department_id,
                            round_number=proposal.round_number, body=body.strip(), submitted_by_id=actor.id,
                            submitted_at=now)
    db.session.add(opinion)
    proposal.updated_at = now
    db.session.flush()
    return opinion


def opinions_of(proposal: Proposal) -> list[CoUnitOpinion]:
    return list(db.session.scalars(
        select(CoUnitOpinion).where(CoUnitOpinion.proposal_id == proposal.id).order_by(CoUnitOpinion.id)
    ))


def missing_opinions(proposal: Proposal) -> list:
    """Co-units that have not sent their opinion in the current round."""
    sent = {o.department_id for o in opinions_of(proposal) if o.round_number == proposal.round_number}
    return [unit for unit in proposal.co_units if unit.department_id not in sent]


def add_note(proposal: Proposal, kind: str, body: str, *, happened_on: date | None, actor, now: datetime,
             contact_method: str = "") -> HandlingNote:
    """The lead unit records progress or a contact with the proposer; the first one starts the handling.

    :raises ValidationFailed: empty text, a day in the future
    """
    if not permissions.can_record_progress(actor, proposal):
        raise NotAllowed()
    require_open(proposal)
    problems = _text_problems("body", body, _l("Write what happened."))
    happened_on = happened_on or china_date(now)
    if happened_on > china_date(now):
        problems["happened_on"] = [_l("The day cannot be in the future.")]
    if problems:
        raise ValidationFailed(problems)
    start_if_waiting(proposal, actor, now)
    note = HandlingNote(
        proposal_id=proposal.id, department_id=_acting_unit(actor, proposal), round_number=proposal.round_number,
        kind=NoteKind(kind), body=body.strip(), happened_on=happened_on, contact_method=contact_method.strip()[:40],
        author_id=actor.id, created_at=now,
    )
    db.session.add(note)
    db.session.flush()
    return note


def notes_of(proposal: Proposal) -> list[HandlingNote]:
    return list(db.session.scalars(
        select(HandlingNote).where(HandlingNote.proposal_id == proposal.id)
        .order_by(HandlingNote.happened_on, HandlingNote.id)
    ))


def _acting_unit(actor, proposal: Proposal) -> int:
    """The lead unit the actor acts for (administrators act for the first lead unit)."""
    leads = proposal.unit_ids(permissions.UnitRole.LEAD)
    return actor.department_id if actor.department_id in leads else proposal.lead_unit_id


# ---- the reply -----------------------------------------------------------------------------------------


@dataclass
class ReplyFields:
    body: str
    replied_on: date | None
    outcome: str
    is_published: bool = True
    unpublished_reason: str = ""


def reply_problems(fields: ReplyFields, kind: str, today: date, config, started_on: date | None = None
                   ) -> dict[str, list]:
    """What is wrong with a reply; ``started_on`` is the day the current round of handling began."""
    problems = _text_problems("body", fields.body, _l("Give the full text of the reply."))
    if fields.replied_on is None:
        problems["replied_on"] = [_l("Give the date of the reply.")]
    elif fields.replied_on > today:
        problems["replied_on"] = [_l("The date of the reply cannot be in the future.")]
    elif started_on is not None and fields.replied_on < started_on:
        problems["replied_on"] = [_l("The reply cannot be dated before %(day)s, when this round of handling began.",
                                     day=started_on.isoformat())]
    if fields.outcome not in rules.outcome_codes(config["PROPOSAL_OUTCOME_CLASSES"], kind):
        problems["outcome"] = [_l("Choose the outcome class.")]
    if not fields.is_published and not fields.unpublished_reason.strip():
        problems["unpublished_reason"] = [_l("Say why the reply is not published: the reason is kept on record.")]
    return problems


def record_reply(proposal: Proposal, fields: ReplyFields, *, actor, now: datetime, config,
                 pdf=None, pdf_filename: str = "", stored_pdf: attachments.StoredFile | None = None) -> Reply:
    """The lead unit's reply for the current round; it is signed by the actor's unit.

    :param pdf: an optional uploaded stream (the signed reply as PDF), stored with the attachments
    :param stored_pdf: a PDF stored earlier (with a reply held for review), used instead of ``pdf``
    :raises ValidationFailed: missing text, date or outcome class, a date in the future or before the round began,
        no reason for not publishing, a file that is not a PDF
    :raises RuleViolation: the case is not waiting for a reply
    """
    if not permissions.can_reply(actor, proposal):
        raise NotAllowed()
    require_open(proposal)
    started_on = proposal.rounds[-1].started_on if proposal.rounds else proposal.assigned_on
    problems = reply_problems(fields, proposal.kind, china_date(now), config, started_on)
    if problems:
        raise ValidationFailed(problems)
    stored = stored_pdf or (store_reply_pdf(pdf, pdf_filename, config) if pdf is not None else None)
    start_if_waiting(proposal, actor, now)
    reply = Reply(
        proposal_id=proposal.id, round_number=proposal.round_number, body=fields.body.strip(),
        replied_on=fields.replied_on, signing_unit_id=_acting_unit(actor, proposal), outcome=fields.outcome,
        is_published=fields.is_published, unpublished_reason="" if fields.is_published else
        fields.unpublished_reason.strip(), created_by_id=actor.id, created_at=now,
        pdf_stored_name=stored.stored_name if stored else None, pdf_filename=pdf_filename if stored else "",
        pdf_size=stored.size if stored else 0,
    )
    proposal.replies.append(reply)
    change_status(proposal, rules.REPLY, actor=actor, now=now)
    proposal.replied_on, proposal.outcome = reply.replied_on, reply.outcome
    proposal.reply_published = reply.is_published
    proposal.replied_on_time = rules.is_on_time(reply.replied_on, proposal.due_on)
    proposal.satisfaction = None
    db.session.flush()
    messages.tell_proposers(proposal, reply, actor=actor, now=now, language=config["BABEL_DEFAULT_LOCALE"])
    domain_events.emit(EventType.PROPOSAL_REPLIED, proposal, now=now, published=reply.is_published)
    return reply


def reply_with_pdf(proposal: Proposal, reply_id: int) -> Reply:
    """A reply of this case that has a signed PDF.

    :raises NotFound: no such reply, a reply of another case, or one without a PDF
    """
    found = db.session.get(Reply, reply_id)
    if found is None or found.proposal_id != proposal.id or not found.pdf_stored_name:
        raise NotFound()
    return found


def store_reply_pdf(stream, filename: str, config) -> attachments.StoredFile:
    if not filename.lower().endswith(".pdf"):
        raise ValidationFailed({"pdf": [_l("The signed reply can be attached as a PDF file only.")]})
    try:
        return attachments.store_upload(stream, filename, config["UPLOAD_FOLDER"],
                                        config["MAX_UPLOAD_MB"] * 1024 * 1024)
    except ValidationFailed as error:
        raise ValidationFailed({"pdf": error.errors.get("file", [])}) from None


# ---- ratings and re-handling ---------------------------------------------------------------------------


def proposer_of(proposal: Proposal, proposer_id: int) -> Proposer:
    """One of the case's proposers.

    :raises NotFound: no proposer of this case has that id
    """
    proposer = next((p for p in proposal.proposers if p.id == proposer_id), None)
    if proposer is None:
        raise NotFound()
    return proposer


def issue_rating_link(proposer: Proposer, *, actor, now: datetime) -> str:
    """A new private rating token for the proposer (any earlier link stops working). Shown once, hash kept."""
    if not permissions.can_enter_ratings(actor, proposer.proposal):
        raise NotAllowed()
    token = messages.new_rating_token(proposer, actor=actor, now=now)
    db.session.flush()
    return token


def proposer_for_token(token: str) -> Proposer:
    proposer = db.session.scalar(select(Proposer).where(Proposer.rating_token_hash == hash_token(token or "")))
    if proposer is None:
        raise NotFound(_l("This rating link is not valid. Ask the supervising office for a new one."))
    return proposer


def has_rated_this_round(proposer: Proposer) -> bool:
    round_number = proposer.proposal.round_number
    return any(r.proposer_id == proposer.id and r.round_number == round_number for r in proposer.proposal.ratings)


def rate(proposer: Proposer, satisfaction: str, comments: str, *, actor, now: datetime, config) -> Rating:
    """Record a proposer's rating of the current round; an unsatisfied rating reopens the case.

    :param actor: the supervisor typing in the returned form, or None when the proposer rates through the link
    :raises RuleViolation: no reply to rate yet, or this proposer already rated this round
    :raises ValidationFailed: no satisfaction chosen, or unsatisfied without comments
    """
    proposal = proposer.proposal
    if actor is not None and not permissions.can_enter_ratings(actor, proposal):
        raise NotAllowed()
    if not rules.can_change(proposal.status, rules.RATE):
        raise RuleViolation(_l("Only a replied case can be rated."))
    if has_rated_this_round(proposer):
        raise RuleViolation(_l("%(name)s has already rated this reply.", name=proposer.name))
    if satisfaction not in rules.SATISFACTIONS:
        raise ValidationFailed({"satisfaction": [_l("Choose satisfied, basically satisfied or unsatisfied.")]})
    if satisfaction == rules.UNSATISFIED and not (comments or "").strip():
        raise ValidationFailed({"comments": [_l("Say what is unsatisfactory: the unit handles the case again.")]})
    rating = Rating(proposal=proposal, proposer=proposer, round_number=proposal.round_number,
                    satisfaction=Satisfaction(satisfaction), comments=(comments or "").strip()[:TEXT_MAX],
                    entered_by_id=getattr(actor, "id", None), rated_at=now)
    db.session.add(rating)
    db.session.flush()
    round_ratings = [r.satisfaction for r in proposal.ratings if r.round_number == proposal.round_number]
    proposal.satisfaction = Satisfaction(rules.round_satisfaction(round_ratings))
    if satisfaction == rules.UNSATISFIED:
        _reopen(proposal, rating, actor, now, config)
    elif len(round_ratings) == len(proposal.proposers):
        change_status(proposal, rules.RATE, actor=actor, now=now)
    proposal.updated_at = now
    db.session.flush()
    domain_events.emit(EventType.PROPOSAL_RATED, proposal, now=now, satisfaction=str(rating.satisfaction))
    return rating


def _reopen(proposal: Proposal, rating: Rating, actor, now: datetime, config) -> None:
    """Re-handling (重新办理): a new round with its own due date; the earlier rounds stay in the history."""
    today = china_date(now)
    reason = _l("%(name)s is unsatisfied: %(comments)s", name=rating.proposer.name, comments=rating.comments)
    change_status(proposal, rules.REOPEN, actor=actor, now=now, reason=str(reason))
    proposal.round_number += 1
    proposal.due_on = rules.reopened_due_date(today, config["PROPOSAL_REOPEN_MONTHS"])
    proposal.extension_reason = ""
    db.session.add(HandlingRound(proposal=proposal, number=proposal.round_number, started_on=today,
                                 due_on=proposal.due_on, reason=rating.comments))
