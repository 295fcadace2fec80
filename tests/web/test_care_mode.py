"""The care-mode switch (关怀版): a cookie the visitor sets by a link, read only by the mode's stylesheet."""

import pytest


def test_the_switch_remembers_the_choice_and_goes_back(client):
    answer = client.get("/care/on", query_string={"next": "/consultations/?page=2"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/consultations/?page=2"
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("care=on;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Max-Age=31536000" in cookie
    off = client.get("/care/off", query_string={"next": "/"})
    assert off.status_code == 302 and "care=;" in off.headers["Set-Cookie"]  # deleted


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_the_switch_never_sends_anyone_off_the_site(client, target):
    answer = client.get("/care/on", query_string={"next": target})
    assert answer.headers["Location"] == "/"


def test_an_unknown_state_is_not_found(client):
    assert client.get("/care/maybe").status_code == 404


def test_the_stylesheet_follows_the_choice_and_is_private(client):
    standard = client.get("/care.css")
    assert standard.status_code == 200 and standard.mimetype == "text/css"
    assert "font-size" not in standard.get_data(as_text=True)
    client.set_cookie("care", "on")
    care = client.get("/care.css")
    assert care.status_code == 200 and care.mimetype == "text/css"
    assert "font-size: 125%" in care.get_data(as_text=True)
    for answer in (standard, care):
        assert answer.headers["Cache-Control"] == "private, no-store"
        assert "Cookie" in answer.headers["Vary"]


def test_pages_link_the_stylesheet_and_both_switches(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/care.css"' in page
    assert 'href="/care/on?next=/"' in page and 'href="/care/off?next=/"' in page
    assert 'href="#site-menu"' in page and 'id="site-menu"' in page
