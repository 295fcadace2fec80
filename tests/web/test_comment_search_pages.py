"""The work view's search and filters as a page: results, totals beyond the cap, and refused values shown by
their fields in the visitor's language (never a 500)."""

import pytest

from engage.feedback import answer_services
from engage.feedback.search import index
from tests.fixtures.feedback import FORM_LETTER, OTHER_COMMENT


@pytest.fixture
def staff_client(client, auth, staff):
    auth.login(staff.email)
    return client


def _work(client, consultation, **query):
    return client.get(f"/staff/consultations/{consultation.id}/feedback/", query_string=query)


def test_words_article_and_order_narrow_the_list(staff_client, closed_consultation):
    index.index_pending()
    html = _work(staff_client, closed_consultation, q="物业 准备", sort="newest").get_data(as_text=True)
    assert OTHER_COMMENT in html and FORM_LETTER not in html
    html = _work(staff_client, closed_consultation, q="厨余", article="0").get_data(as_text=True)
    assert html.count("厨余垃圾投放点") >= 3 and OTHER_COMMENT not in html
    assert 'open>' in _work(staff_client, closed_consultation, article="0").get_data(as_text=True).replace(
        'class="more-filters" open', 'open>')  # a filter in use keeps the folded filters open


def test_a_total_beyond_the_cap_reads_at_least(staff_client, closed_consultation, monkeypatch):
    monkeypatch.setattr(answer_services, "COUNT_CAP", 2)
    staff_client.set_cookie("lang", "en")
    # Counting stopped at 2, but the page shows all four: at least those.
    assert "At least 4 comments match." in _work(staff_client, closed_consultation).get_data(as_text=True)
    staff_client.set_cookie("lang", "zh")
    assert "符合条件的意见至少有 4 条。" in _work(staff_client, closed_consultation).get_data(as_text=True)


@pytest.mark.parametrize(("query", "field", "message"), [
    ({"q": "的"}, "q", "请至少输入一个两个字及以上的词"),
    ({"received_from": "2026-03-02", "received_to": "2026-03-01"}, "received_to", "结束日期早于开始日期。"),
    ({"channel": "fax"}, "channel", ""),
    ({"received_from": "2026-02-30"}, "received_from", ""),
    ({"group": "x"}, "group", ""),
])
def test_values_it_cannot_use_are_shown_by_their_field(staff_client, closed_consultation, query, field, message):
    index.index_pending()
    answer = _work(staff_client, closed_consultation, **query)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and f'id="{field}-error"' in html
    assert message in html


def test_a_query_too_short_lists_nothing_and_says_why_in_english(staff_client, closed_consultation):
    staff_client.set_cookie("lang", "en")
    html = _work(staff_client, closed_consultation, q="在").get_data(as_text=True)
    assert "Search for at least one word of two characters or more" in html
    assert "No comments here." in html and FORM_LETTER not in html
