"""Comments found by the contact their author gave, so that lost receipt numbers can be sent back to it.

Contacts are stored as the commenter typed them (trimmed): an address in any case, a number with spaces,
dashes or a +86 prefix. The comparison undoes exactly that, in SQL, so it works on SQLite and PostgreSQL.
"""

from dataclasses import dataclass

from sqlalchemy import func, select

from engage.consultations.models import Comment, Consultation
from engage.extensions import db


@dataclass
class Found:
    comments: list[Comment]
    #: how many comments the contact has in all (``comments`` holds at most the limit asked for)
    total: int


def _typed_number(column):
    for noise in (" ", "-", "(", ")"):
        column = func.replace(column, noise, "")
    return column


def _contact_matches(*, mobile: str | None, email: str | None):
    if email is not None:
        return func.lower(Comment.contact) == email
    return _typed_number(Comment.contact).in_([mobile, f"86{mobile}", f"+86{mobile}", f"0086{mobile}"])


def comments_with_contact(*, mobile: str | None = None, email: str | None = None, limit: int = 20) -> Found:
    """The newest comments (at most ``limit``) whose author gave this mobile number or e-mail address.

    :param mobile: 11 digits, as ``engage.core.contacts.mobile_number`` gives them
    :param email: lower case, as ``engage.core.contacts.email_address`` gives it
    """
    matches = _contact_matches(mobile=mobile, email=email)
    total = db.session.scalar(select(func.count()).select_from(Comment).where(matches))
    comments = db.session.scalars(
        select(Comment).join(Consultation, Comment.consultation_id == Consultation.id).where(matches)
        .order_by(Comment.created_at.desc(), Comment.id.desc()).limit(limit)
    ).all() if total else []
    return Found(comments=list(comments), total=total)
