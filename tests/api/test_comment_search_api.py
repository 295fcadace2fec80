"""The staff API's search and filters of a consultation's comments: results, and a 422 with a message per field
for every value it cannot use (never a 500)."""

import pytest

from engage.feedback.search import index
from tests.fixtures.feedback import make_closed_consultation

BODIES = ["建议推进生活垃圾分类，在小区设置投放点。", "小区物业应当负责垃圾清运。", "停车收费标准太高，希望降低。"]


@pytest.fixture
def consultation(department, staff):
    consultation, _comments = make_closed_consultation(department, staff, BODIES)
    index.index_pending()
    return consultation


def _get(client, consultation, headers, **query):
    return client.get(f"/api/v1/consultations/{consultation.id}/feedback/comments", query_string=query,
                      headers=headers)


def test_search_by_words_newest_first_with_a_filter(client, consultation, staff_token):
    answer = _get(client, consultation, staff_token, q="垃圾", sort="newest", channel="online", status="published",
                  per_page=1)
    assert answer.status_code == 200
    assert [item["body"] for item in answer.json["items"]] == [BODIES[1]]
    assert answer.json["total"] == 2 and answer.json["total_capped"] is False
    following = _get(client, consultation, staff_token, q="垃圾", sort="newest", after=answer.json["next_cursor"])
    assert [item["body"] for item in following.json["items"]] == [BODIES[0]]


@pytest.mark.parametrize(("query", "field"), [
    ({"sort": "best"}, "sort"),
    ({"channel": "fax"}, "channel"),
    ({"status": "rejected"}, "status"),
    ({"outcome": "maybe"}, "outcome"),
    ({"received_from": "2026-13-01"}, "received_from"),
    ({"received_from": "2026-03-02", "received_to": "2026-03-01"}, "received_to"),
    ({"group": "0"}, "group"),
    ({"group": str(2**40)}, "group"),
    ({"q": "的"}, "q"),
    ({"q": "，。"}, "q"),
])
def test_values_it_cannot_use_are_refused_with_422(client, consultation, staff_token, query, field):
    answer = _get(client, consultation, staff_token, **query)
    assert answer.status_code == 422, answer.json
    assert field in answer.json["errors"]


def test_a_query_too_short_is_explained_in_the_callers_language(client, consultation, staff_token):
    zh = _get(client, consultation, staff_token, q="的")
    en = _get(client, consultation, {**staff_token, "Accept-Language": "en"}, q="的")
    assert "两个字" in zh.json["errors"]["q"][0]
    assert "two characters" in en.json["errors"]["q"][0]
