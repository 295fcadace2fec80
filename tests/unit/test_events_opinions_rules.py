"""The questionnaire rules as plain functions: questions, answers, who may give an opinion, figures."""

import pytest

from engage.events.opinions import rules as opinion_rules


def test_choices_are_cleaned():
    assert opinion_rules.clean_choices([" 网站 ", "", "微信", "网站"]) == ("网站", "微信")


@pytest.mark.parametrize(("choices", "ok"), [((), False), (("a",), False), (("a", "b"), True),
                                             (tuple("abcdefghij"), True), (tuple("abcdefghijk"), False)])
def test_single_choice_needs_two_to_ten_options(choices, ok):
    problems = opinion_rules.question_problems(opinion_rules.QuestionSpec("single_choice", "哪一项", choices))
    assert ("choices" not in problems) == ok


def test_only_single_choice_has_options():
    assert "choices" in opinion_rules.question_problems(opinion_rules.QuestionSpec("rating", "评价", ("a", "b")))


@pytest.mark.parametrize(("value", "ok"), [(0, False), (1, True), (5, True), (6, False), ("5", False), (True, False),
                                           (None, True)])
def test_rating_answers(value, ok):
    assert (opinion_rules.item_problem("rating", (), False, value) is None) == ok


def test_required_question_needs_an_answer():
    assert opinion_rules.item_problem("free_text", (), True, "") is not None
    assert opinion_rules.item_problem("free_text", (), False, "") is None


def test_choice_must_be_one_of_the_options():
    assert opinion_rules.item_problem("single_choice", ("甲", "乙"), False, "丙") is not None
    assert opinion_rules.item_problem("single_choice", ("甲", "乙"), False, "乙") is None


def test_opinion_length_boundary():
    limit = opinion_rules.OPINION_MAX_LENGTH
    assert opinion_rules.item_problem("free_text", (), False, "字" * limit) is None
    assert opinion_rules.item_problem("free_text", (), False, "字" * (limit + 1)) is not None


@pytest.mark.parametrize(("status", "is_open", "may"), [("attended", True, True), ("confirmed", True, True),
                                                        ("no_show", True, False), ("cancelled", True, False),
                                                        ("attended", False, False)])
def test_who_may_give_an_opinion(status, is_open, may):
    assert opinion_rules.may_give_opinion(status, is_open) == may


def test_figures():
    assert opinion_rules.average_rating([5, 4, 4]) == 4.3
    assert opinion_rules.average_rating([]) is None
    assert opinion_rules.choice_counts(("甲", "乙"), ["乙", "乙"]) == [("甲", 0), ("乙", 2)]
    assert opinion_rules.rating_distribution([5, 5, 1]) == [(5, 2), (4, 0), (3, 0), (2, 0), (1, 1)]
