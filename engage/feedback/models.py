"""Opinion groups (集中意见), the feedback report's draft and its published, hash-chained revisions.

A comment's own answer and its group live on the ``comments`` row (see ``Comment.opinion_group_id``): the
work view filters 100,000 comments by them, so they must be plain indexed columns, not a join per answer.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import User
from engage.consultations.models import Consultation
from engage.core.answers import AnswerOutcome
from engage.core.columns import UTCDateTime, str_enum
from engage.core.enums import LabelledStrEnum
from engage.extensions import db


class GroupStatus(LabelledStrEnum):
    #: found by the near-duplicate search; staff have not looked at it yet
    PROPOSED = "proposed", _l("Proposed")
    ACCEPTED = "accepted", _l("Accepted")


class GroupKind(LabelledStrEnum):
    #: identical and near-identical texts (form letters, copies with small edits)
    COPIES = "copies", _l("Near-identical copies")
    #: comments making the same point in different words
    THEME = "theme", _l("Theme")


class OpinionGroup(db.Model):
    """Similar comments answered together (集中意见)."""

    __tablename__ = "opinion_groups"
    __table_args__ = (Index("ix_opinion_groups_consultation", "consultation_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[GroupStatus] = mapped_column(str_enum(GroupStatus, "opinion_group_status"))
    #: how it was found (a group staff make by hand counts as copies: it needs no keywords)
    kind: Mapped[GroupKind] = mapped_column(str_enum(GroupKind, "opinion_group_kind"), default=GroupKind.COPIES,
                                            server_default=GroupKind.COPIES.value)
    #: a theme's top words, shown to staff beside its title
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    #: the comment whose text stands for the group in the report
    representative_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", use_alter=True, ondelete="SET NULL")
    )
    #: members, kept in step by the services so lists never count rows
    size: Mapped[int] = mapped_column(default=0)
    outcome: Mapped[AnswerOutcome | None] = mapped_column(str_enum(AnswerOutcome, "answer_outcome"))
    reason: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    consultation: Mapped[Consultation] = relationship()
    representative = relationship("Comment", foreign_keys=[representative_id], post_update=True)
    answered_by: Mapped[User | None] = relationship()


class FeedbackReport(db.Model):
    """The department's working copy of a consultation's report: the overall explanation being drafted."""

    __tablename__ = "feedback_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), unique=True)
    #: the department's overall explanation (总体说明), published with the report
    explanation: Mapped[str] = mapped_column(Text, default="")
    #: the number of the newest published revision; 0 while nothing is published
    current_revision: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    consultation: Mapped[Consultation] = relationship()


class FeedbackRevision(db.Model):
    """One published version of a report. Never updated: a correction adds the next revision.

    ``content_hash`` is the SHA-256 of the revision's canonical content together with ``previous_hash``, so
    altering any stored revision breaks every hash from it onwards.
    """

    __tablename__ = "feedback_revisions"
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    number: Mapped[int]
    #: the whole report as published: counts, groups with answers, explanation (see rules.report_content)
    content: Mapped[dict] = mapped_column(JSON)
    #: why a correction was made; empty for the first revision
    reason: Mapped[str] = mapped_column(Text, default="")
    #: what changed from the previous revision, worked out when it was published (see rules.describe_changes)
    changes: Mapped[list] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: who published it, by name, as part of the hashed record
    published_by_name: Mapped[str] = mapped_column(String(100), default="")
    previous_hash: Mapped[str] = mapped_column(String(64), default="")
    content_hash: Mapped[str] = mapped_column(String(64))

    consultation: Mapped[Consultation] = relationship()


class RunState(LabelledStrEnum):
    QUEUED = "queued", _l("Waiting for a job consumer")
    RUNNING = "running", _l("Looking for similar comments")
    DONE = "done", _l("Done")
    FAILED = "failed", _l("Did not finish")


class GroupingRun(db.Model):
    """One search for identical and near-identical comments, run by the job queue: a large consultation takes
    longer than a page may wait. The proposals it writes and its end are one transaction, so a consumer killed
    while it runs leaves nothing, and the run is taken up again."""

    __tablename__ = "feedback_grouping_runs"
    __table_args__ = (Index("ix_feedback_grouping_runs_consultation", "consultation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    state: Mapped[RunState] = mapped_column(str_enum(RunState, "grouping_run_state"))
    #: what the run looks for: copies or themes
    kind: Mapped[GroupKind] = mapped_column(str_enum(GroupKind, "grouping_run_kind"), default=GroupKind.COPIES,
                                            server_default=GroupKind.COPIES.value)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: when the current attempt began; an attempt silent for longer than the stale time was cut off
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    #: groups proposed and comments in them, once done
    groups_proposed: Mapped[int | None]
    comments_grouped: Mapped[int | None]
    #: why it failed (translatable message id), shown to staff
    error: Mapped[str] = mapped_column(Text, default="")

    requested_by: Mapped[User | None] = relationship()

    @property
    def is_waiting(self) -> bool:
        return self.state in (RunState.QUEUED, RunState.RUNNING)
