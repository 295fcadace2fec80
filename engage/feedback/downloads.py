"""Staff downloads of all comments with their contact details; every download goes into the audit history."""

from datetime import datetime

from flask import stream_with_context
from flask_babel import gettext as _
from sqlalchemy import func, select

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
    # Columns, not Comment objects: at 400,000 comments building the objects costs most of the export's time.
    statement = (
        select(Comment.receipt_number, Comment.received_on, Comment.created_at, Comment.channel, Comment.status,
               Article.label, Comment.display_name, Comment.contact, Comment.body, OpinionGroup.title,
               Comment.answer_outcome, OpinionGroup.outcome, Comment.answer_reason, OpinionGroup.reason,
               Comment.published_outcome)
        .outerjoin(Article, Article.id == Comment.article_id)
        .outerjoin(OpinionGroup, OpinionGroup.id == Comment.opinion_group_id)
        .where(Comment.consultation_id == consultation_id)
        .order_by(Comment.id)
        .execution_options(yield_per=2000)
    )
    whole_draft = _("The whole draft")
    for (receipt, received_on, created_at, channel, status, article, name, contact, body, group_title, outcome,
         group_outcome, reason, group_reason, published) in db.session.execute(statement):
        yield (receipt, received_on or created_at, channel, status, article or whole_draft, name, contact, body,
               group_title or "", outcome, group_outcome, reason if outcome else group_reason, published)


def row_count(consultation_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Comment)
                             .where(Comment.consultation_id == consultation_id))


def file_name(consultation: Consultation, extension: str) -> str:
    # Translated outside the f-string: message extraction does not look inside one.
    name = _("Comments with contact details")
    return f"{name}-{consultation.id}.{extension}"


def write_file(consultation_id: int, extension: str, target, progress=None) -> int:
    """Write every comment to ``target`` (a path or a binary file) a row at a time; returns how many rows.

    :param progress: called with the rows written so far, every few thousand rows
    """
    rows = _counted(_rows(consultation_id), progress)
    if extension == "xlsx":
        exports.write_xlsx(target, [(_("Comments"), _header(), rows)])
    else:
        exports.write_csv(target, _header(), rows)
    return rows.count


class _counted:
    """The rows, counted as they pass (and reported every ``every`` rows)."""

    def __init__(self, rows, progress, every: int = 5000):
        self.rows, self.progress, self.every, self.count = rows, progress, every, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            if self.progress and self.count % self.every == 0:
                self.progress(self.count)
            yield row


def comments_with_contacts(consultation: Consultation, extension: str, *, actor, now: datetime):
    """The download response; refused to anyone outside the consultation's department."""
    if not permissions.can_download_contacts(actor, consultation):
        raise NotAllowed()
    audit.record("feedback.contacts_downloaded", consultation, actor=actor, now=now, format=extension)
    # Committed now, not after the file is sent: the record must exist even if the download is interrupted.
    db.session.commit()
    filename = file_name(consultation, extension)
    if extension == "xlsx":
        return exports.xlsx_response(filename, [(_("Comments"), _header(), _rows(consultation.id))])
    response = exports.csv_response(filename, _header(), _rows(consultation.id))
    response.response = stream_with_context(response.response)
    return response
