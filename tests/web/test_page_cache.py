"""Public consultation pages come from a cache for anonymous visitors, and are never stale or shared-token."""

import re

from engage.consultations import comment_services
from engage.core import page_cache
from engage.extensions import db
from tests import factories

TOKEN_FIELDS = re.compile(
    r'name="(csrf_token|submission_token)"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="(csrf_token|submission_token)"'
)


def _tokens(html: str) -> dict:
    found = {}
    for match in TOKEN_FIELDS.finditer(html):
        name = match.group(1) or match.group(4)
        found[name] = match.group(2) or match.group(3)
    return found


def test_the_page_holds_no_token_of_a_visitor(app, client, open_consultation):
    app.config["WTF_CSRF_ENABLED"] = True
    first = client.get(f"/consultations/{open_consultation.id}")
    second = app.test_client().get(f"/consultations/{open_consultation.id}")
    assert first.data == second.data
    assert not any(_tokens(first.text).values())
    assert "Set-Cookie" not in first.headers and "Set-Cookie" not in second.headers


def test_each_visitor_fetches_tokens_of_their_own(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    first, second = client.get("/form-tokens"), app.test_client().get("/form-tokens")
    assert first.json["csrf_token"] != second.json["csrf_token"]
    assert first.json["submission_token"] != second.json["submission_token"]
    assert first.headers["Cache-Control"] == "private, no-store"
    assert "session=" in first.headers["Set-Cookie"]


def test_a_cached_page_still_takes_a_comment(app, client, open_consultation):
    app.config["WTF_CSRF_ENABLED"] = True
    client.get(f"/consultations/{open_consultation.id}")
    client.get(f"/consultations/{open_consultation.id}")
    response = client.post(f"/consultations/{open_consultation.id}/comments",
                           data={"body": "缓存页面上的意见", "article": "", **client.get("/form-tokens").json})
    assert response.status_code == 303


def test_a_new_published_comment_shows_at_once(client, open_consultation):
    client.get(f"/consultations/{open_consultation.id}")
    factories.make_comment(open_consultation, "刚刚发表的意见")
    assert "刚刚发表的意见" in client.get(f"/consultations/{open_consultation.id}").text


def test_a_hidden_comment_disappears_at_once(client, open_consultation, staff, now):
    comment = factories.make_comment(open_consultation, "稍后被隐藏的意见")
    assert "稍后被隐藏的意见" in client.get(f"/consultations/{open_consultation.id}").text
    comment_services.moderate(open_consultation, [comment.id], approve=False, reason="含有广告", actor=staff, now=now)
    db.session.commit()
    assert "稍后被隐藏的意见" not in client.get(f"/consultations/{open_consultation.id}").text


def test_staff_never_get_the_anonymous_page(client, auth, staff, open_consultation, en_client):
    en_client.get(f"/consultations/{open_consultation.id}")
    auth.login(staff.email)
    assert "Staff desk" in en_client.get(f"/consultations/{open_consultation.id}").text


def test_languages_are_cached_apart(client, open_consultation):
    assert '<html lang="zh-CN">' in client.get(f"/consultations/{open_consultation.id}").text
    client.set_cookie("lang", "en")
    assert '<html lang="en">' in client.get(f"/consultations/{open_consultation.id}").text


def test_drafts_stay_hidden_from_the_cached_path(client, department, staff):
    draft = factories.make_consultation(department, staff, publish=False)
    assert client.get(f"/consultations/{draft.id}").status_code == 404


def test_a_worker_trusts_its_reading_of_the_page_state_for_the_configured_seconds(app):
    readings = iter(range(100))
    app.config["PAGE_CACHE_STATE_SECONDS"] = 60
    assert page_cache.remembered("k", lambda: (next(readings),)) == (0,)
    assert page_cache.remembered("k", lambda: (next(readings),)) == (0,)
    app.config["PAGE_CACHE_STATE_SECONDS"] = 0
    assert page_cache.remembered("k", lambda: (next(readings),)) == (1,)
