"""Consultations, their articles and attachments, and the comments citizens send."""

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import Department, User
from engage.consultations import rules
from engage.core.answers import AnswerOutcome
from engage.core.columns import UTCDateTime, str_enum
from engage.core.enums import LabelledStrEnum
from engage.extensions import db


class ConsultationKind(LabelledStrEnum):
    MAJOR_DECISION = "major_decision", _l("Major administrative decision")  # 重大行政决策
    DRAFT_RULE = "draft_rule", _l("Draft government rule")  # 规章草案
    NORMATIVE_DOCUMENT = "normative_document", _l("Administrative normative document")  # 行政规范性文件
    #: 规范性文件, closely concerning market entities
    NORMATIVE_DOCUMENT_MARKET = "normative_document_market", _l("Normative document concerning market entities")


class Stage(enum.StrEnum):
    """Where a consultation is in its life; the public status adds the period's timing to it."""

    DRAFT = "draft"
    PUBLISHED = "published"
    FEEDBACK_PUBLISHED = "feedback_published"
    DECIDED = "decided"


class ModerationMode(enum.StrEnum):
    IMMEDIATE = "immediate"
    REVIEW = "review"


class CommentStatus(LabelledStrEnum):
    PENDING = "pending", _l("Awaiting review")
    PUBLISHED = "published", _l("Published")
    REJECTED = "rejected", _l("Not published")
    #: an offline opinion entered by staff and kept off the public list; answered and counted like the rest
    RECORDED = "recorded", _l("Recorded, not published")


class Channel(LabelledStrEnum):
    """How an opinion reached the department; offline channels are entered by staff."""

    ONLINE = "online", _l("Online")
    PHONE = "phone", _l("Telephone")
    LETTER = "letter", _l("Letter")
    EMAIL = "email", _l("E-mail")
    FORUM = "forum", _l("Forum")


