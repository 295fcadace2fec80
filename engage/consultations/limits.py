"""Rate limits on what citizens send, shared by the pages and the API so both count against one budget."""

from flask import current_app

from engage.extensions import limiter

limit_comments = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_COMMENTS"], scope="comments", methods=["POST"]
)
