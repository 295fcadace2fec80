"""Unified sign-in rules: plain functions of values, no Flask and no database."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from engage.core.contacts import email_address, mobile_number

#: how long a sign-in may stay at the provider before coming back (typing a password, a second factor)
REQUEST_LIFETIME = timedelta(minutes=10)
#: seconds of clock difference with the provider tolerated on an ID token's times
CLOCK_LEEWAY_SECONDS = 60

#: what an administrator may do with an identity in each status (the values of models.IdentityStatus)
DECISIONS = {
    "pending": {"link", "reject"},
    "linked": {"link", "reject"},
    "rejected": {"link"},
}


@dataclass(frozen=True)
class Person:
    """What the provider says about who signed in; contacts only when the provider verified them."""

    subject: str
    name: str
    email: str | None
    phone: str | None


def is_request_expired(created_at: datetime, now: datetime) -> bool:
    return now - created_at > REQUEST_LIFETIME


def issuer_key(issuer: str) -> str:
    """An issuer as identities are stored under it: a trailing slash (which some providers announce) aside."""
    return (issuer or "").strip().rstrip("/")


def same_issuer(configured: str, announced: str) -> bool:
    """Whether the discovery document belongs to the issuer configured (a trailing slash aside)."""
    return issuer_key(configured) == issuer_key(announced)


def _verified(claims: dict, name: str) -> bool:
    # Some providers send "true" as a string; anything else (absent, false, "false") is not verified.
    return claims.get(name) is True or str(claims.get(name)).lower() == "true"


def person_from_claims(claims: dict) -> Person:
    """The person an ID token (with the userinfo answer merged in) describes."""
    email = email_address(claims.get("email") or "") if _verified(claims, "email_verified") else None
    phone = mobile_number(claims.get("phone_number") or "") if _verified(claims, "phone_number_verified") else None
    name = str(claims.get("name") or claims.get("preferred_username") or "").strip()[:100]
    return Person(subject=str(claims["sub"]), name=name, email=email, phone=phone)


def merge_userinfo(claims: dict, userinfo: dict) -> dict:
    """The ID token's claims completed by userinfo's, which count only when they are about the same subject."""
    if str(userinfo.get("sub")) != str(claims.get("sub")):
        return dict(claims)
    return {**userinfo, **{key: value for key, value in claims.items() if value not in (None, "")}}


def can_decide(status: str, action: str) -> bool:
    return action in DECISIONS[str(status)]
