"""A dated publication of a session's handling figures: a snapshot, never rewritten by a later one."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import User
from engage.core.columns import UTCDateTime
from engage.extensions import db
from engage.proposals.models import ProposalSession


class FiguresPublication(db.Model):
    """The overall handling figures of a session as the supervising office published them on a day (办理情况公开).

    The live figures move with every reply and rating; this row keeps what was stated, so a citizen (or an
    inspection) can hold the office to it. Each publication is a new row.
    """

    __tablename__ = "proposal_figures_publications"
    __table_args__ = (Index("ix_proposal_figures_publications_session", "session_id", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("proposal_sessions.id"))
    #: the China date the statement is dated ("截至 …公布"); the figures were counted on that day
    published_on: Mapped[date] = mapped_column(Date)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the office's summary of the handling (办理总体情况), shown above the figures; may be empty
    note: Mapped[str] = mapped_column(Text, default="")
    #: the snapshot: {"kinds": [...], "total": {...}, "units": [{"unit_id", "name", "name_en", ...}, ...]}
    #: (see ``services.snapshot``); unit names are copied so a renamed department does not change the statement
    figures: Mapped[dict] = mapped_column(JSON)

    session: Mapped[ProposalSession] = relationship(lazy="joined")
    published_by: Mapped[User | None] = relationship()

    def __repr__(self):
        return f"<FiguresPublication {self.id} session {self.session_id} {self.published_on}>"
