"""Demo adoption feedback: the closed catering consultation gets grouped, answered and published, then corrected.

Done through the services as staff would: automatic grouping proposals accepted, the rest grouped by hand,
answers by topic, two offline opinions (a letter and a forum), the report published three weeks after the
period and corrected five days later. The other consultations keep their comments unanswered.
"""

from datetime import datetime, timedelta

from engage.consultations.models import Channel, Comment, CommentStatus, Consultation
from engage.extensions import db
from engage.feedback import answer_services, offline_services, services
from engage.feedback.models import OpinionGroup

#: the department's answer to each topic, found by a phrase of the comments on it
ANSWERS = [
    ("告知承诺制", "adopted", "", "实行告知承诺制"),
    ("信用惩戒", "adopted", "", "承诺制配套信用惩戒"),
    ("十平方米", "partly_adopted", ("仅销售即食食品的早餐店经营场所面积要求降至八平方米，其他类别仍为十平方米，"
                                    "以保障食品安全操作空间。"),
     "降低早餐店面积要求"),
    ("油烟净化", "adopted", "", "明确油烟净化设施标准"),
    ("健康证", "out_of_scope", "健康证明办理属于卫生健康部门职责，不在本规定调整范围内，已将建议转交市卫生健康委。",
     "健康证线上预约"),
    ("三个月内核查", "not_adopted", ("现场核查需统筹全市执法力量，三个月是测算后的最短可行期限；"
                                     "实施中将优先核查学校周边等重点区域。"),
     "缩短核查期限"),
    ("明厨亮灶", "partly_adopted", "对首次安装明厨亮灶设备的小餐饮给予一次性补贴，具体标准另行制定；不设长期运行补贴。",
     "明厨亮灶补贴"),
    ("负面清单", "adopted", "", "出台小餐饮负面清单"),
    ("多指导少罚款", "partly_adopted", "首次轻微违法并及时改正的依法不予处罚，其他情形仍依法处理。", "多指导少处罚"),
]
FALLBACK = ("", "adopted", "", "其他意见")
EXPLANATION = ("征求意见期间共收到意见四十余条，其中网上意见为主，另有来信和座谈会意见。市市场监管局逐条研究，"
               "对集中意见分组答复：采纳了实行告知承诺制、配套信用惩戒、明确油烟净化标准和出台负面清单等建议，"
               "部分采纳了降低早餐店面积要求、明厨亮灶补贴等建议；缩短核查期限的建议因执法力量所限未予采纳。")
CORRECTION_REASON = "经再次研究，对明厨亮灶补贴的答复作出更正：补贴范围扩大到首次安装和设备更新。"


def _topic(body: str):
    return next((answer for answer in ANSWERS if answer[0] in body), FALLBACK)


def load(consultation: Consultation, author, now: datetime) -> int:
    """Answer every comment of ``consultation`` (closed) and publish its report, then a correction.

    Returns the number of offline opinions added.
    """
    worked_at = consultation.closes_at + timedelta(days=10)
    offline = _record_offline(consultation, author, worked_at)
    answer_services.propose_groups(consultation, actor=author, now=worked_at)
    proposed = db.session.scalars(select_groups(consultation)).all()
    answer_services.accept_groups(consultation, [group.id for group in proposed], actor=author, now=worked_at)
    _group_by_topic(consultation, author, worked_at)
    for group in db.session.scalars(select_groups(consultation)).all():
        _, outcome, reason, title = _topic(group.representative.body if group.representative else "")
        answer_services.rename_group(group, title, actor=author, now=worked_at)
        answer_services.answer_group(group, outcome, reason, actor=author, now=worked_at)
    for comment in _ungrouped(consultation):
        _, outcome, reason, _title = _topic(comment.body)
        answer_services.answer_comments(consultation, [comment.id], outcome, reason, actor=author, now=worked_at)
    services.save_explanation(consultation, EXPLANATION, actor=author, now=worked_at)
    published_at = consultation.closes_at + timedelta(days=21)
    services.publish(consultation, actor=author, now=min(published_at, now))
    _correct(consultation, author, min(published_at + timedelta(days=5), now))
    return offline


def select_groups(consultation: Consultation):
    return db.select(OpinionGroup).where(OpinionGroup.consultation_id == consultation.id).order_by(OpinionGroup.id)


def _ungrouped(consultation: Consultation) -> list[Comment]:
    return db.session.scalars(db.select(Comment).where(
        Comment.consultation_id == consultation.id, Comment.opinion_group_id.is_(None),
        Comment.status.in_((CommentStatus.PUBLISHED, CommentStatus.RECORDED))).order_by(Comment.id)).all()


def _group_by_topic(consultation: Consultation, author, now: datetime) -> None:
    """What the near-duplicate search leaves apart but says the same, staff group and merge by hand."""
    by_topic: dict[str, list[int]] = {}
    for comment in _ungrouped(consultation):
        phrase = _topic(comment.body)[0]
        if phrase:
            by_topic.setdefault(phrase, []).append(comment.id)
    for phrase, ids in by_topic.items():
        answer_services.create_group(consultation, ids, _topic(phrase)[3], actor=author, now=now)
    groups_by_topic: dict[str, list[int]] = {}
    for group in db.session.scalars(select_groups(consultation)).all():
        phrase = _topic(group.representative.body if group.representative else "")[0]
        groups_by_topic.setdefault(phrase, []).append(group.id)
    for phrase, group_ids in groups_by_topic.items():
        if phrase and len(group_ids) > 1:
            answer_services.merge_groups(consultation, group_ids, into_id=group_ids[0], actor=author, now=now)


def _record_offline(consultation: Consultation, author, now: datetime) -> int:
    day = (consultation.closes_at - timedelta(days=5)).date()
    opinions = (
        (Channel.LETTER, "城南餐饮商会", "来信建议：明厨亮灶设备费用较高，建议政府给予补贴，减轻小店负担。"),
        (Channel.FORUM, "座谈会（2026年9月）", "座谈会意见：建议出台小餐饮负面清单，让经营者心中有数。"),
    )
    for channel, name, body in opinions:
        offline_services.add_offline_opinion(consultation, offline_services.OfflineOpinion(
            body=body, channel=channel, received_on=day, display_name=name), actor=author, now=now)
    return len(opinions)


def _correct(consultation: Consultation, author, now: datetime) -> None:
    group = next((g for g in db.session.scalars(select_groups(consultation)) if "明厨亮灶" in g.title), None)
    if group is None:
        return
    answer_services.answer_group(group, "adopted", "", actor=author, now=now)
    services.publish(consultation, reason=CORRECTION_REASON, actor=author, now=now)
