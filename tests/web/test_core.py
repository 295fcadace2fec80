"""App-wide behaviour: language choice, error answers, health check."""

import pytest


def test_home_defaults_to_simplified_chinese(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="zh-CN"' in response.text


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [("en-GB,en;q=0.9", 'lang="en"'), ("zh-CN,zh;q=0.9,en;q=0.5", 'lang="zh-CN"'), ("fr", 'lang="zh-CN"')],
)
def test_language_follows_accept_language(client, accept_language, expected):
    assert expected in client.get("/", headers={"Accept-Language": accept_language}).text


def test_language_switch_is_remembered(client):
    response = client.get("/language/en?next=/consultations/")
    assert response.status_code == 302 and response.headers["Location"] == "/consultations/"
    assert 'lang="en"' in client.get("/").text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/language/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_ignored(client):
    client.get("/language/fr")
    assert 'lang="zh-CN"' in client.get("/").text


def test_unknown_page_gives_a_page_in_the_visitors_language(en_client):
    response = en_client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "does not exist" in response.text


def test_unknown_api_path_answers_json(client):
    response = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.json["code"] == 404
    assert "does not exist" in response.json["message"]


def test_health_check_answers_when_database_does(client):
    assert client.get("/healthz").json["status"] == "ok"


@pytest.mark.parametrize(("size", "language", "expected"), [
    (45, "zh", "45字节"), (45, "en", "45 bytes"), (12_300, "zh", "12.3 kB"), (1_500_000, "en", "1.5 MB"),
])
def test_file_sizes_are_written_in_the_page_language(app, size, language, expected):
    from engage.core.templating import file_size

    with app.test_request_context(headers={"Accept-Language": language}):
        assert file_size(size) == expected


def test_favicon_answers_at_the_root_with_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # the ICO header: reserved 0, type 1 (icon)


def test_every_page_links_the_icon(client):
    page = client.get("/events/").text
    assert '<link rel="icon" href="/static/favicon.ico"' in page
    assert client.get("/static/favicon.ico").status_code == 200
