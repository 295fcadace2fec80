"""A prepared download of a consultation's comments: asked for, written by a consumer, kept for a while."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import User
from engage.core.columns import UTCDateTime, str_enum
from engage.core.enums import LabelledStrEnum
from engage.extensions import db


class ExportState(LabelledStrEnum):
    QUEUED = "queued", _l("Waiting for a job consumer")
    RUNNING = "running", _l("Being written")
    DONE = "done", _l("Ready to download")
    FAILED = "failed", _l("Did not finish")
    EXPIRED = "expired", _l("Deleted after its keeping time")


class CommentExport(db.Model):
    __tablename__ = "feedback_comment_exports"
    __table_args__ = (Index("ix_feedback_comment_exports_consultation", "consultation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    #: "csv" or "xlsx"
    extension: Mapped[str] = mapped_column(String(10))
    state: Mapped[ExportState] = mapped_column(str_enum(ExportState, "comment_export_state"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: when the current attempt began; an attempt silent for longer than the stale time was cut off
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the running attempt's last sign of life (its progress)
    beat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(default=0)
    #: the file's name in the export folder (random, never shown); empty until it is written
    stored_name: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(default=0)
    #: when the file is deleted
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: why it failed (translatable message id), shown to staff
    error: Mapped[str] = mapped_column(Text, default="")

    requested_by: Mapped[User | None] = relationship()

    @property
    def is_waiting(self) -> bool:
        return self.state in (ExportState.QUEUED, ExportState.RUNNING)
