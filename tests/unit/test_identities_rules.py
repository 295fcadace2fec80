"""Unified sign-in rules: who a provider's claims describe, which answers count, what an administrator may do."""

from datetime import UTC, datetime, timedelta

import pytest

from engage.identities import rules

NOW = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(("verified", "expected"), [
    (True, "wang@example.cn"), ("true", "wang@example.cn"), (False, None), ("false", None), (None, None)])
def test_only_a_verified_email_address_counts(verified, expected):
    claims = {"sub": "s", "email": "Wang@Example.cn", "email_verified": verified}
    assert rules.person_from_claims(claims).email == expected


def test_a_verified_mobile_number_is_read_in_any_spelling():
    claims = {"sub": "s", "phone_number": "+86 138-1234-5678", "phone_number_verified": True}
    assert rules.person_from_claims(claims).phone == "13812345678"


def test_a_verified_landline_is_no_mobile_number():
    claims = {"sub": "s", "phone_number": "010-12345678", "phone_number_verified": True}
    assert rules.person_from_claims(claims).phone is None


def test_the_name_falls_back_to_the_username_and_is_cut_to_the_column():
    assert rules.person_from_claims({"sub": "s", "preferred_username": "wxm"}).name == "wxm"
    assert len(rules.person_from_claims({"sub": "s", "name": "名" * 300}).name) == 100


def test_userinfo_completes_the_id_token_for_the_same_subject_only():
    claims = {"sub": "a", "name": "王"}
    assert rules.merge_userinfo(claims, {"sub": "a", "email": "w@example.cn"})["email"] == "w@example.cn"
    assert "email" not in rules.merge_userinfo(claims, {"sub": "b", "email": "x@example.cn"})
    assert rules.merge_userinfo(claims, {"sub": "a", "name": "李"})["name"] == "王"


@pytest.mark.parametrize(("age", "expired"), [
    (rules.REQUEST_LIFETIME - timedelta(seconds=1), False), (rules.REQUEST_LIFETIME, False),
    (rules.REQUEST_LIFETIME + timedelta(seconds=1), True)])
def test_a_sign_in_request_lives_ten_minutes(age, expired):
    assert rules.is_request_expired(NOW - age, NOW) is expired


@pytest.mark.parametrize(("configured", "announced", "same"), [
    ("https://id.example.gov.cn", "https://id.example.gov.cn", True),
    ("https://id.example.gov.cn/", "https://id.example.gov.cn", True),
    ("https://id.example.gov.cn", "https://evil.example.cn", False),
    ("https://id.example.gov.cn", "", False)])
def test_the_discovery_document_must_be_the_configured_issuers(configured, announced, same):
    assert rules.same_issuer(configured, announced) is same


@pytest.mark.parametrize(("status", "action", "allowed"), [
    ("pending", "link", True), ("pending", "reject", True), ("linked", "link", True), ("linked", "reject", True),
    ("rejected", "link", True), ("rejected", "reject", False)])
def test_what_an_administrator_may_decide(status, action, allowed):
    assert rules.can_decide(status, action) is allowed
