"""Telling proposers that their case has a reply, with their own private rating link.

A reply to one's own suggestion is owed to the proposer, not an update they may opt out of: the message is
transactional. Proposers are deputies and members whom the handling units know; no language is stored for
them, so they are written to in the default language (zh).
"""

import hashlib
import secrets
from datetime import datetime

from engage.core import audit
from engage.core.contacts import email_address, mobile_number
from engage.notifications import services as outbox
from engage.proposals.models import Proposal, Proposer, Reply

TEMPLATE = "proposal_reply"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_rating_token(proposer: Proposer, *, actor, now: datetime) -> str:
    """A new private rating token (any earlier link of this proposer stops working); only its hash is kept."""
    token = secrets.token_urlsafe(24)
    proposer.rating_token_hash, proposer.rating_token_issued_at = hash_token(token), now
    audit.record("proposal.rating_link_issued", proposer.proposal, actor=actor, now=now, proposer_id=proposer.id)
    return token


def tell_proposers(proposal: Proposal, reply: Reply, *, actor, now: datetime, language: str) -> list:
    """Queue the reply's message to every proposer who gave a mobile number or an e-mail address.

    Each gets a new rating link, since the link they may hold cannot be read back from its hash. The public
    link to the case is sent only when the reply is published; an unpublished reply is still the proposer's
    own case, so the rating link (whose page shows them the reply) goes out either way.

    :returns: the queued outbox rows' ids
    """
    queued = []
    for proposer in proposal.proposers:
        contacts = [("sms", mobile_number(proposer.phone)), ("email", email_address(proposer.email))]
        contacts = [(channel, recipient) for channel, recipient in contacts if recipient]
        if not contacts:
            continue
        params = {
            "name": proposer.name, "kind": proposal.kind.value, "number": proposal.number,
            "session": proposal.session.name, "title": proposal.title, "replied_on": reply.replied_on.isoformat(),
            "published": reply.is_published, "proposal_id": proposal.id,
            "token": new_rating_token(proposer, actor=actor, now=now),
        }
        for channel, recipient in contacts:
            queued.append(outbox.queue_message(channel=channel, recipient=recipient, template=TEMPLATE,
                                               params=params, language=language, about=proposal,
                                               transactional=True, now=now))
    return queued