class Consultation(db.Model):
    """A draft decision published for comment (征求意见稿)."""

    __tablename__ = "consultations"
    __table_args__ = (Index("ix_consultations_stage_period", "stage", "opens_at", "closes_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    kind: Mapped[ConsultationKind] = mapped_column(str_enum(ConsultationKind, "consultation_kind"))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    #: the draft as staff typed it; ``articles`` is derived from it on every save
    draft_text: Mapped[str] = mapped_column(Text, default="")
    #: text before the first article (title lines, preamble), shown above the articles
    preamble: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str] = mapped_column(Text, default="")  # 决策依据
    explanation: Mapped[str] = mapped_column(Text, default="")  # 起草说明
    contact_channels: Mapped[str] = mapped_column(Text, default="")  # 意见征集渠道
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: why the period is shorter than the legal minimum; published with the consultation
    short_period_reason: Mapped[str] = mapped_column(Text, default="")
    moderation: Mapped[ModerationMode] = mapped_column(
        str_enum(ModerationMode, "moderation_mode"), default=ModerationMode.IMMEDIATE
    )
    stage: Mapped[Stage] = mapped_column(str_enum(Stage, "consultation_stage"), default=Stage.DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: all comments received, kept in step by the services so pages never count rows
    comment_count: Mapped[int] = mapped_column(default=0)
    #: comments visible to the public
    published_comment_count: Mapped[int] = mapped_column(default=0)
    #: raised by every change to what the public sees of this consultation (publishing, comments appearing or
    #: being hidden, later the feedback); cached public pages are keyed on it, so they never show stale content
    public_version: Mapped[int] = mapped_column(default=0, server_default="0")

    department: Mapped[Department] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship()
    articles: Mapped[list["Article"]] = relationship(
        order_by="Article.position", cascade="all, delete-orphan", back_populates="consultation"
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        order_by="Attachment.id", cascade="all, delete-orphan", back_populates="consultation"
    )

    def status(self, now: datetime) -> str:
        return rules.public_status(self.stage, self.opens_at, self.closes_at, now)

    def is_open(self, now: datetime) -> bool:
        return self.status(now) == rules.OPEN

    def __repr__(self):
        return f"<Consultation {self.id} {self.stage}>"


class Article(db.Model):
    """One article (条) of a draft, numbered as in the text so it can be linked and commented on."""

    __tablename__ = "articles"
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    number: Mapped[int]
    #: the heading as written, e.g. 第十二条
    label: Mapped[str] = mapped_column(String(40))
    #: the chapter heading (第二章 ...) that starts before this article, if any
    chapter: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    position: Mapped[int]
    #: its comments visible to the public, kept in step by the services like the consultation's count
    published_comment_count: Mapped[int] = mapped_column(default=0, server_default="0")

    consultation: Mapped[Consultation] = relationship(back_populates="articles")


class Attachment(db.Model):
    """A file published with a consultation, stored outside static/ under a generated name."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    #: the file name the uploader used, offered again as the download name
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    consultation: Mapped[Consultation] = relationship(back_populates="attachments")


class Comment(db.Model):
    """An opinion (意见) on a consultation, on the whole draft or on one article."""

    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("consultation_id", "idempotency_key"),
        Index("ix_comments_listing", "consultation_id", "status", "id"),
        #: one article's published comments, newest first, and the count per article, without reading the rows
        Index("ix_comments_article_listing", "consultation_id", "status", "article_id", "id"),
        Index("ix_comments_opinion_group", "opinion_group_id"),
        #: the few comments the search index does not hold yet, found without reading the others
        Index("ix_comments_words_pending", "consultation_id", "id", sqlite_where=text("words_indexed = 0"),
              postgresql_where=text("NOT words_indexed")),
        #: suspected campaigns: copies of one text per consultation, their sources and times, from the index alone
        Index("ix_comments_campaigns", "consultation_id", "text_fingerprint", "source_key", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    #: empty means anonymous (匿名)
    display_name: Mapped[str] = mapped_column(String(50), default="")
    #: phone or e-mail; never shown publicly, kept only with consent
    contact: Mapped[str] = mapped_column(String(254), default="")
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the language the author wrote in: the messages sent to the contact later go out in it
    language: Mapped[str] = mapped_column(String(8), default="zh", server_default="zh")
    receipt_number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[CommentStatus] = mapped_column(str_enum(CommentStatus, "comment_status"))
    #: shown to the author (not the public) when the comment is not published
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "comment_channel"), default=Channel.ONLINE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the form's one-time token or the API's Idempotency-Key: a retry finds the first comment
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    #: the text with spacing and punctuation left out, hashed (``campaigns.fingerprint``); None before it was kept
    text_fingerprint: Mapped[str | None] = mapped_column(String(40))
    #: a keyed hash of the address it came from (``campaigns.source_key``); "" when unknown (offline, imported)
    source_key: Mapped[str] = mapped_column(String(16), default="", server_default="")
    #: the day an offline opinion (letter, phone call, forum) reached the department; None for online comments
    received_on: Mapped[date | None]
    #: the opinion group (集中意见) that answers this comment, if any
    opinion_group_id: Mapped[int | None] = mapped_column(ForeignKey("opinion_groups.id"))
    #: the comment's own answer; when empty, its group's answer applies
    answer_outcome: Mapped[AnswerOutcome | None] = mapped_column(str_enum(AnswerOutcome, "comment_answer_outcome"))
    answer_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the answer as the current published feedback report gives it (own or group's); what the author sees
    published_outcome: Mapped[AnswerOutcome | None] = mapped_column(
        str_enum(AnswerOutcome, "comment_published_outcome")
    )
    published_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: the opinion group it was in when the current report was published (an id in the revision's content, so no
    #: foreign key): the receipt links to that group as the report shows it, not to a later regrouping
    published_opinion_group_id: Mapped[int | None]
    #: whether the staff search index (engage/feedback/search) holds the comment's words; the job consumers index
    #: new comments a moment after they arrive, so that taking one in never waits for the word segmenter
    words_indexed: Mapped[bool] = mapped_column(default=False, server_default=false())

    consultation: Mapped[Consultation] = relationship()
    article: Mapped[Article | None] = relationship(lazy="joined")
    moderated_by: Mapped[User | None] = relationship(foreign_keys=[moderated_by_id])
