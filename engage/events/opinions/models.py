"""Opinions gathered at an event: its questionnaire, attendees' responses, and the organiser's answers.

The answers reuse the adoption-feedback outcomes of ``engage.core.answers``: an opinion (one free-text answer)
or a group of similar opinions (集中意见) is adopted, partly adopted, not adopted or out of scope, with a reason.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.answers import AnswerOutcome
from engage.core.columns import UTCDateTime, str_enum
from engage.core.enums import LabelledStrEnum
from engage.extensions import db


class QuestionKind(LabelledStrEnum):
    RATING = "rating", _l("Rating from 1 to 5")
    SINGLE_CHOICE = "single_choice", _l("Single choice")
    FREE_TEXT = "free_text", _l("Free text (an opinion)")


class Questionnaire(db.Model):
    """The questionnaire of one event; attendees answer it through their private link while it is open."""

    __tablename__ = "event_questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), unique=True)
    #: shown above the questions
    introduction: Mapped[str] = mapped_column(Text, default="")
    #: attendees may answer only while this is true (the organiser opens it at or after the event)
    is_open: Mapped[bool] = mapped_column(default=False)
    #: when the public feedback page (opinions and their answers) was published; None while unpublished
    feedback_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the organiser's closing words on the public feedback page
    feedback_summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    questions: Mapped[list["Question"]] = relationship(
        back_populates="questionnaire", order_by="Question.position", cascade="all, delete-orphan"
    )

    @property
    def is_feedback_published(self) -> bool:
        return self.feedback_published_at is not None


class Question(db.Model):
    __tablename__ = "event_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("event_questionnaires.id"), index=True)
    #: order on the form, from 1
    position: Mapped[int]
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind, "event_question_kind"))
    text: Mapped[str] = mapped_column(String(300))
    #: the options of a single-choice question, in order; empty for the other kinds
    choices: Mapped[list] = mapped_column(JSON, default=list)
    is_required: Mapped[bool] = mapped_column(default=False)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="questions")


class OpinionResponse(db.Model):
    """One attendee's filled-in questionnaire; at most one per registration."""

    __tablename__ = "event_opinion_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("event_questionnaires.id"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("event_registrations.id"), unique=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)

    items: Mapped[list["ResponseItem"]] = relationship(back_populates="response", cascade="all, delete-orphan")


class OpinionGroup(db.Model):
    """The organiser's answer to one opinion or to a group of similar opinions (集中意见)."""

    __tablename__ = "event_opinion_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("event_questionnaires.id"), index=True)
    #: the opinion (or what the grouped opinions say) in the organiser's words, published
    summary: Mapped[str] = mapped_column(Text)
    outcome: Mapped[AnswerOutcome] = mapped_column(str_enum(AnswerOutcome, "event_opinion_outcome"))
    #: required unless adopted; published with the answer
    reason: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    opinions: Mapped[list["ResponseItem"]] = relationship(back_populates="group", order_by="ResponseItem.id")


class ResponseItem(db.Model):
    """The answer to one question in a response; a free-text item is an opinion the organiser answers."""

    __tablename__ = "event_response_items"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("event_opinion_responses.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("event_questions.id"), index=True)
    rating: Mapped[int | None]
    choice: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    #: the organiser's answer that covers this opinion (free text only); None while unanswered
    group_id: Mapped[int | None] = mapped_column(ForeignKey("event_opinion_groups.id"), index=True)

    response: Mapped[OpinionResponse] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()
    group: Mapped[OpinionGroup | None] = relationship(back_populates="opinions")
