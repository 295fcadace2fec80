"""The one-click unsubscribe page that every non-transactional message links to."""

from flask import Blueprint, render_template, request

from engage.core.timeutil import utcnow
from engage.extensions import csrf, db
from engage.notifications import rules, services, signals
from engage.notifications.models import Channel

bp = Blueprint("notifications", __name__)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail programs POST here for RFC 8058 one-click unsubscribe; the signed token is the secret
def unsubscribe(token: str):
    channel, recipient = services.contact_of(token)
    done = request.method == "POST"
    if done:
        now = utcnow()
        services.suppress(channel, recipient, now=now)
        signals.contact_unsubscribed.send(channel=channel, recipient=recipient, now=now)
        db.session.commit()
    return render_template("notifications/unsubscribe.html", done=done, channel=channel, is_email=channel ==
                           Channel.EMAIL, masked=rules.mask_contact(recipient))
