"""What the supervising office sent and did: notices to units (and who got them), digests, 督办 steps, reviews."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import Department, User
from engage.core.columns import UTCDateTime, str_enum
from engage.core.enums import LabelledStrEnum
from engage.extensions import db
from engage.proposals.models import Proposal


class NoticeKind(LabelledStrEnum):
    """Why a unit is told about a case."""

    ASSIGNED = "assigned", _l("New assignment")
    OPINION_REQUESTED = "opinion_requested", _l("Co-unit opinion requested")
    OBJECTION_DECIDED = "objection_decided", _l("Objection decided")
    DUE_SOON = "due_soon", _l("Due soon")
    DUE_TODAY = "due_today", _l("Due today")
    OVERDUE = "overdue", _l("Overdue")
    CHASED = "chased", _l("Chasing notice")  # 催办通知
    ESCALATED = "escalated", _l("Escalated to the unit's head")
    REPLY_RETURNED = "reply_returned", _l("Reply returned by the supervising office")
    SIGNOFF_REQUESTED = "signoff_requested", _l("Sign-off requested")  # 会签


class UnitNotice(db.Model):
    """Something a unit's staff must hear about a case, delivered at once or in their daily digest.

    Reminders carry a ``dedupe_key`` (e.g. ``due_soon:7``) unique per case round and unit, so a reminder is
    recorded once however often the periodic task runs; notices of events (a new assignment) carry none.
    """

    __tablename__ = "proposal_unit_notices"
    __table_args__ = (
        UniqueConstraint("proposal_id", "round_number", "department_id", "dedupe_key",
                         name="uq_proposal_unit_notices_key"),
        Index("ix_proposal_unit_notices_department_created", "department_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    round_number: Mapped[int] = mapped_column(default=1)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    kind: Mapped[NoticeKind] = mapped_column(str_enum(NoticeKind, "proposal_notice_kind"))
    #: days before the due date (due soon) or weeks overdue (overdue); 0 otherwise
    step: Mapped[int] = mapped_column(default=0)
    #: what makes a reminder unique within the round (None for notices of events, which may repeat)
    dedupe_key: Mapped[str | None] = mapped_column(String(40))
    #: the due date when the notice was made (messages show it as it was)
    due_on: Mapped[date | None] = mapped_column(Date)
    #: free text: the chasing notice's text, the objection's decision, the reason a reply was returned
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    proposal: Mapped[Proposal] = relationship()
    department: Mapped[Department] = relationship()


class NoticeDelivery(db.Model):
    """That one staff member got a notice, at once or in a digest: never twice (the pair is unique)."""

    __tablename__ = "proposal_notice_deliveries"
    __table_args__ = (UniqueConstraint("notice_id", "user_id", name="uq_proposal_notice_deliveries_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("proposal_unit_notices.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: "immediate" or "digest"
    via: Mapped[str] = mapped_column(String(10))
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DigestSent(db.Model):
    """One digest sent to one person for one period (a China day, or a week named by its Monday)."""

    __tablename__ = "proposal_digests_sent"
    __table_args__ = (UniqueConstraint("user_id", "kind", "period_start", name="uq_proposal_digests_sent_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: "unit", "supervisor" or "inspection"
    kind: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: how many items it listed (0: nothing to say, nothing sent, but the period is done)
    items: Mapped[int] = mapped_column(default=0)


class StepKind(LabelledStrEnum):
    """A 督办 step on a case's timeline."""

    CHASED = "chased", _l("Chasing notice sent")  # 催办
    CHASE_ANSWERED = "chase_answered", _l("Chasing notice answered")
    ESCALATED = "escalated", _l("Escalated to the unit's head")
    SUBMITTED_FOR_REVIEW = "submitted", _l("Reply submitted for review")  # 报审
    SIGNOFF_REQUESTED = "signoff_requested", _l("Co-units asked to sign off")  # 会签
    SIGNED_OFF = "signed_off", _l("Signed off by a co-unit")
    APPROVED = "approved", _l("Reply approved")
    RETURNED = "returned", _l("Reply returned")


class SupervisionStep(db.Model):
    """One 督办 step on a case: a chasing notice and its answer, an escalation, a step of the reply review."""

    __tablename__ = "proposal_supervision_steps"
    __table_args__ = (Index("ix_proposal_supervision_steps_kind_at", "kind", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    round_number: Mapped[int] = mapped_column(default=1)
    kind: Mapped[StepKind] = mapped_column(str_enum(StepKind, "proposal_supervision_step_kind"))
    #: the unit it concerns (the chased unit, the unit that answered or signed off)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    #: the chasing notice an answer answers
    answers_id: Mapped[int | None] = mapped_column(ForeignKey("proposal_supervision_steps.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    proposal: Mapped[Proposal] = relationship()
    department: Mapped[Department | None] = relationship()
    actor: Mapped[User | None] = relationship()


class ReviewState(LabelledStrEnum):
    SIGNOFF = "signoff", _l("Waiting for co-units to sign off")
    PENDING = "pending", _l("Waiting for the supervising office")
    APPROVED = "approved", _l("Approved and published")
    RETURNED = "returned", _l("Returned to the unit")


class ReplyDraft(db.Model):
    """A lead unit's reply held for review (审核): it becomes the case's reply only when approved."""

    __tablename__ = "proposal_reply_drafts"
    __table_args__ = (Index("ix_proposal_reply_drafts_state", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    round_number: Mapped[int] = mapped_column(default=1)
    state: Mapped[ReviewState] = mapped_column(str_enum(ReviewState, "proposal_review_state"))
    body: Mapped[str] = mapped_column(Text)
    replied_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(20))
    is_published: Mapped[bool] = mapped_column(default=True)
    unpublished_reason: Mapped[str] = mapped_column(Text, default="")
    pdf_stored_name: Mapped[str | None] = mapped_column(String(80))
    pdf_filename: Mapped[str] = mapped_column(String(200), default="")
    pdf_size: Mapped[int] = mapped_column(default=0)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: why the supervising office returned it
    return_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the case's reply made from it on approval
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("proposal_replies.id"))

    proposal: Mapped[Proposal] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    signoffs: Mapped[list["ReplySignoff"]] = relationship(order_by="ReplySignoff.id", cascade="all, delete-orphan",
                                                          back_populates="draft")

    @property
    def is_open(self) -> bool:
        return self.state in (ReviewState.SIGNOFF, ReviewState.PENDING)


class ReplySignoff(db.Model):
    """A co-unit asked to sign off (会签) a reply under review, and its answer."""

    __tablename__ = "proposal_reply_signoffs"
    __table_args__ = (UniqueConstraint("draft_id", "department_id", name="uq_proposal_reply_signoffs_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("proposal_reply_drafts.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    draft: Mapped[ReplyDraft] = relationship(back_populates="signoffs")
    department: Mapped[Department] = relationship(lazy="joined")
