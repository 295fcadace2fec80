"""Suspected campaigns: one text arriving many times, counted and shown to staff, never dropped.

In a flood of submissions most comments may be one text (in 2017, 94 % of the FCC's 21.7 million). Each
comment is stored as usual (per-source rate limits still apply); beside it Engage keeps the fingerprint of its
text (letters and digits only, so that spacing and punctuation make no difference) and a key of the address it
came from (a keyed hash: the address itself is not kept). Staff then see which texts came how many times, from
how many sources, over what time: whether many people sent one letter or one machine sent many.
"""

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, request
from sqlalchemy import func, select

from engage.accounts import permissions
from engage.consultations.models import Comment
from engage.core.errors import NotAllowed
from engage.extensions import db


def fingerprint(text: str) -> str:
    """The same for texts that differ only in spacing, punctuation, case or full-width forms."""
    normalised = "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())
    return hashlib.sha1(normalised.encode()).hexdigest()  # noqa: S324 (a fingerprint, not a secret)


def source_key(address: str | None, secret: str) -> str:
    """A short keyed hash of where a comment came from: enough to count sources, not to find the address."""
    if not address:
        return ""
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()[:16]


def request_source_key() -> str:
    """The source key of the request being served (its client address, as the trusted proxies give it)."""
    return source_key(request.remote_addr, current_app.config["SECRET_KEY"])


@dataclass(frozen=True)
class Campaign:
    fingerprint: str
    copies: int
    sources: int
    first_at: datetime
    last_at: datetime
    first_comment_id: int
    sample: str = ""
    receipt_number: str = ""


def campaigns_for_staff(consultation, *, actor) -> list[Campaign]:
    """The suspected campaigns of a consultation, for those who moderate it (``CAMPAIGN_MIN_COPIES`` copies)."""
    if not permissions.can_moderate(actor, consultation):
        raise NotAllowed()
    return suspected_campaigns(consultation.id, min_copies=current_app.config["CAMPAIGN_MIN_COPIES"])


def suspected_campaigns(consultation_id: int, *, min_copies: int, limit: int = 20) -> list[Campaign]:
    """Texts received at least ``min_copies`` times, most copies first, each with one copy to read.

    One grouped pass over the consultation's (consultation, fingerprint, source, time) index, whatever the size.
    """
    rows = db.session.execute(
        select(Comment.text_fingerprint, func.count(), func.count(func.distinct(Comment.source_key)),
               func.min(Comment.created_at), func.max(Comment.created_at), func.min(Comment.id))
        .where(Comment.consultation_id == consultation_id, Comment.text_fingerprint.is_not(None))
        .group_by(Comment.text_fingerprint)
        .having(func.count() >= min_copies)
        .order_by(func.count().desc(), func.min(Comment.id))
        .limit(limit)
    ).all()
    samples = dict(
        (row.id, (row.body, row.receipt_number)) for row in db.session.execute(
            select(Comment.id, Comment.body, Comment.receipt_number).where(Comment.id.in_([r[5] for r in rows])))
    ) if rows else {}
    return [Campaign(fingerprint=print_, copies=copies, sources=sources, first_at=first_at, last_at=last_at,
                     first_comment_id=first_id, sample=samples.get(first_id, ("", ""))[0][:300],
                     receipt_number=samples.get(first_id, ("", ""))[1])
            for print_, copies, sources, first_at, last_at, first_id in rows]
