"""Cases (suggestions and proposals), who proposed them, who handles them, and every step of the handling."""

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import Department, User
from engage.core.columns import UTCDateTime, str_enum
from engage.core.enums import LabelledStrEnum
from engage.extensions import db
from engage.proposals import rules
from engage.proposals.rules import ProposalStatus, Satisfaction  # defined beside the transitions that name them


class ProposalKind(LabelledStrEnum):
    SUGGESTION = rules.SUGGESTION, _l("Deputy's suggestion (NPC)")  # 人大代表建议
    PROPOSAL = rules.PROPOSAL, _l("Member's proposal (CPPCC)")  # 政协委员提案


class UnitRole(LabelledStrEnum):
    LEAD = "lead", _l("Lead unit")  # 主办单位
    CO = "co", _l("Co-unit")  # 协办单位


class ObjectionState(enum.StrEnum):
    PENDING = "pending"
    UPHELD = "upheld"  # the supervisor reassigned the case
    DISMISSED = "dismissed"  # the unit keeps the case


class NoteKind(LabelledStrEnum):
    PROGRESS = "progress", _l("Progress")
    CONTACT = "contact", _l("Contact with the proposer")  # 走访、座谈、电话


class ImportState(enum.StrEnum):
    QUEUED = "queued"
    VALIDATING = "validating"
    IMPORTING = "importing"
    DONE = "done"
    FAILED = "failed"  # bad rows (listed in ``errors``) or an unreadable file: nothing imported


class ProposalSession(db.Model):
    """A session of the people's congress or the CPPCC (届次/会次), e.g. 第十八届人大第三次会议."""

    __tablename__ = "proposal_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: lead units' replies go to the supervising office for review (审核) before they are published
    review_required: Mapped[bool] = mapped_column(default=False, server_default="0")

    def __repr__(self):
        return f"<ProposalSession {self.id} {self.name}>"


