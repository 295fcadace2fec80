"""Answering comments: the work view's list, opinion groups (proposed, accepted, split, merged, renamed),
and answers to groups and to single comments. Offline opinions are in ``offline_services``.

Answers are drafts until the report is published; what authors see changes only with a published revision.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, delete, func, literal, or_, select, update

from engage.consultations.models import Channel, Comment, CommentStatus, Consultation
from engage.core import audit
from engage.core.answers import AnswerOutcome, answer_problems
from engage.core.errors import NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.core.pagination import CursorPage, Page, cursor_page, paginate
from engage.core.timeutil import from_china
from engage.extensions import db
from engage.feedback import grouping, permissions, themes
from engage.feedback.models import GroupKind, GroupStatus, OpinionGroup
from engage.feedback.search import index as search_index
from engage.feedback.search import words as search_words
from engage.feedback.services import ANSWERABLE, has_outcome, is_unanswered

TITLE_LENGTH = 40
#: how many comments one request may select and act on at once
SELECTION_LIMIT = 1000
#: ids per IN list, well inside every database's limit on bound parameters
ID_CHUNK = 5000


def _require(actor, consultation: Consultation) -> None:
    if not permissions.can_answer(actor, consultation):
        raise NotAllowed()


# ---- the work view -------------------------------------------------------------------------------------


#: a list's total is counted up to this many comments and shown as "10,000+" beyond: counting 400,000 matches on
#: every page would cost more than finding the page itself, and nobody pages through 10,000 comments
COUNT_CAP = 10_000
#: a total reads at most this many rows the indexes select; see ``_count``
SCAN_CAP = 20_000
SORTS = ("oldest", "newest")


@dataclass
class CommentFilter:
    #: 0 keeps the comments on the whole draft
    article_id: int | None = None
    #: "answered", "unanswered" or None for both
    answered: str | None = None
    #: words every comment found must hold (the search index); see ``search.words.query_words``
    text: str = ""
    group_id: int | None = None
    #: True: only comments in no group
    ungrouped: bool = False
    channel: Channel | None = None
    #: one of ``ANSWERABLE`` (published, or recorded offline and not published)
    status: CommentStatus | None = None
    #: the answer, the comment's own or its group's
    outcome: AnswerOutcome | None = None
    #: the China dates it was received between (both included): an offline opinion's day of arrival, an online
    #: comment's day of sending
    received_from: date | None = None
    received_to: date | None = None
    #: "oldest" first (the order of arrival) or "newest"
    sort: str = "oldest"


def _received_on_or_after(day: date):
    start = from_china(datetime.combine(day, time()))
    return or_(Comment.received_on >= day, and_(Comment.received_on.is_(None), Comment.created_at >= start))


def _received_on_or_before(day: date):
    end = from_china(datetime.combine(day + timedelta(days=1), time()))
    return or_(Comment.received_on <= day, and_(Comment.received_on.is_(None), Comment.created_at < end))


def indexed_conditions(consultation: Consultation, filters: CommentFilter) -> list:
    """SQL conditions of ``filters`` that an index of ``comments`` answers (consultation, status, article)."""
    conditions = [Comment.consultation_id == consultation.id,
                  Comment.status == filters.status if filters.status in ANSWERABLE
                  else Comment.status.in_(ANSWERABLE)]
    if filters.article_id == 0:
        conditions.append(Comment.article_id.is_(None))
    elif filters.article_id:
        conditions.append(Comment.article_id == filters.article_id)
    return conditions


def other_conditions(filters: CommentFilter) -> list:
    """SQL conditions of the other filters (all but the words), checked on each row."""
    conditions = []
    if filters.answered == "unanswered":
        conditions.append(is_unanswered())
    elif filters.answered == "answered":
        conditions.append(~is_unanswered())
    if filters.outcome:
        conditions.append(has_outcome(filters.outcome))
    if filters.group_id:
        conditions.append(Comment.opinion_group_id == filters.group_id)
    elif filters.ungrouped:
        conditions.append(Comment.opinion_group_id.is_(None))
    return conditions + _origin_conditions(filters)


def _origin_conditions(filters: CommentFilter) -> list:
    """How and when the comments came."""
    conditions = []
    if filters.channel:
        conditions.append(Comment.channel == filters.channel)
    if filters.received_from:
        conditions.append(_received_on_or_after(filters.received_from))
    if filters.received_to:
        conditions.append(_received_on_or_before(filters.received_to))
    return conditions


def list_comments(consultation: Consultation, filters: CommentFilter, *, actor, per_page: int = 50,
                  after: int | None = None, before: int | None = None) -> CursorPage:
    """Comments to answer (published and offline), oldest or newest first, filtered and searched by words;
    rejected and pending ones are left out.

    Paged by cursor: the last of 400,000 comments is reached as fast as the first. The total is counted up to
    ``COUNT_CAP``.

    :raises ValidationFailed: the words searched for hold no word of two characters or more (under ``q``)
    """
    _require(actor, consultation)
    words = search_words.query_words(filters.text) if filters.text.strip() else []
    base, key = select(Comment).where(*indexed_conditions(consultation, filters)), Comment.id
    if words:
        base, key = search_index.matching(base, words)
    others = other_conditions(filters)
    statement = base.where(*others) if others else base
    total, capped = _count(base, others)
    page = cursor_page(db.session, statement, key, per_page=per_page, after=after, before=before,
                       descending=filters.sort == "newest", total=total, total_capped=capped, key_attribute="id")
    if capped:  # a lower bound, never below what the page shows
        page.total = max(page.total, len(page.items))
    return page


def _count(base, others: list) -> tuple[int, bool]:
    """How many comments ``base`` narrowed by ``others`` holds, and whether there may be more: counted up to
    ``COUNT_CAP``, in one pass over at most ``SCAN_CAP`` rows the indexes select (``base``: consultation, status,
    article, words).

    A filter checked row by row (channel, answer, date) that keeps few of 400,000 matches of a word would
    otherwise read them all for the total; it is then counted among ``SCAN_CAP`` of them, a lower bound."""
    kept = case((and_(*others), 1), else_=0) if others else literal(1)
    rows = (base.with_only_columns(Comment.id, kept.label("kept")).order_by(None)
            .limit((SCAN_CAP if others else COUNT_CAP) + 1).subquery())
    found, counted = db.session.execute(select(func.count(), func.coalesce(func.sum(rows.c.kept), 0))).one()
    return min(counted, COUNT_CAP), counted > COUNT_CAP or found > SCAN_CAP


def article_id_of(consultation: Consultation, number: int | None) -> int | None:
    """The id of the article numbered ``number`` (0 or None: the whole draft, returned as given).

    :raises NotFound: the consultation has no article with that number
    """
    if not number:
        return number
    for article in consultation.articles:
        if article.number == number:
            return article.id
    raise NotFound()


def _selected(consultation: Consultation, comment_ids: list[int]) -> list[Comment]:
    ids = set(comment_ids)
    if not ids:
        raise ValidationFailed({"comment_ids": [_l("Select at least one comment.")]})
    if len(ids) > SELECTION_LIMIT:
        raise ValidationFailed({"comment_ids": [_l("Select at most %(n)d comments at once.", n=SELECTION_LIMIT)]})
    comments = db.session.scalars(
        select(Comment).where(Comment.consultation_id == consultation.id, Comment.id.in_(ids),
                              Comment.status.in_(ANSWERABLE))
    ).all()
    if len(comments) != len(ids):
        raise NotFound(_l("Some of the selected comments do not belong to this consultation or cannot be answered."))
    return list(comments)


# ---- groups --------------------------------------------------------------------------------------------


def list_groups(consultation: Consultation, *, status: GroupStatus | None = None, page: int = 1,
                per_page: int = 50) -> Page:
    statement = (select(OpinionGroup).where(OpinionGroup.consultation_id == consultation.id, OpinionGroup.size > 0)
                 .order_by(OpinionGroup.size.desc(), OpinionGroup.id))
    if status:
        statement = statement.where(OpinionGroup.status == status)
    return paginate(db.session, statement, page, per_page)


def get_group(consultation: Consultation, group_id: int) -> OpinionGroup:
    group = db.session.get(OpinionGroup, group_id)
    if group is None or group.consultation_id != consultation.id:
        raise NotFound()
    return group


def _title_from(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_LENGTH else text[:TITLE_LENGTH] + "…"


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationFailed({"title": [_l("Give the group a name.")]})
    if len(title) > 200:
        raise ValidationFailed({"title": [_l("At most %(n)d characters.", n=200)]})
    return title


def _new_group(consultation: Consultation, title: str, status: GroupStatus, representative_id, now) -> OpinionGroup:
    group = OpinionGroup(consultation_id=consultation.id, title=title, status=status, size=0, reason="",
                         representative_id=representative_id, created_at=now, updated_at=now)
    db.session.add(group)
    db.session.flush()
    return group


def _refresh_sizes(group_ids) -> None:
    """Recount the members of the given groups; groups left empty are removed."""
    group_ids = [gid for gid in set(group_ids) if gid]
    if not group_ids:
        return
    members = select(func.count()).where(Comment.opinion_group_id == OpinionGroup.id).scalar_subquery()
    db.session.execute(update(OpinionGroup).where(OpinionGroup.id.in_(group_ids)).values(size=members)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(OpinionGroup).where(OpinionGroup.id.in_(group_ids), OpinionGroup.size == 0)
                       .execution_options(synchronize_session=False))
    db.session.expire_all()


def create_group(consultation: Consultation, comment_ids: list[int], title: str, *, actor,
                 now: datetime) -> OpinionGroup:
    """Make an accepted group of the selected comments; they leave any group they were in."""
    _require(actor, consultation)
    comments = _selected(consultation, comment_ids)
    title = _clean_title(title)
    group = _new_group(consultation, title, GroupStatus.ACCEPTED, comments[0].id, now)
    _move(comments, group, consultation)
    audit.record("feedback.group_created", group, actor=actor, now=now, title=title, size=len(comments))
    return db.session.get(OpinionGroup, group.id)


def _move(comments: list[Comment], group: OpinionGroup | None, consultation: Consultation) -> None:
    old_groups = {comment.opinion_group_id for comment in comments}
    ids = [comment.id for comment in comments]
    db.session.execute(update(Comment).where(Comment.id.in_(ids))
                       .values(opinion_group_id=group.id if group else None)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(OpinionGroup).where(OpinionGroup.representative_id.in_(ids),
                                                  OpinionGroup.id != (group.id if group else 0))
                       .values(representative_id=None).execution_options(synchronize_session=False))
    _refresh_sizes([*old_groups, group.id if group else None])
    _repair_representatives(consultation)


def _repair_representatives(consultation: Consultation) -> None:
    """A group whose representative left it is represented by its first member."""
    first = (select(func.min(Comment.id)).where(Comment.opinion_group_id == OpinionGroup.id).scalar_subquery())
    db.session.execute(update(OpinionGroup).where(OpinionGroup.consultation_id == consultation.id,
                                                  OpinionGroup.representative_id.is_(None))
                       .values(representative_id=first).execution_options(synchronize_session=False))
    db.session.expire_all()


def remove_from_group(consultation: Consultation, comment_ids: list[int], *, actor, now: datetime) -> None:
    """Take the selected comments out of their groups (they then need answers of their own)."""
    _require(actor, consultation)
    comments = _selected(consultation, comment_ids)
    for group_id in {comment.opinion_group_id for comment in comments if comment.opinion_group_id}:
        audit.record("feedback.group_split", db.session.get(OpinionGroup, group_id), actor=actor, now=now)
    _move(comments, None, consultation)


def split_group(group: OpinionGroup, comment_ids: list[int], title: str, *, actor, now: datetime) -> OpinionGroup:
    """Move the selected members of ``group`` into a new accepted group of their own."""
    consultation = group.consultation
    _require(actor, consultation)
    comments = _selected(consultation, comment_ids)
    if any(comment.opinion_group_id != group.id for comment in comments):
        raise RuleViolation(_l("Select only comments of this group to split it."))
    if len(comments) >= group.size:
        raise RuleViolation(_l("Leave at least one comment in the group; to rename it, use Rename."))
    new_group = _new_group(consultation, _clean_title(title), GroupStatus.ACCEPTED, comments[0].id, now)
    audit.record("feedback.group_split", group, actor=actor, now=now, into=new_group.id, size=len(comments))
    _move(comments, new_group, consultation)
    return db.session.get(OpinionGroup, new_group.id)


def merge_groups(consultation: Consultation, group_ids: list[int], *, into_id: int, actor,
                 now: datetime) -> OpinionGroup:
    """Merge groups into one (``into_id`` keeps its name and answer); the merged group is accepted."""
    _require(actor, consultation)
    groups = [get_group(consultation, group_id) for group_id in set(group_ids) | {into_id}]
    if len(groups) < 2:
        raise ValidationFailed({"group_ids": [_l("Select at least two groups to merge.")]})
    target = get_group(consultation, into_id)
    others = [group.id for group in groups if group.id != target.id]
    db.session.execute(update(Comment).where(Comment.opinion_group_id.in_(others))
                       .values(opinion_group_id=target.id).execution_options(synchronize_session=False))
    target.status = GroupStatus.ACCEPTED
    target.updated_at = now
    audit.record("feedback.groups_merged", target, actor=actor, now=now, merged=others)
    _refresh_sizes([*others, target.id])
    return db.session.get(OpinionGroup, target.id)


def accept_groups(consultation: Consultation, group_ids: list[int], *, actor, now: datetime) -> int:
    """Accept proposed groups as they are."""
    _require(actor, consultation)
    result = db.session.execute(
        update(OpinionGroup).where(OpinionGroup.consultation_id == consultation.id, OpinionGroup.id.in_(group_ids),
                                   OpinionGroup.status == GroupStatus.PROPOSED)
        .values(status=GroupStatus.ACCEPTED, updated_at=now).execution_options(synchronize_session=False))
    db.session.expire_all()
    return result.rowcount


def rename_group(group: OpinionGroup, title: str, *, actor, now: datetime) -> OpinionGroup:
    _require(actor, group.consultation)
    old = group.title
    group.title = _clean_title(title)
    group.updated_at = now
    audit.record("feedback.group_renamed", group, actor=actor, now=now, old=old, new=group.title)
    db.session.flush()
    return group


def dissolve_group(group: OpinionGroup, *, actor, now: datetime) -> None:
    """Undo a group: its comments become single comments again."""
    consultation = group.consultation
    _require(actor, consultation)
    audit.record("feedback.group_dissolved", group, actor=actor, now=now, title=group.title, size=group.size)
    members = db.session.scalars(select(Comment).where(Comment.opinion_group_id == group.id)).all()
    group.representative_id = None
    db.session.flush()
    _move(list(members), None, consultation)


def propose_groups(consultation: Consultation, *, actor, now: datetime) -> list[OpinionGroup]:
    """Find identical and near-identical comments not yet in an accepted group and propose them as groups.

    Earlier proposals of copies staff have not accepted are replaced.
    """
    _require(actor, consultation)
    _drop_proposals(consultation, GroupKind.COPIES)
    rows = db.session.execute(
        select(Comment.id, Comment.body)
        .where(Comment.consultation_id == consultation.id, Comment.status.in_(ANSWERABLE),
               Comment.opinion_group_id.is_(None))
        .execution_options(yield_per=10000)
    )
    proposals = grouping.propose_groups((row.id, row.body) for row in rows)
    bodies = _bodies([proposal.representative_id for proposal in proposals])
    groups = []
    for proposal in proposals:
        group = _new_group(consultation, _title_from(bodies[proposal.representative_id]), GroupStatus.PROPOSED,
                           proposal.representative_id, now)
        group.size = len(proposal.comment_ids)
        groups.append(group)
    db.session.flush()
    for group, proposal in zip(groups, proposals, strict=True):
        # One UPDATE per group and chunk, not one per comment: a form letter may have tens of thousands of copies.
        for start in range(0, len(proposal.comment_ids), ID_CHUNK):
            db.session.execute(update(Comment).where(Comment.id.in_(proposal.comment_ids[start:start + ID_CHUNK]))
                               .values(opinion_group_id=group.id).execution_options(synchronize_session=False))
    audit.record("feedback.groups_proposed", consultation, actor=actor, now=now, groups=len(groups))
    return groups


def _bodies(comment_ids: list[int]) -> dict[int, str]:
    if not comment_ids:
        return {}
    return dict(db.session.execute(select(Comment.id, Comment.body).where(Comment.id.in_(comment_ids))).all())


def propose_themes(consultation: Consultation, *, actor, now: datetime) -> list[OpinionGroup]:
    """Find comments making the same point in different words among those in no group, article by article
    (and among those on the whole draft), and propose each theme as a group with its keywords.

    Earlier theme proposals staff have not accepted are replaced; copies found before are left alone, so the
    form letters are best grouped first.
    """
    _require(actor, consultation)
    _drop_proposals(consultation, GroupKind.THEME)
    by_article: dict = {}
    rows = db.session.execute(
        select(Comment.id, Comment.body, Comment.article_id)
        .where(Comment.consultation_id == consultation.id, Comment.status.in_(ANSWERABLE),
               Comment.opinion_group_id.is_(None))
        .order_by(Comment.id).execution_options(yield_per=10000)
    )
    for comment_id, body, article_id in rows:
        by_article.setdefault(article_id, []).append((comment_id, body))
    groups, members = [], []
    for comments in by_article.values():
        found = themes.propose_themes(comments)
        bodies = dict(comments) if found else {}
        for theme in found:
            title = " · ".join(theme.keywords[:3]) or bodies[theme.representative_ids[0]]
            group = _new_group(consultation, _title_from(title), GroupStatus.PROPOSED, theme.representative_ids[0],
                               now)
            group.kind, group.keywords, group.size = GroupKind.THEME, theme.keywords, len(theme.comment_ids)
            groups.append(group)
            members.append(theme.comment_ids)
    db.session.flush()
    for group, comment_ids in zip(groups, members, strict=True):
        for start in range(0, len(comment_ids), ID_CHUNK):
            db.session.execute(update(Comment).where(Comment.id.in_(comment_ids[start:start + ID_CHUNK]))
                               .values(opinion_group_id=group.id).execution_options(synchronize_session=False))
    audit.record("feedback.themes_proposed", consultation, actor=actor, now=now, themes=len(groups))
    return groups


def _drop_proposals(consultation: Consultation, kind: GroupKind) -> None:
    proposed = select(OpinionGroup.id).where(OpinionGroup.consultation_id == consultation.id,
                                              OpinionGroup.status == GroupStatus.PROPOSED, OpinionGroup.kind == kind)
    db.session.execute(update(Comment).where(Comment.opinion_group_id.in_(proposed))
                       .values(opinion_group_id=None).execution_options(synchronize_session=False))
    db.session.execute(update(OpinionGroup).where(OpinionGroup.id.in_(proposed)).values(representative_id=None)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(OpinionGroup).where(OpinionGroup.consultation_id == consultation.id,
                                                  OpinionGroup.status == GroupStatus.PROPOSED,
                                                  OpinionGroup.kind == kind)
                       .execution_options(synchronize_session=False))
    db.session.expire_all()


# ---- answers -------------------------------------------------------------------------------------------


def _checked_answer(outcome, reason: str) -> tuple[AnswerOutcome, str]:
    problems = answer_problems(outcome, reason)
    if problems:
        raise ValidationFailed(problems)
    return AnswerOutcome(outcome), (reason or "").strip()


def answer_group(group: OpinionGroup, outcome, reason: str, *, actor, now: datetime) -> OpinionGroup:
    """Answer a group; answering a proposed group accepts it. Members with an answer of their own keep it."""
    _require(actor, group.consultation)
    group.outcome, group.reason = _checked_answer(outcome, reason)
    group.status = GroupStatus.ACCEPTED
    group.answered_at = group.updated_at = now
    group.answered_by_id = actor.id
    audit.record("feedback.group_answered", group, actor=actor, now=now, outcome=group.outcome.value,
                 reason=group.reason)
    db.session.flush()
    return group


def answer_comments(consultation: Consultation, comment_ids: list[int], outcome, reason: str, *, actor,
                    now: datetime) -> list[Comment]:
    """Give each selected comment the same answer of its own (it overrides a group's answer)."""
    _require(actor, consultation)
    outcome, reason = _checked_answer(outcome, reason)
    comments = _selected(consultation, comment_ids)
    for comment in comments:
        comment.answer_outcome, comment.answer_reason = outcome, reason
        comment.answered_at, comment.answered_by_id = now, actor.id
        audit.record("feedback.comment_answered", comment, actor=actor, now=now, outcome=outcome.value, reason=reason)
    db.session.flush()
    return comments


def clear_answers(consultation: Consultation, comment_ids: list[int], *, actor, now: datetime) -> None:
    """Remove the selected comments' own answers, so their group's answer applies again."""
    _require(actor, consultation)
    for comment in _selected(consultation, comment_ids):
        comment.answer_outcome, comment.answer_reason, comment.answered_at = None, "", None
        audit.record("feedback.comment_answer_cleared", comment, actor=actor, now=now)
    db.session.flush()
