"""Feedback report use cases: what is unanswered, the report's content, publishing, revisions and their chain.

Answering and grouping are in ``answer_services``. Each service takes the acting user and ``now`` explicitly.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select, update

from engage import domain_events
from engage.consultations import rules as consultation_rules
from engage.consultations.models import Channel, Comment, CommentStatus, Consultation, Stage
from engage.core import audit
from engage.core.answers import AnswerOutcome
from engage.core.engine import lock_row
from engage.core.errors import NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.domain_events.models import EventType
from engage.extensions import db
from engage.feedback import messages, permissions, presentation, rules
from engage.feedback.models import FeedbackReport, FeedbackRevision, GroupStatus, OpinionGroup

ANSWERABLE = (CommentStatus.PUBLISHED, CommentStatus.RECORDED)
PUBLISH_MESSAGES = {
    "unanswered": _l("Some comments have no answer yet, directly or through their group."),
    "pending": _l("Some comments still await moderation: publish or reject them first."),
    "explanation": _l("Write the overall explanation of the report."),
}


def is_unanswered():
    """SQL: a comment to answer that has no answer of its own and none through its group.

    Written without joining the groups: over 100,000 comments the join costs ten times the filter.
    """
    unanswered_groups = select(OpinionGroup.id).where(OpinionGroup.outcome.is_(None))
    return and_(Comment.status.in_(ANSWERABLE), Comment.answer_outcome.is_(None),
                or_(Comment.opinion_group_id.is_(None), Comment.opinion_group_id.in_(unanswered_groups)))


def has_outcome(outcome: AnswerOutcome):
    """SQL: a comment whose answer, its own or else its group's, is ``outcome`` (without joining the groups)."""
    groups = select(OpinionGroup.id).where(OpinionGroup.outcome == outcome)
    return or_(Comment.answer_outcome == outcome,
               and_(Comment.answer_outcome.is_(None), Comment.opinion_group_id.in_(groups)))


def _with_groups(statement):
    return statement.outerjoin(OpinionGroup, OpinionGroup.id == Comment.opinion_group_id)


def unanswered_counts(consultation_ids: list[int]) -> dict[int, int]:
    """Published and offline comments lacking an answer (directly or through their group), per consultation.

    Consultations with none are left out. One grouped query for a whole list page.
    """
    if not consultation_ids:
        return {}
    rows = db.session.execute(
        select(Comment.consultation_id, func.count())
        .where(Comment.consultation_id.in_(consultation_ids), is_unanswered())
        .group_by(Comment.consultation_id)
    )
    return dict(rows.all())


def unanswered_count(consultation_id: int) -> int:
    return unanswered_counts([consultation_id]).get(consultation_id, 0)


def recent_reports(limit: int) -> list[tuple[Consultation, datetime, int]]:
    """Feedback reports published or corrected, newest first: one (consultation, published time, revision
    number) per revision, so a correction is news too."""
    rows = db.session.execute(
        select(Consultation, FeedbackRevision.published_at, FeedbackRevision.number)
        .join(FeedbackRevision, FeedbackRevision.consultation_id == Consultation.id)
        .order_by(FeedbackRevision.published_at.desc(), FeedbackRevision.id.desc())
        .limit(limit)
    )
    return [tuple(row) for row in rows.all()]


def latest_reports(limit: int) -> list[tuple[Consultation, datetime]]:
    """Consultations with a published feedback report, the latest published (or corrected) first, each once."""
    latest = (select(FeedbackRevision.consultation_id, func.max(FeedbackRevision.published_at).label("at"))
              .group_by(FeedbackRevision.consultation_id).subquery())
    rows = db.session.execute(
        select(Consultation, latest.c.at).join(latest, latest.c.consultation_id == Consultation.id)
        .order_by(latest.c.at.desc(), Consultation.id.desc()).limit(limit)
    )
    return [tuple(row) for row in rows.all()]


def reports_state() -> tuple:
    """What a list of reports depends on: a revision is never changed, only added."""
    row = db.session.execute(select(func.count(FeedbackRevision.id), func.max(FeedbackRevision.id))).one()
    return tuple(row)


# ---- reading the report --------------------------------------------------------------------------------


