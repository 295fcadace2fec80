"""Staff downloads of all comments with their contact details; every download goes into the audit history."""

from datetime import datetime

from flask import stream_with_context
from flask_babel import gettext as _
from sqlalchemy import select

from engage.consultations.models import Article, Comment, Consultation
from engage.core import audit, exports
from engage.core.errors import NotAllowed
from engage.extensions import db
from engage.feedback import permissions
from engage.feedback.models import OpinionGroup


def _header() -> list[str]:
    return [_("Receipt number"), _("Received"), _("Channel"), _("Status"), _("Article"), _("Name"),
            _("Contact (never public)"), _("Comment"), _("Opinion group"), _("Own answer"), _("Group answer"),
            _("Reason"), _("Published answer")]


def _rows(consultation_id: int):
    statement = (
        select(Comment, Article.label, OpinionGroup.title, OpinionGroup.outcome, OpinionGroup.reason)
        .outerjoin(Article, Article.id == Comment.article_id)
        .outerjoin(OpinionGroup, OpinionGroup.id == Comment.opinion_group_id)
        .where(Comment.consultation_id == consultation_id)
        .order_by(Comment.id)
        .execution_options(yield_per=2000)
    )
    for comment, article, group_title, group_outcome, group_reason in db.session.execute(statement):
        yield (
            comment.receipt_number, comment.received_on or comment.created_at, comment.channel, comment.status,
            article or _("The whole draft"), comment.display_name, comment.contact, comment.body, group_title or "",
            comment.answer_outcome, group_outcome, comment.answer_reason if comment.answer_outcome else group_reason,
            comment.published_outcome,
        )


def comments_with_contacts(consultation: Consultation, extension: str, *, actor, now: datetime):
    """The download response; refused to anyone outside the consultation's department."""
    if not permissions.can_download_contacts(actor, consultation):
        raise NotAllowed()
    audit.record("feedback.contacts_downloaded", consultation, actor=actor, now=now, format=extension)
    # Committed now, not after the file is sent: the record must exist even if the download is interrupted.
    db.session.commit()
    # Translated outside the f-string: message extraction does not look inside one.
    name = _("Comments with contact details")
    filename = f"{name}-{consultation.id}.{extension}"
    if extension == "xlsx":
        return exports.xlsx_response(filename, [(_("Comments"), _header(), _rows(consultation.id))])
    response = exports.csv_response(filename, _header(), _rows(consultation.id))
    response.response = stream_with_context(response.response)
    return response
