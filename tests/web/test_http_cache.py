"""What answers tell caches: public pages are the same for everyone and say so; everything personal is private."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from engage.core.timeutil import utcnow
from engage.events.registrations import services as sign_up_services
from engage.extensions import cache, db
from engage.feedback import services as feedback_services
from tests import factories
from tests.fixtures.events import make_event
from tests.fixtures.proposals import make_case

PUBLIC = "public, max-age=5, stale-while-revalidate=30"
PRIVATE = "private, no-store"


@pytest.fixture
def public_urls(app, open_consultation, answered_consultation, staff, campaign, department, now):
    """One address of every kind of public page and public API answer, on records that exist."""
    feedback_services.publish(answered_consultation, actor=staff, now=now)
    event = make_event(campaign, department)
    case = make_case()
    db.session.commit()
    consultation, closed = open_consultation.id, answered_consultation.id
    return [
        "/", "/consultations/", f"/consultations/{consultation}", f"/consultations/{consultation}?article=1",
        f"/consultations/{closed}/feedback", "/events/", f"/events/campaigns/{campaign.id}", f"/events/{event.id}",
        f"/consultations/{closed}/feedback.csv", f"/events/{event.id}/calendar.ics",
        "/proposals/", f"/proposals/{case.id}", "/proposals/stats", "/catalogue/", f"/catalogue/{now.year}",
        "/feed.atom",
        "/api/v1/consultations", f"/api/v1/consultations/{consultation}",
        f"/api/v1/consultations/{consultation}/comments", f"/api/v1/consultations/{closed}/feedback",
        "/api/v1/campaigns", "/api/v1/events", f"/api/v1/events/{event.id}", "/api/v1/proposals",
        f"/api/v1/proposals/{case.id}", f"/api/v1/catalogue/{now.year}",
    ]


def _sign_up(event):
    registration, token = sign_up_services.register(
        event.id, sign_up_services.SignUpInput(name="张三", phone="13812345678", party_size=1, id_number=""),
        now=utcnow())
    db.session.commit()
    return registration, token


def test_public_answers_carry_no_cookie_and_may_be_kept_by_shared_caches(app, client, public_urls):
    app.config["WTF_CSRF_ENABLED"] = True
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert response.headers["Cache-Control"] == PUBLIC, url
        if not response.is_streamed:  # a CSV download is written as it is read: nothing to hash beforehand
            assert response.headers["ETag"] and response.headers["Last-Modified"], url
        assert 'name="csrf_token" type="hidden" value="' not in response.text, url


def test_public_answers_are_the_same_for_every_visitor(app, public_urls):
    app.config["WTF_CSRF_ENABLED"] = True
    for url in public_urls:
        first, second = app.test_client().get(url), app.test_client().get(url)
        assert first.get_data() == second.get_data(), url


def test_a_conditional_get_of_an_unchanged_page_is_answered_304(client, public_urls):
    for url in public_urls:
        etag = client.get(url).headers.get("ETag")
        if etag is None and url.endswith(".csv"):
            continue
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b"", url
        assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == PUBLIC, url


def test_a_conditional_get_by_date_is_answered_304(client, open_consultation):
    url = f"/consultations/{open_consultation.id}"
    last_modified = client.get(url).headers["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304


def test_a_new_comment_changes_the_etag(client, open_consultation):
    url = f"/consultations/{open_consultation.id}"
    etag = client.get(url).headers["ETag"]
    factories.make_comment(open_consultation, "改变版本的意见")
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200 and "改变版本的意见" in response.text
    assert response.headers["ETag"] != etag


def test_languages_have_etags_of_their_own_and_say_what_they_vary_on(client, open_consultation):
    url = f"/consultations/{open_consultation.id}"
    chinese = client.get(url)
    english = client.get(url, headers={"Accept-Language": "en"})
    assert chinese.headers["ETag"] != english.headers["ETag"]
    asked_in_english = {"Accept-Language": "en", "If-None-Match": chinese.headers["ETag"]}
    assert client.get(url, headers=asked_in_english).status_code == 200
    assert set(chinese.headers["Vary"].replace(" ", "").split(",")) == {"Accept-Language", "Cookie"}
    # Named in the address, the language no longer depends on what the browser asks for.
    assert "Accept-Language" not in client.get(f"{url}?lang=en").headers["Vary"]


def test_static_files_are_public_and_do_not_vary(client):
    response = client.get("/static/js/form-tokens.js")
    assert response.headers["Cache-Control"] == PUBLIC
    assert "Vary" not in response.headers
    again = client.get("/static/js/form-tokens.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_cache_lifetime_is_configurable(app, client):
    app.config.update(HTTP_CACHE_MAX_AGE=2, HTTP_CACHE_STALE_SECONDS=7)
    assert client.get("/").headers["Cache-Control"] == "public, max-age=2, stale-while-revalidate=7"


def test_logged_in_staff_get_private_answers_on_public_pages(client, auth, staff, open_consultation):
    auth.login(staff.email)
    for url in ("/", f"/consultations/{open_consultation.id}", "/api/v1/consultations"):
        assert client.get(url).headers["Cache-Control"] == PRIVATE, url


def test_staff_pages_are_private(client, auth, staff):
    auth.login(staff.email)
    assert client.get("/staff/consultations/").headers["Cache-Control"] == PRIVATE


@pytest.mark.parametrize("make_url", [
    lambda c, e: "/form-tokens",
    lambda c, e: "/account/login",
    lambda c, e: "/consultations/receipt",
    lambda c, e: "/events/lookup",
    lambda c, e: f"/api/v1/receipts/{c.receipt_number}",
    lambda c, e: f"/consultations/receipts/{c.receipt_number}",
    lambda c, e: f"/events/sign-ups/{e[0].code}/{e[1]}",
])
def test_personal_answers_are_private(client, open_consultation, campaign, department, make_url):
    comment = factories.make_comment(open_consultation, "回执页上的意见")
    registration = _sign_up(make_event(campaign, department))
    db.session.commit()
    response = client.get(make_url(comment, registration))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == PRIVATE


def test_errors_are_not_kept(client):
    assert client.get("/consultations/999999").headers["Cache-Control"] == PRIVATE


def test_an_answer_that_sets_a_cookie_is_never_public(client):
    response = client.get("/language/en?next=/")
    assert "Set-Cookie" in response.headers and response.headers["Cache-Control"] == PRIVATE


def test_a_page_showing_a_flashed_message_is_private(client, open_consultation, campaign, department):
    registration, token = _sign_up(make_event(campaign, department))
    client.post(f"/events/sign-ups/{registration.code}/{token}/cancel", data={"confirmed": "yes", "token": token})
    response = client.get("/")
    assert "Your sign-up is cancelled" in response.text or "已取消" in response.text
    assert response.headers["Cache-Control"] == PRIVATE


def test_last_modified_is_not_in_the_future(client, open_consultation):
    header = client.get(f"/consultations/{open_consultation.id}").headers["Last-Modified"]
    modified = datetime.strptime(header, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert modified <= datetime.now(UTC) + timedelta(seconds=1)


def _count_renders(monkeypatch) -> list:
    from engage.consultations import views

    calls = []
    real = views.page_cache.serve

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(views.page_cache, "serve", counted)
    return calls


def test_a_repeated_conditional_get_is_answered_in_front_of_flask(app, client, open_consultation, monkeypatch):
    app.config["PAGE_CACHE_STATE_SECONDS"] = 60
    url = f"/consultations/{open_consultation.id}"
    etag = client.get(url).headers["ETag"]
    calls = _count_renders(monkeypatch)
    first = client.get(url, headers={"If-None-Match": etag})
    second = client.get(url, headers={"If-None-Match": etag})
    assert first.status_code == second.status_code == 304 and len(calls) == 1
    assert sorted(second.headers.items()) == sorted(first.headers.items())


def test_other_questions_are_not_answered_in_front_of_flask(app, client, open_consultation, monkeypatch):
    app.config["PAGE_CACHE_STATE_SECONDS"] = 60
    url = f"/consultations/{open_consultation.id}"
    etag = client.get(url).headers["ETag"]
    client.get(url, headers={"If-None-Match": etag})
    calls = _count_renders(monkeypatch)
    assert client.get(url, headers={"If-None-Match": etag, "Accept-Language": "en"}).status_code == 200
    assert client.get(url, headers={"If-None-Match": '"another-version"'}).status_code == 200
    client.set_cookie("session", "anything")
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert len(calls) == 3


def test_no_replay_outlives_the_trusted_page_state(app, client, open_consultation, monkeypatch):
    app.config["PAGE_CACHE_STATE_SECONDS"] = 60
    url = f"/consultations/{open_consultation.id}"
    etag = client.get(url).headers["ETag"]
    client.get(url, headers={"If-None-Match": etag})
    factories.make_comment(open_consultation, "过了信任期才出现的意见")
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    cache.delete(f"state:consultation:{open_consultation.id}")  # as the cache itself forgets it by then
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200 and "过了信任期才出现的意见" in response.text


def test_a_cached_page_holds_no_per_response_nonce(app, open_consultation):
    url = f"/consultations/{open_consultation.id}"
    first, second = app.test_client().get(url), app.test_client().get(url)
    policy = first.headers["Content-Security-Policy"]
    assert policy == second.headers["Content-Security-Policy"] and "nonce-" not in policy
    assert "<script>" not in first.text and "<script src=" in first.text