def find_report(consultation_id: int) -> FeedbackReport | None:
    """The report's working copy, if staff have started one."""
    return db.session.scalar(select(FeedbackReport).where(FeedbackReport.consultation_id == consultation_id))


def report_for(consultation: Consultation, *, now: datetime | None = None) -> FeedbackReport:
    """The report's working copy, created on first use (nothing is published until ``publish``)."""
    report = find_report(consultation.id)
    if report is None:
        report = FeedbackReport(consultation_id=consultation.id, explanation="", current_revision=0,
                                updated_at=now or consultation.updated_at)
        db.session.add(report)
        db.session.flush()
    return report


def current_revision(consultation_id: int) -> FeedbackRevision | None:
    return db.session.scalar(
        select(FeedbackRevision).where(FeedbackRevision.consultation_id == consultation_id)
        .order_by(FeedbackRevision.number.desc()).limit(1)
    )


def list_revisions(consultation_id: int) -> list[FeedbackRevision]:
    """Every published revision, newest first."""
    return list(db.session.scalars(
        select(FeedbackRevision).where(FeedbackRevision.consultation_id == consultation_id)
        .order_by(FeedbackRevision.number.desc())
    ))


def published_group_of(comment: Comment) -> dict | None:
    """The opinion group a comment was merged into, as the published report lists it, with its page there.

    None while no report is published, or when the comment is in no group the report lists.
    """
    if comment.published_opinion_group_id is None or comment.published_outcome is None:
        return None
    if comment.consultation.stage not in (Stage.FEEDBACK_PUBLISHED, Stage.DECIDED):
        return None
    revision = current_revision(comment.consultation_id)
    if revision is None:
        return None
    return presentation.ReportView(revision.content).place_of_group(comment.published_opinion_group_id)


