"""Telling commenters the answer to their comments when the feedback report is published.

A person who left several comments gets one message listing each comment's answer, not one per comment: SMS
platforms refuse more than a few texts per number per hour, and one message is easier to read. A correction
of the report tells only those whose answer it changed.
"""

from dataclasses import dataclass, field
from datetime import datetime

from engage.consultations.models import Comment, Consultation
from engage.core.contacts import reachable
from engage.notifications import bulk

TEMPLATE = "comment_answered"
#: answers listed in one message; a person with more is sent to the page that lists them all
ANSWERS_PER_MESSAGE = 10


@dataclass
class _Recipient:
    language: str
    comment_id: int
    answers: list = field(default_factory=list)
    more: int = 0


def tell_answers(consultation: Consultation, rows, *, revision: int, now: datetime) -> int:
    """Queue one message per contact among ``rows`` (``(comment id, contact, language, receipt number, outcome,
    reason)`` of the comments whose published answer is new or changes), in id order.

    :returns: how many messages were queued
    """
    recipients: dict[tuple[str, str], _Recipient] = {}
    for comment_id, contact, language, receipt_number, outcome, reason in rows:
        address = reachable(contact)
        if address is None:
            continue
        recipient = recipients.setdefault(address, _Recipient(language=language, comment_id=comment_id))
        # The latest comment's language: the one the person used most recently.
        recipient.language, recipient.comment_id = language, comment_id
        if len(recipient.answers) < ANSWERS_PER_MESSAGE:
            recipient.answers.append({"receipt_number": receipt_number, "outcome": str(outcome), "reason": reason})
        else:
            recipient.more += 1
    shared = {"title": consultation.title, "consultation_id": consultation.id, "corrected": revision > 1}
    messages = [(channel, bulk.Addressed(recipient=address, language=recipient.language,
                                         params={**shared, "answers": recipient.answers, "more": recipient.more},
                                         about_type=Comment.__tablename__, about_id=recipient.comment_id))
                for (channel, address), recipient in recipients.items()]
    # The answer to one's own comment is what the consent was given for: owed, not an update to opt out of.
    return bulk.queue_to_contacts(messages, template=TEMPLATE, transactional=True, now=now)
