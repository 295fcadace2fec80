"""Security headers on every kind of answer, the same for every visitor."""

import pytest

from engage.core.security_headers import content_security_policy, security_headers, x_frame_options

EVERY_ANSWER = ["/", "/consultations/", "/api/v1/consultations", "/no-such-page", "/api/v1/no-such-thing",
                "/static/css/engage.css", "/account/login", "/healthz"]


@pytest.mark.parametrize("path", EVERY_ANSWER)
def test_every_answer_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "nonce-" not in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]


def test_a_server_error_carries_them_too(app, client, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setitem(app.view_functions, "core.health", broken)
    response = client.get("/healthz")
    assert response.status_code == 500
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_headers_are_the_same_for_every_visitor(client, auth, staff):
    anonymous = client.get("/consultations/").headers
    auth.login(staff.email)
    logged_in = client.get("/consultations/").headers
    for name in ("Content-Security-Policy", "Permissions-Policy", "Referrer-Policy", "X-Frame-Options"):
        assert anonymous[name] == logged_in[name]


def test_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://engage.example.cn")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_hsts_behind_a_trusted_proxy_that_says_https(make_app):
    app = make_app(TRUSTED_PROXIES=1)
    response = app.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers


def test_forwarded_proto_is_ignored_without_a_trusted_proxy(client):
    response = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_a_portal_may_be_allowed_to_embed_engage(make_app):
    app = make_app(FRAME_ANCESTORS="https://portal.gov.example.cn")
    headers = app.test_client().get("/healthz").headers
    assert "frame-ancestors https://portal.gov.example.cn" in headers["Content-Security-Policy"]
    # X-Frame-Options cannot name another origin; sending DENY would block the portal in older browsers.
    assert "X-Frame-Options" not in headers


@pytest.mark.parametrize(("ancestors", "expected"), [("'none'", "DENY"), ("'self'", "SAMEORIGIN"),
                                                     ("https://a.example", None)])
def test_x_frame_options_follows_frame_ancestors(ancestors, expected):
    assert x_frame_options(ancestors) == expected


def test_policy_forbids_plugins_and_foreign_form_targets():
    csp = content_security_policy("'none'")
    assert "object-src 'none'" in csp and "form-action 'self'" in csp and "base-uri 'self'" in csp


def test_hsts_seconds_zero_never_sends_it():
    assert "Strict-Transport-Security" not in security_headers("'none'", over_https=True, hsts_seconds=0)


def test_templates_hold_no_inline_script_or_style():
    """The policy allows no inline script or style, so none may creep back into a template."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for template in root.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text) \
                or re.search(r"<style|\sstyle\s*=", text) or "javascript:" in text:
            offenders.append(template.name)
    assert offenders == []