def get_public_consultation(consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or consultation.stage == Stage.DRAFT:
        raise NotFound()
    return consultation


def report_counts(consultation_id: int) -> tuple[dict, dict, int]:
    """Comments to answer by channel and by (effective) outcome, and how many are unanswered."""
    outcome = func.coalesce(Comment.answer_outcome, OpinionGroup.outcome)
    rows = db.session.execute(
        _with_groups(select(Comment.channel, outcome, func.count()).select_from(Comment))
        .where(Comment.consultation_id == consultation_id, Comment.status.in_(ANSWERABLE))
        .group_by(Comment.channel, outcome)
    ).all()
    channels = {channel.value: 0 for channel in Channel}
    outcomes = {answer.value: 0 for answer in AnswerOutcome}
    unanswered = 0
    for channel, answer, count in rows:
        channels[Channel(channel).value] += count
        if answer is None:
            unanswered += count
        else:
            outcomes[AnswerOutcome(answer).value] += count
    return channels, outcomes, unanswered


def answered_groups(consultation_id: int) -> list[OpinionGroup]:
    """Accepted groups, largest first: the 集中意见 a report lists."""
    return list(db.session.scalars(
        select(OpinionGroup)
        .where(OpinionGroup.consultation_id == consultation_id, OpinionGroup.status == GroupStatus.ACCEPTED,
               OpinionGroup.size > 0)
        .order_by(OpinionGroup.size.desc(), OpinionGroup.id)
    ))


def draft_content(consultation: Consultation, explanation: str) -> dict:
    """The report as it would be published now (without the answers' digest, which publishing adds)."""
    channels, outcomes, unanswered = report_counts(consultation.id)
    groups = answered_groups(consultation.id)
    individually = db.session.scalar(
        select(func.count()).select_from(Comment)
        .where(Comment.consultation_id == consultation.id, Comment.status.in_(ANSWERABLE),
               Comment.answer_outcome.is_not(None))
    )
    return {
        "title": consultation.title,
        "total": sum(channels.values()),
        "channels": channels,
        "outcomes": outcomes,
        "unanswered": unanswered,
        "individually_answered": individually,
        "explanation": explanation.strip(),
        "groups": [_group_content(group) for group in groups],
    }


def _group_content(group: OpinionGroup) -> dict:
    return {
        "id": group.id,
        "title": group.title,
        "size": group.size,
        "representative": group.representative.body if group.representative else "",
        "outcome": group.outcome.value if group.outcome else None,
        "reason": group.reason,
    }


def save_explanation(consultation: Consultation, explanation: str, *, actor, now: datetime) -> FeedbackReport:
    """Draft the overall explanation; it is published with the next revision."""
    if not permissions.can_answer(actor, consultation):
        raise NotAllowed()
    if len(explanation.strip()) > 20000:
        raise ValidationFailed({"explanation": [_l("The explanation may be at most %(max)d characters.",
                                                   max=20000)]})
    report = report_for(consultation, now=now)
    report.explanation = explanation.strip()
    report.updated_at = now
    db.session.flush()
    return report


# ---- publishing ----------------------------------------------------------------------------------------


def publish(consultation: Consultation, *, reason: str = "", actor, now: datetime) -> FeedbackRevision:
    """Publish the report, or a correction of it (a new revision; a correction needs its reason).

    Refused while the comment period runs, while any comment to answer lacks an answer, and while comments
    await moderation. Every comment's answer is copied to what its author sees, and the revision's hash is
    chained to the previous revision's.
    """
    if not permissions.can_publish_report(actor, consultation):
        raise NotAllowed()
    # Two staff publishing at once must not both become revision N: the second waits, then chains to the first.
    db.session.execute(lock_row(select(Consultation.id).where(Consultation.id == consultation.id)))
    _check_publishable(consultation, now)
    report = report_for(consultation, now=now)
    previous = current_revision(consultation.id)
    content = draft_content(consultation, report.explanation)
    problems = rules.publish_problems(content.pop("unanswered"), _pending(consultation.id), content["explanation"])
    if problems:
        raise ValidationFailed({"publish": [PUBLISH_MESSAGES[problem] for problem in problems]})
    # Read before anything is written, so a refused correction leaves the published answers untouched.
    content["answers_digest"] = _effective_answers_digest(consultation.id)
    if previous is not None and rules.is_unchanged(previous.content, content):
        raise RuleViolation(_l("Nothing has changed since revision %(number)d was published: there is nothing to "
                               "correct.", number=previous.number), field="publish")
    if previous is not None and not reason.strip():
        raise ValidationFailed({"reason": [_l("Say why the published report is corrected: the reason is shown "
                                              "with the revision.")]})
    changed_answers = _answers_changing_for_contacts(consultation.id)
    _snapshot_answers(consultation.id)
    # The first publication has nothing to correct, so it carries no reason.
    revision = _add_revision(consultation, content, previous, reason.strip() if previous else "", actor, now)
    report.current_revision = revision.number
    if consultation.stage == Stage.PUBLISHED:
        consultation.stage = Stage.FEEDBACK_PUBLISHED
    consultation.updated_at = now
    db.session.execute(update(Consultation).where(Consultation.id == consultation.id)
                       .values(public_version=Consultation.public_version + 1))
    audit.record("feedback.published" if previous is None else "feedback.corrected", consultation, actor=actor,
                 now=now, revision=revision.number, reason=revision.reason)
    messages.tell_answers(consultation, changed_answers, revision=revision.number, now=now)
    db.session.flush()
    domain_events.emit(EventType.FEEDBACK_PUBLISHED, consultation, now=now, revision=revision.number,
                       correction=previous is not None)
    return revision


def _check_publishable(consultation: Consultation, now: datetime) -> None:
    status = consultation.status(now)
    if status in (consultation_rules.SCHEDULED, consultation_rules.OPEN, consultation_rules.DRAFT):
        raise RuleViolation(_l("The feedback report can be published once the comment period has ended."))


def _pending(consultation_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.consultation_id == consultation_id, Comment.status == CommentStatus.PENDING))


def _effective_answer():
    """SQL: a comment's effective outcome and reason (its own answer, else its group's), as authors will see them."""
    group = select(OpinionGroup).where(OpinionGroup.id == Comment.opinion_group_id).correlate(Comment)
    group_outcome = group.with_only_columns(OpinionGroup.outcome).scalar_subquery()
    group_reason = group.with_only_columns(OpinionGroup.reason).scalar_subquery()
    own = Comment.answer_outcome.is_not(None)
    return (func.coalesce(Comment.answer_outcome, group_outcome),
            func.coalesce(_case(own, Comment.answer_reason, group_reason), ""))


