"""Prepared downloads: ask for one, let a consumer write it, download it, delete it when its time is up.

How a run survives a consumer that dies, as the search for similar comments does (``feedback.grouping_runs``):
a consumer claims the export (compare-and-set on its state, counting the attempt) and writes the file under a
temporary name, renamed only when complete; the export's end is one transaction. An export whose attempt gave
no sign of progress for ``EXPORT_STALE_SECONDS`` was cut off: the sweep queues it again, or after
``MAX_ATTEMPTS`` fails it. An attempt given up for dead that wakes up sees the export is no longer its own and
keeps nothing.

The file is read and written outside any write transaction (on SQLite a write transaction would hold the
database's write lock for the minutes a national consultation takes); progress is written in short
transactions of their own.
"""

import logging
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select, update

from engage.consultations.models import Consultation
from engage.core import audit
from engage.core.engine import read_transactions, write_transactions
from engage.core.errors import NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.extensions import db
from engage.feedback import downloads, permissions
from engage.feedback.exports.models import CommentExport, ExportState
from engage.notifications import services as outbox

log = logging.getLogger(__name__)

EXTENSIONS = ("csv", "xlsx")
MAX_ATTEMPTS = 3
WAITING = (ExportState.QUEUED, ExportState.RUNNING)

INTERRUPTED = "interrupted"
INTERNAL_ERROR = "internal_error"
ERRORS = {
    INTERRUPTED: _l("Writing the file was interrupted %(count)d times. Ask for it again, or ask the administrator "
                    "to look at the job consumer."),
    INTERNAL_ERROR: _l("Writing the file stopped because of an internal error. Ask for it again."),
}


class Superseded(Exception):
    """This attempt was given up for dead and another took the export over: it must keep nothing."""


def folder() -> Path:
    """Where prepared files are kept: beside the uploads, which several instances share."""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def is_direct(consultation: Consultation) -> bool:
    """Whether the comments are few enough to be written while the request waits."""
    return downloads.row_count(consultation.id) <= current_app.config["EXPORT_DIRECT_ROWS"]


def request_export(consultation: Consultation, extension: str, *, actor, now: datetime) -> CommentExport:
    """Record an export for a consumer to write; the one already waiting in that format if there is one.

    The caller commits, then ``jobs.enqueue``s it.

    :raises NotAllowed: the actor is not of the consultation's department
    :raises ValidationFailed: a format other than CSV and XLSX
    """
    if not permissions.can_download_contacts(actor, consultation):
        raise NotAllowed()
    if extension not in EXTENSIONS:
        raise ValidationFailed({"extension": [_l("Choose CSV or XLSX.")]})
    waiting = db.session.scalar(select(CommentExport).where(
        CommentExport.consultation_id == consultation.id, CommentExport.extension == extension,
        CommentExport.state.in_(WAITING)).limit(1))
    if waiting is not None:
        return waiting
    export = CommentExport(consultation_id=consultation.id, extension=extension, state=ExportState.QUEUED,
                           requested_by_id=actor.id, requested_at=now, attempts=0, rows_total=0, rows_done=0,
                           stored_name="", size=0, error="")
    db.session.add(export)
    db.session.flush()
    audit.record("feedback.contacts_export_requested", consultation, actor=actor, now=now, format=extension,
                 export=export.id)
    return export


def exports_of(consultation: Consultation, *, actor, limit: int = 10) -> list[CommentExport]:
    """The consultation's latest exports, newest first."""
    if not permissions.can_download_contacts(actor, consultation):
        raise NotAllowed()
    return list(db.session.scalars(select(CommentExport).where(CommentExport.consultation_id == consultation.id)
                                   .order_by(CommentExport.id.desc()).limit(limit)))


def get_export(consultation: Consultation, export_id: int, *, actor) -> CommentExport:
    if not permissions.can_download_contacts(actor, consultation):
        raise NotAllowed()
    export = db.session.get(CommentExport, export_id)
    if export is None or export.consultation_id != consultation.id:
        raise NotFound()
    return export


def error_message(export: CommentExport) -> str:
    message = ERRORS.get(export.error)
    return str(message % {"count": export.attempts}) if message is not None else ""


def file_to_send(consultation: Consultation, export: CommentExport, *, actor, now: datetime) -> Path:
    """The written file, for ``send_file``; the download is audited (committed at once, as the direct one is).

    :raises RuleViolation: the file is not written yet, failed, or was deleted after its keeping time
    """
    if export.state != ExportState.DONE:
        raise RuleViolation(_l("This file was deleted after its keeping time. Ask for a new one.")
                            if export.state == ExportState.EXPIRED else
                            _l("This file is not ready yet."))
    path = folder() / export.stored_name
    if not path.is_file():
        raise RuleViolation(_l("This file was deleted after its keeping time. Ask for a new one."))
    audit.record("feedback.contacts_downloaded", consultation, actor=actor, now=now, format=export.extension,
                 export=export.id)
    db.session.commit()
    return path


# ---- the consumer's side -----------------------------------------------------------------------------------


