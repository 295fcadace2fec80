"""Rate limits on follow requests: per network address, and per contact (whoever asks, from wherever).

The per-contact limit keeps anyone from flooding one person with confirmations; it counts requests, not
matches, so a refusal tells nothing about whether the contact follows anything.
"""

from flask import current_app, request

from engage.core.contacts import reachable
from engage.extensions import limiter


def _contact_key() -> str:
    contact = reachable(request.form.get("contact", ""))
    return ":".join(contact) if contact else "unreadable"


limit_per_address = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_SUBSCRIPTIONS"], scope="follow", methods=["POST"])
limit_per_contact = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_SUBSCRIPTIONS_PER_CONTACT"], scope="follow-contact",
    key_func=_contact_key, methods=["POST"])