def _effective_answers_digest(consultation_id: int) -> str:
    """The digest the answers would have once published, read without writing anything."""
    outcome, reason = _effective_answer()
    return _digest_of(select(Comment.id, outcome, reason), consultation_id)


def _answers_changing_for_contacts(consultation_id: int) -> list:
    """The comments with a contact whose author will see a new answer once the report is published, in id order."""
    outcome, reason = _effective_answer()
    return db.session.execute(
        select(Comment.id, Comment.contact, Comment.language, Comment.receipt_number, outcome, reason)
        .where(Comment.consultation_id == consultation_id, Comment.status.in_(ANSWERABLE),
               Comment.consented_at.is_not(None), Comment.contact != "",
               or_(Comment.published_outcome.is_(None), Comment.published_outcome != outcome,
                   Comment.published_reason != reason))
        .order_by(Comment.id)
    ).all()


def _snapshot_answers(consultation_id: int) -> None:
    """Copy each comment's effective answer to what its author sees."""
    outcome, reason = _effective_answer()
    db.session.execute(
        update(Comment)
        .where(Comment.consultation_id == consultation_id, Comment.status.in_(ANSWERABLE))
        .values(published_outcome=outcome, published_reason=reason,
                published_opinion_group_id=Comment.opinion_group_id)
        .execution_options(synchronize_session=False)
    )


def _case(condition, when_true, otherwise):
    return case((condition, when_true), else_=otherwise)


def answers_digest_of(consultation_id: int) -> str:
    """The digest of the answers authors currently see, streamed in id order."""
    return _digest_of(select(Comment.id, Comment.published_outcome, Comment.published_reason), consultation_id)


def _digest_of(statement, consultation_id: int) -> str:
    rows = db.session.execute(
        statement.where(Comment.consultation_id == consultation_id, Comment.status.in_(ANSWERABLE))
        .order_by(Comment.id)
        .execution_options(yield_per=5000)
    )
    return rules.answers_digest((cid, _outcome_value(outcome), reason) for cid, outcome, reason in rows)


def _outcome_value(outcome) -> str | None:
    """An outcome as text: the enum column gives an AnswerOutcome, the coalesced expression may give its value."""
    return AnswerOutcome(outcome).value if outcome else None


def _add_revision(consultation, content, previous, reason, actor, now) -> FeedbackRevision:
    number = previous.number + 1 if previous else 1
    changes = rules.describe_changes(previous.content if previous else None, content)
    record = rules.revision_record(consultation_id=consultation.id, number=number, content=content, reason=reason,
                                   changes=changes, published_at=now, published_by_name=actor.name)
    previous_hash = previous.content_hash if previous else rules.GENESIS_HASH
    revision = FeedbackRevision(
        consultation_id=consultation.id, number=number, content=content, reason=reason, changes=changes,
        published_at=now, published_by_id=actor.id, published_by_name=actor.name, previous_hash=previous_hash,
        content_hash=rules.chain_hash(previous_hash, record),
    )
    db.session.add(revision)
    db.session.flush()
    return revision


# ---- verifying -----------------------------------------------------------------------------------------


def verify(consultation_id: int) -> rules.ChainCheck:
    """Recompute the revisions' hash chain from the stored rows, and check the answers authors see today
    against the digest the current revision recorded."""
    revisions = sorted(list_revisions(consultation_id), key=lambda revision: revision.number)
    stored = [
        rules.StoredRevision(revision.number, rules.revision_record(
            consultation_id=revision.consultation_id, number=revision.number, content=revision.content,
            reason=revision.reason, changes=revision.changes, published_at=revision.published_at,
            published_by_name=revision.published_by_name,
        ), revision.previous_hash, revision.content_hash)
        for revision in revisions
    ]
    check = rules.verify_chain(stored)
    if check.valid and revisions and revisions[-1].content.get("answers_digest") != answers_digest_of(consultation_id):
        return rules.ChainCheck(False, check.checked, revisions[-1].number, "answers")
    return check


def staff_consultation(consultation_id: int, actor) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        raise NotFound()
    if not permissions.can_answer(actor, consultation):
        raise NotAllowed()
    return consultation

