"""What a commenter is told, and when: each message is an outbox row queued in the transaction of the change
that causes it (``engage.notifications``), in the language the comment was written in.

Only a contact given with consent is written to, and only a mobile number or an e-mail address can take a
message (a landline cannot). The consent text on the comment form names every purpose used here: the receipt
when asked for, why a comment was not published, the answer to it, and the final decision.
"""

from datetime import datetime

from engage.consultations.models import Comment, Consultation
from engage.core.contacts import reachable
from engage.notifications import services as outbox


def comment_params(comment: Comment, consultation: Consultation) -> dict:
    return {"title": consultation.title, "receipt_number": comment.receipt_number}


def _send(comment: Comment, consultation: Consultation, template: str, *, now: datetime, **params) -> None:
    if comment.consented_at is None or (contact := reachable(comment.contact)) is None:
        return
    channel, recipient = contact
    # Both are the person's own business with the department (asked for, or the fate of their own comment), not
    # updates they could opt out of: transactional.
    outbox.queue_message(channel=channel, recipient=recipient, template=template,
                         params={**comment_params(comment, consultation), **params}, language=comment.language,
                         about=comment, transactional=True, now=now)


def tell_receipt(comment: Comment, consultation: Consultation, *, now: datetime) -> None:
    """The receipt number the citizen asked to receive, with the page where the comment's fate shows."""
    _send(comment, consultation, "comment_receipt", now=now)


def tell_not_published(comment: Comment, consultation: Consultation, *, now: datetime) -> None:
    """The moderator did not publish the comment: the author hears why."""
    _send(comment, consultation, "comment_not_published", now=now, reason=comment.rejection_reason)
