"""Offline opinions (phone, letter, e-mail, forum 座谈会) entered by staff: answered and counted like online
comments, shown on the consultation page only when staff choose to."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from engage.consultations import campaigns, comment_services
from engage.consultations import rules as consultation_rules
from engage.consultations.models import Article, Channel, Comment, CommentStatus, Consultation
from engage.core import audit
from engage.core.errors import NotAllowed, ValidationFailed
from engage.extensions import db
from engage.feedback import permissions


@dataclass
class OfflineOpinion:
    body: str
    channel: Channel
    received_on: date
    display_name: str = ""
    article_number: int | None = None
    #: shown on the consultation page like an online comment
    publish: bool = False


def add_offline_opinion(consultation: Consultation, data: OfflineOpinion, *, actor, now: datetime) -> Comment:
    """Record an opinion that came by phone, letter, e-mail or a forum; it is answered and counted like the rest."""
    if not permissions.can_answer(actor, consultation):
        raise NotAllowed()
    comment = Comment(
        consultation_id=consultation.id, article_id=_offline_article(consultation, data, now), body=data.body.strip(),
        display_name=data.display_name.strip(), contact="", receipt_number=consultation_rules.new_receipt_number(),
        status=CommentStatus.PUBLISHED if data.publish else CommentStatus.RECORDED, channel=Channel(data.channel),
        received_on=data.received_on, created_at=now, moderated_at=now, moderated_by_id=actor.id,
        text_fingerprint=campaigns.fingerprint(data.body.strip()),
    )
    db.session.add(comment)
    db.session.flush()
    values = {"comment_count": Consultation.comment_count + 1}
    if data.publish:
        values |= {"published_comment_count": Consultation.published_comment_count + 1,
                   "public_version": Consultation.public_version + 1}
    db.session.execute(update(Consultation).where(Consultation.id == consultation.id).values(**values))
    if data.publish:
        comment_services.count_published_on_articles({comment.article_id: 1})
    audit.record("feedback.offline_opinion", comment, actor=actor, now=now, channel=comment.channel.value,
                 published=data.publish)
    return comment


def _offline_article(consultation: Consultation, data: OfflineOpinion, now: datetime) -> int | None:
    errors = {}
    body = data.body.strip()
    if not body:
        errors["body"] = [_l("Write down the opinion.")]
    elif len(body) > consultation_rules.COMMENT_MAX_LENGTH:
        errors["body"] = [_l("A comment can have at most %(n)d characters.", n=consultation_rules.COMMENT_MAX_LENGTH)]
    if Channel(data.channel) == Channel.ONLINE:
        errors["channel"] = [_l("Choose how the opinion reached the department.")]
    if data.received_on is None or data.received_on > now.date():
        errors["received_on"] = [_l("Give the day the opinion was received; it cannot be in the future.")]
    article_id = None
    if data.article_number is not None:
        article_id = db.session.scalar(select(Article.id).where(Article.consultation_id == consultation.id,
                                                                Article.number == data.article_number))
        if article_id is None:
            errors["article"] = [_l("This draft has no such article.")]
    if errors:
        raise ValidationFailed(errors)
    return article_id