def claim(export_id: int, now: datetime, stale_after: timedelta) -> int | None:
    """Take a queued export, or one whose attempt went silent; the attempt's number, or None if not ours."""
    with write_transactions():
        taken = db.session.execute(
            update(CommentExport)
            .where(CommentExport.id == export_id, CommentExport.attempts < MAX_ATTEMPTS, or_(
                CommentExport.state == ExportState.QUEUED,
                and_(CommentExport.state == ExportState.RUNNING, CommentExport.beat_at < now - stale_after),
            ))
            .values(state=ExportState.RUNNING, started_at=now, beat_at=now, rows_done=0,
                    attempts=CommentExport.attempts + 1)
        )
        attempt = None
        if taken.rowcount:
            attempt = db.session.scalar(select(CommentExport.attempts).where(CommentExport.id == export_id))
        db.session.commit()
    return attempt


def _progress(export_id: int, attempt: int, clock, **values) -> None:
    """Written on a connection of its own: the export's long read stays a read."""
    with write_transactions(), db.engine.begin() as connection:
        connection.execute(update(CommentExport).where(CommentExport.id == export_id,
                                                       CommentExport.attempts == attempt)
                           .values(beat_at=clock(), **values))


def execute(export_id: int, *, clock, stale_after: timedelta) -> None:
    """Claim the export and write its file; ``clock`` gives the time (an export takes minutes)."""
    attempt = claim(export_id, clock(), stale_after)
    if attempt is None:
        return
    export = db.session.get(CommentExport, export_id)
    consultation_id, extension = export.consultation_id, export.extension
    stored_name = f"{export_id}-{secrets.token_hex(8)}.{extension}"
    written, partial = folder() / stored_name, folder() / f"{stored_name}.part"
    try:
        with read_transactions():
            db.session.rollback()  # the read starts now, as a read
            _progress(export_id, attempt, clock, rows_total=downloads.row_count(consultation_id))
            rows = downloads.write_file(consultation_id, extension, partial,
                                        progress=lambda done: _progress(export_id, attempt, clock, rows_done=done))
            os.replace(partial, written)
            db.session.rollback()  # the read ends; the export's end is written in a transaction of its own
        _finish(export_id, attempt, stored_name, rows, written.stat().st_size, clock())
    except Superseded:
        db.session.rollback()
        written.unlink(missing_ok=True)
        log.warning("Export %s was taken over by another consumer; this attempt stops", export_id)
    except Exception:
        db.session.rollback()
        for path in (partial, written):
            path.unlink(missing_ok=True)
        log.exception("Export %s failed (attempt %s)", export_id, attempt)
        _fail(export_id, attempt, INTERNAL_ERROR, clock())


def _finish(export_id: int, attempt: int, stored_name: str, rows: int, size: int, now: datetime) -> None:
    keep = timedelta(hours=current_app.config["EXPORT_KEEP_HOURS"])
    with write_transactions():
        finished = db.session.execute(
            update(CommentExport).where(CommentExport.id == export_id, CommentExport.attempts == attempt,
                                        CommentExport.state == ExportState.RUNNING)
            .values(state=ExportState.DONE, stored_name=stored_name, rows_done=rows, rows_total=rows, size=size,
                    finished_at=now, beat_at=now, expires_at=now + keep))
        if not finished.rowcount:
            db.session.rollback()
            raise Superseded()
        export = db.session.get(CommentExport, export_id)
        _tell_ready(export, now)
        db.session.commit()


def _tell_ready(export: CommentExport, now: datetime) -> None:
    """The person who asked hears the file is ready (they may have closed the page: it takes minutes)."""
    user = export.requested_by
    if user is None or not user.email:
        return
    consultation = db.session.get(Consultation, export.consultation_id)
    outbox.queue_message(channel="email", recipient=user.email, template="comment_export_ready",
                         language=user.message_language, about=export, now=now,
                         params={"name": user.name, "title": consultation.title, "rows": export.rows_done,
                                 "format": export.extension.upper(), "consultation_id": consultation.id,
                                 "export_id": export.id, "keep_hours": current_app.config["EXPORT_KEEP_HOURS"]})


def _fail(export_id: int, attempt: int, reason: str, now: datetime) -> None:
    with write_transactions():
        db.session.execute(update(CommentExport).where(CommentExport.id == export_id,
                                                       CommentExport.attempts == attempt,
                                                       CommentExport.state.in_(WAITING))
                           .values(state=ExportState.FAILED, finished_at=now, error=reason))
        db.session.commit()


def stale_exports(now: datetime, stale_after: timedelta) -> list[int]:
    """Exports to queue again (cut off, attempts left, or never picked up); those out of attempts are failed."""
    cutoff = now - stale_after
    silent = or_(and_(CommentExport.state == ExportState.RUNNING, CommentExport.beat_at < cutoff),
                 and_(CommentExport.state == ExportState.QUEUED, CommentExport.requested_at < cutoff))
    again = []
    for export_id, attempts in db.session.execute(select(CommentExport.id, CommentExport.attempts).where(silent)):
        if attempts >= MAX_ATTEMPTS:
            _fail(export_id, attempts, INTERRUPTED, now)
        else:
            again.append(export_id)
    return again


def delete_expired(now: datetime) -> int:
    """Delete the files whose keeping time is over (they hold contact details); returns how many."""
    expired = db.session.execute(select(CommentExport.id, CommentExport.stored_name).where(
        CommentExport.state == ExportState.DONE, CommentExport.expires_at <= now)).all()
    for export_id, stored_name in expired:
        (folder() / stored_name).unlink(missing_ok=True)
        db.session.execute(update(CommentExport).where(CommentExport.id == export_id)
                           .values(state=ExportState.EXPIRED, stored_name=""))
    db.session.commit()
    return len(expired)
