"""Telling commenters that the final decision on the draft they commented on is published.

One message per contact, however many comments it left; only when the decision is first linked (a
correction of its details is not news to them).
"""

from datetime import datetime

from sqlalchemy import select

from engage.consultations.models import Comment, Consultation
from engage.core.contacts import reachable
from engage.decisions.models import Decision
from engage.extensions import db
from engage.notifications import bulk

TEMPLATE = "consultation_decided"


def tell_commenters(consultation: Consultation, decision: Decision, *, now: datetime) -> int:
    """Queue the notice to every contact given with consent on ``consultation``; returns how many were queued."""
    rows = db.session.execute(
        select(Comment.id, Comment.contact, Comment.language)
        .where(Comment.consultation_id == consultation.id, Comment.consented_at.is_not(None), Comment.contact != "")
        .order_by(Comment.id)
    )
    latest: dict[tuple[str, str], tuple[int, str]] = {}
    for comment_id, contact, language in rows:
        address = reachable(contact)
        if address is not None:
            latest[address] = (comment_id, language)  # in id order: the last comment's language wins
    params = {"title": consultation.title, "consultation_id": consultation.id, "decision": decision.title,
              "document_number": decision.document_number, "published_on": decision.published_on.isoformat()}
    messages = [(channel, bulk.Addressed(recipient=address, language=language, params=params,
                                         about_type=Comment.__tablename__, about_id=comment_id))
                for (channel, address), (comment_id, language) in latest.items()]
    # News of the outcome, not the person's own business with the department: they may unsubscribe.
    return bulk.queue_to_contacts(messages, template=TEMPLATE, transactional=False, now=now)
