"""Public pages through nginx's cache: kept and served by the proxy, fresh within seconds, never personal."""

import re
import time

import requests

from tests import factories
from tests.proxy.conftest import MAX_AGE, STATE_SECONDS

CACHED = {"HIT", "STALE", "UPDATING", "REVALIDATED"}


def _status(response) -> str:
    return response.headers.get("X-Cache-Status", "")


def _citizen_tokens(proxied, citizen: requests.Session) -> dict:
    response = proxied.get("/form-tokens", citizen)
    assert response.status_code == 200 and _status(response) not in CACHED
    return response.json()


def test_a_public_page_is_served_from_the_proxy_cache(proxied, open_consultation):
    url = f"/consultations/{open_consultation.id}"
    first, second = proxied.get(url), proxied.get(url)
    assert (_status(first), _status(second)) == ("MISS", "HIT")
    assert second.text == first.text and open_consultation.title in second.text
    assert "Set-Cookie" not in first.headers and "Set-Cookie" not in second.headers


def test_a_conditional_get_is_answered_304_by_the_proxy(proxied, open_consultation):
    url = f"/consultations/{open_consultation.id}"
    etag = proxied.get(url).headers["ETag"]
    again = proxied.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and _status(again) == "HIT"


def test_a_new_published_comment_shows_within_the_configured_seconds(proxied, open_consultation):
    url = f"/consultations/{open_consultation.id}"
    proxied.get(url)
    assert _status(proxied.get(url)) == "HIT"
    citizen = requests.Session()
    tokens = _citizen_tokens(proxied, citizen)
    sent = citizen.post(f"{proxied.url}{url}/comments", allow_redirects=False, timeout=10,
                        data={"body": "经过代理发表的意见", "article": "", **tokens})
    assert sent.status_code == 303, sent.text
    posted_at = time.monotonic()
    # Within max-age the proxy may keep the old page, and a worker trusts its reading of the version for
    # PAGE_CACHE_STATE_SECONDS; the next reader after that (stale-while-revalidate) starts the refresh.
    limit = MAX_AGE + STATE_SECONDS + 1.5
    while "经过代理发表的意见" not in proxied.get(url).text:
        assert time.monotonic() - posted_at < limit, f"the new comment did not show within {limit} s"
        time.sleep(0.2)


def test_a_form_sent_without_javascript_is_shown_back_through_the_proxy(proxied, open_consultation):
    url = f"/consultations/{open_consultation.id}"
    citizen = requests.Session()
    # A browser without JavaScript: the page's empty token fields, and the Origin of the page it was on.
    shown_back = citizen.post(f"{proxied.url}{url}/comments", allow_redirects=False, timeout=10,
                              headers={"Origin": proxied.url}, data={"body": "不用脚本经过代理的意见", "article": ""})
    assert shown_back.status_code == 400 and "不用脚本经过代理的意见" in shown_back.text
    assert shown_back.headers["Cache-Control"] == "private, no-store" and _status(shown_back) not in CACHED
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', shown_back.text).group(1)
    sent = citizen.post(f"{proxied.url}{url}/comments", allow_redirects=False, timeout=10,
                        headers={"Origin": proxied.url},
                        data={"body": "不用脚本经过代理的意见", "article": "", "csrf_token": token})
    assert sent.status_code == 303


def test_a_staff_page_is_never_cached(proxied, staff):
    officer = requests.Session()
    login_page = proxied.get("/account/login", officer)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page.text).group(1)
    logged_in = officer.post(f"{proxied.url}/account/login", allow_redirects=False, timeout=10,
                             data={"email": staff.email, "password": factories.PASSWORD, "csrf_token": token})
    assert logged_in.status_code == 302
    for _ in range(2):
        desk = proxied.get("/staff/consultations/", officer)
        assert desk.status_code == 200 and _status(desk) not in CACHED
        assert desk.headers["Cache-Control"] == "private, no-store"
    anonymous = proxied.get("/staff/consultations/")
    assert anonymous.status_code == 302 and "/account/login" in anonymous.headers["Location"]
    assert _status(anonymous) not in CACHED


def test_no_answer_from_the_cache_carries_another_visitors_cookie_or_token(proxied, open_consultation, staff):
    url = f"/consultations/{open_consultation.id}"
    citizen = requests.Session()
    tokens = _citizen_tokens(proxied, citizen)
    seen = [proxied.get(path, citizen) for path in (url, "/", "/consultations/")]
    others = [proxied.get(path) for path in (url, "/", "/consultations/") for _ in range(2)]
    other_tokens = _citizen_tokens(proxied, requests.Session())
    assert other_tokens["csrf_token"] != tokens["csrf_token"]
    assert any(_status(response) in CACHED for response in others)
    for response in seen + others:
        assert tokens["csrf_token"] not in response.text and tokens["submission_token"] not in response.text
    for response in others:
        assert "Set-Cookie" not in response.headers
        assert response.headers["Cache-Control"].startswith("public")
    assert citizen.cookies.get("session") not in {response.headers.get("Set-Cookie") for response in others}


def test_languages_are_cached_apart(proxied, open_consultation):
    url = f"/consultations/{open_consultation.id}"
    asks = [
        ({"Accept-Language": "en-GB,en;q=0.9"}, {}, '<html lang="en">'),
        ({"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}, {}, '<html lang="zh-CN">'),
        ({"Accept-Language": "zh-CN"}, {"lang": "en"}, '<html lang="en">'),
        ({"Accept-Language": "en"}, {"lang": "zh"}, '<html lang="zh-CN">'),
        ({}, {}, '<html lang="zh-CN">'),
    ]
    for headers, cookies, expected in asks * 2:
        response = proxied.get(url, headers=headers, cookies=cookies)
        assert expected in response.text, (headers, cookies, _status(response))
    assert _status(proxied.get(f"{url}?lang=en")) == "MISS"
    assert '<html lang="en">' in proxied.get(f"{url}?lang=en", headers={"Accept-Language": "zh"}).text