class Proposal(db.Model):
    """One case: a deputy's suggestion or a member's proposal, from registration to the proposer's rating."""

    __tablename__ = "proposals"
    __table_args__ = (
        UniqueConstraint("session_id", "kind", "number", name="uq_proposals_session_kind_number"),
        Index("ix_proposals_session_kind_status", "session_id", "kind", "status"),
        Index("ix_proposals_status_due", "status", "due_on"),
        Index("ix_proposals_lead_unit", "lead_unit_id", "status"),
        Index("ix_proposals_outcome", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ProposalKind] = mapped_column(str_enum(ProposalKind, "proposal_kind"))
    session_id: Mapped[int] = mapped_column(ForeignKey("proposal_sessions.id"))
    #: the number given by the congress or CPPCC office, unique within the session and kind (e.g. "0123")
    number: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[ProposalStatus] = mapped_column(
        str_enum(ProposalStatus, "proposal_status"), default=ProposalStatus.REGISTERED
    )
    #: the lead proposer's name, copied here so lists and searches need no join
    lead_proposer_name: Mapped[str] = mapped_column(String(100), default="")
    assigned_on: Mapped[date | None] = mapped_column(Date)  # 交办日期
    #: due date of the current round (an extension or a reopening moves it)
    due_on: Mapped[date | None] = mapped_column(Date)
    #: why the reply was given more time; empty when it has not been extended
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    #: 1 for the first handling, 2 after the first reopening, ...
    round_number: Mapped[int] = mapped_column(default=1)
    #: the first lead unit, kept in step with ``units`` so lists and figures filter without a join
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    # The current round's reply, copied from it so the public list and the figures never join replies.
    replied_on: Mapped[date | None] = mapped_column(Date)
    replied_on_time: Mapped[bool | None]
    #: outcome class code of the current reply (configurable classes, e.g. "A")
    outcome: Mapped[str | None] = mapped_column(String(20))
    reply_published: Mapped[bool] = mapped_column(default=False)
    #: the least satisfied rating of the current round (None until someone rates)
    satisfaction: Mapped[Satisfaction | None] = mapped_column(str_enum(Satisfaction, "proposal_satisfaction"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the import that brought this case in, if any
    import_job_id: Mapped[int | None] = mapped_column(ForeignKey("proposal_import_jobs.id"))

    session: Mapped[ProposalSession] = relationship(lazy="joined")
    lead_unit: Mapped[Department | None] = relationship(foreign_keys=[lead_unit_id])
    proposers: Mapped[list["Proposer"]] = relationship(
        order_by="Proposer.position", cascade="all, delete-orphan", back_populates="proposal"
    )
    units: Mapped[list["ProposalUnit"]] = relationship(
        order_by="ProposalUnit.id", cascade="all, delete-orphan", back_populates="proposal"
    )
    rounds: Mapped[list["HandlingRound"]] = relationship(
        order_by="HandlingRound.number", cascade="all, delete-orphan", back_populates="proposal"
    )
    replies: Mapped[list["Reply"]] = relationship(
        order_by="Reply.id", cascade="all, delete-orphan", back_populates="proposal"
    )
    ratings: Mapped[list["Rating"]] = relationship(
        order_by="Rating.id", cascade="all, delete-orphan", back_populates="proposal"
    )
    status_changes: Mapped[list["StatusChange"]] = relationship(
        order_by="[StatusChange.changed_at, StatusChange.id]", cascade="all, delete-orphan",
        back_populates="proposal",
    )

    @property
    def lead_units(self) -> list["ProposalUnit"]:
        return [unit for unit in self.units if unit.role == UnitRole.LEAD]

    @property
    def co_units(self) -> list["ProposalUnit"]:
        return [unit for unit in self.units if unit.role == UnitRole.CO]

    def unit_ids(self, role: UnitRole | None = None) -> set[int]:
        return {unit.department_id for unit in self.units if role is None or unit.role == role}

    @property
    def current_reply(self) -> "Reply | None":
        current = [reply for reply in self.replies if reply.round_number == self.round_number]
        return current[-1] if current else None

    def is_overdue(self, today: date) -> bool:
        return rules.is_overdue(self.status, self.due_on, today)

    @property
    def is_awaiting_rating(self) -> bool:
        """Whether the proposers may rate the reply now (the rating services ask the same rule)."""
        return rules.can_change(self.status, rules.RATE)

    @property
    def is_objectable(self) -> bool:
        """Whether the case's status still allows a unit to object to its assignment."""
        return self.status in rules.OBJECTABLE_STATUSES

    def __repr__(self):
        return f"<Proposal {self.id} {self.kind} {self.number} {self.status}>"


class Proposer(db.Model):
    """A deputy or member who signed the case: the lead proposer first, then co-signers.

    Contact details are for the handling units only and never appear on public pages or in the public API.
    """

    __tablename__ = "proposal_proposers"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    is_lead: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    #: delegation or sector (代表团 / 界别), public
    affiliation: Mapped[str] = mapped_column(String(100), default="")
    # Private contact details.
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    #: sha256 of the private rating link's token; only the proposer who holds the link can rate through it
    rating_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    rating_token_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    proposal: Mapped[Proposal] = relationship(back_populates="proposers")


class ProposalUnit(db.Model):
    """A unit handling a case, as lead unit (主办) or co-unit (协办)."""

    __tablename__ = "proposal_units"
    __table_args__ = (
        UniqueConstraint("proposal_id", "department_id", name="uq_proposal_units_proposal_department"),
        Index("ix_proposal_units_department_role", "department_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    role: Mapped[UnitRole] = mapped_column(str_enum(UnitRole, "proposal_unit_role"))
    assigned_on: Mapped[date] = mapped_column(Date)
    #: co-units send their opinion to the lead unit by this day (1 month after assignment by default)
    opinion_due_on: Mapped[date | None] = mapped_column(Date)

    proposal: Mapped[Proposal] = relationship(back_populates="units")
    department: Mapped[Department] = relationship(lazy="joined")


class HandlingRound(db.Model):
    """One round of handling: the first, and one more for every reopening after an unsatisfied rating."""

    __tablename__ = "proposal_rounds"
    __table_args__ = (UniqueConstraint("proposal_id", "number", name="uq_proposal_rounds_proposal_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    number: Mapped[int]
    started_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    #: why this round began (the unsatisfied rating's comments for a reopening)
    reason: Mapped[str] = mapped_column(Text, default="")
    extension_reason: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[Proposal] = relationship(back_populates="rounds")


class Objection(db.Model):
    """A unit's objection to being assigned a case (it believes the case is not its business)."""

    __tablename__ = "proposal_objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    reason: Mapped[str] = mapped_column(Text)
    #: the unit the objecting unit thinks should handle it instead, if it named one
    suggested_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    state: Mapped[ObjectionState] = mapped_column(
        str_enum(ObjectionState, "proposal_objection_state"), default=ObjectionState.PENDING
    )
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[Proposal] = relationship()
    department: Mapped[Department] = relationship(foreign_keys=[department_id], lazy="joined")
    suggested_department: Mapped[Department | None] = relationship(foreign_keys=[suggested_department_id])
    raised_by: Mapped[User | None] = relationship(foreign_keys=[raised_by_id])


class CoUnitOpinion(db.Model):
    """A co-unit's opinion, sent to the lead unit (协办意见)."""

    __tablename__ = "proposal_opinions"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    round_number: Mapped[int] = mapped_column(default=1)
    body: Mapped[str] = mapped_column(Text)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)

    proposal: Mapped[Proposal] = relationship()
    department: Mapped[Department] = relationship(lazy="joined")
    submitted_by: Mapped[User | None] = relationship()


class HandlingNote(db.Model):
    """A progress note or a record of contact with the proposer, kept by the lead unit."""

    __tablename__ = "proposal_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    round_number: Mapped[int] = mapped_column(default=1)
    kind: Mapped[NoteKind] = mapped_column(str_enum(NoteKind, "proposal_note_kind"))
    body: Mapped[str] = mapped_column(Text)
    #: the day it happened (contact records: the day of the visit or call)
    happened_on: Mapped[date] = mapped_column(Date)
    #: how the proposer was contacted (visit, phone, meeting...), contact records only
    contact_method: Mapped[str] = mapped_column(String(40), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    department: Mapped[Department] = relationship(lazy="joined")
    author: Mapped[User | None] = relationship()


class Reply(db.Model):
    """The lead unit's reply (答复) for one round: full text, date, signing unit, outcome class."""

    __tablename__ = "proposal_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    round_number: Mapped[int] = mapped_column(default=1)
    body: Mapped[str] = mapped_column(Text)
    replied_on: Mapped[date] = mapped_column(Date)
    signing_unit_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    #: outcome class code, one of the configured classes for the case's kind
    outcome: Mapped[str] = mapped_column(String(20))
    is_published: Mapped[bool] = mapped_column(default=True)
    #: why the reply is not published (required when it is not)
    unpublished_reason: Mapped[str] = mapped_column(Text, default="")
    # Optional signed PDF, stored with engage.core.uploads.
    pdf_stored_name: Mapped[str | None] = mapped_column(String(80))
    pdf_filename: Mapped[str] = mapped_column(String(200), default="")
    pdf_size: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    proposal: Mapped[Proposal] = relationship(back_populates="replies")
    signing_unit: Mapped[Department] = relationship(lazy="joined")


class Rating(db.Model):
    """A proposer's rating of one round's handling (满意 / 基本满意 / 不满意)."""

    __tablename__ = "proposal_ratings"
    __table_args__ = (
        UniqueConstraint("proposer_id", "round_number", name="uq_proposal_ratings_proposer_round"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    proposer_id: Mapped[int] = mapped_column(ForeignKey("proposal_proposers.id"))
    round_number: Mapped[int]
    satisfaction: Mapped[Satisfaction] = mapped_column(str_enum(Satisfaction, "proposal_rating_satisfaction"))
    comments: Mapped[str] = mapped_column(Text, default="")
    #: the supervisor who typed it in from the returned form; None when the proposer rated through the link
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    proposal: Mapped[Proposal] = relationship(back_populates="ratings")
    proposer: Mapped[Proposer] = relationship(lazy="joined")
    entered_by: Mapped[User | None] = relationship()


class StatusChange(db.Model):
    """One change of a case's status: who, when, why. The public timeline is drawn from these."""

    __tablename__ = "proposal_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    from_status: Mapped[ProposalStatus | None] = mapped_column(str_enum(ProposalStatus, "proposal_from_status"))
    to_status: Mapped[ProposalStatus] = mapped_column(str_enum(ProposalStatus, "proposal_to_status"))
    action: Mapped[str] = mapped_column(String(20))
    round_number: Mapped[int] = mapped_column(default=1)
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    proposal: Mapped[Proposal] = relationship(back_populates="status_changes")
    actor: Mapped[User | None] = relationship()


class ImportJob(db.Model):
    """An import of a session's list from CSV or XLSX; updated as it runs, so any worker can report progress."""

    __tablename__ = "proposal_import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ProposalKind] = mapped_column(str_enum(ProposalKind, "proposal_import_kind"))
    session_name: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(200))
    state: Mapped[ImportState] = mapped_column(
        str_enum(ImportState, "proposal_import_state"), default=ImportState.QUEUED
    )
    total_rows: Mapped[int] = mapped_column(default=0)
    processed_rows: Mapped[int] = mapped_column(default=0)
    imported_rows: Mapped[int] = mapped_column(default=0)
    #: [{"line": 7, "field": "number", "message": "<message id>", "params": {...}}] for a failed import, translated
    #: when shown (importing.rows.problem_text); jobs stored before message ids hold translated text and no params
    errors: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the uploaded file, kept on the row until the import finished, so that a consumer on any machine can run
    #: it (and run it again after a crash) from the job's id alone; deferred, so pages never load it
    data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    #: how many times a consumer took the import; the claim compares it, so a superseded run cannot store
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    #: the last sign of life of the consumer running it; a run silent for long was cut off (see importing.tasks)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User | None] = relationship()
