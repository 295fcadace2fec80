"""Rate limits on sign-ups, shared by the pages and the API so both count against one budget."""

from flask import current_app

from engage.extensions import limiter

limit_sign_ups = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_SIGN_UPS"], scope="event-sign-ups", methods=["POST"]
)
