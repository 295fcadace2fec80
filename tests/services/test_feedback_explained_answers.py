"""Answers that explain themselves: an adoption with its explanation, and the opinion group a receipt names."""

from flask_babel import force_locale

from engage.core.answers import AnswerOutcome, answer_problems
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.feedback import answer_services, presentation, services


def _publish(consultation, staff):
    revision = services.publish(consultation, actor=staff, now=utcnow())
    db.session.commit()
    return revision


def test_an_adoption_may_carry_an_explanation_and_needs_none():
    assert answer_problems("adopted", "") == {}
    assert answer_problems("adopted", "已在第三条增加相关规定。") == {}
    assert set(answer_problems("not_adopted", "")) == {"reason"}


def test_the_text_of_an_answer_is_called_what_it_is(app):
    with force_locale("en"):
        assert str(AnswerOutcome.ADOPTED.reason_label) == "How it was taken up"
        assert {str(o.reason_label) for o in AnswerOutcome if o != AnswerOutcome.ADOPTED} == {"Reason"}


def test_an_adoptions_explanation_reaches_its_author(answered_consultation, staff, comments_of):
    group = comments_of(answered_consultation)[0].opinion_group_id
    answer_services.answer_group(db.session.get(answer_services.OpinionGroup, group), "adopted",
                                 "已在第三条增加“每个小区不少于两个投放点”。", actor=staff, now=utcnow())
    _publish(answered_consultation, staff)
    first = comments_of(answered_consultation)[0]
    assert (first.published_outcome, first.published_reason) == (AnswerOutcome.ADOPTED,
                                                                 "已在第三条增加“每个小区不少于两个投放点”。")


def test_a_receipt_finds_its_group_as_the_report_lists_it(answered_consultation, staff, comments_of):
    _publish(answered_consultation, staff)
    grouped, alone = comments_of(answered_consultation)[0], comments_of(answered_consultation)[3]
    place = services.published_group_of(grouped)
    assert (place["title"], place["page"], place["id"]) == ("增设厨余垃圾投放点", 1, grouped.opinion_group_id)
    assert services.published_group_of(alone) is None


def test_before_the_report_is_published_no_group_is_named(answered_consultation, comments_of):
    assert services.published_group_of(comments_of(answered_consultation)[0]) is None


def test_a_regrouping_after_publication_leaves_the_receipt_on_the_published_group(answered_consultation, staff,
                                                                                   comments_of):
    _publish(answered_consultation, staff)
    comment = comments_of(answered_consultation)[0]
    published_group = comment.opinion_group_id
    answer_services.remove_from_group(answered_consultation, [comment.id], actor=staff, now=utcnow())
    db.session.commit()
    assert services.published_group_of(comment)["id"] == published_group


def test_a_group_past_the_first_page_is_placed_on_its_page(app):
    groups = [{"id": 100 + n, "title": f"第{n}组", "size": 50 - n, "representative": "", "outcome": "adopted",
               "reason": ""} for n in range(presentation.GROUPS_PER_PAGE + 3)]
    view = presentation.ReportView({"groups": groups})
    assert view.place_of_group(100)["page"] == 1
    assert view.place_of_group(100 + presentation.GROUPS_PER_PAGE - 1)["page"] == 1
    assert view.place_of_group(100 + presentation.GROUPS_PER_PAGE)["page"] == 2
    assert view.place_of_group(999) is None
