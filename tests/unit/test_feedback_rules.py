"""Feedback rules: answer outcomes and reasons, which answer applies, publishing, and the revision hash chain."""

from datetime import UTC, datetime

import pytest

from engage.core.answers import AnswerOutcome, answer_problems
from engage.feedback import rules

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(("outcome", "reason", "fields"), [
    ("adopted", "", set()),
    ("adopted", "采纳", set()),
    ("partly_adopted", "", {"reason"}),
    ("partly_adopted", "部分采纳的理由", set()),
    ("not_adopted", "   ", {"reason"}),
    ("not_adopted", "理由", set()),
    ("out_of_scope", "", {"reason"}),
    ("out_of_scope", "不属于", set()),
    (None, "", {"outcome"}),
    ("maybe", "", {"outcome"}),
    ("not_adopted", "长" * 5001, {"reason"}),
])
def test_answer_needs_an_outcome_and_a_reason_short_of_adoption(outcome, reason, fields):
    assert set(answer_problems(outcome, reason)) == fields


def test_own_answer_wins_over_group_answer():
    assert rules.effective_outcome(AnswerOutcome.NOT_ADOPTED, AnswerOutcome.ADOPTED) == AnswerOutcome.NOT_ADOPTED
    assert rules.effective_outcome(None, AnswerOutcome.ADOPTED) == AnswerOutcome.ADOPTED
    assert rules.effective_outcome(None, None) is None
    assert rules.effective_reason(None, "", "组的理由") == "组的理由"
    assert rules.effective_reason("not_adopted", "自己的理由", "组的理由") == "自己的理由"


@pytest.mark.parametrize(("unanswered", "pending", "explanation", "problems"), [
    (0, 0, "说明", []),
    (1, 0, "说明", ["unanswered"]),
    (0, 2, "说明", ["pending"]),
    (0, 0, "  ", ["explanation"]),
    (3, 1, "", ["unanswered", "pending", "explanation"]),
])
def test_publish_problems(unanswered, pending, explanation, problems):
    assert rules.publish_problems(unanswered, pending, explanation) == problems


def _chain(count: int) -> list[rules.StoredRevision]:
    revisions, previous = [], rules.GENESIS_HASH
    for number in range(1, count + 1):
        record = rules.revision_record(consultation_id=1, number=number, content={"total": number, "groups": []},
                                       reason="" if number == 1 else f"更正{number}", changes=[], published_at=NOW,
                                       published_by_name="张三")
        content_hash = rules.chain_hash(previous, record)
        revisions.append(rules.StoredRevision(number, record, previous, content_hash))
        previous = content_hash
    return revisions


def test_an_intact_chain_verifies():
    assert rules.verify_chain(_chain(3)) == rules.ChainCheck(True, 3)


def test_an_empty_chain_verifies():
    assert rules.verify_chain([]).valid


def test_changed_content_breaks_the_chain_at_that_revision():
    chain = _chain(3)
    tampered = dict(chain[1].record, content={"total": 99, "groups": []})
    chain[1] = rules.StoredRevision(2, tampered, chain[1].previous_hash, chain[1].content_hash)
    assert rules.verify_chain(chain) == rules.ChainCheck(False, 1, 2, "content")


def test_a_rehashed_revision_still_breaks_the_link_to_the_next():
    chain = _chain(3)
    tampered = dict(chain[1].record, reason="改过")
    chain[1] = rules.StoredRevision(2, tampered, chain[1].previous_hash, rules.chain_hash(chain[1].previous_hash,
                                                                                          tampered))
    assert rules.verify_chain(chain) == rules.ChainCheck(False, 2, 3, "link")


def test_a_missing_revision_breaks_the_chain():
    chain = _chain(3)
    assert rules.verify_chain([chain[0], chain[2]]).problem == "missing"


def test_hash_does_not_depend_on_key_order():
    first = {"a": 1, "b": "采纳"}
    assert rules.chain_hash("", first) == rules.chain_hash("", {"b": "采纳", "a": 1})


def test_answers_digest_changes_with_any_answer():
    answers = [(1, "adopted", ""), (2, "not_adopted", "理由")]
    assert rules.answers_digest(answers) != rules.answers_digest([(1, "adopted", ""), (2, "not_adopted", "理由!")])


def test_changes_name_group_answers_and_explanation():
    old = {"explanation": "旧", "total": 3, "channels": {}, "outcomes": {}, "answers_digest": "x",
           "groups": [{"id": 1, "title": "组", "size": 3, "outcome": "partly_adopted", "reason": "r"},
                      {"id": 2, "title": "删", "size": 1, "outcome": "adopted", "reason": ""}]}
    new = dict(old, explanation="新", answers_digest="y",
               groups=[{"id": 1, "title": "组", "size": 3, "outcome": "adopted", "reason": ""}])
    kinds = [change["kind"] for change in rules.describe_changes(old, new)]
    assert kinds == ["explanation", "group_answer", "group_removed"]
    assert rules.describe_changes(None, new) == []
