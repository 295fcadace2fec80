"""Rate limits on asking for lost codes: per network address and per contact, shared by the page and the API.

The per-contact limit stops anyone from flooding one person's phone from many addresses; it counts requests,
not matches, so a refusal tells nothing about whether the contact is known.
"""

from flask import current_app, request

from engage.extensions import limiter
from engage.lostcodes import rules


def _typed_contact() -> str:
    if request.is_json:
        body = request.get_json(silent=True)
        return str(body.get("contact") or "") if isinstance(body, dict) else ""
    return request.form.get("contact", "")


def _contact_key() -> str:
    return rules.contact_key(_typed_contact())


limit_per_address = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_LOST_CODES"], scope="lost-codes", methods=["POST"]
)
limit_per_contact = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_LOST_CODES_PER_CONTACT"], scope="lost-codes-contact",
    key_func=_contact_key, methods=["POST"]
)
