"""Final decisions and their interpretations, linked to consultations; the annual catalogue of major decisions."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, composite, mapped_column, relationship

from engage.accounts.models import Department, User
from engage.consultations.models import Consultation
from engage.core.columns import UTCDateTime, str_enum
from engage.core.enums import LabelledStrEnum
from engage.decisions import rules
from engage.decisions.timing import PlannedTiming
from engage.extensions import db


class DecisionFile(db.Model):
    """An uploaded decision or interpretation document, stored outside static/ under a generated name."""

    __tablename__ = "decision_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the file name the uploader used, offered again as the download name
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Decision(db.Model):
    """The final decision a consultation led to, and its policy interpretation (政策解读)."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    #: 文号, e.g. 某府规〔2026〕3号
    document_number: Mapped[str] = mapped_column(String(100))
    #: the publication date of the decision (China date)
    published_on: Mapped[date]
    #: where the decision is published: an address, or ``file`` (uploaded), or both
    url: Mapped[str] = mapped_column(String(500), default="")
    file_id: Mapped[int | None] = mapped_column(ForeignKey("decision_files.id"))
    #: last day to publish the interpretation, counted in working days when the decision date was set
    interpretation_due_on: Mapped[date]
    interpretation_title: Mapped[str] = mapped_column(String(200), default="")
    interpretation_url: Mapped[str] = mapped_column(String(500), default="")
    interpretation_file_id: Mapped[int | None] = mapped_column(ForeignKey("decision_files.id"))
    #: publication date of the interpretation; None while it is not published
    interpreted_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    consultation: Mapped[Consultation] = relationship()
    file: Mapped[DecisionFile | None] = relationship(foreign_keys=[file_id], lazy="joined")
    interpretation_file: Mapped[DecisionFile | None] = relationship(
        foreign_keys=[interpretation_file_id], lazy="joined"
    )

    def interpretation_state(self, today: date) -> str:
        return rules.interpretation_state(self.interpretation_due_on, self.interpreted_on, today)

    @property
    def has_interpretation(self) -> bool:
        return self.interpreted_on is not None


class EntryStatus(LabelledStrEnum):
    LISTED = "listed", _l("In the catalogue")  # 列入目录
    POSTPONED = "postponed", _l("Postponed")  # 延期
    DROPPED = "dropped", _l("Dropped from the catalogue")  # 调出目录


class ChangeKind(LabelledStrEnum):
    ADDED = rules.ADDED, _l("Added to the catalogue")
    AMENDED = rules.AMENDED, _l("Changed")
    POSTPONED = rules.POSTPONED, _l("Postponed")
    DROPPED = rules.DROPPED, _l("Dropped from the catalogue")
    RESTORED = rules.RESTORED, _l("Restored to the catalogue")


class CatalogueEntry(db.Model):
    """One major administrative decision (重大行政决策事项) in a year's catalogue."""

    __tablename__ = "catalogue_entries"
    __table_args__ = (Index("ix_catalogue_entries_year_department", "year", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    name: Mapped[str] = mapped_column(String(200))
    #: when the decision is planned: a year with its quarter or month (``planned``)
    planned_year: Mapped[int | None] = mapped_column()
    planned_quarter: Mapped[int | None] = mapped_column()
    planned_month: Mapped[int | None] = mapped_column()
    planned: Mapped[PlannedTiming] = composite(planned_year, planned_quarter, planned_month)
    #: the words typed before timings were structured, kept where they could not be read (else "")
    planned_timing: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[EntryStatus] = mapped_column(str_enum(EntryStatus, "catalogue_entry_status"),
                                                default=EntryStatus.LISTED)
    #: the draft put out for comment; its feedback report and final decision are reached through it
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id"))
    #: the deliberation (集体讨论决定): which meeting, when, and what it decided
    meeting: Mapped[str] = mapped_column(String(200), default="")
    deliberated_on: Mapped[date | None]
    deliberation_outcome: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    department: Mapped[Department] = relationship(lazy="joined")
    consultation: Mapped[Consultation | None] = relationship()
    changes: Mapped[list["CatalogueChange"]] = relationship(
        order_by="CatalogueChange.id", cascade="all, delete-orphan", back_populates="entry"
    )


class CatalogueChange(db.Model):
    """A change to a catalogue entry with the reason for it; the public sees every one."""

    __tablename__ = "catalogue_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("catalogue_entries.id"), index=True)
    change: Mapped[ChangeKind] = mapped_column(str_enum(ChangeKind, "catalogue_change_kind"))
    reason: Mapped[str] = mapped_column(Text)
    #: the planned timing once the change was made (shows what a postponement moved it to)
    planned_year: Mapped[int | None] = mapped_column()
    planned_quarter: Mapped[int | None] = mapped_column()
    planned_month: Mapped[int | None] = mapped_column()
    planned: Mapped[PlannedTiming] = composite(planned_year, planned_quarter, planned_month)
    #: as on the entry: the words of before, kept where they could not be read
    planned_timing: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    entry: Mapped[CatalogueEntry] = relationship(back_populates="changes")
    actor: Mapped[User | None] = relationship()
